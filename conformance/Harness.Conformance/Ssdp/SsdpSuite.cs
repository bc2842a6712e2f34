using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Ssdp;

/// <summary>How an <see cref="SsdpSuite"/> reaches the UPnP devices.</summary>
public sealed record SsdpSuiteOptions
{
    /// <summary>The interface (name or address) to send and listen on; loopback by default. On loopback nothing is sent elsewhere.</summary>
    public string? Interface { get; init; } = "lo";

    /// <summary>
    /// The SSDP groups and ports to listen on and search with (239.255.255.250:1900 by default; other ports isolate tests,
    /// several ports let each simulated device have its own). A device's searches go to the port its NOTIFYs used.
    /// </summary>
    public IReadOnlyList<IPEndPoint> MulticastEndPoints { get; init; } = [SsdpMulticast.IPv4EndPoint];

    /// <summary>Timing and choice of the per-device stimuli.</summary>
    public SsdpScenarioOptions Scenario { get; init; } = new();

    /// <summary>Restarts a device (a simulator hook), or null when devices cannot be restarted.</summary>
    public Func<Device, CancellationToken, ValueTask>? Restart { get; init; }

    /// <summary>Changes a device's description so that its CONFIGID changes (a simulator hook), or null.</summary>
    public Func<Device, CancellationToken, ValueTask>? ChangeConfiguration { get; init; }

    /// <summary>MX of the discovery search (default 2 s; the discovery window should be longer).</summary>
    public int DiscoveryMx { get; init; } = 2;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging for the sockets, or null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>
/// The glue between the SSDP / UPnP description rules and a live network or a capture. For a live run:
/// <code>
/// var recorder = new TrafficRecorder();
/// await using var suite = await SsdpSuite.StartAsync(recorder, new SsdpSuiteOptions { Restart = ..., ChangeConfiguration = ... });
/// var devices = await suite.DiscoverAsync(TimeSpan.FromSeconds(3), ct);   // searches, then GETs every description
/// var session = ObservedSession.Live(recorder, devices);
/// await suite.ProvokeAsync(session, ct);                                   // every device's stimuli, concurrently
/// var result = await new Runner(SsdpSuite.CreateCatalogue()).RunAsync(new ConformanceRun { Summarizer = SsdpSuite.Summarize }, session, suite.Target, cancellationToken: ct);
/// </code>
/// For a capture: <c>SsdpSuite.FindDevices(records)</c>, a fixed <see cref="ObservedSession"/> and no target (active
/// rules are then NotApplicable). The suite listens on the group from the start (NOTIFYs, answers wrongly sent to the
/// group, other control points' searches) and records into the recorder once; every stimulus has a socket of its own.
/// </summary>
public sealed class SsdpSuite : IConformanceSuite
{
    private readonly ConcurrentDictionary<int, byte> _ownPorts = new();
    private readonly ConditionalWeakTable<ObservedSession, ConcurrentDictionary<string, Lazy<Task<SsdpScenarioResult>>>> _scenarios = new();
    private readonly ConditionalWeakTable<ObservedSession, ConcurrentDictionary<string, SsdpScenarioResult>> _completed = new();
    private readonly ConcurrentDictionary<string, string> _fetchErrors = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly bool _loopbackOnly;
    private readonly List<SsdpGroupMonitor> _monitors = [];

    private SsdpSuite(TrafficRecorder recorder, SsdpSuiteOptions options)
    {
        Recorder = recorder;
        Options = options;
        _loopbackOnly = options.Interface is not null
            && NetworkInterfaceResolver.TryResolve(options.Interface, out var nic)
            && nic.IsLoopback;
        Target = new SsdpSuiteTarget(this);
    }

    /// <summary>The recorder every message goes into (the one a live <see cref="ObservedSession"/> follows).</summary>
    public TrafficRecorder Recorder { get; }

    /// <summary>The options.</summary>
    public SsdpSuiteOptions Options { get; }

    /// <summary>The target to hand to the runner: it makes the active SSDP rules run, every device's stimuli at once.</summary>
    public ITarget Target { get; }

