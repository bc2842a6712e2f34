using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Harness.Dpws.Soap;

/// <summary>
/// Writes a <see cref="SoapEnvelope"/> as UTF-8 (no byte order mark) with an XML declaration. Deterministic: the same
/// record always gives the same bytes. Prefixes <c>soap</c> and <c>wsa</c> are declared on the Envelope with the
/// envelope's extra <see cref="SoapEnvelope.Namespaces"/>; header blocks are written in the order To, Action,
/// MessageID, RelatesTo, ReplyTo, From, FaultTo, then the extra headers; body elements are written as they are
/// (elements taken from a parsed document carry the namespace declarations they need). Throws
/// <see cref="ArgumentException"/> only for values XML cannot carry.
/// </summary>
public static class SoapWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        NewLineHandling = NewLineHandling.Entitize,
        OmitXmlDeclaration = false,
        CheckCharacters = true,
        NamespaceHandling = NamespaceHandling.OmitDuplicates,
        CloseOutput = false,
    };

    /// <summary>The envelope as UTF-8 bytes.</summary>
    public static byte[] Write(SoapEnvelope envelope)
    {
        using var stream = new MemoryStream();
        Write(envelope, stream);
        return stream.ToArray();
    }

    /// <summary>The envelope as a string (the same characters as <see cref="Write(SoapEnvelope)"/>).</summary>
    public static string WriteString(SoapEnvelope envelope) => Encoding.UTF8.GetString(Write(envelope));

    /// <summary>Writes the envelope to <paramref name="stream"/>.</summary>
    public static void Write(SoapEnvelope envelope, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(stream);
        var header = envelope.Header ?? throw new ArgumentException("The envelope has no header.", nameof(envelope));
        var wsa = string.IsNullOrEmpty(header.AddressingNamespace) ? DpwsNamespaces.Addressing : header.AddressingNamespace;
        try
        {
            using var w = XmlWriter.Create(stream, Settings);
            w.WriteStartDocument();
            w.WriteStartElement("soap", "Envelope", DpwsNamespaces.Soap12);
            w.WriteAttributeString("xmlns", "wsa", null, wsa);
            foreach (var (prefix, uri) in envelope.Namespaces ?? [])
            {
                if (prefix is not ("soap" or "wsa" or "xml" or "xmlns") && !string.IsNullOrEmpty(prefix))
                {
                    w.WriteAttributeString("xmlns", prefix, null, uri);
                }
            }

            w.WriteStartElement("soap", "Header", DpwsNamespaces.Soap12);
            Text(w, wsa, "To", header.To);
            Text(w, wsa, "Action", header.Action);
            Text(w, wsa, "MessageID", header.MessageId);
            Text(w, wsa, "RelatesTo", header.RelatesTo);
            EndpointReference(w, wsa, "ReplyTo", header.ReplyTo);
            EndpointReference(w, wsa, "From", header.From);
            EndpointReference(w, wsa, "FaultTo", header.FaultTo);
            foreach (var element in header.Extra ?? [])
            {
                Element(w, element);
            }

            w.WriteEndElement();
            w.WriteStartElement("soap", "Body", DpwsNamespaces.Soap12);
            if (envelope.Fault is { } fault)
            {
                Fault(w, fault, envelope);
            }
            else
            {
                foreach (var element in envelope.Body ?? [])
                {
                    Element(w, element);
                }
            }

            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        catch (XmlException ex)
        {
            throw new ArgumentException("The envelope holds a value XML cannot carry: " + ex.Message, nameof(envelope), ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException("The envelope holds a value XML cannot carry: " + ex.Message, nameof(envelope), ex);
        }
    }

    /// <summary>
    /// Writes the children of an endpoint reference (Address, ReferenceProperties, ReferenceParameters, extensions)
    /// into an element named <paramref name="name"/>, as an <see cref="XElement"/> (for body content such as
    /// <c>wse:NotifyTo</c> or <c>wse:SubscriptionManager</c>).
    /// </summary>
    public static XElement EndpointReferenceElement(XName name, WsaEndpointReference reference, string addressingNamespace = DpwsNamespaces.Addressing)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reference);
        XNamespace wsa = addressingNamespace;
        var element = new XElement(name, new XElement(wsa + "Address", reference.Address));
        if (reference.ReferenceProperties.Count > 0)
        {
            element.Add(new XElement(wsa + "ReferenceProperties", reference.ReferenceProperties.Select(e => e.Parent is null ? e : XmlValues.Detach(e))));
        }

        if (reference.ReferenceParameters.Count > 0)
        {
            element.Add(new XElement(wsa + "ReferenceParameters", reference.ReferenceParameters.Select(e => e.Parent is null ? e : XmlValues.Detach(e))));
        }

        foreach (var extension in reference.Extensions)
        {
            element.Add(extension.Parent is null ? extension : XmlValues.Detach(extension));
        }

        return element;
    }

    private static void Text(XmlWriter w, string wsa, string localName, string? value)
    {
        if (value is null)
        {
            return;
        }

        w.WriteStartElement("wsa", localName, wsa);
        w.WriteString(value);
        w.WriteEndElement();
    }

    private static void EndpointReference(XmlWriter w, string wsa, string localName, WsaEndpointReference? reference)
    {
        if (reference is null)
        {
            return;
        }

        w.WriteStartElement("wsa", localName, wsa);
        Text(w, wsa, "Address", reference.Address);
        if (reference.ReferenceProperties.Count > 0)
        {
            w.WriteStartElement("wsa", "ReferenceProperties", wsa);
            foreach (var element in reference.ReferenceProperties)
            {
                Element(w, element);
            }

            w.WriteEndElement();
        }

        if (reference.ReferenceParameters.Count > 0)
        {
            w.WriteStartElement("wsa", "ReferenceParameters", wsa);
            foreach (var element in reference.ReferenceParameters)
            {
                Element(w, element);
            }

            w.WriteEndElement();
        }

        foreach (var element in reference.Extensions)
        {
            Element(w, element);
        }

        w.WriteEndElement();
    }

    private static void Element(XmlWriter w, XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        (element.Parent is null ? element : XmlValues.Detach(element)).WriteTo(w);
    }

    private static void Fault(XmlWriter w, SoapFault fault, SoapEnvelope envelope)
    {
        const string soap = DpwsNamespaces.Soap12;
        w.WriteStartElement("soap", "Fault", soap);
        w.WriteStartElement("soap", "Code", soap);
        QNameValue(w, fault.Code ?? SoapFault.Receiver, envelope);
        if (fault.Subcode is { } subcode)
        {
            w.WriteStartElement("soap", "Subcode", soap);
            QNameValue(w, subcode, envelope);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteStartElement("soap", "Reason", soap);
        w.WriteStartElement("soap", "Text", soap);
        w.WriteAttributeString("xml", "lang", null, string.IsNullOrEmpty(fault.ReasonLanguage) ? "en" : fault.ReasonLanguage);
        w.WriteString(fault.Reason ?? string.Empty);
        w.WriteEndElement();
        w.WriteEndElement();
        if (fault.Detail is { Count: > 0 } detail)
        {
            w.WriteStartElement("soap", "Detail", soap);
            foreach (var element in detail)
            {
                Element(w, element);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void QNameValue(XmlWriter w, XName name, SoapEnvelope envelope)
    {
        const string soap = DpwsNamespaces.Soap12;
        w.WriteStartElement("soap", "Value", soap);
        var ns = name.NamespaceName;
        string? prefix = ns.Length == 0 ? string.Empty : w.LookupPrefix(ns);
        if (prefix is null)
        {
            prefix = DpwsNamespaces.PreferredPrefix(ns) ?? "q";
            var taken = new HashSet<string>(["soap", "wsa"], StringComparer.Ordinal);
            foreach (var (p, _) in envelope.Namespaces ?? [])
            {
                taken.Add(p);
            }

            var candidate = prefix;
            for (var i = 1; taken.Contains(candidate); i++)
            {
                candidate = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            prefix = candidate;
            w.WriteAttributeString("xmlns", prefix, null, ns);
        }

        w.WriteString(prefix.Length == 0 ? name.LocalName : prefix + ":" + name.LocalName);
        w.WriteEndElement();
    }
}
