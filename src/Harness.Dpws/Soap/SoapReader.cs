using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;

namespace Harness.Dpws.Soap;

/// <summary>Why a SOAP message could not be read at all.</summary>
public enum SoapReadError
{
    /// <summary>Read (possibly with violations).</summary>
    None,

    /// <summary>No bytes, or only whitespace.</summary>
    Empty,

    /// <summary>Not well-formed XML.</summary>
    Malformed,

    /// <summary>A DTD was present and refused (no entity is ever expanded: XML bombs end here).</summary>
    DtdProhibited,

    /// <summary>Larger than the size limit, nested too deeply, or too many elements or attributes.</summary>
    LimitsExceeded,

    /// <summary>Well-formed XML, but not a SOAP envelope.</summary>
    NotAnEnvelope,

    /// <summary>Refused in strict mode because of an error-level violation.</summary>
    StrictRejected,
}

/// <summary>Mode and limits for <see cref="SoapReader"/>.</summary>
/// <param name="Mode">Lenient (understand and report) or strict (refuse on any error-level violation).</param>
/// <param name="Limits">XML limits; null for <see cref="XmlLimits.Default"/> (1 MiB, depth 64).</param>
public sealed record SoapReadOptions(ReadMode Mode = ReadMode.Lenient, XmlLimits? Limits = null)
{
    /// <summary>Lenient reading with the default limits.</summary>
    public static SoapReadOptions Default { get; } = new();

    /// <summary>Strict reading with the default limits.</summary>
    public static SoapReadOptions Strict { get; } = new(ReadMode.Strict);
}

/// <summary>The outcome of <see cref="SoapReader.Read(ReadOnlySpan{byte}, SoapReadOptions?)"/>.</summary>
/// <param name="Envelope">The envelope, or null when it could not be read.</param>
/// <param name="Violations">Every deviation found, in document order.</param>
/// <param name="Error">Why nothing could be read, or <see cref="SoapReadError.None"/>.</param>
/// <param name="ErrorMessage">A sentence describing <paramref name="Error"/>.</param>
/// <param name="EnvelopeNamespace">The envelope namespace found (SOAP 1.2 normally; SOAP 1.1 is read leniently).</param>
public sealed record SoapReadResult(
    SoapEnvelope? Envelope,
    IReadOnlyList<Violation> Violations,
    SoapReadError Error = SoapReadError.None,
    string? ErrorMessage = null,
    string? EnvelopeNamespace = null)
{
    /// <summary>True when <see cref="Envelope"/> is set.</summary>
    public bool Success => Envelope is not null;

    /// <summary>True when the envelope is SOAP 1.2.</summary>
    public bool IsSoap12 => EnvelopeNamespace == DpwsNamespaces.Soap12;
}

/// <summary>
/// Reads a SOAP envelope (bytes of an HTTP body or of an MTOM root part) into a <see cref="SoapEnvelope"/> plus the
/// deviations found. Lenient: <c>https://</c> spellings of known namespaces (Q-HTTPS-NS), whitespace around URIs
/// (Q-WS-IN-URI), W3C WS-Addressing headers and SOAP 1.1 envelopes are understood and reported. Hardened through
/// <see cref="SafeXml"/>: no DTD, bounded size and depth. Never throws on a peer's input.
/// </summary>
public static class SoapReader
{
    private static readonly XNamespace Soap12 = DpwsNamespaces.Soap12;
    private static readonly XNamespace Soap11 = DpwsNamespaces.Soap11;
    private static readonly XNamespace Wsa = DpwsNamespaces.Addressing;
    private static readonly XNamespace Wsa10 = DpwsNamespaces.Addressing10;

    /// <summary>Reads an envelope from bytes.</summary>
    public static SoapReadResult Read(ReadOnlySpan<byte> bytes, SoapReadOptions? options = null)
    {
        options ??= SoapReadOptions.Default;
        var load = SafeXml.Load(bytes, options.Limits ?? XmlLimits.Default);
        return FromLoad(load, options);
    }

    /// <summary>Reads an envelope from an already loaded document (the root must be the Envelope).</summary>
    public static SoapReadResult Read(XDocument document, SoapReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Parse(document, options ?? SoapReadOptions.Default);
    }

