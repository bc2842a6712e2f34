using System.Globalization;
using System.Net.Http.Headers;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using static Harness.Conformance.Ssdp.SsdpChecks;

namespace Harness.Conformance.Ssdp;

public static partial class SsdpRules
{
    private static IEnumerable<Rule> DescriptionRules()
    {
        yield return Passive(
            "DESC-HTTP-001",
            "A GET of LOCATION answers HTTP 200 with the description within 30 s",
            Uda("2.11", "The control point retrieves the description with an HTTP GET of the LOCATION URL; the device answers 200 OK with the description in the body within 30 seconds, transmission included."),
            RuleLevel.Must,
            Root,
            "Reads the GETs of the device's LOCATION in the session (the harness makes one during discovery): one must be answered 200 with a complete body.",
            CheckDescriptionFetch);

        yield return Passive(
            "DESC-HTTP-002",
            "The description is served as text/xml; charset=\"utf-8\"",
            Uda("2.11", "CONTENT-TYPE: text/xml; charset=\"utf-8\"."),
            RuleLevel.Must,
            Root,
            "Reads the Content-Type of every 200 answer to a LOCATION GET: text/xml (or application/xml) without the utf-8 charset warns; anything else, or none, fails.",
            CheckContentType);

        yield return Passive(
            "DESC-HTTP-003",
            "Content-Length is the body's length in bytes (or the body is chunked)",
            Uda("2.11", "CONTENT-LENGTH is the length of the body in bytes; HTTP/1.1 chunked transfer encoding may be used instead (RFC 7230 §4.1)."),
            RuleLevel.Must,
            Root,
            "Reads the framing of every answer the device's HTTP server gave (descriptions and SCPDs): a Content-Length other than the body's byte count, a broken chunk, or a body cut short fails.",
            CheckFraming);

        yield return ActiveRule(
            "DESC-HTTP-004",
            "A GET with Accept-Language gets a Content-Language back",
            Uda("2.11", "If the request has ACCEPT-LANGUAGE, the response MUST have CONTENT-LANGUAGE (the description may be localized)."),
            RuleLevel.Must,
            "GETs the LOCATION with 'Accept-Language: fr-CA, fr;q=0.9, en;q=0.5'; the answer must carry Content-Language (UCTT requires it).",
            CheckContentLanguage);

        yield return Passive(
            "DESC-XML-001",
            "The description is well-formed UTF-8 XML, with no BOM, leading junk or HTML in its place",
            Uda("2.3", "The device description is an XML document in UTF-8."),
            RuleLevel.Must,
            Root,
            "Reads every description fetched: not XML, a DTD, an HTML page fail; a BOM, leading whitespace or NULs warn (pupnp issue 412).",
            Description("descriptions", SsdpRuleIds.DescriptionXml));

        yield return Passive(
            "DESC-XML-002",
            "The root element is <root> in urn:schemas-upnp-org:device-1-0, with configId from UDA 1.1",
            Uda("2.3", "root: xmlns=\"urn:schemas-upnp-org:device-1-0\" (also for UDA 1.1 and 2.0); the configId attribute is REQUIRED from UDA 1.1 and equals CONFIGID.UPNP.ORG."),
            RuleLevel.Must,
            Root,
            "Reads the root element of every description fetched.",
            Description("descriptions", SsdpRuleIds.DescriptionRoot));

        yield return Passive(
            "DESC-XML-003",
            "specVersion is 1.0, 1.1 or 2.0 and matches the SERVER's UPnP version",
            Uda("2.3", "specVersion major and minor give the UDA version the device implements; SERVER's UPnP/x.y names the same version."),
            RuleLevel.Must,
            Root,
            "Reads specVersion of every description fetched and compares it with the UPnP/x.y token of the device's SERVER.",
            CheckSpecVersion);

        yield return Passive(
            "DESC-XML-004",
            "URLBase is absent from UDA 1.1/2.0 descriptions, and absolute when present",
            Uda("2.3", "URLBase is allowed in UDA 1.0 and deprecated from UDA 1.1; relative URLs resolve against the URL the description came from."),
            RuleLevel.Must,
            Root,
            "Reads URLBase of every description fetched: a relative or placeholder URLBase fails; URLBase in a 1.1/2.0 description warns.",
            Description("descriptions", SsdpRuleIds.DescriptionUrlBase));

        yield return Passive(
            "DESC-XML-005",
            "Each device has deviceType, friendlyName, manufacturer, modelName and UDN",
            Uda("2.3", "deviceType, friendlyName, manufacturer, modelName and UDN are REQUIRED for the root and every embedded device."),
            RuleLevel.Must,
            Root,
            "Reads every device element of every description fetched.",
            Description("descriptions", SsdpRuleIds.DescriptionRequiredElements));

        yield return Passive(
            "DESC-XML-006",
            "Text elements keep the UDA's length limits; UPC is 12 digits; type names at most 64 characters",
            Uda("2.3", "friendlyName, manufacturer and serialNumber under 64 characters, modelName and modelNumber under 32, modelDescription under 128; UPC is 12 digits; type names are at most 64 characters, with hyphens for dots in vendor domains."),
            RuleLevel.Should,
            Root,
            "Reads the text elements and types of every device of every description fetched (Rssdp's UPnP10DeviceValidator checks the same limits).",
            Description("descriptions", SsdpRuleIds.DescriptionLengths));

        yield return Passive(
            "DESC-XML-007",
            "UDN is uuid: plus an RFC 4122 UUID, unique per device, and the root's UDN is the one SSDP announces",
            Uda("1.1.4, 2.3", "UDN is 'uuid:' followed by a UUID, unique per device (embedded ones included) and stable; it equals the UUID of the USNs of that device."),
            RuleLevel.Must,
            Root,
            "Reads the UDNs of every description fetched, and compares the root's with the root UDN of the device's upnp:rootdevice USN.",
            CheckUdn);

        yield return Passive(
            "DESC-XML-008",
            "Each icon has mimetype, width, height, depth and url; iconList only when there are icons",
            Uda("2.3", "iconList is REQUIRED if and only if the device has icons; each icon has mimetype, width, height, depth and url."),
            RuleLevel.Must,
            Root,
            "Reads every iconList of every description fetched.",
            Description("descriptions", SsdpRuleIds.DescriptionIcons));

        yield return Passive(
            "DESC-XML-009",
            "Each service has serviceType, serviceId, SCPDURL, controlURL and eventSubURL, and its SCPD is served as XML",
            Uda("2.3, 2.5", "serviceType, serviceId (urn:upnp-org:serviceId:...), SCPDURL, controlURL and eventSubURL (empty when the service has no events) are REQUIRED; a GET of SCPDURL returns the service description."),
            RuleLevel.Must,
            Root,
            "Reads every service element of every description fetched, and the answers to the SCPD GETs recorded (the harness GETs them during its stimuli): 200 with an XML Content-Type.",
            CheckServices);

        yield return Passive(
            "DESC-XML-010",
            "deviceList only with embedded devices, and the devices, types and UDNs of the description are the ones announced",
            Uda("2.3", "deviceList is REQUIRED if and only if the root device has embedded devices; the device and service types and UDNs of the description are those advertised over SSDP."),
            RuleLevel.Must,
            Root,
            "Reads deviceList of every description fetched, and compares its UDNs and types with those of the device's alive NOTIFYs.",
            CheckDeviceList);
    }

