using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.WsDiscovery.Engine;

/// <summary>
/// The client side of WS-Discovery: multicast (or unicast) Probe and Resolve with SOAP-over-UDP repeats, answers
/// correlated by RelatesTo (answers to unknown requests ignored, WSD-PRB-016), duplicates (same MessageID from the
/// same sender) handled once, every ProbeMatch of a ProbeMatches taken as its own service (WSD-PRB-015), and a
/// cache of known services kept by Hello, Bye, ProbeMatches and ResolveMatches under the AppSequence rules
/// (stale messages ignored, WSD-MSG-013), optionally saved to a JSON file. Every receive loop survives any
/// datagram: unreadable ones are logged, counted and reported through <see cref="ReceivedViolations"/>.
/// </summary>
/// <remarks>The client owns its transports and disposes them. Events are raised on a receive loop's thread.</remarks>
public sealed class DiscoveryClient : IAsyncDisposable
{

    private readonly IReadOnlyList<IDatagramTransport> _transports;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly EngineRandom _random;
    private readonly DuplicateDetector _duplicates;
    private readonly AppSequenceTracker _sequences;
    private readonly ServiceCache _cache;
    private readonly ConcurrentDictionary<string, object> _pending = new(StringComparer.Ordinal);
    private readonly EngineLoops _loops;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _receiveLoops;
    private long _datagrams;
    private long _malformed;
    private long _duplicateCount;
    private long _unknownRelatesTo;
    private long _stale;
    private int _disposed;

    /// <summary>Creates a client on one transport (typically bound to port 3702 or an ephemeral port, joined to the group to hear Hello and Bye).</summary>
    public DiscoveryClient(IDatagramTransport transport, DiscoveryClientOptions? options = null, TimeProvider? timeProvider = null, ILogger<DiscoveryClient>? logger = null)
        : this([transport ?? throw new ArgumentNullException(nameof(transport))], options, timeProvider, logger)
    {
    }

    /// <summary>Creates a client on several transports (e.g. one per address family or interface). Starts receiving at once.</summary>
    public DiscoveryClient(IEnumerable<IDatagramTransport> transports, DiscoveryClientOptions? options = null, TimeProvider? timeProvider = null, ILogger<DiscoveryClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transports);
        _transports = [.. transports];
        if (_transports.Count == 0 || _transports.Any(t => t is null))
        {
            throw new ArgumentException("At least one transport is required.", nameof(transports));
        }

