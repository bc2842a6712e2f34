using System.Net;
using System.Security.Cryptography;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Replay;

/// <summary>A request a client sent in a capture (a Probe or a Resolve) and the answers recorded for it.</summary>
/// <param name="Record">The first copy of the request in the capture.</param>
/// <param name="Message">The request as read.</param>
/// <param name="Copies">How many copies (same MessageID) the capture holds: SOAP-over-UDP repeats.</param>
/// <param name="AnswerRecords">
/// The answers (ProbeMatches, ResolveMatches, faults) whose RelatesTo is the request's MessageID, from whoever answered
/// within MATCH_TIMEOUT, one record per logical answer (repeats removed), in capture order.
/// </param>
/// <param name="Answers">The answers as read, in the order of <paramref name="AnswerRecords"/>.</param>
public sealed record CapturedRequest(
    TrafficRecord Record,
    WsdMessage Message,
    int Copies,
    IReadOnlyList<TrafficRecord> AnswerRecords,
    IReadOnlyList<WsdMessage> Answers)
{
    /// <summary>The request's MessageID.</summary>
    public string MessageId => Message.Header.MessageId ?? string.Empty;

    /// <summary>"Probe" or "Resolve".</summary>
    public string Kind => ReplayComparer.KindOf(Message);

    /// <summary>True when the request was sent to a multicast group.</summary>
    public bool WasMulticast => Record.Destination.Address.IsMulticast();
}

/// <summary>
/// What a capture holds for an active replay: the requests in capture order with their recorded answers, and counts
/// of what was skipped. Pure: a function of the records. Streams the records once and keeps only requests, their
/// answers and a bounded set of seen ids.
/// </summary>
public sealed class ReplayCapture
{
    private ReplayCapture()
    {
    }

    /// <summary>The requests found, in capture order, at most <see cref="ActiveReplayOptions.MaxRequests"/>.</summary>
    public IReadOnlyList<CapturedRequest> Requests { get; private set; } = [];

    /// <summary>How many records were examined.</summary>
    public long RecordsExamined { get; private set; }

    /// <summary>How many records were read as WS-Discovery messages.</summary>
    public long Messages { get; private set; }

    /// <summary>How many records of the selected protocol could not be read as WS-Discovery (skipped).</summary>
    public long Malformed { get; private set; }

    /// <summary>How many records were skipped as another protocol or transport.</summary>
    public long Ignored { get; private set; }

    /// <summary>How many Probes and Resolves were found (copies counted once), including those not kept.</summary>
    public long RequestsFound { get; private set; }

    /// <summary>How many requests were past <see cref="ActiveReplayOptions.MaxRequests"/> and not kept.</summary>
    public long RequestsOverLimit { get; private set; }

    /// <summary>How many requests had no MessageID (their answers cannot be told apart): not kept.</summary>
    public long RequestsWithoutMessageId { get; private set; }

    /// <summary>How many repeated copies of requests and answers were folded into the first copy.</summary>
    public long Repeats { get; private set; }

    /// <summary>How many answers related to no kept request (or came too late for it).</summary>
    public long UnrelatedAnswers { get; private set; }

    /// <summary>How many other messages (Hello, Bye) were read and not used.</summary>
    public long OtherMessages { get; private set; }

