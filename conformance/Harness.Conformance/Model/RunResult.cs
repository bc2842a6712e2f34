using Harness.Core.Recording;

namespace Harness.Conformance.Model;

/// <summary>How many rule outcomes earned each verdict.</summary>
/// <param name="Pass">Passed.</param>
/// <param name="Fail">Failed (MUST).</param>
/// <param name="Warn">Warned (SHOULD, or a tolerated deviation).</param>
/// <param name="Info">Informational (MAY).</param>
/// <param name="NotApplicable">Not judged here.</param>
/// <param name="Error">The check failed.</param>
public sealed record VerdictCounts(int Pass, int Fail, int Warn, int Info, int NotApplicable, int Error)
{
    /// <summary>All zero.</summary>
    public static VerdictCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>The sum of all counts.</summary>
    public int Total => Pass + Fail + Warn + Info + NotApplicable + Error;

    /// <summary>The count of one verdict.</summary>
    public int this[Verdict verdict] => verdict switch
    {
        Verdict.Pass => Pass,
        Verdict.Fail => Fail,
        Verdict.Warn => Warn,
        Verdict.Info => Info,
        Verdict.NotApplicable => NotApplicable,
        Verdict.Error => Error,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>Counts the given verdicts.</summary>
    public static VerdictCounts Of(IEnumerable<Verdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        int pass = 0, fail = 0, warn = 0, info = 0, notApplicable = 0, error = 0;
        foreach (var verdict in verdicts)
        {
            switch (verdict)
            {
                case Verdict.Pass: pass++; break;
                case Verdict.Fail: fail++; break;
                case Verdict.Warn: warn++; break;
                case Verdict.Info: info++; break;
                case Verdict.NotApplicable: notApplicable++; break;
                case Verdict.Error: error++; break;
                default: throw new ArgumentOutOfRangeException(nameof(verdicts), verdict, null);
            }
        }

        return new VerdictCounts(pass, fail, warn, info, notApplicable, error);
    }
}

/// <summary>One rule on one device: the worst of its findings, and the findings.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Device">The device.</param>
/// <param name="Verdict">The worst verdict of <paramref name="Findings"/> (Fail &gt; Error &gt; Warn &gt; Info &gt; Pass &gt; NotApplicable).</param>
/// <param name="Findings">The findings, in the order the check returned them.</param>
public sealed record RuleOutcome(RuleInfo Rule, Device Device, Verdict Verdict, IReadOnlyList<Finding> Findings);

/// <summary>The verdict of one device and the outcomes behind it.</summary>
/// <param name="Device">The device.</param>
/// <param name="Verdict">
/// Fail when a MUST rule failed; else Error when a check failed; else Pass (warnings are counted, not failing);
/// NotApplicable when no rule applied.
/// </param>
/// <param name="Counts">Outcomes per verdict.</param>
/// <param name="Outcomes">Its rule outcomes, ordered by rule id.</param>
public sealed record DeviceResult(Device Device, Verdict Verdict, VerdictCounts Counts, IReadOnlyList<RuleOutcome> Outcomes);

/// <summary>One record of the session with a one-line summary for the timeline.</summary>
/// <param name="Record">The record.</param>
/// <param name="Summary">What it is, in a few words (e.g. <c>Probe</c>, <c>M-SEARCH * HTTP/1.1</c>). Device-supplied: untrusted.</param>
public sealed record TimelineEntry(TrafficRecord Record, string Summary);

/// <summary>
/// The results of a conformance run: what ran, on what, and every finding, plus the session's timeline. One model
/// for every report format; outcomes, device verdicts and counts are computed from the findings.
/// </summary>
public sealed class RunResult
{
    private readonly Dictionary<string, RuleInfo> _rulesById;

    /// <summary>Creates a result and computes its outcomes and counts.</summary>
    /// <exception cref="ArgumentException">A finding names a rule or device that is not in the result.</exception>
    public RunResult(
        string runId,
        DateTimeOffset startedAt,
        DateTimeOffset endedAt,
        string toolVersion,
        string target,
        SessionInfo session,
        IEnumerable<Device> devices,
        IEnumerable<RuleInfo> rules,
        IEnumerable<Finding> findings,
        IEnumerable<TimelineEntry> timeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(toolVersion);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(timeline);
        RunId = runId;
        StartedAt = startedAt;
        EndedAt = endedAt;
        ToolVersion = toolVersion;
        Target = target;
        Session = session;
        Devices = [.. devices.OrderBy(d => d.Id, StringComparer.Ordinal)];
        Rules = [.. rules.OrderBy(r => r.Id, StringComparer.Ordinal)];
        Findings = [.. findings];
        Timeline = [.. timeline.OrderBy(t => t.Record.Sequence)];

        _rulesById = new Dictionary<string, RuleInfo>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            if (!_rulesById.TryAdd(rule.Id, rule))
            {
                throw new ArgumentException($"Two rules have the id '{rule.Id}'.", nameof(rules));
            }
        }

        var devicesById = new Dictionary<string, Device>(StringComparer.Ordinal);
        foreach (var device in Devices)
        {
            if (!devicesById.TryAdd(device.Id, device))
            {
                throw new ArgumentException($"Two devices have the id '{device.Id}'.", nameof(devices));
            }
        }

