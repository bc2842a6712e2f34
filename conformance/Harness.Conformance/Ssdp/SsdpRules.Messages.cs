using System.Net;
using Harness.Conformance.Model;
using Harness.Core.Transport;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using static Harness.Conformance.Ssdp.SsdpChecks;

namespace Harness.Conformance.Ssdp;

public static partial class SsdpRules
{
    private static readonly TimeSpan BurstGap = TimeSpan.FromSeconds(1);

    private static bool IsAdvertisement(SsdpItem i) => i.Message is SsdpSearchResponse || i.IsAlive;

    private static bool IsAnyMessage(SsdpItem i) => i.Message is SsdpSearchResponse or SsdpNotify;

    private static IEnumerable<Rule> ResponseRules()
    {
        yield return Passive(
            "SSDP-RESP-001",
            "A search response is 'HTTP/1.1 200 OK' with headers ending in an empty line and no body",
            Uda("1.3.3", "The response's status line is 'HTTP/1.1 200 OK'; the message has no body."),
            RuleLevel.Must,
            Root,
            "Reads every search response of the device.",
            Reader(i => i.Response is not null, "search responses", SsdpRuleIds.ResponseStatusLine));

        yield return Passive(
            "SSDP-RESP-002",
            "CACHE-CONTROL is 'max-age=N' (no other directive), N at least 1800",
            Uda("1.2.2, 1.3.3", "CACHE-CONTROL: the max-age directive (\"max-age=\") followed by an integer; other directives MUST NOT be sent. The number SHOULD be at least 1800."),
            RuleLevel.Must,
            Root,
            "Reads the CACHE-CONTROL of every response and alive NOTIFY: 'max-age = N' (spaces, which the UCTT rejects), other directives and a missing max-age fail; a value under 1800 warns.",
            Reader(IsAdvertisement, "responses and alive NOTIFYs", SsdpRuleIds.CacheControl));

        yield return Passive(
            "SSDP-RESP-003",
            "DATE, when sent, is an RFC 1123 date",
            Uda("1.3.3", "DATE is RECOMMENDED; it is the RFC 1123 date the response was generated."),
            RuleLevel.Should,
            Root,
            "Reads the DATE of every search response.",
            Reader(i => i.Response is not null, "search responses", SsdpRuleIds.Date));

        yield return Passive(
            "SSDP-RESP-004",
            "EXT is present, with an empty value",
            Uda("1.3.3", "EXT is REQUIRED for backwards compatibility with UPnP 1.0; its value is empty. It confirms that the MAN header was understood."),
            RuleLevel.Must,
            Root,
            "Reads every search response: EXT missing fails (libPlatinum control points drop such answers), a value warns.",
            Reader(i => i.Response is not null, "search responses", SsdpRuleIds.Ext));

        yield return Passive(
            "SSDP-RESP-005",
            "LOCATION is an absolute http URL, not loopback for a remote device, the same in every answer",
            Uda("1.2.2, 1.3.3", "LOCATION is the URL of the root device's description; a single absolute URL."),
            RuleLevel.Must,
            Root,
            "Reads every response and alive NOTIFY: LOCATION is an absolute http URL; it does not name a loopback address unless the device itself is on loopback; answers of one boot (BOOTID) give one LOCATION.",
            CheckLocation);

        yield return Passive(
            "SSDP-RESP-006",
            "SERVER is 'OS/version UPnP/x.y product/version' with x.y 1.0, 1.1 or 2.0",
            Uda("1.2.2, 1.3.3", "SERVER: OS name/version, UPnP/1.1 and product name/version, separated by spaces."),
            RuleLevel.Must,
            Root,
            "Reads the SERVER of every response and alive NOTIFY: no UPnP/x.y token fails; commas, missing versions or free text warn.",
            Reader(IsAdvertisement, "responses and alive NOTIFYs", SsdpRuleIds.Server));

        yield return Passive(
            "SSDP-RESP-007",
            "ST/NT and USN take the UDA forms, agree with each other, and the USN's UUID is a UDN of the description",
            Uda("1.1.4, 1.2.2, 1.3.3", "USN is uuid:device-UUID, or uuid:device-UUID::upnp:rootdevice, or uuid:device-UUID::<device or service type>; device-UUID is the UDN of the device."),
            RuleLevel.Must,
            Root,
            "Reads every NOTIFY and response: a USN without 'uuid:', a doubled prefix, a USN that does not go with its NT/ST, or ST ssdp:all in an answer fail; and each USN's UUID must be a UDN of the recorded description.",
            CheckUsn);

        yield return Passive(
            "SSDP-RESP-008",
            "BOOTID.UPNP.ORG is a 31-bit decimal, the same in every message of one boot",
            Uda("1.2.2, 1.3.3", "BOOTID.UPNP.ORG is REQUIRED (UDA 1.1): a non-negative 31-bit integer, increased each time the device (re)joins; it MUST be the same in all messages until then."),
            RuleLevel.Must,
            Root,
            "Reads every response and NOTIFY: missing (from UPnP/1.1 on) or not a 31-bit decimal fails; an answer whose BOOTID is not that of the device's latest alive before it fails. Not applicable to a UPnP/1.0 device that sends none.",
            CheckBootId);

        yield return Passive(
            "SSDP-RESP-009",
            "CONFIGID.UPNP.ORG is 0..16777215 and equals the description's configId",
            Uda("1.2.2, 2.3", "CONFIGID.UPNP.ORG is REQUIRED (UDA 1.1): a decimal from 0 to 16777215 (higher values reserved), equal to the configId attribute of the description's root element."),
            RuleLevel.Must,
            Root,
            "Reads every response and NOTIFY, then compares the CONFIGID announced before the description was fetched with its configId. Not applicable to a UPnP/1.0 device that sends none.",
            CheckConfigId);

        yield return Passive(
            "SSDP-RESP-010",
            "SEARCHPORT.UPNP.ORG, when sent, is from 49152 to 65535",
            Uda("1.2.2, 1.3.3", "SEARCHPORT.UPNP.ORG is OPTIONAL; sent only when port 1900 is not available, with a value from 49152 to 65535."),
            RuleLevel.May,
            Root,
            "Reads every response and NOTIFY that carries SEARCHPORT.UPNP.ORG.",
            context =>
            {
                var items = Sent(context).Where(i => i.Response?.SearchPort is not null || i.Notify?.SearchPort is not null || i.Read.Violations.Any(v => v.RuleId == SsdpRuleIds.SearchPort)).ToList();
                return items.Count == 0
                    ? [context.NotApplicable("The device announces no SEARCHPORT.UPNP.ORG (it is optional).")]
                    : FromReader(context, items, "messages with SEARCHPORT", SsdpRuleIds.SearchPort);
            });
    }

