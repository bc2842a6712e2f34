using Harness.Conformance.Model;
using Harness.Core.Transport;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Wsd.WsdChecks;

namespace Harness.Conformance.Wsd;

public static partial class WsdRules
{
    private const string MatchingText2005 =
        "rfc2396: using a case-insensitive comparison the scheme and authority of S1 and S2 are the same and, using a "
        + "case-sensitive comparison, the path segments of S1 are a segment-wise (not string) prefix of those of S2; "
        + "'http://example.com/abc' matches 'http://example.com/abc/def' but 'http://example.com/a' does not.";

    private static IEnumerable<Rule> ProbeRules()
    {
        yield return ActiveRule(
            "WSD-PRB-001",
            "A Probe with neither Types nor Scopes is answered",
            new(Wsd2005 + "; WSDBIT 1.3.1", "5.2", Url2005, "A Probe without Types and Scopes matches every target service."),
            RuleLevel.Must,
            Target,
            "Sends a unicast Probe without Types and Scopes in each family the device speaks.",
            (c, r, v) => Expect(c, v, r, WsdScenario.Wildcard));

        yield return ActiveRule(
            "WSD-PRB-002",
            "Types match by expanded QName, whatever the prefix",
            new(Wsd2005 + "; WSDBIT 1.3.10", "5.1", Url2005, "A Probe type matches a target type when namespace and local name are equal; the prefix is irrelevant."),
            RuleLevel.Must,
            Target,
            "Probes (unicast) for each announced type under a random prefix: answered; probes (multicast) for the same local name in another namespace: silence.",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.TypePrefixed, WsdScenario.TypeOtherNamespace), "The device announced no types."));

        yield return ActiveRule(
            "WSD-PRB-003",
            "Each Probe scope must match one of the device's scopes",
            new(Wsd2005, "5.1", Url2005, "A target matches when every scope in the Probe matches at least one of its scopes under the MatchBy rule; otherwise it does not respond."),
            RuleLevel.Must,
            Target,
            "Probes (unicast) for one of the device's own scopes: answered; probes (multicast) for a scope it lacks: silence.",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.ScopeExact, WsdScenario.ScopeForeign), "The device announced no scopes."));

        yield return ActiveRule(
            "WSD-PRB-004",
            "No MatchBy means the rfc2396 (1.1: rfc3986) prefix rule",
            new(Wsd2005 + "; " + Wsd11, "5.1, 5.2", Url2005, "When d:Scopes has no MatchBy, the rfc2396 rule (1.1: rfc3986) applies."),
            RuleLevel.Must,
            Target,
            "Probes (unicast, no MatchBy) for the parent path of one of the device's hierarchical scopes: answered (exact comparison would not match).",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.ScopeParentDefault), "The device has no hierarchical scope."));

        yield return ActiveRule(
            "WSD-PRB-005",
            "The rfc2396/rfc3986 rule compares whole path segments",
            new(Wsd2005, "5.1", Url2005, MatchingText2005, IsQuote: false),
            RuleLevel.Must,
            Target,
            "With the family's rfc MatchBy: a parent path and an upper-case scheme are answered (unicast); a scope whose last segment lost one character is not (multicast).",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.ScopeParentRfc, WsdScenario.ScopeSchemeCase, WsdScenario.ScopePartialSegment), "The device has no hierarchical scope."));

        yield return ActiveRule(
            "WSD-PRB-006",
            "strcmp0 compares whole strings, case-sensitively",
            new(Wsd2005 + "; WSDBIT 1.3.9", "5.1", Url2005, "strcmp0: using a case-sensitive comparison, the string representations of S1 and S2 are the same."),
            RuleLevel.Must,
            Target,
            "strcmp0 Probes: the device's own scope is answered (unicast); the same scope with its letters' case swapped is not (multicast).",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.Strcmp0Exact, WsdScenario.Strcmp0Case), "The device announced no scopes."));

        yield return ActiveRule(
            "WSD-PRB-007",
            "The uuid rule compares 128-bit values",
            new(Wsd2005, "5.1", Url2005, "uuid: using a case-insensitive comparison the scheme of S1 and S2 is 'uuid' and the 128-bit values are the same."),
            RuleLevel.Must,
            Target,
            "A uuid Probe for a uuid the device lacks is not answered (multicast); when the device has uuid scopes, its own in upper case is (unicast).",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.UuidExact, WsdScenario.UuidOther), "The device announced no scopes."));

        yield return ActiveRule(
            "WSD-PRB-008",
            "The ldap rule compares host and RDN sequence",
            new(Wsd2005, "5.1", Url2005, "ldap: the scheme is 'ldap', the hostports are the same and the RDN sequence of S1 is a prefix of that of S2 (a target may not support ldap)."),
            RuleLevel.May,
            Target,
            "An ldap Probe for a directory entry the device lacks is not answered (multicast); when the device has ldap scopes, its own is (unicast).",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.LdapExact, WsdScenario.LdapOther), "The device announced no scopes."));

        yield return ActiveRule(
            "WSD-PRB-009",
            "The 1.1 'none' rule matches only a device without scopes",
            new(Wsd11, "5.1", Url11, "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/none matches only a target service that has no scopes."),
            RuleLevel.Must,
            Target,
            "For a device that speaks 1.1: a 'none' Probe is answered only when the device has no scopes.",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.MatchByNone), "The device does not speak WS-Discovery 1.1."));

        yield return ActiveRule(
            "WSD-PRB-010",
            "An unknown MatchBy: no match; unicast may fault, multicast stays silent",
            new(Wsd2005 + "; " + OnvifCore, "5.2.2; device discovery (SOAP fault messages)", Url2005, "A target that does not support the MatchBy rule does not match; to a unicast Probe it may send a MatchingRuleNotSupported fault (Code Sender, Subcode d:MatchingRuleNotSupported, Detail d:SupportedMatchingRules); to a multicast Probe it sends nothing (the checklist rates this MAY/SHOULD: a warning)."),
            RuleLevel.Should,
            Target,
            "Sends a Probe with an unknown MatchBy unicast (no match; a fault, if any, must be well formed) and multicast (nothing at all).",
            CheckUnknownMatchBy);

        yield return Passive(
            "WSD-PRB-011",
            "No empty ProbeMatches to a multicast Probe",
            new(Wsd2005, "5.3", Url2005, "A target service that does not match a multicast Probe does not respond; an empty ProbeMatches is a response."),
            RuleLevel.Must,
            Target,
            "Flags every ProbeMatches without a ProbeMatch the device sent in answer to a multicast Probe.",
            CheckNoEmptyMatches);

        yield return Passive(
            "WSD-PRB-012",
            "Answers go unicast to the request's source address and port",
            new(SoapUdp + "; WSDAPI ProbeMatches", "reply pattern", UrlSoapUdp, "The response to a request goes unicast to the address and port the request came from (not to 3702, not to the group)."),
            RuleLevel.Must,
            Target,
            "For each answer whose request is in the session: its destination must be the request's source endpoint.",
            CheckRepliesReachRequester);

        yield return ActiveRule(
            "WSD-PRB-013",
            "A multicast Probe is answered within APP_MAX_DELAY, and within 4 s",
            new(Wsd2005 + "; WSDAPI ProbeMatches", "2.4 / Appendix I", Url2005, "Answers to multicast requests are delayed by a random time up to APP_MAX_DELAY; Windows drops unicast replies arriving more than 4 s after its multicast Probe."),
            RuleLevel.Must,
            Target,
            "Times the first match to a multicast Probe the device matches; it must come within APP_MAX_DELAY (500 ms; 2.5 s for DPWS devices) plus a scheduling tolerance, and never after 4 s.",
            CheckMulticastAnswerTime);

        yield return Passive(
            "WSD-PRB-014",
            "A ProbeMatch holds the EPR, Types and MetadataVersion",
            new(Wsd2005 + "; DPWS R1020", "5.3", Url2005, "Each ProbeMatch carries the endpoint reference, the types and the MetadataVersion (scopes and XAddrs optional)."),
            RuleLevel.Must,
            Target,
            "Reads every ProbeMatch describing the device.",
            CheckProbeMatchContent);
    }

    private static IEnumerable<Finding> NotApplicableWhenEmpty(RuleContext context, IEnumerable<Finding> findings, string reason)
    {
        var list = findings.ToList();
        return list.Count == 0 ? [context.NotApplicable(reason)] : list;
    }

    private static IEnumerable<Finding> CheckUnknownMatchBy(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        foreach (var stimulus in result.Named(WsdScenario.UnknownRuleUnicast))
        {
            var replies = Replies(view, context.Device, stimulus);
            var matches = Matches(replies, context.Device);
            var faults = replies.Where(r => r.Message is WsdFault).ToList();
            if (matches.Count > 0)
            {
                yield return context.Violation($"Answered a Probe whose MatchBy ('{stimulus.Detail}') it cannot support with a match.", Evidence(stimulus, replies), "a match", "no match (a fault or silence)");
            }
            else if (faults.Count > 0)
            {
                var fault = (WsdFault)faults[0].Message!;
                var problems = FaultProblems(fault);
                yield return problems.Count == 0
                    ? context.Pass("Answered the unicast Probe with an unknown MatchBy with a well-formed MatchingRuleNotSupported fault.", Evidence(stimulus, faults))
                    : context.Violation("The MatchingRuleNotSupported fault is malformed: " + string.Join("; ", problems) + ".", Evidence(stimulus, faults));
            }
            else
            {
                yield return context.Pass("Stayed silent to the unicast Probe with an unknown MatchBy (allowed).", [stimulus.Request]);
            }
        }

        foreach (var stimulus in result.Named(WsdScenario.UnknownRuleMulticast))
        {
            var replies = Replies(view, context.Device, stimulus);
            yield return replies.Count == 0
                ? context.Pass("Stayed silent to the multicast Probe with an unknown MatchBy.", [stimulus.Request])
                : context.Violation(
                    $"Answered the multicast Probe with an unknown MatchBy ({(replies[0].Message is WsdFault ? "a fault" : "a match")}): multicast Probes never get faults or matches they do not match.",
                    Evidence(stimulus, replies),
                    replies[0].Message is WsdFault ? "a fault" : "a match",
                    "silence");
        }
    }

    private static List<string> FaultProblems(WsdFault fault)
    {
        var problems = new List<string>();
        var action = fault.Header.Action;
        if (action != fault.Protocol.FaultAction && action != fault.Protocol.AddressingNamespace + "/fault")
        {
            problems.Add($"Action is '{action}'");
        }

        if (fault.Code.LocalName != "Sender" || fault.Code.Namespace != WsdProtocol.SoapEnvelopeNamespace)
        {
            problems.Add($"Code is '{fault.Code}'");
        }

        if (fault.Subcode is not { LocalName: "MatchingRuleNotSupported" } subcode || subcode.Namespace != fault.Protocol.DiscoveryNamespace)
        {
            problems.Add($"Subcode is '{fault.Subcode?.ToString() ?? "(none)"}'");
        }

        return problems;
    }

    private static IEnumerable<Finding> CheckNoEmptyMatches(RuleContext context)
    {
        var view = WsdView.Of(context.Session);
        var matches = Sent(context).Where(i => i.Message is WsdProbeMatches).ToList();
        if (matches.Count == 0)
        {
            yield break;
        }

        var empty = matches.Where(i => i.Endpoints.Count == 0 && view.RequestFor(i) is { IsMulticast: true }).ToList();
        if (empty.Count == 0)
        {
            yield return context.Pass($"{Count(matches.Count, "ProbeMatches")}, none empty in answer to a multicast Probe.", matches.Take(3).Select(i => i.Record));
            yield break;
        }

        foreach (var item in empty.DistinctBy(i => i.RelatesTo).Take(5))
        {
            yield return context.Violation(
                "Answered a multicast Probe it does not match with an empty ProbeMatches.",
                [view.RequestFor(item)!.Record, item.Record],
                "an empty ProbeMatches",
                "silence");
        }
    }

    private static IEnumerable<Finding> CheckRepliesReachRequester(RuleContext context)
    {
        var view = WsdView.Of(context.Session);
        var replies = Sent(context).Where(i => i.RelatesTo is not null && (i.Message is WsdProbeMatches or WsdResolveMatches or WsdFault)).Select(i => (Reply: i, Request: view.RequestFor(i))).Where(x => x.Request is not null).ToList();
        if (replies.Count == 0)
        {
            yield break;
        }

        var wrong = replies.Where(x => !ReachedRequester(x.Reply, x.Request!)).ToList();
        if (wrong.Count == 0)
        {
            yield return context.Pass($"{Count(replies.Count, "answers")} went unicast to the requester's address and port.", replies.Take(3).Select(x => x.Reply.Record));
            yield break;
        }

        foreach (var (reply, request) in wrong.DistinctBy(x => (x.Reply.Record.Destination.ToString(), x.Reply.Message!.GetType())).Take(4))
        {
            var to = reply.Record.Destination;
            yield return context.Violation(
                to.Address.IsMulticast()
                    ? $"A {reply.Message!.GetType().Name[3..]} went to the multicast group {to}, not unicast to the requester."
                    : $"A {reply.Message!.GetType().Name[3..]} went to {to}, not to the request's source {request!.Record.Source}.",
                [request!.Record, reply.Record],
                to.ToString(),
                request.Record.Source.ToString());
        }
    }

    private static IEnumerable<Finding> CheckMulticastAnswerTime(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        var stimuli = result.Named(WsdScenario.MulticastBaseline).ToList();
        if (stimuli.Count == 0)
        {
            yield return context.NotApplicable("No multicast Probe the device matches could be formed.");
            yield break;
        }

        var bound = result.AppMaxDelay + result.Options.Tolerance;
        foreach (var stimulus in stimuli)
        {
            var replies = Replies(view, context.Device, stimulus);
            var first = Matches(replies, context.Device).FirstOrDefault();
            if (first is null)
            {
                yield return context.Violation(
                    $"No answer to a multicast Probe it matches ({stimulus.Detail}) within {Ms(Window(result))}: APP_MAX_DELAY is {Ms(result.AppMaxDelay)}.",
                    [stimulus.Request],
                    "silence",
                    "a match within " + Ms(result.AppMaxDelay));
                continue;
            }

            var delay = first.Time - stimulus.Request.Timestamp;
            if (delay > TimeSpan.FromSeconds(4))
            {
                yield return context.Violation($"The first match came {Ms(delay)} after the multicast Probe: Windows drops replies after 4 s.", [stimulus.Request, first.Record], Ms(delay), "< 4000 ms");
            }
            else if (delay > bound)
            {
                yield return context.Violation($"The first match came {Ms(delay)} after the multicast Probe, later than APP_MAX_DELAY {Ms(result.AppMaxDelay)}.", [stimulus.Request, first.Record], Ms(delay), "≤ " + Ms(result.AppMaxDelay));
            }
            else
            {
                yield return context.Pass($"The first match came {Ms(delay)} after the multicast Probe (APP_MAX_DELAY {Ms(result.AppMaxDelay)}).", [stimulus.Request, first.Record]);
            }
        }
    }

    private static IEnumerable<Finding> CheckProbeMatchContent(RuleContext context)
    {
        var items = Sent(context).Where(i => i.Message is WsdProbeMatches && i.HasEndpoint(context.Device.Id)).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var problems = new Dictionary<string, List<WsdItem>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var data = item.EndpointOf(context.Device.Id)!;
            if (data.Types.Count == 0)
            {
                Note(problems, "A ProbeMatch has no d:Types.", item);
            }
            else if (data.Types.Any(t => t.Namespace.Length == 0))
            {
                Note(problems, "A ProbeMatch has d:Types whose prefixes resolve to no namespace.", item);
            }

            if (data.MetadataVersion is null)
            {
                Note(problems, "A ProbeMatch has no d:MetadataVersion.", item);
            }
        }

        if (problems.Count == 0)
        {
            yield return context.Pass($"{Count(items.Count, "ProbeMatches")} carry the EPR, Types and MetadataVersion.", items.Take(3).Select(i => i.Record));
            yield break;
        }

        foreach (var (message, list) in problems)
        {
            yield return context.Violation(message + (list.Count > 1 ? $" ({list.Count} messages)" : string.Empty), list.Take(4).Select(i => i.Record));
        }
    }

    private static void Note(Dictionary<string, List<WsdItem>> problems, string message, WsdItem item)
    {
        if (!problems.TryGetValue(message, out var list))
        {
            list = [];
            problems.Add(message, list);
        }

        list.Add(item);
    }
}
