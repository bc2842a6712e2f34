using Harness.Conformance.Model;
using Harness.Core.Transport;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Wsd.WsdChecks;

namespace Harness.Conformance.Wsd;

public static partial class WsdRules
{
    /// <summary>The most copies of one multicast message: 4 sends (2005, counted as total sends) or 4 + 1 (counted as retransmissions).</summary>
    private const int MaxMulticastCopies = 5;

    /// <summary>The most copies of one unicast message: 2 sends, or 2 + 1.</summary>
    private const int MaxUnicastCopies = 3;

    private static readonly TimeSpan UdpMinDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GapTolerance = TimeSpan.FromMilliseconds(25);

    private static IEnumerable<Rule> TransportRules()
    {
        yield return ActiveRule(
            "WSD-UDP-001",
            "Hostile datagrams do not take the device down",
            new(SoapUdp + "; DPWS R0029", "3", UrlSoapUdp, "An envelope fits one datagram (≤ 65,507 octets over IPv4; DPWS: 32,767); a receiver survives whatever arrives."),
            RuleLevel.Must,
            Target,
            "Sends a truncated envelope, random bytes, an entity-expansion DTD and a 48,000-octet Probe, then a Probe the device matches: it must still be answered. The device's own datagrams must fit one IPv4 datagram.",
            CheckSurvival);

        yield return ActiveRule(
            "WSD-UDP-002",
            "Discovery multicast uses the WS-Discovery group and port",
            new(Wsd2005, "2.4", Url2005, "Multicast messages go to 239.255.255.250 (IPv4) or FF02::C (IPv6), port 3702, where target services listen."),
            RuleLevel.Must,
            Target,
            "The device's Hello and Bye go to the group on the discovery port, and it answers a Probe sent to the group.",
            CheckMulticastGroup);

        yield return Passive(
            "WSD-UDP-003",
            "Repeats follow the SOAP-over-UDP schedule",
            new(SoapUdp, "Appendix I", UrlSoapUdp, "A message is repeated at most MULTICAST_UDP_REPEAT / UNICAST_UDP_REPEAT times; the first gap is between UDP_MIN_DELAY and UDP_MAX_DELAY (50–250 ms), later gaps double up to UDP_UPPER_DELAY."),
            RuleLevel.Must,
            Target,
            "Groups identical datagrams of the device: at most 5 copies of a multicast message and 3 of a unicast one (REPEAT read as total sends or as retransmissions), and not every gap shorter than UDP_MIN_DELAY (less 25 ms for timing jitter; receive timestamps on a loaded host can bunch some copies together, so only a schedule ignored throughout fails).",
            CheckRepeats);

        yield return ActiveRule(
            "WSD-UDP-004",
            "A request repeated with one MessageID is answered once",
            new(SoapUdp, "Appendix II", UrlSoapUdp, "A receiver drops repeats of a message it has already processed (same MessageID)."),
            RuleLevel.Must,
            Target,
            "Sends one matching Probe four times with the same MessageID: exactly one logical ProbeMatches (its own repeats allowed).",
            CheckDuplicates);
    }

    private static IEnumerable<Finding> CheckSurvival(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        foreach (var oversize in view.From(context.Device).Where(i => i.Record.Payload.Length > 65_507).Take(1))
        {
            yield return context.Violation($"The device sent a {oversize.Record.Payload.Length}-octet datagram; an IPv4 datagram carries at most 65,507.", [oversize.Record]);
        }

        foreach (var stimulus in result.Named(WsdScenario.Survival))
        {
            var hostile = result.Named(WsdScenario.Hostile).Select(s => s.Request).ToList();
            var matches = Matches(Replies(view, context.Device, stimulus), context.Device);
            yield return matches.Count > 0
                ? context.Pass($"Still answered a Probe after {Count(hostile.Count, "hostile datagrams")} ({string.Join(", ", result.Named(WsdScenario.Hostile).Select(s => s.Detail))}).", [.. hostile, stimulus.Request, matches[0].Record])
                : context.Violation(
                    $"Stopped answering after hostile datagrams ({string.Join(", ", result.Named(WsdScenario.Hostile).Select(s => s.Detail))}): a Probe it matches got no answer.",
                    [.. hostile, stimulus.Request],
                    "silence",
                    "a match");
        }
    }