    /// <summary>The successful LOCATION GETs of the device with their description read, by time.</summary>
    private static List<(SsdpHttpItem Fetch, UpnpDescriptionReadResult Read)> Descriptions(RuleContext context) =>
        [.. View(context).DescriptionFetches(context.Device).Where(f => f.Description is not null).Select(f => (f, f.Description!))];

    private static Func<RuleContext, IEnumerable<Finding>> Description(string what, params string[] ruleIds) =>
        context => FromViolations(context, [.. Descriptions(context).Select(d => (d.Fetch.ResponseRecord!, d.Read.Violations))], what, ruleIds);

    private static IEnumerable<Finding> CheckDescriptionFetch(RuleContext context)
    {
        var fetches = View(context).DescriptionFetches(context.Device);
        if (fetches.Count == 0)
        {
            var location = context.Device.Metadata.GetValueOrDefault(SsdpDevices.LocationKey);
            if (location is not null && SsdpScenarios.FetchError(context, location) is { } error)
            {
                yield return context.Violation($"GET {location} failed: {error}.", [], error, "HTTP 200 with the description");
            }
            else
            {
                yield return context.NotApplicable("No GET of the device's LOCATION was recorded.");
            }

            yield break;
        }

        var ok = fetches.FirstOrDefault(f => f.IsOk && f.ResponseMessage!.Complete && f.ResponseMessage.Body.Length > 0);
        if (ok is not null)
        {
            var elapsed = ok.ResponseRecord!.Timestamp - ok.Time;
            yield return elapsed <= TimeSpan.FromSeconds(30)
                ? context.Pass($"GET {ok.Url} answered 200 with {ok.ResponseMessage!.Body.Length} bytes after {Ms(elapsed)}.", ok.Records)
                : context.Violation($"GET {ok.Url} answered after {Ms(elapsed)}, later than 30 s.", ok.Records, Ms(elapsed), "within 30 s");
            yield break;
        }

        var first = fetches[0];
        var what = first.ResponseMessage is { } response
            ? $"answered {response.StatusCode} {response.Reason}" + (response.StatusCode == 200 ? " with an incomplete or empty body" : string.Empty)
            : "got no answer";
        yield return context.Violation($"GET {first.Url} {what}.", first.Records, first.ResponseMessage?.StatusCode.ToString(CultureInfo.InvariantCulture) ?? "no answer", "200 with the description");
    }

