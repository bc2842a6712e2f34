using System.Net;
using Harness.Core.Transport;
using Harness.Simulators.Cameras;
using Harness.Simulators.Identity;
using Harness.Simulators.Printers;
using Harness.Simulators.Scanners;
using Harness.Simulators.Xmpp;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Simulators.Fleet;

/// <summary>One running simulated device of a fleet.</summary>
/// <param name="Kind">The fleet kind (<see cref="FleetEntry.Kinds"/>).</param>
/// <param name="Identity">Who it says it is.</param>
/// <param name="Quirk">The quirk profile it runs with, or null.</param>
/// <param name="Instance">The running simulator (<see cref="FakeCamera"/>, <see cref="FakeScanner"/>, <see cref="FakePrinter"/>, …).</param>
public sealed record SimulatedDevice(string Kind, DeviceIdentity Identity, string? Quirk, IAsyncDisposable Instance)
{
    /// <summary>The camera, for a camera; else null.</summary>
    public FakeCamera? Camera => Instance as FakeCamera;

    /// <summary>The scanner, for a scanner; else null.</summary>
    public FakeScanner? Scanner => Instance as FakeScanner;

    /// <summary>The printer, for a printer; else null.</summary>
    public FakePrinter? Printer => Instance as FakePrinter;

    /// <summary>The WS-Discovery endpoint reference address (WSD devices), or the device's own identifier for other protocols.</summary>
    public string EndpointAddress => Instance switch
    {
        FakeCamera camera => camera.EndpointAddress,
        FakeScanner scanner => scanner.EndpointAddress,
        FakePrinter printer => printer.EndpointAddress,
        _ => FleetDeviceKinds.EndpointAddress(Instance) ?? Identity.EndpointAddress,
    };

    /// <summary>True when the device speaks WS-Discovery (cameras, scanners, printers).</summary>
    public bool IsWsd => Instance is FakeCamera or FakeScanner or FakePrinter;

    /// <summary>Restarts the device as after a power cycle (Bye, new instance, Hello; byebye and a new BOOTID for UPnP).</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => Instance switch
    {
        FakeCamera camera => camera.RestartAsync(cancellationToken),
        FakeScanner scanner => scanner.RestartAsync(cancellationToken),
        FakePrinter printer => printer.RestartAsync(cancellationToken),
        _ => FleetDeviceKinds.RestartAsync(Instance, cancellationToken),
    };
}

/// <summary>How a fleet is started.</summary>
public sealed record FleetStartOptions
{
    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>First port of the device services' XAddrs; each device takes the next one.</summary>
    public int FirstServicePort { get; init; } = 8080;

    /// <summary>Delay before answering a multicast Probe; null for the profile's random delay up to APP_MAX_DELAY.</summary>
    public TimeSpan? AnswerDelay { get; init; }

    /// <summary>Delay before Hello; null for the profile's random delay.</summary>
    public TimeSpan? HelloDelay { get; init; }

    /// <summary>Applies a quirk profile by name to a camera's options; null to refuse quirks.</summary>
    public Func<string, FakeCameraOptions, FakeCameraOptions>? ApplyQuirk { get; init; }

    /// <summary>Applies a quirk profile by name to a scanner's options; null to refuse quirks on scanners.</summary>
    public Func<string, FakeScannerOptions, FakeScannerOptions>? ApplyScannerQuirk { get; init; }

    /// <summary>Applies a quirk profile by name to a printer's options; null to refuse quirks on printers.</summary>
    public Func<string, FakePrinterOptions, FakePrinterOptions>? ApplyPrinterQuirk { get; init; }

    /// <summary>Called after each device has started (for a progress line): the number started and the total.</summary>
    public Action<int, int>? Progress { get; init; }
}

/// <summary>A started fleet. Disposing it sends Bye for every device.</summary>
public sealed class RunningFleet : IAsyncDisposable
{
    private readonly List<SimulatedDevice> _devices;

    private RunningFleet(FleetFile file, List<SimulatedDevice> devices)
    {
        File = file;
        _devices = devices;
    }

    /// <summary>The fleet that was started.</summary>
    public FleetFile File { get; }

    /// <summary>The in-process XMPP server and its entities when the fleet has <c>xmpp</c> lines, else null.</summary>
    public XmppFleet? Xmpp { get; private set; }

