using System.Net;

namespace Harness.Core.Transport;

/// <summary>A datagram received by a transport.</summary>
/// <param name="Payload">The bytes, exactly as received.</param>
/// <param name="Source">Who sent it (address and port).</param>
/// <param name="Destination">
/// Where it was sent to: the multicast group and port when it arrived on a group, else the local unicast
/// endpoint. Lets an engine tell a multicast request from a unicast one.
/// </param>
/// <param name="ReceivedAt">When the transport received it, from the transport's <see cref="TimeProvider"/>.</param>
/// <param name="InterfaceIndex">The index of the interface it arrived on, or 0 when unknown.</param>
public sealed record Datagram(
    ReadOnlyMemory<byte> Payload,
    IPEndPoint Source,
    IPEndPoint Destination,
    DateTimeOffset ReceivedAt,
    int InterfaceIndex = 0)
{
    /// <summary>True when <see cref="Destination"/> is a multicast address.</summary>
    public bool IsMulticast => Destination.Address.IsMulticast();
}

/// <summary>Address helpers.</summary>
public static class IPAddressExtensions
{
    /// <summary>True for IPv4 224.0.0.0/4 and IPv6 ff00::/8.</summary>
    public static bool IsMulticast(this IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.IsIPv6Multicast
            : (address.GetAddressBytes()[0] & 0xF0) == 0xE0;
    }
}
