using System.Diagnostics;
using System.Globalization;
using System.Net;
using Harness.Core.Transport;
using Harness.Dpws.Scan.Http;
using Harness.Simulators.Fleet;
using Harness.Simulators.Scanners;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Benchmarks;

/// <summary>
/// 200 <see cref="FakeScanner"/>s in one process, each on a loopback address of its own (127.0.x.y, as
/// <see cref="RunningFleet.LoopbackAddress"/> gives them) with its own Kestrel host, announced on a private multicast
/// port: the time to start them all (a few at a time, as <c>harness simulate</c> does), the memory per device, the time
/// one multicast Probe for <c>wscn:ScanDeviceType</c> takes to find all of them, and what is left after they stop.
/// Usage: <c>scanners-200 [count=200] [parallelism=8] [settle-seconds=3]</c>.
/// </summary>
internal static class ScannerFleetBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var parallelism = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var port = FreePort();
        var group = new IPEndPoint(WsdMulticast.IPv4Group, port);
        using var self = Process.GetCurrentProcess();

        // Warm-up: one scanner started and stopped (JIT, Kestrel, sockets), so that the figures are about the fleet.
        await (await FakeScanner.StartAsync(new FakeScannerOptions { Seed = 99, UnicastAddress = RunningFleet.LoopbackAddress(count + 10), MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, FreePort()) }, CancellationToken.None)).DisposeAsync();
        var heapBefore = Heap();
        self.Refresh();
        var workingSetBefore = self.WorkingSet64;
        var threadsBefore = self.Threads.Count;
        var dropsBefore = UdpReceiveBufferErrors();

        var scanners = new FakeScanner[count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            scanners[i] = await FakeScanner.StartAsync(
                new FakeScannerOptions { Seed = 1, Index = i, UnicastAddress = RunningFleet.LoopbackAddress(i), MulticastEndPoint = group },
                ct);
        });
        var startTime = watch.Elapsed;
        var heapAfter = Heap();
        self.Refresh();
        var workingSetAfter = self.WorkingSet64;
        Console.WriteLine($"{count} scanners started in {startTime.TotalSeconds:0.00} s ({startTime.TotalMilliseconds / count:0.0} ms each, {parallelism} at a time) on 127.0.x.y, multicast {group}");
        Console.WriteLine($"memory per device: {(workingSetAfter - workingSetBefore) / (1024.0 * count):0} KiB working set, {(heapAfter - heapBefore) / (1024.0 * count):0} KiB managed heap; threads {threadsBefore} before, {self.Threads.Count} running");
        // The first probe goes out at once, while the start-up Hellos of every device still reach every device's
        // multicast socket (N x N datagrams); the others after the fleet has settled.
        var settle = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 3);
        var ok = true;
        for (var run = 0; run < 3; run++)
        {
            if (run == 1)
            {
                await Task.Delay(settle);
            }

            await using var client = new DiscoveryClient(
                UdpDatagramTransport.Bind(new UdpTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, 0), Interface = "lo" }),
                new DiscoveryClientOptions { Protocols = [WsdProtocol.V2005], MulticastEndPoint = group, MaxProbeResults = count * 2, Seed = run });
            var probe = Stopwatch.StartNew();
            var found = await client.ProbeAsync(new ProbeRequest { Types = [ScannerServiceEndpoint.ScanDeviceType], Timeout = TimeSpan.FromSeconds(10), MaxResults = count }, CancellationToken.None);
            var elapsed = probe.Elapsed;
            var distinct = found.Select(f => f.EndpointAddress).Distinct().Count();
            Console.WriteLine($"probe {run + 1} ({(run == 0 ? "right after the start" : $"after {settle.TotalSeconds:0.#} s settling")}): {distinct} of {count} scanners found in {elapsed.TotalMilliseconds:0} ms; kernel UDP receive-buffer drops so far {UdpReceiveBufferErrors() - dropsBefore}");
            ok &= run == 0 || distinct == count;
        }

        self.Refresh();
        Console.WriteLine($"peak working set {self.PeakWorkingSet64 / (1024.0 * 1024.0):0} MB");
        watch.Restart();
        foreach (var scanner in scanners)
        {
            await scanner.DisposeAsync();
        }

        Array.Clear(scanners);

        var stopTime = watch.Elapsed;
        var heapEnd = Heap();
        Console.WriteLine($"stopped in {stopTime.TotalSeconds:0.00} s; managed heap {heapBefore / (1024.0 * 1024.0):0.0} MB before, {heapAfter / (1024.0 * 1024.0):0.0} MB running, {heapEnd / (1024.0 * 1024.0):0.0} MB after (a leak keeps the difference)");
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    /// <summary>RcvbufErrors of /proc/net/snmp: UDP datagrams the kernel dropped because a socket's receive buffer was full.</summary>
    private static long UdpReceiveBufferErrors()
    {
        if (!File.Exists("/proc/net/snmp"))
        {
            return 0;
        }

        var lines = File.ReadAllLines("/proc/net/snmp").Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToArray();
        if (lines.Length < 2)
        {
            return 0;
        }

        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(names, "RcvbufErrors");
        return index > 0 ? long.Parse(values[index], CultureInfo.InvariantCulture) : 0;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.UdpClient(0);
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
