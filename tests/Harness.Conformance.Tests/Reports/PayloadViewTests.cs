using System.Text;
using Harness.Conformance.Engine;
using Harness.Conformance.Reports;
using Harness.Conformance.Tests.Support;

namespace Harness.Conformance.Tests.Reports;

public sealed class PayloadViewTests
{
    [Fact]
    public void Render_WellFormedSoap_PrettyPrintedWithPrefixesKept()
    {
        var view = PayloadView.Render(Encoding.UTF8.GetBytes(Samples.Probe));

        Assert.Equal(PayloadKind.Xml, view.Kind);
        Assert.StartsWith("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"", view.Body, StringComparison.Ordinal);
        Assert.Contains("\n  <s:Header>\n    <a:Action s:mustUnderstand=\"1\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>", view.Body, StringComparison.Ordinal);
        Assert.Equal(Samples.Probe, view.Exact);
    }

    [Fact]
    public void Render_Dtd_RefusedAndShownAsText()
    {
        const string billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>";

        var view = PayloadView.Render(Encoding.UTF8.GetBytes(billionLaughs));

        Assert.Equal(PayloadKind.Text, view.Kind);
        Assert.Equal(billionLaughs, view.Body);
        Assert.Contains("Not well-formed XML", view.Label, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Binary_HexDump()
    {
        var view = PayloadView.Render(Samples.Binary);

        Assert.Equal(PayloadKind.Binary, view.Kind);
        Assert.Equal("00000000  00 01 02 ff fe 3c 73 63  72 69 70 74 3e 7f 80 10  .....<script>...\n00000010  41                                                A\n", view.Body);
    }

    [Fact]
    public void Render_HttpWithXmlBody_HeadKeptBodyPretty()
    {
        var http = "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n\r\n<a><b>x</b></a>";

        var view = PayloadView.Render(Encoding.UTF8.GetBytes(http));

        Assert.Equal(PayloadKind.TextWithXmlBody, view.Kind);
        Assert.Equal("HTTP/1.1 200 OK\nContent-Type: application/soap+xml\n\n<a>\n  <b>x</b>\n</a>", view.Body);
    }

    [Fact]
    public void Render_Huge_Capped()
    {
        var view = PayloadView.Render(Encoding.UTF8.GetBytes(new string('a', 200_000)));

        Assert.True(view.Body.Length < PayloadView.MaxChars + 100);
        Assert.EndsWith("[134464 more characters not shown]", view.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "(empty)")]
    [InlineData("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n", "M-SEARCH * HTTP/1.1")]
    [InlineData("<iq type='get' id='1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>", "iq type=get \u203a query")]
    [InlineData("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>", "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("POST /svc HTTP/1.1\r\n\r\n<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope'><s:Header><a:Action xmlns:a='urn:a'>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</a:Action></s:Header></s:Envelope>", "POST /svc HTTP/1.1 \u00b7 Get")]
    public void Describe_CommonShapes_OneLine(string payload, string expected)
    {
        Assert.Equal(expected, MessageSummary.Describe(Encoding.UTF8.GetBytes(payload)));
    }
}
