using System.Diagnostics;
using System.Net;
using System.Text;
using Harness.Capture;
using Harness.Core.Recording;

namespace Harness.Benchmarks;

/// <summary>
/// Reads a capture of 1,000,000 packets and extracts its WS-Discovery messages, then times
/// <c>tshark -r FILE -Y udp.port==3702</c> on the same file and prints the ratio. Target (issue 3): faster than tshark.
/// </summary>
internal static class CaptureBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var packets = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var path = Path.Combine(Path.GetTempPath(), $"harness-bench-{packets}.pcapng");
        if (!File.Exists(path))
        {
            Console.WriteLine($"writing {packets:N0} packets to {path} ...");
            Generate(path, packets);
        }

        Console.WriteLine($"capture: {path} ({new FileInfo(path).Length / (1024.0 * 1024.0):0} MB, {packets:N0} packets)");
        // Warm the page cache and the JIT once, so that both tools read from memory.
        Extract(path);
        var watch = Stopwatch.StartNew();
        var wsd = Extract(path);
        var ours = watch.Elapsed;
        Console.WriteLine($"harness: {wsd:N0} WS-Discovery messages in {ours.TotalSeconds:0.00} s ({packets / ours.TotalSeconds:N0} packets/s)");

        var tshark = new[] { "/usr/bin/tshark", "/usr/local/bin/tshark" }.FirstOrDefault(File.Exists);
        if (tshark is null)
        {
            Console.WriteLine("tshark is not installed (apt-get install -y tshark): no ratio.");
            return 0;
        }

        var start = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(tshark, ["-r", path, "-Y", "udp.port==3702"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var lines = 0;
        while (await process.StandardOutput.ReadLineAsync() is not null)
        {
            lines++;
        }

        await process.WaitForExitAsync();
        var theirs = start.Elapsed;
        Console.WriteLine($"tshark:  {lines:N0} packets matched in {theirs.TotalSeconds:0.00} s");
        Console.WriteLine($"ratio: harness is {theirs.TotalSeconds / ours.TotalSeconds:0.0}x faster than tshark on the same file");
        return 0;
    }

    private static int Extract(string path)
    {
        using var capture = CaptureFile.Open(path);
        var count = 0;
        foreach (var record in capture.Records())
        {
            if (record.Protocol == ProtocolLabels.WsDiscovery)
            {
                count++;
            }
        }

        return count;
    }

    private static void Generate(string path, int packets)
    {
        var probe = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action><wsa:MessageID>urn:uuid:00000000-0000-4000-8000-000000000001</wsa:MessageID></soap:Header><soap:Body><d:Probe/></soap:Body></soap:Envelope>");
        var ssdp = Encoding.ASCII.GetBytes("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n");
        var dns = new byte[60];
        using var writer = PcapNgWriter.Create(path, new PcapNgWriterOptions { IncludeComments = false });
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var wsdGroup = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 3702);
        var ssdpGroup = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 1900);
        var resolver = new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53);
        for (var i = 0; i < packets; i++)
        {
            var source = new IPEndPoint(new IPAddress([127, 0, (byte)(i >> 8 & 0xFF), (byte)(1 + (i & 0x7F))]), 40000 + (i % 20000));
            var (destination, payload) = (i % 4) switch
            {
                0 => (wsdGroup, probe),
                1 => (ssdpGroup, ssdp),
                _ => (resolver, dns),
            };
            writer.Write(new TrafficRecord(i, start.AddTicks(i * 10L), TrafficDirection.Inbound, TrafficTransport.Udp, source, destination, payload));
        }
    }
}
