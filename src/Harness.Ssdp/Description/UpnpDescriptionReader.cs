using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Description;

/// <summary>How <see cref="UpnpDescriptionReader"/> reads a description.</summary>
public sealed record UpnpDescriptionReadOptions
{
    /// <summary>Lenient, 1 MiB, depth 64.</summary>
    public static UpnpDescriptionReadOptions Default { get; } = new();

    /// <summary>Lenient understands what real devices serve and reports it; Strict gives no description on an error.</summary>
    public ReadMode Mode { get; init; } = ReadMode.Lenient;

    /// <summary>Size, depth and node bounds (default <see cref="XmlLimits.Default"/>: 1 MiB, depth 64, 10,000 elements).</summary>
    public XmlLimits Limits { get; init; } = XmlLimits.Default;
}

/// <summary>What <see cref="UpnpDescriptionReader.Read"/> understood, and every deviation found.</summary>
/// <param name="Description">The description, or null when the document could not be understood (or Strict refused it).</param>
/// <param name="Violations">The deviations, with XPath-like locations.</param>
public sealed record UpnpDescriptionReadResult(UpnpDescription? Description, IReadOnlyList<Violation> Violations)
{
    /// <summary>True when <see cref="Description"/> is set.</summary>
    public bool Success => Description is not null;
}

/// <summary>
/// Reads a UPnP device description leniently, through <see cref="SafeXml"/> (no DTD, so no entity bomb; bounded size,
/// depth and element count). It understands a UTF-8 BOM, leading whitespace or NULs, trailing NULs, CRLF, single-line
/// documents, a wrong or padded namespace (elements are found by local name), padded text, and reports each with a
/// rule id (<c>DESC-XML-*</c>). Never throws on a peer's bytes.
/// </summary>
public static class UpnpDescriptionReader
{
    /// <summary>Reads a description.</summary>
    /// <param name="bytes">The body as received.</param>
    /// <param name="options">Mode and limits; null for <see cref="UpnpDescriptionReadOptions.Default"/>.</param>
    public static UpnpDescriptionReadResult Read(ReadOnlySpan<byte> bytes, UpnpDescriptionReadOptions? options = null)
    {
        options ??= UpnpDescriptionReadOptions.Default;
        var context = new Context();
        var description = ReadCore(bytes, options, context);
        if (description is not null && options.Mode == ReadMode.Strict && context.Violations.Any(v => v.Severity == ViolationSeverity.Error))
        {
            description = null;
        }

        return new UpnpDescriptionReadResult(description, context.Violations);
    }

    private static UpnpDescription? ReadCore(ReadOnlySpan<byte> bytes, UpnpDescriptionReadOptions options, Context context)
    {
        if (bytes.Length > options.Limits.MaxBytes)
        {
            context.Add(SsdpRuleIds.DescriptionXml, $"The description is {bytes.Length} bytes; the limit is {options.Limits.MaxBytes}.", ViolationSeverity.Error);
            return null;
        }

        if (bytes.StartsWith("\uFEFF"u8))
        {
            context.Add(SsdpRuleIds.DescriptionXml, "The document starts with a UTF-8 byte order mark.", ViolationSeverity.Warning, "byte 0");
            bytes = bytes[3..];
        }

        var leading = bytes.IndexOfAnyExcept(" \t\r\n\0"u8);
        if (leading < 0)
        {
            context.Add(SsdpRuleIds.DescriptionXml, "The document is empty.", ViolationSeverity.Error);
            return null;
        }

        if (leading > 0)
        {
            context.Add(SsdpRuleIds.DescriptionXml, $"{leading} bytes of whitespace or NULs precede the document.", ViolationSeverity.Warning, "byte 0");
            bytes = bytes[leading..];
        }

        var end = bytes.LastIndexOfAnyExcept(" \t\r\n\0"u8) + 1;
        if (bytes[end..].Contains((byte)0))
        {
            context.Add(SsdpRuleIds.DescriptionXml, "NUL bytes follow the document.", ViolationSeverity.Warning, $"byte {end}");
            bytes = bytes[..end];
        }

        var load = SafeXml.Load(bytes, options.Limits);
        if (!load.Success)
        {
            var where = load.LineNumber > 0 ? $"line {load.LineNumber}, column {load.LinePosition}" : null;
            var html = LooksLikeHtml(bytes);
            var message = load.Error switch
            {
                _ when html => "An HTML page is served in place of the description.",
                XmlLoadError.DtdProhibited => "The document carries a DTD, which is refused (no entity is expanded).",
                XmlLoadError.TooLarge or XmlLoadError.TooDeep or XmlLoadError.TooManyNodes => "The document exceeds the reader's limits: " + load.Message,
                XmlLoadError.Empty => "The document is empty.",
                _ => "Not well-formed XML: " + load.Message,
            };
            context.Add(SsdpRuleIds.DescriptionXml, message, ViolationSeverity.Error, where);
            return null;
        }

        var root = load.Document!.Root!;
        if (root.Name.LocalName != "root")
        {
            var what = root.Name.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase)
                ? "An HTML page is served in place of the description."
                : $"The root element is '{root.Name.LocalName}', not 'root'.";
            context.Add(SsdpRuleIds.DescriptionRoot, what, ViolationSeverity.Error, "/" + root.Name.LocalName);
            if (Child(root, "device") is null)
            {
                return null;
            }
        }

