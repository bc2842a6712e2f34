using System.Xml.Linq;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Description;

/// <summary>The UDA version a description declares in <c>specVersion</c>.</summary>
/// <param name="Major">1 or 2.</param>
/// <param name="Minor">0 or 1.</param>
public readonly record struct UpnpSpecVersion(int Major, int Minor)
{
    /// <summary>UDA 1.0.</summary>
    public static UpnpSpecVersion V10 { get; } = new(1, 0);

    /// <summary>UDA 1.1.</summary>
    public static UpnpSpecVersion V11 { get; } = new(1, 1);

    /// <summary>UDA 2.0.</summary>
    public static UpnpSpecVersion V20 { get; } = new(2, 0);

    /// <summary>The SERVER/USER-AGENT token, e.g. <c>UPnP/1.1</c>.</summary>
    public string Token => FormattableString.Invariant($"UPnP/{Major}.{Minor}");

    /// <summary>True for 1.0, 1.1 and 2.0.</summary>
    public bool IsKnown => (Major, Minor) is (1, 0) or (1, 1) or (2, 0);

    /// <summary>True from UDA 1.1 on (BOOTID/CONFIGID, configId).</summary>
    public bool AtLeast11 => Major > 1 || (Major == 1 && Minor >= 1);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Major}.{Minor}");
}

/// <summary>An icon of a device (UDA 1.1 §2.3, <c>iconList/icon</c>).</summary>
/// <param name="MimeType">e.g. <c>image/png</c>.</param>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
/// <param name="Depth">Bits per pixel.</param>
/// <param name="Url">The icon's URL, usually relative.</param>
public sealed record UpnpIcon(string MimeType, int Width, int Height, int Depth, string Url);

/// <summary>A service of a device (UDA 1.1 §2.3, <c>serviceList/service</c>).</summary>
/// <param name="ServiceType"><c>urn:schemas-upnp-org:service:T:v</c> or a vendor type.</param>
/// <param name="ServiceId"><c>urn:upnp-org:serviceId:X</c>.</param>
/// <param name="ScpdUrl">SCPDURL.</param>
/// <param name="ControlUrl">controlURL.</param>
/// <param name="EventSubUrl">eventSubURL; empty when the service has no evented variables.</param>
public sealed record UpnpService(string ServiceType, string ServiceId, string ScpdUrl, string ControlUrl, string EventSubUrl)
{
    /// <summary>ServiceType parsed.</summary>
    public SsdpTarget Type => SsdpTarget.Parse(ServiceType);
}

/// <summary>A device of a description: the root device or an embedded one (UDA 1.1 §2.3).</summary>
public sealed record UpnpDevice
{
    /// <summary><c>urn:schemas-upnp-org:device:T:v</c> or a vendor type (required).</summary>
    public required string DeviceType { get; init; }

    /// <summary>A short name for the user (required, under 64 characters).</summary>
    public required string FriendlyName { get; init; }

    /// <summary>The manufacturer (required, under 64 characters).</summary>
    public required string Manufacturer { get; init; }

    /// <summary>The manufacturer's web site, or null.</summary>
    public string? ManufacturerUrl { get; init; }

    /// <summary>A long description (recommended, under 128 characters), or null.</summary>
    public string? ModelDescription { get; init; }

    /// <summary>The model name (required, under 32 characters).</summary>
    public required string ModelName { get; init; }

    /// <summary>The model number (recommended, under 32 characters), or null.</summary>
    public string? ModelNumber { get; init; }

    /// <summary>The model's web site, or null.</summary>
    public string? ModelUrl { get; init; }

    /// <summary>The serial number (recommended, under 64 characters), or null.</summary>
    public string? SerialNumber { get; init; }

    /// <summary><c>uuid:</c> plus a UUID (required, unique per device, stable across reboots).</summary>
    public required string Udn { get; init; }

    /// <summary>The 12-digit Universal Product Code, or null.</summary>
    public string? Upc { get; init; }

    /// <summary>The icons (the <c>iconList</c> is written only when there is one).</summary>
    public IReadOnlyList<UpnpIcon> Icons { get; init; } = [];

    /// <summary>The services (the <c>serviceList</c> is written only when there is one).</summary>
    public IReadOnlyList<UpnpService> Services { get; init; } = [];

    /// <summary>Embedded devices (the <c>deviceList</c> is written only when there is one).</summary>
    public IReadOnlyList<UpnpDevice> Devices { get; init; } = [];

    /// <summary>The presentation page, or null.</summary>
    public string? PresentationUrl { get; init; }

    /// <summary>
    /// Vendor elements of the device (e.g. <c>dlna:X_DLNADOC</c>), written after <c>presentationURL</c> as given and
    /// kept by the reader when they are in another namespace than the UPnP device namespace.
    /// </summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>DeviceType parsed.</summary>
    public SsdpTarget Type => SsdpTarget.Parse(DeviceType);

    /// <summary>This device and every embedded device below it, depth first, this one first.</summary>
    public IEnumerable<UpnpDevice> SelfAndDescendants()
    {
        var stack = new Stack<UpnpDevice>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var device = stack.Pop();
            yield return device;
            for (var i = device.Devices.Count - 1; i >= 0; i--)
            {
                stack.Push(device.Devices[i]);
            }
        }
    }
}

/// <summary>
/// A UPnP device description document (UDA 1.1 §2.3): the <c>root</c> element with specVersion, optional URLBase
/// and the root device.
/// </summary>
public sealed record UpnpDescription
{
    /// <summary>The namespace of the root element, <c>urn:schemas-upnp-org:device-1-0</c> (also for UDA 1.1 and 2.0).</summary>
    public const string Namespace = "urn:schemas-upnp-org:device-1-0";

    /// <summary>specVersion (default 1.1).</summary>
    public UpnpSpecVersion SpecVersion { get; init; } = UpnpSpecVersion.V11;

    /// <summary>The <c>configId</c> attribute of <c>root</c> (UDA 1.1/2.0; equals CONFIGID.UPNP.ORG), or null.</summary>
    public int? ConfigId { get; init; }

    /// <summary>URLBase (UDA 1.0; deprecated from 1.1), or null.</summary>
    public string? UrlBase { get; init; }

    /// <summary>The root device.</summary>
    public required UpnpDevice Device { get; init; }

    /// <summary>Every device, the root first, then the embedded ones depth first.</summary>
    public IEnumerable<UpnpDevice> AllDevices => Device.SelfAndDescendants();

    /// <summary>
    /// Resolves a URL of the description (SCPDURL, controlURL, icon url, presentationURL) against URLBase when present
    /// and absolute, else against <paramref name="location"/> (UDA 1.1 §2.3). Null when it cannot be resolved.
    /// </summary>
    public Uri? ResolveUrl(string? url, Uri? location)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        var baseUri = location;
        if (UrlBase is { } urlBase && Uri.TryCreate(urlBase.Trim(), UriKind.Absolute, out var declared) && declared.Scheme is "http" or "https")
        {
            baseUri = declared;
        }

        return baseUri is not null && Uri.TryCreate(baseUri, url, out var resolved) ? resolved : null;
    }
}
