using System.Globalization;
using Harness.Conformance.Model;

namespace Harness.Conformance.Reports;

/// <summary>
/// Writes the compact text summary a person reads at the end of a run: the verdict of each device with its counts,
/// the counts per protocol and level, the failing MUST rules, the failed checks, and where the report is.
/// Device-supplied text is cleaned of control characters (no terminal escape sequences get through).
/// </summary>
public sealed class ConsoleSummaryWriter
{
    /// <summary>Failing rules listed at most before "and N more".</summary>
    public int MaxListed { get; init; } = 50;

    /// <summary>Writes the summary.</summary>
    /// <param name="result">The run.</param>
    /// <param name="writer">Where to write (e.g. <see cref="Console.Out"/>).</param>
    /// <param name="reportPath">The HTML report's path, or null when none was written.</param>
    public void Write(RunResult result, TextWriter writer, string? reportPath = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render(result, reportPath));
    }

    /// <summary>The summary text (lines end with a line feed).</summary>
    public string Render(RunResult result, string? reportPath = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string>
        {
            F($"Conformance run {result.RunId} (Harness {result.ToolVersion})"),
            F($"Target: {SafeText.Line(result.Target, 200)}"),
            F($"Devices: {result.Devices.Count}   Rules: {result.Rules.Count}   Checks: {result.Totals.Total}   Messages: {result.Timeline.Count}"),
        };
        if (result.Session.RecordsDropped > 0)
        {
            lines.Add(F($"Warning: {result.Session.RecordsDropped} message(s) dropped while recording; evidence may be incomplete."));
        }

        lines.Add(string.Empty);
        var nameWidth = Math.Clamp(result.DeviceResults.Select(d => Name(d.Device).Length).DefaultIfEmpty(6).Max(), 6, 40);
        foreach (var device in result.DeviceResults)
        {
            lines.Add(F($"  {device.Verdict.Label(),-5} {Name(device.Device).PadRight(nameWidth)}  {device.Device.Protocol,-5} {Counts(device.Counts)}"));
        }

        if (result.DeviceResults.Count == 0)
        {
            lines.Add("  No device was found.");
        }

        lines.Add(string.Empty);
        foreach (var (protocol, counts) in result.CountsByProtocol)
        {
            lines.Add(F($"  {protocol,-8} {Counts(counts)}"));
        }

        foreach (var (level, counts) in result.CountsByLevel.Where(p => p.Value.Total > 0))
        {
            lines.Add(F($"  {level.Label(),-8} {Counts(counts)}"));
        }

        AddList(lines, "Failing MUST rules:", [.. result.Failures]);
        AddList(lines, "Checks that could not complete (ERROR):", [.. result.Errors]);

        lines.Add(string.Empty);
        if (reportPath is not null)
        {
            lines.Add(F($"Report: {SafeText.Line(reportPath, 1024)}"));
        }

        lines.Add(F($"Result: {Overall(result.Verdict)} (exit code {result.ExitCode}): {result.Totals.Fail} MUST failure(s), {result.Totals.Warn} warning(s), {result.Totals.Error} error(s)"));
        return string.Join("\n", lines) + "\n";
    }

    private void AddList(List<string> lines, string title, IReadOnlyList<RuleOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        lines.Add(string.Empty);
        lines.Add(title);
        foreach (var outcome in outcomes.Take(MaxListed))
        {
            var message = outcome.Findings.First(f => f.Verdict == outcome.Verdict).Message;
            lines.Add(F($"  {outcome.Rule.Id,-16} {Name(outcome.Device)}: {SafeText.Line(message, 160)}"));
        }

        if (outcomes.Count > MaxListed)
        {
            lines.Add(F($"  ... and {outcomes.Count - MaxListed} more (see the report)"));
        }
    }

    /// <summary>The device's label in one line, at most 40 characters (a longer one ends with an ellipsis).</summary>
    private static string Name(Device device)
    {
        var line = SafeText.Line(device.Label, 1024);
        return line.Length <= 40 ? line : string.Concat(line.AsSpan(0, 39), "\u2026");
    }

    private static string Counts(VerdictCounts counts) =>
        F($"pass {counts.Pass,3}  fail {counts.Fail,3}  warn {counts.Warn,3}  info {counts.Info,3}  n/a {counts.NotApplicable,3}  error {counts.Error,3}");

    private static string Overall(Verdict verdict) => verdict switch
    {
        Verdict.Fail => "FAIL",
        Verdict.Error => "INCOMPLETE",
        Verdict.Pass => "PASS",
        _ => "NOTHING JUDGED",
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
