using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.Dpws.Eventing;
using Harness.Dpws.Metadata;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Engine;
using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Dpws;

/// <summary>How a <see cref="DpwsSuite"/> reaches the DPWS devices.</summary>
public sealed record DpwsSuiteOptions
{
    /// <summary>The interface (name or address) of its own discovery and of the notification sink; loopback by default. On loopback only loopback addresses are contacted.</summary>
    public string? Interface { get; init; } = "lo";

    /// <summary>The WS-Discovery groups and ports its own <see cref="DpwsSuite.DiscoverAsync"/> probes (239.255.255.250:3702 by default).</summary>
    public IReadOnlyList<IPEndPoint> MulticastEndPoints { get; init; } = [WsdMulticast.IPv4EndPoint];

    /// <summary>Timing and choice of the per-device exchanges.</summary>
    public DpwsScenarioOptions Scenario { get; init; } = new();

    /// <summary>Run every device's exchanges at the end of <see cref="DpwsSuite.DiscoverAsync"/>, so that passive rules see them (default true).</summary>
    public bool ProvokeOnDiscover { get; init; } = true;

    /// <summary>How many devices are provoked at once (default 4).</summary>
    public int MaxConcurrentDevices { get; init; } = 4;

    /// <summary>Run a notification sink (NotifyTo / EndTo of the subscriptions; its traffic is recorded). Default true; without it eventing is skipped.</summary>
    public bool NotificationSink { get; init; } = true;

    /// <summary>Seed of the clients' message ids; null for a fresh one.</summary>
    public int? Seed { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging, or null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>
/// The glue between the DPWS rules (metadata, eventing, WS-Scan, WS-Print, SOAP over HTTP) and live devices or a capture.
/// In the main job, next to the WS-Discovery suite and recording into the same recorder:
/// <code>
/// await using var dpws = await DpwsSuite.StartAsync(recorder, new DpwsSuiteOptions { Interface = "lo" }, ct);
/// var devices = DpwsSuite.DevicesFrom(wsdDevices);          // or: await dpws.DiscoverAsync(window, ct)
/// await dpws.ProvokeAsync(devices, ct);                      // every device's exchanges, once (passive rules judge them)
/// // session = ObservedSession.Live(recorder, [.. wsdDevices, .. devices]); Runner.RunWithTargetsAsync(..., d =&gt; d.Protocol == "dpws" ? dpws.Target : …)
/// </code>
/// For a capture: <see cref="FindDevices"/> over the records (HTTP records, or the TCP chunks of a pcap) and no target.
/// Every HTTP request and response goes into the recorder (transport HTTP, label <c>dpws</c>) with the endpoints of its
/// connection; on a loopback interface nothing outside 127.0.0.0/8 and ::1 is contacted.
/// </summary>
public sealed class DpwsSuite : IConformanceSuite
{
    private readonly DpwsSuiteOptions _options;
    private readonly DpwsRecordingHandler _handler;
    private readonly SoapHttpClient _http;
    private readonly ConcurrentDictionary<string, Lazy<Task<DpwsScenarioResult>>> _scenarios = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DpwsScenarioResult> _completed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sinkGate = new(1, 1);
    private readonly SemaphoreSlim _concurrency;
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _loopbackOnly;
    private NotificationSink? _sink;
    private int _disposed;

    private DpwsSuite(TrafficRecorder recorder, DpwsSuiteOptions options)
    {
        Recorder = recorder;
        _options = options;
        _loopbackOnly = options.Interface is not null
            && NetworkInterfaceResolver.TryResolve(options.Interface, out var nic)
            && nic.IsLoopback;
        _handler = new DpwsRecordingHandler(recorder, MayReach, options.Scenario.CallTimeout);
        _http = new SoapHttpClient(
            new SoapHttpClientOptions { Timeout = options.Scenario.CallTimeout, MaxResponseBytes = DpwsHttp.MaxBodyBytes, Seed = options.Seed, TimeProvider = options.TimeProvider },
            _handler,
            options.LoggerFactory);
        _concurrency = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDevices));
        Target = new DpwsSuiteTarget(this);
    }

    /// <summary>The recorder every exchange goes into.</summary>
    public TrafficRecorder Recorder { get; }

    /// <inheritdoc/>
    public string Protocol => Protocols.Dpws;