        var groups = new Dictionary<(string DeviceId, string RuleId), List<Finding>>();
        foreach (var finding in Findings)
        {
            if (!_rulesById.ContainsKey(finding.RuleId))
            {
                throw new ArgumentException($"A finding names rule '{finding.RuleId}', which is not in the result.", nameof(findings));
            }

            if (!devicesById.ContainsKey(finding.DeviceId))
            {
                throw new ArgumentException($"A finding names device '{finding.DeviceId}', which is not in the result.", nameof(findings));
            }

            if (!groups.TryGetValue((finding.DeviceId, finding.RuleId), out var list))
            {
                list = [];
                groups.Add((finding.DeviceId, finding.RuleId), list);
            }

            list.Add(finding);
        }

        var outcomes = new List<RuleOutcome>();
        var deviceResults = new List<DeviceResult>();
        foreach (var device in Devices)
        {
            var deviceOutcomes = new List<RuleOutcome>();
            foreach (var rule in Rules)
            {
                if (groups.TryGetValue((device.Id, rule.Id), out var list))
                {
                    deviceOutcomes.Add(new RuleOutcome(rule, device, VerdictExtensions.Worst(list.Select(f => f.Verdict)), list));
                }
            }

            outcomes.AddRange(deviceOutcomes);
            var counts = VerdictCounts.Of(deviceOutcomes.Select(o => o.Verdict));
            deviceResults.Add(new DeviceResult(device, DeviceVerdict(counts), counts, deviceOutcomes));
        }

        Outcomes = outcomes;
        DeviceResults = deviceResults;
        Totals = VerdictCounts.Of(outcomes.Select(o => o.Verdict));
        CountsByProtocol = outcomes
            .GroupBy(o => o.Rule.Protocol, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, VerdictCounts>(g.Key, VerdictCounts.Of(g.Select(o => o.Verdict))))
            .ToArray();
        CountsByLevel = Enum.GetValues<RuleLevel>()
            .Select(level => new KeyValuePair<RuleLevel, VerdictCounts>(
                level, VerdictCounts.Of(outcomes.Where(o => o.Rule.Level == level).Select(o => o.Verdict))))
            .ToArray();
        Verdict = DeviceVerdict(Totals);
    }

    /// <summary>The run's id (e.g. <c>20250101T120000Z</c>), also the name of its report folder.</summary>
    public string RunId { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the run ended.</summary>
    public DateTimeOffset EndedAt { get; }

    /// <summary>The harness version that judged.</summary>
    public string ToolVersion { get; }

    /// <summary>What was tested, in a line.</summary>
    public string Target { get; }

    /// <summary>Facts about the observed session.</summary>
    public SessionInfo Session { get; }

    /// <summary>The devices under test, ordered by id.</summary>
    public IReadOnlyList<Device> Devices { get; }

    /// <summary>The rules that were selected for the run, ordered by id.</summary>
    public IReadOnlyList<RuleInfo> Rules { get; }

    /// <summary>Every finding, in the order the runner produced them (device by id, then rule by id).</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>The session's records with summaries, in sequence order.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; }

    /// <summary>One outcome per rule and device that has findings: devices by id, then rules by id.</summary>
    public IReadOnlyList<RuleOutcome> Outcomes { get; }

    /// <summary>Per-device verdicts, devices ordered by id.</summary>
    public IReadOnlyList<DeviceResult> DeviceResults { get; }

    /// <summary>Outcome counts over the whole run.</summary>
    public VerdictCounts Totals { get; }

    /// <summary>Outcome counts per protocol, ordered by protocol label.</summary>
    public IReadOnlyList<KeyValuePair<string, VerdictCounts>> CountsByProtocol { get; }

    /// <summary>Outcome counts per level (MUST, SHOULD, MAY), every level present.</summary>
    public IReadOnlyList<KeyValuePair<RuleLevel, VerdictCounts>> CountsByLevel { get; }

    /// <summary>The run's verdict: Fail when a MUST failed, else Error when a check failed, else Pass (NotApplicable when nothing ran).</summary>
    public Verdict Verdict { get; }

    /// <summary>
    /// The process exit code: 0 when no MUST rule failed and no check failed; 1 when a MUST rule failed or a check
    /// failed (the harness could not judge everything, which must not pass as conformance). 2 stays reserved for
    /// usage errors. SHOULD and MAY findings never make it non-zero.
    /// </summary>
    public int ExitCode => Totals.Fail > 0 || Totals.Error > 0 ? 1 : 0;

    /// <summary>The outcomes that failed (always MUST rules), in order.</summary>
    public IEnumerable<RuleOutcome> Failures => Outcomes.Where(o => o.Verdict == Verdict.Fail);

    /// <summary>The outcomes whose check failed, in order.</summary>
    public IEnumerable<RuleOutcome> Errors => Outcomes.Where(o => o.Verdict == Verdict.Error);

    /// <summary>The rule with this id, or null.</summary>
    public RuleInfo? FindRule(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _rulesById.GetValueOrDefault(id);
    }

    private static Verdict DeviceVerdict(VerdictCounts counts) =>
        counts.Fail > 0 ? Verdict.Fail
        : counts.Error > 0 ? Verdict.Error
        : counts.Total == counts.NotApplicable ? Verdict.NotApplicable
        : Verdict.Pass;
}

/// <summary>Facts about the observed session behind a run.</summary>
/// <param name="Source">Where the records came from (<c>live</c>, <c>capture: file.pcapng</c>).</param>
/// <param name="StartedAt">When observation started, when known.</param>
/// <param name="EndedAt">When observation ended, when known.</param>
/// <param name="RecordsDropped">How many records were lost: when non-zero, evidence may be incomplete.</param>
public sealed record SessionInfo(string Source, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, long RecordsDropped);
