using System.Globalization;
using System.Net;
using System.Text;
using Harness.Core.Recording;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Tests.Replay;

/// <summary>Messages and records for the replay tests.</summary>
internal static class ReplayVectors
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    public static readonly IPEndPoint Client = new(IPAddress.Parse("127.0.0.1"), 50123);
    public static readonly IPEndPoint Group = new(IPAddress.Parse("239.255.255.250"), 3702);
    public static readonly IPEndPoint Camera = new(IPAddress.Parse("127.0.0.41"), 3702);

    public const string ProbeId = "urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a";
    public const string CameraEpr = "urn:uuid:5f1f3e57-0000-4000-8000-00000000c0de";
    public const string Nvt = "http://www.onvif.org/ver10/network/wsdl";
    public const string Tds = "http://www.onvif.org/ver10/device/wsdl";

    // Uniview IP camera ProbeMatches as captured (published by brownfinesecurity.com, quoted in a public test fixture;
    // see tests/Harness.WsDiscovery.Tests/Vectors/README.md, file uniview-ipc-probematches-2005.xml). Real-device bytes:
    // MessageID "10002", AppSequence attributes in reverse order, double spaces between scopes, prefix "tns" for d:.
    public const string UniviewProbeMatches = """
        <?xml version="1.0" encoding="UTF-8"?>
        <SOAP-ENV:Envelope
            xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
            xmlns:SOAP-ENC="http://www.w3.org/2003/05/soap-encoding"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xmlns:xsd="http://www.w3.org/2001/XMLSchema"
            xmlns:xop="http://www.w3.org/2004/08/xop/include"
            xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
            xmlns:tns="http://schemas.xmlsoap.org/ws/2005/04/discovery"
            xmlns:dn="http://www.onvif.org/ver10/network/wsdl"
            xmlns:tds="http://www.onvif.org/ver10/device/wsdl"
            xmlns:wsa5="http://www.w3.org/2005/08/addressing">
            <SOAP-ENV:Header>
                <tns:AppSequence MessageNumber="10002" InstanceId="1"></tns:AppSequence>
                <wsa:MessageID>10002</wsa:MessageID>
                <wsa:RelatesTo>urn:uuid:a6ab1bb7-7d49-418d-ba2a-a7f930a7dce7</wsa:RelatesTo>
                <wsa:To SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
                <wsa:Action SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>
            </SOAP-ENV:Header>
            <SOAP-ENV:Body>
                <tns:ProbeMatches>
                    <tns:ProbeMatch>
                        <wsa:EndpointReference>
                            <wsa:Address>urn:uuid:00010010-0001-1020-8000-e4f14c776608</wsa:Address>
                        </wsa:EndpointReference>
                        <tns:Types>dn:NetworkVideoTransmitter tds:Device</tns:Types>
                        <tns:Scopes>onvif://www.onvif.org/Profile/G onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/Profile/T onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/type/audio_encoder onvif://www.onvif.org/max_resolution/2688*1520 onvif://www.onvif.org/register_status/offline  onvif://www.onvif.org/register_server/0.0.0.0:5060  onvif://www.onvif.org/regist_id/34020000001320000001  onvif://www.onvif.org/type/IPC onvif://www.onvif.org/manufacturer/NONE onvif://www.onvif.org/VideoSourceNumber/1 onvif://www.onvif.org/version/GIPC-B6215.1.68.NB.240617 onvif://www.onvif.org/serial/210235UEDW3247000013 onvif://www.onvif.org/macaddr/e4f14c776608  onvif://www.onvif.org/hardware/SC-3243-IWPS-F28 onvif://www.onvif.org/location/  onvif://www.onvif.org/name/SC-3243-IWPS-F28 </tns:Scopes>
                        <tns:XAddrs>http://192.168.100.26:80/onvif/device_service</tns:XAddrs>
                        <tns:MetadataVersion>1</tns:MetadataVersion>
                    </tns:ProbeMatch>
                </tns:ProbeMatches>
            </SOAP-ENV:Body>
        </SOAP-ENV:Envelope>
        """;

    // ONVIF Device Test Tool "Discover Devices" Probe (Wireshark), as quoted in a public ONVIF implementation note (see
    // tests/Harness.WsDiscovery.Tests/Vectors/README.md, onvif-device-test-tool-probe-2005.xml): default namespaces,
    // wsa declared per element, bare uuid: MessageID with whitespace around it, empty <Scopes />.
    public const string OdttProbe = """
        <?xml version="1.0" encoding="utf-8"?>
        <Envelope xmlns:dn="http://www.onvif.org/ver10/network/wsdl"
            xmlns="http://www.w3.org/2003/05/soap-envelope">
            <Header>
                <wsa:MessageID xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">
                    uuid:81b611df-3d93-4422-a3f1-60c2a0064de3
                </wsa:MessageID>
                <wsa:To xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">
                    urn:schemas-xmlsoap-org:ws:2005:04:discovery
                </wsa:To>
                <wsa:Action xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">
                    http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe
                </wsa:Action>
            </Header>
            <Body>
                <Probe xmlns:xsd="http://www.w3.org/2001/XMLSchema"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery">
                    <Types>dn:NetworkVideoTransmitter</Types>
                    <Scopes />
                </Probe>
            </Body>
        </Envelope>
        """;

    /// <summary>A 2005/04 Probe in the shape of the specification's example (written for these tests).</summary>
    public static string Probe(string messageId = ProbeId) => $"""
        <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="{Nvt}"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>{messageId}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>
        """;

    /// <summary>A 2005/04 Resolve for an endpoint (written for these tests).</summary>
    public static string Resolve(string messageId, string endpoint = CameraEpr) => $"""
        <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Resolve</a:Action><a:MessageID>{messageId}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Resolve><a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference></d:Resolve></s:Body></s:Envelope>
        """;

    /// <summary>
    /// A hand-written 2005/04 ProbeMatches with one match. Every value a replay must ignore or compare is a parameter;
    /// <paramref name="typesPrefix"/> names the prefix of the ONVIF network namespace, <paramref name="pad"/> is put
    /// around list members (whitespace the comparison must ignore).
    /// </summary>
    public static string ProbeMatches(
        string messageId = "urn:uuid:7e3f5a10-1c55-4a36-8a44-3b8d9c2f0e11",
        string? relatesTo = ProbeId,
        ulong? instanceId = 1,
        ulong messageNumber = 1,
        string endpoint = CameraEpr,
        string typesPrefix = "dn",
        string typesNamespace = Nvt,
        string scopes = "onvif://www.onvif.org/name/Front%20door onvif://www.onvif.org/type/video_encoder",
        string xaddrs = "http://127.0.0.41/onvif/device_service",
        ulong? metadataVersion = 1,
        string pad = "")
    {
        var sequence = instanceId is { } instance
            ? string.Create(CultureInfo.InvariantCulture, $"<d:AppSequence InstanceId=\"{instance}\" MessageNumber=\"{messageNumber}\"/>")
            : string.Empty;
        var related = relatesTo is null ? string.Empty : $"<a:RelatesTo>{relatesTo}</a:RelatesTo>";
        var version = metadataVersion is { } v ? string.Create(CultureInfo.InvariantCulture, $"<d:MetadataVersion>{v}</d:MetadataVersion>") : string.Empty;
        return $"""
            <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:{typesPrefix}="{typesNamespace}" xmlns:tds="{Tds}"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action><a:MessageID>{messageId}</a:MessageID>{related}<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>{sequence}</s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference><d:Types>{pad}{typesPrefix}:NetworkVideoTransmitter{pad} tds:Device{pad}</d:Types><d:Scopes>{pad}{scopes}{pad}</d:Scopes><d:XAddrs>{pad}{xaddrs}{pad}</d:XAddrs>{version}</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>
            """;
    }

    /// <summary>A MatchingRuleNotSupported fault (2005/04) relating to <paramref name="relatesTo"/>.</summary>
    public static string Fault(string relatesTo = ProbeId, string subcode = "d:MatchingRuleNotSupported") => $"""
        <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/fault</a:Action><a:MessageID>urn:uuid:11111111-2222-4333-8444-555555555555</a:MessageID><a:RelatesTo>{relatesTo}</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To></s:Header><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>{subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">the matching rule specified is not supported</s:Text></s:Reason><s:Detail><d:SupportedMatchingRules>http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc2396</d:SupportedMatchingRules></s:Detail></s:Fault></s:Body></s:Envelope>
        """;

    public static WsdMessage Read(string xml) =>
        WsdMessageReader.Read(Encoding.UTF8.GetBytes(xml)).Message ?? throw new InvalidOperationException("The vector does not read.");

    public static TrafficRecord Record(long sequence, double seconds, IPEndPoint source, IPEndPoint destination, string payload, string? protocol = "wsd") =>
        new(sequence, T0.AddSeconds(seconds), TrafficDirection.Inbound, TrafficTransport.Udp, source, destination, Encoding.UTF8.GetBytes(payload), protocol);

    /// <summary>A capture with one Probe (multicast, with a repeat) and the camera's ProbeMatches (with a repeat).</summary>
    public static List<TrafficRecord> ProbeCapture(string? answer = null) =>
    [
        Record(0, 0.00, Client, Group, Probe()),
        Record(1, 0.10, Client, Group, Probe()),
        Record(2, 0.20, Camera, Client, answer ?? ProbeMatches()),
        Record(3, 0.40, Camera, Client, answer ?? ProbeMatches()),
    ];
}
