using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Harness.Core.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Core.Transport;

/// <summary>
/// A UDP socket as an <see cref="IDatagramTransport"/>: unicast and IPv4/IPv6 multicast on a chosen interface.
/// A background loop receives into a bounded queue (oldest dropped when full, counted in
/// <see cref="DroppedDatagrams"/>); it survives any datagram and any socket error and stops only on dispose.
/// Each datagram says where it was sent to (the group for multicast), from IP_PKTINFO / IPV6_PKTINFO.
/// </summary>
public sealed class UdpDatagramTransport : IDatagramTransport, ILocalAddressSelector
{
    private const int ErrorsBeforeBackoff = 8;
    private const int MaxCachedSources = 256;

    // SOL_SOCKET and SO_REUSEADDR on Linux; .NET's ReuseAddress would also set SO_REUSEPORT there.
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddr = 2;

    // Windows: stop ICMP port-unreachable from failing the next receive (SIO_UDP_CONNRESET).
    private const int SioUdpConnReset = -1744830452;

    private readonly Socket _socket;
    private readonly Channel<Datagram> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPAddress, IPAddress?> _sources = new();
    private readonly IPAddress[] _groups;
    private Task _receiveLoop = Task.CompletedTask;
    private int _disposed;
    private long _received;
    private long _dropped;
    private long _truncated;
    private long _receiveErrors;
    private long _sent;

    private UdpDatagramTransport(Socket socket, UdpTransportOptions options, LocalInterface? @interface, TimeProvider timeProvider, ILogger logger)
    {
        _socket = socket;
        _timeProvider = timeProvider;
        _logger = logger;
        Options = options;
        Interface = @interface;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _groups = [.. options.MulticastGroups.Distinct()];
        _queue = Channel.CreateBounded<Datagram>(
            new BoundedChannelOptions(options.ReceiveQueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleWriter = true,
                SingleReader = false,
            },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<IPAddress> JoinedGroups => _groups;

    /// <summary>The options this transport was bound with.</summary>
    public UdpTransportOptions Options { get; }

    /// <summary>The interface chosen for multicast, or null for the OS default.</summary>
    public LocalInterface? Interface { get; }

    /// <summary>Datagrams received and queued.</summary>
    public long ReceivedDatagrams => Interlocked.Read(ref _received);

    /// <summary>Datagrams dropped, oldest first, because the receive queue was full.</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams dropped because they were larger than <see cref="UdpTransportOptions.MaxDatagramSize"/>.</summary>
    public long TruncatedDatagrams => Interlocked.Read(ref _truncated);

    /// <summary>Receive errors the loop survived (e.g. ICMP port unreachable reported as ConnectionReset).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>Datagrams sent.</summary>
    public long SentDatagrams => Interlocked.Read(ref _sent);

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Opens a socket, binds it, joins the groups on the chosen interface and starts receiving.
    /// </summary>
    /// <param name="options">Where to bind, which groups, which interface.</param>
    /// <param name="timeProvider">Stamps received datagrams (and paces the back-off after repeated socket errors); the system clock by default.</param>
    /// <param name="logger">Logs binding and receive errors.</param>
    /// <exception cref="ArgumentException">The options do not fit together, or the interface is unknown (the message lists the known ones).</exception>
    /// <exception cref="SocketException">The OS refused the bind or a group membership.</exception>
    public static UdpDatagramTransport Bind(UdpTransportOptions options, TimeProvider? timeProvider = null, ILogger<UdpDatagramTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var family = options.LocalEndPoint.AddressFamily;
        var nic = options.Interface is null ? null : NetworkInterfaceResolver.Resolve(options.Interface);
        if (nic is not null && family == AddressFamily.InterNetwork && nic.IPv4Address is null)
        {
            throw new ArgumentException($"The interface {nic} has no IPv4 address, which IPv4 multicast needs.", nameof(options));
        }

        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            Configure(socket, options, nic);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var transport = new UdpDatagramTransport(socket, options, nic, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        CoreLog.UdpBound(transport._logger, transport.LocalEndPoint, nic?.Name ?? "(OS default)", string.Join(", ", transport._groups.Select(g => g.ToString())));
        transport._receiveLoop = Task.Run(() => transport.ReceiveLoopAsync(transport._stopping.Token));
        return transport;
    }

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (payload.Length > Options.MaxDatagramSize)
        {
            throw new ArgumentException(
                $"The payload is {payload.Length} bytes; one datagram carries at most {Options.MaxDatagramSize}.", nameof(payload));
        }

        return SendCoreAsync(payload, Normalize(destination), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            return await _queue.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException) when (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(UdpDatagramTransport));
        }
    }

    /// <summary>
    /// The local address datagrams to <paramref name="destination"/> leave from: the bound address, or for a
    /// wildcard bind the OS's own choice (found with a connected probe socket; nothing is sent), cached.
    /// </summary>
    public IPAddress? SelectLocalAddress(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var bound = LocalEndPoint.Address;
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            return bound;
        }

        if (_sources.TryGetValue(destination, out var cached))
        {
            return cached;
        }

        var found = ProbeSource(destination);
        if (_sources.Count >= MaxCachedSources)
        {
            _sources.Clear();
        }

        _sources[destination] = found;
        return found;
    }

