using System.Xml.Linq;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Harness.Xmpp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Xmpp.Tests.Disco;

public class DiscoServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly InMemoryChannelPair _pair = InMemoryChannelPair.Create(new FakeTimeProvider());

    private DiscoServer NewServer()
    {
        var root = new Node();
        root.RegisterIdentity("client", "pc", "Harness");
        root.RegisterFeature("urn:xmpp:ping");
        return new DiscoServer(_pair.B, root);
    }

    private Task<XElement> Ask(XElement query, string type = "get") =>
        _pair.A.SendIqAsync(new XElement(InMemoryChannel.Client + "iq", new XAttribute("type", type), new XAttribute("to", _pair.B.LocalJid.ToString()), query), Wait, CancellationToken.None);

    [Fact]
    public async Task Info_NoNode_AnswersFromRoot_Disco001To003()
    {
        using var server = NewServer();

        var reply = await Ask(DiscoCodec.InfoRequest(null));

        var query = reply.Element(DiscoCodec.InfoQueryName)!;
        Assert.Null(query.Attribute("node"));
        var info = DiscoCodec.ReadInfo(query);
        Assert.Empty(info.Violations);
        Assert.Equal(new Identity("client", "pc", "Harness"), Assert.Single(info.Info!.Identities));
        Assert.Equal([Node.DiscoInfoFeature, "urn:xmpp:ping"], info.Info.Features);
    }

    [Fact]
    public async Task Info_MountedNode_EchoesNode_Disco007()
    {
        using var server = NewServer();
        var node = new Node();
        node.RegisterIdentity("automation", "command-node", "Run");
        server.Mount("cmd", node);

        var reply = await Ask(DiscoCodec.InfoRequest("cmd"));

        var query = reply.Element(DiscoCodec.InfoQueryName)!;
        Assert.Equal("cmd", (string?)query.Attribute("node"));
        Assert.Equal("automation", DiscoCodec.ReadInfo(query).Info!.Identities[0].Category);
    }

    [Theory]
    [InlineData("info")]
    [InlineData("items")]
    public async Task Query_UnknownNode_ItemNotFoundTypeCancel_Disco009(string kind)
    {
        using var server = NewServer();

        var error = await Assert.ThrowsAsync<XmppStanzaException>(() => Ask(kind == "info" ? DiscoCodec.InfoRequest("nope") : DiscoCodec.ItemsRequest("nope")));

        Assert.Equal("item-not-found", error.Condition);
        Assert.Equal("cancel", error.ErrorType);
    }

    [Fact]
    public async Task Info_MountedNodeWithoutIdentity_ItemNotFound()
    {
        using var server = NewServer();
        server.Mount("empty", new Node());

        var error = await Assert.ThrowsAsync<XmppStanzaException>(() => Ask(DiscoCodec.InfoRequest("empty")));

        Assert.Equal("item-not-found", error.Condition);
    }

    [Fact]
    public async Task Items_MountedNode_EchoesNodeAndListsItems_Disco008()
    {
        using var server = NewServer();
        var node = new Node();
        node.RegisterIdentity("hierarchy", "branch");
        node.AddItem(new DiscoItem(Jid.Parse("bob@localhost/peer"), "leaf", "Leaf"));
        server.Mount("tree", node);

        var reply = await Ask(DiscoCodec.ItemsRequest("tree"));

        var items = DiscoCodec.ReadItems(reply.Element(DiscoCodec.ItemsQueryName)!).Items!;
        Assert.Equal("tree", items.Node);
        Assert.Equal(new DiscoItem(Jid.Parse("bob@localhost/peer"), "leaf", "Leaf"), Assert.Single(items.Items));
    }

    [Fact]
    public async Task Items_RootWithoutItems_EmptyResultNotError_Disco012()
    {
        using var server = NewServer();

        var reply = await Ask(DiscoCodec.ItemsRequest(null));

        Assert.Equal("result", (string?)reply.Attribute("type"));
        Assert.Empty(reply.Element(DiscoCodec.ItemsQueryName)!.Elements());
    }

    [Fact]
    public async Task Unmount_ThenQuery_ItemNotFound_MountTwiceThrows()
    {
        using var server = NewServer();
        var node = StaticNode.Clone(server.Root);
        server.Mount("n", node);

        Assert.Throws<InvalidOperationException>(() => server.Mount("n", node));
        Assert.True(server.IsMounted("n"));
        Assert.True(server.Unmount("n"));
        Assert.False(server.Unmount("n"));
        await Assert.ThrowsAsync<XmppStanzaException>(() => Ask(DiscoCodec.InfoRequest("n")));
    }

    [Fact]
    public async Task IqSetWithDiscoQuery_IsAnsweredWithAnError_Disco020()
    {
        using var server = NewServer();

        var error = await Assert.ThrowsAsync<XmppStanzaException>(() => Ask(DiscoCodec.InfoRequest(null), "set"));

        Assert.Equal("service-unavailable", error.Condition);
    }

    [Fact]
    public void RootChange_RaisesInfoChanged_DisposeStopsIt()
    {
        var server = NewServer();
        var raised = 0;
        server.InfoChanged += (_, _) => raised++;

        server.Root.RegisterFeature("urn:a");
        server.Dispose();
        server.Root.RegisterFeature("urn:b");

        Assert.Equal(1, raised);
    }

    [Fact]
    public async Task Dispose_RemovesHandlers_QueriesGetServiceUnavailable()
    {
        NewServer().Dispose();

        var error = await Assert.ThrowsAsync<XmppStanzaException>(() => Ask(DiscoCodec.InfoRequest(null)));

        Assert.Equal("service-unavailable", error.Condition);
    }

    [Fact]
    public void DefaultRoot_HasAnIdentity()
    {
        using var server = new DiscoServer(_pair.B);

        Assert.NotEmpty(server.Root.GetIdentities());
    }
}
