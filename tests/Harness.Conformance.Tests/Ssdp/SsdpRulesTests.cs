using System.Net;
using System.Text;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Ssdp;
using Harness.Core.Recording;

namespace Harness.Conformance.Tests.Ssdp;

/// <summary>The SSDP rules over hand-made records, as a capture would give them: no network, no simulator.</summary>
public sealed class SsdpRulesTests
{
    private const string Root = "uuid:4d696e69-444c-164e-9d41-b827eb1d3b4e";
    private const string Embedded = "uuid:4d696e69-444c-164e-9d41-b827eb1d3b4f";
    private const string Location = "http://192.168.1.20:8200/rootDesc.xml";
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Catalogue_HasAtLeast52ChecklistRules_WithTheChecklistLevels()
    {
        var catalogue = SsdpSuite.CreateCatalogue();

        Assert.True(catalogue.Count >= 52, $"{catalogue.Count} rules");
        Assert.All(catalogue, r => Assert.Matches("^(SSDP-(MSEARCH|RESP|NOTIFY|BYEBYE|UPDATE|CONFIG|IPV6|MH|CP)|DESC-(HTTP|XML))-0[0-9][0-9]$", r.Id));
        Assert.All(catalogue, r => Assert.True(r.Citation.Spec.StartsWith("UPnP Device Architecture", StringComparison.Ordinal) || r.Citation.Spec.StartsWith("Interoperability", StringComparison.Ordinal), r.Id));
        Assert.All(catalogue, r => Assert.False(string.IsNullOrWhiteSpace(r.Citation.Section), r.Id));
        Assert.All(catalogue, r => Assert.Equal(Protocols.Ssdp, r.Protocol));

        // Levels as the checklist gives them (M = MUST, S/R/interop = SHOULD, O = MAY).
        var levels = new Dictionary<string, RuleLevel>
        {
            ["SSDP-MSEARCH-001"] = RuleLevel.Must,
            ["SSDP-MSEARCH-004"] = RuleLevel.Should,
            ["SSDP-MSEARCH-015"] = RuleLevel.Should,
            ["SSDP-MSEARCH-018"] = RuleLevel.Should,
            ["SSDP-MSEARCH-019"] = RuleLevel.Must,
            ["SSDP-RESP-002"] = RuleLevel.Must,
            ["SSDP-RESP-003"] = RuleLevel.Should,
            ["SSDP-RESP-010"] = RuleLevel.May,
            ["SSDP-NOTIFY-003"] = RuleLevel.Should,
            ["SSDP-NOTIFY-004"] = RuleLevel.Must,
            ["SSDP-BYEBYE-001"] = RuleLevel.Should,
            ["SSDP-BYEBYE-002"] = RuleLevel.Should,
            ["SSDP-UPDATE-001"] = RuleLevel.Must,
            ["SSDP-CP-004"] = RuleLevel.Should,
            ["DESC-HTTP-004"] = RuleLevel.Must,
            ["DESC-XML-006"] = RuleLevel.Should,
            ["DESC-XML-010"] = RuleLevel.Must,
        };
        Assert.All(levels, l => Assert.Equal(l.Value, catalogue[l.Key].Level));
    }

