using System.Text;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Conformance.Tests.Support;
using Harness.Core.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Conformance.Tests.Reports;

public sealed class HostileInputTests
{
    private static readonly string[] Prefixes =
    [
        "", "<", "<?xml version=\"1.0\"?>", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
        "HTTP/1.1 200 OK\r\n\r\n<", "<s:Envelope xmlns:s=\"urn:x\"><s:Header><Action>", "\uFEFF<", "NOTIFY * HTTP/1.1\r\n",
    ];

    [Fact]
    public void RenderAndDescribe_RandomPayloads_NeverThrow()
    {
        var random = new Random(20250102);
        for (var i = 0; i < 2000; i++)
        {
            var prefix = Encoding.UTF8.GetBytes(Prefixes[random.Next(Prefixes.Length)]);
            var tail = new byte[random.Next(0, 300)];
            random.NextBytes(tail);
            if (random.Next(2) == 0)
            {
                // Mostly printable tails make the text and XML paths do real work.
                const string alphabet = "<>/=\"' abcxyz:\r\n&;#";
                for (var j = 0; j < tail.Length; j++)
                {
                    tail[j] = (byte)alphabet[tail[j] % alphabet.Length];
                }
            }

            byte[] payload = [.. prefix, .. tail];
            var view = PayloadView.Render(payload);
            var summary = MessageSummary.Describe(payload);

            Assert.NotNull(view.Body);
            Assert.True(summary.Length <= 160, summary);
            Assert.DoesNotContain('\n', summary);
        }
    }

    [Fact]
    public void Render_DeeplyNested_RefusedNotOverflowed()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));

        var view = PayloadView.Render(Encoding.UTF8.GetBytes(deep));

        Assert.NotEqual(PayloadKind.Xml, view.Kind);
        Assert.Equal("a", MessageSummary.Describe(Encoding.UTF8.GetBytes("<a/>")));
    }

    [Fact]
    public async Task Console_TerminalEscapesInDeviceName_Neutralised()
    {
        var device = new Device("dev-1", Protocols.Wsd, [DeviceRole.TargetService]) { DisplayName = "\u001b]0;owned\u0007\u001b[2J\rname" };
        var rule = new Rule
        {
            Id = "EX-1",
            Title = "t",
            Citation = new SpecCitation("s", "1"),
            Level = RuleLevel.Must,
            Protocol = Protocols.Wsd,
            Check = ctx => [ctx.Violation("bad \u001b[31m value\nsecond line")],
        };
        var result = await new Runner(new RuleCatalogue([rule]), new FakeTimeProvider(Samples.Start))
            .RunAsync(new ConformanceRun { RunId = "r" }, new ObservedSession(Array.Empty<TrafficRecord>(), [device], "t"));

        var text = new ConsoleSummaryWriter().Render(result);

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\r', text);
        Assert.Contains("\\u001B]0;owned\\u0007", text, StringComparison.Ordinal);
        Assert.Contains("EX-1             \\u001B]0;owned", text, StringComparison.Ordinal);
        Assert.EndsWith("Result: FAIL (exit code 1): 1 MUST failure(s), 0 warning(s), 0 error(s)\n", text, StringComparison.Ordinal);
    }
}
