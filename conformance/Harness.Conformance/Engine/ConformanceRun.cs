using System.Globalization;
using System.Reflection;
using Harness.Core.Recording;

namespace Harness.Conformance.Engine;

/// <summary>What a run is asked to do: which rules, and how the run is named in its reports.</summary>
public sealed record ConformanceRun
{
    /// <summary>The run's id; when null the runner derives one from its start time (<c>20250101T120000Z</c>).</summary>
    public string? RunId { get; init; }

    /// <summary>The harness version written into reports; defaults to this assembly's informational version.</summary>
    public string ToolVersion { get; init; } = DefaultToolVersion;

    /// <summary>What is tested, in a line; when null, the target's description, else the session's source.</summary>
    public string? TargetDescription { get; init; }

    /// <summary>Which rules run.</summary>
    public RuleFilter Filter { get; init; } = RuleFilter.All;

    /// <summary>How long one active check may take before it is stopped and recorded as an Error.</summary>
    public TimeSpan ActiveCheckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A protocol plugin's one-line description of a record for the timeline (e.g. <c>ProbeMatches</c>), or null to
    /// fall back to <see cref="MessageSummary.Describe(TrafficRecord)"/>. Returning null falls back too.
    /// </summary>
    public Func<TrafficRecord, string?>? Summarizer { get; init; }

    /// <summary>This assembly's informational version (without a source-revision suffix).</summary>
    public static string DefaultToolVersion { get; } = ReadVersion();

    /// <summary>The run id for a start time: <c>yyyyMMddTHHmmssZ</c> in UTC.</summary>
    public static string RunIdFor(DateTimeOffset startedAt) =>
        startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string ReadVersion()
    {
        var version = typeof(ConformanceRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(ConformanceRun).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}

/// <summary>Where a run is: reported after each rule is judged on each device.</summary>
/// <param name="DevicesFound">Devices in the session.</param>
/// <param name="ChecksDone">Rule-on-device checks finished.</param>
/// <param name="ChecksTotal">Rule-on-device checks in the run.</param>
/// <param name="RuleId">The rule just judged, or null before the first.</param>
/// <param name="DeviceId">The device just judged, or null before the first.</param>
public sealed record RunProgress(int DevicesFound, int ChecksDone, int ChecksTotal, string? RuleId, string? DeviceId);
