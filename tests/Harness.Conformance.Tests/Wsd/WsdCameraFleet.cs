using System.Net;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Core.Recording;
using Harness.Simulators.Cameras;
using Harness.Simulators.Quirks;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Tests.Wsd;

/// <summary>One camera of a test fleet: a name (a quirk profile's, or a correct camera's) and how to start it.</summary>
internal sealed record CameraSpec(string Name, QuirkProfile? Quirk, IReadOnlyList<WsdProtocol>? Protocols = null);

/// <summary>
/// Simulated cameras on real UDP loopback, the WS-Discovery suite run against all of them at once, and the verdicts.
/// Each camera gets its own discovery port (a test-unique one, far from 3702) and its own loopback address, so that
/// what one camera does wrong on the group cannot be blamed on another; <see cref="SharedPort"/> puts them all on one
/// port instead, as the main job's fleet does.
/// </summary>
internal sealed class WsdCameraFleet : IAsyncDisposable
{
    private static int s_nextBlock = Random.Shared.Next(0, 90);

    private readonly List<(CameraSpec Spec, FakeCamera Camera)> _cameras = [];
    private readonly Dictionary<string, IPEndPoint> _unicast = new(StringComparer.Ordinal);
    private WsdSuite? _suite;

    private WsdCameraFleet(TrafficRecorder recorder) => Recorder = recorder;

    public TrafficRecorder Recorder { get; }

    public RunResult Result { get; private set; } = null!;

    public ObservedSession Session { get; private set; } = null!;

    public IReadOnlyList<Device> Devices { get; private set; } = [];

    public bool SharedPort { get; private init; }

    /// <summary>The scenario options of test runs: the real APP_MAX_DELAY, a shorter margin, a wider tolerance (dozens of cameras on 2 cores).</summary>
    public static WsdScenarioOptions ScenarioOptions { get; } = new()
    {
        Margin = TimeSpan.FromMilliseconds(600),
        Tolerance = TimeSpan.FromMilliseconds(600),
    };

    /// <summary>The two correct cameras: an ONVIF camera (2005/04) and one that speaks both families.</summary>
    public static IReadOnlyList<CameraSpec> CorrectCameras { get; } =
    [
        new("correct-2005", null),
        new("correct-both", null, WsdProtocol.All),
    ];

    public static async Task<WsdCameraFleet> StartAsync(IReadOnlyList<CameraSpec> specs, bool sharedPort, CancellationToken cancellationToken)
    {
        var fleet = new WsdCameraFleet(new TrafficRecorder()) { SharedPort = sharedPort };
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

    /// <summary>The device the suite found for a camera (by the uuid of its endpoint address, whatever the form).</summary>
    public Device DeviceOf(string name)
    {
        var camera = _cameras.Single(c => c.Spec.Name == name).Camera;
        var uuid = camera.Identity.Uuid.ToString("D");
        return Devices.Single(d => d.Id.EndsWith(uuid, StringComparison.OrdinalIgnoreCase));
    }

    public FakeCamera Camera(string name) => _cameras.Single(c => c.Spec.Name == name).Camera;

    /// <summary>Where a camera hears unicast requests: its own loopback address on its discovery port.</summary>
    public IPEndPoint UnicastOf(string name) => _unicast[name];

    /// <summary>The verdict of a rule on a camera (NotApplicable when the rule does not apply).</summary>
    public Verdict VerdictOf(string camera, string ruleId)
    {
        var device = DeviceOf(camera);
        return Result.Outcomes.FirstOrDefault(o => o.Device.Id == device.Id && o.Rule.Id == ruleId)?.Verdict ?? Verdict.NotApplicable;
    }

    /// <summary>The rules that did not pass on a camera (Fail, Warn, Info or Error).</summary>
    public IReadOnlySet<string> Failing(string camera)
    {
        var device = DeviceOf(camera);
        return Result.Outcomes
            .Where(o => o.Device.Id == device.Id && o.Verdict is Verdict.Fail or Verdict.Warn or Verdict.Info or Verdict.Error)
            .Select(o => o.Rule.Id)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The findings of a rule on a camera, for assertion messages.</summary>
    public string Explain(string camera, string ruleId)
    {
        var device = DeviceOf(camera);
        var findings = Result.Findings.Where(f => f.DeviceId == device.Id && f.RuleId == ruleId).Select(f => $"{f.Verdict}: {f.Message}");
        return $"{camera} {ruleId}: " + string.Join(" | ", findings);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, camera) in _cameras)
        {
            await camera.DisposeAsync();
        }

        if (_suite is not null)
        {
            await _suite.DisposeAsync();
        }
    }

