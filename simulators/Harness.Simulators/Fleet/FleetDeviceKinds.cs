using System.Net;
using Harness.Simulators.Upnp;
using Harness.Simulators.Xmpp;

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

/// <summary>The device kinds of a fleet that do not speak WS-Discovery (UPnP devices; XMPP entities start together).</summary>
internal static class FleetDeviceKinds
{
    /// <summary>The names a fleet line's <c>upnpKind</c> takes.</summary>
    public static readonly IReadOnlyDictionary<string, UpnpDeviceKind> UpnpKinds = new Dictionary<string, UpnpDeviceKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["basic"] = UpnpDeviceKind.Basic,
        ["mediaserver"] = UpnpDeviceKind.MediaServer,
        ["mediarenderer"] = UpnpDeviceKind.MediaRenderer,
        ["igd"] = UpnpDeviceKind.InternetGateway,
        ["printer"] = UpnpDeviceKind.Printer,
        ["scanner"] = UpnpDeviceKind.Scanner,
    };

    /// <summary>The names a fleet line's <c>xmppKind</c> takes.</summary>
    public static readonly IReadOnlyDictionary<string, XmppEntityKind> XmppKinds = new Dictionary<string, XmppEntityKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["client"] = XmppEntityKind.Client,
        ["pubsub"] = XmppEntityKind.PubsubService,
        ["muc"] = XmppEntityKind.MucService,
        ["component"] = XmppEntityKind.Component,
    };

    public static async Task<SimulatedDevice> StartAsync(FleetDeviceStart start, CancellationToken cancellationToken)
    {
        var (file, entry, options) = (start.File, start.Entry, start.Options);
        if (entry.Kind != FleetEntry.Upnp)
        {
            throw new NotSupportedException($"The fleet kind '{entry.Kind}' cannot be started by this version.");
        }

        var kind = UpnpKinds[entry.UpnpKind ?? "basic"];
        var identity = FakeUpnpDevice.CreateIdentity(kind, file.Seed, start.Index);
        if (start.Name is { } name)
        {
            identity = identity with { Name = name };
        }

        var device = await FakeUpnpDevice.StartAsync(
            new FakeUpnpDeviceOptions
            {
                Kind = kind,
                Seed = file.Seed,
                Index = start.Index,
                Identity = identity,
                Interface = file.Interface,
                UnicastAddress = start.UnicastAddress,
                MulticastEndPoint = new IPEndPoint(IPAddress.Parse("239.255.255.250"), file.SsdpPort),
                MaxAge = entry.MaxAge ?? 1800,
                UpnpVersion = entry.Version ?? "1.1",
                Quirk = entry.Quirk,
                TimeProvider = options.TimeProvider,
                LoggerFactory = options.LoggerFactory,
            },
            cancellationToken).ConfigureAwait(false);
        return new SimulatedDevice(entry.Kind, device.Identity, entry.Quirk, device);
    }

    public static string? EndpointAddress(IAsyncDisposable instance) => instance switch
    {
        FakeUpnpDevice upnp => upnp.Udn,
        FakeXmppEntity xmpp => xmpp.Jid.ToString(),
        _ => null,
    };

    public static Task RestartAsync(IAsyncDisposable instance, CancellationToken cancellationToken) => instance switch
    {
        FakeUpnpDevice upnp => upnp.RestartAsync(cancellationToken),
        _ => throw new NotSupportedException($"A {instance.GetType().Name} cannot be restarted."),
    };
}
