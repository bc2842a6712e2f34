using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Harness.Core.Logging;

/// <summary>The log messages of Harness.Core (one <see cref="LoggerMessageAttribute"/> class per project).</summary>
internal static partial class CoreLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "UDP transport bound to {LocalEndPoint} on interface {Interface}, groups [{Groups}]")]
    public static partial void UdpBound(ILogger logger, IPEndPoint localEndPoint, string @interface, string groups);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "UDP receive on {LocalEndPoint} failed with {SocketError}; the receive loop goes on")]
    public static partial void UdpReceiveError(ILogger logger, IPEndPoint localEndPoint, SocketError socketError, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug,
        Message = "UDP datagram from {Source} to {LocalEndPoint} was larger than {MaxDatagramSize} bytes and was dropped")]
    public static partial void UdpDatagramTruncated(ILogger logger, IPEndPoint source, IPEndPoint localEndPoint, int maxDatagramSize);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "UDP receive on {LocalEndPoint} failed {Count} times in a row; backing off for {Delay}")]
    public static partial void UdpReceiveBackoff(ILogger logger, IPEndPoint localEndPoint, int count, TimeSpan delay);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error,
        Message = "UDP receive loop on {LocalEndPoint} stopped by an unexpected fault; receivers will see it")]
    public static partial void UdpReceiveLoopFaulted(ILogger logger, IPEndPoint localEndPoint, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug,
        Message = "UDP transport on {LocalEndPoint} closed")]
    public static partial void UdpClosed(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "A handler failed on a datagram from {Source}; the engine goes on")]
    public static partial void EngineHandlerFault(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Receiving on {LocalEndPoint} failed ({Error})")]
    public static partial void EngineReceiveFailed(ILogger logger, IPEndPoint localEndPoint, SocketError error, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Receiving on {LocalEndPoint} failed {Count} times in a row; the receive loop stops")]
    public static partial void EngineReceiveLoopGivesUp(ILogger logger, IPEndPoint localEndPoint, int count);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Sending to {Destination} failed ({Error})")]
    public static partial void EngineSendFailed(ILogger logger, IPEndPoint destination, SocketError error, Exception exception);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Debug, Message = "Not sent to {Destination}: the transport is closed")]
    public static partial void EngineSendOnClosedTransport(ILogger logger, IPEndPoint destination);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "A background task of the engine failed")]
    public static partial void EngineBackgroundFault(ILogger logger, Exception exception);
}
