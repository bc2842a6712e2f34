using Harness.Capture;
using Harness.Conformance.Dpws;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Simulators.Quirks;

namespace Harness.Conformance.Tests.Dpws;

/// <summary>The DPWS tests that run simulated scanners and printers on loopback; one fleet at a time.</summary>
public sealed class DpwsNetworkCollection
{
    // One collection for every simulated fleet: fleets run one at a time, so one protocol's start-up does not starve
    // another's timing rules (WSD-PRB-013 failed for whole camera fleets while the other fleets started).
    public const string Name = "Simulated fleets on loopback";
}

/// <summary>
/// Starts a correct scanner and printer, one device per named quirk profile and kind, and one per test deviation, discovers
/// them over WS-Discovery on a test port, runs every DPWS exchange and rule once, and keeps the result.
/// </summary>
public sealed class DpwsQuirkMatrix : IAsyncLifetime
{
    internal DpwsFleet Fleet { get; private set; } = null!;

    internal static IReadOnlyList<DpwsSpec> NamedSpecs { get; } =
    [
        .. DpwsQuirkProfiles.All.SelectMany(p => new[] { DpwsQuirkDevices.Scanner, DpwsQuirkDevices.Printer }
            .Where(k => (p.Devices & k) != 0)
            .Select(k => new DpwsSpec(p.Name + "/" + k.ToString().ToLowerInvariant(), k, p))),
    ];

    internal static IReadOnlyList<DpwsSpec> TestSpecs { get; } = [.. DpwsTestQuirks.All.Select(t => new DpwsSpec(t.Profile.Name, t.Kind, t.Profile))];

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        Fleet = await DpwsFleet.StartAsync([.. DpwsFleet.CorrectDevices, .. NamedSpecs, .. TestSpecs], timeout.Token);
    }

    public async Task DisposeAsync() => await Fleet.DisposeAsync();
}

[Collection(DpwsNetworkCollection.Name)]
public sealed class DpwsRuleMatrixTests(DpwsQuirkMatrix matrix) : IClassFixture<DpwsQuirkMatrix>
{
    public static TheoryData<string> RuleIds => [.. DpwsRules.All.Select(r => r.Id)];

    public static TheoryData<string> NamedDevices => [.. DpwsQuirkMatrix.NamedSpecs.Select(s => s.Name)];

