using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Dpws.Print;

/// <summary>A typed answer of a <see cref="PrintClient"/> call.</summary>
/// <typeparam name="T">The response record.</typeparam>
/// <param name="Value">The response.</param>
/// <param name="Violations">Deviations found (HTTP binding, addressing, the WS-Print reader).</param>
/// <param name="Response">The response envelope as received.</param>
public sealed record PrintCallResult<T>(T Value, IReadOnlyList<Violation> Violations, SoapEnvelope Response);

/// <summary>
/// The client side of WS-Print over a <see cref="SoapHttpClient"/>: one typed call per operation of the printer
/// service (the URL of its <c>wprt:PrinterServiceType</c> hosted service, also sent as <c>wsa:To</c>, quirk Q-TO-URL).
/// A SOAP fault (with any HTTP status) throws <see cref="PrintFaultException"/> with the typed <see cref="PrintFault"/>;
/// no SOAP answer throws <see cref="SoapProtocolException"/>; a reply the reader cannot understand throws
/// <see cref="SoapProtocolException"/> with <see cref="SoapProtocolError.UnexpectedReply"/>. Deviations of an answer
/// that was understood are returned with it.
/// </summary>
public sealed class PrintClient
{
    private readonly SoapHttpClient _http;
    private readonly ILogger _logger;

    /// <summary>A client over <paramref name="http"/>.</summary>
    public PrintClient(SoapHttpClient http, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PrintClient>();
    }

    /// <summary>The client's endpoint address sent as <c>wsa:From</c> (as WSDAPI does), or null to send none.</summary>
    public string? From { get; init; }

    /// <summary>The time allowed for SendDocument (documents can be large); null for the HTTP client's timeout.</summary>
    public TimeSpan? SendTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>GetPrinterElements for <paramref name="names"/> (local names in the print namespace when given as strings, e.g. <see cref="PrintElementNames.PrinterStatus"/>).</summary>
    public Task<PrintCallResult<GetPrinterElementsResponse>> GetPrinterElementsAsync(Uri service, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var request = new GetPrinterElementsRequest([.. names.Select(PrintQName.Print)]);
        return CallAsync(service, PrintActions.GetPrinterElements, PrintXmlWriter.Write(request), PrintXmlReader.ReadGetPrinterElementsResponse, null, cancellationToken);
    }

    /// <summary>CreatePrintJob with <paramref name="ticket"/>; the answer holds the JobId.</summary>
    public Task<PrintCallResult<CreatePrintJobResponse>> CreatePrintJobAsync(Uri service, PrintTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return CallAsync(service, PrintActions.CreatePrintJob, PrintXmlWriter.Write(new CreatePrintJobRequest(ticket)), PrintXmlReader.ReadCreatePrintJobResponse, null, cancellationToken);
    }

    /// <summary>CreatePrintJob with a JobDescription only (the printer's defaults for the rest).</summary>
    public Task<PrintCallResult<CreatePrintJobResponse>> CreatePrintJobAsync(Uri service, string jobName, string userName, CancellationToken cancellationToken) =>
        CreatePrintJobAsync(service, new PrintTicket { JobDescription = new PrintJobDescription(jobName ?? string.Empty, userName ?? string.Empty) }, cancellationToken);

    /// <summary>
    /// SendDocument: <paramref name="document"/> travels as an MTOM/XOP attachment of type <paramref name="contentType"/>
    /// referenced from <c>DocumentData</c>.
    /// </summary>
    public Task<PrintCallResult<SendDocumentResponse>> SendDocumentAsync(
        Uri service,
        int jobId,
        ReadOnlyMemory<byte> document,
        PrintDocumentDescription description,
        bool lastDocument = true,
        string contentType = "application/octet-stream",
        PrintDocumentProcessing? processing = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        var contentId = $"document{description.DocumentId}.job{jobId}@harness";
        var body = PrintXmlWriter.Write(new SendDocumentRequest(jobId, lastDocument, description) { Processing = processing }, contentId);
        var call = new SoapCallOptions { Attachments = [new MtomAttachment(contentId, contentType) { Content = document }], Timeout = SendTimeout };
        return CallAsync(service, PrintActions.SendDocument, body, (e, m) => Empty(e, "SendDocumentResponse", m, SendDocumentResponse.Instance), call, cancellationToken);
    }