    private static IEnumerable<Rule> NotifyRules()
    {
        yield return Passive(
            "SSDP-NOTIFY-001",
            "An alive NOTIFY is 'NOTIFY * HTTP/1.1' to the group, with HOST, CACHE-CONTROL, LOCATION, NT, NTS, SERVER and USN",
            Uda("1.2.2", "ssdp:alive is multicast to 239.255.255.250:1900 with HOST, CACHE-CONTROL, LOCATION, NT, NTS, SERVER, USN (and BOOTID, CONFIGID from UDA 1.1); no body."),
            RuleLevel.Must,
            Root,
            "Reads every alive NOTIFY: the request line, the required headers, and a HOST naming the group and port it went to.",
            CheckAlive);

        yield return Passive(
            "SSDP-NOTIFY-002",
            "An alive set has exactly the 3+2d+k (NT, USN) pairs of the description",
            Uda("1.2.2", "A root device sends 3 advertisements (rootdevice, UUID, device type), each embedded device 2 (UUID, type), and each device one per distinct service type."),
            RuleLevel.Must,
            Root,
            "Compares the distinct (NT, USN) pairs of the device's alive NOTIFYs with the pairs its recorded description calls for.",
            CheckAliveSet);

        yield return Passive(
            "SSDP-NOTIFY-003",
            "The initial set waits at most 100 ms and goes out more than once, at most 3 times",
            Uda("1.2.1, 1.2.2", "Devices SHOULD wait a random interval of up to 100 ms before sending an initial set of advertisements, and SHOULD send each message more than once (not more than 3 times) because UDP is unreliable."),
            RuleLevel.Should,
            Root,
            "Groups the alive NOTIFYs into bursts: each pair of a burst goes out 2 or 3 times. After a restart by the harness, the first alive comes within 100 ms (plus tolerance).",
            CheckRepeats);

        yield return Passive(
            "SSDP-NOTIFY-004",
            "Advertisements are refreshed before they expire (every max-age/2 or sooner)",
            Uda("1.2.2", "Devices MUST re-send their advertisements before they expire; it is RECOMMENDED to do so at random intervals shorter than half of max-age."),
            RuleLevel.Must,
            Root,
            "When the session lasts longer than max-age/2: the gaps between alive bursts must stay under max-age (fail) and under max-age/2 plus 10% (warn). Not applicable to shorter sessions.",
            CheckRefresh);

        yield return Passive(
            "SSDP-NOTIFY-005",
            "All messages of one set share max-age and BOOTID",
            Uda("1.2.2", "The advertisements of a device and its services are refreshed or cancelled as a unit; they carry the same max-age and BOOTID."),
            RuleLevel.Should,
            Root,
            "Within each burst of alive NOTIFYs: one max-age and one BOOTID.",
            CheckSetUnity);

        yield return Passive(
            "SSDP-BYEBYE-001",
            "A byebye goes out for every alive pair, with HOST, NT, NTS and USN",
            Uda("1.2.3", "When a device leaves, it SHOULD send a byebye for each alive it sent (not expired), with HOST, NT, NTS, USN and, from UDA 1.1, BOOTID and CONFIGID."),
            RuleLevel.Should,
            Root,
            "Reads every byebye of the device, and compares each byebye burst with the device's pairs. Not applicable when the device never left.",
            CheckByeBye);

        yield return Passive(
            "SSDP-BYEBYE-002",
            "Byebyes are not interleaved with alives",
            new SpecCitation(Interop, "UCTT UDA-1.1.1..1.1.3; UDA 1.1 1.2.3", null, "A device that flushes stale state with byebyes at start-up sends them all before its first alive; no byebye follows an alive of the same set (gssdp: 'Don't send interleaved byebye/alive')."),
            RuleLevel.Should,
            Root,
            "Within each burst of the device's NOTIFYs: no alive comes after a byebye that itself came after an alive.",
            CheckInterleaving);

        yield return Passive(
            "SSDP-UPDATE-001",
            "ssdp:update carries LOCATION, BOOTID, CONFIGID and NEXTBOOTID, and the next alive set carries NEXTBOOTID",
            Uda("1.2.4", "After a change (e.g. a new address on a multi-homed device), a device sends ssdp:update for each alive, with the old BOOTID and NEXTBOOTID.UPNP.ORG, then a new alive set whose BOOTID is that NEXTBOOTID."),
            RuleLevel.Must,
            Root,
            "Reads every ssdp:update of the device, and checks that the alive NOTIFYs after it carry BOOTID = NEXTBOOTID. Not applicable when no update was seen.",
            CheckUpdate);

        yield return ActiveRule(
            "SSDP-UPDATE-002",
            "BOOTID goes up when the device rejoins",
            Uda("1.2.2", "BOOTID.UPNP.ORG MUST be increased each time the device sends an initial announcement (or takes the NEXTBOOTID of its last update)."),
            RuleLevel.Must,
            "Restarts the device through the suite's hook and compares the BOOTID of the first alive after the restart with the one before; BOOTIDs of the session never go down. Not applicable to devices without BOOTID (UPnP/1.0).",
            CheckBootIdIncrease);

        yield return ActiveRule(
            "SSDP-CONFIG-001",
            "A changed description comes with a new CONFIGID, equal to the new configId",
            Uda("1.2.2, 2.3", "CONFIGID.UPNP.ORG changes when the device's or a service's description changes; control points refetch the description when CONFIGID changes."),
            RuleLevel.Must,
            "Changes the device's configuration through the suite's hook, then expects alives with a CONFIGID different from before, and a refetched description whose configId equals it. Not applicable without the hook or for UPnP/1.0 devices.",
            CheckConfigChange);

        yield return Passive(
            "SSDP-IPV6-001",
            "IPv6 NOTIFYs go to FF02::C from link-local sources (FF05::C otherwise) with the bracketed group in HOST",
            Uda("Annex A", "Link-local sources multicast to FF02::C and give a link-local LOCATION; ULA and global sources use the site-local group FF05::C. HOST carries the bracketed group and port."),
            RuleLevel.Must,
            Root,
            "Reads every IPv6 NOTIFY of the device. Not applicable when it sent none over IPv6.",
            CheckIpv6);

        yield return Passive(
            "SSDP-MH-001",
            "The LOCATION of each NOTIFY is reachable on the interface it went out of",
            Uda("1.2.2", "A multi-homed device advertises on every UPnP-enabled interface, each message with a LOCATION reachable through that interface."),
            RuleLevel.Must,
            Root,
            "Reads every alive NOTIFY: a loopback source gives a loopback LOCATION; any other source gives a LOCATION on its own address (not loopback, not another interface's address).",
            CheckInterfaceLocation);

        yield return Passive(
            "SSDP-CP-003",
            "Messages follow the HTTP message grammar (CRLF, one header per name, valid header lines)",
            Uda("1.1.2", "SSDP messages use the HTTP/1.1 message format: header lines 'name: value' ended by CRLF, an empty line after the headers."),
            RuleLevel.Must,
            [DeviceRole.UpnpRootDevice, DeviceRole.ControlPoint],
            "Reads every datagram of the device (or control point): bare LF line ends, lines without a colon, whitespace before the colon, control characters fail; duplicate headers warn. Header name case and a missing space after the colon are allowed.",
            context => context.Device.HasRole(DeviceRole.ControlPoint)
                ? FromReader(context, CpSearches(context), "searches", SsdpRuleIds.HttpGrammar)
                : FromReader(context, [.. Sent(context)], "messages", SsdpRuleIds.HttpGrammar));
    }

