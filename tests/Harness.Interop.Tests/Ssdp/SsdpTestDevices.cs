using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>Descriptions the SSDP interop tests advertise: a root with an embedded device (3 + 2·1 + 3 = 8 pairs).</summary>
internal static class SsdpTestDevices
{
    /// <summary>A media server (2 service types) with an embedded renderer (1 service type), fresh UDNs.</summary>
    public static UpnpDescription MediaServer(string friendlyName = "Harness Interop Server") => new()
    {
        SpecVersion = UpnpSpecVersion.V11,
        ConfigId = 7,
        Device = new UpnpDevice
        {
            DeviceType = "urn:schemas-upnp-org:device:MediaServer:1",
            FriendlyName = friendlyName,
            Manufacturer = "Harness",
            ModelName = "Interop",
            ModelNumber = "1",
            SerialNumber = "0001",
            Udn = "uuid:" + Guid.NewGuid().ToString("D"),
            Icons = [new UpnpIcon("image/png", 48, 48, 24, "/icons/sm.png")],
            Services =
            [
                new UpnpService("urn:schemas-upnp-org:service:ContentDirectory:1", "urn:upnp-org:serviceId:ContentDirectory", "/cd.xml", "/ctl/cd", "/evt/cd"),
                new UpnpService("urn:schemas-upnp-org:service:ConnectionManager:1", "urn:upnp-org:serviceId:ConnectionManager", "/cm.xml", "/ctl/cm", "/evt/cm"),
            ],
            Devices =
            [
                new UpnpDevice
                {
                    DeviceType = "urn:schemas-upnp-org:device:MediaRenderer:1",
                    FriendlyName = friendlyName + " renderer",
                    Manufacturer = "Harness",
                    ModelName = "Interop",
                    Udn = "uuid:" + Guid.NewGuid().ToString("D"),
                    Services = [new UpnpService("urn:schemas-upnp-org:service:RenderingControl:1", "urn:upnp-org:serviceId:RenderingControl", "/rc.xml", "/ctl/rc", "")],
                },
            ],
        },
    };

    /// <summary>Writes the description to a new temporary folder and returns the file's path.</summary>
    public static string WriteToTempFile(UpnpDescription description)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"harness-ssdp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "device.xml");
        File.WriteAllBytes(path, UpnpDescriptionWriter.Write(description));
        return path;
    }

    /// <summary>The USNs of the description's announcement set.</summary>
    public static IReadOnlyList<string> Usns(UpnpDescription description) => [.. SsdpAnnouncements.For(description.Device).Select(a => a.Usn)];
}
