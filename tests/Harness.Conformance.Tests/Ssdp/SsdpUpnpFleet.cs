using System.Net;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Ssdp;
using Harness.Core.Recording;
using Harness.Simulators.Upnp;
using Harness.Ssdp.Messages;

namespace Harness.Conformance.Tests.Ssdp;

/// <summary>One simulated UPnP device of a test fleet: a name, its kind, its quirk (null: correct), its UDA version and max-age.</summary>
internal sealed record UpnpSpec(string Name, UpnpDeviceKind Kind, string? Quirk = null, string Version = "1.1", int MaxAge = 1800);

/// <summary>
/// Simulated UPnP devices on real UDP loopback (one SSDP port for the fleet, far from 1900; one loopback address and
/// HTTP server each), the SSDP suite run against all of them at once, and the verdicts.
/// </summary>
internal sealed class SsdpUpnpFleet : IAsyncDisposable
{
    private static int s_nextBlock = Random.Shared.Next(0, 90);

    private readonly List<(UpnpSpec Spec, FakeUpnpDevice Device)> _devices = [];
    private SsdpSuite? _suite;

    private SsdpUpnpFleet(TrafficRecorder recorder) => Recorder = recorder;

    public TrafficRecorder Recorder { get; }

    public RunResult Result { get; private set; } = null!;

    public ObservedSession Session { get; private set; } = null!;

    public IReadOnlyList<Device> Devices { get; private set; } = [];

    /// <summary>The scenario options of test runs: the real bounds, with a wider tolerance (dozens of devices on 2 cores).</summary>
    public static SsdpScenarioOptions ScenarioOptions { get; } = new()
    {
        Window = TimeSpan.FromSeconds(7),
        Tolerance = TimeSpan.FromMilliseconds(1500),
        Seed = 1234,
    };

    public static async Task<SsdpUpnpFleet> StartAsync(IReadOnlyList<UpnpSpec> specs, CancellationToken cancellationToken)
    {
        var fleet = new SsdpUpnpFleet(new TrafficRecorder());
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

    public FakeUpnpDevice Simulated(string name) => _devices.Single(d => d.Spec.Name == name).Device;

    /// <summary>The device the suite found for a simulated one (by its root UDN).</summary>
    public Device DeviceOf(string name)
    {
        var udn = Simulated(name).Udn;
        return Devices.Single(d => string.Equals(d.Id, udn, StringComparison.OrdinalIgnoreCase));
    }

    public Verdict VerdictOf(string name, string ruleId)
    {
        var device = DeviceOf(name);
        return Result.Outcomes.FirstOrDefault(o => o.Device.Id == device.Id && o.Rule.Id == ruleId)?.Verdict ?? Verdict.NotApplicable;
    }

    /// <summary>The rules that did not pass on a device (Fail, Warn, Info or Error).</summary>
    public IReadOnlySet<string> Failing(string name)
    {
        var device = DeviceOf(name);
        return Result.Outcomes
            .Where(o => o.Device.Id == device.Id && o.Verdict is Verdict.Fail or Verdict.Warn or Verdict.Info or Verdict.Error)
            .Select(o => o.Rule.Id)
            .ToHashSet(StringComparer.Ordinal);
    }

    public string Explain(string name, string ruleId)
    {
        var device = DeviceOf(name);
        var findings = Result.Findings.Where(f => f.DeviceId == device.Id && f.RuleId == ruleId).Select(f => $"{f.Verdict}: {f.Message}");
        return $"{name} {ruleId}: " + string.Join(" | ", findings);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, device) in _devices)
        {
            await device.DisposeAsync();
        }

        if (_suite is not null)
        {
            await _suite.DisposeAsync();
        }
    }

    private async Task RunAsync(IReadOnlyList<UpnpSpec> specs, CancellationToken cancellationToken)
    {
        // A port per fleet in this process, a random base per process, never 1900; a block of loopback addresses.
        // Each device has a port of its own, so that one device's stimuli do not load the others.
        var block = Interlocked.Add(ref s_nextBlock, 1) % 90;
        var basePort = 32_000 + (block * 97);
        var groups = specs.Select((_, i) => new IPEndPoint(IPAddress.Parse("239.255.255.250"), basePort + i)).ToList();
        var addressBlock = (byte)(120 + (block % 100));
        var byUdn = new Dictionary<string, FakeUpnpDevice>(StringComparer.OrdinalIgnoreCase);
        _suite = await SsdpSuite.StartAsync(Recorder, new SsdpSuiteOptions
        {
            Interface = "lo",
            MulticastEndPoints = groups,
            Scenario = ScenarioOptions,
            Restart = (device, ct) => new ValueTask(byUdn[device.Id].RestartAsync(ct)),
            ChangeConfiguration = (device, ct) => new ValueTask(byUdn[device.Id].ChangeConfigurationAsync(ct)),
        }, cancellationToken);

        // Signalled when a device's first alive was recorded.
        var seen = new Dictionary<string, TaskCompletionSource>(StringComparer.OrdinalIgnoreCase);
        Recorder.Recorded += record =>
        {
            if (SsdpMessageReader.Read(record.Payload.Span).Message is SsdpNotify notify)
            {
                lock (seen)
                {
                    if (seen.TryGetValue(notify.ParsedUsn.Udn, out var done))
                    {
                        done.TrySetResult();
                    }
                }
            }
        };

        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var options = new FakeUpnpDeviceOptions
            {
                Kind = spec.Kind,
                Seed = 4242,
                Index = i,
                Interface = "lo",
                UnicastAddress = new IPAddress([127, 0, addressBlock, (byte)(10 + i)]),
                MulticastEndPoint = groups[i],
                MaxAge = spec.MaxAge,
                UpnpVersion = spec.Version,
                Quirk = spec.Quirk,
            };
            var udn = "uuid:" + FakeUpnpDevice.CreateIdentity(spec.Kind, options.Seed, i).Uuid.ToString("D");
            lock (seen)
            {
                seen[udn] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            var device = await FakeUpnpDevice.StartAsync(options, cancellationToken);
            byUdn[device.Udn] = device;
            _devices.Add((spec, device));
        }

        List<Task> waits;
        lock (seen)
        {
            waits = [.. seen.Values.Select(t => t.Task)];
        }

        await Task.WhenAny(Task.WhenAll(waits), Task.Delay(TimeSpan.FromSeconds(3), cancellationToken));
        Devices = await _suite.DiscoverAsync(TimeSpan.FromMilliseconds(2500), cancellationToken);
        Session = ObservedSession.Live(Recorder, Devices, "test fleet");
        await _suite.ProvokeAsync(Session, cancellationToken);
        Result = await new Runner(SsdpSuite.CreateCatalogue()).RunAsync(new ConformanceRun { Summarizer = SsdpSuite.Summarize }, Session, _suite.Target, cancellationToken: cancellationToken);
    }
}
