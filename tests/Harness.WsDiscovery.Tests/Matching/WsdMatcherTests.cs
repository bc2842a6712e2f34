using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;
using Harness.WsDiscovery.Tests.Messages;

namespace Harness.WsDiscovery.Tests.Matching;

/// <summary>
/// Probe matching (WS-Discovery 2005 §5.1, OASIS WS-Discovery 1.1 §5.1; wsd.md items 24–31 and ONVIF item 91).
/// Examples are the specifications' own, ONVIF Core's, and boundary cases of the segment-wise prefix rule.
/// </summary>
public sealed class WsdMatcherTests
{
    private const string Onvif = "http://www.onvif.org/ver10/device/wsdl";
    private const string OnvifNetwork = "http://www.onvif.org/ver10/network/wsdl";

    // ONVIF Core "Scopes" example: a device with these scopes.
    private static readonly string[] OnvifDeviceScopes =
    [
        "onvif://www.onvif.org/type/video_encoder",
        "onvif://www.onvif.org/type/audio_encoder",
        "onvif://www.onvif.org/hardware/D1-566",
        "onvif://www.onvif.org/location/country/china",
        "onvif://www.onvif.org/location/city/bejing",
        "onvif://www.onvif.org/name/ARV-453",
    ];

    private static WsdMatchOutcome Rfc(string probe, string target, WsdProtocol? protocol = null) =>
        WsdMatcher.ScopesMatch([probe], null, [target], protocol ?? WsdProtocol.V11);

    private static WsdMatchOutcome By(string rule, string probe, string target, WsdProtocol protocol) =>
        WsdMatcher.ScopesMatch([probe], rule, [target], protocol);

    [Theory]
    [InlineData("onvif://www.onvif.org")]
    [InlineData("onvif://www.onvif.org/")]
    [InlineData("onvif://www.onvif.org/location/country/china")]
    [InlineData("onvif://www.onvif.org/location")]
    [InlineData("onvif://www.onvif.org/hardware/D1-566")]
    public void ScopesMatch_OnvifCoreExamplesThatMatch_Match(string probeScope)
    {
        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.ScopesMatch([probeScope], null, OnvifDeviceScopes, WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.ScopesMatch([probeScope], WsdMatcher.OnvifRfc3986, OnvifDeviceScopes, WsdProtocol.V2005));
    }

