using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Simulators.Quirks;

namespace Harness.Conformance.Tests.Wsd;

/// <summary>The WS-Discovery tests that run simulated cameras on loopback; one at a time, so that timings stay honest.</summary>
[CollectionDefinition(Name)]
public sealed class WsdNetworkCollection
{
    // One collection for every simulated fleet: fleets run one at a time, so one protocol's start-up does not starve
    // another's timing rules (WSD-PRB-013 failed for whole camera fleets while the other fleets started).
    public const string Name = "Simulated fleets on loopback";
}

/// <summary>
/// Starts the two correct cameras and one camera per quirk profile on loopback (one discovery port each), runs every
/// WS-Discovery rule against all of them once, and keeps the result for <see cref="WsdRuleMatrixTests"/>.
/// </summary>
public sealed class WsdQuirkMatrix : IAsyncLifetime
{
    internal WsdCameraFleet Fleet { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var specs = WsdCameraFleet.CorrectCameras
            .Concat(QuirkProfiles.All.Select(p => new CameraSpec(p.Name, p)))
            .ToList();
        Fleet = await WsdCameraFleet.StartAsync(specs, sharedPort: false, timeout.Token);
    }

    public async Task DisposeAsync() => await Fleet.DisposeAsync();
}

[Collection(WsdNetworkCollection.Name)]
public sealed class WsdRuleMatrixTests(WsdQuirkMatrix matrix) : IClassFixture<WsdQuirkMatrix>
{
    public static TheoryData<string> RuleIds => [.. WsdRules.All.Select(r => r.Id)];

    public static TheoryData<string> ProfileNames => [.. QuirkProfiles.All.Select(p => p.Name)];

    private WsdCameraFleet Fleet => matrix.Fleet;

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_OnCorrectCameras_PassesSomewhereAndFailsNowhere(string ruleId)
    {
        var verdicts = WsdCameraFleet.CorrectCameras.Select(c => (c.Name, Verdict: Fleet.VerdictOf(c.Name, ruleId))).ToList();

        Assert.All(verdicts, v => Assert.True(v.Verdict is Verdict.Pass or Verdict.NotApplicable, Fleet.Explain(v.Name, ruleId)));
        Assert.Contains(verdicts, v => v.Verdict == Verdict.Pass);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_OnTheQuirkThatBreaksIt_GivesTheVerdictOfItsLevel(string ruleId)
    {
        var rule = WsdRules.All.Single(r => r.Id == ruleId);
        var breakers = QuirkProfiles.All.Where(p => p.ExpectedFailures.Contains(ruleId)).ToList();
        var expected = rule.Level.ViolationVerdict(); // MUST: Fail, SHOULD: Warn, MAY: Info

        Assert.NotEmpty(breakers);
        Assert.True(
            breakers.Any(p => Fleet.VerdictOf(p.Name, ruleId) == expected),
            $"No profile gives {expected}: " + string.Join(" || ", breakers.Select(p => Fleet.Explain(p.Name, ruleId))));
    }

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void Profile_FailsExactlyItsExpectedRules(string name)
    {
        var profile = QuirkProfiles.Find(name)!;

        var failing = Fleet.Failing(name);

        Assert.True(
            failing.SetEquals(profile.ExpectedFailures),
            $"{name}: expected [{string.Join(", ", profile.ExpectedFailures.Order())}], got [{string.Join(", ", failing.Order())}]: "
            + string.Join(" || ", failing.Union(profile.ExpectedFailures).Select(r => Fleet.Explain(name, r))));
    }

    [Fact]
    public void CorrectCameras_Run_FailNothingAndFindEveryDevice()
    {
        Assert.Equal(WsdCameraFleet.CorrectCameras.Count + QuirkProfiles.All.Count, Fleet.Devices.Count);
        foreach (var camera in WsdCameraFleet.CorrectCameras)
        {
            Assert.Empty(Fleet.Failing(camera.Name));
        }

        Assert.DoesNotContain(Fleet.Result.Findings, f => f.Verdict == Verdict.Error);
    }

    [Fact]
    public void Devices_FoundInTheSession_CarryIdentityFromTheirMessages()
    {
        var device = Fleet.DeviceOf("correct-2005");
        var camera = Fleet.Camera("correct-2005");

        Assert.Equal(camera.EndpointAddress, device.Id);
        Assert.Equal(camera.Identity.Name, device.DisplayName);
        Assert.Contains(DeviceRole.TargetService, device.Roles);
        Assert.Contains(DeviceRole.NetworkVideoTransmitter, device.Roles);
        Assert.Equal(["2005"], WsdDevices.List(device, WsdDevices.FamiliesKey));
        Assert.Equal(["1.1", "2005"], WsdDevices.List(Fleet.DeviceOf("correct-both"), WsdDevices.FamiliesKey).Order());
        Assert.Equal(Fleet.UnicastOf("correct-2005"), WsdDevices.UnicastEndPoint(device));
        Assert.Equal("uuid:" + Fleet.Camera("bare-uuid").Identity.Uuid.ToString("D"), Fleet.DeviceOf("bare-uuid").Id);
    }

    [Fact]
    public async Task PassiveRules_OverTheRecordsAsACapture_JudgeAsTheLiveRunDid()
    {
        var records = Fleet.Recorder.Snapshot();
        var devices = WsdDevices.FromSession(records);
        var capture = new ObservedSession(records, devices, "capture: test fleet");

        var passive = await new Runner(WsdSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), capture);

        foreach (var name in new[] { "correct-2005", "echo-message-id", "no-appsequence", "burst-repeats", "onvif-legacy" })
        {
            var id = Fleet.DeviceOf(name).Id;
            foreach (var rule in WsdRules.All)
            {
                var offline = passive.Outcomes.FirstOrDefault(o => o.Device.Id == id && o.Rule.Id == rule.Id)?.Verdict;
                if (rule.Kind == RuleKind.Active)
                {
                    Assert.Equal(Verdict.NotApplicable, offline);
                }
                else
                {
                    Assert.True(offline == Fleet.VerdictOf(name, rule.Id), $"{name} {rule.Id}: capture {offline}, live {Fleet.VerdictOf(name, rule.Id)}");
                }
            }
        }
    }
}
