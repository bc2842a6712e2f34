using Harness.Conformance.Model;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Wsd.WsdChecks;

namespace Harness.Conformance.Wsd;

public static partial class WsdRules
{
    private static IEnumerable<Rule> AnnouncementRules()
    {
        yield return ActiveRule(
            "WSD-HB-001",
            "A joining device multicasts Hello with its EPR and MetadataVersion",
            new(Wsd2005, "4.1", Url2005, "When a target service joins the network (start, restart, metadata change) it multicasts a Hello carrying its endpoint reference and MetadataVersion."),
            RuleLevel.Must,
            Target,
            "Every Hello seen must carry an endpoint address and a MetadataVersion; when the target can restart the device, a Hello must follow the restart within 2 × APP_MAX_DELAY + 1 s.",
            CheckHello);

        yield return ActiveRule(
            "WSD-HB-002",
            "Hello comes within APP_MAX_DELAY of joining",
            new(Wsd2005 + "; " + SoapUdp, "4.1; Appendix I", Url2005, "A Hello is delayed by a random time up to APP_MAX_DELAY (500 ms) after joining; WSDAPI documents sending it at once, which is within the bound."),
            RuleLevel.Should,
            Target,
            "Measures the time from the end of a restart to the first copy of the Hello; it must not exceed APP_MAX_DELAY plus a scheduling tolerance. Measured, not judged, for randomness.",
            CheckHelloDelay);

        yield return ActiveRule(
            "WSD-HB-003",
            "A device that leaves gracefully multicasts Bye with the same EPR",
            new(Wsd2005, "4.2", Url2005, "A target service that leaves the network should multicast a Bye naming its endpoint reference."),
            RuleLevel.Should,
            Target,
            "When the target can restart the device: a Bye with the device's endpoint address must go out while it stops.",
            CheckBye);

        yield return Passive(
            "WSD-HB-005",
            "An ONVIF Hello lists tds:Device, scopes and XAddrs",
            new(OnvifCore, "7.3.2", UrlOnvif, "The Hello of an ONVIF device carries the types (including tds:Device), the scopes and the XAddrs of its device service."),
            RuleLevel.Must,
            Camera,
            "Reads every Hello of the camera.",
            CheckOnvifHello);
    }

    private static IEnumerable<Finding> CheckHello(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        var hellos = view.From(context.Device).Where(i => i.Message is WsdHello).ToList();
        var clean = true;
        foreach (var hello in hellos)
        {
            var data = ((WsdHello)hello.Message!).Endpoint;
            if (string.IsNullOrWhiteSpace(data.Endpoint.Address) || data.MetadataVersion is null)
            {
                clean = false;
                yield return context.Violation(
                    string.IsNullOrWhiteSpace(data.Endpoint.Address) ? "A Hello has no endpoint address." : "A Hello has no d:MetadataVersion.",
                    [hello.Record]);
                break;
            }
        }

        if (result.RestartAttempted)
        {
            if (result.RestartError is { } error)
            {
                yield return new Finding(context.Rule.Id, context.Device.Id, Verdict.Error, "The restart failed: " + error);
                yield break;
            }

            var after = WsdScenario.PostRestartHellos(view, context.Device, result.RestartBegin!.Value).ToList();
            if (after.Count == 0)
            {
                yield return context.Violation(
                    $"No Hello followed the restart within {Ms((result.Options.RestartTimeout ?? (result.AppMaxDelay * 2) + TimeSpan.FromSeconds(1)))}.",
                    result.Named(WsdScenario.PostRestart).Select(s => s.Request),
                    "silence",
                    "a multicast Hello");
                yield break;
            }

            if (clean)
            {
                yield return context.Pass($"Hello followed the restart after {Ms(after[0].Time - result.RestartEnd!.Value)}.", after.Take(2).Select(i => i.Record));
            }

            yield break;
        }

        if (hellos.Count == 0)
        {
            yield return context.NotApplicable("No Hello was seen and the device could not be restarted.");
        }
        else if (clean)
        {
            yield return context.Pass($"{Count(hellos.Count, "Hellos")} carry an endpoint address and a MetadataVersion.", hellos.Take(3).Select(i => i.Record));
        }
    }

