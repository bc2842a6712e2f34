using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Harness.Cli.Common;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Description;

namespace Harness.Cli.Ssdp;

/// <summary>
/// <c>harness ssdp describe URL</c>: fetches a device description with the bounded fetcher (size and time), prints the
/// device tree (devices, services, icons) and every deviation found in the HTTP exchange and the document. Exits 1 when
/// one is an error (or nothing could be read).
/// </summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The description's URL (a device's LOCATION), e.g. http://192.168.1.20:49152/rootDesc.xml" };
        var json = CommonOptions.Json();
        var timeout = new Option<double>("--timeout") { Description = "Seconds the whole fetch may take (UDA: 30)", DefaultValueFactory = _ => 30 };
        var maxBytes = new Option<int>("--max-bytes") { Description = "Largest description read, in bytes", DefaultValueFactory = _ => 1 << 20 };
        var acceptLanguage = new Option<string?>("--accept-language") { Description = "Send Accept-Language (the device must answer with Content-Language, DESC-HTTP-004)" };
        var logLevel = CommonOptions.LogLevel();
        var command = new Command("describe", "Fetch a UPnP device description, print its device tree and every violation found; exit 1 on errors")
        {
            url, json, timeout, maxBytes, acceptLanguage, logLevel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(url)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var location) || location.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"'{text}' is not an absolute http URL.");
            }

            var seconds = parse.GetValue(timeout);
            if (seconds is <= 0 or > 3600)
            {
                throw new ArgumentException($"--timeout {seconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds in (0, 3600].");
            }

            var options = new UpnpFetchOptions
            {
                Timeout = TimeSpan.FromSeconds(seconds),
                MaxBytes = parse.GetValue(maxBytes),
                AcceptLanguage = parse.GetValue(acceptLanguage),
            };
            using var fetcher = new UpnpDescriptionFetcher(options: options);
            var result = await fetcher.FetchAsync(location, cancellationToken);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(ToJson(result), DescribeJson));
            }
            else
            {
                Console.Out.Write(Text(result));
            }

            return HasErrors(result) ? 1 : 0;
        });
        return command;
    }

    private static readonly JsonSerializerOptions DescribeJson = new(SsdpCliOptions.JsonLines) { WriteIndented = true };

    internal static bool HasErrors(UpnpFetchResult result) =>
        !result.Success || result.Violations.Any(v => v.Severity == ViolationSeverity.Error);

    internal static string Text(UpnpFetchResult result)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        var http = result.StatusCode is { } code
            ? $"HTTP/{result.HttpVersion?.ToString(2) ?? "?"} {code}, {SsdpCliOptions.Clean(result.ContentType ?? "no Content-Type")}, {result.Body.Length} bytes{(result.Chunked ? " chunked" : string.Empty)}"
            : "no HTTP response";
        w.WriteLine($"Description   {result.Location}");
        w.WriteLine($"Fetch         {result.Status}: {http}, {result.Elapsed.TotalMilliseconds:0} ms");
        if (result.Error is { } error)
        {
            w.WriteLine($"Error         {SsdpCliOptions.Clean(error)}");
        }

        if (result.Description is { } d)
        {
            w.WriteLine($"specVersion   {d.SpecVersion}{(d.ConfigId is { } configId ? $", configId {configId}" : ", no configId")}{(d.UrlBase is { } urlBase ? $", URLBase {SsdpCliOptions.Clean(urlBase)}" : string.Empty)}");
            w.WriteLine();
            WriteDevice(w, d, d.Device, result.Location, depth: 0);
        }

        var errors = result.Violations.Count(v => v.Severity == ViolationSeverity.Error);
        var warnings = result.Violations.Count(v => v.Severity == ViolationSeverity.Warning);
        w.WriteLine();
        if (result.Violations.Count > 0)
        {
            var table = new TextTable("SEVERITY", "RULE", "WHERE", "FINDING");
            foreach (var v in result.Violations.OrderByDescending(v => v.Severity))
            {
                table.Add([v.Severity.ToString()], [v.RuleId], [v.Location ?? "-"], [v.Message]);
            }

            w.Write(table.ToString());
        }

        w.WriteLine($"{errors} error(s), {warnings} warning(s), {result.Violations.Count - errors - warnings} note(s).");
        return w.ToString();
    }

    private static void WriteDevice(StringWriter w, UpnpDescription description, UpnpDevice device, Uri location, int depth)
    {
        var pad = new string(' ', depth * 4);
        string C(string? value) => SsdpCliOptions.Clean(value);
        w.WriteLine($"{pad}{(depth == 0 ? "Root device" : "Embedded device")} {C(device.FriendlyName)}");
        w.WriteLine($"{pad}  type          {C(device.DeviceType)}");
        w.WriteLine($"{pad}  UDN           {C(device.Udn)}");
        w.WriteLine($"{pad}  manufacturer  {C(device.Manufacturer)}{(device.ManufacturerUrl is { } mu ? $" <{C(mu)}>" : string.Empty)}");
        w.WriteLine($"{pad}  model         {C(device.ModelName)}{(device.ModelNumber is { } number ? " " + C(number) : string.Empty)}{(device.ModelDescription is { } md ? $" ({C(md)})" : string.Empty)}");
        if (device.SerialNumber is { } serial)
        {
            w.WriteLine($"{pad}  serial        {C(serial)}");
        }

        if (device.PresentationUrl is { } presentation)
        {
            w.WriteLine($"{pad}  presentation  {C(presentation)}{Resolved(description, presentation, location)}");
        }

        foreach (var icon in device.Icons)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pad}  icon          {C(icon.MimeType)} {icon.Width}x{icon.Height}x{icon.Depth} {C(icon.Url)}{Resolved(description, icon.Url, location)}"));
        }

        foreach (var service in device.Services)
        {
            w.WriteLine($"{pad}  service       {C(service.ServiceType)}");
            w.WriteLine($"{pad}    serviceId   {C(service.ServiceId)}");
            w.WriteLine($"{pad}    SCPDURL     {C(service.ScpdUrl)}{Resolved(description, service.ScpdUrl, location)}");
            w.WriteLine($"{pad}    controlURL  {C(service.ControlUrl)}");
            w.WriteLine($"{pad}    eventSubURL {(service.EventSubUrl.Length == 0 ? "(none)" : C(service.EventSubUrl))}");
        }

        foreach (var embedded in device.Devices)
        {
            WriteDevice(w, description, embedded, location, depth + 1);
        }
    }

    private static string Resolved(UpnpDescription description, string? url, Uri location) =>
        description.ResolveUrl(url, location) is { } resolved && !string.Equals(resolved.ToString(), url, StringComparison.Ordinal)
            ? " -> " + SsdpCliOptions.Clean(resolved.ToString())
            : string.Empty;

    internal static object ToJson(UpnpFetchResult result) => new
    {
        location = result.Location.ToString(),
        status = result.Status.ToString(),
        error = result.Error,
        statusCode = result.StatusCode,
        httpVersion = result.HttpVersion?.ToString(2),
        contentType = result.ContentType,
        contentLength = result.ContentLength,
        contentLanguage = result.ContentLanguage,
        chunked = result.Chunked,
        bytes = result.Body.Length,
        elapsedMs = Math.Round(result.Elapsed.TotalMilliseconds, 1),
        specVersion = result.Description?.SpecVersion.ToString(),
        configId = result.Description?.ConfigId,
        urlBase = result.Description?.UrlBase,
        device = result.Description is { } d ? DeviceJson(d.Device) : null,
        errors = result.Violations.Count(v => v.Severity == ViolationSeverity.Error),
        warnings = result.Violations.Count(v => v.Severity == ViolationSeverity.Warning),
        violations = result.Violations.Select(SsdpCliOptions.ToJson),
    };

    private static object DeviceJson(UpnpDevice d) => new
    {
        deviceType = d.DeviceType,
        friendlyName = d.FriendlyName,
        udn = d.Udn,
        manufacturer = d.Manufacturer,
        manufacturerUrl = d.ManufacturerUrl,
        modelName = d.ModelName,
        modelNumber = d.ModelNumber,
        modelDescription = d.ModelDescription,
        modelUrl = d.ModelUrl,
        serialNumber = d.SerialNumber,
        upc = d.Upc,
        presentationUrl = d.PresentationUrl,
        icons = d.Icons.Select(i => new { mimeType = i.MimeType, width = i.Width, height = i.Height, depth = i.Depth, url = i.Url }),
        services = d.Services.Select(s => new { serviceType = s.ServiceType, serviceId = s.ServiceId, scpdUrl = s.ScpdUrl, controlUrl = s.ControlUrl, eventSubUrl = s.EventSubUrl }),
        devices = d.Devices.Select(DeviceJson),
    };
}