    private async Task RunAsync(IReadOnlyList<CameraSpec> specs, CancellationToken cancellationToken)
    {
        // A block of ports per fleet in this process, a random base per process, never 3702.
        var block = Interlocked.Add(ref s_nextBlock, 1) % 90; // ports 20000-31647: below the ephemeral range
        var basePort = 20_000 + (block * 128);
        var ports = specs.Select((_, i) => SharedPort ? basePort : basePort + i).ToList();
        var addressBlock = (byte)(20 + (block % 200));
        var groups = ports.Distinct().Select(p => new IPEndPoint(IPAddress.Parse("239.255.255.250"), p)).ToList();
        var byUuid = new Dictionary<string, FakeCamera>(StringComparer.OrdinalIgnoreCase);
        _suite = await WsdSuite.StartAsync(Recorder, new WsdSuiteOptions
        {
            Interface = "lo",
            MulticastEndPoints = groups,
            Scenario = ScenarioOptions,
            Restart = (device, ct) => new ValueTask(byUuid.Single(c => device.Id.EndsWith(c.Key, StringComparison.OrdinalIgnoreCase)).Value.RestartAsync(ct)),
        }, cancellationToken);

        // Signalled when a camera's Hello was recorded (after the scope change: a Hello with the new scope).
        var helloSeen = new Dictionary<string, TaskCompletionSource>(StringComparer.OrdinalIgnoreCase);
        var newScope = Onvif.Scope("location", "building", "harness-lab");
        var changed = 0;
        Recorder.Recorded += record =>
        {
            if (WsdMessageReader.Read(record.Payload.Span).Message is WsdHello hello && (Volatile.Read(ref changed) == 0 || hello.Endpoint.Scopes.Contains(newScope)))
            {
                lock (helloSeen)
                {
                    foreach (var (uuid, seen) in helloSeen)
                    {
                        if (hello.Endpoint.Endpoint.Address.EndsWith(uuid, StringComparison.OrdinalIgnoreCase))
                        {
                            seen.TrySetResult();
                        }
                    }
                }
            }
        };

        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var options = new FakeCameraOptions
            {
                Seed = 4242,
                Index = i,
                Interface = "lo",
                MulticastEndPoint = new IPEndPoint(IPAddress.Parse("239.255.255.250"), ports[i]),
                UnicastAddress = new IPAddress([127, 0, addressBlock, (byte)(10 + i)]),
                DeviceServicePort = 18_000 + i,
                AnswerDelay = TimeSpan.FromMilliseconds(50),
                HelloDelay = TimeSpan.FromMilliseconds(20),
                Protocols = spec.Protocols ?? [WsdProtocol.V2005],
                Quirks = spec.Quirk,
            };
            var uuid = (options.Identity ?? Harness.Simulators.Identity.DeviceIdentity.Create(Harness.Simulators.Identity.DeviceKind.Camera, options.Seed, i)).Uuid.ToString("D");
            lock (helloSeen)
            {
                helloSeen[uuid] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            var camera = await FakeCamera.StartAsync(options, cancellationToken);
            byUuid[uuid] = camera;
            _unicast[spec.Name] = new IPEndPoint(options.UnicastAddress, ports[i]);
            _cameras.Add((spec, camera));
        }

        // Wait for each camera's Hello (a camera that sends none costs the timeout, in parallel with the others).
        await WaitAllAsync(Tasks(helloSeen), TimeSpan.FromMilliseconds(2000));

        // A metadata change on every camera (a scope added: MetadataVersion 2 and a Hello), so that WSD-MSG-015 has
        // something to judge; then wait for those Hellos too.
        lock (helloSeen)
        {
            Volatile.Write(ref changed, 1);
            foreach (var key in helloSeen.Keys.ToList())
            {
                helloSeen[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        foreach (var (_, camera) in _cameras)
        {
            await camera.SetScopesAsync([.. camera.Service.Scopes, newScope], cancellationToken);
        }

        await WaitAllAsync(Tasks(helloSeen), TimeSpan.FromMilliseconds(2000));

        Devices = await _suite.DiscoverAsync(TimeSpan.FromMilliseconds(1200), cancellationToken);
        Session = ObservedSession.Live(Recorder, Devices, "test fleet");
        await _suite.ProvokeAsync(Session, cancellationToken);
        Result = await new Runner(WsdSuite.CreateCatalogue()).RunAsync(new ConformanceRun { Summarizer = WsdSuite.Summarize }, Session, _suite.Target, cancellationToken: cancellationToken);
    }

    private static List<Task> Tasks(Dictionary<string, TaskCompletionSource> seen)
    {
        lock (seen)
        {
            return [.. seen.Values.Select(t => t.Task)];
        }
    }

    private static async Task WaitAllAsync(IEnumerable<Task> tasks, TimeSpan timeout)
    {
        var all = Task.WhenAll(tasks);
        await Task.WhenAny(all, Task.Delay(timeout));
    }
}