    private static IEnumerable<Finding> CheckContentType(RuleContext context)
    {
        var fetches = View(context).DescriptionFetches(context.Device).Where(f => f.IsOk).ToList();
        if (fetches.Count == 0)
        {
            yield break;
        }

        foreach (var fetch in fetches)
        {
            var type = fetch.ResponseMessage!.Header("Content-Type");
            if (type is null)
            {
                yield return context.Violation("The description has no Content-Type.", fetch.Records, null, "text/xml; charset=\"utf-8\"", "Content-Type");
                yield break;
            }

            if (!MediaTypeHeaderValue.TryParse(type, out var parsed) || parsed.MediaType is not ("text/xml" or "application/xml"))
            {
                yield return context.Violation($"Content-Type is '{type}', not XML.", fetch.Records, type, "text/xml; charset=\"utf-8\"", "Content-Type");
                yield break;
            }

            if (!string.Equals(parsed.CharSet?.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase) || parsed.MediaType != "text/xml")
            {
                yield return context.Warn($"Content-Type is '{type}'; UDA 1.1 asks for text/xml; charset=\"utf-8\" (control points accept it).", fetch.Records, type, "text/xml; charset=\"utf-8\"");
                yield break;
            }
        }

        yield return context.Pass($"{Count(fetches.Count, "descriptions")} served as text/xml; charset=\"utf-8\".", fetches[0].Records);
    }

    private static IEnumerable<Finding> CheckFraming(RuleContext context)
    {
        var answers = View(context).HttpOf(context.Device).Where(h => h.ResponseMessage is not null).ToList();
        if (answers.Count == 0)
        {
            yield break;
        }

        foreach (var answer in answers)
        {
            var message = answer.ResponseMessage!;
            if (message.FramingProblem is { } problem)
            {
                yield return context.Violation($"GET {answer.Url}: {problem}", answer.Records, message.ContentLength?.ToString(CultureInfo.InvariantCulture), message.RawBodyLength.ToString(CultureInfo.InvariantCulture) + " bytes", "Content-Length");
                yield break;
            }
        }

        var chunked = answers.Count(a => a.ResponseMessage!.Chunked);
        var closed = answers.Count(a => !a.ResponseMessage!.Chunked && a.ResponseMessage.ContentLength is null);
        yield return context.Pass($"{Count(answers.Count, "HTTP answers")} framed correctly ({chunked} chunked, {closed} ending at close, the rest with an exact Content-Length).", answers[0].Records);
    }

    private static IEnumerable<Finding> CheckContentLanguage(RuleContext context, SsdpScenarioResult result)
    {
        var fetch = View(context).DescriptionFetches(context.Device).LastOrDefault(f => f.AcceptLanguage is not null);
        if (fetch is null)
        {
            yield return result.LanguageFetch is { Error: { } error }
                ? context.Violation("The GET with Accept-Language failed: " + error, [], error, "200 with Content-Language")
                : context.NotApplicable("The description could not be fetched with Accept-Language (no LOCATION the run may reach).");
            yield break;
        }

        if (fetch.ResponseMessage is not { } response)
        {
            yield return context.Violation($"The GET of {fetch.Url} with Accept-Language got no answer.", fetch.Records, "no answer", "200 with Content-Language");
            yield break;
        }

        var language = response.Header("Content-Language");
        yield return language is { Length: > 0 }
            ? context.Pass($"A GET with Accept-Language '{fetch.AcceptLanguage}' got Content-Language '{language}'.", fetch.Records)
            : context.Violation($"A GET with Accept-Language '{fetch.AcceptLanguage}' got no Content-Language.", fetch.Records, null, "a Content-Language header", "Content-Language");
    }

