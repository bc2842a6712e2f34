using System.Net;
using Harness.Core.Transport;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Scan;
using Harness.Dpws.Scan.Http;
using Harness.Dpws.Soap;
using Harness.Simulators.Cameras;
using Harness.Simulators.Discovery;
using Harness.Simulators.Identity;
using Harness.Simulators.Imaging;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Simulators.Scanners;

/// <summary>
/// A simulated WSD scanner: a DPWS device (ThisModel/ThisDevice from its seeded identity) hosting a WS-Scan scanner
/// service (<c>wscn:ScannerServiceType</c>, with events) whose images are test pages rendered at the ticket's size,
/// resolution and colour mode (PNG, JPEG, PDF), announced over WS-Discovery with types <c>wsdp:Device</c> and
/// <c>wscn:ScanDeviceType</c>, and answering directed probes:
/// <code>
/// await using var scanner = await FakeScanner.StartAsync(new FakeScannerOptions { Seed = 7, UnicastAddress = IPAddress.Parse("127.0.0.60") }, ct);
/// // … discover it, or scan straight from scanner.ServiceAddress …
/// scanner.Service.LoadAdf(3);
/// </code>
/// Disposing it sends Bye, SubscriptionEnd (SourceShuttingDown) to subscribers with an EndTo, and stops the host.
/// </summary>
public sealed class FakeScanner : IAsyncDisposable
{
    /// <summary><c>wsdp:Device</c>.</summary>
    public static readonly WsdQName DeviceType = WsdQName.Create(DpwsNamespaces.Devprof, "Device", "wsdp");

    private IDisposable? _addressProvider;
    private int _disposed;

    private FakeScanner(FakeScannerOptions options, DeviceIdentity identity, DpwsDevice device, ScannerService service, ScannerServiceEndpoint endpoint)
    {
        Options = options;
        Identity = identity;
        Device = device;
        Service = service;
        Endpoint = endpoint;
    }

    /// <summary>The settings it was started with.</summary>
    public FakeScannerOptions Options { get; }

    /// <summary>Who the scanner says it is.</summary>
    public DeviceIdentity Identity { get; }

    /// <summary>The DPWS device (HTTP host, metadata, hosted services).</summary>
    public DpwsDevice Device { get; }

    /// <summary>The scanner's state machine (jobs, ADF, conditions, scan button): <see cref="ScannerService.LoadAdf"/>, <see cref="ScannerService.PressScanButton"/>.</summary>
    public ScannerService Service { get; }

    /// <summary>The hosted scanner service.</summary>
    public ScannerServiceEndpoint Endpoint { get; }

    /// <summary>The publisher that announces the scanner, or null when not <see cref="FakeScannerOptions.Discoverable"/>.</summary>
    public Publisher? Publisher { get; private set; }

    /// <summary>The discovery data announced (XAddr as a template), or null when not discoverable.</summary>
    public PublishedService? Published { get; private set; }

    /// <summary>The endpoint reference address, <c>urn:uuid:…</c>.</summary>
    public string EndpointAddress => Device.EndpointAddress;

    /// <summary>The device's XAddr (WS-Transfer Get goes there).</summary>
    public Uri XAddr => Device.XAddr;

    /// <summary>The scanner service URL (WS-Scan and WS-Eventing go there).</summary>
    public Uri ServiceAddress => Endpoint.Address;

