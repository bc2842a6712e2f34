using Harness.Conformance.Model;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Wsd.WsdChecks;

namespace Harness.Conformance.Wsd;

public static partial class WsdRules
{
    /// <summary>
    /// How far apart two messages may arrive in the wrong order before it counts: sends from concurrent tasks, and
    /// receive timestamps of different sockets on a loaded host, can cross by that much.
    /// </summary>
    private static readonly TimeSpan ReorderTolerance = TimeSpan.FromMilliseconds(500);

    private static IEnumerable<Rule> MessageRules()
    {
        yield return Passive(
            "WSD-MSG-001",
            "Every discovery datagram is one SOAP 1.2 envelope",
            new(SoapUdp, "3; " + Wsd2005 + " §2", UrlSoapUdp, "A SOAP-over-UDP datagram carries exactly one SOAP 1.2 envelope."),
            RuleLevel.Must,
            Target,
            "Reads every datagram the device sent: the root must be a SOAP 1.2 Envelope (not SOAP 1.1), well-formed, without a DTD, one envelope per datagram.",
            Reader(_ => true, "datagrams", WsdRuleIds.Envelope, WsdRuleIds.XmlWellFormed, WsdRuleIds.XmlDtd, WsdRuleIds.XmlLimits));

        yield return Passive(
            "WSD-MSG-002",
            "A message uses one WS-Discovery family throughout",
            new(Wsd2005, "2 (namespaces); " + Wsd11 + " §1.4", Url11, "Discovery namespace, WS-Addressing namespace, wsa:To and wsa:Action come from the same version (2005/04 with 2004/08 addressing, or 2009/01 with W3C 2005/08)."),
            RuleLevel.Must,
            Target,
            "Flags a 2005/04 body with W3C WS-Addressing headers (or the reverse), a foreign anonymous address, and addressing headers in other namespaces.",
            Reader(_ => true, "messages", WsdRuleIds.MixedFamilies));

        yield return Passive(
            "WSD-MSG-003",
            "wsa:Action is exactly {ns}/<Message>",
            new(Wsd2005, "4–6", Url2005, "The action URI of each message is the discovery namespace followed by the message name; URIs are compared case-sensitively."),
            RuleLevel.Must,
            Target,
            "Compares each message's wsa:Action, after trimming XML white space, with the action its body requires.",
            Reader(_ => true, "messages", WsdRuleIds.Action));

        yield return Passive(
            "WSD-MSG-004",
            "Every logical message has its own MessageID; repeats keep it",
            new("WS-Addressing (2004/08) / " + SoapUdp, "3.1 / Appendix I", UrlSoapUdp, "A MessageID uniquely identifies a message; the SOAP-over-UDP retransmissions of a message are identical copies."),
            RuleLevel.Must,
            Target,
            "Groups the device's datagrams by wsa:MessageID: one MessageID may only ever carry the same bytes (its repeats); a message without MessageID fails.",
            CheckDistinctMessageIds);

        yield return Passive(
            "WSD-MSG-005",
            "MessageIDs and endpoint addresses use urn:uuid:",
            new(Wsd2005 + "; DPWS R0004; " + OnvifCore, "2.6; 7.3.1", Url2005, "Endpoint addresses and message identifiers should be urn:uuid: URIs; ONVIF and DPWS require the urn:uuid: form over the bare uuid: of the 2005 examples."),
            RuleLevel.Should,
            Target,
            "Reads wsa:MessageID and every endpoint address: 'uuid:…' or non-uuid URIs warn.",
            Reader(_ => true, "messages", WsdRuleIds.UuidForm));

        yield return Passive(
            "WSD-MSG-006",
            "Multicast Hello and Bye carry the discovery URN in wsa:To",
            new(Wsd2005, "4.1, 4.2", Url2005, "A multicast Hello or Bye is addressed (wsa:To) to urn:schemas-xmlsoap-org:ws:2005:04:discovery (1.1: urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01)."),
            RuleLevel.Must,
            Target,
            "Checks wsa:To of every Hello and Bye the device multicast.",
            Reader(i => i.Message is WsdHello or WsdBye && i.IsMulticast, "multicast Hello/Bye messages", WsdRuleIds.MulticastTo));

        yield return Passive(
            "WSD-MSG-007",
            "Matches carry RelatesTo = the request's MessageID and To = anonymous",
            new(Wsd2005 + "; " + Wsd11, "5.3, 6.2", Url11, "ProbeMatches and ResolveMatches relate to the request (wsa:RelatesTo) and are addressed to the anonymous address; 1.1 makes wsa:To required."),
            RuleLevel.Must,
            Target,
            "Reads wsa:RelatesTo and wsa:To of every ProbeMatches and ResolveMatches; an answer sent to the harness must relate to a request the harness sent. A missing wsa:To fails under 1.1 and warns under 2005.",
            CheckReplyAddressing);

        yield return Passive(
            "WSD-MSG-008",
            "An answer has a MessageID of its own",
            new("WS-Addressing (2004/08)", "3.1", null, "A reply carries a new MessageID; reusing the request's makes clients drop the reply as a duplicate (python-ws-discovery #38)."),
            RuleLevel.Must,
            Target,
            "Compares the MessageID of every answer with its RelatesTo and with every request seen.",
            CheckOwnMessageId);

        yield return Passive(
            "WSD-MSG-009",
            "Hello, Bye and the matches carry d:AppSequence",
            new(Wsd2005, "Appendix I", Url2005, "Hello, Bye, ProbeMatches and ResolveMatches carry an AppSequence header with InstanceId and MessageNumber (non-negative integers)."),
            RuleLevel.Must,
            Target,
            "Reads d:AppSequence of every announcement and answer.",
            Reader(IsAnnouncementOrReply, "announcements and answers", WsdRuleIds.AppSequence));

        yield return Passive(
            "WSD-MSG-010",
            "MessageNumber increases within an instance",
            new(Wsd2005, "Appendix I", Url2005, "MessageNumber is incremented for each message of an instance (and sequence); repeats of one message keep it."),
            RuleLevel.Must,
            Target,
            "Orders the device's distinct messages of each (InstanceId, SequenceId) by arrival: no two share a MessageNumber, and none goes backwards (messages arriving less than 500 ms apart may cross on the wire).",
            CheckMessageNumbers);

        yield return ActiveRule(
            "WSD-MSG-011",
            "A restarted device uses a higher InstanceId",
            new(Wsd2005, "Appendix I", Url2005, "InstanceId is incremented each time the service restarts with lost state (seconds since the epoch is the usual choice)."),
            RuleLevel.Must,
            Target,
            "Restarts the device (when the target can) and compares the InstanceId of its Hello and of its answer after the restart with the highest before. Without a restart, judges the session: an InstanceId must never go down.",
            CheckInstanceIdAfterRestart);

        yield return Passive(
            "WSD-MSG-012",
            "SequenceId, when used, stays stable",
            new(Wsd2005, "Appendix I", Url2005, "SequenceId names a sequence within an instance; a fresh SequenceId on every message defeats ordering (christgau/wsdd does this)."),
            RuleLevel.Should,
            Target,
            "Warns when three or more messages of one instance each carry a different SequenceId, or a SequenceId is not an absolute URI.",
            CheckSequenceIds);

        yield return ActiveRule(
            "WSD-MSG-014",
            "The endpoint reference survives a restart",
            new(OnvifCore + "; WSDBIT 1.1.2", "7.3.1", UrlOnvif, "The endpoint reference address stays the same across reboots and on every interface."),
            RuleLevel.Must,
            Target,
            "Restarts the device (when the target can): its Hello and its answer afterwards must carry the same endpoint address.",
            CheckEndpointAfterRestart);

        yield return Passive(
            "WSD-MSG-015",
            "MetadataVersion is present and follows changes",
            new(Wsd2005, "4.1, 5.3, 6.2", Url2005, "Hello, ProbeMatch and ResolveMatch carry MetadataVersion, incremented when the metadata (types, scopes) changes; unchanged across a restart that changed nothing (WSDBIT 1.1.3)."),
            RuleLevel.Must,
            Target,
            "Reads MetadataVersion everywhere it is required; then, over time, flags a change of types or scopes under the same MetadataVersion and a MetadataVersion that goes down.",
            CheckMetadataVersion);

        yield return Passive(
            "WSD-MSG-017",
            "Types QNames resolve through declared prefixes",
            new("Namespaces in XML; " + Wsd2005, "5.1", Url2005, "d:Types is a list of QNames; each prefix must be declared in scope, and only the expanded name counts."),
            RuleLevel.Must,
            Target,
            "Resolves every QName in the device's d:Types.",
            Reader(_ => true, "messages", WsdRuleIds.QNames));
    }

