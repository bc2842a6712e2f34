using System.Text.Json;
using Harness.Capture;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Simulators.Quirks;

namespace Harness.Conformance.Tests.Captures;

/// <summary>
/// Replays every capture in captures/ that has an expected-results file next to it (passively, as
/// <c>./run-conformance.sh --pcap</c> does) and compares the verdicts with the file.
/// </summary>
public sealed class CaptureRegressionTests
{
    public static TheoryData<string> ExpectedFiles() => [.. ExpectedFileList()];

    private static IEnumerable<string> ExpectedFileList() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "captures"), "*.expected.json", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(RepositoryRoot(), file))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void Captures_EveryQuirkProfileAndACorrectCamera_HaveARecordedSession()
    {
        var files = ExpectedFileList().ToList();
        Assert.Contains(files, f => f.EndsWith("camera-correct.expected.json", StringComparison.Ordinal));
        foreach (var profile in QuirkProfiles.All)
        {
            Assert.Contains(files, f => f.EndsWith($"camera-{profile.Name}.expected.json", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(ExpectedFiles))]
    public async Task Capture_JudgedPassively_ReproducesTheExpectedVerdicts(string expectedFile)
    {
        var root = RepositoryRoot();
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, expectedFile)));
        var capturePath = Path.Combine(Path.GetDirectoryName(Path.Combine(root, expectedFile))!, expected.RootElement.GetProperty("capture").GetString()!);
        var quirk = expected.RootElement.GetProperty("quirk").ValueKind == JsonValueKind.String ? expected.RootElement.GetProperty("quirk").GetString() : null;
        var wanted = expected.RootElement.GetProperty("devices").EnumerateArray()
            .ToDictionary(
                d => d.GetProperty("endpoint").GetString()!,
                d => d.GetProperty("notPassing").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!.ToLowerInvariant()));

        // The expectation itself is anchored to the quirk profile's definition, not only to a past run.
        var allowed = quirk is null ? [] : (QuirkProfiles.Find(quirk) ?? throw new InvalidOperationException("unknown quirk " + quirk)).ExpectedFailures;
        Assert.All(wanted.Values.SelectMany(v => v.Keys), id => Assert.Contains(id, allowed));

        var records = CaptureFile.ReadAll(capturePath).Records;
        var devices = WsdSuite.FindDevices(records);
        var session = new ObservedSession(records, devices, "capture: " + Path.GetFileName(capturePath));
        var result = await new Runner(WsdSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session);

        Assert.Equal(wanted.Keys.Order(StringComparer.Ordinal), result.Devices.Select(d => d.Id).Order(StringComparer.Ordinal));
        foreach (var device in result.DeviceResults)
        {
            var got = device.Outcomes
                .Where(o => o.Verdict is not (Verdict.Pass or Verdict.NotApplicable))
                .ToDictionary(o => o.Rule.Id, o => o.Verdict.ToString().ToLowerInvariant());
            Assert.Equal(wanted[device.Device.Id].OrderBy(p => p.Key, StringComparer.Ordinal), got.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.DoesNotContain(device.Outcomes, o => o.Rule.Kind == RuleKind.Active && o.Verdict != Verdict.NotApplicable);
        }
    }

    // From the test binaries (a normal build) or from this source file (a build with --artifacts-path elsewhere).
    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "." })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("The repository root (Harness.sln) is not above " + AppContext.BaseDirectory);
    }
}
