using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Harness.Ssdp.Engine;

/// <summary>
/// What the control point and the advertiser share: fire-and-forget tasks that are tracked (awaited on dispose,
/// faults logged), a receive loop that survives any datagram and bounded runs of socket errors, and sends that log
/// instead of throwing.
/// </summary>
internal sealed class EngineLoops(ILogger logger)
{
    private const int MaxConsecutiveSocketErrors = 100;
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private long _handlerFaults;

    /// <summary>Faults thrown by a handler (or an event handler) that were logged and survived.</summary>
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

    /// <summary>Counts and logs a fault of an event handler, which must not break the engine.</summary>
    public void HandlerFault(Exception exception)
    {
        Interlocked.Increment(ref _handlerFaults);
        SsdpLog.EventHandlerFault(logger, exception);
    }

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
                SsdpLog.ReceiveFailed(logger, transport.LocalEndPoint, ex.SocketErrorCode, ex);
                if (++socketErrors >= MaxConsecutiveSocketErrors)
                {
                    SsdpLog.ReceiveLoopGivesUp(logger, transport.LocalEndPoint, socketErrors);
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
                // A fault in the handler (or a subscriber's event handler) must not end the loop.
                Interlocked.Increment(ref _handlerFaults);
                SsdpLog.HandlerFault(logger, datagram.Source, ex);
            }
        }
    }

    /// <summary>Sends one datagram; socket errors and a closed transport are logged, cancellation propagates.</summary>
    public async Task<bool> SendAsync(IDatagramTransport transport, ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendAsync(payload, destination, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException ex)
        {
            SsdpLog.SendFailed(logger, destination, ex.SocketErrorCode, ex);
            return false;
        }
        catch (ObjectDisposedException)
        {
            SsdpLog.SendOnClosedTransport(logger, destination);
            return false;
        }
    }

    private void Observe(Task task)
    {
        if (task.IsFaulted && task.Exception is { } ex)
        {
            SsdpLog.BackgroundFault(logger, ex.GetBaseException());
        }
    }
}

/// <summary>The one seeded <see cref="Random"/> of an engine, shared behind a lock.</summary>
internal sealed class EngineRandom(int seed)
{
    private readonly Lock _gate = new();
#pragma warning disable CA5394 // Protocol jitter, not security.
    private readonly Random _random = new(seed);

    /// <summary>A seed from the system's secure generator, for engines whose options set none.</summary>
    public static int FreshSeed() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>A delay drawn uniformly from [min, max] at millisecond resolution.</summary>
    public TimeSpan NextDelay(TimeSpan min, TimeSpan max)
    {
        if (max <= min)
        {
            return min;
        }

        lock (_gate)
        {
            return min + TimeSpan.FromMilliseconds(Math.Floor(_random.NextDouble() * (max - min).TotalMilliseconds));
        }
    }

    /// <summary>Delays drawn uniformly from [0, max], sorted.</summary>
    public TimeSpan[] NextSortedDelays(int count, TimeSpan max)
    {
        var delays = new TimeSpan[count];
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                delays[i] = TimeSpan.FromMilliseconds(Math.Floor(_random.NextDouble() * max.TotalMilliseconds));
            }
        }

        Array.Sort(delays);
        return delays;
    }
#pragma warning restore CA5394
}
