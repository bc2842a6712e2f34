using System.Text;
using Harness.Core.Diagnostics;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;
using static Harness.WsDiscovery.Tests.Messages.WsdVectors;

namespace Harness.WsDiscovery.Tests.Messages;

/// <summary>
/// The writer against canonical text written by hand from the specifications' examples (WS-Discovery 2005 §5.2
/// Probe, OASIS 1.1 §5.2/§5.3 Probe and ProbeMatches, Microsoft's WSDAPI ProbeMatches), plus determinism and
/// round-trip properties.
/// </summary>
public sealed class WsdMessageWriterTests
{
    private const string Imaging = "http://printer.example.org/2003/imaging";
    private const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

    private static readonly string[] OasisScopes =
    [
        "ldap:///ou=engineering,o=examplecom,c=us",
        "ldap:///ou=floor1,ou=b42,ou=anytown,o=examplecom,c=us",
        "http://itdept/imaging/deployment/2004-12-04",
    ];

    // WS-Discovery 2005 §5.2 example Probe: i:PrintBasic, ldap scope, anonymous ReplyTo.
    private static readonly string GoldenProbe2005 = Declaration
        + "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" xmlns:i=\"http://printer.example.org/2003/imaging\">"
        + "<soap:Header>"
        + "<wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>"
        + "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>"
        + "<wsa:MessageID>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsa:MessageID>"
        + "<wsa:ReplyTo><wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo>"
        + "</soap:Header>"
        + "<soap:Body><d:Probe><d:Types>i:PrintBasic</d:Types>"
        + "<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/discovery/ldap\">ldap:///ou=engineering,o=examplecom,c=us</d:Scopes>"
        + "</d:Probe></soap:Body></soap:Envelope>";

    // OASIS WS-Discovery 1.1 §5.2 example Probe.
    private static readonly string GoldenProbe11 = Declaration
        + "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://www.w3.org/2005/08/addressing\" xmlns:d=\"http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01\" xmlns:i=\"http://printer.example.org/2003/imaging\">"
        + "<soap:Header>"
        + "<wsa:To>urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01</wsa:To>"
        + "<wsa:Action>http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/Probe</wsa:Action>"
        + "<wsa:MessageID>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsa:MessageID>"
        + "</soap:Header>"
        + "<soap:Body><d:Probe><d:Types>i:PrintBasic</d:Types>"
        + "<d:Scopes MatchBy=\"http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/ldap\">ldap:///ou=engineering,o=examplecom,c=us</d:Scopes>"
        + "</d:Probe></soap:Body></soap:Envelope>";

    // Microsoft WSDAPI ProbeMatches sample (2005 family, SequenceId present).
    private static readonly string GoldenProbeMatches2005 = Declaration
        + "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" xmlns:wsdp=\"http://schemas.xmlsoap.org/ws/2006/02/devprof\">"
        + "<soap:Header>"
        + "<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
        + "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>"
        + "<wsa:MessageID>urn:uuid:967d0036-fe69-40ad-8191-dd1fc8ef64ab</wsa:MessageID>"
        + "<wsa:RelatesTo>urn:uuid:29cf10da-5c41-4d55-b184-5ee15e38ce23</wsa:RelatesTo>"
        + "<d:AppSequence InstanceId=\"1\" SequenceId=\"urn:uuid:369a7d7b-5f87-48a4-aa9a-189edf2a8772\" MessageNumber=\"9\"/>"
        + "</soap:Header>"
        + "<soap:Body><d:ProbeMatches><d:ProbeMatch>"
        + "<wsa:EndpointReference><wsa:Address>urn:uuid:37f86d35-e6ac-4241-964f-1d9ae46fb366</wsa:Address></wsa:EndpointReference>"
        + "<d:Types>wsdp:Device</d:Types>"
        + "<d:XAddrs>http://192.168.0.2:5357/37f86d35-e6ac-4241-964f-1d9ae46fb366</d:XAddrs>"
        + "<d:MetadataVersion>2</d:MetadataVersion>"
        + "</d:ProbeMatch></d:ProbeMatches></soap:Body></soap:Envelope>";

