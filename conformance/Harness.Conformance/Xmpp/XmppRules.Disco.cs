using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Conformance.Xmpp;

public static partial class XmppRules
{
    private static readonly string[] RefusalConditions = ["service-unavailable", "forbidden", "not-allowed"];

    private static IEnumerable<Rule> DiscoRules()
    {
        yield return Passive(
            "XMPP-DISCO-001",
            "A disco#info request gets exactly one answer with its id: a result or an error",
            new SpecCitation(Xep0030, "3.1", Url0030, "An entity that receives an IQ get or set MUST reply with a result or an error (RFC 6120 §8.2.3)."),
            RuleLevel.Must,
            Entity,
            "Every disco#info get sent to the entity in the session (root, nodes, caps nodes, probes) must be answered exactly once, from the address asked, with the request's id.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet))
                {
                    if (exchange.Responses.Count == 0)
                    {
                        tally.Fail($"No answer to {exchange.Describe()}.", exchange.Records, "no answer", "one result or error iq with id " + exchange.Request.Id);
                    }
                    else if (exchange.Responses.Count > 1)
                    {
                        tally.Fail($"{exchange.Responses.Count} answers to {exchange.Describe()}.", exchange.Records, exchange.Responses.Count + " answers", "exactly one");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("Every disco#info request got exactly one answer", "No disco#info request to this entity in the session.");
            });

        yield return Passive(
            "XMPP-DISCO-002",
            "A disco#info result carries a disco#info query with at least one identity",
            new SpecCitation(Xep0030, "3.1", Url0030, "The target entity MUST return its identity (at least one <identity/>) in a result."),
            RuleLevel.Must,
            Entity,
            "Every disco#info result of the entity (its root and its nodes) is judged.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.IsResult))
                {
                    if (exchange.ResultPayload is not { } query || query.Name != DiscoCodec.InfoQueryName)
                    {
                        tally.Fail($"The result to {exchange.Describe()} carries no disco#info query.", exchange.Records, exchange.ResultPayload?.Name.ToString() ?? "(empty result)", "<query xmlns='" + DiscoCodec.InfoNamespaceName + "'>");
                    }
                    else if (!query.Elements(DiscoCodec.InfoNamespace + "identity").Any())
                    {
                        tally.Fail($"The result to {exchange.Describe()} has no identity.", exchange.Records, "0 identities", "at least one identity");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("Every disco#info result has at least one identity", "No disco#info result from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-003",
            "The entity's disco#info lists the http://jabber.org/protocol/disco#info feature",
            new SpecCitation(Xep0030, "3.1", Url0030, "Every entity that supports service discovery MUST advertise the disco#info feature in its disco#info answer."),
            RuleLevel.Must,
            Entity,
            "Judged on every node-less disco#info result. (As a requester the harness accepts an answer without it, with a warning.)",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var answer in view.InfoAnswers(jid, e => e.Node is null))
                {
                    if (answer.Info.HasFeature(DiscoCodec.InfoNamespaceName))
                    {
                        tally.Pass(answer.Exchange.Records);
                    }
                    else
                    {
                        tally.Fail("The disco#info result does not list the disco#info feature.", answer.Exchange.Records, string.Join(' ', answer.Info.Features.Take(12)), DiscoCodec.InfoNamespaceName);
                    }
                }

                return tally.Result("The disco#info feature is listed", "No node-less disco#info result from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-004",
            "Every identity has a non-empty category and type",
            new SpecCitation(Xep0030, "3.1", Url0030, "The <identity/> element MUST possess 'category' and 'type' attributes."),
            RuleLevel.Must,
            Entity,
            "Every identity of every disco#info result of the entity; name and xml:lang are optional.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var (exchange, query) in InfoQueries(view, jid))
                {
                    var bad = query.Elements(DiscoCodec.InfoNamespace + "identity")
                        .Where(i => string.IsNullOrEmpty((string?)i.Attribute("category")) || string.IsNullOrEmpty((string?)i.Attribute("type")))
                        .ToList();
                    if (bad.Count > 0)
                    {
                        tally.Fail($"{bad.Count} identity element(s) lack a category or a type ({exchange.Describe()}).", exchange.Records, bad[0].ToString(SaveOptions.DisableFormatting), "category='…' type='…'");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("Every identity has category and type", "No disco#info result from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-005",
            "No two identities share category, type and xml:lang",
            new SpecCitation(Xep0030, "3.1", Url0030, "The <query/> element MUST NOT include multiple <identity/> elements with the same category+type+xml:lang but with different 'name' values."),
            RuleLevel.Must,
            Entity,
            "Identities are grouped by category, type and xml:lang (explicit or inherited); a group of two or more is a violation (two identical identities too: they make the answer ill-formed for caps, XMPP-CAPS-010).",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var (exchange, _) in InfoQueries(view, jid))
                {
                    if (view.ReadInfo(exchange) is not { } info)
                    {
                        continue;
                    }

                    var duplicate = info.Identities.GroupBy(i => (i.Category, i.Type, i.Lang)).FirstOrDefault(g => g.Count() > 1);
                    if (duplicate is not null)
                    {
                        tally.Fail($"{duplicate.Count()} identities share {duplicate.Key.Category}/{duplicate.Key.Type}/{duplicate.Key.Lang} ({exchange.Describe()}).", exchange.Records, string.Join(" | ", duplicate.Select(i => i.Name)), "one identity per category/type/xml:lang");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("No duplicate identity groups", "No disco#info result from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-006",
            "Every feature has a var and no children; a var is listed once",
            new SpecCitation(Xep0030, "3.1", Url0030, "Each <feature/> element MUST possess a 'var' attribute and MUST NOT contain children."),
            RuleLevel.Must,
            Entity,
            "A feature without var or with children fails; a var listed twice warns (the answer is ill-formed for caps, XMPP-CAPS-011).",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var (exchange, query) in InfoQueries(view, jid))
                {
                    var features = query.Elements(DiscoCodec.InfoNamespace + "feature").ToList();
                    var bad = features.FirstOrDefault(f => string.IsNullOrEmpty((string?)f.Attribute("var")) || f.HasElements);
                    var duplicate = features.Select(f => (string?)f.Attribute("var")).Where(v => !string.IsNullOrEmpty(v)).GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                    if (bad is not null)
                    {
                        tally.Fail($"A feature has no var or has children ({exchange.Describe()}).", exchange.Records, bad.ToString(SaveOptions.DisableFormatting), "<feature var='…'/>");
                    }
                    else if (duplicate is not null)
                    {
                        tally.Warn($"The feature '{duplicate.Key}' is listed {duplicate.Count()} times ({exchange.Describe()}).", exchange.Records, duplicate.Key, "each var once");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("Every feature is well formed and listed once", "No disco#info result from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-007",
            "A disco#info answer for a node carries that node",
            new SpecCitation(Xep0030, "3.2", Url0030, "The response to a disco#info request sent to a node MUST include the 'node' attribute of the request."),
            RuleLevel.Must,
            Entity,
            "Judged on every disco#info result for a node, and on errors for nodes the entity itself advertised (in its disco#items, its caps node#ver, its XEP-0390 hash nodes), which exist.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var known = KnownNodes(view, jid);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.Node is not null && !XmppProbes.IsAbsentNode(e.Node)))
                {
                    if (exchange.IsResult)
                    {
                        var echoed = (string?)exchange.ResultPayload?.Attribute("node");
                        if (echoed == exchange.Node)
                        {
                            tally.Pass(exchange.Records);
                        }
                        else
                        {
                            tally.Fail($"The answer to {exchange.Describe()} does not carry the node.", exchange.Records, echoed ?? "(no node attribute)", exchange.Node);
                        }
                    }
                    else if (exchange.IsError && known.Contains(exchange.Node!))
                    {
                        tally.Fail($"The entity advertises the node '{exchange.Node}' but answers {exchange.DescribeAnswer()} to {exchange.Describe()}.", exchange.Records, exchange.ErrorCondition, "a result for an existing node");
                    }
                }

                return tally.Result("Every node answer carries its node", "No disco#info request for an existing node of this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-008",
            "A disco#items answer for a node carries that node",
            new SpecCitation(Xep0030, "4.2", Url0030, "The examples of §4.2 echo the node of the request in the result's query."),
            RuleLevel.Should,
            Entity,
            "Judged on every disco#items result for a node (aioxmpp 0.13 leaves it out: a warning).",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsItemsGet && e.IsResult && e.Node is not null && !XmppProbes.IsAbsentNode(e.Node)))
                {
                    var echoed = (string?)exchange.ResultPayload?.Attribute("node");
                    if (echoed == exchange.Node)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"The answer to {exchange.Describe()} does not carry the node.", exchange.Records, echoed ?? "(no node attribute)", exchange.Node);
                    }
                }

                return tally.Result("Every disco#items answer for a node carries its node", "No disco#items result for a node of this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-009",
            "A node that does not exist is answered item-not-found of type cancel",
            new SpecCitation(Xep0030, "7", Url0030, "If the node does not exist the responder SHOULD return <item-not-found/>; its type is cancel (RFC 6120 §8.3.3.7)."),
            RuleLevel.Should,
            Entity,
            $"The judge asks disco#info and disco#items for a node named {XmppProbes.AbsentNodePrefix}…, which exists nowhere. A refusal (service-unavailable, forbidden, not-allowed) is allowed by XMPP-DISCO-010; a result, another condition or type modify (aioxmpp) warns.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => (e.IsInfoGet || e.IsItemsGet) && XmppProbes.IsAbsentNode(e.Node)))
                {
                    if (exchange.Response is null)
                    {
                        continue; // XMPP-DISCO-001
                    }

                    if (exchange.IsResult)
                    {
                        tally.Fail($"A node that does not exist got a result ({exchange.Describe()}).", exchange.Records, "result", "error item-not-found type cancel");
                    }
                    else if (exchange.ErrorCondition == "item-not-found")
                    {
                        if (exchange.ErrorType == "cancel")
                        {
                            tally.Pass(exchange.Records);
                        }
                        else
                        {
                            tally.Fail($"item-not-found has type '{exchange.ErrorType}' ({exchange.Describe()}).", exchange.Records, exchange.ErrorType, "cancel");
                        }
                    }
                    else if (IsRefusal(exchange.ErrorCondition))
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"A node that does not exist got {exchange.DescribeAnswer()} ({exchange.Describe()}).", exchange.Records, exchange.ErrorCondition, "item-not-found");
                    }
                }

                return tally.Result("Nodes that do not exist are answered item-not-found (cancel)", "No request for a node that does not exist.");
            });

        yield return Passive(
            "XMPP-DISCO-010",
            "Disco to an entity that refuses it is answered service-unavailable (or forbidden, not-allowed), never a result without identity",
            new SpecCitation(Xep0030, "7", Url0030, "An entity that does not support disco, or refuses, returns <service-unavailable/> (or <forbidden/>, <not-allowed/>)."),
            RuleLevel.Should,
            Entity,
            "Judged on node-less disco#info answers: an error has one of the refusal conditions; a result has an identity.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.Node is null && e.Response is not null))
                {
                    if (exchange.IsError)
                    {
                        if (IsRefusal(exchange.ErrorCondition))
                        {
                            tally.Pass(exchange.Records);
                        }
                        else
                        {
                            tally.Fail($"The entity refuses disco#info with {exchange.DescribeAnswer()}.", exchange.Records, exchange.ErrorCondition, string.Join(" / ", RefusalConditions));
                        }
                    }
                    else if (exchange.ResultPayload?.Elements(DiscoCodec.InfoNamespace + "identity").Any() == true)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail("A disco#info result without identity.", exchange.Records, "0 identities", "an identity, or service-unavailable");
                    }
                }

                return tally.Result("Disco is answered or refused properly", "No node-less disco#info answer from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-011",
            "Every disco#items item has a valid jid, a non-empty node when it has one, and no character data",
            new SpecCitation(Xep0030, "4.1", Url0030, "The <item/> element MUST possess a 'jid' attribute; the 'node' attribute is optional (§4.2)."),
            RuleLevel.Must,
            Entity,
            "Every item of every disco#items result of the entity.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsItemsGet && e.IsResult && e.ResultPayload?.Name == DiscoCodec.ItemsQueryName))
                {
                    var problems = new List<string>();
                    foreach (var item in exchange.ResultPayload!.Elements(DiscoCodec.ItemsNamespace + "item"))
                    {
                        var itemJid = (string?)item.Attribute("jid");
                        if (!Jid.TryParse(itemJid, out _, out var error))
                        {
                            problems.Add($"jid '{itemJid}': {error}");
                        }

                        if (item.Attribute("node") is { Value.Length: 0 })
                        {
                            problems.Add($"item {itemJid} has an empty node");
                        }

                        if (item.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value)))
                        {
                            problems.Add($"item {itemJid} holds character data");
                        }
                    }

                    if (problems.Count > 0)
                    {
                        tally.Fail($"{problems.Count} malformed item(s) in the answer to {exchange.Describe()}: {string.Join("; ", problems.Take(4))}.", exchange.Records, problems[0], "jid='valid JID' [node='non-empty']");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("Every item is well formed", "No disco#items result from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-012",
            "disco#items to the entity is answered with a result (an empty query when it has no items)",
            new SpecCitation(Xep0030, "4.1", Url0030, "If the entity has no items, it MUST return an empty <query/> (not an error)."),
            RuleLevel.Must,
            Entity,
            "Judged on node-less disco#items answers; service-unavailable from an entity whose disco#info does not list disco#items is not judged.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var doesItems = view.InfoAnswers(jid, e => e.Node is null).Any(a => a.Info.HasFeature(DiscoCodec.ItemsNamespaceName));
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsItemsGet && e.Node is null && e.Response is not null))
                {
                    if (exchange.IsResult)
                    {
                        if (exchange.ResultPayload?.Name == DiscoCodec.ItemsQueryName)
                        {
                            tally.Pass(exchange.Records);
                        }
                        else
                        {
                            tally.Fail("The disco#items result carries no disco#items query.", exchange.Records, exchange.ResultPayload?.Name.ToString() ?? "(empty result)", "<query xmlns='" + DiscoCodec.ItemsNamespaceName + "'/>");
                        }
                    }
                    else if (!(exchange.ErrorCondition == "service-unavailable" && !doesItems))
                    {
                        tally.Fail($"disco#items is answered {exchange.DescribeAnswer()} instead of a (possibly empty) result.", exchange.Records, exchange.ErrorCondition, "result with an empty query");
                    }
                }

                return tally.Result("disco#items is answered with a result", "No node-less disco#items answer from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-013",
            "Every node the entity lists as its own item answers disco#info at its jid and node",
            new SpecCitation(Xep0030, "4.2", Url0030, "An item that is not addressable as a JID uses the entity's JID plus a node; disco#info to that JID and node answers."),
            RuleLevel.Should,
            Entity,
            "For the items of the entity's disco#items that carry its own jid and a node, the judge asks disco#info at that node (at most 20 nodes); the answer must be a result.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var exchanges = view.ExchangesTo(jid);
                foreach (var node in OwnItemNodes(view, jid))
                {
                    var asked = exchanges.Where(e => e.IsInfoGet && e.Node == node && e.Response is not null).ToList();
                    foreach (var exchange in asked)
                    {
                        if (exchange.IsResult)
                        {
                            tally.Pass(exchange.Records);
                        }
                        else
                        {
                            tally.Fail($"The listed node '{node}' answers {exchange.DescribeAnswer()} to disco#info.", exchange.Records, exchange.ErrorCondition, "a disco#info result");
                        }
                    }
                }

                return tally.Result("Every listed node answers disco#info", "The entity lists no node of its own, or none was asked.");
            });

        yield return Passive(
            "XMPP-DISCO-014",
            "A hierarchy identity is hierarchy/branch or hierarchy/leaf",
            new SpecCitation(Xep0030, "4.3", Url0030, "Nodes in a hierarchy MUST have an identity of category 'hierarchy' with type 'branch' or 'leaf'."),
            RuleLevel.Must,
            Entity,
            "Every identity of category hierarchy in every disco#info result of the entity.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var (exchange, _) in InfoQueries(view, jid))
                {
                    var hierarchy = view.ReadInfo(exchange)?.Identities.Where(i => i.Category == "hierarchy").ToList() ?? [];
                    if (hierarchy.Count == 0)
                    {
                        continue;
                    }

                    var bad = hierarchy.FirstOrDefault(i => i.Type is not ("branch" or "leaf"));
                    if (bad is null)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"A hierarchy identity has type '{bad.Type}' ({exchange.Describe()}).", exchange.Records, "hierarchy/" + bad.Type, "hierarchy/branch or hierarchy/leaf");
                    }
                }

                return tally.Result("Hierarchy identities are branch or leaf", "The entity has no hierarchy identity.");
            });

        yield return Passive(
            "XMPP-DISCO-018",
            "Extended info is a jabber:x:data form of type result with a hidden FORM_TYPE field",
            new SpecCitation(Xep0128, "2", Url0128, "The extension is a data form of type 'result' whose FORM_TYPE field is of type 'hidden'."),
            RuleLevel.Should,
            Entity,
            "Every jabber:x:data form in every disco#info result of the entity.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var (exchange, query) in InfoQueries(view, jid))
                {
                    foreach (var form in query.Elements(DiscoCodec.DataNamespace + "x"))
                    {
                        var type = (string?)form.Attribute("type");
                        var formType = form.Elements(DiscoCodec.DataNamespace + "field").FirstOrDefault(f => (string?)f.Attribute("var") == DataForm.FormTypeVar);
                        if (type != "result")
                        {
                            tally.Fail($"An extension form has type '{type}' ({exchange.Describe()}).", exchange.Records, type ?? "(none)", "result");
                        }
                        else if (formType is null)
                        {
                            tally.Fail($"An extension form has no FORM_TYPE field ({exchange.Describe()}).", exchange.Records, "no FORM_TYPE", "<field var='FORM_TYPE' type='hidden'>");
                        }
                        else if ((string?)formType.Attribute("type") != "hidden")
                        {
                            tally.Fail($"The FORM_TYPE field has type '{(string?)formType.Attribute("type")}' ({exchange.Describe()}).", exchange.Records, (string?)formType.Attribute("type") ?? "(none)", "hidden");
                        }
                        else
                        {
                            tally.Pass(exchange.Records);
                        }
                    }
                }

                return tally.Result("Extension forms are well formed", "No extension form in the entity's disco#info.");
            });

        yield return Passive(
            "XMPP-DISCO-019",
            "A disco#items result carries no extended-info form",
            new SpecCitation(Xep0128, "2", Url0128, "Extended information MUST NOT be included in disco#items results."),
            RuleLevel.Must,
            Entity,
            "Every disco#items result of the entity.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsItemsGet && e.IsResult))
                {
                    if (exchange.ResultPayload?.Elements(DiscoCodec.DataNamespace + "x").Any() == true)
                    {
                        tally.Fail($"The answer to {exchange.Describe()} carries a jabber:x:data form.", exchange.Records, "jabber:x:data form", "none");
                    }
                    else
                    {
                        tally.Pass(exchange.Records);
                    }
                }

                return tally.Result("No form in disco#items results", "No disco#items result from this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-020",
            "An iq the entity does not handle is answered with an error, never with silence",
            new SpecCitation(Rfc6120, "8.2.3", Url6120, "An entity that receives an IQ request of type get or set MUST reply with an IQ response of type result or error (§8.4: service-unavailable for a payload it does not understand)."),
            RuleLevel.Must,
            Entity,
            $"The judge sends an iq get with a payload in {XmppProbes.UnknownNamespacePrefix}…, a disco#info iq set, and an iq get with two payloads (XEP-0030 §3.1; RFC 6120 §8.2.3). Each must get an error; a result to the two-payload get (some servers answer the first payload) warns.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid))
                {
                    var unknown = XmppProbes.IsUnknownPayload(exchange);
                    var discoSet = exchange.Request.Type == "set" && exchange.Payload?.Name is { } name && (name == DiscoCodec.InfoQueryName || name == DiscoCodec.ItemsQueryName);
                    var twoPayloads = exchange.Request.Type == "get" && exchange.PayloadCount > 1;
                    if (!unknown && !discoSet && !twoPayloads)
                    {
                        continue;
                    }

                    if (exchange.IsError)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else if (exchange.Response is null)
                    {
                        tally.Fail($"No answer to {exchange.Describe()}.", exchange.Records, "silence", "an error iq");
                    }
                    else if (twoPayloads)
                    {
                        tally.Warn($"A get with {exchange.PayloadCount} payloads got a result instead of bad-request.", exchange.Records, "result", "error bad-request");
                    }
                    else
                    {
                        tally.Fail($"{exchange.Describe()} got a result.", exchange.Records, "result", unknown ? "error service-unavailable" : "an error (disco has no set)");
                    }
                }

                return tally.Result("Requests the entity does not handle get an error", "No unknown, set or malformed request was sent to this entity.");
            });

        yield return Passive(
            "XMPP-DISCO-021",
            "A disco#info request with xml:lang still gets at least one identity",
            new SpecCitation(Xep0030, "3.1", Url0030, "Identities may be given per xml:lang; a request in any language still gets the entity's identity."),
            RuleLevel.Must,
            Entity,
            $"The judge asks the root disco#info again with xml:lang='{XmppProbes.Lang}'.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.Node is null && e.Lang is not null && e.Response is not null))
                {
                    if (exchange.IsResult && exchange.ResultPayload?.Elements(DiscoCodec.InfoNamespace + "identity").Any() == true)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"With xml:lang='{exchange.Lang}' the answer is {(exchange.IsResult ? "a result without identity" : exchange.DescribeAnswer())}.", exchange.Records, exchange.DescribeAnswer(), "a result with an identity");
                    }
                }

                return tally.Result("A request with xml:lang still gets an identity", "No disco#info request with xml:lang to this entity.");
            });
    }

    private static bool IsRefusal(string? condition) => condition is not null && RefusalConditions.Contains(condition, StringComparer.Ordinal);

    /// <summary>The disco#info results of the entity whose payload is a disco#info query.</summary>
    private static IEnumerable<(XmppExchange Exchange, XElement Query)> InfoQueries(XmppView view, string jid) =>
        view.ExchangesTo(jid)
            .Where(e => e.IsInfoGet && e.IsResult && e.ResultPayload?.Name == DiscoCodec.InfoQueryName)
            .Select(e => (e, e.ResultPayload!));

    /// <summary>The nodes the entity lists as its own items (jid = the entity, a non-empty node).</summary>
    private static IReadOnlyList<string> OwnItemNodes(XmppView view, string jid)
    {
        var key = XmppJids.Key(jid);
        return [.. view.ExchangesTo(jid)
            .Where(e => e.IsItemsGet && e.IsResult && e.ResultPayload?.Name == DiscoCodec.ItemsQueryName)
            .SelectMany(e => e.ResultPayload!.Elements(DiscoCodec.ItemsNamespace + "item"))
            .Where(i => XmppJids.Key((string?)i.Attribute("jid")) == key && !string.IsNullOrEmpty((string?)i.Attribute("node")))
            .Select(i => (string)i.Attribute("node")!)
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Nodes known to exist at the entity: its own items' nodes, its caps node#ver values, its XEP-0390 hash nodes.</summary>
    private static HashSet<string> KnownNodes(XmppView view, string jid)
    {
        var nodes = new HashSet<string>(OwnItemNodes(view, jid), StringComparer.Ordinal);
        foreach (var presence in view.PresencesFrom(jid))
        {
            if (presence.Caps115 is { Hash: not null } c && !string.IsNullOrEmpty(c.Node) && !string.IsNullOrEmpty(c.Ver))
            {
                nodes.Add(c.DiscoNode);
            }

            foreach (var hash in presence.Caps390 ?? [])
            {
                nodes.Add(hash.Node);
            }
        }

        foreach (var features in view.StreamFeatures.Where(f => XmppJids.Key(f.Flow.HeaderFrom) == XmppJids.Key(jid)))
        {
            if (CapsElement.Read115(features.Element!) is { Hash: not null } c && !string.IsNullOrEmpty(c.Node) && !string.IsNullOrEmpty(c.Ver))
            {
                nodes.Add(c.DiscoNode);
            }
        }

        return nodes;
    }
}
