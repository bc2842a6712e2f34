using System.Net;
using Harness.Core.Transport;

namespace Harness.Core.Tests.Transport;

public sealed class NetworkInterfaceResolverTests
{
    [Fact]
    public void Resolve_LoopbackByName_HasTheLoopbackAddresses()
    {
        var loopback = NetworkInterfaceResolver.Resolve(LoopbackInterface.Name);

        Assert.True(loopback.IsLoopback);
        Assert.Equal(IPAddress.Loopback, loopback.IPv4Address);
        Assert.True(loopback.Index > 0);
        Assert.Contains(IPAddress.Loopback, loopback.Addresses);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.53")]
    [InlineData("[127.0.0.1]")]
    public void Resolve_LoopbackAddress_FindsTheLoopbackInterface(string address) =>
        Assert.True(NetworkInterfaceResolver.Resolve(address).IsLoopback);

    [Fact]
    public void Resolve_IPv6Loopback_FindsTheLoopbackInterfaceWhenPresent()
    {
        if (!LoopbackInterface.HasIPv6)
        {
            return;
        }

        Assert.True(NetworkInterfaceResolver.Resolve("::1").IsLoopback);
        Assert.Contains(IPAddress.IPv6Loopback, LoopbackInterface.Get().IPv6Addresses);
    }

    [Fact]
    public void Resolve_UnknownName_ThrowsListingTheKnownNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => NetworkInterfaceResolver.Resolve("bogus9"));

        Assert.Contains("bogus9", ex.Message, StringComparison.Ordinal);
        foreach (var name in NetworkInterfaceResolver.InterfaceNames())
        {
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Resolve_AddressNoInterfaceHas_Throws() =>
        Assert.Throws<ArgumentException>(() => NetworkInterfaceResolver.Resolve("203.0.113.77"));

    [Fact]
    public void TryResolve_Unknown_ReturnsFalse()
    {
        Assert.False(NetworkInterfaceResolver.TryResolve("bogus9", out var found));
        Assert.Null(found);
    }

    [Fact]
    public void ListInterfaces_EveryInterface_ResolvesByItsNameAndAddresses()
    {
        foreach (var nic in NetworkInterfaceResolver.ListInterfaces())
        {
            Assert.Equal(nic.Index, NetworkInterfaceResolver.Resolve(nic.Name).Index);
            foreach (var address in nic.Addresses)
            {
                Assert.Equal(nic.Index, NetworkInterfaceResolver.Resolve(address.ToString()).Index);
            }
        }
    }

    [Fact]
    public void CanMulticast_IPv4GroupOnLoopback_IsTrue() =>
        Assert.True(LoopbackInterface.CanMulticast(IPAddress.Parse("239.255.255.250")));

    [Fact]
    public async Task CanMulticastAsync_IPv4GroupOnLoopback_RoundTrips() =>
        Assert.True(await LoopbackInterface.CanMulticastAsync(IPAddress.Parse("239.255.255.250"), TimeSpan.FromSeconds(15)));

    [Fact]
    public void CanMulticast_UnicastAddress_Throws() =>
        Assert.Throws<ArgumentException>(() => LoopbackInterface.CanMulticast(IPAddress.Loopback));
}
