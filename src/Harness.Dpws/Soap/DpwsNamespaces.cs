namespace Harness.Dpws.Soap;

/// <summary>
/// The namespace URIs of the 2005/04-era protocol family that Windows WSDAPI and real WSD devices use (checklist
/// wsd.md §0): SOAP 1.2, WS-Addressing 2004/08, DPWS 2006/02 (devprof), WS-Transfer and WS-MetadataExchange 2004/09,
/// WS-Eventing 2004/08, XOP; plus the few neighbours a lenient reader recognises.
/// </summary>
public static class DpwsNamespaces
{
    /// <summary>SOAP 1.2 envelope (<c>soap:</c>).</summary>
    public const string Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    /// <summary>SOAP 1.1 envelope: not used by DPWS; read leniently and answered with VersionMismatch.</summary>
    public const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>WS-Addressing 2004/08 (<c>wsa:</c>), the DPWS 2006 family.</summary>
    public const string Addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing";

    /// <summary>W3C WS-Addressing 1.0 (2005/08), the DPWS 1.1 family; understood when read, never written by default.</summary>
    public const string Addressing10 = "http://www.w3.org/2005/08/addressing";

    /// <summary>The 2004/08 anonymous address: replies travel on the HTTP response.</summary>
    public const string AnonymousAddress = Addressing + "/role/anonymous";

    /// <summary>The W3C 1.0 anonymous address.</summary>
    public const string Anonymous10 = Addressing10 + "/anonymous";

    /// <summary>The Action of WS-Addressing, WS-Eventing and DPWS faults (2004/08).</summary>
    public const string AddressingFaultAction = Addressing + "/fault";

    /// <summary>Devices Profile for Web Services, February 2006 (<c>wsdp:</c>).</summary>
    public const string Devprof = "http://schemas.xmlsoap.org/ws/2006/02/devprof";

    /// <summary>DPWS 1.1 (<c>dpws:</c>); its metadata is understood when read.</summary>
    public const string Dpws11 = "http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01";

    /// <summary>WS-Transfer 2004/09 (<c>wxf:</c>).</summary>
    public const string Transfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer";

    /// <summary>WS-MetadataExchange 2004/09 (<c>wsx:</c> / <c>mex:</c>).</summary>
    public const string Mex = "http://schemas.xmlsoap.org/ws/2004/09/mex";

    /// <summary>WS-Eventing 2004/08 (<c>wse:</c>), used by both DPWS families.</summary>
    public const string Eventing = "http://schemas.xmlsoap.org/ws/2004/08/eventing";

    /// <summary>XOP include (<c>xop:</c>).</summary>
    public const string Xop = "http://www.w3.org/2004/08/xop/include";

    /// <summary>The <c>xml:</c> namespace (for <c>xml:lang</c>).</summary>
    public const string Xml = "http://www.w3.org/XML/1998/namespace";

    /// <summary>WS-Discovery April 2005 (<c>d:</c>).</summary>
    public const string Discovery2005 = "http://schemas.xmlsoap.org/ws/2005/04/discovery";

    /// <summary>WS-Discovery 1.1.</summary>
    public const string Discovery11 = "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01";

    /// <summary>WS-Scan (<c>wscn:</c>), 2006/08 as real devices use it.</summary>
    public const string Scan = "http://schemas.microsoft.com/windows/2006/08/wdp/scan";

    /// <summary>WS-Print (<c>wprt:</c>).</summary>
    public const string Print = "http://schemas.microsoft.com/windows/2006/08/wdp/print";

    /// <summary>PnP-X (<c>pnpx:</c>) metadata extensions.</summary>
    public const string Pnpx = "http://schemas.microsoft.com/windows/pnpx/2005/10";

    /// <summary>Windows publication service (<c>pub:</c>), e.g. <c>pub:Computer</c>.</summary>
    public const string Pub = "http://schemas.microsoft.com/windows/pub/2005/07";

