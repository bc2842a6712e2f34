using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Dpws.Scan.Http;

/// <summary>A typed answer of a <see cref="ScanClient"/> call.</summary>
/// <typeparam name="T">The response record.</typeparam>
/// <param name="Value">The response.</param>
/// <param name="Violations">Deviations found (HTTP binding, addressing, MTOM, the WS-Scan reader).</param>
/// <param name="Response">The response envelope as received.</param>
public sealed record ScanCallResult<T>(T Value, IReadOnlyList<Violation> Violations, SoapEnvelope Response);

/// <summary>An image as RetrieveImage delivered it.</summary>
/// <param name="Content">The bytes of the MTOM attachment.</param>
/// <param name="ContentType">The attachment's media type (e.g. <c>image/png</c>), or <c>application/octet-stream</c> when it has none.</param>
/// <param name="ContentId">The Content-ID the response referenced.</param>
public sealed record ScanImage(ReadOnlyMemory<byte> Content, string ContentType, string ContentId);

/// <summary>A WS-Scan fault answered to a <see cref="ScanClient"/> call, as a typed <see cref="ScanFault"/>.</summary>
public sealed class ScanFaultException : Exception
{
    /// <summary>The exception for <paramref name="fault"/>.</summary>
    public ScanFaultException(ScanFault fault, int? httpStatusCode = null, SoapEnvelope? envelope = null, IReadOnlyList<Violation>? violations = null)
        : base(fault?.ToString())
    {
        ArgumentNullException.ThrowIfNull(fault);
        Fault = fault;
        HttpStatusCode = httpStatusCode;
        Envelope = envelope;
        Violations = violations ?? [];
    }

    /// <summary>An exception without a fault (serialization conventions).</summary>
    public ScanFaultException()
        : this(ScanFault.OperationFailed())
    {
    }

    /// <summary>An exception with a message and an OperationFailed fault.</summary>
    public ScanFaultException(string message)
        : base(message)
    {
        Fault = ScanFault.OperationFailed();
        Violations = [];
    }

    /// <summary>An exception with a message, an inner exception and an OperationFailed fault.</summary>
    public ScanFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        Fault = ScanFault.OperationFailed();
        Violations = [];
    }

    /// <summary>The fault.</summary>
    public ScanFault Fault { get; }

    /// <summary>The subcode's local name, e.g. <c>ClientErrorJobIdNotFound</c>.</summary>
    public string Name => Fault.Name;

    /// <summary>The HTTP status the fault came with.</summary>
    public int? HttpStatusCode { get; }

    /// <summary>The fault envelope.</summary>
    public SoapEnvelope? Envelope { get; }

    /// <summary>Deviations found in the answer.</summary>
    public IReadOnlyList<Violation> Violations { get; }

    /// <summary>The WS-Scan view of a SOAP fault: its code (Sender unless Receiver), subcode (the code when absent), reason and detail.</summary>
    public static ScanFault ToScanFault(SoapFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var code = fault.Code == SoapFault.Receiver ? ScanFaultCode.Receiver : ScanFaultCode.Sender;
        return new ScanFault(code, fault.Subcode ?? fault.Code, fault.Reason) { Detail = fault.Detail };
    }
}

/// <summary>
/// The client side of WS-Scan over a <see cref="SoapHttpClient"/> (PyWSD's get_scanner_elements, validate_scan_ticket,
/// create_scan_job, retrieve_image, cancel_job, get_active_jobs, get_job_history, get_job_elements): one typed call per
/// operation of the scanner service (the URL of its <c>wscn:ScannerServiceType</c> hosted service, also sent as
/// <c>wsa:To</c>). A SOAP fault throws <see cref="ScanFaultException"/>; no SOAP answer, or one the reader cannot
/// understand, throws <see cref="SoapProtocolException"/>. Deviations of an understood answer are returned with it.
/// </summary>
public sealed class ScanClient
{
    /// <summary>The elements GetScannerElements asks for by default.</summary>
    public static IReadOnlyList<string> AllScannerElements { get; } =
        [ScanElementNames.ScannerDescription, ScanElementNames.ScannerConfiguration, ScanElementNames.ScannerStatus, ScanElementNames.DefaultScanTicket];

    /// <summary>The elements GetJobElements asks for by default.</summary>
    public static IReadOnlyList<string> AllJobElements { get; } = [ScanElementNames.JobStatus, ScanElementNames.ScanTicket, ScanElementNames.Documents];

    private readonly SoapHttpClient _http;
    private readonly ILogger _logger;

    /// <summary>A client over <paramref name="http"/>.</summary>
    public ScanClient(SoapHttpClient http, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ScanClient>();
    }

