using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Eventing;

/// <summary>A WS-Eventing filter: its dialect and, for the DPWS Action dialect, the action URIs.</summary>
/// <param name="Dialect">The Dialect attribute (the WS-Eventing XPath default when absent).</param>
/// <param name="Actions">The whitespace-separated action URIs of a DPWS Action filter (empty for other dialects).</param>
public sealed record EventingFilter(string Dialect, IReadOnlyList<string> Actions)
{
    /// <summary>A DPWS Action filter for <paramref name="actions"/>.</summary>
    public static EventingFilter ForActions(params IEnumerable<string> actions) => new(DpwsActions.ActionFilterDialect, [.. actions]);

    /// <summary>The filter's text content as read (for dialects other than Action).</summary>
    public string? Content { get; init; }
}

/// <summary>A WS-Eventing Subscribe request body.</summary>
public sealed record SubscribeRequest
{
    /// <summary>Where notifications go (with the reference parameters to echo).</summary>
    public required WsaEndpointReference NotifyTo { get; init; }

    /// <summary>Where SubscriptionEnd goes, or null.</summary>
    public WsaEndpointReference? EndTo { get; init; }

    /// <summary>The Delivery Mode attribute, or null when absent (push).</summary>
    public string? DeliveryMode { get; init; }

    /// <summary>The requested Expires as written, or null for no expiry requested.</summary>
    public string? Expires { get; init; }

    /// <summary>The filter, or null.</summary>
    public EventingFilter? Filter { get; init; }

    /// <summary>Other children of Subscribe (e.g. <c>wscn:ScanDestinations</c>, WSD-SCN-016).</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>A SubscribeResponse body: the subscription manager EPR (with <c>wse:Identifier</c>) and the granted Expires.</summary>
/// <param name="SubscriptionManager">The subscription manager's endpoint reference.</param>
/// <param name="Expires">The granted expiration as written, or null.</param>
public sealed record SubscribeResponse(WsaEndpointReference SubscriptionManager, string? Expires)
{
    /// <summary>Other children (e.g. <c>wscn:DestinationResponses</c>).</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>The <c>wse:Identifier</c> reference parameter, or null.</summary>
    public string? Identifier => SubscriptionManager.ReferenceValue(EventingCodec.IdentifierName);
}

/// <summary>A SubscriptionEnd body.</summary>
/// <param name="SubscriptionManager">The manager of the ended subscription.</param>
/// <param name="Status">The status URI (<see cref="SubscriptionEndStatus"/>).</param>
/// <param name="Reason">The reason text, or null.</param>
public sealed record SubscriptionEndMessage(WsaEndpointReference SubscriptionManager, string Status, string? Reason)
{
    /// <summary>The <c>wse:Identifier</c> of the ended subscription, or null.</summary>
    public string? Identifier => SubscriptionManager.ReferenceValue(EventingCodec.IdentifierName);
}

/// <summary>The SubscriptionEnd status URIs of WS-Eventing 2004/08.</summary>
public static class SubscriptionEndStatus
{
    /// <summary>Notifications could not be delivered.</summary>
    public const string DeliveryFailure = DpwsNamespaces.Eventing + "/DeliveryFailure";

    /// <summary>The source is going away.</summary>
    public const string SourceShuttingDown = DpwsNamespaces.Eventing + "/SourceShuttingDown";

    /// <summary>The source cancelled the subscription for another reason.</summary>
    public const string SourceCancelling = DpwsNamespaces.Eventing + "/SourceCancelling";
}

/// <summary>
/// Reads and writes the WS-Eventing 2004/08 bodies (Subscribe, SubscribeResponse, Renew, RenewResponse, GetStatus,
/// GetStatusResponse, Unsubscribe, SubscriptionEnd). Pure: policy (what to accept) lives in
/// <see cref="SubscriptionManager"/>; readers report structure problems and never throw on a peer's input.
/// </summary>
public static class EventingCodec
{
    private static readonly XNamespace Wse = DpwsNamespaces.Eventing;

    /// <summary><c>wse:Identifier</c>: the subscription's reference parameter.</summary>
    public static readonly XName IdentifierName = Wse + "Identifier";

    /// <summary>The Subscribe body.</summary>
    public static XElement WriteSubscribe(SubscribeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subscribe = new XElement(Wse + "Subscribe", new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing));
        if (request.EndTo is { } endTo)
        {
            subscribe.Add(SoapWriter.EndpointReferenceElement(Wse + "EndTo", endTo));
        }

        var delivery = new XElement(Wse + "Delivery", SoapWriter.EndpointReferenceElement(Wse + "NotifyTo", request.NotifyTo));
        if (request.DeliveryMode is { } mode)
        {
            delivery.Add(new XAttribute("Mode", mode));
        }

        subscribe.Add(delivery);
        if (request.Expires is { } expires)
        {
            subscribe.Add(new XElement(Wse + "Expires", expires));
        }

