using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Harness.Ssdp.Engine;

/// <summary>The log messages of the SSDP engines (one source-generated method per event).</summary>
internal static partial class SsdpLog
{
    [LoggerMessage(EventId = 1900, Level = LogLevel.Warning, Message = "Sending to {Destination} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint destination, SocketError error, Exception exception);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Debug, Message = "Not sending to {Destination}: the transport is closed")]
    public static partial void SendOnClosedTransport(ILogger logger, IPEndPoint destination);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Debug, Message = "Dropped an unreadable datagram of {Length} bytes from {Source}: {Reason}")]
    public static partial void MalformedDatagram(ILogger logger, IPEndPoint source, int length, string reason);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Debug, Message = "Ignored {Kind} from {Source}: {Reason}")]
    public static partial void MessageIgnored(ILogger logger, string kind, IPEndPoint source, string reason);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Error, Message = "Handling a datagram from {Source} failed; the receive loop goes on")]
    public static partial void HandlerFault(ILogger logger, IPEndPoint source, Exception exception);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Warning, Message = "Receiving on {LocalEndPoint} failed: {Error}")]
    public static partial void ReceiveFailed(ILogger logger, IPEndPoint localEndPoint, SocketError error, Exception exception);

    [LoggerMessage(EventId = 1906, Level = LogLevel.Error, Message = "The receive loop on {LocalEndPoint} stops after {Count} consecutive socket errors")]
    public static partial void ReceiveLoopGivesUp(ILogger logger, IPEndPoint localEndPoint, int count);

    [LoggerMessage(EventId = 1907, Level = LogLevel.Error, Message = "A background task failed")]
    public static partial void BackgroundFault(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1908, Level = LogLevel.Debug, Message = "Answering {Target} from {Source} with {Count} responses over {Window}")]
    public static partial void Answering(ILogger logger, string target, IPEndPoint source, int count, TimeSpan window);

    [LoggerMessage(EventId = 1909, Level = LogLevel.Warning, Message = "Too many pending answers ({Limit}); dropped the search from {Source}")]
    public static partial void TooManyPendingReplies(ILogger logger, int limit, IPEndPoint source);

    [LoggerMessage(EventId = 1910, Level = LogLevel.Debug, Message = "Sent {Count} {Nts} for {Udn} to {Destination}")]
    public static partial void Announced(ILogger logger, int count, string nts, string udn, IPEndPoint destination);

    [LoggerMessage(EventId = 1911, Level = LogLevel.Information, Message = "Device {Usn} {Change} (from {Source})")]
    public static partial void DeviceChanged(ILogger logger, string usn, string change, IPEndPoint? source);

    [LoggerMessage(EventId = 1912, Level = LogLevel.Warning, Message = "The cache is full ({Limit} devices); {Usn} from {Source} is not kept")]
    public static partial void CacheFull(ILogger logger, int limit, string usn, IPEndPoint source);

    [LoggerMessage(EventId = 1913, Level = LogLevel.Warning, Message = "The description at {Location} could not be used ({Status}: {Error}); its devices are dropped")]
    public static partial void DescriptionFailed(ILogger logger, string location, string status, string? error);

    [LoggerMessage(EventId = 1914, Level = LogLevel.Error, Message = "An event handler failed")]
    public static partial void EventHandlerFault(ILogger logger, Exception exception);
}