    private static SoapReadResult FromLoad(XmlLoadResult load, SoapReadOptions options)
    {
        if (load.Document is { } document)
        {
            return Parse(document, options);
        }

        var location = load.LineNumber > 0 ? $"line {load.LineNumber}, column {load.LinePosition}" : null;
        var (error, rule) = load.Error switch
        {
            XmlLoadError.Empty => (SoapReadError.Empty, DpwsRuleIds.XmlWellFormed),
            XmlLoadError.DtdProhibited => (SoapReadError.DtdProhibited, DpwsRuleIds.XmlDtd),
            XmlLoadError.TooLarge or XmlLoadError.TooDeep or XmlLoadError.TooManyNodes => (SoapReadError.LimitsExceeded, DpwsRuleIds.XmlLimits),
            _ => (SoapReadError.Malformed, DpwsRuleIds.XmlWellFormed),
        };
        var message = load.Message ?? "The document could not be read.";
        return new SoapReadResult(null, [new Violation(rule, message, ViolationSeverity.Error, location)], error, message);
    }

    private static SoapReadResult Parse(XDocument document, SoapReadOptions options)
    {
        var violations = new List<Violation>();
        NormalizeNamespaces(document, violations);
        var root = document.Root!;
        if (root.Name.LocalName != "Envelope" || (root.Name.Namespace != Soap12 && root.Name.Namespace != Soap11))
        {
            var message = $"The root element is {{{root.Name.NamespaceName}}}{root.Name.LocalName}, not a SOAP envelope.";
            violations.Add(new Violation(DpwsRuleIds.Envelope, message, ViolationSeverity.Error, "/" + root.Name.LocalName));
            return new SoapReadResult(null, violations, SoapReadError.NotAnEnvelope, message, root.Name.NamespaceName);
        }

        var soap = root.Name.Namespace;
        if (soap == Soap11)
        {
            violations.Add(new Violation(DpwsRuleIds.Envelope, "The envelope is SOAP 1.1; DPWS requires SOAP 1.2.", ViolationSeverity.Error, "/Envelope"));
        }

        XElement? header = null;
        XElement? body = null;
        foreach (var child in root.Elements())
        {
            if (child.Name == soap + "Header" && header is null && body is null)
            {
                header = child;
            }
            else if (child.Name == soap + "Body" && body is null)
            {
                body = child;
            }
            else
            {
                violations.Add(new Violation(DpwsRuleIds.Envelope, $"Unexpected element {child.Name.LocalName} in the Envelope (only Header then Body are allowed).", ViolationSeverity.Error, Path(child)));
            }
        }

        if (body is null)
        {
            violations.Add(new Violation(DpwsRuleIds.Envelope, "The envelope has no Body.", ViolationSeverity.Error, "/Envelope"));
        }

        var soapHeader = header is null ? new SoapHeader() : ReadHeader(header, violations);
        var bodyElements = new List<XElement>();
        SoapFault? fault = null;
        if (body is not null)
        {
            if (body.Nodes().OfType<XText>().Any(t => !XmlValues.IsWhitespace(t.Value)))
            {
                violations.Add(new Violation(DpwsRuleIds.Envelope, "The Body carries text outside elements.", ViolationSeverity.Error, Path(body)));
            }

            bodyElements.AddRange(body.Elements());
            if (bodyElements.Count > 0 && bodyElements[0].Name == soap + "Fault")
            {
                fault = ReadFault(bodyElements[0], soap, violations);
                if (bodyElements.Count > 1)
                {
                    violations.Add(new Violation(DpwsRuleIds.Envelope, "A Fault must be the only child of the Body.", ViolationSeverity.Error, Path(bodyElements[1])));
                }
            }
        }

        var envelope = new SoapEnvelope { Header = soapHeader, Body = bodyElements, Fault = fault };
        if (options.Mode == ReadMode.Strict && violations.Any(v => v.Severity == ViolationSeverity.Error))
        {
            return new SoapReadResult(null, violations, SoapReadError.StrictRejected, "Refused in strict mode: " + violations.First(v => v.Severity == ViolationSeverity.Error).Message, soap.NamespaceName);
        }

        return new SoapReadResult(envelope, violations, SoapReadError.None, null, soap.NamespaceName);
    }

