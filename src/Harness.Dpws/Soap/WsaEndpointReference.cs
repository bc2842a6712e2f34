using System.Xml.Linq;

namespace Harness.Dpws.Soap;

/// <summary>
/// A WS-Addressing 2004/08 endpoint reference: an address plus the reference properties and parameters a sender
/// must echo as SOAP header blocks when it sends to the endpoint (e.g. <c>wse:Identifier</c> of a subscription).
/// </summary>
/// <param name="Address">The address URI (trimmed of XML whitespace).</param>
public sealed record WsaEndpointReference(string Address)
{
    /// <summary><c>wsa:ReferenceParameters</c> children, in order.</summary>
    public IReadOnlyList<XElement> ReferenceParameters { get; init; } = [];

    /// <summary><c>wsa:ReferenceProperties</c> children (2004/08 only), in order.</summary>
    public IReadOnlyList<XElement> ReferenceProperties { get; init; } = [];

    /// <summary>Other children kept as read (e.g. <c>wsa:PortType</c>, <c>wsa:ServiceName</c>, <c>wsa:Metadata</c>).</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>The 2004/08 anonymous endpoint.</summary>
    public static WsaEndpointReference Anonymous { get; } = new(DpwsNamespaces.AnonymousAddress);

    /// <summary>True for the anonymous address of either WS-Addressing family.</summary>
    public bool IsAnonymous =>
        Address == DpwsNamespaces.AnonymousAddress || Address == DpwsNamespaces.Anonymous10;

    /// <summary>The blocks to echo as SOAP headers when sending to this endpoint: properties, then parameters.</summary>
    public IEnumerable<XElement> HeadersToEcho => ReferenceProperties.Concat(ReferenceParameters);

    /// <summary>The trimmed text of the first reference property or parameter named <paramref name="name"/>, or null.</summary>
    public string? ReferenceValue(XName name)
    {
        foreach (var element in HeadersToEcho)
        {
            if (element.Name == name)
            {
                return XmlValues.Trim(element.Value);
            }
        }

        return null;
    }
}
