using System.Globalization;
using System.Net;
using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Fleet;
using Harness.Simulators.Quirks;
using Harness.Simulators.Upnp;

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
        var output = Path.Combine(_dir, "default");
        var (wsdPort, ssdpPort) = Ports();
        var run = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--multicast-port", Text(wsdPort), "--ssdp-port", Text(ssdpPort), "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var file in new[] { "index.html", "results.json", "junit.xml", "session.pcapng" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing\n{run}");
        }

        var result = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        Assert.True(result.Devices.Count >= 2, run.ToString());
        Assert.All(result.DeviceResults, d => Assert.Equal(Verdict.Pass, d.Verdict));
        Assert.Empty(result.Failures);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Rules.Count >= 40, $"{result.Rules.Count} rules");

        // Every protocol the main job judges has devices in the default fleet: cameras, scanner and printer over
        // WS-Discovery, the scanner and printer again over DPWS, the media server and gateway over SSDP.
        var protocols = result.Devices.Select(d => d.Protocol).ToHashSet(StringComparer.Ordinal);
        Assert.True(protocols.IsSupersetOf([Protocols.Wsd, Protocols.Dpws, Protocols.Ssdp]), $"protocols: {string.Join(", ", protocols)}\n{run}");
        Assert.All(
            result.DeviceResults.Where(d => d.Device.Protocol is Protocols.Wsd or Protocols.Dpws or Protocols.Ssdp),
            d => Assert.True(d.Counts.Pass > 0, $"{d.Device.Label} ({d.Device.Protocol}): no rule passed"));
        Assert.Contains("devices found: ", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("rules: ", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuirkyFleetFile_EveryKind_EachQuirkFailsExactlyItsProfileRulesAndCorrectDevicesPass()
    {
        // fleets/quirky.json as a user runs it, on ports of this test's own.
        var fleet = FleetFile.Load(Path.Combine(RepositoryRoot(), "fleets", "quirky.json"));
        var members = FleetMembers(fleet);
        foreach (var kind in new[] { FleetEntry.Camera, FleetEntry.Scanner, FleetEntry.Printer, FleetEntry.Upnp })
        {
            // The file shows, for every kind a suite judges, a correct device and what failures look like.
            Assert.Contains(members, m => m.Entry.Kind == kind && m.Entry.Quirk is null);
            Assert.Contains(members, m => m.Entry.Kind == kind && m.Entry.Quirk is not null);
        }

        var path = Path.Combine(_dir, "quirky.json");
        var (wsdPort, ssdpPort) = Ports();
        await File.WriteAllTextAsync(path, (fleet with { MulticastPort = wsdPort, SsdpPort = ssdpPort }).ToJson());
        var output = Path.Combine(_dir, "quirky");

        var run = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--fleet", path, "--out", output);

        var result = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        var rulesOf = result.Rules.GroupBy(r => r.Protocol, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Id).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.DoesNotContain(result.Outcomes, o => o.Verdict == Verdict.Error);
        var problems = new List<string>();
        foreach (var member in members)
        {
            var expected = ExpectedFailures(member.Entry);
            var protocols = ProtocolsOf(member.Entry.Kind);
            Assert.True(
                expected.All(id => protocols.Any(p => rulesOf[p].Contains(id))),
                $"{member.Name}: [{string.Join(", ", expected)}] are not all rules of {string.Join("/", protocols)}");
            foreach (var protocol in protocols)
            {
                // The device as this protocol's suite found it, at the loopback address the fleet gave it.
                var found = result.DeviceResults.Where(d => d.Device.Protocol == protocol && d.Device.Addresses.Any(a => a.Address.Equals(member.Address))).ToList();
                if (found.Count != 1)
                {
                    problems.Add($"{member.Name} ({protocol}, {member.Address}): {found.Count} devices in the report");
                    continue;
                }

                var device = found[0];
                if (device.Device.DisplayName is { } shown && protocol != Protocols.Dpws && shown != member.Name)
                {
                    problems.Add($"{member.Name} ({protocol}): reported as '{shown}'");
                }

                var want = expected.Where(rulesOf[protocol].Contains).Order(StringComparer.Ordinal).ToArray();
                var got = device.Outcomes
                    .Where(o => o.Rule.Protocol == protocol && o.Verdict is Verdict.Fail or Verdict.Warn or Verdict.Info)
                    .Select(o => o.Rule.Id)
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                if (!want.SequenceEqual(got, StringComparer.Ordinal))
                {
                    problems.Add($"{member.Name} [{member.Entry.Quirk ?? "correct"}] ({protocol}): expected [{string.Join(", ", want)}], got [{string.Join(", ", got)}]: "
                        + string.Join(" || ", want.Union(got).Select(id => Explain(result, device, id))));
                }

                if (member.Entry.Quirk is null && (device.Verdict != Verdict.Pass || device.Counts.Pass == 0))
                {
                    problems.Add($"{member.Name} ({protocol}): verdict {device.Verdict}, {device.Counts.Pass} rules passed");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + run);

        // Quirks that break a MUST fail the run.
        Assert.Equal(1, result.ExitCode);
        Assert.True(run.ExitCode == 1, run.ToString());
    }

    [Theory]
    [InlineData("bare-uuid")]
    [InlineData("no-appsequence")]
    [InlineData("multicast-replies")]
    [InlineData("resolve-any")]
    public async Task QuirkyCamera_FailsExactlyTheRulesItsQuirkBreaks_AndTheCaptureReproducesThem(string quirk)
    {
        var profile = QuirkProfiles.Find(quirk) ?? throw new InvalidOperationException("no profile " + quirk);
        var fleet = Path.Combine(_dir, quirk + ".json");
        var (wsdPort, ssdpPort) = Ports();
        await File.WriteAllTextAsync(fleet, $$"""
            { "seed": 11, "multicastPort": {{wsdPort}}, "ssdpPort": {{ssdpPort}}, "devices": [ { "kind": "camera", "name": "Good" }, { "kind": "camera", "name": "Quirky", "quirk": "{{quirk}}" } ] }
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

    /// <summary>
    /// Two different UDP ports of this run's own, for WS-Discovery and SSDP: both protocols use the group
    /// 239.255.255.250, so the ports alone keep them (and other tests' runs) apart.
    /// </summary>
    private static (int Wsd, int Ssdp) Ports()
    {
        var wsd = HarnessCli.PrivatePort();
        var ssdp = HarnessCli.PrivatePort();
        while (ssdp == wsd)
        {
            ssdp = HarnessCli.PrivatePort();
        }

        return (wsd, ssdp);
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A device of a fleet file: its line, its name and the loopback address the fleet gives it.</summary>
    private sealed record FleetMember(FleetEntry Entry, string Name, IPAddress Address);

    /// <summary>
    /// The simulated devices of a fleet of single-device lines, in order: the n-th non-XMPP device gets
    /// <see cref="RunningFleet.LoopbackAddress"/>(n), the address every protocol's suite reports it at.
    /// </summary>
    private static List<FleetMember> FleetMembers(FleetFile fleet)
    {
        var devices = fleet.Devices.Where(e => e.Kind != FleetEntry.Xmpp).ToList();
        Assert.All(devices, e => Assert.True(e.Count == 1 && e.Name is not null, $"{e.Kind} {e.Quirk}: one named device per line"));
        Assert.Equal(devices.Count, devices.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
        return [.. devices.Select((e, n) => new FleetMember(e, e.Name!, RunningFleet.LoopbackAddress(n)))];
    }

    private static string[] ProtocolsOf(string kind) => kind switch
    {
        FleetEntry.Camera => [Protocols.Wsd],
        FleetEntry.Scanner or FleetEntry.Printer => [Protocols.Wsd, Protocols.Dpws],
        FleetEntry.Upnp => [Protocols.Ssdp],
        _ => throw new InvalidOperationException("no suite judges " + kind + " devices yet"),
    };

    /// <summary>The rules the quirk profile of the line says it breaks (none for a correct device).</summary>
    private static IReadOnlyList<string> ExpectedFailures(FleetEntry entry) => entry.Quirk is not { } quirk ? [] : entry.Kind switch
    {
        FleetEntry.Camera => (QuirkProfiles.Find(quirk) ?? throw new InvalidOperationException("no camera profile " + quirk)).ExpectedFailures,
        FleetEntry.Scanner or FleetEntry.Printer => (DpwsQuirkProfiles.Find(quirk) ?? throw new InvalidOperationException("no DPWS profile " + quirk)).ExpectedFailures,
        FleetEntry.Upnp => (UpnpQuirks.Find(quirk) ?? throw new InvalidOperationException("no UPnP quirk " + quirk)).ExpectedFailures,
        _ => throw new InvalidOperationException("no profiles for " + entry.Kind),
    };

    private static string Explain(RunResult result, DeviceResult device, string ruleId)
    {
        var findings = result.Findings.Where(f => f.DeviceId == device.Device.Id && f.RuleId == ruleId).Select(f => $"{f.Verdict}: {f.Message}");
        return $"{ruleId} {string.Join(" | ", findings)}";
    }

    // The repository's files (fleets/) from the test binaries or, for a build with --artifacts-path elsewhere, from this source file.
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
