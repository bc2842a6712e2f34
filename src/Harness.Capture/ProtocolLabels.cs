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