    /// <summary>
    /// The namespaces a reader knows: an <c>https://</c> spelling of any of them is understood as the <c>http://</c>
    /// original and reported (quirk Q-HTTPS-NS).
    /// </summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        Soap12, Soap11, Addressing, Addressing10, Devprof, Dpws11, Transfer, Mex, Eventing, Xop, Discovery2005, Discovery11,
        Scan, Print, Pnpx, Pub,
    ];

    /// <summary>The conventional prefix of a known namespace (used by writers for QName values), or null.</summary>
    public static string? PreferredPrefix(string namespaceUri) => namespaceUri switch
    {
        Soap12 or Soap11 => "soap",
        Addressing or Addressing10 => "wsa",
        Devprof => "wsdp",
        Dpws11 => "dpws",
        Transfer => "wxf",
        Mex => "wsx",
        Eventing => "wse",
        Xop => "xop",
        Discovery2005 or Discovery11 => "d",
        Scan => "wscn",
        Print => "wprt",
        Pnpx => "pnpx",
        Pub => "pub",
        _ => null,
    };
}

/// <summary>The action URIs, dialects and relationship types of WS-Transfer, WS-Eventing and DPWS (2006/02).</summary>
public static class DpwsActions
{
    /// <summary>WS-Transfer Get (the DPWS metadata request).</summary>
    public const string TransferGet = DpwsNamespaces.Transfer + "/Get";

    /// <summary>WS-Transfer GetResponse.</summary>
    public const string TransferGetResponse = DpwsNamespaces.Transfer + "/GetResponse";

    /// <summary>WS-Eventing Subscribe.</summary>
    public const string Subscribe = DpwsNamespaces.Eventing + "/Subscribe";

    /// <summary>WS-Eventing SubscribeResponse.</summary>
    public const string SubscribeResponse = DpwsNamespaces.Eventing + "/SubscribeResponse";

    /// <summary>WS-Eventing Renew.</summary>
    public const string Renew = DpwsNamespaces.Eventing + "/Renew";

    /// <summary>WS-Eventing RenewResponse.</summary>
    public const string RenewResponse = DpwsNamespaces.Eventing + "/RenewResponse";

    /// <summary>WS-Eventing GetStatus.</summary>
    public const string GetStatus = DpwsNamespaces.Eventing + "/GetStatus";

    /// <summary>WS-Eventing GetStatusResponse.</summary>
    public const string GetStatusResponse = DpwsNamespaces.Eventing + "/GetStatusResponse";

    /// <summary>WS-Eventing Unsubscribe.</summary>
    public const string Unsubscribe = DpwsNamespaces.Eventing + "/Unsubscribe";

    /// <summary>WS-Eventing UnsubscribeResponse.</summary>
    public const string UnsubscribeResponse = DpwsNamespaces.Eventing + "/UnsubscribeResponse";

    /// <summary>WS-Eventing SubscriptionEnd.</summary>
    public const string SubscriptionEnd = DpwsNamespaces.Eventing + "/SubscriptionEnd";

    /// <summary>The push delivery mode (the only one DPWS uses).</summary>
    public const string DeliveryModePush = DpwsNamespaces.Eventing + "/DeliveryModes/Push";

    /// <summary>The DPWS Action filter dialect: a whitespace-separated list of action URIs.</summary>
    public const string ActionFilterDialect = DpwsNamespaces.Devprof + "/Action";

    /// <summary>The WS-Eventing default (XPath 1.0) filter dialect.</summary>
    public const string XPathFilterDialect = "http://www.w3.org/TR/1999/REC-xpath-19991116";

    /// <summary>Metadata section dialect of ThisModel.</summary>
    public const string ThisModelDialect = DpwsNamespaces.Devprof + "/ThisModel";

    /// <summary>Metadata section dialect of ThisDevice.</summary>
    public const string ThisDeviceDialect = DpwsNamespaces.Devprof + "/ThisDevice";

    /// <summary>Metadata section dialect of Relationship.</summary>
    public const string RelationshipDialect = DpwsNamespaces.Devprof + "/Relationship";

    /// <summary>The Relationship Type of a device and its hosted services.</summary>
    public const string HostRelationship = DpwsNamespaces.Devprof + "/host";
}
