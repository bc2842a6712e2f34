using System.Xml.Linq;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Metadata;

/// <summary>A DPWS localized string: a value with its optional <c>xml:lang</c>.</summary>
/// <param name="Value">The text (trimmed when read).</param>
/// <param name="Language">The <c>xml:lang</c>, or null.</param>
public sealed record LocalizedText(string Value, string? Language = null);

/// <summary>DPWS ThisModel (metadata section <c>{devprof}/ThisModel</c>): what the device is.</summary>
public sealed record ThisModel
{
    /// <summary>Manufacturer names (at least one; one per language).</summary>
    public IReadOnlyList<LocalizedText> Manufacturer { get; init; } = [];

    /// <summary>ManufacturerUrl, or null.</summary>
    public string? ManufacturerUrl { get; init; }

    /// <summary>Model names (at least one; one per language).</summary>
    public IReadOnlyList<LocalizedText> ModelName { get; init; } = [];

    /// <summary>ModelNumber, or null.</summary>
    public string? ModelNumber { get; init; }

    /// <summary>ModelUrl, or null.</summary>
    public string? ModelUrl { get; init; }

    /// <summary>PresentationUrl, or null.</summary>
    public string? PresentationUrl { get; init; }

    /// <summary>Extension elements (e.g. <c>pnpx:DeviceCategory</c>), as read or to write.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>DPWS ThisDevice (metadata section <c>{devprof}/ThisDevice</c>): this particular device.</summary>
public sealed record ThisDevice
{
    /// <summary>Friendly names (at least one; one per language).</summary>
    public IReadOnlyList<LocalizedText> FriendlyName { get; init; } = [];

    /// <summary>FirmwareVersion, or null.</summary>
    public string? FirmwareVersion { get; init; }

    /// <summary>SerialNumber, or null.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>Extension elements, as read or to write.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>The <c>wsdp:Host</c> of a Relationship: the device itself as a service.</summary>
/// <param name="EndpointReference">The device's endpoint reference (its <c>urn:uuid:</c> address).</param>
public sealed record HostMetadata(WsaEndpointReference EndpointReference)
{
    /// <summary>The host's types (QNames), e.g. <c>pub:Computer</c>.</summary>
    public IReadOnlyList<WsdQName> Types { get; init; } = [];

    /// <summary>The ServiceId, or null.</summary>
    public string? ServiceId { get; init; }

    /// <summary>Extension elements (e.g. <c>pub:Computer</c> values), as read or to write.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>A <c>wsdp:Hosted</c> service of a Relationship: its addresses, types and service id.</summary>
public sealed record HostedServiceMetadata
{
    /// <summary>The endpoint references (at least one); the address is the URL to POST the service's requests to.</summary>
    public IReadOnlyList<WsaEndpointReference> EndpointReferences { get; init; } = [];

    /// <summary>The service types (QNames), e.g. <c>wscn:ScannerServiceType</c>.</summary>
    public IReadOnlyList<WsdQName> Types { get; init; } = [];

    /// <summary>The ServiceId (a URI stable across restarts).</summary>
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>Extension elements (e.g. <c>pnpx:HardwareId</c>, <c>pnpx:CompatibleId</c>), as read or to write.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>The first endpoint address, or null.</summary>
    public string? Address => EndpointReferences.Count > 0 ? EndpointReferences[0].Address : null;

    /// <summary>True when the service lists <paramref name="type"/> (by namespace and local name).</summary>
    public bool HasType(WsdQName type) => Types.Contains(type);
}

/// <summary>
/// The metadata a DPWS device returns to WS-Transfer Get (the body of GetResponse, <c>mex:Metadata</c>): ThisModel,
/// ThisDevice and the host Relationship with the hosted services (PyWSD's <c>wsd_get</c>: target info plus hosted
/// services).
/// </summary>
public sealed record DeviceMetadata
{
    /// <summary>ThisModel, or null when absent.</summary>
    public ThisModel? ThisModel { get; init; }

    /// <summary>ThisDevice, or null when absent.</summary>
    public ThisDevice? ThisDevice { get; init; }

    /// <summary>The Relationship's Host, or null.</summary>
    public HostMetadata? Host { get; init; }

    /// <summary>The hosted services, in order.</summary>
    public IReadOnlyList<HostedServiceMetadata> Hosted { get; init; } = [];

    /// <summary>The Relationship Type as read (<c>{devprof}/host</c>).</summary>
    public string RelationshipType { get; init; } = DpwsActions.HostRelationship;

    /// <summary>Metadata sections of other dialects (e.g. WSDL, vendor sections), kept as read or to write.</summary>
    public IReadOnlyList<XElement> OtherSections { get; init; } = [];

    /// <summary>The first manufacturer name, or null.</summary>
    public string? Manufacturer => ThisModel?.Manufacturer.FirstOrDefault()?.Value;

    /// <summary>The first model name, or null.</summary>
    public string? ModelName => ThisModel?.ModelName.FirstOrDefault()?.Value;

    /// <summary>The first friendly name, or null.</summary>
    public string? FriendlyName => ThisDevice?.FriendlyName.FirstOrDefault()?.Value;

    /// <summary>The hosted services that list <paramref name="type"/>.</summary>
    public IEnumerable<HostedServiceMetadata> HostedOfType(WsdQName type) => Hosted.Where(h => h.HasType(type));
}