    [Fact]
    public void ScopesMatch_OnvifHardwareD1AgainstD1566_DoesNotMatch()
    {
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.ScopesMatch(["onvif://www.onvif.org/hardware/D1"], null, OnvifDeviceScopes, WsdProtocol.V2005));
    }

    [Fact]
    public void ScopesMatch_SpecExampleAbcAgainstAbcDef_MatchesButAbcAgainstADoesNot()
    {
        // WS-Discovery §5.1 note: "http://example.com/abc" matches "http://example.com/abc/def" but "http://example.com/a" does not.
        Assert.Equal(WsdMatchOutcome.Match, Rfc("http://example.com/abc", "http://example.com/abc/def"));
        Assert.Equal(WsdMatchOutcome.NoMatch, Rfc("http://example.com/a", "http://example.com/abc/def"));
        Assert.Equal(WsdMatchOutcome.Match, Rfc("http://example.com/abc", "http://example.com/abc/def", WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.NoMatch, Rfc("http://example.com/a", "http://example.com/abc/def", WsdProtocol.V2005));
    }

    [Theory]
    [InlineData("HTTP://EXAMPLE.COM/abc", "http://example.com/abc/def", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/ABC", "http://example.com/abc/def", WsdMatchOutcome.NoMatch)]
    [InlineData("http://user@example.com/abc", "http://USER@EXAMPLE.COM/abc", WsdMatchOutcome.Match)]
    [InlineData("http://example.com:80/abc", "http://example.com/abc", WsdMatchOutcome.NoMatch)]
    [InlineData("http://example.org/abc", "http://example.com/abc", WsdMatchOutcome.NoMatch)]
    [InlineData("https://example.com/abc", "http://example.com/abc", WsdMatchOutcome.NoMatch)]
    [InlineData("http://example.com/abc/def/ghi", "http://example.com/abc/def", WsdMatchOutcome.NoMatch)]
    [InlineData("http://example.com/abc/", "http://example.com/abc", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/abc", "http://example.com/abc/", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/a//b", "http://example.com/a//b/c", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/a//b", "http://example.com/a/b", WsdMatchOutcome.NoMatch)]
    [InlineData("http://example.com/abc?x=1", "http://example.com/abc/def?y=2", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/abc#top", "http://example.com/abc/def#bottom", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/abc?x=/def", "http://example.com/abc", WsdMatchOutcome.Match)]
    public void ScopesMatch_Rfc3986Boundaries_FollowTheSegmentWiseRule(string probe, string target, WsdMatchOutcome expected)
    {
        Assert.Equal(expected, Rfc(probe, target));
        Assert.Equal(expected, Rfc(probe, target, WsdProtocol.V2005));
    }

    [Theory]
    [InlineData("http://example.com/a/./b", "http://example.com/a/./b/c")]
    [InlineData("http://example.com/a/../b", "http://example.com/a/../b")]
    [InlineData("http://example.com/a", "http://example.com/a/../b")]
    [InlineData("http://example.com/a/%2e%2e/b", "http://example.com/a/%2e%2e/b")]
    [InlineData("http://example.com/.", "http://example.com/.")]
    public void ScopesMatch_DotSegmentsInEitherScope_NeverMatch(string probe, string target)
    {
        Assert.Equal(WsdMatchOutcome.NoMatch, Rfc(probe, target));
    }

    [Theory]
    [InlineData("http://example.com/%61bc", "http://example.com/abc/def", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/abc", "http://example.com/%61%62%63/def", WsdMatchOutcome.Match)]
    [InlineData("http://ex%61mple.com/abc", "http://example.com/abc", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/a%2Fb", "http://example.com/a/b", WsdMatchOutcome.NoMatch)]
    [InlineData("http://example.com/a%2Fb", "http://example.com/a%2fb/c", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/caf%C3%A9", "http://example.com/caf\u00e9/x", WsdMatchOutcome.Match)]
    [InlineData("http://example.com/a%zz", "http://example.com/a%zz/b", WsdMatchOutcome.Match)]
    public void ScopesMatch_PercentEscapes_AreDecodedBeforeComparing(string probe, string target, WsdMatchOutcome expected)
    {
        Assert.Equal(expected, Rfc(probe, target));
    }

    [Theory]
    [InlineData("not a uri", "not a uri")]
    [InlineData("", "http://x/")]
    [InlineData("1http://x", "1http://x")]
    public void ScopesMatch_NotAUri_DoesNotMatchUnderTheRfcRule(string probe, string target)
    {
        Assert.Equal(WsdMatchOutcome.NoMatch, Rfc(probe, target));
    }

    [Fact]
    public void ScopesMatch_UrnScopes_CompareByPath()
    {
        Assert.Equal(WsdMatchOutcome.Match, Rfc("urn:example:thing", "URN:example:thing"));
        Assert.Equal(WsdMatchOutcome.NoMatch, Rfc("urn:example:thi", "urn:example:thing"));
    }

    [Fact]
    public void ScopesMatch_NoProbeScopes_MatchesAnyTargetIncludingOneWithoutScopes()
    {
        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.ScopesMatch([], null, [], WsdProtocol.V11));
        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.ScopesMatch([], WsdProtocol.V2005.MatchByStrcmp0, OnvifDeviceScopes, WsdProtocol.V2005));
    }

    [Fact]
    public void ScopesMatch_EveryProbeScopeMustMatchSomeTargetScope()
    {
        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.ScopesMatch(["onvif://www.onvif.org/type", "onvif://www.onvif.org/name/ARV-453"], null, OnvifDeviceScopes, WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.ScopesMatch(["onvif://www.onvif.org/type", "onvif://www.onvif.org/name/other"], null, OnvifDeviceScopes, WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.ScopesMatch(["onvif://www.onvif.org/type"], null, [], WsdProtocol.V2005));
    }

    [Fact]
    public void ScopesMatch_MatchByOfEachFamily_IsUnderstoodOnlyByThatFamily()
    {
        const string scope = "http://x/a";

        Assert.Equal(WsdMatchOutcome.Match, By(WsdProtocol.V2005.MatchByRfc, scope, scope, WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.Match, By(WsdProtocol.V11.MatchByRfc, scope, scope, WsdProtocol.V11));
        Assert.Equal(WsdMatchOutcome.UnsupportedRule, By(WsdProtocol.V11.MatchByRfc, scope, scope, WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.UnsupportedRule, By(WsdProtocol.V2005.MatchByRfc, scope, scope, WsdProtocol.V11));
        Assert.Equal(WsdMatchOutcome.UnsupportedRule, By("http://schemas.xmlsoap.org/ws/2005/04/discovery/RFC2396", scope, scope, WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.UnsupportedRule, By("urn:vendor:fuzzy", scope, scope, WsdProtocol.V11));
        Assert.Equal(WsdMatchOutcome.UnsupportedRule, WsdMatcher.ScopesMatch([], "urn:vendor:fuzzy", [], WsdProtocol.V11));
    }

    [Fact]
    public void ScopesMatch_OnvifRfc3986UnderThe2005Namespace_IsRfc3986ForA2005TargetOnly()
    {
        Assert.Equal(WsdMatchOutcome.Match, By(WsdMatcher.OnvifRfc3986, "onvif://www.onvif.org/location", OnvifDeviceScopes[3], WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.NoMatch, By(WsdMatcher.OnvifRfc3986, "onvif://www.onvif.org/hardware/D1", OnvifDeviceScopes[2], WsdProtocol.V2005));
        Assert.Equal(WsdMatchOutcome.UnsupportedRule, By(WsdMatcher.OnvifRfc3986, "onvif://www.onvif.org/location", OnvifDeviceScopes[3], WsdProtocol.V11));
    }

    [Theory]
    [InlineData("testdevice", "testdevice", WsdMatchOutcome.Match)]
    [InlineData("testDEVICE", "testdevice", WsdMatchOutcome.NoMatch)]
    [InlineData("http://x/a", "http://x/a/b", WsdMatchOutcome.NoMatch)]
    [InlineData("http://x/a", "HTTP://x/a", WsdMatchOutcome.NoMatch)]
    public void ScopesMatch_Strcmp0_IsCaseSensitiveWholeStringEquality(string probe, string target, WsdMatchOutcome expected)
    {
        // WSDBIT 1.3.9: probe "testDEVICE" under a case-sensitive rule against "testdevice" gets no answer.
        Assert.Equal(expected, By(WsdProtocol.V11.MatchByStrcmp0, probe, target, WsdProtocol.V11));
        Assert.Equal(expected, By(WsdProtocol.V2005.MatchByStrcmp0, probe, target, WsdProtocol.V2005));
    }

    [Theory]
    [InlineData("uuid:98190dc2-0890-4ef8-ac9a-5940995e6119", "uuid:98190dc2-0890-4ef8-ac9a-5940995e6119", WsdMatchOutcome.Match)]
    [InlineData("UUID:98190DC2-0890-4EF8-AC9A-5940995E6119", "uuid:98190dc2-0890-4ef8-ac9a-5940995e6119", WsdMatchOutcome.Match)]
    [InlineData("urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119", "uuid:98190DC2-0890-4ef8-ac9a-5940995e6119", WsdMatchOutcome.Match)]
    [InlineData("uuid:98190dc2-0890-4ef8-ac9a-5940995e6118", "uuid:98190dc2-0890-4ef8-ac9a-5940995e6119", WsdMatchOutcome.NoMatch)]
    [InlineData("uuid:not-a-uuid", "uuid:not-a-uuid", WsdMatchOutcome.NoMatch)]
    [InlineData("http://x/98190dc2-0890-4ef8-ac9a-5940995e6119", "http://x/98190dc2-0890-4ef8-ac9a-5940995e6119", WsdMatchOutcome.NoMatch)]
    public void ScopesMatch_Uuid_Compares128BitValues(string probe, string target, WsdMatchOutcome expected)
    {
        Assert.Equal(expected, By(WsdProtocol.V11.MatchByUuid, probe, target, WsdProtocol.V11));
    }

    [Theory]
    [InlineData("ldap:///ou=engineering,o=examplecom,c=us", "ldap:///ou=engineering,o=examplecom,c=us", WsdMatchOutcome.Match)]
    [InlineData("ldap:///o=examplecom,c=us", "ldap:///ou=floor1,ou=b42,ou=anytown,o=examplecom,c=us", WsdMatchOutcome.Match)]
    [InlineData("ldap:///ou=anytown,o=examplecom,c=us", "ldap:///ou=floor1,ou=b42,ou=anytown,o=examplecom,c=us", WsdMatchOutcome.Match)]
    [InlineData("ldap:///ou=floor1,o=examplecom,c=us", "ldap:///ou=floor1,ou=b42,ou=anytown,o=examplecom,c=us", WsdMatchOutcome.NoMatch)]
    [InlineData("ldap:///ou=floor1,ou=b42,ou=anytown,o=examplecom,c=us", "ldap:///o=examplecom,c=us", WsdMatchOutcome.NoMatch)]
    [InlineData("LDAP://DIR.example.com/O=examplecom,C=us", "ldap://dir.EXAMPLE.com/ou=x,o=examplecom,c=us", WsdMatchOutcome.Match)]
    [InlineData("ldap:///o=ExampleCom,c=us", "ldap:///o=examplecom,c=us", WsdMatchOutcome.NoMatch)]
    [InlineData("ldap://a.example.com/c=us", "ldap://b.example.com/c=us", WsdMatchOutcome.NoMatch)]
    [InlineData("ldap:///cn=a+sn=b,c=us", "ldap:///sn=b+cn=a,c=us", WsdMatchOutcome.Match)]
    [InlineData("ldap:///o=a\\,b,c=us", "ldap:///ou=x,o=a\\,b,c=us", WsdMatchOutcome.Match)]
    [InlineData("ldap:///o=a\\,b,c=us", "ldap:///ou=x,b,c=us", WsdMatchOutcome.NoMatch)]
    [InlineData("ldap:///o=examplecom;c=us", "ldap:///o=examplecom,c=us", WsdMatchOutcome.NoMatch)]
    [InlineData("ldap://", "ldap:///o=examplecom,c=us", WsdMatchOutcome.Match)]
    [InlineData("http:///o=examplecom,c=us", "http:///o=examplecom,c=us", WsdMatchOutcome.NoMatch)]
    public void ScopesMatch_Ldap_ComparesHostPortAndRdnSequencePrefix(string probe, string target, WsdMatchOutcome expected)
    {
        // Scopes of the WS-Discovery spec's Hello example (§4.1) and their parents.
        Assert.Equal(expected, By(WsdProtocol.V2005.MatchByLdap, probe, target, WsdProtocol.V2005));
    }

    [Fact]
    public void ScopesMatch_None_MatchesOnlyATargetWithoutScopesAndOnlyIn11()
    {
        var none = WsdProtocol.V11.MatchByNone!;

        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.ScopesMatch([], none, [], WsdProtocol.V11));
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.ScopesMatch([], none, ["http://x/a"], WsdProtocol.V11));
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.ScopesMatch(["http://x/a"], none, [], WsdProtocol.V11));
        Assert.Equal(WsdMatchOutcome.UnsupportedRule, WsdMatcher.ScopesMatch([], WsdProtocol.V2005.DiscoveryNamespace + "/none", [], WsdProtocol.V2005));
    }

    [Fact]
    public void TypesMatch_ExpandedQNames_IgnoreThePrefix()
    {
        var target = new[] { WsdQName.Create(OnvifNetwork, "NetworkVideoTransmitter", "dn"), WsdQName.Create(Onvif, "Device", "tds") };

        Assert.True(WsdMatcher.TypesMatch([WsdQName.Create(Onvif, "Device", "zz9")], target));
        Assert.True(WsdMatcher.TypesMatch([WsdQName.Create(Onvif, "Device", null), WsdQName.Create(OnvifNetwork, "NetworkVideoTransmitter", "x")], target));
        Assert.True(WsdMatcher.TypesMatch([], target));
        Assert.True(WsdMatcher.TypesMatch([], []));
    }

    [Fact]
    public void TypesMatch_SameLocalNameInAnotherNamespaceOrAMissingType_DoesNotMatch()
    {
        var target = new[] { WsdQName.Create(Onvif, "Device", "tds") };

        Assert.False(WsdMatcher.TypesMatch([WsdQName.Create(WsdProtocol.V2005.DevicesProfileNamespace, "Device", "tds")], target));
        Assert.False(WsdMatcher.TypesMatch([WsdQName.Create(Onvif, "Device", "tds"), WsdQName.Create(OnvifNetwork, "NetworkVideoTransmitter", "dn")], target));
        Assert.False(WsdMatcher.TypesMatch([WsdQName.Create(Onvif, "device", "tds")], target));
        Assert.False(WsdMatcher.TypesMatch([WsdQName.Create(Onvif, "Device", null)], []));
    }

    [Fact]
    public void Matches_UnsupportedRule_TakesPrecedenceOverTypes()
    {
        var probe = new WsdProbe
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader { Action = WsdProtocol.V2005.ProbeAction },
            Types = [new WsdQName("urn:none", "Nothing")],
            MatchBy = "urn:vendor:rule",
        };
        var target = new WsdEndpointData(new WsdEndpointReference("urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119"), [], [], [], 1);

        Assert.Equal(WsdMatchOutcome.UnsupportedRule, WsdMatcher.Matches(probe, target));
    }

    [Fact]
    public void Matches_OnvifDeviceTestToolProbes_AgainstTheUniviewCamera()
    {
        var camera = Assert.Single(Assert.IsType<WsdProbeMatches>(WsdVectors.Read("uniview-ipc-probematches-2005.xml").Message).Matches);
        var windows = Assert.IsType<WsdHello>(WsdVectors.Read("windows-hello-2005-capture.xml").Message).Endpoint;
        var dnProbe = Assert.IsType<WsdProbe>(WsdVectors.Read("onvif-device-test-tool-probe-2005.xml").Message);
        var tdsProbe = Assert.IsType<WsdProbe>(WsdVectors.Read("onvif-device-test-tool-probe-tds-2005.xml").Message);
        var edgexProbe = Assert.IsType<WsdProbe>(WsdVectors.Read("edgex-onvif-probe-2005.xml").Message);

        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.Matches(dnProbe, camera));
        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.Matches(tdsProbe, camera));
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.Matches(dnProbe, windows));
        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.Matches(edgexProbe, windows));
    }

    [Fact]
    public void Matches_SpecProbeWithLdapScope_MatchesTheSpecProbeMatchEndpoint()
    {
        var probe = Assert.IsType<WsdProbe>(WsdVectors.Read("oasis-wsdd11-probe.xml").Message);
        var target = Assert.Single(Assert.IsType<WsdProbeMatches>(WsdVectors.Read("oasis-wsdd11-probematches.xml").Message).Matches);

        Assert.Equal(WsdMatchOutcome.Match, WsdMatcher.Matches(probe, target));
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.Matches(probe with { Scopes = ["ldap:///ou=sales,o=examplecom,c=us"] }, target));
        Assert.Equal(WsdMatchOutcome.NoMatch, WsdMatcher.Matches(probe with { Types = [new WsdQName("http://printer.example.org/2003/imaging", "PrintColor")] }, target));
    }

    [Fact]
    public void SupportedRules_ListTheRulesOfEachFamily()
    {
        Assert.Equal(
            [
                "http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc2396",
                "http://schemas.xmlsoap.org/ws/2005/04/discovery/uuid",
                "http://schemas.xmlsoap.org/ws/2005/04/discovery/ldap",
                "http://schemas.xmlsoap.org/ws/2005/04/discovery/strcmp0",
                "http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986",
            ],
            WsdMatcher.SupportedRules(WsdProtocol.V2005));
        Assert.Equal(
            [
                "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/rfc3986",
                "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/uuid",
                "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/ldap",
                "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/strcmp0",
                "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/none",
            ],
            WsdMatcher.SupportedRules(WsdProtocol.V11));
        foreach (var protocol in WsdProtocol.All)
        {
            Assert.All(WsdMatcher.SupportedRules(protocol), rule => Assert.NotEqual(WsdMatchOutcome.UnsupportedRule, WsdMatcher.ScopesMatch([], rule, [], protocol)));
        }
    }

    [Fact]
    public void ScopeMatches_SingleScopeHelper_AgreesWithScopesMatch()
    {
        Assert.True(WsdMatcher.ScopeMatches("onvif://www.onvif.org/location", OnvifDeviceScopes[3], null, WsdProtocol.V2005));
        Assert.False(WsdMatcher.ScopeMatches("onvif://www.onvif.org/hardware/D1", OnvifDeviceScopes[2], null, WsdProtocol.V2005));
        Assert.False(WsdMatcher.ScopeMatches("x", "x", "urn:unknown", WsdProtocol.V2005));
    }
}
