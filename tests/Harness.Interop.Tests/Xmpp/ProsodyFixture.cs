using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.Interop.Tests.Infrastructure;
using Harness.Xmpp.Core;

namespace Harness.Interop.Tests.Xmpp;

/// <summary>How <see cref="ProsodyFixture"/> configures its Prosody.</summary>
internal sealed record ProsodyFixtureOptions
{
    /// <summary>The accounts registered before start (user, password).</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>
    {
        ["alice"] = "alice-pw",
        ["bob"] = "bob-pw",
    };

    /// <summary>The component's domain (its section gets a <c>name</c>, so disco to it answers even while it is offline).</summary>
    public string ComponentDomain { get; init; } = "disco.localhost";

    /// <summary>The component's secret.</summary>
    public string ComponentSecret { get; init; } = "s3cret-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Modules loaded besides the core ones (c2s, presence, iq, message are always there).</summary>
    public IReadOnlyList<string> Modules { get; init; } = ["roster", "saslauth", "disco", "ping", "posix"];

    /// <summary>Make a self-signed certificate for the domain so that STARTTLS is offered.</summary>
    public bool Tls { get; init; }

    /// <summary><c>c2s_require_encryption</c> (needs <see cref="Tls"/>).</summary>
    public bool RequireEncryption { get; init; }

    /// <summary><c>authentication</c>: <c>internal_hashed</c> (SCRAM only as stored keys) or <c>internal_plain</c>.</summary>
    public string Authentication { get; init; } = "internal_hashed";

    /// <summary>Lua lines appended to the global section (before the VirtualHost).</summary>
    public string ExtraGlobalConfig { get; init; } = string.Empty;

    /// <summary>Lua lines appended to the VirtualHost section.</summary>
    public string ExtraHostConfig { get; init; } = string.Empty;
}

