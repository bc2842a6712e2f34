using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;

namespace Harness.Benchmarks;

/// <summary>
/// One <see cref="SsdpAdvertiser"/> with 1,000 root devices answers one multicast <c>ssdp:all</c> M-SEARCH with MX=1 on
/// loopback (real UDP, a private port). Half the devices are a MediaServer with 3 service types (3 + 3 = 6 pairs), the
/// other half also embed a renderer with one service (3 + 2 + 3 + 1 = 9 pairs): 7,500 answers.
/// Target (issue 5): every answer (Σ 3 + 2d + k) received, the last within MX + 0.5 s; peak memory reported.
/// </summary>
internal static class AdvertiserFanOutBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        const int mx = 1;
        var port = FreePort();
        var group = new IPEndPoint(SsdpMulticast.IPv4Group, port);
        await using var advertiser = new SsdpAdvertiser(
            SsdpTransports.BindListener(AddressFamily.InterNetwork, "lo", port),
            new SsdpAdvertiserOptions { MulticastEndPoints = [group], Seed = 1, AnnounceCount = 1, InitialDelay = TimeSpan.Zero, ReadvertiseInterval = TimeSpan.FromHours(1) });
        var expected = 0;
        for (var i = 0; i < count; i++)
        {
            var device = Device(i);
            expected += SsdpAnnouncements.For(device).Count;
            await advertiser.PublishAsync(
                new SsdpPublishedDevice { Device = device, Location = string.Create(CultureInfo.InvariantCulture, $"http://{{address}}:{8000 + (i % 1000)}/device-{i}.xml") },
                CancellationToken.None);
        }

        // Let the initial alive sets (one per device) go out before measuring the answers.
        var announced = Stopwatch.StartNew();
        while (advertiser.NotifiesSent < expected && announced.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        var deadline = TimeSpan.FromSeconds(mx + 0.5);
        Console.WriteLine($"advertiser: {count} root devices on 127.0.0.1, multicast {group}, {advertiser.NotifiesSent} alive sent; one ssdp:all M-SEARCH MX={mx} expects {expected} answers; deadline {deadline.TotalMilliseconds:0} ms");
        var ok = true;
        var worst = TimeSpan.Zero;
        for (var run = 0; run < runs; run++)
        {
            // The answers come within one second: room for all of them between the socket and the engine.
            var searcher = UdpDatagramTransport.Bind(new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, 0), Interface = "lo", ReceiveQueueCapacity = expected * 2 });
            await using var controlPoint = new SsdpControlPoint(searcher, null, new SsdpControlPointOptions { MulticastEndPoints = [group], ReceiveNotify = false });
            var search = new SsdpSearch { Mx = mx, Sends = 1, Timeout = TimeSpan.FromSeconds(mx + 2), MaxResults = expected };
            var watch = Stopwatch.StartNew();
            var answers = 0;
            var last = TimeSpan.Zero;
            await foreach (var result in controlPoint.SearchStreamAsync(search, CancellationToken.None))
            {
                answers++;
                last = watch.Elapsed;
            }

            worst = last > worst ? last : worst;
            ok &= answers == expected && last <= deadline;
            Console.WriteLine($"run {run + 1}: {answers} of {expected} answers, the last at {last.TotalMilliseconds:0} ms; {controlPoint.MalformedDatagrams} malformed");
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var peakMb = self.PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine($"worst {worst.TotalMilliseconds:0} ms (deadline {deadline.TotalMilliseconds:0} ms); {advertiser.ResponsesSent} responses sent; peak working set {peakMb:0} MB; managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024.0):0} MB");
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static UpnpDevice Device(int i)
    {
        var udn = $"uuid:{new Guid(i, 0x5344, 0x4450, [0x80, 0, 0, 0, 0, 0, 0, 1]):D}";
        var services = new[]
        {
            new UpnpService("urn:schemas-upnp-org:service:ContentDirectory:1", "urn:upnp-org:serviceId:ContentDirectory", "/cd.xml", "/ctl/cd", "/evt/cd"),
            new UpnpService("urn:schemas-upnp-org:service:ConnectionManager:1", "urn:upnp-org:serviceId:ConnectionManager", "/cm.xml", "/ctl/cm", "/evt/cm"),
            new UpnpService("urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1", "urn:microsoft.com:serviceId:X_MS_MediaReceiverRegistrar", "/mr.xml", "/ctl/mr", "/evt/mr"),
        };
        var embedded = i % 2 == 0
            ? new[]
            {
                new UpnpDevice
                {
                    DeviceType = "urn:schemas-upnp-org:device:MediaRenderer:1",
                    FriendlyName = $"Renderer {i}",
                    Manufacturer = "Harness",
                    ModelName = "Bench",
                    Udn = $"uuid:{new Guid(i, 0x5344, 0x4450, [0x80, 0, 0, 0, 0, 0, 0, 2]):D}",
                    Services = [new UpnpService("urn:schemas-upnp-org:service:RenderingControl:1", "urn:upnp-org:serviceId:RenderingControl", "/rc.xml", "/ctl/rc", "/evt/rc")],
                },
            }
            : [];
        return new UpnpDevice
        {
            DeviceType = "urn:schemas-upnp-org:device:MediaServer:1",
            FriendlyName = $"Server {i}",
            Manufacturer = "Harness",
            ModelName = "Bench",
            Udn = udn,
            Services = services,
            Devices = embedded,
        };
    }

    private static int FreePort()
    {
        using var probe = new UdpClient(0);
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
