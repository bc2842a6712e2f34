using System.Net;
using System.Text;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Core.Recording;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Tests.Wsd;

public sealed class WsdDevicesTests
{
    // A ProbeMatches as sent by christgau/wsdd 0.7.0 (captured from a real wsdd run; notes/vectors/wsdd-0.7.0-probematches.xml).
    private const string WsddProbeMatches = """<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:wsx="http://schemas.xmlsoap.org/ws/2004/09/mex" xmlns:wsdp="http://schemas.xmlsoap.org/ws/2006/02/devprof" xmlns:pnpx="http://schemas.microsoft.com/windows/pnpx/2005/10" xmlns:pub="http://schemas.microsoft.com/windows/pub/2005/07"><soap:Header><wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action><wsa:MessageID>urn:uuid:6ea2cb30-e8ad-11f1-8e59-163daa1ef595</wsa:MessageID><wsa:RelatesTo>urn:uuid:b5ea08a2-118c-4361-9e26-c51e0e2d3a2e</wsa:RelatesTo><wsd:AppSequence InstanceId="1795596693" SequenceId="urn:uuid:6ea2ccca-e8ad-11f1-8e59-163daa1ef595" MessageNumber="2" /></soap:Header><soap:Body><wsd:ProbeMatches><wsd:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:11111111-2222-3333-4444-555555555555</wsa:Address></wsa:EndpointReference><wsd:Types>wsdp:Device pub:Computer</wsd:Types><wsd:MetadataVersion>1</wsd:MetadataVersion></wsd:ProbeMatch></wsd:ProbeMatches></soap:Body></soap:Envelope>""";

    private static readonly IPEndPoint Group = new(IPAddress.Parse("239.255.255.250"), 3702);
    private static readonly IPEndPoint FleetSource = new(IPAddress.Loopback, 3702);
    private static readonly IPEndPoint Harness = new(IPAddress.Loopback, 50123);
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void FromSession_FleetOnOneAddress_TellsDevicesApartByEndpointReference()
    {
        var recorder = new TrafficRecorder(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        Record(recorder, TrafficDirection.Inbound, FleetSource, Group, Hello("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "Front%20Door", "127.0.0.10"));
        Record(recorder, TrafficDirection.Inbound, FleetSource, Harness, Matches("urn:uuid:aaaaaaaa-0000-4000-8000-000000000002", "Back%20Yard", "127.0.0.11"));

        var devices = WsdDevices.FromSession(recorder.Snapshot());

        Assert.Equal(2, devices.Count);
        var front = devices[0];
        Assert.Equal("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", front.Id);
        Assert.Equal("Front Door", front.DisplayName);
        Assert.Equal([DeviceRole.TargetService, DeviceRole.NetworkVideoTransmitter], front.Roles);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.10"), 3702), WsdDevices.UnicastEndPoint(front));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.11"), 3702), WsdDevices.UnicastEndPoint(devices[1]));
        Assert.Contains(FleetSource, front.Addresses);
        Assert.Contains(FleetSource, devices[1].Addresses);
        Assert.Equal("Back Yard", devices[1].DisplayName);
    }

    [Fact]
    public void FromSession_OwnMessagesAndByeOnly_AreNoDevices()
    {
        var recorder = new TrafficRecorder(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        Record(recorder, TrafficDirection.Outbound, Harness, Group, Hello("urn:uuid:aaaaaaaa-0000-4000-8000-000000000003", "Harness", "127.0.0.1"));
        var bye = new WsdBye
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader { Action = WsdProtocol.V2005.ByeAction, MessageId = "urn:uuid:aaaaaaaa-0000-4000-8000-0000000000b0", To = WsdProtocol.V2005.MulticastTo, AppSequence = new(1, 9) },
            Endpoint = new WsdEndpointData(new("urn:uuid:aaaaaaaa-0000-4000-8000-000000000004"), [], [], [], null),
        };
        Record(recorder, TrafficDirection.Inbound, FleetSource, Group, WsdMessageWriter.Write(bye));

        Assert.Empty(WsdDevices.FromSession(recorder.Snapshot()));
    }