/// <summary>
/// Debian's Prosody (0.12) started in the foreground with its own configuration, data and certificates in a temporary
/// folder, on free loopback ports only (c2s and component; no s2s, no HTTP): one <c>VirtualHost "localhost"</c>, one
/// <c>Component</c> with a secret, accounts registered with <c>prosodyctl register</c> before start. Skips the test
/// when prosody is missing (fails under HARNESS_REQUIRE_PEERS=1). Dispose kills the process and deletes the folder.
/// </summary>
internal sealed class ProsodyFixture : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private RunningProcess? _process;

    private ProsodyFixture(ProsodyFixtureOptions options, string directory)
    {
        Options = options;
        Directory = directory;
    }

    public ProsodyFixtureOptions Options { get; }

    /// <summary>The temporary folder holding the configuration, data, certificates and pid file.</summary>
    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "prosody.cfg.lua");

    public string Domain => "localhost";

    public string ComponentDomain => Options.ComponentDomain;

    public string ComponentSecret => Options.ComponentSecret;

    public int C2sPort { get; private set; }

    public int ComponentPort { get; private set; }

    /// <summary>What Prosody has logged so far (console log, debug level).</summary>
    public string Log => _process is null ? string.Empty : _process.StandardOutput + _process.StandardError;

    /// <summary>Starts Prosody; skips (or fails under HARNESS_REQUIRE_PEERS=1) when it is not installed.</summary>
    public static async Task<ProsodyFixture> StartAsync(ProsodyFixtureOptions? options = null)
    {
        var prosody = Peers.Require("prosody", "prosody");
        Peers.Require("prosodyctl", "prosody");
        options ??= new ProsodyFixtureOptions();
        var directory = Path.Combine(Path.GetTempPath(), $"harness-prosody-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var fixture = new ProsodyFixture(options, directory);
        try
        {
            // Ports are picked free and then released: another process may take one in between, so try again.
            for (var attempt = 1; ; attempt++)
            {
                fixture.C2sPort = FreePort();
                fixture.ComponentPort = FreePort();
                await fixture.WriteConfigurationAsync();
                foreach (var (user, password) in options.Users)
                {
                    await fixture.RegisterAsync(user, password);
                }

                if (await fixture.TryStartAsync(prosody) || attempt == 3)
                {
                    break;
                }
            }

            if (fixture._process is null)
            {
                throw new InvalidOperationException("Prosody did not start:\n" + fixture.Log);
            }

            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers (or re-registers) an account with <c>prosodyctl --config FILE register</c>.</summary>
    public async Task RegisterAsync(string user, string password)
    {
        var result = await RunningProcess.RunAsync("prosodyctl", ["--config", ConfigPath, "register", user, Domain, password], TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"prosodyctl register {user} failed: {result}");
        }
    }

    /// <summary>Client options for a registered account, on loopback, PLAIN allowed without TLS, a permissive certificate check.</summary>
    public XmppClientOptions ClientOptions(string user, string? resource = "harness") => new()
    {
        Domain = Domain,
        Host = "127.0.0.1",
        Port = C2sPort,
        User = user,
        Password = Options.Users.TryGetValue(user, out var password) ? password : throw new ArgumentException($"{user} is not registered.", nameof(user)),
        Resource = resource,
        AllowPlainWithoutTls = true,
        CertificateValidation = XmppClientOptions.AcceptAnyCertificate,
    };

    /// <summary>Component options for the configured component.</summary>
    public XmppComponentOptions ComponentOptions(string? secret = null) => new()
    {
        Domain = ComponentDomain,
        Host = "127.0.0.1",
        Port = ComponentPort,
        Secret = secret ?? ComponentSecret,
    };

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private async Task<bool> TryStartAsync(string prosody)
    {
        var process = RunningProcess.Start(prosody, ["--config", ConfigPath, "-F"]);
        var c2s = $"Activated service 'c2s' on [127.0.0.1]:{C2sPort}";
        var component = $"Activated service 'component' on [127.0.0.1]:{ComponentPort}";
        if (await process.WaitForOutputAsync(c2s, StartTimeout) && await process.WaitForOutputAsync(component, StartTimeout))
        {
            _process = process;
            return true;
        }

        _process = process;
        var log = Log;
        await process.DisposeAsync();
        _process = null;
        if (!log.Contains("Failed to open server port", StringComparison.Ordinal) && !log.Contains("Address already in use", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Prosody did not start:\n" + log);
        }

        return false;
    }

    private async Task WriteConfigurationAsync()
    {
        var data = Path.Combine(Directory, "data");
        var certs = Path.Combine(Directory, "certs");
        System.IO.Directory.CreateDirectory(data);
        System.IO.Directory.CreateDirectory(certs);
        if (Options.Tls && !File.Exists(Path.Combine(certs, Domain + ".crt")))
        {
            await WriteCertificateAsync(certs);
        }

        static string Lua(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var modules = string.Join(", ", Options.Modules.Concat(Options.Tls ? ["tls"] : []).Distinct().Select(Lua));
        var config = new StringBuilder()
            .AppendLine("-- Written by Harness.Interop.Tests ProsodyFixture; everything stays in this folder and on loopback.")
            .AppendLine("run_as_root = true")
            .AppendLine("daemonize = false")
            .AppendLine(CultureInfo.InvariantCulture, $"pidfile = {Lua(Path.Combine(Directory, "prosody.pid"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"data_path = {Lua(data)}")
            .AppendLine(CultureInfo.InvariantCulture, $"certificates = {Lua(certs)}")
            .AppendLine("log = { { levels = { min = \"debug\" }, to = \"console\" } }")
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
            .AppendLine(CultureInfo.InvariantCulture, $"c2s_require_encryption = {(Options.RequireEncryption ? "true" : "false")}")
            .AppendLine("s2s_require_encryption = false")
            .AppendLine("allow_unencrypted_plain_auth = true")
            .AppendLine("allow_registration = false")
            .AppendLine(CultureInfo.InvariantCulture, $"authentication = {Lua(Options.Authentication)}")
            .AppendLine("storage = \"internal\"")
            .AppendLine("plugin_paths = { }")
            .AppendLine(CultureInfo.InvariantCulture, $"modules_enabled = {{ {modules} }}")
            .AppendLine(Options.Tls ? "modules_disabled = { \"s2s\" }" : "modules_disabled = { \"s2s\", \"tls\" }")
            .AppendLine(Options.ExtraGlobalConfig)
            .AppendLine(CultureInfo.InvariantCulture, $"VirtualHost {Lua(Domain)}")
            .AppendLine(Options.ExtraHostConfig)
            .AppendLine(CultureInfo.InvariantCulture, $"Component {Lua(ComponentDomain)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    component_secret = {Lua(ComponentSecret)}")
            .AppendLine("    name = \"Harness disco component\"");
        await File.WriteAllTextAsync(ConfigPath, config.ToString());
    }

    private async Task WriteCertificateAsync(string certs)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + Domain, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Domain);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        await File.WriteAllTextAsync(Path.Combine(certs, Domain + ".crt"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(certs, Domain + ".key"), key.ExportRSAPrivateKeyPem());
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