    /// <summary>The client's endpoint address sent as <c>wsa:From</c>, or null to send none.</summary>
    public string? From { get; init; }

    /// <summary>The largest RetrieveImage answer accepted (default 256 MiB).</summary>
    public int MaxImageBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>The time allowed for RetrieveImage (rendering a page takes a while); null for the HTTP client's timeout.</summary>
    public TimeSpan? RetrieveTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>GetScannerElements for <paramref name="names"/> (local names in the scan namespace; null for <see cref="AllScannerElements"/>).</summary>
    public Task<ScanCallResult<GetScannerElementsResponse>> GetScannerElementsAsync(Uri service, IEnumerable<string>? names = null, CancellationToken cancellationToken = default)
    {
        var request = new GetScannerElementsRequest([.. (names ?? AllScannerElements).Select(ScanQName.Scan)]);
        return CallAsync(service, ScanActions.GetScannerElements, ScanXmlWriter.Write(request), ScanXmlReader.ReadGetScannerElementsResponse, cancellationToken);
    }

    /// <summary>ValidateScanTicket: whether <paramref name="ticket"/> is valid, and the corrected ticket when it is not.</summary>
    public Task<ScanCallResult<ValidateScanTicketResponse>> ValidateScanTicketAsync(Uri service, ScanTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return CallAsync(service, ScanActions.ValidateScanTicket, ScanXmlWriter.Write(new ValidateScanTicketRequest(ticket)), ScanXmlReader.ReadValidateScanTicketResponse, cancellationToken);
    }

    /// <summary>CreateScanJob with <paramref name="ticket"/> (and, for a scan started at the device, its ScanIdentifier and DestinationToken).</summary>
    public Task<ScanCallResult<CreateScanJobResponse>> CreateScanJobAsync(Uri service, ScanTicket ticket, string? scanIdentifier = null, string? destinationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return CallAsync(service, ScanActions.CreateScanJob, ScanXmlWriter.Write(new CreateScanJobRequest(ticket, scanIdentifier, destinationToken)), ScanXmlReader.ReadCreateScanJobResponse, cancellationToken);
    }

