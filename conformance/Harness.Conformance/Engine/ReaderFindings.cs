using System.Globalization;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;

namespace Harness.Conformance.Engine;

/// <summary>Turns the violations a protocol reader reported on recorded messages into findings (shared by the rule tables).</summary>
internal static class ReaderFindings
{
    private const int MaxFindingsPerRule = 12;

    /// <summary>
    /// One finding per distinct problem among the given reader rule ids (with how many messages had it); a pass when
    /// there were messages and none had a problem; nothing (NotApplicable) when there were none. Info-level
    /// violations are ignored.
    /// </summary>
    public static IEnumerable<Finding> FromViolations(RuleContext context, IReadOnlyList<(TrafficRecord Record, IReadOnlyList<Violation> Violations)> items, string what, params string[] ruleIds)
    {
        if (items.Count == 0)
        {
            yield break;
        }

        var problems = new Dictionary<string, (Violation Violation, List<TrafficRecord> Records)>(StringComparer.Ordinal);
        foreach (var (record, violations) in items)
        {
            foreach (var violation in violations)
            {
                if (!ruleIds.Contains(violation.RuleId, StringComparer.Ordinal) || violation.Severity == ViolationSeverity.Info)
                {
                    continue;
                }

                var key = violation.Severity + "|" + violation.Message;
                if (!problems.TryGetValue(key, out var entry))
                {
                    entry = (violation, []);
                    problems.Add(key, entry);
                }

                entry.Records.Add(record);
            }
        }

        if (problems.Count == 0)
        {
            yield return context.Pass($"{items.Count.ToString(CultureInfo.InvariantCulture)} {what} checked; none deviates.", items.Take(3).Select(i => i.Record));
            yield break;
        }

        foreach (var (violation, list) in problems.Values.Take(MaxFindingsPerRule))
        {
            var finding = context.FromViolation(violation, list[0]);
            var suffix = list.Count > 1 ? $" ({list.Count} messages)" : string.Empty;
            yield return finding with
            {
                Message = finding.Message + suffix,
                Evidence = finding.Evidence with { Records = [.. list.Take(5).Select(r => r.Sequence)] },
            };
        }
    }
}