    private DpwsFleet Fleet => matrix.Fleet;

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_OnCorrectDevices_PassesSomewhereAndFailsNowhere(string ruleId)
    {
        var verdicts = DpwsFleet.CorrectDevices.Select(c => (c.Name, Verdict: Fleet.VerdictOf(c.Name, ruleId))).ToList();

        Assert.All(verdicts, v => Assert.True(v.Verdict is Verdict.Pass or Verdict.NotApplicable, Fleet.Explain(v.Name, ruleId)));
        Assert.Contains(verdicts, v => v.Verdict == Verdict.Pass);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_OnTheQuirkThatBreaksIt_GivesTheVerdictOfItsLevel(string ruleId)
    {
        var rule = DpwsRules.All.Single(r => r.Id == ruleId);
        var breakers = DpwsQuirkMatrix.NamedSpecs.Concat(DpwsQuirkMatrix.TestSpecs).Where(s => s.Quirk!.ExpectedFailures.Contains(ruleId)).ToList();
        var expected = rule.Level.ViolationVerdict(); // MUST: Fail, SHOULD: Warn, MAY: Info

        Assert.NotEmpty(breakers);
        Assert.True(
            breakers.Any(s => Fleet.VerdictOf(s.Name, ruleId) == expected),
            $"No device gives {expected}: " + string.Join(" || ", breakers.Select(s => Fleet.Explain(s.Name, ruleId))));
    }

    [Theory]
    [MemberData(nameof(NamedDevices))]
    public void Profile_FailsExactlyItsExpectedRules(string name)
    {
        var spec = DpwsQuirkMatrix.NamedSpecs.Single(s => s.Name == name);

        var failing = Fleet.Failing(name);

        Assert.True(
            failing.SetEquals(spec.Quirk!.ExpectedFailures),
            $"{name}: expected [{string.Join(", ", spec.Quirk.ExpectedFailures.Order())}], got [{string.Join(", ", failing.Order())}]: "
            + string.Join(" || ", failing.Union(spec.Quirk.ExpectedFailures).Select(r => Fleet.Explain(name, r))));
    }

    [Fact]
    public void Records_EveryExchange_IsRecordedAsHttpUnderTheDpwsLabel()
    {
        var http = Fleet.Recorder.Snapshot().Where(r => r.Transport == Core.Recording.TrafficTransport.Http).ToList();

        Assert.NotEmpty(http);
        Assert.All(http, r => Assert.Equal("dpws", r.Protocol));
        // Requests go out from a real local port to the device's XAddr port (the endpoints of the connection).
        Assert.Contains(http, r => r.Direction == Core.Recording.TrafficDirection.Outbound && r.Source.Port != 0 && Fleet.DeviceOf("correct-scanner").IsAt(r.Destination));
    }

    [Fact]
    public async Task SavedSession_RejudgedPassively_ReproducesThePassiveVerdicts()
    {
        var records = Fleet.Recorder.Snapshot();

        var result = await RejudgeAsync(records, "saved session");

        AssertSamePassiveVerdicts(result, ["correct-scanner", "correct-printer", "dpws-soap-text-xml/scanner", "dpws-no-relates-to/printer", "dpws-metadata-https-ns/scanner", "test-image-not-an-image"]);
    }

    [Fact]
    public async Task Capture_WrittenAsPcapngAndRead_ReproducesThePassiveVerdicts()
    {
        var path = Path.Combine(Path.GetTempPath(), $"harness-dpws-{Environment.ProcessId}-{Guid.NewGuid():N}.pcapng");
        try
        {
            PcapNgWriter.WriteFile(path, Fleet.Recorder.Snapshot());
            var read = CaptureFile.ReadAll(path).Records;

            Assert.DoesNotContain(read, r => r.Transport == Core.Recording.TrafficTransport.Http); // the capture has TCP, not our HTTP records
            var result = await RejudgeAsync(read, "capture");

            AssertSamePassiveVerdicts(result, ["correct-scanner", "correct-printer", "dpws-soap-text-xml/printer", "dpws-fault-http-200/scanner", "scan-wrong-fault-code/scanner", "test-image-not-an-image"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<RunResult> RejudgeAsync(IReadOnlyList<Core.Recording.TrafficRecord> records, string source)
    {
        var devices = DpwsSuite.FindDevices(records);
        var session = new ObservedSession(records, devices, source);
        return await new Runner(DpwsSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session);
    }

    private void AssertSamePassiveVerdicts(RunResult result, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            var device = Fleet.DeviceOf(name);
            Assert.Contains(result.Devices, d => d.Id == device.Id);
            foreach (var rule in DpwsRules.All.Where(r => r.Kind == RuleKind.Passive && r.AppliesTo(device)))
            {
                var replayed = result.Outcomes.FirstOrDefault(o => o.Device.Id == device.Id && o.Rule.Id == rule.Id)?.Verdict ?? Verdict.NotApplicable;
                Assert.True(Fleet.VerdictOf(name, rule.Id) == replayed, $"{name} {rule.Id}: live {Fleet.VerdictOf(name, rule.Id)}, re-judged {replayed}. {Fleet.Explain(name, rule.Id)}");
            }

            foreach (var rule in DpwsRules.All.Where(r => r.Kind == RuleKind.Active && r.AppliesTo(device)))
            {
                Assert.Equal(Verdict.NotApplicable, result.Outcomes.FirstOrDefault(o => o.Device.Id == device.Id && o.Rule.Id == rule.Id)?.Verdict ?? Verdict.NotApplicable);
            }
        }
    }
}
