using BenchmarkDotNet.Running;
using Harness.Benchmarks;

// Scenario benchmarks that measure a whole system on loopback print their own figures;
// everything else is BenchmarkDotNet (dotnet run -c Release -- --filter '*Codec*').
return args.FirstOrDefault() switch
{
    "publisher-1000" => await PublisherFanOutBenchmark.RunAsync(args.Skip(1).ToArray()),
    "capture-vs-tshark" => await CaptureBenchmark.RunAsync(args.Skip(1).ToArray()),
    "scan-100" => await ScanClientsBenchmark.RunAsync(args.Skip(1).ToArray()),
    "scanners-200" => await ScannerFleetBenchmark.RunAsync(args.Skip(1).ToArray()),
    "advertiser-1000" => await AdvertiserFanOutBenchmark.RunAsync(args.Skip(1).ToArray()),
    "xmpp-caps-vs-aioxmpp" => await XmppCapsBenchmarks.RunComparisonAsync(args.Skip(1).ToArray()),
    "xmpp-disco-vs-prosody" => await XmppDiscoThroughputBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(WsdCodecBenchmarks).Assembly).Run(args);
    return 0;
}
