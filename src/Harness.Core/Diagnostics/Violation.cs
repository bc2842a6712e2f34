namespace Harness.Core.Diagnostics;

/// <summary>How serious a deviation from a specification is.</summary>
public enum ViolationSeverity
{
    /// <summary>Informational: allowed, but worth knowing (a MAY, or a known device habit).</summary>
    Info,

    /// <summary>A SHOULD (or a RECOMMENDED) is not met.</summary>
    Warning,

    /// <summary>A MUST (or a REQUIRED, or the schema) is not met.</summary>
    Error,
}

/// <summary>
/// One deviation a reader found in a peer's input. Readers never throw on a peer's bad input; they return
/// what they understood plus a list of these.
/// </summary>
/// <param name="RuleId">The rule the deviation breaks, e.g. <c>WSD-MSG-003</c>, or a reader id like <c>XML-WELLFORMED</c>.</param>
/// <param name="Message">What is wrong, in a sentence a person can act on.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Location">Where: an XPath-like path, a header name, or a byte offset; null when the whole message.</param>
public sealed record Violation(string RuleId, string Message, ViolationSeverity Severity, string? Location = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        Location is null ? $"{Severity} {RuleId}: {Message}" : $"{Severity} {RuleId} at {Location}: {Message}";
}

/// <summary>How a reader treats input that deviates from the specification.</summary>
public enum ReadMode
{
    /// <summary>Understand what real devices send; report every deviation as a violation.</summary>
    Lenient,

    /// <summary>Reject (no message) on any <see cref="ViolationSeverity.Error"/> violation.</summary>
    Strict,
}
