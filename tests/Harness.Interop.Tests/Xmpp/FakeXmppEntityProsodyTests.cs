using System.Xml.Linq;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Interop.Tests.Xmpp;

/// <summary>The simulated entities on Debian's Prosody 0.12 (a real server routes the disco queries), and the CLI through it.</summary>
public sealed class FakeXmppEntityProsodyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task ClientEntity_OnProsody_AnswersDiscoAndItsCapsNodeVerifies()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        await using var entity = await FakeXmppEntity.ConnectAsync(prosody.ClientOptions("alice", "sim"), new FakeXmppEntityOptions { Seed = 4 }, CancellationToken.None).WaitAsync(Wait);
        await using var bob = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("bob")).WaitAsync(Wait);
        Assert.Equal(Jid.Parse("alice@localhost/sim"), entity.Jid);

        var root = await InfoAsync(bob, entity.Jid, null);
        Assert.Equal(entity.RootInfo.Identities, root.Identities);
        Assert.Equal(entity.RootInfo.Features, root.Features);
        var byCaps = await InfoAsync(bob, entity.Jid, entity.CapsNode + "#" + entity.AnnouncedVer);
        var verification = Caps115.Verify(byCaps, "sha-1", entity.AnnouncedVer, Harness.Core.Diagnostics.ReadMode.Strict);
        Assert.True(verification.IsValid, string.Join("; ", verification.Violations));

        // The CLI through Prosody, as bob.
        var run = await HarnessCli.RunAsync(
            Wait, "xmpp", "disco", entity.Jid.ToString(), "--server", $"127.0.0.1:{prosody.C2sPort}", "--user", "bob@localhost", "--password", "bob-pw");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"  caps      sha-1 {entity.Caps115Ver}\n", run.StandardOutput, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task MucComponent_OnProsody_RoomsAnswerThroughTheServer()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        await using var entity = await FakeXmppEntity.ConnectComponentAsync(prosody.ComponentOptions(), new FakeXmppEntityOptions { Kind = XmppEntityKind.MucService }, CancellationToken.None).WaitAsync(Wait);
        await using var bob = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("bob")).WaitAsync(Wait);

        var items = await bob.SendIqAsync(Iq(entity.Jid, DiscoCodec.ItemsRequest(null)), Wait, CancellationToken.None);
        var rooms = DiscoCodec.ReadItems(items.Elements().Single()).Items!.Items;
        Assert.Equal(entity.RoomJids, rooms.Select(r => r.Jid));
        var room = await InfoAsync(bob, rooms[0].Jid, null);
        Assert.Equal(("conference", "text"), (room.Identities[0].Category, room.Identities[0].Type));
        Assert.Equal("http://jabber.org/protocol/muc#roominfo", Assert.Single(room.Forms).FormType);
    }

    private static XElement Iq(Jid to, XElement query) =>
        new(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", to.ToString()), query);

    private static async Task<DiscoInfo> InfoAsync(XmppClientConnection connection, Jid to, string? node)
    {
        var result = await connection.SendIqAsync(Iq(to, DiscoCodec.InfoRequest(node)), Wait, CancellationToken.None);
        var query = result.Element(DiscoCodec.InfoQueryName)!;
        Assert.Equal(node, (string?)query.Attribute("node"));
        return DiscoCodec.ReadInfo(query).Info!;
    }
}
