using Harness.Conformance.Model;

namespace Harness.Conformance.Engine;

/// <summary>
/// Which rules a run selects. Every part left empty selects all. Id patterns are globs (<see cref="RulePattern"/>);
/// a pattern starting with <c>!</c> excludes what it matches, and exclusions win over inclusions.
/// </summary>
public sealed record RuleFilter
{
    /// <summary>Selects every rule.</summary>
    public static RuleFilter All { get; } = new();

    /// <summary>Id globs to include (any matching) or, with a leading <c>!</c>, to exclude. Empty: all ids.</summary>
    public IReadOnlyList<string> IdPatterns { get; init; } = [];

    /// <summary>Protocol labels to include. Empty: all protocols.</summary>
    public IReadOnlyList<string> Protocols { get; init; } = [];

    /// <summary>Roles to include: rules for any of them, plus rules for all roles. Empty: all roles.</summary>
    public IReadOnlyList<DeviceRole> Roles { get; init; } = [];

    /// <summary>Levels to include. Empty: all levels.</summary>
    public IReadOnlyList<RuleLevel> Levels { get; init; } = [];

    /// <summary>
    /// Parses the <c>--rules</c> option: globs separated by commas or white space, e.g. <c>'WSD-PRB-*,!WSD-PRB-009'</c>.
    /// Null or blank selects all.
    /// </summary>
    public static RuleFilter Parse(string? rules) =>
        new()
        {
            IdPatterns = string.IsNullOrWhiteSpace(rules)
                ? []
                : rules.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };

    /// <summary>True when the filter selects <paramref name="rule"/>.</summary>
    public bool Matches(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return MatchesId(rule.Id)
            && (Protocols.Count == 0 || Protocols.Contains(rule.Protocol, StringComparer.Ordinal))
            && (Roles.Count == 0 || rule.Roles.Count == 0 || rule.Roles.Any(Roles.Contains))
            && (Levels.Count == 0 || Levels.Contains(rule.Level));
    }

    /// <summary>True when the id patterns select <paramref name="id"/>.</summary>
    public bool MatchesId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var anyInclude = false;
        var included = false;
        foreach (var pattern in IdPatterns)
        {
            if (pattern.StartsWith('!'))
            {
                if (RulePattern.IsMatch(pattern[1..], id))
                {
                    return false;
                }
            }
            else
            {
                anyInclude = true;
                included |= RulePattern.IsMatch(pattern, id);
            }
        }

        return !anyInclude || included;
    }
}