    /// <summary>The UDA 1.1 identifiers an alive of a UPnP/1.1 or 2.0 device lacks, or null.</summary>
    private static string? MissingIds(SsdpItem alive)
    {
        if (SsdpDevices.VersionToken(alive.Server) is not ("1.1" or "2.0"))
        {
            return null;
        }

        return alive.Notify!.BootId is null ? "BOOTID.UPNP.ORG" : alive.Notify.ConfigId is null ? "CONFIGID.UPNP.ORG" : null;
    }

    private static IEnumerable<Finding> CheckLocation(RuleContext context)
    {
        var items = Sent(context).Where(IsAdvertisement).ToList();
        foreach (var finding in FromReader(context, items, "responses and alive NOTIFYs", SsdpRuleIds.Location).Where(f => f.Verdict != Verdict.Pass))
        {
            yield return finding;
            yield break;
        }

        if (items.Count == 0)
        {
            yield break;
        }

        foreach (var item in items)
        {
            if (item.Location is { } location && Uri.TryCreate(location, UriKind.Absolute, out var url)
                && IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var host) && IPAddress.IsLoopback(host)
                && !IPAddress.IsLoopback(SsdpView.Normalize(item.Record.Source.Address)))
            {
                yield return context.Violation($"LOCATION '{location}' names a loopback address, but the device speaks from {item.Record.Source.Address}.", [item.Record], location, "an address of the device's interface");
                yield break;
            }
        }

