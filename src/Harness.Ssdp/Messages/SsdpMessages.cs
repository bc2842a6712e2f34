using System.Net;

namespace Harness.Ssdp.Messages;

/// <summary>One header line that has no property of its own (vendor headers, <c>OPT</c>, <c>01-NLS</c>), kept in order.</summary>
/// <param name="Name">The name as sent.</param>
/// <param name="Value">The value without surrounding whitespace.</param>
public sealed record SsdpHeader(string Name, string Value);

/// <summary>The three kinds of SSDP message.</summary>
public enum SsdpMessageKind
{
    /// <summary><c>M-SEARCH * HTTP/1.1</c>.</summary>
    Search,

    /// <summary><c>HTTP/1.1 200 OK</c> answering a search.</summary>
    SearchResponse,

    /// <summary><c>NOTIFY * HTTP/1.1</c>: alive, byebye or update.</summary>
    Notify,
}

/// <summary>The NTS of a NOTIFY.</summary>
public enum SsdpNotifySubtype
{
    /// <summary><c>ssdp:alive</c>.</summary>
    Alive,

    /// <summary><c>ssdp:byebye</c>.</summary>
    ByeBye,

    /// <summary><c>ssdp:update</c> (UDA 1.1/2.0).</summary>
    Update,

    /// <summary>Missing or anything else (e.g. GENA's <c>upnp:propchange</c>).</summary>
    Other,
}

/// <summary>
/// One SSDP message (HTTP over UDP, UDA 1.1 §1). Immutable; <see cref="SsdpMessageReader"/> turns bytes into one and
/// <see cref="SsdpMessageWriter"/> turns one into bytes, deterministically.
/// </summary>
public abstract record SsdpMessage
{
    /// <summary>The well-known SSDP multicast host of IPv4, <c>239.255.255.250:1900</c>.</summary>
    public const string IPv4MulticastHost = "239.255.255.250:1900";

    /// <summary>Which message this is.</summary>
    public abstract SsdpMessageKind Kind { get; }

    /// <summary>Headers without a property of their own, in the order read (written after the known ones).</summary>
    public IReadOnlyList<SsdpHeader> ExtraHeaders { get; init; } = [];

    /// <summary>The first extra header with this name (ignoring case), or null.</summary>
    public string? GetExtraHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var header in ExtraHeaders)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>The HOST value for a group and port: <c>239.255.255.250:1900</c>, <c>[FF02::C]:1900</c>, <c>192.168.1.2:1900</c>.</summary>
    public static string HostFor(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = endPoint.Address;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var text = new IPAddress(address.GetAddressBytes()).ToString();
            if (address.IsIPv6Multicast)
            {
                text = text.ToUpperInvariant();
            }

            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{text}]:{endPoint.Port}");
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{address}:{endPoint.Port}");
    }
}

/// <summary>An M-SEARCH request (UDA 1.1 §1.3.2; UDA 2.0 adds the CPFN/CPUUID/TCPPORT headers).</summary>
public sealed record SsdpSearchRequest : SsdpMessage
{
    /// <summary>The MAN value every search carries, quotes included.</summary>
    public const string DiscoverMan = "\"ssdp:discover\"";

    /// <inheritdoc />
    public override SsdpMessageKind Kind => SsdpMessageKind.Search;

    /// <summary>The request target; <c>*</c> in every valid search.</summary>
    public string RequestTarget { get; init; } = "*";

    /// <summary>The protocol version of the request line; <c>HTTP/1.1</c> in every valid search.</summary>
    public string HttpVersion { get; init; } = "HTTP/1.1";

    /// <summary>HOST: the group and port for multicast, the device's address and port for unicast; null when missing.</summary>
    public string? Host { get; init; } = IPv4MulticastHost;

    /// <summary>MAN as sent (quotes included); null when missing.</summary>
    public string? Man { get; init; } = DiscoverMan;

    /// <summary>MX in seconds; null when missing or not an integer (unicast searches may omit it).</summary>
    public int? Mx { get; init; }

    /// <summary>ST as sent; empty when missing.</summary>
    public string SearchTarget { get; init; } = SsdpTarget.AllValue;

    /// <summary>USER-AGENT (<c>OS/version UPnP/2.0 product/version</c>), or null.</summary>
    public string? UserAgent { get; init; }

    /// <summary>CPFN.UPNP.ORG, the control point's friendly name (UDA 2.0, required on multicast), or null.</summary>
    public string? CpFriendlyName { get; init; }

    /// <summary>CPUUID.UPNP.ORG (UDA 2.0), or null.</summary>
    public string? CpUuid { get; init; }

    /// <summary>TCPPORT.UPNP.ORG (UDA 2.0), or null.</summary>
    public int? TcpPort { get; init; }

    /// <summary>ST parsed.</summary>
    public SsdpTarget Target => SsdpTarget.Parse(SearchTarget);

    /// <summary>True when MAN is exactly <c>"ssdp:discover"</c> with its quotes.</summary>
    public bool IsDiscover => string.Equals(Man, DiscoverMan, StringComparison.Ordinal);

    /// <summary>True when the request line is exactly <c>M-SEARCH * HTTP/1.1</c>.</summary>
    public bool HasValidRequestLine =>
        string.Equals(RequestTarget, "*", StringComparison.Ordinal) && string.Equals(HttpVersion, "HTTP/1.1", StringComparison.Ordinal);