    /// <inheritdoc/>
    public string Protocol => Protocols.Ssdp;

    /// <summary>The SSDP and UPnP description rules (<see cref="SsdpRules.All"/>).</summary>
    public static IReadOnlyList<Rule> Rules => SsdpRules.All;

    /// <summary>A catalogue of the SSDP and UPnP description rules.</summary>
    public static RuleCatalogue CreateCatalogue() => new(SsdpRules.All);

    /// <summary>The root devices and control points in a live session's or a capture's records (<see cref="SsdpDevices.FromSession"/>).</summary>
    public static IReadOnlyList<Device> FindDevices(IReadOnlyList<TrafficRecord> records) => SsdpDevices.FromSession(records);

    /// <summary>Starts listening on the group and port of <paramref name="options"/>.</summary>
    /// <exception cref="SocketException">The group could not be joined.</exception>
    public static async Task<SsdpSuite> StartAsync(TrafficRecorder recorder, SsdpSuiteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        options ??= new SsdpSuiteOptions();
        options.Scenario.Validate();
        ArgumentNullException.ThrowIfNull(options.MulticastEndPoints);
        if (options.MulticastEndPoints.Count == 0)
        {
            throw new ArgumentException("At least one multicast endpoint is required.", nameof(options));
        }
        cancellationToken.ThrowIfCancellationRequested();
        var suite = new SsdpSuite(recorder, options);
        try
        {
            foreach (var group in options.MulticastEndPoints.Distinct())
            {
                suite._monitors.Add(SsdpGroupMonitor.Start(group, options.Interface, recorder, options.TimeProvider, options.LoggerFactory, suite._ownPorts));
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
    /// Multicasts an <c>ssdp:all</c> search and an <c>upnp:rootdevice</c> search, collects the answers for
    /// <paramref name="window"/>, GETs the description of every root device found (recorded as HTTP), and returns the
    /// root devices found in everything recorded so far (NOTIFYs included). Control points are not returned.
    /// </summary>
    public async Task<IReadOnlyList<Device>> DiscoverAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        var probes = new List<SsdpScenario.Probe>();
        try
        {
            var mx = Options.DiscoveryMx.ToString(CultureInfo.InvariantCulture);
            foreach (var group in Options.MulticastEndPoints.Distinct())
            {
                foreach (var target in new[] { SsdpTarget.AllValue, SsdpTarget.RootDeviceValue })
                {
                    var probe = OpenProbe(group.AddressFamily);
                    probes.Add(probe);
                    await probe.SendAsync(DiscoveryStep(group, target, mx), cancellationToken).ConfigureAwait(false);
                }
            }

            await Task.Delay(window, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync().ConfigureAwait(false);
            }
        }

        var devices = SsdpDevices.FromSession(Recorder.Snapshot(), includeControlPoints: false);
        var fetches = devices
            .Select(d => SsdpDevices.Locations(d).FirstOrDefault())
            .OfType<Uri>()
            .Where(MayReach)
            .DistinctBy(u => u.AbsoluteUri, StringComparer.Ordinal)
            .Select(u => FetchAsync(u, [], cancellationToken));
        await Task.WhenAll(fetches).ConfigureAwait(false);
        return SsdpDevices.FromSession(Recorder.Snapshot(), includeControlPoints: false);
    }

    /// <summary>
    /// Runs the stimuli of every UPnP root device of the session, all devices at once, each once (later calls and the
    /// active rules reuse the results). Completes when every device is done. Call it before the runner so that the
    /// passive rules see the traffic the stimuli provoked (restarts, SCPD GETs).
    /// </summary>
    public async Task ProvokeAsync(ObservedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var tasks = RootDevices(session).Select(d => ScenarioTask(session, d)).ToList();
        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A one-line description of an SSDP record (or a description GET) for the timeline, or null.</summary>
    public static string? Summarize(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Transport == TrafficTransport.Udp)
        {
            var item = SsdpItem.Parse(record);
            return item?.Message switch
            {
                SsdpSearchRequest s => $"M-SEARCH ST {s.SearchTarget}" + (s.Mx is { } mx ? $" MX {mx}" : " (no MX)"),
                SsdpSearchResponse r => $"search response ST {r.SearchTarget} USN {r.Usn}",
                SsdpNotify n => $"NOTIFY {n.Nts} NT {n.NotificationType} USN {n.Usn}",
                null when item is not null => "not SSDP: " + (item.Read.Violations.FirstOrDefault()?.Message ?? "unreadable"),
                _ => null,
            };
        }

        if (record.Transport == TrafficTransport.Http && (record.Protocol is null || record.Protocol == Protocols.Ssdp))
        {
            var message = SsdpHttpMessage.Parse(record.Payload.Span);
            return message switch
            {
                { IsRequest: true } => $"{message.Method} {message.Target}" + (message.Header("Accept-Language") is { } l ? $" (Accept-Language {l})" : string.Empty),
                { IsRequest: false } => $"HTTP {message.StatusCode} {message.Header("Content-Type")} {message.Body.Length} bytes",
                _ => null,
            };
        }

        return null;
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

        foreach (var monitor in _monitors)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>The scenario result of a device, starting every device's scenario of the session on first use.</summary>
    internal async Task<SsdpScenarioResult> ScenarioAsync(ObservedSession session, Device device, CancellationToken cancellationToken)
    {
        foreach (var other in RootDevices(session))
        {
            _ = ScenarioTask(session, other);
        }

        return await ScenarioTask(session, device).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scenario result of a device when it has completed, else null.</summary>
    internal SsdpScenarioResult? CompletedScenario(ObservedSession session, Device device) =>
        _completed.TryGetValue(session, out var byDevice) && byDevice.TryGetValue(device.Id, out var result) ? result : null;

    /// <summary>Why the LOCATION GET of a URL failed before any byte came back, or null.</summary>
    internal string? FetchError(string url) => _fetchErrors.GetValueOrDefault(url);

    internal bool MayReach(IPEndPoint destination)
    {
        var address = SsdpView.Normalize(destination.Address);
        return !_loopbackOnly || IPAddress.IsLoopback(address) || address.IsMulticast();
    }

    internal bool MayReach(Uri? url) =>
        url is not null && IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var host) && MayReach(new IPEndPoint(host, url.Port));

    /// <summary>The group (and port) a device's searches go to: its NOTIFYs' port, else the suite's.</summary>
    internal IPEndPoint GroupFor(Device device) =>
        int.TryParse(device.Metadata.GetValueOrDefault(SsdpDevices.MulticastPortKey), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? new IPEndPoint(Options.MulticastEndPoints[0].Address, port)
            : Options.MulticastEndPoints[0];

    /// <summary>A socket of its own for one stimulus, on an ephemeral port of the interface.</summary>
    internal SsdpScenario.Probe OpenProbe(AddressFamily family)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        var transport = UdpDatagramTransport.Bind(
            new UdpTransportOptions { LocalEndPoint = new IPEndPoint(any, 0), Interface = Options.Interface, ReuseAddress = false },
            Options.TimeProvider,
            Options.LoggerFactory?.CreateLogger<UdpDatagramTransport>());
        _ownPorts[transport.LocalEndPoint.Port] = 0;
        return new SsdpScenario.Probe(new GuardedTransport(transport, this), Recorder);
    }

    /// <summary>GETs a URL with a raw socket and records both messages as HTTP (protocol <c>ssdp</c>).</summary>
    internal async Task<SsdpHttpExchange?> FetchAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        if (!MayReach(url))
        {
            return null;
        }

        var scenario = Options.Scenario;
        var exchange = await SsdpHttpClient.GetAsync(url, headers, scenario.HttpTimeout, scenario.MaxHttpBytes, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        if (exchange.Local.Port == 0 && exchange.Response.Length == 0)
        {
            _fetchErrors[url.AbsoluteUri] = exchange.Error ?? "no connection";
            return exchange;
        }

        Recorder.Record(TrafficDirection.Outbound, TrafficTransport.Http, exchange.Local, exchange.Remote, exchange.Request, Protocols.Ssdp, exchange.Sent);
        if (exchange.Response.Length > 0)
        {
            Recorder.Record(TrafficDirection.Inbound, TrafficTransport.Http, exchange.Remote, exchange.Local, exchange.Response, Protocols.Ssdp, exchange.Received);
        }
        else
        {
            _fetchErrors[url.AbsoluteUri] = exchange.Error ?? "the connection closed without an answer";
        }

        return exchange;
    }

    private static IEnumerable<Device> RootDevices(ObservedSession session) =>
        session.Devices.Where(d => string.Equals(d.Protocol, Protocols.Ssdp, StringComparison.Ordinal) && d.HasRole(DeviceRole.UpnpRootDevice));

    private SsdpScenario.Step DiscoveryStep(IPEndPoint group, string searchTarget, string mx)
    {
        var host = SsdpMessage.HostFor(group);
        var bytes = Encoding.ASCII.GetBytes($"M-SEARCH * HTTP/1.1\r\nHOST: {host}\r\nUSER-AGENT: {SsdpScenario.HarnessUserAgent}\r\nMAN: \"ssdp:discover\"\r\nMX: {mx}\r\nST: {searchTarget}\r\n\r\n");
        return new SsdpScenario.Step("discovery", "ST " + searchTarget, SsdpExpect.Answer, bytes, group, Options.DiscoveryMx, searchTarget);
    }

    private Task<SsdpScenarioResult> ScenarioTask(ObservedSession session, Device device)
    {
        var byDevice = _scenarios.GetValue(session, _ => new ConcurrentDictionary<string, Lazy<Task<SsdpScenarioResult>>>(StringComparer.Ordinal));
        return byDevice.GetOrAdd(device.Id, _ => new Lazy<Task<SsdpScenarioResult>>(() => Task.Run(() => RunScenarioAsync(session, device)))).Value;
    }

    private async Task<SsdpScenarioResult> RunScenarioAsync(ObservedSession session, Device device)
    {
        var result = await SsdpScenario.RunAsync(this, session, device, _stopping.Token).ConfigureAwait(false);
        _completed.GetValue(session, _ => new ConcurrentDictionary<string, SsdpScenarioResult>(StringComparer.Ordinal))[device.Id] = result;
        return result;
    }

    /// <summary>A transport that refuses destinations outside what the run may reach (loopback-only runs never send elsewhere).</summary>
    private sealed class GuardedTransport(UdpDatagramTransport inner, SsdpSuite suite) : IDatagramTransport, ILocalAddressSelector
    {
        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public IReadOnlyCollection<IPAddress> JoinedGroups => inner.JoinedGroups;

        public ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken) =>
            suite.MayReach(destination)
                ? inner.SendAsync(payload, destination, cancellationToken)
                : throw new InvalidOperationException($"{destination} is outside the network this run may send to.");

        public ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken) => inner.ReceiveAsync(cancellationToken);

        public IPAddress? SelectLocalAddress(IPAddress destination) => inner.SelectLocalAddress(destination);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>
/// The run's target of an <see cref="SsdpSuite"/>: lets the SSDP active rules reach each device through the suite (a
/// socket per stimulus). Generic sends go out of a socket of their own and are recorded.
/// </summary>
internal sealed class SsdpSuiteTarget(SsdpSuite suite) : ITarget
{
    public SsdpSuite Suite => suite;

    public string Description => "UPnP devices on " + (suite.Options.Interface ?? "the default interface");

    public IPEndPoint? EndPoint => null;

    public bool CanSend => true;

    /// <summary>Devices restart one at a time, through the suite's hook.</summary>
    public bool CanRestart => false;

    public async ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await using var probe = suite.OpenProbe(destination.AddressFamily);
        var stimulus = await probe.SendAsync(new SsdpScenario.Step("send", string.Empty, SsdpExpect.Nothing, payload.ToArray(), destination, null, string.Empty), cancellationToken).ConfigureAwait(false);
        return stimulus.Request;
    }

    public ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken) =>
        throw new NotSupportedException("SSDP answers come back to the socket of their search: the active SSDP rules use the suite's scenario.");

    public ValueTask RestartAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("Devices restart through the suite's Restart hook.");
}
