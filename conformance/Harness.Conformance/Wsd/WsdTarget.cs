using System.Net;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;

namespace Harness.Conformance.Wsd;

/// <summary>
/// A WS-Discovery device reached through its own datagram transport (an ephemeral port): what is sent and received
/// is recorded under the <c>wsd</c> label. Refuses destinations outside what <paramref name="mayReach"/> allows
/// (loopback-only runs never send elsewhere).
/// </summary>
internal sealed class WsdTarget(
    IDatagramTransport transport,
    TrafficRecorder recorder,
    string description,
    IPEndPoint? endPoint,
    Func<CancellationToken, ValueTask>? restart,
    TimeProvider timeProvider,
    Func<IPEndPoint, bool> mayReach) : ITarget, IAsyncDisposable
{
    public string Description { get; } = description;

    public IPEndPoint? EndPoint { get; } = endPoint;

    public bool CanSend => true;

    public bool CanRestart => restart is not null;

    /// <summary>The local endpoint replies come back to.</summary>
    public IPEndPoint LocalEndPoint => transport.LocalEndPoint;

    public async ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!mayReach(destination))
        {
            throw new InvalidOperationException($"{destination} is outside the network this run may send to.");
        }

        await transport.SendAsync(payload, destination, cancellationToken).ConfigureAwait(false);
        var source = transport.LocalEndPoint;
        if ((source.Address.Equals(IPAddress.Any) || source.Address.Equals(IPAddress.IPv6Any))
            && transport is ILocalAddressSelector selector
            && selector.SelectLocalAddress(destination.Address) is { } local)
        {
            source = new IPEndPoint(local, source.Port);
        }

        return recorder.Record(TrafficDirection.Outbound, TrafficTransport.Udp, source, destination, payload.Span, protocol ?? Protocols.Wsd);
    }

    public async ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var collected = new List<TrafficRecord>();
        using var windowSource = new CancellationTokenSource(window, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowSource.Token);
        try
        {
            while (collected.Count < maxCount)
            {
                var datagram = await transport.ReceiveAsync(linked.Token).ConfigureAwait(false);
                var record = recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, datagram.Source, datagram.Destination, datagram.Payload.Span, Protocols.Wsd, datagram.ReceivedAt);
                if (filter is null || filter(record))
                {
                    collected.Add(record);
                }
            }
        }
        catch (OperationCanceledException) when (windowSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The window closed: what arrived is the answer.
        }

        return collected;
    }

    public ValueTask RestartAsync(CancellationToken cancellationToken) =>
        restart is null ? throw new NotSupportedException($"'{Description}' cannot be restarted.") : restart(cancellationToken);

    public ValueTask DisposeAsync() => transport.DisposeAsync();
}
