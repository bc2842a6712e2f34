using System.Threading.Channels;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Dpws.Print;

/// <summary>Settings of the printer hosted service a <see cref="PrinterServiceEndpoint"/> adds to a <see cref="DpwsDevice"/>.</summary>
public sealed record PrinterServiceEndpointOptions
{
    /// <summary>The path of the service endpoint.</summary>
    public string Path { get; init; } = "/print";

    /// <summary>The ServiceId (stable across restarts).</summary>
    public string ServiceId { get; init; } = "urn:harness:wprt:PrinterService";

    /// <summary>Extension elements for the Hosted metadata (e.g. <c>pnpx:CompatibleId</c>).</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>Largest request accepted; null for the service's <see cref="PrinterServiceOptions.MaxDocumentBytes"/> plus 64 KiB for the envelope and MIME headers.</summary>
    public int? MaxRequestBytes { get; init; }

    /// <summary>The event source settings (the six WS-Print events by default).</summary>
    public SubscriptionManagerOptions Eventing { get; init; } = new() { EventActions = PrintActions.Events };

    /// <summary>Events waiting for delivery at most; more are dropped (and logged).</summary>
    public int EventQueueCapacity { get; init; } = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> for unusable settings.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Path);
        ArgumentException.ThrowIfNullOrEmpty(ServiceId);
        ArgumentNullException.ThrowIfNull(Extensions);
        ArgumentNullException.ThrowIfNull(Eventing);
        ArgumentOutOfRangeException.ThrowIfLessThan(EventQueueCapacity, 1);
        if (MaxRequestBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 256);
        }
    }
}

/// <summary>
/// Serves a <see cref="PrinterService"/> as a hosted service of a <see cref="DpwsDevice"/>: Hosted Types
/// <c>wprt:PrinterServiceType</c>, the WS-Print operations registered by action on the service endpoint (SendDocument
/// reads its MTOM attachment), and the service's events delivered in order through the hosted service's WS-Eventing
/// source. Requests the codec cannot understand are answered with <c>wprt:InvalidArgs</c>; the reader's deviations are
/// reported with the exchange.
/// </summary>
public sealed class PrinterServiceEndpoint : IAsyncDisposable
{
    /// <summary><c>wprt:PrinterServiceType</c>, the Hosted type of the printer service.</summary>
    public static readonly WsdQName PrinterServiceType = WsdQName.Create(PrintNamespaces.Print, "PrinterServiceType", PrintNamespaces.Prefix);

    /// <summary><c>wprt:PrintDeviceType</c>, the WS-Discovery type of a printer (with <c>wsdp:Device</c>).</summary>
    public static readonly WsdQName PrintDeviceType = WsdQName.Create(PrintNamespaces.Print, "PrintDeviceType", PrintNamespaces.Prefix);

    private readonly Channel<PrintEvent> _events;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private long _delivered;
    private long _dropped;
    private int _disposed;

