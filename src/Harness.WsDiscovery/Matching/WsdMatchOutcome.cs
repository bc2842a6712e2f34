namespace Harness.WsDiscovery.Matching;

/// <summary>The result of matching a Probe against a target service.</summary>
public enum WsdMatchOutcome
{
    /// <summary>The target matches: it answers with a ProbeMatch.</summary>
    Match,

    /// <summary>The target does not match: it stays silent.</summary>
    NoMatch,

    /// <summary>
    /// The Probe's MatchBy is not a rule this target supports: no match, and a unicast Probe may be answered with
    /// the MatchingRuleNotSupported fault (never a multicast one).
    /// </summary>
    UnsupportedRule,
}
