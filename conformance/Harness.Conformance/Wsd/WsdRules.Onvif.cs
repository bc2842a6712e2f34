using Harness.Conformance.Model;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Wsd.WsdChecks;

namespace Harness.Conformance.Wsd;

public static partial class WsdRules
{
    private static IEnumerable<Rule> OnvifRules()
    {
        yield return ActiveRule(
            "WSD-ONV-001",
            "An ONVIF device answers WS-Discovery 2005/04 Probes",
            new(OnvifCore, "Device discovery (namespace table: d = 2005/04, wsadis = 2004/08)", UrlOnvif, "ONVIF discovery uses WS-Discovery April 2005 with WS-Addressing 2004/08; 2009/01 Probes may be ignored (agsh/onvif #30)."),
            RuleLevel.Must,
            Camera,
            "Sends a unicast 2005/04 Probe for dn:NetworkVideoTransmitter.",
            (c, r, v) => NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.Onvif2005), "No ONVIF Probe could be formed."));

        yield return ActiveRule(
            "WSD-ONV-002",
            "An ONVIF device lists tds:Device and answers dn:NetworkVideoTransmitter Probes",
            new(OnvifCore, "7.3.2.1 (Types; numbering per onvif/specs Core.xml)", UrlOnvif, "The types include tds:Device (http://www.onvif.org/ver10/device/wsdl); legacy clients probe dn:NetworkVideoTransmitter (http://www.onvif.org/ver10/network/wsdl), which Profile S era devices answer too."),
            RuleLevel.Must,
            Camera,
            "The types the device announced must include tds:Device; when it speaks 2005/04, a Probe for dn:NetworkVideoTransmitter must be answered.",
            CheckOnvifTypes);

        yield return Passive(
            "WSD-ONV-003",
            "ONVIF scopes: onvif://www.onvif.org, with name, hardware and profile entries",
            new(OnvifCore, "7.3.2.2 (Scopes, Table 8)", UrlOnvif, "Scopes use the scheme onvif and the authority www.onvif.org; a device shall include at least one hardware entry and at least one name entry, and its Profile (or, before profiles, type) entries."),
            RuleLevel.Must,
            Camera,
            "Reads the scopes of the camera's Hello and ProbeMatches.",
            CheckOnvifScopes);

        yield return ActiveRule(
            "WSD-ONV-004",
            "ONVIF rfc3986 scope matching works as the Core example says",
            new(OnvifCore, "7.3.2.2 (scope matching example)", UrlOnvif, "With MatchBy rfc3986 (spelled under the 2005/04 namespace), onvif://www.onvif.org and an own location scope match; onvif://www.onvif.org/hardware/D1 does not match onvif://www.onvif.org/hardware/D1-566."),
            RuleLevel.Must,
            Camera,
            "2005/04 Probes with the rfc3986 MatchBy: the scope root and an own scope answered (unicast); the own hardware scope without its last character not answered (multicast).",
            (c, r, v) => r.Families.Contains(WsdProtocol.V2005)
                ? NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.OnvifRoot, WsdScenario.OnvifExact, WsdScenario.OnvifPartial), "No ONVIF scope to probe for.")
                : [c.NotApplicable("The device does not speak WS-Discovery 2005/04 (see WSD-ONV-001).")]);

        yield return Passive(
            "WSD-ONV-005",
            "Hello and ProbeMatch carry the device service XAddrs",
            new(OnvifCore, "Device discovery: Hello and Probe (XAddrs)", UrlOnvif, "Hello and ProbeMatch carry the XAddrs of the device service: one http(s) URL per protocol and external address."),
            RuleLevel.Must,
            Camera,
            "Reads the XAddrs of the camera's Hello and ProbeMatches: at least one, each an absolute http or https URL.",
            CheckOnvifXAddrs);

        yield return ActiveRule(
            "WSD-ONV-007",
            "ONVIF: unknown MatchBy unicast gets MatchingRuleNotSupported; multicast stays silent",
            new(OnvifCore, "Device discovery: SOAP fault messages", UrlOnvif, "A device should answer a unicast Probe with an unsupported matching rule with the MatchingRuleNotSupported fault listing SupportedMatchingRules; a malformed or unsupported multicast Probe is silently dropped."),
            RuleLevel.Should,
            Camera,
            "Sends a Probe with an unknown MatchBy unicast (expects the fault with d:SupportedMatchingRules) and multicast (expects silence).",
            CheckOnvifFault);

        yield return ActiveRule(
            "WSD-ONV-008",
            "Probes in any prefix or default-namespace form are understood",
            new("ONVIF Base Device Test Specification", "Discovery (namespace handling test cases)", null, "A device accepts arbitrary namespace prefixes and default-namespace forms in the Probe it receives."),
            RuleLevel.Must,
            Camera,
            "Sends three unicast 2005/04 Probes for dn:NetworkVideoTransmitter: prefixes SOAP-ENV/wsa5/wsdd with the type under ns7; default namespaces on every element; the type as an unprefixed QName in a default namespace. Each must be answered.",
            (c, r, v) => r.Families.Contains(WsdProtocol.V2005)
                ? NotApplicableWhenEmpty(c, Expect(c, v, r, WsdScenario.OddPrefix, WsdScenario.DefaultNamespace, WsdScenario.DefaultNamespaceType), "No ONVIF Probe could be formed.")
                : [c.NotApplicable("The device does not speak WS-Discovery 2005/04 (see WSD-ONV-001).")]);
    }

    private static IEnumerable<Finding> CheckOnvifTypes(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        var types = WsdDevices.Types(context.Device);
        var announced = view.From(context.Device).SelectMany(i => i.Endpoints.Where(e => WsdView.SameAddress(e.Endpoint.Address, context.Device.Id))).SelectMany(e => e.Types).Distinct().ToList();
        var all = types.Concat(announced).Distinct().ToList();
        var evidence = view.From(context.Device).Where(i => i.Message is WsdHello or WsdProbeMatches).Take(2).Select(i => i.Record).ToList();
        yield return all.Any(t => t.Namespace == WsdDevices.OnvifDeviceNamespace && t.LocalName == "Device")
            ? context.Pass("The types include tds:Device.", evidence)
            : context.Violation(
                "The types do not include tds:Device (http://www.onvif.org/ver10/device/wsdl).",
                evidence,
                all.Count == 0 ? "(no types)" : string.Join(' ', all.Select(WsdDevices.Expanded)),
                "{http://www.onvif.org/ver10/device/wsdl}Device");

        if (result.Families.Contains(WsdProtocol.V2005))
        {
            foreach (var finding in Expect(context, view, result, WsdScenario.Onvif2005))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<Finding> CheckOnvifScopes(RuleContext context)
    {
        var items = Sent(context).Where(i => i.Message is WsdHello or WsdProbeMatches && i.HasEndpoint(context.Device.Id)).ToList();
        var scopes = items.SelectMany(i => i.EndpointOf(context.Device.Id)!.Scopes).Distinct(StringComparer.Ordinal).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var evidence = items.Take(2).Select(i => i.Record).ToList();
        var badAuthority = scopes.Where(s => s.StartsWith("onvif:", StringComparison.OrdinalIgnoreCase) && !s.StartsWith(WsdDevices.OnvifScopePrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        var missing = new List<string>();
        if (!HasOnvifEntry(scopes, "name"))
        {
            missing.Add("name");
        }

        if (!HasOnvifEntry(scopes, "hardware"))
        {
            missing.Add("hardware");
        }

        if (!HasOnvifEntry(scopes, "Profile") && !HasOnvifEntry(scopes, "type"))
        {
            missing.Add("Profile (or type)");
        }

        if (badAuthority.Count > 0)
        {
            yield return context.Violation($"The scope '{badAuthority[0]}' uses the onvif scheme without the authority www.onvif.org.", evidence, badAuthority[0], WsdDevices.OnvifScopePrefix + "…");
        }

        if (missing.Count > 0)
        {
            yield return context.Violation(
                "The scopes have no " + string.Join(", no ", missing) + " entry.",
                evidence,
                scopes.Count == 0 ? "(no scopes)" : string.Join(' ', scopes.Take(12)),
                string.Join(", ", missing.Select(m => WsdDevices.OnvifScopePrefix + m + "/…")));
        }

        if (badAuthority.Count == 0 && missing.Count == 0)
        {
            yield return context.Pass($"{Count(scopes.Count, "scopes")} with name, hardware and profile entries.", evidence);
        }
    }

    private static bool HasOnvifEntry(IEnumerable<string> scopes, string kind) =>
        scopes.Any(s => s.StartsWith(WsdDevices.OnvifScopePrefix + kind + "/", StringComparison.OrdinalIgnoreCase) && s.Length > WsdDevices.OnvifScopePrefix.Length + kind.Length + 1);

    private static IEnumerable<Finding> CheckOnvifXAddrs(RuleContext context)
    {
        var items = Sent(context).Where(i => i.Message is WsdHello or WsdProbeMatches && i.HasEndpoint(context.Device.Id)).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var clean = true;
        foreach (var item in items)
        {
            var xaddrs = item.EndpointOf(context.Device.Id)!.XAddrs;
            var kind = item.Message!.GetType().Name[3..];
            if (xaddrs.Count == 0)
            {
                clean = false;
                yield return context.Violation($"A {kind} carries no XAddrs.", [item.Record], "(none)", "http://…/onvif/device_service");
                break;
            }

            var bad = xaddrs.FirstOrDefault(x => !Uri.TryCreate(x, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps));
            if (bad is not null)
            {
                clean = false;
                yield return context.Violation($"The XAddr '{bad}' of a {kind} is not an http or https URL.", [item.Record], bad, "http(s)://…");
                break;
            }
        }

        if (clean)
        {
            yield return context.Pass($"{Count(items.Count, "Hello/ProbeMatch messages")} carry http(s) XAddrs.", items.Take(2).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckOnvifFault(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        foreach (var stimulus in result.Named(WsdScenario.UnknownRuleUnicast))
        {
            var replies = Replies(view, context.Device, stimulus);
            var fault = replies.Select(r => r.Message).OfType<WsdFault>().FirstOrDefault();
            if (fault is null)
            {
                yield return context.Violation("No MatchingRuleNotSupported fault for a unicast Probe with an unknown MatchBy.", Evidence(stimulus, replies), replies.Count == 0 ? "silence" : "another answer", "a MatchingRuleNotSupported fault");
            }
            else if (fault.Subcode?.LocalName != "MatchingRuleNotSupported" || fault.SupportedMatchingRules.Count == 0)
            {
                yield return context.Violation("The fault is not a MatchingRuleNotSupported with d:SupportedMatchingRules.", Evidence(stimulus, replies), fault.Subcode?.LocalName, "MatchingRuleNotSupported + SupportedMatchingRules");
            }
            else
            {
                yield return context.Pass($"Faulted with MatchingRuleNotSupported, listing {Count(fault.SupportedMatchingRules.Count, "rules")}.", Evidence(stimulus, replies));
            }
        }

        foreach (var stimulus in result.Named(WsdScenario.UnknownRuleMulticast))
        {
            var faults = Replies(view, context.Device, stimulus).Where(r => r.Message is WsdFault).ToList();
            yield return faults.Count == 0
                ? context.Pass("No fault for the multicast Probe with an unknown MatchBy.", [stimulus.Request])
                : context.Violation("Faulted a multicast Probe: multicast Probes it cannot handle are dropped silently.", Evidence(stimulus, faults), "a fault", "silence");
        }
    }
}
