using System.Buffers.Binary;
using System.Net;
using Harness.Capture;

namespace Harness.Capture.Tests.Support;

/// <summary>
/// Hand-built frames for decoder tests, byte by byte from the RFCs (independent of the library's own packet
/// builder). Checksums are left 0: the reader does not check them (captures with offloading carry wrong ones).
/// </summary>
internal static class Frames
{
    public static byte[] Udp(int sourcePort, int destinationPort, byte[] payload, int? lengthOverride = null)
    {
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)(lengthOverride ?? udp.Length));
        payload.CopyTo(udp, 8);
        return udp;
    }

    public static byte[] Tcp(int sourcePort, int destinationPort, uint sequence, TcpFlags flags, byte[] payload, uint acknowledgment = 0)
    {
        var tcp = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), acknowledgment);
        tcp[12] = 5 << 4;
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 8192);
        payload.CopyTo(tcp, 20);
        return tcp;
    }

    public static byte[] Ipv4(string source, string destination, byte protocol, byte[] payload, ushort id = 1, int fragmentOffset = 0, bool moreFragments = false, int? totalLengthOverride = null)
    {
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(totalLengthOverride ?? packet.Length));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | (fragmentOffset / 8)));
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 12);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 16);
        payload.CopyTo(packet, 20);
        return packet;
    }

    /// <summary>An IPv6 packet; <paramref name="payload"/> holds any extension headers then the transport.</summary>
    public static byte[] Ipv6(string source, string destination, byte nextHeader, byte[] payload)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 1;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 8);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 24);
        payload.CopyTo(packet, 40);
        return packet;
    }

    /// <summary>An 8-byte IPv6 options header (hop-by-hop or destination options) with PadN.</summary>
    public static byte[] Ipv6Options(byte nextHeader) => [nextHeader, 0, 1, 4, 0, 0, 0, 0];

    /// <summary>An IPv6 fragment header (RFC 8200 section 4.5).</summary>
    public static byte[] Ipv6Fragment(byte nextHeader, int offset, bool more, uint id)
    {
        var header = new byte[8];
        header[0] = nextHeader;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)((offset & 0xFFF8) | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), id);
        return header;
    }

    /// <summary>An Ethernet II frame; each TPID in <paramref name="tags"/> adds a VLAN tag (outermost first).</summary>
    public static byte[] Ethernet(byte[] payload, ushort etherType = 0x0800, params ushort[] tags)
    {
        var frame = new byte[14 + (4 * tags.Length) + payload.Length];
        byte[] destination = [0x01, 0x00, 0x5E, 0x7F, 0xFF, 0xFA];
        byte[] source = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        var at = 12;
        for (var i = 0; i < tags.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), tags[i]);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at + 2), (ushort)(100 + i));
            at += 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), etherType);
        payload.CopyTo(frame, at + 2);
        return frame;
    }

    /// <summary>A Linux cooked v1 header (packet type, ARPHRD_ETHER, 6-byte address, protocol) then the payload.</summary>
    public static byte[] Sll(byte[] payload, ushort packetType, ushort protocol = 0x0800)
    {
        var frame = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, packetType);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), protocol);
        payload.CopyTo(frame, 16);
        return frame;
    }

    /// <summary>A Linux cooked v2 header (protocol, reserved, ifindex, ARPHRD_ETHER, packet type, address) then the payload.</summary>
    public static byte[] Sll2(byte[] payload, byte packetType, ushort protocol = 0x0800)
    {
        var frame = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, protocol);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);
        frame[10] = packetType;
        frame[11] = 6;
        payload.CopyTo(frame, 20);
        return frame;
    }

    /// <summary>A BSD loopback header: the address family as 4 bytes in the given byte order.</summary>
    public static byte[] Loopback(byte[] payload, uint family, bool bigEndian)
    {
        var frame = new byte[4 + payload.Length];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame, family);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frame, family);
        }

        payload.CopyTo(frame, 4);
        return frame;
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
