using System.Net;
using Harness.Core.Transport;

namespace Harness.Simulators.Cameras;

/// <summary>
/// One socket of a simulated device that has a unicast address of its own (<see cref="FakeCameraOptions.UnicastAddress"/>).
/// It hides the socket's routing choices from the publisher, so <c>{ip}</c> expands to the device's own address rather
/// than to whatever address the host would route from. The unicast socket also drops multicast sends, so Hello and
/// Bye go out once, on the multicast socket.
/// </summary>
internal sealed class DeviceSocket(IDatagramTransport inner, bool unicastOnly) : IDatagramTransport
{
    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    public IReadOnlyCollection<IPAddress> JoinedGroups => inner.JoinedGroups;

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return unicastOnly && destination.Address.IsMulticast()
            ? ValueTask.CompletedTask
            : inner.SendAsync(payload, destination, cancellationToken);
    }

    public ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken) => inner.ReceiveAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
