using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Wsd;

/// <summary>
/// Where active rules get the scenario of a device: through a <see cref="WsdSuite"/>'s target (all devices at once), or,
/// for any other live target, run once per target and device.
/// </summary>
internal static class WsdScenarios
{
    private static readonly ConditionalWeakTable<ITarget, ConcurrentDictionary<string, Lazy<Task<WsdScenarioResult>>>> Running = new();
    private static readonly ConditionalWeakTable<ITarget, ConcurrentDictionary<string, WsdScenarioResult>> Done = new();

    public static Task<WsdScenarioResult> GetAsync(RuleContext context, CancellationToken cancellationToken)
    {
        var target = context.Target;
        if (target is WsdSuiteTarget suiteTarget)
        {
            return suiteTarget.Suite.ScenarioAsync(context.Session, context.Device, cancellationToken);
        }

        var byDevice = Running.GetValue(target, _ => new ConcurrentDictionary<string, Lazy<Task<WsdScenarioResult>>>(StringComparer.Ordinal));
        var session = context.Session;
        var device = context.Device;
        var time = context.TimeProvider;
        return byDevice.GetOrAdd(device.Id, _ => new Lazy<Task<WsdScenarioResult>>(() => RunAsync(target, session, device, time))).Value.WaitAsync(cancellationToken);
    }

    /// <summary>The device's scenario when it already ran (passive rules use it to know about restarts), else null.</summary>
    public static WsdScenarioResult? Completed(RuleContext context)
    {
        if (!context.IsLive)
        {
            return null;
        }

        var target = context.Target;
        if (target is WsdSuiteTarget suiteTarget)
        {
            return suiteTarget.Suite.CompletedScenario(context.Session, context.Device);
        }

        return Done.TryGetValue(target, out var byDevice) && byDevice.TryGetValue(context.Device.Id, out var result) ? result : null;
    }

    private static async Task<WsdScenarioResult> RunAsync(ITarget target, ObservedSession session, Device device, TimeProvider time)
    {
        var result = await WsdScenario.RunAsync(target, session, device, new WsdScenarioOptions(), time, CancellationToken.None).ConfigureAwait(false);
        Done.GetValue(target, _ => new ConcurrentDictionary<string, WsdScenarioResult>(StringComparer.Ordinal))[device.Id] = result;
        return result;
    }
}

/// <summary>The small pieces the WS-Discovery rule checks are made of.</summary>
internal static class WsdChecks
{
    /// <summary>The messages the device sent.</summary>
    public static IReadOnlyList<WsdItem> Sent(RuleContext context) => WsdView.Of(context.Session).From(context.Device);

    /// <summary>
    /// A passive check from the reader's violations: the given rule ids on the device's messages that
    /// <paramref name="which"/> selects, one finding per distinct problem (with how many messages had it); a pass when
    /// there were such messages and none had a problem; nothing (NotApplicable) when there were none.
    /// </summary>
    public static Func<RuleContext, IEnumerable<Finding>> Reader(Func<WsdItem, bool> which, string what, params string[] ruleIds) =>
        context => FromReader(context, Sent(context).Where(which).ToList(), what, ruleIds);

    public static IEnumerable<Finding> FromReader(RuleContext context, IReadOnlyList<WsdItem> items, string what, params string[] ruleIds) =>
        ReaderFindings.FromViolations(context, [.. items.Select(i => (i.Record, i.Read.Violations))], what, ruleIds);

    /// <summary>An active check over the device's scenario.</summary>
    public static Func<RuleContext, CancellationToken, ValueTask<IReadOnlyList<Finding>>> Active(Func<RuleContext, WsdScenarioResult, WsdView, IEnumerable<Finding>> judge) =>
        async (context, cancellationToken) =>
        {
            var result = await WsdScenarios.GetAsync(context, cancellationToken).ConfigureAwait(false);
            if (result.Skipped is { } why)
            {
                return [context.NotApplicable(why)];
            }

            return [.. judge(context, result, WsdView.Of(context.Session))];
        };

    /// <summary>The device's answers to a stimulus.</summary>
    public static IReadOnlyList<WsdItem> Replies(WsdView view, Device device, WsdStimulus stimulus) =>
        stimulus.MessageId is null ? [] : view.RepliesTo(device, stimulus.MessageId);