    private static IEnumerable<Finding> CheckMulticastGroup(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        var port = result.Multicast?.Port ?? 3702;
        var announcements = view.From(context.Device).Where(i => i.Message is WsdHello or WsdBye).ToList();
        var wrong = announcements.Where(i => !IsDiscoveryGroup(Normalize(i.Record.Destination.Address)) || i.Record.Destination.Port != port).ToList();
        foreach (var item in wrong.Take(1))
        {
            yield return context.Violation(
                $"A {item.Message!.GetType().Name[3..]} went to {item.Record.Destination}, not to the WS-Discovery group on port {port}.",
                [item.Record],
                item.Record.Destination.ToString(),
                "239.255.255.250:" + port + " or [ff02::c]:" + port);
        }

        foreach (var stimulus in result.Named(WsdScenario.MulticastBaseline))
        {
            var matches = Matches(Replies(view, context.Device, stimulus), context.Device);
            if (matches.Count == 0)
            {
                yield return context.Violation($"No answer to a Probe sent to {stimulus.Request.Destination} within {Ms(Window(result))}.", [stimulus.Request], "silence", "a match");
            }
            else if (wrong.Count == 0)
            {
                yield return context.Pass($"Answered a Probe sent to {stimulus.Request.Destination}; {Count(announcements.Count, "Hello/Bye datagrams")} went to the group.", [stimulus.Request, matches[0].Record]);
            }
        }
    }

    private static IEnumerable<Finding> CheckRepeats(RuleContext context)
    {
        var items = Sent(context).Where(i => i.Message is not null).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var maxMulticast = 0;
        var maxUnicast = 0;
        var clean = true;
        var reported = 0;
        foreach (var copies in items.GroupBy(i => (Convert.ToBase64String(i.Record.Payload.Span), i.Record.Destination.ToString())))
        {
            var ordered = copies.OrderBy(i => i.Time).ToList();
            var multicast = ordered[0].Record.Destination.Address.IsMulticast();
            var limit = multicast ? MaxMulticastCopies : MaxUnicastCopies;
            if (multicast)
            {
                maxMulticast = Math.Max(maxMulticast, ordered.Count);
            }
            else
            {
                maxUnicast = Math.Max(maxUnicast, ordered.Count);
            }

            var kind = ordered[0].Message!.GetType().Name[3..];
            if (ordered.Count > limit)
            {
                clean = false;
                if (++reported > 8)
                {
                    continue;
                }

                yield return context.Violation(
                    $"A {(multicast ? "multicast" : "unicast")} {kind} was sent {ordered.Count} times; SOAP-over-UDP allows at most {limit}.",
                    ordered.Take(6).Select(i => i.Record),
                    ordered.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "≤ " + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            var gaps = ordered.Zip(ordered.Skip(1), (a, b) => b.Time - a.Time).ToList();
            // Receive timestamps come from user space: on a loaded host a starved receive loop stamps queued copies
            // together, which shortens some gaps but not all of them. A device that ignores the schedule shortens every gap.
            var shortGaps = gaps.Count(g => g < UdpMinDelay - GapTolerance);
            if (gaps.Count >= 2 && shortGaps == gaps.Count)
            {
                clean = false;
                if (++reported > 8)
                {
                    continue;
                }

                yield return context.Violation(
                    $"Repeats of a {kind} came {string.Join(", ", gaps.Select(Ms))} apart; the first gap is at least UDP_MIN_DELAY (50 ms) and later gaps grow.",
                    ordered.Take(6).Select(i => i.Record));
            }
        }

        if (clean)
        {
            yield return context.Pass(
                $"Repeats within the schedule: up to {maxMulticast} copies of a multicast message and {maxUnicast} of a unicast one"
                + (maxMulticast == 4 || maxUnicast == 2 ? " (REPEAT read as total sends, as wsdd and WSDAPI do)." : maxMulticast == 5 || maxUnicast == 3 ? " (REPEAT read as retransmissions after the first send)." : "."),
                items.Take(3).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckDuplicates(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        foreach (var stimulus in result.Named(WsdScenario.Duplicate))
        {
            var replies = Replies(view, context.Device, stimulus).Where(r => r.Message is WsdProbeMatches).ToList();
            var logical = replies.Select(r => r.MessageId ?? Convert.ToBase64String(r.Record.Payload.Span)).Distinct(StringComparer.Ordinal).Count();
            yield return logical switch
            {
                1 => context.Pass($"Answered a Probe sent four times with one MessageID once ({Count(replies.Count, "copies")}).", Evidence(stimulus, replies)),
                0 => context.Violation("No answer to a Probe sent four times with one MessageID.", [stimulus.Request], "silence", "one ProbeMatches"),
                _ => context.Violation($"Answered a Probe sent four times with one MessageID {logical} times: repeats must be dropped.", Evidence(stimulus, replies), logical.ToString(System.Globalization.CultureInfo.InvariantCulture), "1"),
            };
        }
    }
}
