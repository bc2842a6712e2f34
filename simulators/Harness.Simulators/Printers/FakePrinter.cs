using System.Net;
using Harness.Core.Transport;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Print;
using Harness.Dpws.Soap;
using Harness.Simulators.Cameras;
using Harness.Simulators.Discovery;
using Harness.Simulators.Identity;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Simulators.Printers;

/// <summary>
/// A simulated WSD printer: a DPWS device (ThisModel/ThisDevice from its seeded identity) hosting a WS-Print printer
/// service (<c>wprt:PrinterServiceType</c>, with events), announced over WS-Discovery with types <c>wsdp:Device</c> and
/// <c>wprt:PrintDeviceType</c>. It accepts jobs and keeps the documents it receives for the test to inspect:
/// <code>
/// await using var printer = await FakePrinter.StartAsync(new FakePrinterOptions { Seed = 7, UnicastAddress = IPAddress.Parse("127.0.0.40") }, ct);
/// // … print to printer.ServiceAddress …
/// Assert.Equal(bytes, printer.ReceivedDocuments.Single().Data.ToArray());
/// </code>
/// Disposing it sends Bye, SubscriptionEnd (SourceShuttingDown) to subscribers with an EndTo, and stops the host.
/// </summary>
public sealed class FakePrinter : IAsyncDisposable
{
    /// <summary><c>wsdp:Device</c>.</summary>
    public static readonly WsdQName DeviceType = WsdQName.Create(DpwsNamespaces.Devprof, "Device", "wsdp");

    private IDisposable? _addressProvider;
    private int _disposed;

    private FakePrinter(FakePrinterOptions options, DeviceIdentity identity, DpwsDevice device, PrinterService service, PrinterServiceEndpoint endpoint)
    {
        Options = options;
        Identity = identity;
        Device = device;
        Service = service;
        Endpoint = endpoint;
    }

    /// <summary>The settings it was started with.</summary>
    public FakePrinterOptions Options { get; }

    /// <summary>Who the printer says it is.</summary>
    public DeviceIdentity Identity { get; }

    /// <summary>The DPWS device (HTTP host, metadata, hosted services).</summary>
    public DpwsDevice Device { get; }

    /// <summary>The printer's state machine (jobs, documents, conditions).</summary>
    public PrinterService Service { get; }

    /// <summary>The hosted printer service.</summary>
    public PrinterServiceEndpoint Endpoint { get; }

    /// <summary>The publisher that announces the printer, or null when not <see cref="FakePrinterOptions.Discoverable"/>.</summary>
    public Publisher? Publisher { get; private set; }

    /// <summary>The discovery data announced (XAddr as a template), or null when not discoverable.</summary>
    public PublishedService? Published { get; private set; }

    /// <summary>The endpoint reference address, <c>urn:uuid:…</c>.</summary>
    public string EndpointAddress => Device.EndpointAddress;

    /// <summary>The device's XAddr (WS-Transfer Get goes there).</summary>
    public Uri XAddr => Device.XAddr;

    /// <summary>The printer service URL (WS-Print and WS-Eventing go there).</summary>
    public Uri ServiceAddress => Endpoint.Address;

    /// <summary>Every job held (active and history), oldest first.</summary>
    public IReadOnlyList<PrintJobInfo> Jobs => Service.Jobs;

    /// <summary>Every document received and still held, in order.</summary>
    public IReadOnlyList<PrintDocument> ReceivedDocuments => Service.Documents;

    /// <summary>Starts the printer: HTTP host, printer service, then (when discoverable) the publisher, which sends Hello.</summary>
    public static async Task<FakePrinter> StartAsync(FakePrinterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var identity = options.Identity ?? DeviceIdentity.Create(DeviceKind.Printer, options.Seed, options.Index);
        var service = new PrinterService(options.Service ?? CreateServiceOptions(identity), options.TimeProvider);
        DpwsDevice? device = null;
        PrinterServiceEndpoint? endpoint = null;
        try
        {
            device = new DpwsDevice(CreateDeviceOptions(identity, options), options.TimeProvider, options.LoggerFactory, options.NotifierHandler);
            endpoint = PrinterServiceEndpoint.Attach(device, service, options.Endpoint, options.LoggerFactory);
            await device.StartAsync(cancellationToken).ConfigureAwait(false);
            var printer = new FakePrinter(options, identity, device, service, endpoint);
            if (options.Discoverable)
            {
                var published = device.ToPublishedService([DeviceType, PrinterServiceEndpoint.PrintDeviceType], []);
                var (publisher, addressProvider) = DevicePublisher.Create(options, 0x7072);
                printer._addressProvider = addressProvider;
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

                printer.Publisher = publisher;
                printer.Published = published;
            }

            return printer;
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

    /// <summary>The printer service settings of a printer with this identity (its name, maker, model and city in PrinterDescription).</summary>
    public static PrinterServiceOptions CreateServiceOptions(DeviceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var defaults = new PrinterServiceOptions();
        return defaults with
        {
            Description = defaults.Description with
            {
                DeviceId = $"MFG:{identity.Manufacturer};MDL:{identity.Model};CMD:PDF,PWGRaster,URF;CLS:PRINTER;DES:{identity.Manufacturer} {identity.Model};",
                PrinterName = [new PrintLocalizedString(identity.Name, "en-US")],
                PrinterInfo = [new PrintLocalizedString($"{identity.Manufacturer} {identity.Model}", "en-US")],
                PrinterLocation = [new PrintLocalizedString($"{identity.City}, {identity.Country}", "en-US")],
            },
        };
    }

    /// <summary>The DPWS device settings of a printer with this identity.</summary>
    public static DpwsDeviceOptions CreateDeviceOptions(DeviceIdentity identity, FakePrinterOptions options)
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
            HostTypes = [PrinterServiceEndpoint.PrintDeviceType],
            Host = host with { Seed = host.Seed ?? StableSeed.Mix(options.Seed, options.Index, 0x7072) },
        };
    }

    /// <summary>Waits until job <paramref name="jobId"/> satisfies <paramref name="predicate"/> (e.g. it is Completed).</summary>
    public Task<PrintJobInfo> WaitForJobAsync(int jobId, Func<PrintJobInfo, bool> predicate, CancellationToken cancellationToken) =>
        Service.WaitForJobAsync(jobId, predicate, cancellationToken);

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
    /// Restarts the printer's discovery presence as after a power cycle: Bye, then a Hello from a new instance with a higher
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
            next => DevicePublisher.Create(Options, 0x7072, next),
            (publisher, addressProvider) => (Publisher, _addressProvider) = (publisher, addressProvider),
            cancellationToken).ConfigureAwait(false);
    }
}
