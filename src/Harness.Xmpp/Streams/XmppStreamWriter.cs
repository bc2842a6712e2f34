using System.Security;
using System.Text;
using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Xmpp.Streams;

/// <summary>
/// Turns stream headers, stanzas and stream errors into the UTF-8 bytes sent on an XMPP stream. Pure and
/// deterministic: the same input gives the same bytes.
/// </summary>
public static class XmppStreamWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The closing tag <c>&lt;/stream:stream&gt;</c>.</summary>
    public static ReadOnlyMemory<byte> StreamEnd { get; } = "</stream:stream>"u8.ToArray();

    /// <summary>
    /// The XML declaration and the opening tag of a stream: <c>&lt;stream:stream xmlns='NS'
    /// xmlns:stream='http://etherx.jabber.org/streams' ...&gt;</c>, each attribute written only when not null.
    /// </summary>
    public static byte[] Header(XNamespace contentNamespace, string? to, string? from, string? id, string? version, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(contentNamespace);
        var text = new StringBuilder("<?xml version='1.0'?><stream:stream");
        Append(text, "xmlns", contentNamespace.NamespaceName);
        Append(text, "xmlns:stream", XmppNamespaces.Streams.NamespaceName);
        Append(text, "to", to);
        Append(text, "from", from);
        Append(text, "id", id);
        Append(text, "version", version);
        Append(text, "xml:lang", language);
        text.Append('>');
        return Utf8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Serializes a stanza (or any top-level element) for a stream whose default namespace is
    /// <paramref name="contentNamespace"/>: elements in any content namespace (<c>jabber:client</c>,
    /// <c>jabber:server</c>, <c>jabber:component:accept</c>) or in none are written unqualified, so they take the
    /// stream's namespace; the input is not modified.
    /// </summary>
    /// <exception cref="ArgumentException">The element holds characters XML cannot carry.</exception>
    public static byte[] Stanza(XElement stanza, XNamespace contentNamespace)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(contentNamespace);
        var copy = new XElement(stanza);
        foreach (var element in copy.DescendantsAndSelf())
        {
            var ns = element.Name.Namespace;
            // Only where the parent is itself in the stream's namespace: a jabber:client message forwarded inside
            // another namespace keeps its own declaration.
            var parentInStreamNamespace = element.Parent is null || element.Parent.Name.Namespace == XNamespace.None;
            var unqualify = parentInStreamNamespace && (XmppNamespaces.IsContentNamespace(ns) || ns == contentNamespace);
            if (unqualify)
            {
                element.Name = XName.Get(element.Name.LocalName);
            }

            var declaration = element.Attribute("xmlns");
            if (declaration is not null && (unqualify || element.Name.Namespace == XNamespace.None) && XmppNamespaces.IsContentNamespace(declaration.Value))
            {
                declaration.Remove();
            }
        }

        return Utf8.GetBytes(copy.ToString(SaveOptions.DisableFormatting | SaveOptions.OmitDuplicateNamespaces));
    }

    /// <summary>A stream error followed by the closing tag (RFC 6120 §4.9).</summary>
    public static byte[] StreamError(string condition, string? text = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(condition);
        var error = new XElement(
            XmppNamespaces.Streams + "error",
            new XAttribute(XNamespace.Xmlns + "stream", XmppNamespaces.Streams.NamespaceName),
            new XElement(XmppNamespaces.StreamErrors + condition),
            text is null ? null : new XElement(XmppNamespaces.StreamErrors + "text", text));
        return Utf8.GetBytes(error.ToString(SaveOptions.DisableFormatting) + "</stream:stream>");
    }

    private static void Append(StringBuilder text, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        text.Append(' ').Append(name).Append("='").Append(SecurityElement.Escape(value)).Append('\'');
    }
}
