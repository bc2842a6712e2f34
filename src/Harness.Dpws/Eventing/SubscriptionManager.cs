using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Logging;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Dpws.Eventing;

/// <summary>Settings of a <see cref="SubscriptionManager"/> (the event source of one hosted service).</summary>
public sealed record SubscriptionManagerOptions
{
    /// <summary>
    /// The actions this source emits. When not empty, a Filter none of whose URIs matches one of them is refused with
    /// <c>wsdp:FilterActionNotSupported</c>; when empty, filters are only matched at notification time.
    /// </summary>
    public IReadOnlyList<string> EventActions { get; init; } = [];

    /// <summary>The longest expiration granted; longer requests are capped to it (default 1 hour, as WSDAPI).</summary>
    public TimeSpan MaxExpires { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Accept Expires given as xs:dateTime (granted as a duration); false refuses it with UnsupportedExpirationType.</summary>
    public bool AcceptDateTimeExpires { get; init; } = true;

    /// <summary>Support filters at all; false refuses any Filter with FilteringNotSupported.</summary>
    public bool FilteringSupported { get; init; } = true;

    /// <summary>Most live subscriptions; more are refused with EventSourceUnableToProcess.</summary>
    public int MaxSubscriptions { get; init; } = 256;

    /// <summary>Consecutive failed deliveries after which the subscription ends with SubscriptionEnd DeliveryFailure.</summary>
    public int MaxDeliveryFailures { get; init; } = 3;

    /// <summary>The address put in the SubscriptionManager EPR; null uses the address the Subscribe came in on.</summary>
    public Uri? ManagerAddress { get; init; }

    /// <summary>Which NotifyTo/EndTo addresses are acceptable; null accepts any http or https URL.</summary>
    public Func<Uri, bool>? AllowDeliveryTo { get; init; }

    /// <summary>
    /// A hook on accepted Subscribe requests: returns extra SubscribeResponse children (e.g. <c>wscn:DestinationResponses</c>,
    /// WSD-SCN-016) or throws <see cref="SoapFaultException"/> to refuse the subscription.
    /// </summary>
    public Func<SubscribeRequest, Subscription, IReadOnlyList<XElement>>? OnSubscribe { get; init; }

    /// <summary>Seed of the identifier generator; null for a fresh seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable settings.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(EventActions);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxExpires, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxExpires, TimeSpan.FromDays(3650));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSubscriptions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDeliveryFailures, 1);
    }
}

/// <summary>Why a subscription ended.</summary>
public enum SubscriptionEndReason
{
    /// <summary>The subscriber unsubscribed.</summary>
    Unsubscribed,

    /// <summary>It expired (no SubscriptionEnd is sent for expiry).</summary>
    Expired,

    /// <summary>Notifications could not be delivered (SubscriptionEnd DeliveryFailure).</summary>
    DeliveryFailure,

    /// <summary>The source cancelled it (SubscriptionEnd SourceCancelling).</summary>
    SourceCancelling,

    /// <summary>The source stopped (SubscriptionEnd SourceShuttingDown).</summary>
    SourceShuttingDown,
}

/// <summary>A live subscription of a <see cref="SubscriptionManager"/>.</summary>
public sealed class Subscription
{
    internal Subscription(string identifier, WsaEndpointReference notifyTo, WsaEndpointReference? endTo, IReadOnlyList<string>? filter, WsaEndpointReference manager, DateTimeOffset created, DateTimeOffset expiresAt, IReadOnlyList<XElement> extensions)
    {
        Identifier = identifier;
        NotifyTo = notifyTo;
        EndTo = endTo;
        FilterActions = filter;
        Manager = manager;
        Created = created;
        ExpiresAt = expiresAt;
        Extensions = extensions;
    }

    /// <summary>The <c>wse:Identifier</c> (<c>urn:uuid:…</c>).</summary>
    public string Identifier { get; }

    /// <summary>Where notifications go.</summary>
    public WsaEndpointReference NotifyTo { get; }

    /// <summary>Where SubscriptionEnd goes, or null.</summary>
    public WsaEndpointReference? EndTo { get; }

    /// <summary>The Action filter's URIs (prefix-matched); null for every event.</summary>
    public IReadOnlyList<string>? FilterActions { get; }

