using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>How <see cref="MiniDlnaPeer.StartAsync"/> configures minidlna.</summary>
internal sealed record MiniDlnaOptions
{
    /// <summary>friendly_name.</summary>
    public string FriendlyName { get; init; } = "Harness MiniDLNA";

    /// <summary>notify_interval in seconds; minidlna advertises max-age = 2 × this + 10 (observed: 30 gives 70).</summary>
    public int NotifyInterval { get; init; } = 30;

    /// <summary>uuid (the UDN without <c>uuid:</c>); null for a fresh one.</summary>
    public Guid? Uuid { get; init; }
}

/// <summary>
/// Debian's minidlna (<c>/usr/sbin/minidlnad</c>, a DLNA media server) running in a <see cref="LoopbackNamespace"/> of
/// its own, in the foreground with its own configuration: a temporary media folder with one small file, database and
/// log in temporary folders, a free HTTP port, <c>network_interface=lo</c>. minidlna sends on every interface it is
/// given, so it never runs in the host's namespace. The harness reaches it with <see cref="RunHarnessAsync"/> (our CLI
/// inside the same namespace) at <see cref="Location"/>.
/// </summary>
/// <remarks>
/// Reusable: a conformance test starts one with <c>await using var dlna = await MiniDlnaPeer.StartAsync();</c> and runs
/// <c>dlna.RunHarnessAsync(timeout, "conformance", …, "--interface", "lo")</c>. Skips (or fails under
/// HARNESS_REQUIRE_PEERS=1) without minidlna, root or iproute2.
/// </remarks>
internal sealed class MiniDlnaPeer : IAsyncDisposable
{
    /// <summary>Where minidlnad is installed by Debian's minidlna package.</summary>
    public const string Executable = "minidlnad";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private MiniDlnaPeer(LoopbackNamespace ns, RunningProcess process, string folder, int httpPort, MiniDlnaOptions options, Guid uuid)
    {
        Namespace = ns;
        Process = process;
        Folder = folder;
        HttpPort = httpPort;
        Options = options;
        Uuid = uuid;
    }

    /// <summary>The namespace minidlna runs in (run the harness there too).</summary>
    public LoopbackNamespace Namespace { get; }

    /// <summary>The minidlnad process (its output is the debug log).</summary>
    public RunningProcess Process { get; }

    /// <summary>The temporary folder with the configuration, media, database and log.</summary>
    public string Folder { get; }

    /// <summary>The options it was started with.</summary>
    public MiniDlnaOptions Options { get; }

    /// <summary>Its address inside the namespace.</summary>
    public IPAddress Address => IPAddress.Loopback;

    /// <summary>Its HTTP port (description, SCPDs, media).</summary>
    public int HttpPort { get; }

    /// <summary>The UUID configured; the UDN is <c>uuid:</c> plus this.</summary>
    public Guid Uuid { get; }

    /// <summary>The root device's UDN.</summary>
    public string Udn => "uuid:" + Uuid.ToString("D");

    /// <summary>Its LOCATION, the root description (minidlna serves it at /rootDesc.xml).</summary>
    public Uri Location => new(string.Create(CultureInfo.InvariantCulture, $"http://{Address}:{HttpPort}/rootDesc.xml"));

    /// <summary>Starts minidlna in a new namespace and waits until its HTTP server and SSDP are up.</summary>
    public static async Task<MiniDlnaPeer> StartAsync(MiniDlnaOptions? options = null)
    {
        options ??= new MiniDlnaOptions();
        var executable = Peers.Require(Executable, "minidlna");
        var ns = await LoopbackNamespace.CreateAsync("hdlna");
        var folder = Path.Combine(Path.GetTempPath(), $"harness-minidlna-{Guid.NewGuid():N}");
        RunningProcess? process = null;
        try
        {
            foreach (var sub in new[] { "media", "db", "log" })
            {
                Directory.CreateDirectory(Path.Combine(folder, sub));
            }

            // A small MPEG audio file (an ID3v2 header and one silent MPEG-1 Layer III frame) for the media folder.
            var frame = new byte[417];
            frame[0] = 0xFF;
            frame[1] = 0xFB;
            frame[2] = 0x90;
            frame[3] = 0x64;
            await File.WriteAllBytesAsync(Path.Combine(folder, "media", "harness.mp3"), [.. "ID3"u8.ToArray(), 3, 0, 0, 0, 0, 0, 0, .. frame, .. frame]);
            var uuid = options.Uuid ?? Guid.NewGuid();
            var port = FreeTcpPort();
            var config = Path.Combine(folder, "minidlna.conf");
            await File.WriteAllLinesAsync(config,
            [
                "media_dir=" + Path.Combine(folder, "media"),
                "db_dir=" + Path.Combine(folder, "db"),
                "log_dir=" + Path.Combine(folder, "log"),
                "port=" + port.ToString(CultureInfo.InvariantCulture),
                "network_interface=lo",
                "friendly_name=" + options.FriendlyName,
                "notify_interval=" + options.NotifyInterval.ToString(CultureInfo.InvariantCulture),
                "uuid=" + uuid.ToString("D"),
                "inotify=no",
            ]);

            // -d: debug mode, in the foreground with the log on standard output; -P: a pid file of its own.
            process = ns.Start(executable, "-d", "-f", config, "-P", Path.Combine(folder, "minidlna.pid"));
            if (!await process.WaitForOutputAsync("HTTP listening on port", StartTimeout))
            {
                throw new InvalidOperationException("minidlna did not start:\n" + process.StandardOutput + process.StandardError);
            }

            return new MiniDlnaPeer(ns, process, folder, port, options, uuid);
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }

            await ns.DisposeAsync();
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>Runs <c>harness</c> inside minidlna's namespace.</summary>
    public Task<ProcessResult> RunHarnessAsync(TimeSpan timeout, params string[] arguments) => Namespace.RunHarnessAsync(timeout, arguments);

    public async ValueTask DisposeAsync()
    {
        await Process.StopAsync(TimeSpan.FromSeconds(10));
        await Process.DisposeAsync();
        await Namespace.DisposeAsync();
        TryDelete(Folder);
    }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
