using Harness.WsDiscovery.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Harness.WsDiscovery.Tests.Engine;

public class DuplicateDetectorTests
{
    [Fact]
    public void IsDuplicate_SecondSightingWithinLifetime_True()
    {
        var time = new FakeTimeProvider();
        var detector = new DuplicateDetector(time, TimeSpan.FromSeconds(2));

        Assert.False(detector.IsDuplicate("urn:uuid:a"));
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.True(detector.IsDuplicate("urn:uuid:a"));
        Assert.False(detector.IsDuplicate("urn:uuid:b"));
    }

    [Fact]
    public void IsDuplicate_AfterLifetime_Forgotten()
    {
        var time = new FakeTimeProvider();
        var detector = new DuplicateDetector(time, TimeSpan.FromSeconds(2));
        detector.IsDuplicate("urn:uuid:a");

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(detector.IsDuplicate("urn:uuid:a"));
    }

    [Fact]
    public void IsDuplicate_RepeatDoesNotExtendLifetime()
    {
        var time = new FakeTimeProvider();
        var detector = new DuplicateDetector(time, TimeSpan.FromSeconds(2));
        detector.IsDuplicate("k");
        time.Advance(TimeSpan.FromSeconds(1.5));
        detector.IsDuplicate("k");

        time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.False(detector.Contains("k"));
    }

    [Fact]
    public void IsDuplicate_OverCapacity_OldestForgottenAndCountBounded()
    {
        var detector = new DuplicateDetector(new FakeTimeProvider(), TimeSpan.FromMinutes(1), capacity: 3);
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            detector.IsDuplicate(key);
        }

        Assert.Equal(3, detector.Count);
        Assert.False(detector.Contains("a"));
        Assert.True(detector.Contains("d"));
    }

    [Fact]
    public void DefaultLifetime_2005Profile_OutlivesAllRepeats()
    {
        // Checklist WSD-UDP-005: the cache must survive at least UDP_UPPER_DELAY × REPEAT (500 ms × 4).
        var profile = SoapOverUdpProfile.WsDiscovery2005;
        var lastRepeat = RepeatSchedule.SendTimes(profile, new Random(0), multicast: true)[^1];

        var lifetime = DuplicateDetector.DefaultLifetime(profile);

        Assert.True(lifetime >= profile.UdpUpperDelay * 4);
        Assert.True(lifetime > lastRepeat);
    }
}
