using Harness.WsDiscovery.Messages;

namespace Harness.Cli.Common;

/// <summary>Parses a type name given on the command line.</summary>
internal static class QNameArgument
{
    /// <summary>Prefixes a user can write without a namespace (the ones real devices use).</summary>
    public static IReadOnlyDictionary<string, string> WellKnownPrefixes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dn"] = "http://www.onvif.org/ver10/network/wsdl",
        ["tds"] = "http://www.onvif.org/ver10/device/wsdl",
        ["wsdp"] = "http://schemas.xmlsoap.org/ws/2006/02/devprof",
        ["dpws"] = "http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01",
        ["wscn"] = "http://schemas.microsoft.com/windows/2006/08/wdp/scan",
        ["wprt"] = "http://schemas.microsoft.com/windows/2006/08/wdp/print",
        ["pub"] = "http://schemas.microsoft.com/windows/pub/2005/07",
    };

    /// <summary>
    /// Accepts <c>{namespace}local</c>, a well-known <c>prefix:local</c> (dn, tds, wsdp, dpws, wscn, wprt, pub), or
    /// python-ws-discovery's <c>namespace:local</c> where the namespace is everything before the last colon.
    /// </summary>
    public static WsdQName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith('{'))
        {
            var close = text.IndexOf('}', StringComparison.Ordinal);
            if (close > 1 && close < text.Length - 1)
            {
                return new WsdQName(text[1..close], text[(close + 1)..]);
            }

            throw new FormatException($"'{text}' is not {{namespace}}local.");
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not a qualified name: write prefix:Local with a known prefix ({string.Join(", ", WellKnownPrefixes.Keys)}), {{namespace}}Local or namespace:Local.");
        }

        var head = text[..colon];
        var local = text[(colon + 1)..];
        return WellKnownPrefixes.TryGetValue(head, out var ns)
            ? WsdQName.Create(ns, local, head)
            : new WsdQName(head, local);
    }
}
