using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.Ssdp.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Ssdp.Engine;

/// <summary>
/// The device side of SSDP for any number of root devices in one process (UDA 1.1 §1.2, §1.3): the 3 + 2d + k
/// announcement set after a random initial delay, sent <see cref="SsdpAdvertiserOptions.AnnounceCount"/> times and
/// again before max-age/2; a byebye for every alive on withdraw and stop; ssdp:update with NEXTBOOTID; and answers to
/// M-SEARCH for every ST form with the version rule, unicast to the searcher's address and port from the transport
/// the search arrived on, after a random delay within MX (clamped to 5) for multicast and at once for unicast.
/// </summary>
/// <remarks>
/// <para>Silence (as the checklist asks of a correct device): a request line other than <c>M-SEARCH * HTTP/1.1</c>,
/// MAN other than <c>"ssdp:discover"</c>, a multicast search without a valid MX, an empty ST, an ST nobody matches.</para>
/// <para>Quirk hooks for simulated devices: <see cref="SsdpAdvertiserOptions.Rewrite"/> changes or drops messages as
/// records, <see cref="SsdpAdvertiserOptions.WriteOptions"/> changes their layout, and the transports may be
/// decorators that rewrite, duplicate, delay or drop the bytes (and filter what the engine hears).</para>
/// <para>NOTIFY goes out of every transport that joined a multicast group (of every transport when none did), to the
/// family's endpoints. The advertiser owns its transports and disposes them.</para>
/// </remarks>
public sealed class SsdpAdvertiser : IAsyncDisposable
{
    private readonly IReadOnlyList<IDatagramTransport> _transports;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly EngineRandom _random;
    private readonly EngineLoops _loops;
    private readonly ConcurrentDictionary<string, Published> _devices = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _receiveLoops;
    private readonly int _initialBootId;
    private long _datagrams;
    private long _malformed;
    private long _searchesAnswered;
    private long _responsesSent;
    private long _notifiesSent;
    private long _searchesIgnored;
    private int _pendingReplies;
    private int _stopped;
    private int _disposed;

    /// <summary>Creates an advertiser on one transport.</summary>
    public SsdpAdvertiser(IDatagramTransport transport, SsdpAdvertiserOptions? options = null, TimeProvider? timeProvider = null, ILogger<SsdpAdvertiser>? logger = null)
        : this([transport ?? throw new ArgumentNullException(nameof(transport))], options, timeProvider, logger)
    {
    }

    /// <summary>Creates an advertiser on several transports (per family, per interface, a SEARCHPORT transport) and starts receiving.</summary>
    public SsdpAdvertiser(IEnumerable<IDatagramTransport> transports, SsdpAdvertiserOptions? options = null, TimeProvider? timeProvider = null, ILogger<SsdpAdvertiser>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transports);
        _transports = [.. transports];
        if (_transports.Count == 0 || _transports.Any(t => t is null))
        {
            throw new ArgumentException("At least one transport is required.", nameof(transports));
        }

