using Harness.Dpws.Soap;

namespace Harness.Dpws.Eventing;

/// <summary>How an <see cref="EventSubscriptionKeeper"/> looks after its subscription.</summary>
public sealed record EventSubscriptionKeeperOptions
{
    /// <summary>Renew before the granted Expires runs out (false: let it expire).</summary>
    public bool Renew { get; init; } = true;

    /// <summary>The Expires asked for in each Renew; null asks for what the Subscribe asked for (or the source's default).</summary>
    public string? RenewExpires { get; init; }

    /// <summary>The time the Unsubscribe of <see cref="EventSubscriptionKeeper.DisposeAsync"/> may take.</summary>
    public TimeSpan UnsubscribeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> for unusable settings.</summary>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(UnsubscribeTimeout, TimeSpan.Zero);
}

/// <summary>A renewal that failed: the exception of the call, and whether the keeper tries again before the subscription expires.</summary>
/// <param name="Error">The <see cref="SoapFaultException"/> or <see cref="SoapProtocolException"/> of the Renew.</param>
/// <param name="WillRetry">True when another Renew will be tried (a transport failure with time left); false when the keeper gave up.</param>
public sealed record EventRenewalFailure(Exception Error, bool WillRetry);

/// <summary>
/// The subscriber's side of a WS-Eventing subscription over time: subscribes, renews when 80 % of the granted time has
/// passed (on the injected clock), stops renewing when the source ends the subscription (<see cref="MarkEnded"/>, e.g.
/// on a SubscriptionEnd) or refuses a Renew with a fault, and unsubscribes when disposed. Renew is retried after a
/// transport failure while the subscription has time left.
/// <code>
/// await using var kept = await EventSubscriptionKeeper.SubscribeAsync(eventing, service, request, new(), TimeProvider.System, ct);
/// kept.Renewed += (_, status) => Console.WriteLine($"renewed: {status.Expires}");
/// </code>
/// </summary>
public sealed class EventSubscriptionKeeper : IAsyncDisposable
{
    private readonly EventingClient _client;
    private readonly EventSubscriptionKeeperOptions _options;
    private readonly TimeProvider _time;
    private readonly string? _renewExpires;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private DateTimeOffset? _expiresAt;
    private DateTimeOffset _grantedAt;
    private bool _ended;
    private bool _unsubscribed;
    private int _disposed;
    private int _renewals;

    private EventSubscriptionKeeper(EventingClient client, EventSubscription subscription, EventSubscriptionKeeperOptions options, TimeProvider time, string? renewExpires)
    {
        _client = client;
        Subscription = subscription;
        _options = options;
        _time = time;
        _renewExpires = renewExpires;
        Grant(subscription.Expires);
    }

    /// <summary>Raised after each successful Renew (on the keeper's loop).</summary>
    public event EventHandler<EventingStatus>? Renewed;

    /// <summary>Raised when a Renew failed (on the keeper's loop).</summary>
    public event EventHandler<EventRenewalFailure>? RenewFailed;

    /// <summary>The subscription (manager EPR, identifier, the Expires first granted).</summary>
    public EventSubscription Subscription { get; }

    /// <summary>When the subscription expires as far as the subscriber knows (from the last granted Expires), or null when unknown.</summary>
    public DateTimeOffset? ExpiresAt
    {
        get
        {
            lock (_gate)
            {
                return _expiresAt;
            }
        }
    }

    /// <summary>How many Renews succeeded.</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    /// <summary>True once the source ended the subscription (<see cref="MarkEnded"/>) or refused a Renew.</summary>
    public bool Ended
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    /// <summary>Subscribes to <paramref name="serviceAddress"/> with <paramref name="request"/> and starts looking after the subscription.</summary>
    public static async Task<EventSubscriptionKeeper> SubscribeAsync(EventingClient client, Uri serviceAddress, SubscribeRequest request, EventSubscriptionKeeperOptions? options, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        options ??= new EventSubscriptionKeeperOptions();
        options.Validate();
        var subscription = await client.SubscribeAsync(serviceAddress, request, cancellationToken).ConfigureAwait(false);
        var keeper = new EventSubscriptionKeeper(client, subscription, options, timeProvider ?? TimeProvider.System, options.RenewExpires ?? request.Expires);
        if (options.Renew)
        {
            keeper._loop = keeper.RenewLoopAsync(keeper._stopping.Token);
        }

        return keeper;
    }

