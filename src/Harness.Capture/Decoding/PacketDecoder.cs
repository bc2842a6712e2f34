using System.Buffers.Binary;
using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>The outcome of decoding one frame's headers.</summary>
internal enum DecodeStatus
{
    Ok,
    NotIp,
    UnsupportedLinkType,
    Malformed,
    SnapTruncated,
}

/// <summary>The IP layer of a frame, as spans into the frame (valid as long as the frame).</summary>
internal ref struct IpLayer
{
    public int Version;
    public ReadOnlySpan<byte> Source;
    public ReadOnlySpan<byte> Destination;

    /// <summary>The transport protocol (after IPv6 extension headers); for a fragment, the protocol of the whole datagram.</summary>
    public byte Protocol;

    /// <summary>The transport header and data, or for a fragment the fragment's data.</summary>
    public ReadOnlySpan<byte> Payload;

    /// <summary>True when the IP header says the packet is longer than what was captured.</summary>
    public bool Truncated;

    public bool IsFragment;
    public uint FragmentId;
    public int FragmentOffset;
    public bool MoreFragments;

    /// <summary>The direction the link layer recorded (Linux cooked "outgoing"), or null.</summary>
    public TrafficDirection? LinkDirection;

    public string? Problem;
}

/// <summary>The UDP or TCP layer of a datagram.</summary>
internal ref struct TransportLayer
{
    public ushort SourcePort;
    public ushort DestinationPort;
    public uint Sequence;
    public uint Acknowledgment;
    public TcpFlags Flags;
    public ReadOnlySpan<byte> Data;
    public string? Problem;
}

/// <summary>
/// Decodes link-layer, IPv4/IPv6, UDP and TCP headers by hand (pure; no allocation). Lenient where captures
/// commonly deviate: Ethernet padding and trailing FCS are cut by the IP length, an IP length of 0 (segmentation
/// offload) means "the rest of the frame".
/// </summary>
internal static class PacketDecoder
{
    public const byte ProtocolTcp = 6;
    public const byte ProtocolUdp = 17;

    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypePppoeSession = 0x8864;
    private const int MaxVlanTags = 8;
    private const int MaxIpv6ExtensionHeaders = 16;

