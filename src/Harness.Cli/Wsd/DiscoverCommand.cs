using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Cli.Common;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Wsd;

/// <summary><c>harness wsd discover</c>: the options of python-ws-discovery's <c>wsdiscover</c>, and more.</summary>
internal static class DiscoverCommand
{
    public static Command Create()
    {
        var scope = new Option<string[]>("--scope", "-s") { Description = "Scope URI to match, e.g. onvif://www.onvif.org/type/video_encoder (repeatable)", AllowMultipleArgumentsPerToken = false };
        var type = new Option<string[]>("--type", "--typename", "-t") { Description = "Type to match: prefix:Local (dn, tds, wsdp, dpws, wscn, wprt, pub), {ns}Local or ns:Local (repeatable)" };
        var matchBy = new Option<string?>("--match-by") { Description = "MatchBy rule URI for the scopes (default: the family's rfc rule)" };
        var address = new Option<string?>("--address", "-a") { Description = "Probe this address by unicast instead of multicast" };
        var port = new Option<int>("--port", "-p") { Description = "Port of --address", DefaultValueFactory = _ => WsdMulticast.Port };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to collect answers", DefaultValueFactory = _ => 3 };
        var max = new Option<int?>("--max") { Description = "Stop after this many services" };
        var unicastNum = new Option<int?>("--unicast-num", "-un") { Description = "Number of unicast sends (UNICAST_UDP_REPEAT)" };
        var multicastNum = new Option<int?>("--multicast-num", "-mn") { Description = "Number of multicast sends (MULTICAST_UDP_REPEAT)" };
        var resolve = new Option<string?>("--resolve") { Description = "Resolve this endpoint reference (urn:uuid:...) instead of probing" };
        var cacheFile = new Option<FileInfo?>("--cache") { Description = "Keep known devices in this JSON file; a later run re-checks them first" };
        var logLevel = CommonOptions.LogLevel();
        var capture = CommonOptions.Capture();
        var iface = CommonOptions.Interface();
        var version = CommonOptions.Version();
        var json = CommonOptions.Json();
        var ipv6 = CommonOptions.Ipv6();
        var multicastPort = CommonOptions.MulticastPort();
        var ttl = CommonOptions.Ttl();

        var command = new Command("discover", "Find WS-Discovery target services (cameras, printers, scanners, computers)")
        {
            scope, type, matchBy, address, port, timeout, max, unicastNum, multicastNum, resolve, cacheFile,
            logLevel, capture, iface, version, json, ipv6, multicastPort, ttl,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var protocols = CommonOptions.ParseVersion(parse.GetValue(version)!);
            var useIpv6 = parse.GetValue(ipv6);
            var recorder = new TrafficRecorder();
            var profile = SoapOverUdpProfile.WsDiscovery2005;
            if (parse.GetValue(unicastNum) is { } u)
            {
                profile = profile with { UnicastUdpRepeat = u };
            }

            if (parse.GetValue(multicastNum) is { } m)
            {
                profile = profile with { MulticastUdpRepeat = m };
            }

            var transport = CommonOptions.Bind(
                new UdpTransportOptions
                {
                    LocalEndPoint = new IPEndPoint(CommonOptions.Any(useIpv6), 0),
                    Interface = parse.GetValue(iface),
                    MulticastTtl = parse.GetValue(ttl),
                },
                recorder);
            var options = new DiscoveryClientOptions
            {
                Protocols = protocols,
                MulticastEndPoint = CommonOptions.MulticastEndPoint(useIpv6, parse.GetValue(multicastPort)),
                Profile = profile,
                CacheFile = parse.GetValue(cacheFile)?.FullName,
            };
            var timeoutSpan = TimeSpan.FromSeconds(parse.GetValue(timeout));
            IReadOnlyList<DiscoveredService> found;
            await using (var client = new DiscoveryClient(transport, options, TimeProvider.System, loggers.CreateLogger<DiscoveryClient>()))
            {
                IPEndPoint? target = null;
                if (parse.GetValue(address) is { } a)
                {
                    target = new IPEndPoint(IPAddress.Parse(a), parse.GetValue(port));
                }

                if (options.CacheFile is not null)
                {
                    await client.LoadCacheAsync(cancellationToken);
                    await client.RecheckCachedAsync(cancellationToken);
                }

                if (parse.GetValue(resolve) is { } epr)
                {
                    var one = await client.ResolveAsync(epr, target, timeoutSpan, cancellationToken);
                    found = one is null ? [] : [one];
                }
                else
                {
                    var request = new ProbeRequest
                    {
                        Types = [.. (parse.GetValue(type) ?? []).Select(QNameArgument.Parse)],
                        Scopes = parse.GetValue(scope) ?? [],
                        MatchBy = parse.GetValue(matchBy),
                        Timeout = timeoutSpan,
                        MaxResults = parse.GetValue(max),
                        Target = target,
                    };
                    found = await client.ProbeAsync(request, cancellationToken);
                }

                if (options.CacheFile is not null)
                {
                    await client.SaveCacheAsync(cancellationToken);
                }
            }

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(found.Select(ToJson), JsonOptions));
            }
            else
            {
                Console.Out.Write(Table(found));
                Console.Out.WriteLine($"{found.Count} service(s) found on {parse.GetValue(iface)}.");
            }

            CommonOptions.WriteCapture(parse.GetValue(capture), recorder, Console.Error);
            return 0;
        });
        return command;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal static object ToJson(DiscoveredService s) => new
    {
        endpointAddress = s.EndpointAddress,
        types = s.Types.Select(t => new { @namespace = t.Namespace, localName = t.LocalName, prefix = t.Prefix }),
        scopes = s.Scopes,
        xAddrs = s.XAddrs,
        metadataVersion = s.MetadataVersion,
        from = s.Source.ToString(),
        version = s.Protocol.Version == WsDiscovery.Messages.WsdVersion.V2005 ? "2005" : "1.1",
        violations = s.Violations.Select(v => new { ruleId = v.RuleId, severity = v.Severity.ToString(), message = v.Message, location = v.Location }),
    };

    internal static string Table(IReadOnlyList<DiscoveredService> services)
    {
        var table = new TextTable("ENDPOINT", "TYPES", "SCOPES", "XADDRS", "FROM", "MV", "VERSION");
        foreach (var s in services.OrderBy(s => s.EndpointAddress, StringComparer.Ordinal))
        {
            table.Add(
                [s.EndpointAddress],
                s.Types.Select(t => t.Prefix is null ? t.ToString() : $"{t.Prefix}:{t.LocalName}"),
                s.Scopes,
                s.XAddrs,
                [s.Source.ToString()],
                [s.MetadataVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"],
                [s.Protocol.Version == WsDiscovery.Messages.WsdVersion.V2005 ? "2005/04" : "1.1"]);
        }

        return table.ToString();
    }
}