    private PrinterServiceEndpoint(PrinterService service, HostedService hosted, PrinterServiceEndpointOptions options, ILogger logger)
    {
        Service = service;
        Hosted = hosted;
        _logger = logger;
        _events = Channel.CreateBounded<PrintEvent>(new BoundedChannelOptions(options.EventQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        service.EventRaised += OnEvent;
        _pump = Task.Run(() => PumpAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>The printer.</summary>
    public PrinterService Service { get; }

    /// <summary>The hosted service (its endpoint and event source).</summary>
    public HostedService Hosted { get; }

    /// <summary>The service URL on the host's bound address.</summary>
    public Uri Address => Hosted.Address;

    /// <summary>Events handed to the event source so far.</summary>
    public long EventsDelivered => Interlocked.Read(ref _delivered);

    /// <summary>Events dropped because the queue was full.</summary>
    public long EventsDropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Adds the printer service to <paramref name="device"/> (before or after it starts): maps the endpoint with its
    /// handlers and an event source, and starts delivering the service's events.
    /// </summary>
    public static PrinterServiceEndpoint Attach(DpwsDevice device, PrinterService service, PrinterServiceEndpointOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(service);
        options ??= new PrinterServiceEndpointOptions();
        options.Validate();
        var maxRequest = options.MaxRequestBytes ?? (int)Math.Min(int.MaxValue - 1, (long)service.Options.MaxDocumentBytes + (64 * 1024));
        var hosted = device.AddHostedService(new HostedServiceOptions
        {
            Path = options.Path,
            Types = [PrinterServiceType],
            ServiceId = options.ServiceId,
            Extensions = options.Extensions,
            MaxRequestBytes = maxRequest,
            Eventing = options.Eventing,
        });
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PrinterServiceEndpoint>();
        MapHandlers(hosted.Endpoint, service, logger);
        return new PrinterServiceEndpoint(service, hosted, options, logger);
    }

    /// <summary>Registers the WS-Print operations of <paramref name="service"/> on <paramref name="endpoint"/> (no events; e.g. for a bare <see cref="DpwsHost"/>).</summary>
    public static void MapHandlers(SoapEndpoint endpoint, PrinterService service, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(service);
        logger ??= NullLogger.Instance;
        endpoint.On(PrintActions.GetPrinterElements, Handler(logger, "GetPrinterElements", PrintXmlReader.ReadGetPrinterElementsRequest, r => PrintResult<GetPrinterElementsResponse>.Success(service.GetPrinterElements(r)), PrintXmlWriter.Write));
        endpoint.On(PrintActions.CreatePrintJob, Handler(logger, "CreatePrintJob", PrintXmlReader.ReadCreatePrintJobRequest, r =>
        {
            var result = service.CreatePrintJob(r);
            if (result.Value is { } created)
            {
                PrintLog.JobCreated(logger, created.JobId, r.Ticket.JobDescription?.JobOriginatingUserName ?? string.Empty, r.Ticket.JobDescription?.JobName ?? string.Empty);
            }

            return result;
        }, PrintXmlWriter.Write));
        endpoint.On(PrintActions.SendDocument, (context, _) => ValueTask.FromResult(Handle(context, logger, "SendDocument", e => PrintXmlReader.ReadSendDocumentRequest(e, context.Package), r =>
        {
            var contentType = r.DataReference is { } reference ? context.Package?.Find(reference)?.ContentType : null;
            var result = service.SendDocument(r, contentType);
            if (result.IsSuccess)
            {
                PrintLog.DocumentReceived(logger, r.JobId, r.Description.DocumentId, r.Data?.Length ?? 0, r.LastDocument);
            }

            return result;
        }, _ => PrintXmlWriter.WriteSendDocumentResponse())));
        if (service.Options.SupportsAddDocument)
        {
            endpoint.On(PrintActions.AddDocument, Handler(logger, "AddDocument", PrintXmlReader.ReadAddDocumentRequest, service.AddDocument, _ => PrintXmlWriter.WriteAddDocumentResponse()));
        }

        endpoint.On(PrintActions.CancelJob, Handler(logger, "CancelJob", PrintXmlReader.ReadCancelJobRequest, service.CancelJob, _ => PrintXmlWriter.WriteCancelJobResponse()));
        endpoint.On(PrintActions.GetJobElements, Handler(logger, "GetJobElements", PrintXmlReader.ReadGetJobElementsRequest, service.GetJobElements, PrintXmlWriter.Write));
        endpoint.On(PrintActions.GetActiveJobs, Handler(logger, "GetActiveJobs", PrintXmlReader.ReadGetActiveJobsRequest, _ => PrintResult<GetActiveJobsResponse>.Success(service.GetActiveJobs()), PrintXmlWriter.Write));
        endpoint.On(PrintActions.GetJobHistory, Handler(logger, "GetJobHistory", PrintXmlReader.ReadGetJobHistoryRequest, _ => PrintResult<GetJobHistoryResponse>.Success(service.GetJobHistory()), PrintXmlWriter.Write));
        endpoint.On(PrintActions.SetEventRate, Handler(logger, "SetEventRate", PrintXmlReader.ReadSetEventRateRequest, service.SetEventRate, _ => PrintXmlWriter.WriteSetEventRateResponse()));
    }

    /// <summary>Stops delivering events (SubscriptionEnd is the device's job when it stops).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Service.EventRaised -= OnEvent;
        _events.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: undelivered events are dropped.
        }

        _stopping.Dispose();
    }

    private static SoapHandler Handler<TRequest, TResponse>(ILogger logger, string operation, Func<XElement, ReadMode, PrintReadResult<TRequest>> read, Func<TRequest, PrintResult<TResponse>> call, Func<TResponse, XElement> write)
        where TRequest : class
        where TResponse : class =>
        (context, _) => ValueTask.FromResult(Handle(context, logger, operation, e => read(e, ReadMode.Lenient), call, write));

    private static SoapResponse Handle<TRequest, TResponse>(SoapRequestContext context, ILogger logger, string operation, Func<XElement, PrintReadResult<TRequest>> read, Func<TRequest, PrintResult<TResponse>> call, Func<TResponse, XElement> write)
        where TRequest : class
        where TResponse : class
    {
        PrintFault? fault;
        if (context.Envelope.BodyElement is not { } body)
        {
            fault = PrintFault.InvalidArgs($"the {operation} request has an empty body");
        }
        else
        {
            var parsed = read(body);
            foreach (var violation in parsed.Violations)
            {
                context.AddViolation(violation);
            }

            if (parsed.Value is not { } request)
            {
                var first = parsed.Violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error);
                fault = PrintFault.InvalidArgs(first?.Message ?? $"the {operation} request could not be read");
            }
            else
            {
                var result = call(request);
                if (result.Value is { } response)
                {
                    PrintLog.Answered(logger, operation, context.RemoteEndPoint);
                    return context.Reply(PrintActions.ResponseOf(context.Action), write(response));
                }

                fault = result.Fault!;
            }
        }

        PrintLog.Refused(logger, operation, context.RemoteEndPoint, fault.ToString());
        return context.Fault(fault.ToSoapFault());
    }

    private void OnEvent(object? sender, PrintEvent printEvent)
    {
        if (!_events.Writer.TryWrite(printEvent))
        {
            Interlocked.Increment(ref _dropped);
            PrintLog.EventDropped(_logger, printEvent.Action);
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        await foreach (var printEvent in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Hosted.Events is not { } source)
            {
                continue;
            }

            var result = await source.NotifyAsync(printEvent.Action, [PrintXmlWriter.WriteEvent(printEvent)], cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _delivered);
            PrintLog.EventDelivered(_logger, printEvent.Action, result.Delivered, result.Matched);
        }
    }
}
