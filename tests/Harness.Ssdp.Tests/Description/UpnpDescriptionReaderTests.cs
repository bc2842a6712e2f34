using System.Diagnostics;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Description;

public class UpnpDescriptionReaderTests
{
    private static UpnpDescriptionReadResult Read(string text) => UpnpDescriptionReader.Read(Encoding.UTF8.GetBytes(text));

    private static string Minimal(string spec = "<major>1</major><minor>1</minor>", string rootAttributes = " configId=\"3\"", string extra = "") =>
        $"<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"{rootAttributes}><specVersion>{spec}</specVersion>{extra}" +
        "<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>Box</friendlyName><manufacturer>M</manufacturer>" +
        "<modelName>Model</modelName><UDN>uuid:11111111-2222-4333-8444-555555555555</UDN>" +
        "<serviceList><service><serviceType>urn:schemas-upnp-org:service:Dimming:1</serviceType><serviceId>urn:upnp-org:serviceId:Dimming1</serviceId>" +
        "<SCPDURL>scpd/dimming.xml</SCPDURL><controlURL>/ctl</controlURL><eventSubURL></eventSubURL></service></serviceList>" +
        "<presentationURL>/</presentationURL></device></root>";

    [Fact]
    public void Read_AsyncUpnpClientIgd_TwoLevelsOfEmbeddedDevicesMissingModelNameReported()
    {
        var result = UpnpDescriptionReader.Read(Vectors.Bytes("async-upnp-client-igd-device.xml"));

        var description = Assert.IsType<UpnpDescription>(result.Description);
        Assert.Equal(UpnpSpecVersion.V10, description.SpecVersion);
        Assert.Null(description.ConfigId);
        Assert.Equal(
            ["InternetGatewayDevice", "WANDevice", "WANConnectionDevice"],
            description.AllDevices.Select(d => d.Type.TypeName));
        Assert.Equal("/WANIPConnection.xml", description.Device.Devices[0].Devices[0].Services[0].ScpdUrl);

        // The fixture's embedded devices have no modelName (DESC-XML-005); nothing else is wrong with it.
        var missing = result.Violations.Where(v => v.RuleId == SsdpRuleIds.DescriptionRequiredElements).ToList();
        Assert.Equal(2, missing.Count);
        Assert.All(missing, v => Assert.EndsWith("/modelName", v.Location, StringComparison.Ordinal));
        Assert.Equal(missing, result.Violations);
    }

    [Fact]
    public void Read_AsyncUpnpClientDms_DlnaExtensionIconsAndRelativeUrls()
    {
        var result = UpnpDescriptionReader.Read(Vectors.Bytes("async-upnp-client-dms-device.xml"));

        var description = Assert.IsType<UpnpDescription>(result.Description);
        Assert.Empty(result.Violations);
        var device = description.Device;
        Assert.Equal("1.3.0", device.ModelNumber);
        Assert.Equal(4, device.Icons.Count);
        Assert.Equal(new UpnpIcon("image/png", 48, 48, 24, "/icons/sm.png"), device.Icons[0]);
        Assert.Equal("DMS-1.50", Assert.Single(device.Extensions).Value);
        Assert.Equal("urn:schemas-dlna-org:device-1-0", device.Extensions[0].Name.NamespaceName);
        var location = new Uri("http://192.168.1.20:8200/rootDesc.xml");
        Assert.Equal(new Uri("http://192.168.1.20:8200/ContentDirectory_1.xml"), description.ResolveUrl(device.Services[0].ScpdUrl, location));
    }

