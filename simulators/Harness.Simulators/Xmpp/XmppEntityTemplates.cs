using System.Globalization;
using System.Text;
using Harness.Simulators.Identity;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Simulators.Xmpp;

/// <summary>An identity of a node, with its names per <c>xml:lang</c> (empty key: no language).</summary>
internal sealed record IdentitySpec(string Category, string Type, IReadOnlyDictionary<string, string> Names);

/// <summary>What one disco node answers.</summary>
internal sealed record NodeSpec(IReadOnlyList<IdentitySpec> Identities, IReadOnlyList<string> Features, IReadOnlyList<DataForm> Forms, IReadOnlyList<DiscoItem> Items);

/// <summary>Everything an entity serves: its root, its named nodes, and (for a MUC service) its rooms.</summary>
internal sealed record EntitySpec(
    NodeSpec Root,
    IReadOnlyList<KeyValuePair<string, NodeSpec>> Nodes,
    IReadOnlyList<KeyValuePair<Jid, NodeSpec>> Rooms,
    string CapsNode,
    string Software,
    string OperatingSystem);

/// <summary>
/// The disco contents of the simulated entity kinds, derived from a <see cref="DeviceIdentity"/> and a seeded random
/// source: a client (client/pc, the features of a typical desktop client, ad-hoc commands, XEP-0232 software info),
/// a pubsub service with a nested node tree (XEP-0060 §5), a MUC service with rooms (XEP-0045 §6) and a component with
/// a hierarchy of nodes (XEP-0030 §4.3). Deterministic: the same inputs give the same contents, in the same order.
/// </summary>
internal static class XmppEntityTemplates
{
    public const string SoftwareInfoFormType = "urn:xmpp:dataforms:softwareinfo";
    public const string CommandsNode = "http://jabber.org/protocol/commands";
    public const string PubsubNamespace = "http://jabber.org/protocol/pubsub";
    public const string PubsubMetaDataFormType = "http://jabber.org/protocol/pubsub#meta-data";
    public const string MucNamespace = "http://jabber.org/protocol/muc";
    public const string MucRoomInfoFormType = "http://jabber.org/protocol/muc#roominfo";

    /// <summary>Features a client adds one at a time when its features change (then <c>urn:harness:feature:N</c>).</summary>
    public static IReadOnlyList<string> ExtraFeatures { get; } =
        ["urn:xmpp:jingle:1", "urn:xmpp:jingle:apps:rtp:1", "urn:xmpp:message-correct:0", "urn:xmpp:reactions:0", "urn:xmpp:sid:0", "urn:xmpp:hints"];

    private static readonly string[] SecondLanguages = ["de", "fr", "el", "ru"];

    private static readonly Dictionary<string, string[]> Words = new(StringComparer.Ordinal)
    {
        // client, pubsub, muc, component
        ["en"] = ["Node", "Publish-Subscribe", "Chatrooms", "Device directory"],
        ["de"] = ["Knoten", "Veröffentlichen-Abonnieren", "Chaträume", "Geräteverzeichnis"],
        ["fr"] = ["Nœud", "Publication-Abonnement", "Salons", "Annuaire des appareils"],
        ["el"] = ["Κόμβος", "Δημοσίευση-Εγγραφή", "Αίθουσες συνομιλίας", "Κατάλογος συσκευών"],
        ["ru"] = ["Узел", "Публикация-подписка", "Комнаты", "Каталог устройств"],
    };

    private static readonly string[] ClientBaseFeatures =
    [
        DiscoCodec.ItemsNamespaceName, "urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time", "http://jabber.org/protocol/chatstates",
        MucNamespace, CommandsNode, "urn:xmpp:receipts",
    ];

    private static readonly string[] ClientOptionalFeatures =
    [
        "http://jabber.org/protocol/xhtml-im", "urn:xmpp:avatar:metadata+notify", "http://jabber.org/protocol/nick+notify", "urn:xmpp:mam:2",
        "urn:xmpp:carbons:2", "jabber:x:conference", "http://jabber.org/protocol/si", "http://jabber.org/protocol/bytestreams", "jabber:x:data",
        "urn:xmpp:bookmarks:1+notify", "eu.siacs.conversations.axolotl.devicelist+notify",
    ];

    private static readonly string[] OperatingSystems = ["Linux", "Windows", "macOS", "Android", "FreeBSD"];
    private static readonly string[] Rooms = ["Lobby", "Warehouse", "Parking", "Office", "Lab", "Reception", "Loading Dock", "Hallway"];
    private static readonly string[] Subjects = ["Shift handover", "Maintenance window", "Visitors today", "Inventory", "Fire drill at 10"];

