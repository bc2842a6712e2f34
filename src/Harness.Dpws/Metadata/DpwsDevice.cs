using System.Xml.Linq;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Dpws.Metadata;

/// <summary>A hosted service of a <see cref="DpwsDevice"/>: where it is served, what it is, and whether it has events.</summary>
public sealed record HostedServiceOptions
{
    /// <summary>The path of its endpoint (e.g. <c>/scanner</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Its types (e.g. <c>wscn:ScannerServiceType</c>).</summary>
    public required IReadOnlyList<WsdQName> Types { get; init; }

    /// <summary>Its ServiceId (a URI stable across restarts).</summary>
    public required string ServiceId { get; init; }

    /// <summary>Extension elements for its Hosted metadata (e.g. <c>pnpx:HardwareId</c>).</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>Largest request it accepts; null for the host's default (32,767).</summary>
    public int? MaxRequestBytes { get; init; }

    /// <summary>Its event source settings; null for a service without events.</summary>
    public SubscriptionManagerOptions? Eventing { get; init; }
}

/// <summary>A hosted service as served: its endpoint (register the service's handlers on it) and its event source.</summary>
public sealed class HostedService
{
    private readonly DpwsHost _host;

    internal HostedService(DpwsHost host, HostedServiceOptions options, SoapEndpoint endpoint, SubscriptionManager? events)
    {
        _host = host;
        Options = options;
        Endpoint = endpoint;
        Events = events;
    }

    /// <summary>The settings.</summary>
    public HostedServiceOptions Options { get; }

    /// <summary>The endpoint: register the service's operations with <see cref="SoapEndpoint.On"/>.</summary>
    public SoapEndpoint Endpoint { get; }

    /// <summary>The event source (Subscribe/Renew/GetStatus/Unsubscribe are already registered), or null.</summary>
    public SubscriptionManager? Events { get; }

    /// <summary>The service URL on the host's bound address.</summary>
    public Uri Address => _host.AddressOf(Endpoint.Path);

    /// <summary>The Hosted metadata with the service URL on <paramref name="baseAddress"/>.</summary>
    public HostedServiceMetadata MetadataFor(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return new HostedServiceMetadata
        {
            EndpointReferences = [new WsaEndpointReference(new Uri(baseAddress, Endpoint.Path.TrimStart('/')).ToString())],
            Types = Options.Types,
            ServiceId = Options.ServiceId,
            Extensions = Options.Extensions,
        };
    }
}

/// <summary>Settings of a <see cref="DpwsDevice"/>.</summary>
public sealed record DpwsDeviceOptions
{
    /// <summary>The device's endpoint address, stable across restarts (<c>urn:uuid:…</c>).</summary>
    public required string EndpointAddress { get; init; }

    /// <summary>ThisModel.</summary>
    public required ThisModel ThisModel { get; init; }

    /// <summary>ThisDevice.</summary>
    public required ThisDevice ThisDevice { get; init; }

    /// <summary>The types of the Relationship Host (e.g. <c>wscn:ScanDeviceType</c>); empty writes none.</summary>
    public IReadOnlyList<WsdQName> HostTypes { get; init; } = [];

    /// <summary>The Host ServiceId, or null.</summary>
    public string? HostServiceId { get; init; }

    /// <summary>The path of the device endpoint (its XAddr); null for <c>/&lt;uuid&gt;</c> as WSDAPI does.</summary>
    public string? DevicePath { get; init; }

    /// <summary>The HTTP host settings (address, port, limits, quirks).</summary>
    public DpwsHostOptions Host { get; init; } = new();

    /// <summary>The settings of the client that delivers notifications and SubscriptionEnd.</summary>
    public SoapHttpClientOptions Notifier { get; init; } = new() { UserAgent = null, Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The device path that <see cref="DevicePath"/> resolves to.</summary>
    public string ResolvedDevicePath => DevicePath ?? "/" + (EndpointAddress.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? EndpointAddress[9..] : Uri.EscapeDataString(EndpointAddress));
}

/// <summary>
/// A DPWS device: a <see cref="DpwsHost"/> serving the device endpoint (WS-Transfer Get → metadata, directed probes)
/// and its hosted services (each an endpoint for the service's operations, optionally with a WS-Eventing source).
/// Hosted services are added with <see cref="AddHostedService"/> before or after start; the metadata lists them with
/// URLs on the address each Get came in on.
/// </summary>
public sealed class DpwsDevice : IAsyncDisposable
{
    private readonly List<HostedService> _hosted = [];
    private readonly Lock _gate = new();
    private readonly SoapHttpClient _notifier;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>A device (not yet listening) with <paramref name="options"/>.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock of the event sources (subscription expiry).</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="notifierHandler">The HTTP handler notifications go through (e.g. a TestServer's); null for sockets.</param>
    public DpwsDevice(DpwsDeviceOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, HttpMessageHandler? notifierHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.EndpointAddress, UriKind.Absolute, out _))
        {
            throw new ArgumentException("EndpointAddress must be an absolute URI (urn:uuid:…).", nameof(options));
        }

