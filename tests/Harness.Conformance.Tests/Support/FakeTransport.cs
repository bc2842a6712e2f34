using System.Net;
using System.Threading.Channels;
using Harness.Core.Transport;

namespace Harness.Conformance.Tests.Support;

/// <summary>
/// An in-process datagram transport for target tests: what is sent is kept, a responder may answer, and
/// <see cref="ReceivePending"/> completes when someone waits to receive (so a test can then advance fake time).
/// </summary>
internal sealed class FakeTransport(TimeProvider time, Func<ReadOnlyMemory<byte>, IPEndPoint, IEnumerable<(byte[] Payload, IPEndPoint From)>>? responder = null) : IDatagramTransport
{
    private readonly Channel<Datagram> _inbound = Channel.CreateUnbounded<Datagram>();
    private TaskCompletionSource _receivePending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 50000);

    public IReadOnlyCollection<IPAddress> JoinedGroups => [];

    public List<(byte[] Payload, IPEndPoint Destination)> Sent { get; } = [];

    public Task ReceivePending => _receivePending.Task;

    public void Deliver(byte[] payload, IPEndPoint from) =>
        _inbound.Writer.TryWrite(new Datagram(payload, from, LocalEndPoint, time.GetUtcNow()));

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        Sent.Add((payload.ToArray(), destination));
        if (responder is not null)
        {
            foreach (var (reply, from) in responder(payload, destination))
            {
                Deliver(reply, from);
            }
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!_inbound.Reader.TryRead(out var datagram))
        {
            var pending = _receivePending;
            _receivePending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pending.TrySetResult();
            datagram = await _inbound.Reader.ReadAsync(cancellationToken);
        }

        return datagram;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
