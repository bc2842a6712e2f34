using Microsoft.Extensions.Logging;

namespace Harness.Simulators.Xmpp;

/// <summary>Log messages of the simulated XMPP entities and fleets.</summary>
internal static partial class XmppSimulatorLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "XMPP entity {Jid} ({Kind}, quirk {Quirk}) serves disco; caps ver {Ver}")]
    public static partial void Attached(ILogger logger, string jid, XmppEntityKind kind, string quirk, string ver);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "XMPP entity {Jid} added feature {Feature}; caps ver {Ver}")]
    public static partial void FeaturesChanged(ILogger logger, string jid, string feature, string ver);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "XMPP fleet on 127.0.0.1:{Port} (domain {Domain}, component port {ComponentPort}) with {Count} entities")]
    public static partial void FleetStarted(ILogger logger, int port, string domain, int componentPort, int count);
}
