using Harness.Conformance.Model;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Wsd.WsdChecks;

namespace Harness.Conformance.Wsd;

/// <summary>
/// The WS-Discovery rules for target services (checklist <c>specs/wsd.md</c> §1.1–1.5) and ONVIF cameras (§1.9), as a
/// table of rules with small checks. Passive rules judge every discovery message the device sent in the session (live
/// or from a capture); active rules read the answers to the stimuli <see cref="WsdSuite"/> (or any live target) sent
/// the device once. Items the checklist marks "verify" are SHOULD rules (they warn) unless the normative text was
/// confirmed.
/// </summary>
public static partial class WsdRules
{
    private const string Wsd2005 = "WS-Discovery (April 2005)";
    private const string Wsd11 = "WS-Discovery 1.1 (OASIS, July 2009)";
    private const string SoapUdp = "SOAP-over-UDP (September 2004) / 1.1 (OASIS 2009)";
    private const string OnvifCore = "ONVIF Core Specification";
    private const string Url2005 = "http://specs.xmlsoap.org/ws/2005/04/discovery/ws-discovery.pdf";
    private const string Url11 = "http://docs.oasis-open.org/ws-dd/discovery/1.1/os/wsdd-discovery-1.1-spec-os.html";
    private const string UrlSoapUdp = "http://docs.oasis-open.org/ws-dd/soapoverudp/1.1/os/wsdd-soapoverudp-1.1-spec-os.html";
    private const string UrlOnvif = "https://www.onvif.org/specs/core/ONVIF-Core-Specification.pdf";

    private static readonly DeviceRole[] Target = [DeviceRole.TargetService];
    private static readonly DeviceRole[] Camera = [DeviceRole.NetworkVideoTransmitter];

    /// <summary>Every WS-Discovery rule, ordered by id.</summary>
    public static IReadOnlyList<Rule> All { get; } = [.. Create().OrderBy(r => r.Id, StringComparer.Ordinal)];

    private static IEnumerable<Rule> Create() =>
        [.. MessageRules(), .. AnnouncementRules(), .. ProbeRules(), .. ResolveRules(), .. TransportRules(), .. OnvifRules()];

    private static Rule Passive(string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string description, Func<RuleContext, IEnumerable<Finding>> check) =>
        Rule.Passive(Protocols.Wsd, id, title, citation, level, roles, description, check);

    private static Rule ActiveRule(string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string description, Func<RuleContext, WsdScenarioResult, WsdView, IEnumerable<Finding>> judge) =>
        Rule.Active(Protocols.Wsd, id, title, citation, level, roles, description, Active(judge));

    private static bool IsAnnouncementOrReply(WsdItem i) => i.Message is WsdHello or WsdBye or WsdProbeMatches or WsdResolveMatches;

    private static bool IsReplyMessage(WsdItem i) => i.Message is WsdProbeMatches or WsdResolveMatches;
}