    private static IEnumerable<Finding> CheckSpecVersion(RuleContext context)
    {
        var descriptions = Descriptions(context);
        var problems = FromViolations(context, [.. descriptions.Select(d => (d.Fetch.ResponseRecord!, d.Read.Violations))], "descriptions", SsdpRuleIds.DescriptionSpecVersion).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        var server = SsdpDevices.VersionToken(context.Device.Metadata.GetValueOrDefault(SsdpDevices.ServerKey));
        foreach (var (fetch, read) in descriptions)
        {
            if (read.Description is { } description && server is not null && description.SpecVersion.IsKnown && description.SpecVersion.ToString() != server)
            {
                var evidence = Sent(context).Take(1).Select(i => i.Record).Concat(fetch.Records);
                yield return context.Violation($"specVersion is {description.SpecVersion}, but SERVER says UPnP/{server}.", evidence, description.SpecVersion.ToString(), server, "/root/specVersion");
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckUdn(RuleContext context)
    {
        var descriptions = Descriptions(context);
        var problems = FromViolations(context, [.. descriptions.Select(d => (d.Fetch.ResponseRecord!, d.Read.Violations))], "descriptions", SsdpRuleIds.DescriptionUdn).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        var announced = Sent(context).FirstOrDefault(i => i.Target.Kind == SsdpTargetKind.RootDevice);
        foreach (var (fetch, read) in descriptions)
        {
            if (read.Description is { } description && announced?.Udn is { } udn && !string.Equals(description.Device.Udn.Trim(), udn, StringComparison.OrdinalIgnoreCase))
            {
                yield return context.Violation($"The description's root UDN is {description.Device.Udn}, but SSDP announces the root as {udn}.", [announced.Record, .. fetch.Records], description.Device.Udn, udn, "/root/device/UDN");
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckServices(RuleContext context)
    {
        var descriptions = Descriptions(context);
        var problems = FromViolations(context, [.. descriptions.Select(d => (d.Fetch.ResponseRecord!, d.Read.Violations))], "descriptions", SsdpRuleIds.DescriptionServices).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        if (View(context).Description(context.Device) is { } described && described.Exchange.Url is { } location)
        {
            var scpds = described.Description.AllDevices.SelectMany(d => d.Services)
                .Select(s => described.Description.ResolveUrl(s.ScpdUrl, location))
                .OfType<Uri>()
                .ToList();
            var http = View(context).HttpOf(context.Device);
            var fetched = 0;
            foreach (var url in scpds)
            {
                var fetch = http.FirstOrDefault(h => h.IsFor(url));
                if (fetch is null)
                {
                    continue;
                }

                fetched++;
                var type = fetch.ResponseMessage?.Header("Content-Type");
                var xml = type is not null && MediaTypeHeaderValue.TryParse(type, out var parsed) && parsed.MediaType is "text/xml" or "application/xml";
                if (!fetch.IsOk || !xml)
                {
                    var what = fetch.ResponseMessage is null ? "got no answer" : !fetch.IsOk ? $"answered {fetch.ResponseMessage.StatusCode}" : $"answered with Content-Type '{type}'";
                    yield return context.Violation($"GET of the SCPD {url} {what}.", fetch.Records, type ?? fetch.ResponseMessage?.StatusCode.ToString(CultureInfo.InvariantCulture), "200 text/xml");
                    yield break;
                }
            }

            if (fetched > 0)
            {
                yield return context.Pass($"Every service has its required elements, and {Count(fetched, "SCPDs")} were served as XML.", described.Exchange.Records);
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckDeviceList(RuleContext context)
    {
        var descriptions = Descriptions(context);
        var problems = FromViolations(context, [.. descriptions.Select(d => (d.Fetch.ResponseRecord!, d.Read.Violations))], "descriptions", SsdpRuleIds.DescriptionDeviceList).ToList();
        if (problems.Any(f => f.Verdict != Verdict.Pass))
        {
            foreach (var finding in problems)
            {
                yield return finding;
            }

            yield break;
        }

        var alives = Sent(context).Where(i => i.IsAlive).ToList();
        if (SsdpScenarios.Completed(context) is { ConfigurationBegin: { } changed })
        {
            alives = [.. alives.Where(i => i.Time < changed)];
        }

        if (View(context).Description(context.Device) is { } described && alives.Count > 0)
        {
            var inXml = SsdpAnnouncements.For(described.Description.Device).Select(p => p.NotificationType.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var announced = alives.Select(i => i.Target.Value).Where(t => t != SsdpTarget.RootDeviceValue).ToHashSet(StringComparer.OrdinalIgnoreCase);
            inXml.Remove(SsdpTarget.RootDeviceValue);
            var onlyXml = inXml.Except(announced, StringComparer.OrdinalIgnoreCase).ToList();
            var onlySsdp = announced.Except(inXml, StringComparer.OrdinalIgnoreCase).ToList();
            if (onlyXml.Count > 0 || onlySsdp.Count > 0)
            {
                var text = onlyXml.Count > 0 ? $"in the description but never announced: {string.Join(", ", onlyXml.Take(3))}" : $"announced but not in the description: {string.Join(", ", onlySsdp.Take(3))}";
                yield return context.Violation($"The UDNs and types of the description and of SSDP differ: {text}.", [.. alives.Take(2).Select(i => i.Record), .. described.Exchange.Records], string.Join(" ", onlySsdp.Take(3)), string.Join(" ", onlyXml.Take(3)));
                yield break;
            }
        }

        foreach (var finding in problems)
        {
            yield return finding;
        }
    }
}
