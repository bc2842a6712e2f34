using System.Text;
using System.Xml.Linq;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Tests.Soap;

public sealed class SoapWriterTests
{
    private static readonly XNamespace Wse = DpwsNamespaces.Eventing;

    [Fact]
    public void Write_FaultReply_ExactBytes()
    {
        var request = new SoapEnvelope { Header = new SoapHeader { Action = "urn:x", MessageId = "urn:uuid:11111111-1111-4111-8111-111111111111", ReplyTo = WsaEndpointReference.Anonymous } };
        var fault = SoapEnvelope.FaultReply(request, SoapFault.ActionNotSupported("urn:x"), "urn:uuid:22222222-2222-4222-8222-222222222222");

        var text = SoapWriter.WriteString(fault);

        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<soap:Envelope xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">"
            + "<soap:Header><wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
            + "<wsa:Action>http://schemas.xmlsoap.org/ws/2004/08/addressing/fault</wsa:Action>"
            + "<wsa:MessageID>urn:uuid:22222222-2222-4222-8222-222222222222</wsa:MessageID>"
            + "<wsa:RelatesTo>urn:uuid:11111111-1111-4111-8111-111111111111</wsa:RelatesTo></soap:Header>"
            + "<soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value>wsa:ActionNotSupported</soap:Value></soap:Subcode></soap:Code>"
            + "<soap:Reason><soap:Text xml:lang=\"en\">The [action] cannot be processed at the receiver.</soap:Text></soap:Reason>"
            + "<soap:Detail><wsa:Action>urn:x</wsa:Action></soap:Detail></soap:Fault></soap:Body></soap:Envelope>",
            text);
    }

    [Fact]
    public void Write_SameRecordTwice_SameBytes()
    {
        var envelope = SoapEnvelope.Request("urn:a", "urn:uuid:dev", "urn:uuid:1", new XElement(Wse + "GetStatus"));

        Assert.Equal(SoapWriter.Write(envelope), SoapWriter.Write(envelope));
    }

    [Fact]
    public void Write_SubcodeInUndeclaredNamespace_DeclaredOnTheValue()
    {
        var envelope = new SoapEnvelope { Header = new SoapHeader { Action = DpwsNamespaces.AddressingFaultAction }, Fault = new SoapFault(SoapFault.Sender, "r") { Subcode = Wse + "InvalidExpirationTime" } };

        var read = SoapReader.Read(SoapWriter.Write(envelope));

        Assert.Equal(Wse + "InvalidExpirationTime", read.Envelope!.Fault!.Subcode);
        Assert.Contains("xmlns:wse=\"http://schemas.xmlsoap.org/ws/2004/08/eventing\">wse:InvalidExpirationTime", SoapWriter.WriteString(envelope), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EchoedReferenceParameterWithQNameContent_KeepsItsPrefixBinding()
    {
        // A reference parameter whose content is a QName declared on the envelope only: echoed alone, it must carry
        // the declaration along (WS-Addressing 2004/08 §3.3 copies reference parameters as header blocks).
        var source = """<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:v="urn:vendor"><soap:Header><wsa:ReplyTo><wsa:Address>http://client/x</wsa:Address><wsa:ReferenceParameters><v:Kind>v:Scan</v:Kind></wsa:ReferenceParameters></wsa:ReplyTo><wsa:MessageID>urn:uuid:1</wsa:MessageID><wsa:Action>urn:a</wsa:Action></soap:Header><soap:Body/></soap:Envelope>""";
        var request = SoapReader.Read(Encoding.UTF8.GetBytes(source)).Envelope!;

        var reply = SoapEnvelope.Reply(request, "urn:b", "urn:uuid:2");
        var echoed = SoapReader.Read(SoapWriter.Write(reply)).Envelope!;

        Assert.Equal("http://client/x", echoed.Header.To);
        var kind = Assert.Single(echoed.Header.Extra);
        Assert.Equal(XName.Get("Kind", "urn:vendor"), kind.Name);
        Assert.Equal(XNamespace.Get("urn:vendor"), kind.GetNamespaceOfPrefix("v"));
    }

    [Fact]
    public void Write_ValueXmlCannotCarry_ArgumentException()
    {
        var envelope = SoapEnvelope.Request("urn:a\u0001", "urn:b", "urn:uuid:1");

        Assert.Throws<ArgumentException>(() => SoapWriter.Write(envelope));
    }

    [Fact]
    public void WriteThenRead_RequestHeaders_RoundTrip()
    {
        var envelope = new SoapEnvelope
        {
            Header = new SoapHeader
            {
                Action = "urn:a",
                MessageId = "urn:uuid:1",
                To = "http://d/x",
                ReplyTo = WsaEndpointReference.Anonymous,
                From = new WsaEndpointReference("urn:uuid:me"),
                FaultTo = new WsaEndpointReference("http://faults") { ReferenceParameters = [new XElement(Wse + "Identifier", "id-1")] },
                Extra = [new XElement(XName.Get("Vendor", "urn:v"), "1")],
            },
            Body = [new XElement(Wse + "GetStatus")],
            Namespaces = [new("wse", DpwsNamespaces.Eventing)],
        };

        var read = SoapReader.Read(SoapWriter.Write(envelope));

        Assert.Empty(read.Violations);
        var header = read.Envelope!.Header;
        Assert.Equal(("urn:a", "urn:uuid:1", "http://d/x"), (header.Action, header.MessageId, header.To));
        Assert.True(header.ReplyTo!.IsAnonymous);
        Assert.Equal("urn:uuid:me", header.From!.Address);
        Assert.Equal("id-1", header.FaultTo!.ReferenceValue(Wse + "Identifier"));
        Assert.Equal(XName.Get("Vendor", "urn:v"), Assert.Single(header.Extra).Name);
        Assert.Equal(Wse + "GetStatus", read.Envelope.BodyElement!.Name);
        Assert.Contains("<wse:GetStatus />", SoapWriter.WriteString(envelope), StringComparison.Ordinal);
    }
}
