using System.Xml.Linq;

namespace Harness.Dpws.Soap;

/// <summary>
/// The header blocks of a SOAP envelope: the WS-Addressing message information headers, plus every other header
/// element kept in order (<see cref="Extra"/>): echoed reference parameters such as <c>wse:Identifier</c>,
/// <c>d:AppSequence</c>, vendor headers.
/// </summary>
public sealed record SoapHeader
{
    /// <summary><c>wsa:Action</c>, trimmed; null when absent.</summary>
    public string? Action { get; init; }

    /// <summary><c>wsa:MessageID</c>.</summary>
    public string? MessageId { get; init; }

    /// <summary><c>wsa:RelatesTo</c> (replies and faults).</summary>
    public string? RelatesTo { get; init; }

    /// <summary><c>wsa:To</c>.</summary>
    public string? To { get; init; }

    /// <summary><c>wsa:ReplyTo</c>.</summary>
    public WsaEndpointReference? ReplyTo { get; init; }

    /// <summary><c>wsa:From</c>.</summary>
    public WsaEndpointReference? From { get; init; }

    /// <summary><c>wsa:FaultTo</c>.</summary>
    public WsaEndpointReference? FaultTo { get; init; }

    /// <summary>Every other header element, in document order (written after the addressing headers).</summary>
    public IReadOnlyList<XElement> Extra { get; init; } = [];

    /// <summary>
    /// The WS-Addressing namespace of the addressing headers: 2004/08 unless the peer used W3C 1.0 (written back in
    /// the same namespace).
    /// </summary>
    public string AddressingNamespace { get; init; } = DpwsNamespaces.Addressing;

    /// <summary>The first extra header named <paramref name="name"/>, or null.</summary>
    public XElement? FindExtra(XName name)
    {
        foreach (var element in Extra)
        {
            if (element.Name == name)
            {
                return element;
            }
        }

        return null;
    }

    /// <summary>The trimmed text of the first extra header named <paramref name="name"/>, or null.</summary>
    public string? ExtraValue(XName name) => FindExtra(name) is { } element ? XmlValues.Trim(element.Value) : null;
}
