using System.Text;
using System.Xml.Linq;
using Harness.Core.Xml;

namespace Harness.Core.Tests.Xml;

public sealed class SafeXmlTests
{
    // The classic exponential entity expansion ("billion laughs"): a few hundred bytes that would expand to GBs.
    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <lolz>&lol9;</lolz>
        """;

    // A WS-Discovery Probe as Windows/ONVIF clients send it (2005/04 family), with a default namespace on Types'
    // content, prefixed attributes and xml:lang, to check that names and namespaces survive loading.
    private const string Probe = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
                       xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
                       xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery"
                       xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
          <soap:Header>
            <wsa:To soap:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>
            <wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>
            <wsa:MessageID>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsa:MessageID>
          </soap:Header>
          <soap:Body>
            <wsd:Probe>
              <wsd:Types>dn:NetworkVideoTransmitter</wsd:Types>
              <wsd:Scopes xml:lang="en" MatchBy="http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc2396"><![CDATA[onvif://www.onvif.org/]]></wsd:Scopes>
              <Extra xmlns="urn:example:default">text</Extra>
            </wsd:Probe>
          </soap:Body>
        </soap:Envelope>
        """;

    private static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    private static readonly XNamespace Wsa = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    private static readonly XNamespace Wsd = "http://schemas.xmlsoap.org/ws/2005/04/discovery";

    [Fact]
    public void Load_BillionLaughs_IsRefusedAsDtdBeforeExpansion()
    {
        var result = SafeXml.Load(Encoding.UTF8.GetBytes(BillionLaughs));

        Assert.False(result.Success);
        Assert.Equal(XmlLoadError.DtdProhibited, result.Error);
        Assert.Null(result.Document);
    }

