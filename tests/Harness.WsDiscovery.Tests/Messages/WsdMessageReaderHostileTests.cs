using System.Diagnostics;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;
using Harness.WsDiscovery.Messages;
using static Harness.WsDiscovery.Tests.Messages.WsdVectors;

namespace Harness.WsDiscovery.Tests.Messages;

/// <summary>Peers can send anything: the reader never throws or hangs, and says clearly what was wrong.</summary>
public sealed class WsdMessageReaderHostileTests
{
    private const string Probe2005 =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
        + "<s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>urn:uuid:11111111-2222-3333-4444-555555555555</a:MessageID>"
        + "<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe>{0}</d:Probe></s:Body></s:Envelope>";

    private const string Specials = "<>&\"'/:= \r\n;#x!?[]-";

    private static byte[] ProbeWith(string body) => Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, Probe2005, body));

    [Fact]
    public void Read_EmptyInput_IsXmlWellFormedError()
    {
        var result = WsdMessageReader.Read([]);

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlWellFormed, ViolationSeverity.Error, "empty");
    }

    [Fact]
    public void Read_RandomBytes_NeverThrowsAndAlwaysExplains()
    {
        var random = new Random(20240501);
        for (var i = 0; i < 400; i++)
        {
            var bytes = new byte[random.Next(0, 2048)];
            random.NextBytes(bytes);
            if (i % 4 == 0 && bytes.Length > 0)
            {
                bytes[0] = (byte)'<';
            }

            var result = WsdMessageReader.Read(bytes);

            Assert.Null(result.Message);
            Assert.Contains(result.Violations, v => v.Severity == ViolationSeverity.Error);
        }
    }

    [Fact]
    public void Read_EveryTruncationOfAVector_NeverThrowsAndNeverInventsAMessage()
    {
        var full = Load("oasis-wsdd11-probematches.xml");
        var end = Encoding.UTF8.GetString(full).LastIndexOf("</s:Envelope>", StringComparison.Ordinal) + "</s:Envelope>".Length;

        for (var length = 0; length < full.Length; length++)
        {
            var result = WsdMessageReader.Read(full.AsSpan(0, length));

            if (length < end)
            {
                Assert.Null(result.Message);
                Assert.Contains(result.Violations, v => v.RuleId == WsdRuleIds.XmlWellFormed);
            }
            else
            {
                Assert.IsType<WsdProbeMatches>(result.Message);
            }
        }
    }

    [Fact]
    public void Read_MutatedVectors_NeverThrowAndNeverAcceptWhatSafeXmlRefuses()
    {
        var random = new Random(77);
        var vectors = All().Select(Load).ToArray();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])vectors[random.Next(vectors.Length)].Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                var at = random.Next(bytes.Length);
                bytes[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)Specials[random.Next(Specials.Length)],
                    _ => 0,
                };
            }

            var result = WsdMessageReader.Read(bytes);

            if (result.Violations.All(v => v.RuleId is not (WsdRuleIds.XmlWellFormed or WsdRuleIds.XmlDtd or WsdRuleIds.XmlLimits)))
            {
                // The fast parser accepted the document: the authoritative SafeXml must accept it too.
                Assert.True(SafeXml.Load(bytes, XmlLimits.Datagram).Success, Encoding.UTF8.GetString(bytes));
            }
        }
    }

    [Fact]
    public void Read_BillionLaughs_IsRefusedAsADtdWithoutExpansion()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
            + string.Concat(Enumerable.Range(1, 9).Select(n => $"<!ENTITY lol{n} \"{string.Concat(Enumerable.Repeat($"&lol{(n == 1 ? string.Empty : (n - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">"))
            + "]>" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Probe2005, "<d:Scopes>&lol9;</d:Scopes>");
        var stopwatch = Stopwatch.StartNew();

        var result = WsdMessageReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlDtd, ViolationSeverity.Error);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Read_ExternalEntity_IsRefusedAsADtd()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Probe2005, "<d:Scopes>&xxe;</d:Scopes>");

        var result = WsdMessageReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlDtd, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_UndeclaredEntity_IsNotWellFormed()
    {
        var result = WsdMessageReader.Read(ProbeWith("<d:Scopes>&nbsp;</d:Scopes>"));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlWellFormed, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_PayloadLargerThanADatagram_IsRefusedWithWsdUdp001()
    {
        var padding = new string(' ', 70_000);

        var result = WsdMessageReader.Read(ProbeWith(padding));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.DatagramSize, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_PayloadAboveTheIpv4DatagramLimitButWithinTheReaderLimit_IsUnderstoodAndReported()
    {
        var basic = ProbeWith(string.Empty).Length;
        var bytes = ProbeWith(new string(' ', 65_520 - basic));

        var result = WsdMessageReader.Read(bytes);

        Assert.Equal(65_520, bytes.Length);
        Assert.IsType<WsdProbe>(result.Message);
        HasViolation(result, WsdRuleIds.DatagramSize, ViolationSeverity.Error, "65507");
    }

    [Fact]
    public void Read_FullDatagramOfManyScopes_IsReadWithinLimits()
    {
        var scopes = string.Join(' ', Enumerable.Range(0, 2000).Select(i => $"http://s/{i}"));

        var result = WsdMessageReader.Read(ProbeWith($"<d:Scopes>{scopes}</d:Scopes>"));

        Assert.Equal(2000, Assert.IsType<WsdProbe>(result.Message).Scopes.Count);
    }

    [Fact]
    public void Read_DeepNesting_IsRefusedWithoutStackOverflow()
    {
        var deep = string.Concat(Enumerable.Repeat("<x>", 5_000)) + string.Concat(Enumerable.Repeat("</x>", 5_000));

        var result = WsdMessageReader.Read(ProbeWith(deep));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlLimits, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_TooManyElements_IsRefused()
    {
        var many = string.Concat(Enumerable.Repeat("<x/>", 5_000));

        var result = WsdMessageReader.Read(ProbeWith(many));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlLimits, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_TooManyAttributes_IsRefused()
    {
        var attributes = string.Concat(Enumerable.Range(0, 100).Select(i => $" a{i}=\"1\""));

        var result = WsdMessageReader.Read(ProbeWith($"<x{attributes}/>"));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlLimits, ViolationSeverity.Error);
    }

    [Theory]
    [InlineData("<d:Scopes>\u0001</d:Scopes>")]
    [InlineData("<d:Scopes a=\"1\" a=\"2\"/>")]
    [InlineData("<d:Scopes>]]></d:Scopes>")]
    [InlineData("<d:Scopes>a</d:Types>")]
    [InlineData("<d:Scopes x=\"<\"/>")]
    [InlineData("<p:Scopes/>")]
    [InlineData("<d:Scopes>&#0;</d:Scopes>")]
    [InlineData("<d:Scopes>&#xD800;</d:Scopes>")]
    [InlineData("<d:Scopes><!-- a -- b --></d:Scopes>")]
    [InlineData("<d:Scopes xmlns:q=\"\"/>")]
    [InlineData("<d:Scopes><?xml version=\"1.0\"?></d:Scopes>")]
    public void Read_NotWellFormed_IsXmlWellFormedError(string body)
    {
        var result = WsdMessageReader.Read(ProbeWith(body));

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlWellFormed, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_InvalidUtf8_IsXmlWellFormedError()
    {
        var text = ProbeWith("<d:Scopes>http://x/\u00e9</d:Scopes>");
        var at = Encoding.UTF8.GetString(text).IndexOf('\u00e9', StringComparison.Ordinal);
        text[at] = 0xFF;

        var result = WsdMessageReader.Read(text);

        Assert.Null(result.Message);
        HasViolation(result, WsdRuleIds.XmlWellFormed, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_ManyHostileInputs_StayFast()
    {
        var inputs = new[]
        {
            ProbeWith(string.Concat(Enumerable.Repeat("&amp;", 12_000))),
            ProbeWith(string.Concat(Enumerable.Repeat("<!---->", 9_000))),
            ProbeWith(new string('x', 60_000)),
            Encoding.UTF8.GetBytes(new string('<', 60_000)),
        };
        var stopwatch = Stopwatch.StartNew();

        foreach (var input in inputs)
        {
            for (var i = 0; i < 20; i++)
            {
                _ = WsdMessageReader.Read(input);
            }
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), stopwatch.Elapsed.ToString());
    }
}
