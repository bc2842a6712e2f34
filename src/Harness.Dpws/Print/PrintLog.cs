using System.Net;
using Microsoft.Extensions.Logging;

namespace Harness.Dpws.Print;

/// <summary>The log messages of the WS-Print wiring and client (ids 4200–4299).</summary>
internal static partial class PrintLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Debug, Message = "WS-Print {Operation} from {Remote} answered")]
    public static partial void Answered(ILogger logger, string operation, IPEndPoint? remote);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "WS-Print {Operation} from {Remote} refused: {Fault}")]
    public static partial void Refused(ILogger logger, string operation, IPEndPoint? remote, string fault);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "WS-Print job {JobId} created for {User} ({Name})")]
    public static partial void JobCreated(ILogger logger, int jobId, string user, string name);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "WS-Print job {JobId} received document {DocumentId} ({Length} bytes, last {Last})")]
    public static partial void DocumentReceived(ILogger logger, int jobId, int documentId, long length, bool last);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Debug, Message = "WS-Print event {Action}: {Delivered} of {Matched} subscribers reached")]
    public static partial void EventDelivered(ILogger logger, string action, int delivered, int matched);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "WS-Print event {Action} dropped: the event queue is full")]
    public static partial void EventDropped(ILogger logger, string action);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Debug, Message = "WS-Print {Operation} to {Address} answered {Status}")]
    public static partial void ClientCall(ILogger logger, string operation, Uri address, int status);
}