    /// <summary>A multicast search: HOST the group, MAN, MX, ST.</summary>
    public static SsdpSearchRequest Multicast(SsdpTarget target, int mx, IPEndPoint? group = null) => new()
    {
        Host = group is null ? IPv4MulticastHost : HostFor(group),
        Mx = mx,
        SearchTarget = target.Value,
    };

    /// <summary>A unicast search to one device (UDA 1.1 §1.3.2): HOST its address and port, no MX.</summary>
    public static SsdpSearchRequest Unicast(SsdpTarget target, IPEndPoint device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new SsdpSearchRequest { Host = HostFor(device), Mx = null, SearchTarget = target.Value };
    }
}

/// <summary>A search response, <c>HTTP/1.1 200 OK</c> (UDA 1.1 §1.3.3).</summary>
public sealed record SsdpSearchResponse : SsdpMessage
{
    /// <inheritdoc />
    public override SsdpMessageKind Kind => SsdpMessageKind.SearchResponse;

    /// <summary>The protocol version of the status line.</summary>
    public string HttpVersion { get; init; } = "HTTP/1.1";

    /// <summary>The status code (200).</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The reason phrase (<c>OK</c>).</summary>
    public string ReasonPhrase { get; init; } = "OK";

    /// <summary>The max-age of CACHE-CONTROL in seconds; null when missing or unreadable.</summary>
    public int? MaxAge { get; init; }

    /// <summary>DATE; null when missing or not an RFC 1123 date.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>True when EXT is present.</summary>
    public bool Ext { get; init; } = true;

    /// <summary>LOCATION as sent; null when missing.</summary>
    public string? Location { get; init; }

    /// <summary>SERVER as sent; null when missing.</summary>
    public string? Server { get; init; }

    /// <summary>ST as sent; empty when missing.</summary>
    public string SearchTarget { get; init; } = string.Empty;

    /// <summary>USN as sent; empty when missing.</summary>
    public string Usn { get; init; } = string.Empty;

    /// <summary>BOOTID.UPNP.ORG, or null.</summary>
    public int? BootId { get; init; }

    /// <summary>CONFIGID.UPNP.ORG, or null.</summary>
    public int? ConfigId { get; init; }

    /// <summary>SEARCHPORT.UPNP.ORG, or null.</summary>
    public int? SearchPort { get; init; }

    /// <summary>ST parsed.</summary>
    public SsdpTarget Target => SsdpTarget.Parse(SearchTarget);

    /// <summary>USN parsed.</summary>
    public SsdpUsn ParsedUsn => SsdpUsn.Parse(Usn);
}

/// <summary>A NOTIFY: <c>ssdp:alive</c>, <c>ssdp:byebye</c> or <c>ssdp:update</c> (UDA 1.1 §1.2).</summary>
public sealed record SsdpNotify : SsdpMessage
{
    /// <summary><c>ssdp:alive</c>.</summary>
    public const string AliveNts = "ssdp:alive";

    /// <summary><c>ssdp:byebye</c>.</summary>
    public const string ByeByeNts = "ssdp:byebye";

    /// <summary><c>ssdp:update</c>.</summary>
    public const string UpdateNts = "ssdp:update";

    /// <inheritdoc />
    public override SsdpMessageKind Kind => SsdpMessageKind.Notify;

    /// <summary>The request target; <c>*</c> for SSDP.</summary>
    public string RequestTarget { get; init; } = "*";

    /// <summary>The protocol version of the request line.</summary>
    public string HttpVersion { get; init; } = "HTTP/1.1";

    /// <summary>HOST; null when missing.</summary>
    public string? Host { get; init; } = IPv4MulticastHost;

    /// <summary>NT as sent; empty when missing.</summary>
    public string NotificationType { get; init; } = string.Empty;

    /// <summary>NTS as sent; empty when missing.</summary>
    public string Nts { get; init; } = AliveNts;

    /// <summary>USN as sent; empty when missing.</summary>
    public string Usn { get; init; } = string.Empty;

    /// <summary>LOCATION; null when missing (byebye).</summary>
    public string? Location { get; init; }

    /// <summary>The max-age of CACHE-CONTROL in seconds; null when missing (byebye) or unreadable.</summary>
    public int? MaxAge { get; init; }

    /// <summary>SERVER; null when missing.</summary>
    public string? Server { get; init; }

    /// <summary>BOOTID.UPNP.ORG (for an update, the old value), or null.</summary>
    public int? BootId { get; init; }

    /// <summary>CONFIGID.UPNP.ORG, or null.</summary>
    public int? ConfigId { get; init; }

    /// <summary>NEXTBOOTID.UPNP.ORG (update only), or null.</summary>
    public int? NextBootId { get; init; }

    /// <summary>SEARCHPORT.UPNP.ORG, or null.</summary>
    public int? SearchPort { get; init; }

    /// <summary>NTS as an enum.</summary>
    public SsdpNotifySubtype Subtype => Nts switch
    {
        AliveNts => SsdpNotifySubtype.Alive,
        ByeByeNts => SsdpNotifySubtype.ByeBye,
        UpdateNts => SsdpNotifySubtype.Update,
        _ => SsdpNotifySubtype.Other,
    };

    /// <summary>NT parsed.</summary>
    public SsdpTarget Target => SsdpTarget.Parse(NotificationType);

    /// <summary>USN parsed.</summary>
    public SsdpUsn ParsedUsn => SsdpUsn.Parse(Usn);
}
