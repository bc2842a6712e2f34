using System.Net;
using System.Net.Sockets;

namespace Harness.Core.Transport;

/// <summary>
/// How a <see cref="UdpDatagramTransport"/> binds. Each property checks its value when set;
/// <see cref="Validate"/> checks how they fit together (and <see cref="UdpDatagramTransport.Bind"/> calls it).
/// </summary>
public sealed record UdpTransportOptions
{
    /// <summary>
    /// Where to bind (default <c>0.0.0.0:0</c>; <c>[::]:0</c> for IPv6). An IPv6 socket is IPv6-only: bind one
    /// transport per family. Bind to the wildcard address to receive multicast (Linux delivers multicast only to
    /// sockets bound to the wildcard or to the group). Port 0 takes a free port of its own.
    /// </summary>
    public IPEndPoint LocalEndPoint
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                throw new ArgumentException($"{value} is neither IPv4 nor IPv6.", nameof(LocalEndPoint));
            }

            if (value.Address.IsMulticast())
            {
                throw new ArgumentException(
                    $"Bind to the wildcard address, not to the group {value.Address}; put the group in {nameof(MulticastGroups)}.",
                    nameof(LocalEndPoint));
            }

            field = value;
        }
    } = new(IPAddress.Any, 0);

    /// <summary>Multicast groups to join on <see cref="Interface"/> (default none), of the family of <see cref="LocalEndPoint"/>.</summary>
    public IReadOnlyList<IPAddress> MulticastGroups
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (var group in value)
            {
                if (group is null || !group.IsMulticast())
                {
                    throw new ArgumentException($"'{group}' is not a multicast address.", nameof(MulticastGroups));
                }
            }

            field = [.. value];
        }
    } = [];

    /// <summary>
    /// The interface for multicast: a name (<c>lo</c>, <c>eth0</c>) or one of its addresses (<c>127.0.0.1</c>).
    /// Groups are joined on it and multicast is sent out of it. Null lets the OS choose (its default route).
    /// </summary>
    public string? Interface
    {
        get;
        init
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("The interface name is blank; use null for the OS default.", nameof(Interface));
            }

            field = value;
        }
    }

    /// <summary>TTL of IPv4 multicast, hop limit of IPv6 multicast (default 1: the local link only). 0–255.</summary>
    public int MulticastTtl
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MulticastTtl));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 255, nameof(MulticastTtl));
            field = value;
        }
    } = 1;

    /// <summary>Whether this host's own sockets (this one included) receive the multicast it sends (default true).</summary>
    public bool MulticastLoopback { get; init; } = true;

    /// <summary>
    /// Share the port with other sockets and processes (default true), as every WS-Discovery and SSDP peer on a
    /// host binds 3702 or 1900. On Linux this sets SO_REUSEADDR alone, which lets every binder receive the
    /// multicast; SO_REUSEPORT is not set (it would spread unicast among the sharers by hash). A port-0 bind
    /// always takes a port no one else holds; the sharing option is set after binding so others may join it.
    /// </summary>
    public bool ReuseAddress { get; init; } = true;

    /// <summary>How many received datagrams wait for a reader at most (default 1,024); past that the oldest are dropped and counted.</summary>
    public int ReceiveQueueCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(ReceiveQueueCapacity));
            field = value;
        }
    } = 1024;

    /// <summary>
    /// Largest payload sent or received (default 65,507, the IPv4 maximum; at most 65,527 for IPv6). Larger
    /// sends throw <see cref="ArgumentException"/>; larger received datagrams are dropped and counted.
    /// </summary>
    public int MaxDatagramSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxDatagramSize));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, DatagramLimits.MaxIPv6Payload, nameof(MaxDatagramSize));
            field = value;
        }
    } = DatagramLimits.MaxIPv4Payload;

    /// <summary>Checks that the options fit together: groups of the bind family, a size the family can carry.</summary>
    /// <exception cref="ArgumentException">They do not.</exception>
    public void Validate()
    {
        var family = LocalEndPoint.AddressFamily;
        foreach (var group in MulticastGroups)
        {
            if (group.AddressFamily != family)
            {
                throw new ArgumentException(
                    $"The group {group} is not of the family of the local endpoint {LocalEndPoint}; bind one transport per family.",
                    nameof(MulticastGroups));
            }
        }

        if (MaxDatagramSize > DatagramLimits.MaxPayload(family))
        {
            throw new ArgumentException(
                $"{nameof(MaxDatagramSize)} {MaxDatagramSize} exceeds the largest {family} UDP payload, {DatagramLimits.MaxPayload(family)}.",
                nameof(MaxDatagramSize));
        }
    }

    /// <summary>
    /// Options that bind the wildcard address of the group's family on <paramref name="port"/> and join the group on
    /// <paramref name="interface"/>; e.g. WS-Discovery: <c>239.255.255.250</c> or <c>FF02::C</c>, port 3702, <c>"lo"</c>.
    /// </summary>
    public static UdpTransportOptions ForMulticast(IPAddress group, int port, string? @interface)
    {
        ArgumentNullException.ThrowIfNull(group);
        var any = group.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return new UdpTransportOptions
        {
            LocalEndPoint = new IPEndPoint(any, port),
            MulticastGroups = [group],
            Interface = @interface,
        };
    }
}
