using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Harness.WsDiscovery.Tests.Engine;

/// <summary>
/// A fake clock that also remembers the due time of every timer created on it, so a test can read a random delay an
/// engine chose (e.g. the Hello's APP_MAX_DELAY wait) and advance exactly to it.
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];

    public RecordingTimeProvider()
        : base(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _dueTimes];
            }
        }
    }

    /// <summary>Every timer created, by due time, as it is created (to wait until an engine has armed a timer).</summary>
    public Collector<TimeSpan> Timers { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _dueTimes.Add(dueTime);
        }

        var timer = base.CreateTimer(callback, state, dueTime, period);
        Timers.Add(dueTime);
        return timer;
    }
}

/// <summary>Collects items raised on other threads and lets a test wait (in real time, bounded) for a condition on them.</summary>
internal sealed class Collector<T>
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource> done = [];
        lock (_gate)
        {
            _items.Add(item);
            IReadOnlyList<T> view = _items;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(view))
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var d in done)
        {
            d.TrySetResult();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the items collected so far (checked now and on each add).</summary>
    public async Task<IReadOnlyList<T>> WaitAsync(Func<IReadOnlyList<T>, bool> condition, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_items))
            {
                return [.. _items];
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Condition not met within {timeout ?? DefaultTimeout}; {Items.Count} items collected.");
        }

        return Items;
    }

    public Task<IReadOnlyList<T>> WaitForCountAsync(int count, TimeSpan? timeout = null) => WaitAsync(items => items.Count >= count, timeout);
}

/// <summary>A raw peer on the network: sends arbitrary bytes, collects everything it receives.</summary>
internal sealed class Peer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public Peer(IDatagramTransport transport)
    {
        Transport = transport;
        _loop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var datagram = await transport.ReceiveAsync(_stop.Token);
                    var read = WsdMessageReader.Read(datagram.Payload.Span);
                    Received.Add((datagram, read.Message));
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        });
    }

    public IDatagramTransport Transport { get; }

    public IPEndPoint EndPoint => Transport.LocalEndPoint;

    public Collector<(Datagram Datagram, WsdMessage? Message)> Received { get; } = new();

    public IEnumerable<T> Messages<T>()
        where T : WsdMessage => Received.Items.Select(r => r.Message).OfType<T>();

    public ValueTask SendAsync(byte[] payload, IPEndPoint destination) => Transport.SendAsync(payload, destination, CancellationToken.None);

    public ValueTask SendAsync(WsdMessage message, IPEndPoint destination) => SendAsync(WsdMessageWriter.Write(message), destination);

    public async Task<(Datagram Datagram, T Message)> WaitForAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
        where T : WsdMessage
    {
        var items = await Received.WaitAsync(list => list.Any(r => r.Message is T m && (predicate is null || predicate(m))), timeout);
        var hit = items.First(r => r.Message is T m && (predicate is null || predicate(m)));
        return (hit.Datagram, (T)hit.Message!);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await Transport.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>Builds the pieces of an in-memory WS-Discovery scene on a fake clock.</summary>
internal static class Scene
{
    public static readonly IPAddress PublisherHost = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress PeerHost = IPAddress.Parse("127.0.0.3");

    public static readonly WsdQName PrinterType = WsdQName.Create("http://schemas.microsoft.com/windows/2006/08/wdp/print", "PrintDeviceType", "wprt");
    public static readonly WsdQName ScannerType = WsdQName.Create("http://schemas.microsoft.com/windows/2006/08/wdp/scan", "ScanDeviceType", "wscn");
    public static readonly WsdQName DeviceType = WsdQName.Create("http://schemas.xmlsoap.org/ws/2006/02/devprof", "Device", "wsdp");

    public static IDatagramTransport MulticastListener(InMemoryNetwork network, IPAddress host) =>
        network.CreateTransportOnHost(host, new IPEndPoint(IPAddress.Any, WsdMulticast.Port), WsdMulticast.IPv4Group);

    public static IDatagramTransport Ephemeral(InMemoryNetwork network) =>
        network.CreateTransport(new IPEndPoint(IPAddress.Any, 0));

    public static StaticLocalAddressProvider Addresses(IPAddress address) => new(new LocalAddress(address, 1, "lo", 8));

    public static PublishedService Service(int n, params WsdQName[] types) => new($"urn:uuid:00000000-0000-4000-8000-{n:D12}")
    {
        Types = types.Length == 0 ? [DeviceType] : types,
        Scopes = [$"http://example.com/site/floor{n % 3}"],
        XAddrs = [$"http://{{ip}}:5357/{n:D12}"],
        MetadataVersion = 1,
    };

    public static WsdProbe Probe(WsdProtocol protocol, string messageId, string? matchBy = null, params WsdQName[] types) => new()
    {
        Protocol = protocol,
        Header = new WsdHeader { Action = protocol.ProbeAction, MessageId = messageId, To = protocol.MulticastTo },
        Types = types,
        MatchBy = matchBy,
    };

    public static WsdProbeMatches ProbeMatches(WsdProtocol protocol, string messageId, string relatesTo, WsdAppSequence? sequence, params WsdEndpointData[] matches) => new()
    {
        Protocol = protocol,
        Header = new WsdHeader
        {
            Action = protocol.ProbeMatchesAction,
            MessageId = messageId,
            RelatesTo = relatesTo,
            To = protocol.AnonymousAddress,
            AppSequence = sequence,
        },
        Matches = matches,
    };

    public static WsdEndpointData Endpoint(string address, params string[] xaddrs) =>
        new(new WsdEndpointReference(address), [DeviceType], [], xaddrs, 1);

    public static WsdHello Hello(WsdProtocol protocol, string messageId, WsdAppSequence sequence, WsdEndpointData data) => new()
    {
        Protocol = protocol,
        Header = new WsdHeader { Action = protocol.HelloAction, MessageId = messageId, To = protocol.MulticastTo, AppSequence = sequence },
        Endpoint = data,
    };

    public static WsdBye Bye(WsdProtocol protocol, string messageId, WsdAppSequence sequence, string address) => new()
    {
        Protocol = protocol,
        Header = new WsdHeader { Action = protocol.ByeAction, MessageId = messageId, To = protocol.MulticastTo, AppSequence = sequence },
        Endpoint = new WsdEndpointData(new WsdEndpointReference(address), [], [], [], null),
    };

    public static string Id(int n) => $"urn:uuid:11111111-2222-4333-8444-{n:D12}";
}

internal static class TimeExtensions
{
    /// <summary>
    /// Advances the fake clock by <paramref name="step"/> at a time, giving the engines a moment (in real time, waiting
    /// on the collector) after each step, until <paramref name="condition"/> holds; at most <paramref name="maxFake"/>
    /// of fake time, then one last bounded wait.
    /// </summary>
    public static async Task PumpUntilAsync<T>(this FakeTimeProvider time, Collector<T> collector, Func<IReadOnlyList<T>, bool> condition, TimeSpan step, TimeSpan maxFake)
    {
        var advanced = TimeSpan.Zero;
        while (advanced < maxFake)
        {
            try
            {
                await collector.WaitAsync(condition, TimeSpan.FromMilliseconds(50));
                return;
            }
            catch (TimeoutException)
            {
            }

            time.Advance(step);
            advanced += step;
        }

        await collector.WaitAsync(condition);
    }
}
