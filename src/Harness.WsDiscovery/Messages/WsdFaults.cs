namespace Harness.WsDiscovery.Messages;

/// <summary>The SOAP faults WS-Discovery defines.</summary>
public static class WsdFaults
{
    /// <summary>The reason text the specifications give for <c>d:MatchingRuleNotSupported</c>.</summary>
    public const string MatchingRuleNotSupportedReason = "the matching rule specified is not supported";

    /// <summary>
    /// The MatchingRuleNotSupported fault a target may send (unicast only) for a Probe whose MatchBy it does not
    /// support (WS-Discovery 2005 §5.2.2, 1.1 §5.2.2; ONVIF Core): Action <c>{ns}/fault</c>, Code
    /// <c>soap:Sender</c>, Subcode <c>d:MatchingRuleNotSupported</c>, Detail <c>d:SupportedMatchingRules</c>.
    /// </summary>
    /// <param name="protocol">The family of the Probe being answered.</param>
    /// <param name="relatesTo">The Probe's MessageID.</param>
    /// <param name="messageId">A fresh MessageID for the fault (<c>urn:uuid:…</c>).</param>
    /// <param name="supportedRules">The MatchBy URIs the target supports.</param>
    public static WsdFault MatchingRuleNotSupported(WsdProtocol protocol, string relatesTo, string messageId, IReadOnlyList<string> supportedRules)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(relatesTo);
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(supportedRules);
        return new WsdFault
        {
            Protocol = protocol,
            Header = new WsdHeader
            {
                Action = protocol.FaultAction,
                MessageId = messageId,
                RelatesTo = relatesTo,
                To = protocol.AnonymousAddress,
            },
            Code = WsdQName.Create(WsdProtocol.SoapEnvelopeNamespace, "Sender", "soap"),
            Subcode = WsdQName.Create(protocol.DiscoveryNamespace, "MatchingRuleNotSupported", "d"),
            Reason = MatchingRuleNotSupportedReason,
            SupportedMatchingRules = [.. supportedRules],
        };
    }
}