    /// <summary>The SubscriptionManager EPR given to the subscriber.</summary>
    public WsaEndpointReference Manager { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>When it expires (the instant at which it is no longer live).</summary>
    public DateTimeOffset ExpiresAt { get; internal set; }

    /// <summary>Other children of the Subscribe request (e.g. <c>wscn:ScanDestinations</c>).</summary>
    public IReadOnlyList<XElement> Extensions { get; }

    /// <summary>Consecutive failed deliveries.</summary>
    public int DeliveryFailures { get; internal set; }

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    internal bool Ended { get; set; }

    /// <summary>True when notifications with <paramref name="action"/> pass the filter (RFC 2396 segment-prefix match, DPWS Action dialect).</summary>
    public bool Accepts(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return FilterActions is null || FilterActions.Any(f => SubscriptionManager.ActionMatches(f, action));
    }
}

/// <summary>A subscription that ended, and why.</summary>
public sealed class SubscriptionEndedEventArgs(Subscription subscription, SubscriptionEndReason reason) : EventArgs
{
    /// <summary>The subscription.</summary>
    public Subscription Subscription { get; } = subscription;

    /// <summary>Why it ended.</summary>
    public SubscriptionEndReason Reason { get; } = reason;
}

/// <summary>What a <see cref="SubscriptionManager.NotifyAsync(string, IEnumerable{XElement}, CancellationToken)"/> did.</summary>
/// <param name="Matched">Live subscriptions whose filter accepted the action.</param>
/// <param name="Delivered">Deliveries the subscriber accepted (2xx without fault).</param>
/// <param name="Failed">Deliveries that failed.</param>
public sealed record NotificationResult(int Matched, int Delivered, int Failed);

/// <summary>
/// The WS-Eventing 2004/08 event source of a hosted service under the DPWS constraints (checklist §1.7): Subscribe
/// (push delivery, Expires as duration or dateTime by option, DPWS Action filter), SubscribeResponse with a
/// SubscriptionManager EPR carrying <c>wse:Identifier</c> and the granted Expires (an acceptable requested duration
/// is echoed unchanged, longer ones are capped), Renew, GetStatus, Unsubscribe, notifications POSTed to NotifyTo with
/// its reference parameters echoed as headers, and SubscriptionEnd to EndTo when the source stops, cancels, or
/// delivery keeps failing. Expiry follows the injected <see cref="TimeProvider"/> exactly: a subscription is live
/// while <c>now &lt; ExpiresAt</c>.
/// </summary>
public sealed class SubscriptionManager : IAsyncDisposable
{
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SoapHttpClient _notifier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SeededIds _ids;
    private readonly ITimer _expiryTimer;
    private bool _stopping;

