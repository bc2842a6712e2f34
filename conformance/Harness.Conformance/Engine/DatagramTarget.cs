using System.Net;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;

namespace Harness.Conformance.Engine;

/// <summary>
/// A live target reached through a datagram transport (UDP on a chosen interface, or the in-memory network of the
/// simulators). Records what it sends and receives into the session's recorder. The transport must not record by
/// itself (or every message would be recorded twice), and nothing else may receive from it while a rule runs.
/// </summary>
public sealed class DatagramTarget : ITarget
{
    private readonly IDatagramTransport _transport;
    private readonly TrafficRecorder _recorder;
    private readonly TimeProvider _timeProvider;
    private readonly Func<CancellationToken, ValueTask>? _restart;

    /// <summary>Creates a target.</summary>
    /// <param name="transport">The transport to send and receive through; the caller owns it.</param>
    /// <param name="recorder">The session's recorder (the one a live <see cref="ObservedSession"/> follows).</param>
    /// <param name="description">What is tested, in a line.</param>
    /// <param name="endPoint">The device's unicast endpoint when known.</param>
    /// <param name="restart">Restarts the device (a simulator hook), or null when it cannot.</param>
    /// <param name="timeProvider">The clock the collect window runs on; the recorder's when null.</param>
    public DatagramTarget(
        IDatagramTransport transport,
        TrafficRecorder recorder,
        string description,
        IPEndPoint? endPoint = null,
        Func<CancellationToken, ValueTask>? restart = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentException.ThrowIfNullOrEmpty(description);
        _transport = transport;
        _recorder = recorder;
        _restart = restart;
        _timeProvider = timeProvider ?? recorder.TimeProvider;
        Description = description;
        EndPoint = endPoint;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public IPEndPoint? EndPoint { get; }

    /// <inheritdoc />
    public bool CanSend => true;

    /// <inheritdoc />
    public bool CanRestart => _restart is not null;

    /// <inheritdoc />
    public async ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await _transport.SendAsync(payload, destination, cancellationToken).ConfigureAwait(false);
        return _recorder.Record(TrafficDirection.Outbound, TrafficTransport.Udp, _transport.LocalEndPoint, destination, payload.Span, protocol);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var collected = new List<TrafficRecord>();
        using var windowSource = new CancellationTokenSource(window, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowSource.Token);
        try
        {
            while (collected.Count < maxCount)
            {
                var datagram = await _transport.ReceiveAsync(linked.Token).ConfigureAwait(false);
                var record = _recorder.Record(
                    TrafficDirection.Inbound,
                    TrafficTransport.Udp,
                    datagram.Source,
                    datagram.Destination,
                    datagram.Payload.Span,
                    timestamp: datagram.ReceivedAt);
                if (filter is null || filter(record))
                {
                    collected.Add(record);
                }
            }
        }
        catch (OperationCanceledException) when (windowSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The window closed: what arrived so far is the answer.
        }

        return collected;
    }

    /// <inheritdoc />
    public ValueTask RestartAsync(CancellationToken cancellationToken) =>
        _restart is null
            ? throw new NotSupportedException($"The target '{Description}' cannot be restarted.")
            : _restart(cancellationToken);
}

/// <summary>
/// The target of a passive run (a capture, or a live session judged without sending): cannot send, cannot restart.
/// Active rules are NotApplicable against it.
/// </summary>
/// <param name="description">What is judged, e.g. <c>capture: front-door.pcapng</c>.</param>
public sealed class PassiveTarget(string description) : ITarget
{
    /// <inheritdoc />
    public string Description { get; } = string.IsNullOrEmpty(description) ? throw new ArgumentException("A description is required.", nameof(description)) : description;

    /// <inheritdoc />
    public IPEndPoint? EndPoint => null;

    /// <inheritdoc />
    public bool CanSend => false;

    /// <inheritdoc />
    public bool CanRestart => false;

    /// <inheritdoc />
    public ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"'{Description}' is passive: nothing can be sent.");

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"'{Description}' is passive: nothing can be received.");

    /// <inheritdoc />
    public ValueTask RestartAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException($"'{Description}' is passive: it cannot be restarted.");
}
