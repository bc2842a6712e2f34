using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Metadata;

/// <summary>The outcome of <see cref="DeviceMetadataReader"/>.</summary>
/// <param name="Metadata">The metadata, or null when the body holds no <c>mex:Metadata</c>.</param>
/// <param name="Violations">Deviations found (WSD-DPWS-002..005).</param>
public sealed record MetadataReadResult(DeviceMetadata? Metadata, IReadOnlyList<Violation> Violations);

/// <summary>
/// Reads DPWS device metadata (the GetResponse body) leniently: sections in any order, DPWS 1.1 names understood,
/// pretty-printed values trimmed, extension elements kept; and reports WSD-DPWS-002 (sections), -003 (ThisModel and
/// ThisDevice content), -004 (Relationship and Hosted) and -005 (MAX_FIELD_SIZE 256 characters, MAX_URI_SIZE 2048
/// octets: values are kept whole and reported). Pure; never throws on a peer's input.
/// </summary>
public static class DeviceMetadataReader
{
    /// <summary>DPWS MAX_FIELD_SIZE: 256 Unicode characters.</summary>
    public const int MaxFieldSize = 256;

    /// <summary>DPWS MAX_URI_SIZE: 2048 octets.</summary>
    public const int MaxUriSize = 2048;

    private static readonly XNamespace Mex = DpwsNamespaces.Mex;

    /// <summary>Reads the metadata of a GetResponse envelope (its first body element must be <c>mex:Metadata</c>).</summary>
    public static MetadataReadResult Read(SoapEnvelope response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var violations = new List<Violation>();
        var metadata = response.Body.FirstOrDefault(e => e.Name == Mex + "Metadata");
        if (metadata is null)
        {
            var found = response.BodyElement is { } first ? $"{{{first.Name.NamespaceName}}}{first.Name.LocalName}" : "an empty body";
            violations.Add(new Violation(DpwsRuleIds.MetadataSections, $"The GetResponse body is {found}, not mex:Metadata.", ViolationSeverity.Error, "/Envelope/Body"));
            return new MetadataReadResult(null, violations);
        }

        return new MetadataReadResult(ReadMetadata(metadata, violations), violations);
    }

    /// <summary>Reads a <c>mex:Metadata</c> element, adding deviations to <paramref name="violations"/>.</summary>
    public static DeviceMetadata ReadMetadata(XElement metadata, List<Violation> violations)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(violations);
        ThisModel? model = null;
        ThisDevice? device = null;
        HostMetadata? host = null;
        var hosted = new List<HostedServiceMetadata>();
        var others = new List<XElement>();
        string? relationshipType = null;
        var relationshipSeen = false;
        foreach (var section in metadata.Elements())
        {
            if (section.Name != Mex + "MetadataSection")
            {
                violations.Add(new Violation(DpwsRuleIds.MetadataSections, $"Unexpected {section.Name.LocalName} in mex:Metadata.", ViolationSeverity.Warning, SoapReader.Path(section)));
                continue;
            }

            var dialect = XmlValues.Trim((string?)section.Attribute("Dialect") ?? string.Empty);
            var content = section.Elements().FirstOrDefault();
            var kind = DialectKind(dialect);
            if (kind is null)
            {
                others.Add(XmlValues.Detach(section));
                continue;
            }

            if (content is null || !IsDevprof(content.Name.Namespace) || content.Name.LocalName != kind)
            {
                var what = content is null ? "no content" : content.Name.LocalName == "MetadataReference" || content.Name.LocalName == "Location" ? "a reference instead of inline content" : $"{content.Name.LocalName}";
                violations.Add(new Violation(DpwsRuleIds.MetadataSections, $"The {kind} section holds {what}.", ViolationSeverity.Error, SoapReader.Path(section)));
                continue;
            }

            switch (kind)
            {
                case "ThisModel" when model is null:
                    model = ReadThisModel(content, violations);
                    break;
                case "ThisDevice" when device is null:
                    device = ReadThisDevice(content, violations);
                    break;
                case "Relationship":
                    relationshipSeen = true;
                    ReadRelationship(content, violations, ref host, hosted, ref relationshipType);
                    break;
                default:
                    violations.Add(new Violation(DpwsRuleIds.MetadataSections, $"The {kind} section appears more than once; the first is used.", ViolationSeverity.Error, SoapReader.Path(section)));
                    break;
            }
        }

        if (model is null)
        {
            violations.Add(new Violation(DpwsRuleIds.MetadataSections, "The metadata has no ThisModel section.", ViolationSeverity.Error, SoapReader.Path(metadata)));
        }

        if (device is null)
        {
            violations.Add(new Violation(DpwsRuleIds.MetadataSections, "The metadata has no ThisDevice section.", ViolationSeverity.Error, SoapReader.Path(metadata)));
        }

