using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Quirks;

namespace Harness.Interop.Tests.Conformance;

/// <summary>The main job as a user runs it: the real <c>harness conformance run</c> process, reports on disk.</summary>
public sealed class MainJobTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("harness-mainjob-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DefaultFleet_WellBehaved_ExitZeroAndEveryReportFile()
    {
        var port = HarnessCli.PrivatePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var output = Path.Combine(_dir, "default");
        var run = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--multicast-port", port, "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var file in new[] { "index.html", "results.json", "junit.xml", "session.pcapng" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing\n{run}");
        }

        var result = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        Assert.True(result.Devices.Count >= 2, run.ToString());
        Assert.All(result.DeviceResults, d => Assert.Equal(Verdict.Pass, d.Verdict));
        Assert.Empty(result.Failures);
        Assert.True(result.Rules.Count >= 40, $"{result.Rules.Count} rules");
        Assert.Contains("devices found: ", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("rules: ", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bare-uuid")]
    [InlineData("no-appsequence")]
    [InlineData("multicast-replies")]
    [InlineData("resolve-any")]
    public async Task QuirkyCamera_FailsExactlyTheRulesItsQuirkBreaks_AndTheCaptureReproducesThem(string quirk)
    {
        var profile = QuirkProfiles.Find(quirk) ?? throw new InvalidOperationException("no profile " + quirk);
        var port = HarnessCli.PrivatePort();
        var fleet = Path.Combine(_dir, quirk + ".json");
        await File.WriteAllTextAsync(fleet, $$"""
            { "seed": 11, "multicastPort": {{port}}, "devices": [ { "kind": "camera", "name": "Good" }, { "kind": "camera", "name": "Quirky", "quirk": "{{quirk}}" } ] }
            """);
        var output = Path.Combine(_dir, quirk);

        var run = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--fleet", fleet, "--out", output);

        var result = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        var good = Assert.Single(result.DeviceResults, d => d.Device.DisplayName == "Good");
        var quirky = Assert.Single(result.DeviceResults, d => d.Device.DisplayName == "Quirky");
        Assert.Equal(Verdict.Pass, good.Verdict);
        var broken = quirky.Outcomes.Where(o => o.Verdict is Verdict.Fail or Verdict.Warn).Select(o => o.Rule.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(profile.ExpectedFailures.Order(StringComparer.Ordinal).ToArray(), broken);
        // A broken MUST fails the run; a broken SHOULD (bare-uuid under 2005) only warns.
        var mustBroken = quirky.Outcomes.Any(o => o.Verdict == Verdict.Fail);
        Assert.True(run.ExitCode == (mustBroken ? 1 : 0), run.ToString());

        // Passive replay of the session the run saved: every failure a passive rule found live is found again.
        var replay = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--pcap", Path.Combine(output, "session.pcapng"), "--out", output + "-replay");
        var replayed = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(output + "-replay", "results.json")));
        var passiveFailures = quirky.Outcomes.Where(o => o.Verdict == Verdict.Fail && o.Rule.Kind == RuleKind.Passive).Select(o => o.Rule.Id).ToHashSet();
        var again = replayed.Outcomes.Where(o => o.Device.Id == quirky.Device.Id && o.Verdict == Verdict.Fail).Select(o => o.Rule.Id).ToHashSet();
        Assert.True(passiveFailures.SetEquals(again), $"live passive failures {string.Join(",", passiveFailures)}; from the capture {string.Join(",", again)}\n{replay}");
        Assert.Equal(passiveFailures.Count > 0 ? 1 : 0, replay.ExitCode);
    }

    [Theory]
    [InlineData("--pcap", "/nonexistent/file.pcapng")]
    [InlineData("--rules", "NO-SUCH-RULE-*")]
    [InlineData("--replay", "x.pcapng")]
    public async Task UsageError_ExitTwoWithAMessage(string option, string value)
    {
        var run = await HarnessCli.RunAsync(Timeout, "conformance", "run", option, value, "--out", Path.Combine(_dir, "usage"));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("harness conformance run:", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pcap_NotACapture_ClearErrorNotACrash()
    {
        var bogus = Path.Combine(_dir, "not-a-capture.pcapng");
        await File.WriteAllTextAsync(bogus, "this is not a capture file");
        var run = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--pcap", bogus, "--out", Path.Combine(_dir, "bogus"));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
    }
}
