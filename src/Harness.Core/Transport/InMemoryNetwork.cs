using System.Net;
using System.Net.Sockets;

namespace Harness.Core.Transport;

/// <summary>
/// A simulated network for deterministic tests: transports on simulated hosts exchange datagrams without
/// sockets, with loss, delay, jitter, duplication and reordering driven by a seeded <see cref="Random"/> and the
/// injected <see cref="TimeProvider"/>. With a <c>FakeTimeProvider</c> and a delay, nothing arrives until the
/// test advances time; with no delay a send delivers at once (the datagram is queued before the send returns).
/// </summary>
/// <remarks>
/// <para>Hosts are the IP addresses in use. A transport bound to a specific address receives unicast for that
/// address. One bound to the wildcard lives on a host address (<see cref="CreateTransportOnHost"/>, else the
/// loopback address of its family): it sends from that address and receives unicast for it; a transport on the
/// default host also receives unicast for any address no other host claims. Unicast goes to one receiver: the
/// specific bind before the wildcard, then the most recently created (as Linux does with SO_REUSEADDR).</para>
/// <para>Multicast to group:port goes to every wildcard-bound transport of that port that joined the group,
/// the sender's own included (as with IP_MULTICAST_LOOP on). Ports are shared freely; port 0 takes the next
/// free port from 49152 up.</para>
/// </remarks>
public sealed class InMemoryNetwork
{
    private const int FirstEphemeralPort = 49152;
    private const int LastPort = 65535;

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly List<InMemoryDatagramTransport> _transports = [];
    private readonly PriorityQueue<InFlight, (TimeSpan Due, long Sequence)> _inFlight = new();
    private readonly long _start;
    private NetworkConditions _conditions;
    private long _sequence;
    private int _nextPort = FirstEphemeralPort;
    private long _sent;
    private long _delivered;
    private long _lost;
    private long _duplicated;
    private long _reordered;
    private long _dropped;
    private long _undeliverable;

    /// <summary>Creates a network.</summary>
    /// <param name="timeProvider">Times delays (its timers) and stamps received datagrams.</param>
    /// <param name="conditions">Loss, delay, duplication and reordering; none by default.</param>
    /// <param name="seed">Seeds the randomness of the conditions: the same seed and sends give the same outcome.</param>
    public InMemoryNetwork(TimeProvider timeProvider, NetworkConditions? conditions = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        _conditions = conditions ?? NetworkConditions.Perfect;
#pragma warning disable CA5394 // Simulated network conditions, not security.
        _random = new Random(seed);
#pragma warning restore CA5394
        _start = timeProvider.GetTimestamp();
    }

    /// <summary>The clock of the network.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The conditions applied to datagrams sent from now on (those in flight keep theirs).</summary>
    public NetworkConditions Conditions
    {
        get
        {
            lock (_gate)
            {
                return _conditions;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _conditions = value;
            }
        }
    }

    /// <summary>How many datagrams each transport's receive queue holds before dropping the oldest (default 1,024).</summary>
    public int ReceiveQueueCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1024;

