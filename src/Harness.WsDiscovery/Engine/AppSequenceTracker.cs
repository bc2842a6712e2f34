using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Engine;

/// <summary>What an <see cref="AppSequenceTracker"/> concludes about one message from a target service.</summary>
public enum AppSequenceVerdict
{
    /// <summary>Newer than anything seen from the endpoint (or not comparable): act on it.</summary>
    Fresh,

    /// <summary>The same message again (same instance, sequence, number and MessageID): a retransmission.</summary>
    Repeat,

    /// <summary>Older than what was seen: ignore it (WS-Discovery Appendix I; WSDAPI AppSequence rules).</summary>
    Stale,
}

/// <summary>
/// Remembers, per target-service endpoint address, the newest AppSequence (InstanceId, SequenceId, MessageNumber)
/// and MetadataVersion seen, and judges later messages (checklist WSD-MSG-013). A message is stale when its
/// InstanceId is lower; or, in the same instance and sequence, its MessageNumber is lower, or equal without being
/// a repeat of the same MessageID; or, in the same instance, its MetadataVersion is lower. Messages in another
/// sequence of the same instance are not ordered against each other (Appendix I), so they are fresh. A message
/// without AppSequence cannot be ordered and is fresh. Bounded: at most <see cref="Capacity"/> endpoints (least
/// recently updated forgotten first), at most 8 sequences per endpoint. Thread-safe.
/// </summary>
public sealed class AppSequenceTracker
{
    private const int MaxSequencesPerEndpoint = 8;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<EndpointState>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<EndpointState> _order = new();

    /// <summary>Creates a tracker.</summary>
    /// <param name="capacity">The most endpoints remembered (at least 1).</param>
    public AppSequenceTracker(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most endpoints remembered.</summary>
    public int Capacity { get; }

    /// <summary>How many endpoints are remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Judges a message without remembering it.</summary>
    public AppSequenceVerdict Check(string endpointAddress, WsdAppSequence? sequence, ulong? metadataVersion, string? messageId)
    {
        ArgumentNullException.ThrowIfNull(endpointAddress);
        lock (_gate)
        {
            return _index.TryGetValue(endpointAddress, out var node)
                ? Judge(node.Value, sequence, metadataVersion, messageId)
                : AppSequenceVerdict.Fresh;
        }
    }

    /// <summary>Judges a message and, when it is fresh, remembers its AppSequence and MetadataVersion.</summary>
    public AppSequenceVerdict Observe(string endpointAddress, WsdAppSequence? sequence, ulong? metadataVersion, string? messageId)
    {
        ArgumentNullException.ThrowIfNull(endpointAddress);
        lock (_gate)
        {
            if (!_index.TryGetValue(endpointAddress, out var node))
            {
                node = _order.AddLast(new EndpointState(endpointAddress));
                _index[endpointAddress] = node;
                while (_index.Count > Capacity)
                {
                    var oldest = _order.First!;
                    _order.RemoveFirst();
                    _index.Remove(oldest.Value.Address);
                }
            }
            else
            {
                var verdict = Judge(node.Value, sequence, metadataVersion, messageId);
                if (verdict != AppSequenceVerdict.Fresh)
                {
                    return verdict;
                }

                _order.Remove(node);
                _order.AddLast(node);
            }

            Remember(node.Value, sequence, metadataVersion, messageId);
            return AppSequenceVerdict.Fresh;
        }
    }

    /// <summary>The newest AppSequence remembered for an endpoint, or null.</summary>
    public WsdAppSequence? Last(string endpointAddress)
    {
        ArgumentNullException.ThrowIfNull(endpointAddress);
        lock (_gate)
        {
            return _index.TryGetValue(endpointAddress, out var node) ? node.Value.LastSequence : null;
        }
    }

    /// <summary>Forgets an endpoint.</summary>
    public void Forget(string endpointAddress)
    {
        ArgumentNullException.ThrowIfNull(endpointAddress);
        lock (_gate)
        {
            if (_index.Remove(endpointAddress, out var node))
            {
                _order.Remove(node);
            }
        }
    }

    private static AppSequenceVerdict Judge(EndpointState state, WsdAppSequence? sequence, ulong? metadataVersion, string? messageId)
    {
        if (sequence is null)
        {
            // Not orderable; only a lower metadata version from the same instance could be judged, and there is no instance.
            return AppSequenceVerdict.Fresh;
        }

        if (state.InstanceId is { } instance)
        {
            if (sequence.InstanceId < instance)
            {
                return AppSequenceVerdict.Stale;
            }

            if (sequence.InstanceId > instance)
            {
                return AppSequenceVerdict.Fresh;
            }

            if (metadataVersion is { } version && state.MetadataVersion is { } known && version < known)
            {
                return AppSequenceVerdict.Stale;
            }

            var key = sequence.SequenceId ?? string.Empty;
            if (state.Sequences.TryGetValue(key, out var last))
            {
                if (sequence.MessageNumber < last.Number)
                {
                    return AppSequenceVerdict.Stale;
                }

                if (sequence.MessageNumber == last.Number)
                {
                    return messageId is not null && string.Equals(messageId, last.MessageId, StringComparison.Ordinal)
                        ? AppSequenceVerdict.Repeat
                        : AppSequenceVerdict.Stale;
                }
            }
        }

        return AppSequenceVerdict.Fresh;
    }

    private static void Remember(EndpointState state, WsdAppSequence? sequence, ulong? metadataVersion, string? messageId)
    {
        if (sequence is null)
        {
            if (metadataVersion is { } v && (state.MetadataVersion is null || v > state.MetadataVersion))
            {
                state.MetadataVersion = v;
            }

            return;
        }

        if (state.InstanceId is null || sequence.InstanceId > state.InstanceId)
        {
            state.InstanceId = sequence.InstanceId;
            state.Sequences.Clear();
            state.SequenceOrder.Clear();
            state.MetadataVersion = metadataVersion;
        }
        else if (metadataVersion is { } v && (state.MetadataVersion is null || v > state.MetadataVersion))
        {
            state.MetadataVersion = v;
        }

        var key = sequence.SequenceId ?? string.Empty;
        if (!state.Sequences.ContainsKey(key))
        {
            state.SequenceOrder.Enqueue(key);
            while (state.SequenceOrder.Count > MaxSequencesPerEndpoint)
            {
                state.Sequences.Remove(state.SequenceOrder.Dequeue());
            }
        }

        state.Sequences[key] = (sequence.MessageNumber, messageId);
        state.LastSequence = sequence;
    }

    private sealed class EndpointState(string address)
    {
        public string Address { get; } = address;

        public ulong? InstanceId { get; set; }

        public ulong? MetadataVersion { get; set; }

        public WsdAppSequence? LastSequence { get; set; }

        public Dictionary<string, (ulong Number, string? MessageId)> Sequences { get; } = new(StringComparer.Ordinal);

        public Queue<string> SequenceOrder { get; } = new();
    }
}
