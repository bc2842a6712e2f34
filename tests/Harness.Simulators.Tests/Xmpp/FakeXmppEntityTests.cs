using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Simulators.Tests.Xmpp;

/// <summary>The simulated entities on a MiniXmppServer, seen from another session as a judge sees them.</summary>
public sealed class FakeXmppEntityTests
{
    private static readonly XName LangName = XNamespace.Xml + "lang";

    [Fact]
    public async Task Client_DiscoInfoFromAnotherSession_IsTheRootInfoWithoutDeviation()
    {
        await using var fleet = await XmppJudge.FleetAsync();
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var query = await judge.InfoAsync(entity.Jid);
        var read = DiscoCodec.ReadInfo(query, new DiscoReadOptions(ReadMode.Strict));

        Assert.Empty(read.Violations);
        var info = read.Info!;
        Assert.Equal(entity.RootInfo.Identities, info.Identities);
        Assert.Equal(entity.RootInfo.Features, info.Features);
        Assert.Null((string?)query.Attribute("node"));

        // XEP-0030 §3.1: a client/pc identity with names in two languages; the typical client features.
        Assert.All(info.Identities, i => Assert.Equal(("client", "pc"), (i.Category, i.Type)));
        Assert.Equal(2, info.Identities.Select(i => i.Lang).Distinct().Count());
        Assert.Contains("en", info.Identities.Select(i => i.Lang));
        foreach (var feature in new[]
        {
            DiscoCodec.InfoNamespaceName, DiscoCodec.ItemsNamespaceName, Caps115.NamespaceName, Caps390.NamespaceName, "urn:xmpp:ping",
            "http://jabber.org/protocol/chatstates", "http://jabber.org/protocol/muc", "http://jabber.org/protocol/commands",
        })
        {
            Assert.Contains(feature, info.Features);
        }

        // XEP-0232 software info as a XEP-0128 form with a hidden FORM_TYPE.
        var form = Assert.Single(info.Forms);
        Assert.Equal("result", form.Type);
        Assert.Equal(("urn:xmpp:dataforms:softwareinfo", "hidden"), (form.FormType, form.FormTypeField!.Type));
        Assert.Equal(entity.Identity.FirmwareVersion, form.Fields.Single(f => f.Var == "software_version").Values.Single());
        Assert.Equal($"{entity.Identity.Manufacturer} {entity.Identity.Model}", form.Fields.Single(f => f.Var == "software").Values.Single());
        Assert.Contains(form.Fields, f => f.Var == "os");
    }

