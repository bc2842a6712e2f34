namespace Harness.Conformance.Engine;

/// <summary>
/// Glob patterns over rule ids, as the <c>--rules</c> option takes them: <c>*</c> matches any run of characters,
/// <c>?</c> one character, everything else itself, case-insensitively (<c>wsd-probe-*</c> matches <c>WSD-PROBE-003</c>).
/// </summary>
public static class RulePattern
{
    /// <summary>True when <paramref name="id"/> matches <paramref name="pattern"/> as a whole.</summary>
    public static bool IsMatch(string pattern, string id)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(id);

        // Iterative glob with single-star backtracking: linear in practice, never exponential.
        int p = 0, s = 0, star = -1, mark = 0;
        while (s < id.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(id[s])))
            {
                p++;
                s++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = s;
            }
            else if (star >= 0)
            {
                p = star + 1;
                s = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
