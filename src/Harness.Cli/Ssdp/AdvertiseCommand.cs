using System.CommandLine;
using System.Globalization;
using System.Net;
using Harness.Cli.Common;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Ssdp;

/// <summary>
/// <c>harness ssdp advertise --description FILE</c>: serves the description file (its bytes as they are) over HTTP on the
/// interface's address and advertises its 3 + 2d + k set until stopped, with a byebye for every pair on the way out.
/// </summary>
internal static class AdvertiseCommand
{
    /// <summary>The path the description is served at.</summary>
    public const string DescriptionPath = "/description.xml";

    private const int MaxFileBytes = 1 << 20;

    public static Command Create()
    {
        var description = new Option<FileInfo>("--description", "-d") { Description = "The UPnP device description (XML) to serve and advertise", Required = true };
        var maxAge = new Option<int>("--max-age") { Description = "max-age of the advertisements in seconds (UDA: at least 1800)", DefaultValueFactory = _ => 1800 };
        var port = new Option<int>("--port", "--multicast-port")
        {
            Description = "The SSDP port to listen and advertise on (1900; another port isolates a test network)",
            DefaultValueFactory = _ => SsdpMulticast.Port,
        };
        var httpPort = new Option<int>("--http-port") { Description = "The HTTP port of the description (default: a free one)", DefaultValueFactory = _ => 0 };
        var duration = new Option<double?>("--duration") { Description = "Seconds to advertise, then byebye (default: until Ctrl-C)" };
        var iface = CommonOptions.Interface();
        var ipv6 = SsdpCliOptions.Ipv6();
        var ttl = SsdpCliOptions.Ttl();
        var logLevel = CommonOptions.LogLevel();
        var command = new Command("advertise", "Serve a UPnP description over HTTP and advertise it over SSDP until stopped (byebye on exit)")
        {
            description, maxAge, port, httpPort, duration, iface, ipv6, ttl, logLevel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var file = parse.GetValue(description)!;
            var bytes = ReadFile(file);
            var read = UpnpDescriptionReader.Read(bytes);
            foreach (var violation in read.Violations.Where(v => v.Severity >= ViolationSeverity.Warning))
            {
                Console.Error.WriteLine($"{file.Name}: {violation}");
            }

            if (read.Description is not { } upnp)
            {
                Console.Error.WriteLine($"harness: {file.FullName} is not a UPnP device description.");
                return 2;
            }

            var ssdpPort = parse.GetValue(port);
            SsdpCliOptions.CheckPort(ssdpPort, "--port");
            var family = SsdpCliOptions.Family(parse.GetValue(ipv6));
            var interfaceName = parse.GetValue(iface)!;
            var address = SsdpCliOptions.InterfaceAddress(interfaceName, family);
            SsdpCliOptions.RequireMulticastRoute(interfaceName, SsdpMulticast.GroupsFor(family)[0]);
            var server = ServerHeader(upnp.SpecVersion);
            await using var http = await UpnpDescriptionServer.StartAsync(
                new UpnpDescriptionServerOptions { EndPoints = [new IPEndPoint(address, parse.GetValue(httpPort))], Server = server },
                cancellationToken);
            var location = http.Map(DescriptionPath, new UpnpHttpResource(bytes));
            var served = MapLocalFiles(http, upnp, location, file.Directory!);
            var published = new SsdpPublishedDevice
            {
                Device = upnp.Device,
                Location = location.ToString(),
                MaxAge = parse.GetValue(maxAge),
                ConfigId = upnp.ConfigId,
                SendBootId = upnp.SpecVersion.AtLeast11,
            };
            published.Validate();
            if (upnp.SpecVersion.AtLeast11 && upnp.ConfigId is null)
            {
                Console.Error.WriteLine($"{file.Name}: specVersion {upnp.SpecVersion} without a configId attribute on <root>: CONFIGID.UPNP.ORG is not sent.");
            }

            var multicast = ssdpPort == SsdpMulticast.Port ? null : (IReadOnlyList<IPEndPoint>)[SsdpMulticast.EndPointsFor(family, ssdpPort)[0]];
            var transport = SsdpTransports.BindListener(family, interfaceName, ssdpPort, parse.GetValue(ttl), TimeProvider.System, loggers.CreateLogger<UdpDatagramTransport>());
            var announcements = SsdpAnnouncements.For(upnp.Device);
            await using (var advertiser = new SsdpAdvertiser(
                transport,
                new SsdpAdvertiserOptions { MulticastEndPoints = multicast, Server = server },
                TimeProvider.System,
                loggers.CreateLogger<SsdpAdvertiser>()))
            {
                await advertiser.PublishAsync(published, cancellationToken);
                var embedded = upnp.AllDevices.Count() - 1;
                Console.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Advertising {upnp.Device.Udn} ({SsdpCliOptions.Clean(upnp.Device.FriendlyName)}) on {interfaceName}: {announcements.Count} (NT, USN) pairs (3 + 2×{embedded} + {announcements.Count - 3 - (2 * embedded)}), LOCATION {location}, max-age {published.MaxAge}, SSDP port {ssdpPort}; Ctrl-C to stop."));
                foreach (var pair in announcements)
                {
                    Console.Out.WriteLine($"  NT {SsdpCliOptions.Clean(pair.NotificationType.Value)}  USN {SsdpCliOptions.Clean(pair.Usn)}");
                }

                foreach (var path in served)
                {
                    Console.Out.WriteLine($"  serving {http.UrlFor(path)}");
                }

                Console.Out.Flush();
                try
                {
                    var wait = parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C or SIGTERM: byebye below.
                }

                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var before = advertiser.NotifiesSent;
                await advertiser.StopAsync(stopping.Token);
                Console.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Withdrawn {upnp.Device.Udn}: {advertiser.NotifiesSent - before} byebye sent; {advertiser.SearchesAnswered} search(es) answered with {advertiser.ResponsesSent} response(s), {http.RequestCount} HTTP request(s)."));
            }

            return 0;
        });
        return command;
    }

    /// <summary>SERVER in the UDA form, with the UPnP token of the description's specVersion (SSDP-RESP-006).</summary>
    internal static string ServerHeader(UpnpSpecVersion version)
    {
        var os = OperatingSystem.IsLinux() ? "Linux" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "Darwin" : "OS";
        var osVersion = Environment.OSVersion.Version;
        return string.Create(CultureInfo.InvariantCulture, $"{os}/{osVersion.Major}.{osVersion.Minor} {version.Token} Harness/1.0");
    }

    private static byte[] ReadFile(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new ArgumentException($"{file.FullName} does not exist.");
        }

        if (file.Length > MaxFileBytes)
        {
            throw new ArgumentException($"{file.FullName} is {file.Length} bytes; a description is at most {MaxFileBytes}.");
        }

        return File.ReadAllBytes(file.FullName);
    }

    /// <summary>
    /// Serves the files the description names by a relative URL (SCPDURL, icons) when they exist next to the description
    /// file, so that a control point can follow them. Paths never leave that folder.
    /// </summary>
    private static List<string> MapLocalFiles(UpnpDescriptionServer http, UpnpDescription description, Uri location, DirectoryInfo folder)
    {
        var root = Path.GetFullPath(folder.FullName) + Path.DirectorySeparatorChar;
        var served = new List<string>();
        var urls = description.AllDevices.SelectMany(d => d.Services.Select(s => s.ScpdUrl).Concat(d.Icons.Select(i => i.Url)));
        foreach (var url in urls.Distinct(StringComparer.Ordinal))
        {
            if (description.ResolveUrl(url, location) is not { } resolved
                || !string.Equals(resolved.Authority, location.Authority, StringComparison.OrdinalIgnoreCase)
                || resolved.AbsolutePath == DescriptionPath)
            {
                continue;
            }

            var relative = Uri.UnescapeDataString(resolved.AbsolutePath).TrimStart('/');
            var full = Path.GetFullPath(Path.Combine(root, relative));
            if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full) || new FileInfo(full).Length > MaxFileBytes)
            {
                continue;
            }

            http.Map(resolved.AbsolutePath, new UpnpHttpResource(File.ReadAllBytes(full)) { ContentType = ContentTypeOf(full) });
            served.Add(resolved.AbsolutePath);
        }

        return served;
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".xml" => UpnpHttpResource.XmlContentType,
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        _ => "application/octet-stream",
    };
}
