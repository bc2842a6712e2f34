using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Ssdp.Engine;

/// <summary>
/// The control-point side of SSDP (UDA 1.1 §1.2, §1.3): multicast and unicast M-SEARCH from ephemeral-port transports,
/// repeated a bounded number of times, and a cache of the devices heard (search responses and, while
/// <see cref="ReceiveNotify"/> is on, NOTIFY on the listener transports) keyed by USN.
/// </summary>
/// <remarks>
/// <para>Cache rules: an entry expires max-age seconds (clamped to [1, <see cref="SsdpControlPointOptions.MaxMaxAge"/>])
/// after its last alive or response; a byebye removes it at once; an alive or response with another LOCATION (from the
/// same address family, so that one device seen over IPv4 and IPv6 stays one entry) is a byebye followed by an alive;
/// another BOOTID is a reboot unless an ssdp:update announced it as NEXTBOOTID; another CONFIGID is a configuration
/// change. Duplicate messages only refresh. The cache is bounded (<see cref="SsdpControlPointOptions.MaxDevices"/>).</para>
/// <para>With a <see cref="UpnpDescriptionFetcher"/>, each new LOCATION's description is fetched once (bounded in size
/// and time) before its devices are reported added, with <see cref="SsdpDiscoveredDevice.Description"/> set; a
/// description that cannot be fetched or read is reported by <see cref="DiscoveredDeviceFailed"/> and its devices are
/// dropped, and that LOCATION is ignored for <see cref="SsdpControlPointOptions.DescriptionRetryAfter"/>.</para>
/// <para>Events are raised outside the engine's locks, on the receive loop, a timer or a fetch; a handler that throws is
/// logged and counted in <see cref="HandlerFaults"/>. The control point owns its transports and disposes them.</para>
/// </remarks>
public sealed class SsdpControlPoint : IAsyncDisposable
{
    private readonly IReadOnlyList<IDatagramTransport> _searchTransports;
    private readonly IReadOnlyList<IDatagramTransport> _listenTransports;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly EngineLoops _loops;
    private readonly UpnpDescriptionFetcher? _fetcher;
    private readonly Lock _gate = new();
    private readonly object _timerGate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Entry, DateTimeOffset> _expiry = new();
    private readonly Dictionary<string, DateTimeOffset> _failedLocations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UpnpDescription> _descriptions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fetching = new(StringComparer.Ordinal);
    private readonly List<ActiveSearch> _searches = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _timer;
    private readonly Task[] _receiveLoops;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;
    private volatile bool _receiveNotify;
    private long _datagrams;
    private long _malformed;
    private long _notifiesIgnored;
    private long _refused;
    private int _disposed;

    /// <summary>Creates a control point on one search transport and, optionally, one NOTIFY listener.</summary>
    public SsdpControlPoint(
        IDatagramTransport searchTransport,
        IDatagramTransport? listenTransport = null,
        SsdpControlPointOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<SsdpControlPoint>? logger = null,
        UpnpDescriptionFetcher? fetcher = null)
        : this(
            [searchTransport ?? throw new ArgumentNullException(nameof(searchTransport))],
            listenTransport is null ? [] : [listenTransport],
            options,
            timeProvider,
            logger,
            fetcher)
    {
    }

