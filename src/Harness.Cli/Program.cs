using System.CommandLine;
using System.Runtime.InteropServices;
using Harness.Cli.Conformance;
using Harness.Cli.Simulate;
using Harness.Cli.Wsd;

var root = new RootCommand("Harness: speak, simulate and judge the device-discovery protocols of the local network")
{
    new Command("wsd", "WS-Discovery: discover and publish target services")
    {
        DiscoverCommand.Create(),
        PublishCommand.Create(),
        GetCommand.Create(),
        ScanCommand.Create(),
        PrintCommand.Create(),
        SubscribeCommand.Create(),
    },
    Harness.Cli.Ssdp.SsdpCommand.Create(),
    Harness.Cli.Xmpp.XmppCommand.Create(),
    SimulateCommand.Create(),
    ConformanceCommand.Create(),
};

// SIGINT (Ctrl-C) and SIGTERM (kill, systemd, CI runners) both end a command gracefully: a publisher or a
// simulated device says Bye, a capture is written. A second signal ends the process at once.
using var stopping = new CancellationTokenSource();
PosixSignalRegistration OnSignal(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
{
    if (!stopping.IsCancellationRequested)
    {
        context.Cancel = true;
        stopping.Cancel();
    }
});
using var sigint = OnSignal(PosixSignal.SIGINT);
using var sigterm = OnSignal(PosixSignal.SIGTERM);

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, stopping.Token);
}
catch (Exception ex) when (WsdTarget.DescribeDeviceError(ex) is { } problem)
{
    // The device did not answer, or answered with a fault: say which, with its code.
    Console.Error.WriteLine($"harness: {problem}");
    return 1;
}
catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or System.Net.Sockets.SocketException or IOException)
{
    // A usage or environment problem: say it plainly, without a stack trace.
    Console.Error.WriteLine($"harness: {ex.Message}");
    return 2;
}
