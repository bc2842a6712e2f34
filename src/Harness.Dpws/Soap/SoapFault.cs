using System.Xml.Linq;

namespace Harness.Dpws.Soap;

/// <summary>
/// A SOAP 1.2 fault: Code (Sender / Receiver / VersionMismatch / MustUnderstand), an optional Subcode QName, the
/// Reason text and Detail elements. The factories build the WS-Addressing 2004/08 faults the HTTP layer sends;
/// <see cref="Harness.Dpws.Eventing.EventingFaults"/> holds the WS-Eventing ones.
/// </summary>
/// <param name="Code">The fault code QName, e.g. <see cref="Sender"/>.</param>
/// <param name="Reason">The reason text.</param>
public sealed record SoapFault(XName Code, string Reason)
{
    /// <summary><c>soap:Sender</c>: the message was wrong.</summary>
    public static readonly XName Sender = XName.Get("Sender", DpwsNamespaces.Soap12);

    /// <summary><c>soap:Receiver</c>: the receiver could not process a correct message.</summary>
    public static readonly XName Receiver = XName.Get("Receiver", DpwsNamespaces.Soap12);

    /// <summary><c>soap:VersionMismatch</c>: not a SOAP 1.2 envelope.</summary>
    public static readonly XName VersionMismatch = XName.Get("VersionMismatch", DpwsNamespaces.Soap12);

    /// <summary><c>soap:MustUnderstand</c>.</summary>
    public static readonly XName MustUnderstand = XName.Get("MustUnderstand", DpwsNamespaces.Soap12);

    /// <summary>The subcode QName (e.g. <c>wsa:ActionNotSupported</c>), or null.</summary>
    public XName? Subcode { get; init; }

    /// <summary>The <c>xml:lang</c> of the reason text.</summary>
    public string ReasonLanguage { get; init; } = "en";

    /// <summary>The children of <c>soap:Detail</c>; empty when there is no Detail.</summary>
    public IReadOnlyList<XElement> Detail { get; init; } = [];

    /// <summary>True for <c>soap:Sender</c> (also for SOAP 1.1 <c>Client</c> when read leniently).</summary>
    public bool IsSender => Code == Sender;

    /// <inheritdoc />
    public override string ToString() =>
        Subcode is null ? $"{Code.LocalName}: {Reason}" : $"{Code.LocalName}/{Subcode.LocalName}: {Reason}";

    /// <summary>WS-Addressing 2004/08 §5.4 ActionNotSupported (Sender), Detail <c>wsa:Action</c>.</summary>
    public static SoapFault ActionNotSupported(string? action) => new(Sender, "The [action] cannot be processed at the receiver.")
    {
        Subcode = XName.Get("ActionNotSupported", DpwsNamespaces.Addressing),
        Detail = action is null ? [] : [new XElement(XName.Get("Action", DpwsNamespaces.Addressing), action)],
    };

    /// <summary>WS-Addressing 2004/08 MessageInformationHeaderRequired (Sender), Detail the missing header's QName.</summary>
    public static SoapFault MessageInformationHeaderRequired(string headerLocalName) =>
        new(Sender, "A required header representing a Message Addressing Property is not present.")
        {
            Subcode = XName.Get("MessageInformationHeaderRequired", DpwsNamespaces.Addressing),
            Detail = [new XElement(XName.Get("ProblemHeaderQName", DpwsNamespaces.Addressing), "wsa:" + headerLocalName)],
        };

    /// <summary>WS-Addressing 2004/08 InvalidMessageInformationHeader (Sender).</summary>
    public static SoapFault InvalidMessageInformationHeader(string reason) => new(Sender, reason)
    {
        Subcode = XName.Get("InvalidMessageInformationHeader", DpwsNamespaces.Addressing),
    };

    /// <summary>WS-Addressing 2004/08 DestinationUnreachable (Sender): no endpoint at the address (or no such subscription).</summary>
    public static SoapFault DestinationUnreachable(string reason = "No route can be determined to reach the destination role defined by the WS-Addressing To.") =>
        new(Sender, reason) { Subcode = XName.Get("DestinationUnreachable", DpwsNamespaces.Addressing) };

    /// <summary>WS-Addressing 2004/08 EndpointUnavailable (Receiver): the endpoint cannot process messages now.</summary>
    public static SoapFault EndpointUnavailable(string reason = "The endpoint is unable to process the message at this time.") =>
        new(Receiver, reason) { Subcode = XName.Get("EndpointUnavailable", DpwsNamespaces.Addressing) };

    /// <summary>A Sender fault for a message that could not be read (malformed XML, refused DTD, limits, not an envelope).</summary>
    public static SoapFault Malformed(string reason) => new(Sender, reason);

    /// <summary>SOAP 1.2 VersionMismatch for a SOAP 1.1 (or other) envelope.</summary>
    public static SoapFault WrongVersion() => new(VersionMismatch, "Only SOAP 1.2 envelopes are processed.");

    /// <summary>A Receiver fault for an internal failure of the handler (no detail is leaked).</summary>
    public static SoapFault InternalError() => new(Receiver, "The receiver failed to process the message.");
}
