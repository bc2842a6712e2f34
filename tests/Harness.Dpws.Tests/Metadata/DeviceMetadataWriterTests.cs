using System.Xml.Linq;
using Harness.Dpws.Metadata;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Tests.Metadata;

public sealed class DeviceMetadataWriterTests
{
    internal static DeviceMetadata Scanner(string serviceAddress = "http://127.0.0.1:5357/scanner") => new()
    {
        ThisModel = new ThisModel
        {
            Manufacturer = [new LocalizedText("Harness", "en"), new LocalizedText("Harnais", "fr")],
            ManufacturerUrl = "http://harness.test/",
            ModelName = [new LocalizedText("Fake Scanner 9000", "en")],
            ModelNumber = "9000",
            PresentationUrl = "http://127.0.0.1:5357/",
            Extensions = [new XElement(XName.Get("DeviceCategory", DpwsNamespaces.Pnpx), "Scanners")],
        },
        ThisDevice = new ThisDevice { FriendlyName = [new LocalizedText("Scanner on desk 3", "en")], FirmwareVersion = "1.2.3", SerialNumber = "SN-0001" },
        Host = new HostMetadata(new WsaEndpointReference("urn:uuid:4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f")) { Types = [WsdQName.Create(DpwsNamespaces.Scan, "ScanDeviceType", "wscn")] },
        Hosted =
        [
            new HostedServiceMetadata
            {
                EndpointReferences = [new WsaEndpointReference(serviceAddress)],
                Types = [WsdQName.Create(DpwsNamespaces.Scan, "ScannerServiceType", "sca")],
                ServiceId = "uri:4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f/scanner",
            },
        ],
    };

    [Fact]
    public void WriteThenRead_ScannerMetadata_SameModelAndNoViolations()
    {
        var request = new SoapEnvelope { Header = new SoapHeader { MessageId = "urn:uuid:1", ReplyTo = WsaEndpointReference.Anonymous } };
        var bytes = SoapWriter.Write(DeviceMetadataWriter.GetResponse(request, Scanner(), "urn:uuid:2"));

        var envelope = SoapReader.Read(bytes);
        var result = DeviceMetadataReader.Read(envelope.Envelope!);

        Assert.Empty(envelope.Violations);
        Assert.Empty(result.Violations);
        var read = result.Metadata!;
        Assert.Equal(DpwsActions.TransferGetResponse, envelope.Envelope!.Header.Action);
        Assert.Equal("urn:uuid:1", envelope.Envelope.Header.RelatesTo);
        Assert.Equal(Scanner().ThisModel!.Manufacturer, read.ThisModel!.Manufacturer);
        Assert.Equal(Scanner().ThisModel!.ModelName, read.ThisModel.ModelName);
        Assert.Equal(("9000", "http://harness.test/"), (read.ThisModel.ModelNumber, read.ThisModel.ManufacturerUrl));
        Assert.Equal("Scanners", Assert.Single(read.ThisModel.Extensions).Value);
        Assert.Equal(Scanner().ThisDevice!.FriendlyName, read.ThisDevice!.FriendlyName);
        Assert.Equal(("1.2.3", "SN-0001"), (read.ThisDevice.FirmwareVersion, read.ThisDevice.SerialNumber));
        Assert.Equal(Scanner().Host!.Types, read.Host!.Types);
        var hosted = Assert.Single(read.Hosted);
        Assert.Equal("http://127.0.0.1:5357/scanner", hosted.Address);
        Assert.True(hosted.HasType(new WsdQName(DpwsNamespaces.Scan, "ScannerServiceType")));
        Assert.Equal("uri:4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f/scanner", hosted.ServiceId);
    }

    [Fact]
    public void Write_ScannerMetadata_GoldenXml()
    {
        var xml = Write(Scanner());

        Assert.Equal(
            "<wsx:Metadata xmlns:wsx=\"http://schemas.xmlsoap.org/ws/2004/09/mex\" xmlns:wsdp=\"http://schemas.xmlsoap.org/ws/2006/02/devprof\" xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:wscn=\"http://schemas.microsoft.com/windows/2006/08/wdp/scan\">"
            + "<wsx:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisDevice\"><wsdp:ThisDevice><wsdp:FriendlyName xml:lang=\"en\">Scanner on desk 3</wsdp:FriendlyName><wsdp:FirmwareVersion>1.2.3</wsdp:FirmwareVersion><wsdp:SerialNumber>SN-0001</wsdp:SerialNumber></wsdp:ThisDevice></wsx:MetadataSection>"
            + "<wsx:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisModel\"><wsdp:ThisModel><wsdp:Manufacturer xml:lang=\"en\">Harness</wsdp:Manufacturer><wsdp:Manufacturer xml:lang=\"fr\">Harnais</wsdp:Manufacturer><wsdp:ManufacturerUrl>http://harness.test/</wsdp:ManufacturerUrl><wsdp:ModelName xml:lang=\"en\">Fake Scanner 9000</wsdp:ModelName><wsdp:ModelNumber>9000</wsdp:ModelNumber><wsdp:PresentationUrl>http://127.0.0.1:5357/</wsdp:PresentationUrl><DeviceCategory xmlns=\"http://schemas.microsoft.com/windows/pnpx/2005/10\">Scanners</DeviceCategory></wsdp:ThisModel></wsx:MetadataSection>"
            + "<wsx:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/Relationship\"><wsdp:Relationship Type=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/host\">"
            + "<wsdp:Host><wsa:EndpointReference><wsa:Address>urn:uuid:4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f</wsa:Address></wsa:EndpointReference><wsdp:Types>wscn:ScanDeviceType</wsdp:Types></wsdp:Host>"
            + "<wsdp:Hosted><wsa:EndpointReference><wsa:Address>http://127.0.0.1:5357/scanner</wsa:Address></wsa:EndpointReference><wsdp:Types>wscn:ScannerServiceType</wsdp:Types><wsdp:ServiceId>uri:4b0e9d38-8f1d-4a3c-9d7e-1a2b3c4d5e6f/scanner</wsdp:ServiceId></wsdp:Hosted>"
            + "</wsdp:Relationship></wsx:MetadataSection></wsx:Metadata>",
            xml);
    }

    [Fact]
    public void Write_TypePrefixes_OwnWhenFreeConventionalElseGenerated()
    {
        var metadata = new DeviceMetadata
        {
            Hosted =
            [
                new HostedServiceMetadata { EndpointReferences = [new WsaEndpointReference("http://a/")], ServiceId = "urn:s1", Types = [WsdQName.Create("urn:one", "A", "wsa"), WsdQName.Create("urn:two", "B", "mine"), WsdQName.Create("urn:three", "C", null)] },
            ],
        };

        var xml = Write(metadata);

        Assert.Contains("xmlns:i0=\"urn:one\" xmlns:mine=\"urn:two\" xmlns:i1=\"urn:three\"", xml, StringComparison.Ordinal);
        Assert.Contains("<wsdp:Types>i0:A mine:B i1:C</wsdp:Types>", xml, StringComparison.Ordinal);
    }

    private static string Write(DeviceMetadata metadata) => DeviceMetadataWriter.Write(metadata).ToString(SaveOptions.DisableFormatting);
}
