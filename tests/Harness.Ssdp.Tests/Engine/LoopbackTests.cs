using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Engine;

/// <summary>
/// Control point and advertiser over real UDP on the loopback interface ("lo"), multicast to 239.255.255.250 on a
/// private port per test (never 1900), and HTTP on 127.0.0.1. Real time, bounded waits.
/// </summary>
public class LoopbackTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string Lo => LoopbackInterface.Name;

    [Fact]
    public async Task RealUdp_MulticastSearchAndNotify_FoundCachedAndRemovedOnStop()
    {
        var deviceTransport = SsdpTransports.BindListener(AddressFamily.InterNetwork, Lo, port: 0, ttl: 1);
        var group = new IPEndPoint(SsdpMulticast.IPv4Group, deviceTransport.LocalEndPoint.Port);
        var advertiser = new SsdpAdvertiser(
            deviceTransport,
            new SsdpAdvertiserOptions { MulticastEndPoints = [group], MaxMx = 1, AnnounceCount = 1, Seed = 31 });
        var controlPoint = new SsdpControlPoint(
            SsdpTransports.BindSearcher(AddressFamily.InterNetwork, Lo, ttl: 1),
            SsdpTransports.BindListener(AddressFamily.InterNetwork, Lo, port: group.Port, ttl: 1),
            new SsdpControlPointOptions { MulticastEndPoints = [group] });
        await using var _ = controlPoint;
        var removed = new Collector<SsdpDeviceEventArgs>();
        controlPoint.DeviceRemoved += (_, e) => removed.Add(e);
        var added = new Collector<SsdpDeviceEventArgs>();
        controlPoint.DeviceAdded += (_, e) => added.Add(e);

        await advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await added.WaitAsync(items => items.Count >= 10, Patience);
        var results = await controlPoint.SearchAsync(new SsdpSearch { Mx = 1, Sends = 1 }, CancellationToken.None);

        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.Equal("http://127.0.0.1:8080/device/1.xml", r.Response.Location));
        Assert.All(results, r => Assert.Equal(group.Port, r.Source.Port));
        Assert.Equal(SsdpAnnouncements.For(Scene.MediaServer()).Select(p => p.Usn).ToHashSet(), controlPoint.Devices.Select(d => d.Usn).ToHashSet());

        await advertiser.DisposeAsync();
        await removed.WaitAsync(items => items.Count >= 10, Patience);
        Assert.All(removed.Items, e => Assert.Equal(SsdpDeviceChange.ByeBye, e.Change));
        Assert.Empty(controlPoint.Devices);
    }

    [Fact]
    public async Task RealUdp_UnicastSearchToSearchPort_AnsweredWithSearchPort()
    {
        var listener = SsdpTransports.BindListener(AddressFamily.InterNetwork, Lo, port: 0, ttl: 1);
        var searchPort = SsdpTransports.BindSearchPort(AddressFamily.InterNetwork, Lo, seed: Environment.ProcessId);
        var port = searchPort.LocalEndPoint.Port;
        await using var advertiser = new SsdpAdvertiser(
            [listener, searchPort],
            new SsdpAdvertiserOptions
            {
                MulticastEndPoints = [new IPEndPoint(SsdpMulticast.IPv4Group, listener.LocalEndPoint.Port)],
                SearchPort = port,
                InitialDelay = TimeSpan.FromDays(1),
                Seed = 32,
            });
        await advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await using var controlPoint = new SsdpControlPoint(SsdpTransports.BindSearcher(AddressFamily.InterNetwork, Lo));

        var results = await controlPoint.SearchAsync(
            new SsdpSearch { Target = "upnp:rootdevice", Unicast = new IPEndPoint(IPAddress.Loopback, port), Sends = 1, MaxResults = 1 },
            CancellationToken.None);

        var response = Assert.Single(results).Response;
        Assert.InRange(port, 49152, 65535);
        Assert.Equal(port, response.SearchPort);
        Assert.Equal(Scene.Udn(1) + "::upnp:rootdevice", response.Usn);
    }

    [Fact]
    public async Task RealUdpAndHttp_ControlPointFetchesDescriptionOfAdvertisedDevice()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        var description = new UpnpDescription { ConfigId = 7, Device = Scene.MediaServer() };
        var location = server.Publish("/device/1.xml", description);
        var deviceTransport = SsdpTransports.BindListener(AddressFamily.InterNetwork, Lo, port: 0, ttl: 1);
        var group = new IPEndPoint(SsdpMulticast.IPv4Group, deviceTransport.LocalEndPoint.Port);
        await using var advertiser = new SsdpAdvertiser(deviceTransport, new SsdpAdvertiserOptions { MulticastEndPoints = [group], AnnounceCount = 1, Seed = 33 });
        using var fetcher = new UpnpDescriptionFetcher();
        await using var controlPoint = new SsdpControlPoint(
            SsdpTransports.BindSearcher(AddressFamily.InterNetwork, Lo, ttl: 1),
            SsdpTransports.BindListener(AddressFamily.InterNetwork, Lo, port: group.Port, ttl: 1),
            new SsdpControlPointOptions { MulticastEndPoints = [group] },
            fetcher: fetcher);
        var added = new Collector<SsdpDeviceEventArgs>();
        controlPoint.DeviceAdded += (_, e) => added.Add(e);

        await advertiser.PublishAsync(Scene.Published() with { Location = $"http://{{address}}:{location.Port}/device/1.xml" }, CancellationToken.None);
        var items = await added.WaitAsync(i => i.Any(e => e.Device.IsRootDevice), Patience);

        var root = items.First(e => e.Device.IsRootDevice).Device;
        Assert.Equal(location, root.LocationUri);
        Assert.Equal(description.Device.FriendlyName, root.Description!.Device.FriendlyName);
        Assert.Equal(7, root.Description.ConfigId);
        Assert.Equal(root.ConfigId, root.Description.ConfigId);
        Assert.Equal(1, server.RequestCount);
    }

    [SkippableFact]
    public async Task RealUdpIPv6_MulticastSearchOnFf02C_Found()
    {
        var linkLocal = SsdpMulticast.IPv6LinkLocalGroup;
        Skip.IfNot(await LoopbackInterface.CanMulticastAsync(linkLocal, TimeSpan.FromSeconds(2)), "IPv6 multicast does not work on the loopback interface here (lo lacks the MULTICAST flag).");
        var deviceTransport = UdpDatagramTransport.Bind(UdpTransportOptions.ForMulticast(linkLocal, 0, Lo));
        var group = new IPEndPoint(linkLocal, deviceTransport.LocalEndPoint.Port);
        await using var advertiser = new SsdpAdvertiser(deviceTransport, new SsdpAdvertiserOptions { MulticastEndPoints = [group], InitialDelay = TimeSpan.FromDays(1), MaxMx = 1, Seed = 34 });
        await advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await using var controlPoint = new SsdpControlPoint(
            SsdpTransports.BindSearcher(AddressFamily.InterNetworkV6, Lo, ttl: 1),
            listenTransport: null,
            new SsdpControlPointOptions { MulticastEndPoints = [group] });

        var results = await controlPoint.SearchAsync(new SsdpSearch { Target = "upnp:rootdevice", Mx = 1, Sends = 1 }, CancellationToken.None);

        var result = Assert.Single(results);
        Assert.StartsWith("http://[", result.Response.Location, StringComparison.Ordinal);
        Assert.Equal(AddressFamily.InterNetworkV6, result.Source.AddressFamily);
    }
}

