using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Engine;

public class AppSequenceTrackerTests
{
    private const string Epr = "urn:uuid:98190dc2-0890-4ef8-ac9a-5940995e6119";

    [Fact]
    public void Observe_HigherMessageNumberSameInstance_Fresh()
    {
        var tracker = new AppSequenceTracker();
        tracker.Observe(Epr, new WsdAppSequence(100, 5), 1, "m1");

        Assert.Equal(AppSequenceVerdict.Fresh, tracker.Observe(Epr, new WsdAppSequence(100, 6), 1, "m2"));
    }

    [Fact]
    public void Observe_LowerMessageNumberSameInstance_Stale()
    {
        // WS-Discovery Appendix I; checklist WSD-MSG-013: an older MessageNumber is ignored.
        var tracker = new AppSequenceTracker();
        tracker.Observe(Epr, new WsdAppSequence(100, 5), 1, "m1");

        Assert.Equal(AppSequenceVerdict.Stale, tracker.Observe(Epr, new WsdAppSequence(100, 3), 1, "m0"));
        Assert.Equal(5UL, tracker.Last(Epr)!.MessageNumber);
    }

    [Fact]
    public void Observe_SameNumberSameMessageId_Repeat()
    {
        var tracker = new AppSequenceTracker();
        tracker.Observe(Epr, new WsdAppSequence(100, 5), 1, "m1");

        Assert.Equal(AppSequenceVerdict.Repeat, tracker.Observe(Epr, new WsdAppSequence(100, 5), 1, "m1"));
        Assert.Equal(AppSequenceVerdict.Stale, tracker.Observe(Epr, new WsdAppSequence(100, 5), 1, "other"));
    }

    [Fact]
    public void Observe_LowerInstance_StaleAndHigherInstanceResets()
    {
        var tracker = new AppSequenceTracker();
        tracker.Observe(Epr, new WsdAppSequence(100, 50), 3, "m1");

        Assert.Equal(AppSequenceVerdict.Stale, tracker.Observe(Epr, new WsdAppSequence(99, 60), 3, "m2"));
        Assert.Equal(AppSequenceVerdict.Fresh, tracker.Observe(Epr, new WsdAppSequence(101, 1), 3, "m3"));
        Assert.Equal(AppSequenceVerdict.Fresh, tracker.Observe(Epr, new WsdAppSequence(101, 2), 3, "m4"));
    }

    [Fact]
    public void Observe_LowerMetadataVersionSameInstance_Stale()
    {
        // WSDAPI AppSequence validation (checklist WSD-MSG-013): same InstanceId with a lower MetadataVersion is stale.
        var tracker = new AppSequenceTracker();
        tracker.Observe(Epr, new WsdAppSequence(100, 5), 4, "m1");

        Assert.Equal(AppSequenceVerdict.Stale, tracker.Observe(Epr, new WsdAppSequence(100, 6), 3, "m2"));
    }

    [Fact]
    public void Observe_OtherSequenceSameInstance_NotOrdered()
    {
        // Appendix I orders messages only within one sequence; wsdd sends a fresh SequenceId per message.
        var tracker = new AppSequenceTracker();
        tracker.Observe(Epr, new WsdAppSequence(100, 5, "urn:uuid:s1"), 1, "m1");

        Assert.Equal(AppSequenceVerdict.Fresh, tracker.Observe(Epr, new WsdAppSequence(100, 1, "urn:uuid:s2"), 1, "m2"));
        Assert.Equal(AppSequenceVerdict.Stale, tracker.Observe(Epr, new WsdAppSequence(100, 4, "urn:uuid:s1"), 1, "m3"));
    }

    [Fact]
    public void Observe_NoAppSequence_Fresh()
    {
        var tracker = new AppSequenceTracker();
        tracker.Observe(Epr, new WsdAppSequence(100, 5), 1, "m1");

        Assert.Equal(AppSequenceVerdict.Fresh, tracker.Observe(Epr, null, 1, "m2"));
    }

    [Fact]
    public void Observe_OverCapacity_OldestEndpointForgotten()
    {
        var tracker = new AppSequenceTracker(capacity: 2);
        tracker.Observe("urn:a", new WsdAppSequence(1, 9), 1, "1");
        tracker.Observe("urn:b", new WsdAppSequence(1, 9), 1, "2");
        tracker.Observe("urn:c", new WsdAppSequence(1, 9), 1, "3");

        Assert.Equal(2, tracker.Count);
        Assert.Null(tracker.Last("urn:a"));
        Assert.Equal(AppSequenceVerdict.Fresh, tracker.Check("urn:a", new WsdAppSequence(1, 1), 1, "4"));
    }
}
