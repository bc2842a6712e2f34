namespace Harness.Conformance.Model;

/// <summary>Where a rule comes from: the specification, the section, and the words it rests on.</summary>
/// <param name="Spec">The specification's name and version, e.g. <c>WS-Discovery 1.1</c>.</param>
/// <param name="Section">The section, e.g. <c>5.3</c> or <c>Appendix I</c>.</param>
/// <param name="Url">Where the public text is, or null. Reports show it as text, never as a link or a load.</param>
/// <param name="Text">The requirement's words (a quote when <paramref name="IsQuote"/>, else a paraphrase), or null.</param>
/// <param name="IsQuote">True when <paramref name="Text"/> is a verbatim quote of the specification.</param>
public sealed record SpecCitation(string Spec, string Section, string? Url = null, string? Text = null, bool IsQuote = false)
{
    /// <summary>"Spec §Section", e.g. <c>WS-Discovery 1.1 §5.3</c>.</summary>
    public override string ToString() => $"{Spec} \u00a7{Section}";
}
