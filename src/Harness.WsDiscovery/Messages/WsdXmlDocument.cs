using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Xml;
using Harness.Core.Xml;

namespace Harness.WsDiscovery.Messages;

/// <summary>The namespaces the WS-Discovery reader recognises.</summary>
internal enum WsdXmlNs : byte
{
    None,
    Other,
    Soap12,
    Soap11,
    Wsa2004,
    Wsa2005,
    Disc2005,
    Disc11,
    Xml,
}

/// <summary>Why the fast parser handed a document over to <see cref="SafeXml"/>.</summary>
internal enum WsdXmlBail : byte
{
    None,
    Unsupported,
    Malformed,
    Limits,
    SecondRoot,
}

/// <summary>A range of bytes in <see cref="WsdXmlDocument.Buffer"/> (input or decoded scratch).</summary>
internal struct WsdXmlRange
{
    public int Start;
    public int Length;

    public WsdXmlRange(int start, int length)
    {
        Start = start;
        Length = length;
    }
}

internal struct WsdXmlNode
{
    public int Parent;
    public int FirstChild;
    public int LastChild;
    public int NextSibling;
    public int NameStart;
    public int NameLength;
    public int LocalStart;
    public WsdXmlRange NsUri;
    public WsdXmlNs Ns;
    public bool NsHttps;
    public int FirstAttr;
    public int AttrCount;
    public int LastDecl;
    public WsdXmlRange Text;
    public bool HasText;
}

internal struct WsdXmlAttr
{
    public int NameStart;
    public int NameLength;
    public int LocalStart;
    public WsdXmlNs Ns;
    public WsdXmlRange Value;
}

internal struct WsdXmlDecl
{
    public WsdXmlRange Prefix;
    public WsdXmlRange Uri;
    public WsdXmlNs Ns;
    public bool Https;
    public int Prev;
}

/// <summary>
/// A small, hardened, non-validating XML 1.0 + namespaces parser over UTF-8 bytes, built for SOAP-over-UDP
/// datagrams: no DTD (a DOCTYPE is handed over), only the five predefined entities and character
/// references, limits enforced while reading, linear time. It accepts a strict subset of what
/// <see cref="SafeXml"/> accepts: whenever it meets anything outside that subset, or anything malformed, it
/// gives up (<see cref="Bail"/>) and the caller asks <see cref="SafeXml"/> for the authoritative verdict.
/// One instance per thread is reused, so parsing allocates nothing once warmed up.
/// </summary>
internal sealed class WsdXmlDocument
{
    [ThreadStatic]
    private static WsdXmlDocument? t_shared;

    private static readonly SearchValues<byte> TextSpecials = SearchValues.Create(BuildSpecials(includeWhitespaceControls: false));
    private static readonly SearchValues<byte> AttrSpecials = SearchValues.Create(BuildSpecials(includeWhitespaceControls: true));

    private static readonly byte[] NonCharFffe = [0xEF, 0xBF, 0xBE];
    private static readonly byte[] NonCharFfff = [0xEF, 0xBF, 0xBF];

    private static readonly (byte[] Uri, WsdXmlNs Ns)[] KnownNamespaces =
    [
        ("http://www.w3.org/2003/05/soap-envelope"u8.ToArray(), WsdXmlNs.Soap12),
        ("http://schemas.xmlsoap.org/soap/envelope/"u8.ToArray(), WsdXmlNs.Soap11),
        ("http://schemas.xmlsoap.org/ws/2004/08/addressing"u8.ToArray(), WsdXmlNs.Wsa2004),
        ("http://www.w3.org/2005/08/addressing"u8.ToArray(), WsdXmlNs.Wsa2005),
        ("http://schemas.xmlsoap.org/ws/2005/04/discovery"u8.ToArray(), WsdXmlNs.Disc2005),
        ("http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01"u8.ToArray(), WsdXmlNs.Disc11),
        ("http://www.w3.org/XML/1998/namespace"u8.ToArray(), WsdXmlNs.Xml),
    ];

    private int _pos;
    private int _end;
    private XmlLimits _limits = XmlLimits.Datagram;

    public byte[] Buffer { get; private set; } = new byte[8192];

    public int Used { get; private set; }

    public WsdXmlNode[] Nodes { get; private set; } = new WsdXmlNode[128];

    public int NodeCount { get; private set; }

