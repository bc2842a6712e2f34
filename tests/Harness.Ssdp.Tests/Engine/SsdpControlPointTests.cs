using System.Net;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Engine;

public class SsdpControlPointTests
{
    private const string Usn = "uuid:4d696e69-444c-164e-9d41-b827eb96c6c2::upnp:rootdevice";

    private sealed class Fixture : IAsyncDisposable
    {
        public Fixture(SsdpControlPointOptions? options = null, UpnpDescriptionFetcher? fetcher = null)
        {
            Network = new InMemoryNetwork(Clock) { ReceiveQueueCapacity = 200_000 };
            ControlPoint = new SsdpControlPoint(
                Scene.Ephemeral(Network, Scene.PeerHost),
                Scene.Listener(Network, Scene.PeerHost),
                options,
                Clock,
                fetcher: fetcher);
            ControlPoint.DeviceAdded += (_, e) => Events.Add(e);
            ControlPoint.DeviceUpdated += (_, e) => Events.Add(e);
            ControlPoint.DeviceRemoved += (_, e) => Events.Add(e);
            ControlPoint.DiscoveredDeviceFailed += (_, e) => Failures.Add(e);
            ControlPoint.DatagramReceived += (_, e) => Handled.Add(e);
            Device = new Peer(Scene.Ephemeral(Network, Scene.DeviceHost));
        }

        public TestClock Clock { get; } = new();

        public InMemoryNetwork Network { get; }

        public SsdpControlPoint ControlPoint { get; }

        public Peer Device { get; }

        public Collector<SsdpDeviceEventArgs> Events { get; } = new();

        public Collector<SsdpDeviceFailedEventArgs> Failures { get; } = new();

        public Collector<SsdpDatagramEventArgs> Handled { get; } = new();

        /// <summary>Multicasts a NOTIFY and waits until the control point has handled it.</summary>
        public async Task NotifyAsync(SsdpNotify notify)
        {
            var count = Handled.Items.Count;
            await Device.SendAsync(notify, Scene.Group);
            await Handled.WaitForCountAsync(count + 1);
        }

        public async ValueTask DisposeAsync()
        {
            await ControlPoint.DisposeAsync();
            await Device.DisposeAsync();
        }
    }

    private static SsdpNotify Alive(int maxAge = 5, string location = "http://127.0.0.2:8080/d.xml", int? bootId = 1, int? configId = 1, string usn = Usn) => new()
    {
        NotificationType = SsdpUsn.Parse(usn).Suffix.Kind == SsdpTargetKind.Empty ? SsdpUsn.Parse(usn).Udn : SsdpUsn.Parse(usn).Suffix.Value,
        Usn = usn,
        MaxAge = maxAge,
        Location = location,
        Server = "Linux/6 UPnP/1.1 Test/1.0",
        BootId = bootId,
        ConfigId = configId,
    };

    [Fact]
    public async Task Alive_MaxAge5NoRefresh_AddedThenExpiredWithin5To7Seconds()
    {
        // Checklist SSDP-CP-001.
        await using var f = new Fixture();
        var start = f.Clock.GetUtcNow();

        await f.NotifyAsync(Alive(maxAge: 5));
        var added = Assert.Single(await f.Events.WaitForCountAsync(1));
        Assert.Equal(SsdpDeviceChange.Added, added.Change);
        Assert.Equal(("upnp:rootdevice", "http://127.0.0.2:8080/d.xml", 5, 1), (added.Device.NotificationType, added.Device.Location, added.Device.MaxAge, added.Device.BootId));
        Assert.Equal(start + TimeSpan.FromSeconds(5), added.Device.ExpiresAt);

        f.Clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Single(f.ControlPoint.Devices);
        await f.Clock.PumpUntilAsync(f.Events, items => items.Count >= 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));

