using System.Diagnostics;
using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Benchmarks;

/// <summary>
/// One publisher with 1,000 services answers one multicast Probe on loopback (real UDP, a private port).
/// Target (issue 2): all 1,000 matches received within APP_MAX_DELAY + 1 s, memory under 200 MB.
/// </summary>
internal static class PublisherFanOutBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var services = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var port = FreePort();
        var group = new IPEndPoint(WsdMulticast.IPv4Group, port);
        var profile = SoapOverUdpProfile.WsDiscovery2005;
        await using var publisher = new Publisher(
            UdpDatagramTransport.Bind(new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, port), MulticastGroups = [group.Address], Interface = "lo" }),
            new PublisherOptions { Protocols = [WsdProtocol.V2005], Profile = profile, MulticastEndPoint = group, SendHello = false, Seed = 1 },
            addressProvider: new StaticLocalAddressProvider(new LocalAddress(IPAddress.Loopback)));
        for (var i = 0; i < services; i++)
        {
            await publisher.PublishAsync(
                new PublishedService($"urn:uuid:{new Guid(i, 0, 0, new byte[8]):D}")
                {
                    Types = [WsdQName.Create("http://www.onvif.org/ver10/device/wsdl", "Device", "tds")],
                    Scopes = [$"onvif://www.onvif.org/name/camera-{i}", "onvif://www.onvif.org/type/video_encoder"],
                    XAddrs = [$"http://{{ip}}:{8000 + (i % 1000)}/onvif/device_service"],
                },
                CancellationToken.None);
        }

        var deadline = profile.AppMaxDelay + TimeSpan.FromSeconds(1);
        Console.WriteLine($"publisher: {services} services on 127.0.0.1, multicast {group}; deadline APP_MAX_DELAY {profile.AppMaxDelay.TotalMilliseconds:0} ms + 1 s");
        var worst = TimeSpan.Zero;
        var ok = true;
        for (var run = 0; run < runs; run++)
        {
            await using var client = new DiscoveryClient(
                UdpDatagramTransport.Bind(new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, 0), Interface = "lo" }),
                new DiscoveryClientOptions { Protocols = [WsdProtocol.V2005], MulticastEndPoint = group, Profile = profile with { MulticastUdpRepeat = 1 }, MaxProbeResults = services * 2, Seed = run });
            var watch = Stopwatch.StartNew();
            var found = await client.ProbeAsync(new ProbeRequest { Timeout = TimeSpan.FromSeconds(10), MaxResults = services }, CancellationToken.None);
            var elapsed = watch.Elapsed;
            worst = elapsed > worst ? elapsed : worst;
            ok &= found.Count == services && elapsed <= deadline;
            Console.WriteLine($"run {run + 1}: {found.Count} of {services} matches in {elapsed.TotalMilliseconds:0} ms");
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var peakMb = self.PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine($"worst {worst.TotalMilliseconds:0} ms (deadline {deadline.TotalMilliseconds:0} ms); peak working set {peakMb:0} MB (limit 200 MB); managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024.0):0} MB");
        ok &= peakMb < 200;
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.UdpClient(0);
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
