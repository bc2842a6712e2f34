using System.Xml.Linq;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Scan;

/// <summary>The SOAP 1.2 fault code of a <see cref="ScanFault"/>.</summary>
public enum ScanFaultCode
{
    /// <summary><c>soap:Sender</c>: the request was wrong.</summary>
    Sender,

    /// <summary><c>soap:Receiver</c>: the scanner could not do it now.</summary>
    Receiver,
}

/// <summary>
/// A WS-Scan fault as the service answers it: code, subcode QName (WS-Scan namespace unless stated) and reason, from
/// Microsoft's "Common WSD Scan Service operation error codes" and the per-operation error lists. The HTTP layer turns
/// it into a SOAP fault with <see cref="ToSoapFault"/> (Action <c>…/addressing/fault</c>, WSD-SCN-015).
/// </summary>
/// <param name="Code">Sender or Receiver.</param>
/// <param name="Subcode">The subcode, e.g. <c>wscn:ClientErrorJobIdNotFound</c>.</param>
/// <param name="Reason">The reason text (English).</param>
public sealed record ScanFault(ScanFaultCode Code, XName Subcode, string Reason)
{
    /// <summary>Detail elements, e.g. the supported formats of ClientErrorFormatNotSupported.</summary>
    public IReadOnlyList<XElement> Detail { get; init; } = [];

    /// <summary>The subcode's local name (e.g. <c>ClientErrorJobIdNotFound</c>).</summary>
    public string Name => Subcode.LocalName;

    /// <summary>The SOAP 1.2 fault with the same code, subcode, reason and detail.</summary>
    public SoapFault ToSoapFault() =>
        new(Code == ScanFaultCode.Sender ? SoapFault.Sender : SoapFault.Receiver, Reason)
        {
            Subcode = Subcode,
            Detail = [.. Detail.Select(e => new XElement(e))],
        };

    /// <inheritdoc />
    public override string ToString() => $"{Code}/{Subcode.LocalName}: {Reason}";

    private static XName Wscn(string local) => ScanNamespaces.Wscn + local;

    /// <summary>InvalidArgs (Sender): at least one input argument is invalid.</summary>
    public static ScanFault InvalidArgs(string? detail = null) =>
        new(ScanFaultCode.Sender, Wscn("InvalidArgs"), detail is null ? "At least one input argument is invalid." : "At least one input argument is invalid: " + detail);

    /// <summary>OperationFailed (Receiver): the current state prevents the operation.</summary>
    public static ScanFault OperationFailed() =>
        new(ScanFaultCode.Receiver, Wscn("OperationFailed"), "The service cannot perform the requested operation.");

    /// <summary>
    /// ServerErrorTemporaryError (Receiver). Microsoft's page shows the subcode with the print prefix (<c>wprt:</c>), a
    /// copy-and-paste slip; the scan namespace is used here.
    /// </summary>
    public static ScanFault ServerErrorTemporaryError() =>
        new(ScanFaultCode.Receiver, Wscn("ServerErrorTemporaryError"), "The service has encountered an unexpected error.");

    /// <summary>ServerErrorInternalError (Receiver): a permanent internal error.</summary>
    public static ScanFault ServerErrorInternalError(string? detail = null) =>
        new(ScanFaultCode.Receiver, Wscn("ServerErrorInternalError"), detail is null ? "The service has encountered an unexpected error." : "The service has encountered an unexpected error: " + detail);

    /// <summary>ServerErrorNotAcceptingJobs (Receiver): busy, service mode or stopped.</summary>
    public static ScanFault ServerErrorNotAcceptingJobs() =>
        new(ScanFaultCode.Receiver, Wscn("ServerErrorNotAcceptingJobs"), "The service is temporarily blocked and cannot accept new job or document requests.");

    /// <summary>ClientErrorFormatNotSupported (Sender), with the supported formats as detail.</summary>
    public static ScanFault ClientErrorFormatNotSupported(IEnumerable<string>? supported = null) =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorFormatNotSupported"), "The Document Format parameter value is not supported.")
        {
            Detail = supported is null ? [] : [new XElement(Wscn("FormatsSupported"), supported.Select(f => new XElement(Wscn("FormatValue"), f)))],
        };

