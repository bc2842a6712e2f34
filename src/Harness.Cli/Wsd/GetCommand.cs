using System.CommandLine;
using System.Text.Json;
using Harness.Cli.Common;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Cli.Wsd;

/// <summary><c>harness wsd get ADDRESS</c>: WS-Transfer Get of a DPWS device (PyWSD's <c>wsd_get</c>): ThisModel, ThisDevice, hosted services.</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var address = new Argument<string>("address") { Description = "The device's XAddr (http://…) or its endpoint reference (urn:uuid:…, resolved over WS-Discovery)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the WS-Discovery resolve and each HTTP answer", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var logLevel = CommonOptions.LogLevel();
        var iface = CommonOptions.Interface();
        var multicastPort = CommonOptions.MulticastPort();
        var command = new Command("get", "Read a WSD/DPWS device's metadata (WS-Transfer Get): model, device, hosted services")
        {
            address, timeout, json, logLevel, iface, multicastPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var wait = TimeSpan.FromSeconds(parse.GetValue(timeout));
            var device = await WsdTarget.ResolveAsync(parse.GetValue(address)!, parse.GetValue(iface)!, parse.GetValue(multicastPort), wait, loggers, cancellationToken);
            using var http = new SoapHttpClient(new SoapHttpClientOptions { Timeout = wait }, null, loggers);
            var result = await new DpwsClient(http).GetAsync(device.XAddr, device.EndpointAddress, cancellationToken);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(ToJson(device, result), DiscoverCommand.JsonOptions));
            }
            else
            {
                Console.Out.Write(Text(device, result));
            }

            return 0;
        });
        return command;
    }

    private static object ToJson(ResolvedDevice device, DeviceMetadataResult result)
    {
        var m = result.Metadata;
        return new
        {
            xAddr = device.XAddr.ToString(),
            endpointAddress = m.Host?.EndpointReference.Address ?? device.EndpointAddress,
            thisModel = m.ThisModel is { } model
                ? new
                {
                    manufacturer = model.Manufacturer.FirstOrDefault()?.Value,
                    manufacturerUrl = model.ManufacturerUrl,
                    modelName = model.ModelName.FirstOrDefault()?.Value,
                    modelNumber = model.ModelNumber,
                    modelUrl = model.ModelUrl,
                    presentationUrl = model.PresentationUrl,
                }
                : null,
            thisDevice = m.ThisDevice is { } d
                ? new { friendlyName = d.FriendlyName.FirstOrDefault()?.Value, firmwareVersion = d.FirmwareVersion, serialNumber = d.SerialNumber }
                : null,
            hostTypes = m.Host?.Types.Select(QName),
            hosted = m.Hosted.Select(h => new { serviceId = h.ServiceId, types = h.Types.Select(QName), addresses = h.EndpointReferences.Select(e => e.Address) }),
            violations = result.Violations.Select(v => new { ruleId = v.RuleId, severity = v.Severity.ToString(), message = v.Message, location = v.Location }),
        };
    }

    private static string QName(WsdQName q) => q.Prefix is { Length: > 0 } p ? $"{p}:{q.LocalName}" : $"{{{q.Namespace}}}{q.LocalName}";

    private static string Text(ResolvedDevice device, DeviceMetadataResult result)
    {
        var m = result.Metadata;
        var w = new StringWriter();
        w.WriteLine($"Device        {m.Host?.EndpointReference.Address ?? device.EndpointAddress}");
        w.WriteLine($"XAddr         {device.XAddr}");
        if (m.ThisModel is { } model)
        {
            w.WriteLine($"Manufacturer  {model.Manufacturer.FirstOrDefault()?.Value}");
            var modelName = model.ModelName.FirstOrDefault()?.Value;
            w.WriteLine($"Model         {modelName}{(model.ModelNumber is { } number && number != modelName ? " " + number : string.Empty)}");
            if (model.PresentationUrl is { } presentation)
            {
                w.WriteLine($"Presentation  {presentation}");
            }
        }

        if (m.ThisDevice is { } d)
        {
            w.WriteLine($"Name          {d.FriendlyName.FirstOrDefault()?.Value}");
            w.WriteLine($"Firmware      {d.FirmwareVersion}");
            w.WriteLine($"Serial        {d.SerialNumber}");
        }

        var table = new TextTable("HOSTED SERVICE", "TYPES", "ADDRESS");
        foreach (var h in m.Hosted)
        {
            table.Add([h.ServiceId ?? "-"], h.Types.Select(QName), h.EndpointReferences.Select(e => e.Address));
        }

        w.Write(table.ToString());
        foreach (var v in result.Violations)
        {
            w.WriteLine($"{v.Severity} {v.RuleId}: {v.Message}");
        }

        return w.ToString();
    }
}
