using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Conformance.Replay;

/// <summary>
/// Active capture replay for WS-Discovery: finds the Probes and Resolves a client sent in a capture (with the answers
/// recorded for them), sends each again to a live target with a fresh MessageID, collects the target's answers for a
/// window, and compares them with the recorded ones by meaning (<see cref="ReplayComparer"/>). Requests are replayed one
/// after another, each in its own window.
/// </summary>
/// <remarks>
/// <para>Everything sent and received goes into the recorder (label <see cref="ActiveReplayOptions.Protocol"/>, or
/// <c>wsd</c>), so a pcapng of the replay session can be written from it. The transport must therefore not record by
/// itself, and nothing else may receive from it during a run. The caller owns the transport.</para>
/// <para>A live answer is one whose RelatesTo is the MessageID sent. One that relates to the captured MessageID, or to
/// none, is compared too and reported as a RelatesTo error; one that relates to an earlier replayed request is that
/// request's late answer; repeats (same sender and MessageID) count once.</para>
/// </remarks>
public sealed class ActiveReplay
{
    private readonly IDatagramTransport _transport;
    private readonly TrafficRecorder _recorder;
    private readonly ActiveReplayOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a replay.</summary>
    /// <param name="transport">Sends and receives (UDP on the right interface, or an in-memory network); not recording by itself.</param>
    /// <param name="recorder">Where the replay session is recorded.</param>
    /// <param name="options">Windows, limits, comparison; <see cref="ActiveReplayOptions.Default"/> when null.</param>
    /// <param name="timeProvider">The clock the windows run on; the recorder's when null.</param>
    /// <param name="logger">Logging.</param>
    public ActiveReplay(IDatagramTransport transport, TrafficRecorder recorder, ActiveReplayOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(recorder);
        _options = options ?? ActiveReplayOptions.Default;
        _options.Validate();
        _transport = transport;
        _recorder = recorder;
        _timeProvider = timeProvider ?? recorder.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The options in effect.</summary>
    public ActiveReplayOptions Options => _options;

    /// <summary>Replays the requests of a capture to a target and compares the answers.</summary>
    /// <param name="captured">The capture's records, in capture order (e.g. <c>CaptureFile.Records()</c>); read once.</param>
    /// <param name="target">
    /// The target's unicast endpoint (e.g. <c>192.168.1.20:3702</c>). A multicast endpoint sends every request to that
    /// group and compares every responder's answers.
    /// </param>
    /// <param name="cancellationToken">Stops the replay (throws <see cref="OperationCanceledException"/>).</param>
    public async Task<ReplayReport> RunAsync(IEnumerable<TrafficRecord> captured, IPEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(captured);
        ArgumentNullException.ThrowIfNull(target);
        var capture = ReplayCapture.Scan(captured, _options);
        var startedAt = _timeProvider.GetUtcNow();
        var start = _timeProvider.GetTimestamp();
        ReplayLog.Started(_logger, target, capture.Requests.Count, capture.RecordsExamined, capture.Malformed);
        var session = new Session(new Random(_options.Seed ?? unchecked((int)(start ^ (start >> 32)))), capture.Requests.Select(r => r.MessageId));
        var states = new List<RequestState>();
        var notSent = 0;
        for (var i = 0; i < capture.Requests.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var elapsed = _timeProvider.GetElapsedTime(start);
            if (elapsed >= _options.MaxDuration)
            {
                notSent = capture.Requests.Count - i;
                ReplayLog.Stopped(_logger, elapsed, notSent);
                break;
            }

            var state = new RequestState(i, capture.Requests[i]);
            states.Add(state);
            await ReplayOneAsync(state, target, session, cancellationToken).ConfigureAwait(false);
        }

        var requests = states.Select(s => Complete(s, target)).ToList();
        foreach (var request in requests.Where(r => r.LiveRequest is not null))
        {
            ReplayLog.Replayed(_logger, request.Captured.Kind, request.OriginalSequence, request.ReplayedMessageId!, request.SentTo!, request.LiveAnswers.Count, request.Differences.Count);
        }

        var report = new ReplayReport
        {
            Target = target,
            StartedAt = startedAt,
            EndedAt = _timeProvider.GetUtcNow(),
            Capture = capture,
            Requests = requests,
            RequestsNotSent = notSent,
            LiveRepeats = session.Repeats,
            LiveUnrelated = session.Unrelated,
            LiveOther = session.Other,
            Notes = Notes(capture, notSent, states),
        };
        ReplayLog.Finished(_logger, target, requests.Count, report.Count(Core.Diagnostics.ViolationSeverity.Error), report.Count(Core.Diagnostics.ViolationSeverity.Warning));
        return report;
    }

    private async Task ReplayOneAsync(RequestState state, IPEndPoint target, Session session, CancellationToken cancellationToken)
    {
        var captured = state.Captured;
        string messageId;
        do
        {
            // Never the captured id (a device that remembers it would drop the request as a repeat), never one used before.
            messageId = NextMessageId(session.Random);
        }
        while (session.CapturedIds.Contains(messageId) || session.ByMessageId.ContainsKey(messageId));

        var encoded = RequestRewriter.Rewrite(captured.Record.Payload.Span, captured.Message, messageId, _options.PreserveRequestBytes, _options.ReadOptions);
        if (encoded is not { } request)
        {
            state.Error = "the request cannot be written again with a new MessageID";
            return;
        }

        var multicast = target.Address.IsMulticast() || (_options.MulticastAsRecorded && captured.WasMulticast);
        var destination = target.Address.IsMulticast() ? target
            : multicast ? _options.MulticastEndPoint ?? captured.Record.Destination
            : target;
        state.Multicast = multicast;
        state.SentTo = destination;
        state.Encoding = request.Encoding;
        try
        {
            await _transport.SendAsync(request.Payload, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            ReplayLog.SendFailed(_logger, ex, captured.Kind, captured.Record.Sequence, destination);
            state.Error = "sending failed: " + (ex is SocketException socket ? socket.SocketErrorCode.ToString() : ex.Message);
            return;
        }

        state.MessageId = messageId;
        state.LiveRequest = _recorder.Record(TrafficDirection.Outbound, TrafficTransport.Udp, SourceFor(destination), destination, request.Payload, Label);
        session.ByMessageId[messageId] = state;
        await CollectAsync(state, multicast ? _options.EffectiveMulticastWindow : _options.UnicastWindow, session, cancellationToken).ConfigureAwait(false);
    }

    private async Task CollectAsync(RequestState state, TimeSpan window, Session session, CancellationToken cancellationToken)
    {
        using var windowSource = new CancellationTokenSource(window, _timeProvider);
        using var quietSource = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowSource.Token, quietSource.Token);
        var datagrams = 0;
        try
        {
            while (datagrams < _options.MaxDatagramsPerRequest)
            {
                var datagram = await _transport.ReceiveAsync(linked.Token).ConfigureAwait(false);
                datagrams++;
                var record = _recorder.Record(
                    TrafficDirection.Inbound,
                    TrafficTransport.Udp,
                    datagram.Source,
                    datagram.Destination,
                    datagram.Payload.Span,
                    Label,
                    datagram.ReceivedAt);
                if (Classify(record, state, session) && _options.QuietPeriod is { } quiet)
                {
                    quietSource.CancelAfter(quiet);
                }
            }

            state.WindowLimitReached = true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The window (or the quiet period after the last answer) closed: what arrived is the answer.
        }
    }

    /// <summary>Sorts a live datagram; true when it is an answer to the current request.</summary>
    private bool Classify(TrafficRecord record, RequestState state, Session session)
    {
        var message = WsdMessageReader.Read(record.Payload.Span, _options.ReadOptions).Message;
        if (message is null)
        {
            state.Unreadable++;
            return false;
        }

        if (!ReplayComparer.IsAnswer(message))
        {
            session.Other++;
            return false;
        }

        if (!session.Seen.Add(ReplayCapture.RepeatKey(record.Source, message, record.Payload.Span)))
        {
            session.Repeats++;
            return false;
        }

        var relatesTo = message.Header.RelatesTo;
        if (string.Equals(relatesTo, state.MessageId, StringComparison.Ordinal))
        {
            state.Live.Add((record, message));
            return true;
        }

        if (relatesTo is { Length: > 0 } && session.ByMessageId.TryGetValue(relatesTo, out var earlier))
        {
            earlier.Late.Add(record);
            return false;
        }

        if (string.IsNullOrEmpty(relatesTo) || string.Equals(relatesTo, state.Captured.MessageId, StringComparison.Ordinal))
        {
            state.Live.Add((record, message));
            state.WrongRelatesTo.Add(relatesTo ?? string.Empty);
            return true;
        }

        session.Unrelated++;
        return false;
    }

    private ReplayedRequest Complete(RequestState state, IPEndPoint target)
    {
        var captured = state.Captured;
        var compared = RecordedToCompare(captured, target, state.Multicast);
        var differences = new List<ReplayDifference>();
        if (state.Error is null)
        {
            var ignoreHosts = _options.XAddrHosts switch
            {
                XAddrHostComparison.Ignore => true,
                XAddrHostComparison.IgnoreWhenTargetMoved => !target.Address.IsMulticast() && !compared.Any(a => HasXAddrOn(a.Message, target.Address)),
                _ => false,
            };
            differences.AddRange(ReplayComparer.Compare(
                [.. compared.Select(a => a.Message)],
                [.. state.Live.Select(l => l.Message)],
                new ReplayCompareOptions { IgnoreXAddrHosts = ignoreHosts }));
            foreach (var wrong in state.WrongRelatesTo.Distinct(StringComparer.Ordinal))
            {
                differences.Add(new ReplayDifference(ReplayDifferenceKind.RelatesTo, "wsa:RelatesTo", state.MessageId ?? string.Empty, wrong, Core.Diagnostics.ViolationSeverity.Error));
            }

            if (state.Unreadable > 0)
            {
                differences.Add(new ReplayDifference(
                    ReplayDifferenceKind.Unreadable,
                    "(datagram)",
                    string.Empty,
                    state.Unreadable.ToString(CultureInfo.InvariantCulture) + " unreadable datagram(s)",
                    Core.Diagnostics.ViolationSeverity.Warning));
            }

            if (state.Late.Count > 0)
            {
                differences.Add(new ReplayDifference(
                    ReplayDifferenceKind.LateAnswer,
                    "(window)",
                    string.Empty,
                    state.Late.Count.ToString(CultureInfo.InvariantCulture) + " answer(s) after the window",
                    Core.Diagnostics.ViolationSeverity.Info));
            }
        }

        return new ReplayedRequest
        {
            Index = state.Index,
            Captured = captured,
            ComparedRecordedAnswers = [.. compared.Select(a => a.Record)],
            ReplayedMessageId = state.MessageId,
            SentTo = state.SentTo,
            Encoding = state.Encoding,
            LiveRequest = state.LiveRequest,
            LiveAnswers = [.. state.Live.Select(l => l.Record)],
            LateAnswers = [.. state.Late],
            UnreadableDatagrams = state.Unreadable,
            Error = state.Error,
            Differences = [.. differences.OrderByDescending(d => d.Severity)],
        };
    }

    private List<(TrafficRecord Record, WsdMessage Message)> RecordedToCompare(CapturedRequest captured, IPEndPoint target, bool multicast)
    {
        var all = captured.AnswerRecords.Zip(captured.Answers, (r, m) => (Record: r, Message: m)).ToList();
        if (_options.RecordedEndpoint is { } endpoint)
        {
            return [.. all.Select(a => (a.Record, Message: OnlyEndpoint(a.Message, endpoint, a.Record.Source.Address, target.Address)))
                .Where(a => a.Message is not null)
                .Select(a => (a.Record, a.Message!))];
        }

        if (_options.RecordedResponder is { } responder)
        {
            return [.. all.Where(a => SameAddress(a.Record.Source.Address, responder))];
        }

        if (multicast)
        {
            return all;
        }

        var fromTarget = all.Where(a => SameAddress(a.Record.Source.Address, target.Address)).ToList();
        return fromTarget.Count > 0 ? fromTarget : all;
    }

    // The part of a recorded answer that speaks for one endpoint reference, or null when none of it does.
    private static WsdMessage? OnlyEndpoint(WsdMessage message, string endpoint, IPAddress source, IPAddress target)
    {
        bool Same(WsdEndpointData data) => string.Equals(data.Endpoint.Address.Trim(), endpoint.Trim(), StringComparison.OrdinalIgnoreCase);
        return message switch
        {
            WsdProbeMatches probeMatches => probeMatches.Matches.Where(Same).ToList() is { Count: > 0 } mine ? probeMatches with { Matches = mine } : null,
            WsdResolveMatches { Match: { } match } => Same(match) ? message : null,
            _ => SameAddress(source, target) ? message : null,
        };
    }

    private static bool HasXAddrOn(WsdMessage message, IPAddress address)
    {
        IEnumerable<WsdEndpointData> matches = message switch
        {
            WsdProbeMatches probeMatches => probeMatches.Matches,
            WsdResolveMatches { Match: { } match } => [match],
            _ => [],
        };
        foreach (var xaddr in matches.SelectMany(m => m.XAddrs))
        {
            if (Uri.TryCreate(xaddr, UriKind.Absolute, out var uri)
                && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var host)
                && SameAddress(host, address))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameAddress(IPAddress a, IPAddress b) => Normalize(a).Equals(Normalize(b));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string NextMessageId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes).ToString("D");
    }

