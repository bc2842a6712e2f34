using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using System.Xml.Linq;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Xml;
using Harness.Xmpp.Core;
using Harness.Xmpp.Streams;
using Microsoft.Extensions.Logging;

namespace Harness.Conformance.Xmpp;

/// <summary>Timing and bounds of the stimuli the <see cref="XmppSuite"/> sends each judged entity.</summary>
public sealed record XmppScenarioOptions
{
    /// <summary>How long each iq waits for its answer (default 3 s).</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait for the new presence after a feature change (default 3 s).</summary>
    public TimeSpan PresenceTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The most advertised nodes of one entity that are asked (default 20).</summary>
    public int MaxNodes { get; init; } = 20;

    /// <summary>The most XEP-0390 hash nodes of one presence that are asked (default 8).</summary>
    public int MaxHashNodes { get; init; } = 8;

    /// <summary>How many entities run their stimuli at once (default 16).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>The seed of the probe names (absent nodes and accounts), or null for a random one.</summary>
    public int? Seed { get; init; }

    /// <summary>Throws when an option is unusable.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReplyTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(PresenceTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNodes);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxHashNodes);
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1);
    }
}

/// <summary>How an <see cref="XmppSuite"/> reaches the XMPP entities: the server, the judge's account, whom to judge.</summary>
public sealed record XmppSuiteOptions
{
    /// <summary>The server's host (name or address), e.g. <c>127.0.0.1</c>.</summary>
    public required string Host { get; init; }

    /// <summary>The server's client port (5222 by default).</summary>
    public int Port { get; init; } = 5222;

    /// <summary>The XMPP domain (the server is judged at this address).</summary>
    public required string Domain { get; init; }

    /// <summary>The judge's account (localpart).</summary>
    public required string User { get; init; }

    /// <summary>The judge's password.</summary>
    public required string Password { get; init; }

    /// <summary>The judge's resource (default <c>harness-judge</c>).</summary>
    public string? Resource { get; init; } = "harness-judge";

    /// <summary>When STARTTLS is used (default: only when the server requires it). With TLS, elements are recorded after decryption.</summary>
    public XmppTlsMode Tls { get; init; } = XmppTlsMode.WhenRequired;

    /// <summary>Validates the server certificate when TLS is used (null: the system's validation).</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>Allows SASL PLAIN without TLS (loopback servers).</summary>
    public bool AllowPlainWithoutTls { get; init; }

    /// <summary>The JIDs to judge explicitly (e.g. <c>--jid</c>): components, accounts' full JIDs, services.</summary>
    public IReadOnlyList<string> Jids { get; init; } = [];

    /// <summary>Judge every entity that sends the judge presence (on a server that broadcasts presence to all sessions). Default true.</summary>
    public bool JudgePresenceSenders { get; init; } = true;

    /// <summary>Judge the server's domain. Default true.</summary>
    public bool JudgeServer { get; init; } = true;

    /// <summary>Judge the JIDs the server lists in its disco#items (its components and services). Default true.</summary>
    public bool JudgeServerItems { get; init; } = true;

    /// <summary>The most entities judged (default 64).</summary>
    public int MaxDevices { get; init; } = 64;

    /// <summary>Run every entity's stimuli inside <see cref="XmppSuite.DiscoverAsync"/>, so that every rule (all of them judge the recorded stanzas) sees them. Default true.</summary>
    public bool ProvokeOnDiscover { get; init; } = true;

    /// <summary>
    /// Changes the features of the entity at a JID (a simulator hook, e.g. <c>FakeXmppEntity.ChangeFeaturesAsync</c>), returning
    /// false when it cannot; null when entities cannot be changed. With it the caps rules watch a new ver go out (XMPP-CAPS-021, -022, XMPP-CAPS2-006).
    /// </summary>
    public Func<string, CancellationToken, ValueTask<bool>>? ChangeFeatures { get; init; }

    /// <summary>The stimuli's timing and bounds.</summary>
    public XmppScenarioOptions Scenario { get; init; } = new();

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging for the judge's connection, or null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Parses <c>host:port</c> (<c>[::1]:5222</c> for IPv6; the port defaults to 5222).</summary>
    /// <exception cref="FormatException">The text is not host[:port].</exception>
    public static (string Host, int Port) ParseServer(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        if (IPEndPoint.TryParse(text, out var endPoint) && (endPoint.Port != 0 || !text.Contains(':', StringComparison.Ordinal) || text.StartsWith('[')))
        {
            return (endPoint.Address.ToString(), endPoint.Port == 0 ? 5222 : endPoint.Port);
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return (text, 5222);
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535 || colon == 0)
        {
            throw new FormatException($"'{text}' is not host:port.");
        }

        return (text[..colon], port);
    }

