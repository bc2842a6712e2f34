using System.Runtime.CompilerServices;
using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>One record of a replay, with when it is due relative to the first record.</summary>
/// <param name="Offset">Time since the first record (never negative, never decreasing).</param>
/// <param name="Record">The record.</param>
public readonly record struct ReplayItem(TimeSpan Offset, TrafficRecord Record);

/// <summary>
/// Yields recorded traffic in capture order with its original relative timing: the primitive for passive
/// replay (the conformance engine feeds recorded messages to the rules as if they were arriving). Offsets are
/// measured from the first record; a record stamped earlier than the one before it (captures are not always in
/// time order) keeps the previous offset, so time never runs backwards. Streams: nothing is buffered.
/// </summary>
public sealed class CaptureReplaySource
{
    private readonly IEnumerable<TrafficRecord> _records;

    /// <summary>Creates a source over records (e.g. <see cref="CaptureFile.Records"/>, or a recorder's snapshot).</summary>
    /// <param name="records">The records, in capture order; enumerated once per replay.</param>
    public CaptureReplaySource(IEnumerable<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = records;
    }

    /// <summary>The records with their offsets, without waiting.</summary>
    public IEnumerable<ReplayItem> Items()
    {
        DateTimeOffset? first = null;
        var last = TimeSpan.Zero;
        foreach (var record in _records)
        {
            first ??= record.Timestamp;
            var offset = record.Timestamp - first.Value;
            if (offset < last)
            {
                offset = last;
            }

            last = offset;
            yield return new ReplayItem(offset, record);
        }
    }

    /// <summary>
    /// Yields each record when it is due on <paramref name="timeProvider"/>'s clock: at the start time plus its
    /// offset divided by <paramref name="speed"/>. With <see cref="double.PositiveInfinity"/> it does not wait.
    /// </summary>
    /// <param name="timeProvider">The clock to pace by (a <c>FakeTimeProvider</c> in tests).</param>
    /// <param name="speed">How much faster than recorded (1 = original pace; greater than 0).</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    public async IAsyncEnumerable<ReplayItem> PlayAsync(
        TimeProvider timeProvider,
        double speed = 1.0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (double.IsNaN(speed) || speed <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "The replay speed must be greater than 0.");
        }

        var start = timeProvider.GetTimestamp();
        foreach (var item in Items())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!double.IsPositiveInfinity(speed))
            {
                var due = TimeSpan.FromTicks((long)Math.Min(item.Offset.Ticks / speed, TimeSpan.MaxValue.Ticks));
                var wait = due - timeProvider.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }

            yield return item;
        }
    }
}
