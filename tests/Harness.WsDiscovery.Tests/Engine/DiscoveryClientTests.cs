using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Engine;

public class DiscoveryClientTests
{
    private static readonly IPEndPoint PublisherEndPoint = new(Scene.PublisherHost, WsdMulticast.Port);

    [Fact]
    public async Task ProbeAsync_MulticastBothFamilies_OneDistinctServiceWithItsData()
    {
        await using var scene = new ClientScene(new DiscoveryClientOptions());
        await scene.PublishAsync(Scene.Service(1, Scene.DeviceType, Scene.PrinterType));

        var probe = scene.Client.ProbeAsync(new ProbeRequest { Timeout = TimeSpan.FromSeconds(2) }, CancellationToken.None);
        await scene.PublisherHandled.WaitAsync(l => l.Count(a => a.Message is WsdProbe) >= 2);
        scene.Time.Advance(SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay);
        await scene.ClientReceived.WaitAsync(l => l.Count(a => a.Message is WsdProbeMatches) >= 2);
        scene.Time.Advance(TimeSpan.FromSeconds(2));
        var services = await probe.WaitAsync(Collector<int>.DefaultTimeout);

        var service = Assert.Single(services);
        Assert.Equal(Scene.Service(1).EndpointAddress, service.EndpointAddress);
        Assert.Equal([Scene.DeviceType, Scene.PrinterType], service.Types);
        Assert.Equal(["http://example.com/site/floor1"], service.Scopes);
        Assert.Equal(["http://127.0.0.2:5357/000000000001"], service.XAddrs);
        Assert.Equal(1UL, service.MetadataVersion);
        Assert.Equal(PublisherEndPoint, service.Source);
        Assert.Equal(scene.Start + SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay, service.FirstSeen);
        Assert.Equal(service.EndpointAddress, Assert.Single(scene.Client.Services).EndpointAddress);
    }

