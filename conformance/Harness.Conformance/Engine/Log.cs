using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Engine;

/// <summary>The conformance project's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Run {RunId}: {Devices} device(s), {Checks} check(s) of {Rules} rule(s)")]
    public static partial void RunStarted(ILogger logger, string runId, int devices, int checks, int rules);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Check {RuleId} on {DeviceId} threw; recorded as Error")]
    public static partial void CheckThrew(ILogger logger, Exception exception, string ruleId, string deviceId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Active check {RuleId} on {DeviceId} timed out after {Timeout}; recorded as Error")]
    public static partial void CheckTimedOut(ILogger logger, string ruleId, string deviceId, TimeSpan timeout);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Run {RunId} done: {Fail} fail, {Warn} warn, {Error} error, exit code {ExitCode}")]
    public static partial void RunFinished(ILogger logger, string runId, int fail, int warn, int error, int exitCode);
}