    private static IEnumerable<Finding> CheckHelloDelay(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        if (!result.RestartAttempted || result.RestartError is not null)
        {
            yield return context.NotApplicable(result.RestartError is null ? result.NoRestartReason : "The restart failed: " + result.RestartError);
            yield break;
        }

        var first = WsdScenario.PostRestartHellos(view, context.Device, result.RestartBegin!.Value).FirstOrDefault();
        if (first is null)
        {
            yield return context.NotApplicable("No Hello followed the restart (see WSD-HB-001).");
            yield break;
        }

        var delay = first.Time - result.RestartEnd!.Value;
        var bound = result.AppMaxDelay + result.Options.Tolerance;
        yield return delay <= bound
            ? context.Pass($"The Hello came {Ms(delay)} after the restart (APP_MAX_DELAY {Ms(result.AppMaxDelay)}).", [first.Record])
            : context.Violation($"The Hello came {Ms(delay)} after the restart, later than APP_MAX_DELAY {Ms(result.AppMaxDelay)}.", [first.Record], Ms(delay), "≤ " + Ms(result.AppMaxDelay));
    }

    private static IEnumerable<Finding> CheckBye(RuleContext context, WsdScenarioResult result, WsdView view)
    {
        if (!result.RestartAttempted || result.RestartError is not null)
        {
            yield return context.NotApplicable(result.RestartError is null ? result.NoRestartReason : "The restart failed: " + result.RestartError);
            yield break;
        }

        var begin = result.RestartBegin!.Value;
        var end = result.RestartEnd!.Value + TimeSpan.FromSeconds(1);
        var byes = view.Items.Where(i => i.IsInbound && i.Message is WsdBye && i.Time >= begin && i.Time <= end).ToList();
        var own = byes.Where(i => i.HasEndpoint(context.Device.Id)).ToList();
        if (own.Count > 0)
        {
            yield return context.Pass("A Bye with the device's endpoint address went out as it stopped.", own.Take(2).Select(i => i.Record));
            yield break;
        }

        var others = byes.Where(i => view.IsUniqueTo(i.Record.Source, context.Device)).ToList();
        yield return others.Count > 0
            ? context.Violation(
                $"The Bye sent while stopping names '{others[0].Endpoints.FirstOrDefault()?.Endpoint.Address}', not the device's endpoint address.",
                others.Take(2).Select(i => i.Record),
                others[0].Endpoints.FirstOrDefault()?.Endpoint.Address,
                context.Device.Id)
            : context.Violation("No Bye went out while the device stopped.", null, "silence", "a multicast Bye");
    }

    private static IEnumerable<Finding> CheckOnvifHello(RuleContext context)
    {
        var hellos = Sent(context).Where(i => i.Message is WsdHello && i.HasEndpoint(context.Device.Id)).ToList();
        if (hellos.Count == 0)
        {
            yield break;
        }

        var clean = true;
        foreach (var hello in hellos)
        {
            var data = hello.EndpointOf(context.Device.Id)!;
            var missing = new List<string>();
            if (!data.Types.Any(t => t.Namespace == WsdDevices.OnvifDeviceNamespace && t.LocalName == "Device"))
            {
                missing.Add("tds:Device in d:Types");
            }

            if (data.Scopes.Count == 0)
            {
                missing.Add("d:Scopes");
            }

            if (data.XAddrs.Count == 0)
            {
                missing.Add("d:XAddrs");
            }

            if (missing.Count > 0)
            {
                clean = false;
                yield return context.Violation("The Hello lacks " + string.Join(", ", missing) + ".", [hello.Record], null, "tds:Device, scopes and XAddrs");
                break;
            }
        }

        if (clean)
        {
            yield return context.Pass($"{Count(hellos.Count, "Hellos")} list tds:Device, scopes and XAddrs.", hellos.Take(2).Select(i => i.Record));
        }
    }
}
