using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Eventing;
using Harness.Dpws.Tests.Metadata;

namespace Harness.Dpws.Tests.Soap;

public sealed class SoapReaderTests
{
    private static readonly XNamespace Wse = DpwsNamespaces.Eventing;

    [Fact]
    public void Read_WsdApiGetResponseSample_TrimsPrettyPrintedAddressingHeaders()
    {
        var result = SoapReader.Read(Encoding.UTF8.GetBytes(MetadataVectors.WsdApiGetResponse));

        Assert.True(result.Success);
        Assert.True(result.IsSoap12);
        var header = result.Envelope!.Header;
        Assert.Equal("http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse", header.Action);
        Assert.Equal("urn:uuid:119dcdf5-fc0d-4d40-bf1f-de52dc292744", header.MessageId);
        Assert.Equal("urn:uuid:027bec45-c37c-466c-936c-68f648abe2bb", header.RelatesTo);
        Assert.Equal(DpwsNamespaces.AnonymousAddress, header.To);
        Assert.Equal(XName.Get("Metadata", DpwsNamespaces.Mex), result.Envelope.BodyElement!.Name);
        Assert.DoesNotContain(result.Violations, v => v.Severity != ViolationSeverity.Info);
    }

    [Fact]
    public void Read_HttpsSpelledNamespaces_UnderstoodAndReportedOncePerNamespace()
    {
        var result = SoapReader.Read(Encoding.UTF8.GetBytes(MetadataVectors.WsdApiGetResponseHttps));

        Assert.True(result.IsSoap12);
        Assert.Equal(DpwsActions.TransferGetResponse, result.Envelope!.Header.Action);
        Assert.Equal(XName.Get("Metadata", DpwsNamespaces.Mex), result.Envelope.BodyElement!.Name);
        var https = result.Violations.Where(v => v.RuleId == DpwsRuleIds.Namespace).ToList();
        Assert.Equal(4, https.Count);
        Assert.All(https, v => Assert.Contains("[Q-HTTPS-NS]", v.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SpecSubscribe_KeepsReplyToReferencePropertiesDetachedWithTheirNamespaces()
    {
        var result = SoapReader.Read(Encoding.UTF8.GetBytes(EventingVectors.SpecSubscribe));

        var replyTo = result.Envelope!.Header.ReplyTo!;
        Assert.Equal("http://www.example.com/MyEvEntsink", replyTo.Address);
        var property = Assert.Single(replyTo.ReferenceProperties);
        Assert.Null(property.Parent);
        Assert.Equal(XName.Get("MySubscription", "http://www.example.com/warnings"), property.Name);
        Assert.Equal("2597", property.Value);
        Assert.Equal("uuid:e1886c5c-5e86-48d1-8c77-fc1c28d47180", result.Envelope.Header.MessageId);
    }

    [Fact]
    public void Read_UnknownHeaderBlocks_KeptInOrderAsExtra()
    {
        var xml = TestKitEnvelope(extra: "<wse:Identifier xmlns:wse=\"http://schemas.xmlsoap.org/ws/2004/08/eventing\"> urn:uuid:abc </wse:Identifier><v:Vendor xmlns:v=\"urn:v\">1</v:Vendor>");

        var header = SoapReader.Read(Encoding.UTF8.GetBytes(xml)).Envelope!.Header;

        Assert.Equal([Wse + "Identifier", XName.Get("Vendor", "urn:v")], header.Extra.Select(e => e.Name));
        Assert.Equal("urn:uuid:abc", header.ExtraValue(Wse + "Identifier"));
    }

    [Fact]
    public void Read_DuplicateAction_FirstKeptAndReported()
    {
        var xml = TestKitEnvelope(extra: "<wsa:Action>urn:second</wsa:Action>");

        var result = SoapReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Equal("urn:first", result.Envelope!.Header.Action);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.AddressingHeader && v.Message.Contains("more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_W3cAddressing_UnderstoodAndWarned()
    {
        var xml = TestKitEnvelope().Replace("http://schemas.xmlsoap.org/ws/2004/08/addressing", "http://www.w3.org/2005/08/addressing", StringComparison.Ordinal);

        var result = SoapReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Equal("urn:first", result.Envelope!.Header.Action);
        Assert.Equal(DpwsNamespaces.Addressing10, result.Envelope.Header.AddressingNamespace);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.AddressingHeader && v.Severity == ViolationSeverity.Warning);
    }

    [Fact]
    public void Read_Soap11Envelope_ReadLenientlyWithEnvelopeError()
    {
        var xml = TestKitEnvelope().Replace(DpwsNamespaces.Soap12, DpwsNamespaces.Soap11, StringComparison.Ordinal);

        var result = SoapReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.True(result.Success);
        Assert.False(result.IsSoap12);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.Envelope && v.Severity == ViolationSeverity.Error);
        Assert.False(SoapReader.Read(Encoding.UTF8.GetBytes(xml), SoapReadOptions.Strict).Success);
    }

    [Theory]
    [InlineData("", SoapReadError.Empty)]
    [InlineData("   \r\n ", SoapReadError.Empty)]
    [InlineData("<soap:Envelope xmlns:soap='http://www.w3.org/2003/05/soap-envelope'><soap:Body>", SoapReadError.Malformed)]
    [InlineData("not xml at all", SoapReadError.Malformed)]
    [InlineData("<html><body>400 Bad Request</body></html>", SoapReadError.NotAnEnvelope)]
    public void Read_UnreadableInput_ErrorWithoutThrowing(string input, SoapReadError expected)
    {
        var result = SoapReader.Read(Encoding.UTF8.GetBytes(input));

        Assert.False(result.Success);
        Assert.Equal(expected, result.Error);
        Assert.NotEmpty(result.Violations);
    }

    [Fact]
    public void Read_BillionLaughs_RefusedAtTheDtd()
    {
        var bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
            <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>&lol4;</soap:Body></soap:Envelope>
            """;

        var result = SoapReader.Read(Encoding.UTF8.GetBytes(bomb));

        Assert.Equal(SoapReadError.DtdProhibited, result.Error);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.XmlDtd);
    }

    [Fact]
    public void Read_DeepNesting_RefusedByLimits()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 200)) + string.Concat(Enumerable.Repeat("</a>", 200));
        var xml = $"<soap:Envelope xmlns:soap='{DpwsNamespaces.Soap12}'><soap:Body>{deep}</soap:Body></soap:Envelope>";

        var result = SoapReader.Read(Encoding.UTF8.GetBytes(xml), new SoapReadOptions(Limits: new XmlLimits(MaxDepth: 32)));

        Assert.Equal(SoapReadError.LimitsExceeded, result.Error);
    }

    [Fact]
    public void Read_Soap12Fault_CodeSubcodeReasonDetail()
    {
        var xml = """
            <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:e="http://schemas.xmlsoap.org/ws/2004/08/eventing">
              <s:Header><a:Action>http://schemas.xmlsoap.org/ws/2004/08/addressing/fault</a:Action><a:RelatesTo>urn:uuid:1</a:RelatesTo></s:Header>
              <s:Body><s:Fault>
                <s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>e:InvalidExpirationTime</s:Value></s:Subcode></s:Code>
                <s:Reason><s:Text xml:lang="de">Ungültig</s:Text><s:Text xml:lang="en">The expiration time requested is invalid.</s:Text></s:Reason>
                <s:Detail><e:Extra>1</e:Extra></s:Detail>
              </s:Fault></s:Body>
            </s:Envelope>
            """;

        var fault = SoapReader.Read(Encoding.UTF8.GetBytes(xml)).Envelope!.Fault!;

        Assert.Equal(SoapFault.Sender, fault.Code);
        Assert.Equal(Wse + "InvalidExpirationTime", fault.Subcode);
        Assert.Equal("The expiration time requested is invalid.", fault.Reason);
        Assert.Equal("en", fault.ReasonLanguage);
        Assert.Equal(Wse + "Extra", Assert.Single(fault.Detail).Name);
    }

    [Fact]
    public void Read_FaultWithUndeclaredSubcodePrefix_Reported()
    {
        var xml = """<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>nope:Thing</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">x</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>""";

        var result = SoapReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Null(result.Envelope!.Fault!.Subcode);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.Envelope && v.Message.Contains("nope:Thing", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NoBody_Reported()
    {
        var xml = $"<soap:Envelope xmlns:soap='{DpwsNamespaces.Soap12}'><soap:Header/></soap:Envelope>";

        var result = SoapReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.Envelope && v.Message.Contains("no Body", StringComparison.Ordinal));
    }

    private static string TestKitEnvelope(string extra = "") =>
        $"""<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"><soap:Header><wsa:Action>urn:first</wsa:Action><wsa:MessageID>urn:uuid:1</wsa:MessageID>{extra}</soap:Header><soap:Body/></soap:Envelope>""";
}
