using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Engine;

/// <summary>
/// Acceptance: every receive loop survives any datagram (DESIGN.md principle 6; checklist WSD-UDP-001), then still
/// does its job. 10,000 hostile datagrams each, over the in-memory network and over real UDP on loopback.
/// </summary>
public class HostileInputTests
{
    private const int HostileCount = 10_000;

    // Reading 10,000 hostile datagrams takes seconds; on a loaded 2-core machine allow much more.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Publisher_TenThousandHostileDatagrams_StillAnswersValidProbe()
    {
        var time = new RecordingTimeProvider();
        var network = new InMemoryNetwork(time) { ReceiveQueueCapacity = HostileCount + 100 };
        var publisher = new Publisher(
            Scene.MulticastListener(network, Scene.PublisherHost),
            new PublisherOptions { SendHello = false, Seed = 5 },
            time,
            addressProvider: Scene.Addresses(Scene.PublisherHost));
        await using var _ = publisher;
        await publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        await using var peer = new Peer(Scene.MulticastListener(network, Scene.PeerHost));
        var target = new IPEndPoint(Scene.PublisherHost, WsdMulticast.Port);

        var n = 0;
        foreach (var datagram in HostileDatagrams.Generate(seed: 1, HostileCount))
        {
            await peer.SendAsync(datagram, n++ % 4 == 0 ? WsdMulticast.IPv4EndPoint : target);
        }

        await peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(7777)), target);
        var (_, matches) = await peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(7777), Patience);

        Assert.Equal(Scene.Service(1).EndpointAddress, Assert.Single(matches.Matches).Endpoint.Address);
        Assert.Equal(HostileCount + 1, publisher.DatagramsReceived);
        Assert.True(publisher.MalformedDatagrams > HostileCount / 2, $"{publisher.MalformedDatagrams} malformed");
        Assert.Equal(0, publisher.HandlerFaults);
    }

    [Fact]
    public async Task Client_TenThousandHostileDatagrams_StillReceivesValidProbeMatches()
    {
        var time = new RecordingTimeProvider();
        var network = new InMemoryNetwork(time) { ReceiveQueueCapacity = HostileCount + 100 };
        var client = new DiscoveryClient(
            network.CreateTransport(new IPEndPoint(IPAddress.Any, WsdMulticast.Port), WsdMulticast.IPv4Group),
            new DiscoveryClientOptions { Protocols = [WsdProtocol.V11], Seed = 6 },
            time);
        await using var _ = client;
        var violations = 0;
        client.ReceivedViolations += (_, _) => Interlocked.Increment(ref violations);
        await using var device = new Peer(Scene.MulticastListener(network, Scene.PeerHost));

        var probe = client.ProbeAsync(new ProbeRequest { Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);
        var (request, sent) = await device.WaitForAsync<WsdProbe>();
        var n = 0;
        foreach (var datagram in HostileDatagrams.Generate(seed: 2, HostileCount))
        {
            await device.SendAsync(datagram, n++ % 4 == 0 ? WsdMulticast.IPv4EndPoint : request.Source);
        }

        const string Epr = "urn:uuid:eeeeeeee-0000-4000-8000-000000000001";
        var validId = Scene.Id(5);
        var received = new Collector<WsdDatagramEventArgs>();
        client.DatagramReceived += (_, e) =>
        {
            if (e.Message?.Header.MessageId == validId)
            {
                received.Add(e);
            }
        };
        await device.SendAsync(Scene.ProbeMatches(WsdProtocol.V11, validId, sent.Header.MessageId!, new WsdAppSequence(3, 1), Scene.Endpoint(Epr, "http://127.0.0.3/ok")), request.Source);
        await received.WaitForCountAsync(1, Patience);
        time.Advance(TimeSpan.FromSeconds(3));
        var services = await probe.WaitAsync(Collector<int>.DefaultTimeout);

        Assert.Contains(services, s => s.EndpointAddress == Epr);
        Assert.True(client.MalformedDatagrams > HostileCount / 2, $"{client.MalformedDatagrams} malformed");
        Assert.True(violations > HostileCount / 2);
        Assert.Equal(0, client.HandlerFaults);
    }

    [Fact]
    public async Task RealUdpLoopback_TenThousandHostileDatagramsEach_ClientStillDiscoversPublisher()
    {
        // Real sockets on 127.0.0.1 with interface "lo"; multicast (Hello/Bye) goes to a private port, not 3702.
        var group = new IPEndPoint(WsdMulticast.IPv4Group, 0);
        var publisherTransport = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Interface = "lo",
            ReceiveQueueCapacity = HostileCount + 100,
        });
        group = new IPEndPoint(WsdMulticast.IPv4Group, publisherTransport.LocalEndPoint.Port);
        var publisher = new Publisher(
            publisherTransport,
            new PublisherOptions { SendHello = false, MulticastEndPoint = group, Seed = 5 },
            addressProvider: Scene.Addresses(IPAddress.Loopback));
        await using var _ = publisher;
        await publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        var clientTransport = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Interface = "lo",
            ReceiveQueueCapacity = HostileCount + 100,
        });
        var client = new DiscoveryClient(clientTransport, new DiscoveryClientOptions { MulticastEndPoint = group, Seed = 6 });
        await using var __ = client;
        await using var attacker = UdpDatagramTransport.Bind(new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });

        foreach (var datagram in HostileDatagrams.Generate(seed: 3, HostileCount))
        {
            await attacker.SendAsync(datagram, publisherTransport.LocalEndPoint, CancellationToken.None);
            await attacker.SendAsync(datagram, clientTransport.LocalEndPoint, CancellationToken.None);
        }

        IReadOnlyList<DiscoveredService> services = [];
        for (var attempt = 0; attempt < 5 && services.Count == 0; attempt++)
        {
            services = await client.ProbeAsync(
                new ProbeRequest { Target = publisherTransport.LocalEndPoint, Timeout = TimeSpan.FromSeconds(5), MaxResults = 1 },
                CancellationToken.None);
        }

        Assert.Equal(Scene.Service(1).EndpointAddress, Assert.Single(services).EndpointAddress);
        Assert.Equal(["http://127.0.0.1:5357/000000000001"], services[0].XAddrs);
        Assert.True(publisher.MalformedDatagrams > 0 && client.MalformedDatagrams > 0);
        Assert.Equal(0, publisher.HandlerFaults);
        Assert.Equal(0, client.HandlerFaults);
    }

    [Fact]
    public async Task RealUdpLoopbackMulticast_ClientProbe_PublisherAnswers()
    {
        // Multicast on the loopback interface only, on a private port (not 3702), with no answer delay.
        var publisherTransport = WsdTransports.BindMulticastListener(AddressFamily.InterNetwork, "lo", port: 0);
        var group = new IPEndPoint(WsdMulticast.IPv4Group, publisherTransport.LocalEndPoint.Port);
        var publisher = new Publisher(
            publisherTransport,
            new PublisherOptions { SendHello = false, AnswerDelay = TimeSpan.Zero, MulticastEndPoint = group, Seed = 5 },
            addressProvider: Scene.Addresses(IPAddress.Loopback));
        await using var _ = publisher;
        await publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        var client = new DiscoveryClient(
            WsdTransports.BindClient(AddressFamily.InterNetwork, "lo"),
            new DiscoveryClientOptions { MulticastEndPoint = group, Seed = 6 });
        await using var __ = client;

        var services = await client.ProbeAsync(new ProbeRequest { Timeout = TimeSpan.FromSeconds(5), MaxResults = 1 }, CancellationToken.None);

        Assert.Equal(Scene.Service(1).EndpointAddress, Assert.Single(services).EndpointAddress);
    }
}
