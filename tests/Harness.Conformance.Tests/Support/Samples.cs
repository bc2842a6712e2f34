using System.Net;
using System.Text;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Conformance.Tests.Support;

/// <summary>A fixed session and run used by the golden and escaping tests.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public const string HostileName = "<script>alert(1)</script><img src=x onerror=document.title='pwned'>";

    public static readonly IPEndPoint Harness = new(IPAddress.Loopback, 50000);
    public static readonly IPEndPoint Multicast = new(IPAddress.Parse("239.255.255.250"), 3702);
    public static readonly IPEndPoint Camera = new(IPAddress.Parse("127.0.0.11"), 3702);
    public static readonly IPEndPoint Hostile = new(IPAddress.Parse("127.0.0.12"), 3702);
    public static readonly IPEndPoint Upnp = new(IPAddress.Parse("127.0.0.13"), 1900);

    // A WS-Discovery 2005/04 Probe and a ProbeMatches in the shape of the specification's examples (written for
    // these tests; the identifiers are made up).
    public const string Probe = """
        <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</a:MessageID><a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>
        """;

    public const string ProbeMatches = """
        <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action><a:MessageID>urn:uuid:7e3f5a10-1c55-4a36-8a44-3b8d9c2f0e11</a:MessageID><a:RelatesTo>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:5f1f3e57-0000-4000-8000-00000000c0de</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/Front%20door</d:Scopes><d:XAddrs>http://127.0.0.11/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>
        """;

    /// <summary>A reply from the hostile device: not well-formed, with markup in it.</summary>
    public const string HostileReply = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><b>" + HostileName + "</s:Body>";

    public const string SsdpResponse = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://127.0.0.13:49152/description.xml\r\nSERVER: Linux/5.10 UPnP/1.0 Harness/1.0\r\nST: upnp:rootdevice\r\nUSN: uuid:2fac1234-31f8-11b4-a222-08002b34c003::upnp:rootdevice\r\n\r\n";

    public static readonly byte[] Binary = [0x00, 0x01, 0x02, 0xFF, 0xFE, 0x3C, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3E, 0x7F, 0x80, 0x10, 0x41];

    public static Device CameraDevice { get; } = new("urn:uuid:5f1f3e57-0000-4000-8000-00000000c0de", Protocols.Wsd, [DeviceRole.TargetService, DeviceRole.NetworkVideoTransmitter])
    {
        DisplayName = "Front door camera",
        Addresses = [new IPEndPoint(Camera.Address, 0)],
        EndpointReference = "urn:uuid:5f1f3e57-0000-4000-8000-00000000c0de",
        Metadata = new Dictionary<string, string>
        {
            ["types"] = "dn:NetworkVideoTransmitter",
            ["xaddrs"] = "http://127.0.0.11/onvif/device_service",
        },
    };

    public static Device HostileDevice { get; } = new("uuid:" + HostileName, Protocols.Wsd, [DeviceRole.TargetService])
    {
        DisplayName = HostileName,
        Addresses = [Hostile],
        EndpointReference = "uuid:" + HostileName,
        Metadata = new Dictionary<string, string>
        {
            ["model"] = HostileName,
            ["<b>key</b>"] = "\"quoted\" & 'apostrophes' \u001b[31mred\u001b[0m",
        },
    };

    public static Device UpnpDevice { get; } = new("uuid:2fac1234-31f8-11b4-a222-08002b34c003", Protocols.Ssdp, [DeviceRole.UpnpRootDevice])
    {
        DisplayName = "Living room media server",
        Addresses = [Upnp],
    };

    /// <summary>A passive SSDP rule, to have a second protocol in the counts.</summary>
    public static Rule SsdpMaxAge { get; } = new()
    {
        Id = "EX-SSDP-004",
        Title = "A search response carries CACHE-CONTROL max-age",
        Citation = new SpecCitation("UPnP Device Architecture 1.1", "1.3.3", Text: "CACHE-CONTROL: REQUIRED. Field value MUST have the max-age directive", IsQuote: true),
        Level = RuleLevel.Must,
        Protocol = Protocols.Ssdp,
        Roles = [DeviceRole.UpnpRootDevice],
        Check = ctx => ctx.RecordsFromDevice.Select(r =>
            Encoding.UTF8.GetString(r.Payload.Span).Contains("CACHE-CONTROL: max-age=", StringComparison.OrdinalIgnoreCase)
                ? ctx.Pass("max-age present.", [r])
                : ctx.Violation("No max-age.", [r], expected: "CACHE-CONTROL: max-age=<seconds>")),
    };

    /// <summary>A MAY rule that notes binary payloads, to have Info in the counts.</summary>
    public static Rule MayText { get; } = new()
    {
        Id = "EX-TEXT-005",
        Title = "Messages may be plain UTF-8 text",
        Citation = new SpecCitation("Harness example protocol", "2"),
        Level = RuleLevel.May,
        Protocol = Protocols.Wsd,
        Check = ctx => ctx.RecordsFromDevice
            .Where(r => r.Payload.Span.IndexOf((byte)0) >= 0)
            .Select(r => ctx.Violation("The device sent binary data.", [r], actual: Convert.ToHexString(r.Payload.Span))),
    };

    public static IReadOnlyList<TrafficRecord> Records()
    {
        var recorder = new TrafficRecorder(new FakeTimeProvider(Start));
        recorder.Record(TrafficDirection.Outbound, TrafficTransport.Udp, Harness, Multicast, Encoding.UTF8.GetBytes(Probe), "wsd", Start.AddMilliseconds(10));
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, Camera, Harness, Encoding.UTF8.GetBytes(ProbeMatches), "wsd", Start.AddMilliseconds(124));
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, Hostile, Harness, Encoding.UTF8.GetBytes(HostileReply), "wsd", Start.AddMilliseconds(230));
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, Upnp, Harness, Encoding.UTF8.GetBytes(SsdpResponse), "ssdp", Start.AddMilliseconds(305));
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, Hostile, Harness, Binary, null, Start.AddMilliseconds(410));
        return recorder.Snapshot();
    }

    public static ObservedSession Session() =>
        new(Records(), [CameraDevice, HostileDevice, UpnpDevice], "capture: sample.pcapng", Start, Start.AddSeconds(1));

    public static RuleCatalogue Catalogue() =>
        new([.. ExampleRules.All, SsdpMaxAge, MayText]);

    /// <summary>Runs the sample catalogue over the sample session on a fake clock: a fixed, deterministic result.</summary>
    public static async Task<RunResult> RunAsync()
    {
        var time = new FakeTimeProvider(Start.AddSeconds(2));
        var runner = new Runner(Catalogue(), time);
        return await runner.RunAsync(
            new ConformanceRun { RunId = "20250102T030407Z", ToolVersion = "1.2.3-test" },
            Session(),
            new PassiveTarget("capture: sample.pcapng"));
    }
}
