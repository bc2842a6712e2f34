using Harness.Core.Diagnostics;
using Harness.Core.Recording;

namespace Harness.Conformance.Model;

/// <summary>
/// What a check gets: the rule, the device, the session and (for active rules) the target, plus the helpers that
/// make findings with the rule's id, the device's id and the verdict the rule's level calls for.
/// </summary>
public sealed class RuleContext
{
    private readonly ITarget? _target;

    /// <summary>Creates a context (the runner does this; tests of single rules may too).</summary>
    public RuleContext(Rule rule, Device device, ObservedSession session, ITarget? target = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(session);
        Rule = rule;
        Device = device;
        Session = session;
        _target = target;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The rule being checked.</summary>
    public Rule Rule { get; }

    /// <summary>The device being judged.</summary>
    public Device Device { get; }

    /// <summary>The observed traffic and the parse cache.</summary>
    public ObservedSession Session { get; }

    /// <summary>The run's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>True when a live target is there (<see cref="ITarget.CanSend"/>): always so inside an active check.</summary>
    public bool IsLive => _target is { CanSend: true };

    /// <summary>The target of an active check.</summary>
    /// <exception cref="InvalidOperationException">No live target (passive run).</exception>
    public ITarget Target => _target ?? throw new InvalidOperationException("This run has no target: only active checks of a live run can send.");

    /// <summary>The session's records sent by or to this device (<see cref="ObservedSession.RecordsInvolving(Device)"/>).</summary>
    public IReadOnlyList<TrafficRecord> DeviceRecords => Session.RecordsInvolving(Device);

    /// <summary>The records the device sent (source is one of its addresses).</summary>
    public IEnumerable<TrafficRecord> RecordsFromDevice => DeviceRecords.Where(r => Device.IsAt(r.Source));

    /// <summary>A finding that the requirement is met.</summary>
    public Finding Pass(string message, IEnumerable<TrafficRecord>? records = null) =>
        Make(Verdict.Pass, message, records, null, null, null);

    /// <summary>
    /// A finding that the requirement is not met, with the verdict the rule's level calls for:
    /// MUST → Fail, SHOULD → Warn, MAY → Info.
    /// </summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="records">The messages it rests on.</param>
    /// <param name="actual">The offending value as observed.</param>
    /// <param name="expected">What the specification asks for.</param>
    /// <param name="location">Where in the message.</param>
    public Finding Violation(string message, IEnumerable<TrafficRecord>? records = null, string? actual = null, string? expected = null, string? location = null) =>
        Make(Rule.Level.ViolationVerdict(), message, records, actual, expected, location);

    /// <summary>
    /// A finding from a reader's <see cref="Harness.Core.Diagnostics.Violation"/> on <paramref name="record"/>:
    /// Error severity → the level's violation verdict, Warning → Warn (Info for a MAY rule), Info → Info.
    /// </summary>
    public Finding FromViolation(Violation violation, TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(violation);
        ArgumentNullException.ThrowIfNull(record);
        var verdict = violation.Severity switch
        {
            ViolationSeverity.Error => Rule.Level.ViolationVerdict(),
            ViolationSeverity.Warning => Rule.Level == RuleLevel.May ? Verdict.Info : Verdict.Warn,
            _ => Verdict.Info,
        };
        return Make(verdict, violation.Message, [record], null, null, violation.Location);
    }

    /// <summary>
    /// A warning whatever the rule's level (Info for a MAY rule): for deviations the harness tolerates because real
    /// devices and the reference implementations do the same.
    /// </summary>
    public Finding Warn(string message, IEnumerable<TrafficRecord>? records = null, string? actual = null, string? expected = null, string? location = null) =>
        Make(Rule.Level == RuleLevel.May ? Verdict.Info : Verdict.Warn, message, records, actual, expected, location);

    /// <summary>An informational finding: worth knowing, never a failure.</summary>
    public Finding Info(string message, IEnumerable<TrafficRecord>? records = null, string? actual = null) =>
        Make(Verdict.Info, message, records, actual, null, null);

    /// <summary>A finding that the rule could not be judged here, with the reason.</summary>
    public Finding NotApplicable(string reason) =>
        Make(Verdict.NotApplicable, reason, null, null, null, null);

    private Finding Make(Verdict verdict, string message, IEnumerable<TrafficRecord>? records, string? actual, string? expected, string? location)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sequences = records is null ? [] : records.Select(r => r.Sequence).Distinct().ToArray();
        var evidence = sequences.Length == 0 && actual is null && expected is null && location is null
            ? Evidence.None
            : new Evidence(sequences, actual, expected, location);
        return new Finding(Rule.Id, Device.Id, verdict, message, evidence);
    }
}
