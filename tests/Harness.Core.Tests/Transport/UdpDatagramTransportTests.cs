using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Harness.Core.Tests.Transport;

// Real sockets, loopback only: multicast with the loopback interface chosen, unicast to 127.0.0.1 / ::1.
// Every test binds its own port (port 0 first, then shares it), so test classes may run in parallel.
public sealed class UdpDatagramTransportTests(ITestOutputHelper output)
{
    private static readonly IPAddress WsdGroupV4 = IPAddress.Parse("239.255.255.250");
    private static readonly IPAddress WsdGroupV6 = IPAddress.Parse("ff02::c");

    [Fact]
    public async Task Multicast_TwoTransportsShareThePortOnLoopback_BothReceiveAsMulticast()
    {
        // WS-Discovery: several peers on one host bind 3702 and all hear 239.255.255.250.
        await using var first = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(WsdGroupV4, 0, LoopbackInterface.Name));
        var port = first.LocalEndPoint.Port;
        await using var second = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(WsdGroupV4, port, LoopbackInterface.Name));
        await using var sender = UdpDatagramTransport.Bind(new UdpTransportOptions { Interface = "127.0.0.1" });

        await sender.SendAsync("probe", new IPEndPoint(WsdGroupV4, port));

        var loopbackIndex = LoopbackInterface.Get().Index;
        foreach (var receiver in new[] { first, second })
        {
            var datagram = await receiver.ReceiveMatchingAsync("probe"u8.ToArray());
            Assert.True(datagram.IsMulticast);
            Assert.Equal(new IPEndPoint(WsdGroupV4, port), datagram.Destination);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, sender.LocalEndPoint.Port), datagram.Source);
            Assert.Equal(loopbackIndex, datagram.InterfaceIndex);
        }

        Assert.Equal(port, second.LocalEndPoint.Port);
        Assert.Equal([WsdGroupV4], first.JoinedGroups);
    }

    [Fact]
    public async Task Unicast_ReplyToTheMulticastSource_ArrivesAsUnicastAtTheSendersPort()
    {
        await using var device = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(WsdGroupV4, 0, LoopbackInterface.Name));
        await using var client = UdpDatagramTransport.Bind(new UdpTransportOptions { Interface = LoopbackInterface.Name });

        await client.SendAsync("probe", new IPEndPoint(WsdGroupV4, device.LocalEndPoint.Port));
        var probe = await device.ReceiveMatchingAsync("probe"u8.ToArray());
        await device.SendAsync("match", probe.Source);
        var reply = await client.ReceiveMatchingAsync("match"u8.ToArray());

        Assert.False(reply.IsMulticast);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, client.LocalEndPoint.Port), reply.Destination);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, device.LocalEndPoint.Port), reply.Source);
    }

    [Fact]
    public async Task Multicast_IPv6LinkLocalGroupOnLoopback_BothSharersReceive()
    {
        if (!await LoopbackInterface.CanMulticastAsync(WsdGroupV6, TimeSpan.FromSeconds(3)))
        {
            // Environment, not code (the probe uses plain sockets): Linux routes IPv6 multicast on lo only when lo
            // has the MULTICAST flag, which it usually lacks. Said in the test log so that the gap is seen.
            output.WriteLine(
                $"NOT RUN: IPv6 multicast to {WsdGroupV6} does not loop back on {LoopbackInterface.Name} here "
                + $"(IPv6: {LoopbackInterface.HasIPv6}, route: {LoopbackInterface.CanMulticast(WsdGroupV6)}). "
                + "The IPv6 unicast test still covers the IPv6 socket path.");
            return;
        }

        await using var first = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(WsdGroupV6, 0, LoopbackInterface.Name));
        var port = first.LocalEndPoint.Port;
        await using var second = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(WsdGroupV6, port, LoopbackInterface.Name));
        await using var sender = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            LocalEndPoint = new IPEndPoint(IPAddress.IPv6Any, 0),
            Interface = LoopbackInterface.Name,
        });

        await sender.SendAsync("probe6", new IPEndPoint(WsdGroupV6, port));

        foreach (var receiver in new[] { first, second })
        {
            var datagram = await receiver.ReceiveMatchingAsync("probe6"u8.ToArray());
            Assert.True(datagram.IsMulticast);
            Assert.Equal(port, datagram.Destination.Port);
            Assert.Equal(WsdGroupV6.GetAddressBytes(), datagram.Destination.Address.GetAddressBytes());
            Assert.Equal(sender.LocalEndPoint.Port, datagram.Source.Port);
        }
    }

    [Fact]
    public async Task Bind_IPv6GroupOnLoopback_JoinsTheGroupOnTheLoopbackIndex()
    {
        if (!LoopbackInterface.HasIPv6)
        {
            output.WriteLine("NOT RUN: this host has no ::1.");
            return;
        }

        await using var transport = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(WsdGroupV6, 0, "::1"));

        Assert.Equal([WsdGroupV6], transport.JoinedGroups);
        Assert.Equal(AddressFamily.InterNetworkV6, transport.LocalEndPoint.AddressFamily);
        Assert.Equal(LoopbackInterface.Get().Index, transport.Interface?.Index);
    }

    [Fact]
    public async Task Unicast_IPv6Loopback_ArrivesWithDestinationAndInterface()
    {
        if (!LoopbackInterface.HasIPv6)
        {
            output.WriteLine("NOT RUN: this host has no ::1.");
            return;
        }

        var any6 = new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.IPv6Any, 0) };
        await using var receiver = UdpDatagramTransport.Bind(any6);
        await using var sender = UdpDatagramTransport.Bind(any6);

        await sender.SendAsync("hello6", new IPEndPoint(IPAddress.IPv6Loopback, receiver.LocalEndPoint.Port));
        var datagram = await receiver.ReceiveMatchingAsync("hello6"u8.ToArray());

        Assert.False(datagram.IsMulticast);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, receiver.LocalEndPoint.Port), datagram.Destination);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, sender.LocalEndPoint.Port), datagram.Source);
        Assert.Equal(LoopbackInterface.Get().Index, datagram.InterfaceIndex);
    }

    [Fact]
    public async Task SendAsync_PayloadLargerThanOneDatagram_ThrowsArgumentException()
    {
        await using var transport = UdpDatagramTransport.Bind(new UdpTransportOptions());
        var target = new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port);

        var ex = await Assert.ThrowsAsync<ArgumentException>(
            async () => await transport.SendAsync(new byte[DatagramLimits.MaxIPv4Payload + 1], target, CancellationToken.None));
        Assert.Equal("payload", ex.ParamName);
        Assert.Equal(0, transport.SentDatagrams);
    }

    [Fact]
    public async Task SendAsync_AtTheConfiguredLimit_IsSentAndOneMoreByteIsRefused()
    {
        await using var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { MaxDatagramSize = 512 });
        var self = new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port);
        var payload = new byte[512];
        payload[^1] = 0x42;

        await transport.SendAsync(payload, self, CancellationToken.None);
        var datagram = await transport.ReceiveWithinAsync();

        Assert.Equal(payload, datagram.Payload.ToArray());
        await Assert.ThrowsAsync<ArgumentException>(async () => await transport.SendAsync(new byte[513], self, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_DatagramLargerThanTheLimit_IsDroppedAndCountedAndTheNextArrives()
    {
        await using var receiver = UdpDatagramTransport.Bind(new UdpTransportOptions { MaxDatagramSize = 100 });
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = new IPEndPoint(IPAddress.Loopback, receiver.LocalEndPoint.Port);

        await raw.SendToAsync(new byte[101], target);
        await raw.SendToAsync("small"u8.ToArray(), target);
        var datagram = await receiver.ReceiveWithinAsync();

        Assert.Equal("small", datagram.Text());
        Assert.Equal(1, receiver.TruncatedDatagrams);
    }

    [Fact]
    public async Task ReceiveQueue_FullWithoutReader_DropsTheOldestAndCountsIt()
    {
        await using var receiver = UdpDatagramTransport.Bind(new UdpTransportOptions { ReceiveQueueCapacity = 2 });
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = new IPEndPoint(IPAddress.Loopback, receiver.LocalEndPoint.Port);

        foreach (var text in new[] { "1", "2", "3" })
        {
            await raw.SendToAsync(System.Text.Encoding.ASCII.GetBytes(text), target);
        }

        TransportTestExtensions.WaitUntil(() => receiver.ReceivedDatagrams == 3, "the loop has taken all three datagrams");

        Assert.Equal("2", (await receiver.ReceiveWithinAsync()).Text());
        Assert.Equal("3", (await receiver.ReceiveWithinAsync()).Text());
        Assert.Equal(1, receiver.DroppedDatagrams);
    }

    [Fact]
    public async Task ReceiveLoop_HostileFloodAndPortUnreachable_KeepsReceiving()
    {
        await using var receiver = UdpDatagramTransport.Bind(new UdpTransportOptions { ReceiveQueueCapacity = 64 });
        var target = new IPEndPoint(IPAddress.Loopback, receiver.LocalEndPoint.Port);

        // A port nobody listens on: replies there come back as ICMP port unreachable.
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var random = new Random(1234);
        using (var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            for (var i = 0; i < 5000; i++)
            {
                var size = i % 500 == 0 ? 60_000 : random.Next(0, 1500);
                var junk = new byte[size];
                random.NextBytes(junk);
                await flooder.SendToAsync(junk, target);
                if (i % 1000 == 0)
                {
                    await receiver.SendAsync(junk.AsMemory(0, Math.Min(size, 100)), new IPEndPoint(IPAddress.Loopback, closedPort), CancellationToken.None);
                }
            }
        }

        // The sentinel may itself be dropped by a full kernel buffer: resend until one gets through.
        var sentinel = "still alive"u8.ToArray();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var overall = new CancellationTokenSource(TransportTestExtensions.Patience);
        Datagram? seen = null;
        while (seen is null)
        {
            await sender.SendToAsync(sentinel, target);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                while (seen is null)
                {
                    var datagram = await receiver.ReceiveAsync(attempt.Token);
                    if (datagram.Payload.Span.SequenceEqual(sentinel))
                    {
                        seen = datagram;
                    }
                }
            }
            catch (OperationCanceledException) when (!overall.IsCancellationRequested)
            {
                // Drained without the sentinel: send it again.
            }
        }

        Assert.False(seen.IsMulticast);
        Assert.True(receiver.ReceivedDatagrams > 64, $"received {receiver.ReceivedDatagrams}");
        output.WriteLine($"received {receiver.ReceivedDatagrams}, dropped {receiver.DroppedDatagrams}, errors {receiver.ReceiveErrors}");
    }

    [Fact]
    public async Task DisposeAsync_PendingAndLaterReceives_ThrowObjectDisposed()
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions());
        var pending = transport.ReceiveAsync(CancellationToken.None).AsTask();

        await transport.DisposeAsync();
        await transport.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending).WaitAsync(TransportTestExtensions.Patience);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await transport.ReceiveAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(
            async () => await transport.SendAsync("x"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, 9), CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_ClosesTheSocket_PortCanBeBoundExclusivelyAgain()
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions());
        var port = transport.LocalEndPoint.Port;
        await transport.DisposeAsync();

        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(new IPEndPoint(IPAddress.Any, port));
        Assert.Equal(port, ((IPEndPoint)again.LocalEndPoint!).Port);
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_ThrowsOperationCanceledAndTheTransportStillWorks()
    {
        await using var transport = UdpDatagramTransport.Bind(new UdpTransportOptions());
        using var cts = new CancellationTokenSource();
        var pending = transport.ReceiveAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await transport.SendAsync("after", new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port));
        Assert.Equal("after", (await transport.ReceiveWithinAsync()).Text());
    }

    [Fact]
    public async Task Bind_WithoutReuse_SecondBindOfThePortFails()
    {
        await using var first = UdpDatagramTransport.Bind(new UdpTransportOptions { ReuseAddress = false });
        var options = new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, first.LocalEndPoint.Port) };

        var ex = Assert.Throws<SocketException>(() => UdpDatagramTransport.Bind(options));
        Assert.Equal(SocketError.AddressAlreadyInUse, ex.SocketErrorCode);
    }

    [Fact]
    public void Bind_UnknownInterface_ThrowsNamingTheKnownInterfaces()
    {
        var options = new UdpTransportOptions { Interface = "no-such-nic0", MulticastGroups = [WsdGroupV4] };

        var ex = Assert.Throws<ArgumentException>(() => UdpDatagramTransport.Bind(options));

        Assert.Contains("no-such-nic0", ex.Message, StringComparison.Ordinal);
        Assert.Contains(LoopbackInterface.Name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_DestinationOfTheOtherFamily_ThrowsArgumentException()
    {
        await using var transport = UdpDatagramTransport.Bind(new UdpTransportOptions());

        await Assert.ThrowsAsync<ArgumentException>(
            async () => await transport.SendAsync("x"u8.ToArray(), new IPEndPoint(IPAddress.IPv6Loopback, 9), CancellationToken.None));
    }

    [Fact]
    public async Task SelectLocalAddress_WildcardBindOnLoopback_NamesTheLoopbackAddress()
    {
        await using var transport = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(WsdGroupV4, 0, LoopbackInterface.Name));

        Assert.Equal(IPAddress.Loopback, transport.SelectLocalAddress(WsdGroupV4));
        Assert.Equal(IPAddress.Loopback, transport.SelectLocalAddress(IPAddress.Loopback));
        Assert.Equal(LoopbackInterface.Name, transport.Interface?.Name);
    }

    [Fact]
    public async Task Receive_StampsWithTheInjectedClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var transport = UdpDatagramTransport.Bind(new UdpTransportOptions(), clock);

        await transport.SendAsync("tick", new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port));
        var datagram = await transport.ReceiveWithinAsync();

        Assert.Equal(clock.GetUtcNow(), datagram.ReceivedAt);
    }
}
