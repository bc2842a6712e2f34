using System.Net;
using System.Reflection;
using System.Text;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Ssdp.Tests;

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
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_items))
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

/// <summary>A fake clock that also collects every timer's due time as it is created (to wait until an engine armed one).</summary>
internal sealed class TestClock : FakeTimeProvider
{
    public TestClock()
        : base(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public Collector<TimeSpan> Timers { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Timers.Add(dueTime);
        return timer;
    }

    /// <summary>
    /// Advances by <paramref name="step"/> at a time, giving the engines a moment (in real time) after each step, until
    /// <paramref name="condition"/> holds on the collector; at most <paramref name="maxFake"/> of fake time.
    /// </summary>
    public async Task PumpUntilAsync<T>(Collector<T> collector, Func<IReadOnlyList<T>, bool> condition, TimeSpan step, TimeSpan maxFake)
    {
        var advanced = TimeSpan.Zero;
        while (advanced < maxFake)
        {
            try
            {
                await collector.WaitAsync(condition, TimeSpan.FromMilliseconds(40));
                return;
            }
            catch (TimeoutException)
            {
            }

            Advance(step);
            advanced += step;
        }

        await collector.WaitAsync(condition);
    }
}

/// <summary>A raw SSDP peer: sends arbitrary bytes, collects everything it receives (parsed).</summary>
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
                    Received.Add((datagram, SsdpMessageReader.Read(datagram.Payload.Span).Message));
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

    public Collector<(Datagram Datagram, SsdpMessage? Message)> Received { get; } = new();

    public IReadOnlyList<T> Messages<T>()
        where T : SsdpMessage => [.. Received.Items.Select(r => r.Message).OfType<T>()];

    public ValueTask SendAsync(byte[] payload, IPEndPoint destination) => Transport.SendAsync(payload, destination, CancellationToken.None);

    public ValueTask SendAsync(string text, IPEndPoint destination) => SendAsync(Encoding.UTF8.GetBytes(text), destination);

    public ValueTask SendAsync(SsdpMessage message, IPEndPoint destination) => SendAsync(SsdpMessageWriter.Write(message), destination);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await Transport.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>Builds the pieces of an SSDP scene.</summary>
internal static class Scene
{
    public static readonly IPAddress DeviceHost = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress PeerHost = IPAddress.Parse("127.0.0.3");
    public static readonly IPEndPoint Group = SsdpMulticast.IPv4EndPoint;

    /// <summary>A wildcard transport on port 1900 joined to 239.255.255.250, living on <paramref name="host"/>.</summary>
    public static IDatagramTransport Listener(InMemoryNetwork network, IPAddress host) =>
        network.CreateTransportOnHost(host, new IPEndPoint(IPAddress.Any, SsdpMulticast.Port), SsdpMulticast.IPv4Group);

    /// <summary>An ephemeral-port transport on <paramref name="host"/>.</summary>
    public static IDatagramTransport Ephemeral(InMemoryNetwork network, IPAddress host) =>
        network.CreateTransportOnHost(host, new IPEndPoint(IPAddress.Any, 0));

    public static string Udn(int n) => $"uuid:00000000-0000-4000-8000-{n:D12}";

    /// <summary>
    /// A MediaServer:2 root (<paramref name="n"/>) with ContentDirectory:1 and ConnectionManager:2 and an embedded
    /// MediaRenderer:1 with RenderingControl:1, ConnectionManager:2 and AVTransport:1: d = 1, k = 2 + 3 → 3 + 2 + 5 = 10 pairs.
    /// </summary>
    public static UpnpDevice MediaServer(int n = 1) => new()
    {
        DeviceType = "urn:schemas-upnp-org:device:MediaServer:2",
        FriendlyName = $"Harness media server {n}",
        Manufacturer = "Harness",
        ModelName = "Harness DMS",
        Udn = Udn(n),
        Services =
        [
            Service("ContentDirectory", 1),
            Service("ConnectionManager", 2),
        ],
        Devices =
        [
            new UpnpDevice
            {
                DeviceType = "urn:schemas-upnp-org:device:MediaRenderer:1",
                FriendlyName = $"Harness renderer {n}",
                Manufacturer = "Harness",
                ModelName = "Harness DMR",
                Udn = Udn(n + 1000),
                Services = [Service("RenderingControl", 1), Service("ConnectionManager", 2), Service("AVTransport", 1)],
            },
        ],
    };

    public static UpnpService Service(string type, int version) =>
        new($"urn:schemas-upnp-org:service:{type}:{version}", $"urn:upnp-org:serviceId:{type}", $"/{type}.xml", $"/{type}/control", $"/{type}/event");

    public static SsdpPublishedDevice Published(int n = 1, int maxAge = 1800) => new()
    {
        Device = MediaServer(n),
        Location = $"http://{{address}}:8080/device/{n}.xml",
        MaxAge = maxAge,
        ConfigId = 7,
    };

    public static string Search(string st, string? mx = "2", string man = "\"ssdp:discover\"", string host = "239.255.255.250:1900", string requestLine = "M-SEARCH * HTTP/1.1")
    {
        var builder = new StringBuilder();
        builder.Append(requestLine).Append("\r\n");
        builder.Append("HOST: ").Append(host).Append("\r\n");
        builder.Append("MAN: ").Append(man).Append("\r\n");
        if (mx is not null)
        {
            builder.Append("MX: ").Append(mx).Append("\r\n");
        }

        builder.Append("ST: ").Append(st).Append("\r\n\r\n");
        return builder.ToString();
    }
}

/// <summary>Embedded test vectors.</summary>
internal static class Vectors
{
    public static byte[] Bytes(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Vectors/" + name)
            ?? throw new InvalidOperationException($"No embedded vector {name}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public static string CapturePath(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "captures", name);
        Assert.True(File.Exists(path), $"missing capture {path} (captures/public is copied to the output by the project file)");
        return path;
    }
}