    /// <summary>The answers that carry a match for the device.</summary>
    public static IReadOnlyList<WsdItem> Matches(IEnumerable<WsdItem> replies, Device device) =>
        [.. replies.Where(r => r.Message is WsdProbeMatches or WsdResolveMatches && r.HasEndpoint(device.Id))];

    /// <summary>The answers that carry any match (a device that changed its EPR still answers).</summary>
    public static IReadOnlyList<WsdItem> AnyMatches(IEnumerable<WsdItem> replies) =>
        [.. replies.Where(r => r.Endpoints.Count > 0 && r.Message is WsdProbeMatches or WsdResolveMatches)];

    /// <summary>Judges the named stimuli by their expectation: a match for the device, or none.</summary>
    public static IEnumerable<Finding> Expect(RuleContext context, WsdView view, WsdScenarioResult result, params string[] names)
    {
        foreach (var name in names)
        {
            foreach (var stimulus in result.Named(name))
            {
                yield return ExpectOne(context, view, result, stimulus);
            }
        }
    }

    public static Finding ExpectOne(RuleContext context, WsdView view, WsdScenarioResult result, WsdStimulus stimulus)
    {
        var replies = Replies(view, context.Device, stimulus);
        var matches = Matches(replies, context.Device);
        var how = stimulus.Multicast ? "multicast" : "unicast";
        var records = Evidence(stimulus, replies);
        return stimulus.Expect switch
        {
            WsdExpect.Match when matches.Count > 0 =>
                context.Pass($"Answered the {how} {Kind(stimulus)} '{stimulus.Name}' ({stimulus.Detail}) after {Ms(matches[0].Time - stimulus.Request.Timestamp)}.", records),
            WsdExpect.Match =>
                context.Violation(
                    $"No match for the {how} {Kind(stimulus)} '{stimulus.Name}' ({stimulus.Detail}) within {Ms(Window(result))}.",
                    records,
                    replies.Count == 0 ? "silence" : $"{replies.Count} other answers",
                    "a match for " + context.Device.Id),
            _ when matches.Count > 0 =>
                context.Violation(
                    $"Answered the {how} {Kind(stimulus)} '{stimulus.Name}' ({stimulus.Detail}), which it does not match: it must stay silent.",
                    records,
                    "a match",
                    "silence"),
            _ => context.Pass($"Stayed silent to the {how} {Kind(stimulus)} '{stimulus.Name}' ({stimulus.Detail}), which it does not match.", records),
        };
    }

    public static IEnumerable<Core.Recording.TrafficRecord> Evidence(WsdStimulus stimulus, IEnumerable<WsdItem> replies) =>
        [stimulus.Request, .. replies.Take(4).Select(r => r.Record)];

    /// <summary>How long the answers to the first stimuli were collected.</summary>
    public static TimeSpan Window(WsdScenarioResult result) =>
        result.Phase1End > result.Started ? result.Phase1End - result.Started : result.AppMaxDelay + result.Options.Margin;

    public static string Ms(TimeSpan span) => Math.Round(span.TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture) + " ms";

    public static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what;

    /// <summary>The group and port of a record's destination, or null when it was unicast.</summary>
    public static bool IsDiscoveryGroup(IPAddress address) =>
        address.Equals(WsdMulticastGroups.IPv4) || address.Equals(WsdMulticastGroups.IPv6);

    /// <summary>True when a reply reached the endpoint its request came from (the port included).</summary>
    public static bool ReachedRequester(WsdItem reply, WsdItem request)
    {
        var to = reply.Record.Destination;
        var from = request.Record.Source;
        if (to.Address.IsMulticast() || to.Port != from.Port)
        {
            return false;
        }

        return Normalize(to.Address).Equals(Normalize(from.Address))
            || to.Address.Equals(IPAddress.Any) || to.Address.Equals(IPAddress.IPv6Any)
            || from.Address.Equals(IPAddress.Any) || from.Address.Equals(IPAddress.IPv6Any)
            || (IPAddress.IsLoopback(to.Address) && IPAddress.IsLoopback(from.Address));
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string Kind(WsdStimulus stimulus) => stimulus.Detail.StartsWith("Resolve", StringComparison.Ordinal) ? "Resolve" : "Probe";
}

/// <summary>The WS-Discovery multicast groups.</summary>
internal static class WsdMulticastGroups
{
    public static IPAddress IPv4 { get; } = IPAddress.Parse("239.255.255.250");

    public static IPAddress IPv6 { get; } = IPAddress.Parse("ff02::c");
}
