using Harness.Core.Diagnostics;
using Harness.WsDiscovery.Messages;
using static Harness.WsDiscovery.Tests.Messages.WsdVectors;

namespace Harness.WsDiscovery.Tests.Messages;

/// <summary>
/// The reader against published messages: the specifications' own examples, Microsoft's WSDAPI samples and real
/// device traffic (see Vectors/README.md). Every field is checked, and the deviations each vector is known to carry.
/// </summary>
public sealed class WsdMessageReaderVectorTests
{
    private const string Onvif10Network = "http://www.onvif.org/ver10/network/wsdl";
    private const string Onvif10Device = "http://www.onvif.org/ver10/device/wsdl";
    private const string PrinterImaging = "http://printer.example.org/2003/imaging";
    private const string MsEndpoint = "urn:uuid:37f86d35-e6ac-4241-964f-1d9ae46fb366";
    private const string MsSequence = "urn:uuid:369a7d7b-5f87-48a4-aa9a-189edf2a8772";
    private const string OasisEndpoint = "urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119";

    private static readonly string[] OasisScopes =
    [
        "ldap:///ou=engineering,o=examplecom,c=us",
        "ldap:///ou=floor1,ou=b42,ou=anytown,o=examplecom,c=us",
        "http://itdept/imaging/deployment/2004-12-04",
    ];

