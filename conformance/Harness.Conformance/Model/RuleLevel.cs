namespace Harness.Conformance.Model;

/// <summary>
/// How binding a requirement is, in the words of RFC 2119 as the specifications use them. The level decides what
/// a violation costs: a MUST violation fails the device, a SHOULD violation warns, a MAY difference informs.
/// </summary>
public enum RuleLevel
{
    /// <summary>MUST, REQUIRED, SHALL: a violation is a <see cref="Verdict.Fail"/>.</summary>
    Must,

    /// <summary>SHOULD, RECOMMENDED: a violation is a <see cref="Verdict.Warn"/> and never fails the run.</summary>
    Should,

    /// <summary>MAY, OPTIONAL: a difference is <see cref="Verdict.Info"/> and never fails the run.</summary>
    May,
}
