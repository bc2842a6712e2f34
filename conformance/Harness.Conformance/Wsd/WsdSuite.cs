using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Wsd;

/// <summary>How a <see cref="WsdSuite"/> reaches the WS-Discovery devices.</summary>
public sealed record WsdSuiteOptions
{
    /// <summary>The interface (name or address) to send and listen on; loopback by default. On loopback nothing is sent elsewhere.</summary>
    public string? Interface { get; init; } = "lo";

    /// <summary>The groups and ports to listen on and to discover with (239.255.255.250:3702 by default; other ports isolate tests).</summary>
    public IReadOnlyList<IPEndPoint> MulticastEndPoints { get; init; } = [WsdMulticast.IPv4EndPoint];

    /// <summary>Timing and choice of the per-device stimuli.</summary>
    public WsdScenarioOptions Scenario { get; init; } = new();

    /// <summary>Restarts a device (a simulator hook, e.g. <c>RunningFleet.Find(id).RestartAsync</c>), or null when devices cannot be restarted.</summary>
    public Func<Device, CancellationToken, ValueTask>? Restart { get; init; }

    /// <summary>
    /// Also bind the harness's own address on each discovery port, so that answers a device wrongly sends to port 3702
    /// are seen (WSD-PRB-012). Skipped where a device under test itself lives at that address. Default true.
    /// </summary>
    public bool CatchStrayReplies { get; init; } = true;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging for the sockets, or null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>
/// The glue between the WS-Discovery rules and a live network or a capture. For a live run:
/// <code>
/// var recorder = new TrafficRecorder();
/// await using var suite = await WsdSuite.StartAsync(recorder, new WsdSuiteOptions { Restart = ... });
/// var devices = await suite.DiscoverAsync(TimeSpan.FromSeconds(1.5), ct);
/// var session = ObservedSession.Live(recorder, devices);
/// await suite.ProvokeAsync(session, ct);                     // every device's stimuli, concurrently (optional: the first active rule does it)
/// var result = await new Runner(WsdSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session, suite.Target, cancellationToken: ct);
/// </code>
/// For a capture: <c>WsdSuite.FindDevices(records)</c>, a fixed <see cref="ObservedSession"/> and no target (active
/// rules are then NotApplicable). The suite listens on every multicast endpoint from the start (Hello, Bye, answers sent
/// to the group) and records into the recorder once; each device gets its own target on an ephemeral port.
/// </summary>
public sealed class WsdSuite : IConformanceSuite
{
    private readonly WsdSuiteOptions _options;
    private readonly ConcurrentDictionary<int, byte> _ownPorts = new();
    private readonly ConcurrentDictionary<IPEndPoint, WsdGroupMonitor> _monitors = new();
    private readonly ConcurrentDictionary<string, WsdTarget> _targets = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<ObservedSession, ConcurrentDictionary<string, Lazy<Task<WsdScenarioResult>>>> _scenarios = new();
    private readonly ConditionalWeakTable<ObservedSession, ConcurrentDictionary<string, WsdScenarioResult>> _completed = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly bool _loopbackOnly;
    private readonly Random _random;
    private IDatagramTransport? _discovery;

    private WsdSuite(TrafficRecorder recorder, WsdSuiteOptions options)
    {
        Recorder = recorder;
        _options = options;
        _loopbackOnly = options.Interface is not null
            && NetworkInterfaceResolver.TryResolve(options.Interface, out var nic)
            && nic.IsLoopback;
        Target = new WsdSuiteTarget(this);
#pragma warning disable CA5394 // Message identifiers, not security.
        _random = new Random(options.Scenario.Seed ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue));
#pragma warning restore CA5394
    }

    /// <summary>The recorder every message goes into (the one a live <see cref="ObservedSession"/> follows).</summary>
    public TrafficRecorder Recorder { get; }

