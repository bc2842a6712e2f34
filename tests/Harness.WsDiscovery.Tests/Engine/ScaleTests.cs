using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Engine;

public class ScaleTests
{
    [Fact]
    public async Task Publisher_ThousandServices_OneProbeGetsEveryMatchInDatagramsThatFit()
    {
        // WS-Discovery §5.3 allows several ProbeMatch per ProbeMatches; one datagram cannot carry 1,000 of them.
        var time = new RecordingTimeProvider();
        var network = new InMemoryNetwork(time) { ReceiveQueueCapacity = 10_000 };
        var publisher = new Publisher(
            Scene.MulticastListener(network, Scene.PublisherHost),
            new PublisherOptions { SendHello = false, Seed = 5 },
            time,
            addressProvider: Scene.Addresses(Scene.PublisherHost));
        await using var _ = publisher;
        for (var n = 0; n < 1000; n++)
        {
            await publisher.PublishAsync(Scene.Service(n), CancellationToken.None);
        }

        var client = new DiscoveryClient(
            network.CreateTransport(new IPEndPoint(IPAddress.Any, 0)),
            new DiscoveryClientOptions { Protocols = [WsdProtocol.V11], Seed = 6 },
            time);
        await using var __ = client;
        var received = new Collector<WsdDatagramEventArgs>();
        client.DatagramReceived += (_, e) => received.Add(e);
        var handled = new Collector<WsdDatagramEventArgs>();
        publisher.DatagramReceived += (_, e) => handled.Add(e);

        var probe = client.ProbeAsync(new ProbeRequest { Timeout = TimeSpan.FromSeconds(2) }, CancellationToken.None);
        await handled.WaitForCountAsync(1);
        time.Advance(SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay);
        await received.WaitAsync(_ => client.Services.Count >= 1000);
        time.Advance(TimeSpan.FromSeconds(2));
        var services = await probe.WaitAsync(Collector<int>.DefaultTimeout);

        Assert.Equal(1000, services.Count);
        Assert.Equal(1000, services.Select(s => s.EndpointAddress).Distinct().Count());
        var answers = received.Items.Where(a => a.Message is WsdProbeMatches).ToList();
        Assert.All(answers, a => Assert.True(a.Datagram.Payload.Length <= SoapOverUdpProfile.WsDiscovery2005.MaxEnvelopeSize));
        Assert.All(answers, a => Assert.DoesNotContain(a.Violations, v => v.Severity == Harness.Core.Diagnostics.ViolationSeverity.Error));
        var logical = answers.Select(a => a.Message!.Header.MessageId).Distinct().Count();
        Assert.InRange(logical, 2, 50);
    }
}
