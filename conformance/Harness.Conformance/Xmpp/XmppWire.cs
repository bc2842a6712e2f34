using System.Net;
using System.Text;
using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Xml;
using Harness.Xmpp.Core;

namespace Harness.Conformance.Xmpp;

/// <summary>What a top-level item of an XMPP stream is.</summary>
internal enum XmppWireKind
{
    /// <summary>A stream header (<c>&lt;stream:stream ...&gt;</c>), opened again after STARTTLS and SASL.</summary>
    Header,

    /// <summary>A complete top-level element: a stanza, stream features, a SASL or TLS element, a stream error.</summary>
    Element,

    /// <summary>The closing <c>&lt;/stream:stream&gt;</c>.</summary>
    StreamEnd,
}

/// <summary>One direction of one TCP connection carrying XMPP, as recorded (live) or reassembled (capture).</summary>
/// <param name="Index">The flow's number in the session.</param>
/// <param name="Source">The sending side.</param>
/// <param name="Destination">The receiving side.</param>
/// <param name="Direction">Inbound or outbound, seen from the harness (the first record's).</param>
internal sealed record XmppFlow(int Index, IPEndPoint Source, IPEndPoint Destination, TrafficDirection Direction)
{
    /// <summary>The items of the flow, in order.</summary>
    public List<XmppWireItem> Items { get; } = [];

    /// <summary>The last stream header's <c>from</c> (the server's domain on a server-to-client flow), or null.</summary>
    public string? HeaderFrom => Items.LastOrDefault(i => i.Kind == XmppWireKind.Header)?.Element?.Attribute("from")?.Value;

    /// <summary>The last stream header's <c>to</c> (the server's domain on a client-to-server flow), or null.</summary>
    public string? HeaderTo => Items.LastOrDefault(i => i.Kind == XmppWireKind.Header)?.Element?.Attribute("to")?.Value;
}

/// <summary>
/// One top-level item of an XMPP stream with the record it completed in. <see cref="Order"/> orders items across
/// flows (the record's sequence, then the position inside the record).
/// </summary>
internal sealed record XmppWireItem(XmppWireKind Kind, XElement? Element, TrafficRecord Record, XmppFlow Flow, long Order)
{
    /// <summary>The element's local name (<c>iq</c>, <c>presence</c>, <c>features</c>...), or empty.</summary>
    public string Name => Element?.Name.LocalName ?? string.Empty;

    /// <summary>True for an element in a stanza namespace (jabber:client, jabber:server, jabber:component:accept or none).</summary>
    public bool IsStanza => Kind == XmppWireKind.Element && Element is not null
        && Name is "iq" or "presence" or "message"
        && (Element.Name.Namespace == XNamespace.None || XmppNamespaces.IsContentNamespace(Element.Name.Namespace));

    public string? Type => Attr("type");

    public string? Id => Attr("id");

    public string? From => Attr("from");

    public string? To => Attr("to");

    private string? Attr(string name) => Element?.Attribute(name)?.Value;
}

/// <summary>
/// Reads XMPP streams out of traffic records: groups TCP records by direction of a connection, joins their bytes,
/// splits the text into top-level items (stream headers, elements, stream ends) and parses each element with the
/// namespaces of the stream header in force. The same code reads the per-chunk records of the live judge and the
/// reassembled chunks of a capture. Hostile input: bounded bytes per flow, bounded nesting, DTDs never parsed; an
/// element that does not parse is skipped.
/// </summary>
internal static class XmppWire
{
    private const int MaxCharsPerFlow = 8 * 1024 * 1024;
    private const int MaxDepth = 64;
    private const int MaxItemsPerFlow = 100_000;
    private const string DefaultDeclarations = "xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\"";

    /// <summary>True when a record belongs to XMPP: labelled <c>xmpp</c>, or unlabelled TCP that starts like an XMPP stream.</summary>
    public static bool IsXmppRecord(TrafficRecord record) =>
        record.Transport == TrafficTransport.Tcp
        && (string.Equals(record.Protocol, Protocols.Xmpp, StringComparison.Ordinal) || (record.Protocol is null && LooksLikeXmpp(record.Payload.Span)));

    /// <summary>True when the bytes look like the start of an XMPP stream or a stanza.</summary>
    public static bool LooksLikeXmpp(ReadOnlySpan<byte> payload)
    {
        var head = payload[..Math.Min(payload.Length, 512)];
        return head.IndexOf("stream:stream"u8) >= 0 || head.IndexOf("jabber:client"u8) >= 0 || head.IndexOf("jabber:component:accept"u8) >= 0;
    }

    /// <summary>Reads every XMPP flow of the records (in sequence order).</summary>
    public static IReadOnlyList<XmppFlow> ReadFlows(IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var byFlow = new Dictionary<(IPEndPoint, IPEndPoint), List<TrafficRecord>>();
        var labelled = new HashSet<(IPEndPoint, IPEndPoint)>();
        foreach (var record in records.OrderBy(r => r.Sequence))
        {
            if (record.Transport != TrafficTransport.Tcp)
            {
                continue;
            }

            var key = (record.Source, record.Destination);
            if (!byFlow.TryGetValue(key, out var list))
            {
                // An unlabelled TCP flow counts when its first chunk looks like XMPP; a labelled one always does.
                if (!IsXmppRecord(record))
                {
                    continue;
                }

                list = [];
                byFlow[key] = list;
            }

            if (string.Equals(record.Protocol, Protocols.Xmpp, StringComparison.Ordinal))
            {
                labelled.Add(key);
            }

            list.Add(record);
        }

        var flows = new List<XmppFlow>();
        foreach (var (key, list) in byFlow.OrderBy(p => p.Value[0].Sequence))
        {
            var flow = new XmppFlow(flows.Count, key.Item1, key.Item2, list[0].Direction);
            Read(flow, list);
            flows.Add(flow);
        }

        return flows;
    }

