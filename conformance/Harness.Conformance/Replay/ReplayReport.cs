using System.Globalization;
using System.Net;
using System.Text;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;

namespace Harness.Conformance.Replay;

/// <summary>One captured request as replayed: what was sent, what came back, and how it differs from the capture.</summary>
public sealed record ReplayedRequest
{
    /// <summary>Position in the replay, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>The captured request and every answer the capture recorded for it.</summary>
    public required CapturedRequest Captured { get; init; }

    /// <summary>
    /// The recorded answers that were compared (those of <see cref="ActiveReplayOptions.RecordedResponder"/>, or of the
    /// target's address when it answered in the capture, else all of them).
    /// </summary>
    public IReadOnlyList<TrafficRecord> ComparedRecordedAnswers { get; init; } = [];

    /// <summary>The fresh MessageID the request was sent with; null when it could not be sent.</summary>
    public string? ReplayedMessageId { get; init; }

    /// <summary>Where it was sent (the target, or the multicast group); null when it could not be sent.</summary>
    public IPEndPoint? SentTo { get; init; }

    /// <summary>How the request was encoded; null when it could not be.</summary>
    public ReplayRequestEncoding? Encoding { get; init; }

    /// <summary>The record of the request sent (in the replay's recorder); null when nothing was sent.</summary>
    public TrafficRecord? LiveRequest { get; init; }

    /// <summary>The live answers compared (one per logical answer, repeats removed), in arrival order.</summary>
    public IReadOnlyList<TrafficRecord> LiveAnswers { get; init; } = [];

    /// <summary>Answers to this request that arrived after its window (not compared).</summary>
    public IReadOnlyList<TrafficRecord> LateAnswers { get; init; } = [];

    /// <summary>Datagrams received in the window that could not be read as WS-Discovery.</summary>
    public int UnreadableDatagrams { get; init; }

    /// <summary>Why the request could not be replayed (encoding or send failure); null when it was.</summary>
    public string? Error { get; init; }

    /// <summary>The differences, most important first; empty when the target answered as recorded.</summary>
    public IReadOnlyList<ReplayDifference> Differences { get; init; } = [];

    /// <summary>The capture's sequence number of the request's first copy.</summary>
    public long OriginalSequence => Captured.Record.Sequence;

    /// <summary>True when the request was replayed and nothing differs (Info differences included).</summary>
    public bool AnsweredAsRecorded => Error is null && Differences.Count == 0;

    /// <summary>The worst severity among the differences, or null when there are none.</summary>
    public ViolationSeverity? WorstSeverity => Differences.Count == 0 ? null : Differences.Max(d => d.Severity);

    /// <summary>The request in a few words: <c>Probe (capture record 3, multicast)</c>.</summary>
    public string Label => string.Create(
        CultureInfo.InvariantCulture,
        $"{Captured.Kind} (capture record {OriginalSequence}{(Captured.WasMulticast ? ", multicast" : string.Empty)})");

    /// <summary>The replay's record sequence numbers this request rests on: the request sent, then the answers.</summary>
    public IReadOnlyList<long> LiveSequences =>
        LiveRequest is null ? [] : [LiveRequest.Sequence, .. LiveAnswers.Select(a => a.Sequence), .. LateAnswers.Select(a => a.Sequence)];
}

/// <summary>
/// The result of an <see cref="ActiveReplay"/>: per captured request what was sent and how the live answers differ
/// from the recorded ones, with counts of what the capture held. Convert it to conformance findings with
/// <see cref="ToFindings"/> (rule <see cref="RuleId"/>) or to console text with <see cref="Describe"/>.
/// </summary>
public sealed record ReplayReport
{
    /// <summary>The id of the rule replay findings are filed under.</summary>
    public const string RuleId = "REPLAY-WSD-001";

    /// <summary>
    /// The rule replay findings are filed under, for a <see cref="RunResult"/>: level MUST, so an Error difference
    /// fails; Warning differences warn and Info differences inform.
    /// </summary>
    public static RuleInfo Rule { get; } = new(
        RuleId,
        "A target answers a replayed request as the capture recorded",
        new SpecCitation(
            "WS-Discovery 2005/04 and 1.1 (regression against a capture)",
            "5.3, 6.2",
            Text: "ProbeMatches and ResolveMatches carry the endpoint reference, Types, Scopes, XAddrs and MetadataVersion of the target service."),
        RuleLevel.Must,
        Protocols.Wsd,
        [DeviceRole.TargetService],
        RuleKind.Active,
        "Each Probe and Resolve of a capture is sent again with a fresh MessageID; the answers are compared with the recorded ones by meaning. "
        + "Answered vs silent, answer kind, endpoint references, Types and faults are errors; Scopes, XAddrs and MetadataVersion are warnings; "
        + "AppSequence presence is informational. MessageID, AppSequence values, timestamps, ports, prefixes and whitespace are ignored.");

    /// <summary>Where the requests were sent.</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>When the replay started (replay clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>What the capture held: requests, counts of malformed and ignored records, repeats.</summary>
    public required ReplayCapture Capture { get; init; }

    /// <summary>The requests replayed (or that failed to be), in capture order.</summary>
    public required IReadOnlyList<ReplayedRequest> Requests { get; init; }

    /// <summary>Requests of the capture that were not sent because <see cref="ActiveReplayOptions.MaxDuration"/> ran out.</summary>
    public int RequestsNotSent { get; init; }

