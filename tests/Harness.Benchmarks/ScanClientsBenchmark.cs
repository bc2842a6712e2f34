using System.Diagnostics;
using System.Globalization;
using System.Net;
using Harness.Dpws.Http;
using Harness.Dpws.Scan;
using Harness.Dpws.Scan.Http;
using Harness.Simulators.Identity;
using Harness.Simulators.Scanners;

namespace Harness.Benchmarks;

/// <summary>
/// 100 scanning clients at once against one <see cref="FakeScanner"/> on loopback (real Kestrel, real sockets): each
/// validates a ticket, creates a job and retrieves its image (a small PNG page), several times in a row. Reports the
/// total time, scans per second, p50/p95/max latency of one scan (the three calls) and peak memory.
/// Usage: <c>scan-100 [clients=100] [scans-per-client=5]</c>.
/// </summary>
internal static class ScanClientsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var perClient = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var identity = DeviceIdentity.Create(DeviceKind.Scanner, 1, 0);
        await using var scanner = await FakeScanner.StartAsync(
            new FakeScannerOptions
            {
                Identity = identity,
                Discoverable = false,
                UnicastAddress = IPAddress.Parse("127.0.0.50"),
                // A real scanner takes one job at a time; the simulator takes as many as there are clients.
                Service = FakeScanner.CreateServiceOptions(identity) with { MaxActiveJobs = clients * 2, HistoryCapacity = 20 },
            },
            CancellationToken.None);
        var service = scanner.ServiceAddress;
        var ticket = SmallPageTicket();
        Console.WriteLine($"scanner at {service}; {clients} clients x {perClient} scans; ticket: PNG, Grayscale8, 75 dpi, 2 x 2 in (150 x 150 px)");

        // Warm-up: JIT, Kestrel, the renderer.
        using (var warm = new SoapHttpClient())
        {
            await ScanOnceAsync(new ScanClient(warm), service, ticket);
        }

        var latencies = new List<double>[clients];
        var bytes = 0L;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            await Task.Yield();
            latencies[c] = [];
            using var http = new SoapHttpClient(new SoapHttpClientOptions { Timeout = TimeSpan.FromSeconds(60) });
            var client = new ScanClient(http);
            for (var i = 0; i < perClient; i++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    Interlocked.Add(ref bytes, await ScanOnceAsync(client, service, ticket));
                    latencies[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is ScanFaultException or Harness.Dpws.Soap.SoapProtocolException)
                {
                    Interlocked.Increment(ref failures);
                    Console.WriteLine($"client {c}: {ex.Message}");
                }
            }
        }));
        var total = watch.Elapsed;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"{all.Length} scans ({failures} failed) in {total.TotalSeconds:0.00} s: {all.Length / total.TotalSeconds:0} scans/s, {bytes / all.Length / 1024.0:0.0} KiB per image");
        Console.WriteLine($"latency of one scan (validate + create + retrieve): p50 {Percentile(all, 0.50):0.0} ms, p95 {Percentile(all, 0.95):0.0} ms, max {all[^1]:0.0} ms");
        Console.WriteLine($"peak working set {self.PeakWorkingSet64 / (1024.0 * 1024.0):0} MB; managed heap now {GC.GetTotalMemory(false) / (1024.0 * 1024.0):0} MB; jobs held by the scanner {scanner.Service.GetJobHistory().Jobs.Count} in history, {scanner.Service.GetActiveJobs().Jobs.Count} active");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<long> ScanOnceAsync(ScanClient client, Uri service, ScanTicket ticket)
    {
        var validation = await client.ValidateScanTicketAsync(service, ticket);
        if (!validation.Value.ValidTicket)
        {
            throw new InvalidOperationException("The scanner refused the benchmark's ticket.");
        }

        var job = await client.CreateScanJobAsync(service, ticket);
        var image = await client.RetrieveImageAsync(service, job.Value.JobId, job.Value.JobToken);
        return image.Value.Content.Length;
    }

    private static ScanTicket SmallPageTicket()
    {
        var side = new ScanMediaSide
        {
            ColorProcessing = ScanValue.Of(ScanValues.Grayscale8),
            Resolution = new ScanResolution { Width = ScanValue.Of(75), Height = ScanValue.Of(75) },
            ScanRegion = new ScanRegion { XOffset = ScanValue.Of(0), YOffset = ScanValue.Of(0), Width = ScanValue.Of(2000), Height = ScanValue.Of(2000) },
        };
        return new ScanTicket
        {
            JobDescription = new ScanJobDescription("benchmark", "bench"),
            DocumentParameters = new ScanDocumentParameters
            {
                Format = ScanValue.Of(ScanValues.Png),
                ImagesToTransfer = ScanValue.Of(1),
                InputSource = ScanValue.Of(ScanValues.Platen),
                ContentType = ScanValue.Of(ScanValues.Auto),
                InputSize = new ScanInputSize { Width = ScanValue.Of(2000), Height = ScanValue.Of(2000) },
                MediaSides = new ScanMediaSides { Front = side },
            },
        };
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
