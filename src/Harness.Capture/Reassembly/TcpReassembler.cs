using System.Globalization;
using System.Net;
using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>
/// Puts TCP segments back into the byte streams they carried, per connection (4-tuple) and per direction:
/// in sequence-number order (with 32-bit wrap-around), retransmitted and overlapping bytes delivered once,
/// out-of-order segments held (bounded) until the missing bytes arrive. A SYN sets the start of a direction;
/// a direction whose SYN was not captured starts at its first data. FIN ends a direction once its data is in;
/// RST ends the connection. Each in-order run becomes one <see cref="TcpStreamChunk"/>, so a protocol parser
/// can consume each direction as a stream.
/// </summary>
/// <remarks>
/// Memory is bounded by <see cref="TcpReassemblerOptions"/>: when a direction holds too much out-of-order data
/// (or all connections together do), the missing bytes are given up, counted as a gap, and the held data
/// delivered; when too many connections are open, the least recently active one is flushed and dropped.
/// Not thread-safe.
/// </remarks>
public sealed class TcpReassembler
{
    private readonly TcpReassemblerOptions _options;
    private readonly CaptureDiagnostics _diagnostics;
    private readonly Dictionary<EndpointPair, Connection> _connections = [];
    private readonly LinkedList<Connection> _byActivity = new();
    private long _bufferedTotal;

    /// <summary>Creates a reassembler.</summary>
    /// <param name="diagnostics">Where gaps, retransmissions and evictions are counted and reported.</param>
    /// <param name="options">Bounds; <see cref="TcpReassemblerOptions.Default"/> when null.</param>
    public TcpReassembler(CaptureDiagnostics diagnostics, TcpReassemblerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        _diagnostics = diagnostics;
        _options = options ?? TcpReassemblerOptions.Default;
    }

    /// <summary>How many connections are tracked now.</summary>
    public int FlowCount => _connections.Count;

    /// <summary>How many out-of-order bytes are held now, over all connections.</summary>
    public long BufferedBytes => _bufferedTotal;

    /// <summary>Takes one segment; adds to <paramref name="output"/> the chunks it completes.</summary>
    public void Process(in TcpSegment segment, ICollection<TcpStreamChunk> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var flags = segment.Flags;
        var syn = (flags & TcpFlags.Syn) != 0;
        var key = EndpointPair.Create(segment.Source, segment.Destination, out var fromFirst);
        if (!_connections.TryGetValue(key, out var connection))
        {
            if (!syn && segment.Payload.IsEmpty)
            {
                // A FIN, RST or ACK of a connection that is not tracked: nothing to deliver.
                return;
            }

            connection = Open(key, output);
        }
        else
        {
            _byActivity.Remove(connection.Node);
            _byActivity.AddLast(connection.Node);
        }

        var half = fromFirst ? connection.FromFirst : connection.FromSecond;
        half.Source ??= segment.Source;
        half.Destination ??= segment.Destination;
        half.Direction = segment.Direction;

        if ((flags & TcpFlags.Rst) != 0)
        {
            Close(connection, output);
            return;
        }

        var dataSequence = segment.SequenceNumber;
        if (syn)
        {
            dataSequence++;
            if (half.Started && dataSequence != half.Next)
            {
                if (connection.Closed || half.Delivered > 0 || half.Finished)
                {
                    // A new connection on the same 4-tuple (port reuse): finish the old one first.
                    Remove(connection, output);
                    connection = Open(key, output);
                    half = fromFirst ? connection.FromFirst : connection.FromSecond;
                    half.Source = segment.Source;
                    half.Destination = segment.Destination;
                    half.Direction = segment.Direction;
                }
                else
                {
                    // A new SYN before any data was delivered: the new initial sequence number rules.
                    Discard(half);
                    half.Started = false;
                }
            }

            if (!half.Started)
            {
                half.Started = true;
                half.Next = dataSequence;
            }
        }

        if (!half.Started)
        {
            if (segment.Payload.IsEmpty)
            {
                return;
            }

            // The SYN was not captured: the stream starts at the first data seen.
            half.Started = true;
            half.Next = dataSequence;
            _diagnostics.TcpMidStreamStarts++;
        }

        if (!segment.Payload.IsEmpty)
        {
            Accept(half, dataSequence, segment.Payload, segment.Timestamp, output);
        }

        if ((flags & TcpFlags.Fin) != 0 && !half.FinSeen)
        {
            half.FinSeen = true;
            half.FinSequence = dataSequence + (uint)segment.Payload.Length;
        }

        if (half.FinSeen && half.Next == half.FinSequence)
        {
            half.Finished = true;
        }

        var other = fromFirst ? connection.FromSecond : connection.FromFirst;
        if (half.Finished && (other.Finished || !other.Started))
        {
            // Kept (closed) so that late retransmissions are recognised; dropped silently when room is needed.
            Close(connection, output);
        }
    }

