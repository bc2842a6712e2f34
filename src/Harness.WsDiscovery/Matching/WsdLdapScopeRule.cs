using System.Text;

namespace Harness.WsDiscovery.Matching;

/// <summary>
/// The ldap scope rule: comparing case-insensitively, the scheme of S1 and S2 is "ldap" and their hostports
/// [RFC 2255] are the same, and the RDNSequence [RFC 2253] of S1's dn is a prefix of S2's, without the variants of
/// RFC 2253 §4 (no ';' separators, no spaces around separators, no quoting). The RDNSequence runs from the root,
/// which is the reverse of the string order: <c>ldap:///o=examplecom,c=us</c> is a prefix of
/// <c>ldap:///ou=floor1,ou=b42,o=examplecom,c=us</c>. Attribute types compare case-insensitively, values
/// case-sensitively; the attribute-value pairs of a multi-valued RDN compare as a set.
/// </summary>
internal static class WsdLdapScopeRule
{
    public static bool Matches(string probe, string target)
    {
        if (!TryParse(probe, out var pHost, out var pRdns) || !TryParse(target, out var tHost, out var tRdns))
        {
            return false;
        }

        if (!string.Equals(pHost, tHost, StringComparison.OrdinalIgnoreCase) || pRdns.Count > tRdns.Count)
        {
            return false;
        }

        // Both lists are in RDNSequence order (root first).
        for (var i = 0; i < pRdns.Count; i++)
        {
            if (!string.Equals(pRdns[i], tRdns[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParse(string scope, out string hostport, out List<string> rdns)
    {
        hostport = string.Empty;
        rdns = [];
        if (!scope.StartsWith("ldap://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = scope.AsSpan(7);
        var query = rest.IndexOf('?');
        if (query >= 0)
        {
            rest = rest[..query];
        }

        var slash = rest.IndexOf('/');
        hostport = WsdUriScopeRule.PercentDecode(slash >= 0 ? rest[..slash] : rest);
        var dn = slash >= 0 ? WsdUriScopeRule.PercentDecode(rest[(slash + 1)..]) : string.Empty;
        if (dn.Length == 0)
        {
            return true;
        }

        foreach (var rdn in SplitUnescaped(dn, ','))
        {
            if (rdn.Length == 0)
            {
                return false;
            }

            var parts = new List<string>();
            foreach (var ava in SplitUnescaped(rdn, '+'))
            {
                var eq = ava.IndexOf('=', StringComparison.Ordinal);
                if (eq < 1)
                {
                    return false;
                }

                parts.Add(ava[..eq].ToUpperInvariant() + "=" + ava[(eq + 1)..]);
            }

            parts.Sort(StringComparer.Ordinal);
            rdns.Add(string.Join('+', parts));
        }

        rdns.Reverse();
        return true;
    }

    private static List<string> SplitUnescaped(string text, char separator)
    {
        var list = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (c == separator)
            {
                list.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        list.Add(current.ToString());
        return list;
    }
}
