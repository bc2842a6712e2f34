using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;

namespace Harness.WsDiscovery.Tests.Engine;

public class RepeatScheduleTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void SendTimes_Seed42Multicast2005_PinnedValues()
    {
        // Pinned output for seed 42: T0 = 82 ms drawn from [50, 250]; gaps T0, 2·T0, 4·T0 (328 ms, under the 500 ms cap).
        var times = RepeatSchedule.SendTimes(SoapOverUdpProfile.WsDiscovery2005, new Random(42), multicast: true);

        Assert.Equal([TimeSpan.Zero, 82 * Ms, 246 * Ms, 574 * Ms], times);
    }

    [Fact]
    public void SendTimes_Seed42Unicast2005_TwoCopies()
    {
        var times = RepeatSchedule.SendTimes(SoapOverUdpProfile.WsDiscovery2005, new Random(42), multicast: false);

        Assert.Equal([TimeSpan.Zero, 82 * Ms], times);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Gaps_ManySeeds_FollowSoapOverUdpAppendixI(string name)
    {
        var profile = SoapOverUdpProfile.Presets.Single(p => p.Name == name);
        var firstGaps = new HashSet<TimeSpan>();
        for (var seed = 0; seed < 500; seed++)
        {
            foreach (var multicast in new[] { true, false })
            {
                var gaps = RepeatSchedule.Gaps(profile, new Random(seed), multicast);

                Assert.Equal(profile.TotalSends(multicast) - 1, gaps.Count);
                if (gaps.Count == 0)
                {
                    continue;
                }

                // SOAP-over-UDP App. I (checklist WSD-UDP-003): T0 ∈ [MIN, MAX], each later gap = min(2·previous, UPPER).
                Assert.InRange(gaps[0], profile.UdpMinDelay, profile.UdpMaxDelay);
                firstGaps.Add(gaps[0]);
                for (var i = 1; i < gaps.Count; i++)
                {
                    var expected = gaps[i - 1] * 2 > profile.UdpUpperDelay ? profile.UdpUpperDelay : gaps[i - 1] * 2;
                    Assert.Equal(expected, gaps[i]);
                }
            }
        }

        // The draw is spread over the range, not stuck at one value.
        Assert.True(firstGaps.Count > 100, $"only {firstGaps.Count} distinct first gaps");
    }

    public static TheoryData<string> Profiles() => [.. SoapOverUdpProfile.Presets.Select(p => p.Name)];

    [Fact]
    public void Presets_MatchChecklistConstantsTable()
    {
        // wsd.md §0: 2005 repeats 4/2 (total sends), 50/250/500, APP_MAX_DELAY 500; DPWS 2006 2/2, 50/250/450, 5000.
        var wsd = SoapOverUdpProfile.WsDiscovery2005;
        Assert.Equal((4, 2), (wsd.TotalSends(true), wsd.TotalSends(false)));
        Assert.Equal((50, 250, 500, 500), ((int)wsd.UdpMinDelay.TotalMilliseconds, (int)wsd.UdpMaxDelay.TotalMilliseconds, (int)wsd.UdpUpperDelay.TotalMilliseconds, (int)wsd.AppMaxDelay.TotalMilliseconds));
        var dpws = SoapOverUdpProfile.Dpws2006;
        Assert.Equal((2, 2), (dpws.TotalSends(true), dpws.TotalSends(false)));
        Assert.Equal((50, 250, 450, 5000), ((int)dpws.UdpMinDelay.TotalMilliseconds, (int)dpws.UdpMaxDelay.TotalMilliseconds, (int)dpws.UdpUpperDelay.TotalMilliseconds, (int)dpws.AppMaxDelay.TotalMilliseconds));
        Assert.Equal(32_767, dpws.MaxEnvelopeSize);
        Assert.Equal(TimeSpan.FromSeconds(10), dpws.MatchTimeout);

        // 1.1 profiles: REPEAT 1 read as one retransmission, so two datagrams.
        Assert.Equal(2, SoapOverUdpProfile.SoapOverUdp11.TotalSends(true));
        Assert.Equal(2, SoapOverUdpProfile.Dpws11.TotalSends(false));
    }

    [Fact]
    public void Validate_MinAboveMax_Throws()
    {
        var bad = SoapOverUdpProfile.WsDiscovery2005 with { UdpMinDelay = TimeSpan.FromMilliseconds(300) };

        Assert.Throws<ArgumentException>(bad.Validate);
    }

    [Fact]
    public void RandomDelay_ManyDraws_StayWithinAppMaxDelay()
    {
        var random = new Random(7);
        var max = SoapOverUdpProfile.WsDiscovery2005.AppMaxDelay;
        var draws = Enumerable.Range(0, 1000).Select(_ => RepeatSchedule.RandomDelay(random, max)).ToList();

        Assert.All(draws, d => Assert.InRange(d, TimeSpan.Zero, max));
        Assert.True(draws.Min() < max / 10 && draws.Max() > max * 9 / 10, "draws should cover the range");
    }

    [Fact]
    public async Task SoapOverUdpSender_MulticastMessage_SendsIdenticalCopiesAtScheduledTimes()
    {
        var time = new RecordingTimeProvider();
        var network = new InMemoryNetwork(time);
        var listener = new Peer(Scene.MulticastListener(network, Scene.PeerHost));
        var sending = Scene.Ephemeral(network);
        var start = time.GetUtcNow();
        var payload = "<not-even-xml message='any bytes are repeated as they are'/>"u8.ToArray();
        var sender = new SoapOverUdpSender(SoapOverUdpProfile.WsDiscovery2005, time, new Random(42));

        var send = sender.SendAsync(sending, payload, WsdMulticast.IPv4EndPoint, CancellationToken.None);
        var expected = RepeatSchedule.SendTimes(SoapOverUdpProfile.WsDiscovery2005, new Random(42), multicast: true);
        for (var i = 0; i < expected.Count; i++)
        {
            // Advance only once the sender has armed the timer of copy i (else it would be armed late).
            await time.Timers.WaitForCountAsync(i);
            time.SetUtcNow(start + expected[i]);
            await listener.Received.WaitForCountAsync(i + 1);
        }

        Assert.Equal(4, await send.WaitAsync(Collector<int>.DefaultTimeout));
        var copies = listener.Received.Items;
        Assert.Equal(4, copies.Count);
        Assert.All(copies, c => Assert.Equal(payload, c.Datagram.Payload.ToArray()));
        Assert.Equal(expected, copies.Select(c => c.Datagram.ReceivedAt - start).ToList());
        await listener.DisposeAsync();
    }

    [Fact]
    public async Task SoapOverUdpSender_Cancelled_StopsRemainingCopies()
    {
        var time = new RecordingTimeProvider();
        var network = new InMemoryNetwork(time);
        var listener = new Peer(Scene.MulticastListener(network, Scene.PeerHost));
        using var cts = new CancellationTokenSource();
        var sender = new SoapOverUdpSender(SoapOverUdpProfile.WsDiscovery2005, time, new Random(1));

        var send = sender.SendAsync(Scene.Ephemeral(network), new byte[] { 1, 2, 3 }, WsdMulticast.IPv4EndPoint, cts.Token);
        await listener.Received.WaitForCountAsync(1);
        await cts.CancelAsync();
        time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Single(listener.Received.Items);
        Assert.Equal(1, network.Statistics.Sent);
        await listener.DisposeAsync();
    }

    [Fact]
    public async Task SoapOverUdpSender_UnicastDestination_UsesUnicastRepeat()
    {
        var time = new RecordingTimeProvider();
        var network = new InMemoryNetwork(time);
        var receiver = new Peer(network.CreateTransport(new IPEndPoint(IPAddress.Loopback, 40000)));
        var sender = new SoapOverUdpSender(SoapOverUdpProfile.WsDiscovery2005, time, new Random(3));

        var send = sender.SendAsync(Scene.Ephemeral(network), new byte[] { 9 }, receiver.EndPoint, CancellationToken.None);
        time.Advance(SoapOverUdpProfile.WsDiscovery2005.UdpMaxDelay);

        Assert.Equal(2, await send.WaitAsync(Collector<int>.DefaultTimeout));
        await receiver.Received.WaitForCountAsync(2);
        await receiver.DisposeAsync();
    }
}
