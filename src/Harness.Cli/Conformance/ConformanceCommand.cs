using System.CommandLine;
using System.Globalization;
using System.Net;
using Harness.Capture;
using Harness.Cli.Common;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Replay;
using Harness.Conformance.Reports;
using Harness.Conformance.Dpws;
using Harness.Conformance.Ssdp;
using Harness.Conformance.Wsd;
using Harness.Conformance.Xmpp;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.Simulators.Fleet;
using Harness.Simulators.Quirks;
using Harness.Simulators.Upnp;
using Harness.Ssdp.Engine;
using Harness.WsDiscovery.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Conformance;

/// <summary><c>harness conformance run</c>: the main job.</summary>
internal static class ConformanceCommand
{
    public static Command Create()
    {
        var target = new Option<string?>("--target") { Description = "A real device: its address (IP or IP:port) or its endpoint reference (urn:uuid:...)" };
        var iface = new Option<string?>("--interface", "-i") { Description = "Interface to use (default: lo; required with --target on a real network)" };
        var pcap = new Option<FileInfo?>("--pcap") { Description = "Judge a capture (pcap or pcapng): passive rules over its traffic" };
        var replay = new Option<FileInfo?>("--replay") { Description = "Send a capture's requests to --target and compare the answers with the recorded ones" };
        var fleet = new Option<FileInfo?>("--fleet") { Description = "A fleet file of simulated devices (default: the built-in well-behaved fleet)" };
        var rules = new Option<string?>("--rules") { Description = "Rules to run: comma-separated globs, '!' excludes (e.g. 'WSD-PRB-*,!WSD-PRB-013')" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Report folder (default: reports/<time>)" };
        var discovery = new Option<double>("--discovery-time") { Description = "Seconds to listen for devices after the Probe", DefaultValueFactory = _ => 1.5 };
        var multicastPort = CommonOptions.MulticastPort();
        var ssdpPort = new Option<int>("--ssdp-port") { Description = "The SSDP port of the UPnP devices (1900; another port isolates a run)", DefaultValueFactory = _ => 1900 };
        var xmppServer = new Option<string?>("--xmpp-server") { Description = "Judge the XMPP entities behind this server (host:port), e.g. a Prosody; alone it judges only XMPP" };
        var jids = new Option<string[]>("--jid") { Description = "An XMPP entity to judge (repeatable); the server's domain and its disco#items are judged too", AllowMultipleArgumentsPerToken = true };
        var xmppUser = new Option<string?>("--xmpp-user") { Description = "The judge's account on --xmpp-server (user or user@domain)" };
        var xmppPassword = new Option<string?>("--xmpp-password") { Description = "The judge's password (or the environment variable HARNESS_XMPP_PASSWORD)" };
        var logLevel = CommonOptions.LogLevel();
        var run = new Command("run", "Run the conformance rules against the simulated fleet, a real device or a capture, and write the report")
        {
            target, iface, pcap, replay, fleet, rules, output, discovery, multicastPort, ssdpPort, xmppServer, jids, xmppUser, xmppPassword, logLevel,
        };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var options = new JobOptions(
                parse.GetValue(target),
                parse.GetValue(iface),
                parse.GetValue(pcap),
                parse.GetValue(replay),
                parse.GetValue(fleet),
                parse.GetValue(rules),
                parse.GetValue(output),
                TimeSpan.FromSeconds(parse.GetValue(discovery)),
                parse.GetValue(multicastPort),
                parse.GetValue(ssdpPort),
                parse.GetValue(xmppServer),
                parse.GetValue(jids) ?? [],
                parse.GetValue(xmppUser),
                parse.GetValue(xmppPassword) ?? Environment.GetEnvironmentVariable("HARNESS_XMPP_PASSWORD"),
                parse.GetValue(logLevel));
            if (options.Validate() is { } usage)
            {
                Console.Error.WriteLine("harness conformance run: " + usage);
                return 2;
            }

            using var loggers = CliLogging.Create(options.LogLevel);
            return await new ConformanceJob(options, loggers, ProgressPrinter.ForConsole()).RunAsync(cancellationToken);
        });
        return new Command("conformance", "Judge devices against the specifications") { run };
    }
}

