namespace Harness.Core.Transport;

/// <summary>How large one UDP datagram's payload can be.</summary>
public static class DatagramLimits
{
    /// <summary>Largest UDP payload over IPv4: 65,535 − 20 (IP header) − 8 (UDP header).</summary>
    public const int MaxIPv4Payload = 65_507;

    /// <summary>Largest UDP payload over IPv6 without jumbograms: 65,535 − 8 (UDP header).</summary>
    public const int MaxIPv6Payload = 65_527;

    /// <summary>The largest payload for an address family.</summary>
    public static int MaxPayload(System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? MaxIPv6Payload : MaxIPv4Payload;
}