    // OASIS WS-Discovery 1.1 §5.3 example ProbeMatches.
    private static readonly string GoldenProbeMatches11 = Declaration
        + "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://www.w3.org/2005/08/addressing\" xmlns:d=\"http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01\" xmlns:i=\"http://printer.example.org/2003/imaging\">"
        + "<soap:Header>"
        + "<wsa:To>http://www.w3.org/2005/08/addressing/anonymous</wsa:To>"
        + "<wsa:Action>http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/ProbeMatches</wsa:Action>"
        + "<wsa:MessageID>urn:uuid:e32e6863-ea5e-4ee4-997e-69539d1ff2cc</wsa:MessageID>"
        + "<wsa:RelatesTo>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsa:RelatesTo>"
        + "<d:AppSequence InstanceId=\"1077004800\" MessageNumber=\"2\"/>"
        + "</soap:Header>"
        + "<soap:Body><d:ProbeMatches><d:ProbeMatch>"
        + "<wsa:EndpointReference><wsa:Address>urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119</wsa:Address></wsa:EndpointReference>"
        + "<d:Types>i:PrintBasic i:PrintAdvanced</d:Types>"
        + "<d:Scopes>ldap:///ou=engineering,o=examplecom,c=us ldap:///ou=floor1,ou=b42,ou=anytown,o=examplecom,c=us http://itdept/imaging/deployment/2004-12-04</d:Scopes>"
        + "<d:XAddrs>http://prn-example/PRN42/b42-1668-a</d:XAddrs>"
        + "<d:MetadataVersion>75965</d:MetadataVersion>"
        + "</d:ProbeMatch></d:ProbeMatches></soap:Body></soap:Envelope>";

    // WS-Discovery 1.1 §5.2.2 MatchingRuleNotSupported.
    private static readonly string GoldenFault11 = Declaration
        + "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://www.w3.org/2005/08/addressing\" xmlns:d=\"http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01\">"
        + "<soap:Header>"
        + "<wsa:To>http://www.w3.org/2005/08/addressing/anonymous</wsa:To>"
        + "<wsa:Action>http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/fault</wsa:Action>"
        + "<wsa:MessageID>urn:uuid:22222222-0000-0000-0000-000000000000</wsa:MessageID>"
        + "<wsa:RelatesTo>urn:uuid:11111111-0000-0000-0000-000000000000</wsa:RelatesTo>"
        + "</soap:Header>"
        + "<soap:Body><soap:Fault>"
        + "<soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value>d:MatchingRuleNotSupported</soap:Value></soap:Subcode></soap:Code>"
        + "<soap:Reason><soap:Text xml:lang=\"en\">the matching rule specified is not supported</soap:Text></soap:Reason>"
        + "<soap:Detail><d:SupportedMatchingRules>http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/rfc3986 http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/uuid http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/ldap http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/strcmp0 http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/none</d:SupportedMatchingRules></soap:Detail>"
        + "</soap:Fault></soap:Body></soap:Envelope>";

    private static WsdProbe SpecProbe(WsdProtocol protocol) => new()
    {
        Protocol = protocol,
        Header = new WsdHeader
        {
            Action = protocol.ProbeAction,
            MessageId = "urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a",
            To = protocol.MulticastTo,
            ReplyTo = protocol.Version == WsdVersion.V2005 ? new WsdEndpointReference(protocol.AnonymousAddress) : null,
        },
        Types = [WsdQName.Create(Imaging, "PrintBasic", "i")],
        Scopes = ["ldap:///ou=engineering,o=examplecom,c=us"],
        MatchBy = protocol.MatchByLdap,
    };

    private static WsdProbeMatches SpecProbeMatches11() => new()
    {
        Protocol = WsdProtocol.V11,
        Header = new WsdHeader
        {
            Action = WsdProtocol.V11.ProbeMatchesAction,
            MessageId = "urn:uuid:e32e6863-ea5e-4ee4-997e-69539d1ff2cc",
            RelatesTo = "urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a",
            To = WsdProtocol.V11.AnonymousAddress,
            AppSequence = new WsdAppSequence(1077004800, 2),
        },
        Matches =
        [
            new WsdEndpointData(
                new WsdEndpointReference("urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119"),
                [WsdQName.Create(Imaging, "PrintBasic", "i"), WsdQName.Create(Imaging, "PrintAdvanced", "i")],
                OasisScopes,
                ["http://prn-example/PRN42/b42-1668-a"],
                75965),
        ],
    };