        Options = options;
        _time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory;
        Host = new DpwsHost(options.Host, loggerFactory);
        _notifier = new SoapHttpClient(options.Notifier, notifierHandler, loggerFactory);
        DeviceEndpoint = Host.MapEndpoint(options.ResolvedDevicePath);
        DeviceEndpoint.On(DpwsActions.TransferGet, TransferGetHandler.Create(options.EndpointAddress, context => MetadataFor(context.BaseAddress)));
    }

    /// <summary>The settings.</summary>
    public DpwsDeviceOptions Options { get; }

    /// <summary>The HTTP host.</summary>
    public DpwsHost Host { get; }

    /// <summary>The device endpoint (Get is registered on it).</summary>
    public SoapEndpoint DeviceEndpoint { get; }

    /// <summary>The device's endpoint address.</summary>
    public string EndpointAddress => Options.EndpointAddress;

    /// <summary>The device's XAddr (the URL of the device endpoint) once started.</summary>
    public Uri XAddr => Host.AddressOf(DeviceEndpoint.Path);

    /// <summary>The hosted services.</summary>
    public IReadOnlyList<HostedService> HostedServices
    {
        get
        {
            lock (_gate)
            {
                return [.. _hosted];
            }
        }
    }

    /// <summary>Creates and starts a device.</summary>
    public static async Task<DpwsDevice> StartAsync(DpwsDeviceOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, HttpMessageHandler? notifierHandler = null, CancellationToken cancellationToken = default)
    {
        var device = new DpwsDevice(options, timeProvider, loggerFactory, notifierHandler);
        try
        {
            await device.Host.StartAsync(cancellationToken).ConfigureAwait(false);
            return device;
        }
        catch
        {
            await device.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Host.StartAsync(cancellationToken);

    /// <summary>Adds a hosted service: maps its endpoint and, when it has events, its event source.</summary>
    public HostedService AddHostedService(HostedServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Types);
        ArgumentException.ThrowIfNullOrEmpty(options.ServiceId);
        var endpoint = Host.MapEndpoint(options.Path, options.MaxRequestBytes);
        SubscriptionManager? events = null;
        if (options.Eventing is { } eventing)
        {
            events = new SubscriptionManager(eventing, _notifier, _time, _loggerFactory);
            events.MapTo(endpoint);
        }

        var service = new HostedService(Host, options, endpoint, events);
        lock (_gate)
        {
            _hosted.Add(service);
        }

        return service;
    }

    /// <summary>The device metadata with hosted-service URLs on <paramref name="baseAddress"/>.</summary>
    public DeviceMetadata MetadataFor(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return new DeviceMetadata
        {
            ThisModel = Options.ThisModel,
            ThisDevice = Options.ThisDevice,
            Host = new HostMetadata(new WsaEndpointReference(Options.EndpointAddress)) { Types = Options.HostTypes, ServiceId = Options.HostServiceId },
            Hosted = [.. HostedServices.Select(h => h.MetadataFor(baseAddress))],
        };
    }

    /// <summary>
    /// The WS-Discovery description of this device for a <see cref="Publisher"/>: its endpoint address, types and
    /// scopes, and an XAddr template <c>http://{ip}:port/path</c> (expanded per interface by the publisher).
    /// </summary>
    public PublishedService ToPublishedService(IReadOnlyList<WsdQName> types, IReadOnlyList<string> scopes, ulong metadataVersion = 1) =>
        new(Options.EndpointAddress)
        {
            Types = types,
            Scopes = scopes,
            XAddrs = [$"http://{{ip}}:{Host.Port}{DeviceEndpoint.Path}"],
            MetadataVersion = metadataVersion,
        };

    /// <summary>Answers directed probes (WSD-PRB-017) for the services <paramref name="publisher"/> announces.</summary>
    public void AnswerDirectedProbes(Publisher publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        Host.DirectedProbe = new DirectedProbeResponder(() => publisher.Services, publisher.InstanceId);
    }

    /// <summary>Ends every subscription with SubscriptionEnd SourceShuttingDown, then stops the host.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var service in HostedServices)
        {
            if (service.Events is { } events)
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }
        }

        await Host.DisposeAsync().ConfigureAwait(false);
        _notifier.Dispose();
    }
}
