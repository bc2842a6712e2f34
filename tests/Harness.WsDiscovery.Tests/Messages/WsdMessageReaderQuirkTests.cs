using System.Text;
using Harness.Core.Diagnostics;
using Harness.WsDiscovery.Messages;
using static Harness.WsDiscovery.Tests.Messages.WsdVectors;

namespace Harness.WsDiscovery.Tests.Messages;

/// <summary>
/// The deviations of wsd.md §1.1 and the quirks of §2, one at a time, in otherwise clean messages: lenient mode
/// understands them and says so; strict mode refuses the ones that break a MUST.
/// </summary>
public sealed class WsdMessageReaderQuirkTests
{
    private const string Soap12 = "http://www.w3.org/2003/05/soap-envelope";
    private const string Wsa2004 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    private const string Wsa2005 = "http://www.w3.org/2005/08/addressing";
    private const string D2005 = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    private const string D11 = "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01";
    private const string Id1 = "urn:uuid:11111111-2222-3333-4444-555555555555";
    private const string Id2 = "urn:uuid:66666666-7777-8888-9999-000000000000";

    private static string Envelope(string header, string body, string discovery = D2005, string addressing = Wsa2004, string soap = Soap12, string extra = "") =>
        $"<s:Envelope xmlns:s=\"{soap}\" xmlns:a=\"{addressing}\" xmlns:d=\"{discovery}\"{extra}><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>";

    private static string MatchesHeader(string discovery = D2005, string? to = null, string appSequence = "<d:AppSequence InstanceId=\"1\" MessageNumber=\"1\"/>")
    {
        var anonymous = discovery == D2005 ? Wsa2004 + "/role/anonymous" : Wsa2005 + "/anonymous";
        return $"<a:Action>{discovery}/ProbeMatches</a:Action><a:MessageID>{Id2}</a:MessageID><a:RelatesTo>{Id1}</a:RelatesTo><a:To>{to ?? anonymous}</a:To>{appSequence}";
    }

    private static string ProbeHeader(string discovery = D2005)
    {
        var to = discovery == D2005 ? "urn:schemas-xmlsoap-org:ws:2005:04:discovery" : "urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01";
        return $"<a:Action>{discovery}/Probe</a:Action><a:MessageID>{Id1}</a:MessageID><a:To>{to}</a:To>";
    }

    private static string Match(string types = "", string scopes = "", string version = "<d:MetadataVersion>1</d:MetadataVersion>") =>
        $"<d:ProbeMatch><a:EndpointReference><a:Address>{Id1}</a:Address></a:EndpointReference>{types}{scopes}{version}</d:ProbeMatch>";

    private static WsdReadResult ReadText(string xml, ReadMode mode = ReadMode.Lenient) =>
        WsdMessageReader.Read(Encoding.UTF8.GetBytes(xml), new WsdReadOptions(mode));

    [Fact]
    public void Read_CleanProbeMatches_HasNoViolations()
    {
        var result = ReadText(Envelope(MatchesHeader(), $"<d:ProbeMatches>{Match()}</d:ProbeMatches>"));

        Assert.IsType<WsdProbeMatches>(result.Message);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void Read_Soap11Envelope_IsAnErrorButUnderstoodInLenientMode()
    {
        var xml = Envelope(ProbeHeader(), "<d:Probe/>", soap: "http://schemas.xmlsoap.org/soap/envelope/");

        var lenient = ReadText(xml);
        var strict = ReadText(xml, ReadMode.Strict);

        Assert.IsType<WsdProbe>(lenient.Message);
        HasViolation(lenient, WsdRuleIds.Envelope, ViolationSeverity.Error, "SOAP 1.1");
        Assert.Null(strict.Message);
    }

    [Fact]
    public void Read_Soap11Fault_ReadsFaultcodeAndFaultstring()
    {
        var xml = Envelope(
            $"<a:Action>{D2005}/fault</a:Action><a:RelatesTo>{Id1}</a:RelatesTo>",
            "<s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring></s:Fault>",
            soap: "http://schemas.xmlsoap.org/soap/envelope/");

        var fault = Assert.IsType<WsdFault>(ReadText(xml).Message);

        Assert.Equal(new WsdQName("http://schemas.xmlsoap.org/soap/envelope/", "Client"), fault.Code);
        Assert.Equal("no", fault.Reason);
    }

    [Fact]
    public void Read_RootIsNotAnEnvelope_ReturnsNoMessageWithWsdMsg001()
    {
        var result = ReadText($"<d:Probe xmlns:d=\"{D2005}\"/>");

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.Envelope, ViolationSeverity.Error, "not a SOAP 1.2 Envelope");
    }

