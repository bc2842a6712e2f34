using System.Text;

namespace Harness.WsDiscovery.Matching;

/// <summary>
/// The rfc2396 (2005) and rfc3986 (1.1) scope rules, which say the same thing: S1 (Probe) matches S2 (target) when,
/// comparing case-insensitively, their schemes and authorities are the same, and, comparing case-sensitively, the
/// path segments of S1 are a segment-wise (not string) prefix of those of S2, neither containing a "." or ".."
/// segment. Query and fragment are excluded; both are canonicalised (percent-escapes decoded) first. So
/// <c>http://example.com/abc</c> matches <c>http://example.com/abc/def</c> but <c>http://example.com/a</c> does not.
/// </summary>
internal static class WsdUriScopeRule
{
    public static bool Matches(string probe, string target)
    {
        if (!TryParse(probe, out var p) || !TryParse(target, out var t) || p.HasDotSegment || t.HasDotSegment)
        {
            return false;
        }

        if (!string.Equals(p.Scheme, t.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(p.Authority, t.Authority, StringComparison.OrdinalIgnoreCase)
            || p.Segments.Count > t.Segments.Count)
        {
            return false;
        }

        for (var i = 0; i < p.Segments.Count; i++)
        {
            if (!string.Equals(p.Segments[i], t.Segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Parsed(string Scheme, string? Authority, List<string> Segments, bool HasDotSegment);

    private static bool TryParse(string uri, out Parsed parsed)
    {
        parsed = default;
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !char.IsAsciiLetter(uri[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            var c = uri[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
            {
                return false;
            }
        }

        var rest = uri.AsSpan(colon + 1);
        var end = rest.IndexOfAny('?', '#');
        if (end >= 0)
        {
            rest = rest[..end];
        }

        string? authority = null;
        if (rest.StartsWith("//"))
        {
            rest = rest[2..];
            var slash = rest.IndexOf('/');
            var raw = slash >= 0 ? rest[..slash] : rest;
            authority = PercentDecode(raw);
            rest = slash >= 0 ? rest[slash..] : [];
        }

        if (rest.StartsWith("/"))
        {
            rest = rest[1..];
        }

        var segments = new List<string>();
        var hasDot = false;
        if (!rest.IsEmpty)
        {
            foreach (var range in rest.Split('/'))
            {
                var segment = PercentDecode(rest[range]);
                hasDot |= segment is "." or "..";
                segments.Add(segment);
            }

            // A trailing slash adds no segment: "http://x/a/" is "http://x/a".
            if (segments[^1].Length == 0)
            {
                segments.RemoveAt(segments.Count - 1);
            }
        }

        parsed = new Parsed(uri[..colon], authority, segments, hasDot);
        return true;
    }

    /// <summary>Decodes %XX escapes as UTF-8; a malformed escape or undecodable result leaves the text as written.</summary>
    internal static string PercentDecode(ReadOnlySpan<char> text)
    {
        if (text.IndexOf('%') < 0)
        {
            return text.ToString();
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> one = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else
            {
                var n = Encoding.UTF8.GetBytes(text.Slice(i, char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1), one);
                if (n > 1 && char.IsHighSurrogate(text[i]))
                {
                    i++;
                }

                for (var k = 0; k < n; k++)
                {
                    bytes.Add(one[k]);
                }
            }
        }

        var array = bytes.ToArray();
        return System.Text.Unicode.Utf8.IsValid(array) ? Encoding.UTF8.GetString(array) : text.ToString();
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
