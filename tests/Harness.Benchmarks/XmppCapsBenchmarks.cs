using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Disco;

namespace Harness.Benchmarks;

/// <summary>
/// Entity-caps hashing for a typical client's disco#info (1 identity, 31 features; tests/Harness.Xmpp.Tests/Caps/
/// Vectors/typical-client.xml): XEP-0115 ver generation and verification (target above 1M/s per core), XEP-0390
/// sha-256. The scenario mode <c>xmpp-caps-vs-aioxmpp</c> measures ours and aioxmpp's <c>caps115.hash_query</c> on the
/// same file in one run and prints the ratio.
/// </summary>
[MemoryDiagnoser]
public class XmppCapsBenchmarks
{
    private DiscoInfo _typical = null!;
    private DiscoInfo _complex = null!;
    private string _ver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _typical = LoadTypical();
        _complex = DiscoCodec.ReadInfo(XElement.Parse(Resource("xep0115-complex.xml"))).Info!;
        _ver = Caps115.ComputeVer(_typical);
    }

    [Benchmark(Baseline = true)]
    public string Caps115_Generate_Typical() => Caps115.ComputeVer(_typical);

    [Benchmark]
    public bool Caps115_Verify_Typical() => Caps115.Verify(_typical, "sha-1", _ver).IsValid;

    [Benchmark]
    public string Caps115_Generate_ComplexWithForm() => Caps115.ComputeVer(_complex);

    [Benchmark]
    public string Caps390_Sha256_Typical() => Caps390.ComputeHashSet(_typical, ["sha-256"])[0].Value;

    internal static DiscoInfo LoadTypical() => DiscoCodec.ReadInfo(XElement.Parse(Resource("typical-client.xml"))).Info!;

    /// <summary>Ours vs aioxmpp on the same file, one run: <c>xmpp-caps-vs-aioxmpp [seconds]</c>.</summary>
    public static async Task<int> RunComparisonAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var dir = Path.Combine(Path.GetTempPath(), "harness-caps-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var xml = Path.Combine(dir, "typical-client.xml");
            var script = Path.Combine(dir, "aioxmpp_caps.py");
            await File.WriteAllTextAsync(xml, Resource("typical-client.xml"));
            await File.WriteAllTextAsync(script, Resource("aioxmpp_caps.py"));
            var info = LoadTypical();

            var (generated, ver) = Measure(() => Caps115.ComputeVer(info), seconds);
            var (verified, _) = Measure(() => Caps115.Verify(info, "sha-1", ver).IsValid ? ver : string.Empty, seconds);
            Console.WriteLine(FormattableString.Invariant($"ours     caps115 generate:    {generated,12:N0} per CPU second  (ver {ver})"));
            Console.WriteLine(FormattableString.Invariant($"ours     caps115 verify:      {verified,12:N0} per CPU second"));
            var input = Caps115.BuildInput(info);
            var (floor, _) = Measure(() => System.Security.Cryptography.SHA1.HashData(input).Length == 20 ? ver : string.Empty, seconds);
            Console.WriteLine(FormattableString.Invariant($"floor    SHA1.HashData alone: {floor,12:N0} per CPU second  ({input.Length} bytes of S)"));

            if (!File.Exists("/usr/bin/python3"))
            {
                Console.WriteLine("aioxmpp: /usr/bin/python3 missing; no comparison.");
                return 0;
            }

            var start = new ProcessStartInfo("/usr/bin/python3", [script, "--bench", xml, seconds.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var python = Process.Start(start)!;
            var output = await python.StandardOutput.ReadToEndAsync();
            var error = await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            if (python.ExitCode != 0)
            {
                Console.WriteLine("aioxmpp: failed: " + error.Trim());
                return 1;
            }

            using var result = JsonDocument.Parse(output);
            var theirs = result.RootElement.GetProperty("per_cpu_second").GetDouble();
            var theirVer = result.RootElement.GetProperty("ver").GetString();
            Console.WriteLine(FormattableString.Invariant($"aioxmpp  caps115 hash_query:  {theirs,12:N0} per CPU second  (ver {theirVer})"));
            Console.WriteLine(FormattableString.Invariant($"ratio ours/aioxmpp (generate): {generated / theirs:N1}x; same ver: {theirVer == ver}"));
            return theirVer == ver ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Calls per second of CPU time of this process (the machine may be shared; wall time would measure the load).
    private static (double PerCpuSecond, string Last) Measure(Func<string> action, double seconds)
    {
        var last = action();
        for (var i = 0; i < 10_000; i++)
        {
            last = action(); // warm-up (tiered JIT)
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long count = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 1_000; i++)
            {
                last = action();
            }

            count += 1_000;
        }

        process.Refresh();
        return (count / (process.TotalProcessorTime - cpuStart).TotalSeconds, last);
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new InvalidOperationException("Missing resource " + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
