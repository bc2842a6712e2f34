using System.Text;
using Harness.Core.Diagnostics;
using Harness.Dpws.Metadata;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Tests.Metadata;

public sealed class DeviceMetadataReaderTests
{
    [Fact]
    public void Read_WsdApiSample_TypedModelWithTrimmedValues()
    {
        var result = Read(MetadataVectors.WsdApiGetResponse);

        Assert.DoesNotContain(result.Violations, v => v.Severity != ViolationSeverity.Info);
        var metadata = result.Metadata!;
        Assert.Equal("Microsoft", metadata.Manufacturer);
        Assert.Equal("http://www.microsoft.com/", metadata.ThisModel!.ManufacturerUrl);
        Assert.Equal("WSDAPI Interop device", metadata.ModelName);
        Assert.Equal("0.1", metadata.ThisModel.ModelNumber);
        Assert.Equal("http://www.microsoft.com/", metadata.ThisModel.PresentationUrl);
        Assert.Equal("WSDAPI Basic Interop Server", metadata.FriendlyName);
        Assert.Equal("alpha", metadata.ThisDevice!.FirmwareVersion);
        Assert.Equal("1", metadata.ThisDevice.SerialNumber);
        Assert.Equal("urn:uuid:37f86d35-e6ac-4241-964f-1d9ae46fb366", metadata.Host!.EndpointReference.Address);
        Assert.Equal([new WsdQName("http://schemas.example.org/SimpleService", "SimpleDeviceType")], metadata.Host.Types);
        Assert.Equal("http://testdevice.interop/SimpleDevice", metadata.Host.ServiceId);
        var hosted = Assert.Single(metadata.Hosted);
        Assert.Equal("http://192.168.0.2:5357/37f86d35-e6ac-4241-964f-1d9ae46fb366", hosted.Address);
        Assert.Equal("http://testdevice.interop/SimpleService1", hosted.ServiceId);
        Assert.True(hosted.HasType(new WsdQName("http://schemas.example.org/SimpleService", "SimpleService")));
        Assert.Equal("sim", hosted.Types[0].Prefix);
    }

    [Fact]
    public void Read_WsddSynology_HostOnlyWithPnpxExtensionUnderOddPrefix()
    {
        var result = Read(MetadataVectors.WsddSynologyGetResponse);

        Assert.DoesNotContain(result.Violations, v => v.Severity != ViolationSeverity.Info);
        var metadata = result.Metadata!;
        Assert.Equal("Synology Inc", metadata.Manufacturer);
        Assert.Equal("Synology DiskStation", metadata.FriendlyName);
        Assert.Empty(metadata.Hosted);
        Assert.Equal([new WsdQName(DpwsNamespaces.Pub, "Computer")], metadata.Host!.Types);
        var category = Assert.Single(metadata.ThisModel!.Extensions);
        Assert.Equal(System.Xml.Linq.XName.Get("DeviceCategory", DpwsNamespaces.Pnpx), category.Name);
        Assert.Equal("Computers", category.Value);
        Assert.Equal("diskstation/Workgroup:WORKGROUP", Assert.Single(metadata.Host.Extensions).Value);
    }

    [Fact]
    public void Read_HttpsNamespaces_SameModelPlusNamespaceViolations()
    {
        var envelope = SoapReader.Read(Encoding.UTF8.GetBytes(MetadataVectors.WsdApiGetResponseHttps));
        var result = DeviceMetadataReader.Read(envelope.Envelope!);

        Assert.Equal("Microsoft", result.Metadata!.Manufacturer);
        Assert.Single(result.Metadata.Hosted);
        Assert.Contains(envelope.Violations, v => v.RuleId == DpwsRuleIds.Namespace);
    }