        var removed = f.Events.Items[1];
        Assert.Equal(SsdpDeviceChange.Expired, removed.Change);
        Assert.InRange(f.Clock.GetUtcNow() - start, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));
        Assert.Empty(f.ControlPoint.Devices);
    }

    [Fact]
    public async Task Alive_RefreshedBeforeExpiry_StaysWithoutEvents()
    {
        await using var f = new Fixture();
        await f.NotifyAsync(Alive(maxAge: 5));

        for (var i = 0; i < 5; i++)
        {
            f.Clock.Advance(TimeSpan.FromSeconds(3));
            await f.NotifyAsync(Alive(maxAge: 5));
        }

        Assert.Single(f.Events.Items);
        Assert.Equal(f.Clock.GetUtcNow() + TimeSpan.FromSeconds(5), Assert.Single(f.ControlPoint.Devices).ExpiresAt);
    }

    [Fact]
    public async Task ByeBye_RemovesAtOnce()
    {
        await using var f = new Fixture();
        await f.NotifyAsync(Alive(maxAge: 1800));

        await f.NotifyAsync(new SsdpNotify { NotificationType = "upnp:rootdevice", Nts = SsdpNotify.ByeByeNts, Usn = Usn });

        Assert.Equal([SsdpDeviceChange.Added, SsdpDeviceChange.ByeBye], f.Events.Items.Select(e => e.Change));
        Assert.Empty(f.ControlPoint.Devices);
    }

    [Fact]
    public async Task Alive_NewLocation_ByeByeThenAlive()
    {
        // gssdp bgo#724030: a lost byebye is recovered by the new LOCATION.
        await using var f = new Fixture();
        await f.NotifyAsync(Alive(maxAge: 1800));

        await f.NotifyAsync(Alive(maxAge: 1800, location: "http://127.0.0.2:8081/d.xml"));

        Assert.Equal([SsdpDeviceChange.Added, SsdpDeviceChange.LocationChanged, SsdpDeviceChange.Added], f.Events.Items.Select(e => e.Change));
        Assert.Equal("http://127.0.0.2:8081/d.xml", Assert.Single(f.ControlPoint.Devices).Location);
    }

    [Fact]
    public async Task Alive_NewBootIdWithoutUpdate_Rebooted()
    {
        await using var f = new Fixture();
        await f.NotifyAsync(Alive(bootId: 10));

        await f.NotifyAsync(Alive(bootId: 11));

        var updated = f.Events.Items[1];
        Assert.Equal(SsdpDeviceChange.Rebooted, updated.Change);
        Assert.Equal(11, updated.Device.BootId);
    }

    [Fact]
    public async Task Update_ThenAliveWithNextBootId_BootIdUpdatedNotReboot()
    {
        await using var f = new Fixture();
        await f.NotifyAsync(Alive(bootId: 10));

        await f.NotifyAsync(new SsdpNotify { NotificationType = "upnp:rootdevice", Nts = SsdpNotify.UpdateNts, Usn = Usn, Location = "http://127.0.0.2:8080/d.xml", BootId = 10, ConfigId = 1, NextBootId = 11 });
        await f.NotifyAsync(Alive(bootId: 11));

        Assert.Equal([SsdpDeviceChange.Added, SsdpDeviceChange.BootIdUpdated], f.Events.Items.Select(e => e.Change));
    }

    [Fact]
    public async Task Alive_NewConfigId_ConfigurationChanged()
    {
        await using var f = new Fixture();
        await f.NotifyAsync(Alive(configId: 1));

        await f.NotifyAsync(Alive(configId: 2));

        Assert.Equal([SsdpDeviceChange.Added, SsdpDeviceChange.ConfigurationChanged], f.Events.Items.Select(e => e.Change));
    }

    [Fact]
    public async Task DuplicateBurst_OneAddedNoFlapping()
    {
        await using var f = new Fixture();

        for (var i = 0; i < 3; i++)
        {
            await f.NotifyAsync(Alive(maxAge: 1800));
        }

        Assert.Single(f.Events.Items);
    }

    [Fact]
    public async Task ReceiveNotifyOff_AliveIgnoredUntilOn()
    {
        await using var f = new Fixture(new SsdpControlPointOptions { ReceiveNotify = false });

        await f.NotifyAsync(Alive(maxAge: 1800));
        Assert.Empty(f.ControlPoint.Devices);
        Assert.Equal(1, f.ControlPoint.NotifiesIgnored);

        f.ControlPoint.ReceiveNotify = true;
        await f.NotifyAsync(Alive(maxAge: 1800));
        Assert.Single(f.ControlPoint.Devices);
    }

    [Fact]
    public async Task CacheFull_NewUsnsRefusedKnownKept()
    {
        await using var f = new Fixture(new SsdpControlPointOptions { MaxDevices = 5 });

        for (var i = 0; i < 10; i++)
        {
            await f.NotifyAsync(Alive(maxAge: 1800, usn: $"uuid:00000000-0000-4000-8000-{i:D12}"));
        }

        Assert.Equal(5, f.ControlPoint.Devices.Count);
        Assert.Equal(5, f.ControlPoint.DevicesRefused);
    }

    [Fact]
    public async Task MaxAge_ClampedAndDefaulted()
    {
        await using var f = new Fixture(new SsdpControlPointOptions { MaxMaxAge = 3600, DefaultMaxAge = 900 });

        await f.NotifyAsync(Alive(maxAge: 14400, usn: "uuid:00000000-0000-4000-8000-000000000001"));
        await f.NotifyAsync(Alive(maxAge: 5, usn: "uuid:00000000-0000-4000-8000-000000000002") with { MaxAge = null });

        Assert.Equal(3600, f.ControlPoint.Find("uuid:00000000-0000-4000-8000-000000000001")!.MaxAge);
        Assert.Equal(900, f.ControlPoint.Find("uuid:00000000-0000-4000-8000-000000000002")!.MaxAge);
    }

    [Fact]
    public async Task Search_Multicast_SendsUdaSearchTwiceFromEphemeralPort()
    {
        await using var f = new Fixture(new SsdpControlPointOptions { CpFriendlyName = "Harness" });
        await using var device = new Peer(Scene.Listener(f.Network, Scene.DeviceHost));

        var search = f.ControlPoint.SearchAsync(new SsdpSearch { Target = "upnp:rootdevice", Mx = 1 }, CancellationToken.None);
        await f.Clock.PumpUntilAsync(device.Received, items => items.Count(r => r.Message is SsdpSearchRequest) >= 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        f.Clock.Advance(TimeSpan.FromSeconds(3));
        await search;

        var requests = device.Received.Items.Where(r => r.Message is SsdpSearchRequest).ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            var read = SsdpMessageReader.Read(r.Datagram.Payload.Span);
            Assert.Empty(read.Violations);
            var m = (SsdpSearchRequest)read.Message!;
            Assert.Equal(("239.255.255.250:1900", 1, "upnp:rootdevice", "Harness"), (m.Host, m.Mx!.Value, m.SearchTarget, m.CpFriendlyName));
            Assert.NotEqual(SsdpMulticast.Port, r.Datagram.Source.Port);
        });
    }

    [Fact]
    public async Task Search_WithAdvertiser_AllTenPairsFoundAndCached()
    {
        await using var f = new Fixture();
        await using var advertiser = new SsdpAdvertiser(
            Scene.Listener(f.Network, Scene.DeviceHost),
            new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), Seed = 11 },
            f.Clock);
        await advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        var results = new Collector<SsdpSearchResult>();

        var search = Task.Run(async () =>
        {
            await foreach (var result in f.ControlPoint.SearchStreamAsync(new SsdpSearch { Mx = 1 }, CancellationToken.None))
            {
                results.Add(result);
            }
        });
        await f.Clock.PumpUntilAsync(results, items => items.Count >= 10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
        f.Clock.Advance(TimeSpan.FromSeconds(5));
        await search.WaitAsync(Collector<int>.DefaultTimeout);

        Assert.Equal(10, results.Items.Count);
        Assert.Equal(
            SsdpAnnouncements.For(Scene.MediaServer()).Select(p => p.Usn).ToHashSet(),
            results.Items.Select(r => r.Response.Usn).ToHashSet());
        Assert.All(results.Items, r => Assert.Equal(new IPEndPoint(Scene.DeviceHost, SsdpMulticast.Port), r.Source));
        Assert.Equal(10, f.ControlPoint.Devices.Count);
        Assert.Contains(f.ControlPoint.Devices, d => d.IsRootDevice);
    }

    [Fact]
    public async Task Search_Unicast_AnsweredWithoutMx()
    {
        await using var f = new Fixture();
        await using var advertiser = new SsdpAdvertiser(
            Scene.Listener(f.Network, Scene.DeviceHost),
            new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), Seed = 12 },
            f.Clock);
        await advertiser.PublishAsync(Scene.Published(), CancellationToken.None);

        var search = f.ControlPoint.SearchAsync(
            new SsdpSearch { Target = "upnp:rootdevice", Unicast = new IPEndPoint(Scene.DeviceHost, SsdpMulticast.Port), Sends = 1, MaxResults = 1 },
            CancellationToken.None);
        var results = await search.WaitAsync(Collector<int>.DefaultTimeout);

        Assert.Equal(Scene.Udn(1) + "::upnp:rootdevice", Assert.Single(results).Response.Usn);
    }

    [Fact]
    public async Task Search_VersionTwoAnswerToVersionOneSearch_Accepted()
    {
        // st-wrong quirk: the device answers with its own (higher) version; the search still takes it.
        await using var f = new Fixture();
        var results = new Collector<SsdpSearchResult>();
        var search = Task.Run(async () =>
        {
            await foreach (var result in f.ControlPoint.SearchStreamAsync(new SsdpSearch { Target = "urn:schemas-upnp-org:device:MediaServer:1", Mx = 1, Sends = 1 }, CancellationToken.None))
            {
                results.Add(result);
            }
        });
        await using var device = new Peer(Scene.Listener(f.Network, Scene.DeviceHost));
        var request = (await device.Received.WaitForCountAsync(1))[0];
        var answer = new SsdpSearchResponse
        {
            MaxAge = 1800,
            Location = "http://127.0.0.2/d.xml",
            Server = "Linux/6 UPnP/1.0 X/1",
            SearchTarget = "urn:schemas-upnp-org:device:MediaServer:2",
            Usn = Scene.Udn(1) + "::urn:schemas-upnp-org:device:MediaServer:2",
        };
        await device.SendAsync(answer, request.Datagram.Source);
        await device.SendAsync(answer with { SearchTarget = "urn:schemas-upnp-org:device:MediaRenderer:1", Usn = Scene.Udn(1) + "::urn:schemas-upnp-org:device:MediaRenderer:1" }, request.Datagram.Source);
        await f.Handled.WaitForCountAsync(2);
        f.Clock.Advance(TimeSpan.FromSeconds(3));
        await search.WaitAsync(Collector<int>.DefaultTimeout);

        Assert.Equal("urn:schemas-upnp-org:device:MediaServer:2", Assert.Single(results.Items).Response.SearchTarget);
    }

    [Fact]
    public async Task Fetcher_NewRootDevice_AddedWithDescription()
    {
        using var handler = new StubHandler(_ => StubHandler.Xml(UpnpDescriptionWriter.Write(new UpnpDescription { Device = Scene.MediaServer(), ConfigId = 1 })));
        using var fetcher = new UpnpDescriptionFetcher(handler);
        await using var f = new Fixture(fetcher: fetcher);

        await f.NotifyAsync(Alive(maxAge: 1800, usn: Scene.Udn(1) + "::upnp:rootdevice"));
        await f.NotifyAsync(Alive(maxAge: 1800, usn: Scene.Udn(1)));
        var added = await f.Events.WaitForCountAsync(2);

        Assert.All(added, e => Assert.Equal(SsdpDeviceChange.Added, e.Change));
        Assert.All(added, e => Assert.Equal("Harness media server 1", e.Device.Description!.Device.FriendlyName));
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task Fetcher_DescriptionFails_ReportedAndDropped()
    {
        using var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html><body>status=ok</body></html>", System.Text.Encoding.UTF8, "text/html") });
        using var fetcher = new UpnpDescriptionFetcher(handler);
        await using var f = new Fixture(fetcher: fetcher);

        await f.NotifyAsync(Alive(maxAge: 1800));
        var failure = Assert.Single(await f.Failures.WaitForCountAsync(1));

        Assert.Equal("http://127.0.0.2:8080/d.xml", failure.Location);
        Assert.Equal(Usn, Assert.Single(failure.Devices).Usn);
        Assert.Equal(UpnpFetchStatus.Unreadable, failure.Fetch.Status);
        Assert.Contains(failure.Fetch.Violations, v => v.Message.Contains("HTML", StringComparison.Ordinal));
        Assert.Empty(f.ControlPoint.Devices);
        Assert.Empty(f.Events.Items);

        // The LOCATION is not tried again until DescriptionRetryAfter.
        await f.NotifyAsync(Alive(maxAge: 1800));
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public void ResolveLocation_LinkLocalWithoutZone_GetsSourceScope()
    {
        var source = new IPEndPoint(IPAddress.Parse("fe80::1%3"), 1900);

        var uri = SsdpDiscoveredDevice.ResolveLocation("http://[fe80::2]:80/RootDevice.xml", source);

        Assert.Equal("fe80::2%3", uri!.DnsSafeHost);
        Assert.Null(SsdpDiscoveredDevice.ResolveLocation("192.168.1.1", source));
        Assert.Null(SsdpDiscoveredDevice.ResolveLocation(string.Empty, source));
    }
}

/// <summary>An HTTP handler that answers every request with a function's response and counts requests.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public static HttpResponseMessage Xml(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "text/xml; charset=\"utf-8\"");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return Task.FromResult(respond(request));
    }
}