    public static EntitySpec Build(XmppEntityKind kind, DeviceIdentity identity, Random random, Jid self)
    {
        var lang = SecondLanguages[random.Next(SecondLanguages.Length)];
        var os = OperatingSystems[random.Next(OperatingSystems.Length)];
        var software = $"{identity.Manufacturer} {identity.Model}";
        var capsNode = $"https://{Slug(identity.Manufacturer)}.example/{Slug(identity.Model)}";
        var softwareForm = DataForm.Create(
            SoftwareInfoFormType,
            new DataFormField("ip_version", "text-multi", ["ipv4", "ipv6"]),
            DataFormField.Of("os", os),
            DataFormField.Of("os_version", $"{random.Next(1, 15)}.{random.Next(0, 10)}"),
            DataFormField.Of("software", software),
            DataFormField.Of("software_version", identity.FirmwareVersion));
        return kind switch
        {
            XmppEntityKind.Client => Client(identity, random, self, lang, softwareForm, capsNode, software, os),
            XmppEntityKind.PubsubService => Pubsub(identity, random, self, lang, capsNode, software, os),
            XmppEntityKind.MucService => Muc(identity, random, self, lang, capsNode, software, os),
            XmppEntityKind.Component => Component(identity, random, self, lang, softwareForm, capsNode, software, os),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entity kind."),
        };
    }

    /// <summary>Lower-case letters and digits, words joined by '-'.</summary>
    public static string Slug(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }

    private static Dictionary<string, string> Names(int word, string lang, Func<string, string> format) => new(StringComparer.Ordinal)
    {
        ["en"] = format(Words["en"][word]),
        [lang] = format(Words[lang][word]),
    };

    private static EntitySpec Client(DeviceIdentity identity, Random random, Jid self, string lang, DataForm softwareForm, string capsNode, string software, string os)
    {
        var names = Names(0, lang, word => identity.Name.Replace("Node", word, StringComparison.Ordinal));
        var features = new List<string>(ClientBaseFeatures);
        features.AddRange(ClientOptionalFeatures.Where(_ => random.Next(2) == 0));
        var commands = new (string Node, string Name)[] { ("set-status", "Set Status"), ("forward", "Forward Unread Messages"), ("leave-groupchats", "Leave Groupchats") };
        var nodes = new List<KeyValuePair<string, NodeSpec>>
        {
            new(CommandsNode, new NodeSpec(
                [new IdentitySpec("automation", "command-list", new Dictionary<string, string> { ["en"] = "Commands" })],
                [DiscoCodec.ItemsNamespaceName, CommandsNode],
                [],
                [.. commands.Select(c => new DiscoItem(self, c.Node, c.Name))])),
        };
        nodes.AddRange(commands.Select(c => new KeyValuePair<string, NodeSpec>(c.Node, new NodeSpec(
            [new IdentitySpec("automation", "command-node", new Dictionary<string, string> { ["en"] = c.Name })],
            [CommandsNode, "jabber:x:data"],
            [],
            []))));
        var root = new NodeSpec([new IdentitySpec("client", "pc", names)], features, [softwareForm], []);
        return new EntitySpec(root, nodes, [], capsNode, software, os);
    }

    private static EntitySpec Pubsub(DeviceIdentity identity, Random random, Jid self, string lang, string capsNode, string software, string os)
    {
        var nodes = new List<KeyValuePair<string, NodeSpec>>();
        NodeSpec Node(string name, string type, string title, IReadOnlyList<DiscoItem> items) => new(
            [new IdentitySpec("pubsub", type, new Dictionary<string, string> { ["en"] = title })],
            [PubsubNamespace],
            [DataForm.Create(
                PubsubMetaDataFormType,
                DataFormField.Of("pubsub#title", title),
                DataFormField.Of("pubsub#description", $"{title} ({name})"),
                DataFormField.Of("pubsub#creator", self.Bare.ToString()))],
            items);

        var leafItems = new Func<IReadOnlyList<DiscoItem>>(() =>
            [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => new DiscoItem(self.Bare, null, Convert.ToHexStringLower(RandomBytes(random, 8))))]);

        // sensors (collection) -> sensors/<room> (collection) -> sensors/<room>/temperature|humidity (leaves)
        var rooms = Pick(random, Rooms, random.Next(2, 4));
        var roomItems = new List<DiscoItem>();
        foreach (var room in rooms)
        {
            var roomNode = "sensors/" + Slug(room);
            var leaves = new List<DiscoItem>();
            foreach (var measure in new[] { "temperature", "humidity" })
            {
                var leafName = roomNode + "/" + measure;
                var title = $"{room} {measure}";
                nodes.Add(new(leafName, Node(leafName, "leaf", title, leafItems())));
                leaves.Add(new DiscoItem(self.Bare, leafName, title));
            }

            nodes.Add(new(roomNode, Node(roomNode, "collection", room + " sensors", leaves)));
            roomItems.Add(new DiscoItem(self.Bare, roomNode, room + " sensors"));
        }

