using System.Net;
using Harness.Conformance.Dpws;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Core.Recording;
using Harness.Dpws.Print;
using Harness.Dpws.Scan.Http;
using Harness.Dpws.Soap;
using Harness.Simulators.Printers;
using Harness.Simulators.Quirks;
using Harness.Simulators.Scanners;

namespace Harness.Conformance.Tests.Dpws;

/// <summary>One simulated DPWS device of a test fleet: a name, scanner or printer, and its quirk (null: correct).</summary>
internal sealed record DpwsSpec(string Name, DpwsQuirkDevices Kind, DpwsQuirkProfile? Quirk = null);

/// <summary>
/// Simulated WSD scanners and printers on loopback (each on its own 127.x address, HTTP only: the DPWS suite is given
/// the WS-Discovery devices they would announce), the DPWS suite's exchanges run against all of them, every DPWS rule
/// judged, and the verdicts kept for the tests.
/// </summary>
internal sealed class DpwsFleet : IAsyncDisposable
{
    private static int s_nextBlock = Random.Shared.Next(0, 200);

    private readonly List<(DpwsSpec Spec, IAsyncDisposable Device, string Endpoint)> _devices = [];

    private DpwsFleet(TrafficRecorder recorder) => Recorder = recorder;

    public TrafficRecorder Recorder { get; }

    public DpwsSuite Suite { get; private set; } = null!;

    public RunResult Result { get; private set; } = null!;

    public ObservedSession Session { get; private set; } = null!;

    public IReadOnlyList<Device> Devices { get; private set; } = [];

    public static IReadOnlyList<DpwsSpec> CorrectDevices { get; } =
    [
        new("correct-scanner", DpwsQuirkDevices.Scanner),
        new("correct-printer", DpwsQuirkDevices.Printer),
    ];

    public static async Task<DpwsFleet> StartAsync(IReadOnlyList<DpwsSpec> specs, CancellationToken cancellationToken)
    {
        var fleet = new DpwsFleet(new TrafficRecorder());
        try
        {
            await fleet.RunAsync(specs, cancellationToken);
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    /// <summary>The WS-Discovery device a simulated scanner or printer announces (types and XAddr), as the WS-Discovery suite would find it.</summary>
    public static Device WsdDeviceOf(string endpointAddress, bool scanner, Uri xaddr) =>
        new(endpointAddress, Protocols.Wsd, [DeviceRole.TargetService])
        {
            EndpointReference = endpointAddress,
            Metadata = new Dictionary<string, string>
            {
                [WsdDevices.TypesKey] = "{" + DpwsNamespaces.Devprof + "}Device " + (scanner
                    ? "{" + ScannerServiceEndpoint.ScanDeviceType.Namespace + "}ScanDeviceType"
                    : "{" + PrinterServiceEndpoint.PrintDeviceType.Namespace + "}PrintDeviceType"),
                [WsdDevices.XAddrsKey] = xaddr.ToString(),
            },
        };

    public Device DeviceOf(string name) =>
        Devices.Single(d => d.Id == DpwsDevices.IdPrefix + _devices.Single(x => x.Spec.Name == name).Endpoint);

    public Verdict VerdictOf(string name, string ruleId) =>
        Result.Outcomes.FirstOrDefault(o => o.Device.Id == DeviceOf(name).Id && o.Rule.Id == ruleId)?.Verdict ?? Verdict.NotApplicable;

    /// <summary>The rules whose verdict is Fail, Warn or Info for the device.</summary>
    public HashSet<string> Failing(string name) =>
        [.. Result.Outcomes.Where(o => o.Device.Id == DeviceOf(name).Id && o.Verdict is Verdict.Fail or Verdict.Warn or Verdict.Info or Verdict.Error).Select(o => o.Rule.Id)];

    public string Explain(string name, string ruleId)
    {
        var outcome = Result.Outcomes.FirstOrDefault(o => o.Device.Id == DeviceOf(name).Id && o.Rule.Id == ruleId);
        return outcome is null
            ? $"{name} {ruleId}: no outcome"
            : $"{name} {ruleId}: {outcome.Verdict} — " + string.Join(" | ", outcome.Findings.Select(f => $"{f.Verdict}: {f.Message}"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Suite is not null)
        {
            await Suite.DisposeAsync();
        }

        foreach (var (_, device, _) in _devices)
        {
            await device.DisposeAsync();
        }
    }

    private async Task RunAsync(IReadOnlyList<DpwsSpec> specs, CancellationToken cancellationToken)
    {
        // A multicast port and a 127.91.b.0/24 block per fleet, a random base per process; never 3702 and below the
        // WS-Discovery camera tests' ports.
        var block = Interlocked.Increment(ref s_nextBlock) % 200;
        var group = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 19_000 + (block * 4));
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var address = IPAddress.Parse($"127.91.{block + 1}.{i + 10}");
            if (spec.Kind == DpwsQuirkDevices.Scanner)
            {
                var scanner = await FakeScanner.StartAsync(new FakeScannerOptions { Seed = 11, Index = i, UnicastAddress = address, MulticastEndPoint = group, AnswerDelay = TimeSpan.FromMilliseconds(20), HelloDelay = TimeSpan.Zero, Quirks = spec.Quirk }, cancellationToken);
                _devices.Add((spec, scanner, scanner.EndpointAddress));
            }
            else
            {
                var printer = await FakePrinter.StartAsync(new FakePrinterOptions { Seed = 11, Index = i, UnicastAddress = address, MulticastEndPoint = group, AnswerDelay = TimeSpan.FromMilliseconds(20), HelloDelay = TimeSpan.Zero, Quirks = spec.Quirk }, cancellationToken);
                _devices.Add((spec, printer, printer.EndpointAddress));
            }
        }

        Suite = await DpwsSuite.StartAsync(Recorder, new DpwsSuiteOptions { Interface = "lo", MulticastEndPoints = [group], Seed = 5, Scenario = ScenarioOptions }, cancellationToken);
        Devices = await Suite.DiscoverAsync(TimeSpan.FromSeconds(1.5), cancellationToken);
        var missing = _devices.Where(d => !Devices.Any(x => x.Id == DpwsDevices.IdPrefix + d.Endpoint)).Select(d => d.Spec.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("Not discovered: " + string.Join(", ", missing));
        }

        Session = ObservedSession.Live(Recorder, Devices);
        Result = await new Runner(DpwsSuite.CreateCatalogue()).RunWithTargetsAsync(new ConformanceRun { Summarizer = DpwsSuite.Summarize }, Session, _ => Suite.Target, cancellationToken: cancellationToken);
    }

    /// <summary>Generous per-call times: dozens of devices on 2 cores.</summary>
    public static DpwsScenarioOptions ScenarioOptions { get; } = new()
    {
        CallTimeout = TimeSpan.FromSeconds(20),
        RetrieveTimeout = TimeSpan.FromSeconds(30),
        DeviceBudget = TimeSpan.FromSeconds(120),
    };
}
