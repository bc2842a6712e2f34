using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Harness.Cli.Common;
using Harness.Simulators.Fleet;
using Harness.Simulators.Scanners;
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
        var seed = new Option<int>("--seed") { Description = "Seed of the fleet: the same seed gives the same identities", DefaultValueFactory = _ => 1 };
        var duration = new Option<double?>("--duration") { Description = "Seconds to run, then Bye (default: until Ctrl-C)" };
        var fleetFile = new Option<FileInfo?>("--fleet") { Description = "A fleet file (JSON) describing the devices" };
        var quirk = new Option<string?>("--quirk") { Description = "Run the cameras with this quirk profile (see --list-quirks)" };
        var listQuirks = new Option<bool>("--list-quirks") { Description = "List the quirk profiles (deviations of real devices) and the rules each breaks" };
        var logLevel = CommonOptions.LogLevel();
        var iface = CommonOptions.Interface();
        var multicastPort = CommonOptions.MulticastPort();
        var command = new Command("simulate", "Start simulated devices on an interface (loopback by default)")
        {
            cameras, scanners, seed, duration, fleetFile, quirk, listQuirks, logLevel, iface, multicastPort,
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
                    Devices = [new FleetEntry { Kind = FleetEntry.Camera, Count = count, Quirk = parse.GetValue(quirk) }],
                };
                fleet.Validate("command line");
            }
            else if (scannerCount <= 0)
            {
                Console.Error.WriteLine("Nothing to simulate: give --camera N, --scanner N or --fleet FILE.");
                return 2;
            }

            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            await using var running = fleet is null ? null : await RunningFleet.StartAsync(fleet, new FleetStartOptions { LoggerFactory = loggers, ApplyQuirk = Quirks.Apply }, cancellationToken);
            foreach (var device in running?.Devices ?? [])
            {
                var id = device.Identity;
                Console.Out.WriteLine($"{device.Kind} {id.Name} ({id.Manufacturer} {id.Model}) {device.EndpointAddress}{(device.Quirk is null ? string.Empty : " quirk " + device.Quirk)}");
            }

            var interfaceName = fleet?.Interface ?? parse.GetValue(iface)!;
            await using var simulatedScanners = await SimulatedScanners.StartAsync(
                scannerCount, fleet?.Seed ?? parse.GetValue(seed), interfaceName, fleet?.MulticastPort ?? parse.GetValue(multicastPort), running?.Devices.Count ?? 0, loggers, cancellationToken);
            var total = (running?.Devices.Count ?? 0) + simulatedScanners.Scanners.Count;
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

    /// <summary>The scanners of <c>--scanner N</c>: each a <see cref="FakeScanner"/> with a unicast address of its own.</summary>
    private sealed class SimulatedScanners : IAsyncDisposable
    {
        public List<FakeScanner> Scanners { get; } = [];

        /// <summary>Starts <paramref name="count"/> scanners, numbered after the <paramref name="offset"/> devices of the fleet, with a progress line.</summary>
        public static async Task<SimulatedScanners> StartAsync(int count, int seed, string interfaceName, int multicastPort, int offset, ILoggerFactory loggers, CancellationToken cancellationToken)
        {
            var started = new SimulatedScanners();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    Console.Error.Write($"\rStarting scanner {i + 1}/{count}…");
                    var scanner = await FakeScanner.StartAsync(
                        new FakeScannerOptions
                        {
                            Seed = seed,
                            Index = i,
                            Interface = interfaceName,
                            UnicastAddress = UnicastAddress(interfaceName, offset + i),
                            MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, multicastPort),
                            LoggerFactory = loggers,
                        },
                        cancellationToken);
                    started.Scanners.Add(scanner);
                    var id = scanner.Identity;
                    Console.Out.WriteLine($"scanner {id.Name} ({id.Manufacturer} {id.Model}) {scanner.EndpointAddress} {scanner.XAddr}");
                }

                if (count > 0)
                {
                    Console.Error.WriteLine();
                }

                return started;
            }
            catch
            {
                await started.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var scanner in Scanners)
            {
                await scanner.DisposeAsync();
            }

            Scanners.Clear();
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
