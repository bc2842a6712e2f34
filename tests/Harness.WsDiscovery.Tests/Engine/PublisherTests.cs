using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Engine;

public class PublisherTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Publish_ManySeeds_HelloAfterRandomDelayWithinAppMaxDelay()
    {
        // WS-Discovery §4.1 / checklist WSD-HB-001, WSD-HB-002: Hello on join, delayed by a random 0..APP_MAX_DELAY.
        var delays = new HashSet<TimeSpan>();
        for (var seed = 0; seed < 8; seed++)
        {
            await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], Seed = seed, InstanceId = 1234 });
            var service = Scene.Service(1);

            await scene.Publisher.PublishAsync(service, CancellationToken.None);
            var timers = scene.Time.DueTimes;
            var delay = timers.Count == 0 ? TimeSpan.Zero : timers[0];
            Assert.InRange(delay, TimeSpan.Zero, SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay);
            scene.Time.Advance(delay);
            var (datagram, hello) = await scene.Peer.WaitForAsync<WsdHello>();

            delays.Add(delay);
            Assert.Equal(delay, datagram.ReceivedAt - scene.Start);
            Assert.Equal(WsdMulticast.IPv4EndPoint, datagram.Destination);
            Assert.Equal(WsdProtocol.V11.HelloAction, hello.Header.Action);
            Assert.Equal(WsdProtocol.V11.MulticastTo, hello.Header.To);
            Assert.StartsWith("urn:uuid:", hello.Header.MessageId, StringComparison.Ordinal);
            Assert.Equal(new WsdAppSequence(1234, 1), hello.Header.AppSequence);
            Assert.Equal(service.EndpointAddress, hello.Endpoint.Endpoint.Address);
            Assert.Equal(service.Types, hello.Endpoint.Types);
            Assert.Equal(["http://127.0.0.2:5357/000000000001"], hello.Endpoint.XAddrs);
            Assert.Equal(1UL, hello.Endpoint.MetadataVersion);
        }

        Assert.True(delays.Count > 2, "the Hello delay should vary with the seed");
    }

    [Fact]
    public async Task Publish_Hello_RepeatedFourTimesWithSameBytes()
    {
        // SOAP-over-UDP App. I; checklist WSD-MSG-004: retransmissions carry the identical MessageID (identical bytes here).
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V2005], HelloDelay = TimeSpan.Zero });

        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        await scene.Time.PumpUntilAsync(scene.Peer.Received, l => l.Count(r => r.Message is WsdHello) >= 4, 100 * Ms, TimeSpan.FromSeconds(3));
        scene.Time.Advance(TimeSpan.FromSeconds(5));

        var copies = scene.Peer.Received.Items.Where(r => r.Message is WsdHello).ToList();
        Assert.Equal(4, copies.Count);
        Assert.All(copies, c => Assert.Equal(copies[0].Datagram.Payload.ToArray(), c.Datagram.Payload.ToArray()));
    }

    [Fact]
    public async Task Dispose_PublishedServices_ByeForEach()
    {
        // WS-Discovery §4.2; checklist WSD-HB-003.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V2005], SendHello = false, InstanceId = 77 });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        await scene.Publisher.PublishAsync(Scene.Service(2), CancellationToken.None);

        await scene.Publisher.DisposeAsync();
        await scene.Peer.Received.WaitAsync(l => l.Count(r => r.Message is WsdBye) >= 2);

        var byes = scene.Peer.Messages<WsdBye>().ToList();
        Assert.Equal([Scene.Service(1).EndpointAddress, Scene.Service(2).EndpointAddress], byes.Select(b => b.Endpoint.Endpoint.Address).Order());
        Assert.All(byes, b => Assert.Equal(WsdProtocol.V2005.ByeAction, b.Header.Action));
        Assert.All(byes, b => Assert.Equal(77UL, b.Header.AppSequence!.InstanceId));
        Assert.NotEqual(byes[0].Header.MessageId, byes[1].Header.MessageId);
    }

    [Fact]
    public async Task Withdraw_Service_ByeAndNoLongerAnswered()
    {
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        await scene.Publisher.PublishAsync(Scene.Service(2), CancellationToken.None);

        Assert.True(await scene.Publisher.WithdrawAsync(Scene.Service(1).EndpointAddress, CancellationToken.None));
        var (_, bye) = await scene.Peer.WaitForAsync<WsdBye>();
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(1)), scene.PublisherEndPoint);
        var (_, matches) = await scene.Peer.WaitForAsync<WsdProbeMatches>();

        Assert.Equal(Scene.Service(1).EndpointAddress, bye.Endpoint.Endpoint.Address);
        Assert.Equal([Scene.Service(2).EndpointAddress], matches.Matches.Select(m => m.Endpoint.Address));
        Assert.False(await scene.Publisher.WithdrawAsync(Scene.Service(1).EndpointAddress, CancellationToken.None));
    }

    [Fact]
    public async Task Update_ChangedScopes_MetadataVersionIncrementedAndHelloSent()
    {
        // WS-Discovery §4.1, checklist WSD-MSG-015: a metadata change increments MetadataVersion and is announced.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], HelloDelay = TimeSpan.Zero });
        var service = Scene.Service(1);
        await scene.Publisher.PublishAsync(service, CancellationToken.None);
        var (_, first) = await scene.Peer.WaitForAsync<WsdHello>();

        var updated = await scene.Publisher.UpdateAsync(service with { Scopes = ["http://example.com/moved"] }, CancellationToken.None);
        var (_, second) = await scene.Peer.WaitForAsync<WsdHello>(h => h.Endpoint.MetadataVersion == 2);

        Assert.Equal(2UL, updated.MetadataVersion);
        Assert.Equal(["http://example.com/moved"], second.Endpoint.Scopes);
        Assert.True(second.Header.AppSequence!.MessageNumber > first.Header.AppSequence!.MessageNumber);
        Assert.Equal(first.Header.AppSequence.InstanceId, second.Header.AppSequence.InstanceId);
    }

    [Fact]
    public async Task AddressesChanged_HelloAgainWithNewXAddrs()
    {
        // WS-Discovery §4.1: a new interface address is a join; the Hello carries the new address.
        var addresses = Scene.Addresses(IPAddress.Parse("127.0.0.2"));
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], HelloDelay = TimeSpan.Zero }, addresses);
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        await scene.Peer.WaitForAsync<WsdHello>();

        addresses.SetAddresses(new LocalAddress(IPAddress.Parse("127.0.0.9"), 1, "lo", 8));
        var (_, hello) = await scene.Peer.WaitForAsync<WsdHello>(h => h.Endpoint.XAddrs.Any(x => x.Contains("127.0.0.9", StringComparison.Ordinal)));

        Assert.Equal(["http://127.0.0.9:5357/000000000001"], hello.Endpoint.XAddrs);
    }

    [Fact]
    public async Task MulticastProbe_AnsweredUnicastToSourceAfterRandomDelay()
    {
        // Checklist WSD-PRB-012/013, WSD-MSG-007/008/009: unicast to the Probe's source IP and port after a delay in
        // [0, APP_MAX_DELAY]; RelatesTo = Probe MessageID; To = anonymous; a fresh MessageID; AppSequence.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false, InstanceId = 5, Seed = 3 });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        var timersBefore = scene.Time.DueTimes.Count;

        await scene.SendAndWaitHandledAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(1)), WsdMulticast.IPv4EndPoint);
        var delay = scene.Time.DueTimes.Skip(timersBefore).FirstOrDefault();
        scene.Time.Advance(delay);
        var (datagram, matches) = await scene.Peer.WaitForAsync<WsdProbeMatches>();

        Assert.InRange(delay, TimeSpan.Zero, SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay);
        Assert.Equal(delay, datagram.ReceivedAt - scene.Start);
        Assert.Equal(scene.Peer.EndPoint.Port, datagram.Destination.Port);
        Assert.Equal(Scene.PeerHost, datagram.Destination.Address);
        Assert.Equal(new IPEndPoint(Scene.PublisherHost, WsdMulticast.Port), datagram.Source);
        Assert.Equal(WsdProtocol.V11.ProbeMatchesAction, matches.Header.Action);
        Assert.Equal(Scene.Id(1), matches.Header.RelatesTo);
        Assert.Equal(WsdProtocol.V11.AnonymousAddress, matches.Header.To);
        Assert.NotEqual(Scene.Id(1), matches.Header.MessageId);
        Assert.Equal(5UL, matches.Header.AppSequence!.InstanceId);
        var match = Assert.Single(matches.Matches);
        Assert.Equal(Scene.Service(1).EndpointAddress, match.Endpoint.Address);
        Assert.Equal(["http://127.0.0.2:5357/000000000001"], match.XAddrs);
        Assert.Equal(1UL, match.MetadataVersion);
    }

    [Fact]
    public async Task UnicastProbe_AnsweredAtOnceWithUnicastRepeats()
    {
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);

        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(1)), scene.PublisherEndPoint);
        var (first, _) = await scene.Peer.WaitForAsync<WsdProbeMatches>();
        await scene.Time.PumpUntilAsync(scene.Peer.Received, l => l.Count(r => r.Message is WsdProbeMatches) >= 2, 50 * Ms, TimeSpan.FromSeconds(1));
        scene.Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(scene.Start, first.ReceivedAt);
        var copies = scene.Peer.Received.Items.Where(r => r.Message is WsdProbeMatches).ToList();
        Assert.Equal(2, copies.Count);
        Assert.Equal(copies[0].Datagram.Payload.ToArray(), copies[1].Datagram.Payload.ToArray());
    }

    [Theory]
    [InlineData(WsdVersion.V2005)]
    [InlineData(WsdVersion.V11)]
    public async Task Probe_BothFamiliesEnabled_AnsweredInTheProbesFamily(WsdVersion version)
    {
        var protocol = WsdProtocol.For(version);
        await using var scene = new PublisherScene(new PublisherOptions { SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);

        await scene.Peer.SendAsync(Scene.Probe(protocol, Scene.Id(1)), scene.PublisherEndPoint);
        var (_, matches) = await scene.Peer.WaitForAsync<WsdProbeMatches>();

        Assert.Same(protocol, matches.Protocol);
        Assert.Equal(protocol.ProbeMatchesAction, matches.Header.Action);
        Assert.Equal(protocol.AnonymousAddress, matches.Header.To);
    }

    [Fact]
    public async Task Probe_FamilyNotEnabled_Silence()
    {
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);

        await scene.SendAndWaitHandledAsync(Scene.Probe(WsdProtocol.V2005, Scene.Id(1)), scene.PublisherEndPoint);
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(2)), scene.PublisherEndPoint);
        await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(2));

        Assert.DoesNotContain(scene.Peer.Messages<WsdProbeMatches>(), m => m.Header.RelatesTo == Scene.Id(1));
        Assert.Equal(1, scene.Publisher.RequestsAnswered);
    }

    [Fact]
    public async Task Probe_ByType_OnlyServicesWithThatExpandedQNameMatch()
    {
        // WS-Discovery §5.1; checklist WSD-PRB-002: match by namespace + local name, not by prefix.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1, Scene.DeviceType, Scene.PrinterType), CancellationToken.None);
        await scene.Publisher.PublishAsync(Scene.Service(2, Scene.DeviceType, Scene.ScannerType), CancellationToken.None);
        var scannerUnderOtherPrefix = WsdQName.Create(Scene.ScannerType.Namespace, Scene.ScannerType.LocalName, "x7");
        var sameLocalNameOtherNamespace = WsdQName.Create("http://example.com/not-scan", Scene.ScannerType.LocalName, "wscn");

        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(1), null, scannerUnderOtherPrefix), scene.PublisherEndPoint);
        await scene.SendAndWaitHandledAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(2), null, sameLocalNameOtherNamespace), scene.PublisherEndPoint);
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(3), null, Scene.DeviceType), scene.PublisherEndPoint);
        var (_, scanner) = await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(1));
        var (_, devices) = await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(3));

        Assert.Equal([Scene.Service(2).EndpointAddress], scanner.Matches.Select(m => m.Endpoint.Address));
        Assert.Equal(2, devices.Matches.Count);
        Assert.DoesNotContain(scene.Peer.Messages<WsdProbeMatches>(), m => m.Header.RelatesTo == Scene.Id(2));
    }

    [Fact]
    public async Task Probe_ByScope_PrefixRuleSelectsServices()
    {
        // WS-Discovery 1.1 §5.1 rfc3986 (default MatchBy): segment-wise prefix of the path.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false });
        for (var n = 1; n <= 3; n++)
        {
            await scene.Publisher.PublishAsync(Scene.Service(n), CancellationToken.None);
        }

        var all = Scene.Probe(WsdProtocol.V11, Scene.Id(1)) with { Scopes = ["http://example.com/site"] };
        var floor1 = Scene.Probe(WsdProtocol.V11, Scene.Id(2)) with { Scopes = ["http://example.com/site/floor1"] };
        await scene.Peer.SendAsync(all, scene.PublisherEndPoint);
        await scene.Peer.SendAsync(floor1, scene.PublisherEndPoint);
        var (_, allMatches) = await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(1));
        var (_, floorMatches) = await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(2));

        Assert.Equal(3, allMatches.Matches.Count);
        Assert.Equal([Scene.Service(1).EndpointAddress], floorMatches.Matches.Select(m => m.Endpoint.Address));
    }

    [Fact]
    public async Task UnicastProbe_UnknownMatchBy_MatchingRuleNotSupportedFault()
    {
        // WS-Discovery §5.2; checklist WSD-PRB-010, WSD-ONV-007.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V2005], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);

        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V2005, Scene.Id(1), "http://example.com/no-such-rule"), scene.PublisherEndPoint);
        var (datagram, fault) = await scene.Peer.WaitForAsync<WsdFault>();

        Assert.Equal(Scene.Id(1), fault.Header.RelatesTo);
        Assert.Equal(WsdProtocol.V2005.FaultAction, fault.Header.Action);
        Assert.Equal("MatchingRuleNotSupported", fault.Subcode?.LocalName);
        Assert.Contains(WsdProtocol.V2005.MatchByRfc, fault.SupportedMatchingRules);
        Assert.Equal(scene.Peer.EndPoint.Port, datagram.Destination.Port);
    }

    [Fact]
    public async Task MulticastProbe_UnknownMatchBy_Silence()
    {
        // Checklist WSD-PRB-010: no fault storms on multicast.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V2005], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);

        await scene.SendAndWaitHandledAsync(Scene.Probe(WsdProtocol.V2005, Scene.Id(1), "http://example.com/no-such-rule"), WsdMulticast.IPv4EndPoint);
        scene.Time.Advance(TimeSpan.FromSeconds(1));
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V2005, Scene.Id(2)), scene.PublisherEndPoint);
        await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(2));

        Assert.Empty(scene.Peer.Messages<WsdFault>());
        Assert.Equal(1, scene.Publisher.RequestsAnswered);
    }

    [Fact]
    public async Task UnicastProbe_UnknownMatchByFaultsDisabled_Silence()
    {
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V2005], SendHello = false, AnswerUnicastProbesWithFault = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);

        await scene.SendAndWaitHandledAsync(Scene.Probe(WsdProtocol.V2005, Scene.Id(1), "http://example.com/no-such-rule"), scene.PublisherEndPoint);
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V2005, Scene.Id(2)), scene.PublisherEndPoint);
        await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(2));

        Assert.Empty(scene.Peer.Messages<WsdFault>());
    }

    [Fact]
    public async Task MulticastProbe_NoMatch_Silence()
    {
        // Checklist WSD-PRB-011: a non-matching target sends nothing (no empty ProbeMatches).
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1, Scene.PrinterType), CancellationToken.None);

        await scene.SendAndWaitHandledAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(1), null, Scene.ScannerType), WsdMulticast.IPv4EndPoint);
        scene.Time.Advance(TimeSpan.FromSeconds(1));
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(2)), scene.PublisherEndPoint);
        await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(2));

        Assert.Single(scene.Peer.Messages<WsdProbeMatches>());
    }

    [Fact]
    public async Task Probe_SameMessageIdFourTimes_AnsweredOnce()
    {
        // SOAP-over-UDP App. II; checklist WSD-UDP-004: one logical ProbeMatches (its own repeats allowed).
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V11], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        var probe = WsdMessageWriter.Write(Scene.Probe(WsdProtocol.V11, Scene.Id(1)));

        for (var i = 0; i < 4; i++)
        {
            await scene.Peer.SendAsync(probe, scene.PublisherEndPoint);
        }

        await scene.Handled.WaitAsync(l => l.Count(a => a.Message?.Header.MessageId == Scene.Id(1)) == 4);
        await scene.Time.PumpUntilAsync(scene.Peer.Received, l => l.Count(r => r.Message is WsdProbeMatches) >= 2, 50 * Ms, TimeSpan.FromSeconds(1));
        scene.Time.Advance(TimeSpan.FromSeconds(3));
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V11, Scene.Id(2)), scene.PublisherEndPoint);
        await scene.Peer.WaitForAsync<WsdProbeMatches>(m => m.Header.RelatesTo == Scene.Id(2));

        var answers = scene.Peer.Messages<WsdProbeMatches>().Where(m => m.Header.RelatesTo == Scene.Id(1)).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Single(answers.Select(a => a.Header.MessageId).Distinct());
        Assert.Equal(3, scene.Publisher.DuplicatesDropped);
    }

    [Fact]
    public async Task Resolve_OwnEndpoint_ResolveMatchesWithXAddrs()
    {
        // WS-Discovery §6.2; checklist WSD-RSV-001/002.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V2005], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        var resolve = new WsdResolve
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader { Action = WsdProtocol.V2005.ResolveAction, MessageId = Scene.Id(1), To = WsdProtocol.V2005.MulticastTo },
            Endpoint = new WsdEndpointReference(Scene.Service(1).EndpointAddress),
        };

        await scene.SendAndWaitHandledAsync(resolve, WsdMulticast.IPv4EndPoint);
        scene.Time.Advance(SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay);
        var (_, matches) = await scene.Peer.WaitForAsync<WsdResolveMatches>();

        Assert.Equal(Scene.Id(1), matches.Header.RelatesTo);
        Assert.Equal(WsdProtocol.V2005.AnonymousAddress, matches.Header.To);
        Assert.NotNull(matches.Header.AppSequence);
        Assert.Equal(Scene.Service(1).EndpointAddress, matches.Match!.Endpoint.Address);
        Assert.Equal(["http://127.0.0.2:5357/000000000001"], matches.Match.XAddrs);
    }

    [Fact]
    public async Task Resolve_OtherEndpoint_Silence()
    {
        // Checklist WSD-RSV-001 (WSDBIT 1.2.6: all-zero urn:uuid); quirk Q-RESOLVE-FLOOD.
        await using var scene = new PublisherScene(new PublisherOptions { Protocols = [WsdProtocol.V2005], SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        var resolve = new WsdResolve
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader { Action = WsdProtocol.V2005.ResolveAction, MessageId = Scene.Id(1), To = WsdProtocol.V2005.MulticastTo },
            Endpoint = new WsdEndpointReference("urn:uuid:00000000-0000-0000-0000-000000000000"),
        };

        await scene.SendAndWaitHandledAsync(resolve, scene.PublisherEndPoint);
        await scene.Peer.SendAsync(Scene.Probe(WsdProtocol.V2005, Scene.Id(2)), scene.PublisherEndPoint);
        await scene.Peer.WaitForAsync<WsdProbeMatches>();

        Assert.Empty(scene.Peer.Messages<WsdResolveMatches>());
        Assert.Equal(1, scene.Publisher.RequestsAnswered);
    }

    [Fact]
    public void Options_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentException>(() => new PublisherOptions { Protocols = [] }.Validate());
        Assert.Throws<ArgumentException>(() => new PublisherOptions { HelloDelay = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Throws<ArgumentException>(() => new PublisherOptions { MaxEnvelopeSize = 100 }.Validate());
        Assert.Throws<ArgumentException>(() => new PublishedService("not a uri").Validate());
    }

    [Fact]
    public async Task Publish_SameEndpointTwice_Throws()
    {
        await using var scene = new PublisherScene(new PublisherOptions { SendHello = false });
        await scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => scene.Publisher.PublishAsync(Scene.Service(1), CancellationToken.None));
    }

    /// <summary>A publisher on host 127.0.0.2 and a raw peer on 127.0.0.3, both on port 3702 in the group.</summary>
    private sealed class PublisherScene : IAsyncDisposable
    {
        private bool _disposed;

        public PublisherScene(PublisherOptions options, ILocalAddressProvider? addresses = null)
        {
            Network = new InMemoryNetwork(Time);
            Start = Time.GetUtcNow();
            Peer = new Peer(Scene.MulticastListener(Network, Scene.PeerHost));
            Publisher = new Publisher(
                Scene.MulticastListener(Network, Scene.PublisherHost),
                options with { Seed = options.Seed ?? 33 },
                Time,
                addressProvider: addresses ?? Scene.Addresses(Scene.PublisherHost));
            Publisher.DatagramReceived += (_, e) => Handled.Add(e);
        }

        public RecordingTimeProvider Time { get; } = new();

        public InMemoryNetwork Network { get; }

        public DateTimeOffset Start { get; }

        public Peer Peer { get; }

        public Publisher Publisher { get; }

        public Collector<WsdDatagramEventArgs> Handled { get; } = new();

        public IPEndPoint PublisherEndPoint { get; } = new(Scene.PublisherHost, WsdMulticast.Port);

        /// <summary>Sends a request and waits until the publisher has acted on it (an answer's delay timer is armed by then).</summary>
        public async Task SendAndWaitHandledAsync(WsdMessage message, IPEndPoint destination)
        {
            var id = message.Header.MessageId;
            await Peer.SendAsync(message, destination);
            await Handled.WaitAsync(l => l.Any(a => a.Message?.Header.MessageId == id));
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await Publisher.DisposeAsync();
            await Peer.DisposeAsync();
        }
    }
}