    [Fact]
    public void FindDevices_EmbeddedDeviceSharesTheRootsLocation_OneDevicePerRootAndOneControlPoint()
    {
        List<TrafficRecord> records =
        [
            Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice"),
            Notify(1, 0.01, Embedded, Embedded),
            Notify(2, 0.02, "urn:schemas-upnp-org:device:WANDevice:1", Embedded + "::urn:schemas-upnp-org:device:WANDevice:1"),
            Notify(3, 0.03, "upnp:rootdevice", "uuid:11111111-2222-4333-8444-555555555555::upnp:rootdevice", location: "http://192.168.1.30:80/d.xml", source: "192.168.1.30:1900"),
            Udp(4, 0.5, "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n", "192.168.1.99:50000"),
        ];

        var devices = SsdpSuite.FindDevices(records);

        Assert.Equal(3, devices.Count);
        var root = Assert.Single(devices, d => d.Id == Root);
        Assert.Equal([Root, Embedded], SsdpDevices.Udns(root));
        Assert.Equal(Location, root.Metadata[SsdpDevices.LocationKey]);
        Assert.Equal("1.0", root.Metadata[SsdpDevices.UpnpVersionKey]);
        Assert.Contains("urn:schemas-upnp-org:device:WANDevice:1", SsdpDevices.List(root, SsdpDevices.DeviceTypesKey));
        Assert.Contains(root.Addresses, a => a.Equals(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 8200)));
        var cp = Assert.Single(devices, d => d.HasRole(DeviceRole.ControlPoint));
        Assert.Equal("cp:192.168.1.99", cp.Id);
    }

    [Fact]
    public async Task Uda10Device_WithoutBootId_IsNotHeldToUda11Headers()
    {
        // minidlna-style (UDA 1.0): no BOOTID/CONFIGID, an OS token without a version in SERVER.
        List<TrafficRecord> records = [Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice"), Notify(1, 0.2, "upnp:rootdevice", Root + "::upnp:rootdevice")];

        var result = await JudgeAsync(records);

        Assert.Equal(Verdict.NotApplicable, VerdictOf(result, "SSDP-RESP-008"));
        Assert.Equal(Verdict.NotApplicable, VerdictOf(result, "SSDP-RESP-009"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "SSDP-NOTIFY-001"));
        Assert.Equal(Verdict.Warn, VerdictOf(result, "SSDP-RESP-006")); // 'Debian DLNADOC/1.50 UPnP/1.0 MiniDLNA/1.3.0'
        Assert.Equal(Verdict.NotApplicable, VerdictOf(result, "SSDP-MSEARCH-001")); // active: a capture cannot provoke
    }

    [Fact]
    public async Task Uda11Alive_WithoutBootId_FailsNotify001AndResp008()
    {
        List<TrafficRecord> records = [Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice", server: "Linux/6 UPnP/1.1 Test/1.0")];

        var result = await JudgeAsync(records);

        Assert.Equal(Verdict.Fail, VerdictOf(result, "SSDP-NOTIFY-001"));
        Assert.Equal(Verdict.Fail, VerdictOf(result, "SSDP-RESP-008"));
    }

    [Theory]
    [InlineData("CACHE-CONTROL: max-age=1800\r\n", "SSDP-RESP-002", Verdict.Pass)]
    [InlineData("CACHE-CONTROL: max-age = 1800\r\n", "SSDP-RESP-002", Verdict.Fail)] // UCTT flags the spaces (ohNet issue 17)
    [InlineData("CACHE-CONTROL: max-age=70\r\n", "SSDP-RESP-002", Verdict.Warn)]
    [InlineData("CACHE-CONTROL: max-age=1800\r\nNOEXT: x\r\n", "SSDP-RESP-004", Verdict.Fail)]
    public async Task SearchResponse_Headers_GetTheVerdictOfTheirRule(string cacheControl, string ruleId, Verdict expected)
    {
        var ext = cacheControl.Contains("NOEXT", StringComparison.Ordinal) ? string.Empty : "EXT:\r\n";
        var response = "HTTP/1.1 200 OK\r\n" + cacheControl.Replace("NOEXT: x\r\n", string.Empty, StringComparison.Ordinal) + ext
            + $"LOCATION: {Location}\r\nSERVER: Linux/6 UPnP/1.0 Test/1.0\r\nST: upnp:rootdevice\r\nUSN: {Root}::upnp:rootdevice\r\n\r\n";
        List<TrafficRecord> records = [Udp(0, 0, response, "192.168.1.20:1900", "192.168.1.99:50000")];

        var result = await JudgeAsync(records);

        Assert.Equal(expected, VerdictOf(result, ruleId));
    }

    [Theory]
    [InlineData(100, Verdict.Warn)] // refreshed after 100 s with max-age 120: later than max-age/2
    [InlineData(130, Verdict.Fail)] // no refresh within max-age: expired
    [InlineData(50, Verdict.Pass)]
    public async Task Refresh_GapBetweenAliveSets_JudgedAgainstMaxAge(double gap, Verdict expected)
    {
        List<TrafficRecord> records =
        [
            Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice", maxAge: 120),
            Notify(1, gap, "upnp:rootdevice", Root + "::upnp:rootdevice", maxAge: 120),
            Notify(2, gap + 20, "upnp:rootdevice", Root + "::upnp:rootdevice", maxAge: 120),
        ];

        var result = await JudgeAsync(records);

        Assert.Equal(expected, VerdictOf(result, "SSDP-NOTIFY-004"));
    }

    [Fact]
    public async Task Refresh_SessionShorterThanHalfMaxAge_IsNotApplicable()
    {
        var result = await JudgeAsync([Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice")]);

        Assert.Equal(Verdict.NotApplicable, VerdictOf(result, "SSDP-NOTIFY-004"));
    }

    [Fact]
    public async Task ByeBye_InterleavedWithAlives_Warns()
    {
        List<TrafficRecord> records =
        [
            Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice"),
            Notify(1, 0.05, "upnp:rootdevice", Root + "::upnp:rootdevice", nts: "ssdp:byebye"),
            Notify(2, 0.1, Root, Root),
        ];

        var result = await JudgeAsync(records);

        Assert.Equal(Verdict.Warn, VerdictOf(result, "SSDP-BYEBYE-002"));
    }

    [Fact]
    public async Task ByeBye_AllBeforeTheFirstAlive_Passes()
    {
        List<TrafficRecord> records =
        [
            Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice", nts: "ssdp:byebye"),
            Notify(1, 0.05, "upnp:rootdevice", Root + "::upnp:rootdevice"),
            Notify(2, 0.1, "upnp:rootdevice", Root + "::upnp:rootdevice"),
        ];

        var result = await JudgeAsync(records);

        Assert.Equal(Verdict.Pass, VerdictOf(result, "SSDP-BYEBYE-002"));
    }

    [Theory]
    [InlineData(8, Verdict.Pass)]
    [InlineData(7, Verdict.Fail)]
    public async Task Update_FollowedByAliveWithNextBootId_PassesOnlyWithThatBootId(int aliveBootId, Verdict expected)
    {
        const string Server = "Linux/6 UPnP/1.1 Test/1.0";
        List<TrafficRecord> records =
        [
            Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice", server: Server, bootId: 7),
            Notify(1, 10, "upnp:rootdevice", Root + "::upnp:rootdevice", nts: "ssdp:update", server: Server, bootId: 7, extra: "NEXTBOOTID.UPNP.ORG: 8\r\n"),
            Notify(2, 10.2, "upnp:rootdevice", Root + "::upnp:rootdevice", server: Server, bootId: aliveBootId),
        ];

        var result = await JudgeAsync(records);

        Assert.Equal(expected, VerdictOf(result, "SSDP-UPDATE-001"));
    }

    [Theory]
    [InlineData("ff02::c", "[FF02::C]:1900", Verdict.Pass)]
    [InlineData("ff05::c", "[FF05::C]:1900", Verdict.Fail)] // a link-local source uses FF02::C (UDA 1.1 Annex A)
    public async Task Ipv6Notify_FromLinkLocalSource_GoesToTheLinkLocalGroup(string group, string host, Verdict expected)
    {
        var text = $"NOTIFY * HTTP/1.1\r\nHOST: {host}\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: http://[fe80::1]:8200/d.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nSERVER: Linux/6 UPnP/1.0 Test/1.0\r\nUSN: {Root}::upnp:rootdevice\r\n\r\n";
        List<TrafficRecord> records = [Record(0, 0, text, new IPEndPoint(IPAddress.Parse("fe80::1"), 1900), new IPEndPoint(IPAddress.Parse(group), 1900))];

        var result = await JudgeAsync(records);

        Assert.Equal(expected, VerdictOf(result, "SSDP-IPV6-001"));
    }

    [Fact]
    public async Task ControlPoint_Uda20SearchWithoutCpfnSentOnce_FailsMsearch007AndWarnsCp004()
    {
        const string Search = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\nUSER-AGENT: Linux/6 UPnP/2.0 Cp/1.0\r\n\r\n";
        List<TrafficRecord> records = [Udp(0, 0, Search, "192.168.1.99:50000")];

        var result = await JudgeAsync(records);

        Assert.Equal(Verdict.Fail, VerdictOf(result, "SSDP-MSEARCH-007", "cp:192.168.1.99"));
        Assert.Equal(Verdict.Warn, VerdictOf(result, "SSDP-CP-004", "cp:192.168.1.99"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "SSDP-MSEARCH-006", "cp:192.168.1.99"));
    }

    [Fact]
    public async Task ControlPoint_MulticastSearchWithoutMx_FailsMsearch006()
    {
        const string Search = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n\r\n";
        List<TrafficRecord> records = [Udp(0, 0, Search, "192.168.1.99:50000"), Udp(1, 1, Search, "192.168.1.99:50000")];

        var result = await JudgeAsync(records);

        Assert.Equal(Verdict.Fail, VerdictOf(result, "SSDP-MSEARCH-006", "cp:192.168.1.99"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "SSDP-CP-004", "cp:192.168.1.99"));
        Assert.Equal(Verdict.NotApplicable, VerdictOf(result, "SSDP-MSEARCH-007", "cp:192.168.1.99"));
    }

    [Theory]
    [InlineData("text/xml; charset=\"utf-8\"", false, "DESC-HTTP-002", Verdict.Pass)]
    [InlineData("application/xml", false, "DESC-HTTP-002", Verdict.Warn)]
    [InlineData("text/html", false, "DESC-HTTP-002", Verdict.Fail)]
    [InlineData("text/xml; charset=\"utf-8\"", true, "DESC-HTTP-003", Verdict.Fail)]
    [InlineData("text/xml; charset=\"utf-8\"", false, "DESC-HTTP-003", Verdict.Pass)]
    [InlineData("text/xml; charset=\"utf-8\"", false, "DESC-XML-005", Verdict.Pass)]
    public async Task Description_OverHttp_GetsTheVerdictOfItsRule(string contentType, bool wrongLength, string ruleId, Verdict expected)
    {
        var body = Encoding.UTF8.GetBytes(DescriptionXml("Médiathèque"));
        var length = wrongLength ? Encoding.UTF8.GetCharCount(body) : body.Length; // characters, not bytes (async-upnp-client#129)
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {length}\r\n\r\n";
        var records = DescriptionExchange(2, 1, [.. Encoding.ASCII.GetBytes(head), .. body]);

        var result = await JudgeAsync([Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice"), .. records]);

        Assert.Equal(expected, VerdictOf(result, ruleId));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "DESC-HTTP-001"));
    }

    [Fact]
    public async Task Description_Chunked_IsReadAndAccepted()
    {
        var body = Encoding.UTF8.GetBytes(DescriptionXml("Box"));
        var chunked = new StringBuilder();
        chunked.Append("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nTransfer-Encoding: chunked\r\n\r\n");
        chunked.Append((body.Length - 100).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n").Append(Encoding.UTF8.GetString(body, 0, body.Length - 100)).Append("\r\n");
        chunked.Append("64\r\n").Append(Encoding.UTF8.GetString(body, body.Length - 100, 100)).Append("\r\n0\r\n\r\n");
        var records = DescriptionExchange(2, 1, Encoding.UTF8.GetBytes(chunked.ToString()));

        var result = await JudgeAsync([Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice"), .. records]);

        Assert.Equal(Verdict.Pass, VerdictOf(result, "DESC-HTTP-003"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "DESC-XML-005"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "DESC-XML-007"));
        Assert.Equal("Box", SsdpSuite.FindDevices([Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice"), .. records]).Single().DisplayName);
    }

    [Fact]
    public async Task Description_RootUdnOtherThanAnnounced_FailsDescXml007()
    {
        var body = Encoding.UTF8.GetBytes(DescriptionXml("Box").Replace(Root, "uuid:99999999-444c-464e-9d41-b827eb1d3b4e", StringComparison.Ordinal));
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-Length: {body.Length}\r\n\r\n";
        var records = DescriptionExchange(2, 1, [.. Encoding.ASCII.GetBytes(head), .. body]);

        var result = await JudgeAsync([Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice"), .. records]);

        Assert.Equal(Verdict.Fail, VerdictOf(result, "DESC-XML-007"));
        Assert.Equal(Verdict.Fail, VerdictOf(result, "SSDP-RESP-007"));
    }

    [Fact]
    public async Task HostileDatagrams_OnTheSsdpPort_NeitherCrashNorMakeDevices()
    {
        var random = new Random(7);
        var records = new List<TrafficRecord>();
        for (var i = 0; i < 50; i++)
        {
            var bytes = new byte[random.Next(0, 2000)];
            random.NextBytes(bytes);
            records.Add(new TrafficRecord(i, T0, TrafficDirection.Inbound, TrafficTransport.Udp, IPEndPoint.Parse("192.168.1.5:1900"), IPEndPoint.Parse("239.255.255.250:1900"), bytes, Protocols.Ssdp));
        }

        records.Add(Udp(50, 1, "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nUSN: \r\n\r\n"));
        records.Add(new TrafficRecord(51, T0, TrafficDirection.Inbound, TrafficTransport.Tcp, IPEndPoint.Parse("192.168.1.5:80"), IPEndPoint.Parse("192.168.1.9:5000"), Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), null));

        var devices = SsdpSuite.FindDevices(records);
        var result = await new Runner(SsdpSuite.CreateCatalogue()).RunAsync(new ConformanceRun { Summarizer = SsdpSuite.Summarize }, new ObservedSession(records, devices, "capture"));

        Assert.Empty(devices);
        Assert.DoesNotContain(result.Findings, f => f.Verdict == Verdict.Error);
    }

    [Fact]
    public void Summarize_SsdpAndHttpRecords_SaysWhatTheyAre()
    {
        Assert.Equal($"NOTIFY ssdp:alive NT upnp:rootdevice USN {Root}::upnp:rootdevice", SsdpSuite.Summarize(Notify(0, 0, "upnp:rootdevice", Root + "::upnp:rootdevice")));
        var exchange = DescriptionExchange(1, 0, Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        Assert.Equal("GET /rootDesc.xml", SsdpSuite.Summarize(exchange[0]));
        Assert.StartsWith("HTTP 404", SsdpSuite.Summarize(exchange[1]), StringComparison.Ordinal);
        Assert.Null(SsdpSuite.Summarize(new TrafficRecord(9, T0, TrafficDirection.Inbound, TrafficTransport.Udp, IPEndPoint.Parse("1.2.3.4:3702"), IPEndPoint.Parse("1.2.3.5:3702"), "<x/>"u8.ToArray(), "wsd")));
    }

    private static async Task<RunResult> JudgeAsync(IReadOnlyList<TrafficRecord> records)
    {
        var devices = SsdpSuite.FindDevices(records);
        return await new Runner(SsdpSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), new ObservedSession(records, devices, "capture: test"));
    }

    private static Verdict? VerdictOf(RunResult result, string ruleId, string deviceId = Root) =>
        result.Outcomes.FirstOrDefault(o => o.Device.Id == deviceId && o.Rule.Id == ruleId)?.Verdict;

    private static TrafficRecord Notify(
        long sequence,
        double seconds,
        string nt,
        string usn,
        string nts = "ssdp:alive",
        string location = Location,
        string source = "192.168.1.20:1900",
        string server = "Debian DLNADOC/1.50 UPnP/1.0 MiniDLNA/1.3.0",
        int maxAge = 1800,
        int? bootId = null,
        string extra = "")
    {
        var text = new StringBuilder("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n");
        if (nts != "ssdp:byebye")
        {
            text.Append("CACHE-CONTROL: max-age=").Append(maxAge).Append("\r\nLOCATION: ").Append(location).Append("\r\nSERVER: ").Append(server).Append("\r\n");
        }

        text.Append("NT: ").Append(nt).Append("\r\nNTS: ").Append(nts).Append("\r\nUSN: ").Append(usn).Append("\r\n");
        if (bootId is { } id)
        {
            text.Append("BOOTID.UPNP.ORG: ").Append(id).Append("\r\nCONFIGID.UPNP.ORG: 1\r\n");
        }

        text.Append(extra).Append("\r\n");
        return Udp(sequence, seconds, text.ToString(), source);
    }

    private static TrafficRecord Udp(long sequence, double seconds, string text, string source = "192.168.1.20:1900", string destination = "239.255.255.250:1900") =>
        Record(sequence, seconds, text, IPEndPoint.Parse(source), IPEndPoint.Parse(destination));

    private static TrafficRecord Record(long sequence, double seconds, string text, IPEndPoint source, IPEndPoint destination) =>
        new(sequence, T0.AddSeconds(seconds), TrafficDirection.Inbound, TrafficTransport.Udp, source, destination, Encoding.UTF8.GetBytes(text), Protocols.Ssdp);

    private static List<TrafficRecord> DescriptionExchange(long sequence, double seconds, byte[] response)
    {
        var client = IPEndPoint.Parse("192.168.1.99:40000");
        var server = IPEndPoint.Parse("192.168.1.20:8200");
        var request = Encoding.ASCII.GetBytes("GET /rootDesc.xml HTTP/1.1\r\nHost: 192.168.1.20:8200\r\nConnection: close\r\n\r\n");
        return
        [
            new(sequence, T0.AddSeconds(seconds), TrafficDirection.Outbound, TrafficTransport.Http, client, server, request, Protocols.Ssdp),
            new(sequence + 1, T0.AddSeconds(seconds + 0.01), TrafficDirection.Inbound, TrafficTransport.Http, server, client, response, Protocols.Ssdp),
        ];
    }

    private static string DescriptionXml(string friendlyName) =>
        "<?xml version=\"1.0\"?>\r\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\r\n<specVersion><major>1</major><minor>0</minor></specVersion>\r\n"
        + "<device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>" + friendlyName + "</friendlyName>"
        + "<manufacturer>Justin Maggard</manufacturer><modelName>Windows Media Connect compatible (MiniDLNA)</modelName>"
        + "<UDN>" + Root + "</UDN></device>\r\n</root>\r\n";
}
