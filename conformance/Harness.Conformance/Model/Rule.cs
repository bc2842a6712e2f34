using System.Text.RegularExpressions;

namespace Harness.Conformance.Model;

/// <summary>Whether a rule judges what it sees or needs to provoke the device first.</summary>
public enum RuleKind
{
    /// <summary>Judges observed traffic only; runs over a live session and over a capture alike.</summary>
    Passive,

    /// <summary>Sends something to the device (through <see cref="ITarget"/>) and judges the answer; needs a live target.</summary>
    Active,
}

/// <summary>
/// One requirement of a specification, as data with a small check. Rules are written as a table of these
/// (object initialisers with a lambda each), not as a class per rule:
/// <code>
/// new Rule
/// {
///     Id = "WSD-MSG-008",
///     Title = "A response has its own MessageID",
///     Citation = new("WS-Addressing 1.0 Core", "3.2"),
///     Level = RuleLevel.Must,
///     Protocol = Protocols.Wsd,
///     Roles = [DeviceRole.TargetService],
///     Check = ctx =&gt; ...,
/// }
/// </code>
/// Exactly one of <see cref="Check"/> (passive) and <see cref="ActiveCheck"/> (active) is set;
/// <c>RuleCatalogue</c> validates that when the rule is added.
/// </summary>
public sealed partial class Rule
{
    /// <summary>Stable id, e.g. <c>WSD-PROBE-003</c>: upper-case letters, digits, '-', '_' or '.', at most 64 characters.</summary>
    public required string Id { get; init; }

    /// <summary>A one-line statement of the requirement.</summary>
    public required string Title { get; init; }

    /// <summary>Where the requirement comes from.</summary>
    public required SpecCitation Citation { get; init; }

    /// <summary>How binding it is.</summary>
    public required RuleLevel Level { get; init; }

    /// <summary>The protocol label of the devices it applies to, e.g. <see cref="Protocols.Wsd"/>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The roles it applies to; empty means every device of <see cref="Protocol"/>.</summary>
    public IReadOnlyList<DeviceRole> Roles { get; init; } = [];

    /// <summary>Longer explanation: what is checked and how (optional).</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The check of a passive rule: judges <see cref="RuleContext.Session"/> for <see cref="RuleContext.Device"/>.
    /// Returning no findings means there was nothing to judge (the runner records NotApplicable). An exception
    /// becomes a <see cref="Verdict.Error"/> finding with its message.
    /// </summary>
    public Func<RuleContext, IEnumerable<Finding>>? Check { get; init; }

    /// <summary>
    /// The check of an active rule: provokes the device through <see cref="RuleContext.Target"/> and judges the
    /// answer. Runs only when the target can send; otherwise the runner records NotApplicable.
    /// </summary>
    public Func<RuleContext, CancellationToken, ValueTask<IReadOnlyList<Finding>>>? ActiveCheck { get; init; }

    /// <summary>Passive when <see cref="Check"/> is set, else active.</summary>
    public RuleKind Kind => Check is not null ? RuleKind.Passive : RuleKind.Active;

    /// <summary>The rule without its check: what reports and result files carry.</summary>
    public RuleInfo Info => new(Id, Title, Citation, Level, Protocol, Roles, Kind, Description);

    /// <summary>True when the rule applies to <paramref name="device"/>: same protocol and (no roles or a shared role).</summary>
    public bool AppliesTo(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return string.Equals(Protocol, device.Protocol, StringComparison.Ordinal)
            && (Roles.Count == 0 || Roles.Any(device.HasRole));
    }

    /// <summary>
    /// A passive rule of <paramref name="protocol"/>: the factory the protocol rule tables share, so each table only
    /// adds its own check adapters.
    /// </summary>
    /// <param name="protocol">The protocol label, e.g. <see cref="Protocols.Wsd"/>.</param>
    /// <param name="id">The rule id (see <see cref="IsValidId"/>).</param>
    /// <param name="title">The one-line statement of the requirement.</param>
    /// <param name="citation">Where the requirement comes from.</param>
    /// <param name="level">How binding it is.</param>
    /// <param name="roles">The roles it applies to; empty means every device of the protocol.</param>
    /// <param name="description">Longer explanation of what is checked and how.</param>
    /// <param name="check">The passive check (<see cref="Check"/>).</param>
    /// <returns>The rule; <see cref="Validate"/> is left to the catalogue.</returns>
    public static Rule Passive(string protocol, string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string? description, Func<RuleContext, IEnumerable<Finding>> check) =>
        new()
        {
            Id = id,
            Title = title,
            Citation = citation,
            Level = level,
            Protocol = protocol,
            Roles = roles,
            Description = description,
            Check = check,
        };

