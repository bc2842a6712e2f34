using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Ssdp;
using Harness.Simulators.Upnp;

namespace Harness.Conformance.Tests.Ssdp;

/// <summary>The SSDP tests that run simulated UPnP devices on loopback; one fleet at a time, so that timings stay honest.</summary>
public sealed class SsdpNetworkCollection
{
    // One collection for every simulated fleet: fleets run one at a time, so one protocol's start-up does not starve
    // another's timing rules (WSD-PRB-013 failed for whole camera fleets while the other fleets started).
    public const string Name = "Simulated fleets on loopback";
}

/// <summary>
/// Starts every correct kind (UDA 1.1, plus a UDA 1.0 and a UDA 2.0 basic device) and one device per UPnP quirk on
/// loopback, runs every SSDP rule against all of them once, and keeps the result for <see cref="SsdpRuleMatrixTests"/>.
/// </summary>
public sealed class SsdpQuirkMatrix : IAsyncLifetime
{
    /// <summary>max-age of the brisa-readvertise device: short enough that its late refresh shows within a run.</summary>
    public const int ShortMaxAge = 8;

    internal SsdpUpnpFleet Fleet { get; private set; } = null!;

    internal static IReadOnlyList<UpnpSpec> CorrectDevices { get; } =
    [
        new("basic", UpnpDeviceKind.Basic),
        new("media-server", UpnpDeviceKind.MediaServer),
        new("media-renderer", UpnpDeviceKind.MediaRenderer),
        new("igd", UpnpDeviceKind.InternetGateway),
        new("printer", UpnpDeviceKind.Printer),
        new("scanner", UpnpDeviceKind.Scanner),
        new("basic-uda10", UpnpDeviceKind.Basic, Version: "1.0"),
        new("media-server-uda20", UpnpDeviceKind.MediaServer, Version: "2.0"),
    ];

    /// <summary>The rules a quirk device fails: the quirk's own, plus what the test itself causes (a short max-age).</summary>
    internal static IReadOnlySet<string> ExpectedFailures(UpnpQuirk quirk)
    {
        var expected = quirk.ExpectedFailures.ToHashSet(StringComparer.Ordinal);
        if (quirk.Name == "brisa-readvertise")
        {
            expected.Add("SSDP-RESP-002"); // max-age 8 < 1800, chosen by this test so that the refresh can be judged
        }

        return expected;
    }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var specs = CorrectDevices
            .Concat(UpnpQuirks.All.Select(q => new UpnpSpec(q.Name, UpnpDeviceKind.MediaServer, q.Name, MaxAge: q.Name == "brisa-readvertise" ? ShortMaxAge : 1800)))
            .ToList();
        Fleet = await SsdpUpnpFleet.StartAsync(specs, timeout.Token);
    }

    public async Task DisposeAsync() => await Fleet.DisposeAsync();
}

[Collection(SsdpNetworkCollection.Name)]
public sealed class SsdpRuleMatrixTests(SsdpQuirkMatrix matrix) : IClassFixture<SsdpQuirkMatrix>
{
    public static TheoryData<string> RuleIds => [.. SsdpRules.All.Where(r => r.Roles.Contains(DeviceRole.UpnpRootDevice)).Select(r => r.Id)];

    public static TheoryData<string> QuirkNames => [.. UpnpQuirks.All.Select(q => q.Name)];

    private SsdpUpnpFleet Fleet => matrix.Fleet;

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_OnCorrectDevices_FailsNowhere(string ruleId)
    {
        var verdicts = SsdpQuirkMatrix.CorrectDevices.Select(d => (d.Name, Verdict: Fleet.VerdictOf(d.Name, ruleId))).ToList();

        Assert.All(verdicts, v => Assert.True(v.Verdict is Verdict.Pass or Verdict.NotApplicable, Fleet.Explain(v.Name, ruleId)));
    }

    [Theory]
    [MemberData(nameof(QuirkNames))]
    public void Quirk_FailsExactlyItsExpectedRules(string name)
    {
        var quirk = UpnpQuirks.Find(name)!;
        var expected = SsdpQuirkMatrix.ExpectedFailures(quirk);

        var failing = Fleet.Failing(name);

        Assert.True(
            failing.SetEquals(expected),
            $"{name}: expected [{string.Join(", ", expected.Order())}], got [{string.Join(", ", failing.Order())}]: "
            + string.Join(" || ", failing.Union(expected).Select(r => Fleet.Explain(name, r))));
    }