        if (request.Filter is { } filter)
        {
            subscribe.Add(new XElement(Wse + "Filter", new XAttribute("Dialect", filter.Dialect), filter.Actions.Count > 0 ? string.Join(' ', filter.Actions) : filter.Content));
        }

        foreach (var extension in request.Extensions)
        {
            subscribe.Add(extension.Parent is null ? extension : XmlValues.Detach(extension));
        }

        return subscribe;
    }

    /// <summary>
    /// Reads a Subscribe body; null (with <paramref name="problem"/> set to an InvalidMessage fault) when it has no
    /// usable NotifyTo.
    /// </summary>
    public static SubscribeRequest? ReadSubscribe(XElement? body, List<Violation> violations, out SoapFault? problem)
    {
        ArgumentNullException.ThrowIfNull(violations);
        problem = null;
        if (body is null || body.Name != Wse + "Subscribe")
        {
            problem = EventingFaults.InvalidMessage("The body is not a wse:Subscribe.");
            violations.Add(new Violation(DpwsRuleIds.Subscribe, problem.Reason, ViolationSeverity.Error, "/Envelope/Body"));
            return null;
        }

        WsaEndpointReference? endTo = null, notifyTo = null;
        string? mode = null, expires = null;
        EventingFilter? filter = null;
        var extensions = new List<XElement>();
        var deliverySeen = false;
        foreach (var child in body.Elements())
        {
            if (child.Name.Namespace != Wse)
            {
                extensions.Add(child);
                continue;
            }

            switch (child.Name.LocalName)
            {
                case "EndTo":
                    endTo = SoapReader.ReadEndpointReference(child, violations);
                    break;
                case "Delivery" when !deliverySeen:
                    deliverySeen = true;
                    mode = child.Attribute("Mode") is { } m ? XmlValues.Trim(m.Value) : null;
                    if (child.Element(Wse + "NotifyTo") is { } notify)
                    {
                        notifyTo = SoapReader.ReadEndpointReference(notify, violations);
                    }

                    break;
                case "Expires":
                    expires = XmlValues.Trim(child.Value);
                    break;
                case "Filter":
                    var dialect = child.Attribute("Dialect") is { } d ? XmlValues.Trim(d.Value) : DpwsActions.XPathFilterDialect;
                    filter = dialect == DpwsActions.ActionFilterDialect
                        ? new EventingFilter(dialect, XmlValues.SplitList(child.Value))
                        : new EventingFilter(dialect, []) { Content = XmlValues.Trim(child.Value) };
                    break;
                default:
                    extensions.Add(child);
                    break;
            }
        }

        if (notifyTo is null)
        {
            problem = EventingFaults.InvalidMessage("The Subscribe has no Delivery/NotifyTo address.");
            violations.Add(new Violation(DpwsRuleIds.Subscribe, problem.Reason, ViolationSeverity.Error, SoapReader.Path(body)));
            return null;
        }

        return new SubscribeRequest { NotifyTo = notifyTo, EndTo = endTo, DeliveryMode = mode, Expires = expires, Filter = filter, Extensions = extensions };
    }