    /// <summary>Live datagrams that were repeats of an answer already counted.</summary>
    public long LiveRepeats { get; init; }

    /// <summary>Live answers that related to no replayed request.</summary>
    public long LiveUnrelated { get; init; }

    /// <summary>Live datagrams that were not answers (Hello, Bye, requests).</summary>
    public long LiveOther { get; init; }

    /// <summary>Remarks a person should read (no requests, limits reached, records skipped).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when at least one request was replayed and every replayed request answered as recorded.</summary>
    public bool AnsweredAsRecorded => Requests.Count > 0 && Requests.All(r => r.AnsweredAsRecorded);

    /// <summary>All differences of all requests.</summary>
    public IEnumerable<ReplayDifference> Differences => Requests.SelectMany(r => r.Differences);

    /// <summary>How many differences have <paramref name="severity"/>.</summary>
    public int Count(ViolationSeverity severity) => Differences.Count(d => d.Severity == severity);

    /// <summary>
    /// The report as findings of <see cref="RuleId"/> for one device: per request a Pass when it answered as recorded,
    /// else one finding per difference (Error → Fail, Warning → Warn, Info → Info) and an Error finding when it could
    /// not be replayed; a single NotApplicable finding when the capture held no request. Evidence cites the replay
    /// recorder's records (the request sent and the answers), with the recorded value as expected and the live one as actual.
    /// </summary>
    /// <param name="deviceId">The device's id (e.g. its endpoint reference address).</param>
    public IReadOnlyList<Finding> ToFindings(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        if (Requests.Count == 0)
        {
            return [new Finding(RuleId, deviceId, Verdict.NotApplicable, EmptyNote(), Evidence.None)];
        }

        var findings = new List<Finding>();
        foreach (var request in Requests)
        {
            var records = request.LiveSequences;
            if (request.Error is not null)
            {
                findings.Add(new Finding(RuleId, deviceId, Verdict.Error, $"{request.Label} could not be replayed: {request.Error}", new Evidence(records)));
                continue;
            }

            if (request.Differences.Count == 0)
            {
                var what = request.LiveAnswers.Count == 0 ? "silent, as recorded" : "answered as recorded";
                findings.Add(new Finding(RuleId, deviceId, Verdict.Pass, $"{request.Label} {what}.", new Evidence(records)));
                continue;
            }

            foreach (var difference in request.Differences)
            {
                var verdict = difference.Severity switch
                {
                    ViolationSeverity.Error => Verdict.Fail,
                    ViolationSeverity.Warning => Verdict.Warn,
                    _ => Verdict.Info,
                };
                findings.Add(new Finding(
                    RuleId,
                    deviceId,
                    verdict,
                    $"{request.Label}: {difference.Describe()}",
                    new Evidence(records, Actual: NullIfEmpty(difference.Live), Expected: NullIfEmpty(difference.Recorded), Location: difference.Path)));
            }
        }

        return findings;
    }

    /// <summary>Plain text for the console: a summary line, a line per request, a line per difference, the notes.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var same = Requests.Count(r => r.AnsweredAsRecorded);
        text.Append(CultureInfo.InvariantCulture, $"Replay to {Target}: {Requests.Count} request(s), {same} as recorded, {Requests.Count - same} different or failed");
        text.Append(CultureInfo.InvariantCulture, $" ({Count(ViolationSeverity.Error)} error(s), {Count(ViolationSeverity.Warning)} warning(s), {Count(ViolationSeverity.Info)} info)");
        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Capture: {Capture.RecordsExamined} record(s), {Capture.Messages} WS-Discovery message(s), {Capture.Malformed} malformed, {Capture.Ignored} ignored, {Capture.Repeats} repeat(s)");
        text.AppendLine();
        foreach (var request in Requests)
        {
            text.Append(CultureInfo.InvariantCulture, $"  #{request.Index} {request.Label}");
            if (request.SentTo is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" -> {request.SentTo}");
            }

            text.Append(": ");
            if (request.Error is not null)
            {
                text.Append("NOT REPLAYED: ").Append(SafeText.Line(request.Error));
            }
            else if (request.Differences.Count == 0)
            {
                text.Append(request.LiveAnswers.Count == 0 ? "silent, as recorded" : "as recorded");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{request.Differences.Count} difference(s)");
            }

            text.AppendLine();
            foreach (var difference in request.Differences)
            {
                text.Append(CultureInfo.InvariantCulture, $"      {Label(difference.Severity),-7} {difference.Kind,-15} {difference.Describe()}");
                text.AppendLine();
            }
        }

        if (Requests.Count == 0)
        {
            text.Append("  ").Append(EmptyNote()).AppendLine();
        }

        foreach (var note in Notes)
        {
            text.Append("  note: ").Append(SafeText.Line(note, 512)).AppendLine();
        }

        return text.ToString();
    }

    private string EmptyNote() => string.Create(
        CultureInfo.InvariantCulture,
        $"The capture holds no Probe or Resolve to replay ({Capture.RecordsExamined} record(s) examined, {Capture.Messages} WS-Discovery message(s), {Capture.Malformed} malformed, {Capture.Ignored} ignored).");

    private static string Label(ViolationSeverity severity) => severity switch
    {
        ViolationSeverity.Error => "ERROR",
        ViolationSeverity.Warning => "WARNING",
        _ => "INFO",
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