        Options = options ?? new DiscoveryClientOptions();
        Options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _loops = new EngineLoops(_logger);
        _random = new EngineRandom(Options.Seed ?? EngineRandom.FreshSeed());
        _duplicates = new DuplicateDetector(_timeProvider, Options.DuplicateLifetime ?? DuplicateDetector.DefaultLifetime(Options.Profile));
        _sequences = new AppSequenceTracker(Math.Max(Options.MaxCachedServices, 1024));
        _cache = new ServiceCache(Options.MaxCachedServices);
        var token = _stopping.Token;
        _receiveLoops = [.. _transports.Select(t => Task.Run(() => _loops.ReceiveLoopAsync(t, (_, datagram) => Handle(datagram), token), CancellationToken.None))];
    }

    /// <summary>A service announced itself (a fresh Hello that passed the options' type/scope filter).</summary>
    public event EventHandler<DiscoveryEventArgs>? ServiceHello;

    /// <summary>A service left (a fresh Bye that passed the options' type/scope filter); it was removed from the cache.</summary>
    public event EventHandler<DiscoveryEventArgs>? ServiceBye;

    /// <summary>Every datagram received, after the client acted on it (readable or not, duplicate or not).</summary>
    public event EventHandler<WsdDatagramEventArgs>? DatagramReceived;

    /// <summary>Every received datagram in which the reader found violations (for the conformance engine).</summary>
    public event EventHandler<WsdDatagramEventArgs>? ReceivedViolations;

    /// <summary>The settings.</summary>
    public DiscoveryClientOptions Options { get; }

    /// <summary>The transports the client sends and receives on.</summary>
    public IReadOnlyList<IDatagramTransport> Transports => _transports;

    /// <summary>The services known now, least recently seen first.</summary>
    public IReadOnlyList<DiscoveredService> Services => _cache.Snapshot();

    /// <summary>How many datagrams were received.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagrams);

    /// <summary>How many received datagrams could not be read as a WS-Discovery message.</summary>
    public long MalformedDatagrams => Interlocked.Read(ref _malformed);

    /// <summary>How many datagrams were dropped as duplicates (retransmissions).</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicateCount);

    /// <summary>How many answers were dropped because their RelatesTo named no request of this client.</summary>
    public long UnknownRelatesToDropped => Interlocked.Read(ref _unknownRelatesTo);

    /// <summary>How many messages were ignored as stale under the AppSequence rules.</summary>
    public long StaleDropped => Interlocked.Read(ref _stale);

    /// <summary>How many datagrams made the handler fail (logged as errors; the loop went on).</summary>
    public long HandlerFaults => _loops.HandlerFaults;

    /// <summary>
    /// Probes and collects the distinct services (by endpoint address) that answer until the timeout or
    /// <see cref="ProbeRequest.MaxResults"/>, in order of arrival.
    /// </summary>
    public async Task<IReadOnlyList<DiscoveredService>> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        var result = new List<DiscoveredService>();
        await foreach (var service in ProbeStreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            result.Add(service);
        }

        return result;
    }

    /// <summary>
    /// Probes and yields each distinct service as its ProbeMatch arrives; ends at the timeout or after
    /// <see cref="ProbeRequest.MaxResults"/> services. One Probe per family is sent (with its repeats) as soon as
    /// enumeration starts; the repeats stop when enumeration ends.
    /// </summary>
    public async IAsyncEnumerable<DiscoveredService> ProbeStreamAsync(ProbeRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var max = Math.Min(request.MaxResults ?? int.MaxValue, Options.MaxProbeResults);
        var pending = new PendingProbe(max);
        var ids = new List<string>();
        using var timeout = new CancellationTokenSource(request.Timeout ?? Options.EffectiveMatchTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _stopping.Token);
        try
        {
            foreach (var protocol in request.Protocols ?? Options.Protocols)
            {
                var id = _random.NextMessageId();
                ids.Add(id);
                _pending[id] = pending;
                var probe = new WsdProbe
                {
                    Protocol = protocol,
                    Header = new WsdHeader { Action = protocol.ProbeAction, MessageId = id, To = protocol.MulticastTo },
                    Types = request.Types,
                    Scopes = request.Scopes,
                    MatchBy = request.MatchBy,
                };
                SendRequest(WsdMessageWriter.Write(probe), request.Target, linked.Token);
            }

            var reader = pending.Reader;
            var yielded = 0;
            while (yielded < max)
            {
                var ended = false;
                try
                {
                    ended = !await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Timeout or dispose: what arrived before it still counts, even if this loop had not woken up yet.
                    ended = true;
                }

                while (yielded < max && reader.TryRead(out var service))
                {
                    yielded++;
                    yield return service;
                }

                if (ended)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var id in ids)
            {
                _pending.TryRemove(id, out _);
            }

            await linked.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Resolves an endpoint address by multicast Resolve; null when nobody answers before the timeout.</summary>
    public Task<DiscoveredService?> ResolveAsync(string endpointAddress, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ResolveAsync(endpointAddress, target: null, timeout, cancellationToken);

    /// <summary>
    /// Resolves an endpoint address: Resolve (one per family, with repeats) multicast, or unicast to
    /// <paramref name="target"/>; returns the first ResolveMatch for that address, or null at the timeout.
    /// </summary>
    public Task<DiscoveredService?> ResolveAsync(string endpointAddress, IPEndPoint? target, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ResolveCoreAsync(endpointAddress, target, timeout, Options.Protocols, cancellationToken);

    /// <summary>
    /// Resolves every cached service (multicast, in the family it was last seen in) and removes those that do not
    /// answer within the match timeout, as PyWSD's device cache does. Saves the cache file when one is set.
    /// </summary>
    /// <returns>The services removed.</returns>
    public async Task<IReadOnlyList<DiscoveredService>> RecheckCachedAsync(CancellationToken cancellationToken)
    {
        var entries = _cache.Snapshot();
        var checks = entries
            .Select(e => ResolveCoreAsync(e.EndpointAddress, null, null, [e.Protocol], cancellationToken))
            .ToArray();
        var answers = await Task.WhenAll(checks).ConfigureAwait(false);
        var removed = new List<DiscoveredService>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (answers[i] is null && _cache.Remove(entries[i].EndpointAddress) is { } gone)
            {
                removed.Add(gone);
            }
        }

        if (Options.CacheFile is not null)
        {
            await SaveCacheAsync(cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>
    /// Loads the cache file named by <see cref="DiscoveryClientOptions.CacheFile"/> into the cache (entries already
    /// known are updated). A missing file loads nothing; an unreadable one is logged and loads nothing.
    /// </summary>
    /// <returns>How many services were loaded.</returns>
    public async Task<int> LoadCacheAsync(CancellationToken cancellationToken)
    {
        var path = Options.CacheFile;
        if (path is null || !File.Exists(path))
        {
            return 0;
        }

        IReadOnlyList<DiscoveredService> services;
        try
        {
            services = await ServiceCacheFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidDataException or UnauthorizedAccessException or NotSupportedException)
        {
            WsdLog.CacheLoadFailed(_logger, path, ex);
            return 0;
        }

        foreach (var service in services.Take(Options.MaxCachedServices))
        {
            _cache.Upsert(service);
        }

        WsdLog.CacheLoaded(_logger, services.Count, path);
        return Math.Min(services.Count, Options.MaxCachedServices);
    }

    /// <summary>Writes the cache to <see cref="DiscoveryClientOptions.CacheFile"/> (atomically, via a temporary file); does nothing without one.</summary>
    public async Task SaveCacheAsync(CancellationToken cancellationToken)
    {
        if (Options.CacheFile is { } path)
        {
            await ServiceCacheFile.WriteAsync(path, _cache.Snapshot(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a service from the cache; true when it was there.</summary>
    public bool Forget(string endpointAddress)
    {
        ArgumentNullException.ThrowIfNull(endpointAddress);
        return _cache.Remove(endpointAddress) is not null;
    }

    /// <summary>Stops receiving and sending, saves the cache file when one is set, and disposes the transports.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_receiveLoops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _loops.WhenAllTrackedAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Options.CacheFile is { } path)
        {
            try
            {
                await SaveCacheAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                WsdLog.CacheSaveFailed(_logger, path, ex);
            }
        }

        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task<DiscoveredService?> ResolveCoreAsync(
        string endpointAddress,
        IPEndPoint? target,
        TimeSpan? timeout,
        IReadOnlyList<WsdProtocol> protocols,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpointAddress);
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var pending = new PendingResolve(endpointAddress);
        var ids = new List<string>();
        using var sends = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            foreach (var protocol in protocols)
            {
                var id = _random.NextMessageId();
                ids.Add(id);
                _pending[id] = pending;
                var resolve = new WsdResolve
                {
                    Protocol = protocol,
                    Header = new WsdHeader { Action = protocol.ResolveAction, MessageId = id, To = protocol.MulticastTo },
                    Endpoint = new WsdEndpointReference(endpointAddress),
                };
                SendRequest(WsdMessageWriter.Write(resolve), target, sends.Token);
            }

            try
            {
                return await pending.Task
                    .WaitAsync(timeout ?? Options.EffectiveMatchTimeout, _timeProvider, sends.Token)
                    .ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // An answer that arrived before the timer fired wins, even if its continuation had not run yet.
                return pending.Task.IsCompletedSuccessfully ? await pending.Task.ConfigureAwait(false) : null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return pending.Task.IsCompletedSuccessfully ? await pending.Task.ConfigureAwait(false) : null;
            }
        }
        finally
        {
            foreach (var id in ids)
            {
                _pending.TryRemove(id, out _);
            }

            await sends.CancelAsync().ConfigureAwait(false);
        }
    }

    private void SendRequest(byte[] payload, IPEndPoint? target, CancellationToken cancellationToken)
    {
        var sent = false;
        foreach (var transport in _transports)
        {
            var family = transport.LocalEndPoint.AddressFamily;
            IPEndPoint destination;
            if (target is not null)
            {
                if (target.AddressFamily != family || sent)
                {
                    continue;
                }

                destination = target;
            }
            else
            {
                destination = Options.MulticastEndPoint ?? WsdMulticast.For(family);
                if (destination.AddressFamily != family)
                {
                    continue;
                }
            }

            sent = true;
            var schedule = _random.NextSchedule(Options.Profile, destination.Address.IsMulticast());
            _loops.Track(SoapOverUdpSender.SendAsync(transport, payload, destination, schedule, _timeProvider, _logger, cancellationToken));
        }

        if (!sent)
        {
            throw new InvalidOperationException(target is null
                ? "No transport of the multicast endpoint's address family."
                : $"No transport of the address family of {target}.");
        }
    }

    private void Handle(Datagram datagram)
    {
        Interlocked.Increment(ref _datagrams);
        var read = WsdMessageReader.Read(datagram.Payload.Span, Options.ReadOptions);
        var args = new WsdDatagramEventArgs(datagram, read.Message, read.Violations);
        try
        {
            if (read.Violations.Count > 0)
            {
                ReceivedViolations?.Invoke(this, args);
            }

            if (read.Message is not { } message)
            {
                Interlocked.Increment(ref _malformed);
                WsdLog.MalformedDatagram(_logger, datagram.Source, datagram.Payload.Length, FirstError(read.Violations));
                return;
            }

            if (message is not (WsdProbeMatches or WsdResolveMatches or WsdHello or WsdBye))
            {
                // Probes and Resolves (other clients', or this client's own looped back), faults: nothing to act on;
                // DatagramReceived still shows them.
                return;
            }

            if (message.Header.MessageId is { } messageId
                && _duplicates.IsDuplicate(messageId + "|" + datagram.Source.Address))
            {
                Interlocked.Increment(ref _duplicateCount);
                WsdLog.Duplicate(_logger, messageId, datagram.Source);
                return;
            }

            switch (message)
            {
                case WsdProbeMatches matches:
                    OnProbeMatches(datagram, matches, read.Violations);
                    break;
                case WsdResolveMatches resolveMatches:
                    OnResolveMatches(datagram, resolveMatches, read.Violations);
                    break;
                case WsdHello hello:
                    OnHello(datagram, hello, read.Violations);
                    break;
                case WsdBye bye:
                    OnBye(datagram, bye, read.Violations);
                    break;
            }
        }
        finally
        {
            DatagramReceived?.Invoke(this, args);
        }
    }

    private void OnProbeMatches(Datagram datagram, WsdProbeMatches message, IReadOnlyList<Violation> violations)
    {
        var relatesTo = message.Header.RelatesTo;
        if (relatesTo is null || !_pending.TryGetValue(relatesTo, out var entry) || entry is not PendingProbe probe)
        {
            Interlocked.Increment(ref _unknownRelatesTo);
            WsdLog.UnknownRelatesTo(_logger, "ProbeMatches", relatesTo ?? "(none)", datagram.Source);
            return;
        }

        foreach (var match in message.Matches)
        {
            if (Accept(datagram, message, match, violations, "ProbeMatch") is { } service)
            {
                probe.Offer(service);
            }
        }
    }

    private void OnResolveMatches(Datagram datagram, WsdResolveMatches message, IReadOnlyList<Violation> violations)
    {
        var relatesTo = message.Header.RelatesTo;
        if (relatesTo is null || !_pending.TryGetValue(relatesTo, out var entry) || entry is not PendingResolve resolve)
        {
            Interlocked.Increment(ref _unknownRelatesTo);
            WsdLog.UnknownRelatesTo(_logger, "ResolveMatches", relatesTo ?? "(none)", datagram.Source);
            return;
        }

        if (message.Match is not { } match
            || !SameAddress(match.Endpoint.Address, resolve.EndpointAddress))
        {
            WsdLog.MessageIgnored(_logger, "ResolveMatches", datagram.Source, "it does not name the endpoint resolved");
            return;
        }

        if (Accept(datagram, message, match, violations, "ResolveMatch") is { } service)
        {
            resolve.Complete(service);
        }
    }

    private void OnHello(Datagram datagram, WsdHello message, IReadOnlyList<Violation> violations)
    {
        var data = message.Endpoint;
        if (string.IsNullOrEmpty(data.Endpoint.Address))
        {
            WsdLog.MessageIgnored(_logger, "Hello", datagram.Source, "no endpoint address");
            return;
        }

        var verdict = _sequences.Observe(data.Endpoint.Address, message.Header.AppSequence, data.MetadataVersion, message.Header.MessageId);
        if (verdict == AppSequenceVerdict.Stale)
        {
            Interlocked.Increment(ref _stale);
            WsdLog.Stale(_logger, "Hello", data.Endpoint.Address, datagram.Source);
            return;
        }

        if (verdict == AppSequenceVerdict.Repeat)
        {
            return;
        }

        var stored = _cache.Upsert(ToService(datagram, message, data, violations));
        if (PassesEventFilter(message.Protocol, stored.ToEndpointData()))
        {
            ServiceHello?.Invoke(this, new DiscoveryEventArgs(stored, message));
        }
    }

    private void OnBye(Datagram datagram, WsdBye message, IReadOnlyList<Violation> violations)
    {
        var data = message.Endpoint;
        if (string.IsNullOrEmpty(data.Endpoint.Address))
        {
            WsdLog.MessageIgnored(_logger, "Bye", datagram.Source, "no endpoint address");
            return;
        }

        var verdict = _sequences.Observe(data.Endpoint.Address, message.Header.AppSequence, data.MetadataVersion, message.Header.MessageId);
        if (verdict == AppSequenceVerdict.Stale)
        {
            Interlocked.Increment(ref _stale);
            WsdLog.Stale(_logger, "Bye", data.Endpoint.Address, datagram.Source);
            return;
        }

        if (verdict == AppSequenceVerdict.Repeat)
        {
            return;
        }

        var removed = _cache.Remove(data.Endpoint.Address);
        var service = removed ?? ToService(datagram, message, data, violations);
        if (PassesEventFilter(message.Protocol, service.ToEndpointData()))
        {
            ServiceBye?.Invoke(this, new DiscoveryEventArgs(service, message));
        }
    }

    /// <summary>Applies the AppSequence rules to one match and updates the cache; returns the service to report, or null.</summary>
    private DiscoveredService? Accept(Datagram datagram, WsdMessage message, WsdEndpointData match, IReadOnlyList<Violation> violations, string kind)
    {
        var address = match.Endpoint.Address;
        if (string.IsNullOrEmpty(address))
        {
            WsdLog.MessageIgnored(_logger, kind, datagram.Source, "no endpoint address");
            return null;
        }

        var incoming = ToService(datagram, message, match, violations);
        var verdict = _sequences.Observe(address, message.Header.AppSequence, match.MetadataVersion, message.Header.MessageId);
        if (verdict == AppSequenceVerdict.Stale)
        {
            // A stale answer still answers the request, but it must not overwrite newer knowledge in the cache.
            Interlocked.Increment(ref _stale);
            WsdLog.Stale(_logger, kind, address, datagram.Source);
            return incoming;
        }

        return _cache.Upsert(incoming);
    }

    private DiscoveredService ToService(Datagram datagram, WsdMessage message, WsdEndpointData data, IReadOnlyList<Violation> violations)
    {
        var now = _timeProvider.GetUtcNow();
        return new DiscoveredService(
            data.Endpoint.Address,
            data.Types,
            data.Scopes,
            data.XAddrs,
            data.MetadataVersion,
            datagram.Source,
            message.Protocol,
            violations,
            now)
        {
            AppSequence = message.Header.AppSequence,
        };
    }

    private bool PassesEventFilter(WsdProtocol protocol, WsdEndpointData data)
    {
        if (Options.EventTypes.Count == 0 && Options.EventScopes.Count == 0)
        {
            return true;
        }

        var filter = new WsdProbe
        {
            Protocol = protocol,
            Header = new WsdHeader { Action = protocol.ProbeAction },
            Types = Options.EventTypes,
            Scopes = Options.EventScopes,
        };
        return WsdMatcher.Matches(filter, data) == WsdMatchOutcome.Match;
    }

    private static bool SameAddress(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal)
        || (a.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase)
            && b.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase)
            && string.Equals(a, b, StringComparison.OrdinalIgnoreCase));

    private static string FirstError(IReadOnlyList<Violation> violations) =>
        violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error)?.ToString()
        ?? violations.FirstOrDefault()?.ToString()
        ?? "not a WS-Discovery message";

    /// <summary>One running Probe: the distinct services seen so far, handed to the enumerator through a channel.</summary>
    private sealed class PendingProbe(int max)
    {
        private readonly Lock _gate = new();
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly Channel<DiscoveredService> _channel = Channel.CreateUnbounded<DiscoveredService>(
            new UnboundedChannelOptions { SingleReader = true });

        public ChannelReader<DiscoveredService> Reader => _channel.Reader;

        public void Offer(DiscoveredService service)
        {
            lock (_gate)
            {
                if (_seen.Count >= max || !_seen.Add(service.EndpointAddress))
                {
                    return;
                }
            }

            _channel.Writer.TryWrite(service);
        }
    }

    /// <summary>One running Resolve: completes with the first matching ResolveMatch.</summary>
    private sealed class PendingResolve(string endpointAddress)
    {
        private readonly TaskCompletionSource<DiscoveredService?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string EndpointAddress { get; } = endpointAddress;

        public Task<DiscoveredService?> Task => _completion.Task;

        public void Complete(DiscoveredService service) => _completion.TrySetResult(service);
    }
}
