using System.Xml;
using System.Xml.Linq;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Metadata;

/// <summary>
/// Writes <see cref="DeviceMetadata"/> as the <c>mex:Metadata</c> body of a GetResponse, in the section order WSDAPI
/// uses (ThisDevice, ThisModel, Relationship, then other sections). Deterministic. The prefixes <c>wsx</c>,
/// <c>wsdp</c> and <c>wsa</c> are declared on <c>mex:Metadata</c> with one prefix per type namespace (the QName's own
/// prefix when usable, else the conventional one, else <c>i0</c>, <c>i1</c>, …).
/// </summary>
public static class DeviceMetadataWriter
{
    private static readonly XNamespace Mex = DpwsNamespaces.Mex;
    private static readonly XNamespace Wsdp = DpwsNamespaces.Devprof;
    private static readonly XNamespace Wsa = DpwsNamespaces.Addressing;
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "soap", "wsa", "wsx", "wsdp", "xml", "xmlns" };

    /// <summary>The <c>mex:Metadata</c> element.</summary>
    public static XElement Write(DeviceMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var prefixes = AssignPrefixes(metadata);
        var root = new XElement(
            Mex + "Metadata",
            new XAttribute(XNamespace.Xmlns + "wsx", DpwsNamespaces.Mex),
            new XAttribute(XNamespace.Xmlns + "wsdp", DpwsNamespaces.Devprof),
            new XAttribute(XNamespace.Xmlns + "wsa", DpwsNamespaces.Addressing));
        foreach (var (ns, prefix) in prefixes)
        {
            root.Add(new XAttribute(XNamespace.Xmlns + prefix, ns));
        }

        if (metadata.ThisDevice is { } device)
        {
            root.Add(Section(DpwsActions.ThisDeviceDialect, new XElement(
                Wsdp + "ThisDevice",
                device.FriendlyName.Select(t => Localized("FriendlyName", t)),
                Optional("FirmwareVersion", device.FirmwareVersion),
                Optional("SerialNumber", device.SerialNumber),
                device.Extensions.Select(Copy))));
        }

        if (metadata.ThisModel is { } model)
        {
            root.Add(Section(DpwsActions.ThisModelDialect, new XElement(
                Wsdp + "ThisModel",
                model.Manufacturer.Select(t => Localized("Manufacturer", t)),
                Optional("ManufacturerUrl", model.ManufacturerUrl),
                model.ModelName.Select(t => Localized("ModelName", t)),
                Optional("ModelNumber", model.ModelNumber),
                Optional("ModelUrl", model.ModelUrl),
                Optional("PresentationUrl", model.PresentationUrl),
                model.Extensions.Select(Copy))));
        }

        if (metadata.Host is not null || metadata.Hosted.Count > 0)
        {
            var relationship = new XElement(Wsdp + "Relationship", new XAttribute("Type", metadata.RelationshipType));
            if (metadata.Host is { } host)
            {
                relationship.Add(new XElement(
                    Wsdp + "Host",
                    SoapWriter.EndpointReferenceElement(Wsa + "EndpointReference", host.EndpointReference),
                    host.Types.Count > 0 ? new XElement(Wsdp + "Types", Types(host.Types, prefixes)) : null,
                    Optional("ServiceId", host.ServiceId),
                    host.Extensions.Select(Copy)));
            }

            foreach (var hosted in metadata.Hosted)
            {
                relationship.Add(new XElement(
                    Wsdp + "Hosted",
                    hosted.EndpointReferences.Select(e => SoapWriter.EndpointReferenceElement(Wsa + "EndpointReference", e)),
                    new XElement(Wsdp + "Types", Types(hosted.Types, prefixes)),
                    new XElement(Wsdp + "ServiceId", hosted.ServiceId),
                    hosted.Extensions.Select(Copy)));
            }

            root.Add(Section(DpwsActions.RelationshipDialect, relationship));
        }

        foreach (var other in metadata.OtherSections)
        {
            root.Add(Copy(other));
        }

        return root;
    }

    /// <summary>The GetResponse to <paramref name="request"/> carrying <paramref name="metadata"/> (RelatesTo set, To anonymous).</summary>
    public static SoapEnvelope GetResponse(SoapEnvelope request, DeviceMetadata metadata, string messageId) =>
        SoapEnvelope.Reply(request, DpwsActions.TransferGetResponse, messageId, Write(metadata));

    private static XElement Section(string dialect, XElement content) =>
        new(Mex + "MetadataSection", new XAttribute("Dialect", dialect), content);

    private static XElement Localized(string name, LocalizedText text)
    {
        var element = new XElement(Wsdp + name, text.Value);
        if (!string.IsNullOrEmpty(text.Language))
        {
            element.Add(new XAttribute(XNamespace.Xml + "lang", text.Language));
        }

        return element;
    }

    private static XElement? Optional(string name, string? value) => value is null ? null : new XElement(Wsdp + name, value);

    private static XElement Copy(XElement element) => element.Parent is null ? new XElement(element) : XmlValues.Detach(element);

    private static string Types(IReadOnlyList<WsdQName> types, List<KeyValuePair<string, string>> prefixes) =>
        string.Join(' ', types.Select(t => prefixes.First(p => p.Key == t.Namespace).Value + ":" + t.LocalName));

    private static List<KeyValuePair<string, string>> AssignPrefixes(DeviceMetadata metadata)
    {
        var result = new List<KeyValuePair<string, string>>();
        var used = new HashSet<string>(Reserved, StringComparer.Ordinal);
        var all = (metadata.Host?.Types ?? []).Concat(metadata.Hosted.SelectMany(h => h.Types));
        var generated = 0;
        foreach (var type in all)
        {
            if (string.IsNullOrEmpty(type?.Namespace))
            {
                throw new ArgumentException("Types must be namespace-qualified QNames.", nameof(metadata));
            }

            if (result.Any(p => p.Key == type.Namespace))
            {
                continue;
            }

            string? prefix = null;
            if (type.Prefix is { Length: > 0 } own && !used.Contains(own) && IsNcName(own))
            {
                prefix = own;
            }
            else if (DpwsNamespaces.PreferredPrefix(type.Namespace) is { } preferred && !used.Contains(preferred))
            {
                prefix = preferred;
            }

            while (prefix is null || used.Contains(prefix))
            {
                prefix = "i" + generated++.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            used.Add(prefix);
            result.Add(new KeyValuePair<string, string>(type.Namespace, prefix));
        }

        return result;
    }

    private static bool IsNcName(string value)
    {
        try
        {
            XmlConvert.VerifyNCName(value);
            return !value.StartsWith("xml", StringComparison.OrdinalIgnoreCase);
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
