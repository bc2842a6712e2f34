using System.Net;
using Harness.Core.Transport;

namespace Harness.Core.Tests.Transport;

public sealed class UdpTransportOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new UdpTransportOptions();

        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), options.LocalEndPoint);
        Assert.Empty(options.MulticastGroups);
        Assert.Null(options.Interface);
        Assert.Equal(1, options.MulticastTtl);
        Assert.True(options.MulticastLoopback);
        Assert.True(options.ReuseAddress);
        Assert.Equal(1024, options.ReceiveQueueCapacity);
        Assert.Equal(65_507, options.MaxDatagramSize);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void MulticastTtl_OutOfRange_Throws(int ttl) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UdpTransportOptions { MulticastTtl = ttl });

    [Fact]
    public void MulticastGroups_UnicastAddress_Throws() =>
        Assert.Throws<ArgumentException>(() => new UdpTransportOptions { MulticastGroups = [IPAddress.Loopback] });

    [Fact]
    public void LocalEndPoint_MulticastAddress_Throws() =>
        Assert.Throws<ArgumentException>(() => new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 3702) });

    [Fact]
    public void Validate_GroupOfTheOtherFamily_Throws()
    {
        var options = new UdpTransportOptions { MulticastGroups = [IPAddress.Parse("ff02::c")] };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void Validate_IPv4WithTheIPv6MaximumSize_ThrowsButIPv6Accepts()
    {
        var v4 = new UdpTransportOptions { MaxDatagramSize = DatagramLimits.MaxIPv6Payload };
        var v6 = v4 with { LocalEndPoint = new IPEndPoint(IPAddress.IPv6Any, 0) };

        Assert.Throws<ArgumentException>(v4.Validate);
        v6.Validate();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65_528)]
    public void MaxDatagramSize_OutOfRange_Throws(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UdpTransportOptions { MaxDatagramSize = size });

    [Fact]
    public void ReceiveQueueCapacity_Zero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UdpTransportOptions { ReceiveQueueCapacity = 0 });

    [Fact]
    public void Interface_Blank_Throws() =>
        Assert.Throws<ArgumentException>(() => new UdpTransportOptions { Interface = " " });

    [Fact]
    public void ForMulticast_IPv6Group_BindsTheIPv6Wildcard()
    {
        var options = UdpTransportOptions.ForMulticast(IPAddress.Parse("ff02::c"), 3702, "lo");

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 3702), options.LocalEndPoint);
        Assert.Equal([IPAddress.Parse("ff02::c")], options.MulticastGroups);
        Assert.Equal("lo", options.Interface);
        options.Validate();
    }
}
