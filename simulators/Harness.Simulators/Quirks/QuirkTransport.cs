using System.Net;
using Harness.Core.Transport;

namespace Harness.Simulators.Quirks;

/// <summary>One datagram a quirky camera is about to send, after a behaviour's changes.</summary>
/// <param name="Payload">The bytes.</param>
/// <param name="Destination">Where it goes.</param>
/// <param name="Delay">How long to hold it back before sending (slow devices).</param>
internal readonly record struct OutgoingDatagram(ReadOnlyMemory<byte> Payload, IPEndPoint Destination, TimeSpan Delay = default);

/// <summary>
/// One deviation: a filter on what the camera receives and a rewrite of what it sends. Behaviours of a profile run in
/// order; each sees the result of the one before. State lives in the behaviour (one instance per camera).
/// </summary>
internal abstract class QuirkBehavior
{
    /// <summary>Changes or drops (null) a received datagram before the camera's engine sees it.</summary>
    public virtual Datagram? OnReceive(Datagram datagram, QuirkTransport transport) => datagram;

    /// <summary>Changes, multiplies, delays or drops (by removing) the datagrams about to be sent.</summary>
    public virtual void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
    }

    /// <summary>The camera restarted.</summary>
    public virtual void OnRestart()
    {
    }
}

/// <summary>The transport decorator that applies a <see cref="QuirkSession"/>'s behaviours.</summary>
internal sealed class QuirkTransport(IDatagramTransport inner, QuirkSession session) : IDatagramTransport, ILocalAddressSelector
{
    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    public IReadOnlyCollection<IPAddress> JoinedGroups => inner.JoinedGroups;

    public QuirkSession Session => session;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var outgoing = new List<OutgoingDatagram> { new(payload, destination) };
        foreach (var behavior in session.Behaviors)
        {
            behavior.OnSend(outgoing, this);
        }

        foreach (var item in outgoing)
        {
            if (item.Delay > TimeSpan.Zero)
            {
                await Task.Delay(item.Delay, session.Context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            await inner.SendAsync(item.Payload, item.Destination, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Datagram? datagram = await inner.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            foreach (var behavior in session.Behaviors)
            {
                if (datagram is null)
                {
                    break;
                }

                datagram = behavior.OnReceive(datagram, this);
            }

            if (datagram is not null)
            {
                return datagram;
            }
        }
    }

    public IPAddress? SelectLocalAddress(IPAddress destination) =>
        (inner as ILocalAddressSelector)?.SelectLocalAddress(destination);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
