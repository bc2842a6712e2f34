using System.Net;

namespace Harness.Simulators.Fleet;

/// <summary>What the fleet knows when it starts one device.</summary>
/// <param name="File">The fleet.</param>
/// <param name="Entry">The fleet line.</param>
/// <param name="Index">The device's index among the devices of its kind (seeds its identity).</param>
/// <param name="Name">The name the fleet line gives it, or null for the generated one.</param>
/// <param name="Number">The device's number in the fleet (0, 1, …): picks ports.</param>
/// <param name="UnicastAddress">Its own loopback address (on loopback), or null.</param>
/// <param name="Options">How the fleet is started.</param>
public sealed record FleetDeviceStart(FleetFile File, FleetEntry Entry, int Index, string? Name, int Number, IPAddress? UnicastAddress, FleetStartOptions Options);

/// <summary>The device kinds of a fleet that do not speak WS-Discovery (UPnP devices, XMPP nodes).</summary>
internal static class FleetDeviceKinds
{
    public static Task<SimulatedDevice> StartAsync(FleetDeviceStart start, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The fleet kind '{start.Entry.Kind}' cannot be started by this version.");

    public static string? EndpointAddress(IAsyncDisposable instance) => null;

    public static Task RestartAsync(IAsyncDisposable instance, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"A {instance.GetType().Name} cannot be restarted.");
}
