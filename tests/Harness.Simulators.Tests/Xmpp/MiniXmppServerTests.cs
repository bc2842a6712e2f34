using System.Xml.Linq;
using Harness.Simulators.Xmpp.Server;
using Harness.Xmpp.Core;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Simulators.Tests.Xmpp;

/// <summary>Harness.Xmpp's client and component against the in-process mini server (written apart from the client).</summary>
public sealed class MiniXmppServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly XNamespace Test = "urn:harness:test";
    private static readonly XNamespace DiscoInfo = "http://jabber.org/protocol/disco#info";

    [Fact]
    public async Task Connect_ScramSha1Offered_AuthenticatesWithScramSha1AndBindsResource()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", resource: "desk");

        Assert.True(alice.IsConnected);
        Assert.Equal("SCRAM-SHA-1", alice.Mechanism);
        Assert.Equal(Jid.Parse("alice@localhost/desk"), alice.LocalJid);
        Assert.False(alice.IsEncrypted);
        Assert.Contains("alice@localhost/desk", server.ConnectedAddresses);
    }

    [Fact]
    public async Task Connect_NoResourceRequested_ServerAssignsOne()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", resource: null);

        Assert.Equal("alice", alice.LocalJid.Local);
        Assert.False(string.IsNullOrEmpty(alice.LocalJid.Resource));
    }

    [Fact]
    public async Task Connect_WrongPassword_FailsNotAuthorized()
    {
        await using var server = await StartAsync();

        var ex = await Assert.ThrowsAsync<XmppNegotiationException>(() => ConnectAsync(server, "alice", password: "wrong"));

        Assert.Equal("not-authorized", ex.Condition);
    }

    [Fact]
    public async Task Connect_OnlyPlainOfferedWithoutTls_RefusedUnlessAllowed()
    {
        await using var server = await StartAsync(new MiniXmppServerOptions { Mechanisms = ["PLAIN"] });

        var ex = await Assert.ThrowsAsync<XmppNegotiationException>(() => ConnectAsync(server, "alice"));
        Assert.Equal("invalid-mechanism", ex.Condition);

        await using var alice = await ConnectAsync(server, "alice", configure: o => o with { AllowPlainWithoutTls = true });
        Assert.Equal("PLAIN", alice.Mechanism);
    }

    [Fact]
    public async Task Connect_StartTlsRequired_NegotiatesTlsThenPlain()
    {
        await using var server = await StartAsync(new MiniXmppServerOptions { RequireStartTls = true, Mechanisms = ["PLAIN"] });

        await using var alice = await ConnectAsync(server, "alice", configure: o => o with { CertificateValidation = XmppClientOptions.AcceptAnyCertificate });

        Assert.True(alice.IsEncrypted);
        Assert.Equal("PLAIN", alice.Mechanism);
        var info = await alice.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);
        Assert.Equal("server", (string?)info.Descendants(DiscoInfo + "identity").Single().Attribute("category"));
    }

    [Fact]
    public async Task Connect_StartTlsOfferedNotRequired_NotUsedByDefault()
    {
        await using var server = await StartAsync(new MiniXmppServerOptions { OfferStartTls = true });

        await using var plain = await ConnectAsync(server, "alice");
        await using var tls = await ConnectAsync(server, "alice", configure: o => o with { Tls = XmppTlsMode.WhenOffered, CertificateValidation = XmppClientOptions.AcceptAnyCertificate });

        Assert.False(plain.IsEncrypted);
        Assert.True(tls.IsEncrypted);
    }

    [Fact]
    public async Task Connect_TlsRequiredByOptionsNotOffered_Fails()
    {
        await using var server = await StartAsync();

        var ex = await Assert.ThrowsAsync<XmppNegotiationException>(() => ConnectAsync(server, "alice", configure: o => o with { Tls = XmppTlsMode.Required }));

        Assert.Equal("encryption-required", ex.Condition);
    }

    [Fact]
    public async Task Connect_SessionRequired_EstablishesSessionBeforeStanzas()
    {
        await using var server = await StartAsync(new MiniXmppServerOptions { RequireSession = true });

        await using var alice = await ConnectAsync(server, "alice");

        // The server refuses routed stanzas from a session that skipped the required session iq.
        var info = await alice.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);
        Assert.Equal("result", (string?)info.Attribute("type"));
    }

    [Fact]
    public async Task Iq_BetweenTwoClients_HandlerAnswersWithPayload()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", resource: "a");
        await using var bob = await ConnectAsync(server, "bob", resource: "b");
        string? seenFrom = null;
        using var registration = alice.RegisterIqHandler("get", Test + "echo", (iq, _) =>
        {
            seenFrom = (string?)iq.Attribute("from");
            return ValueTask.FromResult<XElement?>(new XElement(Test + "echo", iq.Element(Test + "echo")!.Value + "!"));
        });

        var result = await bob.SendIqAsync(Iq("get", alice.LocalJid, new XElement(Test + "echo", "hello")), Wait, CancellationToken.None);

        Assert.Equal("result", (string?)result.Attribute("type"));
        Assert.Equal("hello!", result.Element(XmppNamespaces.Client + "echo")?.Value ?? result.Element(Test + "echo")?.Value);
        Assert.Equal(alice.LocalJid.ToString(), (string?)result.Attribute("from"));
        Assert.Equal("bob@localhost/b", seenFrom);
    }

    [Fact]
    public async Task Iq_NoHandlerForPayload_AnsweredServiceUnavailable()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        var ex = await Assert.ThrowsAsync<XmppStanzaException>(() => bob.SendIqAsync(Iq("set", alice.LocalJid, new XElement(Test + "unknown")), Wait, CancellationToken.None));

        Assert.Equal("service-unavailable", ex.Condition);
        Assert.Equal("cancel", ex.ErrorType);
        Assert.Equal(alice.LocalJid.ToString(), (string?)ex.Stanza?.Attribute("from"));
    }

    [Fact]
    public async Task Iq_HandlerThrowsStanzaError_PeerReceivesThatError()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        using var registration = alice.RegisterIqHandler("get", Test + "q", (_, _) => throw new XmppStanzaException("cancel", "item-not-found", "no such node"));

        var ex = await Assert.ThrowsAsync<XmppStanzaException>(() => bob.SendIqAsync(Iq("get", alice.LocalJid, new XElement(Test + "q")), Wait, CancellationToken.None));

        Assert.Equal("item-not-found", ex.Condition);
        Assert.Equal("no such node", ex.Text);
    }

    [Fact]
    public async Task Iq_ToFullJidNotConnected_BouncedServiceUnavailable()
    {
        await using var server = await StartAsync();
        await using var bob = await ConnectAsync(server, "bob");

        var ex = await Assert.ThrowsAsync<XmppStanzaException>(() => bob.SendIqAsync(Iq("get", Jid.Parse("alice@localhost/gone"), new XElement(Test + "q")), Wait, CancellationToken.None));

        Assert.Equal("service-unavailable", ex.Condition);
    }

    [Fact]
    public async Task Iq_DiscoInfoToServerDomain_IdentityServerIm()
    {
        await using var server = await StartAsync();
        await using var bob = await ConnectAsync(server, "bob");

        var result = await bob.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);

        var identity = result.Descendants(DiscoInfo + "identity").Single();
        Assert.Equal(("server", "im"), ((string?)identity.Attribute("category"), (string?)identity.Attribute("type")));
        Assert.Contains(result.Descendants(DiscoInfo + "feature"), f => (string?)f.Attribute("var") == DiscoInfo.NamespaceName);
    }

    [Fact]
    public async Task Iq_NoAnswerWithinTimeout_TimeoutExceptionOnFakeClock()
    {
        var clock = new TimerWatchingTimeProvider(TimeSpan.FromSeconds(7));
        await using var server = await StartAsync(new MiniXmppServerOptions { Faults = DropSilent });
        await using var bob = await ConnectAsync(server, "bob", clock: clock);

        var pending = bob.SendIqAsync(Iq("get", Jid.Parse("localhost"), new XElement(Test + "silent")), TimeSpan.FromSeconds(7), CancellationToken.None);
        await clock.TimerCreated.WaitAsync(Wait);
        clock.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));

        await Assert.ThrowsAsync<TimeoutException>(() => pending.WaitAsync(Wait));
        Assert.True(bob.IsConnected);
    }

    [Fact]
    public async Task Close_IqPending_FailsWithStreamClosedAndRaisesClosedOnce()
    {
        await using var server = await StartAsync(new MiniXmppServerOptions { Faults = DropSilent });
        var alice = await ConnectAsync(server, "alice");
        var closed = 0;
        alice.Closed += (_, _) => Interlocked.Increment(ref closed);
        var pending = alice.SendIqAsync(Iq("get", Jid.Parse("localhost"), new XElement(Test + "silent")), Timeout.InfiniteTimeSpan, CancellationToken.None);

        await alice.CloseAsync(CancellationToken.None).WaitAsync(Wait);

        await Assert.ThrowsAsync<XmppStreamClosedException>(() => pending.WaitAsync(Wait));
        Assert.False(alice.IsConnected);
        Assert.Equal(1, closed);
        await Assert.ThrowsAsync<XmppStreamClosedException>(async () => await alice.SendAsync(new XElement(XmppNamespaces.Client + "presence"), CancellationToken.None));
        await alice.DisposeAsync();
        Assert.Equal(1, closed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServerCloses_IqPending_FailsWithStreamClosed(bool graceful)
    {
        await using var server = await StartAsync(new MiniXmppServerOptions { Faults = DropSilent });
        await using var alice = await ConnectAsync(server, "alice");
        var pending = alice.SendIqAsync(Iq("get", Jid.Parse("localhost"), new XElement(Test + "silent")), Timeout.InfiniteTimeSpan, CancellationToken.None);
        Assert.Contains(alice.LocalJid.ToString(), server.ConnectedAddresses);

        await server.DisconnectAsync(alice.LocalJid.ToString(), graceful);

        await Assert.ThrowsAsync<XmppStreamClosedException>(() => pending.WaitAsync(Wait));
        await alice.Completion.WaitAsync(Wait);
        Assert.False(alice.IsConnected);
    }

    [Fact]
    public async Task Fault_DisconnectAfterTwoStanzas_ThirdStanzaClosesTheSender()
    {
        await using var server = await StartAsync(new MiniXmppServerOptions { Faults = MiniXmppServerOptions.DisconnectAfter(2) });
        await using var bob = await ConnectAsync(server, "bob");

        await bob.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);
        await bob.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);
        await Assert.ThrowsAsync<XmppStreamClosedException>(() => bob.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None));

        await bob.Completion.WaitAsync(Wait);
    }

    [Fact]
    public async Task Presence_Broadcast_ReachesOtherSessionsBothWays()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", resource: "a");
        await using var bob = await ConnectAsync(server, "bob", resource: "b");
        var aliceSaw = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bobSaw = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.PresenceReceived += (_, p) => aliceSaw.TrySetResult(p);
        bob.PresenceReceived += (_, p) => bobSaw.TrySetResult(p);

        await alice.SendAsync(new XElement(XmppNamespaces.Client + "presence", new XElement(XmppNamespaces.Client + "status", "here")), CancellationToken.None);
        var atBob = await bobSaw.Task.WaitAsync(Wait);
        await bob.SendAsync(new XElement(XmppNamespaces.Client + "presence"), CancellationToken.None);
        var atAlice = await aliceSaw.Task.WaitAsync(Wait);

        Assert.Equal("alice@localhost/a", (string?)atBob.Attribute("from"));
        Assert.Equal("here", atBob.Element(XmppNamespaces.Client + "status")?.Value);
        Assert.Equal("bob@localhost/b", (string?)atAlice.Attribute("from"));
    }

    [Fact]
    public async Task Message_ToFullJid_Delivered()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        var got = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.MessageReceived += (_, m) => got.TrySetResult(m);

        await bob.SendAsync(new XElement(XmppNamespaces.Client + "message", new XAttribute("to", alice.LocalJid.ToString()), new XElement(XmppNamespaces.Client + "body", "hi")), CancellationToken.None);

        var message = await got.Task.WaitAsync(Wait);
        Assert.Equal("hi", message.Element(XmppNamespaces.Client + "body")?.Value);
        Assert.Equal(bob.LocalJid.ToString(), (string?)message.Attribute("from"));
    }

    [Fact]
    public async Task Component_GoodSecret_HandshakeAndServesJidsInItsDomain()
    {
        await using var server = await StartAsync();
        await using var component = await XmppComponentConnection.ConnectAsync(new XmppComponentOptions
        {
            Domain = "disco.localhost",
            Host = "127.0.0.1",
            Port = server.ComponentPort,
            Secret = "s3cret",
        });
        await using var bob = await ConnectAsync(server, "bob");
        string? requestTo = null;
        using var registration = component.RegisterIqHandler("get", DiscoInfo + "query", (iq, _) =>
        {
            requestTo = (string?)iq.Attribute("to");
            return ValueTask.FromResult<XElement?>(new XElement(DiscoInfo + "query", new XElement(DiscoInfo + "identity", new XAttribute("category", "client"), new XAttribute("type", "pc"))));
        });

        var result = await bob.SendIqAsync(DiscoInfoRequest("camera1@disco.localhost"), Wait, CancellationToken.None);

        Assert.Equal(Jid.Parse("disco.localhost"), component.LocalJid);
        Assert.Equal(XmppNamespaces.ComponentAccept, component.ContentNamespace);
        Assert.Equal("camera1@disco.localhost", requestTo);
        Assert.Equal("camera1@disco.localhost", (string?)result.Attribute("from"));
        Assert.Equal("client", (string?)result.Descendants(DiscoInfo + "identity").Single().Attribute("category"));
    }

    [Fact]
    public async Task Component_SendIq_FromFilledWithComponentDomain()
    {
        await using var server = await StartAsync();
        await using var component = await XmppComponentConnection.ConnectAsync(new XmppComponentOptions
        {
            Domain = "disco.localhost",
            Host = "127.0.0.1",
            Port = server.ComponentPort,
            Secret = "s3cret",
        });

        var result = await component.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);

        Assert.Equal("disco.localhost", (string?)result.Attribute("to"));
        Assert.Single(result.Descendants(DiscoInfo + "identity"));
    }

    [Fact]
    public async Task Component_BadSecret_StreamErrorNotAuthorized()
    {
        await using var server = await StartAsync();

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => XmppComponentConnection.ConnectAsync(new XmppComponentOptions
        {
            Domain = "disco.localhost",
            Host = "127.0.0.1",
            Port = server.ComponentPort,
            Secret = "wrong",
        }));

        Assert.Equal("not-authorized", ex.Condition);
        Assert.True(ex.FromPeer);
    }

    [Fact]
    public async Task Iq_ToComponentNotConnected_BouncedServiceUnavailable()
    {
        await using var server = await StartAsync();
        await using var bob = await ConnectAsync(server, "bob");

        var ex = await Assert.ThrowsAsync<XmppStanzaException>(() => bob.SendIqAsync(DiscoInfoRequest("node@disco.localhost"), Wait, CancellationToken.None));

        Assert.Equal("service-unavailable", ex.Condition);
    }

    internal static MiniXmppFaultAction DropSilent(MiniXmppStanzaContext context) =>
        context.Stanza.Descendants().Any(e => e.Name.LocalName == "silent") ? MiniXmppFaultAction.Drop : MiniXmppFaultAction.Deliver;

    internal static async Task<MiniXmppServer> StartAsync(MiniXmppServerOptions? options = null)
    {
        options ??= new MiniXmppServerOptions();
        options = options with { Components = new Dictionary<string, string> { ["disco.localhost"] = "s3cret" } };
        var server = await MiniXmppServer.StartAsync(options, CancellationToken.None);
        server.AddUser("alice", "alice-pw");
        server.AddUser("bob", "bob-pw");
        return server;
    }

    internal static Task<XmppClientConnection> ConnectAsync(
        MiniXmppServer server,
        string user,
        string? password = null,
        string? resource = "test",
        TimeProvider? clock = null,
        Func<XmppClientOptions, XmppClientOptions>? configure = null)
    {
        var options = new XmppClientOptions
        {
            Domain = server.Domain,
            Host = "127.0.0.1",
            Port = server.Port,
            User = user,
            Password = password ?? user + "-pw",
            Resource = resource,
            Random = new Random(7),
        };
        return XmppClientConnection.ConnectAsync(configure is null ? options : configure(options), clock).WaitAsync(Wait);
    }

    internal static XElement Iq(string type, Jid to, XElement payload) =>
        new(XmppNamespaces.Client + "iq", new XAttribute("type", type), new XAttribute("to", to.ToString()), payload);

    internal static XElement DiscoInfoRequest(string to) => new(
        XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", to), new XElement(DiscoInfo + "query"));

    /// <summary>A fake clock that says when a timer with a given due time has been created (the iq timeout), so the
    /// test advances time only after the client armed it.</summary>
    private sealed class TimerWatchingTimeProvider(TimeSpan watched) : FakeTimeProvider
    {
        private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _created.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime == watched)
            {
                _created.TrySetResult();
            }

            return timer;
        }
    }
}
