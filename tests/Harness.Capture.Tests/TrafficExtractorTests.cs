using System.Net;
using Harness.Capture.Tests.Support;
using Harness.Core.Recording;

namespace Harness.Capture.Tests;

public sealed class TrafficExtractorTests
{
    private const string Probe = "<s:Envelope><s:Body><d:Probe/></s:Body></s:Envelope>";

    private static readonly byte[] ProbeUdpV4 =
        Frames.Ipv4("192.168.1.20", "239.255.255.250", 17, Frames.Udp(49152, 3702, Frames.Ascii(Probe)));

    [Theory]
    [InlineData(new ushort[0])]
    [InlineData(new ushort[] { 0x8100 })]
    [InlineData(new ushort[] { 0x88A8, 0x8100 })]
    [InlineData(new ushort[] { 0x9100, 0x8100 })]
    public void Records_EthernetWithVlanTags_UdpDatagramExtracted(ushort[] tags)
    {
        var record = Assert.Single(Read(1, Frames.Ethernet(ProbeUdpV4, 0x0800, tags)));

        AssertProbe(record);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(12)]
    [InlineData(14)]
    [InlineData(228)]
    public void Records_RawIpLinkTypes_UdpDatagramExtracted(int linkType)
    {
        AssertProbe(Assert.Single(Read(linkType, ProbeUdpV4)));
    }

    [Theory]
    [InlineData(0, 2u, false)]
    [InlineData(0, 2u, true)]
    [InlineData(108, 2u, true)]
    public void Records_LoopbackHeaders_UdpDatagramExtracted(int linkType, uint family, bool bigEndian)
    {
        AssertProbe(Assert.Single(Read(linkType, Frames.Loopback(ProbeUdpV4, family, bigEndian))));
    }

    [Theory]
    [InlineData(0, 24u, false)] // NetBSD/OpenBSD AF_INET6
    [InlineData(0, 30u, false)] // macOS AF_INET6
    [InlineData(0, 28u, true)] // FreeBSD AF_INET6 from a big-endian host
    [InlineData(108, 24u, true)]
    public void Records_LoopbackIpv6Families_UdpDatagramExtracted(int linkType, uint family, bool bigEndian)
    {
        var v6 = Frames.Ipv6("fe80::1", "ff02::c", 17, Frames.Udp(49152, 3702, Frames.Ascii(Probe)));

        var record = Assert.Single(Read(linkType, Frames.Loopback(v6, family, bigEndian)));

        Assert.Equal(IPAddress.Parse("ff02::c"), record.Destination.Address);
    }

    [Theory]
    [InlineData(0, TrafficDirection.Inbound)]
    [InlineData(2, TrafficDirection.Inbound)]
    [InlineData(4, TrafficDirection.Outbound)]
    public void Records_LinuxCookedV1_DirectionFromPacketType(ushort packetType, TrafficDirection expected)
    {
        var record = Assert.Single(Read(113, Frames.Sll(ProbeUdpV4, packetType)));

        AssertProbe(record);
        Assert.Equal(expected, record.Direction);
    }

    [Fact]
    public void Records_LinuxCookedV2Outgoing_OutboundUdpDatagram()
    {
        var record = Assert.Single(Read(276, Frames.Sll2(ProbeUdpV4, 4)));

        AssertProbe(record);
        Assert.Equal(TrafficDirection.Outbound, record.Direction);
    }

