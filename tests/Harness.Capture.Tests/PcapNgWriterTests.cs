using System.Buffers.Binary;
using System.Net;
using System.Text;
using Harness.Capture.Tests.Support;
using Harness.Core.Recording;
using PacketDotNet;

namespace Harness.Capture.Tests;

public sealed class PcapNgWriterTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, 500, TimeSpan.Zero);

    // A WS-Discovery 2005/04 Probe as Windows sends it (shape from the WS-Discovery spec's Probe example, section 5.2).
    private const string Probe =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" +
        "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:wsd=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">" +
        "<soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>" +
        "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>" +
        "<wsa:MessageID>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsa:MessageID></soap:Header>" +
        "<soap:Body><wsd:Probe/></soap:Body></soap:Envelope>";

    [Fact]
    public void Write_OneUdpRecord_BlocksAndPacketExactly()
    {
        var record = Udp(0, "192.168.1.10", 3702, "239.255.255.250", 3702, "<a/>", TrafficDirection.Inbound, "wsd");

        var bytes = Write([record]);

        byte[] sectionHeader =
        [
            0x0A, 0x0D, 0x0D, 0x0A, 44, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            4, 0, 7, 0, (byte)'H', (byte)'a', (byte)'r', (byte)'n', (byte)'e', (byte)'s', (byte)'s', 0,
            0, 0, 0, 0, 44, 0, 0, 0,
        ];
        byte[] interfaceDescription =
        [
            1, 0, 0, 0, 32, 0, 0, 0, 101, 0, 0, 0, 0, 0, 0, 0,
            9, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0,
        ];

        // RFC 791 / RFC 768 by hand: total length 32, TTL 64, protocol 17; checksums 0xC920 and 0xC59D (checked with a separate one-line script).
        byte[] packet =
        [
            0x45, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0xC9, 0x20,
            0xC0, 0xA8, 0x01, 0x0A, 0xEF, 0xFF, 0xFF, 0xFA,
            0x0E, 0x76, 0x0E, 0x76, 0x00, 0x0C, 0xC5, 0x9D, 0x3C, 0x61, 0x2F, 0x3E,
        ];
        Assert.Equal(sectionHeader, bytes[..44]);
        Assert.Equal(interfaceDescription, bytes[44..76]);

        var block = bytes[76..];
        var comment = "inbound udp wsd #0"u8.ToArray();
        var expectedLength = 28 + packet.Length + 8 + 4 + comment.Length + 2 + 4 + 4;
        Assert.Equal(expectedLength, block.Length);
        Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(block));
        Assert.Equal((uint)expectedLength, BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(4)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(8)));
        var micros = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(12)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(16));
        Assert.Equal(1_704_067_200_500_000UL, micros);
        Assert.Equal((uint)packet.Length, BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(20)));
        Assert.Equal((uint)packet.Length, BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(24)));
        Assert.Equal(packet, block[28..(28 + packet.Length)]);
        var options = block[(28 + packet.Length)..^4];
        Assert.Equal(new byte[] { 2, 0, 4, 0, 1, 0, 0, 0 }, options[..8]); // epb_flags: inbound
        Assert.Equal(new byte[] { 1, 0, (byte)comment.Length, 0 }, options[8..12]);
        Assert.Equal(comment, options[12..(12 + comment.Length)]);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, options[^4..]);
        Assert.Equal((uint)expectedLength, BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(block.Length - 4)));
    }

    [Fact]
    public void Write_SameRecordsTwice_SameBytes()
    {
        var records = MixedSession();

        Assert.Equal(Write(records), Write(records));
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.2", 65_507, true)]
    [InlineData("10.0.0.1", "10.0.0.2", 65_508, false)]
    [InlineData("::1", "::1", 65_527, true)]
    [InlineData("::1", "::1", 65_528, false)]
    public void Write_UdpPayloadAtTheDatagramLimit_AcceptedOrRefused(string from, string to, int size, bool accepted)
    {
        var record = new TrafficRecord(7, T0, TrafficDirection.Outbound, TrafficTransport.Udp,
            new IPEndPoint(IPAddress.Parse(from), 1), new IPEndPoint(IPAddress.Parse(to), 2), new byte[size]);
        using var writer = new PcapNgWriter(new MemoryStream());

        var error = Record.Exception(() => writer.Write(record));

        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            var argument = Assert.IsType<ArgumentException>(error);
            Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), argument.Message, StringComparison.Ordinal);
            Assert.Contains("Record 7", argument.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Write_MixedAddressFamilies_Refused()
    {
        var record = new TrafficRecord(0, T0, TrafficDirection.Outbound, TrafficTransport.Udp,
            new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1), new IPEndPoint(IPAddress.Parse("::1"), 2), new byte[1]);
        using var writer = new PcapNgWriter(new MemoryStream());

        Assert.Throws<ArgumentException>(() => writer.Write(record));
    }

    [Fact]
    public void Write_Ipv4MappedAddressWithIpv4Peer_WrittenAsIpv4()
    {
        var record = new TrafficRecord(0, T0, TrafficDirection.Inbound, TrafficTransport.Udp,
            new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.1"), 3702), new IPEndPoint(IPAddress.Parse("239.255.255.250"), 3702), new byte[1]);

        var read = ReadBack(Write([record]));

        Assert.Equal(IPAddress.Parse("10.0.0.1"), Assert.Single(read).Source.Address);
    }

    [Fact]
    public void Write_BeforeTheUnixEpoch_Refused()
    {
        var record = Udp(0, "10.0.0.1", 1, "10.0.0.2", 2, "x", TrafficDirection.Inbound, null) with { Timestamp = new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero) };
        using var writer = new PcapNgWriter(new MemoryStream());

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(record));
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var writer = new PcapNgWriter(new MemoryStream());
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.Write(Udp(0, "10.0.0.1", 1, "10.0.0.2", 2, "x", TrafficDirection.Inbound, null)));
    }

    [Fact]
    public void Write_EveryPacket_ChecksumsValidForPacketDotNet()
    {
        var bytes = Write(MixedSession());
        using var reader = new CaptureReader(new MemoryStream(bytes));
        var checkedPackets = 0;

        foreach (var packet in reader.ReadPackets())
        {
            var parsed = Packet.ParsePacket(LinkLayers.Raw, packet.Data.ToArray());
            if (parsed.Extract<IPv4Packet>() is { } v4)
            {
                Assert.True(v4.ValidIPChecksum, $"IPv4 header checksum of packet {packet.Number}");
            }

            if (parsed.Extract<UdpPacket>() is { } udp)
            {
                Assert.True(udp.ValidUdpChecksum, $"UDP checksum of packet {packet.Number}");
            }

            if (parsed.Extract<TcpPacket>() is { } tcp)
            {
                Assert.True(tcp.ValidTcpChecksum, $"TCP checksum of packet {packet.Number}");
            }

            checkedPackets++;
        }

        Assert.Equal(4 + 3 + 1 + 4, checkedPackets); // 4 UDP, a handshake, a request, a 5000-byte reply in 4 segments
    }

    [Theory]
    [InlineData(TimestampResolution.Microseconds)]
    [InlineData(TimestampResolution.Nanoseconds)]
    public void Write_ThenRead_RecordsComeBack(TimestampResolution resolution)
    {
        var written = MixedSession();

        var read = ReadBack(Write(written, new PcapNgWriterOptions { Resolution = resolution }));

        // UDP: one record per datagram, as written.
        // Timestamps come back truncated to the resolution (record 1 is stamped at 12.3457 ms).
        var unit = resolution == TimestampResolution.Microseconds ? 10 : 1;
        var udp = read.Where(r => r.Transport == TrafficTransport.Udp).ToList();
        Assert.Equal(
            written.Where(r => r.Transport == TrafficTransport.Udp).Select(r => r with { Timestamp = r.Timestamp.AddTicks(-(r.Timestamp.UtcTicks % unit)) }).Select(Key),
            udp.Select(Key));
        Assert.Equal(resolution == TimestampResolution.Microseconds ? 123_450 : 123_457, (udp[1].Timestamp - T0).Ticks);

        // TCP and HTTP: the same bytes per direction (segments may be delivered in other chunks).
        var tcp = read.Where(r => r.Transport == TrafficTransport.Tcp).ToList();
        foreach (var direction in written.Where(r => r.Transport != TrafficTransport.Udp).GroupBy(r => (r.Source, r.Destination)))
        {
            var expected = direction.SelectMany(r => r.Payload.ToArray()).ToArray();
            var actual = tcp.Where(r => r.Source.Equals(direction.Key.Source) && r.Destination.Equals(direction.Key.Destination)).SelectMany(r => r.Payload.ToArray()).ToArray();
            Assert.Equal(expected, actual);
            Assert.All(tcp.Where(r => r.Source.Equals(direction.Key.Source)), r => Assert.Equal(direction.First().Direction, r.Direction));
        }

        static object Key(TrafficRecord r) => (r.Timestamp, r.Direction, r.Source, r.Destination, Encoding.UTF8.GetString(r.Payload.Span), r.Protocol);
    }

    [Fact]
    public void WriteFrame_EthernetFrameBesideRecords_SecondInterfaceDeclared()
    {
        var frame = Frames.Ethernet(Frames.Ipv4("10.0.0.9", "239.255.255.250", 17, Frames.Udp(1900, 1900, Frames.Ascii("NOTIFY * HTTP/1.1\r\n\r\n"))));
        var stream = new MemoryStream();
        using (var writer = new PcapNgWriter(stream, leaveOpen: true))
        {
            writer.Write(Udp(0, "10.0.0.1", 50000, "239.255.255.250", 3702, Probe, TrafficDirection.Outbound, "wsd"));
            writer.WriteFrame(LinkType.Ethernet, T0, frame, TrafficDirection.Inbound, "a frame as captured");
            Assert.Equal(2, writer.PacketsWritten);
        }

        using var reader = new CaptureReader(new MemoryStream(stream.ToArray()));
        var packets = reader.ReadPackets().Select(p => (p.LinkType, p.InterfaceId, p.Direction)).ToList();

        Assert.Equal([(LinkType.Raw, 0, (TrafficDirection?)TrafficDirection.Outbound), (LinkType.Ethernet, 1, TrafficDirection.Inbound)], packets);
    }

    [SkippableFact]
    public async Task Tshark_SessionWithWsDiscoveryProbe_DissectsUdp3702()
    {
        Tools.RequireTshark();
        using var file = new TempFile(Write(MixedSession()));

        var ports = await Tools.TsharkAsync("-r", file.Path, "-Y", "udp", "-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport");
        var xml = await Tools.TsharkAsync("-r", file.Path, "--enable-heuristic", "xml_udp", "-Y", "udp && xml", "-T", "fields", "-e", "frame.protocols", "-e", "udp.dstport", "-e", "xml.tag");
        var checksums = await Tools.TsharkAsync("-r", file.Path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-Y", "ip.checksum.status == 0 || udp.checksum.status == 0 || tcp.checksum.status == 0 || _ws.malformed || _ws.expert.severity >= warning");

        Assert.Equal(["50000\t3702", "3702\t50000", "50001\t3702", "1900\t1900"], Lines(ports));
        // The three WS-Discovery datagrams are XML to tshark's XML-over-UDP heuristic; the SSDP one is not.
        var dissected = Lines(xml).Select(l => l.Split('\t')).ToList();
        Assert.Equal(["raw:ip:udp:xml 3702", "raw:ipv6:udp:xml 50000", "raw:ip:udp:xml 3702"], dissected.Select(f => f[0] + " " + f[1]));
        Assert.EndsWith("<soap:Header>,<wsa:To>,<wsa:Action>,<wsa:MessageID>,<soap:Body>,<wsd:Probe/>", dissected[0][2], StringComparison.Ordinal);
        Assert.Equal("<Resolve/>", dissected[2][2]);
        Assert.Empty(Lines(checksums));
    }

    [SkippableFact]
    public async Task Tshark_HttpRecords_FollowedAsOneTcpStream()
    {
        Tools.RequireTshark();
        using var file = new TempFile(Write(MixedSession()));

        var follow = await Tools.TsharkAsync("-r", file.Path, "-q", "-z", "follow,tcp,raw,0");
        var problems = await Tools.TsharkAsync("-r", file.Path, "-Y", "tcp.analysis.flags && !tcp.analysis.window_update");
        var http = await Tools.TsharkAsync("-r", file.Path, "-Y", "http", "-T", "fields", "-e", "http.request.method", "-e", "http.response.code");

        var hex = follow.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l.All(Uri.IsHexDigit)).ToList();
        Assert.Equal(Convert.ToHexString(Encoding.ASCII.GetBytes(Request)), hex[0], ignoreCase: true);
        Assert.Equal(Reply, Encoding.ASCII.GetString(Convert.FromHexString(string.Concat(hex.Skip(1)))));
        Assert.Empty(Lines(problems));
        Assert.Equal(["POST\t", "\t200"], Lines(http));
    }

    private const string Request = "POST /device HTTP/1.1\r\nHost: 10.0.0.2:5357\r\nContent-Type: application/soap+xml\r\nContent-Length: 5\r\n\r\nhello";

    private static readonly string Reply = "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 4900\r\n\r\n" + new string('x', 4900);

    private static List<TrafficRecord> MixedSession() =>
    [
        Udp(0, "10.0.0.1", 50000, "239.255.255.250", 3702, Probe, TrafficDirection.Outbound, "wsd"),
        Udp(1, "fe80::2", 3702, "fe80::1", 50000, "<ProbeMatches/>", TrafficDirection.Inbound, "wsd") with { Timestamp = T0.AddTicks(123_457) },
        Udp(2, "10.0.0.1", 50001, "10.0.0.2", 3702, "<Resolve/>", TrafficDirection.Outbound, "wsd") with { Timestamp = T0.AddMilliseconds(20) },
        Udp(3, "10.0.0.3", 1900, "239.255.255.250", 1900, "NOTIFY * HTTP/1.1\r\n\r\n", TrafficDirection.Inbound, "ssdp") with { Timestamp = T0.AddMilliseconds(25) },
        new(4, T0.AddMilliseconds(30), TrafficDirection.Outbound, TrafficTransport.Http, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 50002), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5357), Encoding.ASCII.GetBytes(Request)),
        new(5, T0.AddMilliseconds(40), TrafficDirection.Inbound, TrafficTransport.Http, new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5357), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 50002), Encoding.ASCII.GetBytes(Reply)),
    ];

    private static TrafficRecord Udp(long sequence, string from, int fromPort, string to, int toPort, string payload, TrafficDirection direction, string? protocol) =>
        new(sequence, T0, direction, TrafficTransport.Udp, new IPEndPoint(IPAddress.Parse(from), fromPort), new IPEndPoint(IPAddress.Parse(to), toPort), Encoding.UTF8.GetBytes(payload), protocol);

    private static byte[] Write(IEnumerable<TrafficRecord> records, PcapNgWriterOptions? options = null)
    {
        var stream = new MemoryStream();
        using (var writer = new PcapNgWriter(stream, options, leaveOpen: true))
        {
            foreach (var record in records)
            {
                writer.Write(record);
            }
        }

        return stream.ToArray();
    }

    private static List<TrafficRecord> ReadBack(byte[] capture)
    {
        using var file = CaptureFile.Open(new MemoryStream(capture));
        var records = file.Records().ToList();
        Assert.True(file.Diagnostics.IsComplete);
        Assert.Empty(file.Diagnostics.Issues);
        return records;
    }

    private static List<string> Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
}
