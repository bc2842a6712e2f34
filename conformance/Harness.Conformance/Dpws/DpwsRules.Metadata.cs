using System.Text;
using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Dpws.Print;
using Harness.Dpws.Scan;
using Harness.Dpws.Soap;

namespace Harness.Conformance.Dpws;

public static partial class DpwsRules
{
    private const int MaxFieldSize = 256;
    private const int MaxUriSize = 2048;

    private static IEnumerable<Rule> MetadataRules()
    {
        yield return Passive(
            "WSD-DPWS-001",
            "WS-Transfer Get is answered with GetResponse carrying mex:Metadata",
            new(Dpws2006 + "; " + Transfer2004, "R2044, R2045; WS-Transfer Get", UrlDpws2006, "A device must answer a WS-Transfer Get to its endpoint with a GetResponse whose body is the wsx:Metadata of the device."),
            RuleLevel.Must,
            AnyDevice,
            "Every Get to the device must be answered with a 2xx GetResponse (not a fault) whose body is mex:Metadata.",
            CheckGetResponse);

        yield return Passive(
            "WSD-DPWS-002",
            "The metadata has ThisModel, ThisDevice and Relationship sections",
            new(Dpws2006 + "; " + Mex2004, "R2012, R2014, R2029", UrlDpws2006, "The metadata returned must contain a MetadataSection of Dialect {devprof}/ThisModel, one of {devprof}/ThisDevice and one of {devprof}/Relationship."),
            RuleLevel.Must,
            AnyDevice,
            "Reads every GetResponse: mex:Metadata (WS-MetadataExchange 2004/09 namespace) with MetadataSection Dialects exactly {devprof}/ThisModel, /ThisDevice and /Relationship (devprof 2006/02 or DPWS 1.1), the section contents in the devprof namespace.",
            CheckSections);

        yield return Passive(
            "WSD-DPWS-003",
            "ThisModel names the manufacturer and model; ThisDevice the friendly name",
            new(Dpws2006, "ThisModel / ThisDevice metadata", UrlDpws2006, "ThisModel has at least one Manufacturer and one ModelName; ThisDevice has at least one FriendlyName (xml:lang repeats allowed)."),
            RuleLevel.Must,
            AnyDevice,
            "Reads ThisModel and ThisDevice of every GetResponse (by local name, whatever the namespace): Manufacturer, ModelName and FriendlyName must be present and not empty.",
            CheckModelDevice);

        yield return Passive(
            "WSD-DPWS-004",
            "Relationship lists the hosted services with EPR, Types and ServiceId",
            new(Dpws2006, "R2029; Relationship (wsdp:Host, wsdp:Hosted)", UrlDpws2006, "The Relationship section has Type {devprof}/host; each wsdp:Hosted has at least one endpoint reference, its Types and a ServiceId. A scanner hosts wscn:ScannerServiceType, a printer wprt:PrinterServiceType."),
            RuleLevel.Must,
            AnyDevice,
            "Reads the Relationship of every GetResponse: Type {devprof}/host, every Hosted complete, and a Hosted of the scanner (printer) service type for a device announced as a scanner (printer).",
            CheckRelationship);

        yield return Passive(
            "WSD-DPWS-005",
            "Metadata fields respect MAX_FIELD_SIZE and MAX_URI_SIZE",
            new(Dpws2006, "R0025, R0027; Appendix (MAX_FIELD_SIZE 256, MAX_URI_SIZE 2048)", UrlDpws2006, "Text fields of ThisModel/ThisDevice are at most 256 characters; URIs at most 2048 octets."),
            RuleLevel.Must,
            AnyDevice,
            "Every text value of ThisModel and ThisDevice at most 256 characters; ManufacturerUrl, ModelUrl, PresentationUrl, endpoint addresses and ServiceIds at most 2048 octets.",
            CheckFieldSizes);
    }

    private static List<DpwsExchange> Gets(RuleContext context) => WithAction(context, DpwsActions.TransferGet);

    /// <summary>The mex:Metadata body of a GetResponse (by local name), or null.</summary>
    private static XElement? MetadataOf(DpwsExchange exchange) =>
        exchange.ResponseEnvelope is { IsFault: false, BodyElement: { } body } && body.Name.LocalName == "Metadata" ? body : null;