        Options = options ?? new SsdpAdvertiserOptions();
        Options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _loops = new EngineLoops(_logger);
        _random = new EngineRandom(Options.Seed ?? EngineRandom.FreshSeed());
        _initialBootId = Options.BootId ?? (int)(Math.Max(1, _timeProvider.GetUtcNow().ToUnixTimeSeconds()) & int.MaxValue);
        var token = _stopping.Token;
        _receiveLoops = [.. _transports.Select(t => Task.Run(() => _loops.ReceiveLoopAsync(t, Handle, token), CancellationToken.None))];
    }

    /// <summary>Every datagram received, after the advertiser acted on it (an answer may still be waiting for its delay).</summary>
    public event EventHandler<SsdpDatagramEventArgs>? DatagramReceived;

    /// <summary>The settings.</summary>
    public SsdpAdvertiserOptions Options { get; }

    /// <summary>The transports.</summary>
    public IReadOnlyList<IDatagramTransport> Transports => _transports;

    /// <summary>The devices published now.</summary>
    public IReadOnlyList<SsdpPublishedDevice> Devices => [.. _devices.Values.Select(p => p.Device)];

    /// <summary>Datagrams received.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagrams);

    /// <summary>Received datagrams that were not SSDP.</summary>
    public long MalformedDatagrams => Interlocked.Read(ref _malformed);

    /// <summary>Searches answered with at least one response.</summary>
    public long SearchesAnswered => Interlocked.Read(ref _searchesAnswered);

    /// <summary>Searches dropped as invalid (request line, MAN, MX, ST) or over the pending limit.</summary>
    public long SearchesIgnored => Interlocked.Read(ref _searchesIgnored);

    /// <summary>Search responses sent.</summary>
    public long ResponsesSent => Interlocked.Read(ref _responsesSent);

    /// <summary>NOTIFY messages sent.</summary>
    public long NotifiesSent => Interlocked.Read(ref _notifiesSent);

    /// <summary>Datagrams that made the handler (or an event handler) fail; logged, the loop went on.</summary>
    public long HandlerFaults => _loops.HandlerFaults;

    /// <summary>The BOOTID.UPNP.ORG a published device announces now, or null when it is not published.</summary>
    public int? BootIdOf(string udn) => _devices.TryGetValue(udn, out var published) ? published.BootId : null;

    /// <summary>
    /// Publishes a root device: from now on it answers searches, and its announcement set goes out after a random
    /// delay in [0, <see cref="SsdpAdvertiserOptions.InitialDelay"/>] (preceded by a byebye set when
    /// <see cref="SsdpAdvertiserOptions.ByeByeOnStart"/>), then again before each max-age/2.
    /// </summary>
    /// <exception cref="InvalidOperationException">A device with that UDN is already published.</exception>
    public async Task PublishAsync(SsdpPublishedDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.Validate();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var published = new Published(device, SsdpAnnouncements.For(device.Device), _initialBootId);
        if (!_devices.TryAdd(device.Udn, published))
        {
            throw new InvalidOperationException($"{device.Udn} is already published; use UpdateAsync.");
        }

        if (Options.ByeByeOnStart)
        {
            await SendSetAsync(published, SsdpNotifySubtype.ByeBye, nextBootId: null, cancellationToken).ConfigureAwait(false);
        }

        StartLoop(published, _random.NextDelay(TimeSpan.Zero, Options.InitialDelay));
    }

    /// <summary>Withdraws a device: it stops answering, and a byebye goes out for every pair of its set.</summary>
    /// <returns>False when it was not published.</returns>
    public async Task<bool> WithdrawAsync(string udn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(udn);
        if (!_devices.TryRemove(udn, out var published))
        {
            return false;
        }

        await published.StopLoopAsync().ConfigureAwait(false);
        await SendSetAsync(published, SsdpNotifySubtype.ByeBye, nextBootId: null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Changes a published device (e.g. its LOCATION after an address change, UDA 1.1 §1.2.4): an ssdp:update goes out for
    /// every pair with the old BOOTID and NEXTBOOTID = old + 1, then the new alive set with the new BOOTID.
    /// </summary>
    /// <returns>The new BOOTID.</returns>
    public async Task<int> UpdateAsync(SsdpPublishedDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.Validate();
        if (!_devices.TryGetValue(device.Udn, out var old))
        {
            throw new InvalidOperationException($"{device.Udn} is not published.");
        }

        await old.StopLoopAsync().ConfigureAwait(false);
        var next = NextBootId(old.BootId);
        var updated = new Published(device, SsdpAnnouncements.For(device.Device), old.BootId);
        _devices[device.Udn] = updated;
        await SendSetAsync(updated, SsdpNotifySubtype.Update, next, cancellationToken).ConfigureAwait(false);
        updated.BootId = next;
        StartLoop(updated, TimeSpan.Zero);
        return next;
    }

    /// <summary>
    /// Behaves as a device that rebooted without telling anyone: the next alive set carries BOOTID + 1 and no
    /// ssdp:update precedes it (a control point treats this as a reboot, SSDP-UPDATE-002).
    /// </summary>
    /// <returns>The new BOOTID.</returns>
    public async Task<int> RestartAsync(string udn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(udn);
        if (!_devices.TryGetValue(udn, out var published))
        {
            throw new InvalidOperationException($"{udn} is not published.");
        }

        await published.StopLoopAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        published.BootId = NextBootId(published.BootId);
        StartLoop(published, _random.NextDelay(TimeSpan.Zero, Options.InitialDelay));
        return published.BootId;
    }

    /// <summary>Withdraws every device with its byebye set and waits until they are sent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _stopped, 1);
        var withdrawals = _devices.Keys.ToArray().Select(udn => WithdrawAsync(udn, cancellationToken));
        await Task.WhenAll(withdrawals).ConfigureAwait(false);
    }

    /// <summary>Sends the byebye sets (unless <see cref="StopAsync"/> did), stops receiving and announcing, and disposes the transports.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_stopped == 0)
        {
            try
            {
                await StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Best effort on dispose.
            }
        }

        foreach (var published in _devices.Values)
        {
            await published.StopLoopAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_receiveLoops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _loops.WhenAllTrackedAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// The responses a device set gives to a search target, in announcement order (pure; used by the engine and by tests).
    /// <c>ssdp:all</c> gives one per pair with the pair's NT as ST; other targets give one per matching device with
    /// the searched ST echoed (version rule) and the matching USN.
    /// </summary>
    public static IReadOnlyList<(string SearchTarget, string Usn)> Match(SsdpTarget searchTarget, IReadOnlyList<SsdpAnnouncement> announcements)
    {
        ArgumentNullException.ThrowIfNull(announcements);
        var answers = new List<(string, string)>();
        foreach (var pair in announcements)
        {
            if (!searchTarget.Matches(pair.NotificationType, out var responseTarget))
            {
                continue;
            }

            var usn = searchTarget.Kind is SsdpTargetKind.All or SsdpTargetKind.Uuid or SsdpTargetKind.RootDevice
                ? pair.Usn
                : pair.Udn + "::" + responseTarget;
            answers.Add((responseTarget, usn));
        }

        return answers;
    }

    private static int NextBootId(int bootId) => bootId == int.MaxValue ? 1 : bootId + 1;

    private static string ExpandLocation(string template, IPAddress? address)
    {
        if (!template.Contains(SsdpPublishedDevice.AddressPlaceholder, StringComparison.Ordinal))
        {
            return template;
        }

        var text = address is null ? "127.0.0.1"
            : address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + new IPAddress(address.GetAddressBytes()) + "]"
            : address.ToString();
        return template.Replace(SsdpPublishedDevice.AddressPlaceholder, text, StringComparison.Ordinal);
    }

    private static IPAddress? LocalAddressFor(IDatagramTransport transport, IPAddress destination)
    {
        var bound = transport.LocalEndPoint.Address;
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            return bound;
        }

        return (transport as ILocalAddressSelector)?.SelectLocalAddress(destination);
    }

    private IEnumerable<IDatagramTransport> NotifyTransports()
    {
        var joined = _transports.Where(t => t.JoinedGroups.Count > 0).ToList();
        return joined.Count > 0 ? joined : _transports;
    }

    private IReadOnlyList<IPEndPoint> MulticastFor(IDatagramTransport transport)
    {
        var family = transport.LocalEndPoint.AddressFamily;
        if (Options.MulticastEndPoints is { } configured)
        {
            return [.. configured.Where(e => e.AddressFamily == family)];
        }

        return family == AddressFamily.InterNetworkV6 ? [SsdpMulticast.IPv6LinkLocalEndPoint] : [SsdpMulticast.IPv4EndPoint];
    }

    private void StartLoop(Published published, TimeSpan initialDelay)
    {
        var loop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var task = AnnounceLoopAsync(published, initialDelay, loop.Token);
        published.SetLoop(loop, task);
        _loops.Track(task);
    }

    private async Task AnnounceLoopAsync(Published published, TimeSpan initialDelay, CancellationToken cancellationToken)
    {
        try
        {
            if (initialDelay > TimeSpan.Zero)
            {
                await Task.Delay(initialDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                for (var copy = 0; copy < Options.AnnounceCount; copy++)
                {
                    if (copy > 0 && Options.AnnounceInterval > TimeSpan.Zero)
                    {
                        await Task.Delay(Options.AnnounceInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
                    }

                    await SendSetAsync(published, SsdpNotifySubtype.Alive, nextBootId: null, cancellationToken).ConfigureAwait(false);
                }

                var maxAge = TimeSpan.FromSeconds(published.Device.MaxAge);
                var wait = Options.ReadvertiseInterval ?? _random.NextDelay(maxAge / 4, maxAge * 0.45);
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Withdrawn, updated, restarted or stopped.
        }
    }

    private async Task SendSetAsync(Published published, SsdpNotifySubtype subtype, int? nextBootId, CancellationToken cancellationToken)
    {
        var device = published.Device;
        var nts = subtype switch
        {
            SsdpNotifySubtype.ByeBye => SsdpNotify.ByeByeNts,
            SsdpNotifySubtype.Update => SsdpNotify.UpdateNts,
            _ => SsdpNotify.AliveNts,
        };
        foreach (var transport in NotifyTransports())
        {
            foreach (var destination in MulticastFor(transport))
            {
                var location = ExpandLocation(device.Location, LocalAddressFor(transport, destination.Address));
                var host = SsdpMessage.HostFor(destination);
                var sent = 0;
                foreach (var pair in published.Announcements)
                {
                    var notify = new SsdpNotify
                    {
                        Host = host,
                        NotificationType = pair.NotificationType.Value,
                        Nts = nts,
                        Usn = pair.Usn,
                        Location = subtype == SsdpNotifySubtype.ByeBye ? null : location,
                        MaxAge = subtype == SsdpNotifySubtype.Alive ? device.MaxAge : null,
                        Server = subtype == SsdpNotifySubtype.Alive ? device.Server ?? Options.Server : null,
                        BootId = device.SendBootId ? published.BootId : null,
                        ConfigId = device.ConfigId,
                        NextBootId = nextBootId,
                        SearchPort = subtype == SsdpNotifySubtype.ByeBye ? null : Options.SearchPort,
                        ExtraHeaders = device.ExtraHeaders,
                    };
                    if (await SendAsync(transport, notify, destination, cancellationToken).ConfigureAwait(false))
                    {
                        sent++;
                        Interlocked.Increment(ref _notifiesSent);
                    }
                }

                SsdpLog.Announced(_logger, sent, nts, device.Udn, destination);
            }
        }
    }

    private async Task<bool> SendAsync(IDatagramTransport transport, SsdpMessage message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (Options.Rewrite is { } rewrite)
        {
            if (rewrite(message) is not { } rewritten)
            {
                return false;
            }

            message = rewritten;
        }

        var bytes = SsdpMessageWriter.Write(message, Options.WriteOptions);
        return await _loops.SendAsync(transport, bytes, destination, cancellationToken).ConfigureAwait(false);
    }

    private void Handle(IDatagramTransport transport, Datagram datagram)
    {
        Interlocked.Increment(ref _datagrams);
        var read = SsdpMessageReader.Read(datagram.Payload.Span, Options.ReadOptions);
        try
        {
            if (read.Message is null)
            {
                Interlocked.Increment(ref _malformed);
                SsdpLog.MalformedDatagram(_logger, datagram.Source, datagram.Payload.Length, FirstError(read.Violations));
                return;
            }

            if (read.Message is SsdpSearchRequest search)
            {
                OnSearch(transport, datagram, search);
            }
        }
        finally
        {
            DatagramReceived?.Invoke(this, new SsdpDatagramEventArgs(datagram, read.Message, read.Violations));
        }
    }

    private void OnSearch(IDatagramTransport transport, Datagram datagram, SsdpSearchRequest search)
    {
        string? refusal = null;
        if (!search.HasValidRequestLine)
        {
            refusal = "the request line is not 'M-SEARCH * HTTP/1.1'";
        }
        else if (!search.IsDiscover)
        {
            refusal = "MAN is not \"ssdp:discover\"";
        }
        else if (search.Target.Kind == SsdpTargetKind.Empty)
        {
            refusal = "ST is empty";
        }
        else if (datagram.IsMulticast && search.Mx is not (>= 1))
        {
            refusal = "a multicast search needs an MX of at least 1";
        }

        if (refusal is not null)
        {
            Interlocked.Increment(ref _searchesIgnored);
            SsdpLog.MessageIgnored(_logger, "M-SEARCH", datagram.Source, refusal);
            return;
        }

        var target = search.Target;
        var answers = new List<(Published Device, string SearchTarget, string Usn)>();
        foreach (var published in _devices.Values)
        {
            foreach (var (searchTarget, usn) in Match(target, published.Announcements))
            {
                answers.Add((published, searchTarget, usn));
            }
        }

        if (answers.Count == 0)
        {
            return;
        }

        if (Interlocked.Increment(ref _pendingReplies) > Options.MaxPendingReplies)
        {
            Interlocked.Decrement(ref _pendingReplies);
            Interlocked.Increment(ref _searchesIgnored);
            SsdpLog.TooManyPendingReplies(_logger, Options.MaxPendingReplies, datagram.Source);
            return;
        }

        var window = datagram.IsMulticast ? TimeSpan.FromSeconds(Math.Min(search.Mx!.Value, Options.MaxMx)) : TimeSpan.Zero;
        var delays = window > TimeSpan.Zero ? _random.NextSortedDelays(answers.Count, window) : new TimeSpan[answers.Count];
        Interlocked.Increment(ref _searchesAnswered);
        SsdpLog.Answering(_logger, search.SearchTarget, datagram.Source, answers.Count, window);
        _loops.Track(AnswerAsync(transport, datagram.Source, answers, delays, _stopping.Token));
    }

    private async Task AnswerAsync(
        IDatagramTransport transport,
        IPEndPoint destination,
        List<(Published Device, string SearchTarget, string Usn)> answers,
        TimeSpan[] delays,
        CancellationToken cancellationToken)
    {
        try
        {
            var local = LocalAddressFor(transport, destination.Address);
            var start = _timeProvider.GetTimestamp();
            for (var i = 0; i < answers.Count; i++)
            {
                // Due times are measured from the search, so a late wake-up does not push the later answers back.
                var remaining = delays[i] - _timeProvider.GetElapsedTime(start);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, _timeProvider, cancellationToken).ConfigureAwait(false);
                }

                var (published, searchTarget, usn) = answers[i];
                var device = published.Device;
                var response = new SsdpSearchResponse
                {
                    MaxAge = device.MaxAge,
                    Date = _timeProvider.GetUtcNow(),
                    Ext = true,
                    Location = ExpandLocation(device.Location, local),
                    Server = device.Server ?? Options.Server,
                    SearchTarget = searchTarget,
                    Usn = usn,
                    BootId = device.SendBootId ? published.BootId : null,
                    ConfigId = device.ConfigId,
                    SearchPort = Options.SearchPort,
                    ExtraHeaders = device.ExtraHeaders,
                };
                if (await SendAsync(transport, response, destination, cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _responsesSent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            Interlocked.Decrement(ref _pendingReplies);
        }
    }

    private static string FirstError(IReadOnlyList<Violation> violations) =>
        violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error)?.ToString()
        ?? violations.FirstOrDefault()?.ToString()
        ?? "not an SSDP message";

    private sealed class Published(SsdpPublishedDevice device, IReadOnlyList<SsdpAnnouncement> announcements, int bootId)
    {
        private readonly Lock _gate = new();
        private CancellationTokenSource? _loop;
        private Task _loopTask = Task.CompletedTask;

        public SsdpPublishedDevice Device { get; } = device;

        public IReadOnlyList<SsdpAnnouncement> Announcements { get; } = announcements;

        public int BootId
        {
            get => Volatile.Read(ref field);
            set => Volatile.Write(ref field, value);
        } = bootId;

        public void SetLoop(CancellationTokenSource loop, Task task)
        {
            lock (_gate)
            {
                _loop = loop;
                _loopTask = task;
            }
        }

        public async Task StopLoopAsync()
        {
            CancellationTokenSource? loop;
            Task task;
            lock (_gate)
            {
                loop = _loop;
                task = _loopTask;
                _loop = null;
                _loopTask = Task.CompletedTask;
            }

            if (loop is not null)
            {
                await loop.CancelAsync().ConfigureAwait(false);
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                loop.Dispose();
            }
        }
    }
}
