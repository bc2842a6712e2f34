using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using Harness.Cli.Common;
using Harness.Core.Transport;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;

namespace Harness.Cli.Wsd;

/// <summary>
/// <c>harness wsd subscribe --device URL|urn:uuid</c>: subscribe to a hosted service's events (WS-Eventing) with a local
/// notification sink, print each notification as it arrives, renew before expiry (<c>--renew</c>), unsubscribe on exit
/// (Ctrl-C, SIGTERM or <c>--duration</c>), and print the SubscriptionEnd when the device ends the subscription.
/// Exit codes: 0 stopped, ended by the device or expired; 1 a device error or a refused Renew; 2 usage.
/// </summary>
internal static class SubscribeCommand
{
    private static readonly JsonSerializerOptions JsonLines = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // JSON lines for a terminal or a pipe, never for HTML: keep <, > and quotes of the XML body readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var device = new Option<string>("--device", "-d") { Description = "The device: its XAddr (http://…) or its endpoint reference (urn:uuid:…, resolved over WS-Discovery)", Required = true };
        var service = new Option<string?>("--service", "-s") { Description = "The hosted service: scan, print, a ServiceId or its address (default: the scanner or printer service)" };
        var action = new Option<string[]>("--action", "-a") { Description = "An event Action URI to receive (repeatable; default: every event of the service)" };
        var expires = new Option<string>("--expires", "-e") { Description = "The Expires asked for: an xs:duration (PT10M) or an xs:dateTime", DefaultValueFactory = _ => "PT10M" };
        var renew = new Option<bool>("--renew") { Description = "Renew the subscription before it expires (at 80 % of the granted time)" };
        var duration = new Option<double?>("--duration") { Description = "Seconds to listen, then unsubscribe (default: until Ctrl-C)" };
        var sinkPort = new Option<int>("--sink-port") { Description = "Port of the local notification endpoint (0: any free port)", DefaultValueFactory = _ => 0 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the WS-Discovery resolve and each answer", DefaultValueFactory = _ => 10 };
        var json = CommonOptions.Json();
        json.Description = "Write one JSON object per notification (JSON lines) to standard output";
        var logLevel = CommonOptions.LogLevel();
        var iface = CommonOptions.Interface();
        var multicastPort = CommonOptions.MulticastPort();
        var command = new Command("subscribe", "Subscribe to a WSD device's events (WS-Eventing) and print them as they arrive")
        {
            device, service, action, expires, renew, duration, sinkPort, timeout, json, logLevel, iface, multicastPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var asked = parse.GetValue(expires)!;
            if (!EventingExpires.TryParse(asked, out _))
            {
                Console.Error.WriteLine($"harness: --expires '{asked}' is neither an xs:duration (PT10M) nor an xs:dateTime.");
                return 2;
            }

            if (parse.GetValue(duration) is { } d && (d <= 0 || double.IsNaN(d)))
            {
                Console.Error.WriteLine("harness: --duration must be positive.");
                return 2;
            }

            if (parse.GetValue(sinkPort) is < 0 or > 65535)
            {
                Console.Error.WriteLine("harness: --sink-port is not a port.");
                return 2;
            }

            var actions = parse.GetValue(action) ?? [];
            foreach (var uri in actions)
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out _))
                {
                    Console.Error.WriteLine($"harness: --action '{uri}' is not an absolute URI.");
                    return 2;
                }
            }

            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var answerTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout));
            using var http = new SoapHttpClient(new SoapHttpClientOptions { Timeout = answerTimeout }, null, loggers);
            var target = await WsdTarget.OpenServiceAsync(
                http, parse.GetValue(device)!, parse.GetValue(iface)!, parse.GetValue(multicastPort), answerTimeout, loggers,
                m => WsdTarget.ChooseService(m, parse.GetValue(service)), cancellationToken);

            var local = SinkAddress(parse.GetValue(iface)!, target.Address);
            await using var sink = await NotificationSink.StartAsync(
                new DpwsHostOptions { Address = local, Port = parse.GetValue(sinkPort), MaxRequestBytes = 1 << 20 }, "/events", 1024, null, loggers, cancellationToken);
            var request = new SubscribeRequest
            {
                NotifyTo = sink.EndpointReference(),
                EndTo = sink.EndpointReference(),
                Expires = asked,
                Filter = actions.Length > 0 ? EventingFilter.ForActions(actions) : null,
            };
            await using var keeper = await EventSubscriptionKeeper.SubscribeAsync(
                new EventingClient(http), target.Address, request, new EventSubscriptionKeeperOptions { Renew = parse.GetValue(renew) }, TimeProvider.System, cancellationToken);
            var subscription = keeper.Subscription;
            Console.Error.WriteLine($"Subscribed to {target.Address} ({Clean(target.Hosted.ServiceId)}) as {Clean(subscription.Identifier ?? "(no identifier)")}; expires {Clean(subscription.Expires ?? "(not said)")}; notifications to {sink.Address}");
            foreach (var v in subscription.Violations)
            {
                Console.Error.WriteLine($"{v.Severity} {v.RuleId}: {v.Message}");
            }

            using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var exitCode = 0;
            var why = "stopped";
            keeper.Renewed += (_, status) => Console.Error.WriteLine($"Renewed; expires {Clean(status.Expires ?? "(not said)")}");
            keeper.RenewFailed += (_, failure) =>
            {
                Console.Error.WriteLine($"Renew failed{(failure.WillRetry ? " (will retry)" : string.Empty)}: {WsdTarget.DescribeDeviceError(failure.Error) ?? failure.Error.Message}");
                if (!failure.WillRetry)
                {
                    exitCode = 1;
                    why = "renew failed";
                    listening.Cancel();
                }
            };

            var limit = parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
            if (limit != Timeout.InfiniteTimeSpan)
            {
                why = "--duration is over";
            }

            if (!parse.GetValue(renew) && keeper.ExpiresAt is { } expiresAt)
            {
                var left = expiresAt - TimeProvider.System.GetUtcNow();
                if (limit == Timeout.InfiniteTimeSpan || left < limit)
                {
                    limit = left > TimeSpan.Zero ? left : TimeSpan.Zero;
                    why = "expired";
                }
            }

            if (limit != Timeout.InfiniteTimeSpan)
            {
                listening.CancelAfter(limit);
            }

            var writeJson = parse.GetValue(json);
            try
            {
                await foreach (var notification in sink.ReadAllAsync(listening.Token))
                {
                    Console.Out.WriteLine(writeJson ? JsonLine(notification) : TextLine(notification));
                    Console.Out.Flush();
                    if (notification.IsSubscriptionEnd)
                    {
                        keeper.MarkEnded();
                        why = "ended by the device";
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (listening.IsCancellationRequested)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    why = "stopped";
                }
            }

            if (why == "expired")
            {
                Console.Error.WriteLine("The subscription expired (not renewed; --renew keeps it).");
            }
            else if (!keeper.Ended)
            {
                using var unsubscribing = new CancellationTokenSource(answerTimeout);
                try
                {
                    await keeper.UnsubscribeAsync(unsubscribing.Token);
                    Console.Error.WriteLine("Unsubscribed.");
                }
                catch (Exception ex) when (WsdTarget.DescribeDeviceError(ex) is { } problem)
                {
                    Console.Error.WriteLine($"Unsubscribe failed: {problem}");
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("Unsubscribe failed: no answer in time.");
                }
            }

            Console.Error.WriteLine($"Done ({why}).");
            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// The address the notification endpoint listens on: an address given as the interface; on loopback 127.0.0.1 when the
    /// service is local too, else the local address that routes to the service (no packet is sent); on a named interface its IPv4 address.
    /// </summary>
    internal static IPAddress SinkAddress(string interfaceName, Uri service)
    {
        if (IPAddress.TryParse(interfaceName, out var literal))
        {
            return literal;
        }

        var nic = NetworkInterfaceResolver.Resolve(interfaceName);
        var remote = IPAddress.TryParse(service.IdnHost, out var host) ? host : null;
        if (nic.IsLoopback)
        {
            if (remote is null || IPAddress.IsLoopback(remote))
            {
                return remote?.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            }

            using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(remote, service.Port));
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }

        return nic.GetAddress(remote?.AddressFamily ?? AddressFamily.InterNetwork)
            ?? throw new ArgumentException($"The interface '{interfaceName}' has no address to receive notifications on.");
    }

    /// <summary>One line per notification: time, event name, then its leaf values (or the SubscriptionEnd status and reason).</summary>
    internal static string TextLine(ReceivedNotification notification)
    {
        var time = notification.Time.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        if (notification.SubscriptionEnd is { } end)
        {
            return $"{time} SubscriptionEnd {Clean(LastSegment(end.Status))}{(end.Reason is { Length: > 0 } reason ? ": " + Clean(reason) : string.Empty)}";
        }

        var body = notification.Envelope.BodyElement;
        var values = Leaves(body).Select(v => $"{v.Name}={Quote(v.Value)}");
        return $"{time} {Clean(body?.Name.LocalName ?? LastSegment(notification.Action))} {string.Join(' ', values)}".TrimEnd();
    }

    /// <summary>One JSON object per notification.</summary>
    internal static string JsonLine(ReceivedNotification notification)
    {
        var body = notification.Envelope.BodyElement;
        return JsonSerializer.Serialize(
            new
            {
                time = notification.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                action = notification.Action,
                from = notification.RemoteEndPoint?.ToString(),
                @event = notification.IsSubscriptionEnd ? "SubscriptionEnd" : body?.Name.LocalName,
                values = notification.IsSubscriptionEnd ? null : Leaves(body).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First().Value),
                subscriptionEnd = notification.SubscriptionEnd is { } end ? new { status = end.Status, reason = end.Reason, identifier = end.Identifier } : null,
                body = body?.ToString(SaveOptions.DisableFormatting),
                violations = notification.Violations.Count == 0 ? null : notification.Violations.Select(v => new { ruleId = v.RuleId, severity = v.Severity.ToString(), message = v.Message }),
            },
            JsonLines);
    }

    /// <summary>The elements without child elements and with text, as local name and trimmed value (at most 16).</summary>
    private static IEnumerable<(string Name, string Value)> Leaves(XElement? body) =>
        body is null
            ? []
            : body.Descendants().Where(e => !e.HasElements && e.Value.Trim().Length > 0).Take(16).Select(e => (e.Name.LocalName, Shorten(e.Value.Trim())));

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";

    private static string Quote(string value) => Clean(value.Contains(' ', StringComparison.Ordinal) ? $"\"{value}\"" : value);

    private static string LastSegment(string uri) => uri[(uri.LastIndexOf('/') + 1)..];

    private static string Clean(string value) => PrintCommand.Clean(value);
}
