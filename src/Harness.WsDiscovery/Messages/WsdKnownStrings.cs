using System.Text;

namespace Harness.WsDiscovery.Messages;

/// <summary>
/// Shares the strings that recur in every message (actions, URNs, namespaces, MatchBy URIs) instead of
/// allocating them per read, and keeps a small per-thread cache of other namespace URIs and prefixes.
/// </summary>
internal static class WsdKnownStrings
{
    private const int CacheSize = 32;

    private static readonly (byte[] Utf8, string Text)[][] ByLength = Build();

    [ThreadStatic]
    private static (byte[] Utf8, string Text)[]? t_cache;

    [ThreadStatic]
    private static int t_next;

    /// <summary>The shared string equal to <paramref name="value"/>, or null when it is not a known constant.</summary>
    public static string? Find(ReadOnlySpan<byte> value)
    {
        if ((uint)value.Length >= (uint)ByLength.Length)
        {
            return null;
        }

        foreach (var (utf8, text) in ByLength[value.Length])
        {
            if (value.SequenceEqual(utf8))
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>A string equal to <paramref name="value"/>, shared when it was seen recently on this thread.</summary>
    public static string Intern(ReadOnlySpan<byte> value)
    {
        if (Find(value) is { } known)
        {
            return known;
        }

        var cache = t_cache ??= new (byte[], string)[CacheSize];
        foreach (var (utf8, text) in cache)
        {
            if (utf8 is not null && utf8.Length == value.Length && value.SequenceEqual(utf8))
            {
                return text;
            }
        }

        var created = Encoding.UTF8.GetString(value);
        if (value.Length <= 256)
        {
            cache[t_next] = (value.ToArray(), created);
            t_next = (t_next + 1) % CacheSize;
        }

        return created;
    }

    private static (byte[], string)[][] Build()
    {
        var list = new List<string>();
        foreach (var p in WsdProtocol.All)
        {
            list.AddRange(
            [
                p.DiscoveryNamespace, p.AddressingNamespace, p.AnonymousAddress, p.MulticastTo, p.DevicesProfileNamespace,
                p.HelloAction, p.ByeAction, p.ProbeAction, p.ProbeMatchesAction, p.ResolveAction, p.ResolveMatchesAction, p.FaultAction,
                p.MatchByRfc, p.MatchByUuid, p.MatchByLdap, p.MatchByStrcmp0, p.AddressingNamespace + "/fault",
            ]);
            if (p.MatchByNone is { } none)
            {
                list.Add(none);
            }
        }

        list.Add(WsdProtocol.SoapEnvelopeNamespace);
        list.Add(WsdProtocol.V2005.DiscoveryNamespace + "/rfc3986");
        list.Add("http://www.onvif.org/ver10/network/wsdl");
        list.Add("http://www.onvif.org/ver10/device/wsdl");
        var entries = list.Distinct(StringComparer.Ordinal).Select(s => (Utf8: Encoding.UTF8.GetBytes(s), Text: s)).ToArray();
        var table = new (byte[], string)[entries.Max(e => e.Utf8.Length) + 1][];
        for (var length = 0; length < table.Length; length++)
        {
            table[length] = [.. entries.Where(e => e.Utf8.Length == length)];
        }

        return table;
    }
}
