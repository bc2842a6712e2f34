using System.Runtime.CompilerServices;
using Harness.Conformance.Model;
using Harness.Core.Recording;

namespace Harness.Conformance.Engine;

/// <summary>
/// One view per session (a protocol's parsed reading of its records), rebuilt when a live session grew: the cache the
/// protocol views (<c>WsdView</c>, <c>SsdpView</c>, <c>DpwsView</c>) share. Weak on the session, thread-safe.
/// </summary>
/// <typeparam name="TView">The view type.</typeparam>
internal sealed class SessionViewCache<TView>
    where TView : class
{
    private readonly ConditionalWeakTable<ObservedSession, Entry> _cache = new();
    private readonly Lock _gate = new();

    /// <summary>The cached view of <paramref name="session"/> when its records did not change since, else a new one from <paramref name="build"/>.</summary>
    public TView Get(ObservedSession session, Func<IReadOnlyList<TrafficRecord>, TView> build)
    {
        ArgumentNullException.ThrowIfNull(session);
        var records = session.Records;
        lock (_gate)
        {
            var lastSequence = records.Count > 0 ? records[^1].Sequence : -1;
            if (_cache.TryGetValue(session, out var cached)
                && cached.RecordCount == records.Count
                && cached.LastSequence == lastSequence)
            {
                return cached.View;
            }

            var view = build(records);
            _cache.AddOrUpdate(session, new Entry(records.Count, lastSequence, view));
            return view;
        }
    }

    private sealed record Entry(int RecordCount, long LastSequence, TView View);
}
