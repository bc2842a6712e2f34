using System.Net;
using Harness.Core.Transport;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Engine;

public class SsdpAdvertiserTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private sealed class Fixture : IAsyncDisposable
    {
        public Fixture(SsdpAdvertiserOptions? options = null)
        {
            Network = new InMemoryNetwork(Clock) { ReceiveQueueCapacity = 200_000 };
            Advertiser = new SsdpAdvertiser(
                Scene.Listener(Network, Scene.DeviceHost),
                options ?? new SsdpAdvertiserOptions { Seed = 3 },
                Clock);
            Listener = new Peer(Scene.Listener(Network, Scene.PeerHost));
            Searcher = new Peer(Scene.Ephemeral(Network, Scene.PeerHost));
        }

        public TestClock Clock { get; } = new();

        public InMemoryNetwork Network { get; }

        public SsdpAdvertiser Advertiser { get; }

        public Peer Listener { get; }

        public Peer Searcher { get; }

        public IPEndPoint DeviceUnicast => new(Scene.DeviceHost, SsdpMulticast.Port);

        public IReadOnlyList<SsdpNotify> Notifies(string nts) => [.. Listener.Messages<SsdpNotify>().Where(n => n.Nts == nts)];

        public async Task<IReadOnlyList<SsdpSearchResponse>> SearchUnicastAsync(string st)
        {
            // Unicast searches are answered at once, in order: the marker's answer (the root UUID with an upper-case
            // prefix, a value no other search uses; UUIDs compare ignoring case) comes after the searched one's.
            var marker = "UUID:" + Scene.Udn(1)[5..];
            var before = Searcher.Received.Items.Count;
            await Searcher.SendAsync(Scene.Search(st, mx: null, host: "127.0.0.2:1900"), DeviceUnicast);
            await Searcher.SendAsync(Scene.Search(marker, mx: null, host: "127.0.0.2:1900"), DeviceUnicast);
            var items = await Searcher.Received.WaitAsync(items => items.Skip(before).Any(r => r.Message is SsdpSearchResponse s && s.SearchTarget == marker));
            return [.. items.Skip(before).Select(r => r.Message).OfType<SsdpSearchResponse>().Where(s => s.SearchTarget != marker)];
        }

        public async ValueTask DisposeAsync()
        {
            await Advertiser.DisposeAsync();
            await Listener.DisposeAsync();
            await Searcher.DisposeAsync();
        }
    }

    [Fact]
    public async Task Publish_InitialSet_ThreePlusTwoDPlusKPairsSentTwiceAfterJitter()
    {
        await using var f = new Fixture();
        var start = f.Clock.GetUtcNow();

        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await f.Clock.PumpUntilAsync(f.Listener.Received, items => items.Count >= 20, Step, TimeSpan.FromSeconds(2));

        var alive = f.Notifies(SsdpNotify.AliveNts);
        var expected = SsdpAnnouncements.For(Scene.MediaServer()).Select(p => (p.NotificationType.Value, p.Usn)).ToHashSet();
        Assert.Equal(10, expected.Count);
        Assert.Equal(20, alive.Count);
        Assert.Equal(expected, alive.Select(n => (n.NotificationType, n.Usn)).ToHashSet());
        Assert.All(alive, n =>
        {
            Assert.Equal("http://127.0.0.2:8080/device/1.xml", n.Location);
            Assert.Equal(1800, n.MaxAge);
            Assert.Equal("239.255.255.250:1900", n.Host);
            Assert.Equal(7, n.ConfigId);
            Assert.Equal(f.Advertiser.BootIdOf(Scene.Udn(1)), n.BootId);
        });
        var first = f.Listener.Received.Items.Min(r => r.Datagram.ReceivedAt) - start;
        var last = f.Listener.Received.Items.Max(r => r.Datagram.ReceivedAt) - start;
        Assert.InRange(first, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        Assert.InRange(last - first, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(300));
        var readback = SsdpMessageReader.Read(f.Listener.Received.Items[0].Datagram.Payload.Span);
        Assert.Empty(readback.Violations);
    }

    [Fact]
    public async Task Readvertise_MaxAge100_FullSetEveryUnderHalfMaxAge()
    {
        await using var f = new Fixture();
        await f.Advertiser.PublishAsync(Scene.Published(maxAge: 100), CancellationToken.None);

        // Four rounds of 2 × 10 messages.
        await f.Clock.PumpUntilAsync(f.Listener.Received, items => items.Count >= 80, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(200));

        var rootTimes = f.Listener.Received.Items
            .Where(r => r.Message is SsdpNotify { NotificationType: "upnp:rootdevice" })
            .Select(r => r.Datagram.ReceivedAt)
            .ToList();
        var rounds = rootTimes.Where((t, i) => i % 2 == 0).ToList();
        Assert.True(rounds.Count >= 4);
        for (var i = 1; i < rounds.Count; i++)
        {
            // SSDP-NOTIFY-004: under max-age/2 (plus the one-second pump step), and not a flood.
            Assert.InRange(rounds[i] - rounds[i - 1], TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(47));
        }
    }

    [Fact]
    public async Task Stop_ByeByeForEveryAliveWithoutLocation()
    {
        await using var f = new Fixture();
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await f.Clock.PumpUntilAsync(f.Listener.Received, items => items.Count >= 20, Step, TimeSpan.FromSeconds(2));

        await f.Advertiser.StopAsync(CancellationToken.None);
        await f.Listener.Received.WaitForCountAsync(30);

        var byebye = f.Notifies(SsdpNotify.ByeByeNts);
        Assert.Equal(10, byebye.Count);
        Assert.Equal(
            f.Notifies(SsdpNotify.AliveNts).Select(n => (n.NotificationType, n.Usn)).ToHashSet(),
            byebye.Select(n => (n.NotificationType, n.Usn)).ToHashSet());
        Assert.All(byebye, n => Assert.Null(n.Location));
        Assert.All(byebye, n => Assert.Null(n.MaxAge));
        Assert.Empty(f.Advertiser.Devices);
    }

    [Fact]
    public async Task ByeByeOnStart_ByeByesBeforeFirstAlive()
    {
        await using var f = new Fixture(new SsdpAdvertiserOptions { ByeByeOnStart = true, Seed = 4 });

        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await f.Clock.PumpUntilAsync(f.Listener.Received, items => items.Count >= 30, Step, TimeSpan.FromSeconds(2));

        var order = f.Listener.Messages<SsdpNotify>().Select(n => n.Subtype).ToList();
        Assert.All(order.Take(10), s => Assert.Equal(SsdpNotifySubtype.ByeBye, s));
        Assert.All(order.Skip(10), s => Assert.Equal(SsdpNotifySubtype.Alive, s));
    }

    [Fact]
    public async Task Update_UpdateSetWithNextBootIdThenAliveWithIt()
    {
        await using var f = new Fixture();
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await f.Clock.PumpUntilAsync(f.Listener.Received, items => items.Count >= 20, Step, TimeSpan.FromSeconds(2));
        var oldBootId = f.Advertiser.BootIdOf(Scene.Udn(1))!.Value;

        var moved = Scene.Published() with { Location = "http://{address}:9090/device/1.xml" };
        var newBootId = await f.Advertiser.UpdateAsync(moved, CancellationToken.None);
        await f.Clock.PumpUntilAsync(f.Listener.Received, items => items.Count >= 50, Step, TimeSpan.FromSeconds(2));

        var updates = f.Notifies(SsdpNotify.UpdateNts);
        Assert.Equal(oldBootId + 1, newBootId);
        Assert.Equal(10, updates.Count);
        Assert.All(updates, u =>
        {
            Assert.Equal(oldBootId, u.BootId);
            Assert.Equal(newBootId, u.NextBootId);
            Assert.Equal("http://127.0.0.2:9090/device/1.xml", u.Location);
        });
        var after = f.Listener.Messages<SsdpNotify>().Skip(30).ToList();
        Assert.All(after, a => Assert.Equal((SsdpNotifySubtype.Alive, newBootId), (a.Subtype, a.BootId!.Value)));
    }

    [Fact]
    public async Task Search_EveryStForm_UdaAnswersWithVersionRule()
    {
        await using var f = new Fixture(new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), Seed = 5 });
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        var root = Scene.Udn(1);
        var embedded = Scene.Udn(1001);

        var all = await f.SearchUnicastAsync("ssdp:all");
        Assert.Equal(10, all.Count);
        Assert.Equal(SsdpAnnouncements.For(Scene.MediaServer()).Select(p => (p.NotificationType.Value, p.Usn)).ToHashSet(), all.Select(r => (r.SearchTarget, r.Usn)).ToHashSet());

        var rootDevice = Assert.Single(await f.SearchUnicastAsync("upnp:rootdevice"));
        Assert.Equal((SsdpTarget.RootDeviceValue, root + "::upnp:rootdevice"), (rootDevice.SearchTarget, rootDevice.Usn));

        var byUuid = Assert.Single(await f.SearchUnicastAsync(embedded));
        Assert.Equal((embedded, embedded), (byUuid.SearchTarget, byUuid.Usn));
        Assert.Empty(await f.SearchUnicastAsync("uuid:99999999-0000-4000-8000-000000000000"));

        // MSEARCH-013: the version-2 MediaServer answers a version-1 search, echoing version 1; version 3 gets nothing.
        var v1 = Assert.Single(await f.SearchUnicastAsync("urn:schemas-upnp-org:device:MediaServer:1"));
        Assert.Equal(("urn:schemas-upnp-org:device:MediaServer:1", root + "::urn:schemas-upnp-org:device:MediaServer:1"), (v1.SearchTarget, v1.Usn));
        Assert.Empty(await f.SearchUnicastAsync("urn:schemas-upnp-org:device:MediaServer:3"));
        Assert.Empty(await f.SearchUnicastAsync("urn:schemas-upnp-org:device:mediaserver:1"));
        Assert.Empty(await f.SearchUnicastAsync("urn:schemas-upnp-org:device:MediaServer"));
        Assert.Empty(await f.SearchUnicastAsync("urn:schemas-upnp-org:service:MediaServer:1"));

        // MSEARCH-012: one answer per device holding the service type.
        var cm = await f.SearchUnicastAsync("urn:schemas-upnp-org:service:ConnectionManager:1");
        Assert.Equal(
            [root + "::urn:schemas-upnp-org:service:ConnectionManager:1", embedded + "::urn:schemas-upnp-org:service:ConnectionManager:1"],
            cm.Select(r => r.Usn).Order(StringComparer.Ordinal));
        Assert.Equal(embedded + "::urn:schemas-upnp-org:service:AVTransport:1", Assert.Single(await f.SearchUnicastAsync("urn:schemas-upnp-org:service:AVTransport:1")).Usn);
    }

    [Fact]
    public async Task Search_Responses_HeadersOfUdaAndUnicastToSearcher()
    {
        await using var f = new Fixture(new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), SearchPort = 50000, Seed = 6 });
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);

        var response = Assert.Single(await f.SearchUnicastAsync("urn:schemas-upnp-org:device:MediaRenderer:1"));
        var datagram = f.Searcher.Received.Items.First(r => ReferenceEquals(r.Message, response)).Datagram;

        Assert.Equal(new IPEndPoint(Scene.DeviceHost, SsdpMulticast.Port), datagram.Source);
        Assert.Equal(f.Searcher.EndPoint.Port, datagram.Destination.Port);
        Assert.Empty(SsdpMessageReader.Read(datagram.Payload.Span).Violations);
        Assert.Equal(1800, response.MaxAge);
        Assert.Equal(f.Clock.GetUtcNow(), response.Date);
        Assert.True(response.Ext);
        Assert.Equal("http://127.0.0.2:8080/device/1.xml", response.Location);
        Assert.Equal("Linux/6 UPnP/1.1 Harness/1.0", response.Server);
        Assert.Equal(7, response.ConfigId);
        Assert.Equal(50000, response.SearchPort);
        Assert.NotNull(response.BootId);
    }

    [Fact]
    public async Task Search_MulticastMx120_AllAnswersSpreadWithinFiveSeconds()
    {
        await using var f = new Fixture(new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), Seed = 7 });
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        var sent = f.Clock.GetUtcNow();

        await f.Searcher.SendAsync(Scene.Search("ssdp:all", mx: "120"), Scene.Group);
        for (var i = 0; i < 50; i++)
        {
            // Up to exactly 5 s of fake time, in steps, then no further: every answer must be due by then.
            f.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        await f.Searcher.Received.WaitForCountAsync(10);

        var delays = f.Searcher.Received.Items.Select(r => r.Datagram.ReceivedAt - sent).ToList();
        Assert.Equal(10, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(5)));
        Assert.True(delays.Distinct().Count() > 3, "the answers are spread over the MX window, not a burst");
    }

    [Theory]
    [InlineData("M-SEARCH /x HTTP/1.1", "\"ssdp:discover\"", "2", true)]
    [InlineData("M-SEARCH * HTTP/1.0", "\"ssdp:discover\"", "2", true)]
    [InlineData("M-SEARCH * HTTP1.1", "\"ssdp:discover\"", "2", true)]
    [InlineData("M-SEARCH * HTTP/1.1", "ssdp:discover", "2", true)]
    [InlineData("M-SEARCH * HTTP/1.1", "", "2", true)]
    [InlineData("M-SEARCH * HTTP/1.1", "\"ssdp:discover\"", null, true)]
    [InlineData("M-SEARCH * HTTP/1.1", "\"ssdp:discover\"", "0", true)]
    [InlineData("M-SEARCH * HTTP/1.1", "\"ssdp:discover\"", "abc", true)]
    [InlineData("M-SEARCH * HTTP/1.1", "\"ssdp:discover\"", "1", false)]
    public async Task Search_MulticastInvalidRequest_Silence(string requestLine, string man, string? mx, bool ignored)
    {
        await using var f = new Fixture(new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), MaxMx = 1, Seed = 8 });
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        var handled = new Collector<SsdpDatagramEventArgs>();
        f.Advertiser.DatagramReceived += (_, e) => handled.Add(e);

        await f.Searcher.SendAsync(Scene.Search("upnp:rootdevice", mx, man, requestLine: requestLine), Scene.Group);
        await handled.WaitAsync(items => items.Any(e => e.Message is SsdpSearchRequest));
        f.Clock.Advance(TimeSpan.FromSeconds(2));
        await f.Searcher.SendAsync(Scene.Search(Scene.Udn(1), mx: null, host: "127.0.0.2:1900"), f.DeviceUnicast);
        await f.Searcher.Received.WaitAsync(items => items.Any(r => r.Message is SsdpSearchResponse { SearchTarget: var st } && st == Scene.Udn(1)));

        Assert.Equal(ignored ? 0 : 1, f.Searcher.Messages<SsdpSearchResponse>().Count(r => r.SearchTarget == "upnp:rootdevice"));
        Assert.Equal(ignored ? 1 : 0, f.Advertiser.SearchesIgnored);
    }

    [Fact]
    public async Task Search_UnicastWithoutMx_AnsweredAtOnce()
    {
        await using var f = new Fixture(new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), Seed = 9 });
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        var sent = f.Clock.GetUtcNow();

        await f.Searcher.SendAsync(Scene.Search("upnp:rootdevice", mx: null, host: "127.0.0.2:1900"), f.DeviceUnicast);
        var items = await f.Searcher.Received.WaitForCountAsync(1);

        Assert.Equal(sent, items[0].Datagram.ReceivedAt);
    }

    [Fact]
    public async Task Rewrite_QuirkHookDropsExtAndTitleCase_OnTheWire()
    {
        var options = new SsdpAdvertiserOptions
        {
            InitialDelay = TimeSpan.FromDays(1),
            Seed = 10,
            Rewrite = m => m is SsdpSearchResponse r ? r with { Ext = false } : m,
            WriteOptions = new SsdpWriteOptions { HeaderCase = SsdpHeaderCase.Title },
        };
        await using var f = new Fixture(options);
        await f.Advertiser.PublishAsync(Scene.Published(), CancellationToken.None);

        await f.Searcher.SendAsync(Scene.Search("upnp:rootdevice", mx: null, host: "127.0.0.2:1900"), f.DeviceUnicast);
        var items = await f.Searcher.Received.WaitForCountAsync(1);
        var read = SsdpMessageReader.Read(items[0].Datagram.Payload.Span);

        Assert.Contains(read.Violations, v => v.RuleId == SsdpRuleIds.Ext);
        Assert.StartsWith("HTTP/1.1 200 OK\r\nCache-Control: max-age=1800\r\n", System.Text.Encoding.ASCII.GetString(items[0].Datagram.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Match_Pure_SsdpAllGivesEveryPair()
    {
        var pairs = SsdpAnnouncements.For(Scene.MediaServer());

        var all = SsdpAdvertiser.Match(SsdpTarget.All, pairs);

        Assert.Equal(pairs.Select(p => (p.NotificationType.Value, p.Usn)), all);
        Assert.DoesNotContain(all, a => a.SearchTarget == SsdpTarget.AllValue);
    }
}
