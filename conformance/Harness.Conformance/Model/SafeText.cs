using System.Globalization;
using System.Text;

namespace Harness.Conformance.Model;

/// <summary>
/// Makes device-supplied text safe to put into any report format: characters that XML 1.0 cannot carry and that
/// terminals act on (C0 and C1 controls other than tab, line feed and carriage return; DEL; lone surrogates; bidirectional overrides;
/// U+FFFE and U+FFFF) become visible <c>\uXXXX</c> escapes, and overlong text is cut with a note. Escaping for
/// the target format (HTML, XML) still happens in the writer; this only removes what no escaping can carry.
/// </summary>
public static class SafeText
{
    /// <summary>The default cut-off for a single value: 4096 characters.</summary>
    public const int DefaultMaxLength = 4096;

    /// <summary>Cleans <paramref name="text"/>; null stays null.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">Characters kept before the cut note.</param>
    /// <param name="keepNewLines">When false, tab, line feed and carriage return are escaped too (for one-line fields).</param>
    public static string? Clean(string? text, int maxLength = DefaultMaxLength, bool keepNewLines = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (text is null)
        {
            return null;
        }

        if (text.Length <= maxLength && IsClean(text, keepNewLines))
        {
            return text;
        }

        var length = Math.Min(text.Length, maxLength);
        var builder = new StringBuilder(length + 16);
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (i + 1 >= length)
                {
                    break; // do not split a pair at the cut
                }

                builder.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (IsUnsafe(c, keepNewLines))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (text.Length > maxLength)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\u2026 [{text.Length - maxLength} more characters]");
        }

        return builder.ToString();
    }

    /// <summary>Cleans for a one-line field (names, summaries): like <see cref="Clean"/> with new lines escaped; null becomes empty.</summary>
    public static string Line(string? text, int maxLength = 256) => Clean(text, maxLength, keepNewLines: false) ?? string.Empty;

    private static bool IsClean(string text, bool keepNewLines)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(c, keepNewLines))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUnsafe(char c, bool keepNewLines) =>
        c switch
        {
            '\t' or '\n' or '\r' => !keepNewLines,
            < '\u0020' => true,
            >= '\u007F' and <= '\u009F' => true,
            '\uFFFE' or '\uFFFF' => true,
            (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') => true, // bidi overrides can disguise text
            _ => char.IsSurrogate(c), // reached only for a lone surrogate
        };
}