        if (!relationshipSeen)
        {
            violations.Add(new Violation(DpwsRuleIds.MetadataSections, "The metadata has no Relationship section.", ViolationSeverity.Warning, SoapReader.Path(metadata)));
        }

        return new DeviceMetadata
        {
            ThisModel = model,
            ThisDevice = device,
            Host = host,
            Hosted = hosted,
            RelationshipType = relationshipType ?? DpwsActions.HostRelationship,
            OtherSections = others,
        };
    }

    private static string? DialectKind(string dialect)
    {
        foreach (var ns in new[] { DpwsNamespaces.Devprof, DpwsNamespaces.Dpws11 })
        {
            if (dialect.StartsWith(ns + "/", StringComparison.Ordinal))
            {
                var kind = dialect[(ns.Length + 1)..];
                if (kind is "ThisModel" or "ThisDevice" or "Relationship")
                {
                    return kind;
                }
            }
        }

        return null;
    }

    private static bool IsDevprof(XNamespace ns) => ns == DpwsNamespaces.Devprof || ns == DpwsNamespaces.Dpws11;

    private static ThisModel ReadThisModel(XElement element, List<Violation> violations)
    {
        var manufacturer = new List<LocalizedText>();
        var modelName = new List<LocalizedText>();
        string? manufacturerUrl = null, modelNumber = null, modelUrl = null, presentationUrl = null;
        var extensions = new List<XElement>();
        foreach (var child in element.Elements())
        {
            if (!IsDevprof(child.Name.Namespace))
            {
                extensions.Add(XmlValues.Detach(child));
                continue;
            }

            switch (child.Name.LocalName)
            {
                case "Manufacturer":
                    manufacturer.Add(Localized(child, violations));
                    break;
                case "ManufacturerUrl":
                    manufacturerUrl ??= Uri(child, violations);
                    break;
                case "ModelName":
                    modelName.Add(Localized(child, violations));
                    break;
                case "ModelNumber":
                    modelNumber ??= Field(child, violations);
                    break;
                case "ModelUrl":
                    modelUrl ??= Uri(child, violations);
                    break;
                case "PresentationUrl":
                    presentationUrl ??= Uri(child, violations);
                    break;
                default:
                    extensions.Add(XmlValues.Detach(child));
                    break;
            }
        }

        if (manufacturer.Count == 0)
        {
            violations.Add(new Violation(DpwsRuleIds.ThisModelDevice, "ThisModel has no Manufacturer.", ViolationSeverity.Error, SoapReader.Path(element)));
        }

        if (modelName.Count == 0)
        {
            violations.Add(new Violation(DpwsRuleIds.ThisModelDevice, "ThisModel has no ModelName.", ViolationSeverity.Error, SoapReader.Path(element)));
        }

        return new ThisModel
        {
            Manufacturer = manufacturer,
            ManufacturerUrl = manufacturerUrl,
            ModelName = modelName,
            ModelNumber = modelNumber,
            ModelUrl = modelUrl,
            PresentationUrl = presentationUrl,
            Extensions = extensions,
        };
    }

    private static ThisDevice ReadThisDevice(XElement element, List<Violation> violations)
    {
        var friendlyName = new List<LocalizedText>();
        string? firmware = null, serial = null;
        var extensions = new List<XElement>();
        foreach (var child in element.Elements())
        {
            if (!IsDevprof(child.Name.Namespace))
            {
                extensions.Add(XmlValues.Detach(child));
                continue;
            }

            switch (child.Name.LocalName)
            {
                case "FriendlyName":
                    friendlyName.Add(Localized(child, violations));
                    break;
                case "FirmwareVersion":
                    firmware ??= Field(child, violations);
                    break;
                case "SerialNumber":
                    serial ??= Field(child, violations);
                    break;
                default:
                    extensions.Add(XmlValues.Detach(child));
                    break;
            }
        }

        if (friendlyName.Count == 0)
        {
            violations.Add(new Violation(DpwsRuleIds.ThisModelDevice, "ThisDevice has no FriendlyName.", ViolationSeverity.Error, SoapReader.Path(element)));
        }

        return new ThisDevice { FriendlyName = friendlyName, FirmwareVersion = firmware, SerialNumber = serial, Extensions = extensions };
    }

    private static void ReadRelationship(XElement element, List<Violation> violations, ref HostMetadata? host, List<HostedServiceMetadata> hosted, ref string? relationshipType)
    {
        var type = XmlValues.Trim((string?)element.Attribute("Type") ?? string.Empty);
        relationshipType ??= type;
        if (type != DpwsActions.HostRelationship && type != DpwsNamespaces.Dpws11 + "/host")
        {
            violations.Add(new Violation(DpwsRuleIds.Relationship, $"The Relationship Type is '{type}', not '{DpwsActions.HostRelationship}'.", ViolationSeverity.Error, SoapReader.Path(element)));
        }

        foreach (var child in element.Elements())
        {
            if (!IsDevprof(child.Name.Namespace))
            {
                continue;
            }

            if (child.Name.LocalName == "Host")
            {
                if (host is not null)
                {
                    violations.Add(new Violation(DpwsRuleIds.Relationship, "The Relationship has more than one Host; the first is used.", ViolationSeverity.Error, SoapReader.Path(child)));
                    continue;
                }

                var (eprs, types, serviceId, extensions) = ReadService(child, violations);
                if (eprs.Count == 0)
                {
                    violations.Add(new Violation(DpwsRuleIds.Relationship, "The Host has no wsa:EndpointReference.", ViolationSeverity.Error, SoapReader.Path(child)));
                    continue;
                }

                host = new HostMetadata(eprs[0]) { Types = types ?? [], ServiceId = serviceId, Extensions = extensions };
            }
            else if (child.Name.LocalName == "Hosted")
            {
                var (eprs, types, serviceId, extensions) = ReadService(child, violations);
                if (eprs.Count == 0)
                {
                    violations.Add(new Violation(DpwsRuleIds.Relationship, "A Hosted service has no wsa:EndpointReference.", ViolationSeverity.Error, SoapReader.Path(child)));
                }

                if (types is null)
                {
                    violations.Add(new Violation(DpwsRuleIds.Relationship, "A Hosted service has no Types.", ViolationSeverity.Error, SoapReader.Path(child)));
                }

                if (serviceId is null)
                {
                    violations.Add(new Violation(DpwsRuleIds.Relationship, "A Hosted service has no ServiceId.", ViolationSeverity.Error, SoapReader.Path(child)));
                }

                hosted.Add(new HostedServiceMetadata { EndpointReferences = eprs, Types = types ?? [], ServiceId = serviceId ?? string.Empty, Extensions = extensions });
            }
        }
    }

    private static (List<WsaEndpointReference> Eprs, List<WsdQName>? Types, string? ServiceId, List<XElement> Extensions) ReadService(XElement element, List<Violation> violations)
    {
        var eprs = new List<WsaEndpointReference>();
        List<WsdQName>? types = null;
        string? serviceId = null;
        var extensions = new List<XElement>();
        foreach (var child in element.Elements())
        {
            var ns = child.Name.Namespace;
            if ((ns == DpwsNamespaces.Addressing || ns == DpwsNamespaces.Addressing10) && child.Name.LocalName == "EndpointReference")
            {
                if (SoapReader.ReadEndpointReference(child, violations) is { } epr)
                {
                    CheckUri(epr.Address, child, violations);
                    eprs.Add(epr);
                }
            }
            else if (IsDevprof(ns) && child.Name.LocalName == "Types")
            {
                types ??= ReadTypes(child, violations);
            }
            else if (IsDevprof(ns) && child.Name.LocalName == "ServiceId")
            {
                serviceId ??= Uri(child, violations);
            }
            else
            {
                extensions.Add(XmlValues.Detach(child));
            }
        }

        return (eprs, types, serviceId, extensions);
    }

    private static List<WsdQName> ReadTypes(XElement element, List<Violation> violations)
    {
        var types = new List<WsdQName>();
        foreach (var token in XmlValues.SplitList(element.Value))
        {
            var name = XmlValues.ResolveQName(element, token, out var prefix);
            if (name is null)
            {
                violations.Add(new Violation(DpwsRuleIds.Relationship, $"The type '{token}' does not resolve to a QName (undeclared prefix).", ViolationSeverity.Error, SoapReader.Path(element)));
                continue;
            }

            types.Add(WsdQName.Create(name.NamespaceName, name.LocalName, prefix));
        }

        return types;
    }

    private static LocalizedText Localized(XElement element, List<Violation> violations)
    {
        var value = Field(element, violations);
        var lang = (string?)element.Attribute(XNamespace.Xml + "lang");
        return new LocalizedText(value, lang);
    }

    private static string Field(XElement element, List<Violation> violations)
    {
        var value = XmlValues.Trim(element.Value);
        if (value.Length > MaxFieldSize)
        {
            violations.Add(new Violation(DpwsRuleIds.FieldSize, $"{element.Name.LocalName} is {value.Length} characters long; MAX_FIELD_SIZE is {MaxFieldSize}.", ViolationSeverity.Error, SoapReader.Path(element)));
        }

        return value;
    }

    private static string Uri(XElement element, List<Violation> violations)
    {
        var value = XmlValues.Trim(element.Value);
        CheckUri(value, element, violations);
        return value;
    }

    private static void CheckUri(string value, XElement element, List<Violation> violations)
    {
        var octets = Encoding.UTF8.GetByteCount(value);
        if (octets > MaxUriSize)
        {
            violations.Add(new Violation(DpwsRuleIds.FieldSize, $"{element.Name.LocalName} is a URI of {octets} octets; MAX_URI_SIZE is {MaxUriSize}.", ViolationSeverity.Error, SoapReader.Path(element)));
        }
    }
}
