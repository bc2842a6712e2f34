namespace Harness.Conformance.Model;

/// <summary>The judgement of one finding, of one rule on one device, or of a whole device.</summary>
public enum Verdict
{
    /// <summary>The requirement is met.</summary>
    Pass,

    /// <summary>A MUST requirement is not met. Fails the device and the run.</summary>
    Fail,

    /// <summary>A SHOULD requirement is not met, or a known deviation was tolerated. Never fails the run.</summary>
    Warn,

    /// <summary>Informational: an optional (MAY) behaviour is absent or differs. Never fails the run.</summary>
    Info,

    /// <summary>
    /// The rule could not be judged here: nothing in the session exercised it, or it needs a live target and the
    /// run is passive.
    /// </summary>
    NotApplicable,

    /// <summary>The check itself failed (threw, or timed out): the harness could not judge. Never hidden.</summary>
    Error,
}

/// <summary>Helpers on <see cref="Verdict"/>.</summary>
public static class VerdictExtensions
{
    /// <summary>
    /// How much a verdict weighs when several are combined into one (the worst wins):
    /// Fail &gt; Error &gt; Warn &gt; Info &gt; Pass &gt; NotApplicable.
    /// </summary>
    public static int Severity(this Verdict verdict) => verdict switch
    {
        Verdict.Fail => 5,
        Verdict.Error => 4,
        Verdict.Warn => 3,
        Verdict.Info => 2,
        Verdict.Pass => 1,
        Verdict.NotApplicable => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>The worse of two verdicts, by <see cref="Severity(Verdict)"/>.</summary>
    public static Verdict Worst(this Verdict verdict, Verdict other) =>
        other.Severity() > verdict.Severity() ? other : verdict;

    /// <summary>The worst of a set of verdicts, or <see cref="Verdict.NotApplicable"/> for an empty set.</summary>
    public static Verdict Worst(IEnumerable<Verdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var worst = Verdict.NotApplicable;
        foreach (var verdict in verdicts)
        {
            worst = worst.Worst(verdict);
        }

        return worst;
    }

    /// <summary>The upper-case label used in reports (PASS, FAIL, WARN, INFO, N/A, ERROR).</summary>
    public static string Label(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        Verdict.Warn => "WARN",
        Verdict.Info => "INFO",
        Verdict.NotApplicable => "N/A",
        Verdict.Error => "ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>The lower-case token used in file formats and HTML filters (pass, fail, warn, info, notApplicable, error).</summary>
    public static string Token(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Fail => "fail",
        Verdict.Warn => "warn",
        Verdict.Info => "info",
        Verdict.NotApplicable => "notApplicable",
        Verdict.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>The upper-case label of a level (MUST, SHOULD, MAY).</summary>
    public static string Label(this RuleLevel level) => level switch
    {
        RuleLevel.Must => "MUST",
        RuleLevel.Should => "SHOULD",
        RuleLevel.May => "MAY",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The lower-case token of a level (must, should, may).</summary>
    public static string Token(this RuleLevel level) => level switch
    {
        RuleLevel.Must => "must",
        RuleLevel.Should => "should",
        RuleLevel.May => "may",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>
    /// The verdict a violation of a rule at <paramref name="level"/> earns: MUST → Fail, SHOULD → Warn, MAY → Info.
    /// </summary>
    public static Verdict ViolationVerdict(this RuleLevel level) => level switch
    {
        RuleLevel.Must => Verdict.Fail,
        RuleLevel.Should => Verdict.Warn,
        RuleLevel.May => Verdict.Info,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };
}
