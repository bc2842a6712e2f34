using System.Globalization;
using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Core.Recording;

namespace Harness.Conformance.Dpws;

/// <summary>
/// The DPWS / WSD device-service rules: SOAP 1.2 over HTTP, DPWS metadata (WS-Transfer Get), WS-Eventing, WS-Scan and
/// WS-Print, as a table of rules with small checks. Checklist ids (<c>specs/wsd.md</c> §1.6–1.8, WSD-PRB-017) where the
/// checklist has one; WSD-SOAP-* and WSD-PRT-* are new. Passive rules judge every exchange of the device in the session
/// (live, or the HTTP of a capture); active rules read the answers to the stimuli <see cref="DpwsSuite"/> sent the device
/// once (<see cref="DpwsScenario"/>).
/// </summary>
public static partial class DpwsRules
{
    private const string Dpws2006 = "Devices Profile for Web Services (February 2006)";
    private const string UrlDpws2006 = "http://specs.xmlsoap.org/ws/2006/02/devprof/devicesprofile.pdf";
    private const string Soap12Part2 = "SOAP Version 1.2 Part 2: Adjuncts (W3C Recommendation)";
    private const string UrlSoap12Part2 = "https://www.w3.org/TR/soap12-part2/";
    private const string Addressing2004 = "WS-Addressing (August 2004 member submission)";
    private const string UrlAddressing2004 = "https://www.w3.org/submissions/ws-addressing/";
    private const string Eventing2004 = "WS-Eventing (August 2004)";
    private const string UrlEventing2004 = "http://schemas.xmlsoap.org/ws/2004/08/eventing/";
    private const string Transfer2004 = "WS-Transfer (September 2004)";
    private const string Mex2004 = "WS-MetadataExchange (September 2004)";
    private const string WsScan = "Microsoft WSD Scan Service schema";
    private const string WsPrint = "Microsoft WSD Print Service schema";
    private const string UrlScan = "https://learn.microsoft.com/en-us/windows-hardware/drivers/image/";
    private const string UrlPrint = "https://learn.microsoft.com/en-us/previous-versions/";

    private static readonly DeviceRole[] AnyDevice = [DeviceRole.DpwsDevice];
    private static readonly DeviceRole[] Services = [DeviceRole.ScannerService, DeviceRole.PrinterService];
    private static readonly DeviceRole[] Scanner = [DeviceRole.ScannerService];
    private static readonly DeviceRole[] Printer = [DeviceRole.PrinterService];

    /// <summary>Every DPWS rule, ordered by id.</summary>
    public static IReadOnlyList<Rule> All { get; } = [.. Create().OrderBy(r => r.Id, StringComparer.Ordinal)];

    private static IEnumerable<Rule> Create() =>
        [.. SoapRules(), .. MetadataRules(), .. EventingRules(), .. ScanRules(), .. PrintRules()];

    private static Rule Passive(string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string description, Func<RuleContext, IEnumerable<Finding>> check) =>
        Rule.Passive(Protocols.Dpws, id, title, citation, level, roles, description, check);

    private static Rule ActiveRule(string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string description, Func<RuleContext, DpwsScenarioResult, DpwsView, IEnumerable<Finding>> judge) =>
        Rule.Active(Protocols.Dpws, id, title, citation, level, roles, description, Active(judge));

    /// <summary>An active check over the device's scenario, run once per device by the DPWS suite's target.</summary>
    private static Func<RuleContext, CancellationToken, ValueTask<IReadOnlyList<Finding>>> Active(Func<RuleContext, DpwsScenarioResult, DpwsView, IEnumerable<Finding>> judge) =>
        async (context, cancellationToken) =>
        {
            if (context.Target is not DpwsSuiteTarget target)
            {
                return [context.NotApplicable("Active DPWS rules need the DPWS suite's target.")];
            }

            var result = await target.Suite.ScenarioAsync(context.Device, cancellationToken).ConfigureAwait(false);
            if (result.Skipped is { } why)
            {
                return [context.NotApplicable(why)];
            }

            return [.. judge(context, result, DpwsView.Of(context.Session))];
        };

