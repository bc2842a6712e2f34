using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Xmpp;
using Harness.Core.Recording;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Core;

namespace Harness.Conformance.Tests.Xmpp;

/// <summary>The XMPP tests that run a simulated fleet and a judge on loopback; one fleet at a time.</summary>
public sealed class XmppNetworkCollection
{
    // One collection for every simulated fleet: fleets run one at a time, so one protocol's start-up does not starve
    // another's timing rules (WSD-PRB-013 failed for whole camera fleets while the other fleets started).
    public const string Name = "Simulated fleets on loopback";
}

/// <summary>
/// One <see cref="XmppFleet"/> on a <c>MiniXmppServer</c>: four correct entities (client, pubsub, MUC, component) and,
/// for every quirk of <see cref="XmppQuirks.All"/>, one entity of each kind with that quirk. The judge logs in, collects
/// presence, runs every entity's stimuli (features of clients are changed once) and every XMPP rule, once.
/// </summary>
public sealed class XmppJudgedFleet : IAsyncLifetime
{
    public static readonly XmppEntityKind[] Kinds = [XmppEntityKind.Client, XmppEntityKind.PubsubService, XmppEntityKind.MucService, XmppEntityKind.Component];

    public XmppFleet Fleet { get; private set; } = null!;

    public TrafficRecorder Recorder { get; } = new();

    public IReadOnlyList<Device> Devices { get; private set; } = [];

    public RunResult Result { get; private set; } = null!;

    public string? ServerId { get; private set; }

    /// <summary>The quirk of entity i (null for the first four).</summary>
    public static string? QuirkOf(int index) => index < Kinds.Length ? null : XmppQuirks.All[(index - Kinds.Length) / Kinds.Length].Name;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var count = Kinds.Length * (1 + XmppQuirks.All.Count);
        Fleet = await XmppFleet.StartAsync(
            new XmppFleetOptions { Count = count, Kinds = Kinds, Seed = 7, Quirks = [.. Enumerable.Range(0, count).Select(QuirkOf)] },
            timeout.Token);
        var (user, password) = Fleet.AddJudgeAccount("judge");
        var options = new XmppSuiteOptions
        {
            Host = Fleet.ClientEndPoint.Address.ToString(),
            Port = Fleet.ClientEndPoint.Port,
            Domain = Fleet.Domain,
            User = user,
            Password = password,
            MaxDevices = 200,
            ChangeFeatures = ChangeAsync,
            Scenario = new XmppScenarioOptions { Seed = 11 },
        };
        await using var suite = await XmppSuite.StartAsync(Recorder, options, timeout.Token);
        await WaitForPresenceAsync(Recorder, Fleet.Entities.Where(e => e.Options.Kind == XmppEntityKind.Client).Select(e => e.Jid), timeout.Token);
        Devices = await suite.DiscoverAsync(TimeSpan.Zero, timeout.Token);
        var session = ObservedSession.Live(Recorder, Devices);
        Result = await new Runner(XmppSuite.CreateCatalogue()).RunWithTargetsAsync(new ConformanceRun(), session, _ => suite.Target, cancellationToken: timeout.Token);
        ServerId = Devices.FirstOrDefault(d => d.HasRole(XmppRoles.Server))?.Id;
    }

    public async Task DisposeAsync() => await Fleet.DisposeAsync();

    /// <summary>The device of entity <paramref name="index"/>.</summary>
    public Device? DeviceOf(int index)
    {
        var jid = Fleet.Entities[index].Jid;
        return Devices.FirstOrDefault(d => Jid.TryParse(d.Id, out var id) && id == jid);
    }

    /// <summary>The verdict of a rule on a device.</summary>
    public Verdict VerdictOf(string deviceId, string ruleId) =>
        Result.Outcomes.FirstOrDefault(o => o.Device.Id == deviceId && o.Rule.Id == ruleId)?.Verdict ?? Verdict.NotApplicable;

    /// <summary>The rules that failed, warned or informed on a device.</summary>
    public IReadOnlySet<string> Flagged(string deviceId) =>
        Result.Outcomes.Where(o => o.Device.Id == deviceId && o.Verdict is Verdict.Fail or Verdict.Warn or Verdict.Info or Verdict.Error)
            .Select(o => o.Rule.Id)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The findings of a rule on a device, for assertion messages.</summary>
    public string Explain(string deviceId, string ruleId) =>
        $"{ruleId} on {deviceId}: " + string.Join(" | ", Result.Findings.Where(f => f.DeviceId == deviceId && f.RuleId == ruleId).Select(f => $"{f.Verdict}: {f.Message}"));

    /// <summary>Waits until the recorder holds an available presence from each of <paramref name="jids"/>.</summary>
    public static async Task WaitForPresenceAsync(TrafficRecorder recorder, IEnumerable<Jid> jids, CancellationToken cancellationToken)
    {
        var wanted = jids.Select(j => j.ToString()).ToList();
        using var changed = new SemaphoreSlim(0);
        void OnRecord(TrafficRecord record) => changed.Release();
        recorder.Recorded += OnRecord;
        try
        {
            while (true)
            {
                var senders = XmppSuite.FindDevices(recorder.Snapshot()).Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
                if (wanted.All(senders.Contains))
                {
                    return;
                }

                await changed.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            recorder.Recorded -= OnRecord;
        }
    }

    private async ValueTask<bool> ChangeAsync(string jid, CancellationToken cancellationToken)
    {
        var entity = Fleet.Entities.FirstOrDefault(e => Jid.TryParse(jid, out var parsed) && parsed == e.Jid);
        if (entity is null)
        {
            return false;
        }

        await entity.ChangeFeaturesAsync(cancellationToken);
        return true;
    }
}
