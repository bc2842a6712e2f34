using System.Net;
using System.Threading.Channels;
using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Microsoft.Extensions.Logging;

namespace Harness.Dpws.Eventing;

/// <summary>A notification (or SubscriptionEnd) a <see cref="NotificationSink"/> received.</summary>
/// <param name="Time">When it arrived (the sink's clock).</param>
/// <param name="Envelope">The envelope (Action, echoed reference parameters, body).</param>
/// <param name="Violations">Deviations found in it.</param>
public sealed record ReceivedNotification(DateTimeOffset Time, SoapEnvelope Envelope, IReadOnlyList<Violation> Violations)
{
    /// <summary>The notification's Action.</summary>
    public string Action => Envelope.Header.Action ?? string.Empty;

    /// <summary>The SubscriptionEnd content when this is one, else null.</summary>
    public SubscriptionEndMessage? SubscriptionEnd { get; init; }

    /// <summary>True for a SubscriptionEnd.</summary>
    public bool IsSubscriptionEnd => SubscriptionEnd is not null;

    /// <summary>The sender, when known.</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }
}

/// <summary>
/// The subscriber's HTTP endpoint for notifications and SubscriptionEnd: answers every POST with 202 Accepted and
/// exposes what arrived as an event, an async stream and a history with waits (for tests: wait on an event, never
/// sleep). Runs on its own loopback <see cref="DpwsHost"/> or on a path of an existing host (TestServer).
/// </summary>
public sealed class NotificationSink : IAsyncDisposable
{
    private readonly DpwsHost _host;
    private readonly bool _ownsHost;
    private readonly string _path;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Channel<ReceivedNotification> _channel;
    private readonly Lock _gate = new();
    private readonly Queue<ReceivedNotification> _history = new();
    private readonly List<(Func<ReceivedNotification, bool> Predicate, TaskCompletionSource<ReceivedNotification> Completion)> _waiters = [];

    private NotificationSink(DpwsHost host, bool ownsHost, string path, int capacity, TimeProvider? timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _host = host;
        _ownsHost = ownsHost;
        _path = path;
        _capacity = capacity;
        _time = timeProvider ?? TimeProvider.System;
        _channel = Channel.CreateBounded<ReceivedNotification>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false });
        host.MapEndpoint(path, host.Options.MaxRequestBytes).OnAny(HandleAsync);
    }

    /// <summary>Raised for every notification received (from the request thread).</summary>
    public event EventHandler<ReceivedNotification>? Received;

    /// <summary>The URL to give as NotifyTo / EndTo.</summary>
    public Uri Address => _host.AddressOf(_path);

    /// <summary>The host the sink runs on.</summary>
    public DpwsHost Host => _host;

    /// <summary>What arrived so far (the latest <c>capacity</c>), oldest first.</summary>
    public IReadOnlyList<ReceivedNotification> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Starts a sink on its own host (loopback, ephemeral port unless <paramref name="hostOptions"/> say otherwise).</summary>
    public static async Task<NotificationSink> StartAsync(DpwsHostOptions? hostOptions = null, string path = "/events", int capacity = 1024, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var host = new DpwsHost(hostOptions ?? new DpwsHostOptions { MaxRequestBytes = 1 << 20 }, loggerFactory);
        try
        {
            var sink = new NotificationSink(host, ownsHost: true, path, capacity, timeProvider);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return sink;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A sink on <paramref name="path"/> of an existing host (started or not; the host stays the caller's).</summary>
    public static NotificationSink Attach(DpwsHost host, string path = "/events", int capacity = 1024, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new NotificationSink(host, ownsHost: false, path, capacity, timeProvider);
    }

    /// <summary>An endpoint reference to this sink with <paramref name="referenceParameters"/> to be echoed.</summary>
    public WsaEndpointReference EndpointReference(params IEnumerable<System.Xml.Linq.XElement> referenceParameters) =>
        new(Address.ToString()) { ReferenceParameters = [.. referenceParameters] };

    /// <summary>Everything that arrives from now on (and what is buffered), until cancelled.</summary>
    public IAsyncEnumerable<ReceivedNotification> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>The first notification in the history or arriving later that satisfies <paramref name="predicate"/>.</summary>
    public Task<ReceivedNotification> WaitForAsync(Func<ReceivedNotification, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var completion = new TaskCompletionSource<ReceivedNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = (predicate, completion);
        lock (_gate)
        {
            if (_history.FirstOrDefault(predicate) is { } found)
            {
                return Task.FromResult(found);
            }

            _waiters.Add(entry);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _waiters.Remove(entry);
                }

                completion.TrySetCanceled(cancellationToken);
            });
            _ = completion.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return completion.Task;
    }

    /// <summary>Waits for the <paramref name="count"/>-th notification with <paramref name="action"/> (counting the history).</summary>
    public async Task<IReadOnlyList<ReceivedNotification>> WaitForCountAsync(string action, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await WaitForAsync(_ => CountOf(action) >= count, cancellationToken).ConfigureAwait(false);
        return [.. History.Where(n => n.Action == action)];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        if (_ownsHost)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.RemoveEndpoint(_path);
        }
    }

    private int CountOf(string action)
    {
        lock (_gate)
        {
            return _history.Count(n => n.Action == action);
        }
    }

    private ValueTask<SoapResponse> HandleAsync(SoapRequestContext context, CancellationToken cancellationToken)
    {
        SubscriptionEndMessage? end = null;
        if (context.Action == DpwsActions.SubscriptionEnd)
        {
            var violations = new List<Violation>();
            end = EventingCodec.ReadSubscriptionEnd(context.Envelope.BodyElement, violations);
            foreach (var violation in violations)
            {
                context.AddViolation(violation);
            }
        }

        var notification = new ReceivedNotification(_time.GetUtcNow(), context.Envelope, [.. context.Violations])
        {
            SubscriptionEnd = end,
            RemoteEndPoint = context.RemoteEndPoint,
        };
        List<TaskCompletionSource<ReceivedNotification>> completed = [];
        lock (_gate)
        {
            _history.Enqueue(notification);
            while (_history.Count > _capacity)
            {
                _history.Dequeue();
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(notification))
                {
                    completed.Add(_waiters[i].Completion);
                    _waiters.RemoveAt(i);
                }
            }
        }

        _channel.Writer.TryWrite(notification);
        foreach (var completion in completed)
        {
            completion.TrySetResult(notification);
        }

        Received?.Invoke(this, notification);
        return ValueTask.FromResult(SoapResponse.Accepted);
    }
}
