using Harness.Conformance.Model;
using Harness.Dpws.Eventing;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Dpws;

public static partial class DpwsRules
{
    private static IEnumerable<Rule> SoapRules()
    {
        yield return Passive(
            "WSD-DPWS-006",
            "SOAP responses are sent as application/soap+xml",
            new(Dpws2006 + "; " + Soap12Part2, "R0001; SOAP 1.2 Part 2 §7 (SOAP HTTP binding)", UrlDpws2006, "A device must use the SOAP 1.2 HTTP binding, whose media type is application/soap+xml; an MTOM response is multipart/related with an application/xop+xml root."),
            RuleLevel.Must,
            AnyDevice,
            "Every response with a body must carry Content-Type application/soap+xml, or multipart/related (MTOM/XOP) whose root part is a SOAP envelope. text/xml is SOAP 1.1's type.",
            CheckMediaType);

        yield return Passive(
            "WSD-SOAP-001",
            "A response relates to its request (wsa:RelatesTo)",
            new(Addressing2004, "Message Information Headers (formulating a reply)", UrlAddressing2004, "A reply's [relationship] property must carry the [message id] of the message it replies to (wsa:RelatesTo); faults are replies too."),
            RuleLevel.Must,
            AnyDevice,
            "Every SOAP response (faults included) to a request that carried a wsa:MessageID must carry wsa:RelatesTo with that MessageID.",
            CheckRelatesTo);

        yield return Passive(
            "WSD-SOAP-002",
            "A response carries the response Action of its operation",
            new(Addressing2004 + "; " + Transfer2004 + "; " + Eventing2004 + "; " + WsScan + "; " + WsPrint, "Message Information Headers (reply Action); operation Actions", UrlAddressing2004, "The reply's wsa:Action is the output Action of the operation (e.g. …/transfer/GetResponse, …/scan/CreateScanJobResponse); a fault's is an addressing fault Action."),
            RuleLevel.Must,
            AnyDevice,
            "Get → …/GetResponse, WS-Eventing and WS-Scan/WS-Print operations → the request Action + 'Response', a directed Probe → ProbeMatches; a fault must carry a …/fault Action.",
            CheckResponseAction);

        yield return Passive(
            "WSD-SOAP-003",
            "A SOAP fault travels with HTTP status 400 or 500",
            new(Soap12Part2, "§7 SOAP HTTP binding (SOAP fault to HTTP status code mapping)", UrlSoap12Part2, "A SOAP fault in a response is sent with 400 Bad Request (env:Sender) or 500 Internal Server Error (other faults), never with a 2xx status (quirk Q-F200)."),
            RuleLevel.Must,
            AnyDevice,
            "Every response whose envelope is a fault must have a 4xx or 5xx status; 2xx is a failure. WSDAPI's 500 for Sender faults is tolerated.",
            CheckFaultStatus);

        yield return ActiveRule(
            "WSD-SOAP-004",
            "A malformed request is answered by a Sender fault with HTTP 400",
            new(Soap12Part2 + "; SOAP Version 1.2 Part 1", "Part 2 §7 (fault to HTTP status mapping); Part 1 §5.4.6 (env:Sender)", UrlSoap12Part2, "A message that is not a well-formed envelope is the sender's fault: the SOAP 1.2 binding maps env:Sender to 400 Bad Request."),
            RuleLevel.Must,
            AnyDevice,
            "POSTs a truncated envelope (not well-formed XML) to the XAddr: the answer must be a SOAP 1.2 fault with Code env:Sender and HTTP status 400.",
            CheckMalformed);

        yield return ActiveRule(
            "WSD-SOAP-005",
            "An unknown Action is answered by wsa:ActionNotSupported",
            new(Addressing2004, "Faults: Action Not Supported", UrlAddressing2004, "An endpoint that does not support the [action] must answer a fault with Code Sender and Subcode wsa:ActionNotSupported."),
            RuleLevel.Must,
            AnyDevice,
            "POSTs a well-formed request with an Action the device cannot know to the XAddr: the answer must be a Sender fault with subcode wsa:ActionNotSupported.",
            CheckUnknownAction);

        yield return ActiveRule(
            "WSD-PRB-017",
            "A directed Probe over HTTP is answered with ProbeMatches",
            new(Dpws2006 + "; WSDBIT 1.4.1", "Discovery (directed Probe)", UrlDpws2006, "A device answers a Probe sent over HTTP to its XAddr with ProbeMatches in the HTTP response, naming its own endpoint reference."),
            RuleLevel.Must,
            AnyDevice,
            "POSTs a wildcard 2005/04 Probe to the XAddr: the HTTP response must carry ProbeMatches with a ProbeMatch for the device's endpoint reference.",
            CheckDirectedProbe);
    }

