using System.Globalization;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Ssdp.Messages;

namespace Harness.Conformance.Ssdp;

/// <summary>Where active rules get the scenario of a device: through an <see cref="SsdpSuite"/>'s target.</summary>
internal static class SsdpScenarios
{
    public static Task<SsdpScenarioResult>? GetAsync(RuleContext context, CancellationToken cancellationToken) =>
        context.Target is SsdpSuiteTarget target ? target.Suite.ScenarioAsync(context.Session, context.Device, cancellationToken) : null;

    /// <summary>The device's scenario when it already ran (passive rules use it to know about restarts), else null.</summary>
    public static SsdpScenarioResult? Completed(RuleContext context) =>
        context.IsLive && context.Target is SsdpSuiteTarget target ? target.Suite.CompletedScenario(context.Session, context.Device) : null;

    /// <summary>Why the LOCATION GET failed without an answer, when the suite knows, else null.</summary>
    public static string? FetchError(RuleContext context, string url) =>
        context.IsLive && context.Target is SsdpSuiteTarget target ? target.Suite.FetchError(url) : null;
}

/// <summary>The small pieces the SSDP rule checks are made of.</summary>
internal static class SsdpChecks
{
    public static SsdpView View(RuleContext context) => SsdpView.Of(context.Session);

    /// <summary>The NOTIFYs and search responses the device sent.</summary>
    public static IReadOnlyList<SsdpItem> Sent(RuleContext context) => View(context).From(context.Device);

    /// <summary>True when the device says UPnP/1.0 (BOOTID, CONFIGID, unicast search and SEARCHPORT do not apply).</summary>
    public static bool IsUda10(RuleContext context) => SsdpDevices.UpnpVersion(context.Device) == 10;

    /// <summary>
    /// A passive check from the reader's violations: the given rule ids on the device's messages that
    /// <paramref name="which"/> selects, one finding per distinct problem; a pass when there were such messages and none
    /// had a problem; nothing (NotApplicable) when there were none.
    /// </summary>
    public static Func<RuleContext, IEnumerable<Finding>> Reader(Func<SsdpItem, bool> which, string what, params string[] ruleIds) =>
        context => FromReader(context, [.. Sent(context).Where(which)], what, ruleIds);

    public static IEnumerable<Finding> FromReader(RuleContext context, IReadOnlyList<SsdpItem> items, string what, params string[] ruleIds) =>
        FromViolations(context, items.Select(i => (i.Record, i.Read.Violations)).ToList(), what, ruleIds);

    public static IEnumerable<Finding> FromViolations(RuleContext context, IReadOnlyList<(TrafficRecord Record, IReadOnlyList<Violation> Violations)> items, string what, params string[] ruleIds) =>
        ReaderFindings.FromViolations(context, items, what, ruleIds);

    /// <summary>An active check over the device's scenario.</summary>
    public static Func<RuleContext, CancellationToken, ValueTask<IReadOnlyList<Finding>>> Active(Func<RuleContext, SsdpScenarioResult, IEnumerable<Finding>> judge) =>
        async (context, cancellationToken) =>
        {
            if (SsdpScenarios.GetAsync(context, cancellationToken) is not { } pending)
            {
                return [context.NotApplicable("The SSDP active rules need the SsdpSuite's target (a socket per search).")];
            }

            var result = await pending.ConfigureAwait(false);
            if (result.Skipped is { } why)
            {
                return [context.NotApplicable(why)];
            }

            return [.. judge(context, result)];
        };

    /// <summary>The UDNs whose answers belong to the device: its own and those of its expected pairs.</summary>
    public static HashSet<string> DeviceUdns(RuleContext context, SsdpScenarioResult? result)
    {
        var udns = SsdpDevices.Udns(context.Device).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (result is not null)
        {
            udns.UnionWith(result.Expected.Select(p => p.Udn));
        }

        return udns;
    }

    /// <summary>The device's answers to one stimulus, in arrival order.</summary>
    public static IReadOnlyList<SsdpItem> Answers(RuleContext context, SsdpScenarioResult result, SsdpStimulus stimulus)
    {
        var udns = DeviceUdns(context, result);
        return [.. stimulus.Replies
            .Select(r => context.Session.GetParsed(r, SsdpItem.Parse))
            .OfType<SsdpItem>()
            .Where(i => i.Response is not null && i.Udn is { } udn && udns.Contains(udn))];
    }

