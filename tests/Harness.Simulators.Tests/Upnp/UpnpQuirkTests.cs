using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Core.Diagnostics;
using Harness.Simulators.Upnp;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Simulators.Tests.Upnp;

/// <summary>
/// Each UPnP quirk shows its deviation in the bytes on the wire (SSDP datagrams or HTTP answers), and the catalogue
/// names the checklist rules each one breaks (specs/ssdp.md §1 ids).
/// </summary>
public sealed partial class UpnpQuirkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>The quirks this class tests on the wire; the catalogue test checks none is left out.</summary>
    private static readonly string[] Tested =
    [
        "minidlna-max-age", "cc-spaces", "no-bootid", "no-ext", "server-junk", "ssdp-all-echo", "no-mx-clamp", "burst",
        "lenient-man", "no-mx", "no-byebye", "byebye-interleaved", "dup-notify", "brisa-readvertise", "desc-bom",
        "desc-application-xml", "desc-char-length", "desc-no-manufacturer", "udn-mismatch", "urlbase-placeholder",
        "no-version-rule",
    ];

    [Fact]
    public void Catalogue_AtLeastTwelveNamedQuirksEachWithRuleIdsEvidenceAndAWireTest()
    {
        var all = UpnpQuirks.All;

        Assert.True(all.Count >= 12, $"{all.Count} quirks");
        Assert.Equal(all.Count, all.Select(q => q.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, q =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", q.Name);
            Assert.NotEmpty(q.ExpectedFailures);
            Assert.All(q.ExpectedFailures, id => Assert.Matches(RuleId(), id));
            Assert.False(string.IsNullOrWhiteSpace(q.SeenIn));
            Assert.Same(q, UpnpQuirks.Find(q.Name.ToUpperInvariant()));
        });
        Assert.Equal(all.Select(q => q.Name).Order(StringComparer.Ordinal), Tested.Order(StringComparer.Ordinal));
        Assert.True(all.SelectMany(q => q.ExpectedFailures).Distinct(StringComparer.Ordinal).Count() >= 20, "the quirks together touch many rules");
    }

    [Fact]
    public void Options_UnknownQuirk_RejectedWithTheKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() => new FakeUpnpDeviceOptions { Quirk = "no-such-quirk" }.Validate());

        Assert.Contains("no-ext", error.Message, StringComparison.Ordinal);
        Assert.Null(UpnpQuirks.Find("no-such-quirk"));
    }

    [Fact]
    public async Task MinidlnaMaxAge_ResponsesAndNotifiesCarryMaxAge70()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await StartAsync("minidlna-max-age", group: group);

        var responses = await SearchAsync(device, "ssdp:all", 3);
        var alive = (await listener.WaitForAsync<SsdpNotify>(1, timeout: Patience))[0];

        Assert.All(responses, text => Assert.Contains("\r\nCACHE-CONTROL: max-age=70\r\n", text, StringComparison.Ordinal));
        Assert.Equal(70, alive.MaxAge);
    }

    [Fact]
    public async Task CcSpaces_CacheControlWrittenWithSpacesAroundEquals()
    {
        await using var device = await StartAsync("cc-spaces");

        var responses = await SearchAsync(device, "ssdp:all", 3);

        Assert.All(responses, text => Assert.Contains("\r\nCACHE-CONTROL: max-age = 1800\r\n", text, StringComparison.Ordinal));
        Assert.All(responses, text => Assert.DoesNotContain("max-age=", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoBootId_ClaimsUpnp11WithoutBootIdAndConfigId()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await StartAsync("no-bootid", group: group);

        var responses = await SearchAsync(device, "ssdp:all", 3);
        await listener.WaitForAsync<SsdpNotify>(3, timeout: Patience);
        using var fetcher = new UpnpDescriptionFetcher();
        var description = (await fetcher.FetchAsync(device.Location, CancellationToken.None)).Description!;

        Assert.All(responses.Concat(listener.NotifyTexts()), text =>
        {
            var headers = UpnpScene.Headers(text);
            Assert.Contains("UPnP/1.1", headers["SERVER"], StringComparison.Ordinal);
            Assert.False(headers.ContainsKey("BOOTID.UPNP.ORG"));
            Assert.False(headers.ContainsKey("CONFIGID.UPNP.ORG"));
        });
        Assert.Equal(1, description.ConfigId);
    }

    [Fact]
    public async Task NoExt_ResponsesLackExt()
    {
        await using var device = await StartAsync("no-ext", UpnpDeviceKind.MediaServer);

        var responses = await SearchAsync(device, "ssdp:all", 5);

        Assert.All(responses, text =>
        {
            var headers = UpnpScene.Headers(text);
            Assert.False(headers.ContainsKey("EXT"));
            Assert.True(headers.ContainsKey("USN"));
            Assert.True(headers.ContainsKey("BOOTID.UPNP.ORG"));
        });
    }

    [Fact]
    public async Task ServerJunk_SsdpServerHasCommasAndUpnp10()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await StartAsync("server-junk", group: group);

        var responses = await SearchAsync(device, "upnp:rootdevice", 1);
        await listener.WaitForAsync<SsdpNotify>(1, timeout: Patience);

        Assert.Equal("Linux/2.4.17, UPnP/1.0, Intel SDK for UPnP devices /1.2", UpnpScene.Headers(responses[0])["SERVER"]);
        Assert.Equal(UpnpQuirks.JunkServer, UpnpScene.Headers(listener.NotifyTexts()[0])["SERVER"]);
        Assert.Equal(UpnpSpecVersion.V11, device.Description.SpecVersion);
    }

    [Fact]
    public async Task SsdpAllEcho_AnswersToSsdpAllCarryStSsdpAllButTypedSearchesAreNormal()
    {
        await using var device = await StartAsync("ssdp-all-echo", UpnpDeviceKind.MediaRenderer);

        var all = await SearchAsync(device, "ssdp:all", 6);
        var root = await SearchAsync(device, "upnp:rootdevice", 1);

        Assert.All(all, text => Assert.Equal("ssdp:all", UpnpScene.Headers(text)["ST"]));
        Assert.Equal(device.Announcements.Select(a => a.Usn).ToHashSet(), all.Select(t => UpnpScene.Headers(t)["USN"]).ToHashSet());
        Assert.Equal("upnp:rootdevice", UpnpScene.Headers(root[0])["ST"]);
    }

    [Fact]
    public async Task NoMxClamp_FakeClock_AnswersToMx120SpreadBeyondFiveSeconds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.MediaRenderer, "no-mx-clamp", clock) with { InitialDelay = TimeSpan.FromDays(1) });
        await using var searcher = WirePeer.Searcher(clock);
        var start = clock.GetUtcNow();

        await searcher.SendAsync(UpnpScene.Search(device.SearchEndPoint, "ssdp:all", mx: "120"), device.SearchEndPoint);
        var allByFive = await UpnpScene.PumpUntilAsync(clock, searcher.Received, items => items.Count >= 6, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
        var allInTheEnd = await UpnpScene.PumpUntilAsync(clock, searcher.Received, items => items.Count >= 6, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(125));

        // A conforming device treats MX 120 as 5 (SSDP-MSEARCH-004); this one does not.
        Assert.False(allByFive);
        Assert.True(allInTheEnd);
        Assert.True(searcher.Received.Items.Max(i => i.Datagram.ReceivedAt) - start > TimeSpan.FromSeconds(6));
        Assert.All(searcher.Received.Items, i => Assert.True(i.Datagram.ReceivedAt - start <= TimeSpan.FromSeconds(121)));
    }

    [Fact]
    public async Task ConformingDevice_FakeClock_AnswersToMx120WithinFiveSeconds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.MediaRenderer, time: clock) with { InitialDelay = TimeSpan.FromDays(1) });
        await using var searcher = WirePeer.Searcher(clock);

        await searcher.SendAsync(UpnpScene.Search(device.SearchEndPoint, "ssdp:all", mx: "120"), device.SearchEndPoint);

        // Every answer is due within 5 s of fake time (MX treated as 5, SSDP-MSEARCH-004).
        Assert.True(await UpnpScene.PumpUntilAsync(clock, searcher.Received, items => items.Count >= 6, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        Assert.Equal(6, searcher.Messages<SsdpSearchResponse>().Count);
    }

    [Fact]
    public async Task Burst_FakeClockStandingStill_EveryAnswerArrivesAtOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.InternetGateway, "burst", clock) with { InitialDelay = TimeSpan.FromDays(1) });
        await using var searcher = WirePeer.Searcher(clock);
        var start = clock.GetUtcNow();

        await searcher.SendAsync(UpnpScene.Search(device.SearchEndPoint, "ssdp:all", mx: "3"), device.SearchEndPoint);
        var answers = await searcher.WaitForAsync<SsdpSearchResponse>(10, timeout: Patience);

        // No fake time passed: all ten answers went in one burst instead of spread over MX (SSDP-MSEARCH-015).
        Assert.Equal(10, answers.Count);
        Assert.All(searcher.Received.Items, i => Assert.Equal(start, i.Datagram.ReceivedAt));
    }

    [Theory]
    [InlineData("ssdp:discover")]
    [InlineData(null)]
    [InlineData("\"ssdp:alive\"")]
    public async Task LenientMan_SearchWithBadOrMissingManAnswered(string? man)
    {
        await using var device = await StartAsync("lenient-man");

        var responses = await SearchAsync(device, "upnp:rootdevice", 1, man: man);

        Assert.Equal(device.Udn + "::upnp:rootdevice", UpnpScene.Headers(responses[0])["USN"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("abc")]
    public async Task NoMx_MulticastSearchWithoutValidMxAnswered(string? mx)
    {
        await using var device = await StartAsync("no-mx");

        var responses = await SearchAsync(device, "upnp:rootdevice", 1, mx: mx);

        Assert.Equal(device.Udn + "::upnp:rootdevice", UpnpScene.Headers(responses[0])["USN"]);
    }

    [Fact]
    public async Task NoByeBye_RestartAndDisposeSendNoByeBye()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var marker = WirePeer.Searcher();
        var device = await StartAsync("no-byebye", group: group);
        var bootId = device.BootId;
        await listener.WaitForAsync<SsdpNotify>(3, timeout: Patience);

        await device.RestartAsync(CancellationToken.None);
        await listener.WaitForAsync<SsdpNotify>(3, m => m.BootId == bootId + 1, Patience);
        await device.DisposeAsync();
        // Everything the device sent was sent before the marker, and loopback keeps the order into one socket.
        await marker.SendAsync("MARKER", group);
        await listener.WaitAsync(items => items.Any(i => i.Text == "MARKER"), Patience);

        Assert.DoesNotContain(listener.Messages<SsdpNotify>(), m => m.Subtype == SsdpNotifySubtype.ByeBye);
        Assert.Contains(listener.Messages<SsdpNotify>(), m => m.BootId == bootId + 1);
    }

    [Fact]
    public async Task ByeByeInterleaved_EachAliveOfTheFirstSetFollowsAByeByeForTheSamePair()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await StartAsync("byebye-interleaved", UpnpDeviceKind.MediaServer, group);
        var n = device.Announcements.Count;

        await listener.WaitForAsync<SsdpNotify>(n, m => m.Subtype == SsdpNotifySubtype.Alive, Patience);

        var first = listener.Messages<SsdpNotify>().Take(2 * n).ToList();
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(SsdpNotifySubtype.ByeBye, first[2 * i].Subtype);
            Assert.Equal(SsdpNotifySubtype.Alive, first[(2 * i) + 1].Subtype);
            Assert.Equal(first[2 * i].Usn, first[(2 * i) + 1].Usn);
        }

        // A byebye comes after an alive before any shutdown (SSDP-BYEBYE-002).
        Assert.Equal(SsdpNotifySubtype.Alive, first[1].Subtype);
        Assert.Equal(SsdpNotifySubtype.ByeBye, first[2].Subtype);
    }

    [Fact]
    public async Task DupNotify_EveryNotifySentTwiceSoTheSetGoesOutFourTimes()
    {
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group);
        await using var device = await StartAsync("dup-notify", group: group);

        await listener.WaitForAsync<SsdpNotify>(12, m => m.Subtype == SsdpNotifySubtype.Alive, Patience);

        var heard = listener.Received.Items;
        Assert.Equal(heard[0].Datagram.Payload.ToArray(), heard[1].Datagram.Payload.ToArray());
        Assert.All(device.Announcements, a => Assert.Equal(4, listener.Messages<SsdpNotify>().Count(m => m.Usn == a.Usn)));
    }

    [Fact]
    public async Task BrisaReadvertise_FakeClock_ReAdvertisesOnlyAfterEightTenthsOfMaxAge()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var group = PickGroup();
        await using var listener = WirePeer.Listen(group, clock);
        await using var device = await UpnpScene.StartAsync(UpnpScene.Options(UpnpDeviceKind.Basic, "brisa-readvertise", clock) with { MulticastEndPoint = group, MaxAge = 100, InitialDelay = TimeSpan.Zero });
        var start = clock.GetUtcNow();
        static int RootAlives(IReadOnlyList<WirePeer.Heard> items) => items.Count(i => i.Message is SsdpNotify { NotificationType: "upnp:rootdevice" });

        var readvertisedByHalf = await UpnpScene.PumpUntilAsync(clock, listener.Received, items => RootAlives(items) >= 3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(51));
        Assert.True(await UpnpScene.PumpUntilAsync(clock, listener.Received, items => RootAlives(items) >= 3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));

        Assert.False(readvertisedByHalf);
        var third = listener.Received.Items.Where(i => i.Message is SsdpNotify { NotificationType: "upnp:rootdevice" }).ElementAt(2).Datagram.ReceivedAt;
        Assert.InRange(third - start, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(82));
    }

    [Fact]
    public async Task DescBom_DescriptionBodyStartsWithUtf8Bom()
    {
        await using var device = await StartAsync("desc-bom");

        var (_, body) = await GetRawAsync(device.Location);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'<', (byte)'?' }, body[..5]);
    }

    [Fact]
    public async Task DescApplicationXml_DescriptionServedAsApplicationXml()
    {
        await using var device = await StartAsync("desc-application-xml");

        var (headers, _) = await GetRawAsync(device.Location);

        Assert.Equal("application/xml", headers["Content-Type"]);
    }

    [Fact]
    public async Task DescCharLength_ContentLengthCountsCharactersWhileEveryByteIsSent()
    {
        await using var device = await StartAsync("desc-char-length", UpnpDeviceKind.MediaServer);
        var full = UpnpDescriptionWriter.Write(device.Description);

        var (headers, body) = await GetRawAsync(device.Location);
        using var fetcher = new UpnpDescriptionFetcher();
        var fetch = await fetcher.FetchAsync(device.Location, CancellationToken.None);

        // The raw answer: Content-Length is the character count, yet every byte follows before the connection closes.
        Assert.Contains("Café", device.Description.Device.FriendlyName, StringComparison.Ordinal);
        var announced = int.Parse(headers["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Encoding.UTF8.GetCharCount(full), announced);
        Assert.True(announced < full.Length);
        Assert.Equal(full, body);

        // A client that trusts Content-Length reads a document cut short (async-upnp-client#129).
        Assert.Equal(announced, fetch.Body.Length);
        Assert.False(fetch.Success);
        Assert.Contains(fetch.Violations, v => v.RuleId == "DESC-XML-001" && v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public async Task DescNoManufacturer_RootDeviceHasNoManufacturerElement()
    {
        await using var device = await StartAsync("desc-no-manufacturer", UpnpDeviceKind.MediaRenderer);

        var (_, body) = await GetRawAsync(device.Location);
        var read = UpnpDescriptionReader.Read(body);

        Assert.DoesNotContain("<manufacturer>", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Contains(read.Violations, v => v.RuleId == SsdpRuleIds.DescriptionRequiredElements);
    }

    [Fact]
    public async Task UdnMismatch_DescriptionUdnDiffersFromEveryAnnouncedUuid()
    {
        await using var device = await StartAsync("udn-mismatch");

        var responses = await SearchAsync(device, "ssdp:all", 3);
        using var fetcher = new UpnpDescriptionFetcher();
        var description = (await fetcher.FetchAsync(device.Location, CancellationToken.None)).Description!;

        Assert.All(responses, text => Assert.StartsWith(device.Udn, UpnpScene.Headers(text)["USN"], StringComparison.Ordinal));
        Assert.NotEqual(device.Udn, description.Device.Udn);
        Assert.Matches("^uuid:[0-9a-f-]{36}$", description.Device.Udn);
    }

    [Fact]
    public async Task UrlBasePlaceholder_DescriptionShipsUnexpandedUrlBaseAndUrlsStillResolveAgainstLocation()
    {
        await using var device = await StartAsync("urlbase-placeholder", UpnpDeviceKind.MediaServer);

        var (_, body) = await GetRawAsync(device.Location);
        var description = UpnpDescriptionReader.Read(body).Description!;

        Assert.Contains("<URLBase>http://{ip}:{port}/</URLBase>", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        var scpd = description.ResolveUrl(description.Device.Services[0].ScpdUrl, device.Location)!;
        Assert.Equal(device.Location.Authority, scpd.Authority);
    }

    [Fact]
    public async Task NoVersionRule_SearchForVersion1OfAVersion2DeviceUnanswered()
    {
        await using var device = await StartAsync("no-version-rule", UpnpDeviceKind.MediaServer);
        await using var searcher = WirePeer.Searcher();

        // Searches are handled in order and this device answers at once: the v2 answer comes after any v1 answer.
        await searcher.SendAsync(UpnpScene.Search(device.SearchEndPoint, "urn:schemas-upnp-org:device:MediaServer:1"), device.SearchEndPoint);
        await searcher.SendAsync(UpnpScene.Search(device.SearchEndPoint, "urn:schemas-upnp-org:device:MediaServer:2"), device.SearchEndPoint);
        await searcher.WaitForAsync<SsdpSearchResponse>(1, timeout: Patience);

        var response = Assert.Single(searcher.Messages<SsdpSearchResponse>());
        Assert.Equal("urn:schemas-upnp-org:device:MediaServer:2", response.SearchTarget);
        Assert.Contains(device.Announcements, a => a.NotificationType.Value == "urn:schemas-upnp-org:device:MediaServer:2");
    }

    private static async Task<FakeUpnpDevice> StartAsync(string quirk, UpnpDeviceKind kind = UpnpDeviceKind.Basic, IPEndPoint? group = null)
    {
        var options = UpnpScene.Options(kind, quirk) with { AnswerDelay = TimeSpan.Zero };
        return await UpnpScene.StartAsync(group is null ? options : options with { MulticastEndPoint = group });
    }

    /// <summary>A multicast search (as raw text) from a fresh searcher; the raw texts of the first <paramref name="count"/> answers.</summary>
    private static async Task<IReadOnlyList<string>> SearchAsync(FakeUpnpDevice device, string st, int count, string? mx = "1", string? man = "\"ssdp:discover\"")
    {
        await using var searcher = WirePeer.Searcher();
        await searcher.SendAsync(UpnpScene.Search(device.SearchEndPoint, st, mx, man), device.SearchEndPoint);
        var items = await searcher.WaitAsync(items => items.Count >= count, Patience);
        return [.. items.Take(count).Select(i => i.Text)];
    }

    /// <summary>A GET over a raw socket: the headers (first occurrence) and the body bytes exactly as sent.</summary>
    private static async Task<(Dictionary<string, string> Headers, byte[] Body)> GetRawAsync(Uri url)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {url.AbsolutePath} HTTP/1.1\r\nHost: {url.Authority}\r\nConnection: close\r\n\r\n"));
        using var all = new MemoryStream();
        await stream.CopyToAsync(all);
        var bytes = all.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, "no end of headers");
        return (UpnpScene.Headers(Encoding.ASCII.GetString(bytes, 0, end)), bytes[(end + 4)..]);
    }

    private static IPEndPoint PickGroup()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return new IPEndPoint(SsdpMulticast.IPv4Group, ((IPEndPoint)probe.LocalEndPoint!).Port);
    }

    [GeneratedRegex("^(SSDP|DESC)-[A-Z]+-[0-9]{3}$")]
    private static partial Regex RuleId();
}
