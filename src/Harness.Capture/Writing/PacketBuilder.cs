using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Harness.Capture;

/// <summary>
/// Builds raw IPv4/IPv6 packets carrying UDP or TCP, with correct lengths and checksums (RFC 791, RFC 8200,
/// RFC 768, RFC 9293; the Internet checksum of RFC 1071 over the pseudo-header). Pure.
/// </summary>
internal static class PacketBuilder
{
    public const int Ipv4HeaderLength = 20;
    public const int Ipv6HeaderLength = 40;
    public const int UdpHeaderLength = 8;
    public const int TcpHeaderLength = 20;

    /// <summary>The largest UDP payload one IPv4 datagram carries: 65,535 − 20 − 8.</summary>
    public const int MaxUdpPayloadIpv4 = 65_507;

    /// <summary>The largest UDP payload one IPv6 packet (no jumbogram) carries: 65,535 − 8.</summary>
    public const int MaxUdpPayloadIpv6 = 65_527;

    private const byte DefaultHopLimit = 64;

    /// <summary>The two addresses in one family: IPv4-mapped IPv6 addresses become IPv4 when the other is IPv4.</summary>
    public static (IPAddress Source, IPAddress Destination) SameFamily(IPAddress source, IPAddress destination)
    {
        if (source.AddressFamily != destination.AddressFamily)
        {
            if (source.IsIPv4MappedToIPv6)
            {
                source = source.MapToIPv4();
            }

            if (destination.IsIPv4MappedToIPv6)
            {
                destination = destination.MapToIPv4();
            }
        }

        if (source.AddressFamily != destination.AddressFamily
            || source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Cannot build an IP packet from {source} to {destination}: the addresses are not both IPv4 or both IPv6.");
        }

        return (source, destination);
    }

    public static int HeaderLength(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? Ipv4HeaderLength : Ipv6HeaderLength;

    /// <summary>Writes an IP + UDP packet into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteUdp(Span<byte> destination, IPEndPoint from, IPEndPoint to, ReadOnlySpan<byte> payload, ushort ipId)
    {
        var udpLength = UdpHeaderLength + payload.Length;
        var ipHeader = WriteIpHeader(destination, from.Address, to.Address, PacketDecoder.ProtocolUdp, udpLength, ipId);
        var udp = destination.Slice(ipHeader, udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        payload.CopyTo(udp[UdpHeaderLength..]);
        var checksum = TransportChecksum(from.Address, to.Address, PacketDecoder.ProtocolUdp, udp);

        // RFC 768: a computed checksum of 0 is sent as all ones (0 means "no checksum").
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], checksum == 0 ? (ushort)0xFFFF : checksum);
        return ipHeader + udpLength;
    }

    /// <summary>Writes an IP + TCP packet (no TCP options) into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteTcp(
        Span<byte> destination,
        IPEndPoint from,
        IPEndPoint to,
        uint sequence,
        uint acknowledgment,
        TcpFlags flags,
        ReadOnlySpan<byte> payload,
        ushort ipId)
    {
        var tcpLength = TcpHeaderLength + payload.Length;
        var ipHeader = WriteIpHeader(destination, from.Address, to.Address, PacketDecoder.ProtocolTcp, tcpLength, ipId);
        var tcp = destination.Slice(ipHeader, tcpLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], (flags & TcpFlags.Ack) != 0 ? acknowledgment : 0);
        tcp[12] = (TcpHeaderLength / 4) << 4;
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65_535); // window
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], 0); // checksum, below
        BinaryPrimitives.WriteUInt16BigEndian(tcp[18..], 0); // urgent pointer
        payload.CopyTo(tcp[TcpHeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], TransportChecksum(from.Address, to.Address, PacketDecoder.ProtocolTcp, tcp));
        return ipHeader + tcpLength;
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>, folded and complemented.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data, ulong initial = 0) => Fold(Sum(data, initial));

    private static int WriteIpHeader(Span<byte> destination, IPAddress source, IPAddress target, byte protocol, int payloadLength, ushort ipId)
    {
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            var header = destination[..Ipv4HeaderLength];
            header[0] = 0x45; // version 4, 5 words
            header[1] = 0; // DSCP / ECN
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(Ipv4HeaderLength + payloadLength));
            BinaryPrimitives.WriteUInt16BigEndian(header[4..], ipId);
            BinaryPrimitives.WriteUInt16BigEndian(header[6..], 0); // no flags, offset 0
            header[8] = DefaultHopLimit;
            header[9] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(header[10..], 0);
            source.TryWriteBytes(header[12..16], out _);
            target.TryWriteBytes(header[16..20], out _);
            BinaryPrimitives.WriteUInt16BigEndian(header[10..], Checksum(header));
            return Ipv4HeaderLength;
        }

        var v6 = destination[..Ipv6HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(v6, 0x6000_0000); // version 6, traffic class 0, flow label 0
        BinaryPrimitives.WriteUInt16BigEndian(v6[4..], (ushort)payloadLength);
        v6[6] = protocol;
        v6[7] = DefaultHopLimit;
        source.TryWriteBytes(v6[8..24], out _);
        target.TryWriteBytes(v6[24..40], out _);
        return Ipv6HeaderLength;
    }

    private static ushort TransportChecksum(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        // The pseudo-header: addresses, protocol and length (RFC 768 / RFC 9293 for IPv4, RFC 8200 section 8.1 for IPv6).
        Span<byte> address = stackalloc byte[16];
        ulong sum = 0;
        source.TryWriteBytes(address, out var length);
        sum = Sum(address[..length], sum);
        destination.TryWriteBytes(address, out length);
        sum = Sum(address[..length], sum);
        sum += protocol;
        sum += (uint)segment.Length;
        return Fold(Sum(segment, sum));
    }

    private static ulong Sum(ReadOnlySpan<byte> data, ulong sum)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += (uint)((data[i] << 8) | data[i + 1]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        return sum;
    }

    private static ushort Fold(ulong sum)
    {
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
