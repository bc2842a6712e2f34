namespace Harness.WsDiscovery.Messages;

/// <summary>
/// The rule ids the WS-Discovery codec reports in <see cref="Harness.Core.Diagnostics.Violation.RuleId"/>:
/// checklist ids from <c>specs/wsd.md</c>, plus a few reader ids for XML- and schema-level problems.
/// </summary>
public static class WsdRuleIds
{
    /// <summary>Envelope is SOAP 1.2, exactly one envelope per datagram.</summary>
    public const string Envelope = "WSD-MSG-001";

    /// <summary>Discovery namespace, addressing namespace, To and Action from the same family.</summary>
    public const string MixedFamilies = "WSD-MSG-002";

    /// <summary>Action equals <c>{ns}/&lt;Name&gt;</c> exactly (after trimming XML whitespace).</summary>
    public const string Action = "WSD-MSG-003";

    /// <summary>MessageID and endpoint address use the <c>urn:uuid:</c> form.</summary>
    public const string UuidForm = "WSD-MSG-005";

    /// <summary>Multicast Hello/Bye/Probe/Resolve carry the family's discovery URN in <c>wsa:To</c>.</summary>
    public const string MulticastTo = "WSD-MSG-006";

    /// <summary>ProbeMatches/ResolveMatches carry RelatesTo and To (the family's anonymous address).</summary>
    public const string ReplyAddressing = "WSD-MSG-007";

    /// <summary>Hello, Bye, ProbeMatches and ResolveMatches carry an AppSequence with non-negative integers.</summary>
    public const string AppSequence = "WSD-MSG-009";

    /// <summary>MetadataVersion present where the schema requires it, and a valid unsigned integer.</summary>
    public const string MetadataVersion = "WSD-MSG-015";

    /// <summary>Types QNames resolve through in-scope namespace declarations.</summary>
    public const string QNames = "WSD-MSG-017";

    /// <summary>The envelope fits one datagram.</summary>
    public const string DatagramSize = "WSD-UDP-001";

    /// <summary>Reader id: the bytes are not well-formed XML (or are empty).</summary>
    public const string XmlWellFormed = "XML-WELLFORMED";

    /// <summary>Reader id: the document carries a DTD, which is refused.</summary>
    public const string XmlDtd = "XML-DTD";

    /// <summary>Reader id: the document is nested too deeply or has too many elements or attributes.</summary>
    public const string XmlLimits = "XML-LIMITS";

    /// <summary>Reader id: a WS-Addressing header is duplicated or incomplete.</summary>
    public const string AddressingHeader = "WSA-HEADER";

    /// <summary>Reader id: a required element of the WS-Discovery schema is missing, duplicated or malformed.</summary>
    public const string Schema = "WSD-SCHEMA";
}
