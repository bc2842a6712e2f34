using System.Collections.Frozen;

namespace Harness.Capture;

/// <summary>The well-known ports by which extracted records get their <c>Protocol</c> label.</summary>
public static class ProtocolLabels
{
    /// <summary>WS-Discovery (SOAP-over-UDP), port 3702.</summary>
    public const string WsDiscovery = "wsd";

    /// <summary>SSDP, port 1900.</summary>
    public const string Ssdp = "ssdp";

    /// <summary>XMPP client-to-server (5222) and server-to-server (5269).</summary>
    public const string Xmpp = "xmpp";

    /// <summary>The default map: 3702 → wsd, 1900 → ssdp, 5222 and 5269 → xmpp.</summary>
    public static FrozenDictionary<int, string> Default { get; } = new Dictionary<int, string>
    {
        [3702] = WsDiscovery,
        [1900] = Ssdp,
        [5222] = Xmpp,
        [5269] = Xmpp,
    }.ToFrozenDictionary();

    /// <summary>
    /// The label of a UDP datagram: by port (<see cref="Label(IReadOnlyDictionary{int, string}, int, int)"/>), else by
    /// content, so that discovery traffic on a private or non-standard port (a test network, a device configured
    /// elsewhere) is still recognised: a SOAP envelope naming a WS-Discovery namespace is <c>wsd</c>; an HTTP-over-UDP
    /// start line of M-SEARCH, NOTIFY or a 200 answer carrying ST/NT/USN headers is <c>ssdp</c>. Only the first 2 KiB
    /// are looked at.
    /// </summary>
    public static string? LabelDatagram(IReadOnlyDictionary<int, string> map, int sourcePort, int destinationPort, ReadOnlySpan<byte> payload) =>
        Label(map, sourcePort, destinationPort) ?? Sniff(payload);

    /// <summary>The label a datagram's content suggests, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> payload)
    {
        var head = payload[..Math.Min(payload.Length, 2048)];
        var start = 0;
        while (start < head.Length && (head[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
        {
            start++;
        }

        head = head[start..];
        if (head.IsEmpty)
        {
            return null;
        }

        if (head[0] == (byte)'<')
        {
            return head.IndexOf("/ws/2005/04/discovery"u8) >= 0 || head.IndexOf("ws-dd/ns/discovery"u8) >= 0 ? WsDiscovery : null;
        }

        var isSsdpStart = head.StartsWith("M-SEARCH * HTTP/1."u8) || head.StartsWith("NOTIFY * HTTP/1."u8) || head.StartsWith("HTTP/1.1 200"u8) || head.StartsWith("HTTP/1.0 200"u8);
        if (!isSsdpStart)
        {
            return null;
        }

        return ContainsHeader(head, "\nST:"u8) || ContainsHeader(head, "\nNT:"u8) || ContainsHeader(head, "\nUSN:"u8) || ContainsHeader(head, "\nMAN:"u8) ? Ssdp : null;
    }

    private static bool ContainsHeader(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name)
    {
        // Header names are case-insensitive; compare ASCII letters folded to upper case.
        for (var i = 0; i + name.Length <= head.Length; i++)
        {
            var match = true;
            for (var j = 0; j < name.Length && match; j++)
            {
                var c = head[i + j];
                match = (c is >= (byte)'a' and <= (byte)'z' ? (byte)(c - 32) : c) == name[j];
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The label for a flow between two ports: the destination port's label if it has one, else the source
    /// port's (a reply from port 1900 to an ephemeral port is SSDP), else null.
    /// </summary>
    public static string? Label(IReadOnlyDictionary<int, string> map, int sourcePort, int destinationPort)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.TryGetValue(destinationPort, out var label) ? label
            : map.TryGetValue(sourcePort, out label) ? label
            : null;
    }
}
