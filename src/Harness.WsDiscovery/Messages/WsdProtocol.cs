namespace Harness.WsDiscovery.Messages;

/// <summary>The two WS-Discovery families that are in use.</summary>
public enum WsdVersion
{
    /// <summary>WS-Discovery April 2005 with WS-Addressing 2004/08: ONVIF, Windows WSDAPI, printers and scanners.</summary>
    V2005,

    /// <summary>OASIS WS-Discovery 1.1 (2009/01) with W3C WS-Addressing 1.0 (2005/08): DPWS 1.1.</summary>
    V11,
}

/// <summary>
/// The constants of one WS-Discovery family: namespaces, the multicast <c>wsa:To</c> URN, anonymous address,
/// actions and MatchBy URIs (checklist wsd.md §0).
/// </summary>
public sealed class WsdProtocol
{
    private WsdProtocol(WsdVersion version, string discovery, string addressing, string anonymous, string multicastTo, string defaultRule, string devicesProfile)
    {
        Version = version;
        DiscoveryNamespace = discovery;
        AddressingNamespace = addressing;
        AnonymousAddress = anonymous;
        MulticastTo = multicastTo;
        MatchByRfc = discovery + "/" + defaultRule;
        DevicesProfileNamespace = devicesProfile;
    }

    /// <summary>The April 2005 family.</summary>
    public static WsdProtocol V2005 { get; } = new(
        WsdVersion.V2005,
        "http://schemas.xmlsoap.org/ws/2005/04/discovery",
        "http://schemas.xmlsoap.org/ws/2004/08/addressing",
        "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous",
        "urn:schemas-xmlsoap-org:ws:2005:04:discovery",
        "rfc2396",
        "http://schemas.xmlsoap.org/ws/2006/02/devprof");

    /// <summary>The OASIS 1.1 (2009/01) family.</summary>
    public static WsdProtocol V11 { get; } = new(
        WsdVersion.V11,
        "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01",
        "http://www.w3.org/2005/08/addressing",
        "http://www.w3.org/2005/08/addressing/anonymous",
        "urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01",
        "rfc3986",
        "http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01");

    /// <summary>Both families.</summary>
    public static IReadOnlyList<WsdProtocol> All { get; } = [V2005, V11];

    /// <summary>The SOAP 1.2 envelope namespace (both families).</summary>
    public const string SoapEnvelopeNamespace = "http://www.w3.org/2003/05/soap-envelope";

    /// <summary>The family.</summary>
    public WsdVersion Version { get; }

    /// <summary>The discovery namespace (<c>d:</c>).</summary>
    public string DiscoveryNamespace { get; }

    /// <summary>The WS-Addressing namespace (<c>wsa:</c>).</summary>
    public string AddressingNamespace { get; }

    /// <summary>The anonymous address used as <c>wsa:To</c> of unicast replies.</summary>
    public string AnonymousAddress { get; }

    /// <summary>The <c>wsa:To</c> of multicast messages.</summary>
    public string MulticastTo { get; }

    /// <summary>The devices profile namespace (DPWS 2006/02 or DPWS 1.1).</summary>
    public string DevicesProfileNamespace { get; }

    /// <summary>The default MatchBy: <c>{ns}/rfc2396</c> for 2005, <c>{ns}/rfc3986</c> for 1.1.</summary>
    public string MatchByRfc { get; }

    /// <summary>The <c>uuid</c> MatchBy.</summary>
    public string MatchByUuid => DiscoveryNamespace + "/uuid";

    /// <summary>The <c>ldap</c> MatchBy.</summary>
    public string MatchByLdap => DiscoveryNamespace + "/ldap";

    /// <summary>The <c>strcmp0</c> MatchBy.</summary>
    public string MatchByStrcmp0 => DiscoveryNamespace + "/strcmp0";

    /// <summary>The <c>none</c> MatchBy (1.1 only); null for 2005.</summary>
    public string? MatchByNone => Version == WsdVersion.V11 ? DiscoveryNamespace + "/none" : null;

    /// <summary>The action URI of a message: <c>{ns}/{name}</c>.</summary>
    public string Action(string name) => DiscoveryNamespace + "/" + name;

    /// <summary>The Hello action.</summary>
    public string HelloAction => Action("Hello");

    /// <summary>The Bye action.</summary>
    public string ByeAction => Action("Bye");

    /// <summary>The Probe action.</summary>
    public string ProbeAction => Action("Probe");

    /// <summary>The ProbeMatches action.</summary>
    public string ProbeMatchesAction => Action("ProbeMatches");

    /// <summary>The Resolve action.</summary>
    public string ResolveAction => Action("Resolve");

    /// <summary>The ResolveMatches action.</summary>
    public string ResolveMatchesAction => Action("ResolveMatches");

    /// <summary>The discovery fault action, <c>{ns}/fault</c>.</summary>
    public string FaultAction => Action("fault");

    /// <summary>The family whose discovery namespace is <paramref name="discoveryNamespace"/>, or null.</summary>
    public static WsdProtocol? FromDiscoveryNamespace(string? discoveryNamespace) =>
        discoveryNamespace == V2005.DiscoveryNamespace ? V2005
        : discoveryNamespace == V11.DiscoveryNamespace ? V11
        : null;

    /// <summary>The family whose addressing namespace is <paramref name="addressingNamespace"/>, or null.</summary>
    public static WsdProtocol? FromAddressingNamespace(string? addressingNamespace) =>
        addressingNamespace == V2005.AddressingNamespace ? V2005
        : addressingNamespace == V11.AddressingNamespace ? V11
        : null;

    /// <summary>The family for a version.</summary>
    public static WsdProtocol For(WsdVersion version) => version == WsdVersion.V2005 ? V2005 : V11;

    /// <inheritdoc />
    public override string ToString() => Version == WsdVersion.V2005 ? "WS-Discovery 2005/04" : "WS-Discovery 1.1";
}