    /// <summary>Ends every connection: held data is delivered after its gaps. Call at the end of a capture.</summary>
    public void Complete(ICollection<TcpStreamChunk> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (_byActivity.First is { } node)
        {
            Remove(node.Value, output);
        }
    }

    private static string Describe(Half half) =>
        string.Create(CultureInfo.InvariantCulture, $"{half.Source} → {half.Destination}");

    private Connection Open(EndpointPair key, ICollection<TcpStreamChunk> output)
    {
        while (_connections.Count >= _options.MaxFlows && _byActivity.First is { } oldest)
        {
            Evict(oldest.Value, output);
        }

        var connection = new Connection(key);
        connection.Node = _byActivity.AddLast(connection);
        _connections.Add(key, connection);
        _diagnostics.TcpFlows++;
        return connection;
    }

    private void Evict(Connection connection, ICollection<TcpStreamChunk> output)
    {
        if (!connection.Closed)
        {
            _diagnostics.TcpFlowsEvicted++;
            _diagnostics.Report(CaptureIssueKind.TcpFlowEvicted, -1, null,
                string.Create(CultureInfo.InvariantCulture, $"more than {_options.MaxFlows} TCP connections open: the least recently active ({Describe(connection.FromFirst)}) was dropped"));
        }

        Remove(connection, output);
    }

    /// <summary>Ends a connection (RST, or both FINs): held data is delivered after its gaps; the entry stays, closed.</summary>
    private void Close(Connection connection, ICollection<TcpStreamChunk> output)
    {
        Flush(connection.FromFirst, output);
        Flush(connection.FromSecond, output);
        connection.Closed = true;
    }

    private void Remove(Connection connection, ICollection<TcpStreamChunk> output)
    {
        Close(connection, output);
        _connections.Remove(connection.Key);
        _byActivity.Remove(connection.Node);
    }

    private void Discard(Half half)
    {
        _bufferedTotal -= half.BufferedBytes;
        half.BufferedBytes = 0;
        half.Buffered.Clear();
    }

    private void Flush(Half half, ICollection<TcpStreamChunk> output)
    {
        while (half.Buffered.Count > 0)
        {
            SkipToFirstBuffered(half, output);
        }
    }

    private void Accept(Half half, uint sequence, ReadOnlySpan<byte> data, DateTimeOffset timestamp, ICollection<TcpStreamChunk> output)
    {
        var relative = (long)(int)(sequence - half.Next);
        if (relative < 0)
        {
            if (-relative >= data.Length)
            {
                _diagnostics.TcpRetransmittedBytes += data.Length;
                return;
            }

            _diagnostics.TcpRetransmittedBytes += -relative;
            data = data[(int)-relative..];
            relative = 0;
        }

        if (relative == 0)
        {
            Deliver(half, data, timestamp, 0, output);
            return;
        }

        Hold(half, sequence, data, timestamp);
        while (half.Buffered.Count > 0
            && (half.BufferedBytes > _options.MaxBufferedBytesPerDirection
                || half.Buffered.Count > _options.MaxBufferedSegmentsPerDirection
                || _bufferedTotal > _options.MaxBufferedBytesTotal))
        {
            SkipToFirstBuffered(half, output);
        }

        // Other connections' held data counts against the total too: give up the least recently active's.
        for (var node = _byActivity.First; node is not null && _bufferedTotal > _options.MaxBufferedBytesTotal; node = node.Next)
        {
            Flush(node.Value.FromFirst, output);
            Flush(node.Value.FromSecond, output);
        }
    }

    private void Hold(Half half, uint sequence, ReadOnlySpan<byte> data, DateTimeOffset timestamp)
    {
        var relative = (int)(sequence - half.Next);
        var index = half.Buffered.Count;
        while (index > 0 && (int)(half.Buffered[index - 1].Sequence - half.Next) > relative)
        {
            index--;
        }

        if (index > 0)
        {
            var previous = half.Buffered[index - 1];
            if (previous.Sequence == sequence && previous.Data.Length >= data.Length)
            {
                _diagnostics.TcpRetransmittedBytes += data.Length;
                return;
            }
        }

        half.Buffered.Insert(index, new Held(sequence, data.ToArray(), timestamp));
        half.BufferedBytes += data.Length;
        _bufferedTotal += data.Length;
    }

