using Harness.Conformance.Model;
using Harness.Core.Transport;
using Harness.Ssdp.Messages;
using static Harness.Conformance.Ssdp.SsdpChecks;
using static Harness.Conformance.Ssdp.SsdpScenario;

namespace Harness.Conformance.Ssdp;

public static partial class SsdpRules
{
    private static IEnumerable<Rule> SearchRules()
    {
        yield return ActiveRule(
            "SSDP-MSEARCH-001",
            "An M-SEARCH whose request line is not exactly 'M-SEARCH * HTTP/1.1' is not answered",
            Uda("1.3.2", "The request line of a search is 'M-SEARCH * HTTP/1.1'; the request-URI is '*' and the version HTTP/1.1."),
            RuleLevel.Must,
            "Multicasts three malformed request lines (a path instead of '*', HTTP/1.0, 'HTTP1.1') with ST uuid:<root>; none may be answered within the window. UCTT refuses HTTP/1.0; gssdp checks '*' and the version.",
            (context, result) => ExpectSilence(context, result, "the request line is malformed and the search must be ignored.", LinePath, LineHttp10, LineNoSlash));

        yield return ActiveRule(
            "SSDP-MSEARCH-002",
            "A multicast M-SEARCH without MX is silently discarded",
            Uda("1.3.2", "MX is REQUIRED in a multicast search; a device receiving a multicast M-SEARCH without MX discards it."),
            RuleLevel.Must,
            "Multicasts a search with ST uuid:<root> and no MX; no answer may come within the window (UCTT UDA-1.2.9).",
            (context, result) => ExpectSilence(context, result, "a multicast search without MX must be discarded.", NoMx));

        yield return ActiveRule(
            "SSDP-MSEARCH-003",
            "An M-SEARCH whose MX is not an integer of at least 1 is discarded",
            Uda("1.3.2", "MX: the maximum wait in seconds, an integer greater than or equal to 1."),
            RuleLevel.Must,
            "Multicasts searches with MX '0', '-1', 'abc' and empty; none may be answered (gssdp: MX must be a positive integer).",
            (context, result) => ExpectSilence(context, result, "MX is not an integer of at least 1.", MxZero, MxNegative, MxText, MxEmpty));

        yield return ActiveRule(
            "SSDP-MSEARCH-004",
            "MX above 5 is treated as 5",
            Uda("1.3.2", "A device receiving an MX greater than 5 SHOULD assume 5."),
            RuleLevel.Should,
            "Multicasts three searches with MX 120 and ST uuid:<root>; each answer must come within 5 s plus the tolerance. A device that does not clamp answers within 120 s: all three within the bound only by rare chance.",
            CheckClamp);

        yield return ActiveRule(
            "SSDP-MSEARCH-005",
            "An M-SEARCH whose MAN is not the quoted \"ssdp:discover\" is not answered",
            Uda("1.3.2", "MAN is REQUIRED and is the quoted string \"ssdp:discover\"."),
            RuleLevel.Must,
            "Multicasts searches with MAN missing, empty, unquoted (ssdp:discover) and \"ssdp:notify\"; strict devices answer none (UCTT UDA-1.2.10). An answer is the 'lenient-man' deviation.",
            (context, result) => ExpectSilence(context, result, "MAN is not the quoted string \"ssdp:discover\".", ManMissing, ManEmpty, ManUnquoted, ManOther));

        yield return ActiveRule(
            "SSDP-MSEARCH-008",
            "ssdp:all gets one answer per (NT, USN) pair of the announcement set, with the NT as ST",
            Uda("1.3.3", "For ssdp:all a device answers once for each of its root device, embedded devices and services, with the ST set to the NT of that advertisement."),
            RuleLevel.Must,
            "Multicasts ssdp:all (MX 2); the answers must be exactly the 3+2d+k pairs of the description (NT as ST, never ssdp:all), no more, no fewer.",
            (context, result) => result.First(AllA) is { } all
                ? [ExpectPairs(context, result, all, Due(result, SsdpTarget.AllValue))]
                : []);

        yield return ActiveRule(
            "SSDP-MSEARCH-009",
            "upnp:rootdevice gets exactly one answer with USN uuid:<root>::upnp:rootdevice",
            Uda("1.3.3", "ST upnp:rootdevice is answered once per root device, with USN uuid:device-UUID::upnp:rootdevice."),
            RuleLevel.Must,
            "Multicasts ST upnp:rootdevice; exactly one answer, ST upnp:rootdevice, USN uuid:<root>::upnp:rootdevice.",
            (context, result) => result.First(RootDevice) is { } root
                ? [ExpectPairs(context, result, root, Due(result, SsdpTarget.RootDeviceValue))]
                : []);

        yield return ActiveRule(
            "SSDP-MSEARCH-010",
            "uuid:<UDN> gets exactly one answer for the root or an embedded device, none for an unknown UUID",
            Uda("1.3.3", "ST uuid:device-UUID is answered once by the device with that UDN, with USN uuid:device-UUID."),
            RuleLevel.Must,
            "Multicasts ST uuid:<root>, uuid:<each embedded UDN> and a random unknown UUID; one answer each (ST and USN the UUID), none for the unknown one.",
            CheckUuidSearches);

        yield return ActiveRule(
            "SSDP-MSEARCH-011",
            "A device type search gets one answer per device of that type",
            Uda("1.3.3", "ST urn:domain:device:deviceType:ver is answered by each device of that type, with USN uuid:device-UUID::urn:domain:device:deviceType:ver."),
            RuleLevel.Must,
            "Multicasts each device type of the description; one answer per (root or embedded) device of that type with the matching USN.",
            (context, result) => result.Named(DeviceType).Select(s => ExpectPairs(context, result, s, Due(result, s.SearchTarget))));

        yield return ActiveRule(
            "SSDP-MSEARCH-012",
            "A service type search gets one answer per device that has that service",
            Uda("1.3.3", "ST urn:domain:service:serviceType:ver is answered once per device containing the service, with USN uuid:device-UUID::urn:domain:service:serviceType:ver."),
            RuleLevel.Must,
            "Multicasts each service type of the description; one answer per device that contains it, with that device's UDN in the USN.",
            (context, result) => result.Named(ServiceType).Select(s => ExpectPairs(context, result, s, Due(result, s.SearchTarget))));

        yield return ActiveRule(
            "SSDP-MSEARCH-013",
            "A search for a lower version is answered with the requested version; a higher version is not answered",
            Uda("1.3.2", "A device implementing version N of a type answers searches for versions 1..N, echoing the version searched for in ST; it does not answer searches for a version above N."),
            RuleLevel.Must,
            "For each type of version 2 or more, searches version N-1 and expects an answer whose ST carries N-1; searches the root device type at its highest version + 1 and expects silence.",
            CheckVersionRule);

        yield return ActiveRule(
            "SSDP-MSEARCH-014",
            "Type matching is exact on domain, kind and type name",
            Uda("1.3.2", "Device and service types compare exactly on domain name, kind and type; only the trailing integer version is compared numerically."),
            RuleLevel.Must,
            "Searches the root device type without its version, with the type name in lower case, and with 'service' as the kind; none may be answered.",
            (context, result) => ExpectSilence(context, result, "the type does not match exactly.", ExactNoVersion, ExactCase, ExactKind));

        yield return ActiveRule(
            "SSDP-MSEARCH-015",
            "Answers to a multicast search come after a random delay within MX",
            Uda("1.3.2", "A device SHOULD wait a random interval between 0 and MX seconds before answering a multicast search, to spread the load."),
            RuleLevel.Should,
            "Over every multicast search of the scenario: no answer later than MX (plus tolerance); and four searches with MX 3 sent together are not all answered within 250 ms of each other (a burst at once).",
            CheckSpread);

        yield return ActiveRule(
            "SSDP-MSEARCH-016",
            "Waiting out one MX does not block another search",
            Uda("1.3.2", "Searches are independent: each is answered within its own MX."),
            RuleLevel.Must,
            "Sends two ssdp:all searches 150 ms apart from two ports (MX 2); both must get the complete answer set.",
            CheckOverlap);

        yield return ActiveRule(
            "SSDP-MSEARCH-017",
            "Search answers go unicast to the source address and port of the search",
            Uda("1.3.3", "The response is sent as unicast UDP to the IP address and port the search came from."),
            RuleLevel.Must,
            "Every search came from a port of its own; its answers must arrive on that port, unicast. Answers sent to the multicast group are violations.",
            CheckUnicastAnswers);

        yield return ActiveRule(
            "SSDP-MSEARCH-018",
            "A unicast M-SEARCH without MX is answered within a second",
            Uda("1.3.2", "A unicast search carries HOST with the device's address and port and no MX; the device SHOULD answer within 1 second."),
            RuleLevel.Should,
            "Sends ST upnp:rootdevice to the LOCATION host on SEARCHPORT (or the SSDP port), HOST that address, no MX; the answer must come within 1 s (plus tolerance). Not applicable to UDA 1.0 devices (unicast search is a 1.1 addition).",
            (context, result) => CheckUnicastSearch(context, result, timed: true));

        yield return ActiveRule(
            "SSDP-MSEARCH-019",
            "Unicast search works on SEARCHPORT, or on port 1900 when none is announced",
            Uda("1.2.2, 1.3.2", "SEARCHPORT.UPNP.ORG names the port a device listens to unicast M-SEARCH on when 1900 is not available; without it, unicast searches go to 1900."),
            RuleLevel.Must,
            "The unicast search of SSDP-MSEARCH-018 must be answered at all within the window. Not applicable to UDA 1.0 devices.",
            (context, result) => CheckUnicastSearch(context, result, timed: false));

        yield return ActiveRule(
            "SSDP-CP-005",
            "Non-UPnP datagrams on the SSDP port do not stop the device",
            Uda("1.1.5", "Messages that are not understood are ignored; receivers survive any datagram on the SSDP port (PNRP, GDM, garbage)."),
            RuleLevel.Should,
            "Sends 300 random bytes, a Windows PNRP-style NOTIFY and a truncated M-SEARCH to the device, then a well-formed search, which must still be answered.",
            CheckSurvival);
    }

