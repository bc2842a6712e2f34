using Harness.Capture;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Xmpp;
using Harness.Core.Recording;
using Harness.Simulators.Xmpp;

namespace Harness.Conformance.Tests.Xmpp;

[Collection(XmppNetworkCollection.Name)]
public sealed class XmppRuleMatrixTests(XmppJudgedFleet judged) : IClassFixture<XmppJudgedFleet>
{
    public static TheoryData<string> RuleIds => [.. XmppRules.All.Select(r => r.Id)];

    public static TheoryData<string> QuirkNames => [.. XmppQuirks.All.Select(q => q.Name)];

    [Fact]
    public void Catalogue_HasTheChecklistRules_WithUniqueIdsAndCitations()
    {
        var catalogue = XmppSuite.CreateCatalogue();

        Assert.True(catalogue.Count >= 42, $"{catalogue.Count} rules");
        Assert.All(catalogue, r => Assert.Matches("^XMPP-(DISCO|CAPS|CAPS2|CORE|COMP)-[0-9]{3}$", r.Id));
        Assert.All(catalogue, r => Assert.Equal(Protocols.Xmpp, r.Protocol));
        Assert.All(catalogue, r => Assert.Matches("^(XEP-0030|XEP-0115|XEP-0128|XEP-0390|XEP-0114|RFC 6120)", r.Citation.Spec));
        // Levels as the checklist gives them (spot checks of each kind).
        Assert.Equal(RuleLevel.Should, catalogue["XMPP-DISCO-009"].Level);
        Assert.Equal(RuleLevel.Should, catalogue["XMPP-CAPS-013"].Level);
        Assert.Equal(RuleLevel.Must, catalogue["XMPP-CAPS-016"].Level);
        Assert.Equal(RuleLevel.Must, catalogue["XMPP-DISCO-016"].Level);
    }

