using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Harness.Cli.Common;
using Harness.Simulators.Fleet;
using Harness.Simulators.Printers;
using Harness.Simulators.Scanners;
using Harness.Ssdp.Engine;
using Harness.WsDiscovery.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Simulate;

/// <summary><c>harness simulate</c>: start simulated devices until stopped.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var cameras = new Option<int>("--camera") { Description = "Number of simulated ONVIF cameras", DefaultValueFactory = _ => 0 };
        var scanners = new Option<int>("--scanner") { Description = "Number of simulated WSD scanners (WS-Scan, with test-page images)", DefaultValueFactory = _ => 0 };
        var printers = new Option<int>("--printer") { Description = "Number of simulated WSD printers (WS-Print; they keep the documents they receive)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the fleet: the same seed gives the same identities", DefaultValueFactory = _ => 1 };
        var duration = new Option<double?>("--duration") { Description = "Seconds to run, then Bye (default: until Ctrl-C)" };
        var fleetFile = new Option<FileInfo?>("--fleet") { Description = "A fleet file (JSON) describing the devices" };
        var quirk = new Option<string?>("--quirk") { Description = "Run the cameras, or with a UPnP quirk the UPnP devices, or with an XMPP quirk the XMPP entities, with this quirk profile (see --list-quirks)" };
        var upnp = new Option<int>("--upnp") { Description = "Number of simulated UPnP devices (SSDP and device description)", DefaultValueFactory = _ => 0 };
        var upnpKind = new Option<string>("--upnp-kind") { Description = "Kind of the UPnP devices: " + string.Join(", ", SimulatedUpnp.Kinds.Keys), DefaultValueFactory = _ => "basic" };
        var ssdpPort = new Option<int>("--ssdp-port") { Description = "The SSDP port of the UPnP devices (1900; another port isolates a test network)", DefaultValueFactory = _ => SsdpMulticast.Port };
        var xmpp = new Option<int>("--xmpp") { Description = "Number of simulated XMPP entities (disco, caps) on an in-process XMPP server on 127.0.0.1", DefaultValueFactory = _ => 0 };
        var xmppKind = new Option<string>("--xmpp-kind") { Description = "Kind of the XMPP entities: client, pubsub, muc or component (several, comma-separated, are cycled)", DefaultValueFactory = _ => "client" };
        var xmppPort = new Option<int>("--xmpp-port") { Description = "The XMPP server's c2s port on 127.0.0.1 (0: a free one)", DefaultValueFactory = _ => 0 };
        var listQuirks = new Option<bool>("--list-quirks") { Description = "List the quirk profiles (deviations of real devices) and the rules each breaks" };
        var logLevel = CommonOptions.LogLevel();
        var iface = CommonOptions.Interface();
        var multicastPort = CommonOptions.MulticastPort();
        var command = new Command("simulate", "Start simulated devices on an interface (loopback by default)")
        {
            cameras, scanners, printers, seed, duration, fleetFile, quirk, listQuirks, logLevel, iface, multicastPort, upnp, upnpKind, ssdpPort, xmpp, xmppKind, xmppPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(listQuirks))
            {
                Console.Out.Write(Quirks.List());
                return 0;
            }

            FleetFile? fleet = null;
            var scannerCount = parse.GetValue(scanners);
            var printerCount = parse.GetValue(printers);
            var upnpCount = parse.GetValue(upnp);
            var upnpQuirk = SimulatedUpnp.IsUpnpQuirk(parse.GetValue(quirk)) ? parse.GetValue(quirk) : null;
            if (upnpCount is < 0 or > 2000 || !SimulatedUpnp.Kinds.TryGetValue(parse.GetValue(upnpKind)!, out var upnpDeviceKind))
            {
                Console.Error.WriteLine($"--upnp takes a count from 0 to 2000 and --upnp-kind one of {string.Join(", ", SimulatedUpnp.Kinds.Keys)}.");
                return 2;
            }

            if (upnpCount > 0 && parse.GetValue(quirk) is { } named && upnpQuirk is null && parse.GetValue(cameras) <= 0)
            {
                Console.Error.WriteLine($"'{named}' is not a UPnP quirk; see --list-quirks.");
                return 2;
            }

            var xmppCount = parse.GetValue(xmpp);
            var xmppQuirk = Harness.Cli.Xmpp.SimulatedXmpp.IsXmppQuirk(parse.GetValue(quirk)) ? parse.GetValue(quirk) : null;
            if (xmppCount is < 0 or > 1000 || !Harness.Cli.Xmpp.SimulatedXmpp.TryParseKinds(parse.GetValue(xmppKind), out var xmppKinds))
            {
                Console.Error.WriteLine("--xmpp takes a count from 0 to 1000 and --xmpp-kind client, pubsub, muc or component (comma-separated for a mix).");
                return 2;
            }

            if (scannerCount < 0 || printerCount < 0 || parse.GetValue(cameras) < 0 || scannerCount + printerCount > 2000)
            {
                Console.Error.WriteLine("--camera, --scanner and --printer take a count from 0 (at most 2000 scanners and printers together).");
                return 2;
            }

            if (parse.GetValue(fleetFile) is { } path)
            {
                fleet = FleetFile.Load(path.FullName);
            }
            else if (parse.GetValue(cameras) is > 0 and var count)
            {
                fleet = new FleetFile
                {
                    Seed = parse.GetValue(seed),
                    Interface = parse.GetValue(iface)!,
                    MulticastPort = parse.GetValue(multicastPort),
                    Devices = [new FleetEntry { Kind = FleetEntry.Camera, Count = count, Quirk = upnpQuirk is null && xmppQuirk is null ? parse.GetValue(quirk) : null }],
                };
                fleet.Validate("command line");
            }
            else if (scannerCount <= 0 && printerCount <= 0 && upnpCount <= 0 && xmppCount <= 0)
            {
                Console.Error.WriteLine("Nothing to simulate: give --camera N, --scanner N, --printer N, --upnp N, --xmpp N or --fleet FILE.");
                return 2;
            }

            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var progress = new StartProgress((fleet?.Devices.Sum(d => d.Count) ?? 0) + scannerCount + printerCount + upnpCount, Console.Error);
            await using var running = fleet is null ? null : await RunningFleet.StartAsync(fleet, new FleetStartOptions { LoggerFactory = loggers, ApplyQuirk = Quirks.Apply }, cancellationToken);
            progress.Advance(running?.Devices.Count ?? 0);
            var interfaceName = fleet?.Interface ?? parse.GetValue(iface)!;
            await using var simulatedScanners = await SimulatedScanners.StartAsync(
                scannerCount, printerCount, fleet?.Seed ?? parse.GetValue(seed), interfaceName, fleet?.MulticastPort ?? parse.GetValue(multicastPort), running?.Devices.Count ?? 0, loggers, progress, cancellationToken);
            await using var simulatedUpnp = await SimulatedUpnp.StartAsync(
                upnpCount, upnpDeviceKind, upnpQuirk, fleet?.Seed ?? parse.GetValue(seed), interfaceName, parse.GetValue(ssdpPort), (running?.Devices.Count ?? 0) + scannerCount + printerCount, loggers, () => progress.Advance(), cancellationToken);
            await using var simulatedXmpp = await Harness.Cli.Xmpp.SimulatedXmpp.StartAsync(
                xmppCount, xmppKinds, xmppQuirk, fleet?.Seed ?? parse.GetValue(seed), parse.GetValue(xmppPort), loggers, cancellationToken);
            progress.Done();
            Console.Out.Write(DeviceTable(running, simulatedScanners, simulatedUpnp));
            Console.Out.Write(Harness.Cli.Xmpp.SimulatedXmpp.Describe(simulatedXmpp));
            var total = (running?.Devices.Count ?? 0) + simulatedScanners.Scanners.Count + simulatedScanners.Printers.Count + simulatedUpnp.Devices.Count + (simulatedXmpp?.Entities.Count ?? 0);
            Console.Out.WriteLine($"Simulating {total} device(s) on {interfaceName}; Ctrl-C to stop.");
            Console.Out.Flush();
            try
            {
                var wait = parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
                await Task.Delay(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopped by the user: the fleet says Bye on dispose.
            }

            return 0;
        });
        return command;
    }

    /// <summary>The table of started devices (the XAddr last, so that a script can take the last word of a line).</summary>
    private static string DeviceTable(RunningFleet? fleet, SimulatedScanners started, SimulatedUpnp upnp)
    {
        var table = new TextTable("KIND", "NAME", "MODEL", "ENDPOINT", "QUIRK", "XADDR");
        foreach (var device in fleet?.Devices ?? [])
        {
            var id = device.Identity;
            table.Add([device.Kind], [id.Name], [$"{id.Manufacturer} {id.Model}"], [device.EndpointAddress], [device.Quirk ?? "-"], [device.Camera?.Service.XAddrs?.FirstOrDefault() ?? "-"]);
        }

        foreach (var scanner in started.Scanners)
        {
            var id = scanner.Identity;
            table.Add(["scanner"], [id.Name], [$"{id.Manufacturer} {id.Model}"], [scanner.EndpointAddress], ["-"], [scanner.XAddr.ToString()]);
        }

        foreach (var printer in started.Printers)
        {
            var id = printer.Identity;
            table.Add(["printer"], [id.Name], [$"{id.Manufacturer} {id.Model}"], [printer.EndpointAddress], ["-"], [printer.XAddr.ToString()]);
        }

        upnp.AddRows(table);
        return table.Count == 0 ? string.Empty : table.ToString();
    }

    /// <summary>
    /// <c>starting 37/200 devices…</c> on standard error while devices start: rewritten in place on a terminal, a plain
    /// line every tenth of the way (and at the end) when the output is redirected.
    /// </summary>
    private sealed class StartProgress(int total, TextWriter output)
    {
        private readonly bool _inPlace = !Console.IsErrorRedirected;
        private readonly Lock _gate = new();
        private int _started;
        private int _lastShown = -1;

        public void Advance(int count = 1)
        {
            lock (_gate)
            {
                _started += count;
                var step = Math.Max(1, total / 10);
                if (count > 0 && total > 0 && (_inPlace || _started == total || _started / step != _lastShown / step))
                {
                    Show();
                }
            }
        }

        public void Done()
        {
            lock (_gate)
            {
                if (total == 0)
                {
                    return;
                }

                if (_lastShown != _started)
                {
                    Show();
                }

                if (_inPlace)
                {
                    output.WriteLine();
                }
            }
        }

        private void Show()
        {
            _lastShown = _started;
            var text = $"starting {_started}/{total} devices...";
            if (_inPlace)
            {
                output.Write("\r" + text);
            }
            else
            {
                output.WriteLine(text);
            }

            output.Flush();
        }
    }

    /// <summary>The scanners of <c>--scanner N</c> and the printers of <c>--printer N</c>: each with a unicast address of its own.</summary>
    private sealed class SimulatedScanners : IAsyncDisposable
    {
        /// <summary>At most this many devices start at once (each binds sockets and starts Kestrel).</summary>
        private const int Parallelism = 8;

        public List<FakeScanner> Scanners { get; } = [];

        public List<FakePrinter> Printers { get; } = [];

        /// <summary>
        /// Starts <paramref name="scanners"/> scanners then <paramref name="printers"/> printers, numbered after the
        /// <paramref name="offset"/> devices of the fleet, a few at a time, advancing <paramref name="progress"/>.
        /// </summary>
        public static async Task<SimulatedScanners> StartAsync(int scanners, int printers, int seed, string interfaceName, int multicastPort, int offset, ILoggerFactory loggers, StartProgress progress, CancellationToken cancellationToken)
        {
            var started = new SimulatedScanners();
            var multicast = new IPEndPoint(WsdMulticast.IPv4Group, multicastPort);
            var scannerSlots = new FakeScanner?[scanners];
            var printerSlots = new FakePrinter?[printers];
            try
            {
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
                await Parallel.ForAsync(0, scanners + printers, parallel, async (n, ct) =>
                {
                    var address = UnicastAddress(interfaceName, offset + n);
                    if (n < scanners)
                    {
                        scannerSlots[n] = await FakeScanner.StartAsync(
                            new FakeScannerOptions { Seed = seed, Index = n, Interface = interfaceName, UnicastAddress = address, MulticastEndPoint = multicast, LoggerFactory = loggers },
                            ct);
                    }
                    else
                    {
                        printerSlots[n - scanners] = await FakePrinter.StartAsync(
                            new FakePrinterOptions { Seed = seed, Index = n - scanners, Interface = interfaceName, UnicastAddress = address, MulticastEndPoint = multicast, LoggerFactory = loggers },
                            ct);
                    }

                    progress.Advance();
                });
            }
            catch
            {
                started.Scanners.AddRange(scannerSlots.OfType<FakeScanner>());
                started.Printers.AddRange(printerSlots.OfType<FakePrinter>());
                await started.DisposeAsync();
                throw;
            }

            started.Scanners.AddRange(scannerSlots.OfType<FakeScanner>());
            started.Printers.AddRange(printerSlots.OfType<FakePrinter>());
            return started;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var scanner in Scanners)
            {
                await scanner.DisposeAsync();
            }

            foreach (var printer in Printers)
            {
                await printer.DisposeAsync();
            }

            Scanners.Clear();
            Printers.Clear();
        }

        /// <summary>On loopback a 127.0.x.y of its own; on a named interface (or address) that interface's IPv4 address.</summary>
        private static IPAddress UnicastAddress(string interfaceName, int n)
        {
            if (interfaceName == "lo")
            {
                return RunningFleet.LoopbackAddress(n);
            }

            if (IPAddress.TryParse(interfaceName, out var literal))
            {
                return literal;
            }

            var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(i => i.Name == interfaceName)
                ?? throw new ArgumentException($"No interface named '{interfaceName}'.");
            return nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new ArgumentException($"The interface '{interfaceName}' has no IPv4 address.");
        }
    }
}
