using System.Net;
using Harness.Core.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Capture.Tests;

public sealed class CaptureReplaySourceTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Items_RecordsOutOfTimeOrder_OffsetsFromTheFirstNeverDecrease()
    {
        var source = new CaptureReplaySource([At(0, 0), At(1, 1500), At(2, 1000), At(3, 4000)]);

        var offsets = source.Items().Select(i => i.Offset.TotalMilliseconds).ToList();

        Assert.Equal([0, 1500, 1500, 4000], offsets);
        Assert.Equal([0L, 1, 2, 3], source.Items().Select(i => i.Record.Sequence));
    }

    [Fact]
    public async Task PlayAsync_FakeClock_EachRecordReleasedWhenDue()
    {
        var time = new FakeTimeProvider(T0);
        var source = new CaptureReplaySource([At(0, 0), At(1, 1000), At(2, 3000)]);
        await using var replay = source.PlayAsync(time).GetAsyncEnumerator();

        Assert.True(await replay.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(0, replay.Current.Record.Sequence);

        var second = replay.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await second.WaitAsync(Timeout));
        Assert.Equal(1, replay.Current.Record.Sequence);

        var third = replay.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await third.WaitAsync(Timeout));
        Assert.Equal(TimeSpan.FromSeconds(3), replay.Current.Offset);

        Assert.False(await replay.MoveNextAsync().AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task PlayAsync_DoubleSpeed_HalvesTheWaits()
    {
        var time = new FakeTimeProvider(T0);
        var source = new CaptureReplaySource([At(0, 0), At(1, 1000)]);
        await using var replay = source.PlayAsync(time, speed: 2).GetAsyncEnumerator();
        Assert.True(await replay.MoveNextAsync().AsTask().WaitAsync(Timeout));

        var second = replay.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await second.WaitAsync(Timeout));
    }

    [Fact]
    public async Task PlayAsync_InfiniteSpeed_NoWaiting()
    {
        var source = new CaptureReplaySource([At(0, 0), At(1, 60_000), At(2, 120_000)]);

        var items = await source.PlayAsync(new FakeTimeProvider(T0), double.PositiveInfinity).ToListAsync().AsTask().WaitAsync(Timeout);

        Assert.Equal(3, items.Count);
    }

    [Fact]
    public async Task PlayAsync_CancelledWhileWaiting_Throws()
    {
        var time = new FakeTimeProvider(T0);
        using var cancellation = new CancellationTokenSource();
        var source = new CaptureReplaySource([At(0, 0), At(1, 1000)]);
        await using var replay = source.PlayAsync(time, cancellationToken: cancellation.Token).GetAsyncEnumerator();
        Assert.True(await replay.MoveNextAsync().AsTask().WaitAsync(Timeout));

        var second = replay.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Timeout));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public async Task PlayAsync_SpeedNotPositive_Throws(double speed)
    {
        var source = new CaptureReplaySource([At(0, 0)]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var item in source.PlayAsync(new FakeTimeProvider(T0), speed))
            {
                _ = item;
            }
        });
    }

    [Fact]
    public void Replay_FromACaptureFile_YieldsItsRecordsWithCaptureTimes()
    {
        using var capture = CaptureFile.Open(Support.TestFiles.Public("ssdp-home-network.pcapng"));

        var items = capture.Replay().Items().ToList();

        Assert.Equal(64, items.Count);
        Assert.Equal(TimeSpan.Zero, items[0].Offset);
        Assert.Equal(TimeSpan.FromTicks(334_992_200), items[^1].Offset); // 33.499220 s, as tshark shows
    }

    private static TrafficRecord At(long sequence, int milliseconds) =>
        new(sequence, T0.AddMilliseconds(milliseconds), TrafficDirection.Inbound, TrafficTransport.Udp,
            new IPEndPoint(IPAddress.Loopback, 3702), new IPEndPoint(IPAddress.Loopback, 50000), new byte[] { 1 }, "wsd");
}