    /// <summary>The counts so far.</summary>
    public InMemoryNetworkStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new InMemoryNetworkStatistics(
                    _sent, _delivered, _lost, _duplicated, _reordered, Interlocked.Read(ref _dropped), _undeliverable, _inFlight.Count);
            }
        }
    }

    /// <summary>
    /// Creates a transport bound to <paramref name="localEndPoint"/> (port 0: the next free port from 49152) that
    /// has joined <paramref name="multicastGroups"/>. Bound to the wildcard, it lives on the default host
    /// (127.0.0.1 or ::1).
    /// </summary>
    /// <exception cref="ArgumentException">A group is not multicast or not of the endpoint's family.</exception>
    public IDatagramTransport CreateTransport(IPEndPoint localEndPoint, params IPAddress[] multicastGroups) =>
        Create(localEndPoint, hostAddress: null, multicastGroups);

    /// <summary>
    /// Creates a transport on the host <paramref name="hostAddress"/>: bound to the wildcard it sends from that
    /// address and receives unicast sent to it.
    /// </summary>
    /// <exception cref="ArgumentException">The host address is not a unicast address of the endpoint's family, or a group is not multicast.</exception>
    public IDatagramTransport CreateTransportOnHost(IPAddress hostAddress, IPEndPoint localEndPoint, params IPAddress[] multicastGroups)
    {
        ArgumentNullException.ThrowIfNull(hostAddress);
        return Create(localEndPoint, hostAddress, multicastGroups);
    }

    internal void Send(InMemoryDatagramTransport sender, ReadOnlySpan<byte> payload, IPEndPoint destination)
    {
        var source = new IPEndPoint(sender.SourceAddress, sender.LocalEndPoint.Port);
        var bytes = payload.ToArray();
        lock (_gate)
        {
            _sent++;
            var recipients = Route(destination);
            if (recipients.Count == 0)
            {
                _undeliverable++;
                return;
            }

            var conditions = _conditions;
            foreach (var recipient in recipients)
            {
#pragma warning disable CA5394 // Simulated network conditions, not security.
                if (conditions.LossRate > 0 && _random.NextDouble() < conditions.LossRate)
                {
                    _lost++;
                    continue;
                }

                var copies = 1;
                if (conditions.DuplicateRate > 0 && _random.NextDouble() < conditions.DuplicateRate)
                {
                    copies = 2;
                    _duplicated++;
                }

                for (var copy = 0; copy < copies; copy++)
                {
                    var delay = TimeSpan.Zero;
                    if (conditions.ReorderRate > 0 && _random.NextDouble() < conditions.ReorderRate)
                    {
                        _reordered++;
                    }
                    else
                    {
                        delay = conditions.Delay;
                        if (conditions.Jitter > TimeSpan.Zero)
                        {
                            delay += TimeSpan.FromTicks((long)(conditions.Jitter.Ticks * _random.NextDouble()));
                        }
                    }
#pragma warning restore CA5394

                    var item = new InFlight(recipient, bytes, source, destination);
                    if (delay <= TimeSpan.Zero)
                    {
                        Deliver(item);
                    }
                    else
                    {
                        Schedule(item, delay);
                    }
                }
            }
        }
    }

    internal void Remove(InMemoryDatagramTransport transport)
    {
        lock (_gate)
        {
            _transports.Remove(transport);
        }
    }

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private IDatagramTransport Create(IPEndPoint localEndPoint, IPAddress? hostAddress, IPAddress[] multicastGroups)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        ArgumentNullException.ThrowIfNull(multicastGroups);
        var family = localEndPoint.AddressFamily;
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{localEndPoint} is neither IPv4 nor IPv6.", nameof(localEndPoint));
        }

        if (localEndPoint.Address.IsMulticast())
        {
            throw new ArgumentException($"Bind to the wildcard address, not to the group {localEndPoint.Address}.", nameof(localEndPoint));
        }

        if (hostAddress is not null && (hostAddress.AddressFamily != family || IsAny(hostAddress) || hostAddress.IsMulticast()))
        {
            throw new ArgumentException($"The host address {hostAddress} is not a unicast address of the family of {localEndPoint}.", nameof(hostAddress));
        }

        foreach (var group in multicastGroups)
        {
            if (group is null || !group.IsMulticast() || group.AddressFamily != family)
            {
                throw new ArgumentException($"'{group}' is not a multicast address of the family of {localEndPoint}.", nameof(multicastGroups));
            }
        }

        var host = hostAddress
            ?? (IsAny(localEndPoint.Address)
                ? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback)
                : localEndPoint.Address);
        lock (_gate)
        {
            var port = localEndPoint.Port == 0 ? AllocatePort() : localEndPoint.Port;
            var transport = new InMemoryDatagramTransport(
                this, new IPEndPoint(localEndPoint.Address, port), host, hostAddress is not null, multicastGroups, ReceiveQueueCapacity);
            _transports.Add(transport);
            return transport;
        }
    }

    private int AllocatePort()
    {
        for (var tried = 0; tried <= LastPort - FirstEphemeralPort; tried++)
        {
            var port = _nextPort;
            _nextPort = port == LastPort ? FirstEphemeralPort : port + 1;
            if (!_transports.Exists(t => t.LocalEndPoint.Port == port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("Every port from 49152 to 65535 is in use on this in-memory network.");
    }

    private List<InMemoryDatagramTransport> Route(IPEndPoint destination)
    {
        var address = destination.Address;
        var candidates = _transports.FindAll(t =>
            t.LocalEndPoint.AddressFamily == address.AddressFamily && t.LocalEndPoint.Port == destination.Port);
        if (address.IsMulticast())
        {
            return candidates.FindAll(t => t.IsBoundToAny && t.HasJoined(address));
        }

        var exact = candidates.FindLast(t => t.LocalEndPoint.Address.Equals(address));
        if (exact is not null)
        {
            return [exact];
        }

        var claimed = _transports.Exists(t => (t.HasExplicitHost && t.SourceAddress.Equals(address)) || t.LocalEndPoint.Address.Equals(address));
        var any = candidates.FindLast(t =>
            t.IsBoundToAny && (t.SourceAddress.Equals(address) || (!t.HasExplicitHost && !claimed)));
        return any is null ? [] : [any];
    }

    private void Schedule(InFlight item, TimeSpan delay)
    {
        var key = (TimeProvider.GetElapsedTime(_start) + delay, _sequence++);
        item.Key = key;
        _inFlight.Enqueue(item, key);
        item.Timer = TimeProvider.CreateTimer(static state => ((InFlight)state!).Recipient.Network.OnTimer((InFlight)state!), item, delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer(InFlight fired)
    {
        lock (_gate)
        {
            // Everything ordered before the fired delivery is due too: deliver in (due time, send order).
            while (_inFlight.TryPeek(out var head, out var key) && key.CompareTo(fired.Key) <= 0)
            {
                _inFlight.Dequeue();
                head.Timer?.Dispose();
                Deliver(head);
            }
        }
    }

    private void Deliver(InFlight item)
    {
        var datagram = new Datagram(item.Payload, item.Source, item.Destination, TimeProvider.GetUtcNow());
        if (item.Recipient.Enqueue(datagram))
        {
            _delivered++;
        }
        else
        {
            _undeliverable++;
        }
    }

    private sealed class InFlight(InMemoryDatagramTransport recipient, byte[] payload, IPEndPoint source, IPEndPoint destination)
    {
        public InMemoryDatagramTransport Recipient { get; } = recipient;

        public byte[] Payload { get; } = payload;

        public IPEndPoint Source { get; } = source;

        public IPEndPoint Destination { get; } = destination;

        public (TimeSpan Due, long Sequence) Key { get; set; }

        public ITimer? Timer { get; set; }
    }
}
