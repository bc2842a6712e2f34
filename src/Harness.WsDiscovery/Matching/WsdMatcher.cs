using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Matching;

/// <summary>
/// The Probe matching rules of WS-Discovery 2005 §5.1 and OASIS WS-Discovery 1.1 §5.1 (checklist wsd.md items
/// 24–31, ONVIF item 91): types by expanded QName, scopes by the MatchBy rule (rfc2396 / rfc3986, uuid, ldap,
/// strcmp0, and 1.1's none).
/// </summary>
public static class WsdMatcher
{
    /// <summary>
    /// The rfc3986 rule spelled under the 2005 namespace. The 2005 specification never defined it, but ONVIF Core
    /// names it, so a 2005 target understands it as rfc3986.
    /// </summary>
    public const string OnvifRfc3986 = "http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986";

    private static readonly string[] Rules2005 =
    [
        WsdProtocol.V2005.MatchByRfc,
        WsdProtocol.V2005.MatchByUuid,
        WsdProtocol.V2005.MatchByLdap,
        WsdProtocol.V2005.MatchByStrcmp0,
        OnvifRfc3986,
    ];

    private static readonly string[] Rules11 =
    [
        WsdProtocol.V11.MatchByRfc,
        WsdProtocol.V11.MatchByUuid,
        WsdProtocol.V11.MatchByLdap,
        WsdProtocol.V11.MatchByStrcmp0,
        WsdProtocol.V11.MatchByNone!,
    ];

    private enum Rule
    {
        Rfc,
        Uuid,
        Ldap,
        Strcmp0,
        None,
    }

    /// <summary>
    /// True when every Probe type is among the target's types, compared by expanded QName (namespace URI and local
    /// name; the prefix is irrelevant). No Probe types match any target.
    /// </summary>
    public static bool TypesMatch(IReadOnlyList<WsdQName> probeTypes, IReadOnlyList<WsdQName> targetTypes)
    {
        ArgumentNullException.ThrowIfNull(probeTypes);
        ArgumentNullException.ThrowIfNull(targetTypes);
        for (var i = 0; i < probeTypes.Count; i++)
        {
            var found = false;
            for (var j = 0; j < targetTypes.Count && !found; j++)
            {
                found = probeTypes[i].Equals(targetTypes[j]);
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Matches Probe scopes against a target's scopes: each Probe scope must match at least one target scope under
    /// the rule. <paramref name="matchBy"/> null means the family's default (rfc2396 for 2005, rfc3986 for 1.1).
    /// No Probe scopes match any target, except under <c>none</c>, which matches only a target without scopes.
    /// </summary>
    /// <param name="probeScopes">The Probe's scopes.</param>
    /// <param name="matchBy">The Probe's MatchBy URI, or null.</param>
    /// <param name="targetScopes">The target's scopes.</param>
    /// <param name="protocol">The family the target speaks (decides which rule URIs it understands).</param>
    public static WsdMatchOutcome ScopesMatch(IReadOnlyList<string> probeScopes, string? matchBy, IReadOnlyList<string> targetScopes, WsdProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(probeScopes);
        ArgumentNullException.ThrowIfNull(targetScopes);
        ArgumentNullException.ThrowIfNull(protocol);
        if (ResolveRule(matchBy, protocol) is not { } rule)
        {
            return WsdMatchOutcome.UnsupportedRule;
        }

        return ScopesMatch(probeScopes, rule, targetScopes) ? WsdMatchOutcome.Match : WsdMatchOutcome.NoMatch;
    }

    /// <summary>
    /// Matches a Probe against a target's data: the rule must be supported, then types and scopes must both match.
    /// The family is the Probe's.
    /// </summary>
    public static WsdMatchOutcome Matches(WsdProbe probe, WsdEndpointData target)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(target);
        if (ResolveRule(probe.MatchBy, probe.Protocol) is not { } rule)
        {
            return WsdMatchOutcome.UnsupportedRule;
        }

        return TypesMatch(probe.Types, target.Types) && ScopesMatch(probe.Scopes, rule, target.Scopes)
            ? WsdMatchOutcome.Match
            : WsdMatchOutcome.NoMatch;
    }

    /// <summary>
    /// The MatchBy URIs a target of this family supports, for <c>d:SupportedMatchingRules</c>: 2005 lists rfc2396,
    /// uuid, ldap, strcmp0 and ONVIF's rfc3986 spelling; 1.1 lists rfc3986, uuid, ldap, strcmp0 and none.
    /// </summary>
    public static IReadOnlyList<string> SupportedRules(WsdProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.Version == WsdVersion.V2005 ? Rules2005 : Rules11;
    }

    /// <summary>One scope against one scope under a rule URI of a family; false also when the rule is not supported.</summary>
    public static bool ScopeMatches(string probeScope, string targetScope, string? matchBy, WsdProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(probeScope);
        ArgumentNullException.ThrowIfNull(targetScope);
        ArgumentNullException.ThrowIfNull(protocol);
        return ResolveRule(matchBy, protocol) is { } rule && rule != Rule.None && ScopeMatches(probeScope, targetScope, rule);
    }

    private static Rule? ResolveRule(string? matchBy, WsdProtocol protocol)
    {
        if (matchBy is null)
        {
            return Rule.Rfc;
        }

        var m = matchBy.Trim(' ', '\t', '\r', '\n');
        if (m == protocol.MatchByRfc || (protocol.Version == WsdVersion.V2005 && m == OnvifRfc3986))
        {
            return Rule.Rfc;
        }

        if (m == protocol.MatchByUuid)
        {
            return Rule.Uuid;
        }

        if (m == protocol.MatchByLdap)
        {
            return Rule.Ldap;
        }

        if (m == protocol.MatchByStrcmp0)
        {
            return Rule.Strcmp0;
        }

        return protocol.MatchByNone is { } none && m == none ? Rule.None : null;
    }

    private static bool ScopesMatch(IReadOnlyList<string> probeScopes, Rule rule, IReadOnlyList<string> targetScopes)
    {
        if (rule == Rule.None)
        {
            // 1.1 §5.1 "none": matches only a target service that has no scopes; a Probe using it carries none itself.
            return probeScopes.Count == 0 && targetScopes.Count == 0;
        }

        for (var i = 0; i < probeScopes.Count; i++)
        {
            var found = false;
            for (var j = 0; j < targetScopes.Count && !found; j++)
            {
                found = ScopeMatches(probeScopes[i], targetScopes[j], rule);
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ScopeMatches(string probe, string target, Rule rule) => rule switch
    {
        Rule.Rfc => WsdUriScopeRule.Matches(probe, target),
        Rule.Uuid => WsdUuidScopeRule.Matches(probe, target),
        Rule.Ldap => WsdLdapScopeRule.Matches(probe, target),
        Rule.Strcmp0 => string.Equals(probe, target, StringComparison.Ordinal),
        _ => false,
    };
}
