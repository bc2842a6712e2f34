namespace Harness.WsDiscovery.Engine;

/// <summary>
/// The SOAP-over-UDP retransmission schedule of one message (Appendix I): the first copy at once, the first gap
/// T0 drawn uniformly from [UDP_MIN_DELAY, UDP_MAX_DELAY] (millisecond resolution), each later gap twice the one
/// before, capped at UDP_UPPER_DELAY. The number of copies is <see cref="SoapOverUdpProfile.TotalSends"/>
/// (the REPEAT constants are read as total sends by default, as wsdd and python-ws-discovery do).
/// </summary>
public static class RepeatSchedule
{
    /// <summary>
    /// The send times of every copy, as offsets from the first send (the first element is always zero).
    /// Draws exactly one value from <paramref name="random"/> when there is more than one copy, none otherwise.
    /// </summary>
    /// <param name="profile">The constants.</param>
    /// <param name="random">The seeded source of the first gap; not thread-safe, so the caller serialises access.</param>
    /// <param name="multicast">True for MULTICAST_UDP_REPEAT, false for UNICAST_UDP_REPEAT.</param>
    public static IReadOnlyList<TimeSpan> SendTimes(SoapOverUdpProfile profile, Random random, bool multicast)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(random);
        var gaps = Gaps(profile, random, multicast);
        var times = new TimeSpan[gaps.Count + 1];
        for (var i = 0; i < gaps.Count; i++)
        {
            times[i + 1] = times[i] + gaps[i];
        }

        return times;
    }

    /// <summary>
    /// The gaps between consecutive copies (one fewer than the copies). Draws exactly one value from
    /// <paramref name="random"/> when there is more than one copy.
    /// </summary>
    public static IReadOnlyList<TimeSpan> Gaps(SoapOverUdpProfile profile, Random random, bool multicast)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(random);
        var copies = profile.TotalSends(multicast);
        if (copies <= 1)
        {
            return [];
        }

        var min = (long)profile.UdpMinDelay.TotalMilliseconds;
        var max = (long)profile.UdpMaxDelay.TotalMilliseconds;
        var gap = TimeSpan.FromMilliseconds(random.NextInt64(min, max + 1));
        var upper = profile.UdpUpperDelay;
        var gaps = new TimeSpan[copies - 1];
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = gap;
            gap += gap;
            if (gap > upper)
            {
                gap = upper;
            }
        }

        return gaps;
    }

    /// <summary>A uniformly drawn delay in [0, <paramref name="max"/>] at millisecond resolution (APP_MAX_DELAY waits).</summary>
    public static TimeSpan RandomDelay(Random random, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (max <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromMilliseconds(random.NextInt64(0, (long)max.TotalMilliseconds + 1));
    }
}
