using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Messages;

/// <summary>Field-by-field equality of messages (records hold lists, so record equality compares references).</summary>
internal static class WsdMessageAssert
{
    public static void Same(WsdMessage expected, WsdMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Same(expected.Protocol, actual.Protocol);
        Assert.Equal(expected.Header, actual.Header);
        switch (expected)
        {
            case WsdHello hello:
                Same(hello.Endpoint, ((WsdHello)actual).Endpoint);
                break;
            case WsdBye bye:
                Same(bye.Endpoint, ((WsdBye)actual).Endpoint);
                break;
            case WsdProbe probe:
                var p = (WsdProbe)actual;
                Assert.Equal(probe.Types, p.Types);
                Assert.Equal(probe.Scopes, p.Scopes);
                Assert.Equal(probe.MatchBy, p.MatchBy);
                break;
            case WsdProbeMatches matches:
                var m = (WsdProbeMatches)actual;
                Assert.Equal(matches.Matches.Count, m.Matches.Count);
                for (var i = 0; i < matches.Matches.Count; i++)
                {
                    Same(matches.Matches[i], m.Matches[i]);
                }

                break;
            case WsdResolve resolve:
                Assert.Equal(resolve.Endpoint, ((WsdResolve)actual).Endpoint);
                break;
            case WsdResolveMatches resolveMatches:
                var r = (WsdResolveMatches)actual;
                if (resolveMatches.Match is null)
                {
                    Assert.Null(r.Match);
                }
                else
                {
                    Assert.NotNull(r.Match);
                    Same(resolveMatches.Match, r.Match);
                }

                break;
            case WsdFault fault:
                var f = (WsdFault)actual;
                Assert.Equal(fault.Code, f.Code);
                Assert.Equal(fault.Subcode, f.Subcode);
                Assert.Equal(fault.Reason, f.Reason);
                Assert.Equal(fault.SupportedMatchingRules, f.SupportedMatchingRules);
                break;
            default:
                throw new InvalidOperationException(expected.GetType().Name);
        }
    }

    public static void Same(WsdEndpointData expected, WsdEndpointData actual)
    {
        Assert.Equal(expected.Endpoint, actual.Endpoint);
        Assert.Equal(expected.Types, actual.Types);
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.XAddrs, actual.XAddrs);
        Assert.Equal(expected.MetadataVersion, actual.MetadataVersion);
    }
}

/// <summary>Seeded random messages of every kind and family, with values that stress escaping and prefixes.</summary>
internal static class WsdMessageGenerator
{
    private static readonly string[] Fragments = ["a", "b&c", "<x>", "\"q\"", "'s'", "\u00e9t\u00e9", "\u4e2d", "\U0001F600", "%20", "?k=v", "#f", "/"];
    private static readonly string?[] Prefixes = [null, "x", "p1", "d", "soap", "xmlns", "tds", "dn", "i0"];

    public static WsdMessage Next(Random random)
    {
        var protocol = random.Next(2) == 0 ? WsdProtocol.V2005 : WsdProtocol.V11;
        return random.Next(7) switch
        {
            0 => new WsdHello { Protocol = protocol, Header = Header(random, protocol, protocol.HelloAction), Endpoint = Endpoint(random) },
            1 => new WsdBye { Protocol = protocol, Header = Header(random, protocol, protocol.ByeAction), Endpoint = Endpoint(random) },
            2 => new WsdProbe
            {
                Protocol = protocol,
                Header = Header(random, protocol, protocol.ProbeAction),
                Types = Types(random),
                Scopes = Uris(random),
                MatchBy = random.Next(3) == 0 ? null : Pick(random, [protocol.MatchByRfc, protocol.MatchByLdap, "urn:custom:" + Text(random)]),
            },
            3 => new WsdProbeMatches
            {
                Protocol = protocol,
                Header = Header(random, protocol, protocol.ProbeMatchesAction),
                Matches = [.. Enumerable.Range(0, random.Next(4)).Select(_ => Endpoint(random))],
            },
            4 => new WsdResolve { Protocol = protocol, Header = Header(random, protocol, protocol.ResolveAction), Endpoint = new WsdEndpointReference(Uuid(random)) },
            5 => new WsdResolveMatches { Protocol = protocol, Header = Header(random, protocol, protocol.ResolveMatchesAction), Match = random.Next(5) == 0 ? null : Endpoint(random) },
            _ => new WsdFault
            {
                Protocol = protocol,
                Header = Header(random, protocol, protocol.FaultAction),
                Code = WsdQName.Create(WsdProtocol.SoapEnvelopeNamespace, random.Next(2) == 0 ? "Sender" : "Receiver", "soap"),
                Subcode = random.Next(3) switch
                {
                    0 => null,
                    1 => WsdQName.Create(protocol.DiscoveryNamespace, "MatchingRuleNotSupported", "d"),
                    _ => QName(random),
                },
                Reason = random.Next(4) == 0 ? string.Empty : Text(random) + " " + Text(random),
                SupportedMatchingRules = Uris(random),
            },
        };
    }

    private static WsdHeader Header(Random random, WsdProtocol protocol, string action) => new()
    {
        Action = action,
        MessageId = random.Next(6) == 0 ? null : Uuid(random),
        RelatesTo = random.Next(2) == 0 ? null : Uuid(random),
        To = Pick(random, [null, protocol.MulticastTo, protocol.AnonymousAddress, "http://h/" + Text(random)]),
        ReplyTo = random.Next(3) == 0 ? new WsdEndpointReference(protocol.AnonymousAddress) : null,
        AppSequence = random.Next(4) == 0 ? null : new WsdAppSequence(
            random.Next(3) == 0 ? ulong.MaxValue : (ulong)random.NextInt64(),
            (ulong)random.Next(),
            random.Next(2) == 0 ? null : "urn:seq:" + Text(random)),
    };

    private static WsdEndpointData Endpoint(Random random) =>
        new(new WsdEndpointReference(Uuid(random)), Types(random), Uris(random), Uris(random), random.Next(5) == 0 ? null : (ulong)random.NextInt64());

    private static WsdQName[] Types(Random random) => [.. Enumerable.Range(0, random.Next(4)).Select(_ => QName(random))];

    private static WsdQName QName(Random random)
    {
        var ns = random.Next(6) switch
        {
            0 => string.Empty,
            1 => WsdProtocol.V11.DiscoveryNamespace,
            _ => "urn:ns:" + random.Next(4).ToString(System.Globalization.CultureInfo.InvariantCulture) + "&" + Text(random),
        };
        return WsdQName.Create(ns, "T" + random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u00e9", Pick(random, Prefixes));
    }

    private static string[] Uris(Random random) => [.. Enumerable.Range(0, random.Next(5)).Select(_ => "http://h" + random.Next(9).ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + Text(random))];

    private static string Uuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return "urn:uuid:" + new Guid(bytes).ToString("D");
    }

    private static string Text(Random random) => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Fragments[random.Next(Fragments.Length)]));

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