    /// <summary>The device's exchanges in the session.</summary>
    private static IReadOnlyList<DpwsExchange> Exchanges(RuleContext context) => DpwsView.Of(context.Session).To(context.Device);

    /// <summary>The exchanges of the device whose request had one of the actions.</summary>
    private static List<DpwsExchange> WithAction(RuleContext context, params string[] actions) =>
        [.. Exchanges(context).Where(e => e.Action is { } a && actions.Contains(a, StringComparer.Ordinal))];

    /// <summary>The exchange of a scenario step, or null when the step did not run or was not recorded.</summary>
    private static DpwsExchange? Of(DpwsView view, DpwsScenarioResult result, string step) => view.ByRequest(result.Step(step)?.Request);

    /// <summary>A pass over judged exchanges, or nothing when none were judged (NotApplicable).</summary>
    private static IEnumerable<Finding> PassIfAny(RuleContext context, IReadOnlyCollection<DpwsExchange> judged, string what)
    {
        if (judged.Count > 0)
        {
            yield return context.Pass($"{Count(judged.Count, what)} checked; none deviates.", judged.Take(3).SelectMany(e => e.Records));
        }
    }

    /// <summary>The finding for a step that must have been answered with a fault named <paramref name="expected"/> (one of).</summary>
    private static Finding ExpectFault(RuleContext context, DpwsView view, DpwsScenarioResult result, string step, string what, params string[] expected)
    {
        var exchange = Of(view, result, step);
        if (exchange is null)
        {
            return context.NotApplicable($"The '{step}' stimulus was not sent.");
        }

        var want = string.Join(" or ", expected);
        if (exchange.Response is null || exchange.ResponseEnvelope is null)
        {
            return context.Violation($"{what}: no SOAP answer ({result.Step(step)?.Error ?? "no response"}).", exchange.Records, exchange.Describe(), "a fault " + want);
        }

        if (exchange.Fault is not { } fault)
        {
            return context.Violation($"{what}: answered {exchange.Describe()} instead of a fault.", exchange.Records, exchange.ResponseAction, "a fault " + want);
        }

        var name = (fault.Subcode ?? fault.Code).LocalName;
        return expected.Contains(name, StringComparer.Ordinal)
            ? context.Pass($"{what}: fault {name}.", exchange.Records)
            : context.Violation($"{what}: fault {fault} instead of {want}.", exchange.Records, name, want);
    }

    /// <summary>The finding for a step that must have been answered with a non-fault reply whose Action is <paramref name="action"/>.</summary>
    private static Finding ExpectReply(RuleContext context, DpwsView view, DpwsScenarioResult result, string step, string what, string action, Func<DpwsExchange, string?>? problem = null)
    {
        var exchange = Of(view, result, step);
        if (exchange is null)
        {
            return context.NotApplicable($"The '{step}' stimulus was not sent.");
        }

        if (exchange.ResponseEnvelope is null)
        {
            return context.Violation($"{what}: no SOAP answer ({result.Step(step)?.Error ?? "no response"}).", exchange.Records, exchange.Describe(), action);
        }

        if (exchange.Fault is { } fault)
        {
            return context.Violation($"{what}: answered the fault {fault}.", exchange.Records, fault.ToString(), action);
        }

        if (!string.Equals(exchange.ResponseAction, action, StringComparison.Ordinal))
        {
            return context.Violation($"{what}: the answer's Action is '{exchange.ResponseAction}'.", exchange.Records, exchange.ResponseAction, action);
        }

        return problem?.Invoke(exchange) is { } wrong
            ? context.Violation($"{what}: {wrong}", exchange.Records)
            : context.Pass($"{what}: answered {action[(action.LastIndexOf('/') + 1)..]}.", exchange.Records);
    }

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    private static IEnumerable<XElement> Descendants(XElement? parent, string localName) =>
        parent?.Descendants().Where(e => e.Name.LocalName == localName) ?? [];

    private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what;

    private static IEnumerable<TrafficRecord> RecordsOf(IEnumerable<DpwsExchange> exchanges) => exchanges.Take(4).SelectMany(e => e.Records);
}