    /// <summary>Reads the items of one record on its own (for a timeline line): no header context, jabber:client assumed.</summary>
    public static IReadOnlyList<XmppWireItem> ReadSingle(TrafficRecord record)
    {
        var flow = new XmppFlow(0, record.Source, record.Destination, record.Direction);
        Read(flow, [record]);
        return flow.Items;
    }

    private static void Read(XmppFlow flow, IReadOnlyList<TrafficRecord> records)
    {
        var text = new StringBuilder();
        var ends = new List<int>(records.Count);
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        foreach (var record in records)
        {
            if (text.Length < MaxCharsPerFlow)
            {
                var bytes = record.Payload.Span;
                var chars = new char[decoder.GetCharCount(bytes, flush: false)];
                var count = decoder.GetChars(bytes, chars, flush: false);
                text.Append(chars, 0, Math.Min(count, MaxCharsPerFlow - text.Length));
            }

            ends.Add(text.Length);
        }

        Tokenize(flow, text.ToString(), records, ends);
    }

    private static void Tokenize(XmppFlow flow, string text, IReadOnlyList<TrafficRecord> records, List<int> ends)
    {
        var declarations = DefaultDeclarations;
        var i = 0;
        var depth = 0;
        var elementStart = -1;
        var recordIndex = 0;
        var inRecord = 0;
        void Emit(XmppWireKind kind, XElement? element, int end)
        {
            var previous = recordIndex;
            while (recordIndex < ends.Count - 1 && ends[recordIndex] < end)
            {
                recordIndex++;
            }

            inRecord = recordIndex == previous ? inRecord + 1 : 0;
            var record = records[recordIndex];
            flow.Items.Add(new XmppWireItem(kind, element, record, flow, (record.Sequence * 1000) + Math.Min(inRecord, 999)));
        }

        while (i < text.Length && flow.Items.Count < MaxItemsPerFlow)
        {
            var lt = text.IndexOf('<', i);
            if (lt < 0)
            {
                break;
            }

            if (Starts(text, lt, "<?"))
            {
                var end = text.IndexOf("?>", lt + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                i = end + 2;
                continue;
            }

            if (Starts(text, lt, "<!--"))
            {
                var end = text.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                i = end + 3;
                continue;
            }

            if (Starts(text, lt, "<![CDATA["))
            {
                var end = text.IndexOf("]]>", lt + 9, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                i = end + 3;
                continue;
            }

            if (Starts(text, lt, "<!"))
            {
                // A DTD or other declaration: never allowed in XMPP; skipped, never parsed.
                var end = text.IndexOf('>', lt);
                if (end < 0)
                {
                    break;
                }

                i = end + 1;
                continue;
            }

            if (Starts(text, lt, "</"))
            {
                var end = text.IndexOf('>', lt);
                if (end < 0)
                {
                    break;
                }

                i = end + 1;
                if (depth == 0)
                {
                    Emit(XmppWireKind.StreamEnd, null, i);
                    continue;
                }

                depth--;
                if (depth == 0)
                {
                    Emit(XmppWireKind.Element, ParseElement(text[elementStart..i], declarations), i);
                }

                continue;
            }

            var close = TagEnd(text, lt + 1);
            if (close < 0)
            {
                break;
            }

            var selfClosing = text[close - 1] == '/';
            var name = TagName(text, lt + 1);
            i = close + 1;
            if (depth == 0 && !selfClosing && LocalName(name) == "stream")
            {
                var header = ParseHeader(text[lt..i]);
                if (header is not null)
                {
                    var declared = header.Attributes().Where(a => a.IsNamespaceDeclaration).ToList();
                    if (declared.Count > 0)
                    {
                        declarations = string.Join(' ', declared.Select(a => a.ToString()));
                    }
                }

                Emit(XmppWireKind.Header, header, i);
                continue;
            }

            if (depth == 0)
            {
                elementStart = lt;
                if (selfClosing)
                {
                    Emit(XmppWireKind.Element, ParseElement(text[lt..i], declarations), i);
                    continue;
                }
            }

            if (!selfClosing)
            {
                depth++;
                if (depth > MaxDepth)
                {
                    break; // hostile nesting: stop reading this flow
                }
            }
        }
    }

    private static bool Starts(string text, int at, string prefix) =>
        string.CompareOrdinal(text, at, prefix, 0, prefix.Length) == 0;

    // The index of the '>' that ends the tag starting at 'from' (quotes respected), or -1.
    private static int TagEnd(string text, int from)
    {
        var quote = '\0';
        for (var j = from; j < text.Length; j++)
        {
            var c = text[j];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return j;
            }
        }

        return -1;
    }

    private static string TagName(string text, int from)
    {
        var end = from;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('/' or '>'))
        {
            end++;
        }

        return text[from..end];
    }

    private static string LocalName(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? name : name[(colon + 1)..];
    }

    private static XElement? ParseHeader(string tag)
    {
        var selfClosed = tag[..^1].TrimEnd() + "/>";
        var loaded = SafeXml.Load(Encoding.UTF8.GetBytes(selfClosed));
        return loaded.Document?.Root is { } root ? new XElement(root) : null;
    }

    private static XElement? ParseElement(string slice, string declarations)
    {
        var loaded = SafeXml.Load(Encoding.UTF8.GetBytes("<harness-wrap " + declarations + ">" + slice + "</harness-wrap>"));
        return loaded.Document?.Root?.Elements().FirstOrDefault() is { } element ? new XElement(element) : null;
    }
}
