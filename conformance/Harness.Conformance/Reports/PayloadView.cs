using System.Globalization;
using System.Text;
using System.Xml;
using Harness.Conformance.Engine;
using Harness.Core.Xml;

namespace Harness.Conformance.Reports;

/// <summary>How a message's bytes are shown.</summary>
internal enum PayloadKind
{
    /// <summary>Well-formed XML, pretty-printed.</summary>
    Xml,

    /// <summary>A text head (HTTP, SSDP) with a well-formed XML body, the body pretty-printed.</summary>
    TextWithXmlBody,

    /// <summary>UTF-8 text, as is.</summary>
    Text,

    /// <summary>Anything else, as a hex dump.</summary>
    Binary,

    /// <summary>No bytes.</summary>
    Empty,
}

/// <summary>A message's bytes rendered for a person: pretty XML, text or hex, plus the exact text when it differs.</summary>
/// <param name="Kind">What was recognised.</param>
/// <param name="Label">One line explaining the view (e.g. why XML is shown as text).</param>
/// <param name="Body">The text to show (not yet HTML-encoded).</param>
/// <param name="Exact">The bytes as exact text (or hex) when <paramref name="Body"/> differs from them, else null.</param>
internal sealed record PayloadView(PayloadKind Kind, string Label, string Body, string? Exact)
{
    /// <summary>Characters shown at most per view.</summary>
    public const int MaxChars = 65536;

    /// <summary>Bytes shown at most in a hex dump.</summary>
    public const int MaxHexBytes = 4096;

    /// <summary>Renders a payload. Pure; never throws on any bytes.</summary>
    public static PayloadView Render(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return new PayloadView(PayloadKind.Empty, "No bytes.", string.Empty, null);
        }

        var size = string.Create(CultureInfo.InvariantCulture, $"{payload.Length} bytes");
        var isText = MessageSummary.TryDecodeText(payload, out var text);
        if (MessageSummary.LooksLikeXml(payload))
        {
            if (TryPrettyXml(payload, out var pretty, out var problem))
            {
                return new PayloadView(PayloadKind.Xml, $"XML, {size}, pretty-printed (comments and processing instructions not shown).", Cap(pretty), isText ? Cap(text) : Hex(payload));
            }

            return isText
                ? new PayloadView(PayloadKind.Text, $"Not well-formed XML ({problem}); {size} shown as text.", Cap(text), null)
                : new PayloadView(PayloadKind.Binary, $"Not well-formed XML ({problem}) nor UTF-8 text; {size} shown as hex.", Hex(payload), null);
        }

        if (isText)
        {
            var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (split > 0 && split + 4 < text.Length)
            {
                var body = Encoding.UTF8.GetBytes(text[(split + 4)..]);
                if (MessageSummary.LooksLikeXml(body) && TryPrettyXml(body, out var prettyBody, out _))
                {
                    var head = text[..(split + 2)].Replace("\r\n", "\n", StringComparison.Ordinal);
                    return new PayloadView(PayloadKind.TextWithXmlBody, $"Text, {size}; the XML body pretty-printed.", Cap(head + "\n" + prettyBody), Cap(text));
                }
            }

            return new PayloadView(PayloadKind.Text, $"Text, {size}.", Cap(text), null);
        }

        return new PayloadView(PayloadKind.Binary, $"Binary, {size}, as hex.", Hex(payload), null);
    }

    private static bool TryPrettyXml(ReadOnlySpan<byte> payload, out string pretty, out string problem)
    {
        pretty = string.Empty;

        // SafeXml first: it enforces the size, depth and node limits before anything is copied.
        var loaded = SafeXml.Load(payload);
        if (!loaded.Success)
        {
            problem = loaded.Message ?? loaded.Error.ToString();
            return false;
        }

        problem = string.Empty;
        var settings = SafeXml.CreateReaderSettings();
        settings.IgnoreWhitespace = true;
        try
        {
            using var stream = new MemoryStream(payload.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            var output = new StringBuilder();
            using (var writer = XmlWriter.Create(output, new XmlWriterSettings
            {
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
                OmitXmlDeclaration = true,
                ConformanceLevel = ConformanceLevel.Document,
            }))
            {
                writer.WriteNode(reader, defattr: false);
            }

            pretty = output.ToString();
            return true;
        }
        catch (XmlException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    private static string Cap(string text) =>
        text.Length <= MaxChars
            ? text
            : string.Concat(text.AsSpan(0, MaxChars), string.Create(CultureInfo.InvariantCulture, $"\n\u2026 [{text.Length - MaxChars} more characters not shown]"));

    /// <summary>A hex dump: offset, 16 bytes in hex, the printable ASCII.</summary>
    internal static string Hex(ReadOnlySpan<byte> payload)
    {
        var shown = payload[..Math.Min(payload.Length, MaxHexBytes)];
        var builder = new StringBuilder((shown.Length / 16 * 78) + 80);
        for (var offset = 0; offset < shown.Length; offset += 16)
        {
            var line = shown.Slice(offset, Math.Min(16, shown.Length - offset));
            builder.Append(offset.ToString("x8", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                builder.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) : "  ");
                builder.Append(i == 7 ? "  " : " ");
            }

            builder.Append(' ');
            foreach (var b in line)
            {
                builder.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }

            builder.Append('\n');
        }

        if (payload.Length > shown.Length)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\u2026 [{payload.Length - shown.Length} more bytes not shown]\n");
        }

        return builder.ToString();
    }
}
