using Harness.Conformance.Model;

namespace Harness.Conformance.Ssdp;

/// <summary>
/// The SSDP and UPnP description rules (checklist <c>specs/ssdp.md</c> §1), as a table of rules with small checks.
/// Passive rules judge every SSDP datagram and description exchange of the device in the session (live or from a
/// capture); active rules read the answers to the stimuli <see cref="SsdpSuite"/> sent the device once. Levels follow
/// the checklist; "interop" items are SHOULD rules. UDA 1.0 devices (SERVER says <c>UPnP/1.0</c>) are not held to the
/// 1.1 additions (BOOTID, CONFIGID, unicast search, configId): those rules are NotApplicable for them.
/// </summary>
public static partial class SsdpRules
{
    private const string Uda11 = "UPnP Device Architecture 1.1";
    private const string Uda20 = "UPnP Device Architecture 2.0";
    private const string Url11 = "http://upnp.org/specs/arch/UPnP-arch-DeviceArchitecture-v1.1.pdf";
    private const string Url20 = "http://upnp.org/specs/arch/UPnP-arch-DeviceArchitecture-v2.0.pdf";
    private const string Interop = "Interoperability (no UDA text; UCTT and reference implementations)";

    private static readonly DeviceRole[] Root = [DeviceRole.UpnpRootDevice];
    private static readonly DeviceRole[] ControlPoint = [DeviceRole.ControlPoint];

    /// <summary>Every SSDP and description rule, ordered by id.</summary>
    public static IReadOnlyList<Rule> All { get; } = [.. Create().OrderBy(r => r.Id, StringComparer.Ordinal)];

    private static IEnumerable<Rule> Create() =>
        [.. SearchRules(), .. ResponseRules(), .. NotifyRules(), .. ControlPointRules(), .. DescriptionRules()];

    private static SpecCitation Uda(string section, string text) => new(Uda11, section, Url11, text);

    private static SpecCitation Uda2(string section, string text) => new(Uda20, section, Url20, text);

    private static Rule Passive(string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string description, Func<RuleContext, IEnumerable<Finding>> check) =>
        Rule.Passive(Protocols.Ssdp, id, title, citation, level, roles, description, check);

    private static Rule ActiveRule(string id, string title, SpecCitation citation, RuleLevel level, string description, Func<RuleContext, SsdpScenarioResult, IEnumerable<Finding>> judge) =>
        Rule.Active(Protocols.Ssdp, id, title, citation, level, Root, description, SsdpChecks.Active(judge));
}