    [Fact]
    public void FromSession_WsddProbeMatches_IsADpwsHostWithoutOnvifRole()
    {
        var source = new IPEndPoint(IPAddress.Parse("192.0.2.44"), 3702);
        var recorder = new TrafficRecorder(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        Record(recorder, TrafficDirection.Inbound, source, Harness, Encoding.UTF8.GetBytes(WsddProbeMatches));

        var device = Assert.Single(WsdDevices.FromSession(recorder.Snapshot()));

        Assert.Equal("urn:uuid:11111111-2222-3333-4444-555555555555", device.Id);
        Assert.Equal([DeviceRole.TargetService], device.Roles);
        Assert.Null(device.DisplayName);
        Assert.Equal(source, WsdDevices.UnicastEndPoint(device));
        Assert.Contains("{http://schemas.xmlsoap.org/ws/2006/02/devprof}Device", WsdDevices.List(device, WsdDevices.TypesKey));
        Assert.Equal("1", device.Metadata[WsdDevices.MetadataVersionKey]);
    }

    [Fact]
    public void FromSession_DeviceOffLoopback_IsReachedWhereItsMessagesCameFromNotAtItsXAddrs()
    {
        var source = new IPEndPoint(IPAddress.Parse("192.0.2.44"), 3702);
        var recorder = new TrafficRecorder(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        Record(recorder, TrafficDirection.Inbound, source, Harness, Matches("urn:uuid:aaaaaaaa-0000-4000-8000-000000000005", "Tunnel", "198.51.100.7"));

        var device = Assert.Single(WsdDevices.FromSession(recorder.Snapshot()));

        Assert.Equal(source, WsdDevices.UnicastEndPoint(device));
        Assert.True(device.IsAt(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 80)));
    }

    [Fact]
    public async Task PassiveRules_OverTheWsddCapture_JudgeTheRealBytes()
    {
        var source = new IPEndPoint(IPAddress.Parse("192.0.2.44"), 3702);
        var recorder = new TrafficRecorder(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        Record(recorder, TrafficDirection.Inbound, source, Harness, Encoding.UTF8.GetBytes(WsddProbeMatches));
        var records = recorder.Snapshot();
        var session = new ObservedSession(records, WsdDevices.FromSession(records), "capture: wsdd");

        var result = await new Runner(WsdSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session);
        Verdict VerdictOf(string id) => result.Outcomes.Single(o => o.Rule.Id == id).Verdict;

        Assert.Equal(Verdict.Pass, VerdictOf("WSD-MSG-001"));
        Assert.Equal(Verdict.Pass, VerdictOf("WSD-MSG-009"));
        Assert.Equal(Verdict.Pass, VerdictOf("WSD-PRB-014"));
        Assert.Equal(Verdict.Pass, VerdictOf("WSD-MSG-005"));
        Assert.Equal(Verdict.NotApplicable, VerdictOf("WSD-PRB-001")); // active: needs a live target
        Assert.DoesNotContain(result.Outcomes, o => o.Rule.Id.StartsWith("WSD-ONV-", StringComparison.Ordinal));
    }

    private static void Record(TrafficRecorder recorder, TrafficDirection direction, IPEndPoint from, IPEndPoint to, byte[] payload) =>
        recorder.Record(direction, TrafficTransport.Udp, from, to, payload, Protocols.Wsd);

    private static WsdEndpointData Camera(string epr, string name, string host) => new(
        new WsdEndpointReference(epr),
        [WsdQName.Create(WsdDevices.OnvifNetworkNamespace, "NetworkVideoTransmitter", "dn"), WsdQName.Create(WsdDevices.OnvifDeviceNamespace, "Device", "tds")],
        ["onvif://www.onvif.org/name/" + name, "onvif://www.onvif.org/hardware/IPC-1"],
        [$"http://{host}:8080/onvif/device_service"],
        1);

    private static byte[] Hello(string epr, string name, string host) => WsdMessageWriter.Write(new WsdHello
    {
        Protocol = WsdProtocol.V2005,
        Header = new WsdHeader { Action = WsdProtocol.V2005.HelloAction, MessageId = "urn:uuid:bbbbbbbb-0000-4000-8000-" + epr[^12..], To = WsdProtocol.V2005.MulticastTo, AppSequence = new(1, 1) },
        Endpoint = Camera(epr, name, host),
    });

    private static byte[] Matches(string epr, string name, string host) => WsdMessageWriter.Write(new WsdProbeMatches
    {
        Protocol = WsdProtocol.V2005,
        Header = new WsdHeader
        {
            Action = WsdProtocol.V2005.ProbeMatchesAction,
            MessageId = "urn:uuid:cccccccc-0000-4000-8000-" + epr[^12..],
            RelatesTo = "urn:uuid:dddddddd-0000-4000-8000-000000000001",
            To = WsdProtocol.V2005.AnonymousAddress,
            AppSequence = new(1, 2),
        },
        Matches = [Camera(epr, name, host)],
    });
}