public class SsdpControlPointFetchEdgeTests
{
    [Fact]
    public async Task Fetcher_AliveWithoutLocation_ReportedAndDropped()
    {
        using var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        using var fetcher = new UpnpDescriptionFetcher(handler);
        var clock = new TestClock();
        var network = new InMemoryNetwork(clock);
        await using var controlPoint = new SsdpControlPoint(Scene.Ephemeral(network, Scene.PeerHost), Scene.Listener(network, Scene.PeerHost), timeProvider: clock, fetcher: fetcher);
        var failures = new Collector<SsdpDeviceFailedEventArgs>();
        controlPoint.DiscoveredDeviceFailed += (_, e) => failures.Add(e);
        await using var device = new Peer(Scene.Ephemeral(network, Scene.DeviceHost));

        await device.SendAsync(new SsdpNotify { NotificationType = "upnp:rootdevice", Usn = Scene.Udn(5) + "::upnp:rootdevice", MaxAge = 1800, Server = "Linux/6 UPnP/1.0 X/1" }, Scene.Group);
        var failure = Assert.Single(await failures.WaitForCountAsync(1));

        Assert.Equal(UpnpFetchStatus.InvalidLocation, failure.Fetch.Status);
        Assert.Single(failure.Devices);
        Assert.Equal(0, handler.Requests);
        Assert.Empty(controlPoint.Devices);
    }
}