    /// <summary>The target to hand to the runner for DPWS devices: the active rules reach each device through the suite.</summary>
    public ITarget Target { get; }

    /// <summary>The DPWS rules (<see cref="DpwsRules.All"/>).</summary>
    public static IReadOnlyList<Rule> Rules => DpwsRules.All;

    /// <summary>A catalogue of the DPWS rules.</summary>
    public static RuleCatalogue CreateCatalogue() => new(DpwsRules.All);

    /// <summary>The DPWS devices among WS-Discovery devices (<see cref="DpwsDevices.FromDiscovery"/>).</summary>
    public static IReadOnlyList<Device> DevicesFrom(IEnumerable<Device> wsdDevices) => DpwsDevices.FromDiscovery(wsdDevices);

    /// <summary>The DPWS devices in a live session's or a capture's records (<see cref="DpwsDevices.FromTraffic"/>).</summary>
    public static IReadOnlyList<Device> FindDevices(IReadOnlyList<TrafficRecord> records) => DpwsDevices.FromTraffic(records);

    /// <summary>Starts the suite (the notification sink starts with the first provocation).</summary>
    public static Task<DpwsSuite> StartAsync(TrafficRecorder recorder, DpwsSuiteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        options ??= new DpwsSuiteOptions();
        options.Scenario.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new DpwsSuite(recorder, options));
    }

    /// <summary>
    /// Discovers WS-Discovery devices on the options' groups (with a throw-away recorder: the WS-Discovery suite records
    /// its own traffic), keeps the DPWS ones (<see cref="DevicesFrom"/>) and, when <see cref="DpwsSuiteOptions.ProvokeOnDiscover"/>,
    /// runs their exchanges.
    /// </summary>
    public async Task<IReadOnlyList<Device>> DiscoverAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        IReadOnlyList<Device> found;
        await using (var wsd = await WsdSuite.StartAsync(
            new TrafficRecorder(_options.TimeProvider),
            new WsdSuiteOptions { Interface = _options.Interface, MulticastEndPoints = _options.MulticastEndPoints, CatchStrayReplies = false, TimeProvider = _options.TimeProvider, LoggerFactory = _options.LoggerFactory },
            cancellationToken).ConfigureAwait(false))
        {
            found = await wsd.DiscoverAsync(window, cancellationToken).ConfigureAwait(false);
        }

        var devices = DevicesFrom(found);
        if (_options.ProvokeOnDiscover)
        {
            await ProvokeAsync(devices, cancellationToken).ConfigureAwait(false);
        }

        return devices;
    }

    /// <summary>
    /// Gives each DPWS device the friendly name its metadata announces (one WS-Transfer Get, recorded like every exchange),
    /// so reports name scanners and printers; a device that does not answer keeps its identifier. Bounded by the scenario's
    /// call timeout.
    /// </summary>
    public async Task<IReadOnlyList<Device>> NameAsync(IReadOnlyList<Device> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var client = new DpwsClient(_http);
        var named = await Task.WhenAll(devices.Select(async device =>
        {
            if (device.Protocol != Protocols.Dpws || DpwsDevices.XAddrs(device).FirstOrDefault() is not { } xaddr)
            {
                return device;
            }

            try
            {
                var result = await client.GetAsync(xaddr, device.EndpointReference ?? device.Id, cancellationToken).ConfigureAwait(false);
                var name = result.Metadata.FriendlyName;
                return string.IsNullOrWhiteSpace(name) ? device : device with { DisplayName = SafeText.Line(name, 80) };
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The scenario's Get step judges a device that does not answer; here it only stays unnamed.
                return device;
            }
        })).ConfigureAwait(false);
        return named;
    }

    /// <summary>Runs the exchanges of every DPWS device (a few at a time), each once; later calls and the active rules reuse them.</summary>
    public async Task ProvokeAsync(IEnumerable<Device> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var tasks = devices.Where(d => string.Equals(d.Protocol, Protocols.Dpws, StringComparison.Ordinal)).Select(d => ScenarioAsync(d, cancellationToken)).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>A one-line description of a DPWS record for the timeline, or null.</summary>
    public static string? Summarize(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Protocol is not (null or Protocols.Dpws) || record.Transport is not (TrafficTransport.Http or TrafficTransport.Tcp) || !DpwsHttp.LooksLikeHttp(record.Payload.Span))
        {
            return null;
        }

        var message = DpwsHttp.Read([record with { Transport = TrafficTransport.Http, Protocol = null }]).FirstOrDefault();
        if (message is null)
        {
            return null;
        }

        var exchange = new DpwsExchange(message, message.IsRequest ? null : message);
        var envelope = message.IsRequest ? exchange.RequestEnvelope : exchange.ResponseEnvelope;
        var action = envelope?.Header.Action;
        var last = action is null ? null : action[(action.LastIndexOf('/') + 1)..];
        return message.IsRequest
            ? $"{message.Method} {message.Target}" + (last is null ? string.Empty : " " + last)
            : "HTTP " + message.Status.ToString(CultureInfo.InvariantCulture) + (envelope?.Fault is { } fault ? " fault " + (fault.Subcode ?? fault.Code).LocalName : last is null ? string.Empty : " " + last);
    }

    /// <summary>Stops the notification sink and the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_sink is not null)
        {
            await _sink.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
        _handler.Dispose();
        _sinkGate.Dispose();
        _concurrency.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The scenario result of a device, running it on first use.</summary>
    internal Task<DpwsScenarioResult> ScenarioAsync(Device device, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _scenarios.GetOrAdd(device.Id, _ => new Lazy<Task<DpwsScenarioResult>>(() => Task.Run(() => RunScenarioAsync(device)))).Value.WaitAsync(cancellationToken);
    }

    /// <summary>The scenario of a device when it has completed, else null.</summary>
    internal DpwsScenarioResult? Completed(Device device) => _completed.GetValueOrDefault(device.Id);

    internal DpwsSuiteOptions Options => _options;

    internal bool MayReach(IPAddress address)
    {
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return !_loopbackOnly || IPAddress.IsLoopback(normalized);
    }

    private async Task<DpwsScenarioResult> RunScenarioAsync(Device device)
    {
        var token = _stopping.Token;
        await _concurrency.WaitAsync(token).ConfigureAwait(false);
        try
        {
            var sink = await SinkAsync(token).ConfigureAwait(false);
            var result = await DpwsScenario.RunAsync(_handler, _http, sink?.Address, device, _options.Scenario, _options.TimeProvider, token).ConfigureAwait(false);
            _completed[device.Id] = result;
            return result;
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private async Task<NotificationSink?> SinkAsync(CancellationToken cancellationToken)
    {
        if (!_options.NotificationSink)
        {
            return null;
        }

        await _sinkGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_sink is null)
            {
                var address = SinkAddress();
                if (address is null)
                {
                    return null;
                }

                _sink = await NotificationSink.StartAsync(
                    new DpwsHostOptions { Address = address, MaxRequestBytes = 1 << 20, Recorder = Recorder, TimeProvider = _options.TimeProvider },
                    "/harness/events",
                    256,
                    _options.TimeProvider,
                    _options.LoggerFactory,
                    cancellationToken).ConfigureAwait(false);
            }

            return _sink;
        }
        finally
        {
            _sinkGate.Release();
        }
    }

    private IPAddress? SinkAddress()
    {
        if (_options.Interface is null)
        {
            return IPAddress.Loopback;
        }

        if (!NetworkInterfaceResolver.TryResolve(_options.Interface, out var nic))
        {
            return IPAddress.TryParse(_options.Interface, out var literal) ? literal : null;
        }

        return nic.IsLoopback ? IPAddress.Loopback : nic.GetAddress(AddressFamily.InterNetwork) ?? nic.GetAddress(AddressFamily.InterNetworkV6);
    }
}

/// <summary>
/// The run's target for DPWS devices: it carries no datagrams (DPWS is SOAP over HTTP); the DPWS active rules reach each
/// device through the suite's recorded HTTP clients.
/// </summary>
internal sealed class DpwsSuiteTarget(DpwsSuite suite) : ITarget
{
    public DpwsSuite Suite => suite;

    public string Description => "DPWS devices over HTTP on " + (suite.Options.Interface ?? "the default interface");

    public IPEndPoint? EndPoint => null;

    public bool CanSend => true;

    public bool CanRestart => false;

    public ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken) =>
        throw new NotSupportedException("DPWS exchanges are HTTP requests; the DPWS suite sends them.");

    public ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken) =>
        throw new NotSupportedException("DPWS exchanges are HTTP requests; the DPWS suite sends them.");

    public ValueTask RestartAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("DPWS devices are not restarted by the DPWS suite.");
}
