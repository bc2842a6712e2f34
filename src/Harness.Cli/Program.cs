using System.CommandLine;
using Harness.Cli.Simulate;
using Harness.Cli.Wsd;

var root = new RootCommand("Harness: speak, simulate and judge the device-discovery protocols of the local network")
{
    new Command("wsd", "WS-Discovery: discover and publish target services")
    {
        DiscoverCommand.Create(),
        PublishCommand.Create(),
    },
    SimulateCommand.Create(),
};

try
{
    return await root.Parse(args).InvokeAsync();
}
catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or System.Net.Sockets.SocketException or IOException)
{
    // A usage or environment problem: say it plainly, without a stack trace.
    Console.Error.WriteLine($"harness: {ex.Message}");
    return 2;
}
