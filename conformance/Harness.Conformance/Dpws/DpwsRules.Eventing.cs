using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Dpws.Eventing;
using Harness.Dpws.Soap;

namespace Harness.Conformance.Dpws;

public static partial class DpwsRules
{
    private static IEnumerable<Rule> EventingRules()
    {
        yield return Passive(
            "WSD-EVT-001",
            "Subscribe is answered with a SubscriptionManager carrying wse:Identifier, and Expires",
            new(Eventing2004, "Subscribe (SubscribeResponse)", UrlEventing2004, "A SubscribeResponse carries the SubscriptionManager endpoint reference (the subscription's wse:Identifier as a reference parameter) and the granted Expires."),
            RuleLevel.Must,
            Services,
            "Every accepted Subscribe: SubscribeResponse with SubscriptionManager/Address, a wse:Identifier reference parameter and Expires. A well-formed push Subscribe with a duration and a DPWS Action filter that is refused also fails.",
            CheckSubscribeResponse);

        yield return ActiveRule(
            "WSD-EVT-002",
            "Expires is granted as a duration; a nonsense Expires is refused with InvalidExpirationTime",
            new(Eventing2004 + "; " + Dpws2006 + "; WSDBIT 4.1.1", "Subscribe (Expires); faults: InvalidExpirationTime", UrlEventing2004, "An event source that cannot honour the requested expiration time must fail the request with wse:InvalidExpirationTime; DPWS expirations are xs:duration."),
            RuleLevel.Must,
            Services,
            "Subscribes with Expires 'not-a-duration': the answer must be the fault wse:InvalidExpirationTime. The Expires granted to the valid Subscribe (PT30M asked) must be an xs:duration.",
            CheckExpiresForm);

        yield return Passive(
            "WSD-EVT-003",
            "An acceptable requested duration is granted unchanged",
            new("WSDBIT 4.2.1/4.2.3; " + Eventing2004, "Subscribe / Renew (Expires)", UrlEventing2004, "A source that can honour the requested duration grants it as asked; Windows clients renew around half-life of what they asked for."),
            RuleLevel.Should,
            Services,
            "Every accepted Subscribe or Renew that asked for a duration of an hour or less: the Expires granted is the one asked for.",
            CheckExpiresEcho);

        yield return ActiveRule(
            "WSD-EVT-004",
            "An unknown filter dialect is refused",
            new(Eventing2004 + "; " + Dpws2006, "Subscribe (Filter); faults: FilteringRequestedUnavailable, FilteringNotSupported", UrlEventing2004, "If the event source does not support the filter dialect, the request must fail with wse:FilteringRequestedUnavailable (or wse:FilteringNotSupported)."),
            RuleLevel.Must,
            Services,
            "Subscribes with a Filter of a dialect no source knows: the answer must be wse:FilteringRequestedUnavailable or wse:FilteringNotSupported.",
            (context, result, view) => [ExpectFault(context, view, result, DpwsScenario.SubscribeBadDialect, "Subscribe with an unknown filter dialect", "FilteringRequestedUnavailable", "FilteringNotSupported")]);

        yield return ActiveRule(
            "WSD-EVT-005",
            "An unknown delivery mode is refused with DeliveryModeRequestedUnavailable",
            new(Eventing2004, "Subscribe (Delivery/@Mode); faults: DeliveryModeRequestedUnavailable", UrlEventing2004, "If the event source does not support the requested delivery mode, the request must fail with wse:DeliveryModeRequestedUnavailable."),
            RuleLevel.Must,
            Services,
            "Subscribes with a Delivery Mode no source knows: the answer must be wse:DeliveryModeRequestedUnavailable.",
            (context, result, view) => [ExpectFault(context, view, result, DpwsScenario.SubscribeBadDelivery, "Subscribe with an unknown delivery mode", "DeliveryModeRequestedUnavailable")]);

        yield return ActiveRule(
            "WSD-EVT-006",
            "Renew is answered with RenewResponse; renewing an ended subscription fails",
            new(Eventing2004, "Renew; faults: UnableToRenew", UrlEventing2004, "Renew of a live subscription is answered by RenewResponse with the new Expires; a subscription manager that does not renew must fail the request (wse:UnableToRenew)."),
            RuleLevel.Must,
            Services,
            "Renews the live subscription (RenewResponse with Expires), then, after Unsubscribe, renews it again: the answer must be a fault (wse:UnableToRenew expected; another fault is noted).",
            CheckRenew);

        yield return ActiveRule(
            "WSD-EVT-007",
            "GetStatus is answered with the subscription's Expires",
            new(Eventing2004, "GetStatus", UrlEventing2004, "GetStatus of a live subscription is answered by GetStatusResponse carrying its Expires."),
            RuleLevel.Must,
            Services,
            "Asks the live subscription's status: GetStatusResponse with an Expires element.",
            (context, result, view) => [ExpectReply(context, view, result, DpwsScenario.GetStatus, "GetStatus", DpwsActions.GetStatusResponse, e => Child(e.ResponseEnvelope!.BodyElement, "Expires") is null ? "GetStatusResponse has no Expires." : null)]);

        yield return ActiveRule(
            "WSD-EVT-008",
            "Unsubscribe is answered with UnsubscribeResponse",
            new(Eventing2004 + "; WSDBIT 4.1.5", "Unsubscribe", UrlEventing2004, "Unsubscribe of a live subscription is answered by UnsubscribeResponse; the subscription then ends."),
            RuleLevel.Must,
            Services,
            "Unsubscribes the live subscription: UnsubscribeResponse (not a fault).",
            (context, result, view) => [ExpectReply(context, view, result, DpwsScenario.Unsubscribe, "Unsubscribe", DpwsActions.UnsubscribeResponse)]);
    }