    /// <summary>
    /// The target to hand to <see cref="Runner.RunAsync"/>: it makes active WS-Discovery rules run, each device through
    /// its own target (<see cref="CreateTarget"/>), every device's stimuli at once.
    /// </summary>
    public ITarget Target { get; }

    /// <inheritdoc/>
    public string Protocol => Protocols.Wsd;

    /// <summary>The WS-Discovery rules (<see cref="WsdRules.All"/>).</summary>
    public static IReadOnlyList<Rule> Rules => WsdRules.All;

    /// <summary>A catalogue of the WS-Discovery rules.</summary>
    public static RuleCatalogue CreateCatalogue() => new(WsdRules.All);

    /// <summary>The devices in a live session's or a capture's records (<see cref="WsdDevices.FromSession"/>).</summary>
    public static IReadOnlyList<Device> FindDevices(IReadOnlyList<TrafficRecord> records) => WsdDevices.FromSession(records);

    /// <summary>Starts listening on every multicast endpoint of <paramref name="options"/>.</summary>
    /// <exception cref="SocketException">A group could not be joined.</exception>
    public static async Task<WsdSuite> StartAsync(TrafficRecorder recorder, WsdSuiteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        options ??= new WsdSuiteOptions();
        options.Scenario.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var suite = new WsdSuite(recorder, options);
        try
        {
            foreach (var group in options.MulticastEndPoints)
            {
                suite.EnsureMonitor(group);
            }
        }
        catch
        {
            await suite.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return suite;
    }

    /// <summary>
    /// Multicasts a Probe with neither types nor scopes in each family on each multicast endpoint, collects the answers
    /// for <paramref name="window"/>, and returns the devices found in everything recorded so far (Hellos included).
    /// </summary>
    public async Task<IReadOnlyList<Device>> DiscoverAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        var target = (WsdSuiteTarget)Target;
        foreach (var group in _options.MulticastEndPoints)
        {
            foreach (var protocol in WsdProtocol.All)
            {
                var probe = new WsdProbe
                {
                    Protocol = protocol,
                    Header = new WsdHeader { Action = protocol.ProbeAction, MessageId = NextMessageId(), To = protocol.MulticastTo },
                };
                await target.SendAsync(WsdMessageWriter.Write(probe), group, Protocols.Wsd, cancellationToken).ConfigureAwait(false);
            }
        }

        await target.CollectAsync(window, null, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return FindDevices(Recorder.Snapshot());
    }

    /// <summary>
    /// The target of one device: a socket on an ephemeral port of the interface, sending to the device's unicast
    /// discovery endpoint or to the group, recording into <see cref="Recorder"/>; restartable when the options have a
    /// restart hook. The suite owns it (one per device id).
    /// </summary>
    public ITarget CreateTarget(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        return _targets.GetOrAdd(device.Id, _ =>
        {
            var unicast = WsdDevices.UnicastEndPoint(device) ?? device.Addresses.FirstOrDefault(a => a.Port != 0);
            var family = unicast?.AddressFamily ?? AddressFamily.InterNetwork;
            var transport = WsdTransports.BindClient(family, _options.Interface, _options.TimeProvider, _options.LoggerFactory?.CreateLogger<UdpDatagramTransport>());
            _ownPorts[transport.LocalEndPoint.Port] = 0;
            Func<CancellationToken, ValueTask>? restart = _options.Restart is { } hook ? ct => hook(device, ct) : null;
            return new WsdTarget(transport, Recorder, "WS-Discovery device " + device.Label, unicast, restart, _options.TimeProvider, MayReach);
        });
    }

    /// <summary>
    /// Runs the stimuli of every WS-Discovery target service of the session, all devices at once, each once (later
    /// calls and the active rules reuse the results). Completes when every device is done.
    /// </summary>
    public async Task ProvokeAsync(ObservedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var tasks = session.Devices
            .Where(d => string.Equals(d.Protocol, Protocols.Wsd, StringComparison.Ordinal) && d.HasRole(DeviceRole.TargetService))
            .Select(d => ScenarioTask(session, d))
            .ToList();
        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A one-line description of a WS-Discovery record for the timeline (<see cref="ConformanceRun.Summarizer"/>), or null.</summary>
    public static string? Summarize(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = WsdItem.Parse(record);
        return item?.Message switch
        {
            null => null,
            WsdProbe p => $"Probe {p.Protocol.Version} ({p.Types.Count} types, {p.Scopes.Count} scopes)",
            WsdResolve r => "Resolve " + r.Endpoint.Address,
            WsdProbeMatches m => $"ProbeMatches ({m.Matches.Count}) {string.Join(' ', m.Matches.Select(x => x.Endpoint.Address))}",
            WsdResolveMatches m => "ResolveMatches " + m.Match?.Endpoint.Address,
            WsdHello h => "Hello " + h.Endpoint.Endpoint.Address,
            WsdBye b => "Bye " + b.Endpoint.Endpoint.Address,
            WsdFault f => "Fault " + f.Subcode?.LocalName,
            _ => null,
        };
    }

    /// <summary>Stops listening and closes every socket.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
        }

        foreach (var monitor in _monitors.Values)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var target in _targets.Values)
        {
            await target.DisposeAsync().ConfigureAwait(false);
        }