/// <summary>What the main job was asked to do.</summary>
internal sealed record JobOptions(
    string? Target,
    string? Interface,
    FileInfo? Pcap,
    FileInfo? Replay,
    FileInfo? Fleet,
    string? Rules,
    DirectoryInfo? Out,
    TimeSpan DiscoveryTime,
    int MulticastPort,
    int SsdpPort,
    string? XmppServer,
    IReadOnlyList<string> Jids,
    string? XmppUser,
    string? XmppPassword,
    string? LogLevel)
{
    /// <summary>True when only XMPP is judged: an XMPP server named without a device address or a fleet.</summary>
    public bool XmppOnly => XmppServer is not null && Target is null && Fleet is null;

    /// <summary>A usage problem in a sentence, or null.</summary>
    public string? Validate()
    {
        if (Pcap is not null && (Target is not null || Fleet is not null || Replay is not null))
        {
            return "--pcap judges a capture alone; it does not go with --target, --fleet or --replay.";
        }

        if (Replay is not null && Target is null)
        {
            return "--replay needs --target (the device to send the capture's requests to).";
        }

        if (XmppServer is not null && (XmppUser is null || XmppPassword is null))
        {
            return "--xmpp-server needs the judge's account: --xmpp-user and --xmpp-password (or HARNESS_XMPP_PASSWORD).";
        }

        if (XmppServer is not null && Pcap is not null)
        {
            return "--xmpp-server judges a live server; it does not go with --pcap.";
        }

        if (Jids.Count > 0 && XmppServer is null)
        {
            return "--jid needs --xmpp-server (the server the judge logs in to).";
        }

        if (XmppServer is not null)
        {
            try
            {
                XmppSuiteOptions.ParseServer(XmppServer);
            }
            catch (FormatException ex)
            {
                return "--xmpp-server: " + ex.Message;
            }
        }

        if (Target is not null && Fleet is not null)
        {
            return "--target (a real device) and --fleet (simulated devices) exclude each other.";
        }

        if (Pcap is { Exists: false })
        {
            return $"the capture '{Pcap.FullName}' does not exist.";
        }

        if (Replay is { Exists: false })
        {
            return $"the capture '{Replay.FullName}' does not exist.";
        }

        if (Fleet is { Exists: false })
        {
            return $"the fleet file '{Fleet.FullName}' does not exist.";
        }

        if (DiscoveryTime <= TimeSpan.Zero || DiscoveryTime > TimeSpan.FromMinutes(2))
        {
            return "--discovery-time must be between 0 and 120 seconds.";
        }

        return null;
    }
}

/// <summary>
/// The main job: starts the fleet (or reaches a real device, or reads a capture), discovers, runs every applicable
/// rule, writes index.html, results.json, junit.xml and session.pcapng, prints the summary. Exit code: 0 when no
/// MUST fails, 1 when one does or a check could not judge, 2 on a usage error.
/// </summary>
internal sealed class ConformanceJob(JobOptions options, ILoggerFactory loggers, ProgressPrinter progress)
{
    private TrafficRecorder? _recorder;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        RuleFilter filter;
        try
        {
            filter = options.Rules is null ? RuleFilter.All : RuleFilter.Parse(options.Rules);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine("harness conformance run: --rules: " + ex.Message);
            return 2;
        }

        List<TrafficRecord>? replayed = null;
        if (options.Replay is { } replayFile)
        {
            replayed = ReadCapture(replayFile);
        }

        var catalogue = replayed is null ? ProtocolSuites.Catalogue() : new RuleCatalogue([ReplayRule(replayed)]);
        if (catalogue.UnmatchedPatterns(filter) is { Count: > 0 } unmatched)
        {
            Console.Error.WriteLine($"harness conformance run: --rules: no rule matches {string.Join(", ", unmatched)}.");
            return 2;
        }

        var outDir = options.Out?.FullName
            ?? Path.Combine(Environment.CurrentDirectory, "reports", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outDir);
        var run = new ConformanceRun { Filter = filter, Summarizer = ProtocolSuites.Summarize };
        var runner = new Runner(catalogue, TimeProvider.System, loggers.CreateLogger<Runner>());

        RunResult result;
        if (options.Pcap is { } capture)
        {
            result = await JudgeCaptureAsync(capture, runner, run, cancellationToken);
        }
        else
        {
            result = await JudgeLiveAsync(runner, run, cancellationToken);
        }

