namespace Harness.Conformance.Model;

/// <summary>What backs a finding: the messages it was judged on and the value that was wrong.</summary>
/// <param name="Records">
/// The <see cref="Harness.Core.Recording.TrafficRecord.Sequence"/> numbers of the messages the finding rests on,
/// in the order they matter (e.g. the request, then the reply).
/// </param>
/// <param name="Actual">The offending value as observed (device-supplied: untrusted), or null.</param>
/// <param name="Expected">What the specification asks for, or null.</param>
/// <param name="Location">Where in the message: an XPath-like path, a header name or a byte offset; or null.</param>
public sealed record Evidence(IReadOnlyList<long> Records, string? Actual = null, string? Expected = null, string? Location = null)
{
    /// <summary>No messages, no values.</summary>
    public static Evidence None { get; } = new([]);

    /// <summary>True when there is nothing in it.</summary>
    public bool IsEmpty => Records.Count == 0 && Actual is null && Expected is null && Location is null;

    /// <inheritdoc />
    public bool Equals(Evidence? other) =>
        other is not null
        && Records.SequenceEqual(other.Records)
        && string.Equals(Actual, other.Actual, StringComparison.Ordinal)
        && string.Equals(Expected, other.Expected, StringComparison.Ordinal)
        && string.Equals(Location, other.Location, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var record in Records)
        {
            hash.Add(record);
        }

        hash.Add(Actual, StringComparer.Ordinal);
        hash.Add(Expected, StringComparer.Ordinal);
        hash.Add(Location, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}

/// <summary>
/// One judgement of one rule on one device. A check may return several (one per message it judged); the rule's
/// outcome for the device is the worst of them (<see cref="RuleOutcome"/>).
/// </summary>
/// <param name="RuleId">The rule's id.</param>
/// <param name="DeviceId">The device's id.</param>
/// <param name="Verdict">The judgement.</param>
/// <param name="Message">What was found, in a sentence a person can act on. May quote device-supplied text.</param>
/// <param name="Evidence">The messages and values it rests on.</param>
public sealed record Finding(string RuleId, string DeviceId, Verdict Verdict, string Message, Evidence Evidence)
{
    /// <summary>Creates a finding with no evidence.</summary>
    public Finding(string ruleId, string deviceId, Verdict verdict, string message)
        : this(ruleId, deviceId, verdict, message, Evidence.None)
    {
    }
}
