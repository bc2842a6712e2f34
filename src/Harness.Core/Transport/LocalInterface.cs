using System.Net;

namespace Harness.Core.Transport;

/// <summary>A network interface of this host, as a transport needs it: its index and its addresses.</summary>
/// <param name="Name">The interface name (e.g. <c>lo</c>, <c>eth0</c>).</param>
/// <param name="Index">The interface index (IPv4 and IPv6 share it on Linux; the IPv6 one is used for scope ids).</param>
/// <param name="IPv4Address">The first IPv4 address, or null when the interface has none.</param>
/// <param name="IPv6Addresses">The IPv6 addresses (link-local ones carry the scope id).</param>
/// <param name="Addresses">Every unicast address of the interface, IPv4 first, in the order the OS lists them.</param>
/// <param name="IsLoopback">True for the loopback interface.</param>
/// <param name="IsUp">True when the interface is operationally up.</param>
/// <param name="SupportsMulticast">
/// True when the OS reports the interface multicast-capable (on Linux the MULTICAST flag). Linux still carries
/// IPv4 multicast on a loopback without the flag, but not IPv6 multicast.
/// </param>
public sealed record LocalInterface(
    string Name,
    int Index,
    IPAddress? IPv4Address,
    IReadOnlyList<IPAddress> IPv6Addresses,
    IReadOnlyList<IPAddress> Addresses,
    bool IsLoopback,
    bool IsUp,
    bool SupportsMulticast)
{
    /// <summary>The address of the interface in the given family: the IPv4 address, or the preferred IPv6 one (global before link-local).</summary>
    public IPAddress? GetAddress(System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? IPv6Addresses.FirstOrDefault(a => !a.IsIPv6LinkLocal) ?? IPv6Addresses.FirstOrDefault()
            : IPv4Address;

    /// <inheritdoc />
    public override string ToString() => $"{Name} (index {Index}: {string.Join(", ", Addresses)})";
}
