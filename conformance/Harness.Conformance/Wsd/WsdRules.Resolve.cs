using System.Net;
using System.Net.Sockets;
using Harness.Conformance.Model;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Wsd.WsdChecks;

namespace Harness.Conformance.Wsd;

public static partial class WsdRules
{
    private static IEnumerable<Rule> ResolveRules()
    {
        yield return ActiveRule(
            "WSD-RSV-001",
            "Resolve is answered for the device's own EPR only",
            new(Wsd2005 + "; WSDBIT 1.2.6", "6.1", Url2005, "A target service answers a Resolve naming its endpoint reference and stays silent to a Resolve for any other."),
            RuleLevel.Must,
            Target,
            "Resolves the device's own endpoint address (unicast: answered) and the all-zero urn:uuid (multicast: silence); also flags any ResolveMatches of the device to a Resolve for another endpoint seen in the session.",
            CheckResolve);

        yield return Passive(
            "WSD-RSV-002",
            "ResolveMatches is complete and goes to the requester",
            new(Wsd2005, "6.2", Url2005, "ResolveMatches goes unicast to the requester, relates to the Resolve, and carries the endpoint reference, XAddrs (required in 2005), MetadataVersion and AppSequence."),
            RuleLevel.Must,
            Target,
            "Reads every ResolveMatches of the device and checks where it went.",
            CheckResolveMatches);

        yield return Passive(
            "WSD-RSV-003",
            "XAddrs are reachable from the requester's network",
            new("WSDAPI (Additional WS-Discovery functionality); wsdd README", "XAddrs", null, "WSDAPI answers with exactly one XAddr, on the address the request came in on; XAddrs on other networks (bridges, tunnels) make Windows hide the host."),
            RuleLevel.Should,
            Target,
            "Each literal XAddr host in ResolveMatches and ProbeMatches must be in the network the answer came from (loopback with loopback, same /24 or /64 otherwise); host names are not judged.",
            CheckXAddrsReachable);
    }

    private static IEnumerable<Finding> CheckResolve(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        foreach (var finding in Expect(context, view, result, WsdScenario.ResolveOwn, WsdScenario.ResolveOther))
        {
            yield return finding;
        }

        var strays = view.From(context.Device)
            .Where(i => i.Message is WsdResolveMatches && view.RequestFor(i)?.Message is WsdResolve r && !WsdView.SameAddress(r.Endpoint.Address, context.Device.Id) && i.HasEndpoint(context.Device.Id))
            .Where(i => !result.Named(WsdScenario.ResolveOther).Any(s => s.MessageId == i.RelatesTo))
            .ToList();
        foreach (var stray in strays.Take(3))
        {
            var request = view.RequestFor(stray)!;
            yield return context.Violation(
                $"Answered a Resolve for {((WsdResolve)request.Message!).Endpoint.Address}, which is not its endpoint.",
                [request.Record, stray.Record],
                "a ResolveMatches",
                "silence");
        }
    }

    private static IEnumerable<Finding> CheckResolveMatches(RuleContext context)
    {
        var view = WsdView.Of(context.Session);
        var items = Sent(context).Where(i => i.Message is WsdResolveMatches).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var clean = true;
        foreach (var item in items.Where(i => i.RelatesTo is null).Take(1))
        {
            clean = false;
            yield return context.Violation("A ResolveMatches has no wsa:RelatesTo.", [item.Record]);
        }

        foreach (var finding in FromReader(context, items, "ResolveMatches", WsdRuleIds.Schema, WsdRuleIds.MetadataVersion, WsdRuleIds.AppSequence))
        {
            if (finding.Verdict != Verdict.Pass)
            {
                clean = false;
                yield return finding;
            }
        }

        foreach (var item in items)
        {
            if (view.RequestFor(item) is { } request && !ReachedRequester(item, request))
            {
                clean = false;
                yield return context.Violation($"The ResolveMatches went to {item.Record.Destination}, not to the requester {request.Record.Source}.", [request.Record, item.Record], item.Record.Destination.ToString(), request.Record.Source.ToString());
                break;
            }
        }

        if (clean)
        {
            yield return context.Pass($"{Count(items.Count, "ResolveMatches")} complete and sent to the requester.", items.Take(3).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckXAddrsReachable(RuleContext context)
    {
        var items = Sent(context).Where(i => i.Message is WsdResolveMatches or WsdProbeMatches).ToList();
        var judged = 0;
        foreach (var item in items)
        {
            var from = Normalize(item.Record.Source.Address);
            foreach (var xaddr in item.Endpoints.Where(e => WsdView.SameAddress(e.Endpoint.Address, context.Device.Id)).SelectMany(e => e.XAddrs))
            {
                if (WsdDevices.HostAddress(xaddr) is not { } host)
                {
                    continue;
                }

                judged++;
                if (!SameNetwork(Normalize(host), from))
                {
                    yield return context.Violation(
                        $"The XAddr {xaddr} is not on the network the answer came from ({from}): a client there cannot reach it.",
                        [item.Record],
                        xaddr,
                        "an address on " + from);
                    yield break;
                }
            }
        }

        if (judged > 0)
        {
            yield return context.Pass($"{Count(judged, "XAddrs")} are on the requester's network.", items.Take(3).Select(i => i.Record));
        }
    }

    private static bool SameNetwork(IPAddress host, IPAddress from)
    {
        if (IPAddress.IsLoopback(from) || IPAddress.IsLoopback(host))
        {
            return IPAddress.IsLoopback(from) && IPAddress.IsLoopback(host);
        }

        if (host.AddressFamily != from.AddressFamily)
        {
            return false;
        }

        var a = host.GetAddressBytes();
        var b = from.GetAddressBytes();
        var prefix = host.AddressFamily == AddressFamily.InterNetworkV6 ? 8 : 3;
        return a.AsSpan(0, prefix).SequenceEqual(b.AsSpan(0, prefix));
    }
}
