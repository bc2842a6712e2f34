using System.Net;
using Harness.Core.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Core.Tests.Transport;

public sealed class InMemoryNetworkTests
{
    private static readonly IPAddress Group = IPAddress.Parse("239.255.255.250");
    private static readonly IPEndPoint AnyEphemeral = new(IPAddress.Any, 0);
    private static readonly IPEndPoint Any3702 = new(IPAddress.Any, 3702);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SendAsync_NoDelay_IsQueuedBeforeTheSendReturns()
    {
        var network = new InMemoryNetwork(_clock);
        await using var a = network.CreateTransport(AnyEphemeral);
        await using var b = network.CreateTransport(AnyEphemeral);

        await a.SendAsync("hi", new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port));
        var receive = b.ReceiveAsync(CancellationToken.None);

        Assert.True(receive.IsCompletedSuccessfully);
        var datagram = await receive;
        Assert.Equal("hi", datagram.Text());
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, a.LocalEndPoint.Port), datagram.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port), datagram.Destination);
        Assert.False(datagram.IsMulticast);
        Assert.Equal(_clock.GetUtcNow(), datagram.ReceivedAt);
    }

    [Fact]
    public async Task SendAsync_WithDelay_ArrivesOnlyWhenTheClockReachesTheDelay()
    {
        var network = new InMemoryNetwork(_clock, new NetworkConditions(Delay: TimeSpan.FromMilliseconds(100)));
        await using var a = network.CreateTransport(AnyEphemeral);
        await using var b = network.CreateTransport(AnyEphemeral);
        var sentAt = _clock.GetUtcNow();

        await a.SendAsync("late", new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port));
        var receive = b.ReceiveAsync(CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(99));

        Assert.False(receive.IsCompleted);
        Assert.Equal(1, network.Statistics.InFlight);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var datagram = await receive.WaitAsync(TransportTestExtensions.Patience);
        Assert.Equal("late", datagram.Text());
        Assert.Equal(sentAt.AddMilliseconds(100), datagram.ReceivedAt);
        Assert.Equal(0, network.Statistics.InFlight);
    }

    [Fact]
    public async Task Delay_WithoutJitter_KeepsTheSendOrder()
    {
        var network = new InMemoryNetwork(_clock, new NetworkConditions(Delay: TimeSpan.FromMilliseconds(50)));
        await using var a = network.CreateTransport(AnyEphemeral);
        await using var b = network.CreateTransport(AnyEphemeral);
        var to = new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port);

        for (var i = 0; i < 10; i++)
        {
            await a.SendAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture), to);
        }

        _clock.Advance(TimeSpan.FromMilliseconds(50));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await b.ReceiveWithinAsync()).Text());
        }
    }

    [Fact]
    public async Task Loss_SameSeed_LosesTheSameDatagrams()
    {
        var first = await SendThousandAsync(new NetworkConditions(LossRate: 0.3), seed: 42);
        var second = await SendThousandAsync(new NetworkConditions(LossRate: 0.3), seed: 42);
        var otherSeed = await SendThousandAsync(new NetworkConditions(LossRate: 0.3), seed: 7);

        Assert.Equal(first.Arrived, second.Arrived);
        Assert.Equal(first.Statistics, second.Statistics);
        Assert.NotEqual(first.Arrived, otherSeed.Arrived);
        Assert.Equal(1000, first.Statistics.Sent);
        Assert.Equal(1000, first.Statistics.Lost + first.Statistics.Delivered);
        Assert.InRange(first.Statistics.Lost, 230, 370); // 30 % of 1,000, ± 5 standard deviations
        Assert.Equal(first.Statistics.Delivered, first.Arrived.Count);
    }

    [Fact]
    public async Task Duplication_RateOne_DeliversEveryDatagramTwice()
    {
        var result = await SendThousandAsync(new NetworkConditions(DuplicateRate: 1), seed: 1, count: 10);

        Assert.Equal(10, result.Statistics.Duplicated);
        Assert.Equal(20, result.Statistics.Delivered);
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(i => new[] { i, i }), result.Arrived);
    }

    [Fact]
    public async Task Jitter_DatagramsSentInOrder_ArriveReorderedTheSameWayForTheSameSeed()
    {
        var conditions = new NetworkConditions(Delay: TimeSpan.FromMilliseconds(10), Jitter: TimeSpan.FromMilliseconds(100));
        var first = await SendThousandAsync(conditions, seed: 3, count: 20, advance: TimeSpan.FromMilliseconds(110));
        var second = await SendThousandAsync(conditions, seed: 3, count: 20, advance: TimeSpan.FromMilliseconds(110));

        Assert.Equal(Enumerable.Range(0, 20), first.Arrived.Order());
        Assert.NotEqual(Enumerable.Range(0, 20), first.Arrived);
        Assert.Contains(Enumerable.Range(1, 19), i => first.Arrived.IndexOf(i) < first.Arrived.IndexOf(i - 1));
        Assert.Equal(first.Arrived, second.Arrived);
    }

    [Fact]
    public async Task ReorderRate_LaterDatagramSkipsTheDelay_ArrivesFirst()
    {
        var delayed = new NetworkConditions(Delay: TimeSpan.FromMilliseconds(100));
        var network = new InMemoryNetwork(_clock, delayed);
        await using var a = network.CreateTransport(AnyEphemeral);
        await using var b = network.CreateTransport(AnyEphemeral);
        var to = new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port);

        await a.SendAsync("first", to);
        network.Conditions = delayed with { ReorderRate = 1 };
        await a.SendAsync("second", to);

        Assert.Equal("second", (await b.ReceiveWithinAsync()).Text());
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("first", (await b.ReceiveWithinAsync()).Text());
        Assert.Equal(1, network.Statistics.Reordered);
    }

    [Fact]
    public async Task Multicast_ToGroupAndPort_FansOutToEveryMemberOnThatPortIncludingTheSender()
    {
        var network = new InMemoryNetwork(_clock);
        await using var camera = network.CreateTransportOnHost(IPAddress.Parse("10.0.0.2"), Any3702, Group);
        await using var printer = network.CreateTransportOnHost(IPAddress.Parse("10.0.0.3"), Any3702, Group);
        await using var sender = network.CreateTransportOnHost(IPAddress.Parse("10.0.0.4"), Any3702, Group);
        await using var notJoined = network.CreateTransport(Any3702);
        await using var otherPort = network.CreateTransport(new IPEndPoint(IPAddress.Any, 1900), Group);
        await using var boundToUnicast = network.CreateTransport(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 3702), Group);

        await sender.SendAsync("hello", new IPEndPoint(Group, 3702));

        foreach (var member in new[] { camera, printer, sender })
        {
            var datagram = await member.ReceiveWithinAsync();
            Assert.True(datagram.IsMulticast);
            Assert.Equal(new IPEndPoint(Group, 3702), datagram.Destination);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.4"), 3702), datagram.Source);
        }

        foreach (var outsider in new[] { notJoined, otherPort, boundToUnicast })
        {
            Assert.False(outsider.ReceiveAsync(CancellationToken.None).IsCompleted);
        }

        Assert.Equal(3, network.Statistics.Delivered);
    }

    [Fact]
    public async Task Unicast_ToAHostAddress_ReachesOnlyThatHostAndTheReplyReachesTheClient()
    {
        var network = new InMemoryNetwork(_clock);
        await using var camera = network.CreateTransportOnHost(IPAddress.Parse("10.0.0.2"), Any3702, Group);
        await using var printer = network.CreateTransportOnHost(IPAddress.Parse("10.0.0.3"), Any3702, Group);
        await using var client = network.CreateTransport(AnyEphemeral);

        await client.SendAsync("resolve", new IPEndPoint(IPAddress.Parse("10.0.0.3"), 3702));
        var request = await printer.ReceiveWithinAsync();
        await printer.SendAsync("resolved", request.Source);
        var reply = await client.ReceiveWithinAsync();

        Assert.False(camera.ReceiveAsync(CancellationToken.None).IsCompleted);
        Assert.False(request.IsMulticast);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, client.LocalEndPoint.Port), request.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.3"), 3702), reply.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, client.LocalEndPoint.Port), reply.Destination);
    }

    [Fact]
    public async Task Unicast_SpecificBind_BeatsTheWildcardAndOtherAddressesDoNotReachIt()
    {
        var network = new InMemoryNetwork(_clock);
        var address = IPAddress.Parse("10.0.0.9");
        await using var specific = network.CreateTransport(new IPEndPoint(address, 5000));
        await using var wildcard = network.CreateTransport(new IPEndPoint(IPAddress.Any, 5000));
        await using var client = network.CreateTransport(AnyEphemeral);

        await client.SendAsync("to specific", new IPEndPoint(address, 5000));
        await client.SendAsync("to unclaimed", new IPEndPoint(IPAddress.Parse("192.0.2.99"), 5000));

        Assert.Equal("to specific", (await specific.ReceiveWithinAsync()).Text());
        Assert.Equal("to unclaimed", (await wildcard.ReceiveWithinAsync()).Text());
        Assert.False(specific.ReceiveAsync(CancellationToken.None).IsCompleted);
        Assert.False(wildcard.ReceiveAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Unicast_ToAClaimedAddressWithNoListenerOnThePort_IsUndeliverable()
    {
        var network = new InMemoryNetwork(_clock);
        await using var camera = network.CreateTransportOnHost(IPAddress.Parse("10.0.0.2"), Any3702);
        await using var defaultHost = network.CreateTransport(new IPEndPoint(IPAddress.Any, 80));

        await camera.SendAsync("nobody", new IPEndPoint(IPAddress.Parse("10.0.0.2"), 80));

        Assert.False(defaultHost.ReceiveAsync(CancellationToken.None).IsCompleted);
        Assert.Equal(1, network.Statistics.Undeliverable);
    }

    [Fact]
    public async Task Unicast_TwoTransportsShareAPort_TheNewestReceives()
    {
        var network = new InMemoryNetwork(_clock);
        await using var older = network.CreateTransport(Any3702);
        await using var newer = network.CreateTransport(Any3702);

        await newer.SendAsync("one", new IPEndPoint(IPAddress.Loopback, 3702));

        Assert.Equal("one", (await newer.ReceiveWithinAsync()).Text());
        Assert.False(older.ReceiveAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task CreateTransport_PortZero_TakesEphemeralPortsFrom49152()
    {
        var network = new InMemoryNetwork(_clock);
        await using var a = network.CreateTransport(AnyEphemeral);
        await using var b = network.CreateTransport(new IPEndPoint(IPAddress.IPv6Any, 0));

        Assert.Equal(49152, a.LocalEndPoint.Port);
        Assert.Equal(49153, b.LocalEndPoint.Port);
        Assert.Equal(IPAddress.Any, a.LocalEndPoint.Address);
    }

    [Fact]
    public async Task IPv6_MulticastToFF02C_ReachesMembersFromTheIPv6Host()
    {
        var group = IPAddress.Parse("ff02::c");
        var network = new InMemoryNetwork(_clock);
        await using var device = network.CreateTransport(new IPEndPoint(IPAddress.IPv6Any, 3702), group);
        await using var v4Member = network.CreateTransport(Any3702, Group);
        await using var client = network.CreateTransport(new IPEndPoint(IPAddress.IPv6Any, 0));

        await client.SendAsync("probe", new IPEndPoint(group, 3702));
        var datagram = await device.ReceiveWithinAsync();

        Assert.True(datagram.IsMulticast);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, client.LocalEndPoint.Port), datagram.Source);
        Assert.False(v4Member.ReceiveAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task ReceiveQueue_Full_DropsTheOldest()
    {
        var network = new InMemoryNetwork(_clock) { ReceiveQueueCapacity = 2 };
        await using var a = network.CreateTransport(AnyEphemeral);
        var self = new IPEndPoint(IPAddress.Loopback, a.LocalEndPoint.Port);

        await a.SendAsync("1", self);
        await a.SendAsync("2", self);
        await a.SendAsync("3", self);

        Assert.Equal("2", (await a.ReceiveWithinAsync()).Text());
        Assert.Equal("3", (await a.ReceiveWithinAsync()).Text());
        Assert.Equal(1, network.Statistics.Dropped);
    }

    [Fact]
    public async Task DisposeAsync_ReceiveThrowsAndInFlightDatagramsAreUndeliverable()
    {
        var network = new InMemoryNetwork(_clock, new NetworkConditions(Delay: TimeSpan.FromSeconds(1)));
        var a = network.CreateTransport(AnyEphemeral);
        await using var b = network.CreateTransport(AnyEphemeral);
        var pending = a.ReceiveAsync(CancellationToken.None).AsTask();
        await b.SendAsync("too late", new IPEndPoint(IPAddress.Loopback, a.LocalEndPoint.Port));

        await a.DisposeAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending).WaitAsync(TransportTestExtensions.Patience);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await a.ReceiveAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await a.SendAsync("x", b.LocalEndPoint));
        Assert.Equal(1, network.Statistics.Undeliverable);
    }

    [Fact]
    public async Task SendAsync_Oversize_ThrowsArgumentException()
    {
        var network = new InMemoryNetwork(_clock);
        await using var a = network.CreateTransport(AnyEphemeral);

        await Assert.ThrowsAsync<ArgumentException>(
            async () => await a.SendAsync(new byte[DatagramLimits.MaxIPv4Payload + 1], a.LocalEndPoint, CancellationToken.None));
        Assert.Equal(0, network.Statistics.Sent);
    }

    [Fact]
    public void CreateTransport_GroupOfTheOtherFamily_Throws()
    {
        var network = new InMemoryNetwork(_clock);

        Assert.Throws<ArgumentException>(() => network.CreateTransport(AnyEphemeral, IPAddress.Parse("ff02::c")));
        Assert.Throws<ArgumentException>(() => network.CreateTransport(AnyEphemeral, IPAddress.Loopback));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void NetworkConditions_RateOutOfRange_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkConditions(LossRate: rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkConditions.Perfect with { DuplicateRate = rate });
    }

    [Fact]
    public void NetworkConditions_NegativeDelay_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkConditions(Delay: TimeSpan.FromMilliseconds(-1)));

    private async Task<(List<int> Arrived, InMemoryNetworkStatistics Statistics)> SendThousandAsync(
        NetworkConditions conditions, int seed, int count = 1000, TimeSpan? advance = null)
    {
        var clock = new FakeTimeProvider(_clock.GetUtcNow());
        var network = new InMemoryNetwork(clock, conditions, seed);
        await using var a = network.CreateTransport(AnyEphemeral);
        await using var b = network.CreateTransport(AnyEphemeral);
        var to = new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port);
        for (var i = 0; i < count; i++)
        {
            await a.SendAsync(BitConverter.GetBytes(i), to, CancellationToken.None);
        }

        if (advance is { } step)
        {
            clock.Advance(step);
        }

        var statistics = network.Statistics;
        var arrived = new List<int>();
        for (var i = 0; i < statistics.Delivered; i++)
        {
            arrived.Add(BitConverter.ToInt32((await b.ReceiveWithinAsync()).Payload.Span));
        }

        Assert.Equal(0, statistics.InFlight);
        return (arrived, statistics);
    }
}
