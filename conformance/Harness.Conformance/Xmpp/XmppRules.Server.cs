using Harness.Conformance.Model;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;

namespace Harness.Conformance.Xmpp;

public static partial class XmppRules
{
    private static IEnumerable<Rule> ServerRules()
    {
        yield return Passive(
            "XMPP-DISCO-015",
            "The server answers disco#info for a local account's bare JID",
            new SpecCitation(Xep0030, "3.1", Url0030, "The server answers on behalf of an account's bare JID for a requester with a presence subscription; it SHOULD include the identity account/registered."),
            RuleLevel.Must,
            Server,
            "The judge asks disco#info at its own bare JID (always subscribed to itself). A result passes; without identity account/registered it warns (Prosody includes it).",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in AccountExchanges(view, jid).Where(e => e.IsInfoGet && e.Node is null && !XmppProbes.IsAbsentUser(e.To)))
                {
                    if (exchange.IsResult && view.ReadInfo(exchange) is { } info)
                    {
                        if (info.Identities.Any(i => i.Category == "account" && i.Type == "registered"))
                        {
                            tally.Pass(exchange.Records);
                        }
                        else
                        {
                            tally.Warn($"The server answers for {exchange.To} without the identity account/registered.", exchange.Records, string.Join("; ", info.Identities.Select(i => i.Category + "/" + i.Type)), "account/registered");
                        }
                    }
                    else
                    {
                        tally.Fail($"disco#info at the account {exchange.To} is answered {exchange.DescribeAnswer()}.", exchange.Records, exchange.DescribeAnswer(), "a result with the account's identity");
                    }
                }

                return tally.Result("The server answers for its accounts", "No disco#info request to an account of this server.");
            });

        yield return Passive(
            "XMPP-DISCO-016",
            "disco#info to an account that does not exist is answered service-unavailable",
            new SpecCitation(Xep0030, "8", Url0030, "The server MUST return service-unavailable when the target account does not exist or the requester may not see its presence (item-not-found would reveal whether it exists)."),
            RuleLevel.Must,
            Server,
            $"The judge asks disco#info at {XmppProbes.AbsentUserPrefix}…@domain.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in AccountExchanges(view, jid).Where(e => e.IsInfoGet && XmppProbes.IsAbsentUser(e.To)))
                {
                    if (exchange.ErrorCondition == "service-unavailable")
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"disco#info at a non-existent account is answered {exchange.DescribeAnswer()}" + (exchange.ErrorCondition == "item-not-found" ? ", which reveals that the account does not exist." : "."), exchange.Records, exchange.DescribeAnswer(), "error service-unavailable");
                    }
                }

                return tally.Result("Non-existent accounts are answered service-unavailable", "No disco#info request to a non-existent account.");
            });

        yield return Passive(
            "XMPP-DISCO-017",
            "disco#items to an account that does not exist is answered with an empty result",
            new SpecCitation(Xep0030, "8", Url0030, "For disco#items the server MUST return an empty result when the account does not exist or the requester is not authorized."),
            RuleLevel.Must,
            Server,
            $"The judge asks disco#items at {XmppProbes.AbsentUserPrefix}…@domain.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in AccountExchanges(view, jid).Where(e => e.IsItemsGet && XmppProbes.IsAbsentUser(e.To)))
                {
                    if (exchange.IsResult && exchange.ResultPayload?.HasElements != true)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"disco#items at a non-existent account is answered {(exchange.IsResult ? "with items" : exchange.DescribeAnswer())}.", exchange.Records, exchange.DescribeAnswer(), "an empty result");
                    }
                }

                return tally.Result("Non-existent accounts have no items", "No disco#items request to a non-existent account.");
            });

        yield return Passive(
            "XMPP-CAPS-023",
            "Caps in the server's stream features: the stream header has 'from' and node#ver returns data hashing to ver",
            new SpecCitation(Xep0115, "6.3", Url0115, "A server MAY put caps in its stream features; the stream header then carries 'from', and a disco#info to the server at node#ver returns the information that generated ver."),
            RuleLevel.Must,
            Server,
            "Judged on the stream features the server sent on client streams (Prosody advertises node http://prosody.im) and on the judge's disco#info at that node#ver.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var key = XmppJids.Key(jid);
                var announced = new List<Caps115Announcement>();
                foreach (var features in view.StreamFeatures)
                {
                    if (CapsElement.Read115(features.Element!) is not { } caps)
                    {
                        continue;
                    }

                    var header = features.Flow.Items.LastOrDefault(i => i.Kind == XmppWireKind.Header && i.Order < features.Order);
                    var from = header?.Element?.Attribute("from")?.Value;
                    if (header is not null && from is null)
                    {
                        tally.Fail("The server's stream header has no 'from' although its features carry caps.", [header.Record, features.Record], "no from", "from='" + jid + "'");
                        continue;
                    }

                    if (from is not null && XmppJids.Key(from) != key)
                    {
                        continue; // another server's stream
                    }

                    announced.Add(caps);
                    if (header is not null)
                    {
                        tally.Pass([header.Record, features.Record]);
                    }
                }

                foreach (var caps in announced.Where(c => c.Hash is not null && !string.IsNullOrEmpty(c.Node) && !string.IsNullOrEmpty(c.Ver)).DistinctBy(c => c.DiscoNode))
                {
                    foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.Node == caps.DiscoNode && e.Response is not null))
                    {
                        if (view.ReadInfo(exchange) is not { } info)
                        {
                            tally.Fail($"The server's caps node answers {exchange.DescribeAnswer()}.", exchange.Records, exchange.DescribeAnswer(), "a disco#info result");
                            continue;
                        }

                        var diagnosis = Caps115.IsSupported(caps.Hash) ? Caps115.Diagnose(info, caps.Hash, caps.Ver!) : null;
                        if (diagnosis is null)
                        {
                            continue;
                        }

                        if (diagnosis.MatchesSpec || IsAccepted(diagnosis))
                        {
                            tally.Pass(exchange.Records);
                        }
                        else
                        {
                            tally.Fail("The server's caps ver does not verify against its node#ver answer: " + diagnosis.Summary, exchange.Records, caps.Ver, Caps115.ComputeVer(info, caps.Hash!));
                        }
                    }
                }

                return tally.Result("The server's caps are consistent", "The server's stream features carry no caps (or no client stream was recorded).");
            });

        yield return Passive(
            "XMPP-CORE-003",
            "Client stream negotiation: a stream restart after SASL success, bind offered, and bind returns a full JID",
            new SpecCitation(Rfc6120, "6.4.6", Url6120, "After SASL success the client restarts the stream and the server sends a new header and features (§6.4.6); resource binding returns a full JID (§7.6.1). TLS only when required or asked (§5)."),
            RuleLevel.Must,
            Server,
            "Judged on the recorded client streams of the server (the judge's own, plain; after STARTTLS only the bind result is visible).",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var key = XmppJids.Key(jid);
                foreach (var flow in view.Flows.Where(f => XmppJids.Key(f.HeaderFrom) == key))
                {
                    var items = flow.Items;
                    var success = items.FindIndex(i => i.Element?.Name == XmppNamespaces.Sasl + "success");
                    if (success >= 0)
                    {
                        var restart = items.FindIndex(success + 1, i => i.Kind == XmppWireKind.Header);
                        if (restart < 0)
                        {
                            tally.Fail("No new stream header after SASL success.", [items[success].Record], "no restart", "a new stream header and features");
                        }
                        else if (items.Skip(restart + 1).FirstOrDefault(i => i.Element?.Name == XmppNamespaces.Streams + "features") is not { } features
                            || features.Element!.Element(XmppNamespaces.Bind + "bind") is null)
                        {
                            tally.Fail("The features after the restart do not offer resource binding.", [items[restart].Record], "no bind", "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>");
                        }
                        else
                        {
                            tally.Pass([items[success].Record, items[restart].Record]);
                        }
                    }

                    foreach (var bound in items.Where(i => i.Name == "iq" && i.Type == "result" && i.Element!.Element(XmppNamespaces.Bind + "bind") is not null))
                    {
                        var value = (string?)bound.Element!.Element(XmppNamespaces.Bind + "bind")!.Element(XmppNamespaces.Bind + "jid");
                        if (Jid.TryParse(value, out var full) && !full.IsBare)
                        {
                            tally.Pass([bound.Record]);
                        }
                        else
                        {
                            tally.Fail($"The bind result carries '{value}', not a full JID.", [bound.Record], value, "local@domain/resource");
                        }
                    }
                }

                return tally.Result("The stream negotiation is as RFC 6120 says", "No recorded client stream negotiation with this server.");
            });

        yield return Passive(
            "XMPP-COMP-002",
            "Stanzas from a component carry 'from' in its domain and 'to'",
            new SpecCitation(Xep0114, "3", Url0114, "A component addresses every stanza itself: 'from' (in its domain) and 'to' are required; the server stamps nothing."),
            RuleLevel.Must,
            Entity,
            "Judged on the answers of an entity addressed by a bare domain that is not the server (a component or service): 'from' in its domain, and on the component's own stream (a capture of it) 'to'.",
            (context, view, jid) =>
            {
                if (!XmppJids.IsDomain(jid) || context.Device.HasRole(XmppRoles.Server))
                {
                    return [context.NotApplicable("Not a component (the entity's address is not a bare domain other than the server's).")];
                }

                var tally = new Tally(context);
                var domain = XmppJids.Domain(jid);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.Response is not null))
                {
                    var response = exchange.Response!;
                    if (XmppJids.Domain(response.From) != domain)
                    {
                        tally.Fail($"An answer comes from '{response.From}', outside the component's domain.", exchange.Records, response.From, domain);
                    }
                    else if (string.IsNullOrEmpty(response.To) && response.Element!.Name.Namespace == XmppNamespaces.ComponentAccept)
                    {
                        // Only on the component's own stream: a server may leave 'to' out when it delivers to a client (RFC 6120 §8.1.1.1).
                        tally.Fail("An answer of the component has no 'to'.", exchange.Records, "no to", "the requester's JID");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("The component addresses its stanzas", "No answer from this component.");
            });
    }

    /// <summary>The exchanges with bare account JIDs of the server's domain (answered by the server on their behalf).</summary>
    private static IEnumerable<XmppExchange> AccountExchanges(XmppView view, string jid)
    {
        var domain = XmppJids.Domain(jid);
        return view.Exchanges.Where(e => XmppJids.IsAccount(e.To) && XmppJids.Domain(e.To) == domain);
    }
}