    /// <summary>
    /// When to renew a subscription granted for <paramref name="granted"/>: after 80 % of it (so that a slow answer still
    /// arrives in time), and not sooner than 1 s (a source that grants almost nothing is not renewed in a busy loop).
    /// </summary>
    public static TimeSpan RenewDelay(TimeSpan granted)
    {
        var delay = TimeSpan.FromTicks(granted.Ticks / 5 * 4);
        return delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay;
    }

    /// <summary>The source ended the subscription (a SubscriptionEnd arrived): stop renewing, and do not Unsubscribe.</summary>
    public void MarkEnded()
    {
        lock (_gate)
        {
            _ended = true;
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            _stopping.Cancel();
        }
    }

    /// <summary>Unsubscribes now (once); false when the subscription had already ended or been cancelled.</summary>
    public async Task<bool> UnsubscribeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ended || _unsubscribed)
            {
                return false;
            }

            _unsubscribed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _client.UnsubscribeAsync(Subscription, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops renewing and unsubscribes (bounded by <see cref="EventSubscriptionKeeperOptions.UnsubscribeTimeout"/>) unless the subscription ended; a failed Unsubscribe is not thrown.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        using var limit = new CancellationTokenSource(_options.UnsubscribeTimeout, _time);
        try
        {
            await UnsubscribeAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SoapFaultException or SoapProtocolException or OperationCanceledException)
        {
            // The source is gone or has forgotten the subscription: nothing left to cancel.
        }

        _stopping.Dispose();
    }

    private void Grant(string? expires)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _grantedAt = now;
            _expiresAt = EventingExpires.TryParse(expires, out var parsed) ? parsed!.ExpiresAt(now) : null;
        }
    }

    private TimeSpan? NextDelay()
    {
        lock (_gate)
        {
            return _expiresAt is { } at ? RenewDelay(at - _grantedAt) - (_time.GetUtcNow() - _grantedAt) : null;
        }
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Each wait is set on the clock before the event of the previous step is raised, so that a handler (or a test
            // with a fake clock) that moves the clock on moves that wait.
            var wait = Wait(NextDelay(), cancellationToken);
            while (wait is not null)
            {
                await wait.ConfigureAwait(false);
                try
                {
                    var status = await _client.RenewAsync(Subscription, _renewExpires, cancellationToken).ConfigureAwait(false);
                    Grant(status.Expires ?? _renewExpires);
                    Interlocked.Increment(ref _renewals);
                    wait = Wait(NextDelay(), cancellationToken);
                    Renewed?.Invoke(this, status);
                }
                catch (SoapFaultException ex)
                {
                    // UnableToRenew, an unknown subscription: the source will not keep it.
                    lock (_gate)
                    {
                        _ended = true;
                    }

                    RenewFailed?.Invoke(this, new EventRenewalFailure(ex, WillRetry: false));
                    return;
                }
                catch (SoapProtocolException ex)
                {
                    var left = ExpiresAt is { } at ? at - _time.GetUtcNow() : TimeSpan.Zero;
                    var retry = left > TimeSpan.FromSeconds(2);
                    wait = retry ? Wait(TimeSpan.FromTicks(Math.Min(left.Ticks / 2, TimeSpan.FromSeconds(10).Ticks)), cancellationToken) : null;
                    RenewFailed?.Invoke(this, new EventRenewalFailure(ex, retry));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: disposed, unsubscribed or ended.
        }
    }

    private Task? Wait(TimeSpan? delay, CancellationToken cancellationToken) => delay switch
    {
        null => null,
        { } d when d > TimeSpan.Zero => Task.Delay(d, _time, cancellationToken),
        _ => Task.CompletedTask,
    };
}
