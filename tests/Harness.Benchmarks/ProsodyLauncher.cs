using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Benchmarks;

/// <summary>
/// Debian's Prosody for a benchmark, the way tests/Harness.Interop.Tests/Xmpp/ProsodyFixture.cs starts it (copied, not
/// referenced): its own configuration, data and pid file in a temporary folder, c2s and one component on free
/// loopback ports (no s2s, no HTTP, no TLS), accounts registered with <c>prosodyctl register</c> before start. Logs at
/// info level (debug would log every stanza and measure the console). Dispose kills the process and deletes the
/// folder; so do SIGINT, SIGTERM, SIGHUP and the process exiting.
/// </summary>
internal sealed class ProsodyLauncher : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly StringBuilder _log = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private Process? _process;
    private int _disposed;

    private ProsodyLauncher(string directory, string componentDomain, string componentSecret, bool nagle)
    {
        Nagle = nagle;
        Directory = directory;
        ComponentDomain = componentDomain;
        ComponentSecret = componentSecret;
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "prosody.cfg.lua");

    public string Domain => "localhost";

    public string ComponentDomain { get; }

    /// <summary>False sets <c>network_settings = { nagle = false }</c> (TCP_NODELAY, as our client and server use).</summary>
    public bool Nagle { get; }

    public string ComponentSecret { get; }

    public int C2sPort { get; private set; }

    public int ComponentPort { get; private set; }

    /// <summary>CPU time Prosody has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException("Prosody is not running.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The path of <paramref name="executable"/> on PATH (or /usr/sbin, /sbin), or null.</summary>
    public static string? Find(string executable)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, executable);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts Prosody (tries three times when a picked port was taken meanwhile).</summary>
    public static async Task<ProsodyLauncher> StartAsync(string prosody, IReadOnlyDictionary<string, string> users, string componentDomain, bool nagle, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"harness-bench-prosody-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var launcher = new ProsodyLauncher(directory, componentDomain, "s3cret-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), nagle);
        launcher.WatchSignals();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                launcher.C2sPort = FreePort();
                launcher.ComponentPort = FreePort();
                await launcher.WriteConfigurationAsync();
                foreach (var (user, password) in users)
                {
                    await launcher.RegisterAsync(user, password, cancellationToken);
                }

                if (await launcher.TryStartAsync(prosody, cancellationToken) || attempt == 3)
                {
                    break;
                }
            }

            return launcher._process is null ? throw new InvalidOperationException("Prosody did not start:\n" + launcher.Log) : launcher;
        }
        catch
        {
            await launcher.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        StopWatchingSignals();
        await StopProcessAsync();
        DeleteDirectory();
    }

    // SIGINT (Ctrl-C), SIGTERM, SIGHUP and an exit without Dispose still stop Prosody and delete the folder; the
    // signal then takes its default course.
    private void WatchSignals()
    {
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, _ => KillAndDelete()));
        }
    }

    private void StopWatchingSignals()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }

        _signals.Clear();
    }

    private void OnExit(object? sender, EventArgs e) => KillAndDelete();

    // Last resort: synchronous by necessity.
    private void KillAndDelete()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill(_process);
        DeleteDirectory();
    }

    private async Task StopProcessAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        Kill(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The kill was sent; nothing more to do.
        }

        process.Dispose();
    }

    private static void Kill(Process? process)
    {
        try
        {
            if (process is not null && !process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void DeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Could not delete {Directory}: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.Error.WriteLine($"Could not delete {Directory}: {ex.Message}");
        }
    }

    private async Task RegisterAsync(string user, string password, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("prosodyctl", ["--config", ConfigPath, "register", user, Domain, password])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("prosodyctl did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw new InvalidOperationException($"prosodyctl register {user} did not finish within 30 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"prosodyctl register {user} failed (exit {process.ExitCode}): {await output} {await error}");
        }
    }

    private async Task<bool> TryStartAsync(string prosody, CancellationToken cancellationToken)
    {
        var c2s = $"Activated service 'c2s' on [127.0.0.1]:{C2sPort}";
        var component = $"Activated service 'component' on [127.0.0.1]:{ComponentPort}";
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                // Bounded: the benchmark logs at info level, yet a long run must not grow without limit.
                if (_log.Length < 1_000_000)
                {
                    _log.AppendLine(line);
                }
            }

            if (line.Contains(c2s, StringComparison.Ordinal) || line.Contains(component, StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref seen) == 2)
                {
                    ready.TrySetResult();
                }
            }
        }

        var info = new ProcessStartInfo(prosody, ["--config", ConfigPath, "-F"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync(cancellationToken);
        var finished = await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout, cancellationToken));
        if (finished == ready.Task)
        {
            return true;
        }

        await StopProcessAsync();
        var log = Log;
        if (!log.Contains("Failed to open server port", StringComparison.Ordinal) && !log.Contains("Address already in use", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Prosody did not start:\n" + log);
        }

        return false;
    }

    private async Task WriteConfigurationAsync()
    {
        var data = Path.Combine(Directory, "data");
        System.IO.Directory.CreateDirectory(data);
        static string Lua(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var config = new StringBuilder()
            .AppendLine("-- Written by Harness.Benchmarks ProsodyLauncher; everything stays in this folder and on loopback.")
            .AppendLine("run_as_root = true")
            .AppendLine("daemonize = false")
            .AppendLine(CultureInfo.InvariantCulture, $"pidfile = {Lua(Path.Combine(Directory, "prosody.pid"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"data_path = {Lua(data)}")
            .AppendLine("log = { { levels = { min = \"info\" }, to = \"console\" } }")
            .AppendLine("interfaces = { \"127.0.0.1\" }")
            .AppendLine("local_interfaces = { \"127.0.0.1\" }")
            .AppendLine(CultureInfo.InvariantCulture, $"c2s_ports = {{ {C2sPort} }}")
            .AppendLine("c2s_direct_tls_ports = { }")
            .AppendLine("legacy_ssl_ports = { }")
            .AppendLine(CultureInfo.InvariantCulture, $"component_ports = {{ {ComponentPort} }}")
            .AppendLine("component_interfaces = { \"127.0.0.1\" }")
            .AppendLine("s2s_ports = { }")
            .AppendLine("http_ports = { }")
            .AppendLine("https_ports = { }")
            .AppendLine("c2s_require_encryption = false")
            .AppendLine("s2s_require_encryption = false")
            .AppendLine("allow_unencrypted_plain_auth = true")
            .AppendLine("allow_registration = false")
            .AppendLine("authentication = \"internal_hashed\"")
            .AppendLine("storage = \"internal\"")
            .AppendLine("plugin_paths = { }")
            .AppendLine("modules_enabled = { \"roster\", \"saslauth\", \"disco\", \"ping\", \"posix\" }")
            .AppendLine("modules_disabled = { \"s2s\", \"tls\" }")
            .AppendLine(Nagle ? "-- network_settings: Prosody's defaults (Nagle on)" : "network_settings = { nagle = false }")
            .AppendLine(CultureInfo.InvariantCulture, $"VirtualHost {Lua(Domain)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Component {Lua(ComponentDomain)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    component_secret = {Lua(ComponentSecret)}")
            .AppendLine("    name = \"Harness disco component\"");
        await File.WriteAllTextAsync(ConfigPath, config.ToString());
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