    private static WsdProbeMatches WsdapiProbeMatches2005() => new()
    {
        Protocol = WsdProtocol.V2005,
        Header = new WsdHeader
        {
            Action = WsdProtocol.V2005.ProbeMatchesAction,
            MessageId = "urn:uuid:967d0036-fe69-40ad-8191-dd1fc8ef64ab",
            RelatesTo = "urn:uuid:29cf10da-5c41-4d55-b184-5ee15e38ce23",
            To = WsdProtocol.V2005.AnonymousAddress,
            AppSequence = new WsdAppSequence(1, 9, "urn:uuid:369a7d7b-5f87-48a4-aa9a-189edf2a8772"),
        },
        Matches =
        [
            new WsdEndpointData(
                new WsdEndpointReference("urn:uuid:37f86d35-e6ac-4241-964f-1d9ae46fb366"),
                [WsdQName.Create(WsdProtocol.V2005.DevicesProfileNamespace, "Device", "wsdp")],
                [],
                ["http://192.168.0.2:5357/37f86d35-e6ac-4241-964f-1d9ae46fb366"],
                2),
        ],
    };

    [Fact]
    public void Write_SpecProbe2005_MatchesTheCanonicalText()
    {
        Assert.Equal(GoldenProbe2005, WsdMessageWriter.WriteString(SpecProbe(WsdProtocol.V2005)));
    }

    [Fact]
    public void Write_SpecProbe11_MatchesTheCanonicalText()
    {
        Assert.Equal(GoldenProbe11, WsdMessageWriter.WriteString(SpecProbe(WsdProtocol.V11)));
    }

    [Fact]
    public void Write_WsdapiProbeMatches2005_MatchesTheCanonicalText()
    {
        Assert.Equal(GoldenProbeMatches2005, WsdMessageWriter.WriteString(WsdapiProbeMatches2005()));
    }

    [Fact]
    public void Write_SpecProbeMatches11_MatchesTheCanonicalText()
    {
        Assert.Equal(GoldenProbeMatches11, WsdMessageWriter.WriteString(SpecProbeMatches11()));
    }

    [Theory]
    [InlineData("oasis-wsdd11-probematches.xml")]
    [InlineData("oasis-wsdd11-probe.xml")]
    [InlineData("ms-wsdapi-probematches-2005.xml")]
    public void Write_WhatWasReadFromThePublishedExample_GivesTheCanonicalText(string vector)
    {
        var expected = vector switch
        {
            "oasis-wsdd11-probematches.xml" => GoldenProbeMatches11,
            "oasis-wsdd11-probe.xml" => GoldenProbe11,
            _ => GoldenProbeMatches2005,
        };

        Assert.Equal(expected, WsdMessageWriter.WriteString(Read(vector).Message!));
    }

    [Fact]
    public void Write_MatchingRuleNotSupportedFault_MatchesTheCanonicalText()
    {
        var fault = WsdFaults.MatchingRuleNotSupported(
            WsdProtocol.V11,
            "urn:uuid:11111111-0000-0000-0000-000000000000",
            "urn:uuid:22222222-0000-0000-0000-000000000000",
            WsdMatcher.SupportedRules(WsdProtocol.V11));

        Assert.Equal(GoldenFault11, WsdMessageWriter.WriteString(fault));
    }