    private static SoapHeader ReadHeader(XElement header, List<Violation> violations)
    {
        string? action = null, messageId = null, relatesTo = null, to = null;
        WsaEndpointReference? replyTo = null, from = null, faultTo = null;
        var extra = new List<XElement>();
        var namespaces = new HashSet<XNamespace>();
        foreach (var element in header.Elements())
        {
            var ns = element.Name.Namespace;
            if (ns != Wsa && ns != Wsa10)
            {
                extra.Add(element);
                continue;
            }

            namespaces.Add(ns);
            switch (element.Name.LocalName)
            {
                case "Action":
                    SetText(ref action, element, violations, uri: true);
                    break;
                case "MessageID":
                    SetText(ref messageId, element, violations, uri: true);
                    break;
                case "RelatesTo":
                    SetText(ref relatesTo, element, violations, uri: true);
                    break;
                case "To":
                    SetText(ref to, element, violations, uri: true);
                    break;
                case "ReplyTo":
                    SetEpr(ref replyTo, element, violations);
                    break;
                case "From":
                    SetEpr(ref from, element, violations);
                    break;
                case "FaultTo":
                    SetEpr(ref faultTo, element, violations);
                    break;
                default:
                    extra.Add(element);
                    break;
            }
        }

        var addressing = DpwsNamespaces.Addressing;
        if (namespaces.Count > 1)
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, "The addressing headers mix WS-Addressing 2004/08 and W3C 1.0 namespaces.", ViolationSeverity.Error, Path(header)));
        }
        else if (namespaces.Contains(Wsa10))
        {
            addressing = DpwsNamespaces.Addressing10;
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, "The addressing headers use W3C WS-Addressing 1.0; the DPWS 2006 family uses 2004/08.", ViolationSeverity.Warning, Path(header)));
        }

        return new SoapHeader
        {
            Action = action,
            MessageId = messageId,
            RelatesTo = relatesTo,
            To = to,
            ReplyTo = replyTo,
            From = from,
            FaultTo = faultTo,
            Extra = extra,
            AddressingNamespace = addressing,
        };
    }

    private static void SetText(ref string? slot, XElement element, List<Violation> violations, bool uri)
    {
        var text = XmlValues.Trim(element.Value);
        if (slot is not null)
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, $"wsa:{element.Name.LocalName} appears more than once; the first is used.", ViolationSeverity.Error, Path(element)));
            return;
        }

        if (text.Length == 0)
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, $"wsa:{element.Name.LocalName} is empty.", ViolationSeverity.Error, Path(element)));
        }
        else if (uri && text.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, $"wsa:{element.Name.LocalName} has whitespace inside the URI '{text}'.", ViolationSeverity.Error, Path(element)));
        }

        slot = text;
    }

    private static void SetEpr(ref WsaEndpointReference? slot, XElement element, List<Violation> violations)
    {
        if (slot is not null)
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, $"wsa:{element.Name.LocalName} appears more than once; the first is used.", ViolationSeverity.Error, Path(element)));
            return;
        }

        slot = ReadEndpointReference(element, violations);
    }

    /// <summary>
    /// Reads the endpoint reference content of <paramref name="element"/> (its <c>wsa:Address</c>, reference properties
    /// and parameters, either WS-Addressing namespace); null when there is no Address (reported).
    /// </summary>
    public static WsaEndpointReference? ReadEndpointReference(XElement element, List<Violation> violations)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(violations);
        string? address = null;
        var parameters = new List<XElement>();
        var properties = new List<XElement>();
        var extensions = new List<XElement>();
        foreach (var child in element.Elements())
        {
            var isWsa = child.Name.Namespace == Wsa || child.Name.Namespace == Wsa10;
            switch (isWsa ? child.Name.LocalName : null)
            {
                case "Address" when address is null:
                    address = XmlValues.Trim(child.Value);
                    break;
                case "ReferenceParameters":
                    parameters.AddRange(child.Elements().Select(XmlValues.Detach));
                    break;
                case "ReferenceProperties":
                    properties.AddRange(child.Elements().Select(XmlValues.Detach));
                    break;
                default:
                    extensions.Add(child);
                    break;
            }
        }

        if (string.IsNullOrEmpty(address))
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, $"The endpoint reference {element.Name.LocalName} has no wsa:Address.", ViolationSeverity.Error, Path(element)));
            return null;
        }

        return new WsaEndpointReference(address) { ReferenceParameters = parameters, ReferenceProperties = properties, Extensions = extensions };
    }

    private static SoapFault ReadFault(XElement fault, XNamespace soap, List<Violation> violations)
    {
        if (soap == Soap11)
        {
            var code11 = fault.Element("faultcode") is { } fc ? XmlValues.ResolveQName(fc, fc.Value, out _) : null;
            var mapped = code11?.LocalName switch
            {
                "Client" => SoapFault.Sender,
                "Server" => SoapFault.Receiver,
                "VersionMismatch" => SoapFault.VersionMismatch,
                "MustUnderstand" => SoapFault.MustUnderstand,
                _ => code11 ?? SoapFault.Receiver,
            };
            return new SoapFault(mapped, XmlValues.Trim(fault.Element("faultstring")?.Value ?? string.Empty))
            {
                Detail = fault.Element("detail") is { } d11 ? [.. d11.Elements()] : [],
            };
        }

        var codeElement = fault.Element(soap + "Code");
        XName? code = null;
        XName? subcode = null;
        if (codeElement?.Element(soap + "Value") is { } value)
        {
            code = XmlValues.ResolveQName(value, value.Value, out _);
            if (code is null)
            {
                violations.Add(new Violation(DpwsRuleIds.Envelope, $"The fault Code value '{XmlValues.Trim(value.Value)}' is not a resolvable QName.", ViolationSeverity.Error, Path(value)));
            }
            else if (code.Namespace != Soap12 || code.LocalName is not ("Sender" or "Receiver" or "VersionMismatch" or "MustUnderstand" or "DataEncodingUnknown"))
            {
                violations.Add(new Violation(DpwsRuleIds.Envelope, $"The fault Code '{code}' is not one of the SOAP 1.2 codes.", ViolationSeverity.Error, Path(value)));
            }

            if (codeElement.Element(soap + "Subcode")?.Element(soap + "Value") is { } subValue)
            {
                subcode = XmlValues.ResolveQName(subValue, subValue.Value, out _);
                if (subcode is null)
                {
                    violations.Add(new Violation(DpwsRuleIds.Envelope, $"The fault Subcode value '{XmlValues.Trim(subValue.Value)}' is not a resolvable QName.", ViolationSeverity.Error, Path(subValue)));
                }
            }
        }
        else
        {
            violations.Add(new Violation(DpwsRuleIds.Envelope, "The fault has no Code/Value.", ViolationSeverity.Error, Path(fault)));
        }

        var texts = fault.Element(soap + "Reason")?.Elements(soap + "Text").ToList() ?? [];
        if (texts.Count == 0)
        {
            violations.Add(new Violation(DpwsRuleIds.Envelope, "The fault has no Reason/Text.", ViolationSeverity.Error, Path(fault)));
        }

        var text = texts.FirstOrDefault(t => ((string?)t.Attribute(XNamespace.Xml + "lang"))?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true)
            ?? texts.FirstOrDefault();
        return new SoapFault(code ?? SoapFault.Receiver, text is null ? string.Empty : XmlValues.Trim(text.Value))
        {
            Subcode = subcode,
            ReasonLanguage = (string?)text?.Attribute(XNamespace.Xml + "lang") ?? string.Empty,
            Detail = fault.Element(soap + "Detail") is { } detail ? [.. detail.Elements()] : [],
        };
    }

    /// <summary>Renames <c>https://</c> spellings of known namespaces to the <c>http://</c> originals, reporting each once.</summary>
    private static void NormalizeNamespaces(XDocument document, List<Violation> violations)
    {
        HashSet<string>? reported = null;
        foreach (var element in document.Descendants())
        {
            if (Fix(element.Name.NamespaceName) is { } fixedNs)
            {
                Report(element.Name.NamespaceName, fixedNs, element);
                element.Name = XName.Get(element.Name.LocalName, fixedNs);
            }

            List<XAttribute>? replace = null;
            foreach (var attribute in element.Attributes())
            {
                if (attribute.IsNamespaceDeclaration)
                {
                    if (Fix(attribute.Value) is { } fixedDecl)
                    {
                        Report(attribute.Value, fixedDecl, element);
                        attribute.Value = fixedDecl;
                    }
                }
                else if (Fix(attribute.Name.NamespaceName) is not null)
                {
                    (replace ??= []).Add(attribute);
                }
            }

            foreach (var attribute in replace ?? [])
            {
                attribute.Remove();
                element.Add(new XAttribute(XName.Get(attribute.Name.LocalName, Fix(attribute.Name.NamespaceName)!), attribute.Value));
            }
        }

        void Report(string found, string meant, XElement where)
        {
            if ((reported ??= new HashSet<string>(StringComparer.Ordinal)).Add(found))
            {
                violations.Add(new Violation(DpwsRuleIds.Namespace, $"The namespace '{found}' uses https:// where the specification defines '{meant}' [Q-HTTPS-NS]; understood as the latter.", ViolationSeverity.Error, Path(where)));
            }
        }
    }

    private static string? Fix(string ns)
    {
        if (!ns.StartsWith("https://", StringComparison.Ordinal))
        {
            return null;
        }

        var meant = "http://" + ns[8..];
        return DpwsNamespaces.Known.Contains(meant) ? meant : null;
    }

    /// <summary>An XPath-like location of an element: local names from the root, e.g. <c>/Envelope/Header/Action</c>.</summary>
    public static string Path(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var names = new Stack<string>();
        for (var e = element; e is not null; e = e.Parent)
        {
            names.Push(e.Name.LocalName);
        }

        return "/" + string.Join('/', names);
    }
}
