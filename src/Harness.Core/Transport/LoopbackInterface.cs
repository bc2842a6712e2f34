using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Harness.Core.Transport;

/// <summary>
/// The loopback interface: where tests and the default run keep their traffic (network hygiene). Also answers
/// whether this host can carry IPv4 or IPv6 multicast on it.
/// </summary>
public static class LoopbackInterface
{
    /// <summary>The loopback interface of this host.</summary>
    /// <exception cref="InvalidOperationException">The host lists no loopback interface.</exception>
    public static LocalInterface Get() =>
        NetworkInterfaceResolver.ListInterfaces().FirstOrDefault(i => i.IsLoopback)
        ?? NetworkInterfaceResolver.FindByIndex(NetworkInterface.LoopbackInterfaceIndex)
        ?? throw new InvalidOperationException(
            "This host lists no loopback interface. Known interfaces: " + string.Join(", ", NetworkInterfaceResolver.InterfaceNames()) + ".");

    /// <summary>The loopback interface's name (<c>lo</c> on Linux).</summary>
    public static string Name => Get().Name;

    /// <summary>True when the OS supports IPv6 and the loopback interface carries <c>::1</c>.</summary>
    public static bool HasIPv6 =>
        Socket.OSSupportsIPv6 && Get().IPv6Addresses.Any(a => a.Equals(IPAddress.IPv6Loopback));

    /// <summary>
    /// True when a datagram to <paramref name="group"/> with the loopback interface chosen has a route. Probes
    /// with a connected UDP socket: a route lookup only, nothing is sent. On Linux IPv4 multicast works on
    /// <c>lo</c> as it is; IPv6 multicast needs <c>lo</c> to carry the MULTICAST flag
    /// (<c>ip link set lo multicast on</c>), which it often lacks.
    /// </summary>
    public static bool CanMulticast(IPAddress group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (!group.IsMulticast())
        {
            throw new ArgumentException($"{group} is not a multicast address.", nameof(group));
        }

        var v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6 && !HasIPv6)
        {
            return false;
        }

        var loopback = Get();
        try
        {
            using var probe = new Socket(group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (v6)
            {
                probe.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, loopback.Index);
                probe.Connect(new IPEndPoint(new IPAddress(group.GetAddressBytes(), loopback.Index), 9));
            }
            else
            {
                probe.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, UdpDatagramTransport.ToInterfaceOption(IPAddress.Loopback));
                probe.Connect(new IPEndPoint(group, 9));
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when a datagram sent to <paramref name="group"/> on the loopback interface really comes back within
    /// <paramref name="timeout"/>: the route check of <see cref="CanMulticast"/>, then one datagram sent to the
    /// group (loopback interface chosen, hop limit 1) and received by a member socket. Uses plain sockets, not
    /// the transports, so that it stays a fact about the host.
    /// </summary>
    public static async Task<bool> CanMulticastAsync(IPAddress group, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!CanMulticast(group))
        {
            return false;
        }

        var loopback = Get();
        var v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        var token = Guid.NewGuid().ToByteArray();
        try
        {
            using var member = new Socket(group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            using var sender = new Socket(group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            member.Bind(new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            var port = ((IPEndPoint)member.LocalEndPoint!).Port;
            IPEndPoint target;
            if (v6)
            {
                member.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group, loopback.Index));
                sender.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, loopback.Index);
                sender.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 1);
                target = new IPEndPoint(new IPAddress(group.GetAddressBytes(), loopback.Index), port);
            }
            else
            {
                member.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, IPAddress.Loopback));
                sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, UdpDatagramTransport.ToInterfaceOption(IPAddress.Loopback));
                sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 1);
                target = new IPEndPoint(group, port);
            }

            await sender.SendToAsync(token, SocketFlags.None, target, cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var buffer = new byte[64];
            while (true)
            {
                var received = await member.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (buffer.AsSpan(0, received).SequenceEqual(token))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
