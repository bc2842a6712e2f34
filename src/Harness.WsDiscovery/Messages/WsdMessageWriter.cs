using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml;

namespace Harness.WsDiscovery.Messages;

/// <summary>
/// Writes a <see cref="WsdMessage"/> as one SOAP 1.2 envelope in UTF-8 without a byte order mark. Output is
/// deterministic: the same record always gives the same bytes. Prefixes are <c>soap</c>, <c>wsa</c> and
/// <c>d</c>; the namespaces of Types and fault-code QNames are declared on the envelope in order of first use,
/// with the QName's own <see cref="WsdQName.Prefix"/> when it is usable and unique, else <c>i0</c>, <c>i1</c>, ….
/// The writer serialises what the record holds (a simulator may deviate on purpose); it throws
/// <see cref="ArgumentException"/> only for values XML cannot carry.
/// </summary>
public static class WsdMessageWriter
{
    /// <summary>The message as UTF-8 bytes.</summary>
    public static byte[] Write(WsdMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = Utf8Writer.Shared;
        writer.Reset();
        WriteEnvelope(writer, message);
        return writer.ToArray();
    }

    /// <summary>The message as a string (the same characters as <see cref="Write"/>).</summary>
    public static string WriteString(WsdMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = Utf8Writer.Shared;
        writer.Reset();
        WriteEnvelope(writer, message);
        return writer.ToStringUtf8();
    }

    private static void WriteEnvelope(Utf8Writer w, WsdMessage message)
    {
        var protocol = message.Protocol ?? throw new ArgumentException("The message has no protocol.", nameof(message));
        var header = message.Header ?? throw new ArgumentException("The message has no header.", nameof(message));
        var prefixes = new PrefixTable(protocol);
        CollectQNames(message, ref prefixes);

        w.Raw("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\""u8);
        w.Attribute(WsdProtocol.SoapEnvelopeNamespace);
        w.Raw("\" xmlns:wsa=\""u8);
        w.Attribute(protocol.AddressingNamespace);
        w.Raw("\" xmlns:d=\""u8);
        w.Attribute(protocol.DiscoveryNamespace);
        w.Raw("\""u8);
        prefixes.WriteDeclarations(w);
        w.Raw("><soap:Header>"u8);
        Element(w, "wsa:To"u8, header.To);
        Element(w, "wsa:Action"u8, header.Action);
        Element(w, "wsa:MessageID"u8, header.MessageId);
        Element(w, "wsa:RelatesTo"u8, header.RelatesTo);
        if (header.ReplyTo is { } replyTo)
        {
            w.Raw("<wsa:ReplyTo>"u8);
            Element(w, "wsa:Address"u8, replyTo.Address);
            w.Raw("</wsa:ReplyTo>"u8);
        }

        if (header.AppSequence is { } sequence)
        {
            w.Raw("<d:AppSequence InstanceId=\""u8);
            w.Number(sequence.InstanceId);
            if (sequence.SequenceId is { } sequenceId)
            {
                w.Raw("\" SequenceId=\""u8);
                w.Attribute(sequenceId);
            }

            w.Raw("\" MessageNumber=\""u8);
            w.Number(sequence.MessageNumber);
            w.Raw("\"/>"u8);
        }

        w.Raw("</soap:Header><soap:Body>"u8);
        switch (message)
        {
            case WsdHello hello:
                w.Raw("<d:Hello>"u8);
                EndpointData(w, hello.Endpoint, ref prefixes);
                w.Raw("</d:Hello>"u8);
                break;
            case WsdBye bye:
                w.Raw("<d:Bye>"u8);
                EndpointData(w, bye.Endpoint, ref prefixes);
                w.Raw("</d:Bye>"u8);
                break;
            case WsdProbe probe:
                WriteProbe(w, probe, ref prefixes);
                break;
            case WsdProbeMatches matches:
                if (matches.Matches.Count == 0)
                {
                    w.Raw("<d:ProbeMatches/>"u8);
                    break;
                }

                w.Raw("<d:ProbeMatches>"u8);
                foreach (var match in matches.Matches)
                {
                    w.Raw("<d:ProbeMatch>"u8);
                    EndpointData(w, match, ref prefixes);
                    w.Raw("</d:ProbeMatch>"u8);
                }

                w.Raw("</d:ProbeMatches>"u8);
                break;
            case WsdResolve resolve:
                w.Raw("<d:Resolve>"u8);
                EndpointReference(w, resolve.Endpoint);
                w.Raw("</d:Resolve>"u8);
                break;
            case WsdResolveMatches resolveMatches:
                if (resolveMatches.Match is null)
                {
                    w.Raw("<d:ResolveMatches/>"u8);
                    break;
                }

                w.Raw("<d:ResolveMatches><d:ResolveMatch>"u8);
                EndpointData(w, resolveMatches.Match, ref prefixes);
                w.Raw("</d:ResolveMatch></d:ResolveMatches>"u8);
                break;
            case WsdFault fault:
                WriteFault(w, fault, ref prefixes);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} is not a WS-Discovery message this writer knows.", nameof(message));
        }