    /// <summary>RetrieveImage: the next image of the job, read from the MTOM attachment the response references.</summary>
    public async Task<ScanCallResult<ScanImage>> RetrieveImageAsync(Uri service, int jobId, string jobToken, string? documentName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobToken);
        var call = new SoapCallOptions { MaxResponseBytes = MaxImageBytes, Timeout = RetrieveTimeout };
        var (reply, violations, href, package) = await InvokeAsync(service, ScanActions.RetrieveImage, ScanXmlWriter.Write(new RetrieveImageRequest(jobId, jobToken, documentName)), ScanXmlReader.ReadRetrieveImageResponse, call, cancellationToken).ConfigureAwait(false);
        if (package is null)
        {
            violations.Add(new Violation(ScanRuleIds.Schema, "RetrieveImageResponse is not an MTOM/XOP package (WSD-SCN-010).", ViolationSeverity.Error, "Content-Type"));
            throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, "RetrieveImageResponse carried no MTOM attachment.", null, violations);
        }

        var part = package.Find(href)
            ?? throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"RetrieveImageResponse references '{href}', which is not a part of the package.", null, violations);
        var contentType = part.ContentType is { Length: > 0 } type ? MediaType.Parse(type).Value : "application/octet-stream";
        return new ScanCallResult<ScanImage>(new ScanImage(part.Content, contentType, part.ContentId ?? href), violations, reply);
    }

    /// <summary>
    /// Retrieves every image of a job: RetrieveImage until the scanner answers ClientErrorNoImagesAvailable (or
    /// <paramref name="maxImages"/> were received). The first RetrieveImage's faults are thrown.
    /// </summary>
    public async Task<IReadOnlyList<ScanImage>> RetrieveAllImagesAsync(Uri service, CreateScanJobResponse job, int maxImages = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxImages, 1);
        var images = new List<ScanImage>();
        while (images.Count < maxImages)
        {
            try
            {
                var image = await RetrieveImageAsync(service, job.JobId, job.JobToken, null, cancellationToken).ConfigureAwait(false);
                images.Add(image.Value);
            }
            catch (ScanFaultException ex) when (images.Count > 0 && ex.Name is "ClientErrorNoImagesAvailable" or "ClientErrorJobIdNotFound")
            {
                break;
            }
        }

        return images;
    }

    /// <summary>CancelJob.</summary>
    public async Task<ScanCallResult<CancelJobResponse>> CancelJobAsync(Uri service, int jobId, CancellationToken cancellationToken = default)
    {
        var (reply, violations, _, _) = await InvokeAsync(service, ScanActions.CancelJob, ScanXmlWriter.Write(new CancelJobRequest(jobId)), (e, m) => Empty(e, "CancelJobResponse", m), null, cancellationToken).ConfigureAwait(false);
        return new ScanCallResult<CancelJobResponse>(new CancelJobResponse(jobId), violations, reply);
    }

    /// <summary>GetActiveJobs.</summary>
    public Task<ScanCallResult<GetActiveJobsResponse>> GetActiveJobsAsync(Uri service, CancellationToken cancellationToken = default) =>
        CallAsync(service, ScanActions.GetActiveJobs, ScanXmlWriter.WriteGetActiveJobsRequest(), ScanXmlReader.ReadGetActiveJobsResponse, cancellationToken);

    /// <summary>GetJobHistory.</summary>
    public Task<ScanCallResult<GetJobHistoryResponse>> GetJobHistoryAsync(Uri service, CancellationToken cancellationToken = default) =>
        CallAsync(service, ScanActions.GetJobHistory, ScanXmlWriter.WriteGetJobHistoryRequest(), ScanXmlReader.ReadGetJobHistoryResponse, cancellationToken);

    /// <summary>GetJobElements for <paramref name="names"/> (null for <see cref="AllJobElements"/>) of job <paramref name="jobId"/>.</summary>
    public Task<ScanCallResult<GetJobElementsResponse>> GetJobElementsAsync(Uri service, int jobId, IEnumerable<string>? names = null, CancellationToken cancellationToken = default)
    {
        var request = new GetJobElementsRequest(jobId, [.. (names ?? AllJobElements).Select(ScanQName.Scan)]);
        return CallAsync(service, ScanActions.GetJobElements, ScanXmlWriter.Write(request), ScanXmlReader.ReadGetJobElementsResponse, cancellationToken);
    }

    private static ScanReadResult<string> Empty(XElement element, string localName, ReadMode mode)
    {
        _ = mode;
        return element.Name.LocalName == localName
            ? new ScanReadResult<string>(localName, [])
            : new ScanReadResult<string>(null, [new Violation(ScanRuleIds.Schema, $"The body is '{element.Name.LocalName}', not '{localName}'.", ViolationSeverity.Error, "/Envelope/Body")]);
    }

    private async Task<ScanCallResult<T>> CallAsync<T>(Uri service, string action, XElement body, Func<XElement, ReadMode, ScanReadResult<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        var (reply, violations, value, _) = await InvokeAsync(service, action, body, read, null, cancellationToken).ConfigureAwait(false);
        return new ScanCallResult<T>(value, violations, reply);
    }

    private async Task<(SoapEnvelope Reply, List<Violation> Violations, T Value, MtomPackage? Package)> InvokeAsync<T>(Uri service, string action, XElement body, Func<XElement, ReadMode, ScanReadResult<T>> read, SoapCallOptions? call, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(service);
        var request = SoapEnvelope.Request(action, service.ToString(), _http.NewMessageId(), body);
        if (From is { } from)
        {
            request = request with { Header = request.Header with { From = new WsaEndpointReference(from) } };
        }

        var result = await _http.SendAsync(service, request, call, cancellationToken).ConfigureAwait(false);
        ScanHttpLog.ClientCall(_logger, action[(action.LastIndexOf('/') + 1)..], service, result.StatusCode);
        if (result.Envelope is not { } reply)
        {
            throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"{service} answered {result.StatusCode} without an envelope to {action}.", result.StatusCode, result.Violations);
        }

        if (reply.Fault is { } fault)
        {
            throw new ScanFaultException(ScanFaultException.ToScanFault(fault), result.StatusCode, reply, result.Violations);
        }

        var violations = new List<Violation>(result.Violations);
        var expected = ScanActions.ResponseOf(action);
        if (reply.Header.Action != expected)
        {
            violations.Add(new Violation(ScanRuleIds.Schema, $"The reply's Action is '{reply.Header.Action}', not '{expected}'.", ViolationSeverity.Error, "/Envelope/Header/Action"));
        }

        if (reply.Header.RelatesTo != request.Header.MessageId)
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, $"The reply's RelatesTo '{reply.Header.RelatesTo}' is not the request's MessageID.", ViolationSeverity.Error, "/Envelope/Header/RelatesTo"));
        }

        if (reply.BodyElement is not { } element)
        {
            throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"The reply to {action} has an empty body.", result.StatusCode, violations);
        }

        var parsed = read(element, ReadMode.Lenient);
        violations.AddRange(parsed.Violations);
        if (parsed.Value is not { } value)
        {
            throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"The reply to {action} could not be read as {typeof(T).Name}.", result.StatusCode, violations);
        }

        return (reply, violations, value, result.Package);
    }
}
