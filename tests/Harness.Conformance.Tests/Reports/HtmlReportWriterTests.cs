using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Conformance.Tests.Support;
using Harness.Core.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Conformance.Tests.Reports;

public sealed partial class HtmlReportWriterTests
{
    /// <summary>A run where every device-supplied field carries its own hostile marker.</summary>
    private static async Task<(string Html, IReadOnlyList<string> Markers)> HostileReportAsync()
    {
        static string M(string field) => $"<x-{field} onmouseover=\"alert('{field}')\">&amp;'\"";

        var markers = new List<string>();
        string Mark(string field)
        {
            var marker = M(field);
            markers.Add(marker);
            return marker;
        }

        var address = new IPEndPoint(IPAddress.Parse("127.0.0.30"), 3702);
        var device = new Device("id" + Mark("id"), Protocols.Wsd, [DeviceRole.TargetService])
        {
            DisplayName = Mark("name"),
            EndpointReference = Mark("epr"),
            Addresses = [address],
            Metadata = new Dictionary<string, string> { [Mark("metakey")] = Mark("metavalue") },
        };
        var recorder = new TrafficRecorder(new FakeTimeProvider(Samples.Start));
        var xmlPayload = $"<root><![CDATA[{Mark("xmlpayload")}]]></root>";
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, address, Samples.Harness, Encoding.UTF8.GetBytes(xmlPayload), "wsd");
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, address, Samples.Harness, Encoding.UTF8.GetBytes(Mark("textpayload")), "wsd");
        var summaryMarker = Mark("summary");
        var messageMarker = Mark("message");
        var actualMarker = Mark("actual");
        var expectedMarker = Mark("expected");
        var locationMarker = Mark("location");
        var rule = new Rule
        {
            Id = "EX-HOSTILE-001",
            Title = "Hostile",
            Citation = new SpecCitation("Spec", "1", Url: "https://example.invalid/spec", Text: "quoted"),
            Level = RuleLevel.Must,
            Protocol = Protocols.Wsd,
            Check = ctx => [ctx.Violation(messageMarker, ctx.DeviceRecords, actualMarker, expectedMarker, locationMarker)],
        };
        var result = await new Runner(new RuleCatalogue([rule]), new FakeTimeProvider(Samples.Start)).RunAsync(
            new ConformanceRun { RunId = "r1", ToolVersion = "t", TargetDescription = Mark("target"), Summarizer = r => r.Sequence == 0 ? summaryMarker : null },
            new ObservedSession(recorder.Snapshot(), [device], "live"));
        return (new HtmlReportWriter().Render(result), markers);
    }

    [Fact]
    public async Task Render_HostileStringsInEveryField_ShownOnlyAsEncodedText()
    {
        var (html, markers) = await HostileReportAsync();

        foreach (var marker in markers)
        {
            var field = marker[3..marker.IndexOf(' ', StringComparison.Ordinal)];
            Assert.DoesNotContain("<x-" + field, html, StringComparison.Ordinal);
            Assert.Contains($"&lt;x-{field} onmouseover=&quot;alert(&#39;{field}&#39;)&quot;&gt;&amp;amp;&#39;&quot;", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("onmouseover=\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_SampleWithScriptName_OnlyOurOwnScriptElement()
    {
        var html = new HtmlReportWriter().Render(await Samples.RunAsync());

        Assert.Equal(1, Regex.Count(html, "<script", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=document.title=&#39;pwned&#39;&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Sample_NoNetworkReferences()
    {
        var html = new HtmlReportWriter().Render(await Samples.RunAsync());

        // Real tags only (device text has every '<' encoded, so it cannot look like a tag here).
        var tags = string.Join("\n", TagPattern().Matches(html).Select(m => m.Value));

        // Every href is a fragment link; there is no src, no action, no CSS url() or @import anywhere.
        var hrefs = HrefPattern().Matches(tags).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(hrefs);
        Assert.All(hrefs, href => Assert.StartsWith("#", href, StringComparison.Ordinal));
        Assert.DoesNotMatch(@"(?i)\s(src|srcset|action|formaction|poster|data|background|ping)\s*=", tags);
        Assert.DoesNotMatch(@"(?i)(src|href)\s*=\s*[""']?\s*(https?:)?//", tags);
        Assert.DoesNotMatch(@"(?i)<(link|iframe|object|embed|base|img|video|audio|source|frame)\b", tags);
        Assert.DoesNotMatch(@"(?i)url\s*\(|@import|https?:", ReportAssetsText(html));
        Assert.Contains("default-src &#39;none&#39;", html, StringComparison.Ordinal);

        // URLs appear only as text (the citation's URL, the device's XAddrs).
        Assert.Contains("https://specs.xmlsoap.org/ws/2005/04/discovery/ws-discovery.pdf", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Sample_ContentSecurityPolicyHashesMatchInlineBlocks()
    {
        var html = new HtmlReportWriter().Render(await Samples.RunAsync());

        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        var script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var styleHash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        var scriptHash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        Assert.Contains($"style-src &#39;sha256-{styleHash}&#39;", html, StringComparison.Ordinal);
        Assert.Contains($"script-src &#39;sha256-{scriptHash}&#39;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Sample_ShowsVerdictsCountsCitationsAndMessages()
    {
        var html = new HtmlReportWriter().Render(await Samples.RunAsync());

        Assert.Contains("<div class=\"overall v-fail\">FAIL<small>exit code 1</small></div>", html, StringComparison.Ordinal);
        Assert.Contains("data-verdict=\"fail\" data-protocol=\"wsd\" data-level=\"must\"", html, StringComparison.Ordinal);
        Assert.Contains("<b>UPnP Device Architecture 1.1</b> \u00a71.3.3 \u2014 <q>CACHE-CONTROL: REQUIRED.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"msg-1\"", html, StringComparison.Ordinal);
        Assert.Contains("  &lt;s:Header&gt;\n    &lt;a:Action&gt;http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches&lt;/a:Action&gt;", html, StringComparison.Ordinal);
        Assert.Contains("00000000  00 01 02 ff fe 3c 73 63  72 69 70 74 3e 7f 80 10  .....&lt;script&gt;...", html, StringComparison.Ordinal);
        Assert.Contains("<form id=\"filters\" class=\"filters\" hidden>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_Append_EncodesHolesKeepsLiterals()
    {
        var html = new Html();
        var hostile = "\"><script>x</script>";

        html.Append($"<td title=\"{hostile}\">{hostile}{42}</td>");

        Assert.Equal("<td title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&quot;&gt;&lt;script&gt;x&lt;/script&gt;42</td>", html.ToString());
    }

    private static string ReportAssetsText(string html) =>
        string.Concat(Regex.Matches(html, "<(style|script)>(.*?)</(style|script)>", RegexOptions.Singleline).Select(m => m.Groups[2].Value));

    [GeneratedRegex("<[a-zA-Z!][^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"(?i)\shref\s*=\s*""([^""]*)""")]
    private static partial Regex HrefPattern();
}