    private List<string> Notes(ReplayCapture capture, int notSent, List<RequestState> states)
    {
        var notes = new List<string>();
        if (capture.Requests.Count == 0)
        {
            notes.Add("The capture holds no Probe or Resolve with a MessageID: nothing was replayed.");
        }

        if (capture.Malformed > 0)
        {
            notes.Add($"{capture.Malformed} captured datagram(s) could not be read as WS-Discovery and were skipped.");
        }

        if (capture.RequestsWithoutMessageId > 0)
        {
            notes.Add($"{capture.RequestsWithoutMessageId} captured request(s) had no MessageID and were skipped.");
        }

        if (capture.RequestsOverLimit > 0)
        {
            notes.Add($"{capture.RequestsOverLimit} captured request(s) were over the request limit and were not replayed.");
        }

        if (capture.Truncated)
        {
            notes.Add($"Only the first {capture.RecordsExamined} captured records were read (record limit).");
        }

        foreach (var state in states.Where(s => s.WindowLimitReached))
        {
            notes.Add($"Request #{state.Index}: the window closed early after {_options.MaxDatagramsPerRequest} datagrams (limit).");
        }

        if (notSent > 0)
        {
            notes.Add($"{notSent} request(s) were not sent: the replay ran out of time.");
        }

        return notes;
    }