        if (_discovery is not null)
        {
            await _discovery.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>The scenario result of a device, starting every device's scenario of the session on first use.</summary>
    internal async Task<WsdScenarioResult> ScenarioAsync(ObservedSession session, Device device, CancellationToken cancellationToken)
    {
        var all = session.Devices
            .Where(d => string.Equals(d.Protocol, Protocols.Wsd, StringComparison.Ordinal) && d.HasRole(DeviceRole.TargetService))
            .ToList();
        foreach (var other in all)
        {
            _ = ScenarioTask(session, other);
        }

        return await ScenarioTask(session, device).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scenario result of a device when it has completed, else null.</summary>
    internal WsdScenarioResult? CompletedScenario(ObservedSession session, Device device) =>
        _completed.TryGetValue(session, out var byDevice) && byDevice.TryGetValue(device.Id, out var result) ? result : null;

    internal IDatagramTransport DiscoveryTransport()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_discovery is null)
            {
                var family = _options.MulticastEndPoints.FirstOrDefault()?.AddressFamily ?? AddressFamily.InterNetwork;
                _discovery = WsdTransports.BindClient(family, _options.Interface, _options.TimeProvider, _options.LoggerFactory?.CreateLogger<UdpDatagramTransport>());
                _ownPorts[_discovery.LocalEndPoint.Port] = 0;
            }

            return _discovery;
        }
    }

    internal bool MayReach(IPEndPoint destination)
    {
        var address = destination.Address.IsIPv4MappedToIPv6 ? destination.Address.MapToIPv4() : destination.Address;
        return !_loopbackOnly || IPAddress.IsLoopback(address) || address.IsMulticast();
    }

    internal WsdSuiteOptions Options => _options;

    private Task<WsdScenarioResult> ScenarioTask(ObservedSession session, Device device)
    {
        var byDevice = _scenarios.GetValue(session, _ => new ConcurrentDictionary<string, Lazy<Task<WsdScenarioResult>>>(StringComparer.Ordinal));
        return byDevice.GetOrAdd(device.Id, _ => new Lazy<Task<WsdScenarioResult>>(() => Task.Run(() => RunScenarioAsync(session, device)))).Value;
    }

    private async Task<WsdScenarioResult> RunScenarioAsync(ObservedSession session, Device device)
    {
        var target = (WsdTarget)CreateTarget(device);
        if (target.EndPoint is { } unicast)
        {
            var group = _options.Scenario.MulticastEndPoint ?? new IPEndPoint(WsdMulticast.For(unicast.AddressFamily).Address, unicast.Port);
            EnsureMonitor(group);
            if (_options.CatchStrayReplies && _monitors.TryGetValue(group, out var monitor))
            {
                var local = (target.LocalEndPoint.Address.Equals(IPAddress.Any) || target.LocalEndPoint.Address.Equals(IPAddress.IPv6Any))
                    ? LocalAddressFor(unicast.Address)
                    : target.LocalEndPoint.Address;
                if (local is not null && !session.Devices.Any(d => WsdDevices.UnicastEndPoint(d) is { } e && e.Address.Equals(local) && e.Port == group.Port))
                {
                    monitor.EnsureStrayListener(local);
                }
            }
        }

        var result = await WsdScenario.RunAsync(target, session, device, _options.Scenario, _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
        _completed.GetValue(session, _ => new ConcurrentDictionary<string, WsdScenarioResult>(StringComparer.Ordinal))[device.Id] = result;
        return result;
    }

    private string NextMessageId()
    {
        var bytes = new byte[16];
        lock (_random)
        {
#pragma warning disable CA5394 // Message identifiers, not security.
            _random.NextBytes(bytes);
#pragma warning restore CA5394
        }

        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes).ToString("D");
    }

    private IPAddress? LocalAddressFor(IPAddress destination)
    {
        if (IPAddress.IsLoopback(destination))
        {
            return destination.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }

        return _options.Interface is not null && NetworkInterfaceResolver.TryResolve(_options.Interface, out var nic)
            ? nic.GetAddress(destination.AddressFamily)
            : null;
    }

    private void EnsureMonitor(IPEndPoint group)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (!_monitors.ContainsKey(group))
            {
                _monitors[group] = WsdGroupMonitor.Start(group, _options.Interface, Recorder, _options.TimeProvider, _options.LoggerFactory, _ownPorts);
            }
        }
    }
}