    [Fact]
    public void Uda10Device_IsNotHeldToUda11Additions()
    {
        foreach (var rule in new[] { "SSDP-RESP-008", "SSDP-RESP-009", "SSDP-MSEARCH-018", "SSDP-MSEARCH-019", "SSDP-UPDATE-002", "SSDP-CONFIG-001" })
        {
            Assert.True(Fleet.VerdictOf("basic-uda10", rule) == Verdict.NotApplicable, Fleet.Explain("basic-uda10", rule));
        }

        Assert.Equal(Verdict.Pass, Fleet.VerdictOf("basic-uda10", "SSDP-MSEARCH-008"));
    }

    [Fact]
    public void Run_FindsEveryDevice_WithIdentityFromItsMessages()
    {
        Assert.Equal(SsdpQuirkMatrix.CorrectDevices.Count + UpnpQuirks.All.Count, Fleet.Devices.Count);
        var igd = Fleet.DeviceOf("igd");
        var simulated = Fleet.Simulated("igd");

        Assert.Equal(simulated.Udn, igd.Id);
        Assert.Contains(DeviceRole.UpnpRootDevice, igd.Roles);
        Assert.Equal(simulated.Description.Device.FriendlyName, igd.DisplayName);
        Assert.Equal(simulated.Location.ToString(), igd.Metadata[SsdpDevices.LocationKey]);
        Assert.Equal(simulated.Description.AllDevices.Count(), SsdpDevices.Udns(igd).Count);
        Assert.Contains(igd.Addresses, a => a.Address.Equals(simulated.Address));
        Assert.DoesNotContain(Fleet.Result.Findings, f => f.Verdict == Verdict.Error);
    }

    [Fact]
    public void CorrectDevices_PassTheActiveRules()
    {
        foreach (var rule in new[] { "SSDP-MSEARCH-001", "SSDP-MSEARCH-004", "SSDP-MSEARCH-008", "SSDP-MSEARCH-010", "SSDP-MSEARCH-013", "SSDP-MSEARCH-016", "SSDP-MSEARCH-018", "SSDP-UPDATE-002", "SSDP-CONFIG-001", "DESC-HTTP-004" })
        {
            Assert.True(Fleet.VerdictOf("igd", rule) == Verdict.Pass, Fleet.Explain("igd", rule));
        }
    }

    [Fact]
    public async Task PassiveRules_OverTheSessionSavedAsPcapng_JudgeAsTheLiveRunDid()
    {
        // What --pcap does with a saved session: the HTTP exchanges come back as TCP segments, the datagrams unlabelled
        // (the fleet's ports are not 1900) and recognised by their content.
        using var file = new MemoryStream();
        using (var writer = new Harness.Capture.PcapNgWriter(file, leaveOpen: true))
        {
            foreach (var record in Fleet.Recorder.Snapshot())
            {
                writer.Write(record);
            }
        }

        file.Position = 0;
        using var capture = Harness.Capture.CaptureFile.Open(file);
        var records = capture.Records().ToList();

        Assert.DoesNotContain(SsdpSuite.FindDevices(records), d => d.HasRole(DeviceRole.ControlPoint)); // the harness's own searches
        await AssertPassiveVerdictsAsync(records);
    }

    [Fact]
    public async Task PassiveRules_OverTheRecordsAsACapture_JudgeAsTheLiveRunDid()
    {
        await AssertPassiveVerdictsAsync(Fleet.Recorder.Snapshot());
    }

    private async Task AssertPassiveVerdictsAsync(IReadOnlyList<Harness.Core.Recording.TrafficRecord> records)
    {
        var devices = SsdpSuite.FindDevices(records).Where(d => d.HasRole(DeviceRole.UpnpRootDevice)).ToList();
        var capture = new ObservedSession(records, devices, "capture: test fleet");

        var passive = await new Runner(SsdpSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), capture);

        foreach (var name in new[] { "basic", "igd", "no-ext", "cc-spaces", "server-junk", "desc-bom", "byebye-interleaved", "udn-mismatch", "dup-notify" })
        {
            var id = Fleet.DeviceOf(name).Id;
            foreach (var rule in SsdpRules.All.Where(r => r.Roles.Contains(DeviceRole.UpnpRootDevice)))
            {
                var offline = passive.Outcomes.FirstOrDefault(o => o.Device.Id == id && o.Rule.Id == rule.Id)?.Verdict;
                if (rule.Kind == RuleKind.Active)
                {
                    Assert.Equal(Verdict.NotApplicable, offline);
                }
                else if (rule.Id is not ("SSDP-BYEBYE-001" or "SSDP-NOTIFY-003"))
                {
                    // BYEBYE-001 and NOTIFY-003 also use what the live run knows (the restart's time): not in a capture.
                    Assert.True(offline == Fleet.VerdictOf(name, rule.Id), $"{name} {rule.Id}: capture {offline}, live {Fleet.VerdictOf(name, rule.Id)}");
                }
            }
        }
    }
}
