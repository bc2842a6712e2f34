using System.Text;
using System.Xml.Linq;
using Harness.Xmpp.Core;
using Harness.Xmpp.Streams;

namespace Harness.Xmpp.Tests.Core;

public sealed class XmppStreamWriterTests
{
    [Fact]
    public void Header_ClientStream_Rfc6120Section4_7Attributes()
    {
        var bytes = XmppStreamWriter.Header(XmppNamespaces.Client, "localhost", null, null, "1.0");

        Assert.Equal(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Header_ValueWithQuote_Escaped()
    {
        var text = Encoding.UTF8.GetString(XmppStreamWriter.Header(XmppNamespaces.ComponentAccept, "a'b<c", null, null, null));

        Assert.Contains("to='a&apos;b&lt;c'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Stanza_ContentNamespace_WrittenUnqualifiedPayloadKeepsItsNamespace()
    {
        var iq = new XElement(
            XmppNamespaces.Client + "iq",
            new XAttribute("type", "get"),
            new XAttribute("id", "1"),
            new XElement(XName.Get("query", "http://jabber.org/protocol/disco#info")));

        var text = Encoding.UTF8.GetString(XmppStreamWriter.Stanza(iq, XmppNamespaces.Client));

        Assert.Equal("<iq type=\"get\" id=\"1\"><query xmlns=\"http://jabber.org/protocol/disco#info\" /></iq>", text);
    }

    [Fact]
    public void Stanza_ClientStanzaOnComponentStream_TakesTheStreamNamespace()
    {
        var presence = new XElement(XmppNamespaces.Client + "presence", new XAttribute("xmlns", "jabber:client"), new XElement(XmppNamespaces.Client + "status", "x"));

        var text = Encoding.UTF8.GetString(XmppStreamWriter.Stanza(presence, XmppNamespaces.ComponentAccept));

        Assert.Equal("<presence><status>x</status></presence>", text);
    }

    [Fact]
    public void Stanza_ForwardedMessageInsideForeignNamespace_KeepsItsOwnDeclaration()
    {
        XNamespace forward = "urn:xmpp:forward:0";
        var message = new XElement(
            XmppNamespaces.Client + "message",
            new XElement(forward + "forwarded", new XElement(XmppNamespaces.Client + "message", new XElement(XmppNamespaces.Client + "body", "inner"))));

        var text = Encoding.UTF8.GetString(XmppStreamWriter.Stanza(message, XmppNamespaces.Client));
        var reparsed = XElement.Parse("<r xmlns='jabber:client'>" + text + "</r>");

        Assert.Equal("inner", reparsed.Descendants(XmppNamespaces.Client + "body").Single().Value);
        Assert.Equal(forward + "forwarded", reparsed.Elements().Single().Elements().Single().Name);
    }

    [Fact]
    public void Stanza_InputNotModified()
    {
        var iq = new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"));

        _ = XmppStreamWriter.Stanza(iq, XmppNamespaces.Client);

        Assert.Equal(XmppNamespaces.Client + "iq", iq.Name);
    }

    [Fact]
    public void StreamError_Condition_Rfc6120Section4_9Shape()
    {
        var text = Encoding.UTF8.GetString(XmppStreamWriter.StreamError("policy-violation", "too big"));

        Assert.EndsWith("</stream:stream>", text, StringComparison.Ordinal);
        var error = XElement.Parse(text[..^"</stream:stream>".Length]);
        Assert.Equal(XmppNamespaces.Streams + "error", error.Name);
        Assert.NotNull(error.Element(XmppNamespaces.StreamErrors + "policy-violation"));
        Assert.Equal("too big", error.Element(XmppNamespaces.StreamErrors + "text")?.Value);
    }
}