/// <summary>
/// The run's target of a <see cref="WsdSuite"/>: sends and collects through the suite's discovery socket, and lets the
/// WS-Discovery active rules reach each device through its own target.
/// </summary>
internal sealed class WsdSuiteTarget(WsdSuite suite) : ITarget
{
    public WsdSuite Suite => suite;

    public string Description => "WS-Discovery devices on " + (suite.Options.Interface ?? "the default interface");

    public IPEndPoint? EndPoint => null;

    public bool CanSend => true;

    /// <summary>Devices restart one at a time, through their own targets (<see cref="WsdSuite.CreateTarget"/>).</summary>
    public bool CanRestart => false;

    public async ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!suite.MayReach(destination))
        {
            throw new InvalidOperationException($"{destination} is outside the network this run may send to.");
        }

        var transport = suite.DiscoveryTransport();
        await transport.SendAsync(payload, destination, cancellationToken).ConfigureAwait(false);
        var source = transport.LocalEndPoint;
        if ((source.Address.Equals(IPAddress.Any) || source.Address.Equals(IPAddress.IPv6Any))
            && transport is ILocalAddressSelector selector
            && selector.SelectLocalAddress(destination.Address) is { } local)
        {
            source = new IPEndPoint(local, source.Port);
        }

        return suite.Recorder.Record(TrafficDirection.Outbound, TrafficTransport.Udp, source, destination, payload.Span, protocol ?? Protocols.Wsd);
    }

    public async ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken)
    {
        var transport = suite.DiscoveryTransport();
        var collected = new List<TrafficRecord>();
        using var windowSource = new CancellationTokenSource(window, suite.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowSource.Token);
        try
        {
            while (collected.Count < maxCount)
            {
                var datagram = await transport.ReceiveAsync(linked.Token).ConfigureAwait(false);
                var record = suite.Recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, datagram.Source, datagram.Destination, datagram.Payload.Span, Protocols.Wsd, datagram.ReceivedAt);
                if (filter is null || filter(record))
                {
                    collected.Add(record);
                }
            }
        }
        catch (OperationCanceledException) when (windowSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The window closed.
        }

        return collected;
    }

    public ValueTask RestartAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("Restart a single device through its own target (WsdSuite.CreateTarget).");
}
