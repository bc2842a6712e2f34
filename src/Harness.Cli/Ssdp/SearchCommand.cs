using System.CommandLine;
using System.Globalization;
using Harness.Cli.Common;
using Harness.Core.Transport;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Ssdp;

/// <summary>
/// <c>harness ssdp search</c>: an M-SEARCH (gssdp-discover's job), with the answers shown as they come: a table rewritten
/// in place on a terminal, one line per answer when the output is redirected, JSON lines with <c>--json</c>; then a summary.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var st = new Option<string>("--st", "--target", "-t")
        {
            Description = "Search target (ST): ssdp:all, upnp:rootdevice, uuid:…, urn:…:device:T:v or urn:…:service:S:v",
            DefaultValueFactory = _ => SsdpTarget.AllValue,
        };
        var mx = new Option<int>("--mx") { Description = "MX: the seconds devices may wait before answering (UDA: 1 to 5)", DefaultValueFactory = _ => 2 };
        var time = new Option<double?>("--time") { Description = "Seconds the whole search lasts (default: the copies, then MX + 1 s; 2 s after a unicast search)" };
        var unicast = new Option<string?>("--unicast") { Description = "Search one device by unicast at IP:PORT (UDA 1.1 §1.3.2: no MX) instead of multicast" };
        var sends = new Option<int>("--sends") { Description = "Copies of the search, 0.5 s apart (UDA: more than one; 1 to 5)", DefaultValueFactory = _ => 2 };
        var port = new Option<int>("--port", "--multicast-port")
        {
            Description = "The SSDP port multicast searches go to (1900; another port isolates a test network)",
            DefaultValueFactory = _ => SsdpMulticast.Port,
        };
        var json = new Option<bool>("--json") { Description = "Write JSON lines to standard output: one per answer, then a summary" };
        var iface = CommonOptions.Interface();
        var ipv6 = SsdpCliOptions.Ipv6();
        var ttl = SsdpCliOptions.Ttl();
        var logLevel = CommonOptions.LogLevel();
        var command = new Command("search", "Search for SSDP devices (M-SEARCH) and show every answer as it arrives")
        {
            st, mx, time, unicast, sends, port, json, iface, ipv6, ttl, logLevel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var target = parse.GetValue(st)!;
            var unicastTo = parse.GetValue(unicast) is { } text ? SsdpCliOptions.ParseEndPoint(text) : null;
            var family = unicastTo?.AddressFamily ?? SsdpCliOptions.Family(parse.GetValue(ipv6));
            var interfaceName = parse.GetValue(iface)!;
            var search = new SsdpSearch
            {
                Target = target,
                Mx = parse.GetValue(mx),
                Unicast = unicastTo,
                Sends = parse.GetValue(sends),
            };
            if (parse.GetValue(time) is { } seconds)
            {
                if (seconds is <= 0 or > 3600)
                {
                    throw new ArgumentException($"--time {seconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds in (0, 3600].");
                }

                var sending = search.SendInterval * (search.Sends - 1);
                search = search with { Timeout = TimeSpan.FromSeconds(seconds) > sending ? TimeSpan.FromSeconds(seconds) - sending : TimeSpan.Zero };
            }

            search.Validate();
            var multicast = SsdpCliOptions.MulticastEndPoints(family, parse.GetValue(port));
            if (unicastTo is null)
            {
                SsdpCliOptions.RequireMulticastRoute(interfaceName, SsdpMulticast.GroupsFor(family)[0]);
            }

            var transport = SsdpTransports.BindSearcher(family, interfaceName, parse.GetValue(ttl), TimeProvider.System, loggers.CreateLogger<UdpDatagramTransport>());
            var destination = unicastTo?.ToString() ?? string.Join(", ", (multicast ?? SsdpMulticast.EndPointsFor(family)).Select(e => e.ToString()));
            var view = SearchView.ForConsole(parse.GetValue(json));
            view.Start($"M-SEARCH ST {target}{(unicastTo is null ? $" MX {search.Mx}" : string.Empty)} to {destination} on {interfaceName}");
            var started = TimeProvider.System.GetTimestamp();
            var interrupted = false;
            await using (var controlPoint = new SsdpControlPoint(
                transport,
                listenTransport: null,
                new SsdpControlPointOptions { MulticastEndPoints = multicast, ReceiveNotify = false },
                TimeProvider.System,
                loggers.CreateLogger<SsdpControlPoint>()))
            {
                try
                {
                    await foreach (var result in controlPoint.SearchStreamAsync(search, cancellationToken))
                    {
                        view.Add(result, TimeProvider.System.GetElapsedTime(started));
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C: show what came so far.
                    interrupted = true;
                }
            }

            view.Finish(new SearchSummary(target, unicastTo is null ? search.Mx : null, interfaceName, destination, TimeProvider.System.GetElapsedTime(started), interrupted));
            return 0;
        });
        return command;
    }
}