    [Fact]
    public void Read_AsyncUpnpClientBadNamespace_ReportedButRead()
    {
        var result = UpnpDescriptionReader.Read(Vectors.Bytes("async-upnp-client-dmr-device-bad-namespace-abridged.xml"));

        Assert.Equal("Dummy TV", result.Description!.Device.FriendlyName);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionRoot && v.Message.Contains("urn:made-up-org:device-1-0", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Minimal11_CleanWithConfigId()
    {
        var result = Read(Minimal());

        Assert.Empty(result.Violations);
        Assert.Equal((UpnpSpecVersion.V11, 3), (result.Description!.SpecVersion, result.Description.ConfigId!.Value));
        Assert.Equal(string.Empty, result.Description.Device.Services[0].EventSubUrl);
    }

    [Fact]
    public void Read_Uda11WithoutConfigId_Error()
    {
        var result = Read(Minimal(rootAttributes: string.Empty));

        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionRoot && v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Read_BomLeadingWhitespaceTrailingNuls_WarningsAndRead()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.ASCII.GetBytes("\r\n  ")).Concat(Encoding.UTF8.GetBytes(Minimal())).Concat(new byte[] { 0, 0, 0 }).ToArray();

        var result = UpnpDescriptionReader.Read(bytes);

        Assert.NotNull(result.Description);
        Assert.Equal(3, result.Violations.Count(v => v.RuleId == SsdpRuleIds.DescriptionXml && v.Severity == ViolationSeverity.Warning));
    }

    [Fact]
    public void Read_HtmlPageInsteadOfXml_NullWithClearFinding()
    {
        var result = Read("<!DOCTYPE html><html><head><title>Login</title></head><body>status=ok</body></html>");

        Assert.Null(result.Description);
        Assert.Contains(result.Violations, v => v.Message.Contains("HTML page", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_BillionLaughs_RefusedQuickly()
    {
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY a \"aaaaaaaaaa\">" +
            string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY {(char)('a' + i)} \"&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};\">"))
            + "]><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><friendlyName>&j;</friendlyName></device></root>";
        var watch = Stopwatch.StartNew();

        var result = Read(bomb);

        Assert.Null(result.Description);
        Assert.Contains(result.Violations, v => v.Message.Contains("DTD", StringComparison.Ordinal));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Read_DeepNesting_Refused()
    {
        var deep = "<root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>" + string.Concat(Enumerable.Repeat("<deviceList><device>", 5000)) + string.Concat(Enumerable.Repeat("</device></deviceList>", 5000)) + "</device></root>";

        var result = Read(deep);

        Assert.Null(result.Description);
        Assert.Contains(result.Violations, v => v.Message.Contains("limits", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Uda10UrlBase_HonouredForRelativeUrls()
    {
        var result = Read(Minimal(spec: "<major>1</major><minor>0</minor>", rootAttributes: string.Empty, extra: "<URLBase>http://192.168.1.5:5000/base/</URLBase>"));

        var description = result.Description!;
        Assert.DoesNotContain(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionUrlBase);
        Assert.Equal(new Uri("http://192.168.1.5:5000/base/scpd/dimming.xml"), description.ResolveUrl("scpd/dimming.xml", new Uri("http://10.0.0.1/desc.xml")));
        Assert.Equal(new Uri("http://192.168.1.5:5000/ctl"), description.ResolveUrl("/ctl", new Uri("http://10.0.0.1/desc.xml")));
    }

    [Fact]
    public void Read_Uda11UrlBaseAndPlaceholder_DeprecatedAndInvalidReported()
    {
        var result = Read(Minimal(extra: "<URLBase>http://(null):(null)/</URLBase>"));

        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionUrlBase && v.Severity == ViolationSeverity.Warning);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionUrlBase && v.Severity == ViolationSeverity.Error);
        Assert.Equal(new Uri("http://10.0.0.1/scpd/dimming.xml"), result.Description!.ResolveUrl("scpd/dimming.xml", new Uri("http://10.0.0.1/desc.xml")));
    }

    [Fact]
    public void Read_BadUdnDuplicateUdnAndMissingEventSubUrl_Reported()
    {
        var text = Minimal()
            .Replace("uuid:11111111-2222-4333-8444-555555555555", "UUID:not-a-uuid", StringComparison.Ordinal)
            .Replace("<eventSubURL></eventSubURL>", string.Empty, StringComparison.Ordinal);

        var result = Read(text);

        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionUdn);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionServices && v.Message.Contains("eventSubURL", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_LongFriendlyNameAndPadding_Reported()
    {
        var result = Read(Minimal().Replace("<friendlyName>Box</friendlyName>", "<friendlyName>  " + new string('x', 70) + "  </friendlyName>", StringComparison.Ordinal));

        Assert.Equal(70, result.Description!.Device.FriendlyName.Length);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionLengths);
        Assert.Contains(result.Violations, v => v.Message.Contains("padded", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_StrictWithErrors_NoDescription()
    {
        var result = UpnpDescriptionReader.Read(Vectors.Bytes("async-upnp-client-igd-device.xml"), new UpnpDescriptionReadOptions { Mode = ReadMode.Strict });

        Assert.Null(result.Description);
    }
}
