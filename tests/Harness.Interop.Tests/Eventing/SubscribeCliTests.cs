using System.Globalization;
using System.Net;
using System.Text.Json;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Fleet;
using Harness.Simulators.Scanners;
using Harness.WsDiscovery.Engine;

namespace Harness.Interop.Tests.Eventing;

/// <summary>The real CLI (<c>harness wsd subscribe</c> in its own process) against a <see cref="FakeScanner"/> in the test process, on loopback.</summary>
public sealed class SubscribeCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static Task<FakeScanner> StartScannerAsync(int port, int n) =>
        FakeScanner.StartAsync(
            new FakeScannerOptions
            {
                Seed = 22,
                Index = n,
                UnicastAddress = RunningFleet.LoopbackAddress(1220 + n),
                MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port),
                AnswerDelay = TimeSpan.Zero,
                HelloDelay = TimeSpan.Zero,
            },
            CancellationToken.None);

    [Fact]
    public async Task SubscribeByEndpointReference_ConditionEventPrintedThenUnsubscribedOnSigterm()
    {
        var port = HarnessCli.PrivatePort();
        await using var scanner = await StartScannerAsync(port, 0);
        var events = scanner.Device.HostedServices.Single().Events!;
        await using var cli = HarnessCli.Start("wsd", "subscribe", "--device", scanner.EndpointAddress, "--multicast-port", port.ToString(CultureInfo.InvariantCulture), "--json", "--renew");
        Assert.True(await cli.WaitForOutputAsync("Subscribed to", Timeout), cli.ToString());
        Assert.Single(events.Subscriptions);

        scanner.Service.AddCondition("CoverOpen", "Platen", "Critical");
        Assert.True(await cli.WaitForOutputAsync("\"CoverOpen\"", Timeout), cli.ToString());
        var stopped = await cli.StopAsync(Timeout);

        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        var lines = stopped.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var condition = lines.Select(l => JsonDocument.Parse(l).RootElement).First(e => e.GetProperty("event").GetString() == "ScannerStatusConditionEvent");
        Assert.Equal("http://schemas.microsoft.com/windows/2006/08/wdp/scan/ScannerStatusConditionEvent", condition.GetProperty("action").GetString());
        Assert.Equal("CoverOpen", condition.GetProperty("values").GetProperty("Name").GetString());
        Assert.Contains("Unsubscribed", stopped.StandardError, StringComparison.Ordinal);
        Assert.Empty(events.Subscriptions);
    }

    [Fact]
    public async Task SubscribeByXAddr_ScannerStops_SubscriptionEndPrintedAndTheCommandEnds()
    {
        var scanner = await StartScannerAsync(HarnessCli.PrivatePort(), 1);
        await using var cli = HarnessCli.Start("wsd", "subscribe", "--device", scanner.XAddr.ToString(), "--service", "scan");
        Assert.True(await cli.WaitForOutputAsync("Subscribed to", Timeout), cli.ToString());

        await scanner.DisposeAsync();
        var ended = await cli.WaitForExitAsync(Timeout);

        Assert.True(ended.ExitCode == 0, ended.ToString());
        Assert.Contains("SubscriptionEnd SourceShuttingDown", ended.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ended by the device", ended.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeWithDuration_StopsByItselfAndUnsubscribes()
    {
        await using var scanner = await StartScannerAsync(HarnessCli.PrivatePort(), 2);
        var events = scanner.Device.HostedServices.Single().Events!;

        var result = await HarnessCli.RunAsync(Timeout, "wsd", "subscribe", "--device", scanner.XAddr.ToString(), "--duration", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Unsubscribed", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(events.Subscriptions);
    }

    [Fact]
    public async Task SubscribeWithBadExpires_UsageExitCode2()
    {
        var result = await HarnessCli.RunAsync(Timeout, "wsd", "subscribe", "--device", "http://127.0.0.1:9/none", "--expires", "ten minutes");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("ten minutes", result.StandardError, StringComparison.Ordinal);
    }
}