    /// <summary>Creates a control point and starts receiving on every transport.</summary>
    /// <param name="searchTransports">Ephemeral-port transports that send M-SEARCH and receive the responses (one per family or interface).</param>
    /// <param name="listenTransports">Transports on port 1900 joined to the SSDP groups, to hear NOTIFY (may be empty).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="timeProvider">Times expiry, search windows and repeats.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="fetcher">Fetches and reads each new LOCATION's description; null to not fetch. Not owned.</param>
    public SsdpControlPoint(
        IEnumerable<IDatagramTransport> searchTransports,
        IEnumerable<IDatagramTransport> listenTransports,
        SsdpControlPointOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<SsdpControlPoint>? logger = null,
        UpnpDescriptionFetcher? fetcher = null)
    {
        ArgumentNullException.ThrowIfNull(searchTransports);
        ArgumentNullException.ThrowIfNull(listenTransports);
        _searchTransports = [.. searchTransports];
        _listenTransports = [.. listenTransports];
        if (_searchTransports.Count + _listenTransports.Count == 0 || _searchTransports.Concat(_listenTransports).Any(t => t is null))
        {
            throw new ArgumentException("At least one transport is required.", nameof(searchTransports));
        }

        Options = options ?? new SsdpControlPointOptions();
        Options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _loops = new EngineLoops(_logger);
        _fetcher = fetcher;
        _receiveNotify = Options.ReceiveNotify;
        _timer = _timeProvider.CreateTimer(static state => ((SsdpControlPoint)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var token = _stopping.Token;
        _receiveLoops = [.. _searchTransports.Concat(_listenTransports).Select(t => Task.Run(() => _loops.ReceiveLoopAsync(t, Handle, token), CancellationToken.None))];
    }

    /// <summary>A device (USN) entered the cache (brisa's new device callback).</summary>
    public event EventHandler<SsdpDeviceEventArgs>? DeviceAdded;

    /// <summary>A cached device rebooted, changed its BOOTID by an update, its CONFIGID, or got its description again.</summary>
    public event EventHandler<SsdpDeviceEventArgs>? DeviceUpdated;

    /// <summary>A device left the cache: byebye, expiry, LOCATION change, failed description, or forgotten (brisa's removed device callback).</summary>
    public event EventHandler<SsdpDeviceEventArgs>? DeviceRemoved;

    /// <summary>A LOCATION's description could not be fetched or read; its devices are dropped (brisa's discovered_device_failed).</summary>
    public event EventHandler<SsdpDeviceFailedEventArgs>? DiscoveredDeviceFailed;

    /// <summary>Every datagram received, after the control point acted on it.</summary>
    public event EventHandler<SsdpDatagramEventArgs>? DatagramReceived;

    /// <summary>Every received datagram in which the reader found violations.</summary>
    public event EventHandler<SsdpDatagramEventArgs>? ReceivedViolations;

    /// <summary>The settings.</summary>
    public SsdpControlPointOptions Options { get; }

    /// <summary>Whether NOTIFY messages are acted on (brisa's receive_notify); search responses always are.</summary>
    public bool ReceiveNotify
    {
        get => _receiveNotify;
        set => _receiveNotify = value;
    }

    /// <summary>The search transports.</summary>
    public IReadOnlyList<IDatagramTransport> SearchTransports => _searchTransports;

    /// <summary>The NOTIFY listener transports.</summary>
    public IReadOnlyList<IDatagramTransport> ListenTransports => _listenTransports;

    /// <summary>The devices in the cache (those whose description is still being fetched are not listed).</summary>
    public IReadOnlyList<SsdpDiscoveredDevice> Devices
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Values.Where(e => e.Published).Select(e => e.Device)];
            }
        }
    }

    /// <summary>Datagrams received.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagrams);

    /// <summary>Received datagrams that were not SSDP.</summary>
    public long MalformedDatagrams => Interlocked.Read(ref _malformed);

    /// <summary>NOTIFY messages ignored because <see cref="ReceiveNotify"/> was off.</summary>
    public long NotifiesIgnored => Interlocked.Read(ref _notifiesIgnored);

    /// <summary>New devices refused because the cache was full.</summary>
    public long DevicesRefused => Interlocked.Read(ref _refused);

    /// <summary>Faults of the handler or of event handlers, logged and survived.</summary>
    public long HandlerFaults => _loops.HandlerFaults;

    /// <summary>The cached device with this USN, or null.</summary>
    public SsdpDiscoveredDevice? Find(string usn)
    {
        ArgumentNullException.ThrowIfNull(usn);
        lock (_gate)
        {
            return _entries.TryGetValue(usn, out var entry) && entry.Published ? entry.Device : null;
        }
    }

    /// <summary>Removes a device from the cache (raising <see cref="DeviceRemoved"/> with <see cref="SsdpDeviceChange.Forgotten"/>).</summary>
    public bool Forget(string usn)
    {
        ArgumentNullException.ThrowIfNull(usn);
        var events = new List<Action>();
        bool removed;
        lock (_gate)
        {
            removed = RemoveLocked(usn, SsdpDeviceChange.Forgotten, null, events);
        }

        Raise(events);
        return removed;
    }

    /// <summary>
    /// Searches and returns the distinct responses (by USN and ST) heard until <see cref="SsdpSearch.EffectiveTimeout"/>
    /// after the last copy, or until <see cref="SsdpSearch.MaxResults"/>.
    /// </summary>
    public async Task<IReadOnlyList<SsdpSearchResult>> SearchAsync(SsdpSearch search, CancellationToken cancellationToken)
    {
        var results = new List<SsdpSearchResult>();
        await foreach (var result in SearchStreamAsync(search, cancellationToken).ConfigureAwait(false))
        {
            results.Add(result);
        }

        return results;
    }

    /// <summary>
    /// Searches and yields each distinct response (by USN and ST) as it arrives: the search is sent
    /// <see cref="SsdpSearch.Sends"/> times, <see cref="SsdpSearch.SendInterval"/> apart, to the multicast endpoints of each
    /// search transport's family (or to <see cref="SsdpSearch.Unicast"/>), and the stream ends
    /// <see cref="SsdpSearch.EffectiveTimeout"/> after the last copy. Every response also goes into the cache.
    /// </summary>
    public async IAsyncEnumerable<SsdpSearchResult> SearchStreamAsync(SsdpSearch search, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        search.Validate();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var active = new ActiveSearch(SsdpTarget.Parse(search.Target), search.MaxResults);
        lock (_gate)
        {
            _searches.Add(active);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var sender = SendSearchAsync(search, active, linked.Token);
        try
        {
            await foreach (var result in active.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
        finally
        {
            lock (_gate)
            {
                _searches.Remove(active);
            }

            active.Complete();
            await linked.CancelAsync().ConfigureAwait(false);
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Stops receiving and timing, and disposes the transports (the fetcher is not owned).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_receiveLoops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _loops.WhenAllTrackedAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var transport in _searchTransports.Concat(_listenTransports))
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task SendSearchAsync(SsdpSearch search, ActiveSearch active, CancellationToken cancellationToken)
    {
        try
        {
            var target = SsdpTarget.Parse(search.Target);
            for (var copy = 0; copy < search.Sends; copy++)
            {
                if (copy > 0 && search.SendInterval > TimeSpan.Zero)
                {
                    await Task.Delay(search.SendInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
                }

                foreach (var transport in _searchTransports)
                {
                    foreach (var destination in DestinationsFor(transport, search))
                    {
                        var request = (search.Unicast is null ? SsdpSearchRequest.Multicast(target, search.Mx, destination) : SsdpSearchRequest.Unicast(target, destination)) with
                        {
                            UserAgent = Options.UserAgent,
                            CpFriendlyName = Options.CpFriendlyName,
                            CpUuid = Options.CpUuid,
                        };
                        await _loops.SendAsync(transport, SsdpMessageWriter.Write(request), destination, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, active.Full);
            await Task.Delay(search.EffectiveTimeout, _timeProvider, done.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled, disposed, or enough results.
        }
        finally
        {
            active.Complete();
        }
    }

    private IReadOnlyList<IPEndPoint> DestinationsFor(IDatagramTransport transport, SsdpSearch search)
    {
        var family = transport.LocalEndPoint.AddressFamily;
        if (search.Unicast is { } unicast)
        {
            var address = family == AddressFamily.InterNetworkV6 && unicast.Address.AddressFamily == AddressFamily.InterNetwork
                ? null
                : unicast.Address.IsIPv4MappedToIPv6 && family == AddressFamily.InterNetwork ? unicast.Address.MapToIPv4() : unicast.Address;
            return address is not null && address.AddressFamily == family ? [new IPEndPoint(address, unicast.Port)] : [];
        }

        if (Options.MulticastEndPoints is { } configured)
        {
            return [.. configured.Where(e => e.AddressFamily == family)];
        }

        return SsdpMulticast.EndPointsFor(family);
    }

    private void Handle(IDatagramTransport transport, Datagram datagram)
    {
        Interlocked.Increment(ref _datagrams);
        var read = SsdpMessageReader.Read(datagram.Payload.Span, Options.ReadOptions);
        var args = new SsdpDatagramEventArgs(datagram, read.Message, read.Violations);
        var events = new List<Action>();
        try
        {
            if (read.Violations.Count > 0)
            {
                ReceivedViolations?.Invoke(this, args);
            }

            switch (read.Message)
            {
                case null:
                    Interlocked.Increment(ref _malformed);
                    SsdpLog.MalformedDatagram(_logger, datagram.Source, datagram.Payload.Length, FirstError(read.Violations));
                    break;
                case SsdpSearchResponse response:
                    OnResponse(datagram, response, read.Violations, events);
                    break;
                case SsdpNotify notify:
                    OnNotify(datagram, notify, events);
                    break;
                default:
                    // M-SEARCH: other control points' (or our own, looped back); not for us.
                    break;
            }

            Raise(events);
        }
        finally
        {
            DatagramReceived?.Invoke(this, args);
        }
    }

    private void OnResponse(Datagram datagram, SsdpSearchResponse response, IReadOnlyList<Violation> violations, List<Action> events)
    {
        if (response.StatusCode != 200 || response.Usn.Length == 0)
        {
            SsdpLog.MessageIgnored(_logger, "response", datagram.Source, response.StatusCode != 200 ? $"status {response.StatusCode}" : "no USN");
            return;
        }

        var result = new SsdpSearchResult(response, datagram.Source, datagram.ReceivedAt, violations);
        ActiveSearch[] searches;
        lock (_gate)
        {
            searches = [.. _searches];
        }

        foreach (var search in searches)
        {
            search.Offer(result);
        }

        Observe(response.Usn, response.SearchTarget, response.Location, response.Server, response.MaxAge, response.BootId, response.ConfigId, response.SearchPort, datagram.Source, response, events);
    }

    private void OnNotify(Datagram datagram, SsdpNotify notify, List<Action> events)
    {
        if (!_receiveNotify)
        {
            Interlocked.Increment(ref _notifiesIgnored);
            return;
        }

        if (notify.Usn.Length == 0)
        {
            SsdpLog.MessageIgnored(_logger, "NOTIFY", datagram.Source, "no USN");
            return;
        }

        switch (notify.Subtype)
        {
            case SsdpNotifySubtype.Alive:
                Observe(notify.Usn, notify.NotificationType, notify.Location, notify.Server, notify.MaxAge, notify.BootId, notify.ConfigId, notify.SearchPort, datagram.Source, notify, events);
                break;
            case SsdpNotifySubtype.ByeBye:
                lock (_gate)
                {
                    RemoveLocked(notify.Usn, SsdpDeviceChange.ByeBye, notify, events);
                }

                break;
            case SsdpNotifySubtype.Update:
                lock (_gate)
                {
                    if (_entries.TryGetValue(notify.Usn, out var entry) && notify.NextBootId is { } next)
                    {
                        entry.PendingNextBootId = next;
                    }
                }

                break;
            default:
                SsdpLog.MessageIgnored(_logger, "NOTIFY", datagram.Source, $"NTS '{notify.Nts}'");
                break;
        }
    }

    private void Observe(
        string usn,
        string notificationType,
        string? location,
        string? server,
        int? maxAge,
        int? bootId,
        int? configId,
        int? searchPort,
        IPEndPoint source,
        SsdpMessage message,
        List<Action> events)
    {
        var now = _timeProvider.GetUtcNow();
        var age = Math.Clamp(maxAge ?? Options.DefaultMaxAge, 1, Options.MaxMaxAge);
        var expires = now + TimeSpan.FromSeconds(age);
        var family = source.AddressFamily;
        lock (_gate)
        {
            if (location is not null && _failedLocations.TryGetValue(location, out var retryAt))
            {
                if (now < retryAt)
                {
                    return;
                }

                _failedLocations.Remove(location);
            }

            if (_entries.TryGetValue(usn, out var entry))
            {
                var existing = entry.Device;
                if (location is not null && entry.LocationFamily == family && !string.Equals(existing.Location, location, StringComparison.Ordinal))
                {
                    // A new LOCATION from the same family: the device moved or restarted without a byebye.
                    RemoveLocked(usn, SsdpDeviceChange.LocationChanged, message, events);
                    entry = null;
                }
                else
                {
                    SsdpDeviceChange? change = null;
                    if (bootId is { } boot && existing.BootId is { } oldBoot && boot != oldBoot)
                    {
                        change = entry.PendingNextBootId == boot ? SsdpDeviceChange.BootIdUpdated : SsdpDeviceChange.Rebooted;
                        entry.PendingNextBootId = null;
                    }
                    else if (configId is { } config && existing.ConfigId is { } oldConfig && config != oldConfig)
                    {
                        change = SsdpDeviceChange.ConfigurationChanged;
                    }

                    var sameFamily = entry.LocationFamily == family;
                    var updated = existing with
                    {
                        LastSeen = now,
                        ExpiresAt = expires,
                        MaxAge = age,
                        Server = server ?? existing.Server,
                        BootId = bootId ?? existing.BootId,
                        ConfigId = configId ?? existing.ConfigId,
                        SearchPort = searchPort ?? existing.SearchPort,
                        Source = sameFamily ? source : existing.Source,
                    };
                    entry.Device = updated;
                    ScheduleLocked(entry);
                    if (change is { } what && entry.Published)
                    {
                        events.Add(() => Emit(DeviceUpdated, updated, what, message));
                        if (_fetcher is not null && what is SsdpDeviceChange.Rebooted or SsdpDeviceChange.ConfigurationChanged && existing.Location is { } refetch)
                        {
                            _descriptions.Remove(refetch);
                            StartFetchLocked(refetch);
                        }
                    }
                }
            }

            if (entry is null)
            {
                if (_entries.Count >= Options.MaxDevices)
                {
                    Interlocked.Increment(ref _refused);
                    SsdpLog.CacheFull(_logger, Options.MaxDevices, usn, source);
                    return;
                }

                var device = new SsdpDiscoveredDevice
                {
                    Usn = usn,
                    NotificationType = notificationType,
                    Location = location,
                    LocationUri = SsdpDiscoveredDevice.ResolveLocation(location, source),
                    Server = server,
                    MaxAge = age,
                    BootId = bootId,
                    ConfigId = configId,
                    SearchPort = searchPort,
                    Source = source,
                    FirstSeen = now,
                    LastSeen = now,
                    ExpiresAt = expires,
                };
                entry = new Entry(device, family);
                _entries[usn] = entry;
                ScheduleLocked(entry);
                if (_fetcher is null)
                {
                    entry.Published = true;
                    events.Add(() => Emit(DeviceAdded, device, SsdpDeviceChange.Added, message));
                }
                else if (location is not null && _descriptions.TryGetValue(location, out var known))
                {
                    entry.Device = device with { Description = known };
                    entry.Published = true;
                    var withDescription = entry.Device;
                    events.Add(() => Emit(DeviceAdded, withDescription, SsdpDeviceChange.Added, message));
                }
                else
                {
                    StartFetchLocked(location ?? string.Empty);
                }
            }
        }

        RescheduleTimer();
    }

    /// <summary>Starts fetching a LOCATION's description unless it is already being fetched or too many are; true when started.</summary>
    private bool StartFetchLocked(string location)
    {
        if (_fetcher is null || _fetching.Contains(location) || _fetching.Count >= Options.MaxConcurrentFetches)
        {
            return false;
        }

        _fetching.Add(location);
        _loops.Track(FetchAsync(location, _stopping.Token));
        return true;
    }

    private async Task FetchAsync(string location, CancellationToken cancellationToken)
    {
        await Task.Yield();
        UpnpFetchResult result;
        try
        {
            Uri? uri;
            lock (_gate)
            {
                uri = _entries.Values.FirstOrDefault(e => string.Equals(e.Device.Location ?? string.Empty, location, StringComparison.Ordinal))?.Device.LocationUri;
            }

            uri ??= Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var relative) ? relative : new Uri(Uri.EscapeDataString(location), UriKind.Relative);
            result = await _fetcher!.FetchAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                _fetching.Remove(location);
            }

            return;
        }

        var events = new List<Action>();
        lock (_gate)
        {
            _fetching.Remove(location);
            var entries = _entries.Values.Where(e => string.Equals(e.Device.Location ?? string.Empty, location, StringComparison.Ordinal)).ToList();
            if (result.Success)
            {
                if (_descriptions.Count >= Options.MaxDevices)
                {
                    _descriptions.Clear();
                }

                _descriptions[location] = result.Description!;
                foreach (var entry in entries)
                {
                    entry.Device = entry.Device with { Description = result.Description };
                    var device = entry.Device;
                    var change = entry.Published ? SsdpDeviceChange.DescriptionUpdated : SsdpDeviceChange.Added;
                    var handler = entry.Published ? DeviceUpdated : DeviceAdded;
                    entry.Published = true;
                    events.Add(() => Emit(handler, device, change, null));
                }
            }
            else
            {
                SsdpLog.DescriptionFailed(_logger, location, result.Status.ToString(), result.Error);
                if (_failedLocations.Count >= Options.MaxDevices)
                {
                    _failedLocations.Clear();
                }

                _failedLocations[location] = _timeProvider.GetUtcNow() + Options.DescriptionRetryAfter;
                var dropped = new List<SsdpDiscoveredDevice>();
                foreach (var entry in entries)
                {
                    dropped.Add(entry.Device);
                    RemoveLocked(entry.Device.Usn, SsdpDeviceChange.DescriptionFailed, null, events);
                }

                events.Add(() =>
                {
                    var failed = DiscoveredDeviceFailed;
                    failed?.Invoke(this, new SsdpDeviceFailedEventArgs(location, dropped, result));
                });
            }
        }

        Raise(events);
    }

    private bool RemoveLocked(string usn, SsdpDeviceChange change, SsdpMessage? message, List<Action> events)
    {
        if (!_entries.Remove(usn, out var entry))
        {
            return false;
        }

        entry.Removed = true;
        if (entry.Published)
        {
            var device = entry.Device;
            events.Add(() => Emit(DeviceRemoved, device, change, message));
        }

        return true;
    }

    private void ScheduleLocked(Entry entry)
    {
        var expires = entry.Device.ExpiresAt;
        if (entry.QueuedDue <= expires)
        {
            // An item is already queued no later than the expiry: when it pops it is re-queued at the current expiry.
            return;
        }

        entry.QueuedDue = expires;
        _expiry.Enqueue(entry, expires);
    }

    private void RescheduleTimer()
    {
        lock (_timerGate)
        {
            DateTimeOffset head;
            lock (_gate)
            {
                head = _expiry.TryPeek(out _, out var due) ? due : DateTimeOffset.MaxValue;
            }

            if (head == _timerDue || _disposed != 0)
            {
                return;
            }

            _timerDue = head;
            if (head == DateTimeOffset.MaxValue)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            var delay = head - _timeProvider.GetUtcNow();
            _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        var events = new List<Action>();
        lock (_timerGate)
        {
            _timerDue = DateTimeOffset.MaxValue;
        }

        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            while (_expiry.TryPeek(out var entry, out var due) && due <= now)
            {
                _expiry.Dequeue();
                if (entry.Removed || entry.QueuedDue != due)
                {
                    continue;
                }

                entry.QueuedDue = DateTimeOffset.MaxValue;
                if (entry.Device.ExpiresAt <= now)
                {
                    RemoveLocked(entry.Device.Usn, SsdpDeviceChange.Expired, null, events);
                }
                else
                {
                    ScheduleLocked(entry);
                }
            }
        }

        Raise(events);
        if (_disposed == 0)
        {
            RescheduleTimer();
        }
    }

    private void Emit(EventHandler<SsdpDeviceEventArgs>? handler, SsdpDiscoveredDevice device, SsdpDeviceChange change, SsdpMessage? message)
    {
        SsdpLog.DeviceChanged(_logger, device.Usn, change.ToString(), device.Source);
        handler?.Invoke(this, new SsdpDeviceEventArgs(device, change, message));
    }

    private void Raise(List<Action> events)
    {
        foreach (var raise in events)
        {
            try
            {
                raise();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _loops.HandlerFault(null, ex);
            }
        }
    }

    private static string FirstError(IReadOnlyList<Violation> violations) =>
        violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error)?.ToString()
        ?? violations.FirstOrDefault()?.ToString()
        ?? "not an SSDP message";

    private sealed class Entry(SsdpDiscoveredDevice device, AddressFamily locationFamily)
    {
        public SsdpDiscoveredDevice Device { get; set; } = device;

        public AddressFamily LocationFamily { get; } = locationFamily;

        public bool Published { get; set; }

        public bool Removed { get; set; }

        public int? PendingNextBootId { get; set; }

        public DateTimeOffset QueuedDue { get; set; } = DateTimeOffset.MaxValue;
    }

    private sealed class ActiveSearch(SsdpTarget target, int maxResults)
    {
        private readonly Channel<SsdpSearchResult> _channel = Channel.CreateUnbounded<SsdpSearchResult>(new UnboundedChannelOptions { SingleReader = true });
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _full = new();
        private readonly Lock _gate = new();

        public ChannelReader<SsdpSearchResult> Reader => _channel.Reader;

        public CancellationToken Full => _full.Token;

        public void Offer(SsdpSearchResult result)
        {
            var response = result.Response;
            if (!Accepts(response))
            {
                return;
            }

            lock (_gate)
            {
                if (_seen.Count >= maxResults || !_seen.Add(response.Usn + "\n" + response.SearchTarget))
                {
                    return;
                }

                _channel.Writer.TryWrite(result);
                if (_seen.Count >= maxResults)
                {
                    _full.Cancel();
                }
            }
        }

        public void Complete() => _channel.Writer.TryComplete();

        private bool Accepts(SsdpSearchResponse response)
        {
            if (target.Kind == SsdpTargetKind.All || string.Equals(response.SearchTarget, target.Value, StringComparison.Ordinal))
            {
                return true;
            }

            // A device that answers with its own (higher) version, or a UUID in another case, still answers this search.
            return target.Matches(response.Target, out _);
        }
    }
}
