using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Print;

/// <summary>The SOAP 1.2 fault code of a <see cref="PrintFault"/>.</summary>
public enum PrintFaultCode
{
    /// <summary><c>soap:Sender</c>: the request was wrong.</summary>
    Sender,

    /// <summary><c>soap:Receiver</c>: the printer could not do it now.</summary>
    Receiver,
}

/// <summary>
/// A WS-Print fault: code, subcode QName and reason, from Microsoft's "Common Operation Error Codes" of the WSD Print
/// Service and the per-operation error lists (ClientErrorJobIdNotFound of CancelJob / GetJobElements). The HTTP layer
/// sends it as a SOAP fault (<see cref="ToSoapFault"/>, Action <c>…/addressing/fault</c>); the client reads any fault
/// back with <see cref="FromSoapFault"/>.
/// </summary>
/// <param name="Code">Sender or Receiver.</param>
/// <param name="Subcode">The subcode, e.g. <c>wprt:ClientErrorJobIdNotFound</c> (any namespace when read from a peer).</param>
/// <param name="Reason">The reason text.</param>
public sealed record PrintFault(PrintFaultCode Code, XName Subcode, string Reason)
{
    /// <summary>Detail elements, e.g. the JobId that was not found.</summary>
    public IReadOnlyList<XElement> Detail { get; init; } = [];

    /// <summary>The subcode's local name (e.g. <c>ClientErrorJobIdNotFound</c>).</summary>
    public string Name => Subcode.LocalName;

    /// <summary>True when the subcode is in a WS-Print namespace (any spelling).</summary>
    public bool IsPrintFault => PrintNamespaces.Classify(Subcode.NamespaceName) != PrintNamespaceKind.Other;

    /// <summary>True when this is <paramref name="localName"/> in a WS-Print namespace.</summary>
    public bool Is(string localName) => IsPrintFault && Subcode.LocalName == localName;

    /// <summary>The SOAP 1.2 fault with the same code, subcode, reason and detail.</summary>
    public SoapFault ToSoapFault() =>
        new(Code == PrintFaultCode.Sender ? SoapFault.Sender : SoapFault.Receiver, Reason)
        {
            Subcode = Subcode,
            Detail = [.. Detail.Select(e => new XElement(e))],
        };

