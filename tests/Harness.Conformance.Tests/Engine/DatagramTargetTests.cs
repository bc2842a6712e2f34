using System.Net;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Tests.Support;
using Harness.Core.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Conformance.Tests.Engine;

public sealed class DatagramTargetTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly IPEndPoint Device = new(IPAddress.Parse("127.0.0.21"), 3702);

    [Fact]
    public async Task Exchange_WithReplies_RecordsEverythingReturnsOnlyMatches()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var transport = new FakeTransport(time, (_, to) => [("noise"u8.ToArray(), to), ("answer-1"u8.ToArray(), to), ("answer-2"u8.ToArray(), to)]);
        var recorder = new TrafficRecorder(time);
        var target = new DatagramTarget(transport, recorder, "device", Device);

        var exchange = await target.ExchangeAsync("ask"u8.ToArray(), Device, "test", TimeSpan.FromSeconds(1), r => r.Payload.Span.StartsWith("answer"u8), maxCount: 2);

        Assert.Equal(0, exchange.Request.Sequence);
        Assert.Equal(TrafficDirection.Outbound, exchange.Request.Direction);
        Assert.Equal("test", exchange.Request.Protocol);
        Assert.Equal([2L, 3L], exchange.Replies.Select(r => r.Sequence));
        Assert.Equal([0L, 2L, 3L], exchange.Sequences);
        Assert.Equal(4, recorder.Snapshot().Count);
        Assert.Equal(Device, Assert.Single(transport.Sent).Destination);
    }

    [Fact]
    public async Task Collect_NothingArrives_ReturnsEmptyWhenTheWindowCloses()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var transport = new FakeTransport(time);
        var target = new DatagramTarget(transport, new TrafficRecorder(time), "device", Device);
        var pending = transport.ReceivePending;

        var collect = target.CollectAsync(TimeSpan.FromMilliseconds(500), null, 10, CancellationToken.None).AsTask();
        await pending.WaitAsync(Wait);
        Assert.False(collect.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(collect.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Empty(await collect.WaitAsync(Wait));
    }

    [Fact]
    public async Task Collect_LateReply_KeepsWhatArrivedInTime()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var transport = new FakeTransport(time);
        var recorder = new TrafficRecorder(time);
        var target = new DatagramTarget(transport, recorder, "device", Device);
        var pending = transport.ReceivePending;

        var collect = target.CollectAsync(TimeSpan.FromSeconds(1), null, 10, CancellationToken.None).AsTask();
        await pending.WaitAsync(Wait);
        pending = transport.ReceivePending;
        transport.Deliver("early"u8.ToArray(), Device);
        await pending.WaitAsync(Wait);
        time.Advance(TimeSpan.FromSeconds(1));
        var replies = await collect.WaitAsync(Wait);

        Assert.Equal("early"u8.ToArray(), Assert.Single(replies).Payload.ToArray());
        Assert.Equal(Samples.Start, replies[0].Timestamp);
    }

    [Fact]
    public async Task Collect_CallerCancels_Throws()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var target = new DatagramTarget(new FakeTransport(time), new TrafficRecorder(time), "device", Device);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => target.CollectAsync(TimeSpan.FromSeconds(1), null, 1, cancellation.Token).AsTask());
    }

    [Fact]
    public async Task Restart_WithHook_CallsItAndWithoutHook_NotSupported()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var restarted = 0;
        var restartable = new DatagramTarget(new FakeTransport(time), new TrafficRecorder(time), "sim", restart: _ => { restarted++; return ValueTask.CompletedTask; });
        var fixedDevice = new DatagramTarget(new FakeTransport(time), new TrafficRecorder(time), "real");

        await restartable.RestartAsync(CancellationToken.None);

        Assert.True(restartable.CanRestart);
        Assert.Equal(1, restarted);
        Assert.False(fixedDevice.CanRestart);
        await Assert.ThrowsAsync<NotSupportedException>(() => fixedDevice.RestartAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task PassiveTarget_Send_NotSupported()
    {
        ITarget target = new PassiveTarget("capture: a.pcapng");

        Assert.False(target.CanSend);
        Assert.False(target.CanRestart);
        await Assert.ThrowsAsync<NotSupportedException>(() => target.SendAsync(new byte[1], Device, null, CancellationToken.None).AsTask());
    }
}