        var groups = items.Where(i => i.Response is not null && i.Location is not null)
            .GroupBy(i => (i.BootId, i.Record.Source.AddressFamily))
            .Select(g => g.Select(i => i.Location!).Distinct(StringComparer.Ordinal).ToList())
            .FirstOrDefault(l => l.Count > 1);
        if (groups is not null)
        {
            yield return context.Violation($"The answers of one boot name {groups.Count} LOCATIONs: {string.Join(", ", groups.Take(3))}.", items.Where(i => groups.Contains(i.Location!)).Take(3).Select(i => i.Record), groups[1], groups[0]);
            yield break;
        }

        yield return context.Pass($"{Count(items.Count, "responses and alive NOTIFYs")} carry an absolute http LOCATION, one per boot.", items.Take(3).Select(i => i.Record));
    }

    private static IEnumerable<Finding> CheckUsn(RuleContext context)
    {
        var items = Sent(context).Where(IsAnyMessage).ToList();
        var problems = FromReader(context, items, "NOTIFYs and responses", SsdpRuleIds.UsnForm).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems.Where(f => f.Verdict != Verdict.Pass))
            {
                yield return finding;
            }

            yield break;
        }

        if (View(context).Description(context.Device) is { } described)
        {
            var udns = described.Description.AllDevices.Select(d => d.Udn.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var foreign = items.Where(i => i.Udn is { } udn && !udns.Contains(udn)).ToList();
            if (foreign.Count > 0)
            {
                yield return context.Violation(
                    $"USN '{foreign[0].Usn}' names {foreign[0].Udn}, which is no UDN of the description ({string.Join(", ", udns.Take(3))}).",
                    [foreign[0].Record, .. described.Exchange.Records],
                    foreign[0].Udn,
                    string.Join(" ", udns.Take(3)));
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckBootId(RuleContext context)
    {
        var items = Sent(context).Where(IsAnyMessage).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        if (IsUda10(context) && items.All(i => i.BootId is null))
        {
            yield return context.NotApplicable("The device says UPnP/1.0 and sends no BOOTID.UPNP.ORG (a UDA 1.1 addition).");
            yield break;
        }

        var problems = FromReader(context, items, "NOTIFYs and responses", SsdpRuleIds.BootId).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        SsdpItem? lastAlive = null;
        foreach (var item in items)
        {
            if (item.IsAlive || item.IsUpdate)
            {
                lastAlive = item.IsAlive ? item : null;
                continue;
            }

            if (item.Response is not null && lastAlive?.BootId is { } current && item.BootId is { } answered && answered != current)
            {
                yield return context.Violation($"An answer carries BOOTID {answered}, but the device's latest alive before it carried {current}.", [lastAlive.Record, item.Record], answered.ToString(System.Globalization.CultureInfo.InvariantCulture), current.ToString(System.Globalization.CultureInfo.InvariantCulture));
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckConfigId(RuleContext context)
    {
        var items = Sent(context).Where(IsAnyMessage).ToList();
        if (items.Count == 0)
        {
            yield break;
        }

        if (IsUda10(context) && items.All(i => i.ConfigId is null))
        {
            yield return context.NotApplicable("The device says UPnP/1.0 and sends no CONFIGID.UPNP.ORG (a UDA 1.1 addition).");
            yield break;
        }

        var problems = FromReader(context, items, "NOTIFYs and responses", SsdpRuleIds.ConfigId).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        if (View(context).Description(context.Device) is { } described && described.Description.ConfigId is { } configId)
        {
            var fetched = described.Exchange.Time;
            var announced = items.LastOrDefault(i => i.Time <= fetched && i.ConfigId is not null) ?? items.FirstOrDefault(i => i.ConfigId is not null);
            if (announced?.ConfigId is { } value && value != configId)
            {
                yield return context.Violation($"CONFIGID.UPNP.ORG is {value}, but the description's configId is {configId}.", [announced.Record, .. described.Exchange.Records], value.ToString(System.Globalization.CultureInfo.InvariantCulture), configId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckAlive(RuleContext context)
    {
        var alives = Sent(context).Where(i => i.IsAlive || (i.Notify is not null && i.Notify.Subtype == SsdpNotifySubtype.Other)).ToList();
        var problems = FromReader(context, alives, "alive NOTIFYs", SsdpRuleIds.NotifyHeaders).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        foreach (var alive in alives)
        {
            var destination = alive.Record.Destination;
            if (!destination.Address.IsMulticast())
            {
                yield return context.Violation($"An alive NOTIFY went unicast to {destination}, not to the SSDP group.", [alive.Record], destination.ToString(), "239.255.255.250 or FF0x::C");
                yield break;
            }

            var expected = SsdpMessage.HostFor(destination);
            if (!string.Equals(alive.Notify!.Host, expected, StringComparison.OrdinalIgnoreCase))
            {
                yield return context.Violation($"HOST is '{alive.Notify.Host}' in a NOTIFY sent to {expected}.", [alive.Record], alive.Notify.Host, expected, "HOST");
                yield break;
            }

            if (MissingIds(alive) is { } missing)
            {
                yield return context.Violation($"An alive of a {SsdpDevices.VersionToken(alive.Server)} device has no {missing} (required from UDA 1.1).", [alive.Record], null, missing);
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckAliveSet(RuleContext context)
    {
        var alives = Sent(context).Where(i => i.IsAlive).ToList();
        if (alives.Count == 0)
        {
            yield break;
        }

        if (View(context).Description(context.Device) is not { } described)
        {
            yield return context.NotApplicable("No description of the device was recorded, so its announcement set is unknown.");
            yield break;
        }

        // After a configuration change by the harness the set may legitimately change: judge the set before it.
        if (SsdpScenarios.Completed(context) is { ConfigurationBegin: { } changed })
        {
            alives = [.. alives.Where(i => i.Time < changed)];
        }

        var expected = SsdpScenario.Announced(described.Description, SsdpDevices.Udns(context.Device)[0]).Select(p => (St: p.NotificationType.Value, p.Usn)).ToList();
        var seen = alives.Select(i => (St: i.Target.Value, Usn: i.Usn.Value)).Distinct().ToList();
        var missing = expected.Where(e => !seen.Any(s => SamePair(s, e))).ToList();
        var extra = seen.Where(s => !expected.Any(e => SamePair(s, e))).ToList();
        var d = described.Description.AllDevices.Count() - 1;
        var formula = $"3+2d+k = {expected.Count} (d = {d})";
        if (missing.Count > 0 || extra.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add("never announced " + Describe(missing));
            }

            if (extra.Count > 0)
            {
                parts.Add("announced beyond the description " + Describe(extra));
            }

            yield return context.Violation($"The alive NOTIFYs carry {Count(seen.Count, "distinct pairs")} where {formula}: {string.Join("; ", parts)}.", [.. alives.Take(3).Select(i => i.Record), .. described.Exchange.Records], Describe(seen), Describe(expected));
            yield break;
        }

        yield return context.Pass($"The alive NOTIFYs carry exactly the {formula} pairs of the description.", alives.Take(3).Select(i => i.Record));
    }

    private static IEnumerable<Finding> CheckRepeats(RuleContext context)
    {
        var alives = Sent(context).Where(i => i.IsAlive).ToList();
        if (alives.Count == 0)
        {
            yield break;
        }

        var scenario = SsdpScenarios.Completed(context);
        if (scenario is { RestartAttempted: true, RestartError: null, RestartEnd: { } restarted })
        {
            var first = alives.FirstOrDefault(i => i.Time >= scenario.RestartBegin!.Value);
            if (first is not null)
            {
                var delay = first.Time - restarted;
                var bound = TimeSpan.FromMilliseconds(100) + scenario.Options.Tolerance;
                if (delay > bound)
                {
                    yield return context.Violation($"The first alive came {Ms(delay)} after the restart, later than 100 ms.", [first.Record], Ms(delay), "at most 100 ms");
                    yield break;
                }
            }
        }

        // Copies of a set may come a while apart on a loaded host: a set is what comes within 3 s with one BOOTID and CONFIGID.
        var bursts = Bursts(alives, TimeSpan.FromSeconds(3), context, splitOnBootId: true);
        foreach (var burst in bursts)
        {
            var copies = burst.GroupBy(i => i.Pair, StringComparer.Ordinal).Select(g => (Pair: g.Key, Count: g.Count(), First: g.First())).ToList();
            var tooMany = copies.FirstOrDefault(c => c.Count > 3);
            if (tooMany.Pair is not null)
            {
                yield return context.Violation($"The pair [{tooMany.Pair}] went out {tooMany.Count} times in one burst; at most 3.", burst.Take(4).Select(i => i.Record), tooMany.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "2 or 3");
                yield break;
            }
        }

        // The last burst may have been cut off by the end of the session: judge the others, or it when it is the only one.
        var judged = bursts.Count > 1 ? bursts.Take(bursts.Count - 1).ToList() : bursts;
        // A set sent once has no pair repeated (one lost datagram of a repeated set leaves the others repeated).
        var once = judged.FirstOrDefault(b => b.Count >= 2 && b.GroupBy(i => i.Pair, StringComparer.Ordinal).All(g => g.Count() == 1));
        if (once is not null)
        {
            yield return context.Violation($"A set of {Count(once.Count, "alive NOTIFYs")} went out only once: it should be sent more than once (UDP is unreliable).", once.Take(3).Select(i => i.Record), "1", "2 or 3");
            yield break;
        }

        yield return context.Pass($"{Count(bursts.Count, "bursts")} of alive NOTIFYs, each pair sent 2 or 3 times.", alives.Take(3).Select(i => i.Record));
    }

    private static IEnumerable<Finding> CheckRefresh(RuleContext context)
    {
        var alives = Sent(context).Where(i => i.IsAlive && i.MaxAge is > 0).ToList();
        if (alives.Count == 0)
        {
            yield break;
        }

        var maxAge = TimeSpan.FromSeconds(alives.Min(i => i.MaxAge!.Value));
        var end = context.Session.EndedAt ?? alives[^1].Time;
        var span = end - alives[0].Time;
        if (span < maxAge / 2)
        {
            yield return context.NotApplicable($"The session saw the device for {Ms(span)}, less than max-age/2 ({Ms(maxAge / 2)}): refreshes cannot be judged.");
            yield break;
        }

        var starts = Bursts(alives, BurstGap, context).Select(b => b[0]).ToList();
        var gaps = starts.Zip(starts.Skip(1), (a, b) => (From: a, To: b, Gap: b.Time - a.Time)).ToList();
        gaps.Add((starts[^1], starts[^1], end - starts[^1].Time));
        var worst = gaps.MaxBy(g => g.Gap);
        if (worst.Gap > maxAge)
        {
            yield return context.Violation($"No alive for {Ms(worst.Gap)}, longer than max-age ({Ms(maxAge)}): the advertisements expired.", [worst.From.Record, worst.To.Record], Ms(worst.Gap), "less than max-age");
        }
        else if (worst.Gap > (maxAge / 2) * 1.1)
        {
            yield return context.Warn($"Alive bursts {Ms(worst.Gap)} apart, more than max-age/2 ({Ms(maxAge / 2)}).", [worst.From.Record, worst.To.Record], Ms(worst.Gap), "at most max-age/2");
        }
        else
        {
            yield return context.Pass($"Alive bursts at most {Ms(worst.Gap)} apart over {Ms(span)} (max-age {Ms(maxAge)}).", starts.Take(3).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckSetUnity(RuleContext context)
    {
        var alives = Sent(context).Where(i => i.IsAlive).ToList();
        if (alives.Count == 0)
        {
            yield break;
        }

        foreach (var burst in Bursts(alives, BurstGap, context))
        {
            var ages = burst.Select(i => i.MaxAge).Distinct().ToList();
            var boots = burst.Select(i => i.BootId).Distinct().ToList();
            if (ages.Count > 1 || boots.Count > 1)
            {
                var what = ages.Count > 1 ? $"max-age {string.Join(" / ", ages)}" : $"BOOTID {string.Join(" / ", boots)}";
                yield return context.Violation($"One burst of alive NOTIFYs mixes {what}.", burst.Take(4).Select(i => i.Record), what, "one value per set");
                yield break;
            }
        }

        yield return context.Pass("Every burst of alive NOTIFYs carries one max-age and one BOOTID.", alives.Take(3).Select(i => i.Record));
    }

    private static IEnumerable<Finding> CheckByeBye(RuleContext context)
    {
        var byebyes = Sent(context).Where(i => i.IsByeBye).ToList();
        var scenario = SsdpScenarios.Completed(context);
        if (scenario is { RestartAttempted: true, RestartError: null } && !byebyes.Any(i => i.Time >= scenario.RestartBegin!.Value && i.Time <= scenario.RestartEnd!.Value + scenario.Options.Settle))
        {
            yield return context.Violation("The device was restarted by the harness and sent no byebye while it went down.", [], "no byebye", "a byebye for every alive pair");
            yield break;
        }

        if (byebyes.Count == 0)
        {
            yield return context.NotApplicable("No byebye was seen (the device did not leave during the session).");
            yield break;
        }

        var problems = FromReader(context, byebyes, "byebye NOTIFYs", SsdpRuleIds.ByeByeHeaders).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        var version = SsdpDevices.UpnpVersion(context.Device);
        var bare = version >= 11 ? byebyes.FirstOrDefault(i => i.Notify!.BootId is null || i.Notify.ConfigId is null) : null;
        if (bare is not null)
        {
            var missing = bare.Notify!.BootId is null ? "BOOTID.UPNP.ORG" : "CONFIGID.UPNP.ORG";
            yield return context.Violation($"A byebye of a UPnP/{context.Device.Metadata.GetValueOrDefault(SsdpDevices.UpnpVersionKey)} device has no {missing} (required from UDA 1.1).", [bare.Record], null, missing);
            yield break;
        }

        var pairs = View(context).Description(context.Device) is { } described
            ? SsdpScenario.Announced(described.Description, SsdpDevices.Udns(context.Device)[0]).Select(p => p.NotificationType.Value + " | " + p.Usn).ToList()
            : Sent(context).Where(i => i.IsAlive).Select(i => i.Pair).Distinct(StringComparer.Ordinal).ToList();
        foreach (var burst in Bursts(byebyes, BurstGap, context))
        {
            var sent = burst.Select(i => i.Pair).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var missing = pairs.Where(p => !sent.Contains(p)).ToList();
            if (missing.Count > 0)
            {
                yield return context.Violation($"A byebye burst of {Count(sent.Count, "pairs")} leaves out {Count(missing.Count, "pairs")}, e.g. [{missing[0]}].", burst.Take(3).Select(i => i.Record), Count(sent.Count, "pairs"), Count(pairs.Count, "pairs"));
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckInterleaving(RuleContext context)
    {
        var notifies = Sent(context).Where(i => i.IsAlive || i.IsByeBye).ToList();
        if (!notifies.Any(i => i.IsByeBye))
        {
            yield return context.NotApplicable("The device sent no byebye during the session.");
            yield break;
        }

        foreach (var burst in Bursts(notifies, BurstGap, context))
        {
            var seenAlive = false;
            SsdpItem? byeAfterAlive = null;
            foreach (var item in burst)
            {
                if (item.IsAlive && byeAfterAlive is not null)
                {
                    yield return context.Violation("A byebye came between alive NOTIFYs of one burst: byebye and alive are interleaved.", [byeAfterAlive.Record, item.Record], "alive, byebye, alive", "all byebyes before the first alive");
                    yield break;
                }

                if (item.IsAlive)
                {
                    seenAlive = true;
                }
                else if (seenAlive)
                {
                    byeAfterAlive = item;
                }
            }
        }

        yield return context.Pass("No byebye is interleaved with alive NOTIFYs.", notifies.Where(i => i.IsByeBye).Take(3).Select(i => i.Record));
    }

    private static IEnumerable<Finding> CheckUpdate(RuleContext context)
    {
        var sent = Sent(context);
        var updates = sent.Where(i => i.IsUpdate).ToList();
        if (updates.Count == 0)
        {
            yield return context.NotApplicable("No ssdp:update was seen.");
            yield break;
        }

        var problems = FromReader(context, updates, "ssdp:update NOTIFYs", SsdpRuleIds.UpdateHeaders).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        var last = updates[^1];
        var next = sent.FirstOrDefault(i => i.IsAlive && i.Time > last.Time);
        if (next is not null && last.Notify!.NextBootId is { } expected && next.BootId != expected)
        {
            yield return context.Violation($"The alive after the update carries BOOTID {next.BootId}, not the announced NEXTBOOTID {expected}.", [last.Record, next.Record], next.BootId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield break;
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckBootIdIncrease(RuleContext context, SsdpScenarioResult result)
    {
        var alives = Sent(context).Where(i => i.IsAlive && i.BootId is not null).ToList();
        if (alives.Count == 0)
        {
            yield return context.NotApplicable(IsUda10(context) ? "The device says UPnP/1.0 and sends no BOOTID.UPNP.ORG." : "No alive NOTIFY with a BOOTID was seen.");
            yield break;
        }

        for (var i = 1; i < alives.Count; i++)
        {
            if (alives[i].BootId < alives[i - 1].BootId)
            {
                yield return context.Violation($"BOOTID went down from {alives[i - 1].BootId} to {alives[i].BootId}.", [alives[i - 1].Record, alives[i].Record]);
                yield break;
            }
        }

        if (!result.RestartAttempted)
        {
            yield return context.NotApplicable("The device could not be restarted (no restart hook), so a new BOOTID cannot be provoked; the BOOTIDs seen never go down.");
            yield break;
        }

        if (result.RestartError is { } error)
        {
            yield return new Finding(context.Rule.Id, context.Device.Id, Verdict.Error, "The restart failed: " + error);
            yield break;
        }

        var after = alives.FirstOrDefault(i => i.Time >= result.RestartBegin!.Value);
        if (after is null)
        {
            yield return context.Violation($"No alive NOTIFY followed the restart within {Ms(result.Options.Settle)}.", [], "silence", "an alive set with a new BOOTID");
            yield break;
        }

        yield return result.BootIdBefore is { } before && after.BootId <= before
            ? context.Violation($"After the restart the BOOTID is {after.BootId}, not above the {before} of before.", [after.Record], after.BootId?.ToString(System.Globalization.CultureInfo.InvariantCulture), "more than " + before.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : context.Pass($"After the restart the BOOTID went from {result.BootIdBefore} to {after.BootId}.", [after.Record]);
    }

    private static IEnumerable<Finding> CheckConfigChange(RuleContext context, SsdpScenarioResult result)
    {
        if (IsUda10(context) && Sent(context).All(i => i.ConfigId is null))
        {
            yield return context.NotApplicable("The device says UPnP/1.0 and sends no CONFIGID.UPNP.ORG.");
            yield break;
        }

        if (!result.ConfigurationAttempted)
        {
            yield return context.NotApplicable("The device's configuration could not be changed (no hook).");
            yield break;
        }

        if (result.ConfigurationError is { } error)
        {
            yield return new Finding(context.Rule.Id, context.Device.Id, Verdict.Error, "The configuration change failed: " + error);
            yield break;
        }

        var after = Sent(context).FirstOrDefault(i => i.IsAlive && i.Time >= result.ConfigurationBegin!.Value && i.ConfigId is not null);
        if (after is null)
        {
            yield return context.Violation($"No alive NOTIFY with CONFIGID followed the configuration change within {Ms(result.Options.Settle)}.", [], "silence", "alives with a new CONFIGID");
            yield break;
        }

        if (after.ConfigId == result.ConfigIdBefore)
        {
            yield return context.Violation($"After the configuration change the CONFIGID is still {after.ConfigId}.", [after.Record], after.ConfigId?.ToString(System.Globalization.CultureInfo.InvariantCulture), "a new value");
            yield break;
        }

        var fetched = result.ConfigurationFetch is { Response.Length: > 0 } fetch ? SsdpHttpMessage.Parse(fetch.Response) : null;
        var configId = fetched is { StatusCode: 200 } ? Harness.Ssdp.Description.UpnpDescriptionReader.Read(fetched.Body.Span).Description?.ConfigId : null;
        if (configId is not null && configId != after.ConfigId)
        {
            yield return context.Violation($"The new CONFIGID is {after.ConfigId}, but the refetched description's configId is {configId}.", [after.Record], configId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), after.ConfigId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield break;
        }

        yield return context.Pass($"The CONFIGID went from {result.ConfigIdBefore} to {after.ConfigId}" + (configId is null ? "." : ", the refetched description's configId with it."), [after.Record]);
    }

    private static IEnumerable<Finding> CheckIpv6(RuleContext context)
    {
        var notifies = Sent(context).Where(i => i.Notify is not null && i.Record.Destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6).ToList();
        if (notifies.Count == 0)
        {
            yield return context.NotApplicable("The device sent no NOTIFY over IPv6.");
            yield break;
        }

        foreach (var item in notifies)
        {
            var source = item.Record.Source.Address;
            var group = item.Record.Destination.Address;
            var expected = source.IsIPv6LinkLocal ? SsdpMulticast.IPv6LinkLocalGroup : SsdpMulticast.IPv6SiteLocalGroup;
            if (!group.Equals(expected) && !(group.Equals(SsdpMulticast.IPv6LinkLocalGroup) && IPAddress.IsLoopback(source)))
            {
                yield return context.Violation($"A NOTIFY from {source} went to {group}; that source uses {expected}.", [item.Record], group.ToString(), expected.ToString());
                yield break;
            }

            var host = SsdpMessage.HostFor(item.Record.Destination);
            if (!string.Equals(item.Notify!.Host, host, StringComparison.OrdinalIgnoreCase))
            {
                yield return context.Violation($"HOST is '{item.Notify.Host}'; an IPv6 NOTIFY to {group} carries '{host}'.", [item.Record], item.Notify.Host, host, "HOST");
                yield break;
            }
        }

        yield return context.Pass($"{Count(notifies.Count, "IPv6 NOTIFYs")} went to the right group with a bracketed HOST.", notifies.Take(3).Select(i => i.Record));
    }

    private static IEnumerable<Finding> CheckInterfaceLocation(RuleContext context)
    {
        var alives = Sent(context).Where(i => i.IsAlive && i.Location is not null).ToList();
        if (alives.Count == 0)
        {
            yield break;
        }

        foreach (var item in alives)
        {
            if (!Uri.TryCreate(item.Location, UriKind.Absolute, out var url) || !IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var host))
            {
                continue; // host names and broken URLs: SSDP-RESP-005
            }

            host = SsdpView.Normalize(host);
            var source = SsdpView.Normalize(item.Record.Source.Address);
            var ok = IPAddress.IsLoopback(source) ? IPAddress.IsLoopback(host) : host.Equals(source);
            if (!ok)
            {
                yield return context.Violation($"A NOTIFY from {source} names LOCATION host {host}, which is not reachable through the interface it went out of.", [item.Record], host.ToString(), source.ToString());
                yield break;
            }
        }

        yield return context.Pass($"{Count(alives.Count, "alive NOTIFYs")} name a LOCATION on the address they came from.", alives.Take(3).Select(i => i.Record));
    }
}
