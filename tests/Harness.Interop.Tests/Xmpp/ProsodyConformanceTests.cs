using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Xmpp;
using Harness.Core.Recording;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Core;
using Xunit.Abstractions;

namespace Harness.Interop.Tests.Xmpp;

/// <summary>
/// The XMPP conformance suite judging Debian's Prosody 0.12 on loopback: its domain (mod_disco: host and account answers,
/// caps in the stream features, stream negotiation), the component it names, and a simulated client of ours logged in as
/// alice (which sends the judge directed presence with caps, as Prosody broadcasts presence only to contacts).
/// </summary>
public sealed class ProsodyConformanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task XmppSuite_Prosody_DomainAndOurClientJudgedPlausibly()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        using var timeout = new CancellationTokenSource(Wait);
        await using var alice = await FakeXmppEntity.ConnectAsync(
            prosody.ClientOptions("alice", resource: "sim"),
            new FakeXmppEntityOptions { Kind = XmppEntityKind.Client, Seed = 5 },
            timeout.Token);
        var recorder = new TrafficRecorder();
        var options = new XmppSuiteOptions
        {
            Host = "127.0.0.1",
            Port = prosody.C2sPort,
            Domain = prosody.Domain,
            User = "bob",
            Password = prosody.Options.Users["bob"],
            AllowPlainWithoutTls = true,
            Jids = [alice.Jid.ToString()],
            ChangeFeatures = async (jid, ct) =>
            {
                if (!Jid.TryParse(jid, out var parsed) || parsed != alice.Jid)
                {
                    return false;
                }

                await alice.ChangeFeaturesAsync(ct);
                await SendDirectedPresenceAsync(alice, Jid.Parse("bob@localhost/harness-judge"), ct);
                return true;
            },
            Scenario = new XmppScenarioOptions { Seed = 3 },
        };
        await using var suite = await XmppSuite.StartAsync(recorder, options, timeout.Token);
        await SendDirectedPresenceAsync(alice, suite.JudgeJid!, timeout.Token);
        await WaitForCapsPresenceAsync(recorder, alice.Jid, timeout.Token);

        var devices = await suite.DiscoverAsync(TimeSpan.Zero, timeout.Token);
        var session = ObservedSession.Live(recorder, devices);
        var result = await new Runner(XmppSuite.CreateCatalogue()).RunWithTargetsAsync(new ConformanceRun(), session, _ => suite.Target, cancellationToken: timeout.Token);

        foreach (var outcome in result.Outcomes.Where(o => o.Verdict is not (Verdict.Pass or Verdict.NotApplicable)))
        {
            output.WriteLine($"{outcome.Device.Id} {outcome.Rule.Id} {outcome.Verdict}: {string.Join(" | ", outcome.Findings.Select(f => f.Message))}");
        }

        Assert.DoesNotContain(result.Outcomes, o => o.Verdict == Verdict.Error);
        var server = Assert.Single(devices, d => d.HasRole(XmppRoles.Server));
        Assert.Equal("localhost", server.Id);
        Verdict Of(Device device, string rule) => result.Outcomes.FirstOrDefault(o => o.Device.Id == device.Id && o.Rule.Id == rule)?.Verdict ?? Verdict.NotApplicable;

        // mod_disco on the host: identity, the disco#info feature, node errors, account answers, caps in stream features.
        foreach (var rule in new[] { "XMPP-DISCO-001", "XMPP-DISCO-002", "XMPP-DISCO-003", "XMPP-DISCO-004", "XMPP-DISCO-009", "XMPP-DISCO-012", "XMPP-DISCO-015", "XMPP-DISCO-016", "XMPP-CAPS-023", "XMPP-CORE-003" })
        {
            Assert.True(Of(server, rule) == Verdict.Pass, $"{rule} on Prosody: {Of(server, rule)}");
        }

        // Our client through Prosody: disco answered, caps verified, the feature change seen.
        var client = Assert.Single(devices, d => Jid.TryParse(d.Id, out var id) && id == alice.Jid);
        foreach (var rule in new[] { "XMPP-DISCO-001", "XMPP-DISCO-002", "XMPP-DISCO-003", "XMPP-CAPS-001", "XMPP-CAPS-015", "XMPP-CAPS-016", "XMPP-CAPS-018", "XMPP-CAPS-021", "XMPP-CAPS2-001" })
        {
            Assert.True(Of(client, rule) == Verdict.Pass, $"{rule} on our client via Prosody: {Of(client, rule)}");
        }

        // The passive re-judge of the recorded stanzas agrees with the live run.
        var again = await new Runner(XmppSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), new ObservedSession(recorder.Snapshot(), XmppSuite.FindDevices(recorder.Snapshot()), "records"), cancellationToken: timeout.Token);
        foreach (var outcome in again.Outcomes)
        {
            var live = result.Outcomes.FirstOrDefault(o => o.Device.Id == outcome.Device.Id && o.Rule.Id == outcome.Rule.Id)?.Verdict;
            Assert.True(live == outcome.Verdict, $"{outcome.Rule.Id} on {outcome.Device.Id}: live {live}, rejudged {outcome.Verdict}");
        }
    }

    private static async Task SendDirectedPresenceAsync(FakeXmppEntity entity, Jid to, CancellationToken cancellationToken)
    {
        var presence = entity.BuildPresence();
        presence.SetAttributeValue("to", to.ToString());
        await entity.Channel.SendAsync(presence, cancellationToken);
    }

    private static async Task WaitForCapsPresenceAsync(TrafficRecorder recorder, Jid jid, CancellationToken cancellationToken)
    {
        using var changed = new SemaphoreSlim(0);
        void OnRecord(TrafficRecord record) => changed.Release();
        recorder.Recorded += OnRecord;
        try
        {
            while (!XmppSuite.FindDevices(recorder.Snapshot()).Any(d => Jid.TryParse(d.Id, out var id) && id == jid))
            {
                await changed.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            recorder.Recorded -= OnRecord;
        }
    }
}
