using Harness.Conformance.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Conformance.Engine;

/// <summary>
/// Runs every selected rule that applies to each device of a session (same protocol, a shared role) and
/// collects the findings into a <see cref="RunResult"/>.
/// <list type="bullet">
/// <item>A violation's verdict follows the rule's level whatever the check said: Fail on a SHOULD rule becomes Warn,
/// Fail or Warn on a MAY rule becomes Info; so a SHOULD never fails a run.</item>
/// <item>A check that throws (or an active check that outlives <see cref="ConformanceRun.ActiveCheckTimeout"/>)
/// becomes one <see cref="Verdict.Error"/> finding carrying the exception's type and message; the run goes on.</item>
/// <item>A check that returns nothing becomes NotApplicable; an active rule without a live target is NotApplicable.</item>
/// <item>Cancelling the token stops the run with <see cref="OperationCanceledException"/>.</item>
/// </list>
/// </summary>
public sealed class Runner
{
    private readonly RuleCatalogue _catalogue;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a runner over a catalogue.</summary>
    public Runner(RuleCatalogue catalogue, TimeProvider? timeProvider = null, ILogger<Runner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        _catalogue = catalogue;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Runs the rules over a session.</summary>
    /// <param name="run">Which rules and how the run is named.</param>
    /// <param name="session">The observed traffic and the devices.</param>
    /// <param name="target">The live target for active rules, or null (or a target that cannot send) for a passive run.</param>
    /// <param name="progress">Receives progress after each check, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public Task<RunResult> RunAsync(
        ConformanceRun run,
        ObservedSession session,
        ITarget? target = null,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunCoreAsync(run, session, _ => target, progress, cancellationToken, target?.Description);

    /// <summary>
    /// Runs the rules over a session whose devices are reached through different targets (one per protocol suite:
    /// see <see cref="IConformanceSuite"/>).
    /// </summary>
    /// <param name="run">Which rules and how the run is named.</param>
    /// <param name="session">The observed traffic and the devices.</param>
    /// <param name="targetFor">The live target of a device, or null to judge it passively.</param>
    /// <param name="progress">Receives progress after each check, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public Task<RunResult> RunWithTargetsAsync(
        ConformanceRun run,
        ObservedSession session,
        Func<Device, ITarget?> targetFor,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunCoreAsync(run, session, targetFor, progress, cancellationToken, null);

    private async Task<RunResult> RunCoreAsync(
        ConformanceRun run,
        ObservedSession session,
        Func<Device, ITarget?> targetFor,
        IProgress<RunProgress>? progress,
        CancellationToken cancellationToken,
        string? targetDescription)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(targetFor);
        ArgumentNullException.ThrowIfNull(session);
        var startedAt = _timeProvider.GetUtcNow();
        var runId = run.RunId ?? ConformanceRun.RunIdFor(startedAt);
        var selected = _catalogue.Where(run.Filter);
        var plan = session.Devices
            .SelectMany(device => selected.ApplicableTo(device).Select(rule => (Device: device, Rule: rule)))
            .ToList();
        Log.RunStarted(_logger, runId, session.Devices.Count, plan.Count, selected.Count);
        progress?.Report(new RunProgress(session.Devices.Count, 0, plan.Count, null, null));

        var findings = new List<Finding>();
        var done = 0;
        foreach (var (device, rule) in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = targetFor(device);
            var context = new RuleContext(rule, device, session, target is { CanSend: true } ? target : null, _timeProvider);
            var raw = rule.Kind == RuleKind.Passive
                ? RunPassive(rule, device, context)
                : await RunActiveAsync(rule, device, context, run.ActiveCheckTimeout, cancellationToken).ConfigureAwait(false);
            findings.AddRange(raw.Count == 0
                ? [new Finding(rule.Id, device.Id, Verdict.NotApplicable, "The check found nothing to judge.")]
                : raw.Select(f => Normalize(f, rule, device)));
            progress?.Report(new RunProgress(session.Devices.Count, ++done, plan.Count, rule.Id, device.Id));
        }

        var summarize = run.Summarizer;
        var timeline = session.Records
            .Select(r => new TimelineEntry(r, SafeText.Line(summarize?.Invoke(r), 120) is { Length: > 0 } s ? s : MessageSummary.Describe(r)))
            .ToList();
        var result = new RunResult(
            runId,
            startedAt,
            _timeProvider.GetUtcNow(),
            run.ToolVersion,
            run.TargetDescription ?? targetDescription ?? session.Source,
            new SessionInfo(session.Source, session.StartedAt, session.EndedAt, session.RecordsDropped),
            session.Devices,
            selected.Select(r => r.Info),
            findings,
            timeline);
        Log.RunFinished(_logger, runId, result.Totals.Fail, result.Totals.Warn, result.Totals.Error, result.ExitCode);
        return result;
    }

