namespace Harness.Conformance.Model;

/// <summary>
/// The protocol labels rules, devices and traffic records use (lower case, as in
/// <see cref="Harness.Core.Recording.TrafficRecord.Protocol"/>). Any other lower-case label works too.
/// </summary>
public static class Protocols
{
    /// <summary>WS-Discovery over SOAP-over-UDP.</summary>
    public const string Wsd = "wsd";

    /// <summary>DPWS / WSD over SOAP-over-HTTP (metadata, eventing, scan, print).</summary>
    public const string Dpws = "dpws";

    /// <summary>SSDP and the UPnP device description.</summary>
    public const string Ssdp = "ssdp";

    /// <summary>XMPP service discovery and entity capabilities.</summary>
    public const string Xmpp = "xmpp";

    /// <summary>True for a non-empty label of lower-case ASCII letters, digits and '-' (at most 32 characters).</summary>
    public static bool IsValid(string? protocol)
    {
        if (string.IsNullOrEmpty(protocol) || protocol.Length > 32)
        {
            return false;
        }

        foreach (var c in protocol)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