        w.Raw("</soap:Body></soap:Envelope>"u8);
    }

    private static void WriteProbe(Utf8Writer w, WsdProbe probe, ref PrefixTable prefixes)
    {
        if (probe.Types.Count == 0 && probe.Scopes.Count == 0 && probe.MatchBy is null)
        {
            w.Raw("<d:Probe/>"u8);
            return;
        }

        w.Raw("<d:Probe>"u8);
        QNameList(w, probe.Types, ref prefixes);
        if (probe.Scopes.Count > 0 || probe.MatchBy is not null)
        {
            w.Raw("<d:Scopes"u8);
            if (probe.MatchBy is { } matchBy)
            {
                w.Raw(" MatchBy=\""u8);
                w.Attribute(matchBy);
                w.Raw("\""u8);
            }

            if (probe.Scopes.Count == 0)
            {
                w.Raw("/>"u8);
            }
            else
            {
                w.Raw(">"u8);
                w.List(probe.Scopes);
                w.Raw("</d:Scopes>"u8);
            }
        }

        w.Raw("</d:Probe>"u8);
    }

    private static void WriteFault(Utf8Writer w, WsdFault fault, ref PrefixTable prefixes)
    {
        w.Raw("<soap:Fault><soap:Code><soap:Value>"u8);
        w.QName(fault.Code, ref prefixes);
        w.Raw("</soap:Value>"u8);
        if (fault.Subcode is { } subcode)
        {
            w.Raw("<soap:Subcode><soap:Value>"u8);
            w.QName(subcode, ref prefixes);
            w.Raw("</soap:Value></soap:Subcode>"u8);
        }

        w.Raw("</soap:Code><soap:Reason><soap:Text xml:lang=\"en\">"u8);
        w.Text(fault.Reason ?? string.Empty);
        w.Raw("</soap:Text></soap:Reason>"u8);
        if (fault.SupportedMatchingRules.Count > 0)
        {
            w.Raw("<soap:Detail><d:SupportedMatchingRules>"u8);
            w.List(fault.SupportedMatchingRules);
            w.Raw("</d:SupportedMatchingRules></soap:Detail>"u8);
        }

        w.Raw("</soap:Fault>"u8);
    }

    private static void EndpointData(Utf8Writer w, WsdEndpointData data, ref PrefixTable prefixes)
    {
        ArgumentNullException.ThrowIfNull(data);
        EndpointReference(w, data.Endpoint);
        QNameList(w, data.Types, ref prefixes);
        if (data.Scopes.Count > 0)
        {
            w.Raw("<d:Scopes>"u8);
            w.List(data.Scopes);
            w.Raw("</d:Scopes>"u8);
        }

        if (data.XAddrs.Count > 0)
        {
            w.Raw("<d:XAddrs>"u8);
            w.List(data.XAddrs);
            w.Raw("</d:XAddrs>"u8);
        }

        if (data.MetadataVersion is { } version)
        {
            w.Raw("<d:MetadataVersion>"u8);
            w.Number(version);
            w.Raw("</d:MetadataVersion>"u8);
        }
    }

    private static void EndpointReference(Utf8Writer w, WsdEndpointReference endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        w.Raw("<wsa:EndpointReference><wsa:Address>"u8);
        w.Text(endpoint.Address ?? string.Empty);
        w.Raw("</wsa:Address></wsa:EndpointReference>"u8);
    }

    private static void QNameList(Utf8Writer w, IReadOnlyList<WsdQName> names, ref PrefixTable prefixes)
    {
        if (names.Count == 0)
        {
            return;
        }

        w.Raw("<d:Types>"u8);
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                w.Raw(" "u8);
            }

            w.QName(names[i], ref prefixes);
        }

        w.Raw("</d:Types>"u8);
    }

    private static void Element(Utf8Writer w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            return;
        }

        w.Raw("<"u8);
        w.Raw(name);
        w.Raw(">"u8);
        w.Text(value);
        w.Raw("</"u8);
        w.Raw(name);
        w.Raw(">"u8);
    }

    private static void CollectQNames(WsdMessage message, ref PrefixTable prefixes)
    {
        switch (message)
        {
            case WsdHello hello:
                prefixes.AddAll(hello.Endpoint?.Types);
                break;
            case WsdBye bye:
                prefixes.AddAll(bye.Endpoint?.Types);
                break;
            case WsdProbe probe:
                prefixes.AddAll(probe.Types);
                break;
            case WsdProbeMatches matches:
                foreach (var match in matches.Matches ?? [])
                {
                    prefixes.AddAll(match?.Types);
                }

                break;
            case WsdResolveMatches resolveMatches:
                prefixes.AddAll(resolveMatches.Match?.Types);
                break;
            case WsdFault fault:
                if (fault.Code is not null)
                {
                    prefixes.Add(fault.Code);
                }

                if (fault.Subcode is not null)
                {
                    prefixes.Add(fault.Subcode);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Namespace → prefix for QName values, in order of first use; allocates only when extra namespaces exist.</summary>
    private struct PrefixTable(WsdProtocol protocol)
    {
        private readonly WsdProtocol _protocol = protocol;
        private List<(string Namespace, string Prefix)>? _extra;

        public void AddAll(IReadOnlyList<WsdQName>? names)
        {
            if (names is null)
            {
                return;
            }

            for (var i = 0; i < names.Count; i++)
            {
                Add(names[i] ?? throw new ArgumentException("A Types list holds a null QName."));
            }
        }

        public void Add(WsdQName name)
        {
            if (string.IsNullOrEmpty(name.Namespace) || Fixed(name.Namespace) is not null || Find(name.Namespace) is not null)
            {
                return;
            }

            _extra ??= [];
            var wanted = name.Prefix;
            if (wanted is not null && IsUsable(wanted) && !HasPrefix(wanted))
            {
                _extra.Add((name.Namespace, wanted));
                return;
            }

            for (var n = 0; ; n++)
            {
                var generated = "i" + n.ToString(CultureInfo.InvariantCulture);
                if (!HasPrefix(generated))
                {
                    _extra.Add((name.Namespace, generated));
                    return;
                }
            }
        }

        public readonly string? PrefixFor(string ns) => Fixed(ns) ?? Find(ns);

        public readonly void WriteDeclarations(Utf8Writer w)
        {
            if (_extra is null)
            {
                return;
            }

            foreach (var (ns, prefix) in _extra)
            {
                w.Raw(" xmlns:"u8);
                w.Text(prefix);
                w.Raw("=\""u8);
                w.Attribute(ns);
                w.Raw("\""u8);
            }
        }

        private readonly bool HasPrefix(string prefix)
        {
            foreach (var (_, p) in _extra!)
            {
                if (p == prefix)
                {
                    return true;
                }
            }

            return false;
        }

        private readonly string? Fixed(string ns) =>
            ns == WsdProtocol.SoapEnvelopeNamespace ? "soap"
            : ns == _protocol.AddressingNamespace ? "wsa"
            : ns == _protocol.DiscoveryNamespace ? "d"
            : null;

        private readonly string? Find(string ns)
        {
            if (_extra is null)
            {
                return null;
            }

            foreach (var (n, p) in _extra)
            {
                if (n == ns)
                {
                    return p;
                }
            }

            return null;
        }

        private static bool IsUsable(string prefix)
        {
            if (prefix.Length == 0 || prefix is "soap" or "wsa" or "d" || prefix.StartsWith("xml", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            try
            {
                XmlConvert.VerifyNCName(prefix);
                return true;
            }
            catch (XmlException)
            {
                return false;
            }
        }
    }

    /// <summary>A growable UTF-8 buffer reused per thread, with XML escaping.</summary>
    private sealed class Utf8Writer
    {
        private static readonly SearchValues<char> Specials = SearchValues.Create(BuildSpecials());

        [ThreadStatic]
        private static Utf8Writer? t_shared;

        private byte[] _buffer = new byte[4096];
        private int _length;

        public static Utf8Writer Shared => t_shared ??= new Utf8Writer();

        public void Reset() => _length = 0;

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        public string ToStringUtf8() => Encoding.UTF8.GetString(_buffer, 0, _length);

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public void Number(ulong value)
        {
            Ensure(20);
            value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
            _length += written;
        }

        public void Text(string value) => Escaped(value, attribute: false);

        public void Attribute(string value) => Escaped(value, attribute: true);

        public void QName(WsdQName name, ref PrefixTable prefixes)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (string.IsNullOrEmpty(name.LocalName))
            {
                throw new ArgumentException("A QName has an empty local name.", nameof(name));
            }

            try
            {
                XmlConvert.VerifyNCName(name.LocalName);
            }
            catch (XmlException ex)
            {
                throw new ArgumentException($"'{name.LocalName}' is not a valid local name.", nameof(name), ex);
            }

            if (!string.IsNullOrEmpty(name.Namespace))
            {
                Text(prefixes.PrefixFor(name.Namespace)!);
                Raw(":"u8);
            }

            Text(name.LocalName);
        }

        public void List(IReadOnlyList<string> items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                if (string.IsNullOrEmpty(item) || item.AsSpan().IndexOfAny(" \t\r\n") >= 0)
                {
                    throw new ArgumentException($"'{item}' cannot be written as one item of a whitespace-separated list.", nameof(items));
                }

                if (i > 0)
                {
                    Raw(" "u8);
                }

                Text(item);
            }
        }

        private void Escaped(string value, bool attribute)
        {
            ArgumentNullException.ThrowIfNull(value);
            Ensure(Encoding.UTF8.GetMaxByteCount(value.Length));
            var span = value.AsSpan();
            if (span.IndexOfAny(Specials) < 0)
            {
                _length += Encoding.UTF8.GetBytes(span, _buffer.AsSpan(_length));
                return;
            }

            for (var i = 0; i < span.Length; i++)
            {
                var c = span[i];
                switch (c)
                {
                    case '&':
                        Raw("&amp;"u8);
                        continue;
                    case '<':
                        Raw("&lt;"u8);
                        continue;
                    case '>':
                        Raw("&gt;"u8);
                        continue;
                    case '"' when attribute:
                        Raw("&quot;"u8);
                        continue;
                    case '\t' when attribute:
                        Raw("&#x9;"u8);
                        continue;
                    case '\n' when attribute:
                        Raw("&#xA;"u8);
                        continue;
                    case '\r':
                        Raw("&#xD;"u8);
                        continue;
                    default:
                        break;
                }

                if (c < 0x20 && c != '\t' && c != '\n')
                {
                    throw new ArgumentException($"The character U+{(int)c:X4} cannot be written in XML 1.0.", nameof(value));
                }

                if (c is '\uFFFE' or '\uFFFF')
                {
                    throw new ArgumentException($"The character U+{(int)c:X4} cannot be written in XML 1.0.", nameof(value));
                }

                if (char.IsSurrogate(c))
                {
                    if (!char.IsHighSurrogate(c) || i + 1 >= span.Length || !char.IsLowSurrogate(span[i + 1]))
                    {
                        throw new ArgumentException("The string holds an unpaired surrogate.", nameof(value));
                    }

                    Ensure(4);
                    _length += Encoding.UTF8.GetBytes(span.Slice(i, 2), _buffer.AsSpan(_length));
                    i++;
                    continue;
                }

                Ensure(3);
                _length += Encoding.UTF8.GetBytes(span.Slice(i, 1), _buffer.AsSpan(_length));
            }
        }

        private void Ensure(int extra)
        {
            if (_length + extra > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
            }
        }

        private static string BuildSpecials()
        {
            var chars = new StringBuilder("&<>\"\r\t\n\uFFFE\uFFFF");
            for (var c = 0; c < 0x20; c++)
            {
                chars.Append((char)c);
            }

            for (var c = 0xD800; c <= 0xDFFF; c++)
            {
                chars.Append((char)c);
            }

            return chars.ToString();
        }
    }
}