    /// <summary>Gives up the bytes missing before the first held segment and delivers what then is contiguous.</summary>
    private void SkipToFirstBuffered(Half half, ICollection<TcpStreamChunk> output)
    {
        var first = half.Buffered[0];
        var gap = (long)(int)(first.Sequence - half.Next);
        if (gap <= 0)
        {
            // Already contiguous (cannot normally happen): deliver without a gap.
            gap = 0;
        }
        else
        {
            _diagnostics.TcpGaps++;
            _diagnostics.TcpGapBytes += gap;
            _diagnostics.Report(CaptureIssueKind.TcpGap, -1, null,
                string.Create(CultureInfo.InvariantCulture, $"{gap} bytes of the TCP stream {Describe(half)} were not captured (at stream offset {half.StreamOffset})"));
            half.Next = first.Sequence;
            half.StreamOffset += gap;
        }

        Deliver(half, [], first.Timestamp, gap, output);
    }

    /// <summary>Delivers <paramref name="data"/> (which starts at <c>half.Next</c>) and every held segment that then is contiguous, as one chunk.</summary>
    private void Deliver(Half half, ReadOnlySpan<byte> data, DateTimeOffset timestamp, long gap, ICollection<TcpStreamChunk> output)
    {
        var end = half.Next + (uint)data.Length;
        var total = data.Length;
        var take = 0;

        // First pass: how many held segments join, and how long the run is.
        for (; take < half.Buffered.Count; take++)
        {
            var held = half.Buffered[take];
            var start = (int)(held.Sequence - end);
            if (start > 0)
            {
                break;
            }

            var fresh = held.Data.Length + start;
            if (fresh > 0)
            {
                total += fresh;
                end += (uint)fresh;
            }
        }

        var bytes = new byte[total];
        data.CopyTo(bytes);
        var written = data.Length;
        var cursor = half.Next + (uint)data.Length;
        for (var i = 0; i < take; i++)
        {
            var held = half.Buffered[i];
            var skip = (int)(cursor - held.Sequence);
            half.BufferedBytes -= held.Data.Length;
            _bufferedTotal -= held.Data.Length;
            if (skip >= held.Data.Length)
            {
                _diagnostics.TcpRetransmittedBytes += held.Data.Length;
                continue;
            }

            _diagnostics.TcpRetransmittedBytes += skip;
            held.Data.AsSpan(skip).CopyTo(bytes.AsSpan(written));
            written += held.Data.Length - skip;
            cursor += (uint)(held.Data.Length - skip);
            if (held.Timestamp > timestamp)
            {
                timestamp = held.Timestamp;
            }
        }

        half.Buffered.RemoveRange(0, take);
        if (total == 0)
        {
            return;
        }

        output.Add(new TcpStreamChunk(half.Source!, half.Destination!, timestamp, half.Direction, bytes, half.StreamOffset, gap));
        half.Next = end;
        half.StreamOffset += total;
        half.Delivered += total;
        if (half.FinSeen && half.Next == half.FinSequence)
        {
            half.Finished = true;
        }
    }

    private readonly record struct Held(uint Sequence, byte[] Data, DateTimeOffset Timestamp);

    /// <summary>One direction of a connection.</summary>
    private sealed class Half
    {
        public IPEndPoint? Source { get; set; }

        public IPEndPoint? Destination { get; set; }

        public TrafficDirection Direction { get; set; }

        public bool Started { get; set; }

        /// <summary>The sequence number of the next byte to deliver.</summary>
        public uint Next { get; set; }

        public long StreamOffset { get; set; }

        public long Delivered { get; set; }

        public bool FinSeen { get; set; }

        public uint FinSequence { get; set; }

        public bool Finished { get; set; }

        /// <summary>Out-of-order segments, in sequence order relative to <see cref="Next"/>.</summary>
        public List<Held> Buffered { get; } = [];

        public long BufferedBytes { get; set; }
    }

    private sealed class Connection(EndpointPair key)
    {
        public EndpointPair Key { get; } = key;

        public LinkedListNode<Connection> Node { get; set; } = null!;

        public Half FromFirst { get; } = new();

        public Half FromSecond { get; } = new();

        public bool Closed { get; set; }
    }
}
