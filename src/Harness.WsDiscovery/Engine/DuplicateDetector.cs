namespace Harness.WsDiscovery.Engine;

/// <summary>
/// Remembers recently seen message keys (a MessageID, possibly with the sender) so that SOAP-over-UDP
/// retransmissions are handled once (SOAP-over-UDP App. II; checklist WSD-UDP-004/005). Bounded: at most
/// <see cref="Capacity"/> keys (the oldest forgotten first) and each for <see cref="Lifetime"/> from its first
/// sighting, measured on the injected <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
public sealed class DuplicateDetector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, DateTimeOffset Expires)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, DateTimeOffset Expires)> _order = new();
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a detector.</summary>
    /// <param name="timeProvider">The clock expiry is measured on.</param>
    /// <param name="lifetime">How long a key is remembered; must be positive. See <see cref="DefaultLifetime"/>.</param>
    /// <param name="capacity">The most keys kept (at least 1).</param>
    public DuplicateDetector(TimeProvider timeProvider, TimeSpan lifetime, int capacity = 4096)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _timeProvider = timeProvider;
        Lifetime = lifetime;
        Capacity = capacity;
    }

    /// <summary>How long a key is remembered from its first sighting.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The most keys kept.</summary>
    public int Capacity { get; }

    /// <summary>How many keys are remembered now (expired ones included until the next call purges them).</summary>
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

    /// <summary>
    /// The default lifetime for a profile: twice UDP_UPPER_DELAY × the larger repeat count (total sends), so the
    /// cache outlives every retransmission of a message (the spec asks for at least UDP_UPPER_DELAY × REPEAT).
    /// </summary>
    public static TimeSpan DefaultLifetime(SoapOverUdpProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var copies = Math.Max(profile.TotalSends(multicast: true), profile.TotalSends(multicast: false));
        var lifetime = profile.UdpUpperDelay * (2 * Math.Max(1, copies));
        return lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// Records <paramref name="key"/> and tells whether it was already seen within <see cref="Lifetime"/>.
    /// A repeat does not extend the key's lifetime.
    /// </summary>
    /// <returns>True when the key is a duplicate.</returns>
    public bool IsDuplicate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            Purge(now);
            if (_index.ContainsKey(key))
            {
                return true;
            }

            _index[key] = _order.AddLast((key, now + Lifetime));
            while (_index.Count > Capacity)
            {
                var oldest = _order.First!;
                _order.RemoveFirst();
                _index.Remove(oldest.Value.Key);
            }

            return false;
        }
    }

    /// <summary>True when <paramref name="key"/> is remembered and not expired; does not record it.</summary>
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            Purge(_timeProvider.GetUtcNow());
            return _index.ContainsKey(key);
        }
    }

    private void Purge(DateTimeOffset now)
    {
        // Keys are appended in time order with the same lifetime, so the expired ones are at the front.
        while (_order.First is { } first && first.Value.Expires <= now)
        {
            _order.RemoveFirst();
            _index.Remove(first.Value.Key);
        }
    }
}
