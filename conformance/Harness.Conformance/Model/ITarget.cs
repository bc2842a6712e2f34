using System.Net;
using Harness.Core.Recording;

namespace Harness.Conformance.Model;

/// <summary>
/// What an active rule talks to: a simulated device, a real device on the network, or nothing at all (a capture,
/// judged passively). Protocol-neutral: bytes and endpoints. Protocol helpers (build a Probe, match a reply by
/// RelatesTo) layer above. Every message sent and received through a target is recorded, and returned as its
/// <see cref="TrafficRecord"/> so that findings can cite it.
/// </summary>
public interface ITarget
{
    /// <summary>A line for the report: what was tested (e.g. <c>simulated fleet on 127.0.0.1</c>, <c>capture: x.pcapng</c>).</summary>
    string Description { get; }

    /// <summary>The device's unicast endpoint when known (the address directed requests go to), else null.</summary>
    IPEndPoint? EndPoint { get; }

    /// <summary>True when messages can be sent (a live target); false for a capture.</summary>
    bool CanSend { get; }

    /// <summary>True when <see cref="RestartAsync"/> is supported (a simulator, or a device with a power switch hook).</summary>
    bool CanRestart { get; }

    /// <summary>Sends one datagram to the device or to a multicast group, and returns its record.</summary>
    /// <param name="payload">The bytes.</param>
    /// <param name="destination">Unicast endpoint or multicast group and port.</param>
    /// <param name="protocol">The protocol label to record it under (e.g. <c>wsd</c>), or null.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="NotSupportedException">The target cannot send (<see cref="CanSend"/> is false).</exception>
    ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken);

    /// <summary>
    /// Collects the datagrams that arrive within <paramref name="window"/> (on the target's clock), stopping early once
    /// <paramref name="maxCount"/> of them passed <paramref name="filter"/>. Every datagram that arrives is recorded,
    /// matching or not; only matching ones are returned, in arrival order. An empty list means no reply in time.
    /// </summary>
    /// <exception cref="NotSupportedException">The target cannot send (<see cref="CanSend"/> is false).</exception>
    ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken);

    /// <summary>Restarts the device (so that a rule can watch its Hello / NOTIFY alive), returning once it was asked to restart.</summary>
    /// <exception cref="NotSupportedException"><see cref="CanRestart"/> is false.</exception>
    ValueTask RestartAsync(CancellationToken cancellationToken);
}

/// <summary>Helpers over <see cref="ITarget"/>.</summary>
public static class TargetExtensions
{
    /// <summary>Sends a datagram, then collects the replies that pass <paramref name="filter"/> within <paramref name="window"/>.</summary>
    /// <returns>The record of what was sent and the matching replies.</returns>
    public static async ValueTask<Exchange> ExchangeAsync(
        this ITarget target,
        ReadOnlyMemory<byte> payload,
        IPEndPoint destination,
        string? protocol,
        TimeSpan window,
        Func<TrafficRecord, bool>? filter = null,
        int maxCount = int.MaxValue,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var sent = await target.SendAsync(payload, destination, protocol, cancellationToken).ConfigureAwait(false);
        var replies = await target.CollectAsync(window, filter, maxCount, cancellationToken).ConfigureAwait(false);
        return new Exchange(sent, replies);
    }
}

/// <summary>A request sent through a target and the replies collected for it.</summary>
/// <param name="Request">The record of what was sent.</param>
/// <param name="Replies">The matching replies, in arrival order (empty: none in time).</param>
public sealed record Exchange(TrafficRecord Request, IReadOnlyList<TrafficRecord> Replies)
{
    /// <summary>The request's and the replies' sequence numbers, for <see cref="Evidence"/>.</summary>
    public IReadOnlyList<long> Sequences => [Request.Sequence, .. Replies.Select(r => r.Sequence)];
}
