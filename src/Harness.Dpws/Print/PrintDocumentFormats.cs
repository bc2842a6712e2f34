using System.Buffers;
using System.Text;

namespace Harness.Dpws.Print;

/// <summary>A document format a client can send: its short name and the MIME type written in DocumentFormat and on the MTOM part.</summary>
/// <param name="Name">The short name (<c>pdf</c>, <c>png</c>, <c>jpeg</c>, <c>text</c>, <c>octet-stream</c>).</param>
/// <param name="MimeType">The MIME type (e.g. <c>application/pdf</c>).</param>
public sealed record PrintDocumentFormat(string Name, string MimeType)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({MimeType})";
}

/// <summary>
/// The document formats of a print client and how a document's format is told from its first bytes (magic numbers:
/// <c>%PDF-</c>, the PNG signature, the JPEG SOI marker) or, failing that, from whether it is UTF-8 text. Pure.
/// </summary>
public static class PrintDocumentFormats
{
    /// <summary>PDF (<c>application/pdf</c>).</summary>
    public static PrintDocumentFormat Pdf { get; } = new("pdf", "application/pdf");

    /// <summary>PNG (<c>image/png</c>).</summary>
    public static PrintDocumentFormat Png { get; } = new("png", "image/png");

    /// <summary>JPEG (<c>image/jpeg</c>).</summary>
    public static PrintDocumentFormat Jpeg { get; } = new("jpeg", "image/jpeg");

    /// <summary>Plain text (<c>text/plain</c>; UTF-8).</summary>
    public static PrintDocumentFormat Text { get; } = new("text", "text/plain");

    /// <summary>Unknown bytes (<c>application/octet-stream</c>).</summary>
    public static PrintDocumentFormat OctetStream { get; } = new("octet-stream", "application/octet-stream");

    /// <summary>The formats a user can name (<see cref="FromName"/>).</summary>
    public static IReadOnlyList<PrintDocumentFormat> Named { get; } = [Pdf, Png, Jpeg, Text];

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The format named <paramref name="name"/> (<c>pdf</c>, <c>png</c>, <c>jpeg</c>/<c>jpg</c>, <c>text</c>/<c>txt</c>), or null.</summary>
    public static PrintDocumentFormat? FromName(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "PDF" => Pdf,
        "PNG" => Png,
        "JPEG" or "JPG" => Jpeg,
        "TEXT" or "TXT" => Text,
        _ => null,
    };

    /// <summary>
    /// The format of <paramref name="content"/> told from its first bytes: PDF (<c>%PDF-</c> within the first 1024 bytes,
    /// as PDF readers allow), PNG (its 8-byte signature), JPEG (<c>FF D8 FF</c>), text when the first 8 KiB are valid UTF-8
    /// without control characters other than tab, CR, LF and FF; otherwise <see cref="OctetStream"/>.
    /// </summary>
    public static PrintDocumentFormat Detect(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith(PngSignature))
        {
            return Png;
        }

        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
        {
            return Jpeg;
        }

        if (content[..Math.Min(content.Length, 1024)].IndexOf("%PDF-"u8) >= 0)
        {
            return Pdf;
        }

        return IsText(content) ? Text : OctetStream;
    }

    private static bool IsText(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            return false;
        }

        var truncated = content.Length > 8192;
        var head = content[..Math.Min(content.Length, 8192)];
        while (!head.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(head, out var rune, out var consumed);
            if (status == OperationStatus.NeedMoreData && truncated)
            {
                // A multi-byte sequence cut by the 8 KiB window is not an error.
                return true;
            }

            if (status != OperationStatus.Done)
            {
                return false;
            }

            if (Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r' or '\f'))
            {
                return false;
            }

            head = head[consumed..];
        }

        return true;
    }
}
