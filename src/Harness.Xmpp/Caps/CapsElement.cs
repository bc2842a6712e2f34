using System.Xml.Linq;
using Harness.Core.Diagnostics;

namespace Harness.Xmpp.Caps;

/// <summary>A XEP-0115 <c>c</c> element as read from a presence.</summary>
/// <param name="Node">The node (the software's URI), or null when absent.</param>
/// <param name="Ver">The verification string, or null when absent.</param>
/// <param name="Hash">The hash name, or null (legacy caps, §5.4 1).</param>
/// <param name="Ext">The deprecated ext attribute, or null.</param>
public sealed record Caps115Announcement(string? Node, string? Ver, string? Hash, string? Ext = null)
{
    /// <summary>True when there is no hash attribute: a pre-1.5 announcement whose ver is not a hash.</summary>
    public bool IsLegacy => Hash is null;

    /// <summary>The disco node to query: <c>node#ver</c>.</summary>
    public string DiscoNode => Node + "#" + Ver;
}

/// <summary>
/// Builds and reads the presence elements of XEP-0115 (<c>&lt;c xmlns='http://jabber.org/protocol/caps' hash node ver/&gt;</c>)
/// and XEP-0390 (<c>&lt;c xmlns='urn:xmpp:caps'&gt;&lt;hash xmlns='urn:xmpp:hashes:2' algo='...'&gt;B64&lt;/hash&gt;&lt;/c&gt;</c>).
/// </summary>
public static class CapsElement
{
    /// <summary>The XEP-0115 element name.</summary>
    public static readonly XName Caps115Name = XName.Get("c", Caps115.NamespaceName);

    /// <summary>The XEP-0390 element name.</summary>
    public static readonly XName Caps390Name = XName.Get("c", Caps390.NamespaceName);

    /// <summary>The XEP-0300 hash element name.</summary>
    public static readonly XName HashName = XName.Get("hash", Caps390.HashesNamespaceName);

    /// <summary>Builds a XEP-0115 <c>c</c> element.</summary>
    public static XElement Build115(string node, string ver, string hash = Caps115.DefaultAlgorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        ArgumentException.ThrowIfNullOrEmpty(ver);
        ArgumentException.ThrowIfNullOrEmpty(hash);
        return new XElement(Caps115Name, new XAttribute("hash", hash), new XAttribute("node", node), new XAttribute("ver", ver));
    }

    /// <summary>Builds a XEP-0390 <c>c</c> element with one <c>hash</c> per entry.</summary>
    public static XElement Build390(IEnumerable<Caps390Hash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        return new XElement(Caps390Name, hashes.Select(h => new XElement(HashName, new XAttribute("algo", h.Algorithm), h.Value)));
    }

    /// <summary>Reads the XEP-0115 element of a presence, or null when there is none; problems go to <paramref name="violations"/>.</summary>
    public static Caps115Announcement? Read115(XElement presence, ICollection<Violation>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(presence);
        var c = presence.Name == Caps115Name ? presence : presence.Element(Caps115Name);
        if (c is null)
        {
            return null;
        }

        var result = new Caps115Announcement((string?)c.Attribute("node"), (string?)c.Attribute("ver"), (string?)c.Attribute("hash"), (string?)c.Attribute("ext"));
        if (violations is not null)
        {
            if (string.IsNullOrEmpty(result.Node) || string.IsNullOrEmpty(result.Ver))
            {
                violations.Add(new Violation(CapsRuleIds.CapsElement, "The caps element lacks node or ver.", ViolationSeverity.Error, "/presence/c"));
            }

            if (result.Hash is null)
            {
                violations.Add(new Violation(CapsRuleIds.LegacyCaps, "The caps element has no hash attribute (legacy caps): its ver is not verified.", ViolationSeverity.Warning, "/presence/c"));
            }

            if (result.Ext is not null)
            {
                violations.Add(new Violation(CapsRuleIds.CapsElement, "The caps element carries the deprecated ext attribute.", ViolationSeverity.Warning, "/presence/c"));
            }
        }

        return result;
    }

    /// <summary>
    /// Reads the XEP-0390 element of a presence, or null when there is none. Hashes with an empty algorithm or a value
    /// that is not Base64 are dropped with a violation; unknown algorithms are kept (the caller filters).
    /// </summary>
    public static IReadOnlyList<Caps390Hash>? Read390(XElement presence, ICollection<Violation>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(presence);
        var c = presence.Name == Caps390Name ? presence : presence.Element(Caps390Name);
        if (c is null)
        {
            return null;
        }

        var hashes = new List<Caps390Hash>();
        foreach (var hash in c.Elements(HashName))
        {
            var algo = (string?)hash.Attribute("algo");
            var value = hash.Value.Trim();
            if (string.IsNullOrEmpty(algo) || !Caps390.IsBase64(value))
            {
                violations?.Add(new Violation(CapsRuleIds.HashNode, $"A hash element has no algo or no Base64 value (algo '{algo}').", ViolationSeverity.Error, "/presence/c/hash"));
                continue;
            }

            hashes.Add(new Caps390Hash(algo, value));
        }

        return hashes;
    }
}