    /// <summary>
    /// An active rule of <paramref name="protocol"/>: the factory the protocol rule tables share, so each table only
    /// adds its own adapter from a scenario result to <paramref name="activeCheck"/>.
    /// </summary>
    /// <param name="protocol">The protocol label, e.g. <see cref="Protocols.Wsd"/>.</param>
    /// <param name="id">The rule id (see <see cref="IsValidId"/>).</param>
    /// <param name="title">The one-line statement of the requirement.</param>
    /// <param name="citation">Where the requirement comes from.</param>
    /// <param name="level">How binding it is.</param>
    /// <param name="roles">The roles it applies to; empty means every device of the protocol.</param>
    /// <param name="description">Longer explanation of what is checked and how.</param>
    /// <param name="activeCheck">The active check (<see cref="ActiveCheck"/>).</param>
    /// <returns>The rule; <see cref="Validate"/> is left to the catalogue.</returns>
    public static Rule Active(string protocol, string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string? description, Func<RuleContext, CancellationToken, ValueTask<IReadOnlyList<Finding>>> activeCheck) =>
        new()
        {
            Id = id,
            Title = title,
            Citation = citation,
            Level = level,
            Protocol = protocol,
            Roles = roles,
            Description = description,
            ActiveCheck = activeCheck,
        };

    /// <summary>True when <paramref name="id"/> is a valid rule id.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Throws <see cref="ArgumentException"/> when the rule is not well formed.</summary>
    public void Validate()
    {
        if (!IsValidId(Id))
        {
            throw new ArgumentException($"Rule id '{Id}' is not valid: use upper-case letters, digits, '-', '_' or '.', starting with a letter.", nameof(Id));
        }

        if (string.IsNullOrWhiteSpace(Title))
        {
            throw new ArgumentException($"Rule {Id} has no title.", nameof(Title));
        }

        ArgumentNullException.ThrowIfNull(Citation, nameof(Citation));
        if (!Enum.IsDefined(Level))
        {
            throw new ArgumentException($"Rule {Id} has an unknown level {Level}.", nameof(Level));
        }

        if (!Protocols.IsValid(Protocol))
        {
            throw new ArgumentException($"Rule {Id} has protocol '{Protocol}', which is not a protocol label.", nameof(Protocol));
        }

        ArgumentNullException.ThrowIfNull(Roles, nameof(Roles));
        if ((Check is null) == (ActiveCheck is null))
        {
            throw new ArgumentException($"Rule {Id} must have exactly one of Check (passive) and ActiveCheck (active).", nameof(Check));
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Title}";

    [GeneratedRegex("^[A-Z][A-Z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>A rule without its check: the part that results, reports and result files carry.</summary>
/// <param name="Id">The rule's id.</param>
/// <param name="Title">The one-line statement.</param>
/// <param name="Citation">Where it comes from.</param>
/// <param name="Level">How binding it is.</param>
/// <param name="Protocol">The protocol label.</param>
/// <param name="Roles">The roles it applies to (empty: all).</param>
/// <param name="Kind">Passive or active.</param>
/// <param name="Description">Longer explanation, or null.</param>
public sealed record RuleInfo(
    string Id,
    string Title,
    SpecCitation Citation,
    RuleLevel Level,
    string Protocol,
    IReadOnlyList<DeviceRole> Roles,
    RuleKind Kind,
    string? Description = null)
{
    /// <inheritdoc />
    public bool Equals(RuleInfo? other) =>
        other is not null
        && string.Equals(Id, other.Id, StringComparison.Ordinal)
        && string.Equals(Title, other.Title, StringComparison.Ordinal)
        && Citation == other.Citation
        && Level == other.Level
        && string.Equals(Protocol, other.Protocol, StringComparison.Ordinal)
        && Roles.SequenceEqual(other.Roles)
        && Kind == other.Kind
        && string.Equals(Description, other.Description, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Title, Level, Protocol, Kind);
}
