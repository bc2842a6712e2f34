using System.Collections.Concurrent;
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

namespace Harness.Dpws.Scan.Http;

/// <summary>Settings of the scanner hosted service a <see cref="ScannerServiceEndpoint"/> adds to a <see cref="DpwsDevice"/>.</summary>
public sealed record ScannerServiceEndpointOptions
{
    /// <summary>The path of the service endpoint.</summary>
    public string Path { get; init; } = "/scan";

    /// <summary>The ServiceId (stable across restarts).</summary>
    public string ServiceId { get; init; } = "urn:harness:wscn:ScannerService";

    /// <summary>Extension elements for the Hosted metadata (e.g. <c>pnpx:CompatibleId</c>).</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>Largest request accepted (WS-Scan requests are small: tickets and job ids); null for the host's default.</summary>
    public int? MaxRequestBytes { get; init; }

    /// <summary>The event source settings (every WS-Scan event by default); its OnSubscribe is replaced by the ScanDestinations hook.</summary>
    public SubscriptionManagerOptions Eventing { get; init; } = new() { EventActions = ScanActions.Events };

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
/// Serves a <see cref="ScannerService"/> as a hosted service of a <see cref="DpwsDevice"/>: Hosted Types
/// <c>wscn:ScannerServiceType</c>, the eight WS-Scan operations registered by action on the service endpoint (read the
/// body, call the service, write the answer; RetrieveImage answers with the image as an MTOM/XOP attachment; a
/// <see cref="ScanFault"/> becomes a SOAP fault), and the service's events delivered in order through the hosted
/// service's WS-Eventing source. A Subscribe carrying <c>wscn:ScanDestinations</c> registers them and gets
/// <c>wscn:DestinationResponses</c> in its SubscribeResponse (WSD-SCN-016); a ScanAvailableEvent goes only to the
/// subscription that owns its destination, and its destinations are forgotten when that subscription ends.
/// </summary>
public sealed class ScannerServiceEndpoint : IAsyncDisposable
{
    /// <summary><c>wscn:ScannerServiceType</c>, the Hosted type of the scanner service.</summary>
    public static readonly WsdQName ScannerServiceType = WsdQName.Create(ScanNamespaces.Scan, "ScannerServiceType", ScanNamespaces.Prefix);

    /// <summary><c>wscn:ScanDeviceType</c>, the WS-Discovery type of a scanner (with <c>wsdp:Device</c>).</summary>
    public static readonly WsdQName ScanDeviceType = WsdQName.Create(ScanNamespaces.Scan, "ScanDeviceType", ScanNamespaces.Prefix);

    private readonly Channel<ScanEvent> _events;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly DestinationOwners _owners;
    private readonly SoapHttpClient _ownerNotifier;
    private readonly IDisposable _subscription;
    private readonly Task _pump;
    private long _delivered;
    private long _dropped;
    private int _disposed;

