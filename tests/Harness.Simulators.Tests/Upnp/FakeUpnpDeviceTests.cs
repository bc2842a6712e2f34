using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Harness.Core.Transport;
using Harness.Simulators.Upnp;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Simulators.Tests.Upnp;

/// <summary>
/// The simulated UPnP devices of every kind over real UDP and HTTP on loopback (an address and a multicast port of
/// their own per test), checked against UDA 1.1 (§1.2 advertisement, §1.3 search, §2 description).
/// </summary>
public sealed class FakeUpnpDeviceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static TheoryData<UpnpDeviceKind, int> KindsAndPairs => new()
    {
        // 3 + 2d + k (UDA 1.1 §1.2.2, SSDP-NOTIFY-002).
        { UpnpDeviceKind.Basic, 3 },
        { UpnpDeviceKind.MediaServer, 3 + 2 },
        { UpnpDeviceKind.MediaRenderer, 3 + 3 },
        { UpnpDeviceKind.InternetGateway, 3 + (2 * 2) + 3 },
        { UpnpDeviceKind.Printer, 3 + 1 },
        { UpnpDeviceKind.Scanner, 3 + 2 },
    };

    [Theory]
    [MemberData(nameof(KindsAndPairs))]
    public async Task EveryKind_ControlPointSearchesAll_AnswersEqualAnnouncementSetAndDescriptionReadsClean(UpnpDeviceKind kind, int pairs)
    {
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(kind));
        using var fetcher = new UpnpDescriptionFetcher(options: new UpnpFetchOptions { AcceptLanguage = "en-US, en;q=0.8" });
        await using var controlPoint = new SsdpControlPoint(
            SsdpTransports.BindSearcher(AddressFamily.InterNetwork, LoopbackInterface.Name, ttl: 1),
            listenTransport: null,
            new SsdpControlPointOptions { MulticastEndPoints = [device.SearchEndPoint] },
            fetcher: fetcher);
        var added = new Collector<SsdpDeviceEventArgs>();
        controlPoint.DeviceAdded += (_, e) => added.Add(e);

        var results = await controlPoint.SearchAsync(new SsdpSearch { Mx = 1, Sends = 1, Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);

        // ssdp:all: one answer per (NT, USN) pair, each with its NT as ST (SSDP-MSEARCH-008).
        Assert.Equal(pairs, device.Announcements.Count);
        Assert.Equal(pairs, results.Count);
        Assert.Equal(
            device.Announcements.Select(a => (a.NotificationType.Value, a.Usn)).ToHashSet(),
            results.Select(r => (r.Response.SearchTarget, r.Response.Usn)).ToHashSet());
        Assert.All(results, r => Assert.Empty(r.Violations));
        Assert.All(results, r => Assert.Equal(device.Location.ToString(), r.Response.Location));
        Assert.All(results, r => Assert.Equal(device.Address, r.Source.Address));
        Assert.All(results, r => Assert.Equal("Linux/6.1 UPnP/1.1 Harness/1.0", r.Response.Server));
        Assert.All(results, r => Assert.Equal(device.BootId, r.Response.BootId));
        Assert.All(results, r => Assert.Equal(1, r.Response.ConfigId));

        // The control point fetched the description before reporting the root.
        var root = (await added.WaitAsync(items => items.Any(e => e.Device.IsRootDevice), Patience)).First(e => e.Device.IsRootDevice).Device;
        Assert.Equal(device.Udn, root.Udn);
        Assert.NotNull(root.Description);

        // The description over HTTP: UDA headers and a clean read (DESC-HTTP-002..004, DESC-XML-*).
        var fetch = await fetcher.FetchAsync(device.Location, CancellationToken.None);
        Assert.True(fetch.Success, fetch.Error);
        Assert.Empty(fetch.Violations);
        Assert.Equal("text/xml; charset=\"utf-8\"", fetch.ContentType);
        Assert.Equal(fetch.Body.Length, fetch.ContentLength);
        Assert.Equal("en", fetch.ContentLanguage);
        var description = fetch.Description!;
        Assert.Equal(1, description.ConfigId);
        Assert.Equal(UpnpSpecVersion.V11, description.SpecVersion);
        Assert.Equal(device.Identity.Name, description.Device.FriendlyName);
        Assert.Equal(device.Identity.Manufacturer, description.Device.Manufacturer);
        Assert.Equal(device.Identity.Model, description.Device.ModelName);
        Assert.Equal(device.Identity.SerialNumber, description.Device.SerialNumber);

        // The devices and services of the XML are exactly those announced (DESC-XML-010 cross-check).
        Assert.Equal(device.Announcements.ToHashSet(), SsdpAnnouncements.For(description.Device).ToHashSet());
        Assert.Equal(pairs, SsdpAnnouncements.For(description.Device).Count);
    }

    [Fact]
    public async Task InternetGateway_Description_NestsWanDeviceAndWanConnectionDevice()
    {
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.InternetGateway));
        using var fetcher = new UpnpDescriptionFetcher();

        var description = (await fetcher.FetchAsync(device.Location, CancellationToken.None)).Description!;

        var root = description.Device;
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", root.DeviceType);
        Assert.Equal("urn:schemas-upnp-org:service:Layer3Forwarding:1", Assert.Single(root.Services).ServiceType);
        var wan = Assert.Single(root.Devices);
        Assert.Equal("urn:schemas-upnp-org:device:WANDevice:1", wan.DeviceType);
        Assert.Equal("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", Assert.Single(wan.Services).ServiceType);
        var connection = Assert.Single(wan.Devices);
        Assert.Equal("urn:schemas-upnp-org:device:WANConnectionDevice:1", connection.DeviceType);
        Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:1", Assert.Single(connection.Services).ServiceType);
        var udns = description.AllDevices.Select(d => d.Udn).ToList();
        Assert.Equal(3, udns.Distinct(StringComparer.Ordinal).Count());
        Assert.All(udns, udn => Assert.Matches("^uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", udn));
    }

    [Theory]
    [InlineData(UpnpDeviceKind.MediaServer)]
    [InlineData(UpnpDeviceKind.MediaRenderer)]
    [InlineData(UpnpDeviceKind.InternetGateway)]
    [InlineData(UpnpDeviceKind.Printer)]
    [InlineData(UpnpDeviceKind.Scanner)]
    public async Task EveryService_ScpdUrl_Serves200TextXmlScpdWithConfigId(UpnpDeviceKind kind)
    {
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(kind));
        using var http = new HttpClient();
        XNamespace ns = "urn:schemas-upnp-org:service-1-0";

        foreach (var service in device.Description.AllDevices.SelectMany(d => d.Services))
        {
            // DESC-XML-009: every service carries its five elements and a GET on SCPDURL returns 200 text/xml.
            Assert.StartsWith("urn:upnp-org:serviceId:", service.ServiceId, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(service.ControlUrl));
            Assert.False(string.IsNullOrEmpty(service.EventSubUrl));
            using var response = await http.GetAsync(device.Description.ResolveUrl(service.ScpdUrl, device.Location));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/xml; charset=\"utf-8\"", string.Join(", ", response.Content.Headers.GetValues("Content-Type")));
            var scpd = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
            Assert.Equal(ns + "scpd", scpd.Name);
            Assert.Equal("1", scpd.Attribute("configId")?.Value);
            Assert.NotEmpty(scpd.Elements(ns + "actionList").Elements(ns + "action"));
            var variables = scpd.Elements(ns + "serviceStateTable").Elements(ns + "stateVariable").Select(v => v.Element(ns + "name")!.Value).ToHashSet();
            Assert.All(scpd.Descendants(ns + "relatedStateVariable"), r => Assert.Contains(r.Value, variables));
        }
    }

    [Fact]
    public async Task MediaServer_IconsAndPresentationPage_ServedWithTheirTypes()
    {
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.MediaServer));
        using var http = new HttpClient();

        var icons = device.Description.Device.Icons;
        Assert.Equal(2, icons.Count);
        foreach (var icon in icons)
        {
            using var response = await http.GetAsync(device.Description.ResolveUrl(icon.Url, device.Location));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            var png = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
            using var bitmap = SkiaSharp.SKBitmap.Decode(png);
            Assert.Equal(icon.Width, bitmap.Width);
            Assert.Equal(icon.Height, bitmap.Height);
        }

        using var page = await http.GetAsync(device.Description.ResolveUrl(device.Description.Device.PresentationUrl, device.Location));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(device.Identity.Name), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Description_RawHttp_CarriesDateServerAndContentLanguageForAcceptLanguage()
    {
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.Printer));
        using var client = new TcpClient();
        await client.ConnectAsync(device.Location.Host, device.Location.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {device.Location.AbsolutePath} HTTP/1.1\r\nHost: {device.Location.Authority}\r\nAccept-Language: fr, en;q=0.5\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);

        var text = await reader.ReadToEndAsync();

        var head = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var headers = UpnpScene.Headers(head);
        Assert.StartsWith("HTTP/1.1 200 OK", head, StringComparison.Ordinal);
        Assert.Equal("text/xml; charset=\"utf-8\"", headers["Content-Type"]);
        Assert.Equal("en", headers["Content-Language"]);
        Assert.Equal("Linux/6.1 UPnP/1.1 Harness/1.0", headers["Server"]);
        Assert.True(DateTimeOffset.TryParseExact(headers["Date"], "r", null, System.Globalization.DateTimeStyles.None, out _), headers["Date"]);
        var body = Encoding.UTF8.GetBytes(text[(head.Length + 4)..]);
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["Content-Length"]);
    }

    [Fact]
    public async Task Start_InitialAliveSet_Is3Plus2dPlusKNotifiesWithUdaHeaders()
    {
        var options = UpnpScene.Options(UpnpDeviceKind.MediaRenderer);
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await UpnpScene.StartAsync(options with { MulticastEndPoint = group });

        var alives = await listener.WaitForAsync<SsdpNotify>(device.Announcements.Count, n => n.Subtype == SsdpNotifySubtype.Alive, Patience);

        var first = alives.Take(device.Announcements.Count).ToList();
        Assert.Equal(device.Announcements.Select(a => (a.NotificationType.Value, a.Usn)).ToHashSet(), first.Select(n => (n.NotificationType, n.Usn)).ToHashSet());
        Assert.All(first, n =>
        {
            Assert.Equal("239.255.255.250:" + group.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Host);
            Assert.Equal(1800, n.MaxAge);
            Assert.Equal(device.Location.ToString(), n.Location);
            Assert.Equal(device.BootId, n.BootId);
            Assert.Equal(1, n.ConfigId);
        });
        Assert.All(listener.Received.Items.Where(i => i.Message is SsdpNotify), i => Assert.Equal(device.Address, i.Datagram.Source.Address));
    }

    [Fact]
    public async Task Restart_ByeByeSetWithOldBootIdThenAliveSetWithBootIdPlusOne()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.MediaServer) with { MulticastEndPoint = group, BootId = 41 });
        var n = device.Announcements.Count;
        await listener.WaitForAsync<SsdpNotify>(n, m => m.Subtype == SsdpNotifySubtype.Alive, Patience);

        await device.RestartAsync(CancellationToken.None);
        await listener.WaitForAsync<SsdpNotify>(n, m => m.Subtype == SsdpNotifySubtype.Alive && m.BootId == 42, Patience);

        Assert.Equal(42, device.BootId);
        var notifies = listener.Messages<SsdpNotify>();
        var byebyes = notifies.Where(m => m.Subtype == SsdpNotifySubtype.ByeBye).ToList();
        Assert.Equal(device.Announcements.Select(a => a.Usn).ToHashSet(), byebyes.Select(b => b.Usn).ToHashSet());
        Assert.All(byebyes, b => Assert.Equal(41, b.BootId));
        var lastByeBye = notifies.ToList().FindLastIndex(m => m.Subtype == SsdpNotifySubtype.ByeBye);
        var firstNewAlive = notifies.ToList().FindIndex(m => m.BootId == 42);
        Assert.True(lastByeBye < firstNewAlive, "every byebye precedes the new alive set");
        Assert.DoesNotContain(notifies, m => m.Subtype == SsdpNotifySubtype.Alive && m.BootId is not (41 or 42));
    }

    [Fact]
    public async Task ChangeConfiguration_NewAliveSetWithConfigIdPlusOneSameBootIdAndNewDescription()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.Basic) with { MulticastEndPoint = group, BootId = 7 });
        await listener.WaitForAsync<SsdpNotify>(3, m => m.Subtype == SsdpNotifySubtype.Alive, Patience);

        await device.ChangeConfigurationAsync(CancellationToken.None);
        await listener.WaitForAsync<SsdpNotify>(3, m => m.Subtype == SsdpNotifySubtype.Alive && m.ConfigId == 2, Patience);
        using var fetcher = new UpnpDescriptionFetcher();
        var fetched = await fetcher.FetchAsync(device.Location, CancellationToken.None);

        Assert.Equal(2, device.ConfigId);
        Assert.Equal(2, fetched.Description!.ConfigId);
        Assert.All(listener.Messages<SsdpNotify>(), m => Assert.Equal(7, m.BootId));
        Assert.DoesNotContain(listener.Messages<SsdpNotify>(), m => m.Subtype == SsdpNotifySubtype.ByeBye);
    }

    [Fact]
    public async Task Dispose_SendsByeByeForEveryPairOfTheSet()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.InternetGateway) with { MulticastEndPoint = group });
        var announcements = device.Announcements;
        await listener.WaitForAsync<SsdpNotify>(announcements.Count, m => m.Subtype == SsdpNotifySubtype.Alive, Patience);

        await device.DisposeAsync();
        var byebyes = await listener.WaitForAsync<SsdpNotify>(announcements.Count, m => m.Subtype == SsdpNotifySubtype.ByeBye, Patience);

        Assert.Equal(announcements.Select(a => (a.NotificationType.Value, a.Usn)).ToHashSet(), byebyes.Select(b => (b.NotificationType, b.Usn)).ToHashSet());
        Assert.All(byebyes, b => Assert.Null(b.Location));
        Assert.All(byebyes, b => Assert.Equal(1, b.ConfigId));
    }

    [Fact]
    public async Task UnicastSearchToOwnAddress_AnsweredAtOnceFromThatAddress()
    {
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.MediaServer) with { InitialDelay = TimeSpan.FromDays(1) });
        await using var searcher = WirePeer.Searcher();
        var target = device.UnicastSearchEndPoint!;

        await searcher.SendAsync(UpnpScene.Search(target, "upnp:rootdevice", mx: null), target);
        var response = Assert.Single(await searcher.WaitForAsync<SsdpSearchResponse>(1, timeout: Patience));

        Assert.Equal(device.Udn + "::upnp:rootdevice", response.Usn);
        Assert.Equal(target, Assert.Single(searcher.Received.Items).Datagram.Source);
    }

    [Fact]
    public async Task VersionRule_SearchForLowerVersionAnsweredWithRequestedVersion()
    {
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.MediaServer) with { AnswerDelay = TimeSpan.Zero });
        await using var searcher = WirePeer.Searcher();

        await searcher.SendAsync(UpnpScene.Search(device.SearchEndPoint, "urn:schemas-upnp-org:service:ConnectionManager:1"), device.SearchEndPoint);
        var response = Assert.Single(await searcher.WaitForAsync<SsdpSearchResponse>(1, timeout: Patience));

        Assert.Equal("urn:schemas-upnp-org:service:ConnectionManager:1", response.SearchTarget);
        Assert.Equal(device.Udn + "::urn:schemas-upnp-org:service:ConnectionManager:1", response.Usn);
    }

    [Theory]
    [InlineData("1.0", 1, 0)]
    [InlineData("2.0", 2, 0)]
    public async Task UpnpVersion_SetsSpecVersionServerTokenAndIds(string version, int major, int minor)
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.Basic) with { MulticastEndPoint = group, UpnpVersion = version });
        using var fetcher = new UpnpDescriptionFetcher();

        var alive = (await listener.WaitForAsync<SsdpNotify>(1, m => m.Subtype == SsdpNotifySubtype.Alive, Patience))[0];
        var description = (await fetcher.FetchAsync(device.Location, CancellationToken.None)).Description!;

        Assert.Equal($"Linux/6.1 UPnP/{version} Harness/1.0", alive.Server);
        Assert.Equal(new UpnpSpecVersion(major, minor), description.SpecVersion);
        if (major == 1)
        {
            // UDA 1.0: no BOOTID, CONFIGID or configId (SSDP-RESP-011).
            Assert.Null(alive.BootId);
            Assert.Null(alive.ConfigId);
            Assert.Null(description.ConfigId);
        }
        else
        {
            Assert.Equal(device.BootId, alive.BootId);
            Assert.Equal(1, alive.ConfigId);
            Assert.Equal(1, description.ConfigId);
        }
    }

    [Fact]
    public async Task SeededIdentity_SameSeedIndexKind_SameIdentityUdnsAndDescription()
    {
        var options = UpnpScene.Options(UpnpDeviceKind.InternetGateway) with { Seed = 42, Index = 3 };
        UpnpDescription first;
        await using (var device = await UpnpScene.StartAsync(options))
        {
            first = device.Description;
            Assert.Equal(FakeUpnpDevice.CreateIdentity(UpnpDeviceKind.InternetGateway, 42, 3), device.Identity);
            Assert.Equal("uuid:" + device.Identity.Uuid.ToString("D"), device.Udn);
            Assert.Contains("Router", device.Identity.Name, StringComparison.Ordinal);
            Assert.StartsWith("GW-", device.Identity.Model, StringComparison.Ordinal);
        }

        await using var again = await UpnpScene.StartAsync(options with { UnicastAddress = UpnpScene.NextAddress() });

        Assert.Equal(first.AllDevices.Select(d => d.Udn), again.Description.AllDevices.Select(d => d.Udn));
        Assert.Equal(UpnpDescriptionWriter.Write(first), UpnpDescriptionWriter.Write(again.Description));
        Assert.NotEqual(
            FakeUpnpDevice.CreateIdentity(UpnpDeviceKind.MediaServer, 42, 3).Uuid,
            FakeUpnpDevice.CreateIdentity(UpnpDeviceKind.MediaRenderer, 42, 3).Uuid);
        Assert.NotEqual(
            FakeUpnpDevice.CreateIdentity(UpnpDeviceKind.MediaServer, 42, 3).Uuid,
            FakeUpnpDevice.CreateIdentity(UpnpDeviceKind.MediaServer, 42, 4).Uuid);
    }

    [Fact]
    public async Task FakeClock_ReAdvertisesBeforeHalfMaxAge()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group, clock);
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.Basic, time: clock) with { MulticastEndPoint = group, MaxAge = 100, InitialDelay = TimeSpan.Zero });
        var rootAlive = (Func<IReadOnlyList<WirePeer.Heard>, int>)(items => items.Count(i => i.Message is SsdpNotify { Subtype: SsdpNotifySubtype.Alive, NotificationType: "upnp:rootdevice" }));
        var start = clock.GetUtcNow();

        // Two copies of the first set, then the re-advertisement: all within max-age/2 (SSDP-NOTIFY-004).
        Assert.True(await UpnpScene.PumpUntilAsync(clock, listener.Received, items => rootAlive(items) >= 3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));

        var times = listener.Received.Items.Where(i => i.Message is SsdpNotify { NotificationType: "upnp:rootdevice" }).Select(i => i.Datagram.ReceivedAt).ToList();
        Assert.InRange(times[2] - start, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(51));
    }

    private static IPEndPoint PickGroup()
    {
        // A free port for the group: bind and release an ephemeral one (the device and the listener share it with SO_REUSEADDR).
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return new IPEndPoint(SsdpMulticast.IPv4Group, ((IPEndPoint)probe.LocalEndPoint!).Port);
    }
}
