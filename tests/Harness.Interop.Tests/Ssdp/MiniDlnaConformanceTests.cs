using System.Text.RegularExpressions;
using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>
/// The main job against a real UPnP device: <c>harness conformance run --target 127.0.0.1 --interface lo</c> inside the
/// namespace of Debian's minidlna 1.3.0, with the SSDP and description rules. The verdicts asserted are what minidlna
/// really does (observed first, the same on every run); the report must say so in results.json and in index.html.
/// </summary>
public sealed partial class MiniDlnaConformanceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// What minidlna 1.3.0 breaks, with the verdict each gets (every other rule passes or does not apply):
    /// <list type="bullet">
    /// <item>SSDP-MSEARCH-003 (MUST, fail): it answers an M-SEARCH with <c>MX: 0</c>. Its own check (minissdp.c "bad MX
    /// header") discards -1, text and an empty value, but lets 0 through, and answers at once.</item>
    /// <item>SSDP-RESP-002 (warn): max-age = 2 × notify_interval + 10 = 70 s, far under the recommended 1800.</item>
    /// <item>SSDP-RESP-006 (warn): SERVER <c>Debian DLNADOC/1.50 UPnP/1.0 MiniDLNA/1.3.0</c>: an OS token without a
    /// version and four tokens instead of three.</item>
    /// <item>DESC-XML-006 (SHOULD, warn): modelName "Windows Media Connect compatible (MiniDLNA)" is 43 characters (over
    /// 32) and the vendor service type urn:microsoft.com:… keeps the dots of its domain.</item>
    /// </list>
    /// </summary>
    private static readonly Dictionary<string, Verdict> Broken = new(StringComparer.Ordinal)
    {
        ["SSDP-MSEARCH-003"] = Verdict.Fail,
        ["SSDP-RESP-002"] = Verdict.Warn,
        ["SSDP-RESP-006"] = Verdict.Warn,
        ["DESC-XML-006"] = Verdict.Warn,
    };

    /// <summary>
    /// SSDP-MSEARCH-015 (SHOULD): minidlna answers a multicast search at once instead of after a random delay within MX.
    /// The rule sees it as a burst (warn) on a quiet machine; on a loaded one the scheduler alone may spread the answers
    /// over more than the rule's 50 ms, and it passes. Either verdict, never another.
    /// </summary>
    private const string BurstRule = "SSDP-MSEARCH-015";

    /// <summary>UDA 1.1 additions a UPnP/1.0 device is not held to (SsdpRules: NotApplicable, naming UPnP/1.0).</summary>
    private static readonly string[] Uda11Additions =
        ["SSDP-RESP-008", "SSDP-RESP-009", "SSDP-MSEARCH-018", "SSDP-MSEARCH-019", "SSDP-UPDATE-002", "SSDP-CONFIG-001"];

    private readonly string _dir = Directory.CreateTempSubdirectory("harness-dlna-conformance-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task ConformanceRun_MiniDlnaAsTarget_ReportsWhatItBreaksAndExitsOneForItsMustFailure()
    {
        await using var dlna = await MiniDlnaPeer.StartAsync(new MiniDlnaOptions { FriendlyName = "Harness Conformance", NotifyInterval = 30 });
        var output = Path.Combine(_dir, "report");

        var run = await dlna.RunHarnessAsync(Timeout, "conformance", "run", "--target", "127.0.0.1", "--interface", "lo", "--rules", "SSDP-*,DESC-*", "--out", output);

        var result = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        var context = $"{run}\n--- minidlna\n{dlna.Process.StandardOutput}";
        Assert.All(result.Rules, r => Assert.True(r.Id.StartsWith("SSDP-", StringComparison.Ordinal) || r.Id.StartsWith("DESC-", StringComparison.Ordinal), r.Id));

        // The only device in its namespace: the root MediaServer, named by its UDN and friendly name.
        var device = Assert.Single(result.DeviceResults);
        Assert.Equal(Protocols.Ssdp, device.Device.Protocol);
        Assert.Equal(dlna.Udn, device.Device.Id);
        Assert.Equal("Harness Conformance", device.Device.DisplayName);
        Assert.Equal("1.0", device.Device.Metadata.GetValueOrDefault(Harness.Conformance.Ssdp.SsdpDevices.UpnpVersionKey));

        // No check failed to judge it.
        Assert.True(!device.Outcomes.Any(o => o.Verdict == Verdict.Error), context);

        var failing = device.Outcomes
            .Where(o => o.Verdict is Verdict.Fail or Verdict.Warn or Verdict.Info)
            .ToDictionary(o => o.Rule.Id, o => o.Verdict, StringComparer.Ordinal);
        var burst = failing.Remove(BurstRule, out var burstVerdict) ? burstVerdict : Outcome(device, BurstRule);
        Assert.True(burst is Verdict.Warn or Verdict.Pass, $"{BurstRule}: {burst}\n{context}");
        Assert.True(
            Broken.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(failing.OrderBy(p => p.Key, StringComparer.Ordinal)),
            $"expected [{Describe(Broken)}], got [{Describe(failing)}]\n{context}");

        // The evidence names the offending values.
        Assert.Contains(Findings(result, "SSDP-MSEARCH-003"), f => f.Verdict == Verdict.Fail && f.Message.Contains("MX '0'", StringComparison.Ordinal));
        Assert.Contains(Findings(result, "SSDP-RESP-002"), f => f.Verdict == Verdict.Warn && f.Message.Contains("max-age is 70 s", StringComparison.Ordinal));
        Assert.Contains(Findings(result, "SSDP-RESP-006"), f => f.Verdict == Verdict.Warn && f.Message.Contains("UPnP/1.0 MiniDLNA/", StringComparison.Ordinal));
        Assert.Contains(Findings(result, "DESC-XML-006"), f => f.Verdict == Verdict.Warn && f.Message.Contains("modelName", StringComparison.Ordinal));

        // A UPnP/1.0 device (SERVER and specVersion): the UDA 1.1 additions do not apply, and the report says why.
        foreach (var id in Uda11Additions)
        {
            Assert.True(Outcome(device, id) == Verdict.NotApplicable, $"{id}: {Outcome(device, id)}\n{context}");
            Assert.Contains(Findings(result, id), f => f.Message.Contains("UPnP/1.0", StringComparison.Ordinal));
        }

        // Its description and its answers to the search stimuli are judged, not skipped.
        foreach (var id in new[] { "DESC-HTTP-002", "DESC-XML-007", "SSDP-MSEARCH-002", "SSDP-MSEARCH-005", "SSDP-MSEARCH-008", "SSDP-MSEARCH-010", "SSDP-RESP-004" })
        {
            Assert.True(Outcome(device, id) == Verdict.Pass, $"{id}: {Outcome(device, id)}\n{context}");
        }

        // index.html shows the same outcomes: an article per rule that failed or warned, with its verdict.
        var html = await File.ReadAllTextAsync(Path.Combine(output, "index.html"));
        var shown = OutcomeArticle().Matches(html)
            .Select(m => (Rule: m.Groups["rule"].Value, Verdict: m.Groups["verdict"].Value))
            .Where(a => a.Verdict is "fail" or "warn" or "info")
            .ToDictionary(a => a.Rule, a => a.Verdict, StringComparer.Ordinal);
        Assert.All(Broken, p => Assert.True(
            shown.GetValueOrDefault(p.Key) == p.Value.ToString().ToLowerInvariant(),
            $"index.html shows {p.Key} as {shown.GetValueOrDefault(p.Key) ?? "nothing"}, results.json as {p.Value}"));
        Assert.Equal(failing.Count + (burst == Verdict.Warn ? 1 : 0), shown.Count);

        // The exit code follows the MUST failures: SSDP-MSEARCH-003 (answering MX 0) is one, so 1. The warnings alone
        // would give 0. Same number in results.json.
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(1, result.ExitCode);
        Assert.True(run.ExitCode == 1, context);
        Assert.Contains("SSDP-MSEARCH-003", run.StandardOutput, StringComparison.Ordinal);

        // The session saved as pcapng, judged passively: minidlna's own messages give the same passive verdicts. The
        // MX 0 answer needed our stimulus (an active rule, not applicable to a capture), so the capture exits 0.
        var replayOutput = Path.Combine(_dir, "replay");
        var replay = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--pcap", Path.Combine(output, "session.pcapng"), "--rules", "SSDP-*,DESC-*", "--out", replayOutput);
        var replayed = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(replayOutput, "results.json")));
        var again = Assert.Single(replayed.DeviceResults);
        Assert.Equal(dlna.Udn, again.Device.Id);
        var live = device.Outcomes.Where(o => o.Rule.Kind == RuleKind.Passive).ToDictionary(o => o.Rule.Id, o => o.Verdict, StringComparer.Ordinal);
        var fromCapture = again.Outcomes.Where(o => o.Rule.Kind == RuleKind.Passive).ToDictionary(o => o.Rule.Id, o => o.Verdict, StringComparer.Ordinal);
        Assert.True(
            live.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(fromCapture.OrderBy(p => p.Key, StringComparer.Ordinal)),
            $"live [{Describe(live)}]\ncapture [{Describe(fromCapture)}]\n{replay}");
        Assert.Equal(["DESC-XML-006", "SSDP-RESP-002", "SSDP-RESP-006"], fromCapture.Where(p => p.Value == Verdict.Warn).Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.True(replay.ExitCode == 0, replay.ToString());
    }

    private static Verdict? Outcome(DeviceResult device, string ruleId) =>
        device.Outcomes.FirstOrDefault(o => o.Rule.Id == ruleId)?.Verdict;

    private static IEnumerable<Finding> Findings(RunResult result, string ruleId) =>
        result.Findings.Where(f => f.RuleId == ruleId);

    private static string Describe(IEnumerable<KeyValuePair<string, Verdict>> verdicts) =>
        string.Join(", ", verdicts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));

    // <article class="outcome v-fail" id="dev-1-SSDP-MSEARCH-003" data-verdict="fail" …> (HtmlReportWriter).
    [GeneratedRegex("""<article class="outcome [^"]*" id="dev-\d+-(?<rule>[A-Z0-9-]+)" data-verdict="(?<verdict>[a-zA-Z]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex OutcomeArticle();
}
