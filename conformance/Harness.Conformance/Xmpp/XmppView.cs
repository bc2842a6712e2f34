using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Conformance.Xmpp;

/// <summary>An iq request (get or set) and the answers that came back for it (same id, from the address asked).</summary>
internal sealed record XmppExchange(XmppWireItem Request, IReadOnlyList<XmppWireItem> Responses)
{
    private static readonly XNamespace XmlNs = XNamespace.Xml;

    /// <summary>The first payload of the request, or null.</summary>
    public XElement? Payload => Request.Element!.Elements().FirstOrDefault();

    /// <summary>How many payload elements the request carries (exactly one is well formed).</summary>
    public int PayloadCount => Request.Element!.Elements().Count();

    /// <summary>The <c>node</c> of the request's payload, or null.</summary>
    public string? Node => Payload?.Attribute("node")?.Value;

    /// <summary>The <c>xml:lang</c> of the request (on the iq or the query), or null.</summary>
    public string? Lang => Request.Element!.Attribute(XmlNs + "lang")?.Value ?? Payload?.Attribute(XmlNs + "lang")?.Value;

    /// <summary>The address asked.</summary>
    public string? To => Request.To;

    /// <summary>The first answer, or null when none came.</summary>
    public XmppWireItem? Response => Responses.Count > 0 ? Responses[0] : null;

    public bool IsResult => Response?.Type == "result";

    public bool IsError => Response?.Type == "error";

    /// <summary>The <c>error</c> child of the first answer, or null.</summary>
    public XElement? Error => IsError ? Response!.Element!.Elements().FirstOrDefault(e => e.Name.LocalName == "error") : null;

    /// <summary>The defined condition of the error (e.g. <c>item-not-found</c>), or null.</summary>
    public string? ErrorCondition => Error?.Elements().FirstOrDefault(e => e.Name.Namespace == XmppNamespaces.Stanzas && e.Name.LocalName != "text")?.Name.LocalName;

    /// <summary>The error type (<c>cancel</c>, <c>modify</c>...), or null.</summary>
    public string? ErrorType => Error?.Attribute("type")?.Value;

    /// <summary>The payload of a result (its first child that is not an error), or null.</summary>
    public XElement? ResultPayload => IsResult ? Response!.Element!.Elements().FirstOrDefault(e => e.Name.LocalName != "error") : null;

    /// <summary>An iq get with exactly one disco#info query.</summary>
    public bool IsInfoGet => Request.Type == "get" && PayloadCount == 1 && Payload!.Name == DiscoCodec.InfoQueryName;

    /// <summary>An iq get with exactly one disco#items query.</summary>
    public bool IsItemsGet => Request.Type == "get" && PayloadCount == 1 && Payload!.Name == DiscoCodec.ItemsQueryName;

    /// <summary>The records of the request and its answers.</summary>
    public IEnumerable<TrafficRecord> Records => [Request.Record, .. Responses.Select(r => r.Record)];

    /// <summary>A one-line description of the request (for messages).</summary>
    public string Describe() =>
        $"iq {Request.Type} {PayloadLabel(Payload)}" + (Node is null ? string.Empty : $" node='{Node}'") + (Lang is null ? string.Empty : $" xml:lang='{Lang}'") + $" to {To} (id {Request.Id})";

    /// <summary>A one-line description of the answer.</summary>
    public string DescribeAnswer() => Response is null
        ? "no answer"
        : IsError ? $"error {ErrorCondition ?? "(no condition)"} type {ErrorType ?? "(none)"}" : "result";

    public static string PayloadLabel(XElement? payload) => payload is null
        ? "(empty)"
        : payload.Name.Namespace == DiscoCodec.InfoNamespace ? "disco#info"
        : payload.Name.Namespace == DiscoCodec.ItemsNamespace ? "disco#items"
        : "{" + payload.Name.NamespaceName + "}" + payload.Name.LocalName;
}

/// <summary>An available presence of an entity with what its caps elements say.</summary>
/// <param name="Presence">The presence.</param>
/// <param name="Index">1-based position among the entity's available presences (its epoch).</param>
/// <param name="Caps115">The XEP-0115 element, or null.</param>
/// <param name="Caps390">The XEP-0390 hashes, or null when there is no XEP-0390 element.</param>
/// <param name="Violations">What the caps readers reported.</param>
internal sealed record XmppCapsPresence(XmppWireItem Presence, int Index, Caps115Announcement? Caps115, IReadOnlyList<Caps390Hash>? Caps390, IReadOnlyList<Violation> Violations)
{
    public bool HasCaps => Caps115 is not null || Caps390 is not null;

    /// <summary>True when the XEP-0115 element has a hash, a node and a ver (a node#ver that can be asked and verified).</summary>
    public bool HasHashedCaps115 => Caps115 is { Hash: not null } c && !string.IsNullOrEmpty(c.Node) && !string.IsNullOrEmpty(c.Ver);
}

/// <summary>A disco#info result read into the model, with the exchange it came from and its epoch.</summary>
internal sealed record XmppInfoAnswer(XmppExchange Exchange, DiscoInfo Info, int Epoch);