    private static IEnumerable<Finding> CheckDistinctMessageIds(RuleContext context)
    {
        var items = Sent(context).Where(i => i.Message is not null).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var clean = true;
        foreach (var item in items.Where(i => i.MessageId is null && i.Message is not WsdFault).Take(5))
        {
            clean = false;
            yield return context.Violation($"A {item.Message!.GetType().Name[3..]} has no wsa:MessageID.", [item.Record]);
        }

        foreach (var group in items.Where(i => i.MessageId is not null).GroupBy(i => i.MessageId!, StringComparer.Ordinal))
        {
            var distinct = group.DistinctBy(i => Convert.ToBase64String(i.Record.Payload.Span)).ToList();
            if (distinct.Count > 1)
            {
                clean = false;
                yield return context.Violation(
                    $"{distinct.Count} different messages share the MessageID {group.Key}.",
                    distinct.Take(4).Select(i => i.Record),
                    group.Key,
                    "one MessageID per logical message");
            }
        }

        if (clean)
        {
            yield return context.Pass($"{Count(items.Select(i => i.MessageId).Distinct().Count(), "MessageIDs")} over {Count(items.Count, "datagrams")}; repeats are identical.", items.Take(3).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckReplyAddressing(RuleContext context)
    {
        var view = WsdView.Of(context.Session);
        var replies = Sent(context).Where(IsReplyMessage).ToList();
        foreach (var finding in FromReader(context, replies, "answers", WsdRuleIds.ReplyAddressing))
        {
            yield return finding;
        }

        var harnessSources = view.Items.Where(i => !i.IsInbound && i.IsRequest).Select(i => i.Record.Source).ToHashSet();
        foreach (var reply in replies.Where(r => r.RelatesTo is not null && harnessSources.Contains(r.Record.Destination) && view.RequestFor(r) is null).Take(5))
        {
            yield return context.Violation($"wsa:RelatesTo '{reply.RelatesTo}' names no request the harness sent.", [reply.Record], reply.RelatesTo, "the request's MessageID");
        }
    }

    private static IEnumerable<Finding> CheckOwnMessageId(RuleContext context)
    {
        var view = WsdView.Of(context.Session);
        var replies = Sent(context).Where(i => i.RelatesTo is not null && i.MessageId is not null).ToList();
        if (replies.Count == 0)
        {
            yield break;
        }

        var bad = replies.Where(r => string.Equals(r.MessageId, r.RelatesTo, StringComparison.Ordinal) || view.Requests.ContainsKey(r.MessageId!)).ToList();
        if (bad.Count == 0)
        {
            yield return context.Pass($"{Count(replies.Count, "answers")} have MessageIDs of their own.", replies.Take(3).Select(r => r.Record));
            yield break;
        }

        foreach (var reply in bad.DistinctBy(r => r.MessageId).Take(5))
        {
            var request = view.RequestFor(reply);
            yield return context.Violation(
                $"The answer reuses the request's MessageID {reply.MessageId}; clients drop it as a duplicate.",
                request is null ? [reply.Record] : [request.Record, reply.Record],
                reply.MessageId,
                "a fresh MessageID");
        }
    }

    private static IEnumerable<Finding> CheckMessageNumbers(RuleContext context)
    {
        var items = Sent(context).Where(i => i.AppSequence is not null).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var clean = true;
        foreach (var sequence in items.GroupBy(i => (i.AppSequence!.InstanceId, i.AppSequence.SequenceId)))
        {
            var logical = sequence.DistinctBy(i => Convert.ToBase64String(i.Record.Payload.Span)).OrderBy(i => i.Time).ToList();
            foreach (var shared in logical.GroupBy(i => i.AppSequence!.MessageNumber).Where(g => g.Count() > 1).Take(3))
            {
                clean = false;
                yield return context.Violation(
                    $"{shared.Count()} different messages of instance {sequence.Key.InstanceId} carry MessageNumber {shared.Key}.",
                    shared.Take(4).Select(i => i.Record),
                    shared.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "a higher MessageNumber for each message");
            }

            WsdItem? highest = null;
            foreach (var item in logical)
            {
                if (highest is not null && item.AppSequence!.MessageNumber < highest.AppSequence!.MessageNumber && item.Time - highest.Time > ReorderTolerance)
                {
                    clean = false;
                    yield return context.Violation(
                        $"MessageNumber went back from {highest.AppSequence.MessageNumber} to {item.AppSequence.MessageNumber} within instance {sequence.Key.InstanceId}.",
                        [highest.Record, item.Record]);
                }

                if (highest is null || item.AppSequence!.MessageNumber > highest.AppSequence!.MessageNumber)
                {
                    highest = item;
                }
            }
        }

        if (clean)
        {
            yield return context.Pass($"MessageNumber increases over {Count(items.Count, "messages")}.", items.Take(3).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckSequenceIds(RuleContext context)
    {
        var items = Sent(context).Where(i => i.AppSequence is not null).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var withId = items.Where(i => i.AppSequence!.SequenceId is not null).ToList();
        if (withId.Count == 0)
        {
            yield return context.Pass("No SequenceId is used: messages are ordered by InstanceId and MessageNumber alone.", items.Take(3).Select(i => i.Record));
            yield break;
        }

        var clean = true;
        foreach (var invalid in withId.Where(i => !Uri.TryCreate(i.AppSequence!.SequenceId, UriKind.Absolute, out _)).Take(3))
        {
            clean = false;
            yield return context.Violation($"SequenceId '{invalid.AppSequence!.SequenceId}' is not an absolute URI.", [invalid.Record]);
        }

        foreach (var instance in withId.GroupBy(i => i.AppSequence!.InstanceId))
        {
            var messages = instance.DistinctBy(i => i.MessageId).ToList();
            var sequences = messages.Select(i => i.AppSequence!.SequenceId).Distinct(StringComparer.Ordinal).Count();
            if (messages.Count >= 3 && sequences == messages.Count)
            {
                clean = false;
                yield return context.Violation(
                    $"Each of {messages.Count} messages of instance {instance.Key} has a SequenceId of its own, which defeats ordering.",
                    messages.Take(4).Select(i => i.Record),
                    $"{sequences} SequenceIds",
                    "one stable SequenceId per instance");
            }
        }

        if (clean)
        {
            yield return context.Pass("SequenceIds are absolute URIs and stable within an instance.", withId.Take(3).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckInstanceIdAfterRestart(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        var items = view.From(context.Device);
        if (result.RestartAttempted)
        {
            if (result.RestartError is { } error)
            {
                yield return new Finding(context.Rule.Id, context.Device.Id, Verdict.Error, "The restart failed: " + error);
                yield break;
            }

            var before = items.Where(i => i.Time < result.RestartBegin && i.AppSequence is not null).Select(i => i.AppSequence!.InstanceId).DefaultIfEmpty().Max();
            var after = PostRestart(view, context.Device, result).Where(i => i.AppSequence is not null).ToList();
            if (before == 0 || after.Count == 0)
            {
                yield return context.NotApplicable("No AppSequence was seen on both sides of the restart (see WSD-MSG-009).");
                yield break;
            }

            var lower = after.Where(i => i.AppSequence!.InstanceId <= before).ToList();
            yield return lower.Count == 0
                ? context.Pass($"InstanceId went from {before} to {after[0].AppSequence!.InstanceId} across the restart.", after.Take(3).Select(i => i.Record))
                : context.Violation(
                    $"After the restart the InstanceId is {lower[0].AppSequence!.InstanceId}, not above {before}: clients drop its messages as stale.",
                    lower.Take(3).Select(i => i.Record),
                    lower[0].AppSequence!.InstanceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "> " + before.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield break;
        }

        foreach (var finding in InstanceIdNeverDecreases(context, items))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> InstanceIdNeverDecreases(RuleContext context, IReadOnlyList<WsdItem> items)
    {
        var withSequence = items.Where(i => i.AppSequence is not null).DistinctBy(i => i.MessageId ?? Convert.ToBase64String(i.Record.Payload.Span)).ToList();
        var instances = withSequence.Select(i => i.AppSequence!.InstanceId).Distinct().Count();
        if (instances < 2)
        {
            yield return context.NotApplicable("No restart was seen and the device could not be restarted.");
            yield break;
        }

        WsdItem? highest = null;
        foreach (var item in withSequence)
        {
            if (highest is not null && item.AppSequence!.InstanceId < highest.AppSequence!.InstanceId && item.Time - highest.Time > ReorderTolerance)
            {
                yield return context.Violation($"InstanceId went down from {highest.AppSequence.InstanceId} to {item.AppSequence.InstanceId}.", [highest.Record, item.Record]);
                yield break;
            }

            if (highest is null || item.AppSequence!.InstanceId > highest.AppSequence!.InstanceId)
            {
                highest = item;
            }
        }

        yield return context.Pass($"{instances} instances seen, each with a higher InstanceId.", withSequence.Take(3).Select(i => i.Record));
    }

    /// <summary>What the device sent after its restart: its Hellos and its answer to the Probe sent afterwards.</summary>
    internal static IReadOnlyList<WsdItem> PostRestart(WsdView view, Device device, WsdScenarioResult result)
    {
        if (result.RestartBegin is not { } begin)
        {
            return [];
        }

        var hellos = WsdScenario.PostRestartHellos(view, device, begin);
        var answers = result.Named(WsdScenario.PostRestart).SelectMany(s => Replies(view, device, s));
        return [.. hellos.Concat(answers).DistinctBy(i => i.Record.Sequence).OrderBy(i => i.Time)];
    }

    private static IEnumerable<Finding> CheckEndpointAfterRestart(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        if (!result.RestartAttempted)
        {
            yield return context.NotApplicable(result.NoRestartReason);
            yield break;
        }

        if (result.RestartError is { } error)
        {
            yield return new Finding(context.Rule.Id, context.Device.Id, Verdict.Error, "The restart failed: " + error);
            yield break;
        }

        var after = PostRestart(view, context.Device, result).Where(i => i.Endpoints.Count > 0).ToList();
        if (after.Count == 0)
        {
            yield return context.NotApplicable("The device sent no Hello and no match after the restart (see WSD-HB-001).");
            yield break;
        }

        var moved = after.Where(i => !i.HasEndpoint(context.Device.Id)).ToList();
        yield return moved.Count == 0
            ? context.Pass($"After the restart the device still answers as {context.Device.Id}.", after.Take(3).Select(i => i.Record))
            : context.Violation(
                $"After the restart the device announces itself as {moved[0].Endpoints[0].Endpoint.Address}, not {context.Device.Id}.",
                moved.Take(3).Select(i => i.Record),
                moved[0].Endpoints[0].Endpoint.Address,
                context.Device.Id);
    }

    private static IEnumerable<Finding> CheckMetadataVersion(RuleContext context)
    {
        var items = Sent(context).Where(i => i.Message is WsdHello or WsdProbeMatches or WsdResolveMatches).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        var clean = true;
        foreach (var finding in FromReader(context, items, "messages", WsdRuleIds.MetadataVersion))
        {
            if (finding.Verdict != Verdict.Pass)
            {
                clean = false;
                yield return finding;
            }
        }

        // Logical messages at their first copy: the repeats of an older message may arrive after a newer one.
        var own = items
            .DistinctBy(i => i.MessageId ?? Convert.ToBase64String(i.Record.Payload.Span))
            .Select(i => (Item: i, Data: i.EndpointOf(context.Device.Id)))
            .Where(x => x.Data?.MetadataVersion is not null)
            .Select(x => (x.Item, Data: x.Data!))
            .ToList();
        (WsdItem Item, WsdEndpointData Data)? last = null;
        foreach (var current in own)
        {
            if (last is { } previous)
            {
                var version = current.Data.MetadataVersion!.Value;
                var before = previous.Data.MetadataVersion!.Value;
                if (version < before && current.Item.Time - previous.Item.Time > ReorderTolerance)
                {
                    clean = false;
                    yield return context.Violation($"MetadataVersion went down from {before} to {version}.", [previous.Item.Record, current.Item.Record]);
                }
                else if (version == before && MetadataChanged(previous.Data, current.Data))
                {
                    clean = false;
                    yield return context.Violation(
                        $"The scopes or types changed but MetadataVersion stayed {version}: clients keep stale metadata.",
                        [previous.Item.Record, current.Item.Record],
                        version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "a higher MetadataVersion after a change");
                }
            }

            last = current;
        }

        if (clean)
        {
            yield return context.Pass($"MetadataVersion present and consistent in {Count(items.Count, "messages")}.", items.Take(3).Select(i => i.Record));
        }
    }

    private static bool MetadataChanged(WsdEndpointData a, WsdEndpointData b)
    {
        var scopes = a.Scopes.Count > 0 && b.Scopes.Count > 0 && !a.Scopes.ToHashSet(StringComparer.Ordinal).SetEquals(b.Scopes);
        var types = a.Types.Count > 0 && b.Types.Count > 0 && !a.Types.ToHashSet().SetEquals(b.Types);
        return scopes || types;
    }
}