    private static IEnumerable<Finding> CheckGetResponse(RuleContext context)
    {
        var gets = Gets(context);
        foreach (var get in gets)
        {
            string? problem = get.Response is null ? "no response"
                : get.ResponseEnvelope is null ? $"HTTP {get.Response.Status} without a SOAP envelope"
                : get.Fault is { } fault ? "the fault " + fault
                : get.Response.Status is < 200 or >= 300 ? $"HTTP {get.Response.Status}"
                : get.ResponseAction != DpwsActions.TransferGetResponse ? $"the Action '{get.ResponseAction}'"
                : get.ResponseEnvelope.BodyElement is not { } body ? "an empty body"
                : body.Name != XName.Get("Metadata", DpwsNamespaces.Mex) ? $"the body element {body.Name}"
                : null;
            if (problem is not null)
            {
                yield return context.Violation($"A Get was answered with {problem}.", get.Records, problem, "GetResponse with mex:Metadata");
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, gets, "Get exchanges"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckSections(RuleContext context)
    {
        var judged = Gets(context).Where(g => MetadataOf(g) is not null).ToList();
        foreach (var get in judged)
        {
            var metadata = MetadataOf(get)!;
            var sections = Children(metadata, "MetadataSection").ToList();
            var dialects = sections.Select(s => ((string?)s.Attribute("Dialect"))?.Trim() ?? string.Empty).ToList();
            foreach (var name in new[] { "ThisModel", "ThisDevice", "Relationship" })
            {
                var found = sections.Select((s, i) => (Section: s, Dialect: dialects[i]))
                    .FirstOrDefault(x => x.Dialect == DpwsNamespaces.Devprof + "/" + name || x.Dialect == DpwsNamespaces.Dpws11 + "/" + name);
                if (found.Section is null)
                {
                    yield return context.Violation(
                        $"The metadata has no MetadataSection of Dialect {{devprof}}/{name} (Dialects: {string.Join(", ", dialects.Select(d => "'" + d + "'"))}).",
                        get.Records,
                        string.Join(" ", dialects),
                        DpwsNamespaces.Devprof + "/" + name,
                        "/Envelope/Body/Metadata/MetadataSection/@Dialect");
                    yield break;
                }

                var ns = found.Dialect[..found.Dialect.LastIndexOf('/')];
                var content = found.Section.Elements().FirstOrDefault();
                if (content is null || content.Name != XName.Get(name, ns))
                {
                    yield return context.Violation(
                        $"The {name} section holds {content?.Name.ToString() ?? "nothing"}, not {{{ns}}}{name}.",
                        get.Records,
                        content?.Name.ToString(),
                        "{" + ns + "}" + name);
                    yield break;
                }
            }
        }

        foreach (var finding in PassIfAny(context, judged, "GetResponses"))
        {
            yield return finding;
        }
    }

    private static XElement? Section(XElement metadata, string name) =>
        Children(metadata, "MetadataSection").Select(s => s.Elements().FirstOrDefault(e => e.Name.LocalName == name)).FirstOrDefault(e => e is not null);

    private static IEnumerable<Finding> CheckModelDevice(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var get in Gets(context))
        {
            if (MetadataOf(get) is not { } metadata)
            {
                continue;
            }

            judged.Add(get);
            var model = Section(metadata, "ThisModel");
            var device = Section(metadata, "ThisDevice");
            var missing = new List<string>();
            if (!Children(model, "Manufacturer").Any(e => e.Value.Trim().Length > 0))
            {
                missing.Add("ThisModel/Manufacturer");
            }

            if (!Children(model, "ModelName").Any(e => e.Value.Trim().Length > 0))
            {
                missing.Add("ThisModel/ModelName");
            }

            if (!Children(device, "FriendlyName").Any(e => e.Value.Trim().Length > 0))
            {
                missing.Add("ThisDevice/FriendlyName");
            }

            if (missing.Count > 0)
            {
                yield return context.Violation($"The metadata lacks {string.Join(", ", missing)} (or it is empty).", get.Records, null, string.Join(", ", missing));
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "GetResponses"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckRelationship(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var get in Gets(context))
        {
            if (MetadataOf(get) is not { } metadata)
            {
                continue;
            }

            judged.Add(get);
            var relationship = Section(metadata, "Relationship");
            var type = ((string?)relationship?.Attribute("Type"))?.Trim();
            if (relationship is null || (type != DpwsNamespaces.Devprof + "/host" && type != DpwsNamespaces.Dpws11 + "/host"))
            {
                yield return context.Violation(relationship is null ? "The metadata has no Relationship." : $"The Relationship's Type is '{type}'.", get.Records, type, DpwsNamespaces.Devprof + "/host");
                yield break;
            }

            var hosted = Children(relationship, "Hosted").ToList();
            foreach (var service in hosted)
            {
                var address = Child(Child(service, "EndpointReference"), "Address")?.Value.Trim();
                var types = Child(service, "Types")?.Value.Trim();
                var serviceId = Child(service, "ServiceId")?.Value.Trim();
                if (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(types) || string.IsNullOrEmpty(serviceId))
                {
                    yield return context.Violation("A Hosted section lacks its endpoint reference, Types or ServiceId.", get.Records, service.ToString(SaveOptions.DisableFormatting), "EndpointReference, Types and ServiceId");
                    yield break;
                }
            }

            foreach (var (role, local, what) in new[] { (DeviceRole.ScannerService, "ScannerServiceType", "scanner"), (DeviceRole.PrinterService, "PrinterServiceType", "printer") })
            {
                if (context.Device.HasRole(role) && !hosted.Any(h => HostedHasType(h, local)))
                {
                    yield return context.Violation($"The device announces itself as a {what}, but no Hosted service has the type {local} ({hosted.Count} Hosted).", get.Records, hosted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " Hosted", local);
                    yield break;
                }
            }
        }

        foreach (var finding in PassIfAny(context, judged, "GetResponses"))
        {
            yield return finding;
        }
    }

    /// <summary>True when a Hosted's Types has a QName of that local name in a WS-Scan or WS-Print namespace.</summary>
    private static bool HostedHasType(XElement hosted, string localName)
    {
        var types = Child(hosted, "Types");
        if (types is null)
        {
            return false;
        }

        foreach (var token in types.Value.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            var prefix = colon > 0 ? token[..colon] : string.Empty;
            var local = colon > 0 ? token[(colon + 1)..] : token;
            var ns = types.GetNamespaceOfPrefix(prefix)?.NamespaceName ?? (colon > 0 ? null : types.GetDefaultNamespace().NamespaceName);
            if (local == localName && ns is not null
                && (ScanNamespaces.Classify(ns) != ScanNamespaceKind.Other || PrintNamespaces.Classify(ns) != PrintNamespaceKind.Other))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<Finding> CheckFieldSizes(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var get in Gets(context))
        {
            if (MetadataOf(get) is not { } metadata)
            {
                continue;
            }

            judged.Add(get);
            foreach (var section in new[] { Section(metadata, "ThisModel"), Section(metadata, "ThisDevice") })
            {
                foreach (var field in section?.Elements() ?? [])
                {
                    var value = field.Value.Trim();
                    var isUri = field.Name.LocalName.EndsWith("Url", StringComparison.Ordinal);
                    var over = isUri ? Encoding.UTF8.GetByteCount(value) > MaxUriSize : value.Length > MaxFieldSize;
                    if (over && !field.HasElements)
                    {
                        yield return context.Violation(
                            $"{field.Name.LocalName} is {(isUri ? Encoding.UTF8.GetByteCount(value) + " octets" : value.Length + " characters")} long.",
                            get.Records,
                            value[..Math.Min(value.Length, 80)] + "…",
                            isUri ? "at most 2048 octets" : "at most 256 characters",
                            field.Name.LocalName);
                        yield break;
                    }
                }
            }

            var uris = Descendants(metadata, "Address").Concat(Descendants(metadata, "ServiceId")).Select(e => e.Value.Trim());
            if (uris.FirstOrDefault(u => Encoding.UTF8.GetByteCount(u) > MaxUriSize) is { } longUri)
            {
                yield return context.Violation($"A URI of the Relationship is {Encoding.UTF8.GetByteCount(longUri)} octets long.", get.Records, longUri[..80] + "…", "at most 2048 octets");
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "GetResponses"))
        {
            yield return finding;
        }
    }
}
