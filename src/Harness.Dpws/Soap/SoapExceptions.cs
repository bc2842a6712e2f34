using System.Xml.Linq;
using Harness.Core.Diagnostics;

namespace Harness.Dpws.Soap;

/// <summary>
/// A SOAP fault: thrown by typed clients when the peer answered with a fault (with any HTTP status, Q-F200), and by
/// device-side handlers to answer with a fault (the host adds RelatesTo and the fault Action).
/// </summary>
public sealed class SoapFaultException : Exception
{
    /// <summary>A fault to send or that was received.</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="httpStatusCode">The HTTP status it came with (client side), or the status to send (device side; null for the host's default).</param>
    /// <param name="envelope">The whole fault envelope when received.</param>
    /// <param name="violations">Deviations found while reading it.</param>
    public SoapFaultException(SoapFault fault, int? httpStatusCode = null, SoapEnvelope? envelope = null, IReadOnlyList<Violation>? violations = null)
        : base((fault ?? throw new ArgumentNullException(nameof(fault))).ToString())
    {
        Fault = fault;
        HttpStatusCode = httpStatusCode;
        Envelope = envelope;
        Violations = violations ?? [];
    }

    /// <summary>Not used: a fault is required.</summary>
    public SoapFaultException()
        : this(SoapFault.InternalError())
    {
    }

    /// <summary>A Receiver fault with <paramref name="message"/> as its reason.</summary>
    public SoapFaultException(string message)
        : this(new SoapFault(SoapFault.Receiver, message))
    {
    }

    /// <summary>A Receiver fault with <paramref name="message"/> as its reason.</summary>
    public SoapFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        Fault = new SoapFault(SoapFault.Receiver, message);
        Violations = [];
    }

    /// <summary>The fault.</summary>
    public SoapFault Fault { get; }

    /// <summary>The fault code (<c>soap:Sender</c>, <c>soap:Receiver</c>, …).</summary>
    public XName Code => Fault.Code;

    /// <summary>The subcode, e.g. <c>wse:InvalidExpirationTime</c>, or null.</summary>
    public XName? Subcode => Fault.Subcode;

    /// <summary>The reason text.</summary>
    public string Reason => Fault.Reason;

    /// <summary>The HTTP status the fault came with, or the status to answer with.</summary>
    public int? HttpStatusCode { get; }

    /// <summary>The fault envelope as received (RelatesTo, Action), or null.</summary>
    public SoapEnvelope? Envelope { get; }

    /// <summary>Deviations found while reading the fault (e.g. HTTP 200 with a fault, Q-F200).</summary>
    public IReadOnlyList<Violation> Violations { get; }
}

/// <summary>What went wrong in a SOAP-over-HTTP exchange when no SOAP fault explains it.</summary>
public enum SoapProtocolError
{
    /// <summary>The connection failed (refused, reset, DNS).</summary>
    Connection,

    /// <summary>No complete answer within the timeout.</summary>
    Timeout,

    /// <summary>An HTTP error status without a SOAP envelope (e.g. an old camera's 400, Q-BAD-GET).</summary>
    HttpStatus,

    /// <summary>The answer is not a readable SOAP envelope (malformed XML, wrong media type, broken MIME package).</summary>
    Malformed,

    /// <summary>The answer is larger than the client's limit.</summary>
    TooLarge,

    /// <summary>The answer is a SOAP envelope but not the expected reply (wrong Action, missing body).</summary>
    UnexpectedReply,
}

/// <summary>A SOAP-over-HTTP exchange failed without a SOAP fault to explain it.</summary>
public sealed class SoapProtocolException : Exception
{
    /// <summary>A failure of kind <paramref name="error"/>.</summary>
    public SoapProtocolException(SoapProtocolError error, string message, int? httpStatusCode = null, IReadOnlyList<Violation>? violations = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        HttpStatusCode = httpStatusCode;
        Violations = violations ?? [];
    }

    /// <summary>A failure with a message.</summary>
    public SoapProtocolException()
        : this(SoapProtocolError.Malformed, "The SOAP exchange failed.")
    {
    }

    /// <summary>A failure with a message.</summary>
    public SoapProtocolException(string message)
        : this(SoapProtocolError.Malformed, message)
    {
    }

    /// <summary>A failure with a message and a cause.</summary>
    public SoapProtocolException(string message, Exception innerException)
        : this(SoapProtocolError.Malformed, message, null, null, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public SoapProtocolError Error { get; }

    /// <summary>The HTTP status when a response arrived.</summary>
    public int? HttpStatusCode { get; }

    /// <summary>Deviations found in what arrived.</summary>
    public IReadOnlyList<Violation> Violations { get; }
}
