using System.Text;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Engine;

/// <summary>
/// Seeded hostile input for receive loops: random bytes, truncated and bit-flipped envelopes, DTDs and entity bombs,
/// deep nesting, oversized text, wrong namespaces, well-formed messages with absurd content, invalid UTF-8, and
/// valid-looking answers to requests nobody sent. Nothing our writer would produce on purpose.
/// </summary>
internal static class HostileDatagrams
{
    private const int MaxSize = 60_000;

    public static IEnumerable<byte[]> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var valid = new[]
        {
            WsdMessageWriter.Write(Scene.Probe(WsdProtocol.V2005, Scene.Id(1), null, Scene.DeviceType)),
            WsdMessageWriter.Write(Scene.ProbeMatches(WsdProtocol.V11, Scene.Id(2), Scene.Id(3), new WsdAppSequence(1, 1), Scene.Endpoint("urn:uuid:dddddddd-0000-4000-8000-000000000001", "http://127.0.0.9/x"))),
            WsdMessageWriter.Write(Scene.Hello(WsdProtocol.V2005, Scene.Id(4), new WsdAppSequence(1, 2), Scene.Endpoint("urn:uuid:dddddddd-0000-4000-8000-000000000002"))),
        };
        for (var i = 0; i < count; i++)
        {
            yield return (i % 16) switch
            {
                0 => RandomBytes(random, random.Next(0, 1500)),
                1 => Truncate(random, valid[random.Next(valid.Length)]),
                2 => Flip(random, valid[random.Next(valid.Length)]),
                3 => Utf8("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><lolz>&lol3;</lolz>"),
                4 => Utf8("<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>&x;</s:Body></s:Envelope>"),
                5 => Utf8(string.Concat(Enumerable.Repeat("<a>", 12_000)) + string.Concat(Enumerable.Repeat("</a>", 2_000))),
                6 => Utf8("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><x>" + new string('A', MaxSize - 200) + "</x></s:Body></s:Envelope>"),
                7 => Utf8("<Envelope xmlns=\"http://example.com/not-soap\"><Header/><Body/></Envelope>"),
                8 => Utf8(Encoding.UTF8.GetString(valid[0]).Replace("http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe", "http://schemas.xmlsoap.org/ws/2005/04/discovery/Unknown", StringComparison.Ordinal)),
                9 => Utf8(Encoding.UTF8.GetString(valid[0]).Replace("<wsa:MessageID>", "<wsa:MessageID>" + new string('9', 5000), StringComparison.Ordinal)),
                10 => Utf8("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"" + string.Concat(Enumerable.Range(0, 300).Select(n => $" a{n}=\"{n}\"")) + "/>"),
                11 => [0xFE, 0xFF, 0x00, 0x3C, 0xC3, 0x28, 0xA0, 0xA1, 0xF0, 0x28, 0x8C, 0xBC],
                12 => Utf8(Encoding.UTF8.GetString(valid[1]).Replace("MessageNumber=\"1\"", "MessageNumber=\"-99999999999999999999999\"", StringComparison.Ordinal)),
                13 => Utf8(Encoding.UTF8.GetString(valid[2]).Replace("urn:uuid:dddddddd-0000-4000-8000-000000000002", string.Empty, StringComparison.Ordinal)),
                14 => Utf8(Encoding.UTF8.GetString(valid[0]).Replace("</d:Types>", string.Concat(Enumerable.Range(0, 2000).Select(n => $" p{n}:T")) + "</d:Types>", StringComparison.Ordinal)),
                _ => [],
            };
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text.Length > MaxSize ? text[..MaxSize] : text);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Truncate(Random random, byte[] valid) => valid[..random.Next(0, valid.Length)];

    private static byte[] Flip(Random random, byte[] valid)
    {
        var copy = (byte[])valid.Clone();
        for (var i = 0; i < 1 + random.Next(8); i++)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }
}
