using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Recording;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Conformance.Xmpp;

/// <summary>Timeline lines for XMPP records: what each stanza or stream element in a record is.</summary>
internal static class XmppSummary
{
    public static string? Describe(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!XmppWire.IsXmppRecord(record))
        {
            return null;
        }

        var items = XmppWire.ReadSingle(record);
        if (items.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"xmpp stream data, {record.Payload.Length} bytes");
        }

        var first = string.Join(" \u00b7 ", items.Take(2).Select(Describe));
        return items.Count > 2 ? first + string.Create(CultureInfo.InvariantCulture, $" (+{items.Count - 2} more)") : first;
    }

    private static string Describe(XmppWireItem item)
    {
        switch (item.Kind)
        {
            case XmppWireKind.Header:
                return "stream header" + Attr(item.Element, "to", " to=") + Attr(item.Element, "from", " from=");
            case XmppWireKind.StreamEnd:
                return "stream end";
        }

        var element = item.Element;
        if (element is null)
        {
            return "unparsable element";
        }

        var ns = element.Name.Namespace;
        if (ns == XmppNamespaces.Streams)
        {
            return element.Name.LocalName == "features"
                ? "stream features: " + string.Join(", ", element.Elements().Select(e => e.Name.LocalName))
                : "stream " + element.Name.LocalName;
        }

        if (ns == XmppNamespaces.Sasl)
        {
            return "sasl " + element.Name.LocalName + Attr(element, "mechanism", " ");
        }

        if (ns == XmppNamespaces.Tls)
        {
            return "tls " + element.Name.LocalName;
        }

        switch (element.Name.LocalName)
        {
            case "iq":
                return DescribeIq(element);
            case "presence":
                return DescribePresence(element);
            case "message":
                return "message" + Attr(element, "type", " ") + Attr(element, "from", " from ") + Attr(element, "to", " to ");
            default:
                return "<" + element.Name.LocalName + "> {" + ns.NamespaceName + "}";
        }
    }

    private static string DescribeIq(XElement iq)
    {
        var type = (string?)iq.Attribute("type") ?? "(no type)";
        var payload = iq.Elements().FirstOrDefault(e => e.Name.LocalName != "error");
        var text = "iq " + type;
        if (payload is not null)
        {
            text += " " + XmppExchange.PayloadLabel(payload) + Attr(payload, "node", " node=");
            if (payload.Name == DiscoCodec.InfoQueryName && type == "result")
            {
                text += string.Create(CultureInfo.InvariantCulture, $" ({payload.Elements(DiscoCodec.InfoNamespace + "identity").Count()} identities, {payload.Elements(DiscoCodec.InfoNamespace + "feature").Count()} features)");
            }
            else if (payload.Name == DiscoCodec.ItemsQueryName && type == "result")
            {
                text += string.Create(CultureInfo.InvariantCulture, $" ({payload.Elements(DiscoCodec.ItemsNamespace + "item").Count()} items)");
            }
        }

        if (type == "error" && iq.Elements().FirstOrDefault(e => e.Name.LocalName == "error") is { } error)
        {
            text += " " + (error.Elements().FirstOrDefault(e => e.Name.Namespace == XmppNamespaces.Stanzas && e.Name.LocalName != "text")?.Name.LocalName ?? "(no condition)")
                + Attr(error, "type", " type=");
        }

        return text + Attr(iq, "to", " to ") + Attr(iq, "from", " from ");
    }

    private static string DescribePresence(XElement presence)
    {
        var text = "presence" + Attr(presence, "type", " ");
        if (CapsElement.Read115(presence) is { } caps)
        {
            text += " caps" + (caps.Ver is null ? string.Empty : " ver=" + caps.Ver) + (caps.Hash is null ? " (no hash)" : string.Empty);
        }

        if (CapsElement.Read390(presence) is { } hashes)
        {
            text += " caps2 " + string.Join(',', hashes.Select(h => h.Algorithm));
        }

        return text + Attr(presence, "from", " from ") + Attr(presence, "to", " to ");
    }

    private static string Attr(XElement? element, string name, string prefix) =>
        element?.Attribute(name)?.Value is { } value ? prefix + value : string.Empty;
}
