using System.Xml.Linq;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Harness.Xmpp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Xmpp.Tests.Caps;

/// <summary>Our side is A (client, cache, caps service); the peer B runs a disco server with its own caps service.</summary>
public sealed class EntityCapsServiceTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryChannelPair _pair;
    private readonly DiscoClient _client;
    private readonly CapsCache _cache;
    private readonly DiscoServer _ourServer;
    private readonly EntityCapsService _ours;
    private readonly DiscoServer _peerServer;
    private readonly EntityCapsService _peer;

    public EntityCapsServiceTests()
    {
        _pair = InMemoryChannelPair.Create(_time);
        _client = new DiscoClient(_pair.A, _time);
        _cache = new CapsCache(_client, _time);
        _ourServer = new DiscoServer(_pair.A);
        _ours = new EntityCapsService(_pair.A, _ourServer, _client, _cache);

        var root = new Node();
        root.RegisterIdentity("client", "pc", new Dictionary<string, string> { ["en"] = "Peer", ["de"] = "Gegenstelle" });
        root.RegisterFeature("urn:xmpp:ping");
        root.RegisterForm(DataForm.Create("urn:xmpp:dataforms:softwareinfo", DataFormField.Of("software", "Peer")));
        _peerServer = new DiscoServer(_pair.B, root);
        var peerClient = new DiscoClient(_pair.B, _time);
        _peer = new EntityCapsService(_pair.B, _peerServer, peerClient, new CapsCache(peerClient, _time), new EntityCapsOptions { Node = "https://peer.invalid/" });
    }

    public void Dispose()
    {
        _ours.Dispose();
        _peer.Dispose();
        _client.Dispose();
    }

    private static XElement Presence() => new(InMemoryChannel.Client + "presence");

    private Task<CapsVerificationEventArgs> NextVerification()
    {
        var done = new TaskCompletionSource<CapsVerificationEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _cache.VerificationCompleted += (_, e) => done.TrySetResult(e);
        return done.Task.WaitAsync(Wait);
    }

    [Fact]
    public void OwnCaps_FeaturesRegistered_VerIsTheRootsHash_Caps020And2005()
    {
        Assert.True(_peerServer.Root.HasFeature(Caps115.NamespaceName));
        Assert.True(_peerServer.Root.HasFeature(Caps390.NamespaceName));
        Assert.Equal(Caps115.ComputeVer(_peerServer.Root.ToDiscoInfo()), _peer.CurrentVer);
        Assert.Equal(Caps390.ComputeHashSet(_peerServer.Root.ToDiscoInfo()), _peer.CurrentHashSet);
    }

    [Fact]
    public void AddCaps_AvailablePresence_Gets115And390Elements_OthersUntouched_Caps001()
    {
        var presence = _peer.AddCaps(Presence());
        var unavailable = _peer.AddCaps(new XElement(InMemoryChannel.Client + "presence", new XAttribute("type", "unavailable")));

        var c = CapsElement.Read115(presence)!;
        Assert.Equal("sha-1", c.Hash);
        Assert.Equal("https://peer.invalid/", c.Node);
        Assert.Equal(_peer.CurrentVer, c.Ver);
        Assert.Null(c.Ext);
        Assert.Equal(_peer.CurrentHashSet, CapsElement.Read390(presence));
        Assert.False(unavailable.HasElements);
        _peer.AddCaps(presence);
        Assert.Single(presence.Elements(CapsElement.Caps115Name));
    }

    [Fact]
    public async Task CapsNode_AnswersLikeTheRoot_NodeEchoed_AllLangs_Caps018()
    {
        var node = "https://peer.invalid/#" + _peer.CurrentVer;

        var info = await _client.QueryInfoAsync(_pair.B.LocalJid, node).WaitAsync(Wait);
        var root = await _client.QueryInfoAsync(_pair.B.LocalJid).WaitAsync(Wait);

        Assert.Equal(node, info.Node);
        Assert.Equal(root.Identities, info.Identities);
        Assert.Equal(root.Features, info.Features);
        Assert.Equal(2, info.Identities.Count);
        Assert.Equal(_peer.CurrentVer, Caps115.ComputeVer(info));
    }

    [Fact]
    public async Task PeerPresence_UnknownCaps_VerifiedOnce_ThenASecondJidNeedsNoQuery_Caps015And017_Cache007()
    {
        var verified = NextVerification();
        await _peer.SendPresenceAsync(Presence(), CancellationToken.None);

        var result = await verified;
        Assert.NotNull(result.Info);
        Assert.Equal(CapsKind.Caps390, result.Key.Kind);
        var query = Assert.Single(_pair.A.SentIqs(DiscoCodec.InfoQueryName));
        Assert.Equal(_pair.B.LocalJid.ToString(), (string?)query.Attribute("to"));
        Assert.StartsWith("urn:xmpp:caps#sha-256.", (string?)query.Element(DiscoCodec.InfoQueryName)!.Attribute("node"), StringComparison.Ordinal);

        var fromPeer = await _client.QueryInfoAsync(_pair.B.LocalJid).WaitAsync(Wait);
        Assert.Equal(_peerServer.Root.GetIdentities(), fromPeer.Identities);

        var carol = Jid.Parse("carol@localhost/other");
        var sameCaps = _peer.AddCaps(Presence());
        sameCaps.SetAttributeValue("from", carol.ToString());
        _pair.A.InjectPresence(sameCaps);
        var fromCarol = await _client.QueryInfoAsync(carol).WaitAsync(Wait);

        Assert.Equal(fromPeer.Features, fromCarol.Features);
        Assert.Single(_pair.A.SentIqs(DiscoCodec.InfoQueryName));
        Assert.Equal(1, _cache.Count);
        Assert.Equal(1, _cache.Statistics.Verified);
    }

    [Fact]
    public async Task PeerPresence_Only115_VerifiesByNodeHashVer_Caps017()
    {
        var verified = NextVerification();
        var presence = _peer.AddCaps(Presence());
        presence.Elements(CapsElement.Caps390Name).Remove();
        presence.SetAttributeValue("from", _pair.B.LocalJid.ToString());
        _pair.A.InjectPresence(presence);

        var result = await verified;

        Assert.NotNull(result.Info);
        Assert.Equal(CapsKey.For115("sha-1", _peer.CurrentVer!), result.Key);
        Assert.Equal("https://peer.invalid/#" + _peer.CurrentVer, (string?)Assert.Single(_pair.A.SentIqs(DiscoCodec.InfoQueryName)).Element(DiscoCodec.InfoQueryName)!.Attribute("node"));
    }

    [Fact]
    public async Task PeerPresence_HashDoesNotMatch_NotCached_JidNotPrimed_Caps016()
    {
        var verified = NextVerification();
        var liar = Jid.Parse("liar@localhost/x");
        _peerServer.Mount("https://peer.invalid/#AAAAAAAAAAAAAAAAAAAAAAAAAAA=", StaticNode.Clone(_peerServer.Root));
        _pair.A.InjectPresence(new XElement(
            InMemoryChannel.Client + "presence",
            new XAttribute("from", liar.ToString()),
            CapsElement.Build115("https://peer.invalid/", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")));

        var result = await verified;

        Assert.Null(result.Info);
        Assert.Equal(0, _cache.Count);
        Assert.Equal(1, _cache.Statistics.Rejected);
        var own = await _client.QueryInfoAsync(liar).WaitAsync(Wait);
        var iqs = _pair.A.SentIqs(DiscoCodec.InfoQueryName);
        Assert.Equal(2, iqs.Count);
        Assert.Null(iqs[1].Element(DiscoCodec.InfoQueryName)!.Attribute("node"));
        Assert.Null(own.Node);
    }

    [Theory]
    [InlineData("<c xmlns='http://jabber.org/protocol/caps' node='http://psi-im.org' ver='0.11'/>")]
    [InlineData("<c xmlns='http://jabber.org/protocol/caps' hash='md2' node='http://psi-im.org' ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/>")]
    [InlineData("<c xmlns='urn:xmpp:caps'><hash xmlns='urn:xmpp:hashes:2' algo='md9'>AAAA</hash></c>")]
    public void PeerPresence_LegacyOrUnsupportedHash_NoQueryNothingPrimed_Caps013And014(string c)
    {
        var presence = XElement.Parse($"<presence xmlns='jabber:client' from='old@localhost/x'>{c}</presence>");

        _pair.A.InjectPresence(presence);

        Assert.Empty(_pair.A.SentIqs(DiscoCodec.InfoQueryName));
        Assert.Equal(0, _client.InfoCacheCount);
        Assert.Equal(0, _cache.PendingCount);
    }

    [Fact]
    public async Task PeerPresence_WithoutCapsAfterCaps_EarlierCapsStillApply_Caps024()
    {
        var verified = NextVerification();
        await _peer.SendPresenceAsync(Presence(), CancellationToken.None);
        await verified;
        await _client.QueryInfoAsync(_pair.B.LocalJid).WaitAsync(Wait);

        await _pair.B.SendAsync(Presence(), CancellationToken.None);

        Assert.True(_client.TryGetCachedInfo(_pair.B.LocalJid, null, out _));
    }

    [Fact]
    public async Task OwnFeatureChange_NewVer_RepublishesPresence_OldNodesKeptForThreeSets_Caps021And022()
    {
        var changed = 0;
        _peer.CapsChanged += (_, _) => changed++;
        await _peer.SendPresenceAsync(Presence(), CancellationToken.None);
        var first = "https://peer.invalid/#" + _peer.CurrentVer;

        _peerServer.Root.RegisterFeature("urn:new:1");

        Assert.Equal(1, changed);
        var presences = _pair.B.Sent.Where(s => s.Name.LocalName == "presence").ToList();
        Assert.Equal(2, presences.Count);
        Assert.Equal(_peer.CurrentVer, CapsElement.Read115(presences[1])!.Ver);
        Assert.NotEqual(CapsElement.Read115(presences[0])!.Ver, _peer.CurrentVer);
        Assert.True(_peerServer.IsMounted(first));
        var old = await _client.QueryInfoAsync(_pair.B.LocalJid, first).WaitAsync(Wait);
        Assert.DoesNotContain("urn:new:1", old.Features);

        _peerServer.Root.RegisterFeature("urn:new:2");
        Assert.True(_peerServer.IsMounted(first));
        _peerServer.Root.RegisterFeature("urn:new:3");
        Assert.False(_peerServer.IsMounted(first));
        Assert.Equal(3, _peerServer.MountedNodes.Count(n => n.StartsWith("urn:xmpp:caps#sha-256.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Presence_With390And115_Uses390_Caps2009()
    {
        var verified = NextVerification();
        await _peer.SendPresenceAsync(Presence(), CancellationToken.None);

        var result = await verified;

        Assert.Equal(CapsKind.Caps390, result.Key.Kind);
        Assert.False(_cache.TryGet(CapsKey.For115("sha-1", _peer.CurrentVer!), out _));
    }
}