    /// <summary>ClientErrorConflictingRequiredParameters (Sender): MustHonor settings conflict.</summary>
    public static ScanFault ClientErrorConflictingRequiredParameters() =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorConflictingRequiredParameters"),
            "Multiple elements in the DocumentParameters element have MustHonor set to true, but applying all settings set to true causes a conflict in the scanner device.");

    /// <summary>
    /// ClientErrorInvalidScanTicket (Sender): a vendor fault, not in Microsoft's WS-Scan pages (WSD-SCN-018); used for an
    /// unsupported MustHonor value only when <see cref="ScannerServiceOptions.UseInvalidScanTicketFault"/> is set.
    /// </summary>
    public static ScanFault ClientErrorInvalidScanTicket(string? detail = null) =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorInvalidScanTicket"), detail is null ? "The ScanTicket is not valid." : "The ScanTicket is not valid: " + detail);

    /// <summary>ClientErrorNoImagesAvailable (Sender): nothing (more) to scan.</summary>
    public static ScanFault ClientErrorNoImagesAvailable() =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorNoImagesAvailable"), "The server has no images available to acquire.");

    /// <summary>ClientErrorJobIdNotFound (Sender), with the JobId as detail.</summary>
    public static ScanFault ClientErrorJobIdNotFound(int jobId) =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorJobIdNotFound"), "The specified JobId was not found.")
        {
            Detail = [new XElement(Wscn("JobId"), jobId.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };

    /// <summary>ClientErrorInvalidJobToken (Sender).</summary>
    public static ScanFault ClientErrorInvalidJobToken() =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorInvalidJobToken"), "The JobToken parameter value is not valid with the JobId parameter.");

    /// <summary>ClientErrorJobCancelled (Sender).</summary>
    public static ScanFault ClientErrorJobCancelled() =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorJobCancelled"), "The current scan job has been canceled.");

    /// <summary>ClientErrorInvalidScanIdentifier (Sender).</summary>
    public static ScanFault ClientErrorInvalidScanIdentifier() =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorInvalidScanIdentifier"), "The ScanIdentifier parameter value is not currently valid.");

    /// <summary>ClientErrorInvalidDestinationToken (Sender).</summary>
    public static ScanFault ClientErrorInvalidDestinationToken() =>
        new(ScanFaultCode.Sender, Wscn("ClientErrorInvalidDestinationToken"), "The DestinationToken parameter value is not currently valid.");
}

/// <summary>The outcome of a service operation: the response, or a <see cref="ScanFault"/>.</summary>
/// <typeparam name="T">The response type.</typeparam>
public sealed class ScanResult<T>
    where T : class
{
    private ScanResult(T? value, ScanFault? fault)
    {
        Value = value;
        Fault = fault;
    }

    /// <summary>The response, or null on a fault.</summary>
    public T? Value { get; }

    /// <summary>The fault, or null on success.</summary>
    public ScanFault? Fault { get; }

    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool IsSuccess => Fault is null;

    /// <summary>A success.</summary>
    public static ScanResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, null);
    }

    /// <summary>A fault.</summary>
    public static ScanResult<T> Failure(ScanFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new(null, fault);
    }

    /// <summary>Converts a response into a success.</summary>
    public static implicit operator ScanResult<T>(T value) => Success(value);

    /// <summary>Converts a fault into a failure.</summary>
    public static implicit operator ScanResult<T>(ScanFault fault) => Failure(fault);

    /// <summary>The response; throws <see cref="InvalidOperationException"/> naming the fault when there is none.</summary>
    public T GetValueOrThrow() => Value ?? throw new InvalidOperationException("The operation answered a fault: " + Fault);

    /// <inheritdoc />
    public override string ToString() => Fault?.ToString() ?? Value?.ToString() ?? string.Empty;
}