    [Theory]
    [InlineData(WsdVersion.V2005)]
    [InlineData(WsdVersion.V11)]
    public async Task ProbeAsync_OneFamily_AnswerInThatFamily(WsdVersion version)
    {
        var protocol = WsdProtocol.For(version);
        await using var scene = new ClientScene(new DiscoveryClientOptions { Protocols = [protocol] });
        await scene.PublishAsync(Scene.Service(1));

        var probe = scene.Client.ProbeAsync(new ProbeRequest { Target = PublisherEndPoint, Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);
        await scene.ClientReceived.WaitAsync(l => l.Any(a => a.Message is WsdProbeMatches));
        scene.Time.Advance(TimeSpan.FromSeconds(1));
        var services = await probe.WaitAsync(Collector<int>.DefaultTimeout);

        Assert.Same(protocol, Assert.Single(services).Protocol);
        Assert.All(scene.PublisherHandled.Items.Select(a => a.Message).OfType<WsdProbe>(), p => Assert.Same(protocol, p.Protocol));
    }

    [Fact]
    public async Task ProbeAsync_UnicastTarget_AnsweredWithoutWaitingForAppMaxDelay()
    {
        await using var scene = new ClientScene(new DiscoveryClientOptions());
        await scene.PublishAsync(Scene.Service(1));

        var probe = scene.Client.ProbeAsync(new ProbeRequest { Target = PublisherEndPoint, Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);
        var received = await scene.ClientReceived.WaitAsync(l => l.Any(a => a.Message is WsdProbeMatches));
        scene.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Single(await probe.WaitAsync(Collector<int>.DefaultTimeout));
        Assert.Equal(scene.Start, received.First(a => a.Message is WsdProbeMatches).Datagram.ReceivedAt);
        Assert.DoesNotContain(scene.PublisherHandled.Items, a => a.Datagram.IsMulticast);
    }

    [Fact]
    public async Task ProbeAsync_ByType_OnlyMatchingServices()
    {
        await using var scene = new ClientScene(new DiscoveryClientOptions { Protocols = [WsdProtocol.V11] });
        await scene.PublishAsync(Scene.Service(1, Scene.DeviceType, Scene.PrinterType));
        await scene.PublishAsync(Scene.Service(2, Scene.DeviceType, Scene.ScannerType));

        var probe = scene.Client.ProbeAsync(new ProbeRequest { Types = [Scene.ScannerType], Target = PublisherEndPoint, Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);
        await scene.ClientReceived.WaitAsync(l => l.Any(a => a.Message is WsdProbeMatches));
        scene.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([Scene.Service(2).EndpointAddress], (await probe.WaitAsync(Collector<int>.DefaultTimeout)).Select(s => s.EndpointAddress));
    }

    [Fact]
    public async Task ProbeStreamAsync_MaxResults_EndsBeforeTheTimeout()
    {
        await using var scene = new ClientScene(new DiscoveryClientOptions { Protocols = [WsdProtocol.V11] });
        for (var n = 1; n <= 3; n++)
        {
            await scene.PublishAsync(Scene.Service(n));
        }

        var seen = new List<DiscoveredService>();
        await foreach (var service in scene.Client.ProbeStreamAsync(new ProbeRequest { Target = PublisherEndPoint, MaxResults = 2 }, CancellationToken.None))
        {
            seen.Add(service);
        }

        Assert.Equal(2, seen.Count);
        Assert.Equal(scene.Start, scene.Time.GetUtcNow());
    }

    [Fact]
    public async Task ProbeAsync_AnswersFromPeer_DuplicatesOnceChildrenEachUnknownRelatesToIgnored()
    {
        // Checklist WSD-UDP-005 (duplicates surfaced once), WSD-PRB-015 (each ProbeMatch a service),
        // WSD-PRB-016 (unknown RelatesTo ignored), WSD-PRB-012 (replies accepted from any source port).
        await using var scene = new ClientScene(new DiscoveryClientOptions { Protocols = [WsdProtocol.V11] }, withPublisher: false);
        await using var device = new Peer(scene.Network.CreateTransportOnHost(Scene.PeerHost, new IPEndPoint(IPAddress.Any, WsdMulticast.Port), WsdMulticast.IPv4Group));
        await using var ephemeral = new Peer(scene.Network.CreateTransportOnHost(Scene.PeerHost, new IPEndPoint(IPAddress.Any, 0)));

        var probe = scene.Client.ProbeAsync(new ProbeRequest { Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);
        var (request, sent) = await device.WaitForAsync<WsdProbe>();
        var v11 = WsdProtocol.V11;
        var twoChildren = WsdMessageWriter.Write(Scene.ProbeMatches(v11, Scene.Id(10), sent.Header.MessageId!, new WsdAppSequence(9, 1),
            Scene.Endpoint("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "http://127.0.0.3/a"),
            Scene.Endpoint("urn:uuid:aaaaaaaa-0000-4000-8000-000000000002", "http://127.0.0.3/b")));
        await ephemeral.SendAsync(twoChildren, request.Source);
        await ephemeral.SendAsync(twoChildren, request.Source);
        await device.SendAsync(Scene.ProbeMatches(v11, Scene.Id(11), Scene.Id(999), new WsdAppSequence(9, 2),
            Scene.Endpoint("urn:uuid:aaaaaaaa-0000-4000-8000-000000000003", "http://127.0.0.3/c")), request.Source);
        await device.SendAsync(Scene.ProbeMatches(v11, Scene.Id(12), sent.Header.MessageId!, new WsdAppSequence(9, 3),
            Scene.Endpoint("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "http://127.0.0.3/a")), request.Source);
        await scene.ClientReceived.WaitAsync(l => l.Count(a => a.Message is WsdProbeMatches) >= 4);
        scene.Time.Advance(TimeSpan.FromSeconds(1));
        var services = await probe.WaitAsync(Collector<int>.DefaultTimeout);

        Assert.Equal(
            ["urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "urn:uuid:aaaaaaaa-0000-4000-8000-000000000002"],
            services.Select(s => s.EndpointAddress));
        Assert.All(services, s => Assert.Equal(ephemeral.EndPoint.Port, s.Source.Port));
        Assert.Equal(1, scene.Client.DuplicatesDropped);
        Assert.Equal(1, scene.Client.UnknownRelatesToDropped);
        Assert.Equal(2, scene.Client.Services.Count);
    }

    [Fact]
    public async Task HelloAndBye_AppSequence_StaleMessagesIgnored()
    {
        // WS-Discovery Appendix I; checklist WSD-MSG-013: older MessageNumber or InstanceId → ignored.
        await using var scene = new ClientScene(new DiscoveryClientOptions(), withPublisher: false);
        await using var device = new Peer(scene.Network.CreateTransportOnHost(Scene.PeerHost, new IPEndPoint(IPAddress.Any, WsdMulticast.Port), WsdMulticast.IPv4Group));
        var hellos = new Collector<DiscoveryEventArgs>();
        var byes = new Collector<DiscoveryEventArgs>();
        scene.Client.ServiceHello += (_, e) => hellos.Add(e);
        scene.Client.ServiceBye += (_, e) => byes.Add(e);
        const string Epr = "urn:uuid:bbbbbbbb-0000-4000-8000-000000000001";
        var v = WsdProtocol.V2005;

        async Task SendAsync(WsdMessage message)
        {
            await device.SendAsync(message, WsdMulticast.IPv4EndPoint);
            await scene.ClientReceived.WaitAsync(l => l.Any(a => a.Message?.Header.MessageId == message.Header.MessageId));
        }

        await SendAsync(Scene.Hello(v, Scene.Id(1), new WsdAppSequence(100, 5), Scene.Endpoint(Epr, "http://127.0.0.3/first")));
        await SendAsync(Scene.Hello(v, Scene.Id(2), new WsdAppSequence(100, 3), Scene.Endpoint(Epr, "http://127.0.0.3/older-number")));
        await SendAsync(Scene.Hello(v, Scene.Id(3), new WsdAppSequence(99, 50), Scene.Endpoint(Epr, "http://127.0.0.3/older-instance")));
        Assert.Equal(["http://127.0.0.3/first"], Assert.Single(scene.Client.Services).XAddrs);
        await SendAsync(Scene.Bye(v, Scene.Id(4), new WsdAppSequence(100, 4), Epr));
        Assert.Single(scene.Client.Services);
        await SendAsync(Scene.Hello(v, Scene.Id(5), new WsdAppSequence(101, 1), Scene.Endpoint(Epr, "http://127.0.0.3/restarted")));
        Assert.Equal(["http://127.0.0.3/restarted"], Assert.Single(scene.Client.Services).XAddrs);
        await SendAsync(Scene.Bye(v, Scene.Id(6), new WsdAppSequence(101, 2), Epr));

        Assert.Empty(scene.Client.Services);
        Assert.Equal(["http://127.0.0.3/first", "http://127.0.0.3/restarted"], hellos.Items.Select(h => h.Service.XAddrs[0]));
        Assert.Equal(Epr, Assert.Single(byes.Items).Service.EndpointAddress);
        Assert.Equal(3, scene.Client.StaleDropped);
    }

    [Fact]
    public async Task Hello_EventFilterByType_OnlyMatchingRaisedButCacheUpdated()
    {
        await using var scene = new ClientScene(new DiscoveryClientOptions { EventTypes = [Scene.ScannerType] }, withPublisher: false);
        await using var device = new Peer(scene.Network.CreateTransportOnHost(Scene.PeerHost, new IPEndPoint(IPAddress.Any, WsdMulticast.Port), WsdMulticast.IPv4Group));
        var hellos = new Collector<DiscoveryEventArgs>();
        scene.Client.ServiceHello += (_, e) => hellos.Add(e);
        var printer = Scene.Endpoint("urn:uuid:cccccccc-0000-4000-8000-000000000001") with { Types = [Scene.PrinterType] };
        var scanner = Scene.Endpoint("urn:uuid:cccccccc-0000-4000-8000-000000000002") with { Types = [Scene.ScannerType] };

        await device.SendAsync(Scene.Hello(WsdProtocol.V11, Scene.Id(1), new WsdAppSequence(1, 1), printer), WsdMulticast.IPv4EndPoint);
        await device.SendAsync(Scene.Hello(WsdProtocol.V11, Scene.Id(2), new WsdAppSequence(1, 2), scanner), WsdMulticast.IPv4EndPoint);
        await scene.ClientReceived.WaitAsync(l => l.Count(a => a.Message is WsdHello) >= 2);

        Assert.Equal(scanner.Endpoint.Address, Assert.Single(hellos.Items).Service.EndpointAddress);
        Assert.Equal(2, scene.Client.Services.Count);
    }

    [Fact]
    public async Task ResolveAsync_OwnAndOtherEndpoint_MatchAndNull()
    {
        await using var scene = new ClientScene(new DiscoveryClientOptions { Protocols = [WsdProtocol.V2005] });
        await scene.PublishAsync(Scene.Service(1));

        var own = scene.Client.ResolveAsync(Scene.Service(1).EndpointAddress, TimeSpan.FromSeconds(2), CancellationToken.None);
        var other = scene.Client.ResolveAsync("urn:uuid:00000000-0000-0000-0000-000000000000", TimeSpan.FromSeconds(2), CancellationToken.None);
        await scene.PublisherHandled.WaitAsync(l => l.Count(a => a.Message is WsdResolve) >= 2);
        scene.Time.Advance(SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay);
        var resolved = await own.WaitAsync(Collector<int>.DefaultTimeout);
        scene.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.NotNull(resolved);
        Assert.Equal(["http://127.0.0.2:5357/000000000001"], resolved.XAddrs);
        Assert.Null(await other.WaitAsync(Collector<int>.DefaultTimeout));
    }

    [Fact]
    public async Task CacheFile_SavedOnDisposeAndLoadedByALaterClient()
    {
        var path = Path.Combine(Path.GetTempPath(), "wsdengine-" + Guid.NewGuid().ToString("N"), "cache.json");
        try
        {
            var options = new DiscoveryClientOptions { Protocols = [WsdProtocol.V11], CacheFile = path };
            await using var scene = new ClientScene(options);
            await scene.PublishAsync(Scene.Service(1, Scene.DeviceType, Scene.ScannerType));
            var found = await scene.ProbeUnicastAsync();
            await scene.Client.DisposeAsync();

            await using var later = new DiscoveryClient(Scene.Ephemeral(scene.Network), options with { Seed = 12 }, scene.Time);
            Assert.Equal(1, await later.LoadCacheAsync(CancellationToken.None));

            var loaded = Assert.Single(later.Services);
            var original = Assert.Single(found);
            Assert.Equal(original.EndpointAddress, loaded.EndpointAddress);
            Assert.Equal(original.Types, loaded.Types);
            Assert.Equal(original.Types.Select(t => t.Prefix), loaded.Types.Select(t => t.Prefix));
            Assert.Equal(original.Scopes, loaded.Scopes);
            Assert.Equal(original.XAddrs, loaded.XAddrs);
            Assert.Equal(original.MetadataVersion, loaded.MetadataVersion);
            Assert.Equal(original.Source, loaded.Source);
            Assert.Same(original.Protocol, loaded.Protocol);
            Assert.Equal(original.FirstSeen, loaded.FirstSeen);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task LoadCacheAsync_CorruptFile_LoadsNothing()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "{\"version\":1,\"services\":[{\"endpointAddress\":");
            var time = new RecordingTimeProvider();
            await using var client = new DiscoveryClient(Scene.Ephemeral(new Harness.Core.Transport.InMemoryNetwork(time)), new DiscoveryClientOptions { CacheFile = path, Seed = 1 }, time);

            Assert.Equal(0, await client.LoadCacheAsync(CancellationToken.None));
            Assert.Empty(client.Services);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RecheckCachedAsync_VanishedService_RemovedLiveOneKept()
    {
        var path = Path.Combine(Path.GetTempPath(), "wsdengine-" + Guid.NewGuid().ToString("N"), "cache.json");
        try
        {
            var options = new DiscoveryClientOptions { Protocols = [WsdProtocol.V2005], CacheFile = path, MatchTimeout = TimeSpan.FromSeconds(2) };
            await using var scene = new ClientScene(options);
            await scene.PublishAsync(Scene.Service(1));
            await scene.PublishAsync(Scene.Service(2));
            Assert.Equal(2, (await scene.ProbeUnicastAsync()).Count);
            await scene.Client.DisposeAsync();
            await scene.Publisher!.WithdrawAsync(Scene.Service(2).EndpointAddress, CancellationToken.None);

            await using var later = new DiscoveryClient(Scene.Ephemeral(scene.Network), options with { Seed = 12 }, scene.Time);
            var received = new Collector<WsdDatagramEventArgs>();
            later.DatagramReceived += (_, e) => received.Add(e);
            await later.LoadCacheAsync(CancellationToken.None);
            var resolvesBefore = scene.PublisherHandled.Items.Count(a => a.Message is WsdResolve);
            var recheck = later.RecheckCachedAsync(CancellationToken.None);
            await scene.PublisherHandled.WaitAsync(l => l.Count(a => a.Message is WsdResolve) >= resolvesBefore + 2);
            scene.Time.Advance(SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay);
            await received.WaitAsync(l => l.Any(a => a.Message is WsdResolveMatches));
            scene.Time.Advance(TimeSpan.FromSeconds(2));
            var removed = await recheck.WaitAsync(Collector<int>.DefaultTimeout);

            Assert.Equal([Scene.Service(2).EndpointAddress], removed.Select(s => s.EndpointAddress));
            Assert.Equal([Scene.Service(1).EndpointAddress], later.Services.Select(s => s.EndpointAddress));
            Assert.Contains(Scene.Service(1).EndpointAddress, await File.ReadAllTextAsync(path), StringComparison.Ordinal);
            Assert.DoesNotContain(Scene.Service(2).EndpointAddress, await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Options_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentException>(() => new DiscoveryClientOptions { Protocols = [] }.Validate());
        Assert.Throws<ArgumentException>(() => new DiscoveryClientOptions { MatchTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentException>(() => new DiscoveryClientOptions { MaxCachedServices = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new DiscoveryClientOptions { MulticastEndPoint = new IPEndPoint(IPAddress.Loopback, 3702) }.Validate());
        Assert.Throws<ArgumentException>(() => new ProbeRequest { MaxResults = 0 }.Validate());
    }

    /// <summary>A client on 127.0.0.1:3702 (in the group) and optionally a publisher on 127.0.0.2:3702, on a fake clock.</summary>
    private sealed class ClientScene : IAsyncDisposable
    {
        public ClientScene(DiscoveryClientOptions options, bool withPublisher = true)
        {
            Network = new InMemoryNetwork(Time) { ReceiveQueueCapacity = 20_000 };
            Start = Time.GetUtcNow();
            if (withPublisher)
            {
                Publisher = new Publisher(
                    Scene.MulticastListener(Network, Scene.PublisherHost),
                    new PublisherOptions { SendHello = false, Seed = 22 },
                    Time,
                    addressProvider: Scene.Addresses(Scene.PublisherHost));
                Publisher.DatagramReceived += (_, e) => PublisherHandled.Add(e);
            }

            Client = new DiscoveryClient(
                Network.CreateTransport(new IPEndPoint(IPAddress.Any, WsdMulticast.Port), WsdMulticast.IPv4Group),
                options with { Seed = options.Seed ?? 11 },
                Time);
            Client.DatagramReceived += (_, e) => ClientReceived.Add(e);
        }

        public RecordingTimeProvider Time { get; } = new();

        public InMemoryNetwork Network { get; }

        public DateTimeOffset Start { get; }

        public Publisher? Publisher { get; }

        public DiscoveryClient Client { get; }

        public Collector<WsdDatagramEventArgs> PublisherHandled { get; } = new();

        public Collector<WsdDatagramEventArgs> ClientReceived { get; } = new();

        public Task PublishAsync(PublishedService service) => Publisher!.PublishAsync(service, CancellationToken.None);

        /// <summary>A unicast Probe to the publisher, collected until its 1 s timeout.</summary>
        public async Task<IReadOnlyList<DiscoveredService>> ProbeUnicastAsync()
        {
            var before = ClientReceived.Items.Count(a => a.Message is WsdProbeMatches);
            var probe = Client.ProbeAsync(new ProbeRequest { Target = PublisherEndPoint, Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);
            await ClientReceived.WaitAsync(l => l.Count(a => a.Message is WsdProbeMatches) > before);
            Time.Advance(TimeSpan.FromSeconds(1));
            return await probe.WaitAsync(Collector<int>.DefaultTimeout);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            if (Publisher is not null)
            {
                await Publisher.DisposeAsync();
            }
        }
    }
}
