using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.WsDiscovery.Engine;

/// <summary>
/// The target-service side of WS-Discovery for any number of services in one process: Hello (after a random
/// 0..APP_MAX_DELAY) on publish, update and local address change; Bye on withdraw and dispose; answers to Probe
/// (one ProbeMatch per matching service, packed into as few ProbeMatches datagrams as fit the envelope limit) and
/// to Resolve for its own endpoints, unicast to the requester's address and port, in the request's family.
/// </summary>
/// <remarks>
/// <para>Multicast requests are answered after a random delay in [0, APP_MAX_DELAY]; unicast ones at once. Every
/// message goes out with the profile's repeats (identical bytes). Each message carries a fresh
/// <c>urn:uuid:</c> MessageID from the seeded generator and an AppSequence: InstanceId (clock seconds at start or
/// <see cref="PublisherOptions.InstanceId"/>) and a MessageNumber incremented per message (repeats keep it).</para>
/// <para>Silence: non-matching Probes, Probes with an unsupported MatchBy sent multicast, Resolves for other
/// endpoints, requests in a family that is not enabled, repeats of a request already handled (same MessageID from
/// the same sender). A unicast Probe with an unsupported MatchBy gets a MatchingRuleNotSupported fault when
/// <see cref="PublisherOptions.AnswerUnicastProbesWithFault"/> is set.</para>
/// <para>The publisher owns its transports (typically one per address family, bound to port 3702 with address reuse
/// and joined to the group) and disposes them. <see cref="DisposeAsync"/> sends the first copy of each Bye only;
/// <see cref="StopAsync"/> sends every Bye with all its repeats first.</para>
/// </remarks>
public sealed class Publisher : IAsyncDisposable
{

    private readonly IReadOnlyList<IDatagramTransport> _transports;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ILocalAddressProvider _addresses;
    private readonly bool _ownsAddressProvider;
    private readonly EngineRandom _random;
    private readonly DuplicateDetector _duplicates;
    private readonly ConcurrentDictionary<string, PublishedService> _services = new(StringComparer.Ordinal);
    private readonly EngineLoops _loops;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _receiveLoops;
    private long _messageNumber;
    private long _datagrams;
    private long _malformed;
    private long _duplicateCount;
    private long _answered;
    private int _pendingReplies;
    private int _disposed;

    /// <summary>Creates a publisher on one transport.</summary>
    public Publisher(
        IDatagramTransport transport,
        PublisherOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<Publisher>? logger = null,
        ILocalAddressProvider? addressProvider = null)
        : this([transport ?? throw new ArgumentNullException(nameof(transport))], options, timeProvider, logger, addressProvider)
    {
    }

    /// <summary>
    /// Creates a publisher on several transports (one per address family or interface) and starts receiving.
    /// Without <paramref name="addressProvider"/> a <see cref="NetworkInterfaceAddressProvider"/> is used.
    /// </summary>
    public Publisher(
        IEnumerable<IDatagramTransport> transports,
        PublisherOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<Publisher>? logger = null,
        ILocalAddressProvider? addressProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transports);
        _transports = [.. transports];
        if (_transports.Count == 0 || _transports.Any(t => t is null))
        {
            throw new ArgumentException("At least one transport is required.", nameof(transports));
        }

