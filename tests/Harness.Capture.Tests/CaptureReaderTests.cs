using Harness.Capture.Tests.Support;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;

namespace Harness.Capture.Tests;

public sealed class CaptureReaderTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    [SkippableTheory]
    [InlineData("ssdp-home-network.pcapng", 64)]
    [InlineData("ssdp-miniupnpd-notify.pcap", 1)]
    [InlineData("xmpp-c2s-starttls.pcap", 34)]
    public void Read_PublicCapture_SamePacketsAsLibpcap(string name, int expectedPackets)
    {
        var path = TestFiles.Public(name);
        var (expected, error) = Tools.ReadWithLibpcap(path);
        Assert.Null(error);
        Assert.Equal(expectedPackets, expected.Count);

        using var reader = CaptureReader.Open(path);
        var actual = reader.ReadPackets().Select(p => (p.Timestamp, Data: p.Data.ToArray(), p.LinkType)).ToList();

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Timestamp, actual[i].Timestamp);
            Assert.Equal(expected[i].Data, actual[i].Data);
            Assert.Equal(LinkType.Ethernet, actual[i].LinkType);
        }

        Assert.True(reader.Diagnostics.IsComplete);
        Assert.Empty(reader.Diagnostics.Issues);
        Assert.Equal(new FileInfo(path).Length, reader.Diagnostics.BytesRead);
    }

    [Fact]
    public void Open_TextFile_ThrowsCaptureFormatExceptionNamingTheMagic()
    {
        using var file = new TempFile("GET / HTTP/1.1\r\nHost: example\r\n\r\n"u8.ToArray(), ".txt");

        var error = Assert.Throws<CaptureFormatException>(() => CaptureFile.Open(file.Path));

        Assert.Contains("Not a pcap or pcapng capture", error.Message, StringComparison.Ordinal);
        Assert.Contains("47455420", error.Message, StringComparison.Ordinal); // "GET "
    }

    [Fact]
    public void Open_EmptyFile_ThrowsCaptureFormatException()
    {
        using var file = new TempFile([], ".pcap");

        var error = Assert.Throws<CaptureFormatException>(() => CaptureFile.Open(file.Path));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_GzipFile_AsksToDecompress()
    {
        using var file = new TempFile([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0], ".pcap.gz");

        var error = Assert.Throws<CaptureFormatException>(() => CaptureFile.Open(file.Path));

        Assert.Contains("gzip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_PcapNamedPcapng_DetectedByMagic()
    {
        var bytes = File.ReadAllBytes(TestFiles.Public("ssdp-miniupnpd-notify.pcap"));
        using var file = new TempFile(bytes, ".pcapng");

        using var capture = CaptureFile.Open(file.Path);

        Assert.Equal(CaptureFormat.Pcap, capture.Format);
        Assert.Single(capture.Records());
    }

    [SkippableFact]
    public void Read_PcapCutInsideARecord_ReturnsPacketsBeforeTheCutAndReportsTruncation()
    {
        var bytes = File.ReadAllBytes(TestFiles.Public("xmpp-c2s-starttls.pcap"));
        var offsets = PcapFile.RecordOffsets(bytes);
        var cutRecord = offsets[10];
        using var file = new TempFile(bytes[..(int)(cutRecord + 16 + 20)], ".pcap");

        using var reader = CaptureReader.Open(file.Path);
        var packets = reader.ReadPackets().Count();

        Assert.Equal(10, packets);
        Assert.Equal(cutRecord, reader.Diagnostics.TruncatedAtOffset);
        Assert.True(reader.Diagnostics.HasErrors);
        Assert.False(reader.Diagnostics.IsComplete);
        var issue = Assert.Single(reader.Diagnostics.Issues);
        Assert.Equal(CaptureIssueKind.Truncated, issue.Kind);
        Assert.Equal(ViolationSeverity.Error, issue.Severity);
        Assert.Contains("36 of", issue.Message, StringComparison.Ordinal);

        // libpcap agrees on how many packets precede the cut, and also calls it truncated.
        var (libpcap, error) = Tools.ReadWithLibpcap(file.Path);
        Assert.Equal(packets, libpcap.Count);
        Assert.Contains("truncated", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Read_PcapCutInsideARecordHeader_ReportsTruncation()
    {
        var bytes = File.ReadAllBytes(TestFiles.Public("xmpp-c2s-starttls.pcap"));
        var offsets = PcapFile.RecordOffsets(bytes);
        using var file = new TempFile(bytes[..(int)(offsets[3] + 7)], ".pcap");

        var result = CaptureFile.ReadAll(file.Path);

        Assert.Equal(3, result.Diagnostics.PacketsRead);
        Assert.Equal(offsets[3], result.Diagnostics.TruncatedAtOffset);
    }

    [SkippableFact]
    public void Read_PcapngCutInsideABlock_ReturnsPacketsBeforeTheCutAndReportsTruncation()
    {
        var bytes = File.ReadAllBytes(TestFiles.Public("ssdp-home-network.pcapng"));
        var blocks = PcapNgBlocks(bytes);
        var packetBlocks = blocks.Where(b => b.Type == 6).ToList();
        Assert.Equal(64, packetBlocks.Count);
        var cut = packetBlocks[30];
        using var file = new TempFile(bytes[..(int)(cut.Offset + (cut.Length / 2))]);

        var result = CaptureFile.ReadAll(file.Path);

        Assert.Equal(30, result.Records.Count);
        Assert.All(result.Records, r => Assert.Equal(ProtocolLabels.Ssdp, r.Protocol));
        Assert.Equal(cut.Offset, result.Diagnostics.TruncatedAtOffset);
        Assert.Equal(cut.Offset, result.Diagnostics.BytesRead);
        var issue = Assert.Single(result.Diagnostics.Issues);
        Assert.Equal(CaptureIssueKind.Truncated, issue.Kind);
        Assert.Equal("CAPTURE-TRUNCATED", issue.ToViolation().RuleId);

        var (libpcap, error) = Tools.ReadWithLibpcap(file.Path);
        Assert.Equal(30, libpcap.Count);
        Assert.NotNull(error);
    }

    [Fact]
    public void Read_PcapngWithUnknownBlockInserted_SkipsAndCountsIt()
    {
        var bytes = File.ReadAllBytes(TestFiles.Public("ssdp-home-network.pcapng"));
        var at = (int)PcapNgBlocks(bytes).Where(b => b.Type == 6).ElementAt(5).Offset;
        var unknown = new PcapNgBuilder().Block(0x0000_7E57, [1, 2, 3, 4, 5, 6, 7, 8]).ToArray();
        using var file = new TempFile([.. bytes[..at], .. unknown, .. bytes[at..]]);

        var result = CaptureFile.ReadAll(file.Path);

        Assert.Equal(64, result.Records.Count);
        Assert.Equal(1, result.Diagnostics.UnknownBlocks);
        Assert.True(result.Diagnostics.IsComplete);
        Assert.False(result.Diagnostics.HasErrors);
        var issue = Assert.Single(result.Diagnostics.Issues);
        Assert.Equal(CaptureIssueKind.UnknownBlock, issue.Kind);
        Assert.Equal(ViolationSeverity.Info, issue.Severity);
        Assert.Equal(at, issue.Offset);
        Assert.Contains("0x00007E57", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PcapngTrailingLengthDiffers_StopsWithCorruptDiagnostic()
    {
        var udp = Frames.Ipv4("10.0.0.1", "239.255.255.250", 17, Frames.Udp(1900, 1900, Frames.Ascii("M-SEARCH * HTTP/1.1\r\n\r\n")));
        var builder = new PcapNgBuilder().Section().Interface(101);
        builder.Enhanced(0, 1, udp).Enhanced(0, 2, udp);
        var body = builder.ToArray()[(int)(builder.BlockOffsets[^1] + 8)..^4];
        builder.Block(6, body, trailingLengthOverride: 4).Enhanced(0, 4, udp);
        using var file = new TempFile(builder.ToArray());

        var result = CaptureFile.ReadAll(file.Path);

        Assert.Equal(2, result.Records.Count);
        Assert.Equal(builder.BlockOffsets[4], result.Diagnostics.CorruptAtOffset);
        Assert.True(result.Diagnostics.HasErrors);
        Assert.Equal(CaptureIssueKind.Corrupt, Assert.Single(result.Diagnostics.Issues).Kind);
    }

    [Fact]
    public void Read_BigEndianNanosecondPcap_ReadsTimestampsToTheTick()
    {
        var udp = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(5000, 3702, Frames.Ascii("x")));
        var bytes = PcapFile.Build(101, [(1_700_000_000, 123_456_789, udp), (1_700_000_001, 999_999_999, udp)], bigEndian: true, nanoseconds: true);
        using var stream = new MemoryStream(bytes);

        using var reader = new CaptureReader(stream);
        var packets = reader.ReadPackets().Select(p => (p.Timestamp, p.LinkType)).ToList();

        Assert.Equal(CaptureFormat.Pcap, reader.Format);
        Assert.Equal(LinkType.Raw, reader.PcapLinkType);
        Assert.Equal(Epoch.AddSeconds(1_700_000_000).AddTicks(1_234_567), packets[0].Timestamp);
        Assert.Equal(Epoch.AddSeconds(1_700_000_001).AddTicks(9_999_999), packets[1].Timestamp);
    }

    [Fact]
    public void Read_PcapngSectionsOfBothByteOrders_ReadsEveryPacketBlockKind()
    {
        var udp = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(5000, 3702, Frames.Ascii("probe")));
        var builder = new PcapNgBuilder()
            .Section(bigEndian: true)
            .Interface(101, timestampResolution: 9, timestampOffset: 100)
            .Enhanced(0, 1_500_000_000_123_456_789, udp, flags: 2)
            .Simple(udp)
            .Obsolete(0, 1_500_000_001_000_000_000, udp)
            .Section(bigEndian: false)
            .Interface(1)
            .Interface(228, timestampResolution: 0x80 | 20) // units of 2^-20 s
            .Enhanced(1, (1_600_000_000UL << 20) + (1UL << 19), udp, flags: 1)
            .Enhanced(0, 1_600_000_000_000_001, Frames.Ethernet(udp));
        using var stream = new MemoryStream(builder.ToArray());

        using var reader = new CaptureReader(stream);
        var packets = reader.ReadPackets().Select(p => (p.Timestamp, p.LinkType, p.Direction, p.InterfaceId, Length: p.Data.Length)).ToList();

        Assert.Equal(5, packets.Count);
        Assert.Equal(Epoch.AddSeconds(1_500_000_100).AddTicks(1_234_567), packets[0].Timestamp);
        Assert.Equal(TrafficDirection.Outbound, packets[0].Direction);
        Assert.Equal(packets[0].Timestamp, packets[1].Timestamp); // a Simple Packet Block has no timestamp of its own
        Assert.Null(packets[1].Direction);
        Assert.Equal(Epoch.AddSeconds(1_500_000_101), packets[2].Timestamp);
        Assert.Equal(Epoch.AddSeconds(1_600_000_000.5), packets[3].Timestamp);
        Assert.Equal((LinkType.Ipv4, TrafficDirection.Inbound, 1), (packets[3].LinkType, packets[3].Direction, packets[3].InterfaceId));
        Assert.Equal(Epoch.AddSeconds(1_600_000_000).AddTicks(10), packets[4].Timestamp);
        Assert.Equal(LinkType.Ethernet, packets[4].LinkType);
        Assert.All(packets.Take(4), p => Assert.Equal(udp.Length, p.Length));
        Assert.True(reader.Diagnostics.IsComplete);
    }

    [Fact]
    public void Read_PacketOnUndeclaredInterface_SkippedAndReported()
    {
        var udp = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(5000, 3702, Frames.Ascii("x")));
        var builder = new PcapNgBuilder().Section().Interface(101).Enhanced(3, 1, udp).Enhanced(0, 2, udp);
        using var stream = new MemoryStream(builder.ToArray());

        using var capture = CaptureFile.Open(stream);
        var records = capture.Records().ToList();

        Assert.Single(records);
        Assert.Equal(2, capture.Diagnostics.PacketsRead);
        var issue = Assert.Single(capture.Diagnostics.Issues);
        Assert.Equal(CaptureIssueKind.UnknownInterface, issue.Kind);
        Assert.Equal(1, issue.PacketNumber);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_PacketLargerThanTheLimit_SkippedWithoutGrowingTheBuffer(bool seekable)
    {
        var small = Frames.Ipv4("10.0.0.1", "10.0.0.2", 17, Frames.Udp(5000, 1900, Frames.Ascii("small")));
        var huge = new byte[300_000];
        var builder = new PcapNgBuilder().Section().Interface(101).Enhanced(0, 1, small).Enhanced(0, 2, huge).Enhanced(0, 3, small);
        var options = new CaptureOptions { MaxBlockBytes = 4096 };
        using var stream = new CountingStream(new MemoryStream(builder.ToArray()), seekable);

        using var capture = CaptureFile.Open(stream, options);
        var records = capture.Records().ToList();

        Assert.Equal(2, records.Count);
        Assert.Equal(3, capture.Diagnostics.PacketsRead);
        Assert.Equal(1, capture.Diagnostics.OversizedBlocks);
        Assert.Equal(CaptureIssueKind.OversizedBlock, Assert.Single(capture.Diagnostics.Issues).Kind);
        Assert.Equal(64 * 1024, capture.Diagnostics.PeakBufferBytes);
        Assert.True(capture.Diagnostics.IsComplete);
    }

    [Fact]
    public void Read_OversizedBlockCutByEndOfFile_ReportsTruncation()
    {
        var builder = new PcapNgBuilder().Section().Interface(101).Enhanced(0, 2, new byte[300_000]);
        var bytes = builder.ToArray()[..200_000];
        using var stream = new MemoryStream(bytes);

        using var capture = CaptureFile.Open(stream, new CaptureOptions { MaxBlockBytes = 4096 });
        _ = capture.Records().ToList();

        Assert.Equal(builder.BlockOffsets[2], capture.Diagnostics.TruncatedAtOffset);
        Assert.Equal(builder.BlockOffsets[2], capture.Diagnostics.BytesRead);
    }

    [Fact]
    public void Open_ModifiedPcapMagic_ThrowsWithAConversionHint()
    {
        using var file = new TempFile([0x34, 0xCD, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0], ".pcap");

        var error = Assert.Throws<CaptureFormatException>(() => CaptureFile.Open(file.Path));

        Assert.Contains("editcap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_ReadTwice_Throws()
    {
        using var capture = CaptureFile.Open(TestFiles.Public("ssdp-miniupnpd-notify.pcap"));
        _ = capture.Records().ToList();

        Assert.Throws<InvalidOperationException>(() => capture.Records());
    }

    [Fact]
    public void Read_GarbageAfterValidPackets_StopsWithADiagnosticNotAnException()
    {
        var random = new Random(7);
        var bytes = File.ReadAllBytes(TestFiles.Public("ssdp-home-network.pcapng"));
        var offsets = PcapNgBlocks(bytes).Where(b => b.Type == 6).Select(b => b.Offset).ToList();
        for (var trial = 0; trial < 200; trial++)
        {
            var copy = (byte[])bytes.Clone();
            var from = (int)offsets[random.Next(offsets.Count)];
            for (var i = from; i < copy.Length; i++)
            {
                copy[i] = (byte)random.Next(256);
            }

            using var stream = new MemoryStream(copy);
            using var capture = CaptureFile.Open(stream);
            var records = capture.Records().ToList();

            Assert.True(capture.Diagnostics.Finished);
            Assert.True(records.Count >= offsets.IndexOf(from), $"trial {trial}: {records.Count} records before offset {from}");
        }
    }

    /// <summary>The blocks of a little-endian pcapng file, walked by hand.</summary>
    private static List<(long Offset, uint Type, uint Length)> PcapNgBlocks(byte[] file)
    {
        var blocks = new List<(long, uint, uint)>();
        for (var at = 0; at + 8 <= file.Length;)
        {
            var type = BitConverter.ToUInt32(file, at);
            var length = BitConverter.ToUInt32(file, at + 4);
            blocks.Add((at, type, length));
            at += (int)length;
        }

        return blocks;
    }
}
