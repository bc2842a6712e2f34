using System.Collections;
using Harness.Conformance.Model;

namespace Harness.Conformance.Engine;

/// <summary>
/// The rules a run can choose from, ordered by id. Ids are unique ignoring case: adding a second rule with an id
/// already there throws, so that a rule id in a report always names one requirement.
/// </summary>
public sealed class RuleCatalogue : IReadOnlyCollection<Rule>
{
    private readonly SortedDictionary<string, Rule> _rules = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates an empty catalogue.</summary>
    public RuleCatalogue()
    {
    }

    /// <summary>Creates a catalogue with these rules.</summary>
    /// <exception cref="ArgumentException">A rule is not well formed, or two rules share an id.</exception>
    public RuleCatalogue(IEnumerable<Rule> rules)
    {
        AddRange(rules);
    }

    /// <summary>How many rules.</summary>
    public int Count => _rules.Count;

    /// <summary>The rules, ordered by id (ordinal, ignoring case).</summary>
    public IEnumerable<Rule> Rules => _rules.Values;

    /// <summary>The rule with this id (ignoring case).</summary>
    /// <exception cref="KeyNotFoundException">There is none.</exception>
    public Rule this[string id] => TryGet(id, out var rule) ? rule : throw new KeyNotFoundException($"There is no rule '{id}'.");

    /// <summary>Adds a rule after validating it.</summary>
    /// <exception cref="ArgumentException">The rule is not well formed, or its id is taken.</exception>
    public void Add(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        if (!_rules.TryAdd(rule.Id, rule))
        {
            throw new ArgumentException($"Duplicate rule id '{rule.Id}': already used by '{_rules[rule.Id].Title}'.", nameof(rule));
        }
    }

    /// <summary>Adds rules (a protocol's table) in order; stops at the first bad one.</summary>
    public void AddRange(IEnumerable<Rule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            Add(rule);
        }
    }

    /// <summary>True when a rule has this id (ignoring case).</summary>
    public bool Contains(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _rules.ContainsKey(id);
    }

    /// <summary>Looks a rule up by id (ignoring case).</summary>
    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Rule rule)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _rules.TryGetValue(id, out rule);
    }

    /// <summary>A catalogue of the rules <paramref name="filter"/> selects.</summary>
    public RuleCatalogue Where(RuleFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new RuleCatalogue(Rules.Where(filter.Matches));
    }

    /// <summary>A catalogue of the rules whose ids match any of the globs (a leading <c>!</c> excludes).</summary>
    public RuleCatalogue Matching(params string[] patterns) => Where(new RuleFilter { IdPatterns = patterns });

    /// <summary>A catalogue of one protocol's rules.</summary>
    public RuleCatalogue ForProtocol(string protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return new RuleCatalogue(Rules.Where(r => string.Equals(r.Protocol, protocol, StringComparison.Ordinal)));
    }

    /// <summary>A catalogue of the rules that apply to a role (rules for that role and rules for all roles).</summary>
    public RuleCatalogue ForRole(DeviceRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new RuleCatalogue(Rules.Where(r => r.Roles.Count == 0 || r.Roles.Contains(role)));
    }

    /// <summary>The rules that apply to a device (protocol and role), in id order.</summary>
    public IEnumerable<Rule> ApplicableTo(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Rules.Where(r => r.AppliesTo(device));
    }

    /// <summary>
    /// The include patterns of <paramref name="filter"/> that match no rule here: a typo in <c>--rules</c> should be
    /// reported, not silently select nothing.
    /// </summary>
    public IReadOnlyList<string> UnmatchedPatterns(RuleFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return [.. filter.IdPatterns.Where(p => !p.StartsWith('!') && !Rules.Any(r => RulePattern.IsMatch(p, r.Id)))];
    }

    /// <inheritdoc />
    public IEnumerator<Rule> GetEnumerator() => _rules.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
