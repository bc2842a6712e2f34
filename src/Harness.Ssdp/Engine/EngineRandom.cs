namespace Harness.Ssdp.Engine;

/// <summary>The one seeded <see cref="Random"/> of an engine, shared behind a lock.</summary>
internal sealed class EngineRandom(int seed)
{
    private readonly Lock _gate = new();
#pragma warning disable CA5394 // Protocol jitter, not security.
    private readonly Random _random = new(seed);

    /// <summary>A seed from the system's secure generator, for engines whose options set none.</summary>
    public static int FreshSeed() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>A delay drawn uniformly from [min, max] at millisecond resolution.</summary>
    public TimeSpan NextDelay(TimeSpan min, TimeSpan max)
    {
        if (max <= min)
        {
            return min;
        }

        lock (_gate)
        {
            return min + TimeSpan.FromMilliseconds(Math.Floor(_random.NextDouble() * (max - min).TotalMilliseconds));
        }
    }

    /// <summary>Delays drawn uniformly from [0, max], sorted.</summary>
    public TimeSpan[] NextSortedDelays(int count, TimeSpan max)
    {
        var delays = new TimeSpan[count];
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                delays[i] = TimeSpan.FromMilliseconds(Math.Floor(_random.NextDouble() * max.TotalMilliseconds));
            }
        }

        Array.Sort(delays);
        return delays;
    }
#pragma warning restore CA5394
}
