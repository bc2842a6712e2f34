using System.Net;
using System.Threading.Channels;

namespace Harness.Core.Transport;

/// <summary>A transport on an <see cref="InMemoryNetwork"/>; created by <see cref="InMemoryNetwork.CreateTransport"/>.</summary>
internal sealed class InMemoryDatagramTransport : IDatagramTransport, ILocalAddressSelector
{
    private readonly Channel<Datagram> _queue;
    private readonly HashSet<IPAddress> _groups;
    private int _disposed;

    public InMemoryDatagramTransport(
        InMemoryNetwork network,
        IPEndPoint localEndPoint,
        IPAddress sourceAddress,
        bool hasExplicitHost,
        IEnumerable<IPAddress> groups,
        int capacity)
    {
        Network = network;
        LocalEndPoint = localEndPoint;
        SourceAddress = sourceAddress;
        HasExplicitHost = hasExplicitHost;
        IsBoundToAny = localEndPoint.Address.Equals(IPAddress.Any) || localEndPoint.Address.Equals(IPAddress.IPv6Any);
        _groups = [.. groups];
        JoinedGroups = [.. _groups];
        _queue = Channel.CreateBounded<Datagram>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => network.CountDropped());
    }

    public InMemoryNetwork Network { get; }

    public IPEndPoint LocalEndPoint { get; }

    public IReadOnlyCollection<IPAddress> JoinedGroups { get; }

    /// <summary>The address datagrams leave from: the bound address, else the host address.</summary>
    public IPAddress SourceAddress { get; }

    public bool HasExplicitHost { get; }

    public bool IsBoundToAny { get; }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public bool HasJoined(IPAddress group) => _groups.Contains(group);

    public IPAddress? SelectLocalAddress(IPAddress destination) => SourceAddress;

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var max = DatagramLimits.MaxPayload(LocalEndPoint.AddressFamily);
        if (payload.Length > max)
        {
            throw new ArgumentException($"The payload is {payload.Length} bytes; one datagram carries at most {max}.", nameof(payload));
        }

        if (destination.AddressFamily != LocalEndPoint.AddressFamily)
        {
            throw new ArgumentException(
                $"The destination {destination} is not of the family of this transport ({LocalEndPoint}).", nameof(destination));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        Network.Send(this, payload.Span, destination);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            return await _queue.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException) when (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(InMemoryDatagramTransport));
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Network.Remove(this);
            _queue.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Queues a delivered datagram; false when the transport is closed.</summary>
    internal bool Enqueue(Datagram datagram) => !IsDisposed && _queue.Writer.TryWrite(datagram);
}
