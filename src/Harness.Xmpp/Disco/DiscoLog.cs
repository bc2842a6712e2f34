using Microsoft.Extensions.Logging;

namespace Harness.Xmpp.Disco;

/// <summary>The log messages of the disco and caps engines.</summary>
internal static partial class DiscoLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "disco#{Kind} for unknown node '{Node}' from {From}: item-not-found")]
    public static partial void NodeNotFound(ILogger logger, string kind, string node, string from);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "disco#info from {Jid} node '{Node}' read with {Count} violations")]
    public static partial void InfoViolations(ILogger logger, string jid, string node, int count);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Caps {Algorithm} {Ver} verified from {Jid} ({Variant})")]
    public static partial void CapsVerified(ILogger logger, string algorithm, string ver, string jid, string variant);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Caps {Algorithm} {Ver} from {Jid} not verified: {Reason}")]
    public static partial void CapsRejected(ILogger logger, string algorithm, string ver, string jid, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Debug, Message = "Caps verification for {Algorithm} {Ver} from {Jid} not started: {Reason}")]
    public static partial void CapsVerificationDropped(ILogger logger, string algorithm, string ver, string jid, string reason);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Caps store: {Path}: {Problem}")]
    public static partial void StoreIssue(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Debug, Message = "Own caps changed: ver {Ver}")]
    public static partial void OwnCapsChanged(ILogger logger, string ver);
}
