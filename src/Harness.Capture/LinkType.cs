namespace Harness.Capture;

/// <summary>
/// The link-layer header type of captured frames (the pcap <c>LINKTYPE_*</c> values of
/// https://www.tcpdump.org/linktypes.html). A file may name any value; those not listed here are reported as
/// unsupported and skipped.
/// </summary>
public enum LinkType
{
    /// <summary>BSD loopback: a 4-byte address family in the capturing host's byte order (<c>LINKTYPE_NULL</c>).</summary>
    Null = 0,

    /// <summary>Ethernet II, with optional 802.1Q / 802.1ad tags (<c>LINKTYPE_ETHERNET</c>).</summary>
    Ethernet = 1,

    /// <summary>Raw IP, as some BSDs number it in files (<c>DLT_RAW</c> = 12).</summary>
    RawIp12 = 12,

    /// <summary>Raw IP, as OpenBSD numbers it in files (<c>DLT_RAW</c> = 14).</summary>
    RawIp14 = 14,

    /// <summary>Raw IPv4 or IPv6, told apart by the version nibble (<c>LINKTYPE_RAW</c>).</summary>
    Raw = 101,

    /// <summary>OpenBSD loopback: a 4-byte address family in network byte order (<c>LINKTYPE_LOOP</c>).</summary>
    Loop = 108,

    /// <summary>Linux "cooked" capture, version 1 (<c>LINKTYPE_LINUX_SLL</c>).</summary>
    LinuxSll = 113,

    /// <summary>Raw IPv4 only (<c>LINKTYPE_IPV4</c>).</summary>
    Ipv4 = 228,

    /// <summary>Raw IPv6 only (<c>LINKTYPE_IPV6</c>).</summary>
    Ipv6 = 229,

    /// <summary>Linux "cooked" capture, version 2 (<c>LINKTYPE_LINUX_SLL2</c>).</summary>
    LinuxSll2 = 276,
}