    [Fact]
    public void Read_EverythingInAForeignNamespace_ReturnsNoMessage()
    {
        var result = ReadText("<s:Envelope xmlns:s=\"urn:evil\"><s:Body><s:Probe/></s:Body></s:Envelope>");

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.Envelope, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_EmptyBody_ReturnsNoMessage()
    {
        var result = ReadText(Envelope(ProbeHeader(), string.Empty));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.Envelope, ViolationSeverity.Error, "Body is empty");
    }

    [Fact]
    public void Read_BodyElementNotADiscoveryMessage_ReturnsNoMessageWithWsdMsg003()
    {
        var result = ReadText(Envelope(ProbeHeader(), "<d:Inquire/>"));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.Action, ViolationSeverity.Error, "not a WS-Discovery message");
    }

    [Fact]
    public void Read_TwoEnvelopesInOneDatagram_ReportsOneEnvelopePerDatagram()
    {
        var one = Envelope(ProbeHeader(), "<d:Probe/>");

        var result = ReadText(one + one);

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.Envelope, ViolationSeverity.Error, "more than one root");
        HasViolation(result, WsdRuleIds.XmlWellFormed, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_ActionNamingAnotherMessage_IsWsdMsg003Error()
    {
        var header = ProbeHeader().Replace("/Probe<", "/Resolve<", StringComparison.Ordinal);

        var result = ReadText(Envelope(header, "<d:Probe/>"));

        Assert.IsType<WsdProbe>(result.Message);
        HasViolation(result, WsdRuleIds.Action, ViolationSeverity.Error, "requires 'http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe'");
    }

    [Fact]
    public void Read_ActionWithWrongCase_IsWsdMsg003Error()
    {
        var header = ProbeHeader().Replace("/Probe<", "/probe<", StringComparison.Ordinal);

        HasViolation(ReadText(Envelope(header, "<d:Probe/>")), WsdRuleIds.Action, ViolationSeverity.Error, "case-sensitive");
    }

    [Fact]
    public void Read_ActionOfTheOtherFamily_IsWsdMsg002Error()
    {
        var header = ProbeHeader().Replace(D2005 + "/Probe", D11 + "/Probe", StringComparison.Ordinal);

        HasViolation(ReadText(Envelope(header, "<d:Probe/>")), WsdRuleIds.MixedFamilies, ViolationSeverity.Error, "wsa:Action");
    }

    [Fact]
    public void Read_2005BodyWithW3cAddressingHeaders_IsWsdMsg002Error()
    {
        var result = ReadText(Envelope(ProbeHeader(), "<d:Probe/>", addressing: Wsa2005));

        Assert.IsType<WsdProbe>(result.Message);
        HasViolation(result, WsdRuleIds.MixedFamilies, ViolationSeverity.Error, "WS-Addressing header");
    }

    [Fact]
    public void Read_MulticastUrnOfTheOtherFamily_IsWsdMsg002Error()
    {
        var header = ProbeHeader().Replace("urn:schemas-xmlsoap-org:ws:2005:04:discovery", "urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01", StringComparison.Ordinal);

        HasViolation(ReadText(Envelope(header, "<d:Probe/>")), WsdRuleIds.MixedFamilies, ViolationSeverity.Error, "multicast URN");
    }

    [Fact]
    public void Read_ProbeWithoutTo_IsWsdMsg006Error()
    {
        var header = $"<a:Action>{D2005}/Probe</a:Action><a:MessageID>{Id1}</a:MessageID>";

        var result = ReadText(Envelope(header, "<d:Probe/>"));

        Assert.IsType<WsdProbe>(result.Message);
        HasViolation(result, WsdRuleIds.MulticastTo, ViolationSeverity.Error, "Q-NO-TO");
    }

    [Fact]
    public void Read_DirectedProbeToAnHttpAddress_IsOnlyAWarning()
    {
        var header = $"<a:Action>{D2005}/Probe</a:Action><a:MessageID>{Id1}</a:MessageID><a:To>http://192.168.1.5:5357/dev</a:To>";

        var result = ReadText(Envelope(header, "<d:Probe/>"));

        HasViolation(result, WsdRuleIds.MulticastTo, ViolationSeverity.Warning, "directed");
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Read_ProbeMatchesWithoutTo_IsAWarningUnder2005AndAnErrorUnder11()
    {
        var noTo2005 = MatchesHeader().Replace($"<a:To>{Wsa2004}/role/anonymous</a:To>", string.Empty, StringComparison.Ordinal);
        var noTo11 = MatchesHeader(D11).Replace($"<a:To>{Wsa2005}/anonymous</a:To>", string.Empty, StringComparison.Ordinal);

        var r2005 = ReadText(Envelope(noTo2005, $"<d:ProbeMatches>{Match()}</d:ProbeMatches>"));
        var r11 = ReadText(Envelope(noTo11, $"<d:ProbeMatches>{Match()}</d:ProbeMatches>", D11, Wsa2005));

        HasViolation(r2005, WsdRuleIds.ReplyAddressing, ViolationSeverity.Warning, "Q-NO-TO");
        HasViolation(r11, WsdRuleIds.ReplyAddressing, ViolationSeverity.Error, "Q-NO-TO");
        Assert.NotNull(r11.Message);
    }

    [Fact]
    public void Read_ProbeMatchesWithoutRelatesTo_IsWsdMsg007Error()
    {
        var header = MatchesHeader().Replace($"<a:RelatesTo>{Id1}</a:RelatesTo>", string.Empty, StringComparison.Ordinal);

        HasViolation(ReadText(Envelope(header, $"<d:ProbeMatches>{Match()}</d:ProbeMatches>")), WsdRuleIds.ReplyAddressing, ViolationSeverity.Error, "RelatesTo");
    }

    [Fact]
    public void Read_BareUuidMessageId_IsAWarningUnder2005AndAnErrorUnder11()
    {
        var r2005 = ReadText(Envelope(ProbeHeader().Replace(Id1, "uuid:11111111-2222-3333-4444-555555555555", StringComparison.Ordinal), "<d:Probe/>"));
        var r11 = ReadText(Envelope(ProbeHeader(D11).Replace(Id1, "uuid:11111111-2222-3333-4444-555555555555", StringComparison.Ordinal), "<d:Probe/>", D11, Wsa2005));

        HasViolation(r2005, WsdRuleIds.UuidForm, ViolationSeverity.Warning, "Q-UUID-FORM");
        HasViolation(r11, WsdRuleIds.UuidForm, ViolationSeverity.Error, "Q-UUID-FORM");
    }

    [Fact]
    public void Read_MalformedUrnUuid_IsAWarning()
    {
        var result = ReadText(Envelope(ProbeHeader().Replace(Id1, "urn:uuid:not-a-uuid", StringComparison.Ordinal), "<d:Probe/>"));

        HasViolation(result, WsdRuleIds.UuidForm, ViolationSeverity.Warning, "not a valid urn:uuid");
    }

    [Fact]
    public void Read_WhitespaceAndNewlinesInsideActionAndAddress_AreTrimmedAndReportedAsInfo()
    {
        var header = $"<a:Action>\r\n\t {D2005}/Probe \n</a:Action><a:MessageID>\n{Id1}\n</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>";

        var result = ReadText(Envelope(header, "<d:Probe/>"));

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Equal(D2005 + "/Probe", probe.Header.Action);
        Assert.Equal(Id1, probe.Header.MessageId);
        HasViolation(result, WsdRuleIds.Action, ViolationSeverity.Info, "Q-WS-IN-URI");
        Assert.DoesNotContain(result.Violations, v => v.Severity != ViolationSeverity.Info);
    }

    [Fact]
    public void Read_ListsSeparatedByTabsNewlinesAndCarriageReturns_SplitOnAnyXmlWhitespace()
    {
        var scopes = "<d:Scopes>\r\n  http://a/1\thttp://a/2\r\rhttp://a/3\n\n</d:Scopes>";

        var result = ReadText(Envelope(MatchesHeader(), $"<d:ProbeMatches>{Match(scopes: scopes)}</d:ProbeMatches>"));

        var match = Assert.Single(Assert.IsType<WsdProbeMatches>(result.Message).Matches);
        Assert.Equal(["http://a/1", "http://a/2", "http://a/3"], match.Scopes);
    }

    [Fact]
    public void Read_EmptyListElement_IsAnEmptyList()
    {
        var result = ReadText(Envelope(ProbeHeader(), "<d:Probe><d:Types/><d:Scopes>   </d:Scopes></d:Probe>"));

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Empty(probe.Types);
        Assert.Empty(probe.Scopes);
    }

    [Fact]
    public void Read_ScopesWithEntitiesCdataAndComments_AreDecoded()
    {
        var scopes = "<d:Scopes>http://x/a&amp;b <![CDATA[http://x/<c>]]> http://x/&#x64;<!-- note -->e&#233;</d:Scopes>";

        var result = ReadText(Envelope(ProbeHeader(), $"<d:Probe>{scopes}</d:Probe>"));

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Equal(["http://x/a&b", "http://x/<c>", "http://x/de\u00e9"], probe.Scopes);
    }

    [Fact]
    public void Read_TypesWithUndeclaredPrefix_KeepsLocalNameWithEmptyNamespaceAndReportsWsdMsg017()
    {
        var result = ReadText(Envelope(ProbeHeader(), "<d:Probe><d:Types>tds:Device</d:Types></d:Probe>"));

        var probe = Assert.IsType<WsdProbe>(result.Message);
        var type = Assert.Single(probe.Types);
        Assert.Equal(string.Empty, type.Namespace);
        Assert.Equal("Device", type.LocalName);
        Assert.Equal("tds", type.Prefix);
        HasViolation(result, WsdRuleIds.QNames, ViolationSeverity.Error, "'tds'");
    }

    [Fact]
    public void Read_UnprefixedTypeUnderADefaultNamespace_ResolvesToTheDefaultNamespace()
    {
        var result = ReadText(Envelope(ProbeHeader(), "<d:Probe><d:Types xmlns=\"urn:example:types\">Printer</d:Types></d:Probe>"));

        var type = Assert.Single(Assert.IsType<WsdProbe>(result.Message).Types);
        Assert.Equal(new WsdQName("urn:example:types", "Printer"), type);
        Assert.Null(type.Prefix);
    }

    [Fact]
    public void Read_PrefixRedeclaredOnTypes_UsesTheInnermostDeclaration()
    {
        var body = "<d:Probe xmlns:p=\"urn:outer\"><d:Types xmlns:p=\"urn:inner\">p:Thing</d:Types><d:Scopes xmlns:p=\"urn:other\"/></d:Probe>";

        var probe = Assert.IsType<WsdProbe>(ReadText(Envelope(ProbeHeader(), body, extra: " xmlns:p=\"urn:envelope\"")).Message);

        Assert.Equal([new WsdQName("urn:inner", "Thing")], probe.Types);
    }

    [Fact]
    public void Read_TypesWithMalformedQName_ReportsWsdMsg017AndSkipsIt()
    {
        var result = ReadText(Envelope(ProbeHeader(), "<d:Probe><d:Types xmlns:p=\"urn:p\">p:A :B p:C:D p:E</d:Types></d:Probe>"));

        Assert.Equal([new WsdQName("urn:p", "A"), new WsdQName("urn:p", "E")], Assert.IsType<WsdProbe>(result.Message).Types);
        Assert.Equal(2, result.Violations.Count(v => v.RuleId == WsdRuleIds.QNames));
    }

    [Theory]
    [InlineData("<d:AppSequence InstanceId=\"-1\" MessageNumber=\"1\"/>")]
    [InlineData("<d:AppSequence InstanceId=\"1\" MessageNumber=\"one\"/>")]
    [InlineData("<d:AppSequence InstanceId=\"99999999999999999999999\" MessageNumber=\"1\"/>")]
    [InlineData("<d:AppSequence InstanceId=\"1\"/>")]
    [InlineData("<d:AppSequence MessageNumber=\"1\"/>")]
    [InlineData("")]
    public void Read_AppSequenceMissingOrNotANonNegativeInteger_IsWsdMsg009Error(string appSequence)
    {
        var result = ReadText(Envelope(MatchesHeader(appSequence: appSequence), $"<d:ProbeMatches>{Match()}</d:ProbeMatches>"));

        Assert.NotNull(result.Message);
        Assert.Null(result.Message.Header.AppSequence);
        HasViolation(result, WsdRuleIds.AppSequence, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_AppSequenceWithPlusSignLeadingZerosAndWhitespace_IsAccepted()
    {
        var result = ReadText(Envelope(MatchesHeader(appSequence: "<d:AppSequence InstanceId=\" +0042 \" SequenceId=\"urn:x\" MessageNumber=\"7\"/>"), $"<d:ProbeMatches>{Match()}</d:ProbeMatches>"));

        Assert.Equal(new WsdAppSequence(42, 7, "urn:x"), result.Message?.Header.AppSequence);
        Assert.DoesNotContain(result.Violations, v => v.RuleId == WsdRuleIds.AppSequence);
    }

    [Fact]
    public void Read_ProbeMatchWithoutMetadataVersion_IsWsdMsg015Error()
    {
        var result = ReadText(Envelope(MatchesHeader(), $"<d:ProbeMatches>{Match(version: string.Empty)}</d:ProbeMatches>"));

        Assert.Null(Assert.Single(Assert.IsType<WsdProbeMatches>(result.Message).Matches).MetadataVersion);
        HasViolation(result, WsdRuleIds.MetadataVersion, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_TwoProbeMatchElements_AreTwoIndependentEndpointsWithIndexedLocations()
    {
        var second = Match(version: "<d:MetadataVersion>x</d:MetadataVersion>").Replace(Id1, Id2, StringComparison.Ordinal);

        var result = ReadText(Envelope(MatchesHeader(), $"<d:ProbeMatches>{Match()}{second}</d:ProbeMatches>"));

        var matches = Assert.IsType<WsdProbeMatches>(result.Message).Matches;
        Assert.Equal([Id1, Id2], matches.Select(m => m.Endpoint.Address));
        Assert.Contains(result.Violations, v => v.RuleId == WsdRuleIds.MetadataVersion && v.Location == "/s:Envelope/s:Body/d:ProbeMatches/d:ProbeMatch[2]/d:MetadataVersion");
    }

    [Fact]
    public void Read_2005ResolveMatchWithoutXAddrs_IsAnErrorButNotUnder11()
    {
        var header2005 = MatchesHeader().Replace("ProbeMatches<", "ResolveMatches<", StringComparison.Ordinal);
        var header11 = MatchesHeader(D11).Replace("ProbeMatches<", "ResolveMatches<", StringComparison.Ordinal);
        var body = $"<d:ResolveMatches><d:ResolveMatch><a:EndpointReference><a:Address>{Id1}</a:Address></a:EndpointReference><d:MetadataVersion>3</d:MetadataVersion></d:ResolveMatch></d:ResolveMatches>";

        var r2005 = ReadText(Envelope(header2005, body));
        var r11 = ReadText(Envelope(header11, body, D11, Wsa2005));

        HasViolation(r2005, WsdRuleIds.Schema, ViolationSeverity.Error, "XAddrs");
        Assert.Empty(r11.Violations);
    }

    [Fact]
    public void Read_ReferencePropertiesInA11Endpoint_IsAWarning()
    {
        var match = $"<d:ProbeMatch><a:EndpointReference><a:Address>{Id1}</a:Address><a:ReferenceProperties/></a:EndpointReference><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>";

        var result = ReadText(Envelope(MatchesHeader(D11), $"<d:ProbeMatches>{match}</d:ProbeMatches>", D11, Wsa2005));

        HasViolation(result, WsdRuleIds.Schema, ViolationSeverity.Warning, "ReferenceProperties");
    }

    [Fact]
    public void Read_EndpointInTheOtherAddressingNamespace_IsWsdMsg002Error()
    {
        var match = $"<d:ProbeMatch><w:EndpointReference xmlns:w=\"{Wsa2005}\"><w:Address>{Id1}</w:Address></w:EndpointReference><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>";

        var result = ReadText(Envelope(MatchesHeader(), $"<d:ProbeMatches>{match}</d:ProbeMatches>"));

        Assert.Equal(Id1, Assert.Single(Assert.IsType<WsdProbeMatches>(result.Message).Matches).Endpoint.Address);
        HasViolation(result, WsdRuleIds.MixedFamilies, ViolationSeverity.Error, "EndpointReference");
    }

    [Fact]
    public void Read_UnknownMatchBy_IsKeptVerbatim()
    {
        var result = ReadText(Envelope(ProbeHeader(), "<d:Probe><d:Scopes MatchBy=\" urn:custom:rule \">http://a</d:Scopes></d:Probe>"));

        Assert.Equal("urn:custom:rule", Assert.IsType<WsdProbe>(result.Message).MatchBy);
    }

    [Fact]
    public void Read_DuplicateActionHeader_IsReportedAndTheFirstWins()
    {
        var header = ProbeHeader() + $"<a:Action>{D2005}/Hello</a:Action>";

        var result = ReadText(Envelope(header, "<d:Probe/>"));

        Assert.Equal(D2005 + "/Probe", result.Message?.Header.Action);
        HasViolation(result, WsdRuleIds.AddressingHeader, ViolationSeverity.Error, "more than once");
    }

    [Fact]
    public void Read_Utf16DocumentWithBom_IsDecodedThroughSafeXml()
    {
        var xml = Envelope(ProbeHeader(), "<d:Probe><d:Scopes>http://x/\u00fcber</d:Scopes></d:Probe>");
        byte[] bytes = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(xml)];

        var result = WsdMessageReader.Read(bytes);

        Assert.Equal(["http://x/\u00fcber"], Assert.IsType<WsdProbe>(result.Message).Scopes);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void Read_Latin1DeclaredDocument_IsDecodedWithItsDeclaredEncoding()
    {
        var xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + Envelope(ProbeHeader(), "<d:Probe><d:Scopes>http://x/caf\u00e9</d:Scopes></d:Probe>");

        var result = WsdMessageReader.Read(Encoding.Latin1.GetBytes(xml));

        Assert.Equal(["http://x/caf\u00e9"], Assert.IsType<WsdProbe>(result.Message).Scopes);
    }

    [Fact]
    public void Read_StrictMode_RefusesOnErrorButKeepsMessagesWithOnlyWarnings()
    {
        var warningOnly = Envelope(ProbeHeader().Replace(Id1, "uuid:11111111-2222-3333-4444-555555555555", StringComparison.Ordinal), "<d:Probe/>");

        var result = ReadText(warningOnly, ReadMode.Strict);

        Assert.IsType<WsdProbe>(result.Message);
        Assert.NotEmpty(result.Violations);
    }
}