    public WsdXmlAttr[] Attrs { get; private set; } = new WsdXmlAttr[64];

    public int AttrCount { get; private set; }

    public WsdXmlDecl[] Decls { get; private set; } = new WsdXmlDecl[64];

    public int DeclCount { get; private set; }

    public WsdXmlBail Bail { get; private set; }

    /// <summary>The per-thread instance.</summary>
    public static WsdXmlDocument Shared => t_shared ??= new WsdXmlDocument();

    public ReadOnlySpan<byte> Span(WsdXmlRange range) => Buffer.AsSpan(range.Start, range.Length);

    public ReadOnlySpan<byte> QName(int node) => Buffer.AsSpan(Nodes[node].NameStart, Nodes[node].NameLength);

    public ReadOnlySpan<byte> Local(int node)
    {
        ref var n = ref Nodes[node];
        return Buffer.AsSpan(n.LocalStart, n.NameStart + n.NameLength - n.LocalStart);
    }

    public ReadOnlySpan<byte> AttrLocal(int attr)
    {
        ref var a = ref Attrs[attr];
        return Buffer.AsSpan(a.LocalStart, a.NameStart + a.NameLength - a.LocalStart);
    }

    public ReadOnlySpan<byte> Text(int node) => Nodes[node].HasText ? Span(Nodes[node].Text) : default;

