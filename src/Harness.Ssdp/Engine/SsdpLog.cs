using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Harness.Ssdp.Engine;

/// <summary>The log messages of the SSDP engines (one source-generated method per event).</summary>
internal static partial class SsdpLog
{

    [LoggerMessage(EventId = 1902, Level = LogLevel.Debug, Message = "Dropped an unreadable datagram of {Length} bytes from {Source}: {Reason}")]
    public static partial void MalformedDatagram(ILogger logger, IPEndPoint source, int length, string reason);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Debug, Message = "Ignored {Kind} from {Source}: {Reason}")]
    public static partial void MessageIgnored(ILogger logger, string kind, IPEndPoint source, string reason);

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

}