    /// <summary>Stops the receive loop and closes the socket. Pending and later receives throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _receiveLoop;
        _stopping.Dispose();
        CoreLog.UdpClosed(_logger, LocalEndPoint);
    }

    /// <summary>The value of IP_MULTICAST_IF for an IPv4 interface address (the address in network order).</summary>
    internal static int ToInterfaceOption(IPAddress address) => BitConverter.ToInt32(address.GetAddressBytes());

    private static void Configure(Socket socket, UdpTransportOptions options, LocalInterface? nic)
    {
        var v6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6)
        {
            socket.DualMode = false;
        }

        if (OperatingSystem.IsWindows())
        {
            socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
        }

        // A fixed port is shared from the start; port 0 first takes a port nobody holds, then opens it to sharers.
        var fixedPort = options.LocalEndPoint.Port != 0;
        if (options.ReuseAddress && fixedPort)
        {
            SetReuseAddress(socket);
        }

        socket.Bind(options.LocalEndPoint);
        if (options.ReuseAddress && !fixedPort)
        {
            SetReuseAddress(socket);
        }

        // Set explicitly: left to ReceiveMessageFrom, Linux reported interface index 0 for IPv4.
        var level = v6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
        socket.SetSocketOption(level, SocketOptionName.PacketInformation, true);
        if (v6)
        {
            if (nic is not null)
            {
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, nic.Index);
            }

            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, options.MulticastTtl);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, options.MulticastLoopback);
            foreach (var group in options.MulticastGroups.Distinct())
            {
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group, nic?.Index ?? 0));
            }
        }
        else
        {
            if (nic?.IPv4Address is { } address)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, ToInterfaceOption(address));
            }

            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.MulticastTtl);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, options.MulticastLoopback);
            foreach (var group in options.MulticastGroups.Distinct())
            {
                var membership = nic?.IPv4Address is { } local ? new MulticastOption(group, local) : new MulticastOption(group);
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, membership);
            }
        }
    }

    private static void SetReuseAddress(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddr, BitConverter.GetBytes(1));
        }
        else
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }
    }

    private static bool IsUnspecified(IPAddress? address) =>
        address is null || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.None);

    private static bool NeedsScope(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId != 0)
        {
            return false;
        }

        if (address.IsIPv6LinkLocal)
        {
            return true;
        }

        // Interface-local (ff01) and link-local (ff02) multicast scopes.
        var bytes = address.GetAddressBytes();
        return bytes[0] == 0xFF && (bytes[1] & 0x0F) is 1 or 2;
    }

    private IPEndPoint Normalize(IPEndPoint destination)
    {
        var family = LocalEndPoint.AddressFamily;
        var address = destination.Address;
        if (family == AddressFamily.InterNetwork && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != family)
        {
            throw new ArgumentException(
                $"The destination {destination} is not of the family of this transport ({LocalEndPoint}); bind one transport per family.",
                nameof(destination));
        }

        if (Interface is not null && NeedsScope(address))
        {
            address = new IPAddress(address.GetAddressBytes(), Interface.Index);
        }

        return ReferenceEquals(address, destination.Address) ? destination : new IPEndPoint(address, destination.Port);
    }

    private async ValueTask SendCoreAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        await _socket.SendToAsync(payload, SocketFlags.None, destination, cancellationToken);
        Interlocked.Increment(ref _sent);
    }

    private IPAddress? ProbeSource(IPAddress destination)
    {
        if (destination.AddressFamily != LocalEndPoint.AddressFamily)
        {
            return null;
        }

        try
        {
            using var probe = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (Interface is not null)
            {
                if (destination.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    probe.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, Interface.Index);
                }
                else if (Interface.IPv4Address is { } address)
                {
                    probe.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, ToInterfaceOption(address));
                }
            }

            var target = Interface is not null && NeedsScope(destination)
                ? new IPAddress(destination.GetAddressBytes(), Interface.Index)
                : destination;
            probe.Connect(new IPEndPoint(target, 9));
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(Options.MaxDatagramSize);
        EndPoint anySource = new IPEndPoint(
            LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var consecutiveErrors = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SocketReceiveMessageFromResult result;
                try
                {
                    result = await _socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, anySource, cancellationToken);
                }
                catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // ConnectionReset (ICMP port unreachable), MessageSize, NoBufferSpaceAvailable...: none ends the loop.
                    Interlocked.Increment(ref _receiveErrors);
                    CoreLog.UdpReceiveError(_logger, LocalEndPoint, ex.SocketErrorCode, ex);
                    if (++consecutiveErrors >= ErrorsBeforeBackoff)
                    {
                        var delay = TimeSpan.FromMilliseconds(Math.Min(1000, 10 << Math.Min(consecutiveErrors - ErrorsBeforeBackoff, 7)));
                        CoreLog.UdpReceiveBackoff(_logger, LocalEndPoint, consecutiveErrors, delay);
                        await Task.Delay(delay, _timeProvider, cancellationToken);
                    }

                    continue;
                }

                consecutiveErrors = 0;
                var source = (IPEndPoint)result.RemoteEndPoint;
                if ((result.SocketFlags & SocketFlags.Truncated) != 0)
                {
                    Interlocked.Increment(ref _truncated);
                    CoreLog.UdpDatagramTruncated(_logger, source, LocalEndPoint, Options.MaxDatagramSize);
                    continue;
                }

                var packet = result.PacketInformation;
                var destination = IsUnspecified(packet.Address) ? LocalEndPoint : new IPEndPoint(packet.Address, LocalEndPoint.Port);
                var datagram = new Datagram(
                    buffer.AsSpan(0, result.ReceivedBytes).ToArray(),
                    source,
                    destination,
                    _timeProvider.GetUtcNow(),
                    packet.Interface);
                Interlocked.Increment(ref _received);
                _queue.Writer.TryWrite(datagram);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed while a receive was pending.
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
            // OperationAborted: the socket closed under a pending receive.
        }
#pragma warning disable CA1031 // Not hidden: logged and handed to every receiver through the queue.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            CoreLog.UdpReceiveLoopFaulted(_logger, LocalEndPoint, ex);
            _queue.Writer.TryComplete(ex);
        }
    }
}
