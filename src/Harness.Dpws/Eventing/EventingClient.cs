using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Eventing;

/// <summary>A subscription as the subscriber holds it: the manager EPR to renew, query and cancel it, and the granted Expires.</summary>
/// <param name="ServiceAddress">The hosted service the Subscribe went to.</param>
/// <param name="Manager">The SubscriptionManager EPR (with <c>wse:Identifier</c>).</param>
/// <param name="Expires">The granted Expires as written, or null.</param>
/// <param name="Violations">Deviations found in the SubscribeResponse.</param>
public sealed record EventSubscription(Uri ServiceAddress, WsaEndpointReference Manager, string? Expires, IReadOnlyList<Violation> Violations)
{
    /// <summary>The <c>wse:Identifier</c>, or null.</summary>
    public string? Identifier => Manager.ReferenceValue(EventingCodec.IdentifierName);

    /// <summary>Other SubscribeResponse children (e.g. <c>wscn:DestinationResponses</c>).</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>The answer to Renew or GetStatus.</summary>
/// <param name="Expires">The Expires as written, or null when absent.</param>
/// <param name="Violations">Deviations found.</param>
public sealed record EventingStatus(string? Expires, IReadOnlyList<Violation> Violations)
{
    /// <summary>The Expires as a duration span, when it is one.</summary>
    public TimeSpan? Duration => EventingExpires.TryParse(Expires, out var e) && e!.Duration is { } d ? d.ToTimeSpan() : null;
}

/// <summary>
/// The subscriber side of WS-Eventing 2004/08 (PyWSD's subscribe / renew / get_status / unsubscribe): typed results,
/// typed faults (<see cref="SoapFaultException"/> with the <see cref="EventingFaults"/> subcodes), and the deviations
/// of each answer (Action, RelatesTo, Expires echo).
/// </summary>
public sealed class EventingClient
{
    private readonly SoapHttpClient _http;

    /// <summary>A client over <paramref name="http"/>.</summary>
    public EventingClient(SoapHttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>Subscribes to the events of the hosted service at <paramref name="serviceAddress"/> (also its <c>wsa:To</c>).</summary>
    public async Task<EventSubscription> SubscribeAsync(Uri serviceAddress, SubscribeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serviceAddress);
        ArgumentNullException.ThrowIfNull(request);
        var envelope = SoapEnvelope.Request(DpwsActions.Subscribe, serviceAddress.ToString(), _http.NewMessageId(), EventingCodec.WriteSubscribe(request));
        var result = await _http.InvokeAsync(serviceAddress, envelope, null, cancellationToken).ConfigureAwait(false);
        var violations = new List<Violation>(result.Violations);
        CheckReply(envelope, result.Envelope!, DpwsActions.SubscribeResponse, DpwsRuleIds.Subscribe, violations);
        var response = EventingCodec.ReadSubscribeResponse(result.Envelope!.BodyElement, violations)
            ?? throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, "The SubscribeResponse could not be read.", result.StatusCode, violations);
        if (request.Expires is { } asked && EventingExpires.TryParse(asked, out var parsed) && parsed!.IsDuration && response.Expires != asked)
        {
            violations.Add(new Violation(DpwsRuleIds.ExpiresEcho, $"Requested Expires '{asked}' was granted as '{response.Expires}' (not echoed unchanged).", ViolationSeverity.Info, "/Envelope/Body/SubscribeResponse/Expires"));
        }

        return new EventSubscription(serviceAddress, response.SubscriptionManager, response.Expires, violations) { Extensions = response.Extensions };
    }

