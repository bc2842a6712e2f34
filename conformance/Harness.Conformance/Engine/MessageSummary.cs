using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Xml;

namespace Harness.Conformance.Engine;

/// <summary>
/// Protocol-neutral one-line descriptions of records for the timeline: the SOAP action's last segment
/// (<c>Probe</c>), an XML root element (<c>iq type=get › query</c>), the first line of a text message
/// (<c>M-SEARCH * HTTP/1.1</c>), or <c>binary, N bytes</c>. A protocol plugin can do better through
/// <see cref="ConformanceRun.Summarizer"/>. Pure: a function of the bytes.
/// </summary>
public static class MessageSummary
{
    private const int MaxSummaryLength = 120;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Describes a record in one line (at most 120 characters, cleaned with <see cref="SafeText.Line"/>).</summary>
    public static string Describe(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Describe(record.Payload.Span);
    }

    /// <summary>Describes a payload in one line.</summary>
    public static string Describe(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return "(empty)";
        }

        if (LooksLikeXml(payload))
        {
            var xml = DescribeXml(payload);
            if (xml is not null)
            {
                return SafeText.Line(xml, MaxSummaryLength);
            }
        }

        if (TryDecodeText(payload, out var text))
        {
            var end = text.IndexOfAny(['\r', '\n']);
            var firstLine = (end < 0 ? text : text[..end]).Trim();
            var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (bodyStart > 0 && bodyStart + 4 < text.Length)
            {
                var body = Encoding.UTF8.GetBytes(text[(bodyStart + 4)..]);
                if (LooksLikeXml(body) && DescribeXml(body) is { } bodySummary)
                {
                    firstLine += " \u00b7 " + bodySummary;
                }
            }

            return SafeText.Line(firstLine.Length == 0 ? "(blank text)" : firstLine, MaxSummaryLength);
        }

        return string.Create(CultureInfo.InvariantCulture, $"binary, {payload.Length} bytes");
    }

    /// <summary>True when the payload starts (after a BOM and white space) with '&lt;'.</summary>
    internal static bool LooksLikeXml(ReadOnlySpan<byte> payload)
    {
        if (payload.StartsWith("\uFEFF"u8))
        {
            payload = payload[3..];
        }

        foreach (var b in payload)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b == (byte)'<';
        }

        return false;
    }

    /// <summary>
    /// Decodes strict UTF-8 text with no control characters other than tab, CR and LF; false for anything else
    /// (binary, other encodings), which a report then shows as hex.
    /// </summary>
    internal static bool TryDecodeText(ReadOnlySpan<byte> payload, out string text)
    {
        text = string.Empty;
        try
        {
            var decoded = StrictUtf8.GetString(payload);
            foreach (var c in decoded)
            {
                if ((c < ' ' && c is not ('\t' or '\r' or '\n')) || c == '\u007F')
                {
                    return false;
                }
            }

            text = decoded.StartsWith('\uFEFF') ? decoded[1..] : decoded;
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string? DescribeXml(ReadOnlySpan<byte> payload)
    {
        var loaded = SafeXml.Load(payload);
        if (loaded.Document?.Root is not { } root)
        {
            return null;
        }

        if (root.Name.LocalName == "Envelope")
        {
            var action = root.Elements().FirstOrDefault(e => e.Name.LocalName == "Header")?
                .Elements().FirstOrDefault(e => e.Name.LocalName == "Action")?.Value.Trim();
            if (!string.IsNullOrEmpty(action))
            {
                var slash = action.TrimEnd('/').LastIndexOfAny(['/', ':']);
                return slash >= 0 && slash < action.Length - 1 ? action[(slash + 1)..].TrimEnd('/') : action;
            }

            var body = root.Elements().FirstOrDefault(e => e.Name.LocalName == "Body")?.Elements().FirstOrDefault();
            return body is null ? "SOAP envelope" : body.Name.LocalName;
        }

        var summary = new StringBuilder(root.Name.LocalName);
        if (root.Attribute("type") is { } type)
        {
            summary.Append(" type=").Append(type.Value);
        }

        if (root.Elements().FirstOrDefault() is XElement child)
        {
            summary.Append(" \u203a ").Append(child.Name.LocalName);
        }

        return summary.ToString();
    }
}