    /// <summary>
    /// Judges silence stimuli: no answer from the device. NotApplicable when the well-formed control search got no answer
    /// either (a device that answers nothing proves nothing by its silence).
    /// </summary>
    public static IEnumerable<Finding> ExpectSilence(RuleContext context, SsdpScenarioResult result, string why, params string[] names)
    {
        var control = result.First(SsdpScenario.Control);
        if (control is null || Answers(context, result, control).Count == 0)
        {
            yield return context.NotApplicable("The device did not answer the well-formed control search (ST uuid:<root>, MX " + result.Options.SearchMx.ToString(CultureInfo.InvariantCulture) + "), so its silence proves nothing (see SSDP-MSEARCH-010).");
            yield break;
        }

        var stimuli = names.SelectMany(result.Named).ToList();
        var failed = false;
        foreach (var stimulus in stimuli)
        {
            var answers = Answers(context, result, stimulus);
            if (answers.Count > 0)
            {
                failed = true;
                yield return context.Violation(
                    $"Answered a search with {stimulus.Detail} after {Ms(answers[0].Time - stimulus.Request.Timestamp)}: {why}",
                    [stimulus.Request, .. answers.Take(3).Select(a => a.Record)],
                    Count(answers.Count, "answers"),
                    "silence");
            }
        }

        if (!failed && stimuli.Count > 0)
        {
            yield return context.Pass($"Stayed silent for {Ms(result.Ended - result.Started)} to {Count(stimuli.Count, "searches")} ({string.Join("; ", stimuli.Select(s => s.Name))}), and answered the well-formed control.", stimuli.Select(s => s.Request).Take(5));
        }
    }

    /// <summary>
    /// Judges a targeted search: the answers must be exactly <paramref name="expected"/> (ST, USN) pairs, each arriving
    /// within MX plus the tolerance.
    /// </summary>
    public static Finding ExpectPairs(RuleContext context, SsdpScenarioResult result, SsdpStimulus stimulus, IReadOnlyCollection<(string St, string Usn)> expected)
    {
        var answers = Answers(context, result, stimulus);
        var evidence = new[] { stimulus.Request }.Concat(answers.Take(6).Select(a => a.Record)).ToList();
        if (answers.Count == 0)
        {
            return context.Violation($"No answer to the search with {stimulus.Detail} within {Ms(result.Ended - stimulus.Request.Timestamp)}.", evidence, "silence", Describe(expected));
        }

        var got = answers.Select(a => (St: a.Response!.SearchTarget, Usn: a.Response.Usn)).ToList();
        var missing = expected.Where(e => !got.Any(g => SamePair(g, e))).ToList();
        var unexpected = got.Where(g => !expected.Any(e => SamePair(g, e))).Distinct().ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || got.Count != expected.Count)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add("missing " + Describe(missing));
            }

            if (unexpected.Count > 0)
            {
                parts.Add("unexpected " + Describe(unexpected));
            }

            if (missing.Count == 0 && unexpected.Count == 0)
            {
                parts.Add("duplicates");
            }

            return context.Violation(
                $"The search with {stimulus.Detail} got {Count(got.Count, "answers")} where {expected.Count} were due: {string.Join("; ", parts)}.",
                evidence,
                Describe(got),
                Describe(expected));
        }

        return context.Pass($"The search with {stimulus.Detail} got exactly the {Count(expected.Count, "answers")} due, the first after {Ms(answers[0].Time - stimulus.Request.Timestamp)}.", evidence);
    }

    public static bool SamePair((string St, string Usn) a, (string St, string Usn) b) =>
        string.Equals(a.St, b.St, StringComparison.Ordinal) && string.Equals(a.Usn, b.Usn, StringComparison.OrdinalIgnoreCase);

    public static string Describe(IEnumerable<(string St, string Usn)> pairs)
    {
        var list = pairs.ToList();
        var text = string.Join(", ", list.Take(4).Select(p => $"[{p.St} | {p.Usn}]"));
        return list.Count > 4 ? text + $" and {list.Count - 4} more" : text;
    }

    /// <summary>The (ST, USN) answers a search for <paramref name="searchTarget"/> is due, from the expected set (UDA 1.1 §1.3.3).</summary>
    public static IReadOnlyList<(string St, string Usn)> Due(SsdpScenarioResult result, string searchTarget) =>
        [.. Harness.Ssdp.Engine.SsdpAdvertiser.Match(SsdpTarget.Parse(searchTarget), result.Expected)];

    public static string Ms(TimeSpan span) => Math.Round(span.TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture) + " ms";

    public static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what;

    /// <summary>
    /// Bursts of a device's NOTIFYs: runs separated by more than <paramref name="gap"/>, or by a change of CONFIGID (a new
    /// configuration is a new set even when it follows closely), optionally of BOOTID, or by the harness's restart or
    /// configuration change.
    /// </summary>
    public static List<List<SsdpItem>> Bursts(IEnumerable<SsdpItem> items, TimeSpan gap, RuleContext? context = null, bool splitOnBootId = false)
    {
        // In a live run, the harness's own restart and configuration change also start new sets.
        var cuts = new List<DateTimeOffset>();
        if (context is not null && SsdpScenarios.Completed(context) is { } scenario)
        {
            cuts.AddRange(new[] { scenario.RestartBegin, scenario.ConfigurationBegin }.OfType<DateTimeOffset>());
        }

        var bursts = new List<List<SsdpItem>>();
        List<SsdpItem>? current = null;
        SsdpItem? last = null;
        foreach (var item in items.OrderBy(i => i.Time))
        {
            if (current is null || last is null || item.Time - last.Time > gap
                || (item.IsAlive && last.IsAlive && (item.ConfigId != last.ConfigId || (splitOnBootId && item.BootId != last.BootId)))
                || cuts.Any(c => last.Time < c && item.Time >= c))
            {
                current = [];
                bursts.Add(current);
            }

            current.Add(item);
            last = item;
        }

        return bursts;
    }
}