    /// <summary>True when the capture had more than <see cref="ActiveReplayOptions.MaxCapturedRecords"/> records and the rest was not read.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Reads the requests and their recorded answers from captured records.</summary>
    /// <param name="records">The capture's records (e.g. <c>CaptureFile.Records()</c> or a recorder's snapshot), in capture order.</param>
    /// <param name="options">Label, bounds, MATCH_TIMEOUT; <see cref="ActiveReplayOptions.Default"/> when null.</param>
    public static ReplayCapture Scan(IEnumerable<TrafficRecord> records, ActiveReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        options ??= ActiveReplayOptions.Default;
        options.Validate();
        var scan = new ReplayCapture();
        var requests = new List<Builder>();
        var byId = new Dictionary<string, Builder?>(StringComparer.Ordinal);
        var matchTimeout = options.EffectiveMatchTimeout;
        foreach (var record in records)
        {
            if (scan.RecordsExamined >= options.MaxCapturedRecords)
            {
                scan.Truncated = true;
                break;
            }

            scan.RecordsExamined++;
            if (record is null
                || record.Transport != TrafficTransport.Udp
                || (options.Protocol is not null && !string.Equals(record.Protocol, options.Protocol, StringComparison.Ordinal)))
            {
                scan.Ignored++;
                continue;
            }

            var message = WsdMessageReader.Read(record.Payload.Span, options.ReadOptions).Message;
            if (message is null)
            {
                scan.Malformed++;
                continue;
            }

            scan.Messages++;
            switch (message)
            {
                case WsdProbe or WsdResolve:
                    scan.OnRequest(record, message, requests, byId, options);
                    break;
                case WsdProbeMatches or WsdResolveMatches or WsdFault:
                    scan.OnAnswer(record, message, byId, matchTimeout, options);
                    break;
                default:
                    scan.OtherMessages++;
                    break;
            }
        }

        scan.Requests = [.. requests.Select(b => new CapturedRequest(b.Record, b.Message, b.Copies, b.AnswerRecords, b.Answers))];
        return scan;
    }

    /// <summary>The key that tells a repeat of a datagram from a new one: sender and MessageID, else sender and content.</summary>
    internal static string RepeatKey(IPEndPoint source, WsdMessage message, ReadOnlySpan<byte> payload) =>
        message.Header.MessageId is { Length: > 0 } id
            ? source + "|" + id
            : source + "|#" + Convert.ToHexString(SHA256.HashData(payload));

    private void OnRequest(TrafficRecord record, WsdMessage message, List<Builder> requests, Dictionary<string, Builder?> byId, ActiveReplayOptions options)
    {
        if (message.Header.MessageId is not { Length: > 0 } id)
        {
            RequestsFound++;
            RequestsWithoutMessageId++;
            return;
        }

        if (byId.TryGetValue(id, out var known))
        {
            Repeats++;
            if (known is not null)
            {
                known.Copies++;
            }

            return;
        }

        RequestsFound++;
        if (requests.Count >= options.MaxRequests)
        {
            RequestsOverLimit++;
            if (byId.Count < options.MaxRequests * 16)
            {
                byId[id] = null; // remembered so that its repeats and answers are not miscounted; bounded
            }

            return;
        }

        var builder = new Builder(record, message);
        requests.Add(builder);
        byId[id] = builder;
    }

    private void OnAnswer(TrafficRecord record, WsdMessage message, Dictionary<string, Builder?> byId, TimeSpan matchTimeout, ActiveReplayOptions options)
    {
        if (message.Header.RelatesTo is not { Length: > 0 } relatesTo || !byId.TryGetValue(relatesTo, out var request))
        {
            UnrelatedAnswers++;
            return;
        }

        if (request is null)
        {
            return; // an answer to a request over the limit
        }

        var after = record.Timestamp - request.Record.Timestamp;
        if (after > matchTimeout || after < -TimeSpan.FromSeconds(1))
        {
            UnrelatedAnswers++;
            return;
        }

        var key = RepeatKey(record.Source, message, record.Payload.Span);
        if (request.Seen.Contains(key))
        {
            Repeats++;
            return;
        }

        if (request.Answers.Count >= options.MaxRecordedAnswersPerRequest)
        {
            UnrelatedAnswers++;
            return;
        }

        request.Seen.Add(key);
        request.AnswerRecords.Add(record);
        request.Answers.Add(message);
    }

    private sealed class Builder(TrafficRecord record, WsdMessage message)
    {
        public TrafficRecord Record { get; } = record;

        public WsdMessage Message { get; } = message;

        public int Copies { get; set; } = 1;

        public List<TrafficRecord> AnswerRecords { get; } = [];

        public List<WsdMessage> Answers { get; } = [];

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
    }
}
