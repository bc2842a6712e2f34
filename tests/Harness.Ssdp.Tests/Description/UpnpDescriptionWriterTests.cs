using System.Text;
using System.Xml.Linq;
using Harness.Ssdp.Description;

namespace Harness.Ssdp.Tests.Description;

public class UpnpDescriptionWriterTests
{
    private static UpnpDescription Basic => new()
    {
        ConfigId = 3,
        Device = new UpnpDevice
        {
            DeviceType = "urn:schemas-upnp-org:device:Basic:1",
            FriendlyName = "Box & Co",
            Manufacturer = "M",
            ModelName = "Model",
            Udn = "uuid:11111111-2222-4333-8444-555555555555",
            Services = [new UpnpService("urn:schemas-upnp-org:service:Dimming:1", "urn:upnp-org:serviceId:Dimming1", "/dimming.xml", "/ctl", string.Empty)],
        },
    };

    [Fact]
    public void Write_Basic_UdaTemplateOrderUtf8NoBomEmptyListsOmitted()
    {
        const string Expected =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n" +
            "<root configId=\"3\" xmlns=\"urn:schemas-upnp-org:device-1-0\">\r\n" +
            "  <specVersion>\r\n" +
            "    <major>1</major>\r\n" +
            "    <minor>1</minor>\r\n" +
            "  </specVersion>\r\n" +
            "  <device>\r\n" +
            "    <deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>\r\n" +
            "    <friendlyName>Box &amp; Co</friendlyName>\r\n" +
            "    <manufacturer>M</manufacturer>\r\n" +
            "    <modelName>Model</modelName>\r\n" +
            "    <UDN>uuid:11111111-2222-4333-8444-555555555555</UDN>\r\n" +
            "    <serviceList>\r\n" +
            "      <service>\r\n" +
            "        <serviceType>urn:schemas-upnp-org:service:Dimming:1</serviceType>\r\n" +
            "        <serviceId>urn:upnp-org:serviceId:Dimming1</serviceId>\r\n" +
            "        <SCPDURL>/dimming.xml</SCPDURL>\r\n" +
            "        <controlURL>/ctl</controlURL>\r\n" +
            "        <eventSubURL></eventSubURL>\r\n" +
            "      </service>\r\n" +
            "    </serviceList>\r\n" +
            "  </device>\r\n" +
            "</root>\r\n";

        var bytes = UpnpDescriptionWriter.Write(Basic);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(Expected, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Write_ThenRead_SameModelNoViolations()
    {
        var description = Basic with
        {
            Device = Scene.MediaServer() with
            {
                Icons = [new UpnpIcon("image/png", 48, 48, 24, "/icon.png")],
                PresentationUrl = "/",
                Extensions = [new XElement(XName.Get("X_DLNADOC", "urn:schemas-dlna-org:device-1-0"), "DMS-1.50")],
            },
        };

        var read = UpnpDescriptionReader.Read(UpnpDescriptionWriter.Write(description));

        Assert.Empty(read.Violations);
        var device = read.Description!.Device;
        Assert.Equal(description.Device.Udn, device.Udn);
        Assert.Equal(description.Device.Icons, device.Icons);
        Assert.Equal(description.Device.Services, device.Services);
        Assert.Equal(description.Device.Devices[0].Services, device.Devices[0].Services);
        Assert.Equal("DMS-1.50", Assert.Single(device.Extensions).Value);
    }

    [Fact]
    public void Write_Twice_SameBytes()
    {
        Assert.Equal(UpnpDescriptionWriter.Write(Basic), UpnpDescriptionWriter.Write(Basic));
    }
}
