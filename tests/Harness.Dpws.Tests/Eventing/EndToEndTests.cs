using System.Net;
using System.Xml.Linq;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Http;
using Harness.Dpws.Tests.Metadata;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Tests.Eventing;

/// <summary>A device and a subscriber on real Kestrel sockets at 127.0.0.1: discovery by directed probe, metadata, eventing.</summary>
public sealed class EndToEndTests
{
    private const string DeviceAddress = "urn:uuid:4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f";
    private static readonly XName Ctx = XName.Get("Ctx", "urn:harness:test");

    [Fact]
    public async Task Loopback_ProbeGetSubscribeNotifyRenewStatusUnsubscribe()
    {
        await using var device = await DpwsDeviceTests.StartScannerAsync(hostOptions: new DpwsHostOptions(), eventing: new SubscriptionManagerOptions { EventActions = [EventingRig.JobStatus] });
        device.Host.DirectedProbe = new DirectedProbeResponder(() => [device.ToPublishedService([WsdQName.Create(DpwsNamespaces.Devprof, "Device", "wsdp")], [])], instanceId: 1);
        await using var sink = await NotificationSink.StartAsync();
        using var http = new SoapHttpClient();
        var dpws = new DpwsClient(http);
        var eventing = new EventingClient(http);

        var probe = await dpws.ProbeAsync(device.XAddr, null, TestKit.Timeout());
        var xaddr = new Uri(Assert.Single(Assert.Single(probe.Matches.Matches).XAddrs));
        var metadata = await dpws.GetAsync(xaddr, DeviceAddress, TestKit.Timeout());
        var scanner = new Uri(Assert.Single(metadata.Metadata.Hosted).Address!);
        var subscription = await eventing.SubscribeAsync(scanner, new SubscribeRequest
        {
            NotifyTo = sink.EndpointReference(new XElement(Ctx, "e2e")),
            Expires = "PT5M",
            Filter = EventingFilter.ForActions(EventingRig.JobStatus),
        }, TestKit.Timeout());
        var delivered = await device.HostedServices[0].Events!.NotifyAsync(EventingRig.JobStatus, [new XElement(XName.Get("JobStatusEvent", DpwsNamespaces.Scan), "Completed")], TestKit.Timeout());
        var notification = await sink.WaitForAsync(n => n.Action == EventingRig.JobStatus, TestKit.Timeout());
        var renewed = await eventing.RenewAsync(subscription, "PT2M", TestKit.Timeout());
        var status = await eventing.GetStatusAsync(subscription, TestKit.Timeout());
        var unsubscribed = await eventing.UnsubscribeAsync(subscription, TestKit.Timeout());
        var afterwards = await device.HostedServices[0].Events!.NotifyAsync(EventingRig.JobStatus, [], TestKit.Timeout());

        Assert.Equal($"http://127.0.0.1:{device.Host.Port}/4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f", xaddr.ToString());
        Assert.Empty(metadata.Violations);
        Assert.Equal($"http://127.0.0.1:{device.Host.Port}/scanner", scanner.ToString());
        Assert.Equal(("PT5M", scanner.ToString()), (subscription.Expires, subscription.Manager.Address));
        Assert.Equal(new NotificationResult(1, 1, 0), delivered);
        Assert.Equal("e2e", notification.Envelope.Header.ExtraValue(Ctx));
        Assert.Equal("Completed", notification.Envelope.BodyElement!.Value);
        Assert.Equal(IPAddress.Loopback, notification.RemoteEndPoint!.Address);
        Assert.Equal("PT2M", renewed.Expires);
        Assert.True(status.Duration > TimeSpan.FromSeconds(60) && status.Duration <= TimeSpan.FromMinutes(2), status.Expires);
        Assert.Empty(unsubscribed);
        Assert.Equal(0, afterwards.Matched);
    }

    [Fact]
    public async Task Loopback_DeviceStops_SubscriberGetsSubscriptionEndSourceShuttingDown()
    {
        var device = await DpwsDeviceTests.StartScannerAsync(hostOptions: new DpwsHostOptions(), eventing: new SubscriptionManagerOptions());
        await using var sink = await NotificationSink.StartAsync();
        using var http = new SoapHttpClient();
        var subscription = await new EventingClient(http).SubscribeAsync(device.HostedServices[0].Address, sink.Address, null, TimeSpan.FromMinutes(5), sink.Address, TestKit.Timeout());

        await device.DisposeAsync();
        var end = await sink.WaitForAsync(n => n.IsSubscriptionEnd, TestKit.Timeout());

        Assert.Equal(SubscriptionEndStatus.SourceShuttingDown, end.SubscriptionEnd!.Status);
        Assert.Equal(subscription.Identifier, end.SubscriptionEnd.Identifier);
        await Assert.ThrowsAsync<SoapProtocolException>(() => new DpwsClient(http).GetAsync(device.XAddr, DeviceAddress, TestKit.Timeout()));
    }
}
