using System.Xml.Linq;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Conformance.Xmpp;

/// <summary>
/// The stimuli the judge sends one entity, once per suite (the rules then judge the recorded answers): disco#info and
/// disco#items of the root, the root info again with an <c>xml:lang</c>, info and items of each advertised node of its
/// own (bounded), a node that does not exist, the caps node#ver and XEP-0390 hash nodes of its latest presence, an iq of
/// an unknown namespace, a disco#info <c>set</c>, a get with two payloads; for the server also its account queries
/// (the judge's bare JID, an account that does not exist) and the node#ver of the caps in its stream features; and,
/// when the suite can change the entity's features, the caps before and after the change.
/// </summary>
internal sealed class XmppScenario(XmppSuite suite, string jid, bool isServer)
{
    private const string CommandsNode = "http://jabber.org/protocol/commands";
    private static readonly XNamespace Client = XmppNamespaces.Client;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = suite.Options.Scenario;
        var root = await InfoAsync(jid, null, null, cancellationToken).ConfigureAwait(false);
        await InfoAsync(jid, null, XmppProbes.Lang, cancellationToken).ConfigureAwait(false);
        var items = await ItemsAsync(jid, null, cancellationToken).ConfigureAwait(false);

        // The entity's own nodes, breadth first from its items (and the XEP-0050 commands node when it lists that
        // feature), each asked for info and items, at most MaxNodes of them.
        var pending = new Queue<string>(OwnNodes(items));
        if (root?.Element(DiscoCodec.InfoQueryName)?.Elements(DiscoCodec.InfoNamespace + "feature").Any(f => (string?)f.Attribute("var") == CommandsNode) == true)
        {
            pending.Enqueue(CommandsNode);
        }