    /// <summary>The running devices, in fleet order (the XMPP entities last).</summary>
    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    /// <summary>
    /// The device with this endpoint address, or null. <c>urn:uuid:X</c> and <c>uuid:X</c> name the same device (a quirk
    /// profile may announce the bare form).
    /// </summary>
    public SimulatedDevice? Find(string endpointAddress)
    {
        ArgumentNullException.ThrowIfNull(endpointAddress);
        var wanted = Canonical(endpointAddress);
        return _devices.FirstOrDefault(d => string.Equals(Canonical(d.EndpointAddress), wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>An endpoint address without its <c>urn:</c> and <c>uuid:</c> prefixes, for comparison.</summary>
    public static string Canonical(string address)
    {
        var text = address.Trim();
        if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..];
        }

        return text.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text;
    }

    /// <summary>Starts every device of <paramref name="file"/>.</summary>
    public static async Task<RunningFleet> StartAsync(FleetFile file, FleetStartOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Validate();
        options ??= new FleetStartOptions();
        var devices = new List<SimulatedDevice>();
        var fleet = new RunningFleet(file, devices);
        try
        {
            var loopback = NetworkInterfaceResolver.Resolve(file.Interface).IsLoopback;
            var indexByKind = new Dictionary<string, int>(StringComparer.Ordinal);
            var total = file.Devices.Sum(e => e.Count);
            foreach (var entry in file.Devices)
            {
                if (entry.Kind == FleetEntry.Xmpp)
                {
                    continue;
                }

                for (var n = 0; n < entry.Count; n++)
                {
                    var index = indexByKind.GetValueOrDefault(entry.Kind);
                    indexByKind[entry.Kind] = index + 1;
                    var name = entry.Name is { } given ? (entry.Count > 1 ? $"{given} {n + 1}" : given) : null;
                    var start = new FleetDeviceStart(file, entry, index, name, devices.Count, loopback ? LoopbackAddress(devices.Count) : null, options);
                    devices.Add(await StartDeviceAsync(start, cancellationToken).ConfigureAwait(false));
                    options.Progress?.Invoke(devices.Count, total);
                }
            }

            // The XMPP entities share one in-process XMPP server on 127.0.0.1.
            var xmppEntries = file.Devices.Where(e => e.Kind == FleetEntry.Xmpp).ToList();
            if (xmppEntries.Count > 0)
            {
                var kinds = xmppEntries.SelectMany(e => Enumerable.Repeat(FleetDeviceKinds.XmppKinds[e.XmppKind ?? "client"], e.Count)).ToList();
                var quirks = xmppEntries.SelectMany(e => Enumerable.Repeat(e.Quirk, e.Count)).ToList();
                fleet.Xmpp = await XmppFleet.StartAsync(
                    new XmppFleetOptions { Count = kinds.Count, Kinds = kinds, Quirks = quirks, Seed = file.Seed, TimeProvider = options.TimeProvider, LoggerFactory = options.LoggerFactory },
                    cancellationToken).ConfigureAwait(false);
                foreach (var entity in fleet.Xmpp.Entities)
                {
                    devices.Add(new SimulatedDevice(FleetEntry.Xmpp, entity.Identity, entity.Quirk?.Name, entity));
                    options.Progress?.Invoke(devices.Count, total);
                }
            }
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return fleet;
    }

    private static async Task<SimulatedDevice> StartDeviceAsync(FleetDeviceStart start, CancellationToken cancellationToken)
    {
        var (file, entry, options) = (start.File, start.Entry, start.Options);
        var multicast = new IPEndPoint(WsdMulticast.IPv4Group, file.MulticastPort);
        IReadOnlyList<WsdProtocol> protocols = entry.Version switch
        {
            "1.1" => [WsdProtocol.V11],
            "both" => WsdProtocol.All,
            _ => [WsdProtocol.V2005],
        };
        switch (entry.Kind)
        {
            case FleetEntry.Camera:
            {
                var identity = Named(DeviceIdentity.Create(DeviceKind.Camera, file.Seed, start.Index), start.Name);
                var cameraOptions = new FakeCameraOptions
                {
                    Seed = file.Seed,
                    Index = start.Index,
                    Identity = identity,
                    Interface = file.Interface,
                    MulticastEndPoint = multicast,
                    Protocols = protocols,
                    DeviceServicePort = options.FirstServicePort + start.Number,
                    UnicastAddress = start.UnicastAddress,
                    AnswerDelay = options.AnswerDelay,
                    HelloDelay = options.HelloDelay,
                    TimeProvider = options.TimeProvider,
                    LoggerFactory = options.LoggerFactory,
                };
                cameraOptions = WithQuirk(entry.Quirk, cameraOptions, options.ApplyQuirk, kind: "");

                var camera = await FakeCamera.StartAsync(cameraOptions, cancellationToken).ConfigureAwait(false);
                return new SimulatedDevice(entry.Kind, camera.Identity, entry.Quirk, camera);
            }

            case FleetEntry.Scanner:
            {
                var identity = Named(DeviceIdentity.Create(DeviceKind.Scanner, file.Seed, start.Index), start.Name);
                var scannerOptions = new FakeScannerOptions
                {
                    Seed = file.Seed,
                    Index = start.Index,
                    Identity = identity,
                    Interface = file.Interface,
                    MulticastEndPoint = multicast,
                    Protocols = protocols,
                    UnicastAddress = start.UnicastAddress,
                    HttpPort = 0,
                    AnswerDelay = options.AnswerDelay,
                    HelloDelay = options.HelloDelay,
                    TimeProvider = options.TimeProvider,
                    LoggerFactory = options.LoggerFactory,
                };
                scannerOptions = WithQuirk(entry.Quirk, scannerOptions, options.ApplyScannerQuirk, kind: "scanner ");

                var scanner = await FakeScanner.StartAsync(scannerOptions, cancellationToken).ConfigureAwait(false);
                return new SimulatedDevice(entry.Kind, scanner.Identity, entry.Quirk, scanner);
            }

            case FleetEntry.Printer:
            {
                var identity = Named(DeviceIdentity.Create(DeviceKind.Printer, file.Seed, start.Index), start.Name);
                var printerOptions = new FakePrinterOptions
                {
                    Seed = file.Seed,
                    Index = start.Index,
                    Identity = identity,
                    Interface = file.Interface,
                    MulticastEndPoint = multicast,
                    Protocols = protocols,
                    UnicastAddress = start.UnicastAddress,
                    HttpPort = 0,
                    AnswerDelay = options.AnswerDelay,
                    HelloDelay = options.HelloDelay,
                    TimeProvider = options.TimeProvider,
                    LoggerFactory = options.LoggerFactory,
                };
                printerOptions = WithQuirk(entry.Quirk, printerOptions, options.ApplyPrinterQuirk, kind: "printer ");

                var printer = await FakePrinter.StartAsync(printerOptions, cancellationToken).ConfigureAwait(false);
                return new SimulatedDevice(entry.Kind, printer.Identity, entry.Quirk, printer);
            }

            default:
                return await FleetDeviceKinds.StartAsync(start, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <paramref name="options"/> with <paramref name="quirk"/> applied by <paramref name="apply"/>, unchanged without a
    /// quirk; a quirk this runner cannot apply throws. <paramref name="kind"/> prefixes "quirk" in the message ("scanner ").
    /// </summary>
    private static TOptions WithQuirk<TOptions>(string? quirk, TOptions options, Func<string, TOptions, TOptions>? apply, string kind) =>
        quirk is null ? options
        : apply is null ? throw new InvalidOperationException($"The fleet asks for {kind}quirk '{quirk}' but this runner applies no {kind}quirks.")
        : apply(quirk, options);

    private static DeviceIdentity Named(DeviceIdentity identity, string? name) => name is null ? identity : identity with { Name = name };

    /// <summary>
    /// The loopback address of device number <paramref name="n"/>: 127.0.0.10, 127.0.0.11, … (the whole of 127/8 is
    /// local), so that each simulated device has a unicast address of its own.
    /// </summary>
    public static IPAddress LoopbackAddress(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return new IPAddress([127, 0, (byte)(n / 200), (byte)(10 + (n % 200))]);
    }

    /// <summary>Stops every device (Bye).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices.Where(d => d.Kind != FleetEntry.Xmpp))
        {
            await device.Instance.DisposeAsync().ConfigureAwait(false);
        }

        if (Xmpp is { } xmpp)
        {
            await xmpp.DisposeAsync().ConfigureAwait(false);
        }

        _devices.Clear();
    }
}
