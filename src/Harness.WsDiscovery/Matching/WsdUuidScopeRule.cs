namespace Harness.WsDiscovery.Matching;

/// <summary>
/// The uuid scope rule: comparing case-insensitively, the scheme of S1 and S2 is "uuid" and their 128-bit values are
/// equal (so hexadecimal case is irrelevant). <c>urn:uuid:</c> is accepted as the same scheme, as ONVIF and WCF do.
/// </summary>
internal static class WsdUuidScopeRule
{
    public static bool Matches(string probe, string target) =>
        TryParse(probe, out var p) && TryParse(target, out var t) && p == t;

    private static bool TryParse(string scope, out Guid value)
    {
        var text = scope.AsSpan();
        if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..];
        }

        if (!text.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase))
        {
            value = default;
            return false;
        }

        return Guid.TryParseExact(text[5..], "D", out value);
    }
}
