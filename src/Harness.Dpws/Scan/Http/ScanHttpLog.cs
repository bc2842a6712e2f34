using System.Net;
using Microsoft.Extensions.Logging;

namespace Harness.Dpws.Scan.Http;

/// <summary>The log messages of the WS-Scan wiring and client (ids 4300–4399).</summary>
internal static partial class ScanHttpLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Debug, Message = "WS-Scan {Operation} from {Remote} answered")]
    public static partial void Answered(ILogger logger, string operation, IPEndPoint? remote);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "WS-Scan {Operation} from {Remote} refused: {Fault}")]
    public static partial void Refused(ILogger logger, string operation, IPEndPoint? remote, string fault);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "WS-Scan job {JobId} created ({Format}, {Source})")]
    public static partial void JobCreated(ILogger logger, int jobId, string format, string source);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "WS-Scan job {JobId} image {Document} sent ({Length} bytes, {ContentType})")]
    public static partial void ImageSent(ILogger logger, int jobId, string document, int length, string contentType);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Debug, Message = "WS-Scan event {Action}: {Delivered} of {Matched} subscribers reached")]
    public static partial void EventDelivered(ILogger logger, string action, int delivered, int matched);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Warning, Message = "WS-Scan event {Action} dropped: the event queue is full")]
    public static partial void EventDropped(ILogger logger, string action);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Information, Message = "WS-Scan subscription {Identifier} registered {Count} scan destination(s)")]
    public static partial void DestinationsRegistered(ILogger logger, string identifier, int count);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Warning, Message = "WS-Scan ScanAvailableEvent for destination {Token} not delivered: {Reason}")]
    public static partial void ScanAvailableUndelivered(ILogger logger, string token, string reason);

    [LoggerMessage(EventId = 4310, Level = LogLevel.Debug, Message = "WS-Scan {Operation} to {Address} answered {Status}")]
    public static partial void ClientCall(ILogger logger, string operation, Uri address, int status);
}