    /// <summary>Starts the scanner: HTTP host, scanner service, then (when discoverable) the publisher, which sends Hello.</summary>
    public static async Task<FakeScanner> StartAsync(FakeScannerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var identity = options.Identity ?? DeviceIdentity.Create(DeviceKind.Scanner, options.Seed, options.Index);
        var service = new ScannerService(options.Service ?? CreateServiceOptions(identity, options.Seed, options.Index), options.ImageSource ?? new TestPageRenderer(), options.TimeProvider);
        DpwsDevice? device = null;
        ScannerServiceEndpoint? endpoint = null;
        try
        {
            device = new DpwsDevice(CreateDeviceOptions(identity, options), options.TimeProvider, options.LoggerFactory, options.NotifierHandler);
            endpoint = ScannerServiceEndpoint.Attach(device, service, options.Endpoint, options.LoggerFactory, options.NotifierHandler);
            await device.StartAsync(cancellationToken).ConfigureAwait(false);
            var scanner = new FakeScanner(options, identity, device, service, endpoint);
            if (options.Discoverable)
            {
                var published = device.ToPublishedService([DeviceType, ScannerServiceEndpoint.ScanDeviceType], []);
                var (publisher, addressProvider) = DevicePublisher.Create(options, 0x7363);
                scanner._addressProvider = addressProvider;
                try
                {
                    device.AnswerDirectedProbes(publisher);
                    await publisher.PublishAsync(published, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await publisher.DisposeAsync().ConfigureAwait(false);
                    addressProvider?.Dispose();
                    throw;
                }

                scanner.Publisher = publisher;
                scanner.Published = published;
            }

            return scanner;
        }
        catch
        {
            if (endpoint is not null)
            {
                await endpoint.DisposeAsync().ConfigureAwait(false);
            }

            if (device is not null)
            {
                await device.DisposeAsync().ConfigureAwait(false);
            }

            service.Dispose();
            throw;
        }
    }

    /// <summary>The scanner service settings of a scanner with this identity (its name, maker, model and city in ScannerDescription).</summary>
    public static ScannerServiceOptions CreateServiceOptions(DeviceIdentity identity, int seed = 1, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new ScannerServiceOptions
        {
            Description = new ScannerDescription(identity.Name, $"{identity.Manufacturer} {identity.Model}", $"{identity.City}, {identity.Country}") { Language = "en" },
            Seed = StableSeed.Mix(seed, index, 0x7363),
        };
    }

    /// <summary>The DPWS device settings of a scanner with this identity.</summary>
    public static DpwsDeviceOptions CreateDeviceOptions(DeviceIdentity identity, FakeScannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        var host = options.Host ?? new DpwsHostOptions();
        if (options.UnicastAddress is { } address)
        {
            host = host with { Address = address };
        }

        if (options.HttpPort != 0)
        {
            host = host with { Port = options.HttpPort };
        }

        if (options.Quirks is { } quirks)
        {
            host = quirks.CreateHooks(new Quirks.DpwsQuirkContext(options.TimeProvider)).ApplyTo(host);
        }

        return new DpwsDeviceOptions
        {
            EndpointAddress = identity.EndpointAddress,
            ThisModel = new ThisModel
            {
                Manufacturer = [new LocalizedText(identity.Manufacturer, "en-US")],
                ModelName = [new LocalizedText(identity.Model, "en-US")],
                ModelNumber = identity.Model,
            },
            ThisDevice = new ThisDevice
            {
                FriendlyName = [new LocalizedText(identity.Name, "en-US")],
                FirmwareVersion = identity.FirmwareVersion,
                SerialNumber = identity.SerialNumber,
            },
            HostTypes = [ScannerServiceEndpoint.ScanDeviceType],
            Host = host with { Seed = host.Seed ?? StableSeed.Mix(options.Seed, options.Index, 0x7363) },
        };
    }

    /// <summary>Sends Bye, stops the events, sends SubscriptionEnd to subscribers and stops the host.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Publisher is { } publisher)
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
        }

        await Endpoint.DisposeAsync().ConfigureAwait(false);
        await Device.DisposeAsync().ConfigureAwait(false);
        Service.Dispose();
        _addressProvider?.Dispose();
    }

    /// <summary>
    /// Restarts the scanner's discovery presence as after a power cycle: Bye, then a Hello from a new instance with a higher
    /// AppSequence InstanceId and the same endpoint reference. Its HTTP services keep running. Nothing happens when it is not discoverable.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (Publisher is not { } old || Published is not { } published)
        {
            return;
        }

        await DevicePublisher.RestartAsync(
            old,
            _addressProvider,
            Device,
            published,
            Options.TimeProvider,
            next => DevicePublisher.Create(Options, 0x7363, next),
            (publisher, addressProvider) => (Publisher, _addressProvider) = (publisher, addressProvider),
            cancellationToken).ConfigureAwait(false);
    }
}
