using System.Diagnostics;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Xmpp;
using Harness.Core.Recording;
using Harness.Simulators.Xmpp;
using Harness.Simulators.Xmpp.Server;
using Harness.Xmpp.Core;

namespace Harness.Conformance.Tests.Xmpp;

/// <summary>The suite against a <see cref="MiniXmppServer"/> set up by hand: TLS, silence, explicit JIDs.</summary>
[Collection(XmppNetworkCollection.Name)]
public sealed class XmppSuiteTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Suite_StartTlsRequired_RecordsTheDecryptedStanzasAndJudgesThem()
    {
        using var timeout = new CancellationTokenSource(Wait);
        await using var server = await MiniXmppServer.StartAsync(new MiniXmppServerOptions { OfferStartTls = true, RequireStartTls = true }, timeout.Token);
        server.AddUser("alice", "alice-pw");
        server.AddUser("judge", "judge-pw");
        await using var alice = await FakeXmppEntity.ConnectAsync(Client(server, "alice", "alice-pw"), new FakeXmppEntityOptions { Seed = 2 }, timeout.Token);
        var recorder = new TrafficRecorder();
        await using var suite = await XmppSuite.StartAsync(recorder, Options(server), timeout.Token);
        await XmppJudgedFleet.WaitForPresenceAsync(recorder, [alice.Jid], timeout.Token);

        var devices = await suite.DiscoverAsync(TimeSpan.Zero, timeout.Token);
        var result = await new Runner(XmppSuite.CreateCatalogue()).RunWithTargetsAsync(new ConformanceRun(), ObservedSession.Live(recorder, devices), _ => suite.Target, cancellationToken: timeout.Token);

        var device = Assert.Single(devices, d => Jid.TryParse(d.Id, out var id) && id == alice.Jid);
        foreach (var rule in new[] { "XMPP-DISCO-001", "XMPP-DISCO-003", "XMPP-CAPS-016", "XMPP-CAPS-018", "XMPP-CAPS2-001" })
        {
            Assert.Equal(Verdict.Pass, result.Outcomes.Single(o => o.Device.Id == device.Id && o.Rule.Id == rule).Verdict);
        }

        // Nothing after <proceed/> is TLS bytes: every record after it reads as XMPP elements.
        var records = recorder.Snapshot();
        var proceed = records.First(r => XmppSuite.Summarize(r)?.Contains("tls proceed", StringComparison.Ordinal) == true);
        Assert.All(records.Where(r => r.Sequence > proceed.Sequence), r => Assert.DoesNotContain("stream data", XmppSuite.Summarize(r), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Suite_ExplicitJidThatNeverAnswers_Disco001FailsWithinTheReplyTimeouts()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var silent = "ghost@localhost/void";
        await using var server = await MiniXmppServer.StartAsync(
            new MiniXmppServerOptions { Faults = c => (string?)c.Stanza.Attribute("to") == silent ? MiniXmppFaultAction.Drop : MiniXmppFaultAction.Deliver },
            timeout.Token);
        server.AddUser("judge", "judge-pw");
        var recorder = new TrafficRecorder();
        await using var suite = await XmppSuite.StartAsync(
            recorder,
            Options(server) with { Jids = [silent], JudgeServer = false, JudgeServerItems = false, Scenario = new XmppScenarioOptions { ReplyTimeout = TimeSpan.FromMilliseconds(200), Seed = 1 } },
            timeout.Token);
        var clock = Stopwatch.StartNew();

        var devices = await suite.DiscoverAsync(TimeSpan.Zero, timeout.Token);
        var result = await new Runner(XmppSuite.CreateCatalogue()).RunWithTargetsAsync(new ConformanceRun(), ObservedSession.Live(recorder, devices), _ => suite.Target, cancellationToken: timeout.Token);

        var device = Assert.Single(devices);
        Assert.Equal(silent, device.Id);
        Assert.Equal(Verdict.Fail, result.Outcomes.Single(o => o.Device.Id == silent && o.Rule.Id == "XMPP-DISCO-001").Verdict);
        Assert.Equal(Verdict.Fail, result.Outcomes.Single(o => o.Device.Id == silent && o.Rule.Id == "XMPP-DISCO-020").Verdict);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:15222", "127.0.0.1", 15222)]
    [InlineData("xmpp.example:5223", "xmpp.example", 5223)]
    [InlineData("localhost", "localhost", 5222)]
    [InlineData("[::1]:15222", "::1", 15222)]
    public void ParseServer_HostPort_Split(string text, string host, int port)
    {
        Assert.Equal((host, port), XmppSuiteOptions.ParseServer(text));
    }

    private static XmppSuiteOptions Options(MiniXmppServer server) => new()
    {
        Host = "127.0.0.1",
        Port = server.Port,
        Domain = server.Domain,
        User = "judge",
        Password = "judge-pw",
        CertificateValidation = XmppClientOptions.AcceptAnyCertificate,
        Scenario = new XmppScenarioOptions { Seed = 1 },
    };

    private static XmppClientOptions Client(MiniXmppServer server, string user, string password) => new()
    {
        Domain = server.Domain,
        Host = "127.0.0.1",
        Port = server.Port,
        User = user,
        Password = password,
        Resource = "sim",
        CertificateValidation = XmppClientOptions.AcceptAnyCertificate,
    };
}
