using System.Net;
using Harness.Core.Transport;
using Harness.Simulators.Cameras;
using Harness.WsDiscovery.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Simulators.Discovery;

/// <summary>Where and how a simulated device's WS-Discovery sockets are bound.</summary>
/// <param name="Interface">Interface name or address (loopback by default in every simulator).</param>
/// <param name="MulticastEndPoint">The discovery group and port.</param>
/// <param name="UnicastAddress">The device's own unicast address, or null (see <see cref="FakeCameraOptions.UnicastAddress"/>).</param>
/// <param name="TransportFactory">A transport instead of real UDP (in-memory tests), or null.</param>
/// <param name="AddressProvider">Local addresses for <c>{ip}</c>, or null to derive them.</param>
/// <param name="TimeProvider">The clock.</param>
/// <param name="LoggerFactory">Logging.</param>
internal sealed record DiscoverySockets(
    string Interface,
    IPEndPoint MulticastEndPoint,
    IPAddress? UnicastAddress,
    Func<IDatagramTransport>? TransportFactory,
    ILocalAddressProvider? AddressProvider,
    TimeProvider TimeProvider,
    ILoggerFactory LoggerFactory);

/// <summary>
/// Binds a simulated device's discovery sockets and makes its <see cref="Publisher"/>: one socket on the group's port
/// (shared with SO_REUSEADDR) and, with a unicast address of its own, a second one on that address so a unicast
/// Probe reaches this device alone; <c>{ip}</c> then expands to that address. One place for cameras, printers and
/// scanners.
/// </summary>
internal static class DevicePublisher
{
    /// <summary>
    /// Creates the publisher. <paramref name="wrap"/> decorates each real socket (a quirk profile) inside the
    /// <see cref="DeviceSocket"/>, so it sees what the engine really sends. The returned disposable is an address
    /// watcher the caller owns (the publisher does not dispose a provider it was given), or null.
    /// </summary>
    public static (Publisher Publisher, IDisposable? OwnedAddresses) Create(
        DiscoverySockets sockets,
        PublisherOptions publisherOptions,
        Func<IDatagramTransport, IDatagramTransport>? wrap = null)
    {
        var ownSockets = sockets.TransportFactory is null;
        var transports = new List<IDatagramTransport>();
        var transport = sockets.TransportFactory?.Invoke() ?? Bind(
            sockets,
            new IPEndPoint(sockets.MulticastEndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, sockets.MulticastEndPoint.Port),
            [sockets.MulticastEndPoint.Address]);
        transport = wrap?.Invoke(transport) ?? transport;
        if (sockets.UnicastAddress is not null && ownSockets)
        {
            transport = new DeviceSocket(transport, unicastOnly: false);
        }

        transports.Add(transport);
        if (sockets.UnicastAddress is { } unicast && ownSockets)
        {
            try
            {
                var unicastSocket = Bind(sockets, new IPEndPoint(unicast, sockets.MulticastEndPoint.Port), []);
                transports.Add(new DeviceSocket(wrap?.Invoke(unicastSocket) ?? unicastSocket, unicastOnly: true));
            }
            catch
            {
                // Leave nothing bound when the second socket fails.
                _ = transport.DisposeAsync().AsTask();
                throw;
            }
        }

        NetworkInterfaceAddressProvider? owned = null;
        var addresses = sockets.AddressProvider
            ?? (sockets.UnicastAddress is { } own
                ? new StaticLocalAddressProvider(new LocalAddress(own, 0, sockets.Interface))
                : owned = new NetworkInterfaceAddressProvider(sockets.Interface));
        var publisher = new Publisher(transports, publisherOptions, sockets.TimeProvider, sockets.LoggerFactory.CreateLogger<Publisher>(), addresses);
        return (publisher, owned);
    }

    private static UdpDatagramTransport Bind(DiscoverySockets sockets, IPEndPoint local, IReadOnlyList<IPAddress> groups) =>
        UdpDatagramTransport.Bind(
            new UdpTransportOptions { LocalEndPoint = local, MulticastGroups = groups, Interface = sockets.Interface },
            sockets.TimeProvider,
            sockets.LoggerFactory.CreateLogger<UdpDatagramTransport>());
}
