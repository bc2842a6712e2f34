using System.Net;
using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Http;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Tests.Metadata;

public sealed class DpwsDeviceTests
{
    private const string DeviceAddress = "urn:uuid:4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f";
    private static readonly WsdQName ScannerServiceType = WsdQName.Create(DpwsNamespaces.Scan, "ScannerServiceType", "wscn");

    [Fact]
    public async Task Get_ThroughDpwsClient_TypedMetadataWithHostedServiceUrlAndNoViolations()
    {
        await using var device = await StartScannerAsync();
        using var http = TestKit.Client(device.Host);
        var client = new DpwsClient(http) { From = "urn:uuid:6c3f5d0e-1b8a-4d49-a3c1-0f9b2e7d4a55" };

        var result = await client.GetAsync(device.XAddr, DeviceAddress, TestKit.Timeout());

        Assert.Empty(result.Violations);
        Assert.Equal("Harness", result.Metadata.Manufacturer);
        Assert.Equal("Scanner on desk 3", result.Metadata.FriendlyName);
        Assert.Equal(DeviceAddress, result.Metadata.Host!.EndpointReference.Address);
        var scanner = Assert.Single(result.Metadata.HostedOfType(ScannerServiceType));
        Assert.Equal("http://localhost/scanner", scanner.Address);
        Assert.Equal("/4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f", device.DeviceEndpoint.Path);
    }

    [Fact]
    public async Task Get_WsddRequestBytes_GetResponseRelatesToItsMessageId()
    {
        await using var device = await StartScannerAsync(endpointAddress: "urn:uuid:dea604bb-e526-46a1-8bdb-121125389a9d");
        using var http = TestKit.Http(device.Host);

        using var response = await http.PostAsync(device.DeviceEndpoint.Path, TestKit.Soap(MetadataVectors.WsddGetRequest), TestKit.Timeout());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var envelope = SoapReader.Read(await response.Content.ReadAsByteArrayAsync(TestKit.Timeout())).Envelope!;
        Assert.Equal(DpwsActions.TransferGetResponse, envelope.Header.Action);
        Assert.Equal("urn:uuid:00000000-0000-0000-0000-000000000000", envelope.Header.RelatesTo);
        Assert.Equal(DpwsNamespaces.AnonymousAddress, envelope.Header.To);
        Assert.Empty(DeviceMetadataReader.Read(envelope).Violations);
    }

    [Fact]
    public async Task Get_ToIsNeitherEprNorUrl_ReportedButAnswered()
    {
        await using var device = await StartScannerAsync();
        var exchanges = new List<SoapExchangeEventArgs>();
        device.Host.Exchanged += (_, e) => exchanges.Add(e);
        using var http = TestKit.Client(device.Host);

        var result = await http.InvokeAsync(device.XAddr, SoapEnvelope.Request(DpwsActions.TransferGet, "urn:uuid:someone-else", http.NewMessageId()), null, TestKit.Timeout());

        Assert.Equal(DpwsActions.TransferGetResponse, result.Envelope!.Header.Action);
        Assert.Contains(Assert.Single(exchanges).Violations, v => v.RuleId == DpwsRuleIds.TransferGet && v.Severity == ViolationSeverity.Warning);
    }

    [Fact]
    public async Task HostedService_RegisteredOperation_DispatchedOnItsEndpoint()
    {
        await using var device = await StartScannerAsync();
        var service = device.HostedServices.Single();
        var getElements = DpwsNamespaces.Scan + "/GetScannerElements";
        service.Endpoint.On(getElements, (c, _) => ValueTask.FromResult(c.Reply(getElements + "Response", new XElement(XName.Get("GetScannerElementsResponse", DpwsNamespaces.Scan)))));
        using var http = TestKit.Client(device.Host);

        var result = await http.InvokeAsync(service.Address, SoapEnvelope.Request(getElements, service.Address.ToString(), http.NewMessageId()), null, TestKit.Timeout());

        Assert.Equal(getElements + "Response", result.Envelope!.Header.Action);
        Assert.Equal(XName.Get("GetScannerElementsResponse", DpwsNamespaces.Scan), result.Envelope.BodyElement!.Name);
    }

    [Fact]
    public async Task ToPublishedService_XAddrTemplateOnTheBoundPort()
    {
        await using var device = await StartScannerAsync();

        var published = device.ToPublishedService([WsdQName.Create(DpwsNamespaces.Devprof, "Device", "wsdp")], []);

        Assert.Equal(DeviceAddress, published.EndpointAddress);
        Assert.Equal([$"http://{{ip}}:{device.Host.Port}/4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f"], published.XAddrs);
    }

    internal static async Task<DpwsDevice> StartScannerAsync(string endpointAddress = DeviceAddress, DpwsHostOptions? hostOptions = null, TimeProvider? time = null, HttpMessageHandler? notifier = null, Harness.Dpws.Eventing.SubscriptionManagerOptions? eventing = null)
    {
        var scanner = DeviceMetadataWriterTests.Scanner();
        var device = await DpwsDevice.StartAsync(
            new DpwsDeviceOptions
            {
                EndpointAddress = endpointAddress,
                ThisModel = scanner.ThisModel!,
                ThisDevice = scanner.ThisDevice!,
                HostTypes = scanner.Host!.Types,
                Host = hostOptions ?? TestKit.InMemory(),
            },
            time,
            null,
            notifier,
            TestKit.Timeout());
        device.AddHostedService(new HostedServiceOptions
        {
            Path = "/scanner",
            Types = [ScannerServiceType],
            ServiceId = "uri:" + endpointAddress[9..] + "/scanner",
            Eventing = eventing,
        });
        return device;
    }
}
