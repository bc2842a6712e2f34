using System.Collections.Concurrent;
using System.Net.Sockets;
using Harness.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Harness.WsDiscovery.Engine;

/// <summary>
/// What the discovery client and the publisher share: fire-and-forget tasks that are tracked (awaited on dispose,
/// faults logged) and a receive loop that survives any datagram and bounded runs of socket errors.
/// </summary>
internal sealed class EngineLoops(ILogger logger)
{
    private const int MaxConsecutiveSocketErrors = 100;
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private long _handlerFaults;

    /// <summary>Faults thrown by a handler (or by a subscriber's event handler) that the loop logged and survived.</summary>
    public long HandlerFaults => Interlocked.Read(ref _handlerFaults);

    /// <summary>Keeps a task until it ends, then logs its fault, if any.</summary>
    public void Track(Task task)
    {
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

    /// <summary>Waits for every tracked task, ignoring their faults (already logged).</summary>
    public Task WhenAllTrackedAsync() => Task.WhenAll(_background.Keys);

    /// <summary>Receives from <paramref name="transport"/> until cancelled or disposed and hands each datagram to <paramref name="handle"/>.</summary>
    public async Task ReceiveLoopAsync(IDatagramTransport transport, Action<IDatagramTransport, Datagram> handle, CancellationToken cancellationToken)
    {
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
                WsdLog.ReceiveFailed(logger, transport.LocalEndPoint, ex.SocketErrorCode, ex);
                if (++socketErrors >= MaxConsecutiveSocketErrors)
                {
                    WsdLog.ReceiveLoopGivesUp(logger, transport.LocalEndPoint, socketErrors);
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
                Interlocked.Increment(ref _handlerFaults);
                WsdLog.HandlerFault(logger, datagram.Source, ex);
            }
        }
    }

    private void Observe(Task task)
    {
        if (task.IsFaulted && task.Exception is { } ex)
        {
            WsdLog.BackgroundFault(logger, ex.GetBaseException());
        }
    }
}
