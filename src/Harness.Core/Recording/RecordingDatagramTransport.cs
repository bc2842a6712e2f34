using System.Net;
using Harness.Core.Transport;

namespace Harness.Core.Recording;

/// <summary>
/// Records every datagram that crosses an inner transport into a <see cref="TrafficRecorder"/>: outbound when
/// a send succeeds, inbound as it is received (stamped with the datagram's own receive time). Owns the inner
/// transport: disposing the decorator disposes it.
/// </summary>
public sealed class RecordingDatagramTransport : IDatagramTransport, ILocalAddressSelector
{
    private readonly IDatagramTransport _inner;
    private readonly TrafficRecorder _recorder;
    private readonly string? _protocol;

    /// <summary>Wraps a transport.</summary>
    /// <param name="inner">The transport that moves the datagrams.</param>
    /// <param name="recorder">Where the records go.</param>
    /// <param name="protocol">The protocol label of the records (e.g. <c>wsd</c>, <c>ssdp</c>), or null.</param>
    public RecordingDatagramTransport(IDatagramTransport inner, TrafficRecorder recorder, string? protocol = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(recorder);
        _inner = inner;
        _recorder = recorder;
        _protocol = protocol;
    }

    /// <summary>The wrapped transport.</summary>
    public IDatagramTransport Inner => _inner;

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint => _inner.LocalEndPoint;

    /// <inheritdoc />
    public IReadOnlyCollection<IPAddress> JoinedGroups => _inner.JoinedGroups;

    /// <summary>Sends through the inner transport, then records the datagram as outbound.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await _inner.SendAsync(payload, destination, cancellationToken);
        _recorder.Record(
            TrafficDirection.Outbound,
            TrafficTransport.Udp,
            SourceFor(destination),
            destination,
            payload.Span,
            _protocol);
    }

    /// <summary>Receives from the inner transport and records the datagram as inbound.</summary>
    public async ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        var datagram = await _inner.ReceiveAsync(cancellationToken);
        _recorder.Record(
            TrafficDirection.Inbound,
            TrafficTransport.Udp,
            datagram.Source,
            datagram.Destination,
            datagram.Payload.Span,
            _protocol,
            datagram.ReceivedAt);
        return datagram;
    }

    /// <summary>Asks the inner transport, when it knows (so that decorators can be stacked).</summary>
    public IPAddress? SelectLocalAddress(IPAddress destination) =>
        (_inner as ILocalAddressSelector)?.SelectLocalAddress(destination);

    /// <summary>Disposes the inner transport.</summary>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private IPEndPoint SourceFor(IPEndPoint destination)
    {
        var local = _inner.LocalEndPoint;
        if (!local.Address.Equals(IPAddress.Any) && !local.Address.Equals(IPAddress.IPv6Any))
        {
            return local;
        }

        var address = SelectLocalAddress(destination.Address);
        return address is null ? local : new IPEndPoint(address, local.Port);
    }
}