        var asked = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0 && asked.Count < options.MaxNodes)
        {
            var batch = new List<string>();
            while (pending.Count > 0 && batch.Count < 4 && asked.Count < options.MaxNodes)
            {
                var node = pending.Dequeue();
                if (asked.Add(node))
                {
                    batch.Add(node);
                }
            }

            var found = await Task.WhenAll(batch.Select(async node =>
            {
                await InfoAsync(jid, node, null, cancellationToken).ConfigureAwait(false);
                return await ItemsAsync(jid, node, cancellationToken).ConfigureAwait(false);
            })).ConfigureAwait(false);
            foreach (var node in found.SelectMany(OwnNodes).Where(n => !asked.Contains(n)))
            {
                pending.Enqueue(node);
            }
        }

        var absent = XmppProbes.AbsentNodePrefix + suite.NextToken();
        await InfoAsync(jid, absent, null, cancellationToken).ConfigureAwait(false);
        await ItemsAsync(jid, absent, cancellationToken).ConfigureAwait(false);

        var presence = suite.LatestPresence(jid);
        var caps115 = presence is null ? null : CapsElement.Read115(presence);
        var caps390 = presence is null ? null : CapsElement.Read390(presence);
        await AskCapsNodesAsync(caps115, caps390, cancellationToken).ConfigureAwait(false);

        await QueryAsync(Iq("get", jid, new XElement(XNamespace.Get(XmppProbes.UnknownNamespacePrefix + suite.NextToken()) + "query")), cancellationToken).ConfigureAwait(false);
        await QueryAsync(Iq("set", jid, DiscoCodec.InfoRequest(null)), cancellationToken).ConfigureAwait(false);
        await QueryAsync(Iq("get", jid, DiscoCodec.InfoRequest(null), DiscoCodec.ItemsRequest(null)), cancellationToken).ConfigureAwait(false);

        if (isServer)
        {
            await ServerAsync(cancellationToken).ConfigureAwait(false);
        }

        if (suite.Options.ChangeFeatures is { } change && (caps115 is not null || caps390 is not null))
        {
            await ChangeAsync(change, caps115, caps390, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ServerAsync(CancellationToken cancellationToken)
    {
        var judge = suite.JudgeJid;
        if (judge is not null)
        {
            await InfoAsync(judge.Bare.ToString(), null, null, cancellationToken).ConfigureAwait(false);
        }

        var nobody = XmppProbes.AbsentUserPrefix + suite.NextToken() + "@" + jid;
        await InfoAsync(nobody, null, null, cancellationToken).ConfigureAwait(false);
        await ItemsAsync(nobody, null, cancellationToken).ConfigureAwait(false);
        if (suite.Connection.Features is { } features && CapsElement.Read115(features) is { Hash: not null } caps
            && !string.IsNullOrEmpty(caps.Node) && !string.IsNullOrEmpty(caps.Ver))
        {
            await InfoAsync(jid, caps.DiscoNode, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ChangeAsync(Func<string, CancellationToken, ValueTask<bool>> change, Caps115Announcement? oldCaps115, IReadOnlyList<Caps390Hash>? oldCaps390, CancellationToken cancellationToken)
    {
        var seen = suite.PresenceCount(jid);
        if (!await change(jid, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await suite.WaitForPresenceAsync(jid, seen, suite.Options.Scenario.PresenceTimeout, cancellationToken).ConfigureAwait(false);
        await InfoAsync(jid, null, null, cancellationToken).ConfigureAwait(false);
        var presence = suite.LatestPresence(jid);
        var caps115 = presence is null ? null : CapsElement.Read115(presence);
        var caps390 = presence is null ? null : CapsElement.Read390(presence);
        await AskCapsNodesAsync(caps115, caps390, cancellationToken).ConfigureAwait(false);

        // The previous hash set's nodes (XMPP-CAPS-022, XMPP-CAPS2-006), when they differ from the current ones.
        if (oldCaps115 is { Hash: not null } old && !string.IsNullOrEmpty(old.Node) && !string.IsNullOrEmpty(old.Ver) && old.Ver != caps115?.Ver)
        {
            await InfoAsync(jid, old.DiscoNode, null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var hash in (oldCaps390 ?? []).Where(h => caps390?.Contains(h) != true).Take(suite.Options.Scenario.MaxHashNodes))
        {
            await InfoAsync(jid, hash.Node, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AskCapsNodesAsync(Caps115Announcement? caps115, IReadOnlyList<Caps390Hash>? caps390, CancellationToken cancellationToken)
    {
        if (caps115 is { Hash: not null } c && !string.IsNullOrEmpty(c.Node) && !string.IsNullOrEmpty(c.Ver))
        {
            await InfoAsync(jid, c.DiscoNode, null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var hash in (caps390 ?? []).Take(suite.Options.Scenario.MaxHashNodes))
        {
            await InfoAsync(jid, hash.Node, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private IEnumerable<string> OwnNodes(IReadOnlyList<DiscoItem> items) =>
        items.Where(i => XmppJids.Key(i.Jid.ToString()) == XmppJids.Key(jid) && !string.IsNullOrEmpty(i.Node)).Select(i => i.Node!).Distinct(StringComparer.Ordinal);

    private Task<XElement?> InfoAsync(string to, string? node, string? lang, CancellationToken cancellationToken)
    {
        var iq = Iq("get", to, DiscoCodec.InfoRequest(node));
        if (lang is not null)
        {
            iq.SetAttributeValue(XNamespace.Xml + "lang", lang);
        }

        return QueryAsync(iq, cancellationToken);
    }

    private async Task<IReadOnlyList<DiscoItem>> ItemsAsync(string to, string? node, CancellationToken cancellationToken)
    {
        var answer = await QueryAsync(Iq("get", to, DiscoCodec.ItemsRequest(node)), cancellationToken).ConfigureAwait(false);
        return answer?.Element(DiscoCodec.ItemsQueryName) is { } query && (string?)answer.Attribute("type") == "result"
            ? DiscoCodec.ReadItems(query).Items?.Items ?? []
            : [];
    }

    private Task<XElement?> QueryAsync(XElement iq, CancellationToken cancellationToken) => suite.QueryAsync(iq, cancellationToken);

    private static XElement Iq(string type, string to, params XElement[] payloads) =>
        new(Client + "iq", new XAttribute("type", type), new XAttribute("to", to), payloads);
}
