using System.CommandLine;
using Harness.Cli.Common;
using Harness.Simulators.Fleet;

namespace Harness.Cli.Simulate;

/// <summary><c>harness simulate</c>: start simulated devices until stopped.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var cameras = new Option<int>("--camera") { Description = "Number of simulated ONVIF cameras", DefaultValueFactory = _ => 0 };
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
            cameras, seed, duration, fleetFile, quirk, listQuirks, logLevel, iface, multicastPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(listQuirks))
            {
                Console.Out.Write(Quirks.List());
                return 0;
            }

            FleetFile fleet;
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
            else
            {
                Console.Error.WriteLine("Nothing to simulate: give --camera N or --fleet FILE.");
                return 2;
            }

            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            await using var running = await RunningFleet.StartAsync(fleet, new FleetStartOptions { LoggerFactory = loggers, ApplyQuirk = Quirks.Apply }, cancellationToken);
            foreach (var device in running.Devices)
            {
                var id = device.Identity;
                Console.Out.WriteLine($"{device.Kind} {id.Name} ({id.Manufacturer} {id.Model}) {device.EndpointAddress}{(device.Quirk is null ? string.Empty : " quirk " + device.Quirk)}");
            }

            Console.Out.WriteLine($"Simulating {running.Devices.Count} device(s) on {fleet.Interface}; Ctrl-C to stop.");
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
}