    [Fact]
    public void Write_Bytes_AreUtf8WithoutBomAndEqualTheString()
    {
        var message = SpecProbeMatches11();

        var bytes = WsdMessageWriter.Write(message);

        Assert.Equal((byte)'<', bytes[0]);
        Assert.Equal(WsdMessageWriter.WriteString(message), Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Write_EqualRecords_GiveIdenticalBytes()
    {
        var first = WsdMessageWriter.Write(SpecProbeMatches11());
        var again = WsdMessageWriter.Write(SpecProbeMatches11());
        var interleaved = WsdMessageWriter.Write(SpecProbe(WsdProtocol.V2005));
        var third = WsdMessageWriter.Write(SpecProbeMatches11());

        Assert.Equal(first, again);
        Assert.Equal(first, third);
        Assert.NotEqual(first, interleaved);
    }

    [Fact]
    public void Write_EveryVector_RoundTripsToTheSameValuesAndIsIdempotent()
    {
        foreach (var vector in All())
        {
            if (Read(vector).Message is not { } message)
            {
                continue;
            }

            var written = WsdMessageWriter.Write(message);
            var reread = WsdMessageReader.Read(written);

            Assert.True(reread.Success, vector);
            WsdMessageAssert.Same(message, reread.Message!);
            Assert.Equal(written, WsdMessageWriter.Write(reread.Message!));
        }
    }

    [Fact]
    public void Write_RandomMessages_RoundTripThroughTheReader()
    {
        var random = new Random(4242);
        for (var i = 0; i < 400; i++)
        {
            var message = WsdMessageGenerator.Next(random);

            var written = WsdMessageWriter.Write(message);
            var result = WsdMessageReader.Read(written);

            Assert.True(result.Success, Encoding.UTF8.GetString(written));
            Assert.DoesNotContain(result.Violations, v => v.RuleId is WsdRuleIds.XmlWellFormed or WsdRuleIds.QNames or WsdRuleIds.MixedFamilies);
            WsdMessageAssert.Same(message, result.Message!);
        }
    }

    [Fact]
    public void Write_GeneratedCleanMessages_ReadBackWithoutAnyViolation()
    {
        var hello = new WsdHello
        {
            Protocol = WsdProtocol.V11,
            Header = new WsdHeader
            {
                Action = WsdProtocol.V11.HelloAction,
                MessageId = "urn:uuid:73948edc-3204-4455-bae2-7c7d0ff6c37c",
                To = WsdProtocol.V11.MulticastTo,
                AppSequence = new WsdAppSequence(1077004800, 1),
            },
            Endpoint = new WsdEndpointData(new WsdEndpointReference("urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119"), [], [], [], 75965),
        };

        var result = WsdMessageReader.Read(WsdMessageWriter.Write(hello), WsdReadOptions.Strict);

        Assert.Empty(result.Violations);
        Assert.IsType<WsdHello>(result.Message);
    }

    [Fact]
    public void Write_QNamesWithMissingConflictingOrReservedPrefixes_GetDeterministicGeneratedPrefixes()
    {
        var probe = SpecProbe(WsdProtocol.V11) with
        {
            Types =
            [
                WsdQName.Create("urn:a", "A", null),
                WsdQName.Create("urn:b", "B", "x"),
                WsdQName.Create("urn:c", "C", "x"),
                WsdQName.Create("urn:e", "E", "d"),
                WsdQName.Create("urn:f", "F", "xmlfoo"),
                WsdQName.Create(WsdProtocol.V11.DiscoveryNamespace, "Own", "disc"),
                WsdQName.Create("urn:a", "A2", "ignored"),
            ],
        };

        var text = WsdMessageWriter.WriteString(probe);

        Assert.Contains("xmlns:i0=\"urn:a\" xmlns:x=\"urn:b\" xmlns:i1=\"urn:c\" xmlns:i2=\"urn:e\" xmlns:i3=\"urn:f\">", text, StringComparison.Ordinal);
        Assert.Contains("<d:Types>i0:A x:B i1:C i2:E i3:F d:Own i0:A2</d:Types>", text, StringComparison.Ordinal);
        Assert.Equal(probe.Types, Assert.IsType<WsdProbe>(WsdMessageReader.Read(Encoding.UTF8.GetBytes(text)).Message).Types);
    }

    [Fact]
    public void Write_SpecialCharacters_AreEscapedAndRoundTrip()
    {
        var probe = SpecProbe(WsdProtocol.V2005) with
        {
            Scopes = ["http://x/a&b<c>\"d'", "http://x/\u00e9\U0001F600"],
            MatchBy = "urn:rule?a=1&b=\"2\"\t",
        };

        var text = WsdMessageWriter.WriteString(probe);
        var back = Assert.IsType<WsdProbe>(WsdMessageReader.Read(Encoding.UTF8.GetBytes(text)).Message);

        Assert.Contains("http://x/a&amp;b&lt;c&gt;\"d'", text, StringComparison.Ordinal);
        Assert.Contains("MatchBy=\"urn:rule?a=1&amp;b=&quot;2&quot;&#x9;\"", text, StringComparison.Ordinal);
        Assert.Equal(probe.Scopes, back.Scopes);
    }

    [Fact]
    public void Write_EmptyOptionalListsAndNullValues_AreOmitted()
    {
        var bye = new WsdBye
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader { Action = WsdProtocol.V2005.ByeAction },
            Endpoint = new WsdEndpointData(new WsdEndpointReference("urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119"), [], [], [], null),
        };

        var text = WsdMessageWriter.WriteString(bye);

        Assert.EndsWith(
            "<soap:Header><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye</wsa:Action></soap:Header><soap:Body><d:Bye><wsa:EndpointReference><wsa:Address>urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119</wsa:Address></wsa:EndpointReference></d:Bye></soap:Body></soap:Envelope>",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ProbeWithMatchByButNoScopes_KeepsTheEmptyScopesElement()
    {
        var probe = new WsdProbe
        {
            Protocol = WsdProtocol.V11,
            Header = new WsdHeader { Action = WsdProtocol.V11.ProbeAction },
            MatchBy = WsdProtocol.V11.MatchByNone,
        };

        var text = WsdMessageWriter.WriteString(probe);

        Assert.Contains("<d:Probe><d:Scopes MatchBy=\"http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/none\"/></d:Probe>", text, StringComparison.Ordinal);
        Assert.Equal(WsdProtocol.V11.MatchByNone, Assert.IsType<WsdProbe>(WsdMessageReader.Read(Encoding.UTF8.GetBytes(text)).Message).MatchBy);
    }

    [Fact]
    public void Write_EmptyProbeAndEmptyProbeMatches_AreSelfClosing()
    {
        var probe = new WsdProbe { Protocol = WsdProtocol.V2005, Header = new WsdHeader { Action = WsdProtocol.V2005.ProbeAction } };
        var matches = new WsdProbeMatches { Protocol = WsdProtocol.V2005, Header = new WsdHeader { Action = WsdProtocol.V2005.ProbeMatchesAction }, Matches = [] };

        Assert.Contains("<soap:Body><d:Probe/></soap:Body>", WsdMessageWriter.WriteString(probe), StringComparison.Ordinal);
        Assert.Contains("<soap:Body><d:ProbeMatches/></soap:Body>", WsdMessageWriter.WriteString(matches), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("tab\there")]
    public void Write_ListItemThatCannotBeOneItem_Throws(string scope)
    {
        var probe = SpecProbe(WsdProtocol.V11) with { Scopes = [scope] };

        Assert.Throws<ArgumentException>(() => WsdMessageWriter.Write(probe));
    }

    [Theory]
    [InlineData(0x0001)]
    [InlineData(0x001F)]
    [InlineData(0xD800)]
    [InlineData(0xDC00)]
    [InlineData(0xFFFE)]
    public void Write_CharacterXmlCannotCarry_Throws(int code)
    {
        var value = "bad" + (char)code + "char";
        var probe = SpecProbe(WsdProtocol.V11) with { Header = new WsdHeader { Action = WsdProtocol.V11.ProbeAction, MessageId = value } };

        Assert.Throws<ArgumentException>(() => WsdMessageWriter.Write(probe));
    }

    [Fact]
    public void Write_QNameWithInvalidLocalName_Throws()
    {
        var probe = SpecProbe(WsdProtocol.V11) with { Types = [new WsdQName("urn:a", "1bad")] };

        Assert.Throws<ArgumentException>(() => WsdMessageWriter.Write(probe));
    }

    [Fact]
    public void Write_StrictReadOfWrittenSpecMessages_HasNoErrors()
    {
        foreach (var message in new WsdMessage[] { SpecProbe(WsdProtocol.V2005), SpecProbe(WsdProtocol.V11), SpecProbeMatches11(), WsdapiProbeMatches2005() })
        {
            var result = WsdMessageReader.Read(WsdMessageWriter.Write(message), WsdReadOptions.Strict);

            Assert.NotNull(result.Message);
            Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
        }
    }
}
