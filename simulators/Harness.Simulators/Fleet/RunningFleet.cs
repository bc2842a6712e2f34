using System.Net;
using Harness.Core.Transport;
using Harness.Simulators.Cameras;
using Harness.Simulators.Identity;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Simulators.Fleet;

/// <summary>One running simulated device of a fleet.</summary>
/// <param name="Kind">The fleet kind (<c>camera</c>).</param>
/// <param name="Identity">Who it says it is.</param>
/// <param name="Quirk">The quirk profile it runs with, or null.</param>
/// <param name="Camera">The camera, for a camera.</param>
public sealed record SimulatedDevice(string Kind, DeviceIdentity Identity, string? Quirk, FakeCamera Camera)
{
    /// <summary>The WS-Discovery endpoint reference address.</summary>
    public string EndpointAddress => Camera.EndpointAddress;

    /// <summary>Restarts the device as after a power cycle (Bye, new instance, Hello).</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => Camera.RestartAsync(cancellationToken);
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

    /// <summary>The running devices, in fleet order.</summary>
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

    private static string Canonical(string address)
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
            foreach (var entry in file.Devices)
            {
                for (var n = 0; n < entry.Count; n++)
                {
                    var index = indexByKind.GetValueOrDefault(entry.Kind);
                    indexByKind[entry.Kind] = index + 1;
                    var identity = DeviceIdentity.Create(DeviceKind.Camera, file.Seed, index);
                    if (entry.Name is { } name)
                    {
                        identity = identity with { Name = entry.Count > 1 ? $"{name} {n + 1}" : name };
                    }

                    var cameraOptions = new FakeCameraOptions
                    {
                        Seed = file.Seed,
                        Index = index,
                        Identity = identity,
                        Interface = file.Interface,
                        MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, file.MulticastPort),
                        Protocols = entry.Version switch
                        {
                            "1.1" => [WsdProtocol.V11],
                            "both" => WsdProtocol.All,
                            _ => [WsdProtocol.V2005],
                        },
                        DeviceServicePort = options.FirstServicePort + devices.Count,
                        UnicastAddress = loopback ? LoopbackAddress(devices.Count) : null,
                        AnswerDelay = options.AnswerDelay,
                        HelloDelay = options.HelloDelay,
                        TimeProvider = options.TimeProvider,
                        LoggerFactory = options.LoggerFactory,
                    };
                    if (entry.Quirk is { } quirk)
                    {
                        cameraOptions = options.ApplyQuirk is null
                            ? throw new InvalidOperationException($"The fleet asks for quirk '{quirk}' but this runner applies no quirks.")
                            : options.ApplyQuirk(quirk, cameraOptions);
                    }

                    var camera = await FakeCamera.StartAsync(cameraOptions, cancellationToken).ConfigureAwait(false);
                    devices.Add(new SimulatedDevice(entry.Kind, camera.Identity, entry.Quirk, camera));
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
        foreach (var device in _devices)
        {
            await device.Camera.DisposeAsync().ConfigureAwait(false);
        }

        _devices.Clear();
    }
}
