using System.IO.Pipelines;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Xmpp.Streams;

/// <summary>
/// Reads an XMPP XML stream (RFC 6120 §4) from a <see cref="PipeReader"/>: the <c>&lt;stream:stream&gt;</c> header,
/// then each top-level element (stanzas, features, SASL and TLS elements, stream errors) as an <see cref="XElement"/>.
/// Restricted XML (§11.1): a DOCTYPE, a processing instruction, a comment or an entity reference ends the stream with
/// <c>restricted-xml</c>; bad XML with <c>not-well-formed</c>; bytes that are not UTF-8 with
/// <c>unsupported-encoding</c>; a stanza past <see cref="XmppReaderLimits.MaxStanzaBytes"/>, nested past
/// <see cref="XmppReaderLimits.MaxDepth"/> or with too many attributes with <c>policy-violation</c>; silence past
/// <see cref="XmppReaderLimits.IdleTimeout"/> with <c>connection-timeout</c>. Those surface as
/// <see cref="XmppStreamErrorException"/> (with <see cref="XmppStreamErrorException.FromPeer"/> false) for the owner
/// to send and close; the end of the input without <c>&lt;/stream:stream&gt;</c> as <see cref="XmppStreamClosedException"/>.
/// Not thread-safe: one read at a time.
/// </summary>
public sealed class XmppStreamReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly PipeReaderStream _source;
    private readonly XmppReaderLimits _limits;
    private StreamReader? _text;
    private XmlReader? _xml;
    private bool _ended;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    /// <param name="input">The bytes from the peer.</param>
    /// <param name="limits">Bounds; <see cref="XmppReaderLimits.Default"/> when null.</param>
    /// <param name="timeProvider">The clock for the idle timeout; the system clock when null.</param>
    public XmppStreamReader(PipeReader input, XmppReaderLimits? limits = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        _limits = (limits ?? XmppReaderLimits.Default).Validate();
        _source = new PipeReaderStream(input, timeProvider ?? TimeProvider.System, _limits.IdleTimeout, _limits.MaxStanzaBytes);
        Restart();
    }

    /// <summary>The peer's stream header, once read.</summary>
    public XmppStreamHeader? Header { get; private set; }

    /// <summary>Every byte consumed from the input so far.</summary>
    public long BytesRead => _source.TotalBytes;

    /// <summary>
    /// Starts reading a new stream on the same input (the stream restart after SASL success, RFC 6120 §6.4.6).
    /// Call it only when the peer has nothing more to send on the old stream.
    /// </summary>
    public void Restart()
    {
        _xml?.Dispose();
        _text?.Dispose();
        _text = new StreamReader(_source, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        _xml = XmlReader.Create(_text, new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            ConformanceLevel = ConformanceLevel.Document,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            IgnoreWhitespace = false,
            CheckCharacters = true,
            CloseInput = false,
            MaxCharactersFromEntities = 1024,
        });
        Header = null;
        _ended = false;
        _source.ResetBudget();
    }

    /// <summary>Reads up to and including the peer's <c>&lt;stream:stream&gt;</c> opening tag.</summary>
    /// <exception cref="XmppStreamErrorException">The peer's data broke the rules; send the condition and close.</exception>
    /// <exception cref="XmppStreamClosedException">The input ended first.</exception>
    public async ValueTask<XmppStreamHeader> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        if (Header is not null)
        {
            return Header;
        }

        var xml = _xml!;
        while (await ReadNodeAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                    var encoding = xml.GetAttribute("encoding");
                    if (encoding is not null && !encoding.Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
                    {
                        throw LocalError("unsupported-encoding", $"The stream declares encoding '{encoding}'; XMPP is UTF-8 only.");
                    }

                    break;
                case XmlNodeType.Whitespace:
                    break;
                case XmlNodeType.Element:
                    if (xml.LocalName != "stream")
                    {
                        throw LocalError("bad-format", $"The stream starts with <{xml.Name}>, not <stream:stream>.");
                    }

                    if (xml.NamespaceURI != XmppNamespaces.Streams.NamespaceName)
                    {
                        throw LocalError("invalid-namespace", $"The stream element is in namespace '{xml.NamespaceURI}'.");
                    }

                    var attributes = ReadAttributes(xml);
                    var header = new XmppStreamHeader(
                        Get(attributes, "from"),
                        Get(attributes, "to"),
                        Get(attributes, "id"),
                        Get(attributes, "version"),
                        attributes.GetValueOrDefault(XNamespace.Xml + "lang"),
                        XNamespace.Get(xml.LookupNamespace(string.Empty) ?? string.Empty),
                        attributes);
                    Header = header;
                    _ended = xml.IsEmptyElement;
                    _source.ResetBudget();
                    return header;
                default:
                    throw Unexpected(xml);
            }
        }

        throw new XmppStreamClosedException("The input ended before the stream header.");
    }

    /// <summary>
    /// Reads the next top-level element of the stream; null when the peer closed the stream with
    /// <c>&lt;/stream:stream&gt;</c>. Whitespace between elements (keepalives) is skipped.
    /// </summary>
    /// <exception cref="XmppStreamErrorException">The peer's data broke the rules; send the condition and close.</exception>
    /// <exception cref="XmppStreamClosedException">The input ended without <c>&lt;/stream:stream&gt;</c>.</exception>
    public async ValueTask<XElement?> ReadElementAsync(CancellationToken cancellationToken)
    {
        if (Header is null)
        {
            await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_ended)
        {
            return null;
        }

        var xml = _xml!;
        while (await ReadNodeAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Whitespace:
                    _source.ResetBudget();
                    break;
                case XmlNodeType.EndElement when xml.Depth == 0:
                    _ended = true;
                    return null;
                case XmlNodeType.Element when xml.Depth == 1:
                    var element = await ReadStanzaAsync(xml, cancellationToken).ConfigureAwait(false);
                    _source.ResetBudget();
                    return element;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                    throw LocalError("bad-format", "Character data between stanzas.");
                default:
                    throw Unexpected(xml);
            }
        }

        throw new XmppStreamClosedException("The input ended without </stream:stream>.");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _xml?.Dispose();
        _text?.Dispose();
        _source.Dispose();
    }

    private async ValueTask<XElement> ReadStanzaAsync(XmlReader xml, CancellationToken cancellationToken)
    {
        var root = CreateElement(xml);
        if (xml.IsEmptyElement)
        {
            return root;
        }

        var current = root;
        while (await ReadNodeAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element:
                    if (xml.Depth > _limits.MaxDepth)
                    {
                        throw LocalError("policy-violation", $"Elements are nested deeper than {_limits.MaxDepth}.");
                    }

                    var child = CreateElement(xml);
                    current.Add(child);
                    if (!xml.IsEmptyElement)
                    {
                        current = child;
                    }

                    break;
                case XmlNodeType.EndElement:
                    if (current == root)
                    {
                        return root;
                    }

                    current = current.Parent!;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    current.Add(new XText(await ReadValueAsync(cancellationToken).ConfigureAwait(false)));
                    break;
                default:
                    throw Unexpected(xml);
            }
        }

        throw new XmppStreamClosedException("The input ended inside a stanza.");
    }

    private XElement CreateElement(XmlReader xml)
    {
        if (xml.AttributeCount > _limits.MaxAttributesPerElement)
        {
            throw LocalError("policy-violation", $"An element has {xml.AttributeCount} attributes; the limit is {_limits.MaxAttributesPerElement}.");
        }

        var element = new XElement(XName.Get(xml.LocalName, xml.NamespaceURI));
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                element.Add(new XAttribute(AttributeName(xml), xml.Value));
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }

        return element;
    }

    private static Dictionary<XName, string> ReadAttributes(XmlReader xml)
    {
        var attributes = new Dictionary<XName, string>();
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                attributes[AttributeName(xml)] = xml.Value;
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }

        return attributes;
    }

    private static string? Get(Dictionary<XName, string> attributes, string name) =>
        attributes.TryGetValue(XName.Get(name), out var value) ? value : null;

    // LINQ to XML names a default namespace declaration plain "xmlns" and a prefixed one {xmlns}prefix.
    private static XName AttributeName(XmlReader xml)
    {
        if (xml.NamespaceURI.Length == 0)
        {
            return XName.Get(xml.LocalName);
        }

        if (xml.NamespaceURI == XNamespace.Xmlns.NamespaceName && xml.Prefix.Length == 0)
        {
            return XName.Get("xmlns");
        }

        return XName.Get(xml.LocalName, xml.NamespaceURI);
    }

    private async ValueTask<bool> ReadNodeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _source.CurrentToken = cancellationToken;
        try
        {
            return await _xml!.ReadAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (TryMap(ex, out var mapped))
        {
            throw mapped;
        }
        finally
        {
            _source.CurrentToken = default;
        }
    }

    // Character data is parsed lazily: reading it touches the input too.
    private async ValueTask<string> ReadValueAsync(CancellationToken cancellationToken)
    {
        _source.CurrentToken = cancellationToken;
        try
        {
            return await _xml!.GetValueAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (TryMap(ex, out var mapped))
        {
            throw mapped;
        }
        finally
        {
            _source.CurrentToken = default;
        }
    }

    private bool TryMap(Exception exception, out Exception mapped)
    {
        mapped = exception switch
        {
            StanzaBudgetExceededException => LocalError("policy-violation", exception.Message),
            IdleTimeoutException => LocalError("connection-timeout", exception.Message),
            DecoderFallbackException or XmlException { InnerException: DecoderFallbackException } =>
                LocalError("unsupported-encoding", "The stream is not valid UTF-8: " + exception.Message),
            XmlException when _source.EndOfInput => new XmppStreamClosedException("The input ended inside the stream.", exception),
            XmlException when exception.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                || exception.Message.Contains("entity", StringComparison.OrdinalIgnoreCase) => LocalError("restricted-xml", exception.Message),
            XmlException => LocalError("not-well-formed", exception.Message),
            _ => exception,
        };
        return mapped != exception;
    }

    private static XmppStreamErrorException Unexpected(XmlReader xml) => xml.NodeType switch
    {
        XmlNodeType.ProcessingInstruction or XmlNodeType.Comment or XmlNodeType.DocumentType or XmlNodeType.EntityReference
            or XmlNodeType.XmlDeclaration =>
            LocalError("restricted-xml", $"The stream carries a {xml.NodeType}, which XMPP does not allow (RFC 6120 §11.1)."),
        _ => LocalError("not-well-formed", $"Unexpected {xml.NodeType} at depth {xml.Depth}."),
    };

    private static XmppStreamErrorException LocalError(string condition, string text) =>
        new(condition, text, fromPeer: false);
}