    /// <summary>A print fault from any SOAP fault (a fault without a subcode gets <c>soap:Sender</c>/<c>soap:Receiver</c> as its subcode).</summary>
    public static PrintFault FromSoapFault(SoapFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new PrintFault(fault.Code == SoapFault.Receiver ? PrintFaultCode.Receiver : PrintFaultCode.Sender, fault.Subcode ?? fault.Code, fault.Reason)
        {
            Detail = fault.Detail,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Code}/{Subcode.LocalName}: {Reason}";

    private static XName Wprt(string local) => PrintNamespaces.Wprt + local;

    /// <summary>InvalidArgs (Sender): at least one input argument is invalid.</summary>
    public static PrintFault InvalidArgs(string? detail = null) =>
        new(PrintFaultCode.Sender, Wprt("InvalidArgs"), detail is null ? "At least one input argument is invalid." : "At least one input argument is invalid: " + detail);

    /// <summary>OperationFailed (Receiver): the current state of the service prevents the operation.</summary>
    public static PrintFault OperationFailed(string? detail = null) =>
        new(PrintFaultCode.Receiver, Wprt("OperationFailed"), detail is null ? "Service cannot perform the requested operation." : "Service cannot perform the requested operation: " + detail);

    /// <summary>ServerErrorTemporaryError (Receiver): a temporary error; the same request may succeed later.</summary>
    public static PrintFault ServerErrorTemporaryError(string? detail = null) =>
        new(PrintFaultCode.Receiver, Wprt("ServerErrorTemporaryError"), detail is null ? "The service has encountered a temporary error." : "The service has encountered a temporary error: " + detail);

    /// <summary>ServerErrorInternalError (Receiver): a permanent internal error.</summary>
    public static PrintFault ServerErrorInternalError() =>
        new(PrintFaultCode.Receiver, Wprt("ServerErrorInternalError"), "The service has encountered an unexpected error.");

    /// <summary>ServerErrorNotAcceptingJobs (Receiver): the printer is temporarily not accepting jobs.</summary>
    public static PrintFault ServerErrorNotAcceptingJobs() =>
        new(PrintFaultCode.Receiver, Wprt("ServerErrorNotAcceptingJobs"), "The service is temporarily blocked and cannot accept new job or document requests.");

    /// <summary>ClientErrorJobIdNotFound (Sender), with the JobId as detail.</summary>
    public static PrintFault ClientErrorJobIdNotFound(int jobId) =>
        new(PrintFaultCode.Sender, Wprt("ClientErrorJobIdNotFound"), "The specified JobId was not found.")
        {
            Detail = [new XElement(Wprt("JobId"), jobId.ToString(CultureInfo.InvariantCulture))],
        };
}

/// <summary>The outcome of a <see cref="PrinterService"/> operation: the response, or a <see cref="PrintFault"/>.</summary>
/// <typeparam name="T">The response type.</typeparam>
public sealed class PrintResult<T>
    where T : class
{
    private PrintResult(T? value, PrintFault? fault)
    {
        Value = value;
        Fault = fault;
    }

    /// <summary>The response, or null on a fault.</summary>
    public T? Value { get; }

    /// <summary>The fault, or null on success.</summary>
    public PrintFault? Fault { get; }

    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool IsSuccess => Fault is null;

    /// <summary>A success.</summary>
    public static PrintResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, null);
    }

    /// <summary>A fault.</summary>
    public static PrintResult<T> Failure(PrintFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new(null, fault);
    }

    /// <summary>Converts a response into a success.</summary>
    public static implicit operator PrintResult<T>(T value) => Success(value);

    /// <summary>Converts a fault into a failure.</summary>
    public static implicit operator PrintResult<T>(PrintFault fault) => Failure(fault);

    /// <summary>The response; throws <see cref="InvalidOperationException"/> naming the fault when there is none.</summary>
    public T GetValueOrThrow() => Value ?? throw new InvalidOperationException("The operation answered a fault: " + Fault);

    /// <inheritdoc />
    public override string ToString() => Fault?.ToString() ?? Value?.ToString() ?? string.Empty;
}

/// <summary>A printer answered a <see cref="PrintClient"/> call with a SOAP fault (with any HTTP status, Q-F200).</summary>
public sealed class PrintFaultException : Exception
{
    /// <summary>A fault that was received.</summary>
    /// <param name="fault">The fault as a print fault.</param>
    /// <param name="httpStatusCode">The HTTP status it came with.</param>
    /// <param name="envelope">The fault envelope as received.</param>
    /// <param name="violations">Deviations found while reading it.</param>
    public PrintFaultException(PrintFault fault, int? httpStatusCode = null, SoapEnvelope? envelope = null, IReadOnlyList<Violation>? violations = null)
        : base((fault ?? throw new ArgumentNullException(nameof(fault))).ToString())
    {
        Fault = fault;
        HttpStatusCode = httpStatusCode;
        Envelope = envelope;
        Violations = violations ?? [];
    }

    /// <summary>Not used: a fault is required.</summary>
    public PrintFaultException()
        : this(PrintFault.ServerErrorInternalError())
    {
    }

    /// <summary>A Receiver fault with <paramref name="message"/> as its reason.</summary>
    public PrintFaultException(string message)
        : this(PrintFault.OperationFailed(message))
    {
    }

    /// <summary>A Receiver fault with <paramref name="message"/> as its reason.</summary>
    public PrintFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        Fault = PrintFault.OperationFailed(message);
        Violations = [];
    }

    /// <summary>The fault.</summary>
    public PrintFault Fault { get; }

    /// <summary>The HTTP status the fault came with.</summary>
    public int? HttpStatusCode { get; }

    /// <summary>The fault envelope as received, or null.</summary>
    public SoapEnvelope? Envelope { get; }

    /// <summary>Deviations found while reading the fault.</summary>
    public IReadOnlyList<Violation> Violations { get; }
}
