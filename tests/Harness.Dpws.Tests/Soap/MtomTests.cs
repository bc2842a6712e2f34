using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Tests.Soap;

public sealed class MtomTests
{
    private static readonly byte[] Envelope = Encoding.UTF8.GetBytes("""<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><x:Data xmlns:x="urn:x"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:image1@harness"/></x:Data></soap:Body></soap:Envelope>""");

    [Fact]
    public void Read_XopSpecExample2_RootAndTwoPartsByContentId()
    {
        var result = MtomReader.Read(MtomVectors.XopSpecPackage, MediaType.Parse(MtomVectors.XopSpecContentType));

        Assert.True(result.Success);
        var package = result.Package!;
        Assert.Equal("mymessage.xml@example.org", package.Root.ContentId);
        Assert.Equal(2, package.Attachments.Count);
        // The example leaves a blank line before each delimiter: by RFC 2046 only the CRLF right before "--" belongs
        // to the delimiter, so each part's content ends with the other CRLF.
        Assert.Equal("// binary octets for png\r\n", Encoding.ASCII.GetString(package.Find("cid:http://example.org/me.png")!.Content.Span));
        Assert.Equal("// binary octets for signature\r\n", Encoding.ASCII.GetString(package.Find("cid:http://example.org/my.hsh")!.Content.Span));
        var envelope = SoapReader.Read(package.Root.Content.Span).Envelope!;
        var photo = envelope.BodyElement!.Element(XName.Get("photo", "http://example.org/stuff"))!;
        var violations = new List<Violation>();
        Assert.Equal("// binary octets for png\r\n", Encoding.ASCII.GetString(XopContent.Read(photo, package, violations)!.Value.Span));
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Write_OnePart_ExactLayout()
    {
        var bytes = MtomWriter.Write("B1", Encoding.ASCII.GetBytes("<e/>"), [new MtomAttachment("image1@harness", "image/png") { Content = new byte[] { 1, 2, 3 } }]);

        var expected = "--B1\r\nContent-Type: application/xop+xml; charset=utf-8; type=\"application/soap+xml\"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root.envelope@harness>\r\n\r\n<e/>"
            + "\r\n--B1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <image1@harness>\r\n\r\n\u0001\u0002\u0003\r\n--B1--\r\n";
        Assert.Equal(expected, Encoding.Latin1.GetString(bytes));
        Assert.Equal("multipart/related; type=\"application/xop+xml\"; boundary=\"B1\"; start=\"<root.envelope@harness>\"; start-info=\"application/soap+xml\"", MtomWriter.ContentType("B1"));
    }

    [Fact]
    public void WriteThenRead_BinaryWithCrLfAndDashes_ContentExact()
    {
        var binary = new byte[4096];
        new Random(3).NextBytes(binary);
        Encoding.ASCII.GetBytes("\r\n--MIMEBoundary_\r\n").CopyTo(binary, 100);
        var boundary = MtomWriter.NewBoundary(new Random(1));

        var bytes = MtomWriter.Write(boundary, Envelope, [new MtomAttachment("image1@harness", "image/png") { Content = binary }]);
        var result = MtomReader.Read(bytes, MediaType.Parse(MtomWriter.ContentType(boundary)));

        Assert.Empty(result.Violations);
        Assert.Equal(Envelope, result.Package!.Root.Content.ToArray());
        Assert.Equal(binary, result.Package.Find("cid:image1@harness")!.Content.ToArray());
    }

    [Fact]
    public async Task WriteAsync_StreamingProducer_SameBytesAsInMemory()
    {
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var inMemory = MtomWriter.Write("B2", Envelope, [new MtomAttachment("a@h", "application/octet-stream") { Content = data }]);
        using var stream = new MemoryStream();

        await MtomWriter.WriteAsync(stream, "B2", Envelope, [new MtomAttachment("a@h", "application/octet-stream") { WriteContentAsync = async (s, ct) => { foreach (var chunk in data.Chunk(8192)) { await s.WriteAsync(chunk, ct); } } }], cancellationToken: CancellationToken.None);

        Assert.Equal(inMemory, stream.ToArray());
    }

    [Fact]
    public void Write_BoundaryInsideContent_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => MtomWriter.Write("B3", Envelope, [new MtomAttachment("a@h", "x/y") { Content = Encoding.ASCII.GetBytes("xx--B3yy") }]));
    }

    [Fact]
    public void Read_LfOnlyNoStartNoClosingDelimiter_UnderstoodAndReported()
    {
        var body = Encoding.ASCII.GetBytes("preamble\n--b\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\ncontent-id: root\n\n<e/>\n--b\nCONTENT-ID: <p1>\ncontent-type: image/jpeg\n\nJPEGDATA");

        var result = MtomReader.Read(body, MediaType.Parse("multipart/related; boundary=b; type=\"application/xop+xml\""));

        Assert.True(result.Success);
        Assert.Equal("<e/>", Encoding.ASCII.GetString(result.Package!.Root.Content.Span));
        Assert.Equal("JPEGDATA", Encoding.ASCII.GetString(result.Package.Find("<p1>")!.Content.Span));
        Assert.Contains(result.Violations, v => v.Message.Contains("LF instead of CRLF", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.Message.Contains("no closing delimiter", StringComparison.Ordinal) && v.Severity == ViolationSeverity.Error);
        Assert.Contains(result.Violations, v => v.Message.Contains("no start parameter", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.Message.Contains("preamble", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Base64Part_Decoded()
    {
        var body = Encoding.ASCII.GetBytes("--b\r\nContent-Type: application/xop+xml\r\nContent-ID: <r>\r\n\r\n<e/>\r\n--b\r\nContent-ID: <p>\r\nContent-Transfer-Encoding: base64\r\n\r\nAQID\r\n--b--\r\n");

        var result = MtomReader.Read(body, MediaType.Parse("multipart/related; boundary=\"b\"; start=\"<r>\"; type=\"application/xop+xml\""));

        Assert.Equal(new byte[] { 1, 2, 3 }, result.Package!.Find("p")!.Content.ToArray());
    }

    [Theory]
    [InlineData("multipart/related; type=\"application/xop+xml\"")]
    [InlineData("application/soap+xml")]
    public void Read_NoBoundaryOrNotMultipart_FailsWithoutThrowing(string contentType)
    {
        var result = MtomReader.Read(Envelope, MediaType.Parse(contentType));

        Assert.False(result.Success);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void Read_TooManyParts_Refused()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            body.Append("--b\r\nContent-ID: <p").Append(i).Append(">\r\n\r\nx\r\n");
        }

        body.Append("--b--\r\n");

        var result = MtomReader.Read(Encoding.ASCII.GetBytes(body.ToString()), MediaType.Parse("multipart/related; boundary=b"), new MtomReadOptions(MaxParts: 16));

        Assert.False(result.Success);
    }

    [Fact]
    public void XopContentRead_InlineBase64AndDanglingInclude()
    {
        var violations = new List<Violation>();
        var inline = new XElement("Data", "AQID");
        var dangling = new XElement("Data", MtomWriter.Include("missing@h"));

        Assert.Equal(new byte[] { 1, 2, 3 }, XopContent.Read(inline, null, violations)!.Value.ToArray());
        Assert.Null(XopContent.Read(dangling, null, violations));
        Assert.Contains(violations, v => v.RuleId == DpwsRuleIds.Mtom);
    }

    [Fact]
    public void MediaTypeParse_QuotedParametersWithSemicolonsAndEscapes()
    {
        var type = MediaType.Parse("Multipart/Related; boundary=\"a;b\"; start-info=\"application/soap+xml; action=\\\"urn:x\\\"\"; junk; type=application/xop+xml");

        Assert.Equal("multipart/related", type.Value);
        Assert.Equal("a;b", type["BOUNDARY"]);
        Assert.Equal("application/soap+xml; action=\"urn:x\"", type["start-info"]);
        Assert.Equal("application/xop+xml", type["type"]);
    }
}