/// <summary>
/// The XMPP reading of a session: the flows, their items, the stanzas (an item seen on several connections of a
/// capture, e.g. on the requester's and on the responder's stream, counts once), the iq exchanges, presences and the
/// server domains. Built once per session snapshot (<see cref="Of"/>).
/// </summary>
internal sealed class XmppView
{
    private static readonly ConditionalWeakTable<ObservedSession, Holder> Cache = new();
    private readonly Dictionary<XmppExchange, DiscoInfo?> _infos = [];
    private readonly Lock _gate = new();

    private XmppView(IReadOnlyList<TrafficRecord> records)
    {
        Flows = XmppWire.ReadFlows(records);
        var all = Flows.SelectMany(f => f.Items).OrderBy(i => i.Order).ToList();
        Items = all;
        Stanzas = Deduplicate(all.Where(i => i.IsStanza));
        Exchanges = Pair(Stanzas);
        ServerDomains = FindServerDomains(Flows);
    }

    /// <summary>Every flow.</summary>
    public IReadOnlyList<XmppFlow> Flows { get; }

    /// <summary>Every item of every flow, in order (headers, features, SASL, stanzas, stream ends).</summary>
    public IReadOnlyList<XmppWireItem> Items { get; }

    /// <summary>The stanzas, de-duplicated across connections, in order.</summary>
    public IReadOnlyList<XmppWireItem> Stanzas { get; }

    /// <summary>The iq requests with an id and a <c>to</c>, and their answers.</summary>
    public IReadOnlyList<XmppExchange> Exchanges { get; }

    /// <summary>The domains of the client streams' servers (stream headers in jabber:client), lower case.</summary>
    public IReadOnlySet<string> ServerDomains { get; }

    /// <summary>The view of a session's current records (rebuilt when a live session grew).</summary>
    public static XmppView Of(ObservedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var holder = Cache.GetValue(session, _ => new Holder());
        var records = session.Records;
        lock (holder.Gate)
        {
            if (holder.View is null || !ReferenceEquals(holder.Records, records))
            {
                holder.View = new XmppView(records);
                holder.Records = records;
            }

            return holder.View;
        }
    }

    /// <summary>A view of fixed records.</summary>
    public static XmppView Build(IReadOnlyList<TrafficRecord> records) => new(records);

    /// <summary>The exchanges whose request went to <paramref name="jid"/> (JID equality).</summary>
    public IReadOnlyList<XmppExchange> ExchangesTo(string jid)
    {
        var key = XmppJids.Key(jid);
        return key is null ? [] : [.. Exchanges.Where(e => XmppJids.Key(e.To) == key)];
    }

    /// <summary>The available presences of <paramref name="jid"/> with their caps, in order.</summary>
    public IReadOnlyList<XmppCapsPresence> PresencesFrom(string jid)
    {
        var key = XmppJids.Key(jid);
        var list = new List<XmppCapsPresence>();
        foreach (var stanza in Stanzas)
        {
            if (stanza.Name != "presence" || stanza.Type is not (null or "available") || XmppJids.Key(stanza.From) != key || key is null)
            {
                continue;
            }

            var violations = new List<Violation>();
            var c115 = CapsElement.Read115(stanza.Element!, violations);
            var c390 = CapsElement.Read390(stanza.Element!, violations);
            list.Add(new XmppCapsPresence(stanza, list.Count + 1, c115, c390, violations));
        }

        return list;
    }

    /// <summary>The epoch of a moment for an entity: how many of its available presences came before it.</summary>
    public static int EpochOf(IReadOnlyList<XmppCapsPresence> presences, long order) => presences.Count(p => p.Presence.Order < order);

    /// <summary>The disco#info results of the exchanges to <paramref name="jid"/>, read into the model, with their epochs.</summary>
    public IReadOnlyList<XmppInfoAnswer> InfoAnswers(string jid, Func<XmppExchange, bool>? which = null)
    {
        var presences = PresencesFrom(jid);
        var list = new List<XmppInfoAnswer>();
        foreach (var exchange in ExchangesTo(jid))
        {
            if (!exchange.IsInfoGet || !exchange.IsResult || (which is not null && !which(exchange)) || ReadInfo(exchange) is not { } info)
            {
                continue;
            }

            list.Add(new XmppInfoAnswer(exchange, info, EpochOf(presences, exchange.Request.Order)));
        }

        return list;
    }

    /// <summary>The disco#info of a result, read leniently (xml:lang inherited from the answer), or null.</summary>
    public DiscoInfo? ReadInfo(XmppExchange exchange)
    {
        lock (_gate)
        {
            if (_infos.TryGetValue(exchange, out var cached))
            {
                return cached;
            }

            DiscoInfo? info = null;
            if (exchange.ResultPayload is { } payload && payload.Name == DiscoCodec.InfoQueryName)
            {
                var lang = exchange.Response!.Element!.Attribute(XNamespace.Xml + "lang")?.Value;
                info = DiscoCodec.ReadInfo(payload, new DiscoReadOptions(InheritedLang: lang)).Info;
            }

            _infos[exchange] = info;
            return info;
        }
    }