    /// <summary>The value of the attribute with this local name and namespace kind, or false.</summary>
    public bool TryGetAttribute(int node, ReadOnlySpan<byte> local, WsdXmlNs ns, out ReadOnlySpan<byte> value)
    {
        ref var n = ref Nodes[node];
        for (var i = n.FirstAttr; i < n.FirstAttr + n.AttrCount; i++)
        {
            if (Attrs[i].Ns == ns && AttrLocal(i).SequenceEqual(local))
            {
                value = Span(Attrs[i].Value);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Resolves a prefix through the namespace declarations in scope at <paramref name="node"/>.</summary>
    public bool TryResolvePrefix(int node, ReadOnlySpan<byte> prefix, out WsdXmlRange uri, out WsdXmlNs ns)
    {
        if (prefix.SequenceEqual("xml"u8))
        {
            uri = default;
            ns = WsdXmlNs.Xml;
            return true;
        }

        for (var d = Nodes[node].LastDecl; d >= 0; d = Decls[d].Prev)
        {
            if (Span(Decls[d].Prefix).SequenceEqual(prefix))
            {
                uri = Decls[d].Uri;
                ns = Decls[d].Ns;
                return uri.Length > 0 || prefix.IsEmpty;
            }
        }

        uri = default;
        ns = WsdXmlNs.None;
        return prefix.IsEmpty;
    }

    /// <summary>Parses <paramref name="input"/>; false when the document must go to <see cref="SafeXml"/>.</summary>
    public bool TryParse(ReadOnlySpan<byte> input, XmlLimits limits)
    {
        _limits = limits;
        NodeCount = 0;
        AttrCount = 0;
        DeclCount = 0;
        Bail = WsdXmlBail.None;
        if (Buffer.Length < input.Length + 256)
        {
            Buffer = new byte[Math.Max(input.Length * 2, Buffer.Length * 2)];
        }

        input.CopyTo(Buffer);
        Used = input.Length;
        _end = input.Length;
        _pos = 0;
        try
        {
            return ParseDocument();
        }
        catch (IndexOutOfRangeException)
        {
            // Defensive: a bounds slip in this parser must never reach the caller; SafeXml decides.
            return Fail(WsdXmlBail.Malformed);
        }
    }

    private bool Fail(WsdXmlBail reason)
    {
        Bail = reason;
        return false;
    }

    private bool ParseDocument()
    {
        if (_end >= 3 && Buffer[0] == 0xEF && Buffer[1] == 0xBB && Buffer[2] == 0xBF)
        {
            _pos = 3;
        }

        if (_end - _pos >= 2 && (Buffer[_pos] == 0 || Buffer[_pos + 1] == 0 || Buffer[_pos] >= 0xFE))
        {
            return Fail(WsdXmlBail.Unsupported); // UTF-16/32 or another encoding: SafeXml decodes it.
        }

        if (StartsWith("<?xml"u8) && _pos + 5 < _end && IsWs(Buffer[_pos + 5]))
        {
            if (!ParseXmlDeclaration())
            {
                return false;
            }
        }

        // Prolog.
        while (true)
        {
            SkipWs();
            if (_pos >= _end || Buffer[_pos] != (byte)'<')
            {
                return Fail(WsdXmlBail.Malformed);
            }

            if (StartsWith("<!--"u8))
            {
                if (!SkipComment())
                {
                    return false;
                }
            }
            else if (StartsWith("<?"u8))
            {
                if (!SkipProcessingInstruction())
                {
                    return false;
                }
            }
            else if (StartsWith("<!"u8))
            {
                return Fail(WsdXmlBail.Unsupported); // DOCTYPE: SafeXml refuses it with the right error.
            }
            else
            {
                break;
            }
        }

        var current = -1;
        if (!ParseStartTag(-1, 0, ref current))
        {
            return false;
        }

        var depth = current >= 0 ? 1 : 0;
        while (current >= 0)
        {
            if (_pos >= _end)
            {
                return Fail(WsdXmlBail.Malformed);
            }

            if (Buffer[_pos] != (byte)'<')
            {
                var lt = Buffer.AsSpan(_pos, _end - _pos).IndexOf((byte)'<');
                if (lt < 0)
                {
                    return Fail(WsdXmlBail.Malformed);
                }

                if (!AddText(current, _pos, lt, cdata: false))
                {
                    return false;
                }

                _pos += lt;
                continue;
            }

            if (_pos + 1 >= _end)
            {
                return Fail(WsdXmlBail.Malformed);
            }

            var next = Buffer[_pos + 1];
            if (next == (byte)'/')
            {
                if (!ParseEndTag(current))
                {
                    return false;
                }

                current = Nodes[current].Parent;
                depth--;
            }
            else if (next == (byte)'!')
            {
                if (StartsWith("<!--"u8))
                {
                    if (!SkipComment())
                    {
                        return false;
                    }
                }
                else if (StartsWith("<![CDATA["u8))
                {
                    _pos += 9;
                    var close = Buffer.AsSpan(_pos, _end - _pos).IndexOf("]]>"u8);
                    if (close < 0 || !AddText(current, _pos, close, cdata: true))
                    {
                        return Fail(WsdXmlBail.Malformed);
                    }

                    _pos += close + 3;
                }
                else
                {
                    return Fail(WsdXmlBail.Malformed);
                }
            }
            else if (next == (byte)'?')
            {
                if (!SkipProcessingInstruction())
                {
                    return false;
                }
            }
            else
            {
                var before = current;
                if (!ParseStartTag(current, depth, ref current))
                {
                    return false;
                }

                if (current != before)
                {
                    depth++;
                }
            }
        }

        // Epilog: only whitespace, comments and processing instructions.
        while (true)
        {
            SkipWs();
            if (_pos >= _end)
            {
                return true;
            }

            if (StartsWith("<!--"u8))
            {
                if (!SkipComment())
                {
                    return false;
                }
            }
            else if (StartsWith("<?"u8))
            {
                if (!SkipProcessingInstruction())
                {
                    return false;
                }
            }
            else
            {
                return Fail(Buffer[_pos] == (byte)'<' ? WsdXmlBail.SecondRoot : WsdXmlBail.Malformed);
            }
        }
    }

    private bool ParseXmlDeclaration()
    {
        _pos += 5;
        var sawVersion = false;
        var index = 0;
        while (true)
        {
            var hadWs = SkipWs();
            if (StartsWith("?>"u8))
            {
                _pos += 2;
                return sawVersion || Fail(WsdXmlBail.Malformed);
            }

            if (!hadWs || _pos >= _end)
            {
                return Fail(WsdXmlBail.Malformed);
            }

            var nameStart = _pos;
            while (_pos < _end && IsAsciiLetter(Buffer[_pos]))
            {
                _pos++;
            }

            var name = Buffer.AsSpan(nameStart, _pos - nameStart);
            SkipWs();
            if (_pos >= _end || Buffer[_pos] != (byte)'=')
            {
                return Fail(WsdXmlBail.Malformed);
            }

            _pos++;
            SkipWs();
            if (_pos >= _end || (Buffer[_pos] != (byte)'"' && Buffer[_pos] != (byte)'\''))
            {
                return Fail(WsdXmlBail.Malformed);
            }

            var quote = Buffer[_pos++];
            var close = Buffer.AsSpan(_pos, _end - _pos).IndexOf(quote);
            if (close < 0)
            {
                return Fail(WsdXmlBail.Malformed);
            }

            var value = Buffer.AsSpan(_pos, close);
            _pos += close + 1;
            if (index == 0)
            {
                if (!name.SequenceEqual("version"u8) || !value.SequenceEqual("1.0"u8))
                {
                    return Fail(WsdXmlBail.Unsupported);
                }

                sawVersion = true;
            }
            else if (name.SequenceEqual("encoding"u8) && index == 1)
            {
                if (!Ascii.EqualsIgnoreCase(value, "utf-8"u8))
                {
                    return Fail(WsdXmlBail.Unsupported); // Another encoding: SafeXml decodes it.
                }
            }
            else if (name.SequenceEqual("standalone"u8))
            {
                if (!value.SequenceEqual("yes"u8) && !value.SequenceEqual("no"u8))
                {
                    return Fail(WsdXmlBail.Malformed);
                }

                index = 2;
            }
            else
            {
                return Fail(WsdXmlBail.Malformed);
            }

            index++;
        }
    }

    private bool ParseStartTag(int parent, int depth, ref int current)
    {
        _pos++; // '<'
        var nameStart = _pos;
        if (!ScanQName(out var colon))
        {
            return false;
        }

        var nameEnd = _pos;
        if (depth >= _limits.MaxDepth || NodeCount >= _limits.MaxElements)
        {
            return Fail(WsdXmlBail.Limits);
        }

        if (NodeCount == Nodes.Length)
        {
            var grown = new WsdXmlNode[Nodes.Length * 2];
            Nodes.AsSpan().CopyTo(grown);
            Nodes = grown;
        }

        var index = NodeCount++;
        ref var node = ref Nodes[index];
        node = default;
        node.Parent = parent;
        node.FirstChild = -1;
        node.LastChild = -1;
        node.NextSibling = -1;
        node.NameStart = nameStart;
        node.NameLength = nameEnd - nameStart;
        node.LocalStart = colon >= 0 ? colon + 1 : nameStart;
        node.FirstAttr = AttrCount;
        node.LastDecl = parent >= 0 ? Nodes[parent].LastDecl : -1;
        if (parent >= 0)
        {
            ref var p = ref Nodes[parent];
            if (p.LastChild >= 0)
            {
                Nodes[p.LastChild].NextSibling = index;
            }
            else
            {
                p.FirstChild = index;
                p.HasText = false; // Text of an element with element children is not read.
            }

            p.LastChild = index;
        }

        var firstDecl = DeclCount;
        var total = 0;
        bool selfClosing;
        while (true)
        {
            var hadWs = SkipWs();
            if (_pos >= _end)
            {
                return Fail(WsdXmlBail.Malformed);
            }

            var b = Buffer[_pos];
            if (b == (byte)'>')
            {
                _pos++;
                selfClosing = false;
                break;
            }

            if (b == (byte)'/')
            {
                if (_pos + 1 < _end && Buffer[_pos + 1] == (byte)'>')
                {
                    _pos += 2;
                    selfClosing = true;
                    break;
                }

                return Fail(WsdXmlBail.Malformed);
            }

            if (!hadWs)
            {
                return Fail(WsdXmlBail.Malformed);
            }

            var attrStart = _pos;
            if (!ScanQName(out var attrColon))
            {
                return false;
            }

            var attrEnd = _pos;
            SkipWs();
            if (_pos >= _end || Buffer[_pos] != (byte)'=')
            {
                return Fail(WsdXmlBail.Malformed);
            }

            _pos++;
            SkipWs();
            if (_pos >= _end || (Buffer[_pos] != (byte)'"' && Buffer[_pos] != (byte)'\''))
            {
                return Fail(WsdXmlBail.Malformed);
            }

            var quote = Buffer[_pos++];
            var close = Buffer.AsSpan(_pos, _end - _pos).IndexOf(quote);
            if (close < 0 || !TryAttributeValue(_pos, close, out var value))
            {
                return Fail(WsdXmlBail.Malformed);
            }

            _pos += close + 1;
            if (++total > _limits.MaxAttributesPerElement)
            {
                return Fail(WsdXmlBail.Limits);
            }

            var qname = Buffer.AsSpan(attrStart, attrEnd - attrStart);
            if (qname.SequenceEqual("xmlns"u8) || (attrColon >= 0 && Buffer.AsSpan(attrStart, attrColon - attrStart).SequenceEqual("xmlns"u8)))
            {
                var prefix = attrColon >= 0 ? new WsdXmlRange(attrColon + 1, attrEnd - attrColon - 1) : new WsdXmlRange(attrStart, 0);
                if (!AddDeclaration(prefix, value, firstDecl, ref node.LastDecl))
                {
                    return false;
                }
            }
            else
            {
                if (AttrCount == Attrs.Length)
                {
                    var grown = new WsdXmlAttr[Attrs.Length * 2];
                    Attrs.AsSpan().CopyTo(grown);
                    Attrs = grown;
                }

                Attrs[AttrCount++] = new WsdXmlAttr
                {
                    NameStart = attrStart,
                    NameLength = attrEnd - attrStart,
                    LocalStart = attrColon >= 0 ? attrColon + 1 : attrStart,
                    Value = value,
                };
                node.AttrCount++;
            }
        }

        // Resolve the element's namespace.
        var elementPrefix = colon >= 0 ? Buffer.AsSpan(nameStart, colon - nameStart) : default;
        if (elementPrefix.SequenceEqual("xmlns"u8))
        {
            return Fail(WsdXmlBail.Malformed);
        }

        if (!TryResolvePrefix(index, elementPrefix, out var uri, out var ns))
        {
            return Fail(WsdXmlBail.Malformed); // Undeclared prefix.
        }

        node.NsUri = uri;
        node.Ns = uri.Length == 0 && ns != WsdXmlNs.Xml ? WsdXmlNs.None : ns;
        node.NsHttps = ns != WsdXmlNs.None && ns != WsdXmlNs.Other && uri.Length > 0 && Buffer[uri.Start + 4] == (byte)'s';

        // Resolve attribute namespaces and refuse duplicates.
        for (var i = node.FirstAttr; i < node.FirstAttr + node.AttrCount; i++)
        {
            ref var a = ref Attrs[i];
            if (a.LocalStart != a.NameStart)
            {
                if (!TryResolvePrefix(index, Buffer.AsSpan(a.NameStart, a.LocalStart - 1 - a.NameStart), out var attrUri, out var attrNs) || (attrUri.Length == 0 && attrNs != WsdXmlNs.Xml))
                {
                    return Fail(WsdXmlBail.Malformed);
                }

                a.Ns = attrNs == WsdXmlNs.None ? WsdXmlNs.Other : attrNs;
                for (var j = node.FirstAttr; j < i; j++)
                {
                    if (Attrs[j].LocalStart != Attrs[j].NameStart && AttrLocal(j).SequenceEqual(AttrLocal(i)))
                    {
                        _ = TryResolvePrefix(index, Buffer.AsSpan(Attrs[j].NameStart, Attrs[j].LocalStart - 1 - Attrs[j].NameStart), out var otherUri, out _);
                        if (Span(otherUri).SequenceEqual(Span(attrUri)))
                        {
                            return Fail(WsdXmlBail.Malformed);
                        }
                    }
                }
            }
            else
            {
                a.Ns = WsdXmlNs.None;
                for (var j = node.FirstAttr; j < i; j++)
                {
                    if (Attrs[j].LocalStart == Attrs[j].NameStart && AttrLocal(j).SequenceEqual(AttrLocal(i)))
                    {
                        return Fail(WsdXmlBail.Malformed);
                    }
                }
            }
        }

        current = selfClosing ? parent : index;
        return true;
    }

    private bool AddDeclaration(WsdXmlRange prefix, WsdXmlRange uri, int firstDeclOfElement, ref int lastDecl)
    {
        var prefixSpan = Span(prefix);
        var uriSpan = Span(uri);
        if (prefixSpan.SequenceEqual("xmlns"u8) || uriSpan.SequenceEqual("http://www.w3.org/2000/xmlns/"u8))
        {
            return Fail(WsdXmlBail.Malformed);
        }

        var isXmlUri = uriSpan.SequenceEqual("http://www.w3.org/XML/1998/namespace"u8);
        if (prefixSpan.SequenceEqual("xml"u8) != isXmlUri)
        {
            return Fail(WsdXmlBail.Malformed);
        }

        if (uri.Length == 0 && prefix.Length > 0)
        {
            return Fail(WsdXmlBail.Malformed); // XML Namespaces 1.0: a prefix cannot be undeclared.
        }

        for (var d = firstDeclOfElement; d < DeclCount; d++)
        {
            if (Span(Decls[d].Prefix).SequenceEqual(prefixSpan))
            {
                return Fail(WsdXmlBail.Malformed); // The same prefix declared twice on one element.
            }
        }

        if (DeclCount == Decls.Length)
        {
            var grown = new WsdXmlDecl[Decls.Length * 2];
            Decls.AsSpan().CopyTo(grown);
            Decls = grown;
        }

        var (ns, https) = Classify(uriSpan);
        Decls[DeclCount] = new WsdXmlDecl { Prefix = prefix, Uri = uri, Ns = ns, Https = https, Prev = lastDecl };
        lastDecl = DeclCount++;
        return true;
    }

    /// <summary>Classifies a namespace URI; <c>https://</c> spellings of known namespaces are recognised and flagged.</summary>
    public static (WsdXmlNs Ns, bool Https) Classify(ReadOnlySpan<byte> uri)
    {
        if (uri.IsEmpty)
        {
            return (WsdXmlNs.None, false);
        }

        var https = uri.StartsWith("https://"u8);
        foreach (var (known, ns) in KnownNamespaces)
        {
            if (https)
            {
                if (uri.Length == known.Length + 1 && uri[8..].SequenceEqual(known.AsSpan(7)))
                {
                    return (ns, true);
                }
            }
            else if (uri.SequenceEqual(known))
            {
                return (ns, false);
            }
        }

        return (WsdXmlNs.Other, false);
    }

    private bool ParseEndTag(int current)
    {
        _pos += 2;
        var name = QName(current);
        if (_end - _pos < name.Length || !Buffer.AsSpan(_pos, name.Length).SequenceEqual(name))
        {
            return Fail(WsdXmlBail.Malformed);
        }

        _pos += name.Length;
        SkipWs();
        if (_pos >= _end || Buffer[_pos] != (byte)'>')
        {
            return Fail(WsdXmlBail.Malformed);
        }

        _pos++;
        return true;
    }

    private bool SkipComment()
    {
        _pos += 4;
        var close = Buffer.AsSpan(_pos, _end - _pos).IndexOf("--"u8);
        if (close < 0 || _pos + close + 2 >= _end || Buffer[_pos + close + 2] != (byte)'>' || !IsValidChars(Buffer.AsSpan(_pos, close), allowWhitespaceControls: true))
        {
            return Fail(WsdXmlBail.Malformed);
        }

        _pos += close + 3;
        return true;
    }

    private bool SkipProcessingInstruction()
    {
        _pos += 2;
        var targetStart = _pos;
        if (!ScanQName(out var colon) || colon >= 0)
        {
            return Fail(WsdXmlBail.Malformed);
        }

        if (Ascii.EqualsIgnoreCase(Buffer.AsSpan(targetStart, _pos - targetStart), "xml"u8))
        {
            return Fail(WsdXmlBail.Malformed); // An XML declaration not at the start.
        }

        if (StartsWith("?>"u8))
        {
            _pos += 2;
            return true;
        }

        if (!SkipWs())
        {
            return Fail(WsdXmlBail.Malformed);
        }

        var close = Buffer.AsSpan(_pos, _end - _pos).IndexOf("?>"u8);
        if (close < 0 || !IsValidChars(Buffer.AsSpan(_pos, close), allowWhitespaceControls: true))
        {
            return Fail(WsdXmlBail.Malformed);
        }

        _pos += close + 2;
        return true;
    }

    /// <summary>Validates a text chunk, decodes references and line ends, and appends it to the element's text.</summary>
    private bool AddText(int node, int start, int length, bool cdata)
    {
        var raw = Buffer.AsSpan(start, length);
        var special = raw.IndexOfAny(TextSpecials);
        WsdXmlRange range;
        if (special < 0)
        {
            range = new WsdXmlRange(start, length);
        }
        else
        {
            if (!IsValidChars(raw, allowWhitespaceControls: true))
            {
                return Fail(WsdXmlBail.Malformed);
            }

            if (!cdata && raw.IndexOf("]]>"u8) >= 0)
            {
                return Fail(WsdXmlBail.Malformed);
            }

            if (raw.IndexOfAny((byte)'&', (byte)'\r') < 0)
            {
                range = new WsdXmlRange(start, length);
            }
            else if (!Decode(start, length, cdata, attribute: false, out range))
            {
                return Fail(WsdXmlBail.Malformed);
            }
        }

        ref var n = ref Nodes[node];
        if (n.FirstChild >= 0 || range.Length == 0)
        {
            return true; // Text beside child elements is not read by the WS-Discovery reader.
        }

        if (!n.HasText)
        {
            n.HasText = true;
            n.Text = range;
            return true;
        }

        // A second chunk (after a comment or CDATA section): concatenate in the scratch area.
        if (n.Text.Start + n.Text.Length != Used || n.Text.Start < _end)
        {
            var copy = Reserve(n.Text.Length);
            Buffer.AsSpan(n.Text.Start, n.Text.Length).CopyTo(Buffer.AsSpan(copy));
            n.Text = new WsdXmlRange(copy, n.Text.Length);
        }

        var at = Reserve(range.Length);
        Buffer.AsSpan(range.Start, range.Length).CopyTo(Buffer.AsSpan(at));
        n.Text = new WsdXmlRange(n.Text.Start, n.Text.Length + range.Length);
        return true;
    }

    private bool TryAttributeValue(int start, int length, out WsdXmlRange range)
    {
        var raw = Buffer.AsSpan(start, length);
        range = new WsdXmlRange(start, length);
        if (raw.IndexOf((byte)'<') >= 0)
        {
            return false;
        }

        if (raw.IndexOfAny(AttrSpecials) < 0)
        {
            return true;
        }

        return IsValidChars(raw, allowWhitespaceControls: true) && Decode(start, length, cdata: false, attribute: true, out range);
    }

    /// <summary>Writes the decoded form (references expanded, line ends and, for attributes, whitespace normalised) to scratch.</summary>
    private bool Decode(int start, int length, bool cdata, bool attribute, out WsdXmlRange range)
    {
        // The decoded form is never longer than the raw form.
        var at = Reserve(length);
        var source = Buffer.AsSpan(start, length);
        var target = Buffer.AsSpan(at, length);
        var w = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            if (b == (byte)'\r')
            {
                if (i + 1 < source.Length && source[i + 1] == (byte)'\n')
                {
                    i++;
                }

                target[w++] = attribute ? (byte)' ' : (byte)'\n';
            }
            else if (attribute && (b == (byte)'\n' || b == (byte)'\t'))
            {
                target[w++] = (byte)' ';
            }
            else if (b == (byte)'&' && !cdata)
            {
                var semi = source[i..].IndexOf((byte)';');
                if (semi < 2)
                {
                    range = default;
                    return false;
                }

                var name = source.Slice(i + 1, semi - 1);
                i += semi;
                if (name.SequenceEqual("lt"u8))
                {
                    target[w++] = (byte)'<';
                }
                else if (name.SequenceEqual("gt"u8))
                {
                    target[w++] = (byte)'>';
                }
                else if (name.SequenceEqual("amp"u8))
                {
                    target[w++] = (byte)'&';
                }
                else if (name.SequenceEqual("quot"u8))
                {
                    target[w++] = (byte)'"';
                }
                else if (name.SequenceEqual("apos"u8))
                {
                    target[w++] = (byte)'\'';
                }
                else if (name[0] == (byte)'#' && TryCharReference(name[1..], out var rune))
                {
                    // A character reference is never shorter than its UTF-8 encoding.
                    w += rune.EncodeToUtf8(target[w..]);
                }
                else
                {
                    range = default;
                    return false; // Undeclared entity (no DTD) or a bad character reference.
                }
            }
            else
            {
                target[w++] = b;
            }
        }

        Used = at + w;
        range = new WsdXmlRange(at, w);
        return true;
    }

    private static bool TryCharReference(ReadOnlySpan<byte> digits, out Rune rune)
    {
        rune = default;
        var hex = !digits.IsEmpty && digits[0] == (byte)'x';
        if (hex)
        {
            digits = digits[1..];
        }

        if (digits.IsEmpty || digits.Length > 8)
        {
            return false;
        }

        var value = 0;
        foreach (var d in digits)
        {
            int v;
            if (d is >= (byte)'0' and <= (byte)'9')
            {
                v = d - '0';
            }
            else if (hex && d is >= (byte)'a' and <= (byte)'f')
            {
                v = d - 'a' + 10;
            }
            else if (hex && d is >= (byte)'A' and <= (byte)'F')
            {
                v = d - 'A' + 10;
            }
            else
            {
                return false;
            }

            value = (value * (hex ? 16 : 10)) + v;
        }

        var legal = value is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
        if (!legal)
        {
            return false;
        }

        rune = new Rune(value);
        return true;
    }

    private int Reserve(int length)
    {
        if (Used + length > Buffer.Length)
        {
            var grown = new byte[Math.Max(Buffer.Length * 2, Used + length + 256)];
            Buffer.AsSpan(0, Used).CopyTo(grown);
            Buffer = grown;
        }

        var at = Used;
        Used += length;
        return at;
    }

    /// <summary>UTF-8 well-formed, and only XML 1.0 characters (no C0 controls but tab/LF/CR, no U+FFFE/U+FFFF).</summary>
    private static bool IsValidChars(ReadOnlySpan<byte> span, bool allowWhitespaceControls)
    {
        foreach (var b in span)
        {
            if (b < 0x20 && !(allowWhitespaceControls && (b == 0x09 || b == 0x0A || b == 0x0D)))
            {
                return false;
            }
        }

        if (Ascii.IsValid(span))
        {
            return true;
        }

        return Utf8.IsValid(span) && span.IndexOf(NonCharFffe) < 0 && span.IndexOf(NonCharFfff) < 0;
    }

    private bool ScanQName(out int colon)
    {
        colon = -1;
        var start = _pos;
        var expectStart = true;
        while (_pos < _end)
        {
            var b = Buffer[_pos];
            if (b < 0x80)
            {
                if (b == (byte)':')
                {
                    if (colon >= 0 || expectStart)
                    {
                        return Fail(WsdXmlBail.Malformed);
                    }

                    colon = _pos++;
                    expectStart = true;
                    continue;
                }

                var ok = expectStart ? IsAsciiNameStart(b) : IsAsciiNameChar(b);
                if (!ok)
                {
                    break;
                }

                _pos++;
            }
            else
            {
                if (Rune.DecodeFromUtf8(Buffer.AsSpan(_pos, _end - _pos), out var rune, out var consumed) != OperationStatus.Done || rune.Value > 0xFFFF)
                {
                    return Fail(WsdXmlBail.Unsupported);
                }

                var c = (char)rune.Value;
                if (!(expectStart ? XmlConvert.IsStartNCNameChar(c) : XmlConvert.IsNCNameChar(c)))
                {
                    return Fail(WsdXmlBail.Malformed);
                }

                _pos += consumed;
            }

            expectStart = false;
        }

        if (_pos == start || expectStart)
        {
            return Fail(WsdXmlBail.Malformed);
        }

        return true;
    }

    private bool SkipWs()
    {
        var start = _pos;
        while (_pos < _end && IsWs(Buffer[_pos]))
        {
            _pos++;
        }

        return _pos > start;
    }

    private bool StartsWith(ReadOnlySpan<byte> literal) =>
        _end - _pos >= literal.Length && Buffer.AsSpan(_pos, literal.Length).SequenceEqual(literal);

    public static bool IsWs(byte b) => b is 0x20 or 0x09 or 0x0A or 0x0D;

    private static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsAsciiNameStart(byte b) => IsAsciiLetter(b) || b == (byte)'_';

    private static bool IsAsciiNameChar(byte b) => IsAsciiLetter(b) || b == (byte)'_' || b == (byte)'-' || b == (byte)'.' || (uint)(b - '0') <= 9;

    private static byte[] BuildSpecials(bool includeWhitespaceControls)
    {
        var list = new List<byte>();
        for (var b = 0; b < 0x20; b++)
        {
            if (includeWhitespaceControls || (b != 0x09 && b != 0x0A))
            {
                list.Add((byte)b);
            }
        }

        list.Add((byte)'&');
        list.Add((byte)'>');
        for (var b = 0x80; b <= 0xFF; b++)
        {
            list.Add((byte)b);
        }

        return [.. list];
    }

    /// <summary>Re-serialises a document <see cref="SafeXml"/> accepted as UTF-8 that this parser understands.</summary>
    public static byte[] Reserialize(System.Xml.Linq.XDocument document)
    {
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            OmitXmlDeclaration = true,
            Indent = false,
            NewLineHandling = NewLineHandling.Entitize,
            CloseOutput = false,
        };
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Root!.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