    /// <summary>The SubscribeResponse body.</summary>
    public static XElement WriteSubscribeResponse(SubscribeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new XElement(
            Wse + "SubscribeResponse",
            new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing),
            SoapWriter.EndpointReferenceElement(Wse + "SubscriptionManager", response.SubscriptionManager),
            response.Expires is null ? null : new XElement(Wse + "Expires", response.Expires),
            response.Extensions.Select(e => e.Parent is null ? e : XmlValues.Detach(e)));
    }

    /// <summary>Reads a SubscribeResponse body; null when it has no SubscriptionManager (reported as WSD-EVT-001).</summary>
    public static SubscribeResponse? ReadSubscribeResponse(XElement? body, List<Violation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (body is null || body.Name != Wse + "SubscribeResponse")
        {
            violations.Add(new Violation(DpwsRuleIds.Subscribe, "The body is not a wse:SubscribeResponse.", ViolationSeverity.Error, "/Envelope/Body"));
            return null;
        }

        var manager = body.Element(Wse + "SubscriptionManager") is { } m ? SoapReader.ReadEndpointReference(m, violations) : null;
        if (manager is null)
        {
            violations.Add(new Violation(DpwsRuleIds.Subscribe, "SubscribeResponse has no SubscriptionManager.", ViolationSeverity.Error, SoapReader.Path(body)));
            return null;
        }

        if (manager.ReferenceValue(IdentifierName) is null)
        {
            violations.Add(new Violation(DpwsRuleIds.Subscribe, "The SubscriptionManager carries no wse:Identifier reference parameter.", ViolationSeverity.Warning, SoapReader.Path(body)));
        }

        var expires = body.Element(Wse + "Expires") is { } e ? XmlValues.Trim(e.Value) : null;
        CheckExpires(expires, body, violations, required: true);
        return new SubscribeResponse(manager, expires) { Extensions = [.. body.Elements().Where(x => x.Name.Namespace != Wse)] };
    }

    /// <summary>The Renew body.</summary>
    public static XElement WriteRenew(string? expires) =>
        new(Wse + "Renew", new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing), expires is null ? null : new XElement(Wse + "Expires", expires));

    /// <summary>The RenewResponse body.</summary>
    public static XElement WriteRenewResponse(string? expires) =>
        new(Wse + "RenewResponse", new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing), expires is null ? null : new XElement(Wse + "Expires", expires));

    /// <summary>The GetStatus body.</summary>
    public static XElement WriteGetStatus() => new(Wse + "GetStatus", new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing));

    /// <summary>The GetStatusResponse body.</summary>
    public static XElement WriteGetStatusResponse(string? expires) =>
        new(Wse + "GetStatusResponse", new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing), expires is null ? null : new XElement(Wse + "Expires", expires));

    /// <summary>The Unsubscribe body.</summary>
    public static XElement WriteUnsubscribe() => new(Wse + "Unsubscribe", new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing));

    /// <summary>
    /// The Expires text of a Renew, RenewResponse, GetStatusResponse (the child <c>wse:Expires</c> of
    /// <paramref name="body"/>, whose name must be <paramref name="expected"/>); null when absent.
    /// </summary>
    public static string? ReadExpires(XElement? body, string expected, List<Violation> violations, string rule)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (body is null || body.Name != Wse + expected)
        {
            violations.Add(new Violation(rule, $"The body is not a wse:{expected}.", ViolationSeverity.Error, "/Envelope/Body"));
            return null;
        }

        var expires = body.Element(Wse + "Expires") is { } e ? XmlValues.Trim(e.Value) : null;
        if (expected != "Renew")
        {
            CheckExpires(expires, body, violations, required: expected == "RenewResponse");
        }

        return expires;
    }

    /// <summary>The SubscriptionEnd body.</summary>
    public static XElement WriteSubscriptionEnd(SubscriptionEndMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new XElement(
            Wse + "SubscriptionEnd",
            new XAttribute(XNamespace.Xmlns + "wse", DpwsNamespaces.Eventing),
            SoapWriter.EndpointReferenceElement(Wse + "SubscriptionManager", message.SubscriptionManager),
            new XElement(Wse + "Status", message.Status),
            message.Reason is null ? null : new XElement(Wse + "Reason", new XAttribute(XNamespace.Xml + "lang", "en"), message.Reason));
    }

    /// <summary>Reads a SubscriptionEnd body; null when it is not one.</summary>
    public static SubscriptionEndMessage? ReadSubscriptionEnd(XElement? body, List<Violation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (body is null || body.Name != Wse + "SubscriptionEnd")
        {
            violations.Add(new Violation(DpwsRuleIds.SubscriptionEnd, "The body is not a wse:SubscriptionEnd.", ViolationSeverity.Error, "/Envelope/Body"));
            return null;
        }

        var manager = body.Element(Wse + "SubscriptionManager") is { } m ? SoapReader.ReadEndpointReference(m, violations) : null;
        var status = body.Element(Wse + "Status") is { } s ? XmlValues.Trim(s.Value) : null;
        if (status is not (SubscriptionEndStatus.DeliveryFailure or SubscriptionEndStatus.SourceShuttingDown or SubscriptionEndStatus.SourceCancelling))
        {
            violations.Add(new Violation(DpwsRuleIds.SubscriptionEnd, $"The SubscriptionEnd Status '{status}' is not one of the WS-Eventing 2004/08 values.", ViolationSeverity.Error, SoapReader.Path(body)));
        }

        return new SubscriptionEndMessage(manager ?? new WsaEndpointReference(string.Empty), status ?? string.Empty, body.Element(Wse + "Reason") is { } r ? XmlValues.Trim(r.Value) : null);
    }

    private static void CheckExpires(string? expires, XElement body, List<Violation> violations, bool required)
    {
        if (expires is null)
        {
            if (required)
            {
                violations.Add(new Violation(DpwsRuleIds.Expires, $"{body.Name.LocalName} has no Expires.", ViolationSeverity.Warning, SoapReader.Path(body)));
            }

            return;
        }

        if (!EventingExpires.TryParse(expires, out var parsed))
        {
            violations.Add(new Violation(DpwsRuleIds.Expires, $"Expires '{expires}' is neither an xs:duration nor an xs:dateTime.", ViolationSeverity.Error, SoapReader.Path(body)));
        }
        else if (!parsed!.IsDuration)
        {
            violations.Add(new Violation(DpwsRuleIds.Expires, $"Expires '{expires}' is an xs:dateTime; DPWS event sources grant durations.", ViolationSeverity.Warning, SoapReader.Path(body)));
        }
    }
}