    [Fact]
    public void Read_MissingModelNameAndFriendlyName_Dpws003()
    {
        var xml = MetadataVectors.WsdApiGetResponse
            .Replace("<wsdp:ModelName>\n                    WSDAPI Interop device\n                </wsdp:ModelName>", string.Empty, StringComparison.Ordinal)
            .Replace("<wsdp:FriendlyName>\n                    WSDAPI Basic Interop Server\n                </wsdp:FriendlyName>", string.Empty, StringComparison.Ordinal);

        var result = Read(xml);

        Assert.Null(result.Metadata!.ModelName);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.ThisModelDevice && v.Message.Contains("ModelName", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.ThisModelDevice && v.Message.Contains("FriendlyName", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_OverlongFieldAndUri_Dpws005AndValuesKeptWhole()
    {
        var name = new string('N', 257);
        var url = "http://example.com/" + new string('u', 2048);
        var xml = MetadataVectors.WsdApiGetResponse
            .Replace("<wsdp:SerialNumber>1</wsdp:SerialNumber>", $"<wsdp:SerialNumber>{name}</wsdp:SerialNumber>", StringComparison.Ordinal)
            .Replace("<wsdp:ModelUrl>\n                    http://www.microsoft.com/\n                </wsdp:ModelUrl>", $"<wsdp:ModelUrl>{url}</wsdp:ModelUrl>", StringComparison.Ordinal);

        var result = Read(xml);

        Assert.Equal(name, result.Metadata!.ThisDevice!.SerialNumber);
        Assert.Equal(url, result.Metadata.ThisModel!.ModelUrl);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.FieldSize && v.Message.Contains("257 characters", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.FieldSize && v.Message.Contains("2067 octets", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_FieldOf256Characters_NoViolation()
    {
        var xml = MetadataVectors.WsdApiGetResponse.Replace("<wsdp:SerialNumber>1</wsdp:SerialNumber>", $"<wsdp:SerialNumber>{new string('é', 256)}</wsdp:SerialNumber>", StringComparison.Ordinal);

        Assert.DoesNotContain(Read(xml).Violations, v => v.RuleId == DpwsRuleIds.FieldSize);
    }

    [Fact]
    public void Read_WrongRelationshipTypeAndIncompleteHosted_Dpws004()
    {
        var xml = MetadataVectors.WsdApiGetResponse
            .Replace("Type=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/host\"", "Type=\"http://example.com/other\"", StringComparison.Ordinal)
            .Replace("<wsdp:ServiceId>\n                        http://testdevice.interop/SimpleService1\n                    </wsdp:ServiceId>", string.Empty, StringComparison.Ordinal)
            .Replace("<wsdp:Types>sim:SimpleService</wsdp:Types>", "<wsdp:Types>sim:SimpleService undeclared:Thing</wsdp:Types>", StringComparison.Ordinal);

        var result = Read(xml);

        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.Relationship && v.Message.Contains("Relationship Type", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.Relationship && v.Message.Contains("no ServiceId", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.Relationship && v.Message.Contains("undeclared:Thing", StringComparison.Ordinal));
        Assert.Single(result.Metadata!.Hosted[0].Types);
    }

    [Fact]
    public void Read_BodyIsNotMetadata_Dpws002AndNoModel()
    {
        var envelope = SoapEnvelope.Reply(new SoapEnvelope { Header = new SoapHeader { MessageId = "urn:uuid:1" } }, DpwsActions.TransferGetResponse, "urn:uuid:2");

        var result = DeviceMetadataReader.Read(envelope);

        Assert.Null(result.Metadata);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.MetadataSections);
    }

    [Fact]
    public void Read_MissingSections_Dpws002PerSection()
    {
        var xml = """<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsx="http://schemas.xmlsoap.org/ws/2004/09/mex"><soap:Body><wsx:Metadata><wsx:MetadataSection Dialect="http://example.com/wsdl"><x xmlns="urn:x"/></wsx:MetadataSection></wsx:Metadata></soap:Body></soap:Envelope>""";

        var result = Read(xml);

        Assert.Equal(3, result.Violations.Count(v => v.RuleId == DpwsRuleIds.MetadataSections));
        Assert.Single(result.Metadata!.OtherSections);
    }

    private static MetadataReadResult Read(string xml) =>
        DeviceMetadataReader.Read(SoapReader.Read(Encoding.UTF8.GetBytes(xml)).Envelope!);
}
