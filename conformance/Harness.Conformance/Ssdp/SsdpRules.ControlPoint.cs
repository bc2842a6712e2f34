using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.Ssdp.Messages;
using static Harness.Conformance.Ssdp.SsdpChecks;

namespace Harness.Conformance.Ssdp;

public static partial class SsdpRules
{
    /// <summary>The searches a control point sent (inbound M-SEARCH from its address), by time.</summary>
    private static IReadOnlyList<SsdpItem> CpSearches(RuleContext context) =>
        [.. View(context).Items.Where(i => i.IsInbound && i.Read.Message is SsdpSearchRequest && context.Device.IsAt(i.Record.Source))];

    private static IEnumerable<Rule> ControlPointRules()
    {
        yield return Passive(
            "SSDP-MSEARCH-006",
            "A multicast M-SEARCH carries HOST (the group), MAN, MX and ST and ends with an empty line",
            Uda("1.3.2", "A multicast search carries HOST: 239.255.255.250:1900 (or [FF02::C]:1900 / [FF05::C]:1900), MAN: \"ssdp:discover\", MX and ST, and no body."),
            RuleLevel.Must,
            ControlPoint,
            "Reads every search the control point sent: the request line, HOST naming the group and port it went to, MAN, MX and ST present, the final empty line.",
            CheckCpSearch);

        yield return Passive(
            "SSDP-MSEARCH-007",
            "A UPnP/2.0 multicast M-SEARCH carries CPFN.UPNP.ORG",
            Uda2("1.3.2", "A UDA 2.0 control point's multicast M-SEARCH carries CPFN.UPNP.ORG (its friendly name); CPUUID.UPNP.ORG, TCPPORT.UPNP.ORG and USER-AGENT are allowed. Devices still answer 1.x searches without them."),
            RuleLevel.Must,
            ControlPoint,
            "Reads the control point's multicast searches whose USER-AGENT says UPnP/2.0. Not applicable to a UPnP/1.x control point.",
            context =>
            {
                var searches = CpSearches(context).Where(i => i.Record.Destination.Address.IsMulticast()).ToList();
                var v2 = searches.Where(i => SsdpDevices.VersionToken(i.Search!.UserAgent) == "2.0").ToList();
                return v2.Count == 0
                    ? [context.NotApplicable("The control point does not say UPnP/2.0 in USER-AGENT: CPFN.UPNP.ORG is not required.")]
                    : FromReader(context, v2, "UPnP/2.0 searches", SsdpRuleIds.SearchUda20Headers);
            });

        yield return Passive(
            "SSDP-CP-004",
            "A control point sends each M-SEARCH more than once",
            Uda("1.3.2", "Because UDP is unreliable, a control point SHOULD send each M-SEARCH more than once, and wait at least MX seconds after a multicast search."),
            RuleLevel.Should,
            ControlPoint,
            "Groups the control point's searches by ST: each ST must be searched at least twice within 10 s of the first.",
            CheckCpRepeats);
    }

    private static IEnumerable<Finding> CheckCpSearch(RuleContext context)
    {
        var searches = CpSearches(context);
        var problems = FromReader(context, searches, "searches", SsdpRuleIds.SearchRequestLine, SsdpRuleIds.SearchHeaders, SsdpRuleIds.SearchMan, SsdpRuleIds.SearchMxMissing, SsdpRuleIds.SearchMxValue).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        foreach (var search in searches.Where(i => i.Record.Destination.Address.IsMulticast()))
        {
            var host = SsdpMessage.HostFor(search.Record.Destination);
            if (!string.Equals(search.Search!.Host, host, StringComparison.OrdinalIgnoreCase))
            {
                yield return context.FromViolation(new Violation(SsdpRuleIds.SearchHeaders, $"HOST is '{search.Search.Host}' in a search sent to {host}.", ViolationSeverity.Error, "HOST"), search.Record);
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckCpRepeats(RuleContext context)
    {
        var searches = CpSearches(context).Where(i => i.Search!.SearchTarget.Length > 0).ToList();
        if (searches.Count == 0)
        {
            yield break;
        }

        foreach (var group in searches.GroupBy(i => i.Search!.SearchTarget, StringComparer.Ordinal))
        {
            var first = group.First();
            var repeats = group.Count(i => i.Time - first.Time <= TimeSpan.FromSeconds(10));
            if (repeats < 2)
            {
                yield return context.Violation($"ST {group.Key} was searched only once.", [first.Record], "1", "2 or more");
                yield break;
            }
        }

        yield return context.Pass($"Every ST of {Count(searches.Count, "searches")} was sent more than once.", searches.Take(3).Select(i => i.Record));
    }
}
