using System.Net;
using System.Text;

namespace Harness.Capture.Tests;

public sealed class TcpReassemblerTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("10.0.0.1"), 40000);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("10.0.0.2"), 5222);
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CaptureDiagnostics _diagnostics = new(CaptureFormat.PcapNg);
    private readonly List<TcpStreamChunk> _output = [];

    [Fact]
    public void Process_InOrderSegments_OneChunkEach()
    {
        var tcp = new TcpReassembler(_diagnostics);

        Send(tcp, Client, Server, 1000, TcpFlags.Syn);
        Send(tcp, Client, Server, 1001, TcpFlags.Ack, "<stream:stream>");
        Send(tcp, Client, Server, 1016, TcpFlags.Ack, "<starttls/>");

        Assert.Equal(["<stream:stream>", "<starttls/>"], Texts());
        Assert.Equal([0L, 15L], _output.Select(c => c.StreamOffset));
        Assert.All(_output, c => Assert.Equal(0, c.GapBefore));
        Assert.Equal(0, _diagnostics.TcpMidStreamStarts);
    }

    [Fact]
    public void Process_OutOfOrderSegments_HeldUntilTheGapFillsThenDeliveredTogether()
    {
        var tcp = new TcpReassembler(_diagnostics);
        Send(tcp, Client, Server, 0, TcpFlags.Syn);

        Send(tcp, Client, Server, 7, TcpFlags.Ack, "cd");
        Send(tcp, Client, Server, 9, TcpFlags.Ack, "ef");
        Assert.Empty(_output);
        Assert.Equal(4, tcp.BufferedBytes);

        Send(tcp, Client, Server, 1, TcpFlags.Ack, "012345");

        Assert.Equal(["012345cdef"], Texts());
        Assert.Equal(0, tcp.BufferedBytes);
    }

    [Fact]
    public void Process_RetransmissionsAndOverlaps_EachByteDeliveredOnce()
    {
        var tcp = new TcpReassembler(_diagnostics);
        Send(tcp, Client, Server, 0, TcpFlags.Syn);

        Send(tcp, Client, Server, 1, TcpFlags.Ack, "abcd");
        Send(tcp, Client, Server, 1, TcpFlags.Ack, "abcd"); // whole retransmission
        Send(tcp, Client, Server, 3, TcpFlags.Ack, "cdef"); // overlaps the first two bytes
        Send(tcp, Client, Server, 9, TcpFlags.Ack, "ij"); // held
        Send(tcp, Client, Server, 9, TcpFlags.Ack, "ij"); // held twice
        Send(tcp, Client, Server, 6, TcpFlags.Ack, "fghi"); // fills the gap and overlaps both sides

        Assert.Equal("abcdefghij", string.Concat(Texts()));
        Assert.Equal(4 + 2 + 2 + 1 + 1, _diagnostics.TcpRetransmittedBytes);
    }

    [Fact]
    public void Process_NoSynCaptured_StreamStartsAtFirstData()
    {
        var tcp = new TcpReassembler(_diagnostics);

        Send(tcp, Server, Client, 123_456, TcpFlags.Ack | TcpFlags.Psh, "<presence/>");
        Send(tcp, Server, Client, 123_467, TcpFlags.Ack | TcpFlags.Psh, "<iq/>");

        Assert.Equal(["<presence/>", "<iq/>"], Texts());
        Assert.Equal(1, _diagnostics.TcpMidStreamStarts);
    }

    [Fact]
    public void Process_SequenceNumbersWrapAround_DeliveredInOrder()
    {
        var tcp = new TcpReassembler(_diagnostics);
        Send(tcp, Client, Server, uint.MaxValue - 3, TcpFlags.Syn);

        Send(tcp, Client, Server, 1, TcpFlags.Ack, "EF"); // after the wrap: held
        Send(tcp, Client, Server, uint.MaxValue - 2, TcpFlags.Ack, "ABCD");

        Assert.Equal(["ABCDEF"], Texts());
    }

    [Fact]
    public void Process_HeldBytesExceedTheBound_GapGivenUpAndReported()
    {
        var tcp = new TcpReassembler(_diagnostics, new TcpReassemblerOptions { MaxBufferedBytesPerDirection = 8 });
        Send(tcp, Client, Server, 0, TcpFlags.Syn);
        Send(tcp, Client, Server, 1, TcpFlags.Ack, "aa");

        Send(tcp, Client, Server, 11, TcpFlags.Ack, "12345");
        Send(tcp, Client, Server, 16, TcpFlags.Ack, "6789"); // 9 bytes held > 8

        Assert.Equal(["aa", "123456789"], Texts());
        Assert.Equal(8, _output[1].GapBefore);
        Assert.Equal(10, _output[1].StreamOffset);
        Assert.Equal((1L, 8L), (_diagnostics.TcpGaps, _diagnostics.TcpGapBytes));
        Assert.Equal(CaptureIssueKind.TcpGap, Assert.Single(_diagnostics.Issues).Kind);
        Assert.Equal(0, tcp.BufferedBytes);
    }

    [Fact]
    public void Process_TooManyHeldSegments_GapGivenUp()
    {
        var tcp = new TcpReassembler(_diagnostics, new TcpReassemblerOptions { MaxBufferedSegmentsPerDirection = 2 });
        Send(tcp, Client, Server, 0, TcpFlags.Syn);

        Send(tcp, Client, Server, 10, TcpFlags.Ack, "a");
        Send(tcp, Client, Server, 20, TcpFlags.Ack, "b");
        Send(tcp, Client, Server, 30, TcpFlags.Ack, "c");

        Assert.Equal(["a"], Texts());
        Assert.Equal(2, tcp.BufferedBytes);
    }

    [Fact]
    public void Process_ResetWithHeldData_DeliversItAfterTheGap()
    {
        var tcp = new TcpReassembler(_diagnostics);
        Send(tcp, Client, Server, 0, TcpFlags.Syn);
        Send(tcp, Client, Server, 5, TcpFlags.Ack, "late");

        Send(tcp, Server, Client, 77, TcpFlags.Rst);

        Assert.Equal(["late"], Texts());
        Assert.Equal(4, _output[0].GapBefore);
        Assert.Equal(0, tcp.BufferedBytes);
    }

    [Fact]
    public void Process_RetransmissionAfterBothFins_NotDeliveredAgain()
    {
        var tcp = new TcpReassembler(_diagnostics);
        Send(tcp, Client, Server, 0, TcpFlags.Syn);
        Send(tcp, Server, Client, 500, TcpFlags.Syn | TcpFlags.Ack);
        Send(tcp, Client, Server, 1, TcpFlags.Ack | TcpFlags.Fin, "bye");
        Send(tcp, Server, Client, 501, TcpFlags.Ack | TcpFlags.Fin);

        Send(tcp, Client, Server, 1, TcpFlags.Ack | TcpFlags.Fin, "bye");

        Assert.Equal(["bye"], Texts());
        Assert.Equal(3, _diagnostics.TcpRetransmittedBytes);
    }

    [Fact]
    public void Process_NewSynOnAClosedFourTuple_StartsANewStream()
    {
        var tcp = new TcpReassembler(_diagnostics);
        Send(tcp, Client, Server, 0, TcpFlags.Syn);
        Send(tcp, Client, Server, 1, TcpFlags.Ack, "first");
        Send(tcp, Client, Server, 6, TcpFlags.Rst);

        Send(tcp, Client, Server, 90_000, TcpFlags.Syn);
        Send(tcp, Client, Server, 90_001, TcpFlags.Ack, "second");

        Assert.Equal(["first", "second"], Texts());
        Assert.Equal(0, _output[1].StreamOffset);
        Assert.Equal(2, _diagnostics.TcpFlows);
    }

    [Fact]
    public void Process_MoreConnectionsThanTheBound_LeastRecentlyActiveEvicted()
    {
        var tcp = new TcpReassembler(_diagnostics, new TcpReassemblerOptions { MaxFlows = 2 });
        var clients = Enumerable.Range(0, 3).Select(i => new IPEndPoint(IPAddress.Parse("10.0.0.1"), 41000 + i)).ToArray();
        Send(tcp, clients[0], Server, 0, TcpFlags.Syn);
        Send(tcp, clients[1], Server, 0, TcpFlags.Syn);
        Send(tcp, clients[0], Server, 1, TcpFlags.Ack, "x"); // client 0 now more recent than client 1

        Send(tcp, clients[2], Server, 0, TcpFlags.Syn);

        Assert.Equal(2, tcp.FlowCount);
        Assert.Equal(1, _diagnostics.TcpFlowsEvicted);
        Assert.Contains(":41001", Assert.Single(_diagnostics.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_TotalHeldBytesBound_AppliesAcrossConnections()
    {
        var tcp = new TcpReassembler(_diagnostics, new TcpReassemblerOptions { MaxBufferedBytesTotal = 10 });
        var other = new IPEndPoint(IPAddress.Parse("10.0.0.3"), 40001);
        Send(tcp, Client, Server, 0, TcpFlags.Syn);
        Send(tcp, other, Server, 0, TcpFlags.Syn);

        Send(tcp, Client, Server, 5, TcpFlags.Ack, "1234567");
        Send(tcp, other, Server, 5, TcpFlags.Ack, "abcdefg");

        // The newest direction's held data is given up first, after its 4-byte gap.
        Assert.True(tcp.BufferedBytes <= 10);
        Assert.Equal(["abcdefg"], Texts());
        Assert.Equal(4, _output[0].GapBefore);
    }

    [Fact]
    public void Process_RandomHostileSegments_NeverThrowsAndStaysBounded()
    {
        var random = new Random(1234);
        var options = new TcpReassemblerOptions { MaxFlows = 8, MaxBufferedBytesPerDirection = 4096, MaxBufferedSegmentsPerDirection = 16, MaxBufferedBytesTotal = 16_384 };
        var tcp = new TcpReassembler(_diagnostics, options);
        var ports = Enumerable.Range(0, 20).Select(i => new IPEndPoint(IPAddress.Parse("10.0.0.1"), 30000 + i)).ToArray();
        var payload = new byte[1500];
        for (var i = 0; i < 20_000; i++)
        {
            var flags = (TcpFlags)random.Next(256);
            var length = random.Next(4) == 0 ? 0 : random.Next(1, payload.Length);
            var from = ports[random.Next(ports.Length)];
            var segment = random.Next(2) == 0
                ? new TcpSegment(from, Server, (uint)random.Next(), flags, payload.AsSpan(0, length), T0)
                : new TcpSegment(Server, from, (uint)random.Next(), flags, payload.AsSpan(0, length), T0);
            tcp.Process(segment, _output);
            _output.Clear();

            Assert.True(tcp.FlowCount <= options.MaxFlows);
            Assert.True(tcp.BufferedBytes <= options.MaxBufferedBytesTotal);
        }

        tcp.Complete(_output);
        Assert.Equal(0, tcp.FlowCount);
        Assert.Equal(0, tcp.BufferedBytes);
    }

    [Fact]
    public void Complete_HeldDataAtTheEnd_DeliveredAfterItsGap()
    {
        var tcp = new TcpReassembler(_diagnostics);
        Send(tcp, Client, Server, 0, TcpFlags.Syn);
        Send(tcp, Client, Server, 1, TcpFlags.Ack, "head");
        Send(tcp, Client, Server, 10, TcpFlags.Ack, "tail");

        tcp.Complete(_output);

        Assert.Equal(["head", "tail"], Texts());
        Assert.Equal(5, _output[1].GapBefore);
        Assert.Equal(9, _output[1].StreamOffset);
    }

    private void Send(TcpReassembler tcp, IPEndPoint from, IPEndPoint to, uint sequence, TcpFlags flags, string data = "") =>
        tcp.Process(new TcpSegment(from, to, sequence, flags, Encoding.ASCII.GetBytes(data), T0), _output);

    private List<string> Texts() => [.. _output.Select(c => Encoding.ASCII.GetString(c.Data.Span))];
}
