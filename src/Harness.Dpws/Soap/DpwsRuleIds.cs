namespace Harness.Dpws.Soap;

/// <summary>
/// The rule ids the DPWS codecs and endpoints report in <see cref="Harness.Core.Diagnostics.Violation.RuleId"/>:
/// checklist ids from <c>specs/wsd.md</c> §1.6 and §1.7, plus reader ids for XML-, SOAP- and MIME-level problems.
/// </summary>
public static class DpwsRuleIds
{
    /// <summary>Reader id: the bytes are not well-formed XML (or are empty).</summary>
    public const string XmlWellFormed = "XML-WELLFORMED";

    /// <summary>Reader id: the document carries a DTD, which is refused.</summary>
    public const string XmlDtd = "XML-DTD";

    /// <summary>Reader id: the document is too large, nested too deeply or has too many elements or attributes.</summary>
    public const string XmlLimits = "XML-LIMITS";

    /// <summary>Reader id: not a SOAP 1.2 envelope, or its Header/Body structure is wrong.</summary>
    public const string Envelope = "SOAP-ENVELOPE";

    /// <summary>Reader id: a known namespace is misspelt (e.g. <c>https://</c>, quirk Q-HTTPS-NS).</summary>
    public const string Namespace = "SOAP-NAMESPACE";

    /// <summary>Reader id: a WS-Addressing header is missing, duplicated, empty or from another family.</summary>
    public const string AddressingHeader = "WSA-HEADER";

    /// <summary>Reader id: a SOAP fault travelled with a 2xx HTTP status (SOAP 1.2 HTTP binding; quirk Q-F200).</summary>
    public const string FaultStatus = "SOAP-FAULT-STATUS";

    /// <summary>Reader id: a multipart/related (MTOM/XOP) package is malformed.</summary>
    public const string Mtom = "MTOM-PACKAGE";

    /// <summary>WSD-DPWS-001: Get to an XAddr answered by GetResponse with RelatesTo.</summary>
    public const string TransferGet = "WSD-DPWS-001";

    /// <summary>WSD-DPWS-002: the body is <c>mex:Metadata</c> with the ThisModel, ThisDevice and Relationship sections.</summary>
    public const string MetadataSections = "WSD-DPWS-002";

    /// <summary>WSD-DPWS-003: ThisModel has Manufacturer and ModelName; ThisDevice has FriendlyName.</summary>
    public const string ThisModelDevice = "WSD-DPWS-003";

    /// <summary>WSD-DPWS-004: Relationship of Type <c>{devprof}/host</c>; each Hosted has an EPR, Types and ServiceId.</summary>
    public const string Relationship = "WSD-DPWS-004";

    /// <summary>WSD-DPWS-005: text fields at most 256 characters (MAX_FIELD_SIZE), URIs at most 2048 octets (MAX_URI_SIZE).</summary>
    public const string FieldSize = "WSD-DPWS-005";

    /// <summary>WSD-DPWS-006: HTTP binding: <c>application/soap+xml</c>, chunked accepted, envelope size.</summary>
    public const string HttpBinding = "WSD-DPWS-006";

    /// <summary>WSD-EVT-001: SubscribeResponse with a SubscriptionManager EPR carrying <c>wse:Identifier</c>, and Expires.</summary>
    public const string Subscribe = "WSD-EVT-001";

    /// <summary>WSD-EVT-002: Expires as xs:duration (dateTime may be refused); nonsense is InvalidExpirationTime.</summary>
    public const string Expires = "WSD-EVT-002";

    /// <summary>WSD-EVT-003: an acceptable requested duration is echoed unchanged.</summary>
    public const string ExpiresEcho = "WSD-EVT-003";

    /// <summary>WSD-EVT-004: Filter Dialect <c>{devprof}/Action</c> with action URIs.</summary>
    public const string Filter = "WSD-EVT-004";

    /// <summary>WSD-EVT-005: Delivery Mode absent or Push.</summary>
    public const string Delivery = "WSD-EVT-005";

    /// <summary>WSD-EVT-006: Renew answered by RenewResponse with Expires; unknown id is UnableToRenew.</summary>
    public const string Renew = "WSD-EVT-006";

    /// <summary>WSD-EVT-007: GetStatus answered with the remaining Expires.</summary>
    public const string GetStatus = "WSD-EVT-007";

    /// <summary>WSD-EVT-008: Unsubscribe answered, then no more notifications.</summary>
    public const string Unsubscribe = "WSD-EVT-008";

    /// <summary>WSD-EVT-009: notifications POSTed to NotifyTo with the event Action and the reference parameters echoed.</summary>
    public const string Notification = "WSD-EVT-009";

    /// <summary>WSD-EVT-010: SubscriptionEnd to EndTo with a Status.</summary>
    public const string SubscriptionEnd = "WSD-EVT-010";

    /// <summary>WSD-EVT-011: the WS-Eventing fault set.</summary>
    public const string EventingFaults = "WSD-EVT-011";
}
