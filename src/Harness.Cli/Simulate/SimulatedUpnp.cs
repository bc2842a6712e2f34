using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Harness.Cli.Common;
using Harness.Simulators.Fleet;
using Harness.Simulators.Upnp;
using Harness.Ssdp.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Simulate;

/// <summary>
/// The UPnP devices of <c>harness simulate --upnp N [--upnp-kind KIND] [--quirk NAME]</c>: each a
/// <see cref="FakeUpnpDevice"/> with a unicast address of its own, SSDP on 239.255.255.250 at the multicast port.
/// </summary>
internal sealed class SimulatedUpnp : IAsyncDisposable
{
    /// <summary>At most this many devices start at once (each binds sockets and starts Kestrel).</summary>
    private const int Parallelism = 8;

    /// <summary>The names <c>--upnp-kind</c> takes.</summary>
    public static readonly IReadOnlyDictionary<string, UpnpDeviceKind> Kinds = new Dictionary<string, UpnpDeviceKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["basic"] = UpnpDeviceKind.Basic,
        ["mediaserver"] = UpnpDeviceKind.MediaServer,
        ["mediarenderer"] = UpnpDeviceKind.MediaRenderer,
        ["igd"] = UpnpDeviceKind.InternetGateway,
        ["printer"] = UpnpDeviceKind.Printer,
        ["scanner"] = UpnpDeviceKind.Scanner,
    };

    public List<FakeUpnpDevice> Devices { get; } = [];

    /// <summary>True when <paramref name="name"/> is a UPnP quirk (the others are camera profiles).</summary>
    public static bool IsUpnpQuirk(string? name) => name is not null && UpnpQuirks.Find(name) is not null;

    /// <summary>
    /// Starts <paramref name="count"/> devices of <paramref name="kind"/>, numbered after the <paramref name="offset"/>
    /// devices started before them (for their addresses), a few at a time, calling <paramref name="started"/> after each.
    /// </summary>
    public static async Task<SimulatedUpnp> StartAsync(
        int count,
        UpnpDeviceKind kind,
        string? quirk,
        int seed,
        string interfaceName,
        int multicastPort,
        int offset,
        ILoggerFactory loggers,
        Action started,
        CancellationToken cancellationToken)
    {
        var simulated = new SimulatedUpnp();
        var slots = new FakeUpnpDevice?[count];
        var multicast = new IPEndPoint(SsdpMulticast.IPv4Group, multicastPort);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
            await Parallel.ForAsync(0, count, parallel, async (n, ct) =>
            {
                slots[n] = await FakeUpnpDevice.StartAsync(
                    new FakeUpnpDeviceOptions
                    {
                        Kind = kind,
                        Seed = seed,
                        Index = n,
                        Interface = interfaceName,
                        UnicastAddress = UnicastAddress(interfaceName, offset + n),
                        MulticastEndPoint = multicast,
                        Quirk = quirk,
                        LoggerFactory = loggers,
                    },
                    ct);
                started();
            });
        }
        catch
        {
            simulated.Devices.AddRange(slots.OfType<FakeUpnpDevice>());
            await simulated.DisposeAsync();
            throw;
        }

        simulated.Devices.AddRange(slots.OfType<FakeUpnpDevice>());
        return simulated;
    }

    /// <summary>Adds a row per device: kind, name, model, UDN, quirk and LOCATION (last, like the XAddr of the others).</summary>
    public void AddRows(TextTable table)
    {
        foreach (var device in Devices)
        {
            var id = device.Identity;
            table.Add(["upnp-" + Kinds.First(k => k.Value == device.Options.Kind).Key], [id.Name], [$"{id.Manufacturer} {id.Model}"], [device.Udn], [device.Quirk?.Name ?? "-"], [device.Location.ToString()]);
        }
    }

    /// <summary>Sends the byebye sets and stops the devices.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var device in Devices)
        {
            await device.DisposeAsync();
        }

        Devices.Clear();
    }

    /// <summary>On loopback a 127.0.x.y of its own; on a named interface (or address) that interface's IPv4 address.</summary>
    private static IPAddress UnicastAddress(string interfaceName, int n)
    {
        if (interfaceName == "lo")
        {
            return RunningFleet.LoopbackAddress(n);
        }

        if (IPAddress.TryParse(interfaceName, out var literal))
        {
            return literal;
        }

        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(i => i.Name == interfaceName)
            ?? throw new ArgumentException($"No interface named '{interfaceName}'.");
        return nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new ArgumentException($"The interface '{interfaceName}' has no IPv4 address.");
    }
}