    private ScannerServiceEndpoint(ScannerService service, HostedService hosted, ScannerServiceEndpointOptions options, DestinationOwners owners, SoapHttpClient ownerNotifier, ILogger logger)
    {
        Service = service;
        Hosted = hosted;
        _logger = logger;
        _owners = owners;
        _ownerNotifier = ownerNotifier;
        _events = Channel.CreateBounded<ScanEvent>(new BoundedChannelOptions(options.EventQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        if (hosted.Events is { } source)
        {
            source.SubscriptionEnded += OnSubscriptionEnded;
        }

        _subscription = service.Events.Subscribe(new Observer(this));
        _pump = Task.Run(() => PumpAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>The scanner.</summary>
    public ScannerService Service { get; }

    /// <summary>The hosted service (its endpoint and event source).</summary>
    public HostedService Hosted { get; }

    /// <summary>The service URL on the host's bound address.</summary>
    public Uri Address => Hosted.Address;

    /// <summary>Events handed to the event source so far.</summary>
    public long EventsDelivered => Interlocked.Read(ref _delivered);

    /// <summary>Events dropped because the queue was full.</summary>
    public long EventsDropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Adds the scanner service to <paramref name="device"/> (before or after it starts): maps the endpoint with its
    /// handlers and an event source, and starts delivering the service's events.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="service">The scanner.</param>
    /// <param name="options">The settings; null for defaults.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="notifierHandler">The HTTP handler ScanAvailableEvents go through (e.g. a TestServer's); null for sockets.</param>
    public static ScannerServiceEndpoint Attach(DpwsDevice device, ScannerService service, ScannerServiceEndpointOptions? options = null, ILoggerFactory? loggerFactory = null, HttpMessageHandler? notifierHandler = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(service);
        options ??= new ScannerServiceEndpointOptions();
        options.Validate();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ScannerServiceEndpoint>();
        var owners = new DestinationOwners();
        var eventing = options.Eventing with
        {
            OnSubscribe = (request, subscription) => RegisterDestinations(service, owners, logger, request, subscription),
        };
        var hosted = device.AddHostedService(new HostedServiceOptions
        {
            Path = options.Path,
            Types = [ScannerServiceType],
            ServiceId = options.ServiceId,
            Extensions = options.Extensions,
            MaxRequestBytes = options.MaxRequestBytes,
            Eventing = eventing,
        });
        MapHandlers(hosted.Endpoint, service, logger);
        var notifier = new SoapHttpClient(device.Options.Notifier, notifierHandler, loggerFactory);
        return new ScannerServiceEndpoint(service, hosted, options, owners, notifier, logger);
    }

    /// <summary>Registers the WS-Scan operations of <paramref name="service"/> on <paramref name="endpoint"/> (no events; e.g. for a bare <see cref="DpwsHost"/>).</summary>
    public static void MapHandlers(SoapEndpoint endpoint, ScannerService service, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(service);
        logger ??= NullLogger.Instance;
        endpoint.On(ScanActions.GetScannerElements, Handler(logger, "GetScannerElements", ScanXmlReader.ReadGetScannerElementsRequest, r => ScanResult<GetScannerElementsResponse>.Success(service.GetScannerElements(r)), ScanXmlWriter.Write));
        endpoint.On(ScanActions.ValidateScanTicket, Handler(logger, "ValidateScanTicket", ScanXmlReader.ReadValidateScanTicketRequest, service.ValidateScanTicket, ScanXmlWriter.Write));
        endpoint.On(ScanActions.CreateScanJob, Handler(logger, "CreateScanJob", ScanXmlReader.ReadCreateScanJobRequest, r =>
        {
            var result = service.CreateScanJob(r);
            if (result.Value is { } created)
            {
                ScanHttpLog.JobCreated(logger, created.JobId, created.DocumentFinalParameters.Format?.Value ?? string.Empty, created.DocumentFinalParameters.InputSource?.Value ?? string.Empty);
            }

            return result;
        }, ScanXmlWriter.Write));
        endpoint.On(ScanActions.RetrieveImage, (context, cancellationToken) => RetrieveImageAsync(context, service, logger, cancellationToken));
        endpoint.On(ScanActions.CancelJob, Handler(logger, "CancelJob", ScanXmlReader.ReadCancelJobRequest, service.CancelJob, _ => ScanXmlWriter.WriteCancelJobResponse()));
        endpoint.On(ScanActions.GetActiveJobs, Handler(logger, "GetActiveJobs", (e, _) => Named(e, "GetActiveJobsRequest"), _ => ScanResult<GetActiveJobsResponse>.Success(service.GetActiveJobs()), ScanXmlWriter.Write));
        endpoint.On(ScanActions.GetJobHistory, Handler(logger, "GetJobHistory", (e, _) => Named(e, "GetJobHistoryRequest"), _ => ScanResult<GetJobHistoryResponse>.Success(service.GetJobHistory()), ScanXmlWriter.Write));
        endpoint.On(ScanActions.GetJobElements, Handler(logger, "GetJobElements", ScanXmlReader.ReadGetJobElementsRequest, service.GetJobElements, ScanXmlWriter.Write));
    }

    /// <summary>Stops delivering events (SubscriptionEnd is the device's job when it stops).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _subscription.Dispose();
        if (Hosted.Events is { } source)
        {
            source.SubscriptionEnded -= OnSubscriptionEnded;
        }

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
        _ownerNotifier.Dispose();
    }

    private static IReadOnlyList<XElement> RegisterDestinations(ScannerService service, DestinationOwners owners, ILogger logger, SubscribeRequest request, Subscription subscription)
    {
        var extension = request.Extensions.FirstOrDefault(e => e.Name.LocalName == "ScanDestinations" && ScanNamespaces.Classify(e.Name.NamespaceName) != ScanNamespaceKind.Other);
        if (extension is null)
        {
            return [];
        }

        var read = ScanXmlReader.ReadScanDestinations(extension);
        if (read.Value is not { Count: > 0 } destinations)
        {
            var error = read.Violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error);
            throw new SoapFaultException(ScanFault.InvalidArgs(error?.Message ?? "ScanDestinations holds no ScanDestination").ToSoapFault());
        }

        var responses = service.RegisterDestinations(destinations);
        foreach (var response in responses)
        {
            owners.Add(response.DestinationToken, subscription);
        }

        ScanHttpLog.DestinationsRegistered(logger, subscription.Identifier, responses.Count);
        return [ScanXmlWriter.WriteDestinationResponses(responses)];
    }

    private static ScanReadResult<object> Named(XElement element, string localName) =>
        element.Name.LocalName == localName
            ? new ScanReadResult<object>(element, [])
            : new ScanReadResult<object>(null, [new Violation(ScanRuleIds.Schema, $"The body is '{element.Name.LocalName}', not '{localName}'.", ViolationSeverity.Error, "/Envelope/Body")]);

    private static async ValueTask<SoapResponse> RetrieveImageAsync(SoapRequestContext context, ScannerService service, ILogger logger, CancellationToken cancellationToken)
    {
        const string operation = "RetrieveImage";
        if (!TryRead(context, operation, ScanXmlReader.ReadRetrieveImageRequest, out var request, out var fault))
        {
            return Refuse(context, logger, operation, fault);
        }

        var result = await service.RetrieveImageAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Value is not { } image)
        {
            return Refuse(context, logger, operation, result.Fault!);
        }

        var contentId = $"image{string.Join('-', image.ImageNumbers)}.job{image.JobId}@harness";
        ScanHttpLog.ImageSent(logger, image.JobId, image.DocumentName, image.Content.Length, image.ContentType);
        var reply = context.Reply(ScanActions.RetrieveImageResponse, ScanXmlWriter.WriteRetrieveImageResponse(contentId));
        return reply with { Attachments = [new MtomAttachment(contentId, image.ContentType) { Content = image.Content }] };
    }

    private static SoapHandler Handler<TRequest, TResponse>(ILogger logger, string operation, Func<XElement, ReadMode, ScanReadResult<TRequest>> read, Func<TRequest, ScanResult<TResponse>> call, Func<TResponse, XElement> write)
        where TRequest : class
        where TResponse : class =>
        (context, _) =>
        {
            if (!TryRead(context, operation, read, out var request, out var fault))
            {
                return ValueTask.FromResult(Refuse(context, logger, operation, fault));
            }

            var result = call(request);
            if (result.Value is not { } response)
            {
                return ValueTask.FromResult(Refuse(context, logger, operation, result.Fault!));
            }

            ScanHttpLog.Answered(logger, operation, context.RemoteEndPoint);
            return ValueTask.FromResult(context.Reply(ScanActions.ResponseOf(context.Action), write(response)));
        };

    private static bool TryRead<TRequest>(SoapRequestContext context, string operation, Func<XElement, ReadMode, ScanReadResult<TRequest>> read, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TRequest? request, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ScanFault? fault)
        where TRequest : class
    {
        request = null;
        if (context.Envelope.BodyElement is not { } body)
        {
            fault = ScanFault.InvalidArgs($"the {operation} request has an empty body");
            return false;
        }

        var parsed = read(body, ReadMode.Lenient);
        foreach (var violation in parsed.Violations)
        {
            context.AddViolation(violation);
        }

        if (parsed.Value is not { } value)
        {
            var first = parsed.Violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error);
            fault = ScanFault.InvalidArgs(first?.Message ?? $"the {operation} request could not be read");
            return false;
        }

        request = value;
        fault = null;
        return true;
    }

