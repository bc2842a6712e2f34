using System.CommandLine;
using System.Globalization;
using System.Net;
using Harness.Cli.Common;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Wsd;

/// <summary><c>harness wsd publish</c>: the options of python-ws-discovery's <c>wspublish</c>, and more.</summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var scope = new Option<string[]>("--scope", "-s") { Description = "Scope URI of the service (repeatable)" };
        var type = new Option<string[]>("--type", "--typename", "-t") { Description = "Type of the service: prefix:Local, {ns}Local or ns:Local (repeatable)" };
        var address = new Option<string?>("--address", "-a") { Description = "Service IP address in the XAddr (default: each local address of the interface, {ip})" };
        var port = new Option<int>("--port", "-p") { Description = "Service port in the XAddr", DefaultValueFactory = _ => 80 };
        var xaddr = new Option<string[]>("--xaddr") { Description = "Explicit transport address (repeatable; {ip} expands to the local address)" };
        var uuid = new Option<string?>("--uuid", "-u") { Description = "Endpoint reference address (default: a new urn:uuid)" };
        var metadataVersion = new Option<ulong>("--metadata-version") { Description = "MetadataVersion", DefaultValueFactory = _ => 1 };
        var duration = new Option<double?>("--duration") { Description = "Seconds to stay published, then Bye (default: until Ctrl-C)" };
        var unicastNum = new Option<int?>("--unicast-num", "-un") { Description = "Number of unicast sends (UNICAST_UDP_REPEAT)" };
        var multicastNum = new Option<int?>("--multicast-num", "-mn") { Description = "Number of multicast sends (MULTICAST_UDP_REPEAT)" };
        var noHello = new Option<bool>("--no-hello") { Description = "Do not announce with Hello (answer Probes only)" };
        var logLevel = CommonOptions.LogLevel();
        var capture = CommonOptions.Capture();
        var iface = CommonOptions.Interface();
        var version = CommonOptions.Version();
        var ipv6 = CommonOptions.Ipv6();
        var multicastPort = CommonOptions.MulticastPort();
        var ttl = CommonOptions.Ttl();

        var command = new Command("publish", "Publish a WS-Discovery target service until stopped (Hello on start, Bye on stop)")
        {
            scope, type, address, port, xaddr, uuid, metadataVersion, duration, unicastNum, multicastNum, noHello,
            logLevel, capture, iface, version, ipv6, multicastPort, ttl,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var useIpv6 = parse.GetValue(ipv6);
            var interfaceName = parse.GetValue(iface)!;
            var multicast = CommonOptions.MulticastEndPoint(useIpv6, parse.GetValue(multicastPort));
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

            var xaddrs = parse.GetValue(xaddr) is { Length: > 0 } given
                ? given
                : [string.Create(CultureInfo.InvariantCulture, $"http://{FormatHost(parse.GetValue(address))}:{parse.GetValue(port)}/")];
            var service = new PublishedService(parse.GetValue(uuid) ?? "urn:uuid:" + Guid.NewGuid().ToString("D"))
            {
                Types = [.. (parse.GetValue(type) ?? []).Select(QNameArgument.Parse)],
                Scopes = parse.GetValue(scope) ?? [],
                XAddrs = xaddrs,
                MetadataVersion = parse.GetValue(metadataVersion),
            };
            service.Validate();
            var transport = CommonOptions.Bind(
                new UdpTransportOptions
                {
                    LocalEndPoint = new IPEndPoint(CommonOptions.Any(useIpv6), multicast.Port),
                    MulticastGroups = [multicast.Address],
                    Interface = interfaceName,
                    MulticastTtl = parse.GetValue(ttl),
                },
                recorder);
            var options = new PublisherOptions
            {
                Protocols = CommonOptions.ParseVersion(parse.GetValue(version)!),
                Profile = profile,
                MulticastEndPoint = multicast,
                SendHello = !parse.GetValue(noHello),
            };
            await using (var publisher = new Publisher(transport, options, TimeProvider.System, loggers.CreateLogger<Publisher>(), new NetworkInterfaceAddressProvider(interfaceName)))
            {
                await publisher.PublishAsync(service, cancellationToken);
                Console.Out.WriteLine($"Published {service.EndpointAddress} on {interfaceName} ({string.Join(' ', service.XAddrs)}); Ctrl-C to stop.");
                Console.Out.Flush();
                try
                {
                    var wait = parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C or SIGTERM: withdraw below.
                }

                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await publisher.StopAsync(stopping.Token);
                Console.Out.WriteLine($"Withdrawn {service.EndpointAddress} (Bye sent).");
            }

            CommonOptions.WriteCapture(parse.GetValue(capture), recorder, Console.Error);
            return 0;
        });
        return command;
    }

    private static string FormatHost(string? address)
    {
        if (address is null)
        {
            return "{ip}";
        }

        return IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]"
            : address;
    }
}