        if (root.Name.NamespaceName != UpnpDescription.Namespace)
        {
            context.Add(SsdpRuleIds.DescriptionRoot, $"The root element's namespace is '{root.Name.NamespaceName}', not '{UpnpDescription.Namespace}'.", ViolationSeverity.Error, "/root");
        }

        var spec = ReadSpecVersion(root, context);
        int? configId = null;
        if (root.Attribute("configId") is { } configAttribute)
        {
            if (int.TryParse(configAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                configId = parsed;
                if (parsed > 16_777_215)
                {
                    context.Add(SsdpRuleIds.DescriptionRoot, $"configId {parsed} is above 16,777,215 (reserved).", ViolationSeverity.Warning, "/root/@configId");
                }
            }
            else
            {
                context.Add(SsdpRuleIds.DescriptionRoot, $"configId '{configAttribute.Value}' is not a non-negative integer.", ViolationSeverity.Error, "/root/@configId");
            }
        }
        else if (spec.AtLeast11)
        {
            context.Add(SsdpRuleIds.DescriptionRoot, $"A UDA {spec} description has no configId attribute on root.", ViolationSeverity.Error, "/root/@configId");
        }

        string? urlBase = null;
        if (Child(root, "URLBase") is { } urlBaseElement)
        {
            urlBase = urlBaseElement.Value.Trim();
            if (spec.AtLeast11)
            {
                context.Add(SsdpRuleIds.DescriptionUrlBase, $"URLBase is deprecated from UDA 1.1 (this is UDA {spec}).", ViolationSeverity.Warning, "/root/URLBase");
            }

            if (!Uri.TryCreate(urlBase, UriKind.Absolute, out var parsedBase) || parsedBase.Scheme is not ("http" or "https"))
            {
                context.Add(SsdpRuleIds.DescriptionUrlBase, $"URLBase '{urlBase}' is not an absolute http URL; relative URLs resolve against LOCATION instead.", ViolationSeverity.Error, "/root/URLBase");
            }
        }

        if (Child(root, "device") is not { } deviceElement)
        {
            context.Add(SsdpRuleIds.DescriptionRequiredElements, "The description has no device element.", ViolationSeverity.Error, "/root");
            return null;
        }

        var device = ReadDevice(deviceElement, "/root/device", root.Name.Namespace, context);
        var udns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var each in device.SelfAndDescendants())
        {
            if (each.Udn.Length > 0 && !udns.Add(each.Udn))
            {
                context.Add(SsdpRuleIds.DescriptionUdn, $"UDN {each.Udn} is used by more than one device.", ViolationSeverity.Error, "UDN");
            }
        }