    /// <summary>The stream features the server sent (every <c>stream:features</c> element), in order.</summary>
    public IEnumerable<XmppWireItem> StreamFeatures => Items.Where(i => i.Kind == XmppWireKind.Element && i.Element!.Name == XmppNamespaces.Streams + "features");

    private static List<XmppWireItem> Deduplicate(IEnumerable<XmppWireItem> stanzas)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<XmppWireItem>();
        foreach (var stanza in stanzas)
        {
            var key = DedupKey(stanza);
            if (key is not null)
            {
                if (seen.TryGetValue(key, out var flow) && flow != stanza.Flow.Index)
                {
                    continue; // the same stanza on another connection (the server relayed it)
                }

                seen.TryAdd(key, stanza.Flow.Index);
            }

            kept.Add(stanza);
        }

        return kept;
    }

    private static string? DedupKey(XmppWireItem stanza)
    {
        switch (stanza.Name)
        {
            case "iq" when stanza.Type is "get" or "set" && stanza.Id is not null && stanza.To is not null:
                return "q\u0001" + stanza.Id + "\u0001" + stanza.Type + "\u0001" + XmppJids.Key(stanza.To) + "\u0001" + stanza.Element!.Elements().FirstOrDefault()?.Name;
            case "iq" when stanza.Type is "result" or "error" && stanza.Id is not null && stanza.From is not null:
                return "r\u0001" + stanza.Id + "\u0001" + stanza.Type + "\u0001" + XmppJids.Key(stanza.From);
            case "presence" when stanza.From is not null:
                var copy = new XElement(stanza.Element!);
                copy.Attribute("to")?.Remove();
                return "p\u0001" + XmppJids.Key(stanza.From) + "\u0001" + copy.ToString(SaveOptions.DisableFormatting);
            default:
                return null;
        }
    }

    private static List<XmppExchange> Pair(IReadOnlyList<XmppWireItem> stanzas)
    {
        var answers = new Dictionary<(string Id, string From), List<XmppWireItem>>();
        foreach (var stanza in stanzas)
        {
            if (stanza.Name == "iq" && stanza.Type is "result" or "error" && stanza.Id is { } id && XmppJids.Key(stanza.From) is { } from)
            {
                if (!answers.TryGetValue((id, from), out var list))
                {
                    list = [];
                    answers[(id, from)] = list;
                }

                list.Add(stanza);
            }
        }

        var exchanges = new List<XmppExchange>();
        foreach (var stanza in stanzas)
        {
            if (stanza.Name != "iq" || stanza.Type is not ("get" or "set") || stanza.Id is not { } id || XmppJids.Key(stanza.To) is not { } to)
            {
                continue;
            }

            var responses = answers.TryGetValue((id, to), out var list) ? list.Where(r => r.Order > stanza.Order).ToList() : [];
            exchanges.Add(new XmppExchange(stanza, responses));
        }

        return exchanges;
    }

    private static HashSet<string> FindServerDomains(IReadOnlyList<XmppFlow> flows)
    {
        var domains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in flows.SelectMany(f => f.Items).Where(i => i.Kind == XmppWireKind.Header && i.Element is not null))
        {
            if (header.Element!.GetDefaultNamespace() != XmppNamespaces.Client)
            {
                continue;
            }

            foreach (var value in new[] { header.Element.Attribute("from")?.Value, header.Element.Attribute("to")?.Value })
            {
                if (Jid.TryParse(value, out var jid) && jid.Local is null && jid.Resource is null)
                {
                    domains.Add(jid.Domain.ToLowerInvariant());
                }
            }
        }

        return domains;
    }

    private sealed class Holder
    {
        public Lock Gate { get; } = new();

        public IReadOnlyList<TrafficRecord>? Records { get; set; }

        public XmppView? View { get; set; }
    }
}

/// <summary>JID helpers for the rules: comparison keys and the harness's probe addresses.</summary>
internal static class XmppJids
{
    /// <summary>A comparison key (localpart and domain lower-cased, resource exact), or null for something that is not a JID.</summary>
    public static string? Key(string? text) =>
        Jid.TryParse(text, out var jid)
            ? (jid.Local is null ? string.Empty : jid.Local.ToLowerInvariant() + "@") + jid.Domain.ToLowerInvariant() + (jid.Resource is null ? string.Empty : "/" + jid.Resource)
            : null;

    /// <summary>True for a bare JID with a localpart (an account).</summary>
    public static bool IsAccount(string? text) => Jid.TryParse(text, out var jid) && jid.Local is not null && jid.Resource is null;

    /// <summary>True for a JID without localpart and resource (a server or a component).</summary>
    public static bool IsDomain(string? text) => Jid.TryParse(text, out var jid) && jid.Local is null && jid.Resource is null;

    /// <summary>The domain of a JID, lower case, or null.</summary>
    public static string? Domain(string? text) => Jid.TryParse(text, out var jid) ? jid.Domain.ToLowerInvariant() : null;
}
