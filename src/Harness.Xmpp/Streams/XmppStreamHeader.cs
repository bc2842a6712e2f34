using System.Xml.Linq;

namespace Harness.Xmpp.Streams;

/// <summary>The attributes of a peer's <c>&lt;stream:stream&gt;</c> opening tag (RFC 6120 §4.7).</summary>
/// <param name="From">The <c>from</c> attribute, or null.</param>
/// <param name="To">The <c>to</c> attribute, or null.</param>
/// <param name="Id">The <c>id</c> attribute (the stream id), or null.</param>
/// <param name="Version">The <c>version</c> attribute, or null (a pre-RFC 3920 or XEP-0114 stream).</param>
/// <param name="Language">The <c>xml:lang</c> attribute, or null.</param>
/// <param name="ContentNamespace">The default namespace declared on the stream element (<c>jabber:client</c> ...).</param>
/// <param name="Attributes">Every attribute as read, namespace declarations included.</param>
public sealed record XmppStreamHeader(
    string? From,
    string? To,
    string? Id,
    string? Version,
    string? Language,
    XNamespace ContentNamespace,
    IReadOnlyDictionary<XName, string> Attributes);