        return new UpnpDescription { SpecVersion = spec, ConfigId = configId, UrlBase = urlBase, Device = device };
    }

    private static bool LooksLikeHtml(ReadOnlySpan<byte> bytes)
    {
        var head = bytes.Length > 512 ? bytes[..512] : bytes;
        return head.IndexOf("<html"u8) >= 0 || head.IndexOf("<HTML"u8) >= 0 || head.IndexOf("<!DOCTYPE html"u8) >= 0 || head.IndexOf("<!doctype html"u8) >= 0;
    }

    private static UpnpSpecVersion ReadSpecVersion(XElement root, Context context)
    {
        var spec = Child(root, "specVersion");
        if (spec is null)
        {
            context.Add(SsdpRuleIds.DescriptionSpecVersion, "specVersion is missing; UDA 1.0 is assumed.", ViolationSeverity.Error, "/root/specVersion");
            return UpnpSpecVersion.V10;
        }

        var majorText = Child(spec, "major")?.Value.Trim();
        var minorText = Child(spec, "minor")?.Value.Trim();
        if (!int.TryParse(majorText, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(minorText, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            context.Add(SsdpRuleIds.DescriptionSpecVersion, $"specVersion '{majorText}.{minorText}' is not two integers; UDA 1.0 is assumed.", ViolationSeverity.Error, "/root/specVersion");
            return UpnpSpecVersion.V10;
        }

        var version = new UpnpSpecVersion(major, minor);
        if (!version.IsKnown)
        {
            context.Add(SsdpRuleIds.DescriptionSpecVersion, $"specVersion {version} is none of 1.0, 1.1, 2.0.", ViolationSeverity.Error, "/root/specVersion");
        }

        return version;
    }

    private static UpnpDevice ReadDevice(XElement element, string path, XNamespace upnp, Context context)
    {
        string Required(string name, int? maxLength)
        {
            var value = Value(element, name, path, context);
            if (value is null)
            {
                context.Add(SsdpRuleIds.DescriptionRequiredElements, $"{name} is missing.", ViolationSeverity.Error, $"{path}/{name}");
                return string.Empty;
            }

            if (value.Length == 0)
            {
                context.Add(SsdpRuleIds.DescriptionRequiredElements, $"{name} is empty.", ViolationSeverity.Error, $"{path}/{name}");
            }

            CheckLength(name, value, maxLength, path, context);
            return value;
        }

        string? Optional(string name, int? maxLength)
        {
            var value = Value(element, name, path, context);
            if (value is not null)
            {
                CheckLength(name, value, maxLength, path, context);
            }

            return value;
        }

        var deviceType = Required("deviceType", null);
        CheckType(deviceType, SsdpTargetKind.DeviceType, $"{path}/deviceType", context);
        var friendlyName = Required("friendlyName", 64);
        var manufacturer = Required("manufacturer", 64);
        var manufacturerUrl = Optional("manufacturerURL", null);
        var modelDescription = Optional("modelDescription", 128);
        var modelName = Required("modelName", 32);
        var modelNumber = Optional("modelNumber", 32);
        var modelUrl = Optional("modelURL", null);
        var serialNumber = Optional("serialNumber", 64);
        var udn = Required("UDN", null);
        if (udn.Length > 0 && !IsUdn(udn))
        {
            context.Add(SsdpRuleIds.DescriptionUdn, $"UDN '{udn}' is not 'uuid:' followed by an RFC 4122 UUID.", ViolationSeverity.Error, $"{path}/UDN");
        }

        var upc = Optional("UPC", null);
        if (upc is { Length: > 0 } && (upc.Length != 12 || !upc.All(char.IsAsciiDigit)))
        {
            context.Add(SsdpRuleIds.DescriptionLengths, $"UPC '{upc}' is not 12 digits.", ViolationSeverity.Warning, $"{path}/UPC");
        }

        var icons = new List<UpnpIcon>();
        if (Child(element, "iconList") is { } iconList)
        {
            var index = 0;
            foreach (var icon in Children(iconList, "icon"))
            {
                index++;
                var where = $"{path}/iconList/icon[{index}]";
                var mime = Value(icon, "mimetype", where, context);
                var width = Integer(icon, "width", where, context);
                var height = Integer(icon, "height", where, context);
                var depth = Integer(icon, "depth", where, context);
                var url = Value(icon, "url", where, context);
                if (mime is null || width is null || height is null || depth is null || string.IsNullOrEmpty(url))
                {
                    context.Add(SsdpRuleIds.DescriptionIcons, "An icon lacks mimetype, width, height, depth or url.", ViolationSeverity.Error, where);
                }

                icons.Add(new UpnpIcon(mime ?? string.Empty, width ?? 0, height ?? 0, depth ?? 0, url ?? string.Empty));
            }

            if (index == 0)
            {
                context.Add(SsdpRuleIds.DescriptionIcons, "iconList is present but empty; it appears only when the device has icons.", ViolationSeverity.Warning, $"{path}/iconList");
            }
        }

        var services = new List<UpnpService>();
        if (Child(element, "serviceList") is { } serviceList)
        {
            var index = 0;
            foreach (var service in Children(serviceList, "service"))
            {
                index++;
                var where = $"{path}/serviceList/service[{index}]";
                var serviceType = Value(service, "serviceType", where, context);
                var serviceId = Value(service, "serviceId", where, context);
                var scpd = Value(service, "SCPDURL", where, context);
                var control = Value(service, "controlURL", where, context);
                var eventSub = Value(service, "eventSubURL", where, context);
                foreach (var (name, value) in new[] { ("serviceType", serviceType), ("serviceId", serviceId), ("SCPDURL", scpd), ("controlURL", control) })
                {
                    if (string.IsNullOrEmpty(value))
                    {
                        context.Add(SsdpRuleIds.DescriptionServices, $"{name} is missing or empty.", ViolationSeverity.Error, $"{where}/{name}");
                    }
                }

                if (eventSub is null)
                {
                    context.Add(SsdpRuleIds.DescriptionServices, "eventSubURL is missing (it is present, and empty when the service has no events).", ViolationSeverity.Error, $"{where}/eventSubURL");
                }

                if (serviceType is { Length: > 0 })
                {
                    CheckType(serviceType, SsdpTargetKind.ServiceType, $"{where}/serviceType", context);
                }

                if (serviceId is { Length: > 0 } && !(serviceId.StartsWith("urn:", StringComparison.Ordinal) && serviceId.Contains(":serviceId:", StringComparison.Ordinal)))
                {
                    context.Add(SsdpRuleIds.DescriptionServices, $"serviceId '{serviceId}' is not of the form urn:upnp-org:serviceId:X.", ViolationSeverity.Warning, $"{where}/serviceId");
                }

                services.Add(new UpnpService(serviceType ?? string.Empty, serviceId ?? string.Empty, scpd ?? string.Empty, control ?? string.Empty, eventSub ?? string.Empty));
            }

            if (index == 0)
            {
                context.Add(SsdpRuleIds.DescriptionServices, "serviceList is present but empty.", ViolationSeverity.Warning, $"{path}/serviceList");
            }
        }

        var devices = new List<UpnpDevice>();
        if (Child(element, "deviceList") is { } deviceList)
        {
            var index = 0;
            foreach (var embedded in Children(deviceList, "device"))
            {
                index++;
                devices.Add(ReadDevice(embedded, $"{path}/deviceList/device[{index}]", upnp, context));
            }

            if (index == 0)
            {
                context.Add(SsdpRuleIds.DescriptionDeviceList, "deviceList is present but has no device; it appears only with embedded devices.", ViolationSeverity.Warning, $"{path}/deviceList");
            }
        }

        var extensions = element.Elements().Where(e => e.Name.Namespace != upnp && e.Name.Namespace != XNamespace.None).Select(e => new XElement(e)).ToList();
        return new UpnpDevice
        {
            DeviceType = deviceType,
            FriendlyName = friendlyName,
            Manufacturer = manufacturer,
            ManufacturerUrl = manufacturerUrl,
            ModelDescription = modelDescription,
            ModelName = modelName,
            ModelNumber = modelNumber,
            ModelUrl = modelUrl,
            SerialNumber = serialNumber,
            Udn = udn,
            Upc = upc,
            Icons = icons,
            Services = services,
            Devices = devices,
            PresentationUrl = Optional("presentationURL", null),
            Extensions = extensions,
        };
    }

    private static void CheckType(string value, SsdpTargetKind kind, string where, Context context)
    {
        var target = SsdpTarget.Parse(value);
        var what = kind == SsdpTargetKind.DeviceType ? "device" : "service";
        if (target.Kind != kind)
        {
            context.Add(SsdpRuleIds.DescriptionLengths, $"'{value}' is not of the form urn:domain:{what}:type:version.", ViolationSeverity.Error, where);
            return;
        }

        if (target.TypeName!.Length > 64)
        {
            context.Add(SsdpRuleIds.DescriptionLengths, $"The type name of '{value}' is longer than 64 characters.", ViolationSeverity.Warning, where);
        }

        if (!target.IsStandardDomain && target.Domain!.Contains('.', StringComparison.Ordinal))
        {
            context.Add(SsdpRuleIds.DescriptionLengths, $"The vendor domain of '{value}' has dots; the UDA replaces them with hyphens.", ViolationSeverity.Warning, where);
        }
    }

    private static void CheckLength(string name, string value, int? maxLength, string path, Context context)
    {
        if (maxLength is { } max && value.Length >= max)
        {
            context.Add(SsdpRuleIds.DescriptionLengths, $"{name} is {value.Length} characters; it should be under {max}.", ViolationSeverity.Warning, $"{path}/{name}");
        }
    }

    private static bool IsUdn(string udn) =>
        udn.StartsWith("uuid:", StringComparison.Ordinal) && Guid.TryParseExact(udn.AsSpan(5), "D", out _);

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    private static string? Value(XElement parent, string localName, string path, Context context)
    {
        var element = Child(parent, localName);
        if (element is null)
        {
            return null;
        }

        var raw = element.Value;
        var trimmed = raw.Trim();
        if (trimmed.Length != raw.Length && !context.ReportedPadding)
        {
            context.ReportedPadding = true;
            context.Add(SsdpRuleIds.DescriptionXml, $"The text of {localName} is padded with whitespace.", ViolationSeverity.Info, $"{path}/{localName}");
        }

        return trimmed;
    }

    private static int? Integer(XElement parent, string localName, string path, Context context)
    {
        var text = Value(parent, localName, path, context);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private sealed class Context
    {
        public List<Violation> Violations { get; } = [];

        public bool ReportedPadding { get; set; }

        public void Add(string rule, string message, ViolationSeverity severity, string? location = null) =>
            Violations.Add(new Violation(rule, message, severity, location));
    }
}
