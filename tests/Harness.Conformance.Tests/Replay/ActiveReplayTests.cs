using System.Net;
using System.Text;
using Harness.Conformance.Model;
using Harness.Conformance.Replay;
using Harness.Conformance.Tests.Support;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Time.Testing;
using static Harness.Conformance.Tests.Replay.ReplayVectors;

namespace Harness.Conformance.Tests.Replay;

/// <summary>The replay engine on an in-process transport and fake time: deterministic.</summary>
public sealed class ActiveReplayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1.5);
    private static readonly IPEndPoint Target = new(IPAddress.Parse("127.0.0.41"), 3702);

    [Fact]
    public async Task Run_TargetAnswersAsRecorded_FreshMessageIdOriginalBytesNoDifferences()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time, (payload, _) => Answer(payload, id => ProbeMatches(relatesTo: id, messageId: "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", messageNumber: 9)));
        var recorder = new TrafficRecorder(time);
        var replay = new ActiveReplay(transport, recorder, new ActiveReplayOptions { Seed = 1 }, time);

        var report = await DriveAsync(() => replay.RunAsync(ProbeCapture(), Target, CancellationToken.None), transport, time);

        var request = Assert.Single(report.Requests);
        Assert.True(request.AnsweredAsRecorded, report.Describe());
        Assert.True(report.AnsweredAsRecorded);
        Assert.Equal(0, request.OriginalSequence);
        Assert.Equal(Target, request.SentTo);
        Assert.Equal(ReplayRequestEncoding.OriginalBytes, request.Encoding);
        Assert.NotEqual(ProbeId, request.ReplayedMessageId);
        Assert.StartsWith("urn:uuid:", request.ReplayedMessageId, StringComparison.Ordinal);
        var (sent, destination) = Assert.Single(transport.Sent);
        Assert.Equal(Target, destination);
        Assert.Equal(Probe(request.ReplayedMessageId!), Encoding.UTF8.GetString(sent));
        var records = recorder.Snapshot();
        Assert.Equal(2, records.Count);
        Assert.Equal((TrafficDirection.Outbound, "wsd"), (records[0].Direction, records[0].Protocol));
        Assert.Equal((TrafficDirection.Inbound, "wsd"), (records[1].Direction, records[1].Protocol));
        Assert.Equal(request.LiveRequest, records[0]);
        Assert.Equal([records[1]], request.LiveAnswers);
        var finding = Assert.Single(report.ToFindings(CameraEpr));
        Assert.Equal((ReplayReport.RuleId, Verdict.Pass), (finding.RuleId, finding.Verdict));
        Assert.Equal([0L, 1L], finding.Evidence.Records);
    }

    [Fact]
    public async Task Run_SeedWouldRepeatTheCapturedMessageId_DrawsAnotherOne()
    {
        // A client seeded like the replay sends the very id the replay would draw first; a device that remembers it
        // would drop the replayed request as a repeat.
        var random = new Random(12);
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var firstDraw = "urn:uuid:" + new Guid(bytes).ToString("D");
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 12 }, time);

        var report = await DriveAsync(() => replay.RunAsync([Record(0, 0, Client, Group, Probe(firstDraw))], Target, CancellationToken.None), transport, time);

        var request = Assert.Single(report.Requests);
        Assert.Equal(firstDraw, request.Captured.MessageId);
        Assert.NotEqual(firstDraw, request.ReplayedMessageId);
        Assert.StartsWith("urn:uuid:", request.ReplayedMessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TargetEchoesTheCapturedMessageId_RelatesToError()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time, (payload, _) => Answer(payload, _ => ProbeMatches(relatesTo: ProbeId)));
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 2 }, time);

        var report = await DriveAsync(() => replay.RunAsync(ProbeCapture(), Target, CancellationToken.None), transport, time);

        var difference = Assert.Single(Assert.Single(report.Requests).Differences);
        Assert.Equal((ReplayDifferenceKind.RelatesTo, ViolationSeverity.Error), (difference.Kind, difference.Severity));
        Assert.Equal(ProbeId, difference.Live);
        Assert.Equal(report.Requests[0].ReplayedMessageId, difference.Recorded);
        var finding = Assert.Single(report.ToFindings(CameraEpr));
        Assert.Equal(Verdict.Fail, finding.Verdict);
        Assert.Equal("wsa:RelatesTo", finding.Evidence.Location);
    }

    [Fact]
    public async Task Run_TargetSilent_AnsweredErrorAfterTheWindow()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 3 }, time);
        var pending = transport.ReceivePending;

        var run = replay.RunAsync(ProbeCapture(), Target, CancellationToken.None);
        await pending.WaitAsync(Wait);
        time.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var report = await run.WaitAsync(Wait);

        var difference = Assert.Single(Assert.Single(report.Requests).Differences);
        Assert.Equal((ReplayDifferenceKind.Answered, ViolationSeverity.Error, "silence"), (difference.Kind, difference.Severity, difference.Live));
        Assert.Equal(Verdict.Fail, Assert.Single(report.ToFindings(CameraEpr)).Verdict);
    }

    [Fact]
    public async Task Run_RecordedSilenceLiveSilence_PassSilentAsRecorded()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 4 }, time);

        var report = await DriveAsync(() => replay.RunAsync([Record(0, 0, Client, Group, Probe())], Target, CancellationToken.None), transport, time);

        Assert.True(report.AnsweredAsRecorded);
        var finding = Assert.Single(report.ToFindings(CameraEpr));
        Assert.Equal(Verdict.Pass, finding.Verdict);
        Assert.Contains("silent, as recorded", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AnswerToTheFirstRequestArrivesInTheSecondWindow_LateAnswerNotCompared()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 5 }, time);
        const string ResolveId = "urn:uuid:0b7ed8a2-3cf7-4aa2-8bf2-565889b2028b";
        List<TrafficRecord> capture = [.. ProbeCapture(), Record(4, 1, Client, Group, Resolve(ResolveId))];
        var pending = transport.ReceivePending;

        var run = replay.RunAsync(capture, Target, CancellationToken.None);
        await pending.WaitAsync(Wait);
        pending = transport.ReceivePending;
        time.Advance(Window);
        await pending.WaitAsync(Wait);
        var firstId = Read(Encoding.UTF8.GetString(transport.Sent[0].Payload)).Header.MessageId!;
        pending = transport.ReceivePending;
        transport.Deliver(Encoding.UTF8.GetBytes(ProbeMatches(relatesTo: firstId)), Target);
        await pending.WaitAsync(Wait);
        time.Advance(Window);
        var report = await run.WaitAsync(Wait);

        Assert.Equal(2, report.Requests.Count);
        var probe = report.Requests[0];
        Assert.Contains(probe.Differences, d => d.Kind == ReplayDifferenceKind.Answered);
        Assert.Contains(probe.Differences, d => d.Kind == ReplayDifferenceKind.LateAnswer && d.Severity == ViolationSeverity.Info);
        Assert.Single(probe.LateAnswers);
        Assert.Empty(probe.LiveAnswers);
        Assert.True(report.Requests[1].AnsweredAsRecorded, report.Describe());
    }

    [Fact]
    public async Task Run_RepeatedAnswerAndUnreadableDatagram_RepeatCountedOnceUnreadableWarned()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time, (payload, _) =>
        {
            var answer = Answer(payload, id => ProbeMatches(relatesTo: id)).Single();
            return [answer, answer, ("<garbage"u8.ToArray(), Target)];
        });
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 6 }, time);

        var report = await DriveAsync(() => replay.RunAsync(ProbeCapture(), Target, CancellationToken.None), transport, time);

        var request = Assert.Single(report.Requests);
        Assert.Single(request.LiveAnswers);
        Assert.Equal(1, report.LiveRepeats);
        Assert.Equal(1, request.UnreadableDatagrams);
        var difference = Assert.Single(request.Differences);
        Assert.Equal((ReplayDifferenceKind.Unreadable, ViolationSeverity.Warning), (difference.Kind, difference.Severity));
    }

    [Fact]
    public async Task Run_QuietPeriodAfterTheAnswer_WindowClosesEarly()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time, (payload, _) => Answer(payload, id => ProbeMatches(relatesTo: id)));
        var options = new ActiveReplayOptions { Seed = 7, UnicastWindow = TimeSpan.FromSeconds(10), QuietPeriod = TimeSpan.FromMilliseconds(200) };
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), options, time);
        var pending = transport.ReceivePending;

        var run = replay.RunAsync(ProbeCapture(), Target, CancellationToken.None);
        await pending.WaitAsync(Wait);
        time.Advance(TimeSpan.FromMilliseconds(200));
        var report = await run.WaitAsync(Wait);

        Assert.True(report.AnsweredAsRecorded, report.Describe());
    }

    [Fact]
    public async Task Run_CaptureWithoutRequests_EmptyReportWithANoteNothingSent()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 8 }, time);
        List<TrafficRecord> capture = [Record(0, 0, Camera, Client, ProbeMatches()), Record(1, 0, Camera, Group, "<broken")];

        var report = await replay.RunAsync(capture, Target, CancellationToken.None).WaitAsync(Wait);

        Assert.Empty(report.Requests);
        Assert.Empty(transport.Sent);
        Assert.False(report.AnsweredAsRecorded);
        Assert.Contains(report.Notes, n => n.Contains("no Probe or Resolve", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.Contains("1 captured datagram(s) could not be read", StringComparison.Ordinal));
        Assert.Equal(1, report.Capture.Malformed);
        var finding = Assert.Single(report.ToFindings(CameraEpr));
        Assert.Equal(Verdict.NotApplicable, finding.Verdict);
        Assert.Contains("no Probe or Resolve", report.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MaxDurationSpent_RemainingRequestsNotSent()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var options = new ActiveReplayOptions { Seed = 9, MaxDuration = TimeSpan.FromSeconds(1) };
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), options, time);
        var capture = Enumerable.Range(0, 3).Select(i => Record(i, i, Client, Group, Probe($"urn:uuid:00000000-0000-4000-8000-{i:D12}"))).ToList();

        var report = await DriveAsync(() => replay.RunAsync(capture, Target, CancellationToken.None), transport, time);

        Assert.Single(report.Requests);
        Assert.Equal(2, report.RequestsNotSent);
        Assert.Single(transport.Sent);
        Assert.Contains(report.Notes, n => n.Contains("ran out of time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Cancelled_Throws()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var replay = new ActiveReplay(transport, new TrafficRecorder(time), new ActiveReplayOptions { Seed = 10 }, time);
        using var cancellation = new CancellationTokenSource();
        var pending = transport.ReceivePending;

        var run = replay.RunAsync(ProbeCapture(), Target, cancellation.Token);
        await pending.WaitAsync(Wait);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Wait));
    }

    [Fact]
    public void Report_DescribeAndFindings_OneFindingPerDifferenceWithEvidence()
    {
        var capture = ReplayCapture.Scan(ProbeCapture());
        var live = new TrafficRecord(7, T0, TrafficDirection.Outbound, TrafficTransport.Udp, Client, Target, Encoding.UTF8.GetBytes(Probe()), "wsd");
        var report = new ReplayReport
        {
            Target = Target,
            StartedAt = T0,
            EndedAt = T0.AddSeconds(2),
            Capture = capture,
            Requests =
            [
                new ReplayedRequest
                {
                    Index = 0,
                    Captured = capture.Requests[0],
                    LiveRequest = live,
                    SentTo = Target,
                    Differences =
                    [
                        new ReplayDifference(ReplayDifferenceKind.Endpoint, "d:ProbeMatch[a]/wsa:EndpointReference/wsa:Address", "urn:uuid:a", "urn:uuid:b\u001b[2J", ViolationSeverity.Error),
                        new ReplayDifference(ReplayDifferenceKind.Scopes, "d:ProbeMatch[a]/d:Scopes", "onvif://x", string.Empty, ViolationSeverity.Warning),
                        new ReplayDifference(ReplayDifferenceKind.AppSequence, "d:AppSequence", "present", "absent", ViolationSeverity.Info),
                    ],
                },
            ],
        };

        var findings = report.ToFindings(CameraEpr);
        var text = report.Describe();

        Assert.Equal([Verdict.Fail, Verdict.Warn, Verdict.Info], findings.Select(f => f.Verdict));
        Assert.All(findings, f => Assert.Equal([7L], f.Evidence.Records));
        Assert.Equal(("urn:uuid:a", "urn:uuid:b\u001b[2J"), (findings[0].Evidence.Expected, findings[0].Evidence.Actual));
        Assert.Null(findings[1].Evidence.Actual);
        Assert.Contains("1 error(s), 1 warning(s), 1 info", text, StringComparison.Ordinal);
        Assert.Contains("#0 Probe (capture record 0, multicast)", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.Equal(ReplayReport.RuleId, ReplayReport.Rule.Id);
        Assert.Equal(RuleLevel.Must, ReplayReport.Rule.Level);
    }

    [Fact]
    public async Task Report_Findings_FitARunResultThatFails()
    {
        var time = new FakeTimeProvider(T0);
        var transport = new FakeTransport(time);
        var recorder = new TrafficRecorder(time);
        var replay = new ActiveReplay(transport, recorder, new ActiveReplayOptions { Seed = 11 }, time);
        var report = await DriveAsync(() => replay.RunAsync(ProbeCapture(), Target, CancellationToken.None), transport, time);
        var device = new Device(CameraEpr, Protocols.Wsd, [DeviceRole.TargetService]) { Addresses = [Target] };

        var result = new RunResult(
            "replay",
            report.StartedAt,
            report.EndedAt,
            "test",
            "replay to " + Target,
            new SessionInfo("replay", report.StartedAt, report.EndedAt, recorder.Dropped),
            [device],
            [ReplayReport.Rule],
            report.ToFindings(device.Id),
            recorder.Snapshot().Select(r => new TimelineEntry(r, "request")));

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentException>(() => new ActiveReplayOptions { UnicastWindow = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentException>(() => new ActiveReplayOptions { MaxRequests = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new ActiveReplayOptions { MulticastEndPoint = Target }.Validate());
        Assert.Throws<ArgumentException>(() => new ActiveReplayOptions { Protocol = string.Empty }.Validate());
        Assert.Equal(TimeSpan.FromSeconds(1.5), ActiveReplayOptions.Default.EffectiveMulticastWindow);
    }

    /// <summary>The target's answer to a sent request: <paramref name="make"/> gets the MessageID that was sent.</summary>
    private static IEnumerable<(byte[] Payload, IPEndPoint From)> Answer(ReadOnlyMemory<byte> request, Func<string, string> make)
    {
        var id = WsdMessageReader.Read(request.Span).Message!.Header.MessageId!;
        return [(Encoding.UTF8.GetBytes(make(id)), Target)];
    }

    /// <summary>Runs a replay to its end, closing each window by advancing fake time once the replay waits on an empty queue.</summary>
    private static async Task<ReplayReport> DriveAsync(Func<Task<ReplayReport>> start, FakeTransport transport, FakeTimeProvider time)
    {
        var pending = transport.ReceivePending;
        var run = start();
        while (true)
        {
            var done = await Task.WhenAny(pending, run).WaitAsync(Wait);
            if (done == run)
            {
                return await run;
            }

            pending = transport.ReceivePending;
            time.Advance(Window);
        }
    }
}
