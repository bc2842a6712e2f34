using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Harness.Ssdp.Engine;

/// <summary>Binds the UDP transports the SSDP engines usually run on.</summary>
public static class SsdpTransports
{
    private const int FirstSearchPort = 49152;
    private const int LastSearchPort = 65535;

    /// <summary>
    /// A listener on <paramref name="port"/> (1900) of the wildcard address with address reuse, joined to the family's
    /// SSDP groups on <paramref name="interface"/>: what an advertiser answers searches on and what a control point hears
    /// NOTIFY on. Multicast TTL 2 for IPv4 (UDA 1.1 default) unless <paramref name="ttl"/> says otherwise.
    /// </summary>
    /// <param name="family">IPv4 (239.255.255.250) or IPv6 (FF02::C and FF05::C).</param>
    /// <param name="interface">The interface name or address (e.g. <c>lo</c>); null lets the OS choose.</param>
    /// <param name="port">1900 unless a test isolates itself on a private port.</param>
    /// <param name="ttl">Multicast TTL / hop limit (default 2).</param>
    /// <param name="timeProvider">Stamps received datagrams.</param>
    /// <param name="logger">The transport's logger.</param>
    public static UdpDatagramTransport BindListener(
        AddressFamily family,
        string? @interface,
        int port = SsdpMulticast.Port,
        int ttl = 2,
        TimeProvider? timeProvider = null,
        ILogger<UdpDatagramTransport>? logger = null)
    {
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return UdpDatagramTransport.Bind(
            new UdpTransportOptions
            {
                LocalEndPoint = new IPEndPoint(any, port),
                MulticastGroups = SsdpMulticast.GroupsFor(family),
                Interface = @interface,
                MulticastTtl = ttl,
            },
            timeProvider,
            logger);
    }

    /// <summary>
    /// A control point's search transport: the wildcard address of the family on an ephemeral port (UDA 1.1 §1.3.2:
    /// searches come from a port other than 1900), multicast sent out of <paramref name="interface"/>. Responses come back to it.
    /// </summary>
    public static UdpDatagramTransport BindSearcher(
        AddressFamily family,
        string? @interface,
        int ttl = 2,
        TimeProvider? timeProvider = null,
        ILogger<UdpDatagramTransport>? logger = null)
    {
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return UdpDatagramTransport.Bind(
            new UdpTransportOptions { LocalEndPoint = new IPEndPoint(any, 0), Interface = @interface, MulticastTtl = ttl },
            timeProvider,
            logger);
    }

    /// <summary>
    /// True when another socket holds <paramref name="port"/> of the family's wildcard address without sharing it for
    /// this process: an exclusive bind attempt fails. Nothing is sent.
    /// </summary>
    public static bool IsPortTaken(AddressFamily family, int port = SsdpMulticast.Port)
    {
        using var probe = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (family == AddressFamily.InterNetworkV6)
            {
                probe.DualMode = false;
            }

            probe.ExclusiveAddressUse = false;
            probe.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, port));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return true;
        }
    }

    /// <summary>
    /// A unicast search port for a device that cannot have 1900 to itself (UDA 1.1 §1.3.2, SEARCHPORT.UPNP.ORG): a
    /// free port from 49152 to 65535 of the wildcard address, without address reuse, so unicast searches to it reach
    /// only this device. Put its port in <see cref="SsdpAdvertiserOptions.SearchPort"/>.
    /// </summary>
    /// <exception cref="SocketException">No port of the range could be bound.</exception>
    public static UdpDatagramTransport BindSearchPort(
        AddressFamily family,
        string? @interface,
        int seed = 0,
        TimeProvider? timeProvider = null,
        ILogger<UdpDatagramTransport>? logger = null)
    {
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
#pragma warning disable CA5394 // Port choice, not security.
        var random = new Random(seed);
        var start = random.Next(FirstSearchPort, LastSearchPort + 1);
#pragma warning restore CA5394
        SocketException? last = null;
        for (var i = 0; i <= LastSearchPort - FirstSearchPort; i++)
        {
            var port = FirstSearchPort + ((start - FirstSearchPort + i) % (LastSearchPort - FirstSearchPort + 1));
            try
            {
                return UdpDatagramTransport.Bind(
                    new UdpTransportOptions { LocalEndPoint = new IPEndPoint(any, port), Interface = @interface, ReuseAddress = false },
                    timeProvider,
                    logger);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                last = ex;
            }
        }

        throw last ?? new SocketException((int)SocketError.AddressAlreadyInUse);
    }
}
