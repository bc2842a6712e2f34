using System.Globalization;
using System.Net;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Xmpp.Caps;

namespace Harness.Conformance.Xmpp;

/// <summary>The roles of XMPP devices and the probe names the scenario uses (so that passive rules recognise them).</summary>
public static class XmppRoles
{
    /// <summary>An XMPP server: answers disco for its domain and for its accounts' bare JIDs, negotiates client streams.</summary>
    public static DeviceRole Server { get; } = new("XmppServer");
}

/// <summary>The names the judge's stimuli carry: a passive rule knows a probe by them, live or in a capture.</summary>
internal static class XmppProbes
{
    /// <summary>The prefix of node names that exist nowhere (XMPP-DISCO-009).</summary>
    public const string AbsentNodePrefix = "urn:xmpp:harness:absent-node:";

    /// <summary>The prefix of the namespace of a payload nobody implements (XMPP-DISCO-020).</summary>
    public const string UnknownNamespacePrefix = "urn:xmpp:harness:unknown:";

    /// <summary>The prefix of localparts of accounts that do not exist (XMPP-DISCO-016, -017).</summary>
    public const string AbsentUserPrefix = "harness-absent-";

    /// <summary>The xml:lang of the language probe (XMPP-DISCO-021).</summary>
    public const string Lang = "de";

    public static bool IsAbsentNode(string? node) => node is not null && node.StartsWith(AbsentNodePrefix, StringComparison.Ordinal);

    public static bool IsAbsentUser(string? jid) =>
        Harness.Xmpp.Core.Jid.TryParse(jid, out var parsed) && parsed.Local is { } local && local.StartsWith(AbsentUserPrefix, StringComparison.OrdinalIgnoreCase);

    public static bool IsUnknownPayload(XmppExchange exchange) =>
        exchange.Payload is { } payload && payload.Name.NamespaceName.StartsWith(UnknownNamespacePrefix, StringComparison.Ordinal);
}

/// <summary>
/// Finds the XMPP entities in a session's records: every address that answered a disco#info query with a result, and
/// every address that sent an available presence with entity capabilities. Accounts answered for by their server (a
/// bare JID whose identity is <c>account/*</c>) are judged as part of the server, not as entities. An address that is
/// the domain of a client stream's server also gets <see cref="XmppRoles.Server"/>.
/// </summary>
public static class XmppDevices
{
    /// <summary>The devices in the records (live or from a capture), ordered by first appearance.</summary>
    public static IReadOnlyList<Device> FromRecords(IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return FromView(XmppView.Build(records), null);
    }

    internal static IReadOnlyList<Device> FromView(XmppView view, string? serverDomain)
    {
        var found = new List<(string Key, string Jid, long Order)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string jid, long order)
        {
            if (XmppJids.Key(jid) is { } key && seen.Add(key))
            {
                found.Add((key, jid, order));
            }
        }

        foreach (var exchange in view.Exchanges)
        {
            if (!exchange.IsInfoGet || !exchange.IsResult || exchange.To is null || XmppProbes.IsAbsentUser(exchange.To))
            {
                continue;
            }

            if (XmppJids.IsAccount(exchange.To) && view.ReadInfo(exchange) is { } info && info.Identities.Any(i => i.Category == "account"))
            {
                continue;
            }

            Add(exchange.To, exchange.Request.Order);
        }

        foreach (var stanza in view.Stanzas)
        {
            if (stanza.Name == "presence" && stanza.Type is null or "available" && stanza.From is { } from
                && (stanza.Element!.Element(CapsElement.Caps115Name) is not null || stanza.Element.Element(CapsElement.Caps390Name) is not null))
            {
                Add(from, stanza.Order);
            }
        }

        return [.. found.OrderBy(f => f.Order).Select(f => Describe(view, f.Jid, serverDomain))];
    }

    /// <summary>A device for <paramref name="jid"/> with what the view knows of it.</summary>
    internal static Device Describe(XmppView view, string jid, string? serverDomain, IPEndPoint? fallbackAddress = null)
    {
        var domain = XmppJids.Domain(jid);
        var isServer = XmppJids.IsDomain(jid)
            && ((serverDomain is not null && string.Equals(domain, serverDomain, StringComparison.OrdinalIgnoreCase)) || (domain is not null && view.ServerDomains.Contains(domain)));
        var roles = isServer ? new[] { DeviceRole.XmppEntity, XmppRoles.Server } : [DeviceRole.XmppEntity];
        var root = view.InfoAnswers(jid, e => e.Node is null && e.Lang is null).LastOrDefault();
        var presences = view.PresencesFrom(jid);
        var caps = presences.LastOrDefault(p => p.HasCaps);
        var addresses = view.ExchangesTo(jid).SelectMany(e => e.Responses).Select(r => r.Flow.Source)
            .Concat(presences.Select(p => p.Presence.Flow.Source))
            .Distinct()
            .Take(8)
            .ToList();
        if (addresses.Count == 0 && fallbackAddress is not null)
        {
            addresses.Add(fallbackAddress);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is not null)
        {
            metadata["identities"] = string.Join("; ", root.Info.Identities.Take(8).Select(i => $"{i.Category}/{i.Type}" + (i.Name is null ? string.Empty : " " + i.Name)));
            metadata["features"] = root.Info.Features.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (caps?.Caps115 is { } c115)
        {
            metadata["capsNode"] = c115.Node ?? string.Empty;
            metadata["capsVer"] = c115.Ver ?? string.Empty;
        }

        if (caps?.Caps390 is { } c390)
        {
            metadata["caps2"] = string.Join(' ', c390.Select(h => h.Algorithm));
        }

        static string? DisplayNameOf(Harness.Xmpp.Disco.DiscoInfo? info) =>
            info?.Identities.FirstOrDefault(i => !string.IsNullOrEmpty(i.Name))?.Name
            ?? (info?.Identities.FirstOrDefault() is { } first ? $"{first.Category}/{first.Type}" : null);

        return new Device(jid, Protocols.Xmpp, roles)
        {
            DisplayName = DisplayNameOf(root?.Info),
            EndpointReference = jid,
            Addresses = addresses,
            Metadata = metadata,
        };
    }
}