    private List<Finding> RunPassive(Rule rule, Device device, RuleContext context)
    {
        try
        {
            // Materialised inside the try: a lazy iterator throws while it is enumerated.
            return [.. rule.Check!(context) ?? []];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.CheckThrew(_logger, ex, rule.Id, device.Id);
            return [ErrorFinding(rule, device, ex)];
        }
    }

    private async Task<List<Finding>> RunActiveAsync(Rule rule, Device device, RuleContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!context.IsLive)
        {
            return [new Finding(rule.Id, device.Id, Verdict.NotApplicable, "Active rule: it needs a live target, and this run is passive.")];
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            var found = await rule.ActiveCheck!(context, linked.Token).ConfigureAwait(false);
            return [.. found ?? []];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            Log.CheckTimedOut(_logger, rule.Id, device.Id, timeout);
            return [new Finding(rule.Id, device.Id, Verdict.Error, $"The active check did not finish within {timeout.TotalSeconds:0.###} s and was stopped.")];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.CheckThrew(_logger, ex, rule.Id, device.Id);
            return [ErrorFinding(rule, device, ex)];
        }
    }

    /// <summary>
    /// The Error finding for a check that threw: the exception's type and message, and those of its inner exceptions.
    /// The stack trace goes to the log, not into the report, so that reports stay deterministic.
    /// </summary>
    private static Finding ErrorFinding(Rule rule, Device device, Exception ex)
    {
        var message = new System.Text.StringBuilder("The check threw ");
        message.Append(ex.GetType().FullName).Append(": ").Append(ex.Message);
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message.Append(" \u2190 ").Append(inner.GetType().FullName).Append(": ").Append(inner.Message);
        }

        return new Finding(rule.Id, device.Id, Verdict.Error, SafeText.Clean(message.ToString())!);
    }

    /// <summary>Stamps the rule and device, applies the level mapping, and bounds the text fields.</summary>
    private static Finding Normalize(Finding finding, Rule rule, Device device)
    {
        var verdict = (finding.Verdict, rule.Level) switch
        {
            (Verdict.Fail, RuleLevel.Should) => Verdict.Warn,
            (Verdict.Fail or Verdict.Warn, RuleLevel.May) => Verdict.Info,
            var (v, _) when Enum.IsDefined(v) => v,
            _ => Verdict.Error,
        };
        var message = finding.Message;
        if (verdict == Verdict.Error && !Enum.IsDefined(finding.Verdict))
        {
            message = $"The check returned an unknown verdict ({(int)finding.Verdict}): {message}";
        }

        var evidence = finding.Evidence ?? Evidence.None;
        if (!evidence.IsEmpty)
        {
            evidence = new Evidence(
                evidence.Records ?? [],
                SafeText.Clean(evidence.Actual),
                SafeText.Clean(evidence.Expected),
                SafeText.Clean(evidence.Location, 512));
        }

        return new Finding(rule.Id, device.Id, verdict, SafeText.Clean(message ?? string.Empty)!, evidence);
    }
}