        Options = options ?? new PublisherOptions();
        Options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _loops = new EngineLoops(_logger);
        _ownsAddressProvider = addressProvider is null;
        _addresses = addressProvider ?? new NetworkInterfaceAddressProvider();
        _random = new EngineRandom(Options.Seed ?? EngineRandom.FreshSeed());
        _duplicates = new DuplicateDetector(_timeProvider, Options.DuplicateLifetime ?? DuplicateDetector.DefaultLifetime(Options.Profile));
        InstanceId = Options.InstanceId ?? (ulong)Math.Max(0, _timeProvider.GetUtcNow().ToUnixTimeSeconds());
        _addresses.AddressesChanged += OnAddressesChanged;
        var token = _stopping.Token;
        _receiveLoops = [.. _transports.Select(t => Task.Run(() => _loops.ReceiveLoopAsync(t, Handle, token), CancellationToken.None))];
    }

    /// <summary>Every datagram received, after the publisher acted on it (an answer may still be waiting for its delay).</summary>
    public event EventHandler<WsdDatagramEventArgs>? DatagramReceived;

    /// <summary>Every received datagram in which the reader found violations.</summary>
    public event EventHandler<WsdDatagramEventArgs>? ReceivedViolations;

    /// <summary>The settings.</summary>
    public PublisherOptions Options { get; }

    /// <summary>The AppSequence InstanceId of this run.</summary>
    public ulong InstanceId { get; }

    /// <summary>The transports.</summary>
    public IReadOnlyList<IDatagramTransport> Transports => _transports;

    /// <summary>The services published now.</summary>
    public IReadOnlyList<PublishedService> Services => [.. _services.Values];

    /// <summary>How many datagrams were received.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagrams);

    /// <summary>How many received datagrams could not be read as a WS-Discovery message.</summary>
    public long MalformedDatagrams => Interlocked.Read(ref _malformed);

    /// <summary>How many requests were dropped as repeats of one already handled.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicateCount);

    /// <summary>How many Probes and Resolves were answered (with matches or a fault).</summary>
    public long RequestsAnswered => Interlocked.Read(ref _answered);

    /// <summary>How many datagrams made the handler fail (logged as errors; the loop went on).</summary>
    public long HandlerFaults => _loops.HandlerFaults;

    /// <summary>The last AppSequence MessageNumber used.</summary>
    public ulong LastMessageNumber => (ulong)Interlocked.Read(ref _messageNumber);

    /// <summary>
    /// Publishes a service: from now on it answers Probes and Resolves, and a Hello is scheduled (when
    /// <see cref="PublisherOptions.SendHello"/>) after a random delay in [0, HelloDelay]. Completes once the service
    /// is registered and the Hello scheduled (a zero delay sends its first copy before this returns).
    /// </summary>
    public Task PublishAsync(PublishedService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        service.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_services.TryAdd(Key(service.EndpointAddress), service))
        {
            throw new InvalidOperationException($"{service.EndpointAddress} is already published; use UpdateAsync.");
        }

        ScheduleHello(service);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Replaces a published service's types, scopes or XAddrs: its MetadataVersion becomes the larger of the old one
    /// plus one and the one given, and a Hello is scheduled (WS-Discovery §4.1).
    /// </summary>
    /// <returns>The service as now published.</returns>
    public Task<PublishedService> UpdateAsync(PublishedService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        service.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var key = Key(service.EndpointAddress);
        PublishedService updated;
        while (true)
        {
            if (!_services.TryGetValue(key, out var old))
            {
                throw new InvalidOperationException($"{service.EndpointAddress} is not published.");
            }

            updated = service with { MetadataVersion = Math.Max(old.MetadataVersion + 1, service.MetadataVersion) };
            if (_services.TryUpdate(key, updated, old))
            {
                break;
            }
        }

        ScheduleHello(updated);
        return Task.FromResult(updated);
    }

    /// <summary>
    /// Withdraws a service: it stops answering and a Bye is multicast on every transport in every enabled family.
    /// Completes after the first copy of each Bye; the repeats follow in the background.
    /// </summary>
    /// <returns>False when the service was not published.</returns>
    public async Task<bool> WithdrawAsync(string endpointAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpointAddress);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_services.TryRemove(Key(endpointAddress), out var service))
        {
            return false;
        }

        await SendByeAsync(service, repeats: true, awaitRepeats: false, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Withdraws every service with a Bye and waits until every repeat of every Bye has been sent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var sends = new List<Task>();
        foreach (var key in _services.Keys.ToArray())
        {
            if (_services.TryRemove(key, out var service))
            {
                sends.Add(SendByeAsync(service, repeats: true, awaitRepeats: true, cancellationToken));
            }
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the first copy of a Bye for every service still published, stops receiving, cancels pending answers and
    /// repeats, and disposes the transports.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _addresses.AddressesChanged -= OnAddressesChanged;
        foreach (var key in _services.Keys.ToArray())
        {
            if (_services.TryRemove(key, out var service))
            {
                await SendByeAsync(service, repeats: false, awaitRepeats: true, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_receiveLoops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _loops.WhenAllTrackedAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsAddressProvider && _addresses is IDisposable disposable)
        {
            disposable.Dispose();
        }

        _stopping.Dispose();
    }

    private static string Key(string endpointAddress) =>
        endpointAddress.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase)
            ? endpointAddress.ToLowerInvariant()
            : endpointAddress;

    private void OnAddressesChanged(object? sender, EventArgs e)
    {
        if (_disposed != 0)
        {
            return;
        }

        var services = _services.Values.ToArray();
        WsdLog.AddressesChanged(_logger, services.Length);
        foreach (var service in services)
        {
            ScheduleHello(service);
        }
    }

    private void ScheduleHello(PublishedService service)
    {
        if (!Options.SendHello)
        {
            return;
        }

        var delay = _random.NextDelay(Options.HelloDelay ?? Options.Profile.AppMaxDelay);
        _loops.Track(SendHelloAsync(service, delay, _stopping.Token));
    }

    private async Task SendHelloAsync(PublishedService service, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        // A service withdrawn or changed during the delay is not announced with stale data.
        if (!_services.TryGetValue(Key(service.EndpointAddress), out var current) || !ReferenceEquals(current, service))
        {
            return;
        }

        var sends = new List<Task>();
        foreach (var transport in _transports)
        {
            var destination = MulticastFor(transport);
            if (destination is null)
            {
                continue;
            }

            var xaddrs = XAddrTemplates.Expand(service.XAddrs, XAddrTemplates.LocalAddressesFor(transport, null, _addresses));
            foreach (var protocol in Options.Protocols)
            {
                var hello = new WsdHello
                {
                    Protocol = protocol,
                    Header = new WsdHeader
                    {
                        Action = protocol.HelloAction,
                        MessageId = _random.NextMessageId(),
                        To = protocol.MulticastTo,
                        AppSequence = NextAppSequence(),
                    },
                    Endpoint = EndpointData(service, xaddrs),
                };
                WsdLog.Announced(_logger, "Hello", service.EndpointAddress, protocol.ToString(), destination);
                sends.Add(SendWithRepeatsAsync(transport, WsdMessageWriter.Write(hello), destination, repeats: true, cancellationToken));
            }
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <summary>Sends a Bye on every transport in every family; completes after the first copies, or after all copies when <paramref name="awaitRepeats"/>.</summary>
    private async Task SendByeAsync(PublishedService service, bool repeats, bool awaitRepeats, CancellationToken cancellationToken)
    {
        var all = new List<Task>();
        foreach (var transport in _transports)
        {
            var destination = MulticastFor(transport);
            if (destination is null)
            {
                continue;
            }

            foreach (var protocol in Options.Protocols)
            {
                var bye = new WsdBye
                {
                    Protocol = protocol,
                    Header = new WsdHeader
                    {
                        Action = protocol.ByeAction,
                        MessageId = _random.NextMessageId(),
                        To = protocol.MulticastTo,
                        AppSequence = NextAppSequence(),
                    },
                    Endpoint = new WsdEndpointData(new WsdEndpointReference(service.EndpointAddress), [], [], [], null),
                };
                var payload = WsdMessageWriter.Write(bye);
                WsdLog.Announced(_logger, "Bye", service.EndpointAddress, protocol.ToString(), destination);
                if (!repeats)
                {
                    all.Add(SoapOverUdpSender.SendAsync(transport, payload, destination, [TimeSpan.Zero], _timeProvider, _logger, cancellationToken));
                    continue;
                }

                var schedule = _random.NextSchedule(Options.Profile, multicast: true);
                if (awaitRepeats)
                {
                    all.Add(SoapOverUdpSender.SendAsync(transport, payload, destination, schedule, _timeProvider, _logger, cancellationToken));
                }
                else
                {
                    all.Add(SendFirstThenRepeatAsync(transport, payload, destination, schedule, cancellationToken));
                }
            }
        }

        await Task.WhenAll(all).ConfigureAwait(false);
    }

    /// <summary>Sends the first copy now (awaited) and tracks the repeats in the background, cancelled on dispose.</summary>
    private async Task SendFirstThenRepeatAsync(IDatagramTransport transport, byte[] payload, IPEndPoint destination, IReadOnlyList<TimeSpan> schedule, CancellationToken cancellationToken)
    {
        await SoapOverUdpSender.SendAsync(transport, payload, destination, [TimeSpan.Zero], _timeProvider, _logger, cancellationToken).ConfigureAwait(false);
        if (schedule.Count > 1)
        {
            _loops.Track(SoapOverUdpSender.SendAsync(transport, payload, destination, [.. schedule.Skip(1)], _timeProvider, _logger, _stopping.Token));
        }
    }

    private Task SendWithRepeatsAsync(IDatagramTransport transport, byte[] payload, IPEndPoint destination, bool repeats, CancellationToken cancellationToken)
    {
        IReadOnlyList<TimeSpan> schedule = repeats
            ? _random.NextSchedule(Options.Profile, destination.Address.IsMulticast())
            : [TimeSpan.Zero];
        return SoapOverUdpSender.SendAsync(transport, payload, destination, schedule, _timeProvider, _logger, cancellationToken);
    }

    private IPEndPoint? MulticastFor(IDatagramTransport transport)
    {
        var family = transport.LocalEndPoint.AddressFamily;
        var destination = Options.MulticastEndPoint ?? WsdMulticast.For(family);
        return destination.AddressFamily == family ? destination : null;
    }

    private WsdAppSequence NextAppSequence() =>
        new(InstanceId, (ulong)Interlocked.Increment(ref _messageNumber), Options.SequenceId);

    private static WsdEndpointData EndpointData(PublishedService service, IReadOnlyList<string> xaddrs) =>
        new(new WsdEndpointReference(service.EndpointAddress), service.Types, service.Scopes, xaddrs, service.MetadataVersion);

    private void Handle(IDatagramTransport transport, Datagram datagram)
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

            if (message is not (WsdProbe or WsdResolve))
            {
                return;
            }

            var kind = message is WsdProbe ? "Probe" : "Resolve";
            if (!Options.Protocols.Contains(message.Protocol))
            {
                WsdLog.MessageIgnored(_logger, kind, datagram.Source, $"{message.Protocol} is not enabled");
                return;
            }

            if (message.Header.MessageId is not { Length: > 0 } messageId)
            {
                WsdLog.MessageIgnored(_logger, kind, datagram.Source, "no MessageID to relate an answer to");
                return;
            }

            if (_duplicates.IsDuplicate(messageId + "|" + datagram.Source))
            {
                Interlocked.Increment(ref _duplicateCount);
                WsdLog.Duplicate(_logger, messageId, datagram.Source);
                return;
            }

            if (message is WsdProbe probe)
            {
                OnProbe(transport, datagram, probe, messageId);
            }
            else
            {
                OnResolve(transport, datagram, (WsdResolve)message, messageId);
            }
        }
        finally
        {
            DatagramReceived?.Invoke(this, args);
        }
    }

    private void OnProbe(IDatagramTransport transport, Datagram datagram, WsdProbe probe, string messageId)
    {
        var matches = new List<PublishedService>();
        foreach (var service in _services.Values)
        {
            var outcome = WsdMatcher.Matches(probe, EndpointData(service, []));
            if (outcome == WsdMatchOutcome.UnsupportedRule)
            {
                if (!datagram.IsMulticast && Options.AnswerUnicastProbesWithFault)
                {
                    SendFault(transport, datagram, probe, messageId);
                }
                else
                {
                    WsdLog.MessageIgnored(_logger, "Probe", datagram.Source, $"MatchBy {probe.MatchBy} is not supported");
                }

                return;
            }

            if (outcome == WsdMatchOutcome.Match)
            {
                matches.Add(service);
            }
        }

        if (matches.Count == 0)
        {
            return;
        }

        var xaddrAddresses = XAddrTemplates.LocalAddressesFor(transport, datagram, _addresses);
        var data = matches.Select(s => EndpointData(s, XAddrTemplates.Expand(s.XAddrs, xaddrAddresses))).ToList();
        if (!TryReservePendingReply(datagram))
        {
            return;
        }

        var delay = datagram.IsMulticast ? _random.NextDelay(Options.AnswerDelay ?? Options.Profile.AppMaxDelay) : TimeSpan.Zero;
        _loops.Track(AnswerProbeAsync(transport, datagram.Source, probe.Protocol, messageId, data, delay, _stopping.Token));
    }

    private async Task AnswerProbeAsync(
        IDatagramTransport transport,
        IPEndPoint destination,
        WsdProtocol protocol,
        string relatesTo,
        IReadOnlyList<WsdEndpointData> matches,
        TimeSpan delay,
        CancellationToken cancellationToken)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var template = new WsdProbeMatches
            {
                Protocol = protocol,
                Header = new WsdHeader
                {
                    Action = protocol.ProbeMatchesAction,
                    MessageId = ProbeMatchPacker.PlaceholderMessageId,
                    RelatesTo = relatesTo,
                    To = protocol.AnonymousAddress,
                    AppSequence = new WsdAppSequence(InstanceId, ulong.MaxValue, Options.SequenceId),
                },
                Matches = [],
            };
            var messages = ProbeMatchPacker.Pack(
                matches,
                template,
                m => m with { Header = m.Header with { MessageId = _random.NextMessageId(), AppSequence = NextAppSequence() } },
                Options.EffectiveMaxEnvelopeSize,
                (endpoint, size) => WsdLog.MatchTooLarge(_logger, endpoint, size, Options.EffectiveMaxEnvelopeSize));
            Interlocked.Increment(ref _answered);
            WsdLog.Answered(_logger, "Probe", relatesTo, destination, matches.Count, messages.Count);
            var sends = messages.Select(m => SendWithRepeatsAsync(transport, m, destination, repeats: true, cancellationToken)).ToArray();
            await Task.WhenAll(sends).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingReplies);
        }
    }

    private void SendFault(IDatagramTransport transport, Datagram datagram, WsdProbe probe, string messageId)
    {
        var fault = WsdFaults.MatchingRuleNotSupported(
            probe.Protocol,
            messageId,
            _random.NextMessageId(),
            WsdMatcher.SupportedRules(probe.Protocol));
        Interlocked.Increment(ref _answered);
        WsdLog.FaultSent(_logger, probe.MatchBy ?? "(none)", datagram.Source);
        _loops.Track(SendWithRepeatsAsync(transport, WsdMessageWriter.Write(fault), datagram.Source, repeats: true, _stopping.Token));
    }

    private void OnResolve(IDatagramTransport transport, Datagram datagram, WsdResolve resolve, string messageId)
    {
        var address = resolve.Endpoint.Address;
        if (string.IsNullOrEmpty(address) || !_services.TryGetValue(Key(address), out var service))
        {
            return;
        }

        var xaddrs = XAddrTemplates.Expand(service.XAddrs, XAddrTemplates.LocalAddressesFor(transport, datagram, _addresses));
        if (xaddrs.Count == 0)
        {
            // WS-Discovery 2005 §6.2 requires XAddrs in a ResolveMatch: without any, stay silent.
            WsdLog.ResolveWithoutXAddrs(_logger, service.EndpointAddress, datagram.Source);
            return;
        }

        if (!TryReservePendingReply(datagram))
        {
            return;
        }

        var delay = datagram.IsMulticast ? _random.NextDelay(Options.AnswerDelay ?? Options.Profile.AppMaxDelay) : TimeSpan.Zero;
        _loops.Track(AnswerResolveAsync(transport, datagram.Source, resolve.Protocol, messageId, EndpointData(service, xaddrs), delay, _stopping.Token));
    }

    private async Task AnswerResolveAsync(
        IDatagramTransport transport,
        IPEndPoint destination,
        WsdProtocol protocol,
        string relatesTo,
        WsdEndpointData match,
        TimeSpan delay,
        CancellationToken cancellationToken)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var message = new WsdResolveMatches
            {
                Protocol = protocol,
                Header = new WsdHeader
                {
                    Action = protocol.ResolveMatchesAction,
                    MessageId = _random.NextMessageId(),
                    RelatesTo = relatesTo,
                    To = protocol.AnonymousAddress,
                    AppSequence = NextAppSequence(),
                },
                Match = match,
            };
            Interlocked.Increment(ref _answered);
            WsdLog.Answered(_logger, "Resolve", relatesTo, destination, 1, 1);
            await SendWithRepeatsAsync(transport, WsdMessageWriter.Write(message), destination, repeats: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingReplies);
        }
    }

    private bool TryReservePendingReply(Datagram datagram)
    {
        if (Interlocked.Increment(ref _pendingReplies) > Options.MaxPendingReplies)
        {
            Interlocked.Decrement(ref _pendingReplies);
            WsdLog.TooManyPendingReplies(_logger, Options.MaxPendingReplies, datagram.Source);
            return false;
        }

        return true;
    }

    private static string FirstError(IReadOnlyList<Violation> violations) =>
        violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error)?.ToString()
        ?? violations.FirstOrDefault()?.ToString()
        ?? "not a WS-Discovery message";
}