    public static DecodeStatus DecodeIp(LinkType linkType, ReadOnlySpan<byte> frame, out IpLayer ip)
    {
        ip = default;
        int offset;
        ushort etherType;
        switch (linkType)
        {
            case LinkType.Ethernet:
                if (frame.Length < 14)
                {
                    return Malformed(ref ip, "an Ethernet frame shorter than its 14-byte header");
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                offset = 14;
                break;
            case LinkType.LinuxSll:
                if (frame.Length < 16)
                {
                    return Malformed(ref ip, "a Linux cooked (SLL) frame shorter than its 16-byte header");
                }

                ip.LinkDirection = SllDirection(BinaryPrimitives.ReadUInt16BigEndian(frame));
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                offset = 16;
                break;
            case LinkType.LinuxSll2:
                if (frame.Length < 20)
                {
                    return Malformed(ref ip, "a Linux cooked (SLL2) frame shorter than its 20-byte header");
                }

                ip.LinkDirection = SllDirection(frame[10]);
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame);
                offset = 20;
                break;
            case LinkType.Null:
            case LinkType.Loop:
                if (frame.Length < 4)
                {
                    return Malformed(ref ip, "a loopback frame shorter than its 4-byte header");
                }

                // LINKTYPE_NULL holds the family in the capturing host's byte order; LOOP in network order.
                var family = BinaryPrimitives.ReadUInt32LittleEndian(frame);
                if (linkType == LinkType.Loop || (family & 0xFFFF0000) != 0)
                {
                    family = BinaryPrimitives.ReadUInt32BigEndian(frame);
                }

                return family switch
                {
                    2 => DecodeIpv4(frame[4..], ref ip),
                    10 or 24 or 28 or 30 => DecodeIpv6(frame[4..], ref ip),
                    _ => DecodeStatus.NotIp,
                };
            case LinkType.Raw:
            case LinkType.RawIp12:
            case LinkType.RawIp14:
                return DecodeRawIp(frame, ref ip);
            case LinkType.Ipv4:
                return DecodeIpv4(frame, ref ip);
            case LinkType.Ipv6:
                return DecodeIpv6(frame, ref ip);
            default:
                return DecodeStatus.UnsupportedLinkType;
        }

        // 802.1Q, 802.1ad (QinQ) and the older 0x9100/0x9200 tags, stacked.
        for (var tags = 0; etherType is 0x8100 or 0x88A8 or 0x9100 or 0x9200; tags++)
        {
            if (tags == MaxVlanTags || frame.Length < offset + 4)
            {
                return Malformed(ref ip, "a VLAN tag is cut short or nested too deeply");
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
            offset += 4;
        }

        switch (etherType)
        {
            case EtherTypeIpv4:
                return DecodeIpv4(frame[offset..], ref ip);
            case EtherTypeIpv6:
                return DecodeIpv6(frame[offset..], ref ip);
            case EtherTypePppoeSession:
                // PPPoE session header (6 bytes) then the PPP protocol (0x0021 IPv4, 0x0057 IPv6).
                if (frame.Length < offset + 8)
                {
                    return Malformed(ref ip, "a PPPoE session header is cut short");
                }

                var ppp = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 6)..]);
                return ppp switch
                {
                    0x0021 => DecodeIpv4(frame[(offset + 8)..], ref ip),
                    0x0057 => DecodeIpv6(frame[(offset + 8)..], ref ip),
                    _ => DecodeStatus.NotIp,
                };
            default:
                return DecodeStatus.NotIp;
        }
    }

    /// <summary>Walks IPv6 extension headers from <paramref name="next"/>; stops at a transport, a fragment header (recorded in <paramref name="ip"/>) or an unknown header.</summary>
    public static DecodeStatus WalkIpv6Extensions(ref byte next, ref ReadOnlySpan<byte> payload, ref IpLayer ip)
    {
        for (var count = 0; ; count++)
        {
            if (count == MaxIpv6ExtensionHeaders)
            {
                return Malformed(ref ip, "too many IPv6 extension headers");
            }

            int length;
            switch (next)
            {
                case 0: // hop-by-hop options
                case 43: // routing
                case 60: // destination options
                case 135: // mobility
                case 139: // HIP
                case 140: // shim6
                    if (payload.Length < 8)
                    {
                        return TruncatedOrMalformed(ref ip, "an IPv6 extension header is cut short");
                    }

                    length = (payload[1] + 1) * 8;
                    break;
                case 51: // authentication header
                    if (payload.Length < 8)
                    {
                        return TruncatedOrMalformed(ref ip, "an IPv6 authentication header is cut short");
                    }

                    length = (payload[1] + 2) * 4;
                    break;
                case 44: // fragment
                    if (payload.Length < 8)
                    {
                        return TruncatedOrMalformed(ref ip, "an IPv6 fragment header is cut short");
                    }

                    var field = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
                    var fragmentOffset = field & 0xFFF8;
                    var more = (field & 1) != 0;
                    if (fragmentOffset != 0 || more)
                    {
                        ip.IsFragment = true;
                        ip.FragmentOffset = fragmentOffset;
                        ip.MoreFragments = more;
                        ip.FragmentId = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
                        next = payload[0];
                        payload = payload[8..];
                        return DecodeStatus.Ok;
                    }

                    // An "atomic" fragment (offset 0, no more): just skip the header.
                    length = 8;
                    break;
                default:
                    return DecodeStatus.Ok;
            }

            if (length > payload.Length)
            {
                return TruncatedOrMalformed(ref ip, "an IPv6 extension header is longer than the packet");
            }

            next = payload[0];
            payload = payload[length..];
        }
    }

    public static DecodeStatus DecodeUdp(ReadOnlySpan<byte> payload, bool ipTruncated, out TransportLayer udp)
    {
        udp = default;
        if (payload.Length < 8)
        {
            return ipTruncated ? DecodeStatus.SnapTruncated : Malformed(ref udp, "a UDP datagram shorter than its 8-byte header");
        }

        udp.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(payload);
        udp.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(payload[4..]);
        if (length == 0)
        {
            // IPv6 jumbograms and some offloaded captures: the IP length rules.
            length = payload.Length;
        }

        if (length < 8)
        {
            return Malformed(ref udp, "a UDP length below 8");
        }

        if (length > payload.Length)
        {
            return ipTruncated ? DecodeStatus.SnapTruncated : Malformed(ref udp, "a UDP length beyond the IP payload");
        }

        udp.Data = payload[8..length];
        return DecodeStatus.Ok;
    }

    public static DecodeStatus DecodeTcp(ReadOnlySpan<byte> payload, bool ipTruncated, out TransportLayer tcp)
    {
        tcp = default;
        if (payload.Length < 20)
        {
            return ipTruncated ? DecodeStatus.SnapTruncated : Malformed(ref tcp, "a TCP segment shorter than its 20-byte header");
        }

        var headerLength = (payload[12] >> 4) * 4;
        if (headerLength < 20)
        {
            return Malformed(ref tcp, "a TCP data offset below 5");
        }

        if (headerLength > payload.Length)
        {
            return ipTruncated ? DecodeStatus.SnapTruncated : Malformed(ref tcp, "a TCP header longer than the IP payload");
        }

        if (ipTruncated)
        {
            // The data is incomplete: better a reported gap than wrong bytes.
            return DecodeStatus.SnapTruncated;
        }

        tcp.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(payload);
        tcp.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        tcp.Sequence = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
        tcp.Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(payload[8..]);
        tcp.Flags = (TcpFlags)payload[13];
        tcp.Data = payload[headerLength..];
        return DecodeStatus.Ok;
    }

    private static TrafficDirection? SllDirection(int packetType) => packetType switch
    {
        0 or 1 or 2 or 3 => TrafficDirection.Inbound, // to us, broadcast, multicast, to another host
        4 => TrafficDirection.Outbound, // sent by us
        _ => null,
    };

    private static DecodeStatus DecodeRawIp(ReadOnlySpan<byte> frame, ref IpLayer ip)
    {
        if (frame.IsEmpty)
        {
            return Malformed(ref ip, "an empty raw IP packet");
        }

        return (frame[0] >> 4) switch
        {
            4 => DecodeIpv4(frame, ref ip),
            6 => DecodeIpv6(frame, ref ip),
            _ => Malformed(ref ip, "a raw IP packet whose version is neither 4 nor 6"),
        };
    }

    private static DecodeStatus DecodeIpv4(ReadOnlySpan<byte> packet, ref IpLayer ip)
    {
        if (packet.Length < 20)
        {
            return Malformed(ref ip, "an IPv4 packet shorter than its 20-byte header");
        }

        if (packet[0] >> 4 != 4)
        {
            return Malformed(ref ip, "an IPv4 header whose version is not 4");
        }

        var headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < 20 || headerLength > packet.Length)
        {
            return Malformed(ref ip, "an IPv4 header length out of range");
        }

        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (totalLength == 0)
        {
            totalLength = packet.Length;
        }
        else if (totalLength < headerLength)
        {
            return Malformed(ref ip, "an IPv4 total length shorter than its header");
        }
        else if (totalLength > packet.Length)
        {
            ip.Truncated = true;
            totalLength = packet.Length;
        }

        ip.Version = 4;
        ip.Source = packet.Slice(12, 4);
        ip.Destination = packet.Slice(16, 4);
        ip.Protocol = packet[9];
        ip.Payload = packet[headerLength..totalLength];
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        ip.MoreFragments = (fragment & 0x2000) != 0;
        ip.FragmentOffset = (fragment & 0x1FFF) * 8;
        ip.IsFragment = ip.MoreFragments || ip.FragmentOffset != 0;
        ip.FragmentId = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        return DecodeStatus.Ok;
    }

    private static DecodeStatus DecodeIpv6(ReadOnlySpan<byte> packet, ref IpLayer ip)
    {
        if (packet.Length < 40)
        {
            return Malformed(ref ip, "an IPv6 packet shorter than its 40-byte header");
        }

        if (packet[0] >> 4 != 6)
        {
            return Malformed(ref ip, "an IPv6 header whose version is not 6");
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var end = payloadLength == 0 ? packet.Length : 40 + payloadLength;
        if (end > packet.Length)
        {
            ip.Truncated = true;
            end = packet.Length;
        }

        ip.Version = 6;
        ip.Source = packet.Slice(8, 16);
        ip.Destination = packet.Slice(24, 16);
        var next = packet[6];
        var payload = packet[40..end];
        var status = WalkIpv6Extensions(ref next, ref payload, ref ip);
        ip.Protocol = next;
        ip.Payload = payload;
        return status;
    }

    private static DecodeStatus TruncatedOrMalformed(ref IpLayer ip, string problem) =>
        ip.Truncated ? DecodeStatus.SnapTruncated : Malformed(ref ip, problem);

    private static DecodeStatus Malformed(ref IpLayer ip, string problem)
    {
        ip.Problem = problem;
        return DecodeStatus.Malformed;
    }

    private static DecodeStatus Malformed(ref TransportLayer layer, string problem)
    {
        layer.Problem = problem;
        return DecodeStatus.Malformed;
    }
}
