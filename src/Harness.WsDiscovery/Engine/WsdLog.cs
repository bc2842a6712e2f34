using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Harness.WsDiscovery.Engine;

/// <summary>The log messages of the WS-Discovery engines (one source-generated method per event).</summary>
internal static partial class WsdLog
{
    [LoggerMessage(EventId = 3700, Level = LogLevel.Warning, Message = "Sending copy {Copy} to {Destination} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint destination, int copy, SocketError error, Exception exception);

    [LoggerMessage(EventId = 3701, Level = LogLevel.Debug, Message = "Not sending to {Destination}: the transport is closed")]
    public static partial void SendOnClosedTransport(ILogger logger, IPEndPoint destination);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Debug, Message = "Dropped an unreadable datagram of {Length} bytes from {Source}: {Reason}")]
    public static partial void MalformedDatagram(ILogger logger, IPEndPoint source, int length, string reason);

    [LoggerMessage(EventId = 3703, Level = LogLevel.Debug, Message = "Ignored {Kind} from {Source}: {Reason}")]
    public static partial void MessageIgnored(ILogger logger, string kind, IPEndPoint source, string reason);

    [LoggerMessage(EventId = 3704, Level = LogLevel.Debug, Message = "Dropped a duplicate of {MessageId} from {Source}")]
    public static partial void Duplicate(ILogger logger, string messageId, IPEndPoint source);

    [LoggerMessage(EventId = 3705, Level = LogLevel.Debug, Message = "Ignored a stale {Kind} for {Endpoint} from {Source}")]
    public static partial void Stale(ILogger logger, string kind, string endpoint, IPEndPoint source);

    [LoggerMessage(EventId = 3709, Level = LogLevel.Information, Message = "Loaded {Count} cached services from {Path}")]
    public static partial void CacheLoaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 3710, Level = LogLevel.Warning, Message = "The service cache {Path} could not be read; starting empty")]
    public static partial void CacheLoadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3711, Level = LogLevel.Warning, Message = "The service cache {Path} could not be written")]
    public static partial void CacheSaveFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3712, Level = LogLevel.Debug, Message = "Answered {Kind} {MessageId} from {Source} with {Matches} matches in {Datagrams} datagrams")]
    public static partial void Answered(ILogger logger, string kind, string messageId, IPEndPoint source, int matches, int datagrams);

    [LoggerMessage(EventId = 3713, Level = LogLevel.Warning, Message = "The match for {Endpoint} alone is {Size} bytes, more than the envelope limit {Limit}; left out")]
    public static partial void MatchTooLarge(ILogger logger, string endpoint, int size, int limit);

    [LoggerMessage(EventId = 3714, Level = LogLevel.Warning, Message = "Too many pending replies ({Limit}); dropped the request from {Source}")]
    public static partial void TooManyPendingReplies(ILogger logger, int limit, IPEndPoint source);

    [LoggerMessage(EventId = 3715, Level = LogLevel.Debug, Message = "Sent a MatchingRuleNotSupported fault for MatchBy {MatchBy} to {Source}")]
    public static partial void FaultSent(ILogger logger, string matchBy, IPEndPoint source);

    [LoggerMessage(EventId = 3716, Level = LogLevel.Debug, Message = "Sent {Kind} for {Endpoint} in {Protocol} to {Destination}")]
    public static partial void Announced(ILogger logger, string kind, string endpoint, string protocol, IPEndPoint destination);

    [LoggerMessage(EventId = 3717, Level = LogLevel.Warning, Message = "Resolve for {Endpoint} from {Source} not answered: no XAddrs to give")]
    public static partial void ResolveWithoutXAddrs(ILogger logger, string endpoint, IPEndPoint source);

    [LoggerMessage(EventId = 3718, Level = LogLevel.Information, Message = "Local addresses changed; announcing {Count} services again")]
    public static partial void AddressesChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 3720, Level = LogLevel.Debug, Message = "Ignored {Kind} with unknown RelatesTo {RelatesTo} from {Source}")]
    public static partial void UnknownRelatesTo(ILogger logger, string kind, string relatesTo, IPEndPoint source);
}
