using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Engine;

public class LocalAddressTests
{
    [Fact]
    public void NetworkInterfaceAddressProvider_Loopback_Has127001WithIndexAndPrefix()
    {
        using var provider = new NetworkInterfaceAddressProvider("lo");

        var loopback = Assert.Single(provider.GetAddresses(), a => a.Address.Equals(IPAddress.Loopback));

        Assert.Equal("lo", loopback.InterfaceName);
        Assert.True(loopback.InterfaceIndex > 0);
        Assert.Equal(8, loopback.PrefixLength);
        Assert.True(loopback.SameSubnet(IPAddress.Parse("127.9.9.9")));
        Assert.False(loopback.SameSubnet(IPAddress.Parse("128.0.0.1")));
    }

    [Fact]
    public async Task Hello_IPv6LinkLocalAddress_XAddrInBracketsWithoutZone()
    {
        // Quirk Q-LL-ZONE: a URL cannot carry the zone id; XAddrs go out without it.
        var time = new RecordingTimeProvider();
        var network = new InMemoryNetwork(time);
        var listen = new IPEndPoint(IPAddress.IPv6Any, WsdMulticast.Port);
        await using var peer = new Peer(network.CreateTransportOnHost(IPAddress.Parse("fe80::3"), listen, WsdMulticast.IPv6Group));
        var linkLocal = IPAddress.Parse("fe80::2");
        linkLocal.ScopeId = 1;
        await using var publisher = new Publisher(
            network.CreateTransportOnHost(IPAddress.Parse("fe80::2"), listen, WsdMulticast.IPv6Group),
            new PublisherOptions { Protocols = [WsdProtocol.V11], HelloDelay = TimeSpan.Zero, Seed = 1 },
            time,
            addressProvider: new StaticLocalAddressProvider(new LocalAddress(linkLocal, 1, "eth0", 64)));

        await publisher.PublishAsync(Scene.Service(1), CancellationToken.None);
        var (datagram, hello) = await peer.WaitForAsync<WsdHello>();

        Assert.Equal(WsdMulticast.IPv6EndPoint, datagram.Destination);
        Assert.Equal(AddressFamily.InterNetworkV6, datagram.Source.AddressFamily);
        Assert.Equal(["http://[fe80::2]:5357/000000000001"], hello.Endpoint.XAddrs);
    }
}