    [Fact]
    public async Task Client_InitialPresence_CarriesCapsThatVerifyAgainstTheCapsNode()
    {
        await using var fleet = await XmppJudge.FleetAsync();
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var presence = await judge.PresenceAsync(entity.Jid);
        var violations = new List<Violation>();
        var caps = CapsElement.Read115(presence, violations);
        var hashes = CapsElement.Read390(presence, violations);

        Assert.Empty(violations);
        Assert.NotNull(caps);
        Assert.Equal(("sha-1", entity.CapsNode, entity.Caps115Ver), (caps.Hash, caps.Node, caps.Ver));
        Assert.Null(caps.Ext);

        // XEP-0115 §6.2: the node#ver query answers the same info, echoing the node; the ver hashes it by §5.1.
        var query = await judge.InfoAsync(entity.Jid, caps.DiscoNode);
        Assert.Equal(caps.DiscoNode, (string?)query.Attribute("node"));
        var info = DiscoCodec.ReadInfo(query).Info!;
        var verification = Caps115.Verify(info, caps.Hash!, caps.Ver!, ReadMode.Strict);
        Assert.True(verification.IsValid, string.Join("; ", verification.Violations));
        Assert.Equal(Caps115Variant.Spec, verification.Variant);

        // XEP-0390: every hash of the set verifies, and its hash node answers.
        Assert.NotNull(hashes);
        Assert.Equal(entity.Caps390Hashes, hashes);
        Assert.Contains(hashes, h => h.Algorithm == "sha-256");
        foreach (var hash in hashes)
        {
            Assert.True(Caps390.Verify(info, hash, out var error), error);
            var byNode = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid, hash.Node)).Info!;
            Assert.True(Caps390.Verify(byNode, hash, out error), error);
        }

        // XMPP-CAPS-019: the caps nodes are not listed in the items.
        Assert.Empty((await judge.ItemsAsync(entity.Jid)).Elements());
    }

    [Fact]
    public async Task Client_CommandsNode_ListsCommandNodesThatAnswerInfo()
    {
        await using var fleet = await XmppJudge.FleetAsync();
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var items = DiscoCodec.ReadItems(await judge.ItemsAsync(entity.Jid, "http://jabber.org/protocol/commands"));
        Assert.Empty(items.Violations);
        Assert.Equal("http://jabber.org/protocol/commands", items.Items!.Node);
        Assert.Equal(["set-status", "forward", "leave-groupchats"], items.Items.Items.Select(i => i.Node));
        foreach (var item in items.Items.Items)
        {
            Assert.Equal(entity.Jid, item.Jid);
            var query = await judge.InfoAsync(item.Jid, item.Node);
            Assert.Equal(item.Node, (string?)query.Attribute("node"));
            var identity = Assert.Single(DiscoCodec.ReadInfo(query).Info!.Identities);
            Assert.Equal(("automation", "command-node", item.Name), (identity.Category, identity.Type, identity.Name));
        }

        Assert.Equal(["http://jabber.org/protocol/commands", "set-status", "forward", "leave-groupchats"], entity.NodeNames);
    }

    [Fact]
    public async Task Client_UnknownNode_ItemNotFoundCancel()
    {
        await using var fleet = await XmppJudge.FleetAsync();
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var info = await judge.InfoErrorAsync(entity.Jid, "no-such-node");
        var items = await judge.ItemsErrorAsync(entity.Jid, "no-such-node");

        Assert.Equal(("cancel", "item-not-found"), (info.ErrorType, info.Condition));
        Assert.Equal(("cancel", "item-not-found"), (items.ErrorType, items.Condition));
    }

    [Fact]
    public async Task Client_Ping_AnsweredWithEmptyResult()
    {
        await using var fleet = await XmppJudge.FleetAsync();
        await using var judge = await XmppJudge.ConnectAsync(fleet);

        var iq = new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", fleet.Entities[0].Jid.ToString()), new XElement(XName.Get("ping", "urn:xmpp:ping")));
        var result = await judge.Connection.SendIqAsync(iq, XmppJudge.Wait, CancellationToken.None);

        Assert.Equal("result", (string?)result.Attribute("type"));
        Assert.Empty(result.Elements());
    }

    [Fact]
    public async Task Client_ChangeFeatures_NewVerNewPresenceAndTheLastThreeCapsNodesAnswer()
    {
        await using var fleet = await XmppJudge.FleetAsync();
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];
        var vers = new List<string> { entity.Caps115Ver };
        await judge.PresenceAsync(entity.Jid);

        for (var i = 0; i < 3; i++)
        {
            await entity.ChangeFeaturesAsync(CancellationToken.None);
            vers.Add(entity.Caps115Ver);
            var presence = await judge.PresenceAsync(entity.Jid, p => CapsElement.Read115(p)?.Ver == entity.Caps115Ver);
            Assert.Equal(entity.AnnouncedHashes, CapsElement.Read390(presence));
        }

        Assert.Equal(4, vers.Distinct().Count());
        Assert.Contains("urn:xmpp:jingle:1", entity.RootInfo.Features);

        // XMPP-CAPS-022 / XMPP-CAPS2-006: the last three sets answer, each with the info it was computed from.
        foreach (var ver in vers.Skip(1))
        {
            var info = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid, entity.CapsNode + "#" + ver)).Info!;
            Assert.True(Caps115.Verify(info, "sha-1", ver).IsValid);
        }

        var gone = await judge.InfoErrorAsync(entity.Jid, entity.CapsNode + "#" + vers[0]);
        Assert.Equal("item-not-found", gone.Condition);
    }

    [Fact]
    public async Task Pubsub_NodeTree_EveryItemNodeAnswersInfoAndNestedCollectionsReachLeaves()
    {
        await using var fleet = await XmppJudge.FleetAsync(XmppEntityKind.PubsubService);
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];
        Assert.Equal(Jid.Parse("pubsub1.localhost"), entity.Jid);

        var root = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid)).Info!;
        Assert.Contains(root.Identities, i => (i.Category, i.Type) == ("pubsub", "service"));
        Assert.Contains("http://jabber.org/protocol/pubsub#collections", root.Features);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var leaves = 0;
        var depth = 0;
        async Task WalkAsync(string? node, int level)
        {
            depth = Math.Max(depth, level);
            var items = DiscoCodec.ReadItems(await judge.ItemsAsync(entity.Jid, node));
            Assert.Empty(items.Violations);
            Assert.Equal(node, items.Items!.Node);
            foreach (var item in items.Items.Items.Where(i => i.Node is not null))
            {
                Assert.True(seen.Add(item.Node!), item.Node);
                var query = await judge.InfoAsync(item.Jid, item.Node);
                var info = DiscoCodec.ReadInfo(query).Info!;
                Assert.Equal(item.Node, info.Node);
                var identity = Assert.Single(info.Identities);
                Assert.Equal("pubsub", identity.Category);
                Assert.Equal("http://jabber.org/protocol/pubsub#meta-data", Assert.Single(info.Forms).FormType);
                if (identity.Type == "leaf")
                {
                    leaves++;
                    var published = DiscoCodec.ReadItems(await judge.ItemsAsync(item.Jid, item.Node)).Items!;
                    Assert.NotEmpty(published.Items);
                    Assert.All(published.Items, p => Assert.Null(p.Node));
                }
                else
                {
                    Assert.Equal("collection", identity.Type);
                    await WalkAsync(item.Node, level + 1);
                }
            }
        }

        await WalkAsync(null, 0);

        Assert.Equal(entity.NodeNames.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.True(depth >= 2, $"depth {depth}");
        Assert.True(leaves >= 4, $"leaves {leaves}");
    }

    [Fact]
    public async Task Muc_RoomsAsItems_EachRoomJidAnswersConferenceTextWithRoomInfo()
    {
        await using var fleet = await XmppJudge.FleetAsync(XmppEntityKind.MucService);
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var root = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid)).Info!;
        Assert.Contains(root.Identities, i => (i.Category, i.Type) == ("conference", "text"));
        Assert.Contains("http://jabber.org/protocol/muc", root.Features);

        var rooms = DiscoCodec.ReadItems(await judge.ItemsAsync(entity.Jid)).Items!.Items;
        Assert.Equal(entity.RoomJids, rooms.Select(r => r.Jid));
        Assert.InRange(rooms.Count, 3, 5);
        foreach (var room in rooms)
        {
            Assert.Equal(entity.Jid.Domain, room.Jid.Domain);
            var info = DiscoCodec.ReadInfo(await judge.InfoAsync(room.Jid)).Info!;
            var identity = Assert.Single(info.Identities);
            Assert.Equal(("conference", "text"), (identity.Category, identity.Type));
            Assert.StartsWith(identity.Name!, room.Name, StringComparison.Ordinal);
            Assert.Contains("muc_public", info.Features);
            Assert.Equal("http://jabber.org/protocol/muc#roominfo", Assert.Single(info.Forms).FormType);
            Assert.Empty((await judge.ItemsAsync(room.Jid)).Elements());
        }

        var missing = await judge.InfoErrorAsync(Jid.Create("no-such-room", entity.Jid.Domain), null);
        Assert.Equal("item-not-found", missing.Condition);
    }

    [Fact]
    public async Task Component_HierarchyNodes_BranchListsLeavesAddressedByOwnJidAndNode()
    {
        await using var fleet = await XmppJudge.FleetAsync(XmppEntityKind.Component);
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var root = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid)).Info!;
        Assert.Contains(root.Identities, i => (i.Category, i.Type) == ("component", "generic"));
        var devices = DiscoCodec.ReadItems(await judge.ItemsAsync(entity.Jid, "devices")).Items!;
        Assert.NotEmpty(devices.Items);
        Assert.Equal("hierarchy/branch", Type(DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid, "devices")).Info!));
        foreach (var leaf in devices.Items)
        {
            Assert.Equal(entity.Jid, leaf.Jid);
            Assert.Equal("hierarchy/leaf", Type(DiscoCodec.ReadInfo(await judge.InfoAsync(leaf.Jid, leaf.Node)).Info!));
        }

        static string Type(DiscoInfo info) => Assert.Single(info.Identities.Select(i => i.Category + "/" + i.Type).Distinct());
    }

    [Fact]
    public async Task Fleet_SameSeed_SameEntitiesAndCaps()
    {
        XmppEntityKind[] kinds = [XmppEntityKind.Client, XmppEntityKind.PubsubService, XmppEntityKind.MucService, XmppEntityKind.Component];
        await using var first = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 4, Kinds = kinds, Seed = 7 }, CancellationToken.None);
        await using var second = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 4, Kinds = kinds, Seed = 7 }, CancellationToken.None);
        await using var other = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 4, Kinds = kinds, Seed = 8 }, CancellationToken.None);

        for (var i = 0; i < 4; i++)
        {
            var (a, b) = (first.Entities[i], second.Entities[i]);
            Assert.Equal(a.Jid, b.Jid);
            Assert.Equal(a.Identity, b.Identity);
            Assert.Equal(a.Caps115Ver, b.Caps115Ver);
            Assert.Equal(a.NodeNames, b.NodeNames);
            Assert.Equal(a.RoomJids, b.RoomJids);
            Assert.Equal(Caps115.BuildInputString(a.RootInfo), Caps115.BuildInputString(b.RootInfo));
            Assert.NotEqual(a.Caps115Ver, other.Entities[i].Caps115Ver);
        }

        Assert.Equal(first.Accounts, second.Accounts);
    }

    [Fact]
    public async Task Attach_ComponentChannel_StanzasFromTheRoomComeFromTheRoomJid()
    {
        await using var fleet = await XmppJudge.FleetAsync(XmppEntityKind.MucService);
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var room = fleet.Entities[0].RoomJids[0];

        var iq = new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", room.ToString()), DiscoCodec.InfoRequest(null));
        var result = await judge.Connection.SendIqAsync(iq, XmppJudge.Wait, CancellationToken.None);

        Assert.Equal(room.ToString(), (string?)result.Attribute("from"));
        Assert.All(result.Descendants(DiscoCodec.InfoNamespace + "identity"), i => Assert.NotNull(i.Attribute("name")));
        Assert.Null(result.Descendants().Attributes(LangName).FirstOrDefault(a => a.Value.Length == 0));
    }

    [Fact]
    public void Options_UnknownQuirk_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FakeXmppEntityOptions { Quirk = "no-such-quirk" }.Validate());
        Assert.Contains("caps-wrong-hash", ex.Message, StringComparison.Ordinal);
    }
}