    /// <summary>Throws when an option is unusable; returns this.</summary>
    public XmppSuiteOptions Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Host);
        ArgumentException.ThrowIfNullOrEmpty(Domain);
        ArgumentException.ThrowIfNullOrEmpty(User);
        ArgumentNullException.ThrowIfNull(Password);
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDevices, 1);
        ArgumentNullException.ThrowIfNull(Jids);
        foreach (var jid in Jids)
        {
            if (!Jid.TryParse(jid, out _, out var error))
            {
                throw new ArgumentException($"'{jid}' is not a JID: {error}", nameof(Jids));
            }
        }

        ArgumentNullException.ThrowIfNull(Scenario);
        Scenario.Validate();
        return this;
    }
}

/// <summary>
/// The glue between the XMPP rules and a live server or a capture. The judge logs in with its own account (TLS when
/// the server requires it), sends initial presence, and records every stanza in and out as TCP records labelled
/// <c>xmpp</c> (the raw stream while it is plain, the decrypted elements after STARTTLS). Then:
/// <code>
/// var recorder = new TrafficRecorder();
/// await using var suite = await XmppSuite.StartAsync(recorder, new XmppSuiteOptions { Host = "127.0.0.1", Port = port, Domain = "localhost", User = "judge", Password = pw }, ct);
/// var devices = await suite.DiscoverAsync(TimeSpan.FromSeconds(1), ct);   // collects presence, asks the server's items, runs every entity's stimuli
/// var session = ObservedSession.Live(recorder, devices);
/// var result = await new Runner(XmppSuite.CreateCatalogue()).RunWithTargetsAsync(new ConformanceRun(), session, _ => suite.Target, cancellationToken: ct);
/// </code>
/// Every rule judges the recorded stanzas (passive), so a capture of the same traffic (<c>FindDevices</c>, a fixed
/// session, no target) gives the same findings. The judged entities are the explicit JIDs, the server's domain, the
/// JIDs in the server's disco#items and every session that sends the judge presence (one device per JID).
/// </summary>
public sealed class XmppSuite : IConformanceSuite
{
    private readonly XmppSuiteOptions _options;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _scenarios = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PresenceState> _presences = new(StringComparer.Ordinal);
    private readonly List<string> _presenceOrder = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private readonly SemaphoreSlim _concurrency;
    private TcpClient? _tcp;
    private XmppRecordingStream? _stream;
    private XmppClientConnection? _connection;
    private IPEndPoint? _localEndPoint;
    private long _nextId;

