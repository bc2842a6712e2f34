using System.Net;
using Microsoft.Extensions.Logging;

namespace Harness.Dpws.Logging;

/// <summary>The log messages of Harness.Dpws (one source-generated method per event; ids 4000–4099).</summary>
internal static partial class DpwsLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "DPWS host listening on {Address}")]
    public static partial void HostStarted(ILogger logger, Uri address);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "DPWS host on {Address} stopped")]
    public static partial void HostStopped(ILogger logger, Uri address);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "{Method} {Path} from {Remote}: {Status} ({Reason})")]
    public static partial void RequestRefused(ILogger logger, string method, string path, IPEndPoint? remote, int status, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "{Path} from {Remote}: {Action} answered {Status}")]
    public static partial void RequestAnswered(ILogger logger, string path, IPEndPoint? remote, string? action, int status);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "The handler of {Action} at {Path} failed; answered with a Receiver fault")]
    public static partial void HandlerFailed(ILogger logger, string? action, string path, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "The handler of {Action} at {Path} did not answer within {Timeout}")]
    public static partial void HandlerTimedOut(ILogger logger, string? action, string path, TimeSpan timeout);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Client gone before {Path} was answered")]
    public static partial void ClientGone(ILogger logger, string path);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "A subscriber of the exchange event failed")]
    public static partial void ObserverFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "POST {Address} ({Action}) answered {Status}")]
    public static partial void ClientExchange(ILogger logger, Uri address, string? action, int status);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "POST {Address} ({Action}) failed: {Error}")]
    public static partial void ClientFailed(ILogger logger, Uri address, string? action, string error);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Subscription {Identifier} created for {NotifyTo}, expires {Expires}")]
    public static partial void SubscriptionCreated(ILogger logger, string identifier, string notifyTo, string expires);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Debug, Message = "Subscription {Identifier} renewed, expires {Expires}")]
    public static partial void SubscriptionRenewed(ILogger logger, string identifier, string expires);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Debug, Message = "Subscription {Identifier} ended: {Reason}")]
    public static partial void SubscriptionEnded(ILogger logger, string identifier, string reason);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Warning, Message = "Delivery of {Action} to {NotifyTo} failed ({Failures} in a row): {Error}")]
    public static partial void DeliveryFailed(ILogger logger, string action, string notifyTo, int failures, string error);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Debug, Message = "SubscriptionEnd ({Status}) to {EndTo} failed: {Error}")]
    public static partial void SubscriptionEndFailed(ILogger logger, string status, string endTo, string error);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Debug, Message = "Refused a Subscribe from {Remote}: {Fault}")]
    public static partial void SubscribeRefused(ILogger logger, IPEndPoint? remote, string fault);
}
