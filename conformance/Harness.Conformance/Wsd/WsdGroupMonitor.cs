using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Wsd;

/// <summary>
/// Listens on one WS-Discovery group and port and records what arrives (Hello and Bye, answers sent to the group, other
/// clients' requests) into the session's recorder, once. Optionally also binds the harness's own unicast address on
/// the discovery port, so that answers a device wrongly sends to port 3702 instead of the request's source port are
/// seen (WSD-PRB-012). The harness's own multicast sends are not recorded a second time.
/// </summary>
internal sealed class WsdGroupMonitor : IAsyncDisposable
{
    private readonly TrafficRecorder _recorder;
    private readonly string? _interface;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory? _loggers;
    private readonly ConcurrentDictionary<int, byte> _ownPorts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(IDatagramTransport Transport, Task Loop)> _sockets = [];
    private readonly Lock _gate = new();
    private readonly HashSet<IPAddress> _strayBound = [];
    private readonly HashSet<IPAddress> _localAddresses;

    private WsdGroupMonitor(IPEndPoint group, string? @interface, TrafficRecorder recorder, TimeProvider timeProvider, ILoggerFactory? loggers, ConcurrentDictionary<int, byte> ownPorts)
    {
        Group = group;
        _interface = @interface;
        _recorder = recorder;
        _timeProvider = timeProvider;
        _loggers = loggers;
        _ownPorts = ownPorts;
        _localAddresses = @interface is not null && NetworkInterfaceResolver.TryResolve(@interface, out var nic) ? [.. nic.Addresses] : [];
    }

    /// <summary>The group and port listened on.</summary>
    public IPEndPoint Group { get; }

    public static WsdGroupMonitor Start(IPEndPoint group, string? @interface, TrafficRecorder recorder, TimeProvider timeProvider, ILoggerFactory? loggers, ConcurrentDictionary<int, byte> ownPorts)
    {
        var monitor = new WsdGroupMonitor(group, @interface, recorder, timeProvider, loggers, ownPorts);
        var socket = UdpDatagramTransport.Bind(
            UdpTransportOptions.ForMulticast(group.Address, group.Port, @interface),
            timeProvider,
            loggers?.CreateLogger<UdpDatagramTransport>());
        monitor.Add(socket);
        return monitor;
    }

    /// <summary>
    /// Binds <paramref name="local"/> on the discovery port (once), to catch answers sent there. Returns false when the
    /// address cannot be bound (another exclusive owner); the run goes on without it.
    /// </summary>
    public bool EnsureStrayListener(IPAddress local)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || !_strayBound.Add(local))
            {
                return true;
            }

            try
            {
                var socket = UdpDatagramTransport.Bind(
                    new UdpTransportOptions { LocalEndPoint = new IPEndPoint(local, Group.Port), Interface = _interface },
                    _timeProvider,
                    _loggers?.CreateLogger<UdpDatagramTransport>());
                Add(socket);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<(IDatagramTransport Transport, Task Loop)> sockets;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            sockets = [.. _sockets];
        }

        foreach (var (transport, loop) in sockets)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Add(IDatagramTransport socket)
    {
        var token = _stopping.Token;
        _sockets.Add((socket, Task.Run(() => ReceiveLoopAsync(socket, token), CancellationToken.None)));
    }

    private async Task ReceiveLoopAsync(IDatagramTransport socket, CancellationToken cancellationToken)
    {
        var errors = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Datagram datagram;
            try
            {
                datagram = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                errors = 0;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
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

            if (_ownPorts.ContainsKey(datagram.Source.Port) && IsLocal(datagram.Source.Address))
            {
                continue; // the harness's own request, already recorded as sent
            }

            _recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, datagram.Source, datagram.Destination, datagram.Payload.Span, Protocols.Wsd, datagram.ReceivedAt);
        }
    }

    private bool IsLocal(IPAddress address)
    {
        return IPAddress.IsLoopback(address) || _localAddresses.Contains(address);
    }
}
