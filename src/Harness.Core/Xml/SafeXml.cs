using System.Xml;
using System.Xml.Linq;

namespace Harness.Core.Xml;

/// <summary>Why a document was refused.</summary>
public enum XmlLoadError
{
    /// <summary>Loaded.</summary>
    None,

    /// <summary>Not well-formed XML (includes truncated documents and bad encodings).</summary>
    Malformed,

    /// <summary>Carries a DOCTYPE: refused before any entity is expanded.</summary>
    DtdProhibited,

    /// <summary>Larger than <see cref="XmlLimits.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>Nested deeper than <see cref="XmlLimits.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>More elements or attributes than the limits allow.</summary>
    TooManyNodes,

    /// <summary>Empty input (no bytes, or only XML whitespace).</summary>
    Empty,
}

/// <summary>The outcome of <see cref="SafeXml.Load(ReadOnlySpan{byte}, XmlLimits?)"/>.</summary>
/// <param name="Document">The document, or null when refused.</param>
/// <param name="Error">Why it was refused, or <see cref="XmlLoadError.None"/>.</param>
/// <param name="Message">A sentence describing the problem, or null.</param>
/// <param name="LineNumber">Where the problem was found (1-based), when known.</param>
/// <param name="LinePosition">Column of the problem (1-based), when known.</param>
public sealed record XmlLoadResult(XDocument? Document, XmlLoadError Error, string? Message, int LineNumber = 0, int LinePosition = 0)
{
    /// <summary>True when <see cref="Document"/> is set.</summary>
    public bool Success => Document is not null;
}

/// <summary>
/// Hardened XML reading for peer input: DTDs prohibited (no entity expansion, so no billion laughs), no
/// resolver (no external entities), and size, depth, element and attribute counts bounded while reading.
/// Never throws on bad input.
/// </summary>
public static class SafeXml
{
    /// <summary>Reader settings with DTD processing prohibited and no resolver.</summary>
    public static XmlReaderSettings CreateReaderSettings(XmlLimits? limits = null)
    {
        limits ??= XmlLimits.Default;
        return new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            // No DTD means no entities to expand; bounded anyway (0 would mean unbounded).
            MaxCharactersFromEntities = limits.MaxBytes,
            MaxCharactersInDocument = limits.MaxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = false,
            CloseInput = false,
            ValidationType = ValidationType.None,
        };
    }

    /// <summary>Loads a document from bytes (encoding from the BOM or the XML declaration; UTF-8 by default).</summary>
    public static XmlLoadResult Load(ReadOnlySpan<byte> bytes, XmlLimits? limits = null)
    {
        limits ??= XmlLimits.Default;
        if (bytes.IsEmpty || bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return new XmlLoadResult(null, XmlLoadError.Empty, "The document is empty.");
        }

        if (bytes.Length > limits.MaxBytes)
        {
            return new XmlLoadResult(null, XmlLoadError.TooLarge, $"The document is {bytes.Length} bytes; the limit is {limits.MaxBytes}.");
        }

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return Load(stream, limits);
    }

    /// <summary>Loads a document from a stream, reading at most <see cref="XmlLimits.MaxBytes"/> characters.</summary>
    public static XmlLoadResult Load(Stream stream, XmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= XmlLimits.Default;
        try
        {
            using var reader = XmlReader.Create(stream, CreateReaderSettings(limits));
            return Build(reader, limits);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return new XmlLoadResult(null, XmlLoadError.DtdProhibited, "The document carries a DTD, which is refused.", ex.LineNumber, ex.LinePosition);
        }
        catch (XmlException ex) when (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
        {
            return new XmlLoadResult(null, XmlLoadError.TooLarge, $"The document is larger than {limits.MaxBytes} characters.", ex.LineNumber, ex.LinePosition);
        }
        catch (XmlException ex)
        {
            return new XmlLoadResult(null, XmlLoadError.Malformed, ex.Message, ex.LineNumber, ex.LinePosition);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            return new XmlLoadResult(null, XmlLoadError.Malformed, "Invalid bytes for the document's encoding: " + ex.Message);
        }
        catch (ArgumentException ex)
        {
            // Unsupported encoding names in the XML declaration surface as ArgumentException.
            return new XmlLoadResult(null, XmlLoadError.Malformed, ex.Message);
        }
    }

    private static XmlLoadResult Build(XmlReader reader, XmlLimits limits)
    {
        var document = new XDocument();
        XContainer current = document;
        var elements = 0;
        var info = (IXmlLineInfo)reader;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth >= limits.MaxDepth)
                    {
                        return Refuse(XmlLoadError.TooDeep, $"Elements are nested deeper than {limits.MaxDepth}.", info);
                    }

                    if (++elements > limits.MaxElements)
                    {
                        return Refuse(XmlLoadError.TooManyNodes, $"The document has more than {limits.MaxElements} elements.", info);
                    }

                    if (reader.AttributeCount > limits.MaxAttributesPerElement)
                    {
                        return Refuse(XmlLoadError.TooManyNodes, $"An element has {reader.AttributeCount} attributes; the limit is {limits.MaxAttributesPerElement}.", info);
                    }

                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            element.Add(new XAttribute(AttributeName(reader), reader.Value));
                        }
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }

                    current.Add(element);
                    if (!reader.IsEmptyElement)
                    {
                        current = element;
                    }

                    break;
                case XmlNodeType.EndElement:
                    current = current.Parent ?? (XContainer)document;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                    current.Add(new XText(reader.Value));
                    break;
                case XmlNodeType.Whitespace:
                    if (current is XElement)
                    {
                        current.Add(new XText(reader.Value));
                    }

                    break;
                case XmlNodeType.DocumentType:
                    return Refuse(XmlLoadError.DtdProhibited, "The document carries a DTD, which is refused.", info);
                default:
                    break;
            }
        }

        if (document.Root is null)
        {
            return new XmlLoadResult(null, XmlLoadError.Empty, "The document has no root element.");
        }

        return new XmlLoadResult(document, XmlLoadError.None, null);
    }

    // LINQ to XML names the default namespace declaration plain "xmlns" and a prefix declaration
    // {http://www.w3.org/2000/xmlns/}prefix; the reader reports both in the xmlns namespace.
    private static XName AttributeName(XmlReader reader)
    {
        if (reader.NamespaceURI.Length == 0)
        {
            return XName.Get(reader.LocalName);
        }

        if (reader.NamespaceURI == XNamespace.Xmlns.NamespaceName && reader.Prefix.Length == 0)
        {
            return XName.Get("xmlns");
        }

        return XName.Get(reader.LocalName, reader.NamespaceURI);
    }

    private static XmlLoadResult Refuse(XmlLoadError error, string message, IXmlLineInfo info) =>
        new(null, error, message, info.LineNumber, info.LinePosition);
}
