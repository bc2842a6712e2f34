namespace Harness.WsDiscovery.Engine;

/// <summary>
/// The one seeded <see cref="Random"/> of an engine, shared by its receive loop and timers behind a lock:
/// message ids, APP_MAX_DELAY waits and repeat schedules all come from it, so a seed gives the same values.
/// </summary>
internal sealed class EngineRandom(int seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);

    /// <summary>A seed from the system's secure generator, for engines whose options set none.</summary>
    public static int FreshSeed() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>A fresh <c>urn:uuid:</c> message id (a version-4 GUID from the seeded generator).</summary>
    public string NextMessageId() => "urn:uuid:" + NextGuid().ToString("D");

    /// <summary>A version-4 GUID from the seeded generator.</summary>
    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        // RFC 9562 version 4 / variant 10 bits, so the id looks like any other random UUID.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A delay uniformly drawn in [0, max].</summary>
    public TimeSpan NextDelay(TimeSpan max)
    {
        lock (_gate)
        {
            return RepeatSchedule.RandomDelay(_random, max);
        }
    }

    /// <summary>The send times of one message under <paramref name="profile"/>.</summary>
    public IReadOnlyList<TimeSpan> NextSchedule(SoapOverUdpProfile profile, bool multicast)
    {
        lock (_gate)
        {
            return RepeatSchedule.SendTimes(profile, _random, multicast);
        }
    }
}
