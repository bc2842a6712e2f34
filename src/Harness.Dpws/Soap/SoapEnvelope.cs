using System.Xml.Linq;

namespace Harness.Dpws.Soap;

/// <summary>
/// A SOAP 1.2 envelope as DPWS uses it over HTTP: the addressing header, the body elements, or a fault. Immutable;
/// <see cref="SoapWriter"/> turns it into bytes deterministically and <see cref="SoapReader"/> reads peers' bytes into it.
/// </summary>
public sealed record SoapEnvelope
{
    /// <summary>The header blocks.</summary>
    public SoapHeader Header { get; init; } = new();

    /// <summary>The body's child elements (usually one; none for WS-Transfer Get).</summary>
    public IReadOnlyList<XElement> Body { get; init; } = [];

    /// <summary>The fault when the body is a <c>soap:Fault</c>; the writer then writes the fault instead of <see cref="Body"/>.</summary>
    public SoapFault? Fault { get; init; }

    /// <summary>
    /// Extra namespace declarations written on the Envelope element, in order (prefix, URI), e.g. for QName values in
    /// the body. <c>soap</c> and <c>wsa</c> are always declared.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Namespaces { get; init; } = [];

    /// <summary>The first body element, or null.</summary>
    public XElement? BodyElement => Body.Count > 0 ? Body[0] : null;

    /// <summary>True when the body is a fault.</summary>
    public bool IsFault => Fault is not null;

    /// <summary>A request: To, Action, MessageID and an anonymous ReplyTo, as WSDAPI sends them.</summary>
    /// <param name="action">The action URI.</param>
    /// <param name="to">The <c>wsa:To</c> (the device EPR address for Get, the service URL for hosted services).</param>
    /// <param name="messageId">A fresh <c>urn:uuid:</c> message id.</param>
    /// <param name="body">The body elements.</param>
    public static SoapEnvelope Request(string action, string to, string messageId, params IEnumerable<XElement> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return new SoapEnvelope
        {
            Header = new SoapHeader { Action = action, To = to, MessageId = messageId, ReplyTo = WsaEndpointReference.Anonymous },
            Body = [.. body],
        };
    }

    /// <summary>
    /// A reply to <paramref name="request"/>: To is the request's ReplyTo address (anonymous when absent), RelatesTo is
    /// its MessageID, and the ReplyTo reference parameters are echoed as header blocks (WS-Addressing 2004/08 §3.3).
    /// </summary>
    public static SoapEnvelope Reply(SoapEnvelope request, string action, string messageId, params IEnumerable<XElement> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return new SoapEnvelope { Header = ReplyHeader(request, action, messageId), Body = [.. body] };
    }

    /// <summary>A fault reply to <paramref name="request"/> (null when the request could not be read): Action <c>.../addressing/fault</c>, RelatesTo set.</summary>
    public static SoapEnvelope FaultReply(SoapEnvelope? request, SoapFault fault, string messageId)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var header = request is null
            ? new SoapHeader { Action = DpwsNamespaces.AddressingFaultAction, MessageId = messageId, To = DpwsNamespaces.AnonymousAddress }
            : ReplyHeader(request, DpwsNamespaces.AddressingFaultAction, messageId, fault: true);
        return new SoapEnvelope { Header = header, Fault = fault };
    }

    private static SoapHeader ReplyHeader(SoapEnvelope request, string action, string messageId, bool fault = false)
    {
        var target = fault ? request.Header.FaultTo ?? request.Header.ReplyTo : request.Header.ReplyTo;
        var w3c = request.Header.AddressingNamespace == DpwsNamespaces.Addressing10;
        var anonymous = w3c ? DpwsNamespaces.Anonymous10 : DpwsNamespaces.AnonymousAddress;
        if (fault && action == DpwsNamespaces.AddressingFaultAction && w3c)
        {
            action = DpwsNamespaces.Addressing10 + "/fault";
        }

        return new SoapHeader
        {
            Action = action,
            MessageId = messageId,
            RelatesTo = request.Header.MessageId,
            To = target is null || target.IsAnonymous ? anonymous : target.Address,
            Extra = target is null ? [] : [.. target.HeadersToEcho.Select(e => new XElement(e))],
            AddressingNamespace = request.Header.AddressingNamespace,
        };
    }
}