    private string Label => _options.Protocol ?? "wsd";

    private IPEndPoint SourceFor(IPEndPoint destination)
    {
        var local = _transport.LocalEndPoint;
        if (!local.Address.Equals(IPAddress.Any) && !local.Address.Equals(IPAddress.IPv6Any))
        {
            return local;
        }

        var address = (_transport as ILocalAddressSelector)?.SelectLocalAddress(destination.Address);
        return address is null ? local : new IPEndPoint(address, local.Port);
    }

    private sealed class Session(Random random, IEnumerable<string> capturedIds)
    {
        public Random Random { get; } = random;

        public HashSet<string> CapturedIds { get; } = new(capturedIds, StringComparer.Ordinal);

        public Dictionary<string, RequestState> ByMessageId { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public long Repeats { get; set; }

        public long Unrelated { get; set; }

        public long Other { get; set; }
    }

    private sealed class RequestState(int index, CapturedRequest captured)
    {
        public int Index { get; } = index;

        public CapturedRequest Captured { get; } = captured;

        public string? MessageId { get; set; }

        public IPEndPoint? SentTo { get; set; }

        public bool Multicast { get; set; }

        public ReplayRequestEncoding? Encoding { get; set; }

        public TrafficRecord? LiveRequest { get; set; }

        public List<(TrafficRecord Record, WsdMessage Message)> Live { get; } = [];

        public List<TrafficRecord> Late { get; } = [];

        public List<string> WrongRelatesTo { get; } = [];

        public int Unreadable { get; set; }

        public bool WindowLimitReached { get; set; }

        public string? Error { get; set; }
    }
}
