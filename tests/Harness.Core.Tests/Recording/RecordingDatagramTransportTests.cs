using System.Net;
using Harness.Core.Recording;
using Harness.Core.Tests.Transport;
using Harness.Core.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Core.Tests.Recording;

public sealed class RecordingDatagramTransportTests
{
    private static readonly IPAddress Group = IPAddress.Parse("239.255.255.250");

    [Fact]
    public async Task SendAndReceive_RecordsBothDirectionsWithEndpointsPayloadAndProtocol()
    {
        var networkClock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var recorderClock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 6, 0, 0, 0, TimeSpan.Zero));
        var network = new InMemoryNetwork(networkClock, new NetworkConditions(Delay: TimeSpan.FromMilliseconds(40)));
        var recorder = new TrafficRecorder(recorderClock);
        await using var device = network.CreateTransportOnHost(IPAddress.Parse("10.0.0.2"), new IPEndPoint(IPAddress.Any, 3702), Group);
        await using var client = new RecordingDatagramTransport(network.CreateTransport(new IPEndPoint(IPAddress.Any, 0)), recorder, "wsd");

        await client.SendAsync("probe", new IPEndPoint(Group, 3702));
        networkClock.Advance(TimeSpan.FromMilliseconds(40));
        var probe = await device.ReceiveWithinAsync();
        await device.SendAsync("match", probe.Source);
        var replyTask = client.ReceiveAsync(CancellationToken.None).AsTask();
        networkClock.Advance(TimeSpan.FromMilliseconds(40));
        var reply = await replyTask.WaitAsync(TransportTestExtensions.Patience);

        var records = recorder.Snapshot();
        Assert.Equal(2, records.Count);
        var outbound = records[0];
        Assert.Equal(TrafficDirection.Outbound, outbound.Direction);
        Assert.Equal(TrafficTransport.Udp, outbound.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, client.LocalEndPoint.Port), outbound.Source);
        Assert.Equal(new IPEndPoint(Group, 3702), outbound.Destination);
        Assert.Equal("probe"u8.ToArray(), outbound.Payload.ToArray());
        Assert.Equal("wsd", outbound.Protocol);
        Assert.Equal(recorderClock.GetUtcNow(), outbound.Timestamp);

        var inbound = records[1];
        Assert.Equal(TrafficDirection.Inbound, inbound.Direction);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 3702), inbound.Source);
        Assert.Equal(reply.Destination, inbound.Destination);
        Assert.Equal("match"u8.ToArray(), inbound.Payload.ToArray());
        Assert.Equal(reply.ReceivedAt, inbound.Timestamp);
        Assert.Equal(networkClock.GetUtcNow(), inbound.Timestamp);
        Assert.Equal(1, inbound.Sequence);
    }

    [Fact]
    public async Task SendAsync_InnerRefuses_NothingIsRecorded()
    {
        var network = new InMemoryNetwork(new FakeTimeProvider());
        var recorder = new TrafficRecorder(new FakeTimeProvider());
        await using var transport = new RecordingDatagramTransport(network.CreateTransport(new IPEndPoint(IPAddress.Any, 0)), recorder);

        await Assert.ThrowsAsync<ArgumentException>(
            async () => await transport.SendAsync(new byte[70_000], new IPEndPoint(IPAddress.Loopback, 9), CancellationToken.None));

        Assert.Empty(recorder.Snapshot());
    }

    [Fact]
    public async Task SendAsync_RealUdpBoundToTheWildcardOnLoopback_RecordsTheLoopbackSourceAddress()
    {
        var recorder = new TrafficRecorder();
        var inner = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(Group, 0, LoopbackInterface.Name));
        await using var transport = new RecordingDatagramTransport(inner, recorder, "wsd");
        var port = transport.LocalEndPoint.Port;

        await transport.SendAsync("probe", new IPEndPoint(Group, port));
        var received = await transport.ReceiveMatchingAsync("probe"u8.ToArray());

        var records = recorder.Snapshot();
        var outbound = Assert.Single(records, r => r.Direction == TrafficDirection.Outbound);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), outbound.Source);
        var inbound = Assert.Single(records, r => r.Direction == TrafficDirection.Inbound);
        Assert.Equal(new IPEndPoint(Group, port), inbound.Destination);
        Assert.Equal(received.ReceivedAt, inbound.Timestamp);
    }

    [Fact]
    public async Task DisposeAsync_DisposesTheInnerTransport()
    {
        var network = new InMemoryNetwork(new FakeTimeProvider());
        var inner = network.CreateTransport(new IPEndPoint(IPAddress.Any, 0));
        var transport = new RecordingDatagramTransport(inner, new TrafficRecorder());

        await transport.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await inner.ReceiveAsync(CancellationToken.None));
    }
}
