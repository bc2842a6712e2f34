using System.Net;
using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Replay;

/// <summary>The replay's log messages (event ids 200 and up, apart from the engine's).</summary>
internal static partial class ReplayLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Replay to {Target}: {Requests} request(s) from {Records} captured record(s), {Malformed} malformed")]
    public static partial void Started(ILogger logger, IPEndPoint target, int requests, long records, long malformed);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Replayed {Kind} (capture record {Sequence}) as {MessageId} to {Destination}: {Answers} answer(s), {Differences} difference(s)")]
    public static partial void Replayed(ILogger logger, string kind, long sequence, string messageId, IPEndPoint destination, int answers, int differences);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Replay of {Kind} (capture record {Sequence}) to {Destination} could not be sent")]
    public static partial void SendFailed(ILogger logger, Exception exception, string kind, long sequence, IPEndPoint destination);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Replay stopped after {Elapsed}: {NotSent} request(s) not sent")]
    public static partial void Stopped(ILogger logger, TimeSpan elapsed, int notSent);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Replay to {Target} done: {Requests} request(s), {Errors} error(s), {Warnings} warning(s)")]
    public static partial void Finished(ILogger logger, IPEndPoint target, int requests, int errors, int warnings);
}
