using System.Net;
using System.Net.Sockets;

namespace Harness.Ssdp.Engine;

/// <summary>The SSDP multicast groups and port (UDA 1.1 §1.1.2, UDA 2.0 Annex A).</summary>
public static class SsdpMulticast
{
    /// <summary>The SSDP port, 1900.</summary>
    public const int Port = 1900;

    /// <summary>The IPv4 group, 239.255.255.250.</summary>
    public static IPAddress IPv4Group { get; } = IPAddress.Parse("239.255.255.250");

    /// <summary>The IPv6 link-local group, FF02::C.</summary>
    public static IPAddress IPv6LinkLocalGroup { get; } = IPAddress.Parse("ff02::c");

    /// <summary>The IPv6 site-local group, FF05::C (used by sources with ULA or global addresses).</summary>
    public static IPAddress IPv6SiteLocalGroup { get; } = IPAddress.Parse("ff05::c");

    /// <summary>239.255.255.250:1900.</summary>
    public static IPEndPoint IPv4EndPoint { get; } = new(IPv4Group, Port);

    /// <summary>[FF02::C]:1900.</summary>
    public static IPEndPoint IPv6LinkLocalEndPoint { get; } = new(IPv6LinkLocalGroup, Port);

    /// <summary>[FF05::C]:1900.</summary>
    public static IPEndPoint IPv6SiteLocalEndPoint { get; } = new(IPv6SiteLocalGroup, Port);

    /// <summary>The groups of a family: 239.255.255.250, or FF02::C and FF05::C.</summary>
    public static IReadOnlyList<IPAddress> GroupsFor(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? [IPv6LinkLocalGroup, IPv6SiteLocalGroup] : [IPv4Group];

    /// <summary>The endpoints of a family on <paramref name="port"/>.</summary>
    public static IReadOnlyList<IPEndPoint> EndPointsFor(AddressFamily family, int port = Port) =>
        [.. GroupsFor(family).Select(g => new IPEndPoint(g, port))];
}
