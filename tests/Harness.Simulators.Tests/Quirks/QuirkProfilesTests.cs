using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Harness.Core.Transport;
using Harness.Simulators.Cameras;
using Harness.Simulators.Quirks;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Simulators.Tests.Quirks;

public sealed partial class QuirkProfilesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly IPEndPoint Group = new(IPAddress.Parse("239.255.255.250"), 3702);
    private static readonly IPEndPoint Client = new(IPAddress.Parse("127.0.0.1"), 50111);
    private static readonly IPEndPoint CameraAt = new(IPAddress.Parse("127.0.0.21"), 3702);
    private static readonly DateTimeOffset Start = new(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private const string Epr = "urn:uuid:3f0d8c1e-6a2b-4c55-9e1f-0a1b2c3d4e5f";

    private static readonly PublishedService Service = new(Epr)
    {
        Types = [Onvif.NetworkVideoTransmitter, Onvif.Device],
        Scopes = [Onvif.Scope("name", "Lobby"), Onvif.Scope("hardware", "IPC-566")],
        XAddrs = ["http://127.0.0.21:8080/onvif/device_service"],
    };

    [Fact]
    public void All_Profiles_HaveStableNamesDescriptionsAndRules()
    {
        Assert.True(QuirkProfiles.All.Count >= 30);
        Assert.Equal(QuirkProfiles.All.Count, QuirkProfiles.All.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(QuirkProfiles.All, p =>
        {
            Assert.Matches(NamePattern(), p.Name);
            Assert.False(string.IsNullOrWhiteSpace(p.Description));
            Assert.False(string.IsNullOrWhiteSpace(p.SeenIn));
            Assert.NotEmpty(p.ExpectedFailures);
            Assert.All(p.ExpectedFailures, id => Assert.Matches(RuleIdPattern(), id));
        });
    }

    [Fact]
    public void Apply_KnownName_SetsTheProfileOnTheOptions()
    {
        var options = QuirkProfiles.Apply("BARE-UUID", new FakeCameraOptions());

        Assert.Same(QuirkProfiles.Find("bare-uuid"), options.Quirks);
    }

    [Fact]
    public void Apply_UnknownName_ThrowsListingTheProfiles()
    {
        var error = Assert.Throws<ArgumentException>(() => QuirkProfiles.Apply("no-such-quirk", new FakeCameraOptions()));

        Assert.Contains("no-such-quirk", error.Message, StringComparison.Ordinal);
        Assert.Contains("echo-message-id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BareUuid_Outgoing_DropsUrnPrefixFromIdsAndAddressesButNotRelatesTo()
    {
        var (wrapped, inner) = Wrap("bare-uuid", new FakeTimeProvider(Start));

        await wrapped.SendAsync(Matches("urn:uuid:00000000-1111-4222-8333-444444444444", "urn:uuid:99999999-1111-4222-8333-444444444444"), Client, CancellationToken.None);

        var sent = Read(Assert.Single(inner.Sent).Payload);
        Assert.Equal("uuid:00000000-1111-4222-8333-444444444444", sent.Header.MessageId);
        Assert.Equal("urn:uuid:99999999-1111-4222-8333-444444444444", sent.Header.RelatesTo);
        Assert.Equal("uuid:" + Epr[9..], Assert.Single(((WsdProbeMatches)sent).Matches).Endpoint.Address);
    }

    [Fact]
    public async Task TypedOnly_Incoming_DropsWildcardProbeAndPassesTypedProbe()
    {
        var (wrapped, inner) = Wrap("typed-only", new FakeTimeProvider(Start));
        inner.Deliver(Probe("urn:uuid:00000000-0000-4000-8000-000000000001", []), Group);
        inner.Deliver(Probe("urn:uuid:00000000-0000-4000-8000-000000000002", [Onvif.NetworkVideoTransmitter]), Group);

        var received = await wrapped.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Wait);

        Assert.Equal("urn:uuid:00000000-0000-4000-8000-000000000002", Read(received.Payload).Header.MessageId);
    }

    [Fact]
    public async Task PrefixSensitive_Incoming_DropsProbeWhoseTypePrefixIsNotDn()
    {
        var (wrapped, inner) = Wrap("prefix-sensitive", new FakeTimeProvider(Start));
        inner.Deliver(Probe("urn:uuid:00000000-0000-4000-8000-000000000003", [WsdQName.Create(Onvif.NetworkNamespace, "NetworkVideoTransmitter", "x9")]), Group);
        inner.Deliver(Probe("urn:uuid:00000000-0000-4000-8000-000000000004", [Onvif.NetworkVideoTransmitter]), Group);

        var received = await wrapped.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Wait);

        Assert.Equal("urn:uuid:00000000-0000-4000-8000-000000000004", Read(received.Payload).Header.MessageId);
    }

    [Fact]
    public async Task AnswerDuplicates_SecondCopy_GetsFreshIdAndItsAnswerRelatesToTheOriginal()
    {
        var (wrapped, inner) = Wrap("answer-duplicates", new FakeTimeProvider(Start));
        const string Id = "urn:uuid:00000000-0000-4000-8000-000000000005";
        inner.Deliver(Probe(Id, []), CameraAt);
        inner.Deliver(Probe(Id, []), CameraAt);

        var first = Read((await wrapped.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Wait)).Payload);
        var second = Read((await wrapped.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Wait)).Payload);
        await wrapped.SendAsync(Matches("urn:uuid:00000000-0000-4000-8000-0000000000a1", second.Header.MessageId!), Client, CancellationToken.None);

        Assert.Equal(Id, first.Header.MessageId);
        Assert.NotEqual(Id, second.Header.MessageId);
        Assert.Equal(Id, Read(Assert.Single(inner.Sent).Payload).Header.RelatesTo);
    }

    [Fact]
    public async Task MulticastReplies_UnicastAnswer_GoesToTheGroup()
    {
        var (wrapped, inner) = Wrap("multicast-replies", new FakeTimeProvider(Start));

        await wrapped.SendAsync(Matches("urn:uuid:00000000-0000-4000-8000-0000000000a2", "urn:uuid:00000000-0000-4000-8000-0000000000a3"), Client, CancellationToken.None);

        Assert.Equal(Group, Assert.Single(inner.Sent).Destination);
    }

    [Fact]
    public async Task ReplyToDiscoveryPort_UnicastAnswer_GoesToPort3702OfTheRequester()
    {
        var (wrapped, inner) = Wrap("reply-to-discovery-port", new FakeTimeProvider(Start));

        await wrapped.SendAsync(Matches("urn:uuid:00000000-0000-4000-8000-0000000000a4", "urn:uuid:00000000-0000-4000-8000-0000000000a5"), Client, CancellationToken.None);

        Assert.Equal(new IPEndPoint(Client.Address, 3702), Assert.Single(inner.Sent).Destination);
    }

    [Fact]
    public async Task FragileParser_AfterJunk_HearsNothingUntilRestarted()
    {
        var (wrapped, inner, session) = WrapWithSession("fragile-parser", new FakeTimeProvider(Start));
        inner.Deliver("<not-xml"u8.ToArray(), CameraAt);
        inner.Deliver(Probe("urn:uuid:00000000-0000-4000-8000-000000000006", []), CameraAt);

        // Both queued datagrams are read (and dropped) before the receive waits for more.
        var pending = wrapped.ReceiveAsync(CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        session.Restarted();
        inner.Deliver(Probe("urn:uuid:00000000-0000-4000-8000-000000000007", []), CameraAt);

        var received = await pending.WaitAsync(Wait);
        Assert.Equal("urn:uuid:00000000-0000-4000-8000-000000000007", Read(received.Payload).Header.MessageId);
    }

    [Fact]
    public async Task LateHello_FirstCopy_WaitsOnTheClockAndRepeatsDoNot()
    {
        var time = new FakeTimeProvider(Start);
        var (wrapped, inner) = Wrap("late-hello", time);
        var hello = WsdMessageWriter.Write(new WsdHello
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader { Action = WsdProtocol.V2005.HelloAction, MessageId = "urn:uuid:00000000-0000-4000-8000-0000000000b1", To = WsdProtocol.V2005.MulticastTo, AppSequence = new(1, 1) },
            Endpoint = new WsdEndpointData(new(Epr), Service.Types, Service.Scopes, Service.XAddrs, 1),
        });

        var first = wrapped.SendAsync(hello, Group, CancellationToken.None).AsTask();
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.Empty(inner.Sent);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await first.WaitAsync(Wait);
        await wrapped.SendAsync(hello, Group, CancellationToken.None).AsTask().WaitAsync(Wait);

        Assert.Equal(2, inner.Sent.Count);
    }

    [Fact]
    public async Task Soap11_Outgoing_UsesTheSoap11Envelope()
    {
        var (wrapped, inner) = Wrap("soap11", new FakeTimeProvider(Start));

        await wrapped.SendAsync(Matches("urn:uuid:00000000-0000-4000-8000-0000000000a6", "urn:uuid:00000000-0000-4000-8000-0000000000a7"), Client, CancellationToken.None);

        var text = Encoding.UTF8.GetString(Assert.Single(inner.Sent).Payload);
        Assert.Contains("http://schemas.xmlsoap.org/soap/envelope/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http://www.w3.org/2003/05/soap-envelope", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(QuirkRestart.None)]
    [InlineData(QuirkRestart.InstanceIdBackwards)]
    [InlineData(QuirkRestart.NewEndpointReference)]
    public async Task Restart_WithBehaviour_ChangesInstanceIdAndAddressAsAsked(QuirkRestart restart)
    {
        var network = new InMemoryNetwork(TimeProvider.System);
        var options = new FakeCameraOptions
        {
            Index = 3,
            TransportFactory = () => network.CreateTransportOnHost(CameraAt.Address, new IPEndPoint(IPAddress.Any, 3702), Group.Address),
            AddressProvider = new StaticLocalAddressProvider(new LocalAddress(CameraAt.Address)),
            Profile = SoapOverUdpProfile.WsDiscovery2005 with { MulticastUdpRepeat = 1, UnicastUdpRepeat = 1 },
            AnswerDelay = TimeSpan.Zero,
            HelloDelay = TimeSpan.Zero,
            Restart = restart,
        };
        await using var camera = await FakeCamera.StartAsync(options, CancellationToken.None);
        var instance = camera.InstanceId;
        var address = camera.EndpointAddress;

        await camera.RestartAsync(CancellationToken.None).WaitAsync(Wait);

        Assert.Equal(restart == QuirkRestart.InstanceIdBackwards, camera.InstanceId < instance);
        Assert.Equal(restart != QuirkRestart.InstanceIdBackwards, camera.InstanceId > instance);
        Assert.Equal(restart == QuirkRestart.NewEndpointReference, camera.EndpointAddress != address);
    }

    [Fact]
    public async Task NvtOnlyTypes_Camera_PublishesNoTdsDevice()
    {
        var network = new InMemoryNetwork(TimeProvider.System);
        var options = QuirkProfiles.Apply("nvt-only-types", new FakeCameraOptions
        {
            TransportFactory = () => network.CreateTransportOnHost(CameraAt.Address, new IPEndPoint(IPAddress.Any, 3702), Group.Address),
            AddressProvider = new StaticLocalAddressProvider(new LocalAddress(CameraAt.Address)),
            HelloDelay = TimeSpan.Zero,
        });

        await using var camera = await FakeCamera.StartAsync(options, CancellationToken.None);

        Assert.Equal([Onvif.NetworkVideoTransmitter], camera.Service.Types);
    }

    private static (IDatagramTransport Wrapped, FakeInner Inner) Wrap(string name, TimeProvider time)
    {
        var (wrapped, inner, _) = WrapWithSession(name, time);
        return (wrapped, inner);
    }

    private static (IDatagramTransport Wrapped, FakeInner Inner, QuirkSession Session) WrapWithSession(string name, TimeProvider time)
    {
        var session = QuirkProfiles.Find(name)!.Start(new QuirkContext(() => Service, Group, time, 7));
        var inner = new FakeInner(time);
        return (session.Wrap(inner), inner, session);
    }

    private static WsdMessage Read(ReadOnlyMemory<byte> payload) => WsdMessageReader.Read(payload.Span).Message!;

    private static byte[] Probe(string id, IReadOnlyList<WsdQName> types) => WsdMessageWriter.Write(new WsdProbe
    {
        Protocol = WsdProtocol.V2005,
        Header = new WsdHeader { Action = WsdProtocol.V2005.ProbeAction, MessageId = id, To = WsdProtocol.V2005.MulticastTo },
        Types = types,
    });

    private static byte[] Matches(string id, string relatesTo) => WsdMessageWriter.Write(new WsdProbeMatches
    {
        Protocol = WsdProtocol.V2005,
        Header = new WsdHeader { Action = WsdProtocol.V2005.ProbeMatchesAction, MessageId = id, RelatesTo = relatesTo, To = WsdProtocol.V2005.AnonymousAddress, AppSequence = new(1, 2) },
        Matches = [new WsdEndpointData(new(Epr), Service.Types, Service.Scopes, Service.XAddrs, 1)],
    });

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^WSD-[A-Z]+-[0-9]{3}$")]
    private static partial Regex RuleIdPattern();

    /// <summary>The transport under a quirk: keeps what is sent, hands out what a test delivers.</summary>
    private sealed class FakeInner(TimeProvider time) : IDatagramTransport
    {
        private readonly Channel<Datagram> _inbound = Channel.CreateUnbounded<Datagram>();

        public IPEndPoint LocalEndPoint => CameraAt;

        public IReadOnlyCollection<IPAddress> JoinedGroups => [Group.Address];

        public List<(byte[] Payload, IPEndPoint Destination)> Sent { get; } = [];

        public void Deliver(byte[] payload, IPEndPoint to) =>
            _inbound.Writer.TryWrite(new Datagram(payload, Client, to, time.GetUtcNow()));

        public ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add((payload.ToArray(), destination));
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken) => _inbound.Reader.ReadAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
