using System.Net;
using System.Text;
using Harness.Conformance.Dpws;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Simulators.Quirks;

namespace Harness.Conformance.Tests.Dpws;

public sealed class DpwsSuiteTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPEndPoint Client = new(IPAddress.Loopback, 50_000);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("127.0.0.60"), 5357);

    [Fact]
    public void Catalogue_HasAtLeast32DpwsRules_PassiveAndActive()
    {
        var catalogue = DpwsSuite.CreateCatalogue();

        Assert.True(catalogue.Count >= 32, $"{catalogue.Count} rules");
        Assert.All(catalogue, r => Assert.Equal(Protocols.Dpws, r.Protocol));
        Assert.All(catalogue, r => Assert.False(string.IsNullOrWhiteSpace(r.Citation.Text)));
        Assert.Contains(catalogue, r => r.Kind == RuleKind.Passive);
        Assert.Contains(catalogue, r => r.Kind == RuleKind.Active);
        Assert.Contains(catalogue, r => r.Level == RuleLevel.Should);
    }

    [Fact]
    public void DevicesFrom_WsdScannerPrinterAndCamera_KeepsTheDpwsDevicesWithTheirRoles()
    {
        var scanner = DpwsFleet.WsdDeviceOf("urn:uuid:11111111-1111-4111-8111-111111111111", scanner: true, new Uri("http://127.0.0.60:5357/11111111"));
        var printer = DpwsFleet.WsdDeviceOf("urn:uuid:22222222-2222-4222-8222-222222222222", scanner: false, new Uri("http://127.0.0.40:5357/22222222"));
        var camera = new Device("urn:uuid:33333333-3333-4333-8333-333333333333", Protocols.Wsd, [DeviceRole.TargetService, DeviceRole.NetworkVideoTransmitter])
        {
            Metadata = new Dictionary<string, string> { ["types"] = "{http://www.onvif.org/ver10/network/wsdl}NetworkVideoTransmitter", ["xaddrs"] = "http://127.0.0.21/onvif/device_service" },
        };

        var devices = DpwsSuite.DevicesFrom([scanner, printer, camera]);

        Assert.Equal(["dpws:urn:uuid:11111111-1111-4111-8111-111111111111", "dpws:urn:uuid:22222222-2222-4222-8222-222222222222"], devices.Select(d => d.Id));
        Assert.True(devices[0].HasRole(DeviceRole.ScannerService) && devices[0].HasRole(DeviceRole.DpwsDevice) && !devices[0].HasRole(DeviceRole.PrinterService));
        Assert.True(devices[1].HasRole(DeviceRole.PrinterService));
        Assert.All(devices, d => Assert.Equal(Protocols.Dpws, d.Protocol));
        Assert.True(devices[0].IsAt(new IPEndPoint(IPAddress.Parse("127.0.0.60"), 5357)));
        Assert.Equal("urn:uuid:11111111-1111-4111-8111-111111111111", devices[0].EndpointReference);
    }

    [Fact]
    public void Summarize_SoapRequestAndResponse_NameTheOperation()
    {
        var (request, response) = GetExchange();

        Assert.Equal("POST /device Get", DpwsSuite.Summarize(request));
        Assert.Equal("HTTP 200 GetResponse", DpwsSuite.Summarize(response));
        Assert.Null(DpwsSuite.Summarize(request with { Protocol = "ssdp" }));
    }

    [Fact]
    public void FindDevices_GetExchangeInTcpChunks_FindsTheDeviceAndItsScannerRole()
    {
        var (request, response) = GetExchange();
        var payload = response.Payload.ToArray();
        // As a capture gives them: TCP chunks, the response cut in two, no protocol label.
        var records = new[]
        {
            request with { Transport = TrafficTransport.Tcp, Protocol = null },
            response with { Sequence = 1, Transport = TrafficTransport.Tcp, Protocol = null, Payload = payload.AsMemory(0, 100) },
            response with { Sequence = 2, Transport = TrafficTransport.Tcp, Protocol = null, Payload = payload.AsMemory(100) },
        };

        var devices = DpwsSuite.FindDevices(records);

        var device = Assert.Single(devices);
        Assert.Equal("dpws:urn:uuid:11111111-1111-4111-8111-111111111111", device.Id);
        Assert.True(device.HasRole(DeviceRole.ScannerService));
        Assert.Equal("Lobby Scanner", device.DisplayName);
        Assert.True(device.IsAt(Server));
    }

    [Fact]
    public async Task PassiveRules_OnACapturedGetWithTextXml_FailMediaTypeAndPassTheMetadataRules()
    {
        var (request, response) = GetExchange(contentType: "text/xml; charset=utf-8");
        var records = new[] { request, response };
        var session = new ObservedSession(records, DpwsSuite.FindDevices(records), "capture");

        var result = await new Runner(DpwsSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session);

        Assert.Equal(Verdict.Fail, result.Outcomes.Single(o => o.Rule.Id == "WSD-DPWS-006").Verdict);
        Assert.All(new[] { "WSD-DPWS-001", "WSD-DPWS-002", "WSD-DPWS-003", "WSD-DPWS-004", "WSD-DPWS-005", "WSD-SOAP-001", "WSD-SOAP-002" },
            id => Assert.Equal(Verdict.Pass, result.Outcomes.Single(o => o.Rule.Id == id).Verdict));
        Assert.All(result.Outcomes.Where(o => o.Rule.Kind == RuleKind.Active), o => Assert.Equal(Verdict.NotApplicable, o.Verdict));
    }

    [Fact]
    public void ReadingHttp_HostileBytes_NeverThrows()
    {
        var random = new Random(17);
        var noise = new byte[4096];
        random.NextBytes(noise);
        var payloads = new[]
        {
            noise,
            Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\nabc"),
            Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n<a/>"),
            Encoding.ASCII.GetBytes("HTTP/1.1 abc\r\n\r\n"),
            Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x\r\n\r\n<!DOCTYPE a [<!ENTITY b 'c'>]><a>&b;</a>"),
            Encoding.ASCII.GetBytes("POST " + new string('/', 20_000)),
        };
        var records = payloads.SelectMany((p, i) => new[]
        {
            new TrafficRecord(i * 2, T0, TrafficDirection.Inbound, TrafficTransport.Tcp, Client, Server, p),
            new TrafficRecord((i * 2) + 1, T0, TrafficDirection.Inbound, TrafficTransport.Http, Client, Server, p, "dpws"),
        }).ToList();

        var devices = DpwsSuite.FindDevices(records);
        var summaries = records.Select(DpwsSuite.Summarize).ToList();

        Assert.Empty(devices);
        Assert.Equal(records.Count, summaries.Count);
    }

    [Fact]
    public async Task Provoke_XAddrOutsideLoopbackOnALoopbackRun_IsRefusedBeforeAnyConnection()
    {
        var recorder = new TrafficRecorder();
        await using var suite = await DpwsSuite.StartAsync(recorder, new DpwsSuiteOptions { Interface = "lo", NotificationSink = false });
        // 192.0.2.1 is TEST-NET-1: the suite must refuse it on a loopback run, before a socket is opened.
        var devices = DpwsSuite.DevicesFrom([DpwsFleet.WsdDeviceOf("urn:uuid:44444444-4444-4444-8444-444444444444", scanner: true, new Uri("http://192.0.2.1:5357/x"))]);

        await suite.ProvokeAsync(devices, CancellationToken.None);

        var result = suite.Completed(devices[0]);
        Assert.NotNull(result);
        var get = result.Step(DpwsScenario.Get);
        Assert.NotNull(get);
        Assert.Null(get.Request);
        Assert.Contains("outside the network", get.Error, StringComparison.Ordinal);
        Assert.Empty(recorder.Snapshot());
    }

    [Fact]
    public async Task Name_FakeScanner_TakesTheFriendlyNameOfItsMetadata()
    {
        // Scanners and printers were listed in reports by their urn:uuid only; the friendly name is in ThisDevice.
        await using var scanner = await Harness.Simulators.Scanners.FakeScanner.StartAsync(
            new Harness.Simulators.Scanners.FakeScannerOptions { Seed = 4, Discoverable = false, UnicastAddress = System.Net.IPAddress.Loopback },
            CancellationToken.None);
        var recorder = new TrafficRecorder();
        await using var suite = await DpwsSuite.StartAsync(recorder, new DpwsSuiteOptions { Interface = "lo", NotificationSink = false });
        var devices = DpwsSuite.DevicesFrom([DpwsFleet.WsdDeviceOf(scanner.EndpointAddress, scanner: true, scanner.XAddr)]);

        var named = await suite.NameAsync(devices, CancellationToken.None);

        Assert.Equal(scanner.Identity.Name, Assert.Single(named).DisplayName);
        Assert.Contains(recorder.Snapshot(), r => r.Protocol == "dpws");
    }

    [Fact]
    public async Task Name_DeviceThatDoesNotAnswer_KeepsItsIdentifier()
    {
        var recorder = new TrafficRecorder();
        await using var suite = await DpwsSuite.StartAsync(recorder, new DpwsSuiteOptions { Interface = "lo", NotificationSink = false });
        var devices = DpwsSuite.DevicesFrom([DpwsFleet.WsdDeviceOf("urn:uuid:55555555-5555-4555-8555-555555555555", scanner: true, new Uri("http://127.0.0.1:9/x"))]);

        var named = await suite.NameAsync(devices, CancellationToken.None);

        Assert.Null(Assert.Single(named).DisplayName);
    }

    [Fact]
    public void QuirkProfiles_Named_AreWellFormedAndBreakOnlyDpwsRules()
    {
        var ids = DpwsRules.All.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        Assert.True(DpwsQuirkProfiles.All.Count >= 8);
        Assert.Equal(DpwsQuirkProfiles.All.Count, DpwsQuirkProfiles.All.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(DpwsQuirkProfiles.All, p =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", p.Name);
            Assert.False(string.IsNullOrWhiteSpace(p.SeenIn));
            Assert.NotEmpty(p.ExpectedFailures);
            Assert.All(p.ExpectedFailures, id => Assert.Contains(id, ids));
            Assert.NotEqual(DpwsQuirkDevices.None, p.Devices);
        });
        Assert.DoesNotContain(DpwsQuirkProfiles.All, p => QuirkProfiles.Find(p.Name) is not null);
    }

    [Fact]
    public void QuirkProfiles_Listing_HasCameraScannerAndPrinterProfiles()
    {
        var listing = QuirkProfiles.Listing;

        Assert.Equal(QuirkProfiles.All.Count + DpwsQuirkProfiles.All.Count, listing.Count);
        Assert.Contains(listing, l => l.Devices == "camera");
        Assert.Contains(listing, l => l.Name == "scan-slow-job-start" && l.Devices == "scanner" && l.ExpectedFailures.Contains("WSD-SCN-014"));
        Assert.Contains(listing, l => l.Name == "dpws-soap-text-xml" && l.Devices == "scanner, printer");
    }

    [Fact]
    public void QuirkProfiles_ApplyAScannerProfileToAPrinter_Throws()
    {
        var printer = DpwsQuirkProfiles.Apply("DPWS-NO-HOSTED", new Simulators.Printers.FakePrinterOptions());
        var error = Assert.Throws<ArgumentException>(() => DpwsQuirkProfiles.Apply("scan-slow-job-start", new Simulators.Printers.FakePrinterOptions()));

        Assert.Same(DpwsQuirkProfiles.Find("dpws-no-hosted"), printer.Quirks);
        Assert.Contains("print-jobid-generic-fault", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A Get and its GetResponse of a scanner as WSDAPI-style devices send them (shape of our writer; names invented).</summary>
    private static (TrafficRecord Request, TrafficRecord Response) GetExchange(string contentType = "application/soap+xml; charset=utf-8")
    {
        const string epr = "urn:uuid:11111111-1111-4111-8111-111111111111";
        var requestBody =
            "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"><s:Header>"
            + "<a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</a:Action><a:MessageID>urn:uuid:aaaaaaaa-0000-4000-8000-000000000001</a:MessageID>"
            + $"<a:To>{epr}</a:To><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo></s:Header><s:Body/></s:Envelope>";
        var responseBody =
            "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:mex=\"http://schemas.xmlsoap.org/ws/2004/09/mex\" xmlns:wsdp=\"http://schemas.xmlsoap.org/ws/2006/02/devprof\" xmlns:wscn=\"http://schemas.microsoft.com/windows/2006/08/wdp/scan\"><s:Header>"
            + "<a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</a:Action><a:MessageID>urn:uuid:bbbbbbbb-0000-4000-8000-000000000002</a:MessageID>"
            + "<a:RelatesTo>urn:uuid:aaaaaaaa-0000-4000-8000-000000000001</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To></s:Header><s:Body><mex:Metadata>"
            + "<mex:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisModel\"><wsdp:ThisModel><wsdp:Manufacturer>Harness</wsdp:Manufacturer><wsdp:ModelName>Scan 1</wsdp:ModelName></wsdp:ThisModel></mex:MetadataSection>"
            + "<mex:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisDevice\"><wsdp:ThisDevice><wsdp:FriendlyName>Lobby Scanner</wsdp:FriendlyName></wsdp:ThisDevice></mex:MetadataSection>"
            + "<mex:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/Relationship\"><wsdp:Relationship Type=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/host\">"
            + $"<wsdp:Host><a:EndpointReference><a:Address>{epr}</a:Address></a:EndpointReference></wsdp:Host>"
            + "<wsdp:Hosted><a:EndpointReference><a:Address>http://127.0.0.60:5357/scan</a:Address></a:EndpointReference><wsdp:Types>wscn:ScannerServiceType</wsdp:Types><wsdp:ServiceId>urn:harness:scan</wsdp:ServiceId></wsdp:Hosted>"
            + "</wsdp:Relationship></mex:MetadataSection></mex:Metadata></s:Body></s:Envelope>";
        var request = Encoding.UTF8.GetBytes($"POST /device HTTP/1.1\r\nHost: 127.0.0.60:5357\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(requestBody)}\r\n\r\n{requestBody}");
        var response = Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(responseBody)}\r\n\r\n{responseBody}");
        return (
            new TrafficRecord(0, T0, TrafficDirection.Outbound, TrafficTransport.Http, Client, Server, request, "dpws"),
            new TrafficRecord(1, T0.AddMilliseconds(5), TrafficDirection.Inbound, TrafficTransport.Http, Server, Client, response, "dpws"));
    }
}