    public static TheoryData<string> AllVectors => [.. All()];

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Read_EveryVector_UnderstandsItOrSaysWhy(string vector)
    {
        var result = Read(vector);

        Assert.True(result.Success || result.Violations.Any(v => v.Severity == ViolationSeverity.Error), vector);
        Assert.All(result.Violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Message)));
    }

    // ---- WS-Discovery 2005/04 ------------------------------------------------------------------------------

    [Fact]
    public void Read_MsWsdapiProbeMatches2005_ReadsEveryFieldAndTrimsPaddedUris()
    {
        var result = Read("ms-wsdapi-probematches-2005.xml");

        var message = Assert.IsType<WsdProbeMatches>(result.Message);
        Assert.Same(WsdProtocol.V2005, message.Protocol);
        Assert.Equal("http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches", message.Header.Action);
        Assert.Equal("urn:uuid:967d0036-fe69-40ad-8191-dd1fc8ef64ab", message.Header.MessageId);
        Assert.Equal("urn:uuid:29cf10da-5c41-4d55-b184-5ee15e38ce23", message.Header.RelatesTo);
        Assert.Equal("http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous", message.Header.To);
        Assert.Equal(new WsdAppSequence(1, 9, MsSequence), message.Header.AppSequence);
        var match = Assert.Single(message.Matches);
        Assert.Equal(MsEndpoint, match.Endpoint.Address);
        var type = Assert.Single(match.Types);
        Assert.Equal(new WsdQName(WsdProtocol.V2005.DevicesProfileNamespace, "Device"), type);
        Assert.Equal("wsdp", type.Prefix);
        Assert.Empty(match.Scopes);
        Assert.Equal(["http://192.168.0.2:5357/37f86d35-e6ac-4241-964f-1d9ae46fb366"], match.XAddrs);
        Assert.Equal(2UL, match.MetadataVersion);
        NoErrorsOrWarnings(result);
        HasViolation(result, WsdRuleIds.Action, ViolationSeverity.Info, "Q-WS-IN-URI");
    }

    [Fact]
    public void Read_MsWsdapiHello2005AsPublished_ReportsTheMissingEnvelopeEndTag()
    {
        var result = Read("ms-wsdapi-hello-2005-as-published.xml");

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlWellFormed, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_MsWsdapiHello2005WithEndTag_ReadsEveryField()
    {
        var result = WsdMessageReader.Read(LoadWithClosingTag("ms-wsdapi-hello-2005-as-published.xml", "</soap:Envelope>"));

        var hello = Assert.IsType<WsdHello>(result.Message);
        Assert.Same(WsdProtocol.V2005, hello.Protocol);
        Assert.Equal(WsdProtocol.V2005.HelloAction, hello.Header.Action);
        Assert.Equal(WsdProtocol.V2005.MulticastTo, hello.Header.To);
        Assert.Equal("urn:uuid:0f5d604c-81ac-4abc-8010-51dbffad55f2", hello.Header.MessageId);
        Assert.Equal(new WsdAppSequence(2, 14, MsSequence), hello.Header.AppSequence);
        Assert.Equal(MsEndpoint, hello.Endpoint.Endpoint.Address);
        Assert.Equal([new WsdQName(WsdProtocol.V2005.DevicesProfileNamespace, "Device")], hello.Endpoint.Types);
        Assert.Empty(hello.Endpoint.XAddrs);
        Assert.Equal(2UL, hello.Endpoint.MetadataVersion);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_MsWsdapiBye2005WithEndTag_ReadsEndpointAndSequence()
    {
        var asPublished = Read("ms-wsdapi-bye-2005-as-published.xml");
        var result = WsdMessageReader.Read(LoadWithClosingTag("ms-wsdapi-bye-2005-as-published.xml", "</soap:Envelope>"));

        Assert.Null(asPublished.Message);
        var bye = Assert.IsType<WsdBye>(result.Message);
        Assert.Equal(WsdProtocol.V2005.ByeAction, bye.Header.Action);
        Assert.Equal("urn:uuid:193ccfa0-347d-41a1-9285-f500b6b96a15", bye.Header.MessageId);
        Assert.Equal(new WsdAppSequence(2, 21, MsSequence), bye.Header.AppSequence);
        Assert.Equal(MsEndpoint, bye.Endpoint.Endpoint.Address);
        Assert.Null(bye.Endpoint.MetadataVersion);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_MsWsdapiProbe2005WithHttpsNamespaces_UnderstandsItAndReportsQHttpsNs()
    {
        var asPublished = Read("ms-wsdapi-probe-2005-as-published.xml");
        var bytes = LoadWithClosingTag("ms-wsdapi-probe-2005-as-published.xml", "</soap:Envelope>");
        var lenient = WsdMessageReader.Read(bytes);
        var strict = WsdMessageReader.Read(bytes, WsdReadOptions.Strict);

        Assert.Null(asPublished.Message);
        var probe = Assert.IsType<WsdProbe>(lenient.Message);
        Assert.Same(WsdProtocol.V2005, probe.Protocol);
        Assert.Equal("https://schemas.xmlsoap.org/ws/2005/04/discovery/Probe", probe.Header.Action);
        Assert.Equal("urn:uuid:29cf10da-5c41-4d55-b184-5ee15e38ce23", probe.Header.MessageId);
        Assert.Equal(WsdProtocol.V2005.MulticastTo, probe.Header.To);
        var type = Assert.Single(probe.Types);
        Assert.Equal(new WsdQName("https://schemas.xmlsoap.org/ws/2006/02/devprof", "Device"), type);
        Assert.Empty(probe.Scopes);
        HasViolation(lenient, WsdRuleIds.Envelope, ViolationSeverity.Error, "Q-HTTPS-NS");
        HasViolation(lenient, WsdRuleIds.MixedFamilies, ViolationSeverity.Error, "Q-HTTPS-NS");
        HasViolation(lenient, WsdRuleIds.Action, ViolationSeverity.Error, "Q-HTTPS-NS");
        Assert.Null(strict.Message);
    }

    [Fact]
    public void Read_MsWsdapiResolve2005_ReadsEndpointAndTrimsNewlinesInTo()
    {
        var result = Read("ms-wsdapi-resolve-2005.xml");

        var resolve = Assert.IsType<WsdResolve>(result.Message);
        Assert.Equal(WsdProtocol.V2005.ResolveAction, resolve.Header.Action);
        Assert.Equal(WsdProtocol.V2005.MulticastTo, resolve.Header.To);
        Assert.Equal("urn:uuid:38d1c3d9-8d73-4424-8861-6b7ee2af24d3", resolve.Header.MessageId);
        Assert.Equal(MsEndpoint, resolve.Endpoint.Address);
        Assert.Contains(result.Violations, v => v.Location == "/soap:Envelope/soap:Header/wsa:To" && v.Severity == ViolationSeverity.Info);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_MsWsdapiResolveMatches2005Https_ReadsMatchAndReportsEveryHttpsSpelling()
    {
        var result = Read("ms-wsdapi-resolvematches-2005-https.xml");

        var matches = Assert.IsType<WsdResolveMatches>(result.Message);
        Assert.Same(WsdProtocol.V2005, matches.Protocol);
        Assert.Equal("urn:uuid:38d1c3d9-8d73-4424-8861-6b7ee2af24d3", matches.Header.RelatesTo);
        Assert.Equal(new WsdAppSequence(1, 6, MsSequence), matches.Header.AppSequence);
        Assert.NotNull(matches.Match);
        Assert.Equal(MsEndpoint, matches.Match.Endpoint.Address);
        Assert.Equal(["https://192.168.0.2:5357/37f86d35-e6ac-4241-964f-1d9ae46fb366"], matches.Match.XAddrs);
        Assert.Equal(2UL, matches.Match.MetadataVersion);
        HasViolation(result, WsdRuleIds.Envelope, ViolationSeverity.Error, "Q-HTTPS-NS");
        HasViolation(result, WsdRuleIds.Action, ViolationSeverity.Error, "Q-HTTPS-NS");
        HasViolation(result, WsdRuleIds.ReplyAddressing, ViolationSeverity.Error, "Q-HTTPS-NS");
    }

    [Fact]
    public void Read_WindowsHelloCapture_IsCleanAndResolvesBothTypes()
    {
        var result = Read("windows-hello-2005-capture.xml");

        var hello = Assert.IsType<WsdHello>(result.Message);
        Assert.Empty(result.Violations);
        Assert.Equal("urn:uuid:1f8dd98d-9b04-43bc-ade9-a46fdaadef9c", hello.Header.MessageId);
        Assert.Equal(new WsdAppSequence(3, 30, "urn:uuid:0c646bf3-0987-47a3-b910-aa6494d712a9"), hello.Header.AppSequence);
        Assert.Equal("urn:uuid:935d9a7b-90b5-4f96-a982-82533c923b47", hello.Endpoint.Endpoint.Address);
        Assert.Equal(
            [new WsdQName(WsdProtocol.V2005.DevicesProfileNamespace, "Device"), new WsdQName("http://schemas.microsoft.com/windows/pub/2005/07", "Computer")],
            hello.Endpoint.Types);
        Assert.Equal(["wsdp", "pub"], hello.Endpoint.Types.Select(t => t.Prefix));
        Assert.Empty(hello.Endpoint.XAddrs);
        Assert.Equal(14UL, hello.Endpoint.MetadataVersion);
    }

    [Fact]
    public void Read_PythonWsDiscoveryOnvifProbeResponse_UnderstandsTheCameraAndReportsItsDeviations()
    {
        var lenient = Read("python-ws-discovery-probe-response.xml");
        var strict = Read("python-ws-discovery-probe-response.xml", ReadMode.Strict);

        var matches = Assert.IsType<WsdProbeMatches>(lenient.Message);
        Assert.Equal("uuid:2419d68a-2dd2-21b2-a205-78A5DD0F9593", matches.Header.MessageId);
        Assert.Equal("urn:uuid:2de9f5ad-abd2-4c0e-9ba8-178098d67f01", matches.Header.RelatesTo);
        Assert.Null(matches.Header.AppSequence);
        var match = Assert.Single(matches.Matches);
        Assert.Equal("urn:uuid:2419d68a-2dd2-21b2-a205-78A5DD0F9593", match.Endpoint.Address);
        Assert.Empty(match.Types);
        Assert.Equal(
            ["onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/Model/631GA", "onvif://www.onvif.org/Name/IPCAM", "onvif://www.onvif.org/location/country/china"],
            match.Scopes);
        Assert.Equal(["http://192.168.1.104:80/onvif/device_service"], match.XAddrs);
        Assert.Equal(1UL, match.MetadataVersion);
        HasViolation(lenient, WsdRuleIds.UuidForm, ViolationSeverity.Warning, "bare 'uuid:'");
        HasViolation(lenient, WsdRuleIds.AppSequence, ViolationSeverity.Error);
        Assert.DoesNotContain(lenient.Violations, v => v.Message.Contains("ReferenceProperties", StringComparison.Ordinal));
        Assert.Null(strict.Message);
    }

    [Fact]
    public void Read_UniviewCameraProbeMatches_ReadsTheCaptureAndFlagsTheNonUriMessageId()
    {
        var result = Read("uniview-ipc-probematches-2005.xml");

        var matches = Assert.IsType<WsdProbeMatches>(result.Message);
        Assert.Equal("10002", matches.Header.MessageId);
        Assert.Equal(new WsdAppSequence(1, 10002), matches.Header.AppSequence);
        var match = Assert.Single(matches.Matches);
        Assert.Equal("urn:uuid:00010010-0001-1020-8000-e4f14c776608", match.Endpoint.Address);
        Assert.Equal([new WsdQName(Onvif10Network, "NetworkVideoTransmitter"), new WsdQName(Onvif10Device, "Device")], match.Types);
        Assert.Equal(18, match.Scopes.Count);
        Assert.Equal("onvif://www.onvif.org/location/", match.Scopes[16]);
        Assert.Equal("onvif://www.onvif.org/name/SC-3243-IWPS-F28", match.Scopes[17]);
        Assert.Equal(["http://192.168.100.26:80/onvif/device_service"], match.XAddrs);
        HasViolation(result, WsdRuleIds.UuidForm, ViolationSeverity.Error, "'10002' is not an absolute URI");
    }

    [Fact]
    public void Read_OnvifDeviceTestToolProbe_ResolvesTypesThroughEnvelopeAndDefaultNamespaces()
    {
        var result = Read("onvif-device-test-tool-probe-2005.xml");

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Same(WsdProtocol.V2005, probe.Protocol);
        Assert.Equal(WsdProtocol.V2005.ProbeAction, probe.Header.Action);
        Assert.Equal("uuid:81b611df-3d93-4422-a3f1-60c2a0064de3", probe.Header.MessageId);
        Assert.Equal(WsdProtocol.V2005.MulticastTo, probe.Header.To);
        var type = Assert.Single(probe.Types);
        Assert.Equal(new WsdQName(Onvif10Network, "NetworkVideoTransmitter"), type);
        Assert.Equal("dn", type.Prefix);
        Assert.Empty(probe.Scopes);
        Assert.Null(probe.MatchBy);
        HasViolation(result, WsdRuleIds.UuidForm, ViolationSeverity.Warning);
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Read_OnvifDeviceTestToolTdsProbe_ResolvesTdsDevice()
    {
        var probe = Assert.IsType<WsdProbe>(Read("onvif-device-test-tool-probe-tds-2005.xml").Message);

        Assert.Equal([new WsdQName(Onvif10Device, "Device")], probe.Types);
        Assert.Equal("uuid:69f483ed-5bc7-4e3f-8a8c-7bfc63168aa0", probe.Header.MessageId);
    }

    [Fact]
    public void Read_OdttStyleProbeMatches_SplitsScopesOverLinesAndReportsTheW3cAnonymousTo()
    {
        var result = Read("onvif-odtt-style-probematches-2005.xml");

        var matches = Assert.IsType<WsdProbeMatches>(result.Message);
        Assert.Equal("uuid:c6023c78-864b-4a48-a901-bebcf1088730", matches.Header.RelatesTo);
        Assert.Equal("http://www.w3.org/2005/08/addressing/anonymous", matches.Header.To);
        Assert.Equal(new WsdAppSequence(0, 6), matches.Header.AppSequence);
        var match = Assert.Single(matches.Matches);
        Assert.Equal("http://10.0.0.50:1881/", match.Endpoint.Address);
        Assert.Equal(8, match.Scopes.Count);
        Assert.Equal("onvif://www.onvif.org/type/ptz", match.Scopes[^1]);
        HasViolation(result, WsdRuleIds.MixedFamilies, ViolationSeverity.Error, "anonymous");
        HasViolation(result, WsdRuleIds.UuidForm, ViolationSeverity.Warning, "http://10.0.0.50:1881/");
    }

    [Fact]
    public void Read_EdgexEmptyProbeInDefaultNamespace_IsAWildcardProbe()
    {
        var result = Read("edgex-onvif-probe-2005.xml");

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Empty(probe.Types);
        Assert.Empty(probe.Scopes);
        Assert.Equal(WsdProtocol.V2005.AnonymousAddress, probe.Header.ReplyTo?.Address);
        Assert.Equal(WsdProtocol.V2005.MulticastTo, probe.Header.To);
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Read_KdsoapProbeWithW3cReplyTo_ReportsQCrossWsaAndResolvesPrefixDeclaredOnTypes()
    {
        var result = Read("kdsoap-wsdiscovery-client-probe-2005.xml");

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Equal([new WsdQName(Onvif10Network, "NetworkVideoTransmitter")], probe.Types);
        Assert.Equal(["onvif://www.onvif.org/Profile/Streaming"], probe.Scopes);
        Assert.Equal("http://www.w3.org/2005/08/addressing/anonymous", probe.Header.ReplyTo?.Address);
        HasViolation(result, WsdRuleIds.MixedFamilies, ViolationSeverity.Warning, "Q-CROSS-WSA");
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Read_MsWstcResolveWithDurationExtension_IgnoresTheExtension()
    {
        var result = Read("ms-wstc-resolve-2005.xml");

        var resolve = Assert.IsType<WsdResolve>(result.Message);
        Assert.Equal("urn:uuid:3a2886e0-0ab0-44ff-8a61-1ceb223be3ec", resolve.Header.MessageId);
        Assert.Equal("urn:uuid:9dec7471-e559-4dc5-ba85-50b68bb8d938", resolve.Endpoint.Address);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_MsWstcProbeWithUnknownAddressingNamespace_ReadsBodyAndReportsTheForeignHeaders()
    {
        var result = Read("ms-wstc-probe-11-wrong-addressing.xml");

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Same(WsdProtocol.V11, probe.Protocol);
        Assert.Equal([new WsdQName("http://statistics.example.org/2003/stats", "StatisticalAnalysis")], probe.Types);
        HasViolation(result, WsdRuleIds.MixedFamilies, ViolationSeverity.Error, "http://schemas.xmlsoap.org/ws/2005/08/addressing");
        HasViolation(result, WsdRuleIds.Action, ViolationSeverity.Error, "missing");
        HasViolation(result, WsdRuleIds.MulticastTo, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_OnvifDeviceMatchingRuleFault_ReadsCodeSubcodeReasonAndSupportedRules()
    {
        var result = Read("onvif-device-fault-matchingrule-2005.xml");

        var fault = Assert.IsType<WsdFault>(result.Message);
        Assert.Same(WsdProtocol.V2005, fault.Protocol);
        Assert.Equal("http://schemas.xmlsoap.org/ws/2004/08/addressing/fault", fault.Header.Action);
        Assert.Equal("urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a", fault.Header.RelatesTo);
        Assert.Equal(new WsdQName(WsdProtocol.SoapEnvelopeNamespace, "Sender"), fault.Code);
        Assert.Equal(new WsdQName(WsdProtocol.V2005.DiscoveryNamespace, "MatchingRuleNotSupported"), fault.Subcode);
        Assert.Equal("The matching rule specified is not supported", fault.Reason);
        Assert.Equal(["http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986"], fault.SupportedMatchingRules);
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    // ---- OASIS WS-Discovery 1.1 (2009/01) ------------------------------------------------------------------

    [Fact]
    public void Read_Oasis11HelloExample_ReadsEveryField()
    {
        var result = Read("oasis-wsdd11-hello.xml");

        var hello = Assert.IsType<WsdHello>(result.Message);
        Assert.Same(WsdProtocol.V11, hello.Protocol);
        Assert.Equal(WsdProtocol.V11.HelloAction, hello.Header.Action);
        Assert.Equal("urn:uuid:73948edc-3204-4455-bae2-7c7d0ff6c37c", hello.Header.MessageId);
        Assert.Equal(WsdProtocol.V11.MulticastTo, hello.Header.To);
        Assert.Equal(new WsdAppSequence(1077004800, 1), hello.Header.AppSequence);
        Assert.Equal(OasisEndpoint, hello.Endpoint.Endpoint.Address);
        Assert.Equal(75965UL, hello.Endpoint.MetadataVersion);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_Oasis11ByeExample_ReadsEveryField()
    {
        var result = Read("oasis-wsdd11-bye.xml");

        var bye = Assert.IsType<WsdBye>(result.Message);
        Assert.Same(WsdProtocol.V11, bye.Protocol);
        Assert.Equal(WsdProtocol.V11.ByeAction, bye.Header.Action);
        Assert.Equal("urn:uuid:337497fa-3b10-43a5-95c2-186461d72c9e", bye.Header.MessageId);
        Assert.Equal(new WsdAppSequence(1077004800, 4), bye.Header.AppSequence);
        Assert.Equal(OasisEndpoint, bye.Endpoint.Endpoint.Address);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_Oasis11ProbeExample_ReadsTypesScopesAndLdapMatchBy()
    {
        var result = Read("oasis-wsdd11-probe.xml");

        var probe = Assert.IsType<WsdProbe>(result.Message);
        Assert.Same(WsdProtocol.V11, probe.Protocol);
        Assert.Equal("urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a", probe.Header.MessageId);
        Assert.Equal(WsdProtocol.V11.MulticastTo, probe.Header.To);
        Assert.Equal([new WsdQName(PrinterImaging, "PrintBasic")], probe.Types);
        Assert.Equal(["ldap:///ou=engineering,o=examplecom,c=us"], probe.Scopes);
        Assert.Equal(WsdProtocol.V11.MatchByLdap, probe.MatchBy);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_Oasis11ProbeMatchesExample_SplitsScopesOnNewlines()
    {
        var result = Read("oasis-wsdd11-probematches.xml");

        var matches = Assert.IsType<WsdProbeMatches>(result.Message);
        Assert.Same(WsdProtocol.V11, matches.Protocol);
        Assert.Equal("urn:uuid:e32e6863-ea5e-4ee4-997e-69539d1ff2cc", matches.Header.MessageId);
        Assert.Equal("urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a", matches.Header.RelatesTo);
        Assert.Equal(WsdProtocol.V11.AnonymousAddress, matches.Header.To);
        Assert.Equal(new WsdAppSequence(1077004800, 2), matches.Header.AppSequence);
        var match = Assert.Single(matches.Matches);
        Assert.Equal(OasisEndpoint, match.Endpoint.Address);
        Assert.Equal([new WsdQName(PrinterImaging, "PrintBasic"), new WsdQName(PrinterImaging, "PrintAdvanced")], match.Types);
        Assert.Equal(OasisScopes, match.Scopes);
        Assert.Equal(["http://prn-example/PRN42/b42-1668-a"], match.XAddrs);
        Assert.Equal(75965UL, match.MetadataVersion);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_Constructed11Resolve_ReadsEndpoint()
    {
        var result = Read("constructed-wsdd11-resolve.xml");

        var resolve = Assert.IsType<WsdResolve>(result.Message);
        Assert.Same(WsdProtocol.V11, resolve.Protocol);
        Assert.Equal(WsdProtocol.V11.ResolveAction, resolve.Header.Action);
        Assert.Equal(OasisEndpoint, resolve.Endpoint.Address);
        NoErrorsOrWarnings(result);
    }

    [Fact]
    public void Read_Constructed11ResolveMatches_ReadsMatch()
    {
        var result = Read("constructed-wsdd11-resolvematches.xml");

        var matches = Assert.IsType<WsdResolveMatches>(result.Message);
        Assert.Same(WsdProtocol.V11, matches.Protocol);
        Assert.Equal("urn:uuid:7c2b2a5e-1b2f-4c0e-9d3b-5b8f2d2f0e11", matches.Header.RelatesTo);
        Assert.Equal(new WsdAppSequence(1077004800, 3), matches.Header.AppSequence);
        Assert.NotNull(matches.Match);
        Assert.Equal(OasisScopes, matches.Match.Scopes);
        Assert.Equal(75965UL, matches.Match.MetadataVersion);
        NoErrorsOrWarnings(result);
    }
}
