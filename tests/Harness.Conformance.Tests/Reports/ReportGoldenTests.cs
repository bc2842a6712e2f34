using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Conformance.Tests.Support;

namespace Harness.Conformance.Tests.Reports;

/// <summary>Each writer against golden output of the fixed sample run (fake clock, fixed ids).</summary>
public sealed class ReportGoldenTests
{
    [Fact]
    public async Task SampleRun_Verdicts_AreWhatTheExampleRulesSay()
    {
        var result = await Samples.RunAsync();

        var verdicts = result.Outcomes.Select(o => $"{o.Device.Id[..12]} {o.Rule.Id} {o.Verdict}").ToList();
        Assert.Equal(
            [
                "urn:uuid:5f1 EX-EPR-002 Pass",
                "urn:uuid:5f1 EX-PING-003 NotApplicable",
                "urn:uuid:5f1 EX-TEXT-005 NotApplicable",
                "urn:uuid:5f1 EX-XML-001 Pass",
                "uuid:2fac123 EX-SSDP-004 Pass",
                "uuid:<script EX-EPR-002 Warn",
                "uuid:<script EX-PING-003 NotApplicable",
                "uuid:<script EX-TEXT-005 Info",
                "uuid:<script EX-XML-001 Fail",
            ],
            verdicts);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(new VerdictCounts(Pass: 3, Fail: 1, Warn: 1, Info: 1, NotApplicable: 3, Error: 0), result.Totals);
    }

    [Fact]
    public async Task Html_SampleRun_MatchesGolden()
    {
        Golden.AssertMatches("sample.html", new HtmlReportWriter().Render(await Samples.RunAsync()));
    }

    [Fact]
    public async Task Json_SampleRun_MatchesGolden()
    {
        Golden.AssertMatches("sample.json", new JsonReportWriter().Render(await Samples.RunAsync()));
    }

    [Fact]
    public async Task JUnit_SampleRun_MatchesGolden()
    {
        Golden.AssertMatches("sample.junit.xml", new JUnitReportWriter().Render(await Samples.RunAsync()));
    }

    [Fact]
    public async Task Console_SampleRun_MatchesGolden()
    {
        Golden.AssertMatches("sample.console.txt", new ConsoleSummaryWriter().Render(await Samples.RunAsync(), "reports/20250102T030407Z/index.html"));
    }

    [Fact]
    public async Task Writers_SameResultTwice_SameBytes()
    {
        var first = await Samples.RunAsync();
        var second = await Samples.RunAsync();

        Assert.Equal(new HtmlReportWriter().Render(first), new HtmlReportWriter().Render(second));
        Assert.Equal(new JsonReportWriter().Render(first), new JsonReportWriter().Render(second));
        Assert.Equal(new JUnitReportWriter().Render(first), new JUnitReportWriter().Render(second));
    }

    [Fact]
    public async Task WriteAll_ToFolder_WritesTheThreeFiles()
    {
        var result = await Samples.RunAsync();
        var folder = Path.Combine(Path.GetTempPath(), "harness-conf-" + Guid.NewGuid().ToString("N"));
        try
        {
            var paths = await ReportFiles.WriteAllAsync(result, folder);

            Assert.Equal(["index.html", "results.json", "junit.xml"], paths.Select(Path.GetFileName));
            Assert.Equal(new HtmlReportWriter().Render(result), await File.ReadAllTextAsync(paths[0]));
            Assert.NotEqual(0xEF, (await File.ReadAllBytesAsync(paths[1]))[0]); // no byte order mark
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
