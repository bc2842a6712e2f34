using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Messages;

/// <summary>The MatchingRuleNotSupported fault of WS-Discovery §5.2.2 (wsd.md WSD-PRB-010, ONVIF WSD-ONV-007).</summary>
public sealed class WsdFaultsTests
{
    [Theory]
    [InlineData(WsdVersion.V2005)]
    [InlineData(WsdVersion.V11)]
    public void MatchingRuleNotSupported_CarriesActionCodesReasonAndRules(WsdVersion version)
    {
        var protocol = WsdProtocol.For(version);

        var fault = WsdFaults.MatchingRuleNotSupported(protocol, "urn:uuid:11111111-0000-0000-0000-000000000000", "urn:uuid:22222222-0000-0000-0000-000000000000", WsdMatcher.SupportedRules(protocol));

        Assert.Same(protocol, fault.Protocol);
        Assert.Equal(protocol.DiscoveryNamespace + "/fault", fault.Header.Action);
        Assert.Equal("urn:uuid:11111111-0000-0000-0000-000000000000", fault.Header.RelatesTo);
        Assert.Equal("urn:uuid:22222222-0000-0000-0000-000000000000", fault.Header.MessageId);
        Assert.Equal(protocol.AnonymousAddress, fault.Header.To);
        Assert.Equal(new WsdQName(WsdProtocol.SoapEnvelopeNamespace, "Sender"), fault.Code);
        Assert.Equal(new WsdQName(protocol.DiscoveryNamespace, "MatchingRuleNotSupported"), fault.Subcode);
        Assert.Equal("the matching rule specified is not supported", fault.Reason);
        Assert.Equal(WsdMatcher.SupportedRules(protocol), fault.SupportedMatchingRules);
    }

    [Theory]
    [InlineData(WsdVersion.V2005)]
    [InlineData(WsdVersion.V11)]
    public void MatchingRuleNotSupported_WrittenAndReadBack_IsACleanFaultOfTheSameFamily(WsdVersion version)
    {
        var protocol = WsdProtocol.For(version);
        var fault = WsdFaults.MatchingRuleNotSupported(protocol, "urn:uuid:11111111-0000-0000-0000-000000000000", "urn:uuid:22222222-0000-0000-0000-000000000000", WsdMatcher.SupportedRules(protocol));

        var result = WsdMessageReader.Read(WsdMessageWriter.Write(fault), WsdReadOptions.Strict);

        var read = Assert.IsType<WsdFault>(result.Message);
        Assert.Empty(result.Violations);
        WsdMessageAssert.Same(fault, read);
    }
}