    private static bool IsWellFormedSubscribe(XElement? subscribe)
    {
        if (subscribe is null)
        {
            return false;
        }

        var mode = (string?)Child(subscribe, "Delivery")?.Attribute("Mode");
        var dialect = (string?)Child(subscribe, "Filter")?.Attribute("Dialect");
        var expires = Child(subscribe, "Expires")?.Value;
        return (mode is null || mode.Trim() == DpwsActions.DeliveryModePush)
            && (dialect is null || dialect.Trim() == DpwsActions.ActionFilterDialect)
            && (expires is null || (EventingExpires.TryParse(expires, out var parsed) && parsed!.IsDuration));
    }

    private static IEnumerable<Finding> CheckSubscribeResponse(RuleContext context)
    {
        var subscribes = WithAction(context, DpwsActions.Subscribe).Where(e => e.ResponseEnvelope is not null).ToList();
        foreach (var exchange in subscribes)
        {
            var body = exchange.ResponseEnvelope!.BodyElement;
            if (exchange.Fault is { } fault)
            {
                if (IsWellFormedSubscribe(exchange.RequestEnvelope?.BodyElement) && !IsEventingFault(fault, "EventSourceUnableToProcess"))
                {
                    yield return context.Violation($"A well-formed Subscribe was refused with {fault}.", exchange.Records, fault.ToString(), "SubscribeResponse");
                    yield break;
                }

                continue;
            }

            var manager = Child(body, "SubscriptionManager");
            var address = Child(manager, "Address")?.Value.Trim();
            var identifier = Descendants(manager, "Identifier").FirstOrDefault()?.Value.Trim();
            var expires = Child(body, "Expires")?.Value.Trim();
            var missing = new List<string>();
            if (body?.Name.LocalName != "SubscribeResponse")
            {
                missing.Add("SubscribeResponse");
            }

            if (string.IsNullOrEmpty(address))
            {
                missing.Add("SubscriptionManager/Address");
            }

            if (string.IsNullOrEmpty(identifier))
            {
                missing.Add("wse:Identifier");
            }

            if (string.IsNullOrEmpty(expires))
            {
                missing.Add("Expires");
            }

            if (missing.Count > 0)
            {
                yield return context.Violation($"A SubscribeResponse lacks {string.Join(", ", missing)}.", exchange.Records, null, string.Join(", ", missing));
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, subscribes, "Subscribe exchanges"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckExpiresForm(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        yield return ExpectFault(context, view, result, DpwsScenario.SubscribeInvalidExpires, "Subscribe with Expires 'not-a-duration'", "InvalidExpirationTime");
        if (Of(view, result, DpwsScenario.Subscribe) is { ResponseEnvelope: { IsFault: false } response } subscribe)
        {
            var granted = Child(response.BodyElement, "Expires")?.Value.Trim();
            yield return granted is not null && EventingExpires.TryParse(granted, out var parsed) && parsed!.IsDuration
                ? context.Pass($"The Expires granted ('{granted}') is a duration.", subscribe.Records)
                : context.Violation($"The Expires granted to a Subscribe asking for {result.RequestedExpires} is '{granted ?? "(none)"}', not an xs:duration.", subscribe.Records, granted, "an xs:duration");
        }
    }

    private static IEnumerable<Finding> CheckExpiresEcho(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var exchange in WithAction(context, DpwsActions.Subscribe, DpwsActions.Renew))
        {
            var asked = Child(exchange.RequestEnvelope?.BodyElement, "Expires")?.Value.Trim();
            if (exchange.ResponseEnvelope is not { IsFault: false } response
                || asked is null
                || !EventingExpires.TryParse(asked, out var parsed)
                || parsed!.Duration?.ToTimeSpan() is not { } span
                || span > TimeSpan.FromHours(1) || span <= TimeSpan.Zero)
            {
                continue;
            }

            judged.Add(exchange);
            var granted = Child(response.BodyElement, "Expires")?.Value.Trim();
            if (!string.Equals(granted, asked, StringComparison.Ordinal))
            {
                yield return context.Violation($"{exchange.Operation} asked for Expires '{asked}' and was granted '{granted ?? "(none)"}'.", exchange.Records, granted, asked, "/Envelope/Body/*/Expires");
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "Subscribe/Renew exchanges"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckRenew(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        yield return ExpectReply(context, view, result, DpwsScenario.Renew, "Renew", DpwsActions.RenewResponse, e => Child(e.ResponseEnvelope!.BodyElement, "Expires") is null ? "RenewResponse has no Expires." : null);
        var ended = Of(view, result, DpwsScenario.RenewEnded);
        if (ended is null)
        {
            yield break;
        }

        if (ended.Fault is not { } fault)
        {
            yield return context.Violation($"Renewing an unsubscribed subscription was answered {ended.Describe()}.", ended.Records, ended.Describe(), "a fault (wse:UnableToRenew)");
        }
        else if (!IsEventingFault(fault, "UnableToRenew"))
        {
            yield return context.Info($"Renewing an unsubscribed subscription failed with {fault} (wse:UnableToRenew is the WS-Eventing fault).", ended.Records, fault.ToString());
        }
        else
        {
            yield return context.Pass("Renewing an unsubscribed subscription failed with wse:UnableToRenew.", ended.Records);
        }
    }
}
