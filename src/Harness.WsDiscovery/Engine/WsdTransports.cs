using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Harness.WsDiscovery.Engine;

/// <summary>Binds the UDP transports the WS-Discovery engines usually run on.</summary>
public static class WsdTransports
{
    /// <summary>
    /// A transport for a <see cref="Publisher"/> (or a client that wants Hello and Bye): bound to the wildcard
    /// address on <paramref name="port"/> (3702) with address reuse, joined to the family's group on
    /// <paramref name="interface"/>, multicast TTL 1. Replies go out of it too, so they come from port 3702.
    /// </summary>
    /// <param name="family">IPv4 (239.255.255.250) or IPv6 (ff02::c).</param>
    /// <param name="interface">The interface name or address (e.g. <c>lo</c>); null lets the OS choose.</param>
    /// <param name="port">The port; 3702 unless a test isolates itself on another.</param>
    /// <param name="timeProvider">Stamps received datagrams.</param>
    /// <param name="logger">The transport's logger.</param>
    public static UdpDatagramTransport BindMulticastListener(
        AddressFamily family,
        string? @interface,
        int port = WsdMulticast.Port,
        TimeProvider? timeProvider = null,
        ILogger<UdpDatagramTransport>? logger = null)
    {
        var group = WsdMulticast.For(family).Address;
        return UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(group, port, @interface), timeProvider, logger);
    }

    /// <summary>
    /// A transport for a <see cref="DiscoveryClient"/> that only probes and resolves: the wildcard address of the
    /// family on an ephemeral port, multicast sent out of <paramref name="interface"/>. Answers come back to it.
    /// </summary>
    public static UdpDatagramTransport BindClient(
        AddressFamily family,
        string? @interface,
        TimeProvider? timeProvider = null,
        ILogger<UdpDatagramTransport>? logger = null)
    {
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return UdpDatagramTransport.Bind(
            new UdpTransportOptions { LocalEndPoint = new IPEndPoint(any, 0), Interface = @interface },
            timeProvider,
            logger);
    }
}