/// <summary>The transport helpers on real sockets.</summary>
public class SsdpTransportsTests
{
    [Fact]
    public async Task IsPortTaken_ExclusiveHolderVersusFreePort()
    {
        await using var holder = SsdpTransports.BindSearchPort(AddressFamily.InterNetwork, null, seed: Environment.ProcessId + 1);
        int free;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Any, 0));
            free = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        Assert.True(SsdpTransports.IsPortTaken(AddressFamily.InterNetwork, holder.LocalEndPoint.Port));
        Assert.False(SsdpTransports.IsPortTaken(AddressFamily.InterNetwork, free));
        Assert.InRange(holder.LocalEndPoint.Port, 49152, 65535);
    }

    [Fact]
    public async Task RealUdp_TwentyThousandHostileDatagrams_AdvertiserStillAnswersUnicastSearch()
    {
        var listener = SsdpTransports.BindListener(AddressFamily.InterNetwork, LoopbackInterface.Name, port: 0, ttl: 1);
        var port = listener.LocalEndPoint.Port;
        await using var advertiser = new SsdpAdvertiser(
            listener,
            new SsdpAdvertiserOptions { MulticastEndPoints = [new IPEndPoint(SsdpMulticast.IPv4Group, port)], InitialDelay = TimeSpan.FromDays(1), MaxMx = 1, Seed = 35 });
        await advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await using (var attacker = UdpDatagramTransport.Bind(new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }))
        {
            foreach (var datagram in HostileSsdp.Generate(seed: 3, 20_000))
            {
                await attacker.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None);
            }
        }

        await using var controlPoint = new SsdpControlPoint(SsdpTransports.BindSearcher(AddressFamily.InterNetwork, LoopbackInterface.Name));
        IReadOnlyList<SsdpSearchResult> results = [];
        for (var attempt = 0; attempt < 5 && results.Count == 0; attempt++)
        {
            results = await controlPoint.SearchAsync(
                new SsdpSearch { Target = Scene.Udn(1), Unicast = new IPEndPoint(IPAddress.Loopback, port), Sends = 1, MaxResults = 1, Timeout = TimeSpan.FromSeconds(5) },
                CancellationToken.None);
        }

        Assert.Equal(Scene.Udn(1), Assert.Single(results).Response.Usn);
        Assert.True(advertiser.MalformedDatagrams > 0);
        Assert.Equal(0, advertiser.HandlerFaults);
    }
}