    private static IEnumerable<Finding> CheckMediaType(RuleContext context)
    {
        var judged = Exchanges(context).Where(e => e.Response is { Body.IsEmpty: false }).ToList();
        var wrong = judged.Where(e => !(DpwsFacts.IsSoapMediaType(e.Response!.ContentType) || (DpwsFacts.IsMultipart(e.Response.ContentType) && e.Package is not null))).ToList();
        if (wrong.Count > 0)
        {
            var first = wrong[0];
            yield return context.Violation(
                $"{Count(wrong.Count, "responses")} of {judged.Count} have Content-Type '{first.Response!.ContentType ?? "(none)"}' (first: {first.Describe()}).",
                RecordsOf(wrong),
                first.Response.ContentType ?? "(none)",
                "application/soap+xml",
                "Content-Type");
            yield break;
        }

        foreach (var finding in PassIfAny(context, judged, "responses"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckRelatesTo(RuleContext context)
    {
        var judged = Exchanges(context).Where(e => e.RequestEnvelope?.Header.MessageId is not null && e.ResponseEnvelope is not null).ToList();
        var wrong = judged.Where(e => !string.Equals(e.ResponseEnvelope!.Header.RelatesTo?.Trim(), e.RequestEnvelope!.Header.MessageId!.Trim(), StringComparison.Ordinal)).ToList();
        if (wrong.Count > 0)
        {
            var first = wrong[0];
            yield return context.Violation(
                $"{Count(wrong.Count, "responses")} of {judged.Count} do not relate to their request (first: {first.Describe()}, RelatesTo '{first.ResponseEnvelope!.Header.RelatesTo ?? "(none)"}').",
                RecordsOf(wrong),
                first.ResponseEnvelope.Header.RelatesTo ?? "(none)",
                first.RequestEnvelope!.Header.MessageId,
                "/Envelope/Header/RelatesTo");
            yield break;
        }

        foreach (var finding in PassIfAny(context, judged, "responses"))
        {
            yield return finding;
        }
    }

    /// <summary>The Action a non-fault reply to <paramref name="action"/> must carry, or null when unknown.</summary>
    private static string? ExpectedResponseAction(string action)
    {
        if (action == DpwsActions.TransferGet)
        {
            return DpwsActions.TransferGetResponse;
        }

        if (action == WsdProtocol.V2005.ProbeAction)
        {
            return WsdProtocol.V2005.ProbeMatchesAction;
        }

        if (action == WsdProtocol.V11.ProbeAction)
        {
            return WsdProtocol.V11.ProbeMatchesAction;
        }

        var known = action.StartsWith(DpwsNamespaces.Eventing + "/", StringComparison.Ordinal)
            || action.StartsWith(DpwsNamespaces.Scan + "/", StringComparison.Ordinal)
            || action.StartsWith(DpwsNamespaces.Print + "/", StringComparison.Ordinal);
        return known ? action + "Response" : null;
    }

    private static IEnumerable<Finding> CheckResponseAction(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        var wrong = new List<(DpwsExchange Exchange, string Expected)>();
        foreach (var exchange in Exchanges(context))
        {
            if (exchange.ResponseEnvelope is not { } response || exchange.Action is not { } action)
            {
                continue;
            }

            if (exchange.IsFault)
            {
                judged.Add(exchange);
                if (response.Header.Action is not { } faultAction || !faultAction.Trim().EndsWith("/fault", StringComparison.Ordinal))
                {
                    wrong.Add((exchange, "an addressing fault Action (…/fault)"));
                }

                continue;
            }

            if (ExpectedResponseAction(action) is { } expected)
            {
                judged.Add(exchange);
                if (!string.Equals(response.Header.Action?.Trim(), expected, StringComparison.Ordinal))
                {
                    wrong.Add((exchange, expected));
                }
            }
        }

        if (wrong.Count > 0)
        {
            var (first, expected) = wrong[0];
            yield return context.Violation(
                $"{Count(wrong.Count, "responses")} of {judged.Count} carry the wrong Action (first: {first.Operation} answered '{first.ResponseAction ?? "(none)"}').",
                RecordsOf(wrong.Select(w => w.Exchange)),
                first.ResponseAction ?? "(none)",
                expected,
                "/Envelope/Header/Action");
            yield break;
        }

        foreach (var finding in PassIfAny(context, judged, "responses"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckFaultStatus(RuleContext context)
    {
        var faults = Exchanges(context).Where(e => e.IsFault && e.Response is not null).ToList();
        var wrong = faults.Where(e => e.Response!.Status < 400).ToList();
        if (wrong.Count > 0)
        {
            var first = wrong[0];
            yield return context.Violation(
                $"{Count(wrong.Count, "faults")} of {faults.Count} came with HTTP {first.Response!.Status} (first: {first.Describe()}).",
                RecordsOf(wrong),
                first.Response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "400 or 500",
                "status");
            yield break;
        }

        foreach (var finding in PassIfAny(context, faults, "faults"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckMalformed(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        var exchange = Of(view, result, DpwsScenario.Malformed);
        if (exchange is null)
        {
            yield return context.NotApplicable("The malformed request was not sent.");
            yield break;
        }

        if (exchange.Response is null)
        {
            yield return context.Violation($"No answer to a malformed request ({result.Step(DpwsScenario.Malformed)?.Error}).", exchange.Records, "no response", "a Sender fault with 400");
        }
        else if (exchange.Fault is not { } fault || exchange.ResponseRead?.IsSoap12 != true)
        {
            yield return context.Violation($"A malformed request was answered HTTP {exchange.Response.Status} without a SOAP 1.2 fault.", exchange.Records, exchange.Describe(), "a Sender fault with 400");
        }
        else if (fault.Code != SoapFault.Sender)
        {
            yield return context.Violation($"A malformed request was answered by a {fault.Code.LocalName} fault; it is the sender's fault.", exchange.Records, fault.Code.LocalName, "Sender");
        }
        else if (exchange.Response.Status != 400)
        {
            yield return context.Violation($"The Sender fault for a malformed request came with HTTP {exchange.Response.Status}.", exchange.Records, exchange.Response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), "400");
        }
        else
        {
            yield return context.Pass("A malformed request was answered by a Sender fault with HTTP 400.", exchange.Records);
        }
    }

    private static IEnumerable<Finding> CheckUnknownAction(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        var exchange = Of(view, result, DpwsScenario.UnknownAction);
        if (exchange is null)
        {
            yield return context.NotApplicable("The unknown-action request was not sent.");
            yield break;
        }

        if (exchange.Fault is not { } fault)
        {
            yield return context.Violation($"An unknown Action was answered {exchange.Describe()} instead of a fault.", exchange.Records, exchange.Describe(), "wsa:ActionNotSupported");
        }
        else if (fault.Subcode?.LocalName != "ActionNotSupported" || fault.Subcode.NamespaceName is not (DpwsNamespaces.Addressing or DpwsNamespaces.Addressing10) || fault.Code != SoapFault.Sender)
        {
            yield return context.Violation($"An unknown Action was answered by the fault {fault}.", exchange.Records, fault.ToString(), "Sender / wsa:ActionNotSupported");
        }
        else
        {
            yield return context.Pass("An unknown Action was answered by wsa:ActionNotSupported.", exchange.Records);
        }
    }

    private static IEnumerable<Finding> CheckDirectedProbe(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        var exchange = Of(view, result, DpwsScenario.Probe);
        if (exchange is null)
        {
            yield return context.NotApplicable("The directed Probe was not sent.");
            yield break;
        }

        if (exchange.Response is not { } response || response.Body.IsEmpty)
        {
            yield return context.Violation($"The directed Probe got no answer ({result.Step(DpwsScenario.Probe)?.Error ?? "empty body"}).", exchange.Records, exchange.Describe(), "ProbeMatches");
            yield break;
        }

        var read = WsdMessageReader.Read(response.Body.Span);
        var epr = context.Device.EndpointReference ?? context.Device.Id;
        if (read.Message is not WsdProbeMatches matches)
        {
            yield return context.Violation($"The directed Probe was answered {exchange.Describe()}, not ProbeMatches.", exchange.Records, exchange.Describe(), "ProbeMatches");
        }
        else if (!matches.Matches.Any(m => string.Equals(m.Endpoint.Address, epr, StringComparison.OrdinalIgnoreCase)))
        {
            yield return context.Violation($"The ProbeMatches name {string.Join(", ", matches.Matches.Select(m => m.Endpoint.Address))}, not the device's {epr}.", exchange.Records, string.Join(" ", matches.Matches.Select(m => m.Endpoint.Address)), epr);
        }
        else
        {
            yield return context.Pass("The directed Probe was answered with a ProbeMatch for the device.", exchange.Records);
        }
    }

    /// <summary>True when a fault is a WS-Eventing fault named <paramref name="localName"/>.</summary>
    private static bool IsEventingFault(SoapFault fault, string localName) =>
        fault.Subcode is { } subcode && subcode.LocalName == localName && subcode.NamespaceName == EventingFaults.InvalidExpirationTimeName.NamespaceName;
}