    [Fact]
    public void Records_Ipv6WithHopByHopAndDestinationOptions_UdpDatagramExtracted()
    {
        // Hop-by-hop (0) → destination options (60) → UDP (17), as MLD-style packets carry.
        var payload = Frames.Concat(Frames.Ipv6Options(60), Frames.Ipv6Options(17), Frames.Udp(3702, 3702, Frames.Ascii(Probe)));
        var v6 = Frames.Ipv6("fe80::1", "ff02::c", 0, payload);

        var record = Assert.Single(Read(1, Frames.Ethernet(v6, 0x86DD)));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("fe80::1"), 3702), record.Source);
        Assert.Equal(Probe, System.Text.Encoding.ASCII.GetString(record.Payload.Span));
        Assert.Equal(ProtocolLabels.WsDiscovery, record.Protocol);
    }

    [Fact]
    public void Records_Ipv4FragmentsOutOfOrder_ReassembledIntoOneDatagram()
    {
        var payload = new byte[3000];
        new Random(1).NextBytes(payload);
        var udp = Frames.Udp(3702, 3702, payload);
        var fragments = new[]
        {
            Frames.Ipv4("10.0.0.1", "239.255.255.250", 17, udp[1480..], id: 77, fragmentOffset: 1480, moreFragments: true)[..(20 + 1480)],
            Frames.Ipv4("10.0.0.1", "239.255.255.250", 17, udp[2960..], id: 77, fragmentOffset: 2960),
            Frames.Ipv4("10.0.0.1", "239.255.255.250", 17, udp[..1480], id: 77, moreFragments: true),
        };
        FixTotalLength(fragments[0]);

        var (records, diagnostics) = ReadWithDiagnostics(101, fragments);

        var record = Assert.Single(records);
        Assert.Equal(payload, record.Payload.ToArray());
        Assert.Equal(3, diagnostics.Fragments);
        Assert.Equal(1, diagnostics.DatagramsReassembled);
        Assert.Empty(diagnostics.Issues);
    }

    [Fact]
    public void Records_Ipv6Fragments_ReassembledIntoOneDatagram()
    {
        var payload = new byte[2000];
        new Random(2).NextBytes(payload);
        var udp = Frames.Udp(49152, 3702, payload);
        byte[] First() => Frames.Ipv6("fe80::1", "ff02::c", 44, Frames.Concat(Frames.Ipv6Fragment(17, 0, true, 9), udp[..1232]));
        byte[] Second() => Frames.Ipv6("fe80::1", "ff02::c", 44, Frames.Concat(Frames.Ipv6Fragment(17, 1232, false, 9), udp[1232..]));

        var record = Assert.Single(Read(101, Second(), First()));

        Assert.Equal(payload, record.Payload.ToArray());
        Assert.Equal(3702, record.Destination.Port);
    }

    [Fact]
    public void Records_FragmentsFurtherApartThanTheTimeout_DroppedByCaptureTime()
    {
        var udp = Frames.Udp(3702, 3702, new byte[2000]);
        var first = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, udp[..1000], id: 5, moreFragments: true);
        var last = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, udp[1000..], id: 5, fragmentOffset: 1000);
        var builder = new PcapNgBuilder().Section().Interface(101)
            .Enhanced(0, 1_000_000, first)
            .Enhanced(0, 32_000_000, last); // 31 s later in capture time: past the 30 s default

        using var capture = CaptureFile.Open(new MemoryStream(builder.ToArray()));
        var records = capture.Records().ToList();

        Assert.Empty(records);
        Assert.Equal(2, capture.Diagnostics.DatagramsDropped); // the first on timeout, the last at the end
        Assert.All(capture.Diagnostics.Issues, i => Assert.Equal(CaptureIssueKind.FragmentDropped, i.Kind));
        Assert.Contains(capture.Diagnostics.Issues, i => i.Message.Contains("within 30 s", StringComparison.Ordinal));
    }

    [Fact]
    public void Records_FragmentBeyond65535Bytes_SkippedAsMalformed()
    {
        var hostile = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, new byte[1000], id: 9, fragmentOffset: 65_000, moreFragments: true);

        var (records, diagnostics) = ReadWithDiagnostics(101, hostile);

        Assert.Empty(records);
        Assert.Equal(1, diagnostics.MalformedPackets);
    }

    [Fact]
    public void Records_ManyIncompleteDatagrams_BoundedByMaxPending()
    {
        var options = new CaptureOptions { Fragments = new FragmentReassemblyOptions { MaxPendingDatagrams = 4 } };
        var frames = Enumerable.Range(0, 50)
            .Select(i => Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, new byte[64], id: (ushort)i, moreFragments: true))
            .ToArray();

        var (records, diagnostics) = ReadWithDiagnostics(101, frames, options);

        Assert.Empty(records);
        Assert.Equal(50, diagnostics.DatagramsDropped);
    }

    [Theory]
    [InlineData(49152, 3702, "wsd")]
    [InlineData(3702, 49152, "wsd")]
    [InlineData(50000, 1900, "ssdp")]
    [InlineData(1900, 50000, "ssdp")]
    [InlineData(40000, 5222, "xmpp")]
    [InlineData(5269, 40000, "xmpp")]
    [InlineData(40000, 53, null)]
    public void Records_WellKnownPorts_LabelledByProtocol(int sourcePort, int destinationPort, string? expected)
    {
        var frame = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(sourcePort, destinationPort, [1]));

        Assert.Equal(expected, Assert.Single(Read(101, frame)).Protocol);
    }

    [Fact]
    public void Records_LocalAddressesGiven_DirectionFollowsThem()
    {
        var options = new CaptureOptions { LocalAddresses = new HashSet<IPAddress> { IPAddress.Parse("192.168.1.20") } };
        var reply = Frames.Ipv4("192.168.1.30", "192.168.1.20", 17, Frames.Udp(3702, 49152, Frames.Ascii("<m/>")));

        var (records, _) = ReadWithDiagnostics(101, [ProbeUdpV4, reply], options);

        Assert.Equal([TrafficDirection.Outbound, TrafficDirection.Inbound], records.Select(r => r.Direction));
    }

    [Fact]
    public void Records_UnsupportedLinkType_CountedAndReportedOnce()
    {
        var (records, diagnostics) = ReadWithDiagnostics(105, [ProbeUdpV4, ProbeUdpV4]); // 802.11

        Assert.Empty(records);
        Assert.Equal(2, diagnostics.UnsupportedLinkTypePackets);
        Assert.Equal([105], diagnostics.UnsupportedLinkTypes);
        Assert.Equal(CaptureIssueKind.UnsupportedLinkType, Assert.Single(diagnostics.Issues).Kind);
        Assert.False(diagnostics.HasErrors);
    }

    [Fact]
    public void Records_UdpCutBySnapLength_SkippedAndReported()
    {
        var cut = ProbeUdpV4[..40];

        var (records, diagnostics) = ReadWithDiagnostics(101, cut);

        Assert.Empty(records);
        Assert.Equal(1, diagnostics.SnapTruncatedPackets);
        Assert.Equal(CaptureIssueKind.SnapTruncatedPacket, Assert.Single(diagnostics.Issues).Kind);
    }

    [Fact]
    public void Records_EthernetPaddingAfterShortDatagram_PaddingNotInPayload()
    {
        var small = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(1900, 1900, [0xAB]));
        var padded = Frames.Concat(Frames.Ethernet(small), new byte[20]);

        Assert.Equal([0xAB], Assert.Single(Read(1, padded)).Payload.ToArray());
    }

    [Fact]
    public void Records_NonIpAndOtherTransports_CountedWithoutIssues()
    {
        var arp = Frames.Ethernet(new byte[28], 0x0806);
        var icmp = Frames.Ethernet(Frames.Ipv4("10.0.0.1", "10.0.0.2", 1, new byte[8]));

        var (records, diagnostics) = ReadWithDiagnostics(1, arp, icmp);

        Assert.Empty(records);
        Assert.Equal(1, diagnostics.NonIpPackets);
        Assert.Equal(1, diagnostics.OtherTransportPackets);
        Assert.Empty(diagnostics.Issues);
    }

    [Fact]
    public void Records_MalformedHeaders_SkippedWithIssues()
    {
        byte[][] frames =
        [
            [0x45, 0, 0],
            Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(1, 2, [1, 2], lengthOverride: 4)),
            Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(1, 2, [1, 2], lengthOverride: 400)),
            [0x75, 0, 0, 0],
        ];

        var (records, diagnostics) = ReadWithDiagnostics(101, frames);

        Assert.Empty(records);
        Assert.Equal(4, diagnostics.MalformedPackets);
        Assert.Equal(4, diagnostics.Issues.Count);
    }

    [Fact]
    public void Records_TcpSegmentsInCapture_ReassembledPerDirection()
    {
        byte[][] frames =
        [
            Frames.Ipv4("10.0.0.1", "10.0.0.2", 6, Frames.Tcp(40000, 5222, 100, TcpFlags.Syn, [])),
            Frames.Ipv4("10.0.0.2", "10.0.0.1", 6, Frames.Tcp(5222, 40000, 900, TcpFlags.Syn | TcpFlags.Ack, [], 101)),
            Frames.Ipv4("10.0.0.1", "10.0.0.2", 6, Frames.Tcp(40000, 5222, 101, TcpFlags.Ack, [], 901)),
            Frames.Ipv4("10.0.0.1", "10.0.0.2", 6, Frames.Tcp(40000, 5222, 106, TcpFlags.Ack | TcpFlags.Psh, Frames.Ascii("world"), 901)),
            Frames.Ipv4("10.0.0.1", "10.0.0.2", 6, Frames.Tcp(40000, 5222, 101, TcpFlags.Ack | TcpFlags.Psh, Frames.Ascii("hello"), 901)),
            Frames.Ipv4("10.0.0.2", "10.0.0.1", 6, Frames.Tcp(5222, 40000, 901, TcpFlags.Ack | TcpFlags.Psh, Frames.Ascii("hi"), 111)),
        ];

        var (records, diagnostics) = ReadWithDiagnostics(101, frames);

        Assert.Equal(2, records.Count);
        Assert.Equal("helloworld", System.Text.Encoding.ASCII.GetString(records[0].Payload.Span));
        Assert.Equal((TrafficTransport.Tcp, 5222, "xmpp"), (records[0].Transport, records[0].Destination.Port, records[0].Protocol));
        Assert.Equal("hi", System.Text.Encoding.ASCII.GetString(records[1].Payload.Span));
        Assert.Equal(40000, records[1].Destination.Port);
        Assert.Equal([0L, 1L], records.Select(r => r.Sequence));
        Assert.Equal(0, diagnostics.TcpGaps);
    }

    [Fact]
    public void Records_CaptureOfPlainWebTraffic_NoDiscoveryMessagesAndNoIssues()
    {
        var browser = new IPEndPoint(IPAddress.Parse("10.1.1.5"), 51000);
        var web = new IPEndPoint(IPAddress.Parse("10.1.1.80"), 80);
        var t0 = new DateTimeOffset(2024, 2, 2, 0, 0, 0, TimeSpan.Zero);
        var stream = new MemoryStream();
        using (var writer = new PcapNgWriter(stream, leaveOpen: true))
        {
            writer.Write(new TrafficRecord(0, t0, TrafficDirection.Outbound, TrafficTransport.Http, browser, web, Frames.Ascii("GET / HTTP/1.1\r\nHost: web\r\n\r\n")));
            writer.Write(new TrafficRecord(1, t0.AddMilliseconds(3), TrafficDirection.Inbound, TrafficTransport.Http, web, browser, Frames.Ascii("HTTP/1.1 204 No Content\r\n\r\n")));
        }

        using var capture = CaptureFile.Open(new MemoryStream(stream.ToArray()));
        var records = capture.Records().ToList();

        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal((TrafficTransport.Tcp, (string?)null), (r.Transport, r.Protocol)));
        Assert.Equal(0, capture.Diagnostics.UdpDatagrams);
        Assert.True(capture.Diagnostics.IsComplete);
        Assert.Empty(capture.Diagnostics.Issues);
    }

    private static void AssertProbe(TrafficRecord record)
    {
        Assert.Equal(TrafficTransport.Udp, record.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 49152), record.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("239.255.255.250"), 3702), record.Destination);
        Assert.Equal(Probe, System.Text.Encoding.ASCII.GetString(record.Payload.Span));
        Assert.Equal(ProtocolLabels.WsDiscovery, record.Protocol);
    }

    private static void FixTotalLength(byte[] packet) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);

    private static List<TrafficRecord> Read(int linkType, params byte[][] frames) => ReadWithDiagnostics(linkType, frames).Records;

    private static (List<TrafficRecord> Records, CaptureDiagnostics Diagnostics) ReadWithDiagnostics(int linkType, params byte[][] frames) =>
        ReadWithDiagnostics(linkType, frames, null);

    private static (List<TrafficRecord> Records, CaptureDiagnostics Diagnostics) ReadWithDiagnostics(int linkType, byte[][] frames, CaptureOptions? options)
    {
        var builder = new PcapNgBuilder().Section().Interface(linkType);
        for (var i = 0; i < frames.Length; i++)
        {
            builder.Enhanced(0, 1_700_000_000_000_000UL + (ulong)i, frames[i]);
        }

        using var capture = CaptureFile.Open(new MemoryStream(builder.ToArray()), options);
        var records = capture.Records().ToList();
        Assert.True(capture.Diagnostics.IsComplete);
        return (records, capture.Diagnostics);
    }
}
