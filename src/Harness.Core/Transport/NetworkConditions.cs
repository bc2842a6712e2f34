namespace Harness.Core.Transport;

/// <summary>
/// What an <see cref="InMemoryNetwork"/> does to each datagram on its way to each receiver. Everything is drawn
/// from the network's seeded <see cref="Random"/> and timed by its <see cref="TimeProvider"/>.
/// </summary>
/// <param name="LossRate">Share of deliveries lost, 0–1.</param>
/// <param name="Delay">Time every delivery takes (default none: delivered at once, inside the send).</param>
/// <param name="Jitter">Extra delay, drawn uniformly from [0, Jitter] per delivery; reorders datagrams sent close together.</param>
/// <param name="DuplicateRate">Share of deliveries that arrive twice (each copy gets its own delay), 0–1.</param>
/// <param name="ReorderRate">
/// Share of deliveries that skip <paramref name="Delay"/> and <paramref name="Jitter"/> and arrive at once,
/// overtaking datagrams still in flight (as Linux netem's <c>reorder</c>). Needs a delay to have an effect.
/// </param>
public sealed record NetworkConditions(
    double LossRate = 0,
    TimeSpan Delay = default,
    TimeSpan Jitter = default,
    double DuplicateRate = 0,
    double ReorderRate = 0)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    /// <summary>No loss, no delay, no duplicates, no reordering.</summary>
    public static NetworkConditions Perfect { get; } = new();

    /// <summary>Share of deliveries lost, 0–1.</summary>
    public double LossRate { get; init => field = CheckRate(value, nameof(LossRate)); } = CheckRate(LossRate, nameof(LossRate));

    /// <summary>Time every delivery takes, from zero to one day.</summary>
    public TimeSpan Delay { get; init => field = CheckDelay(value, nameof(Delay)); } = CheckDelay(Delay, nameof(Delay));

    /// <summary>Extra delay drawn uniformly from [0, Jitter] per delivery, from zero to one day.</summary>
    public TimeSpan Jitter { get; init => field = CheckDelay(value, nameof(Jitter)); } = CheckDelay(Jitter, nameof(Jitter));

    /// <summary>Share of deliveries that arrive twice, 0–1.</summary>
    public double DuplicateRate { get; init => field = CheckRate(value, nameof(DuplicateRate)); } = CheckRate(DuplicateRate, nameof(DuplicateRate));

    /// <summary>Share of deliveries that skip the delay and overtake those in flight, 0–1.</summary>
    public double ReorderRate { get; init => field = CheckRate(value, nameof(ReorderRate)); } = CheckRate(ReorderRate, nameof(ReorderRate));

    private static double CheckRate(double value, string name) =>
        double.IsNaN(value) || value < 0 || value > 1
            ? throw new ArgumentOutOfRangeException(name, value, "A rate is between 0 and 1.")
            : value;

    private static TimeSpan CheckDelay(TimeSpan value, string name) =>
        value < TimeSpan.Zero || value > MaxDelay
            ? throw new ArgumentOutOfRangeException(name, value, "A delay is between zero and one day.")
            : value;
}
