using System.Net;

namespace Harness.Core.Recording;

/// <summary>
/// Sees every message in and out of the transports it is attached to, with time, direction and endpoints.
/// Thread-safe and bounded: past <see cref="Capacity"/> records the oldest are dropped and counted in
/// <see cref="Dropped"/>, so a long session cannot grow memory without limit.
/// </summary>
public sealed class TrafficRecorder
{
    private readonly Lock _gate = new();
    private readonly Queue<TrafficRecord> _records = new();
    private readonly TimeProvider _timeProvider;
    private long _next;

    /// <summary>Creates a recorder.</summary>
    /// <param name="timeProvider">The clock that stamps records.</param>
    /// <param name="capacity">How many records are kept at most.</param>
    public TrafficRecorder(TimeProvider? timeProvider = null, int capacity = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _timeProvider = timeProvider ?? TimeProvider.System;
        Capacity = capacity;
    }

    /// <summary>Raised (on the recording thread) for each record as it is added.</summary>
    public event Action<TrafficRecord>? Recorded;

    /// <summary>The most records kept.</summary>
    public int Capacity { get; }

    /// <summary>How many records were dropped because the recorder was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>The clock that stamps records.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Records a message, stamping it with the recorder's clock unless a time is given. The payload is copied.</summary>
    public TrafficRecord Record(
        TrafficDirection direction,
        TrafficTransport transport,
        IPEndPoint source,
        IPEndPoint destination,
        ReadOnlySpan<byte> payload,
        string? protocol = null,
        DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        TrafficRecord record;
        lock (_gate)
        {
            record = new TrafficRecord(
                _next++,
                timestamp ?? _timeProvider.GetUtcNow(),
                direction,
                transport,
                source,
                destination,
                payload.ToArray(),
                protocol);
            _records.Enqueue(record);
            if (_records.Count > Capacity)
            {
                _records.Dequeue();
                Dropped++;
            }
        }

        Recorded?.Invoke(record);
        return record;
    }

    /// <summary>A copy of the records kept so far, in order.</summary>
    public IReadOnlyList<TrafficRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }
}
