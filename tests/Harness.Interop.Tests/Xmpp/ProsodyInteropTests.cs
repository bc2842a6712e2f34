using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Interop.Tests.Xmpp;

/// <summary>Harness.Xmpp's client and component against Debian's Prosody 0.12 on loopback (xmpp.md §3.2, XMPP-CORE-003).</summary>
public sealed class ProsodyInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly XNamespace DiscoInfo = "http://jabber.org/protocol/disco#info";
    private static readonly XNamespace Caps = "http://jabber.org/protocol/caps";
    private static readonly XNamespace Test = "urn:harness:test";

    [SkippableTheory]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("PLAIN")]
    public async Task Connect_Mechanism_AuthenticatesAndBindsFullJid(string mechanism)
    {
        await using var prosody = await ProsodyFixture.StartAsync();

        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice") with { Mechanisms = [mechanism] }).WaitAsync(Wait);

        Assert.Equal(mechanism, alice.Mechanism);
        Assert.Equal(Jid.Parse("alice@localhost/harness"), alice.LocalJid);
        Assert.False(alice.IsEncrypted);
        Assert.Equal("localhost", alice.PeerHeader?.From);
    }

    [SkippableFact]
    public async Task Connect_DefaultPreference_PicksTheStrongestScramProsodyOffers()
    {
        await using var prosody = await ProsodyFixture.StartAsync();

        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice", resource: null)).WaitAsync(Wait);

        // Debian's Prosody 0.12.3 with internal_hashed offers SCRAM-SHA-1 and PLAIN (no SCRAM-SHA-256); PLAIN is allowed
        // here without TLS, so this checks the preference order, not a refusal.
        Assert.Equal("SCRAM-SHA-1", alice.Mechanism);
        Assert.False(string.IsNullOrEmpty(alice.LocalJid.Resource));
    }

    [SkippableFact]
    public async Task Connect_WrongPassword_SaslFailureNotAuthorized()
    {
        await using var prosody = await ProsodyFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<XmppNegotiationException>(() =>
            XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice") with { Password = "wrong", Mechanisms = ["SCRAM-SHA-1"] }).WaitAsync(Wait));

        Assert.Equal("not-authorized", ex.Condition);
    }

    [SkippableFact]
    public async Task Connect_EncryptionRequired_StartTlsThenScram()
    {
        await using var prosody = await ProsodyFixture.StartAsync(new ProsodyFixtureOptions { Tls = true, RequireEncryption = true });

        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice") with { Mechanisms = ["SCRAM-SHA-1"] }).WaitAsync(Wait);

        Assert.True(alice.IsEncrypted);
        Assert.Equal("SCRAM-SHA-1", alice.Mechanism);
    }

    [SkippableFact]
    public async Task StreamFeatures_AfterAuthentication_CarryProsodyCaps()
    {
        await using var prosody = await ProsodyFixture.StartAsync();

        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice")).WaitAsync(Wait);

        // XMPP-CAPS-023: Prosody puts a caps element (node http://prosody.im) in its c2s stream features.
        var caps = alice.Features?.Element(Caps + "c");
        Assert.NotNull(caps);
        Assert.Equal("http://prosody.im", (string?)caps.Attribute("node"));
        Assert.Equal("sha-1", (string?)caps.Attribute("hash"));
    }

    [SkippableFact]
    public async Task DiscoInfo_ServerDomain_IdentityServerImAndDiscoFeatures()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice")).WaitAsync(Wait);

        var result = await alice.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);

        Assert.Equal("localhost", (string?)result.Attribute("from"));
        Assert.Contains(result.Descendants(DiscoInfo + "identity"), i => (string?)i.Attribute("category") == "server" && (string?)i.Attribute("type") == "im");
        var features = result.Descendants(DiscoInfo + "feature").Select(f => (string?)f.Attribute("var")).ToList();
        Assert.Contains("http://jabber.org/protocol/disco#info", features);
        Assert.Contains("http://jabber.org/protocol/disco#items", features);
        Assert.Contains("urn:xmpp:ping", features);
    }

    [SkippableFact]
    public async Task Iq_BetweenTwoClientsThroughProsody_RoundTripAndServiceUnavailable()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice", "a")).WaitAsync(Wait);
        await using var bob = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("bob", "b")).WaitAsync(Wait);
        using var handler = alice.RegisterIqHandler("get", Test + "echo", (iq, _) =>
            ValueTask.FromResult<XElement?>(new XElement(Test + "echo", (string?)iq.Attribute("from"))));

        var result = await bob.SendIqAsync(Iq("get", alice.LocalJid.ToString(), new XElement(Test + "echo")), Wait, CancellationToken.None);
        var error = await Assert.ThrowsAsync<XmppStanzaException>(() => bob.SendIqAsync(Iq("get", alice.LocalJid.ToString(), new XElement(Test + "nobody")), Wait, CancellationToken.None));

        Assert.Equal("bob@localhost/b", result.Element(Test + "echo")?.Value);
        Assert.Equal("service-unavailable", error.Condition);
        Assert.Equal("cancel", error.ErrorType);
    }

    [SkippableFact]
    public async Task Close_IqPendingOnTheClosingSide_FailsWithStreamClosed()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice", "a")).WaitAsync(Wait);
        await using var bob = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("bob", "b")).WaitAsync(Wait);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<XElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var handler = bob.RegisterIqHandler("get", Test + "slow", async (_, ct) =>
        {
            arrived.TrySetResult();
            return await never.Task.WaitAsync(ct);
        });
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.Closed += (_, _) => closed.TrySetResult();

        var pending = alice.SendIqAsync(Iq("get", bob.LocalJid.ToString(), new XElement(Test + "slow")), Timeout.InfiniteTimeSpan, CancellationToken.None);
        await arrived.Task.WaitAsync(Wait);
        await alice.CloseAsync(CancellationToken.None).WaitAsync(Wait);

        await Assert.ThrowsAsync<XmppStreamClosedException>(() => pending.WaitAsync(Wait));
        await closed.Task.WaitAsync(Wait);
        Assert.True(bob.IsConnected);
    }

    [SkippableFact]
    public async Task Component_GoodSecret_HandshakeAcceptedAndAnswersDiscoForItsJids()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        await using var component = await XmppComponentConnection.ConnectAsync(prosody.ComponentOptions()).WaitAsync(Wait);
        using var handler = component.RegisterIqHandler("get", DiscoInfo + "query", (iq, _) => ValueTask.FromResult<XElement?>(
            new XElement(DiscoInfo + "query", new XElement(DiscoInfo + "identity", new XAttribute("category", "client"), new XAttribute("type", "pc")),
                new XElement(DiscoInfo + "feature", new XAttribute("var", DiscoInfo.NamespaceName)))));
        await using var alice = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("alice")).WaitAsync(Wait);

        var result = await alice.SendIqAsync(DiscoInfoRequest("camera1@" + prosody.ComponentDomain), Wait, CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<XmppStanzaException>(() =>
            alice.SendIqAsync(Iq("get", "camera1@" + prosody.ComponentDomain, new XElement(Test + "nobody")), Wait, CancellationToken.None));

        Assert.Equal(Jid.Parse(prosody.ComponentDomain), component.LocalJid);
        Assert.NotNull(component.PeerHeader?.Id);
        Assert.Equal("camera1@" + prosody.ComponentDomain, (string?)result.Attribute("from"));
        Assert.Equal("client", (string?)result.Descendants(DiscoInfo + "identity").Single().Attribute("category"));
        Assert.Equal("service-unavailable", unknown.Condition);
    }

    [SkippableFact]
    public async Task Component_QueriesServerDomain_FromIsTheComponent()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        await using var component = await XmppComponentConnection.ConnectAsync(prosody.ComponentOptions()).WaitAsync(Wait);

        var result = await component.SendIqAsync(DiscoInfoRequest("localhost"), Wait, CancellationToken.None);

        Assert.Equal(prosody.ComponentDomain, (string?)result.Attribute("to"));
        Assert.Contains(result.Descendants(DiscoInfo + "identity"), i => (string?)i.Attribute("category") == "server");
    }

    [SkippableFact]
    public async Task Component_BadSecret_StreamErrorNotAuthorized()
    {
        await using var prosody = await ProsodyFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() =>
            XmppComponentConnection.ConnectAsync(prosody.ComponentOptions(secret: "wrong")).WaitAsync(Wait));

        Assert.Equal("not-authorized", ex.Condition);
        Assert.True(ex.FromPeer);
    }

    private static XElement Iq(string type, string to, XElement payload) =>
        new(XmppNamespaces.Client + "iq", new XAttribute("type", type), new XAttribute("to", to), payload);

    private static XElement DiscoInfoRequest(string to) => Iq("get", to, new XElement(DiscoInfo + "query"));
}
