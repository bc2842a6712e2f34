using Microsoft.Extensions.Logging;

namespace Harness.Xmpp.Core;

/// <summary>The log messages of the XMPP streams and connections (event ids 5000–5099).</summary>
internal static partial class XmppCoreLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "XMPP stream to {Peer} established as {LocalJid} ({Mode})")]
    public static partial void Established(ILogger logger, string peer, string localJid, string mode);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "STARTTLS with {Peer} (required: {Required})")]
    public static partial void StartingTls(ILogger logger, string peer, bool required);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Authenticating to {Peer} with {Mechanism} (offered: {Offered})")]
    public static partial void Authenticating(ILogger logger, string peer, string mechanism, string offered);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "XMPP negotiation with {Peer} failed: {Reason}")]
    public static partial void NegotiationFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "XMPP stream {LocalJid} closed: {Reason}")]
    public static partial void StreamClosed(ILogger logger, string localJid, string reason);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "XMPP stream {LocalJid}: closing with stream error {Condition}: {Text}")]
    public static partial void SendingStreamError(ILogger logger, string localJid, string condition, string? text);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "XMPP stream {LocalJid}: the peer sent stream error {Condition}: {Text}")]
    public static partial void ReceivedStreamError(ILogger logger, string localJid, string condition, string? text);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "XMPP stream {LocalJid}: writing failed ({Error})")]
    public static partial void WriteFailed(ILogger logger, string localJid, string error);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Debug, Message = "XMPP stream {LocalJid}: {Kind} iq with no handler ({Payload}) from {From}: answered service-unavailable")]
    public static partial void UnhandledIq(ILogger logger, string localJid, string kind, string payload, string? from);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Error, Message = "XMPP stream {LocalJid}: the iq handler for {Payload} failed; answered internal-server-error")]
    public static partial void IqHandlerFailed(ILogger logger, string localJid, string payload, Exception exception);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Debug, Message = "XMPP stream {LocalJid}: ignored an iq {Type} with unknown id {Id} from {From}")]
    public static partial void UnmatchedResponse(ILogger logger, string localJid, string type, string? id, string? from);

    [LoggerMessage(EventId = 5023, Level = LogLevel.Debug, Message = "XMPP stream {LocalJid}: ignored a top-level element {Name}")]
    public static partial void IgnoredElement(ILogger logger, string localJid, string name);

    [LoggerMessage(EventId = 5024, Level = LogLevel.Error, Message = "XMPP stream {LocalJid}: a {Kind} event handler failed")]
    public static partial void EventHandlerFailed(ILogger logger, string localJid, string kind, Exception exception);
}
