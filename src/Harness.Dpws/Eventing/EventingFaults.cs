using System.Xml.Linq;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Eventing;

/// <summary>
/// The WS-Eventing 2004/08 faults (§4) and the DPWS FilterActionNotSupported fault (checklist WSD-EVT-011), each with
/// its code, subcode, reason and detail. All travel with Action <c>http://schemas.xmlsoap.org/ws/2004/08/addressing/fault</c>.
/// </summary>
public static class EventingFaults
{
    private static readonly XNamespace Wse = DpwsNamespaces.Eventing;

    /// <summary><c>wse:DeliveryModeRequestedUnavailable</c>.</summary>
    public static readonly XName DeliveryModeRequestedUnavailableName = Wse + "DeliveryModeRequestedUnavailable";

    /// <summary><c>wse:InvalidExpirationTime</c>.</summary>
    public static readonly XName InvalidExpirationTimeName = Wse + "InvalidExpirationTime";

    /// <summary><c>wse:UnsupportedExpirationType</c>.</summary>
    public static readonly XName UnsupportedExpirationTypeName = Wse + "UnsupportedExpirationType";

    /// <summary><c>wse:FilteringNotSupported</c>.</summary>
    public static readonly XName FilteringNotSupportedName = Wse + "FilteringNotSupported";

    /// <summary><c>wse:FilteringRequestedUnavailable</c>.</summary>
    public static readonly XName FilteringRequestedUnavailableName = Wse + "FilteringRequestedUnavailable";

    /// <summary><c>wse:EventSourceUnableToProcess</c>.</summary>
    public static readonly XName EventSourceUnableToProcessName = Wse + "EventSourceUnableToProcess";

    /// <summary><c>wse:UnableToRenew</c>.</summary>
    public static readonly XName UnableToRenewName = Wse + "UnableToRenew";

    /// <summary><c>wse:InvalidMessage</c>.</summary>
    public static readonly XName InvalidMessageName = Wse + "InvalidMessage";

    /// <summary><c>wsdp:FilterActionNotSupported</c> (DPWS 2006).</summary>
    public static readonly XName FilterActionNotSupportedName = XName.Get("FilterActionNotSupported", DpwsNamespaces.Devprof);

    /// <summary>Sender: the requested delivery mode is not supported; Detail lists push.</summary>
    public static SoapFault DeliveryModeRequestedUnavailable() => new(SoapFault.Sender, "The requested delivery mode is not supported.")
    {
        Subcode = DeliveryModeRequestedUnavailableName,
        Detail = [new XElement(Wse + "SupportedDeliveryMode", DpwsActions.DeliveryModePush)],
    };

    /// <summary>Sender: the expiration is a zero or negative duration, a time in the past, or not a value at all.</summary>
    public static SoapFault InvalidExpirationTime() => new(SoapFault.Sender, "The expiration time requested is invalid.")
    {
        Subcode = InvalidExpirationTimeName,
    };

    /// <summary>Sender: only durations are accepted (a dateTime was requested).</summary>
    public static SoapFault UnsupportedExpirationType() => new(SoapFault.Sender, "Only expiration durations are supported.")
    {
        Subcode = UnsupportedExpirationTypeName,
    };

    /// <summary>Sender: this source does not filter at all.</summary>
    public static SoapFault FilteringNotSupported() => new(SoapFault.Sender, "Filtering is not supported.")
    {
        Subcode = FilteringNotSupportedName,
    };

    /// <summary>Sender: the filter dialect is not supported; Detail lists the DPWS Action dialect.</summary>
    public static SoapFault FilteringRequestedUnavailable() => new(SoapFault.Sender, "The requested filter dialect is not supported.")
    {
        Subcode = FilteringRequestedUnavailableName,
        Detail = [new XElement(Wse + "SupportedDialect", DpwsActions.ActionFilterDialect)],
    };

    /// <summary>Sender (DPWS): none of the filter's actions is an event of this source.</summary>
    public static SoapFault FilterActionNotSupported() => new(SoapFault.Sender, "No notifications match the supplied filter.")
    {
        Subcode = FilterActionNotSupportedName,
    };

    /// <summary>Receiver: the source cannot process the subscription (limits, an undeliverable NotifyTo).</summary>
    public static SoapFault EventSourceUnableToProcess(string reason = "The event source is unable to process the subscription request.") =>
        new(SoapFault.Receiver, reason) { Subcode = EventSourceUnableToProcessName };

    /// <summary>Sender: the subscription could not be renewed (unknown or expired identifier).</summary>
    public static SoapFault UnableToRenew(string reason = "The subscription could not be renewed.") =>
        new(SoapFault.Sender, reason) { Subcode = UnableToRenewName };

    /// <summary>Sender: the request is not a valid WS-Eventing message.</summary>
    public static SoapFault InvalidMessage(string reason = "The message is not valid and cannot be processed.") =>
        new(SoapFault.Sender, reason) { Subcode = InvalidMessageName };
}