    /// <summary>An event source that delivers through <paramref name="notifier"/> (not disposed with the manager).</summary>
    public SubscriptionManager(SubscriptionManagerOptions options, SoapHttpClient notifier, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(notifier);
        options.Validate();
        Options = options;
        _notifier = notifier;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SubscriptionManager>();
        _ids = new SeededIds(options.Seed);
        _expiryTimer = _time.CreateTimer(_ => PurgeExpired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The settings.</summary>
    public SubscriptionManagerOptions Options { get; }

    /// <summary>Raised when a subscription is created.</summary>
    public event EventHandler<Subscription>? SubscriptionCreated;

    /// <summary>Raised when a subscription ends (unsubscribed, expired, delivery failure, cancelled, source stopped).</summary>
    public event EventHandler<SubscriptionEndedEventArgs>? SubscriptionEnded;

    /// <summary>The live subscriptions (not expired at the current time).</summary>
    public IReadOnlyList<Subscription> Subscriptions
    {
        get
        {
            var now = _time.GetUtcNow();
            lock (_gate)
            {
                return [.. _subscriptions.Values.Where(s => now < s.ExpiresAt).OrderBy(s => s.Created).ThenBy(s => s.Identifier, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Registers the Subscribe, Renew, GetStatus and Unsubscribe handlers on <paramref name="endpoint"/>.</summary>
    public void MapTo(SoapEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.On(DpwsActions.Subscribe, HandleSubscribeAsync);
        endpoint.On(DpwsActions.Renew, HandleRenewAsync);
        endpoint.On(DpwsActions.GetStatus, HandleGetStatusAsync);
        endpoint.On(DpwsActions.Unsubscribe, HandleUnsubscribeAsync);
    }

    /// <summary>DPWS Action filter matching: the filter URI equals the action or is a segment-wise prefix of it (RFC 2396 rule).</summary>
    public static bool ActionMatches(string filterUri, string action)
    {
        ArgumentNullException.ThrowIfNull(filterUri);
        ArgumentNullException.ThrowIfNull(action);
        return filterUri == action || WsdMatcher.ScopeMatches(filterUri, action, WsdProtocol.V2005.MatchByRfc, WsdProtocol.V2005);
    }

    /// <summary>Handles Subscribe (public for direct calls; <see cref="MapTo"/> registers it).</summary>
    public ValueTask<SoapResponse> HandleSubscribeAsync(SoapRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var violations = new List<Violation>();
        var request = EventingCodec.ReadSubscribe(context.Envelope.BodyElement, violations, out var problem);
        foreach (var violation in violations)
        {
            context.AddViolation(violation);
        }

        if (request is null)
        {
            return Refuse(context, problem!);
        }

        if (request.DeliveryMode is { } mode && mode != DpwsActions.DeliveryModePush)
        {
            return Refuse(context, EventingFaults.DeliveryModeRequestedUnavailable());
        }

        var now = _time.GetUtcNow();
        if (Grant(request.Expires, now, out var expiresAt, out var granted) is { } expiresFault)
        {
            return Refuse(context, expiresFault);
        }

        IReadOnlyList<string>? filter = null;
        if (request.Filter is { } requested)
        {
            if (!Options.FilteringSupported)
            {
                return Refuse(context, EventingFaults.FilteringNotSupported());
            }

            if (requested.Dialect != DpwsActions.ActionFilterDialect)
            {
                return Refuse(context, EventingFaults.FilteringRequestedUnavailable());
            }

            if (requested.Actions.Count == 0 || (Options.EventActions.Count > 0 && !Options.EventActions.Any(a => requested.Actions.Any(f => ActionMatches(f, a)))))
            {
                return Refuse(context, EventingFaults.FilterActionNotSupported());
            }

            filter = requested.Actions;
        }

        if (!Deliverable(request.NotifyTo.Address) || (request.EndTo is { } endTo && !Deliverable(endTo.Address)))
        {
            return Refuse(context, EventingFaults.EventSourceUnableToProcess("NotifyTo and EndTo must be http or https URLs this source may deliver to."));
        }

        var identifier = _ids.NewMessageId();
        var managerAddress = (Options.ManagerAddress ?? context.EndpointAddress).ToString();
        var manager = new WsaEndpointReference(managerAddress)
        {
            ReferenceParameters = [new XElement(EventingCodec.IdentifierName, new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing), identifier)],
        };
        var subscription = new Subscription(identifier, request.NotifyTo, request.EndTo, filter, manager, now, expiresAt, request.Extensions);
        IReadOnlyList<XElement> extra = [];
        if (Options.OnSubscribe is { } hook)
        {
            try
            {
                extra = hook(request, subscription);
            }
            catch (SoapFaultException ex)
            {
                return Refuse(context, ex.Fault);
            }
        }

        lock (_gate)
        {
            if (_stopping)
            {
                return Refuse(context, EventingFaults.EventSourceUnableToProcess("The event source is shutting down."));
            }

            if (_subscriptions.Values.Count(s => now < s.ExpiresAt) >= Options.MaxSubscriptions)
            {
                return Refuse(context, EventingFaults.EventSourceUnableToProcess($"The event source holds its maximum of {Options.MaxSubscriptions} subscriptions."));
            }

            _subscriptions[identifier] = subscription;
            ArmTimer(now);
        }

        DpwsLog.SubscriptionCreated(_logger, identifier, request.NotifyTo.Address, granted);
        Raise(SubscriptionCreated, subscription);
        var body = EventingCodec.WriteSubscribeResponse(new SubscribeResponse(manager, granted) { Extensions = extra });
        return ValueTask.FromResult(context.Reply(DpwsActions.SubscribeResponse, body));
    }

    /// <summary>Handles Renew: a new expiration for a live subscription, or <c>wse:UnableToRenew</c>.</summary>
    public ValueTask<SoapResponse> HandleRenewAsync(SoapRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var violations = new List<Violation>();
        var expires = EventingCodec.ReadExpires(context.Envelope.BodyElement, "Renew", violations, DpwsRuleIds.Renew);
        foreach (var violation in violations)
        {
            context.AddViolation(violation);
        }

        var now = _time.GetUtcNow();
        var subscription = Find(context, now);
        if (subscription is null)
        {
            return Refuse(context, EventingFaults.UnableToRenew());
        }

        if (Grant(expires, now, out var expiresAt, out var granted) is { } fault)
        {
            return Refuse(context, fault);
        }

        lock (_gate)
        {
            if (subscription.Ended)
            {
                return Refuse(context, EventingFaults.UnableToRenew());
            }

            subscription.ExpiresAt = expiresAt;
            ArmTimer(now);
        }

        DpwsLog.SubscriptionRenewed(_logger, subscription.Identifier, granted);
        return ValueTask.FromResult(context.Reply(DpwsActions.RenewResponse, EventingCodec.WriteRenewResponse(granted)));
    }

    /// <summary>Handles GetStatus: the remaining time as a duration.</summary>
    public ValueTask<SoapResponse> HandleGetStatusAsync(SoapRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = _time.GetUtcNow();
        if (Find(context, now) is not { } subscription)
        {
            return Refuse(context, UnknownSubscription(context));
        }

        var remaining = XsDuration.Format(subscription.ExpiresAt - now);
        return ValueTask.FromResult(context.Reply(DpwsActions.GetStatusResponse, EventingCodec.WriteGetStatusResponse(remaining)));
    }

    /// <summary>Handles Unsubscribe: the subscription ends at once (no SubscriptionEnd), UnsubscribeResponse with an empty body.</summary>
    public ValueTask<SoapResponse> HandleUnsubscribeAsync(SoapRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = _time.GetUtcNow();
        if (Find(context, now) is not { } subscription || !Remove(subscription))
        {
            return Refuse(context, UnknownSubscription(context));
        }

        DpwsLog.SubscriptionEnded(_logger, subscription.Identifier, "unsubscribed");
        RaiseEnded(subscription, SubscriptionEndReason.Unsubscribed);
        return ValueTask.FromResult(context.Reply(DpwsActions.UnsubscribeResponse));
    }

    /// <summary>Delivers a notification with the same body to every live subscription whose filter accepts <paramref name="action"/>.</summary>
    public Task<NotificationResult> NotifyAsync(string action, IEnumerable<XElement> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var elements = body.ToList();
        return NotifyAsync(action, _ => elements, cancellationToken);
    }

    /// <summary>
    /// Delivers a notification to every live subscription whose filter accepts <paramref name="action"/>, with a body per
    /// subscription (e.g. a ScanAvailableEvent carrying that subscriber's ClientContext). Deliveries to different
    /// subscribers run concurrently, to one subscriber in order; failures are counted, never thrown.
    /// </summary>
    public async Task<NotificationResult> NotifyAsync(string action, Func<Subscription, IEnumerable<XElement>> bodyFor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(bodyFor);
        var now = _time.GetUtcNow();
        List<Subscription> targets;
        lock (_gate)
        {
            targets = [.. _subscriptions.Values.Where(s => now < s.ExpiresAt && !s.Ended && s.Accepts(action)).OrderBy(s => s.Created)];
        }

        var results = await Task.WhenAll(targets.Select(s => DeliverAsync(s, action, bodyFor(s), cancellationToken))).ConfigureAwait(false);
        return new NotificationResult(targets.Count, results.Count(r => r), results.Count(r => !r));
    }

    /// <summary>Ends a subscription from the source side with SubscriptionEnd SourceCancelling; false when it is not live.</summary>
    public async Task<bool> CancelAsync(string identifier, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        Subscription? subscription;
        lock (_gate)
        {
            _subscriptions.TryGetValue(identifier, out subscription);
        }

        if (subscription is null || !Remove(subscription))
        {
            return false;
        }

        DpwsLog.SubscriptionEnded(_logger, identifier, "cancelled by the source");
        RaiseEnded(subscription, SubscriptionEndReason.SourceCancelling);
        await SendSubscriptionEndAsync(subscription, SubscriptionEndStatus.SourceCancelling, reason ?? "The event source cancelled the subscription.", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops the source: refuses new subscriptions and sends SubscriptionEnd SourceShuttingDown to every live subscriber with an EndTo.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<Subscription> live;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _stopping = true;
            live = [.. _subscriptions.Values.Where(s => now < s.ExpiresAt && !s.Ended)];
            foreach (var subscription in _subscriptions.Values)
            {
                subscription.Ended = true;
            }

            _subscriptions.Clear();
            _expiryTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        foreach (var subscription in live)
        {
            DpwsLog.SubscriptionEnded(_logger, subscription.Identifier, "source shutting down");
            RaiseEnded(subscription, SubscriptionEndReason.SourceShuttingDown);
        }

        await Task.WhenAll(live.Select(s => SendSubscriptionEndAsync(s, SubscriptionEndStatus.SourceShuttingDown, "The event source is shutting down.", cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _expiryTimer.DisposeAsync().ConfigureAwait(false);
    }

    private static ValueTask<SoapResponse> Refuse(SoapRequestContext context, SoapFault fault) =>
        ValueTask.FromResult(context.Fault(fault));

    private static SoapFault UnknownSubscription(SoapRequestContext context) =>
        SoapFault.DestinationUnreachable(context.Envelope.Header.ExtraValue(EventingCodec.IdentifierName) is { } id
            ? $"No live subscription has the identifier {id}."
            : "The request carries no wse:Identifier header.");

    private SoapFault? Grant(string? requested, DateTimeOffset now, out DateTimeOffset expiresAt, out string granted)
    {
        expiresAt = default;
        granted = string.Empty;
        var max = Options.MaxExpires;
        if (requested is null)
        {
            expiresAt = now + max;
            granted = XsDuration.Format(max);
            return null;
        }

        if (!EventingExpires.TryParse(requested, out var expires))
        {
            return EventingFaults.InvalidExpirationTime();
        }

        if (!expires!.IsDuration && !Options.AcceptDateTimeExpires)
        {
            return EventingFaults.UnsupportedExpirationType();
        }

        var at = expires.ExpiresAt(now);
        if (at is null)
        {
            at = DateTimeOffset.MaxValue;
        }

        if (at <= now)
        {
            return EventingFaults.InvalidExpirationTime();
        }

        var span = at.Value == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : at.Value - now;
        if (span > max)
        {
            expiresAt = now + max;
            granted = XsDuration.Format(max);
        }
        else
        {
            expiresAt = at.Value;
            granted = expires.IsDuration ? expires.Text : XsDuration.Format(span);
        }

        return null;
    }

    private bool Deliverable(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        return Options.AllowDeliveryTo?.Invoke(uri) ?? true;
    }

    private Subscription? Find(SoapRequestContext context, DateTimeOffset now)
    {
        var identifier = context.Envelope.Header.ExtraValue(EventingCodec.IdentifierName);
        if (identifier is null)
        {
            context.AddViolation(new Violation(DpwsRuleIds.Renew, "The request carries no wse:Identifier header (the SubscriptionManager's reference parameter).", ViolationSeverity.Error, "/Envelope/Header"));
            return null;
        }

        lock (_gate)
        {
            return _subscriptions.TryGetValue(identifier, out var s) && now < s.ExpiresAt && !s.Ended ? s : null;
        }
    }

    private bool Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (subscription.Ended)
            {
                return false;
            }

            subscription.Ended = true;
            _subscriptions.Remove(subscription.Identifier);
            ArmTimer(_time.GetUtcNow());
            return true;
        }
    }

    private async Task<bool> DeliverAsync(Subscription subscription, string action, IEnumerable<XElement> body, CancellationToken cancellationToken)
    {
        await subscription.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (subscription.Ended || _time.GetUtcNow() >= subscription.ExpiresAt)
            {
                return false;
            }

            var envelope = new SoapEnvelope
            {
                Header = new SoapHeader
                {
                    To = subscription.NotifyTo.Address,
                    Action = action,
                    MessageId = _notifier.NewMessageId(),
                    Extra = [.. subscription.NotifyTo.HeadersToEcho.Select(e => new XElement(e))],
                },
                Body = [.. body],
            };
            string? error = null;
            try
            {
                var result = await _notifier.SendAsync(new Uri(subscription.NotifyTo.Address), envelope, null, cancellationToken).ConfigureAwait(false);
                if (result.StatusCode is < 200 or >= 300 || result.Envelope?.IsFault == true)
                {
                    error = $"HTTP {result.StatusCode}{(result.Envelope?.Fault is { } f ? ", " + f : string.Empty)}";
                }
            }
            catch (SoapProtocolException ex)
            {
                error = ex.Message;
            }

            if (error is null)
            {
                subscription.DeliveryFailures = 0;
                return true;
            }

            var failures = ++subscription.DeliveryFailures;
            DpwsLog.DeliveryFailed(_logger, action, subscription.NotifyTo.Address, failures, error);
            if (failures >= Options.MaxDeliveryFailures && Remove(subscription))
            {
                DpwsLog.SubscriptionEnded(_logger, subscription.Identifier, "delivery failure");
                RaiseEnded(subscription, SubscriptionEndReason.DeliveryFailure);
                await SendSubscriptionEndAsync(subscription, SubscriptionEndStatus.DeliveryFailure, $"{failures} notifications in a row could not be delivered.", cancellationToken).ConfigureAwait(false);
            }

            return false;
        }
        finally
        {
            subscription.Gate.Release();
        }
    }

    private async Task SendSubscriptionEndAsync(Subscription subscription, string status, string reason, CancellationToken cancellationToken)
    {
        if (subscription.EndTo is not { } endTo)
        {
            return;
        }

        var envelope = new SoapEnvelope
        {
            Header = new SoapHeader
            {
                To = endTo.Address,
                Action = DpwsActions.SubscriptionEnd,
                MessageId = _notifier.NewMessageId(),
                Extra = [.. endTo.HeadersToEcho.Select(e => new XElement(e))],
            },
            Body = [EventingCodec.WriteSubscriptionEnd(new SubscriptionEndMessage(subscription.Manager, status, reason))],
        };
        try
        {
            await _notifier.SendAsync(new Uri(endTo.Address), envelope, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SoapProtocolException ex)
        {
            DpwsLog.SubscriptionEndFailed(_logger, status, endTo.Address, ex.Message);
        }
    }

    private void PurgeExpired()
    {
        var now = _time.GetUtcNow();
        List<Subscription> expired;
        lock (_gate)
        {
            expired = [.. _subscriptions.Values.Where(s => now >= s.ExpiresAt).OrderBy(s => s.ExpiresAt)];
            foreach (var subscription in expired)
            {
                subscription.Ended = true;
                _subscriptions.Remove(subscription.Identifier);
            }

            ArmTimer(now);
        }

        foreach (var subscription in expired)
        {
            DpwsLog.SubscriptionEnded(_logger, subscription.Identifier, "expired");
            RaiseEnded(subscription, SubscriptionEndReason.Expired);
        }
    }

    private void ArmTimer(DateTimeOffset now)
    {
        if (_subscriptions.Count == 0)
        {
            _expiryTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // Never zero (a fake clock would call back synchronously inside the lock) and never beyond a day (timer range);
        // the callback re-arms for what is left.
        var due = _subscriptions.Values.Min(s => s.ExpiresAt) - now;
        due = due < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : due > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : due;
        _expiryTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Raise(EventHandler<Subscription>? handler, Subscription subscription)
    {
        try
        {
            handler?.Invoke(this, subscription);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DpwsLog.ObserverFailed(_logger, ex);
        }
    }

    private void RaiseEnded(Subscription subscription, SubscriptionEndReason reason)
    {
        try
        {
            SubscriptionEnded?.Invoke(this, new SubscriptionEndedEventArgs(subscription, reason));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DpwsLog.ObserverFailed(_logger, ex);
        }
    }
}