        nodes.Add(new("sensors", Node("sensors", "collection", "Sensors", roomItems)));
        nodes.Add(new("news/announcements", Node("news/announcements", "leaf", "Announcements", leafItems())));
        nodes.Add(new("news", Node("news", "collection", "News", [new DiscoItem(self.Bare, "news/announcements", "Announcements")])));
        nodes.Add(new("status", Node("status", "leaf", "Status", leafItems())));
        string[] features =
        [
            DiscoCodec.ItemsNamespaceName, PubsubNamespace, PubsubNamespace + "#collections", PubsubNamespace + "#config-node", PubsubNamespace + "#create-nodes",
            PubsubNamespace + "#delete-nodes", PubsubNamespace + "#item-ids", PubsubNamespace + "#meta-data", PubsubNamespace + "#persistent-items",
            PubsubNamespace + "#publish", PubsubNamespace + "#retrieve-items", PubsubNamespace + "#subscribe", "urn:xmpp:ping", "jabber:iq:version",
        ];
        var root = new NodeSpec(
            [new IdentitySpec("pubsub", "service", Names(1, lang, word => $"{identity.Manufacturer} {word}"))],
            features,
            [],
            [new DiscoItem(self.Bare, "sensors", "Sensors"), new DiscoItem(self.Bare, "news", "News"), new DiscoItem(self.Bare, "status", "Status")]);
        return new EntitySpec(root, nodes, [], capsNode, software, os);
    }

    private static EntitySpec Muc(DeviceIdentity identity, Random random, Jid self, string lang, string capsNode, string software, string os)
    {
        var rooms = new List<KeyValuePair<Jid, NodeSpec>>();
        var items = new List<DiscoItem>();
        foreach (var room in Pick(random, Rooms, random.Next(3, 6)))
        {
            var jid = Jid.Create(Slug(room), self.Domain);
            var open = random.Next(3) > 0;
            var persistent = random.Next(2) == 0;
            var occupants = random.Next(0, 25);
            string[] features =
            [
                MucNamespace, open ? "muc_open" : "muc_membersonly", "muc_public", persistent ? "muc_persistent" : "muc_temporary",
                "muc_semianonymous", "muc_unmoderated", "muc_unsecured", "urn:xmpp:mam:2",
            ];
            var form = DataForm.Create(
                MucRoomInfoFormType,
                DataFormField.Of("muc#roominfo_description", $"{room} of {identity.Manufacturer}"),
                DataFormField.Of("muc#roominfo_lang", "en"),
                new DataFormField("muc#roominfo_occupants", "text-single", [occupants.ToString(CultureInfo.InvariantCulture)]),
                DataFormField.Of("muc#roominfo_subject", Subjects[random.Next(Subjects.Length)]));
            rooms.Add(new(jid, new NodeSpec([new IdentitySpec("conference", "text", new Dictionary<string, string> { ["en"] = room })], features, [form], [])));
            items.Add(new DiscoItem(jid, null, $"{room} ({occupants})"));
        }

        var root = new NodeSpec(
            [new IdentitySpec("conference", "text", Names(2, lang, word => $"{identity.Manufacturer} {word}"))],
            [DiscoCodec.ItemsNamespaceName, MucNamespace, MucNamespace + "#unique", "jabber:iq:register", "vcard-temp", "urn:xmpp:ping", "jabber:iq:version"],
            [],
            items);
        return new EntitySpec(root, [], rooms, capsNode, software, os);
    }

    private static EntitySpec Component(DeviceIdentity identity, Random random, Jid self, string lang, DataForm softwareForm, string capsNode, string software, string os)
    {
        var nodes = new List<KeyValuePair<string, NodeSpec>>();
        var devices = new List<DiscoItem>();
        var count = random.Next(2, 5);
        for (var i = 0; i < count; i++)
        {
            var serial = Convert.ToHexString(RandomBytes(random, 4));
            var name = "devices/" + serial;
            var title = $"{identity.Model} {serial}";
            nodes.Add(new(name, new NodeSpec([new IdentitySpec("hierarchy", "leaf", new Dictionary<string, string> { ["en"] = title })], ["urn:xmpp:ping"], [], [])));
            devices.Add(new DiscoItem(self.Bare, name, title));
        }

        nodes.Add(new("devices", new NodeSpec([new IdentitySpec("hierarchy", "branch", new Dictionary<string, string> { ["en"] = "Devices" })], [DiscoCodec.ItemsNamespaceName], [], devices)));
        nodes.Add(new("status", new NodeSpec([new IdentitySpec("hierarchy", "leaf", new Dictionary<string, string> { ["en"] = "Status" })], [], [], [])));
        var root = new NodeSpec(
            [new IdentitySpec("component", "generic", Names(3, lang, word => $"{identity.Manufacturer} {word}"))],
            [DiscoCodec.ItemsNamespaceName, "urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time"],
            [softwareForm],
            [new DiscoItem(self.Bare, "devices", "Devices"), new DiscoItem(self.Bare, "status", "Status")]);
        return new EntitySpec(root, nodes, [], capsNode, software, os);
    }

    private static List<string> Pick(Random random, string[] from, int count)
    {
        var copy = from.ToList();
        var result = new List<string>(count);
        for (var i = 0; i < count && copy.Count > 0; i++)
        {
            var index = random.Next(copy.Count);
            result.Add(copy[index]);
            copy.RemoveAt(index);
        }

        return result;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
