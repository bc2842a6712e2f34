using System.Net;

namespace Harness.Core.Transport;

/// <summary>
/// Moves datagrams. Implementations own sockets (or a simulated network); protocol engines decide what to
/// send and when. A transport is bound to one local endpoint and may have joined multicast groups.
/// </summary>
public interface IDatagramTransport : IAsyncDisposable
{
    /// <summary>The local endpoint datagrams are sent from and received on (the real port after binding port 0).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The multicast groups this transport has joined.</summary>
    IReadOnlyCollection<IPAddress> JoinedGroups { get; }

    /// <summary>
    /// Sends one datagram. To a multicast address it goes out on the transport's chosen interface with its TTL/hop
    /// limit. Throws <see cref="ArgumentException"/> when the payload is larger than one datagram can carry.
    /// </summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for the next datagram. Datagrams are queued in a bounded queue while nobody receives (oldest
    /// dropped first when it is full). Throws <see cref="OperationCanceledException"/> on cancellation and
    /// <see cref="ObjectDisposedException"/> once the transport is disposed.
    /// </summary>
    ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken);
}