    private static IEnumerable<Finding> CheckClamp(RuleContext context, SsdpScenarioResult result)
    {
        var probes = result.Named(Clamp).ToList();
        var control = result.First(Control);
        if (probes.Count == 0 || control is null || Answers(context, result, control).Count == 0)
        {
            yield return context.NotApplicable("The device did not answer the well-formed control search, so the clamp cannot be judged (see SSDP-MSEARCH-010).");
            yield break;
        }

        var bound = result.Options.ClampBound + result.Options.Tolerance;
        var latest = TimeSpan.Zero;
        foreach (var probe in probes)
        {
            var answers = Answers(context, result, probe);
            var evidence = new[] { probe.Request }.Concat(answers.Take(3).Select(a => a.Record));
            if (answers.Count == 0)
            {
                yield return context.Violation(
                    $"No answer within {Ms(result.Ended - probe.Request.Timestamp)} to a search with MX {result.Options.ClampMx}: a device that treats MX above 5 as 5 answers within 5 s.",
                    evidence,
                    "silence",
                    "an answer within " + Ms(bound));
                yield break;
            }

            var late = answers.Max(a => a.Time - probe.Request.Timestamp);
            if (late > bound)
            {
                yield return context.Violation($"An answer to a search with MX {result.Options.ClampMx} came after {Ms(late)}, beyond {Ms(bound)}: MX is not clamped to 5.", evidence, Ms(late), "at most " + Ms(bound));
                yield break;
            }

            latest = late > latest ? late : latest;
        }

        yield return context.Pass($"Answered {Count(probes.Count, "searches")} with MX {result.Options.ClampMx} within {Ms(latest)} (bound {Ms(bound)}).", probes.Select(p => p.Request));
    }

