using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Xmpp;

namespace Harness.Interop.Tests.Xmpp;

/// <summary>
/// The main job against Debian's Prosody as a user runs it: <c>harness conformance run --xmpp-server 127.0.0.1:PORT
/// --jid ...</c> judges the server's domain and the named entity, and the report shows both.
/// </summary>
public sealed class ProsodyMainJobTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("harness-prosody-job-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task ConformanceRun_XmppServerProsody_JudgesItsDomainAndTheNamedEntity()
    {
        await using var prosody = await ProsodyFixture.StartAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        await using var alice = await FakeXmppEntity.ConnectAsync(
            prosody.ClientOptions("alice", resource: "sim"),
            new FakeXmppEntityOptions { Kind = XmppEntityKind.Client, Seed = 9 },
            cancel.Token);
        var output = Path.Combine(_dir, "report");

        var run = await HarnessCli.RunAsync(
            Timeout,
            "conformance", "run", "--xmpp-server", $"127.0.0.1:{prosody.C2sPort}",
            "--xmpp-user", "bob@localhost", "--xmpp-password", prosody.Options.Users["bob"],
            "--jid", alice.Jid.ToString(), "--out", output);

        var result = JsonReportReader.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        Assert.All(result.Devices, d => Assert.Equal(Protocols.Xmpp, d.Protocol));
        var domain = Assert.Single(result.DeviceResults, d => d.Device.Id == "localhost");
        var entity = Assert.Single(result.DeviceResults, d => d.Device.Id == alice.Jid.ToString());
        Verdict Of(DeviceResult device, string rule) => device.Outcomes.Single(o => o.Rule.Id == rule).Verdict;

        // Prosody's mod_disco: identity server/im and the disco features (XEP-0030 §3), caps in its stream features.
        Assert.Equal(Verdict.Pass, Of(domain, "XMPP-DISCO-001"));
        Assert.Equal(Verdict.Pass, Of(domain, "XMPP-DISCO-003"));
        Assert.Equal(Verdict.Pass, Of(domain, "XMPP-CAPS-023"));

        // Prosody 0.12 answers disco#items at a bare JID without an account with service-unavailable where XEP-0030
        // §4.1/§8 want an empty result: a MUST failure, so the run exits 1 and the report says why.
        Assert.Equal(Verdict.Fail, Of(domain, "XMPP-DISCO-017"));
        Assert.True(run.ExitCode == 1, run.ToString());

        // Our simulated client, reached through Prosody, answers correctly.
        Assert.Equal(Verdict.Pass, Of(entity, "XMPP-DISCO-001"));
        Assert.Equal(Verdict.Pass, Of(entity, "XMPP-DISCO-003"));
        Assert.DoesNotContain(entity.Outcomes, o => o.Verdict is Verdict.Fail or Verdict.Error);

        var html = await File.ReadAllTextAsync(Path.Combine(output, "index.html"));
        Assert.Contains("XMPP-DISCO-017", html, StringComparison.Ordinal);
        Assert.Contains(alice.Jid.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("XMPP server 127.0.0.1:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConformanceRun_XmppServerWithoutAccount_UsageErrorExitTwo()
    {
        var run = await HarnessCli.RunAsync(Timeout, "conformance", "run", "--xmpp-server", "127.0.0.1:1", "--out", Path.Combine(_dir, "usage"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--xmpp-user", run.StandardError, StringComparison.Ordinal);
    }
}
