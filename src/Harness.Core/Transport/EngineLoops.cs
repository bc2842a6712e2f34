using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Harness.Core.Transport;

/// <summary>
/// What every protocol engine (WS-Discovery client and publisher, SSDP control point and advertiser) needs around its
/// transports: fire-and-forget tasks that are tracked (awaited on dispose, faults logged), a receive loop that
/// survives any datagram and bounded runs of socket errors, and sends that log instead of throwing.
/// </summary>
public sealed class EngineLoops
{
    private const int MaxConsecutiveSocketErrors = 100;
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly ILogger _logger;
    private long _handlerFaults;

    /// <summary>Creates the loops of one engine, logging to <paramref name="logger"/>.</summary>
    public EngineLoops(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Faults thrown by a handler (or by a subscriber's event handler) that were logged and survived.</summary>
    public long HandlerFaults => Interlocked.Read(ref _handlerFaults);

    /// <summary>Keeps a task until it ends, then logs its fault, if any.</summary>
    public void Track(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            Observe(task);
            return;
        }

        _background[task] = 0;
        _ = task.ContinueWith(
            t =>
            {
                _background.TryRemove(t, out _);
                Observe(t);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits for every tracked task (their faults are logged, not thrown, by <see cref="Track"/>).</summary>
    public Task WhenAllTrackedAsync() => Task.WhenAll(_background.Keys);

    /// <summary>Counts and logs a fault of an event handler, which must not break the engine.</summary>
    public void HandlerFault(IPEndPoint? source, Exception exception)
    {
        Interlocked.Increment(ref _handlerFaults);
        CoreLog.EngineHandlerFault(_logger, source?.ToString() ?? "-", exception);
    }

    /// <summary>Receives from <paramref name="transport"/> until cancelled or disposed and hands each datagram to <paramref name="handle"/>.</summary>
    public async Task ReceiveLoopAsync(IDatagramTransport transport, Action<IDatagramTransport, Datagram> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(handle);
        var socketErrors = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Datagram datagram;
            try
            {
                datagram = await transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                socketErrors = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                CoreLog.EngineReceiveFailed(_logger, transport.LocalEndPoint, ex.SocketErrorCode, ex);
                if (++socketErrors >= MaxConsecutiveSocketErrors)
                {
                    CoreLog.EngineReceiveLoopGivesUp(_logger, transport.LocalEndPoint, socketErrors);
                    break;
                }

                continue;
            }

            try
            {
                handle(transport, datagram);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A fault in the handler (or in a subscriber's event handler) must not end the loop: log it as an error.
                HandlerFault(datagram.Source, ex);
            }
        }
    }

    /// <summary>Sends one datagram; socket errors and a closed transport are logged and return false, cancellation propagates.</summary>
    public async Task<bool> SendAsync(IDatagramTransport transport, ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            await transport.SendAsync(payload, destination, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException ex)
        {
            CoreLog.EngineSendFailed(_logger, destination, ex.SocketErrorCode, ex);
            return false;
        }
        catch (ObjectDisposedException)
        {
            CoreLog.EngineSendOnClosedTransport(_logger, destination);
            return false;
        }
    }

    private void Observe(Task task)
    {
        if (task.IsFaulted && task.Exception is { } ex)
        {
            CoreLog.EngineBackgroundFault(_logger, ex.GetBaseException());
        }
    }
}