    [Fact]
    public void Load_ExternalEntity_IsRefusedAsDtd()
    {
        const string xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <foo>&xxe;</foo>
            """;

        var result = SafeXml.Load(Encoding.UTF8.GetBytes(xxe));

        Assert.Equal(XmlLoadError.DtdProhibited, result.Error);
    }

    [Fact]
    public void Load_ExternalDtdWithoutInternalSubset_IsRefusedAsDtd()
    {
        var result = SafeXml.Load("""<!DOCTYPE x SYSTEM "http://203.0.113.1/x.dtd"><x/>"""u8);

        Assert.Equal(XmlLoadError.DtdProhibited, result.Error);
    }

    [Fact]
    public void Load_UndeclaredEntityReference_IsMalformed()
    {
        var result = SafeXml.Load("<a>&ghost;</a>"u8);

        Assert.Equal(XmlLoadError.Malformed, result.Error);
    }

    [Fact]
    public void Load_NestedDeeperThanTheLimit_IsRefusedAsTooDeep()
    {
        var limits = new XmlLimits(MaxDepth: 8);
        var tooDeep = string.Concat(Enumerable.Repeat("<a>", 9)) + string.Concat(Enumerable.Repeat("</a>", 9));
        var atLimit = string.Concat(Enumerable.Repeat("<a>", 8)) + string.Concat(Enumerable.Repeat("</a>", 8));

        Assert.Equal(XmlLoadError.TooDeep, SafeXml.Load(Encoding.UTF8.GetBytes(tooDeep), limits).Error);
        Assert.True(SafeXml.Load(Encoding.UTF8.GetBytes(atLimit), limits).Success);
    }

    [Fact]
    public void Load_HundredThousandLevels_IsRefusedWithoutStackOverflow()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100_000));

        var result = SafeXml.Load(Encoding.UTF8.GetBytes(deep));

        Assert.Equal(XmlLoadError.TooDeep, result.Error);
    }

    [Fact]
    public void Load_LargerThanTheLimit_IsRefusedAsTooLarge()
    {
        var limits = new XmlLimits(MaxBytes: 1024);
        var large = "<a>" + new string('x', 2000) + "</a>";

        var result = SafeXml.Load(Encoding.UTF8.GetBytes(large), limits);

        Assert.Equal(XmlLoadError.TooLarge, result.Error);
    }

    [Fact]
    public void Load_StreamLargerThanTheLimit_IsRefusedAsTooLarge()
    {
        var limits = new XmlLimits(MaxBytes: 1024);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("<a>" + new string('x', 5000) + "</a>"));

        var result = SafeXml.Load(stream, limits);

        Assert.Equal(XmlLoadError.TooLarge, result.Error);
    }

    [Fact]
    public void Load_TooManyElements_IsRefused()
    {
        var limits = new XmlLimits(MaxElements: 10);
        var many = "<r>" + string.Concat(Enumerable.Repeat("<e/>", 10)) + "</r>";

        Assert.Equal(XmlLoadError.TooManyNodes, SafeXml.Load(Encoding.UTF8.GetBytes(many), limits).Error);
    }

    [Fact]
    public void Load_TooManyAttributes_IsRefused()
    {
        var limits = new XmlLimits(MaxAttributesPerElement: 3);
        var result = SafeXml.Load("""<r a="1" b="2" c="3" d="4"/>"""u8, limits);

        Assert.Equal(XmlLoadError.TooManyNodes, result.Error);
    }

    [Theory]
    [InlineData("<a><b>")]
    [InlineData("<a><b></a>")]
    [InlineData("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Bo")]
    [InlineData("<a></a><b></b>")]
    [InlineData("<p:a/>")]
    public void Load_TruncatedOrMalformed_IsMalformedWithAPosition(string xml)
    {
        var result = SafeXml.Load(Encoding.UTF8.GetBytes(xml));

        Assert.Equal(XmlLoadError.Malformed, result.Error);
        Assert.NotNull(result.Message);
        Assert.True(result.LineNumber >= 1);
    }

    [Fact]
    public void Load_InvalidUtf8_IsMalformed()
    {
        var result = SafeXml.Load([.. "<a>"u8, 0xC3, 0x28, .. "</a>"u8]);

        Assert.Equal(XmlLoadError.Malformed, result.Error);
    }

    [Fact]
    public void Load_Empty_IsEmpty()
    {
        Assert.Equal(XmlLoadError.Empty, SafeXml.Load([]).Error);
        Assert.Equal(XmlLoadError.Empty, SafeXml.Load("   "u8).Error);
    }

    [Fact]
    public void Load_WsdProbe_PreservesNamesNamespacesAndValues()
    {
        var result = SafeXml.Load(Encoding.UTF8.GetBytes(Probe));

        Assert.True(result.Success, result.Message);
        var root = result.Document!.Root!;
        Assert.Equal(Soap + "Envelope", root.Name);
        var header = root.Element(Soap + "Header")!;
        Assert.Equal("urn:schemas-xmlsoap-org:ws:2005:04:discovery", header.Element(Wsa + "To")!.Value);
        Assert.Equal("true", header.Element(Wsa + "To")!.Attribute(Soap + "mustUnderstand")!.Value);
        var probe = root.Element(Soap + "Body")!.Element(Wsd + "Probe")!;
        var types = probe.Element(Wsd + "Types")!;
        Assert.Equal("dn:NetworkVideoTransmitter", types.Value);

        // A QName in content resolves through the in-scope prefix declarations (WSD-MSG-017).
        Assert.Equal("http://www.onvif.org/ver10/network/wsdl", types.GetNamespaceOfPrefix("dn")?.NamespaceName);
        var scopes = probe.Element(Wsd + "Scopes")!;
        Assert.Equal("onvif://www.onvif.org/", scopes.Value);
        Assert.Equal("en", scopes.Attribute(XNamespace.Xml + "lang")!.Value);
        Assert.Equal("http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc2396", scopes.Attribute("MatchBy")!.Value);
        Assert.Equal("text", probe.Element(XName.Get("Extra", "urn:example:default"))!.Value);
    }

    [Fact]
    public void Load_DefaultNamespaceDeclaration_DocumentCanBeWrittenBackWithItsPrefixes()
    {
        var result = SafeXml.Load(Encoding.UTF8.GetBytes(Probe));

        var written = result.Document!.ToString(SaveOptions.DisableFormatting);

        Assert.Contains("<soap:Envelope", written, StringComparison.Ordinal);
        Assert.Contains("<wsd:Types>dn:NetworkVideoTransmitter</wsd:Types>", written, StringComparison.Ordinal);
        Assert.Contains("<Extra xmlns=\"urn:example:default\">text</Extra>", written, StringComparison.Ordinal);
        var reloaded = XDocument.Parse(written);
        Assert.Equal(XName.Get("Extra", "urn:example:default"), reloaded.Descendants().Last().Name);
    }

    [Fact]
    public void Load_DefaultNamespaceOnRoot_ElementsAreInThatNamespace()
    {
        var result = SafeXml.Load("""<root xmlns="urn:x"><child a="1"/></root>"""u8);

        Assert.True(result.Success, result.Message);
        var root = result.Document!.Root!;
        Assert.Equal(XName.Get("root", "urn:x"), root.Name);
        Assert.Equal(XName.Get("child", "urn:x"), root.Elements().Single().Name);
        Assert.Equal("1", root.Elements().Single().Attribute("a")!.Value);
        Assert.Equal("""<root xmlns="urn:x"><child a="1" /></root>""", root.ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public void Load_Utf16WithBom_IsDecoded()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<a>é</a>")).ToArray();

        var result = SafeXml.Load(bytes);

        Assert.True(result.Success, result.Message);
        Assert.Equal("é", result.Document!.Root!.Value);
    }

    [Fact]
    public void Load_MixedContent_KeepsTextInOrder()
    {
        var result = SafeXml.Load("<a>one<b>two</b>three</a>"u8);

        Assert.Equal("onetwothree", result.Document!.Root!.Value);
        Assert.Equal(3, result.Document.Root.Nodes().Count());
    }
}
