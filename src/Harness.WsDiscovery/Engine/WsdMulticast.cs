using System.Net;
using System.Net.Sockets;

namespace Harness.WsDiscovery.Engine;

/// <summary>The WS-Discovery multicast endpoints (WS-Discovery §2.4; checklist WSD-UDP-002).</summary>
public static class WsdMulticast
{
    /// <summary>The discovery port, 3702.</summary>
    public const int Port = 3702;

    /// <summary>The IPv4 group, 239.255.255.250.</summary>
    public static IPAddress IPv4Group { get; } = IPAddress.Parse("239.255.255.250");

    /// <summary>The IPv6 link-local group, ff02::c.</summary>
    public static IPAddress IPv6Group { get; } = IPAddress.Parse("ff02::c");

    /// <summary>239.255.255.250:3702.</summary>
    public static IPEndPoint IPv4EndPoint { get; } = new(IPv4Group, Port);

    /// <summary>[ff02::c]:3702.</summary>
    public static IPEndPoint IPv6EndPoint { get; } = new(IPv6Group, Port);

    /// <summary>The multicast endpoint of an address family.</summary>
    public static IPEndPoint For(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? IPv6EndPoint : IPv4EndPoint;
}