    private static SoapResponse Refuse(SoapRequestContext context, ILogger logger, string operation, ScanFault fault)
    {
        ScanHttpLog.Refused(logger, operation, context.RemoteEndPoint, fault.ToString());
        return context.Fault(fault.ToSoapFault());
    }

    private void OnSubscriptionEnded(object? sender, SubscriptionEndedEventArgs e)
    {
        var tokens = _owners.RemoveOwner(e.Subscription.Identifier);
        if (tokens.Count > 0)
        {
            Service.UnregisterDestinations(tokens);
        }
    }

    private void Enqueue(ScanEvent scanEvent)
    {
        if (!_events.Writer.TryWrite(scanEvent))
        {
            Interlocked.Increment(ref _dropped);
            ScanHttpLog.EventDropped(_logger, scanEvent.Action);
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        await foreach (var scanEvent in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Hosted.Events is not { } source)
            {
                continue;
            }

            if (scanEvent is ScanAvailableEvent available)
            {
                await DeliverToOwnerAsync(source, available, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var result = await source.NotifyAsync(scanEvent.Action, [ScanXmlWriter.WriteEvent(scanEvent)], cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _delivered);
            ScanHttpLog.EventDelivered(_logger, scanEvent.Action, result.Delivered, result.Matched);
        }
    }

    private async Task DeliverToOwnerAsync(SubscriptionManager source, ScanAvailableEvent available, CancellationToken cancellationToken)
    {
        var owner = _owners.Find(available.DestinationToken);
        var live = owner is not null && source.Subscriptions.Any(s => ReferenceEquals(s, owner));
        if (owner is null || !live)
        {
            ScanHttpLog.ScanAvailableUndelivered(_logger, available.DestinationToken, "no live subscription owns the destination");
            return;
        }

        if (!owner.Accepts(available.Action))
        {
            ScanHttpLog.ScanAvailableUndelivered(_logger, available.DestinationToken, "the owner's filter does not take ScanAvailableEvent");
            return;
        }

        var envelope = new SoapEnvelope
        {
            Header = new SoapHeader
            {
                To = owner.NotifyTo.Address,
                Action = available.Action,
                MessageId = _ownerNotifier.NewMessageId(),
                Extra = [.. owner.NotifyTo.HeadersToEcho.Select(e => new XElement(e))],
            },
            Body = [ScanXmlWriter.WriteEvent(available)],
        };
        try
        {
            var result = await _ownerNotifier.SendAsync(new Uri(owner.NotifyTo.Address), envelope, null, cancellationToken).ConfigureAwait(false);
            var ok = result.StatusCode is >= 200 and < 300 && result.Envelope?.IsFault != true;
            Interlocked.Increment(ref _delivered);
            ScanHttpLog.EventDelivered(_logger, available.Action, ok ? 1 : 0, 1);
        }
        catch (SoapProtocolException ex)
        {
            ScanHttpLog.ScanAvailableUndelivered(_logger, available.DestinationToken, ex.Message);
        }
    }

    /// <summary>Which subscription registered which destination token.</summary>
    private sealed class DestinationOwners
    {
        private readonly ConcurrentDictionary<string, Subscription> _owners = new(StringComparer.Ordinal);

        public void Add(string token, Subscription subscription) => _owners[token] = subscription;

        public Subscription? Find(string token) => _owners.TryGetValue(token, out var s) ? s : null;

        public IReadOnlyList<string> RemoveOwner(string identifier)
        {
            var tokens = _owners.Where(p => p.Value.Identifier == identifier).Select(p => p.Key).ToList();
            foreach (var token in tokens)
            {
                _owners.TryRemove(token, out _);
            }

            return tokens;
        }
    }

    private sealed class Observer(ScannerServiceEndpoint owner) : IObserver<ScanEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(ScanEvent value) => owner.Enqueue(value);
    }
}
