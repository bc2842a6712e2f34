namespace Harness.WsDiscovery.Engine;

/// <summary>How the <c>*_UDP_REPEAT</c> constants of a profile are counted.</summary>
public enum RepeatCounting
{
    /// <summary>
    /// REPEAT is the total number of transmissions, the first included (christgau/wsdd, python-ws-discovery and
    /// Windows WSDAPI's <c>ulRepeat</c> read it so): MULTICAST_UDP_REPEAT 4 means 4 datagrams.
    /// </summary>
    TotalSends,

    /// <summary>
    /// REPEAT is the number of retransmissions after the first send (SOAP-over-UDP 1.1 as SDCri reads it):
    /// MULTICAST_UDP_REPEAT 1 means 2 datagrams.
    /// </summary>
    Retransmissions,
}

/// <summary>
/// The SOAP-over-UDP timing and size constants of one profile (checklist wsd.md §0). Presets:
/// <see cref="WsDiscovery2005"/>, <see cref="SoapOverUdp11"/>, <see cref="Dpws2006"/>, <see cref="Dpws11"/>.
/// </summary>
/// <remarks>
/// The repeat algorithm (SOAP-over-UDP Appendix I): send once at once; the first gap T is drawn uniformly from
/// [<see cref="UdpMinDelay"/>, <see cref="UdpMaxDelay"/>]; each later gap doubles, capped at
/// <see cref="UdpUpperDelay"/>. How many datagrams that makes is <see cref="TotalSends"/>, which depends on
/// <see cref="Counting"/>.
/// </remarks>
public sealed record SoapOverUdpProfile
{
    /// <summary>A short name for reports (e.g. <c>ws-discovery-2005</c>).</summary>
    public string Name { get; init; } = "custom";

    /// <summary>MULTICAST_UDP_REPEAT, counted as <see cref="Counting"/> says.</summary>
    public int MulticastUdpRepeat { get; init; } = 4;

    /// <summary>UNICAST_UDP_REPEAT, counted as <see cref="Counting"/> says.</summary>
    public int UnicastUdpRepeat { get; init; } = 2;

    /// <summary>How the REPEAT constants are counted. Default <see cref="RepeatCounting.TotalSends"/>.</summary>
    public RepeatCounting Counting { get; init; } = RepeatCounting.TotalSends;

    /// <summary>UDP_MIN_DELAY: lower bound of the first repeat gap.</summary>
    public TimeSpan UdpMinDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>UDP_MAX_DELAY: upper bound of the first repeat gap.</summary>
    public TimeSpan UdpMaxDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>UDP_UPPER_DELAY: the largest gap between two repeats.</summary>
    public TimeSpan UdpUpperDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>APP_MAX_DELAY: the largest random delay before a Hello or an answer to a multicast request.</summary>
    public TimeSpan AppMaxDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>MATCH_TIMEOUT: how long a client collects answers to a Probe or Resolve.</summary>
    public TimeSpan MatchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest envelope sent in one datagram, in bytes.</summary>
    public int MaxEnvelopeSize { get; init; } = 65_507;

    /// <summary>
    /// WS-Discovery April 2005 with SOAP-over-UDP (September 2004): repeat 4 multicast / 2 unicast (total sends),
    /// 50/250/500 ms, APP_MAX_DELAY 500 ms; MATCH_TIMEOUT is not defined there, the DPWS 10 s is used; an
    /// envelope must fit one IPv4 datagram (65,507 octets).
    /// </summary>
    public static SoapOverUdpProfile WsDiscovery2005 { get; } = new() { Name = "ws-discovery-2005" };

    /// <summary>
    /// SOAP-over-UDP 1.1 (OASIS 2009): repeat 1 / 1 read as retransmissions after the first send (so 2 datagrams;
    /// verify against the normative text), 50/250/500 ms; APP_MAX_DELAY from WS-Discovery 1.1 (500 ms).
    /// </summary>
    public static SoapOverUdpProfile SoapOverUdp11 { get; } = new()
    {
        Name = "soap-over-udp-1.1",
        MulticastUdpRepeat = 1,
        UnicastUdpRepeat = 1,
        Counting = RepeatCounting.Retransmissions,
    };

    /// <summary>
    /// DPWS 2006 Appendix I: repeat 2 / 2 (total sends), 50/250/450 ms, APP_MAX_DELAY 5,000 ms, MATCH_TIMEOUT 10 s,
    /// MAX_ENVELOPE_SIZE 32,767 octets.
    /// </summary>
    public static SoapOverUdpProfile Dpws2006 { get; } = new()
    {
        Name = "dpws-2006",
        MulticastUdpRepeat = 2,
        UnicastUdpRepeat = 2,
        UdpUpperDelay = TimeSpan.FromMilliseconds(450),
        AppMaxDelay = TimeSpan.FromMilliseconds(5000),
        MaxEnvelopeSize = 32_767,
    };

    /// <summary>
    /// DPWS 1.1 Appendix B: repeat 1 / 1 read as retransmissions (2 datagrams), 50/250/450 ms, APP_MAX_DELAY
    /// 2,500 ms (what WSDAPI and implementations use; verify), MATCH_TIMEOUT 10 s, MAX_ENVELOPE_SIZE 32,767 octets.
    /// </summary>
    public static SoapOverUdpProfile Dpws11 { get; } = new()
    {
        Name = "dpws-1.1",
        MulticastUdpRepeat = 1,
        UnicastUdpRepeat = 1,
        Counting = RepeatCounting.Retransmissions,
        UdpUpperDelay = TimeSpan.FromMilliseconds(450),
        AppMaxDelay = TimeSpan.FromMilliseconds(2500),
        MaxEnvelopeSize = 32_767,
    };

    /// <summary>The presets, in the order of the checklist table.</summary>
    public static IReadOnlyList<SoapOverUdpProfile> Presets { get; } = [WsDiscovery2005, SoapOverUdp11, Dpws2006, Dpws11];

    /// <summary>How many datagrams one multicast (or unicast) message is sent as, the first included.</summary>
    public int TotalSends(bool multicast)
    {
        var repeat = multicast ? MulticastUdpRepeat : UnicastUdpRepeat;
        return Counting == RepeatCounting.TotalSends ? Math.Max(1, repeat) : repeat + 1;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range or the delays are out of order.</summary>
    public void Validate()
    {
        if (MulticastUdpRepeat < 0 || UnicastUdpRepeat < 0 || MulticastUdpRepeat > 256 || UnicastUdpRepeat > 256)
        {
            throw new ArgumentException("The UDP repeat counts must be between 0 and 256.");
        }

        if (UdpMinDelay < TimeSpan.Zero || UdpMinDelay > UdpMaxDelay || UdpMaxDelay > UdpUpperDelay)
        {
            throw new ArgumentException("UDP delays must satisfy 0 <= UDP_MIN_DELAY <= UDP_MAX_DELAY <= UDP_UPPER_DELAY.");
        }

        if (AppMaxDelay < TimeSpan.Zero || MatchTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("APP_MAX_DELAY must not be negative and MATCH_TIMEOUT must be positive.");
        }

        if (MaxEnvelopeSize is < 512 or > 65_527)
        {
            throw new ArgumentException("MaxEnvelopeSize must be between 512 and 65,527 octets.");
        }
    }
}
