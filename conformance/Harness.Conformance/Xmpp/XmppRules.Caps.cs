using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Disco;

namespace Harness.Conformance.Xmpp;

public static partial class XmppRules
{
    private const string NoCaps = "The entity sent no presence with entity capabilities in the session.";
    private const string NoVerifiableCaps = "No XEP-0115 caps with a supported hash and a disco#info answer of the same epoch to verify them against.";

    private static IEnumerable<Rule> CapsRules()
    {
        yield return Passive(
            "XMPP-CAPS-001",
            "The caps element has hash, node and ver, and no ext",
            new SpecCitation(Xep0115, "4", Url0115, "The 'hash', 'node' and 'ver' attributes are REQUIRED; 'ext' is deprecated (legacy)."),
            RuleLevel.Must,
            Entity,
            "Every XEP-0115 c element in the entity's available presence.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var presence in view.PresencesFrom(jid).Where(p => p.Caps115 is not null))
                {
                    var c = presence.Caps115!;
                    var missing = new[] { ("hash", c.Hash), ("node", c.Node), ("ver", c.Ver) }.Where(a => string.IsNullOrEmpty(a.Item2)).Select(a => a.Item1).ToList();
                    if (missing.Count > 0)
                    {
                        tally.Fail($"The caps element lacks {string.Join(", ", missing)}.", [presence.Presence.Record], $"hash='{c.Hash}' node='{c.Node}' ver='{c.Ver}'", "hash, node and ver", "/presence/c");
                    }
                    else if (c.Ext is not null)
                    {
                        tally.Fail("The caps element carries the deprecated ext attribute.", [presence.Presence.Record], "ext='" + c.Ext + "'", "no ext", "/presence/c");
                    }
                    else
                    {
                        tally.Pass([presence.Presence.Record]);
                    }
                }

                return tally.Result("The caps elements are complete", "The entity sent no XEP-0115 caps.");
            });

        yield return VariantRule(
            "XMPP-CAPS-004",
            "The ver sorts by UTF-8 octets (i;octet), not UTF-16 code units",
            "5.1",
            "Sorting is i;octet (RFC 4790): UTF-8 bytes. .NET CompareOrdinal and Java compareTo sort UTF-16 code units and differ for characters beyond the BMP.",
            Caps115Variant.Utf16Order,
            warnOnly: false,
            relevant: info => AllStrings(info).Any(s => s.Any(char.IsSurrogate)));

        yield return VariantRule(
            "XMPP-CAPS-006",
            "The ver sorts the extension forms by FORM_TYPE, not in document order",
            "5.1",
            "Forms are sorted by their FORM_TYPE before hashing (Smack's generator walks them in document order).",
            Caps115Variant.FormsInDocumentOrder,
            warnOnly: false,
            relevant: info => info.Forms.Count(f => f.FormTypeField?.Type == "hidden") >= 2);