    /// <summary>AddDocument: the printer is given <paramref name="documentUrl"/> to print by reference.</summary>
    public Task<PrintCallResult<AddDocumentResponse>> AddDocumentAsync(Uri service, int jobId, string documentUrl, PrintDocumentDescription description, bool lastDocument = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentUrl);
        ArgumentNullException.ThrowIfNull(description);
        var body = PrintXmlWriter.Write(new AddDocumentRequest(jobId, lastDocument, description, documentUrl));
        return CallAsync(service, PrintActions.AddDocument, body, (e, m) => Empty(e, "AddDocumentResponse", m, AddDocumentResponse.Instance), null, cancellationToken);
    }

    /// <summary>GetJobElements for <paramref name="names"/> (JobStatus, PrintTicket, Documents) of job <paramref name="jobId"/>.</summary>
    public Task<PrintCallResult<GetJobElementsResponse>> GetJobElementsAsync(Uri service, int jobId, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var request = new GetJobElementsRequest(jobId, [.. names.Select(PrintQName.Print)]);
        return CallAsync(service, PrintActions.GetJobElements, PrintXmlWriter.Write(request), PrintXmlReader.ReadGetJobElementsResponse, null, cancellationToken);
    }

    /// <summary>GetActiveJobs.</summary>
    public Task<PrintCallResult<GetActiveJobsResponse>> GetActiveJobsAsync(Uri service, CancellationToken cancellationToken) =>
        CallAsync(service, PrintActions.GetActiveJobs, PrintXmlWriter.WriteGetActiveJobsRequest(), PrintXmlReader.ReadGetActiveJobsResponse, null, cancellationToken);

    /// <summary>GetJobHistory.</summary>
    public Task<PrintCallResult<GetJobHistoryResponse>> GetJobHistoryAsync(Uri service, CancellationToken cancellationToken) =>
        CallAsync(service, PrintActions.GetJobHistory, PrintXmlWriter.WriteGetJobHistoryRequest(), PrintXmlReader.ReadGetJobHistoryResponse, null, cancellationToken);

    /// <summary>CancelJob.</summary>
    public Task<PrintCallResult<CancelJobResponse>> CancelJobAsync(Uri service, int jobId, CancellationToken cancellationToken) =>
        CallAsync(service, PrintActions.CancelJob, PrintXmlWriter.Write(new CancelJobRequest(jobId)), (e, m) => Empty(e, "CancelJobResponse", m, CancelJobResponse.Instance), null, cancellationToken);

    /// <summary>SetEventRate.</summary>
    public Task<PrintCallResult<SetEventRateResponse>> SetEventRateAsync(Uri service, int eventRate, CancellationToken cancellationToken) =>
        CallAsync(service, PrintActions.SetEventRate, PrintXmlWriter.Write(new SetEventRateRequest(eventRate)), (e, m) => Empty(e, "SetEventRateResponse", m, SetEventRateResponse.Instance), null, cancellationToken);

    private static PrintReadResult<T> Empty<T>(XElement element, string localName, ReadMode mode, T value)
        where T : class
    {
        var read = PrintXmlReader.ReadEmpty(element, localName, mode);
        return new PrintReadResult<T>(read.Value is null ? null : value, read.Violations);
    }

    private async Task<PrintCallResult<T>> CallAsync<T>(Uri service, string action, XElement body, Func<XElement, ReadMode, PrintReadResult<T>> read, SoapCallOptions? call, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(service);
        var request = SoapEnvelope.Request(action, service.ToString(), _http.NewMessageId(), body);
        if (From is { } from)
        {
            request = request with { Header = request.Header with { From = new WsaEndpointReference(from) } };
        }

        var result = await _http.SendAsync(service, request, call, cancellationToken).ConfigureAwait(false);
        PrintLog.ClientCall(_logger, action[(action.LastIndexOf('/') + 1)..], service, result.StatusCode);
        if (result.Envelope is not { } reply)
        {
            throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"{service} answered {result.StatusCode} without an envelope to {action}.", result.StatusCode, result.Violations);
        }

        if (reply.Fault is { } fault)
        {
            throw new PrintFaultException(PrintFault.FromSoapFault(fault), result.StatusCode, reply, result.Violations);
        }

        var violations = new List<Violation>(result.Violations);
        var expected = PrintActions.ResponseOf(action);
        if (reply.Header.Action != expected)
        {
            violations.Add(new Violation(PrintRuleIds.Schema, $"The reply's Action is '{reply.Header.Action}', not '{expected}'.", ViolationSeverity.Error, "/Envelope/Header/Action"));
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

        return new PrintCallResult<T>(value, violations, reply);
    }
}
