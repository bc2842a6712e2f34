using System.Net;
using System.Text;
using Harness.Core.Transport;
using Harness.Simulators.Upnp;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Simulators.Tests.Upnp;

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
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }

            throw new TimeoutException($"Condition not met within {timeout ?? DefaultTimeout}; {Items.Count} items collected.");
        }

        return Items;
    }
}

/// <summary>A raw SSDP peer on real UDP (loopback): sends arbitrary bytes and collects every datagram it receives, parsed.</summary>
internal sealed class WirePeer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private WirePeer(UdpDatagramTransport transport)
    {
        Transport = transport;
        _loop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var datagram = await transport.ReceiveAsync(_stop.Token);
                    Received.Add(new Heard(datagram, SsdpMessageReader.Read(datagram.Payload.Span).Message));
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

    public UdpDatagramTransport Transport { get; }

    public Collector<Heard> Received { get; } = new();

    /// <summary>Listens on the device's group and port (hears NOTIFY).</summary>
    public static WirePeer Listen(IPEndPoint group, TimeProvider? time = null) => new(UdpDatagramTransport.Bind(
        new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, group.Port), MulticastGroups = [group.Address], Interface = LoopbackInterface.Name, MulticastTtl = 1 },
        time));

    /// <summary>An ephemeral-port searcher on 127.0.0.1 that multicasts on loopback (hears the answers).</summary>
    public static WirePeer Searcher(TimeProvider? time = null) => new(UdpDatagramTransport.Bind(
        new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Interface = LoopbackInterface.Name, MulticastTtl = 1 },
        time));

    public IReadOnlyList<T> Messages<T>()
        where T : SsdpMessage => [.. Received.Items.Select(r => r.Message).OfType<T>()];

    /// <summary>The raw texts of the NOTIFY messages heard (a listener on the group also hears searches).</summary>
    public IReadOnlyList<string> NotifyTexts() => [.. Received.Items.Where(r => r.Message is SsdpNotify).Select(r => r.Text)];

    public ValueTask SendAsync(string text, IPEndPoint destination) =>
        Transport.SendAsync(Encoding.UTF8.GetBytes(text), destination, CancellationToken.None);

    public Task<IReadOnlyList<Heard>> WaitAsync(Func<IReadOnlyList<Heard>, bool> condition, TimeSpan? timeout = null) => Received.WaitAsync(condition, timeout);

    /// <summary>Waits until <paramref name="count"/> messages of a kind that satisfy <paramref name="match"/> were heard.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync<T>(int count, Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : SsdpMessage
    {
        var items = await Received.WaitAsync(items => items.Select(i => i.Message).OfType<T>().Count(m => match?.Invoke(m) ?? true) >= count, timeout);
        return [.. items.Select(i => i.Message).OfType<T>().Where(m => match?.Invoke(m) ?? true)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await Transport.DisposeAsync();
        _stop.Dispose();
    }

    internal sealed record Heard(Datagram Datagram, SsdpMessage? Message)
    {
        public string Text => Encoding.UTF8.GetString(Datagram.Payload.Span);
    }
}

/// <summary>Builds UPnP scenes on loopback: each device on an address of its own and a multicast port of its own.</summary>
internal static class UpnpScene
{
    private static int _next;

    /// <summary>A fresh loopback address for one device, 127.0.5.10 and up (other simulator tests use other 127.0.x.y).</summary>
    public static IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref _next);
        return new IPAddress([127, 0, (byte)(5 + (n / 240)), (byte)(10 + (n % 240))]);
    }

    /// <summary>Options for a device on a fresh loopback address and an ephemeral multicast port.</summary>
    public static FakeUpnpDeviceOptions Options(UpnpDeviceKind kind = UpnpDeviceKind.Basic, string? quirk = null, TimeProvider? time = null) => new()
    {
        Kind = kind,
        Seed = 7,
        Quirk = quirk,
        UnicastAddress = NextAddress(),
        MulticastEndPoint = new IPEndPoint(SsdpMulticast.IPv4Group, 0),
        TimeProvider = time ?? TimeProvider.System,
    };

    public static Task<FakeUpnpDevice> StartAsync(FakeUpnpDeviceOptions options) => FakeUpnpDevice.StartAsync(options, CancellationToken.None);

    /// <summary>An M-SEARCH as raw text (any header may be left out or malformed).</summary>
    public static string Search(IPEndPoint group, string st, string? mx = "1", string? man = "\"ssdp:discover\"")
    {
        var builder = new StringBuilder("M-SEARCH * HTTP/1.1\r\n");
        builder.Append("HOST: ").Append(SsdpMessage.HostFor(group)).Append("\r\n");
        if (man is not null)
        {
            builder.Append("MAN: ").Append(man).Append("\r\n");
        }

        if (mx is not null)
        {
            builder.Append("MX: ").Append(mx).Append("\r\n");
        }

        return builder.Append("ST: ").Append(st).Append("\r\n\r\n").ToString();
    }

    /// <summary>
    /// Advances a fake clock a step at a time, giving the engines a moment in real time after each step, until the
    /// condition holds on the collector; at most <paramref name="maxFake"/> of fake time. False when it never held.
    /// </summary>
    public static async Task<bool> PumpUntilAsync<T>(FakeTimeProvider clock, Collector<T> collector, Func<IReadOnlyList<T>, bool> condition, TimeSpan step, TimeSpan maxFake)
    {
        var advanced = TimeSpan.Zero;
        while (true)
        {
            try
            {
                await collector.WaitAsync(condition, TimeSpan.FromMilliseconds(50));
                return true;
            }
            catch (TimeoutException)
            {
            }

            if (advanced >= maxFake)
            {
                // A last, longer chance in real time for datagrams already on their way (a loaded machine).
                try
                {
                    await collector.WaitAsync(condition, TimeSpan.FromSeconds(1));
                    return true;
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }

            clock.Advance(step);
            advanced += step;
        }
    }

    /// <summary>Headers of a raw message, name (upper case) to value, first occurrence.</summary>
    public static Dictionary<string, string> Headers(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in text.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        return headers;
    }
}