        yield return Passive(
            "XMPP-CAPS-007",
            "A form without a hidden FORM_TYPE is left out of the ver",
            new SpecCitation(Xep0115, "5.4", Url0115, "§5.4 3.6: a form without a FORM_TYPE field of type hidden is ignored when the ver is computed."),
            RuleLevel.Must,
            Entity,
            "Judged on the entity's disco#info behind each verifiable ver: such a form is reported (Info: processors leave it out, as the entity did); hashing it anyway (aioxmpp does not look at the type) fails.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var check in Checks115(view, jid))
                {
                    var ignored = check.Info.Info.Forms.Where(f => f.FormTypeField?.Type != "hidden").ToList();
                    if (ignored.Count == 0)
                    {
                        if (check.Info.Info.Forms.Count > 0)
                        {
                            tally.Pass(check.Records);
                        }

                        continue;
                    }

                    if (check.Diagnosis.Variant is { } variant && variant.HasFlag(Caps115Variant.NonHiddenFormTypeHashed))
                    {
                        tally.Fail("The ver hashes a form whose FORM_TYPE is not hidden.", check.Records, Caps115.Describe(variant), "the form left out (§5.4 3.6)");
                    }
                    else
                    {
                        tally.Info($"{ignored.Count} form(s) without a hidden FORM_TYPE are left out of the ver (§5.4 3.6): their contents are invisible to caps.", check.Records, ignored[0].FormType ?? "(no FORM_TYPE)");
                    }
                }

                return tally.Result("Every form has a hidden FORM_TYPE", "No verifiable caps with extension forms.");
            });

        yield return VariantRule(
            "XMPP-CAPS-008",
            "The ver hashes raw character data ('<', '>', '&' not XML-escaped)",
            "5.1",
            "S is built from character data after XML unescaping; aioxmpp and capsdb's verify.py escape '&', '<', '>' again. Verifiers accept both (warning).",
            Caps115Variant.EscapedXml,
            warnOnly: true,
            relevant: info => AllStrings(info).Any(s => s.AsSpan().IndexOfAny("<>&") >= 0));

        yield return VariantRule(
            "XMPP-CAPS-009",
            "The ver sorts identities as joined category/type/lang/name strings",
            "5.1",
            "Identities are sorted as the joined strings (aioxmpp, slixmpp, ejabberd); Smack and Prosody sort tuples, which differs when a component is a prefix of another. Verifiers accept both (warning).",
            Caps115Variant.IdentityTupleOrder,
            warnOnly: true,
            relevant: info => info.Identities.Count >= 2);

        yield return Passive(
            "XMPP-CAPS-010",
            "The disco#info behind the ver has no duplicate identity",
            new SpecCitation(Xep0115, "5.4", Url0115, "§5.4 3.3: an answer with two identities of the same category/type/lang/name is ill-formed and MUST NOT be cached."),
            RuleLevel.Must,
            Entity,
            "Judged on the entity's disco#info behind each verifiable ver.",
            (context, view, jid) => Judge(context, Checks115(view, jid), check =>
            {
                var duplicate = check.Info.Info.Identities.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1);
                return duplicate is null ? null : $"The identity {duplicate.Key.Category}/{duplicate.Key.Type}/{duplicate.Key.Lang}/{duplicate.Key.Name} is listed {duplicate.Count()} times: the answer is ill-formed for caps.";
            }, "No duplicate identity", NoVerifiableCaps));

        yield return Passive(
            "XMPP-CAPS-011",
            "The disco#info behind the ver has no duplicate feature",
            new SpecCitation(Xep0115, "5.4", Url0115, "§5.4 3.4: an answer with a feature listed twice is ill-formed; in lenient mode it is accepted (warning) when the hash with the duplicates matches (33 capsdb entries)."),
            RuleLevel.Must,
            Entity,
            "Judged on the entity's disco#info behind each verifiable ver (a warning, as lenient processors accept it).",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var check in Checks115(view, jid))
                {
                    var duplicate = check.Info.Info.Features.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                    if (duplicate is null)
                    {
                        tally.Pass(check.Records);
                    }
                    else
                    {
                        tally.Warn($"The feature '{duplicate.Key}' is listed {duplicate.Count()} times: ill-formed for strict processors.", check.Records, duplicate.Key, "each feature once");
                    }
                }

                return tally.Result("No duplicate feature", NoVerifiableCaps);
            });

        yield return Passive(
            "XMPP-CAPS-012",
            "No two forms share a FORM_TYPE, and no FORM_TYPE has two values",
            new SpecCitation(Xep0115, "5.4", Url0115, "§5.4 3.5: two forms with the same FORM_TYPE, or a FORM_TYPE field with different values, make the answer ill-formed."),
            RuleLevel.Must,
            Entity,
            "Judged on the entity's disco#info behind each verifiable ver (the same value repeated is accepted).",
            (context, view, jid) => Judge(context, Checks115(view, jid), check =>
            {
                var typed = check.Info.Info.Forms.Where(f => f.FormTypeField?.Type == "hidden").ToList();
                var ambiguous = typed.FirstOrDefault(f => f.FormTypeField!.Values.Distinct(StringComparer.Ordinal).Count() > 1);
                if (ambiguous is not null)
                {
                    return $"A FORM_TYPE field has several values ({string.Join(", ", ambiguous.FormTypeField!.Values)}).";
                }

                var shared = typed.GroupBy(f => f.FormType, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                return shared is null ? null : $"{shared.Count()} forms have the FORM_TYPE '{shared.Key}'.";
            }, "FORM_TYPEs are unique", NoVerifiableCaps));

        yield return Passive(
            "XMPP-CAPS-013",
            "The caps element has a hash attribute (legacy caps cannot be verified)",
            new SpecCitation(Xep0115, "5.4", Url0115, "§5.4 1 and §13: a c element without 'hash' is legacy; its ver is a version string that processors SHOULD ignore."),
            RuleLevel.Should,
            Entity,
            "Every XEP-0115 c element in the entity's available presence.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var presence in view.PresencesFrom(jid).Where(p => p.Caps115 is not null))
                {
                    if (presence.Caps115!.Hash is null)
                    {
                        tally.Fail($"Legacy caps without hash: ver '{presence.Caps115.Ver}' cannot be verified and is ignored by processors.", [presence.Presence.Record], "no hash", "hash='sha-1'", "/presence/c");
                    }
                    else
                    {
                        tally.Pass([presence.Presence.Record]);
                    }
                }

                return tally.Result("The caps carry a hash", "The entity sent no XEP-0115 caps.");
            });

        yield return Passive(
            "XMPP-CAPS-015",
            "The ver is the XEP-0115 §5.1 hash of the entity's disco#info",
            new SpecCitation(Xep0115, "5.4", Url0115, "§5.4 3.8: a ver that matches the answer is accepted and cached by (hash, ver); checked as in the §5.2/§5.3 examples."),
            RuleLevel.Must,
            Entity,
            "Each announced ver (supported hash) is recomputed from the entity's disco#info of the same epoch (between that presence and the next). A match by the spec passes; a match only by a variant verifiers accept (escaping, identity tuple order) warns; no accepted match is XMPP-CAPS-016's.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var check in Checks115(view, jid))
                {
                    if (check.Diagnosis.MatchesSpec)
                    {
                        tally.Pass(check.Records);
                    }
                    else if (IsAccepted(check.Diagnosis))
                    {
                        tally.Warn($"The ver '{check.Ver}' matches only a deviation verifiers tolerate: {check.Diagnosis.Summary}", check.Records, check.Ver, Caps115.ComputeVer(check.Info.Info, check.Algorithm));
                    }
                }

                return tally.Result("The ver matches the disco#info by XEP-0115 §5.1", NoVerifiableCaps + " (or the ver does not verify: see XMPP-CAPS-016)");
            });

        yield return Passive(
            "XMPP-CAPS-016",
            "The ver verifies against the entity's disco#info",
            new SpecCitation(Xep0115, "5.4", Url0115, "§5.4 3.9: a ver that does not match the answer MUST NOT be cached; the entity gets no caps-derived information."),
            RuleLevel.Must,
            Entity,
            "Each announced ver (supported hash) is recomputed from the entity's disco#info of the same epoch, with the spec and the variants verifiers accept; none matching fails, naming the variant that reproduces it when one does.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var check in Checks115(view, jid))
                {
                    if (check.Diagnosis.MatchesSpec || IsAccepted(check.Diagnosis))
                    {
                        tally.Pass(check.Records);
                    }
                    else
                    {
                        tally.Fail($"The ver '{check.Ver}' does not verify against the disco#info: {check.Diagnosis.Summary}", check.Records, check.Ver, Caps115.ComputeVer(check.Info.Info, check.Algorithm));
                    }
                }

                return tally.Result("The ver verifies", NoVerifiableCaps);
            });

        yield return Passive(
            "XMPP-CAPS-018",
            "disco#info at NODE#VER answers the same identities, features and forms as the node-less query, with the node",
            new SpecCitation(Xep0115, "6.2", Url0115, "A disco#info query to node#ver returns the information that generated ver (XEP-0030 §3.2: the node is echoed)."),
            RuleLevel.Must,
            Entity,
            "Judged on every disco#info request for the node#ver of the entity's current caps (the presence in force when asked); contents are compared with the node-less answer of the same epoch (the XEP-0115 S string).",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var presences = view.PresencesFrom(jid);
                var roots = view.InfoAnswers(jid, e => e.Node is null && e.Lang is null);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.Node is not null))
                {
                    var epoch = XmppView.EpochOf(presences, exchange.Request.Order);
                    if (epoch == 0 || presences[epoch - 1].Caps115 is not { Hash: not null } current || current.DiscoNode != exchange.Node)
                    {
                        continue;
                    }

                    if (exchange.Response is null || !exchange.IsResult)
                    {
                        tally.Fail($"The caps node answers {exchange.DescribeAnswer()} ({exchange.Describe()}).", exchange.Records, exchange.DescribeAnswer(), "a disco#info result");
                        continue;
                    }

                    var echoed = (string?)exchange.ResultPayload?.Attribute("node");
                    if (echoed != exchange.Node)
                    {
                        tally.Fail("The answer at node#ver does not carry the node.", exchange.Records, echoed ?? "(no node attribute)", exchange.Node);
                        continue;
                    }

                    var info = view.ReadInfo(exchange);
                    var root = roots.FirstOrDefault(r => r.Epoch == epoch);
                    if (info is null || root is null)
                    {
                        tally.Pass(exchange.Records);
                        continue;
                    }

                    if (Signature(info) == Signature(root.Info))
                    {
                        tally.Pass([.. exchange.Records, .. root.Exchange.Records]);
                    }
                    else
                    {
                        tally.Fail("The answer at node#ver differs from the node-less answer.", [.. exchange.Records, .. root.Exchange.Records], Signature(info), Signature(root.Info));
                    }
                }

                return tally.Result("node#ver answers the entity's info", "No disco#info request for the entity's current node#ver.");
            });

        yield return Passive(
            "XMPP-CAPS-019",
            "disco#items of the entity does not list its caps nodes",
            new SpecCitation(Xep0115, "6.2", Url0115, "The node#ver (and XEP-0390 hash nodes) SHOULD NOT be listed in the entity's disco#items."),
            RuleLevel.Should,
            Entity,
            "Judged on the node-less disco#items results of an entity that announces caps.",
            (context, view, jid) =>
            {
                var presences = view.PresencesFrom(jid);
                var capsNodes = presences.Select(p => p.Caps115?.Node).Where(n => !string.IsNullOrEmpty(n)).Select(n => n + "#").Distinct().ToList();
                if (!presences.Any(p => p.HasCaps))
                {
                    return [context.NotApplicable(NoCaps)];
                }

                var tally = new Tally(context);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsItemsGet && e.Node is null && e.IsResult && e.ResultPayload is not null))
                {
                    var listed = exchange.ResultPayload!.Elements(DiscoCodec.ItemsNamespace + "item")
                        .Select(i => (string?)i.Attribute("node"))
                        .FirstOrDefault(n => n is not null && (n.StartsWith(Caps390.NodePrefix, StringComparison.Ordinal) || capsNodes.Any(c => n.StartsWith(c!, StringComparison.Ordinal))));
                    if (listed is null)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"disco#items lists the caps node '{listed}'.", exchange.Records, listed, "caps nodes not listed");
                    }
                }

                return tally.Result("Caps nodes are not listed", "No disco#items result from this entity.");
            });

        yield return Passive(
            "XMPP-CAPS-020",
            "An entity that announces caps lists the http://jabber.org/protocol/caps feature",
            new SpecCitation(Xep0115, "7", Url0115, "An entity that supports entity capabilities MUST advertise the caps feature in disco#info."),
            RuleLevel.Must,
            Entity,
            "Judged on the node-less disco#info results of an entity that sent XEP-0115 caps.",
            (context, view, jid) => RequireFeature(context, view, jid, Caps115.NamespaceName, p => p.Caps115 is not null, "The entity sent no XEP-0115 caps."));

        yield return Passive(
            "XMPP-CAPS-021",
            "Available presence carries caps, and a feature change brings a recomputed ver in a new presence",
            new SpecCitation(Xep0115, "6.1", Url0115, "Each available presence SHOULD carry caps; when the entity's features change it MUST recompute the ver and SHOULD send a new presence."),
            RuleLevel.Must,
            Entity,
            "Presence after the first caps presence without caps warns. Two node-less disco#info answers that differ show a change: with no presence between them it warns (no new presence); with the same ver (and XEP-0390 set) before and after it fails.",
            (context, view, jid) =>
            {
                var presences = view.PresencesFrom(jid);
                var first = presences.FirstOrDefault(p => p.HasCaps);
                if (first is null)
                {
                    return [context.NotApplicable(NoCaps)];
                }

                var tally = new Tally(context);
                foreach (var presence in presences.Where(p => p.Index >= first.Index))
                {
                    if (presence.HasCaps)
                    {
                        tally.Pass([presence.Presence.Record]);
                    }
                    else
                    {
                        tally.Warn("An available presence carries no caps.", [presence.Presence.Record], "no c element", "the entity's caps in every available presence");
                    }
                }

                var roots = view.InfoAnswers(jid, e => e.Node is null && e.Lang is null);
                for (var i = 1; i < roots.Count; i++)
                {
                    var before = roots[i - 1];
                    var after = roots[i];
                    if (before.Epoch == 0 || Signature(before.Info) == Signature(after.Info))
                    {
                        continue;
                    }

                    var records = new List<TrafficRecord>([.. before.Exchange.Records, .. after.Exchange.Records]);
                    if (!IsHashed(presences[before.Epoch - 1]) || !IsHashed(presences[after.Epoch - 1]))
                    {
                        continue; // legacy caps carry a version string, not a hash of the features
                    }

                    if (before.Epoch == after.Epoch)
                    {
                        tally.Warn("The entity's disco#info changed but no new presence announced it.", records, CapsSignature(presences[after.Epoch - 1]), "a new presence with the recomputed caps");
                    }
                    else if (CapsSignature(presences[before.Epoch - 1]) == CapsSignature(presences[after.Epoch - 1]))
                    {
                        records.Add(presences[after.Epoch - 1].Presence.Record);
                        tally.Fail("The entity's disco#info changed but its new presence announces the same caps: the ver was not recomputed.", records, CapsSignature(presences[after.Epoch - 1]), "a recomputed ver");
                    }
                    else
                    {
                        tally.Pass(records);
                    }
                }

                return tally.Result("Presence carries the current caps", NoCaps);
            });

        yield return Passive(
            "XMPP-CAPS-022",
            "A previous NODE#VER still answers just after a change",
            new SpecCitation(Xep0115, "6.1", Url0115, "Processors may still ask for the previous ver; aioxmpp keeps 3 hash sets mounted, Smack recent versions."),
            RuleLevel.Should,
            Entity,
            "Judged on disco#info requests for a node#ver the entity announced before the presence in force when asked.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var presences = view.PresencesFrom(jid);
                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.Node is not null && e.Response is not null))
                {
                    var epoch = XmppView.EpochOf(presences, exchange.Request.Order);
                    if (epoch == 0 || presences[epoch - 1].Caps115?.DiscoNode == exchange.Node
                        || !presences.Take(epoch - 1).Any(p => p.Caps115 is { Hash: not null } c && c.DiscoNode == exchange.Node))
                    {
                        continue;
                    }

                    if (exchange.IsResult)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"The previous caps node answers {exchange.DescribeAnswer()}.", exchange.Records, exchange.DescribeAnswer(), "a disco#info result");
                    }
                }

                return tally.Result("Previous caps nodes still answer", "No request for a previous node#ver (no feature change seen).");
            });

        yield return Passive(
            "XMPP-CAPS2-001",
            "Each XEP-0390 hash is the hash of the entity's disco#info",
            new SpecCitation(Xep0390, "4.1", Url0390, "The hash input of §4.1 (0x1F/0x1E/0x1D/0x1C separators, nothing escaped) hashed with each algorithm of the set; checked as in the §4.5 examples."),
            RuleLevel.Must,
            Entity,
            "The hash set of the entity's first XEP-0390 presence is recomputed from its disco#info of the same epoch (hashes of algorithms not available here are skipped). Later sets are XMPP-CAPS2-006's.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var first = view.PresencesFrom(jid).FirstOrDefault(p => p.Caps390 is { Count: > 0 });
                if (first is null)
                {
                    return [context.NotApplicable("The entity sent no XEP-0390 hash set.")];
                }

                if (RootInfoOf(view, jid, first.Index) is not { } info)
                {
                    return [context.NotApplicable("No disco#info answer of the same epoch as the first XEP-0390 presence.")];
                }

                VerifySet(tally, first, info);
                return tally.Result("The hash set matches the disco#info", "No hash of an algorithm available here.");
            });

        yield return Passive(
            "XMPP-CAPS2-003",
            "An entity announcing XEP-0390 hashes serves a disco#info that can be hashed",
            new SpecCitation(Xep0390, "4.1", Url0390, "The hash input aborts for a query with foreign children, a form with reported/item, or a form breaking the FORM_TYPE rules; nothing can then be cached."),
            RuleLevel.Must,
            Entity,
            "Judged on the node-less disco#info of each epoch in which the entity announced a XEP-0390 set.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var presence in view.PresencesFrom(jid).Where(p => p.Caps390 is { Count: > 0 }))
                {
                    if (RootInfoOf(view, jid, presence.Index) is not { } info)
                    {
                        continue;
                    }

                    if (Caps390.TryBuildHashInput(info.Info, out _, out var error))
                    {
                        tally.Pass([presence.Presence.Record, .. info.Exchange.Records]);
                    }
                    else
                    {
                        tally.Fail("The disco#info cannot be hashed by XEP-0390 §4.1: " + error, [presence.Presence.Record, .. info.Exchange.Records], error, "a hashable disco#info");
                    }
                }

                return tally.Result("The disco#info can be hashed", "No XEP-0390 presence with a disco#info answer of the same epoch.");
            });

        yield return Passive(
            "XMPP-CAPS2-004",
            "The XEP-0390 hash elements are well formed",
            new SpecCitation(Xep0390, "4.3", Url0390, "Each hash element carries an algo and a Base64 digest; the hash node is urn:xmpp:caps# + algo + '.' + digest."),
            RuleLevel.Must,
            Entity,
            "Every XEP-0390 c element in the entity's available presence.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var presence in view.PresencesFrom(jid).Where(p => p.Caps390 is not null))
                {
                    var problem = presence.Violations.FirstOrDefault(v => v.RuleId == CapsRuleIds.HashNode);
                    if (problem is not null)
                    {
                        tally.Fail(problem.Message, [presence.Presence.Record], null, "<hash xmlns='urn:xmpp:hashes:2' algo='…'>Base64</hash>", problem.Location);
                    }
                    else if (presence.Caps390!.Count == 0)
                    {
                        tally.Fail("The XEP-0390 c element carries no hash.", [presence.Presence.Record], "no hash", "one hash per algorithm");
                    }
                    else
                    {
                        tally.Pass([presence.Presence.Record]);
                    }
                }

                return tally.Result("The hash elements are well formed", "The entity sent no XEP-0390 caps.");
            });

        yield return Passive(
            "XMPP-CAPS2-005",
            "An entity that announces XEP-0390 caps lists the urn:xmpp:caps feature",
            new SpecCitation(Xep0390, "5.1", Url0390, "An entity supporting this protocol MUST advertise the urn:xmpp:caps feature."),
            RuleLevel.Must,
            Entity,
            "Judged on the node-less disco#info results of an entity that sent a XEP-0390 c element.",
            (context, view, jid) => RequireFeature(context, view, jid, Caps390.NamespaceName, p => p.Caps390 is not null, "The entity sent no XEP-0390 caps."));

        yield return Passive(
            "XMPP-CAPS2-006",
            "After a change, presence carries the current hash set and the previous sets' nodes still answer",
            new SpecCitation(Xep0390, "6.1", Url0390, "Every non-directed available presence carries the current hash set; the hash nodes of the last three sets answer."),
            RuleLevel.Must,
            Entity,
            "The hash sets of later XEP-0390 presences are recomputed from the disco#info of their epoch; disco#info requests for hash nodes of earlier sets must get a result.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                var presences = view.PresencesFrom(jid);
                var first = presences.FirstOrDefault(p => p.Caps390 is { Count: > 0 });
                if (first is null)
                {
                    return [context.NotApplicable("The entity sent no XEP-0390 hash set.")];
                }

                foreach (var presence in presences.Where(p => p.Index > first.Index && p.Caps390 is { Count: > 0 }))
                {
                    if (RootInfoOf(view, jid, presence.Index) is { } info)
                    {
                        VerifySet(tally, presence, info);
                    }
                }

                foreach (var exchange in view.ExchangesTo(jid).Where(e => e.IsInfoGet && e.Response is not null && e.Node is not null && e.Node.StartsWith(Caps390.NodePrefix, StringComparison.Ordinal)))
                {
                    var epoch = XmppView.EpochOf(presences, exchange.Request.Order);
                    if (epoch == 0 || presences[epoch - 1].Caps390?.Any(h => h.Node == exchange.Node) == true
                        || !presences.Take(epoch - 1).Any(p => p.Caps390?.Any(h => h.Node == exchange.Node) == true))
                    {
                        continue;
                    }

                    if (exchange.IsResult)
                    {
                        tally.Pass(exchange.Records);
                    }
                    else
                    {
                        tally.Fail($"A previous hash node answers {exchange.DescribeAnswer()}.", exchange.Records, exchange.Node, "a disco#info result");
                    }
                }

                return tally.Result("Later hash sets are current and previous nodes answer", "No later XEP-0390 presence or previous hash node was seen (no feature change).");
            });
    }

    private static Rule VariantRule(string id, string title, string section, string text, Caps115Variant variant, bool warnOnly, Func<DiscoInfo, bool> relevant) =>
        Passive(
            id,
            title,
            new SpecCitation(Xep0115, section, Url0115, text),
            RuleLevel.Must,
            Entity,
            "Each announced ver is diagnosed against the entity's disco#info of the same epoch: a ver reproduced only with this deviation "
                + (warnOnly ? "warns (verifiers tolerate it)" : "fails") + "; a spec match on a disco#info where the deviation would matter passes.",
            (context, view, jid) =>
            {
                var tally = new Tally(context);
                foreach (var check in Checks115(view, jid))
                {
                    if (check.Diagnosis.Variant is { } found && found != Caps115Variant.Spec && found.HasFlag(variant))
                    {
                        var message = $"The ver '{check.Ver}' is computed with a deviation: {check.Diagnosis.Summary}";
                        if (warnOnly)
                        {
                            tally.Warn(message, check.Records, check.Ver, Caps115.ComputeVer(check.Info.Info, check.Algorithm));
                        }
                        else
                        {
                            tally.Fail(message, check.Records, check.Ver, Caps115.ComputeVer(check.Info.Info, check.Algorithm));
                        }
                    }
                    else if (check.Diagnosis.MatchesSpec && relevant(check.Info.Info))
                    {
                        tally.Pass(check.Records);
                    }
                }

                return tally.Result("The ver is computed as §5.1 says", "No verifiable caps on a disco#info where this deviation would show.");
            });

    private static IEnumerable<Finding> Judge(RuleContext context, IEnumerable<CapsCheck> checks, Func<CapsCheck, string?> problem, string passed, string notApplicable)
    {
        var tally = new Tally(context);
        foreach (var check in checks)
        {
            if (problem(check) is { } message)
            {
                tally.Fail(message, check.Records);
            }
            else
            {
                tally.Pass(check.Records);
            }
        }

        return tally.Result(passed, notApplicable);
    }

    private static IEnumerable<Finding> RequireFeature(RuleContext context, XmppView view, string jid, string feature, Func<XmppCapsPresence, bool> announces, string notApplicable)
    {
        if (!view.PresencesFrom(jid).Any(announces))
        {
            return [context.NotApplicable(notApplicable)];
        }

        var tally = new Tally(context);
        foreach (var answer in view.InfoAnswers(jid, e => e.Node is null && e.Lang is null).Where(a => a.Epoch > 0))
        {
            if (answer.Info.HasFeature(feature))
            {
                tally.Pass(answer.Exchange.Records);
            }
            else
            {
                tally.Fail($"The entity announces caps but its disco#info does not list '{feature}'.", answer.Exchange.Records, string.Join(' ', answer.Info.Features.Take(12)), feature);
            }
        }

        return tally.Result($"The feature {feature} is listed", "No node-less disco#info answer after the caps presence.");
    }

    private static void VerifySet(Tally tally, XmppCapsPresence presence, XmppInfoAnswer info)
    {
        foreach (var hash in presence.Caps390!.Where(h => Caps390.IsSupported(h.Algorithm)))
        {
            var records = new[] { presence.Presence.Record }.Concat(info.Exchange.Records);
            if (Caps390.Verify(info.Info, hash, out var error))
            {
                tally.Pass(records);
            }
            else
            {
                var expected = Caps390.TryBuildHashInput(info.Info, out _, out _) ? Caps390.ComputeHashSet(info.Info, [hash.Algorithm])[0].Value : null;
                tally.Fail($"The {hash.Algorithm} hash does not match the disco#info: {error}", records, hash.Value, expected);
            }
        }
    }

    /// <summary>The node-less disco#info of an epoch (the first asked in it), or null.</summary>
    private static XmppInfoAnswer? RootInfoOf(XmppView view, string jid, int epoch) =>
        view.InfoAnswers(jid, e => e.Node is null && e.Lang is null).FirstOrDefault(a => a.Epoch == epoch);

    /// <summary>The verifiable XEP-0115 announcements of the entity, each with the disco#info of its epoch and the diagnosis.</summary>
    private static List<CapsCheck> Checks115(XmppView view, string jid)
    {
        var checks = new List<CapsCheck>();
        var roots = view.InfoAnswers(jid, e => e.Node is null && e.Lang is null);
        var nodes = view.InfoAnswers(jid, e => e.Node is not null);
        foreach (var presence in view.PresencesFrom(jid))
        {
            if (presence.Caps115 is not { Hash: { } hash, Ver: { Length: > 0 } ver } caps || !Caps115.IsSupported(hash))
            {
                continue;
            }

            var info = roots.FirstOrDefault(r => r.Epoch == presence.Index) ?? nodes.FirstOrDefault(r => r.Epoch == presence.Index && r.Exchange.Node == caps.DiscoNode);
            if (info is not null)
            {
                checks.Add(new CapsCheck(presence, info, Caps115.Diagnose(info.Info, hash, ver), hash, ver));
            }
        }

        return checks;
    }

    private static bool IsAccepted(Caps115Diagnosis diagnosis) =>
        diagnosis.Variant is { } variant && (variant & ~Caps115.AcceptedVariants) == 0;

    /// <summary>What XEP-0115 hashes of an answer (identities, features, typed forms), as a comparable string.</summary>
    private static string Signature(DiscoInfo info) => Caps115.BuildInputString(info);

    private static bool IsHashed(XmppCapsPresence presence) =>
        presence.Caps115 is { Hash: not null, Ver.Length: > 0 } || presence.Caps390 is { Count: > 0 };

    private static string CapsSignature(XmppCapsPresence presence) =>
        presence.Caps115?.Ver + "|" + string.Join(',', presence.Caps390?.Select(h => h.Value) ?? []);

    private static IEnumerable<string> AllStrings(DiscoInfo info) =>
        info.Identities.SelectMany(i => new[] { i.Category, i.Type, i.Lang ?? string.Empty, i.Name ?? string.Empty })
            .Concat(info.Features)
            .Concat(info.Forms.SelectMany(f => f.Fields.SelectMany(x => x.Values.Prepend(x.Var ?? string.Empty))));

    private sealed record CapsCheck(XmppCapsPresence Presence, XmppInfoAnswer Info, Caps115Diagnosis Diagnosis, string Algorithm, string Ver)
    {
        public IEnumerable<TrafficRecord> Records => [Presence.Presence.Record, .. Info.Exchange.Records];
    }
}
