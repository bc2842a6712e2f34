namespace Harness.Ssdp.Messages;

/// <summary>
/// The rule ids the SSDP codec and the UPnP description reader report in
/// <see cref="Harness.Core.Diagnostics.Violation.RuleId"/>: checklist ids from <c>specs/ssdp.md</c>, plus reader ids
/// for problems below the checklist (not an SSDP message at all, too large).
/// </summary>
public static class SsdpRuleIds
{
    /// <summary>The request line of an M-SEARCH is exactly <c>M-SEARCH * HTTP/1.1</c>.</summary>
    public const string SearchRequestLine = "SSDP-MSEARCH-001";

    /// <summary>A multicast M-SEARCH carries MX.</summary>
    public const string SearchMxMissing = "SSDP-MSEARCH-002";

    /// <summary>MX is an integer of at least 1.</summary>
    public const string SearchMxValue = "SSDP-MSEARCH-003";

    /// <summary>MX above 5 is treated as 5 (UDA 1.1: MX is 1 to 5).</summary>
    public const string SearchMxRange = "SSDP-MSEARCH-004";

    /// <summary>MAN is the quoted string <c>"ssdp:discover"</c>.</summary>
    public const string SearchMan = "SSDP-MSEARCH-005";

    /// <summary>A search carries HOST, MAN, MX and ST and ends with an empty line.</summary>
    public const string SearchHeaders = "SSDP-MSEARCH-006";

    /// <summary>UDA 2.0 control-point headers: CPFN.UPNP.ORG, CPUUID.UPNP.ORG, TCPPORT.UPNP.ORG, USER-AGENT.</summary>
    public const string SearchUda20Headers = "SSDP-MSEARCH-007";

    /// <summary>A search response's status line is <c>HTTP/1.1 200 OK</c>, its headers end with an empty line.</summary>
    public const string ResponseStatusLine = "SSDP-RESP-001";

    /// <summary>CACHE-CONTROL is exactly <c>max-age=N</c> (other directives, spaces around '=' and short values deviate).</summary>
    public const string CacheControl = "SSDP-RESP-002";

    /// <summary>DATE is an RFC 1123 date.</summary>
    public const string Date = "SSDP-RESP-003";

    /// <summary>EXT is present with an empty value.</summary>
    public const string Ext = "SSDP-RESP-004";

    /// <summary>LOCATION is an absolute http URL of the root description.</summary>
    public const string Location = "SSDP-RESP-005";

    /// <summary>SERVER has the form <c>OS/version UPnP/x.y product/version</c>.</summary>
    public const string Server = "SSDP-RESP-006";

    /// <summary>ST and USN take the forms of UDA §1.3.3 (and NT/USN of §1.2.2) and agree with each other.</summary>
    public const string UsnForm = "SSDP-RESP-007";

    /// <summary>BOOTID.UPNP.ORG is a non-negative 31-bit decimal (UDA 1.1/2.0).</summary>
    public const string BootId = "SSDP-RESP-008";

    /// <summary>CONFIGID.UPNP.ORG is a decimal from 0 to 16,777,215 (UDA 1.1/2.0).</summary>
    public const string ConfigId = "SSDP-RESP-009";

    /// <summary>SEARCHPORT.UPNP.ORG is from 49152 to 65535.</summary>
    public const string SearchPort = "SSDP-RESP-010";

    /// <summary>A NOTIFY is <c>NOTIFY * HTTP/1.1</c> with HOST, NT, NTS, USN (alive: CACHE-CONTROL, LOCATION, SERVER).</summary>
    public const string NotifyHeaders = "SSDP-NOTIFY-001";

    /// <summary>ssdp:byebye carries HOST, NT, NTS, USN (and BOOTID, CONFIGID in 1.1/2.0).</summary>
    public const string ByeByeHeaders = "SSDP-BYEBYE-001";

    /// <summary>ssdp:update carries LOCATION, BOOTID, CONFIGID and NEXTBOOTID.UPNP.ORG.</summary>
    public const string UpdateHeaders = "SSDP-UPDATE-001";

    /// <summary>
    /// HTTP grammar (header names case-insensitive, optional whitespace, CRLF line ends, no duplicates, no junk
    /// lines). Real devices deviate; the reader understands them and reports it here.
    /// </summary>
    public const string HttpGrammar = "SSDP-CP-003";

    /// <summary>Reader id: the bytes are not an SSDP message (no known start line, empty, binary).</summary>
    public const string NotSsdp = "SSDP-SYNTAX";

    /// <summary>Reader id: the message is larger than the reader's limits.</summary>
    public const string TooLarge = "SSDP-SIZE";

    /// <summary>A GET of the description answers 200 (transmission included) within 30 s.</summary>
    public const string DescriptionHttp = "DESC-HTTP-001";

    /// <summary>The description's Content-Type is <c>text/xml; charset="utf-8"</c>.</summary>
    public const string DescriptionContentType = "DESC-HTTP-002";

    /// <summary>Content-Length equals the body's byte length (chunked and close-delimited bodies are accepted).</summary>
    public const string DescriptionContentLength = "DESC-HTTP-003";

    /// <summary>A request with Accept-Language gets a Content-Language back.</summary>
    public const string DescriptionContentLanguage = "DESC-HTTP-004";

    /// <summary>Well-formed UTF-8 XML without BOM, leading junk or an HTML page in its place.</summary>
    public const string DescriptionXml = "DESC-XML-001";

    /// <summary>The root element is <c>root</c> in <c>urn:schemas-upnp-org:device-1-0</c>, with configId in 1.1/2.0.</summary>
    public const string DescriptionRoot = "DESC-XML-002";

    /// <summary>specVersion is 1.0, 1.1 or 2.0.</summary>
    public const string DescriptionSpecVersion = "DESC-XML-003";

    /// <summary>URLBase is deprecated from UDA 1.1; relative URLs resolve against it or the LOCATION.</summary>
    public const string DescriptionUrlBase = "DESC-XML-004";

    /// <summary>deviceType, friendlyName, manufacturer, modelName and UDN are present.</summary>
    public const string DescriptionRequiredElements = "DESC-XML-005";

    /// <summary>Length limits of the device's text elements.</summary>
    public const string DescriptionLengths = "DESC-XML-006";

    /// <summary>UDN is <c>uuid:</c> plus a UUID, unique per device.</summary>
    public const string DescriptionUdn = "DESC-XML-007";

    /// <summary>Each icon carries mimetype, width, height, depth and url.</summary>
    public const string DescriptionIcons = "DESC-XML-008";

    /// <summary>Each service carries serviceType, serviceId, SCPDURL, controlURL and eventSubURL.</summary>
    public const string DescriptionServices = "DESC-XML-009";

    /// <summary>deviceList appears only with embedded devices; the rules apply recursively.</summary>
    public const string DescriptionDeviceList = "DESC-XML-010";
}
