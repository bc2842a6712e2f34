using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Harness.Ssdp.Description;

/// <summary>
/// Writes a <see cref="UpnpDescription"/> as UTF-8 XML without BOM, in the element order of the UDA 1.1 device
/// template: <c>deviceType</c>, <c>friendlyName</c>, <c>manufacturer</c>, <c>manufacturerURL</c>,
/// <c>modelDescription</c>, <c>modelName</c>, <c>modelNumber</c>, <c>modelURL</c>, <c>serialNumber</c>, <c>UDN</c>,
/// <c>UPC</c>, vendor extensions, <c>iconList</c>, <c>serviceList</c>, <c>deviceList</c>, <c>presentationURL</c>.
/// Lists are written only when they have entries (DESC-XML-008, -010). Deterministic: the same record gives the
/// same bytes.
/// </summary>
public static class UpnpDescriptionWriter
{
    private static readonly XNamespace Ns = UpnpDescription.Namespace;

    /// <summary>The bytes of the description.</summary>
    public static byte[] Write(UpnpDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var root = new XElement(
            Ns + "root",
            description.ConfigId is { } configId ? new XAttribute("configId", configId.ToString(CultureInfo.InvariantCulture)) : null,
            new XElement(
                Ns + "specVersion",
                new XElement(Ns + "major", description.SpecVersion.Major.ToString(CultureInfo.InvariantCulture)),
                new XElement(Ns + "minor", description.SpecVersion.Minor.ToString(CultureInfo.InvariantCulture))),
            description.UrlBase is null ? null : new XElement(Ns + "URLBase", description.UrlBase),
            Device(description.Device));
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\r\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using (var writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }

        stream.Write("\r\n"u8);
        return stream.ToArray();
    }

    private static XElement Device(UpnpDevice device)
    {
        var element = new XElement(
            Ns + "device",
            Text("deviceType", device.DeviceType),
            Text("friendlyName", device.FriendlyName),
            Text("manufacturer", device.Manufacturer),
            Text("manufacturerURL", device.ManufacturerUrl),
            Text("modelDescription", device.ModelDescription),
            Text("modelName", device.ModelName),
            Text("modelNumber", device.ModelNumber),
            Text("modelURL", device.ModelUrl),
            Text("serialNumber", device.SerialNumber),
            Text("UDN", device.Udn),
            Text("UPC", device.Upc));
        foreach (var extension in device.Extensions)
        {
            element.Add(new XElement(extension));
        }

        if (device.Icons.Count > 0)
        {
            element.Add(new XElement(Ns + "iconList", device.Icons.Select(icon => new XElement(
                Ns + "icon",
                Text("mimetype", icon.MimeType),
                Text("width", icon.Width.ToString(CultureInfo.InvariantCulture)),
                Text("height", icon.Height.ToString(CultureInfo.InvariantCulture)),
                Text("depth", icon.Depth.ToString(CultureInfo.InvariantCulture)),
                Text("url", icon.Url)))));
        }

        if (device.Services.Count > 0)
        {
            element.Add(new XElement(Ns + "serviceList", device.Services.Select(service => new XElement(
                Ns + "service",
                Text("serviceType", service.ServiceType),
                Text("serviceId", service.ServiceId),
                Text("SCPDURL", service.ScpdUrl),
                Text("controlURL", service.ControlUrl),
                new XElement(Ns + "eventSubURL", service.EventSubUrl ?? string.Empty)))));
        }

        if (device.Devices.Count > 0)
        {
            element.Add(new XElement(Ns + "deviceList", device.Devices.Select(Device)));
        }

        element.Add(Text("presentationURL", device.PresentationUrl));
        return element;
    }

    private static XElement? Text(string name, string? value) => value is null ? null : new XElement(Ns + name, value);
}