    /// <summary>Subscribes with a DPWS Action filter, a NotifyTo (and optional EndTo) address and a requested duration.</summary>
    public Task<EventSubscription> SubscribeAsync(Uri serviceAddress, Uri notifyTo, IEnumerable<string>? actions, TimeSpan? expires, Uri? endTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notifyTo);
        var filter = actions?.ToList();
        var request = new SubscribeRequest
        {
            NotifyTo = new WsaEndpointReference(notifyTo.ToString()),
            EndTo = endTo is null ? null : new WsaEndpointReference(endTo.ToString()),
            Expires = expires is { } e ? XsDuration.Format(e) : null,
            Filter = filter is { Count: > 0 } ? EventingFilter.ForActions(filter) : null,
        };
        return SubscribeAsync(serviceAddress, request, cancellationToken);
    }

    /// <summary>Renews; <paramref name="expires"/> null asks for the source's default.</summary>
    public async Task<EventingStatus> RenewAsync(EventSubscription subscription, string? expires, CancellationToken cancellationToken)
    {
        var (request, reply, violations) = await CallManagerAsync(subscription, DpwsActions.Renew, EventingCodec.WriteRenew(expires), cancellationToken).ConfigureAwait(false);
        CheckReply(request, reply, DpwsActions.RenewResponse, DpwsRuleIds.Renew, violations);
        var granted = EventingCodec.ReadExpires(reply.BodyElement, "RenewResponse", violations, DpwsRuleIds.Renew);
        return new EventingStatus(granted, violations);
    }

    /// <summary>Asks for the remaining time of the subscription.</summary>
    public async Task<EventingStatus> GetStatusAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        var (request, reply, violations) = await CallManagerAsync(subscription, DpwsActions.GetStatus, EventingCodec.WriteGetStatus(), cancellationToken).ConfigureAwait(false);
        CheckReply(request, reply, DpwsActions.GetStatusResponse, DpwsRuleIds.GetStatus, violations);
        var expires = EventingCodec.ReadExpires(reply.BodyElement, "GetStatusResponse", violations, DpwsRuleIds.GetStatus);
        return new EventingStatus(expires, violations);
    }

    /// <summary>Unsubscribes; returns the deviations of the answer.</summary>
    public async Task<IReadOnlyList<Violation>> UnsubscribeAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        var (request, reply, violations) = await CallManagerAsync(subscription, DpwsActions.Unsubscribe, EventingCodec.WriteUnsubscribe(), cancellationToken).ConfigureAwait(false);
        CheckReply(request, reply, DpwsActions.UnsubscribeResponse, DpwsRuleIds.Unsubscribe, violations);
        return violations;
    }

    private async Task<(SoapEnvelope Request, SoapEnvelope Reply, List<Violation> Violations)> CallManagerAsync(EventSubscription subscription, string action, XElement body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var manager = subscription.Manager;
        var target = Uri.TryCreate(manager.Address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : subscription.ServiceAddress;
        var request = new SoapEnvelope
        {
            Header = new SoapHeader
            {
                To = manager.Address,
                Action = action,
                MessageId = _http.NewMessageId(),
                ReplyTo = WsaEndpointReference.Anonymous,
                Extra = [.. manager.HeadersToEcho.Select(e => new XElement(e))],
            },
            Body = [body],
        };
        var result = await _http.InvokeAsync(target, request, null, cancellationToken).ConfigureAwait(false);
        return (request, result.Envelope!, [.. result.Violations]);
    }

    private static void CheckReply(SoapEnvelope request, SoapEnvelope reply, string expectedAction, string rule, List<Violation> violations)
    {
        if (reply.Header.Action != expectedAction)
        {
            violations.Add(new Violation(rule, $"The reply's Action is '{reply.Header.Action}', not '{expectedAction}'.", ViolationSeverity.Error, "/Envelope/Header/Action"));
        }

        if (reply.Header.RelatesTo != request.Header.MessageId)
        {
            violations.Add(new Violation(DpwsRuleIds.AddressingHeader, $"The reply's RelatesTo '{reply.Header.RelatesTo}' is not the request's MessageID.", ViolationSeverity.Error, "/Envelope/Header/RelatesTo"));
        }
    }
}