    private XmppSuite(TrafficRecorder recorder, XmppSuiteOptions options)
    {
        Recorder = recorder;
        _options = options;
        _concurrency = new SemaphoreSlim(options.Scenario.Concurrency);
#pragma warning disable CA5394 // Probe names, not security.
        _random = new Random(options.Scenario.Seed ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue));
#pragma warning restore CA5394
        Target = new XmppSuiteTarget(this);
    }

    /// <summary>The recorder every stanza goes into.</summary>
    public TrafficRecorder Recorder { get; }

    /// <inheritdoc/>
    public string Protocol => Protocols.Xmpp;

    /// <inheritdoc/>
    public ITarget Target { get; }

    /// <summary>The judge's full JID once connected.</summary>
    public Jid? JudgeJid => _connection?.LocalJid;

    /// <summary>The server's endpoint as connected.</summary>
    public IPEndPoint? ServerEndPoint { get; private set; }

    /// <summary>The XMPP rules (<see cref="XmppRules.All"/>).</summary>
    public static IReadOnlyList<Rule> Rules => XmppRules.All;

    /// <summary>A catalogue of the XMPP rules.</summary>
    public static RuleCatalogue CreateCatalogue() => new(XmppRules.All);

    /// <summary>The XMPP entities in a live session's or a capture's records (<see cref="XmppDevices.FromRecords"/>).</summary>
    public static IReadOnlyList<Device> FindDevices(IReadOnlyList<TrafficRecord> records) => XmppDevices.FromRecords(records);

    /// <summary>
    /// A one-line description of an XMPP record for the timeline (<see cref="ConformanceRun.Summarizer"/>), e.g.
    /// <c>iq get disco#info node=… to …</c> or <c>presence caps ver=… from …</c>; null for other records.
    /// </summary>
    public static string? Summarize(TrafficRecord record) => XmppSummary.Describe(record);

    /// <summary>Connects the judge (TCP, STARTTLS when required, SASL, bind) and sends its initial presence.</summary>
    /// <exception cref="SocketException">The server cannot be reached.</exception>
    /// <exception cref="XmppNegotiationException">The login failed.</exception>
    public static async Task<XmppSuite> StartAsync(TrafficRecorder recorder, XmppSuiteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var suite = new XmppSuite(recorder, options);
        try
        {
            await suite.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await suite.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return suite;
    }

    /// <summary>
    /// Waits <paramref name="window"/> for presence, asks the server's disco#items (when judged), runs every candidate's
    /// stimuli (when <see cref="XmppSuiteOptions.ProvokeOnDiscover"/>), and returns one device per judged JID.
    /// </summary>
    public async Task<IReadOnlyList<Device>> DiscoverAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        if (window > TimeSpan.Zero)
        {
            await Task.Delay(window, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        var candidates = await CandidatesAsync(cancellationToken).ConfigureAwait(false);
        if (_options.ProvokeOnDiscover)
        {
            await ProvokeAsync(candidates, cancellationToken).ConfigureAwait(false);
        }

        return Devices(candidates);
    }

    /// <summary>Runs the stimuli of every XMPP device of the session (each JID once per suite); completes when all are done.</summary>
    public Task ProvokeAsync(ObservedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ProvokeAsync(
            [.. session.Devices.Where(d => string.Equals(d.Protocol, Protocols.Xmpp, StringComparison.Ordinal)).Select(d => d.EndpointReference ?? d.Id)],
            cancellationToken);
    }

    /// <summary>Runs the stimuli of these JIDs (each once per suite), all at once within <see cref="XmppScenarioOptions.Concurrency"/>.</summary>
    public async Task ProvokeAsync(IReadOnlyList<string> jids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jids);
        var tasks = jids.Where(j => XmppJids.Key(j) is not null)
            .Select(j => _scenarios.GetOrAdd(XmppJids.Key(j)!, _ => new Lazy<Task>(() => Task.Run(() => RunScenarioAsync(j)))).Value)
            .ToList();
        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the judge's stream (gracefully) and the connection.</summary>
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

        foreach (var scenario in _scenarios.Values.Where(s => s.IsValueCreated))
        {
            try
            {
                await scenario.Value.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _stream?.Dispose();
        _tcp?.Dispose();
        _concurrency.Dispose();
        _stopping.Dispose();
    }

    internal XmppSuiteOptions Options => _options;

    internal XmppClientConnection Connection => _connection ?? throw new InvalidOperationException("The judge is not connected.");

    internal XmppRecordingStream? RecordingStream => _stream;

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>A fresh iq id.</summary>
    internal string NextId() => "hx" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary>A random token for probe names (seeded).</summary>
    internal string NextToken()
    {
        lock (_random)
        {
#pragma warning disable CA5394 // Probe names, not security.
            return _random.Next(0x10000000, int.MaxValue).ToString("x8", CultureInfo.InvariantCulture);
#pragma warning restore CA5394
        }
    }

    /// <summary>The latest available presence of a JID, or null.</summary>
    internal XElement? LatestPresence(string jid) =>
        XmppJids.Key(jid) is { } key && _presences.TryGetValue(key, out var state) ? state.Latest : null;

    /// <summary>How many available presences a JID has sent.</summary>
    internal int PresenceCount(string jid) =>
        XmppJids.Key(jid) is { } key && _presences.TryGetValue(key, out var state) ? state.Count : 0;

    /// <summary>Waits until a JID has sent more than <paramref name="seen"/> available presences, or the timeout passed.</summary>
    internal async Task<bool> WaitForPresenceAsync(string jid, int seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = XmppJids.Key(jid);
        if (key is null)
        {
            return false;
        }

        var state = _presences.GetOrAdd(key, _ => new PresenceState());
        Task waiter;
        lock (state)
        {
            if (state.Count > seen)
            {
                return true;
            }

            waiter = state.Next.Task;
        }

        try
        {
            await waiter.WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return PresenceCount(jid) > seen;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Sends an iq request and returns its answer (result or error iq), or null when none came in time.</summary>
    internal async Task<XElement?> QueryAsync(XElement iq, CancellationToken cancellationToken)
    {
        iq.SetAttributeValue("id", NextId());
        RecordElement(iq, TrafficDirection.Outbound);
        try
        {
            return await Connection.SendIqAsync(iq, _options.Scenario.ReplyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (XmppStanzaException ex)
        {
            return ex.Stanza ?? new XElement("error");
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (XmppStreamClosedException)
        {
            return null;
        }
    }

    /// <summary>Records an element when the raw stream is not recorded (after STARTTLS).</summary>
    internal TrafficRecord? RecordElement(XElement element, TrafficDirection direction)
    {
        if (_stream is null || _stream.RecordsRaw || ServerEndPoint is null || _localEndPoint is null)
        {
            return null;
        }

        var bytes = XmppStreamWriter.Stanza(element, XmppNamespaces.Client);
        return direction == TrafficDirection.Outbound
            ? Recorder.Record(direction, TrafficTransport.Tcp, _localEndPoint, ServerEndPoint, bytes, Protocols.Xmpp)
            : Recorder.Record(direction, TrafficTransport.Tcp, ServerEndPoint, _localEndPoint, bytes, Protocols.Xmpp);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        _tcp = tcp;
        if (IPAddress.TryParse(_options.Host, out var address))
        {
            await tcp.ConnectAsync(address, _options.Port, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await tcp.ConnectAsync(_options.Host, _options.Port, cancellationToken).ConfigureAwait(false);
        }

        _localEndPoint = (IPEndPoint)tcp.Client.LocalEndPoint!;
        ServerEndPoint = (IPEndPoint)tcp.Client.RemoteEndPoint!;
        _stream = new XmppRecordingStream(tcp.GetStream(), Recorder, _localEndPoint, ServerEndPoint);
        var client = new XmppClientOptions
        {
            Domain = _options.Domain,
            Host = _options.Host,
            Port = _options.Port,
            User = _options.User,
            Password = _options.Password,
            Resource = _options.Resource,
            Tls = _options.Tls,
            CertificateValidation = _options.CertificateValidation,
            AllowPlainWithoutTls = _options.AllowPlainWithoutTls,
        };
        _connection = await XmppClientConnection.ConnectAsync(_stream, client, _options.TimeProvider, _options.LoggerFactory?.CreateLogger<XmppClientConnection>(), cancellationToken).ConfigureAwait(false);
        _connection.PresenceReceived += OnPresence;
        if (!_stream.RecordsRaw)
        {
            // After STARTTLS: record what arrives as elements, and the features the negotiation saw.
            _connection.ElementReceived += (_, element) => RecordElement(element, TrafficDirection.Inbound);
            if (_connection.Features is { } features)
            {
                RecordElement(features, TrafficDirection.Inbound);
            }
        }

        var presence = new XElement(XmppNamespaces.Client + "presence");
        RecordElement(presence, TrafficDirection.Outbound);
        await _connection.SendAsync(presence, cancellationToken).ConfigureAwait(false);
    }

    private void OnPresence(object? sender, XElement presence)
    {
        var from = (string?)presence.Attribute("from");
        var type = (string?)presence.Attribute("type");
        if (XmppJids.Key(from) is not { } key || type is not (null or "available") || IsSelf(from))
        {
            return;
        }

        var state = _presences.GetOrAdd(key, _ => new PresenceState());
        TaskCompletionSource next;
        lock (state)
        {
            state.Latest = new XElement(presence);
            state.Count++;
            next = state.Next;
            state.Next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        lock (_gate)
        {
            if (!_presenceOrder.Contains(from!, StringComparer.Ordinal))
            {
                _presenceOrder.Add(from!);
            }
        }

        next.TrySetResult();
    }

    private bool IsSelf(string? jid) =>
        _connection is { } connection && Jid.TryParse(jid, out var parsed) && (parsed == connection.LocalJid || parsed == connection.LocalJid.Bare);

    private async Task<List<string>> CandidatesAsync(CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        void Add(string jid)
        {
            if (candidates.Count < _options.MaxDevices && XmppJids.Key(jid) is { } key && !IsSelf(jid) && keys.Add(key))
            {
                candidates.Add(jid);
            }
        }

        foreach (var jid in _options.Jids)
        {
            Add(jid);
        }

        if (_options.JudgeServer)
        {
            Add(_options.Domain);
        }

        if (_options.JudgePresenceSenders)
        {
            List<string> senders;
            lock (_gate)
            {
                senders = [.. _presenceOrder];
            }

            foreach (var sender in senders)
            {
                Add(sender);
            }
        }

        if (_options.JudgeServerItems)
        {
            var answer = await QueryAsync(
                new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", _options.Domain), Harness.Xmpp.Disco.DiscoCodec.ItemsRequest(null)),
                cancellationToken).ConfigureAwait(false);
            var items = answer?.Element(Harness.Xmpp.Disco.DiscoCodec.ItemsQueryName)?.Elements(Harness.Xmpp.Disco.DiscoCodec.ItemsNamespace + "item") ?? [];
            foreach (var item in items)
            {
                if ((string?)item.Attribute("node") is null && (string?)item.Attribute("jid") is { } jid && Jid.TryParse(jid, out _))
                {
                    Add(jid);
                }
            }
        }

        return candidates;
    }

    private List<Device> Devices(IReadOnlyList<string> candidates)
    {
        var view = XmppView.Build(Recorder.Snapshot());
        var found = XmppDevices.FromView(view, _options.Domain);
        var devices = new List<Device>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var jid in candidates)
        {
            var key = XmppJids.Key(jid)!;
            var device = found.FirstOrDefault(d => XmppJids.Key(d.Id) == key) ?? XmppDevices.Describe(view, jid, _options.Domain, ServerEndPoint);
            if (keys.Add(key))
            {
                devices.Add(device);
            }
        }

        foreach (var device in found)
        {
            if (XmppJids.Key(device.Id) is { } key && !IsSelf(device.Id) && keys.Add(key))
            {
                devices.Add(device);
            }
        }

        return devices;
    }

    private async Task RunScenarioAsync(string jid)
    {
        await _concurrency.WaitAsync(_stopping.Token).ConfigureAwait(false);
        try
        {
            var isServer = string.Equals(XmppJids.Key(jid), XmppJids.Key(_options.Domain), StringComparison.Ordinal);
            await new XmppScenario(this, jid, isServer).RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private sealed class PresenceState
    {
        public XElement? Latest { get; set; }

        public int Count { get; set; }

        public TaskCompletionSource Next { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// The run's target of an <see cref="XmppSuite"/>: sends a stanza (the payload's XML) on the judge's stream and collects
/// what arrives. The XMPP rules themselves judge the recorded stanzas; this target exists for the runner's contract.
/// </summary>
internal sealed class XmppSuiteTarget(XmppSuite suite) : ITarget
{
    public string Description => $"XMPP entities via {suite.Options.Domain} at {suite.Options.Host}:{suite.Options.Port}";

    public IPEndPoint? EndPoint => suite.ServerEndPoint;

    public bool CanSend => suite.JudgeJid is not null;

    public bool CanRestart => false;

    public async ValueTask<TrafficRecord> SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, string? protocol, CancellationToken cancellationToken)
    {
        var loaded = SafeXml.Load(payload.Span);
        if (loaded.Document?.Root is not { } root)
        {
            throw new ArgumentException("The payload is not one XML element: " + loaded.Message, nameof(payload));
        }

        var stanza = new XElement(root);
        var record = suite.RecordElement(stanza, TrafficDirection.Outbound);
        await suite.Connection.SendAsync(stanza, cancellationToken).ConfigureAwait(false);
        return record ?? suite.RecordingStream?.LastOutbound
            ?? throw new InvalidOperationException("The stanza was sent but not recorded.");
    }

    public async ValueTask<IReadOnlyList<TrafficRecord>> CollectAsync(TimeSpan window, Func<TrafficRecord, bool>? filter, int maxCount, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<TrafficRecord>();
        void OnRecord(TrafficRecord record)
        {
            if (record.Direction == TrafficDirection.Inbound && string.Equals(record.Protocol, Protocols.Xmpp, StringComparison.Ordinal)
                && Equals(record.Source, suite.ServerEndPoint))
            {
                channel.Writer.TryWrite(record);
            }
        }

        suite.Recorder.Recorded += OnRecord;
        var collected = new List<TrafficRecord>();
        using var windowSource = new CancellationTokenSource(window, suite.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, windowSource.Token);
        try
        {
            while (collected.Count < maxCount)
            {
                var record = await channel.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
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
        finally
        {
            suite.Recorder.Recorded -= OnRecord;
        }

        return collected;
    }

    public ValueTask RestartAsync(CancellationToken cancellationToken) => throw new NotSupportedException("XMPP entities are not restarted by the suite.");
}