        await ReportFiles.WriteAllAsync(result, outDir, cancellationToken);
        var pcapng = Path.Combine(outDir, "session.pcapng");
        PcapNgWriter.WriteFile(pcapng, result.Timeline.Select(t => t.Record));
        new ConsoleSummaryWriter().Write(result, Console.Out, Path.Combine(outDir, ReportFiles.Html));
        Console.Out.WriteLine($"Report: {outDir}{Path.DirectorySeparatorChar} (index.html, results.json, junit.xml, session.pcapng)");
        return result.ExitCode;
    }

    // Discovery records kept from one capture: memory stays bounded however large the file (a 1 GB capture of video
    // streams keeps only its few discovery datagrams).
    private const int MaxCaptureRecords = 200_000;

    private List<TrafficRecord> ReadCapture(FileInfo capture)
    {
        progress.Say($"reading {capture.FullName}");
        using var file = CaptureFile.Open(capture.FullName);
        var records = new List<TrafficRecord>();
        long seen = 0, other = 0, over = 0;
        var http = new HttpFlows();
        foreach (var record in file.Records())
        {
            seen++;
            if (record.Protocol is null && !http.Keep(record))
            {
                other++;
            }
            else if (records.Count < MaxCaptureRecords)
            {
                records.Add(record);
            }
            else
            {
                over++;
            }
        }

        var diagnostics = file.Diagnostics;
        progress.Say($"capture: {seen} messages, {records.Count} of a discovery protocol ({string.Join(", ", records.GroupBy(r => r.Protocol ?? "http").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))}), {other} other traffic skipped"
            + (over > 0 ? $"; only the first {MaxCaptureRecords} discovery messages are judged ({over} more not kept)" : string.Empty)
            + (diagnostics.IsComplete ? string.Empty : "; the capture is incomplete, judging what was read: " + string.Join("; ", diagnostics.Issues.Take(3).Select(i => i.Message))));
        return records;
    }

    /// <summary>
    /// The unlabelled TCP segments of a capture worth keeping: HTTP exchanges that carry SOAP (DPWS services) or start with
    /// a GET (UPnP descriptions), at most 2 MiB per connection and 20,000 connections, so a capture of video streams
    /// keeps a bounded amount.
    /// </summary>
    private sealed class HttpFlows
    {
        private const long MaxBytesPerFlow = 2 << 20;
        private const int MaxFlows = 20_000;
        private readonly Dictionary<(IPEndPoint, IPEndPoint), long> _flows = [];

        public bool Keep(TrafficRecord record)
        {
            if (record.Transport is not (TrafficTransport.Tcp or TrafficTransport.Http))
            {
                return false;
            }

            var key = Order(record.Source, record.Destination);
            if (_flows.TryGetValue(key, out var bytes))
            {
                if (bytes > MaxBytesPerFlow)
                {
                    return false;
                }

                _flows[key] = bytes + record.Payload.Length;
                return true;
            }

            if (_flows.Count >= MaxFlows || !StartsHttpRequest(record.Payload.Span))
            {
                return false;
            }

            _flows[key] = record.Payload.Length;
            return true;
        }

        private static bool StartsHttpRequest(ReadOnlySpan<byte> payload)
        {
            if (payload.StartsWith("GET "u8))
            {
                return true;
            }

            if (!payload.StartsWith("POST "u8))
            {
                return false;
            }

            var head = payload[..Math.Min(payload.Length, 4096)];
            return System.Text.Encoding.ASCII.GetString(head).Contains("soap", StringComparison.OrdinalIgnoreCase);
        }

        private static (IPEndPoint, IPEndPoint) Order(IPEndPoint a, IPEndPoint b) =>
            string.CompareOrdinal(a.ToString(), b.ToString()) <= 0 ? (a, b) : (b, a);
    }

    // --replay: one active rule that sends the capture's requests to the device and compares the answers.
    private Rule ReplayRule(IReadOnlyList<TrafficRecord> captured)
    {
        var info = ReplayReport.Rule;
        return new Rule
        {
            Id = info.Id,
            Title = info.Title,
            Citation = info.Citation,
            Level = info.Level,
            Protocol = info.Protocol,
            Roles = info.Roles,
            Description = info.Description,
            ActiveCheck = async (context, cancellationToken) =>
            {
                var endPoint = WsdDevices.UnicastEndPoint(context.Device) ?? context.Device.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException($"{context.Device.Label} has no unicast address to replay to.");
                await using var transport = UdpDatagramTransport.Bind(
                    new UdpTransportOptions { LocalEndPoint = new IPEndPoint(endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), Interface = options.Interface ?? "lo" });
                var replay = new ActiveReplay(transport, _recorder!, new ActiveReplayOptions { XAddrHosts = XAddrHostComparison.IgnoreWhenTargetMoved, RecordedEndpoint = context.Device.EndpointReference }, TimeProvider.System, loggers.CreateLogger<ActiveReplay>());
                var report = await replay.RunAsync(captured, endPoint, cancellationToken);
                progress.Say(report.Describe());
                return report.ToFindings(context.Device.Id);
            },
        };
    }

    private async Task<RunResult> JudgeCaptureAsync(FileInfo capture, Runner runner, ConformanceRun run, CancellationToken cancellationToken)
    {
        var records = ReadCapture(capture);
        var devices = ProtocolSuites.FindDevices(records);
        progress.Say($"devices found: {devices.Count}");
        var session = new ObservedSession(records, devices, "capture: " + capture.Name);
        return await runner.RunAsync(run with { TargetDescription = "capture " + capture.Name }, session, null, progress, cancellationToken);
    }

    private async Task<RunResult> JudgeLiveAsync(Runner runner, ConformanceRun run, CancellationToken cancellationToken)
    {
        var recorder = _recorder = new TrafficRecorder();
        var interfaceName = options.Interface ?? "lo";
        RunningFleet? fleet = null;
        var suites = new List<IConformanceSuite>();
        try
        {
            FleetFile? fleetFile = null;
            if (options.Target is null && !options.XmppOnly)
            {
                fleetFile = options.Fleet is { } path
                    ? FleetFile.Load(path.FullName)
                    : FleetFile.Default with { MulticastPort = options.MulticastPort, SsdpPort = options.SsdpPort };
                interfaceName = options.Interface ?? fleetFile.Interface;
                fleetFile = fleetFile with { Interface = interfaceName };
            }

            // Every suite listens (and records) before the fleet starts, so Hellos and alive sets are seen.
            var port = fleetFile?.MulticastPort ?? options.MulticastPort;
            var ssdpPort = fleetFile?.SsdpPort ?? options.SsdpPort;
            WsdSuite? wsd = null;
            DpwsSuite? dpws = null;
            SsdpSuite? ssdp = null;
            if (!options.XmppOnly)
            {
                wsd = await WsdSuite.StartAsync(
                    recorder,
                    new WsdSuiteOptions
                    {
                        Interface = interfaceName,
                        MulticastEndPoints = [new IPEndPoint(WsdMulticast.IPv4Group, port)],
                        LoggerFactory = loggers,
                        Restart = fleetFile is null ? null : (device, ct) => Restart(fleet, device, ct),
                    },
                    cancellationToken);
                suites.Add(wsd);
                dpws = await DpwsSuite.StartAsync(
                    recorder,
                    new DpwsSuiteOptions
                    {
                        Interface = interfaceName,
                        MulticastEndPoints = [new IPEndPoint(WsdMulticast.IPv4Group, port)],
                        ProvokeOnDiscover = false,
                        LoggerFactory = loggers,
                    },
                    cancellationToken);
                suites.Add(dpws);
                ssdp = await SsdpSuite.StartAsync(
                    recorder,
                    new SsdpSuiteOptions
                    {
                        Interface = interfaceName,
                        MulticastEndPoints = [new IPEndPoint(SsdpMulticast.IPv4Group, ssdpPort)],
                        Restart = fleetFile is null ? null : (device, ct) => Restart(fleet, device, ct),
                        ChangeConfiguration = fleetFile is null ? null : (device, ct) => ChangeConfiguration(fleet, device, ct),
                        LoggerFactory = loggers,
                    },
                    cancellationToken);
                suites.Add(ssdp);
            }

            if (fleetFile is not null)
            {
                fleet = await RunningFleet.StartAsync(
                    fleetFile,
                    new FleetStartOptions
                    {
                        LoggerFactory = loggers,
                        // A fixed 100 ms (inside APP_MAX_DELAY) rather than a random wait up to 500 ms: on a loaded host the
                        // scheduler's lateness adds to the wait, and a correct simulated device must not fail WSD-PRB-013.
                        AnswerDelay = TimeSpan.FromMilliseconds(100),
                        ApplyQuirk = Quirks.Apply,
                        ApplyScannerQuirk = DpwsQuirkProfiles.Apply,
                        ApplyPrinterQuirk = DpwsQuirkProfiles.Apply,
                    },
                    cancellationToken);
                progress.Say($"fleet: {fleet.Devices.Count} simulated device(s) on {interfaceName}: {string.Join(", ", fleet.Devices.Select(d => $"{d.Identity.Name} ({d.Kind})" + (d.Quirk is null ? string.Empty : $" [{d.Quirk}]")))}");
            }

            var xmpp = await StartXmppAsync(recorder, fleet, cancellationToken);
            if (xmpp is not null)
            {
                suites.Add(xmpp);
            }

            // Discovery of every protocol at once; SSDP waits at least its search's MX.
            var ssdpWindow = options.DiscoveryTime < TimeSpan.FromSeconds(2.5) ? TimeSpan.FromSeconds(2.5) : options.DiscoveryTime;
            var discovering = suites.Where(s => s != dpws).ToList();
            var found = await Task.WhenAll(discovering.Select(s => s.DiscoverAsync(s == ssdp ? ssdpWindow : options.DiscoveryTime, cancellationToken)));
            var wsdDevices = wsd is null ? [] : found[discovering.IndexOf(wsd)];
            var dpwsDevices = dpws is null ? [] : await dpws.NameAsync(DpwsSuite.DevicesFrom(wsdDevices), cancellationToken);

            // A scanner's or printer's WS-Discovery device takes the friendly name its DPWS metadata gave.
            var names = dpwsDevices.Where(d => d.DisplayName is not null && d.EndpointReference is not null)
                .GroupBy(d => d.EndpointReference!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().DisplayName!, StringComparer.OrdinalIgnoreCase);
            IReadOnlyList<Device> devices =
            [
                .. found.SelectMany(f => f).Select(d => d.Protocol == Protocols.Wsd && d.DisplayName is null && d.EndpointReference is { } epr && names.TryGetValue(epr, out var name) ? d with { DisplayName = name } : d),
                .. dpwsDevices,
            ];
            devices = Select(devices);
            if (devices.Count == 0 && options.Target is { } address && IPEndPoint.TryParse(address, out var silent))
            {
                // A device that does not answer a wildcard Probe is still judged at the address the user named.
                var endPoint = silent.Port == 0 ? new IPEndPoint(silent.Address, port) : silent;
                devices = [new Device(address, Protocols.Wsd, [DeviceRole.TargetService]) { DisplayName = address, Addresses = [endPoint] }];
                progress.Say($"no answer to the discovery probe from {address}; judging it at {endPoint}");
            }

            progress.Say($"devices found: {devices.Count} ({string.Join(", ", devices.GroupBy(d => d.Protocol).Select(g => $"{g.Count()} {g.Key}"))})");
            if (fleet is not null)
            {
                var missing = fleet.Devices.Where(d => !devices.Any(found => Same(found, d))).ToList();
                if (missing.Count > 0)
                {
                    progress.Say($"warning: {missing.Count} simulated device(s) were not discovered: {string.Join(", ", missing.Select(d => d.Identity.Name))}");
                }
            }

            var session = ObservedSession.Live(recorder, devices, fleetFile is null ? "live: " + (options.Target ?? options.XmppServer) : "live: simulated fleet");

            // Each protocol's stimuli run once per device, all protocols at once; the rules then judge what was recorded.
            progress.Say("provoking: every device's active exchanges");
            await Task.WhenAll(
                wsd?.ProvokeAsync(session, cancellationToken) ?? Task.CompletedTask,
                dpws?.ProvokeAsync(devices.Where(d => d.Protocol == Protocols.Dpws), cancellationToken) ?? Task.CompletedTask,
                ssdp?.ProvokeAsync(session, cancellationToken) ?? Task.CompletedTask,
                xmpp?.ProvokeAsync(session, cancellationToken) ?? Task.CompletedTask);

            var description = fleetFile is null
                ? (options.XmppOnly ? $"XMPP server {options.XmppServer}" : $"{options.Target} on {interfaceName}")
                : $"simulated fleet ({fleet!.Devices.Count} devices) on {interfaceName}";
            var targets = suites.ToDictionary(s => s.Protocol, s => s.Target, StringComparer.Ordinal);
            return await runner.RunWithTargetsAsync(run with { TargetDescription = description }, session, d => targets.GetValueOrDefault(d.Protocol), progress, cancellationToken);
        }
        finally
        {
            for (var i = suites.Count - 1; i >= 0; i--)
            {
                await suites[i].DisposeAsync();
            }

            if (fleet is not null)
            {
                await fleet.DisposeAsync();
            }
        }
    }

    // The XMPP suite: against the fleet's in-process server (a judge account of its own), or against --xmpp-server.
    private async Task<XmppSuite?> StartXmppAsync(TrafficRecorder recorder, RunningFleet? fleet, CancellationToken cancellationToken)
    {
        XmppSuiteOptions suiteOptions;
        if (options.XmppServer is { } server)
        {
            var (host, port) = XmppSuiteOptions.ParseServer(server);
            var user = options.XmppUser!;
            var at = user.IndexOf('@', StringComparison.Ordinal);
            suiteOptions = new XmppSuiteOptions
            {
                Host = host,
                Port = port,
                Domain = at > 0 ? user[(at + 1)..] : host,
                User = at > 0 ? user[..at] : user,
                Password = options.XmppPassword!,
                Jids = options.Jids,
                LoggerFactory = loggers,
            };
        }
        else if (fleet?.Xmpp is { } xmppFleet)
        {
            var (user, password) = xmppFleet.AddJudgeAccount("judge");
            suiteOptions = new XmppSuiteOptions
            {
                Host = xmppFleet.ClientEndPoint.Address.ToString(),
                Port = xmppFleet.ClientEndPoint.Port,
                Domain = xmppFleet.Domain,
                User = user,
                Password = password,
                AllowPlainWithoutTls = true,
                ChangeFeatures = async (jid, ct) =>
                {
                    var entity = xmppFleet.Entities.FirstOrDefault(e => string.Equals(e.Jid.ToString(), jid, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Jid.Bare.ToString(), jid, StringComparison.OrdinalIgnoreCase));
                    if (entity is null)
                    {
                        return false;
                    }

                    await entity.ChangeFeaturesAsync(ct);
                    return true;
                },
                LoggerFactory = loggers,
            };
        }
        else
        {
            return null;
        }

        return await XmppSuite.StartAsync(recorder, suiteOptions, cancellationToken);
    }

    // True when the discovered device is this simulated one (by endpoint reference, UDN or JID).
    private static bool Same(Device found, SimulatedDevice simulated)
    {
        static string Bare(string id) => id.StartsWith("dpws:", StringComparison.Ordinal) ? id[5..] : id;
        var canonical = RunningFleet.Canonical(simulated.EndpointAddress);
        return string.Equals(RunningFleet.Canonical(Bare(found.EndpointReference ?? found.Id)), canonical, StringComparison.OrdinalIgnoreCase)
            || string.Equals(RunningFleet.Canonical(Bare(found.Id)), canonical, StringComparison.OrdinalIgnoreCase);
    }

    // With --target only the named device is judged (by address or endpoint reference).
    private IReadOnlyList<Device> Select(IReadOnlyList<Device> devices)
    {
        if (options.Target is not { } wanted)
        {
            return devices;
        }

        if (wanted.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || wanted.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase))
        {
            return [.. devices.Where(d => string.Equals(d.EndpointReference ?? d.Id, wanted, StringComparison.OrdinalIgnoreCase))];
        }

        var endPoint = IPEndPoint.TryParse(wanted, out var parsed) ? parsed : throw new ArgumentException($"--target '{wanted}' is neither an address nor an endpoint reference.");
        return [.. devices.Where(d => d.Addresses.Any(a => a.Address.Equals(endPoint.Address) && (endPoint.Port == 0 || a.Port == endPoint.Port)))];
    }

    private static async ValueTask Restart(RunningFleet? fleet, Device device, CancellationToken cancellationToken)
    {
        var simulated = fleet?.Find(device.EndpointReference ?? device.Id)
            ?? throw new InvalidOperationException($"{device.Label} is not a simulated device of this fleet.");
        await simulated.RestartAsync(cancellationToken);
    }

    private static async ValueTask ChangeConfiguration(RunningFleet? fleet, Device device, CancellationToken cancellationToken)
    {
        var simulated = fleet?.Find(device.EndpointReference ?? device.Id)
            ?? throw new InvalidOperationException($"{device.Label} is not a simulated device of this fleet.");
        var upnp = simulated.Instance as FakeUpnpDevice
            ?? throw new InvalidOperationException($"{device.Label} is not a simulated UPnP device.");
        await upnp.ChangeConfigurationAsync(cancellationToken);
    }
}