    private static IEnumerable<Finding> CheckOverlap(RuleContext context, SsdpScenarioResult result)
    {
        // Completeness by USN: whether each answer's ST is right is SSDP-MSEARCH-008's concern.
        var due = Due(result, SsdpTarget.AllValue).Select(p => p.Usn).ToList();
        foreach (var search in result.Named(AllA).Concat(result.Named(AllB)))
        {
            var usns = Answers(context, result, search).Select(a => a.Usn.Value).ToList();
            var missing = due.Where(u => !usns.Contains(u, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                yield return context.Violation(
                    $"The overlapping ssdp:all search from port {search.Request.Source.Port} got {Count(usns.Count, "answers")}; missing {Count(missing.Count, "USNs")}, e.g. {missing[0]}.",
                    [search.Request],
                    Count(usns.Count, "answers"),
                    Count(due.Count, "answers"));
                yield break;
            }
        }

        yield return context.Pass($"Both overlapping ssdp:all searches got all {Count(due.Count, "USNs")}.", result.Named(AllA).Concat(result.Named(AllB)).Select(s => s.Request));
    }

    private static IEnumerable<Finding> CheckUuidSearches(RuleContext context, SsdpScenarioResult result)
    {
        foreach (var stimulus in result.Named(Control).Concat(result.Named(UuidEmbedded)))
        {
            yield return ExpectPairs(context, result, stimulus, Due(result, stimulus.SearchTarget));
        }

        if (result.First(UuidUnknown) is { } unknown)
        {
            var answers = Answers(context, result, unknown);
            yield return answers.Count == 0
                ? context.Pass($"No answer to {unknown.SearchTarget}, a UUID the device does not have.", [unknown.Request])
                : context.Violation($"Answered {unknown.SearchTarget}, a UUID the device does not have.", [unknown.Request, .. answers.Take(3).Select(a => a.Record)], Count(answers.Count, "answers"), "silence");
        }
    }

    private static IEnumerable<Finding> CheckVersionRule(RuleContext context, SsdpScenarioResult result)
    {
        foreach (var stimulus in result.Named(VersionLower))
        {
            yield return ExpectPairs(context, result, stimulus, Due(result, stimulus.SearchTarget));
        }

        foreach (var finding in ExpectSilence(context, result, "no type of the device is of that version.", VersionHigher))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckSpread(RuleContext context, SsdpScenarioResult result)
    {
        var delays = new List<(SsdpStimulus Stimulus, SsdpItem Answer, TimeSpan Delay)>();
        foreach (var stimulus in result.Stimuli.Where(s => s.Multicast && s.Expect == SsdpExpect.Answer && s.Mx is >= 1 and <= 5))
        {
            delays.AddRange(Answers(context, result, stimulus).Select(a => (stimulus, a, a.Time - stimulus.Request.Timestamp)));
        }

        if (delays.Count == 0)
        {
            yield break;
        }

        var late = delays.Where(d => d.Delay > TimeSpan.FromSeconds(d.Stimulus.Mx!.Value) + result.Options.Tolerance).ToList();
        if (late.Count > 0)
        {
            var worst = late.MaxBy(d => d.Delay);
            yield return context.Violation(
                $"{Count(late.Count, "answers")} came later than MX: {Ms(worst.Delay)} after a search with MX {worst.Stimulus.Mx}.",
                [worst.Stimulus.Request, worst.Answer.Record],
                Ms(worst.Delay),
                $"at most {worst.Stimulus.Mx} s");
            yield break;
        }

        // Four searches sent at once: with random delays in [0, MX] their first answers are spread over MX; at once they all
        // come together (whatever the latency of the path, which is the same for all four).
        var spread = delays.Where(d => d.Stimulus.Name == Spread).GroupBy(d => d.Stimulus).Select(g => g.Min(d => d.Delay)).ToList();
        if (spread.Count >= 3 && spread.Max() - spread.Min() < TimeSpan.FromMilliseconds(250))
        {
            yield return context.Violation(
                $"{Count(spread.Count, "searches")} with MX {result.Options.SpreadProbeMx} sent together were answered within {Ms(spread.Max() - spread.Min())} of each other ({Ms(spread.Min())} to {Ms(spread.Max())}): the answers are not delayed at random within MX.",
                result.Named(Spread).Select(s => s.Request),
                Ms(spread.Max() - spread.Min()),
                "random delays in [0, MX]");
            yield break;
        }

        yield return context.Pass($"{Count(delays.Count, "answers")} came within MX, delays from {Ms(delays.Min(d => d.Delay))} to {Ms(delays.Max(d => d.Delay))}.", delays.Take(3).Select(d => d.Answer.Record));
    }

    private static IEnumerable<Finding> CheckUnicastAnswers(RuleContext context, SsdpScenarioResult result)
    {
        var multicast = Sent(context).Where(i => i.Response is not null && i.Record.Destination.Address.IsMulticast()).ToList();
        if (multicast.Count > 0)
        {
            yield return context.Violation($"{Count(multicast.Count, "search answers")} went to the multicast group instead of the searcher.", multicast.Take(3).Select(i => i.Record), multicast[0].Record.Destination.ToString(), "the search's source address and port");
            yield break;
        }

        var answers = result.Stimuli.SelectMany(s => Answers(context, result, s).Select(a => (Stimulus: s, Answer: a))).ToList();
        if (answers.Count == 0)
        {
            yield break;
        }

        var stray = answers.Where(a => a.Answer.Record.Destination.Port != a.Stimulus.Request.Source.Port).ToList();
        yield return stray.Count == 0
            ? context.Pass($"{Count(answers.Count, "answers")} reached the ephemeral port of their search, unicast.", answers.Take(3).Select(a => a.Answer.Record))
            : context.Violation($"{Count(stray.Count, "answers")} reached another port than their search's.", stray.Take(3).Select(a => a.Answer.Record));
    }

    private static IEnumerable<Finding> CheckUnicastSearch(RuleContext context, SsdpScenarioResult result, bool timed)
    {
        if (IsUda10(context))
        {
            yield return context.NotApplicable("The device says UPnP/1.0: unicast search is a UDA 1.1 addition.");
            yield break;
        }

        if (result.First(Unicast) is not { } unicast)
        {
            yield return context.NotApplicable("The device's unicast address is not known (its LOCATION host is not an IP address).");
            yield break;
        }

        var answers = Answers(context, result, unicast);
        var evidence = new[] { unicast.Request }.Concat(answers.Take(2).Select(a => a.Record));
        if (answers.Count == 0)
        {
            yield return context.Violation($"No answer to the {unicast.Detail} within {Ms(result.Ended - unicast.Request.Timestamp)}.", evidence, "silence", "an answer");
            yield break;
        }

        var delay = answers[0].Time - unicast.Request.Timestamp;
        var bound = TimeSpan.FromSeconds(1) + result.Options.Tolerance;
        if (timed && delay > bound)
        {
            yield return context.Violation($"The {unicast.Detail} was answered after {Ms(delay)}, later than 1 s.", evidence, Ms(delay), "within 1 s");
            yield break;
        }

        yield return context.Pass($"The {unicast.Detail} was answered after {Ms(delay)}.", evidence);
    }

    private static IEnumerable<Finding> CheckSurvival(RuleContext context, SsdpScenarioResult result)
    {
        var survival = result.First(Survival);
        var control = result.First(Control);
        if (survival is null || control is null || Answers(context, result, control).Count == 0)
        {
            yield return context.NotApplicable("The device did not answer the well-formed control search, so its survival cannot be told (see SSDP-MSEARCH-010).");
            yield break;
        }

        var noise = result.Named(Noise).Select(s => s.Request).ToList();
        var answers = Answers(context, result, survival);
        yield return answers.Count > 0
            ? context.Pass($"After {Count(noise.Count, "non-UPnP datagrams")} the device still answered a search ({Ms(answers[0].Time - survival.Request.Timestamp)}).", [.. noise, survival.Request, answers[0].Record])
            : context.Violation($"After {Count(noise.Count, "non-UPnP datagrams")} the device no longer answered a well-formed search.", [.. noise, survival.Request], "silence", "an answer");
    }
}
