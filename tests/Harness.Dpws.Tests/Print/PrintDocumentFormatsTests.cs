using System.Text;
using Harness.Dpws.Print;

namespace Harness.Dpws.Tests.Print;

/// <summary>Telling a document's format from its first bytes, as <c>harness wsd print --format auto</c> does.</summary>
public sealed class PrintDocumentFormatsTests
{
    [Fact]
    public void Detect_PdfHeader_Pdf()
    {
        Assert.Same(PrintDocumentFormats.Pdf, PrintDocumentFormats.Detect(PrintVectors.SmallPdf));
    }

    [Fact]
    public void Detect_PdfHeaderAfterJunkWithinFirstKilobyte_Pdf()
    {
        // PDF 1.7 (ISO 32000-1) Annex H.3: readers accept the header anywhere in the first 1024 bytes.
        var bytes = Encoding.ASCII.GetBytes(new string(' ', 500) + "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n");
        bytes[0] = 0x00;

        Assert.Same(PrintDocumentFormats.Pdf, PrintDocumentFormats.Detect(bytes));
    }

    [Fact]
    public void Detect_PngSignature_Png()
    {
        // PNG (RFC 2083 §3.1): the eight-byte signature 137 80 78 71 13 10 26 10.
        byte[] bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

        Assert.Same(PrintDocumentFormats.Png, PrintDocumentFormats.Detect(bytes));
    }

    [Fact]
    public void Detect_PngSignatureCut_NotPng()
    {
        byte[] bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A];

        Assert.NotSame(PrintDocumentFormats.Png, PrintDocumentFormats.Detect(bytes));
    }

    [Fact]
    public void Detect_JpegSoiMarker_Jpeg()
    {
        // JPEG (ITU T.81 B.1.1.3): SOI FF D8, then a marker (APP0 FF E0 for JFIF).
        byte[] bytes = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0];

        Assert.Same(PrintDocumentFormats.Jpeg, PrintDocumentFormats.Detect(bytes));
    }

    [Theory]
    [InlineData("Hello, printer.\r\nSecond line\twith a tab\f")]
    [InlineData("Grüße aus Köln — ½ €")]
    public void Detect_Utf8Text_Text(string text)
    {
        Assert.Same(PrintDocumentFormats.Text, PrintDocumentFormats.Detect(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Detect_Utf8CutByTheWindow_StillText()
    {
        // 8191 ASCII bytes, then a three-byte character that the 8 KiB window cuts after its first byte.
        var bytes = Encoding.UTF8.GetBytes(new string('a', 8191) + "€ and more");

        Assert.Same(PrintDocumentFormats.Text, PrintDocumentFormats.Detect(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03 })]
    [InlineData(new byte[] { (byte)'a', (byte)'b', 0xC3, 0x28 })] // invalid UTF-8 (a lead byte and no continuation)
    [InlineData(new byte[] { (byte)'t', (byte)'e', 0x1B, (byte)'[', (byte)'2', (byte)'J' })] // a terminal escape
    [InlineData(new byte[0])]
    public void Detect_BinaryOrEmpty_OctetStream(byte[] bytes)
    {
        Assert.Same(PrintDocumentFormats.OctetStream, PrintDocumentFormats.Detect(bytes));
    }

    [Theory]
    [InlineData("pdf", "application/pdf")]
    [InlineData("PNG", "image/png")]
    [InlineData("jpg", "image/jpeg")]
    [InlineData("jpeg", "image/jpeg")]
    [InlineData("text", "text/plain")]
    public void FromName_KnownName_MimeType(string name, string mimeType)
    {
        Assert.Equal(mimeType, PrintDocumentFormats.FromName(name)!.MimeType);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("")]
    [InlineData(null)]
    public void FromName_AutoOrUnknown_Null(string? name)
    {
        Assert.Null(PrintDocumentFormats.FromName(name));
    }
}
