using System.Text;
using Harness.Conformance.Replay;
using Harness.Core.Recording;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Tests.Replay.ReplayVectors;

namespace Harness.Conformance.Tests.Replay;

public sealed class ReplayCaptureTests
{
    [Fact]
    public void Scan_ProbeWithRepeatsAndAnswerWithRepeat_OneRequestOneAnswer()
    {
        var scan = ReplayCapture.Scan(ProbeCapture());

        var request = Assert.Single(scan.Requests);
        Assert.Equal(0, request.Record.Sequence);
        Assert.Equal(2, request.Copies);
        Assert.True(request.WasMulticast);
        Assert.Equal("Probe", request.Kind);
        Assert.Equal(ProbeId, request.MessageId);
        Assert.Equal([2L], request.AnswerRecords.Select(r => r.Sequence));
        Assert.Equal(2, scan.Repeats);
        Assert.Equal(0, scan.Malformed);
    }

    [Fact]
    public void Scan_MalformedAndForeignRecords_SkippedAndCounted()
    {
        List<TrafficRecord> records =
        [
            Record(0, 0, Client, Group, "<not xml"),
            Record(1, 0, Client, Group, "\0\u0001binary"),
            Record(2, 0, Client, Group, "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body/></s:Envelope>"),
            Record(3, 0, Client, Group, "M-SEARCH * HTTP/1.1\r\n\r\n", protocol: "ssdp"),
            Record(4, 0, Client, Group, Probe()) with { Transport = TrafficTransport.Tcp },
            Record(5, 0.1, Client, Group, Probe()),
            Record(6, 0.2, Camera, Client, ProbeMatches()),
        ];

        var scan = ReplayCapture.Scan(records);

        Assert.Equal(3, scan.Malformed);
        Assert.Equal(2, scan.Ignored);
        Assert.Equal(7, scan.RecordsExamined);
        var request = Assert.Single(scan.Requests);
        Assert.Equal(5, request.Record.Sequence);
        Assert.Single(request.Answers);
    }

    [Fact]
    public void Scan_AnswerAfterMatchTimeoutOrToAnotherRequest_NotRecordedForTheProbe()
    {
        List<TrafficRecord> records =
        [
            Record(0, 0, Client, Group, Probe()),
            Record(1, 11, Camera, Client, ProbeMatches()),
            Record(2, 1, Camera, Client, ProbeMatches(relatesTo: "urn:uuid:00000000-0000-4000-8000-00000000dead")),
        ];

        var scan = ReplayCapture.Scan(records);

        Assert.Empty(Assert.Single(scan.Requests).Answers);
        Assert.Equal(2, scan.UnrelatedAnswers);
    }

    [Fact]
    public void Scan_RequestWithoutMessageId_SkippedAndCounted()
    {
        var noId = Probe().Replace("<a:MessageID>" + ProbeId + "</a:MessageID>", string.Empty, StringComparison.Ordinal);

        var scan = ReplayCapture.Scan([Record(0, 0, Client, Group, noId)]);

        Assert.Empty(scan.Requests);
        Assert.Equal(1, scan.RequestsWithoutMessageId);
    }

    [Fact]
    public void Scan_TenThousandProbes_KeepsTheLimitCountsTheRest()
    {
        var records = Enumerable.Range(0, 10_000)
            .Select(i => Record(i, i * 0.001, Client, Group, Probe($"urn:uuid:00000000-0000-4000-8000-{i:D12}")));

        var scan = ReplayCapture.Scan(records, new ActiveReplayOptions { MaxRequests = 3 });

        Assert.Equal(3, scan.Requests.Count);
        Assert.Equal(10_000, scan.RequestsFound);
        Assert.Equal(9_997, scan.RequestsOverLimit);
    }

    [Fact]
    public void Scan_RecordLimit_StopsReadingAndSaysSo()
    {
        var scan = ReplayCapture.Scan(ProbeCapture(), new ActiveReplayOptions { MaxCapturedRecords = 2 });

        Assert.True(scan.Truncated);
        Assert.Equal(2, scan.RecordsExamined);
        Assert.Empty(Assert.Single(scan.Requests).Answers);
    }

    [Fact]
    public void Scan_ProtocolNull_ReadsUnlabelledRecords()
    {
        var records = ProbeCapture().Select(r => r with { Protocol = null }).ToList();

        Assert.Empty(ReplayCapture.Scan(records).Requests);
        Assert.Single(ReplayCapture.Scan(records, new ActiveReplayOptions { Protocol = null }).Requests);
    }

    [Fact]
    public void Rewrite_OdttProbeWithWhitespaceAroundMessageId_KeepsEveryOtherByte()
    {
        var original = Encoding.UTF8.GetBytes(OdttProbe);
        var message = Read(OdttProbe);
        const string Fresh = "urn:uuid:6f1d2c3b-4a59-4867-8c7d-6e5f4a3b2c1d";

        var (payload, encoding) = RequestRewriter.Rewrite(original, message, Fresh, preserveBytes: true, WsdReadOptions.Default)!.Value;

        Assert.Equal(ReplayRequestEncoding.OriginalBytes, encoding);
        Assert.Equal(OdttProbe.Replace("uuid:81b611df-3d93-4422-a3f1-60c2a0064de3", Fresh, StringComparison.Ordinal), Encoding.UTF8.GetString(payload));
        Assert.Equal(Fresh, Read(Encoding.UTF8.GetString(payload)).Header.MessageId);
    }

    [Fact]
    public void Rewrite_MessageIdWrittenWithACharacterReference_FallsBackToTheWriter()
    {
        // The id's text is not in the bytes as such ("&#45;" for '-'), so the bytes cannot be patched.
        var escaped = Probe().Replace("0a6dc791-2be6", "0a6dc791&#45;2be6", StringComparison.Ordinal);
        var message = Read(escaped);
        Assert.Equal(ProbeId, message.Header.MessageId);
        const string Fresh = "urn:uuid:6f1d2c3b-4a59-4867-8c7d-6e5f4a3b2c1d";

        var (payload, encoding) = RequestRewriter.Rewrite(Encoding.UTF8.GetBytes(escaped), message, Fresh, preserveBytes: true, WsdReadOptions.Default)!.Value;

        Assert.Equal(ReplayRequestEncoding.Rewritten, encoding);
        var probe = Assert.IsType<WsdProbe>(Read(Encoding.UTF8.GetString(payload)));
        Assert.Equal(Fresh, probe.Header.MessageId);
        Assert.Equal(((WsdProbe)message).Types, probe.Types);
    }

    [Fact]
    public void Rewrite_PreserveBytesOff_AlwaysWrites()
    {
        var message = Read(Probe());

        var (_, encoding) = RequestRewriter.Rewrite(Encoding.UTF8.GetBytes(Probe()), message, "urn:uuid:6f1d2c3b-4a59-4867-8c7d-6e5f4a3b2c1d", preserveBytes: false, WsdReadOptions.Default)!.Value;

        Assert.Equal(ReplayRequestEncoding.Rewritten, encoding);
    }
}
