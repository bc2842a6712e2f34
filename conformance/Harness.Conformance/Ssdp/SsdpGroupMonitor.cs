using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Ssdp;

/// <summary>
/// Listens on the SSDP group and port and records what arrives (NOTIFYs, answers wrongly sent to the group, other
/// control points' searches) into the session's recorder, once, under the <c>ssdp</c> label. The harness's own
/// multicast searches (from its probe sockets) are not recorded a second time.
/// </summary>
internal sealed class SsdpGroupMonitor : IAsyncDisposable
{
    private readonly TrafficRecorder _recorder;
    private readonly ConcurrentDictionary<int, byte> _ownPorts;
    private readonly HashSet<IPAddress> _localAddresses;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IDatagramTransport _socket;
    private readonly Task _loop;

    private SsdpGroupMonitor(IDatagramTransport socket, string? @interface, TrafficRecorder recorder, ConcurrentDictionary<int, byte> ownPorts)
    {
        _socket = socket;
        _recorder = recorder;
        _ownPorts = ownPorts;
        _localAddresses = @interface is not null && NetworkInterfaceResolver.TryResolve(@interface, out var nic) ? [.. nic.Addresses] : [];
        var token = _stopping.Token;
        _loop = Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None);
    }

    public static SsdpGroupMonitor Start(IPEndPoint group, string? @interface, TrafficRecorder recorder, TimeProvider timeProvider, ILoggerFactory? loggers, ConcurrentDictionary<int, byte> ownPorts)
    {
        var socket = UdpDatagramTransport.Bind(
            UdpTransportOptions.ForMulticast(group.Address, group.Port, @interface),
            timeProvider,
            loggers?.CreateLogger<UdpDatagramTransport>());
        return new SsdpGroupMonitor(socket, @interface, recorder, ownPorts);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _socket.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var errors = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Datagram datagram;
            try
            {
                datagram = await _socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                errors = 0;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (++errors < 100)
            {
                continue;
            }
            catch (SocketException)
            {
                return; // the socket keeps failing: stop listening rather than spin
            }

            var source = datagram.Source.Address.IsIPv4MappedToIPv6 ? datagram.Source.Address.MapToIPv4() : datagram.Source.Address;
            if (_ownPorts.ContainsKey(datagram.Source.Port) && (IPAddress.IsLoopback(source) || _localAddresses.Contains(source)))
            {
                continue; // the harness's own search, already recorded as sent
            }

            _recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, datagram.Source, datagram.Destination, datagram.Payload.Span, Protocols.Ssdp, datagram.ReceivedAt);
        }
    }
}