    [Fact]
    public void Discover_Fleet_OneDevicePerEntityAndTheServer()
    {
        for (var i = 0; i < judged.Fleet.Entities.Count; i++)
        {
            Assert.True(judged.DeviceOf(i) is not null, $"entity {i} ({judged.Fleet.Entities[i].Jid}) was not found");
        }

        var server = Assert.Single(judged.Devices, d => d.HasRole(XmppRoles.Server));
        Assert.Equal(judged.Fleet.Domain, server.Id);
        Assert.Equal(judged.Fleet.Entities.Count + 1, judged.Devices.Count);
        Assert.Equal("Harness mini server", server.DisplayName);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_OnCorrectEntities_PassesOrIsNotApplicable(string ruleId)
    {
        for (var i = 0; i < XmppJudgedFleet.Kinds.Length; i++)
        {
            var device = judged.DeviceOf(i)!;
            var verdict = judged.VerdictOf(device.Id, ruleId);
            Assert.True(verdict is Verdict.Pass or Verdict.NotApplicable, judged.Explain(device.Id, ruleId));
        }
    }

    [Fact]
    public void Rules_OnCorrectEntities_MostRulesAreExercised()
    {
        var passed = XmppRules.All.Where(r => Enumerable.Range(0, XmppJudgedFleet.Kinds.Length)
            .Any(i => judged.VerdictOf(judged.DeviceOf(i)!.Id, r.Id) == Verdict.Pass)).Select(r => r.Id).ToList();

        // Every entity rule that a correct fleet can show passes somewhere; the rest need a deviation (surrogates, '<', two
        // forms) or are server rules.
        Assert.True(passed.Count >= 30, "passed: " + string.Join(' ', passed));
        Assert.Contains("XMPP-CAPS-022", passed); // the feature change was seen and the previous node#ver answered
        Assert.Contains("XMPP-CAPS2-006", passed);
        Assert.Contains("XMPP-DISCO-014", passed); // the component's hierarchy nodes
    }

    [Theory]
    [MemberData(nameof(QuirkNames))]
    public void Quirk_FlaggedRules_AreExactlyItsExpectedFailures(string quirkName)
    {
        var quirk = XmppQuirks.Find(quirkName)!;
        var flagged = new SortedSet<string>(StringComparer.Ordinal);
        var explanations = new List<string>();
        for (var i = 0; i < judged.Fleet.Entities.Count; i++)
        {
            if (XmppJudgedFleet.QuirkOf(i) != quirkName)
            {
                continue;
            }

            var device = judged.DeviceOf(i)!;
            foreach (var rule in judged.Flagged(device.Id))
            {
                flagged.Add(rule);
                explanations.Add(judged.Explain(device.Id, rule));
            }
        }

        Assert.True(
            new SortedSet<string>(quirk.ExpectedFailures, StringComparer.Ordinal).SetEquals(flagged),
            $"{quirkName}: expected [{string.Join(' ', quirk.ExpectedFailures)}], flagged [{string.Join(' ', flagged)}]\n" + string.Join('\n', explanations));
    }

    [Fact]
    public void Server_MiniXmppServer_AnswersForAccountsAndNegotiatesProperly()
    {
        var server = judged.ServerId!;

        Assert.Equal(Verdict.Pass, judged.VerdictOf(server, "XMPP-DISCO-015"));
        Assert.Equal(Verdict.Pass, judged.VerdictOf(server, "XMPP-DISCO-016"));
        Assert.Equal(Verdict.Pass, judged.VerdictOf(server, "XMPP-CORE-003"));
        Assert.Equal(Verdict.Pass, judged.VerdictOf(server, "XMPP-DISCO-001"));
        Assert.Equal(Verdict.NotApplicable, judged.VerdictOf(server, "XMPP-CAPS-023")); // no caps in its stream features
        Assert.DoesNotContain(judged.Result.Outcomes, o => o.Verdict == Verdict.Error);
    }

    [Fact]
    public void Server_MiniXmppServer_NoDeviations()
    {
        var server = judged.ServerId!;
        var flagged = judged.Flagged(server);

        // MiniXmppServer used to answer disco#items for any node with its component list (DISCO-009), disco#items at a
        // non-existent account with service-unavailable instead of an empty result (DISCO-017, a MUST: the main job's
        // default fleet failed on it), and the first payload of an iq get with two payloads (DISCO-020).
        Assert.True(flagged.Count == 0, string.Join('\n', flagged.Select(r => judged.Explain(server, r))));
    }

    [Fact]
    public async Task Rejudge_RecordsWithoutTarget_ReproducesEveryVerdict()
    {
        var records = judged.Recorder.Snapshot();

        var result = await RejudgeAsync(records, "records");

        AssertSameVerdicts(result);
    }

    [Fact]
    public async Task Rejudge_PcapRoundTrip_ReproducesEveryVerdict()
    {
        var path = Path.Combine(Path.GetTempPath(), $"harness-xmpp-{Environment.ProcessId}-{Guid.NewGuid():N}.pcapng");
        try
        {
            PcapNgWriter.WriteFile(path, judged.Recorder.Snapshot());
            var read = CaptureFile.ReadAll(path).Records;

            Assert.All(read.Where(r => r.Transport == TrafficTransport.Tcp), r => Assert.Null(r.Protocol)); // an ephemeral port: unlabelled
            var result = await RejudgeAsync(read, "capture");

            AssertSameVerdicts(result);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Task<RunResult> RejudgeAsync(IReadOnlyList<TrafficRecord> records, string source)
    {
        var devices = XmppSuite.FindDevices(records);
        var session = new ObservedSession(records, devices, source);
        return new Runner(XmppSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session);
    }

    private void AssertSameVerdicts(RunResult rejudged)
    {
        // Every device the live run found by its answers or caps is found again (explicitly listed ones that never
        // answered are not in a capture).
        var live = judged.Result.Outcomes.Where(o => rejudged.Devices.Any(d => d.Id == o.Device.Id)).ToList();
        Assert.Equal(judged.Devices.Count, rejudged.Devices.Count);
        foreach (var outcome in live)
        {
            var again = rejudged.Outcomes.FirstOrDefault(o => o.Device.Id == outcome.Device.Id && o.Rule.Id == outcome.Rule.Id)?.Verdict ?? Verdict.NotApplicable;
            Assert.True(outcome.Verdict == again, $"{outcome.Rule.Id} on {outcome.Device.Id}: live {outcome.Verdict}, rejudged {again}");
        }
    }
}
