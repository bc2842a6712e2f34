using System.Net;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Wsd;

/// <summary>One traffic record read as WS-Discovery: the reader's result plus the facts the rules look up.</summary>
internal sealed class WsdItem
{
    private WsdItem(TrafficRecord record, WsdReadResult read)
    {
        Record = record;
        Read = read;
        var message = read.Message;
        MessageId = message?.Header.MessageId;
        RelatesTo = message?.Header.RelatesTo;
        Endpoints = message switch
        {
            WsdHello hello => [hello.Endpoint],
            WsdBye bye => [bye.Endpoint],
            WsdProbeMatches matches => matches.Matches,
            WsdResolveMatches { Match: { } match } => [match],
            _ => [],
        };
    }

    public TrafficRecord Record { get; }

    public WsdReadResult Read { get; }

    public WsdMessage? Message => Read.Message;

    public string? MessageId { get; }

    public string? RelatesTo { get; }

    /// <summary>The endpoints the message describes (Hello, Bye, each ProbeMatch, the ResolveMatch).</summary>
    public IReadOnlyList<WsdEndpointData> Endpoints { get; }

    public DateTimeOffset Time => Record.Timestamp;

    public bool IsInbound => Record.Direction == TrafficDirection.Inbound;

    public bool IsRequest => Message is WsdProbe or WsdResolve;

    /// <summary>Sent to a multicast group.</summary>
    public bool IsMulticast => Record.Destination.Address.IsMulticast();

    public WsdAppSequence? AppSequence => Message?.Header.AppSequence;

    public bool HasEndpoint(string address) =>
        Endpoints.Any(e => WsdView.SameAddress(e.Endpoint.Address, address));

    public WsdEndpointData? EndpointOf(string address) =>
        Endpoints.FirstOrDefault(e => WsdView.SameAddress(e.Endpoint.Address, address));

    /// <summary>Reads a record when it can be WS-Discovery (UDP, labelled <c>wsd</c> or unlabelled XML); else null.</summary>
    public static WsdItem? Parse(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Transport != TrafficTransport.Udp)
        {
            return null;
        }

        if (record.Protocol is null)
        {
            // Unlabelled: only what reads as a WS-Discovery message (other protocols share the session).
            if (!Engine.MessageSummary.LooksLikeXml(record.Payload.Span))
            {
                return null;
            }

            var read = WsdMessageReader.Read(record.Payload.Span);
            return read.Message is null ? null : new WsdItem(record, read);
        }

        return string.Equals(record.Protocol, Protocols.Wsd, StringComparison.Ordinal)
            ? new WsdItem(record, WsdMessageReader.Read(record.Payload.Span))
            : null;
    }
}

/// <summary>
/// The WS-Discovery reading of a session: every record parsed once, requests by MessageID, and which messages each
/// device sent. Devices on one host share addresses (a fleet on 127.0.0.1), so a message belongs to a device by what
/// it says: its endpoint reference; a reply to a unicast request sent to an address only that device has; or, for
/// messages naming no endpoint (faults, empty ProbeMatches), a source endpoint only that device has.
/// </summary>
internal sealed class WsdView
{
    private static readonly SessionViewCache<WsdView> Cache = new();
    private readonly Dictionary<string, IReadOnlyList<WsdItem>> _byDevice = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<Device> _devices;

    private WsdView(ObservedSession? session, IReadOnlyList<TrafficRecord> records, IReadOnlyList<Device> devices)
    {
        _devices = devices;
        var items = new List<WsdItem>(records.Count);
        foreach (var record in records)
        {
            var item = session is null ? WsdItem.Parse(record) : session.GetParsed(record, WsdItem.Parse);
            if (item is not null)
            {
                items.Add(item);
            }
        }

        Items = [.. items.OrderBy(i => i.Time).ThenBy(i => i.Record.Sequence)];
        var requests = new Dictionary<string, WsdItem>(StringComparer.Ordinal);
        foreach (var item in Items)
        {
            if (item.IsRequest && item.MessageId is { } id)
            {
                requests.TryAdd(id, item);
            }
        }

        Requests = requests;
    }

    /// <summary>Every WS-Discovery record, by time.</summary>
    public IReadOnlyList<WsdItem> Items { get; }

    /// <summary>Probes and Resolves (sent by the harness or seen from other clients) by MessageID; the first copy.</summary>
    public IReadOnlyDictionary<string, WsdItem> Requests { get; }

    /// <summary>The view of a session (rebuilt when a live session grew).</summary>
    public static WsdView Of(ObservedSession session) =>
        Cache.Get(session, records => new WsdView(session, records, session.Devices));

    /// <summary>A view of loose records (device identification before a session exists).</summary>
    public static WsdView Of(IReadOnlyList<TrafficRecord> records, IReadOnlyList<Device>? devices = null) =>
        new(null, records, devices ?? []);

    /// <summary>Endpoint-reference addresses compare without regard to case (urn:uuid: values are case-insensitive).</summary>
    public static bool SameAddress(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>The request a message answers, or null.</summary>
    public WsdItem? RequestFor(WsdItem reply) =>
        reply.RelatesTo is { } id && Requests.TryGetValue(id, out var request) ? request : null;

    /// <summary>True when <paramref name="endPoint"/> is one of <paramref name="device"/>'s addresses and of no other device's.</summary>
    public bool IsUniqueTo(IPEndPoint endPoint, Device device)
    {
        if (!device.IsAt(endPoint))
        {
            return false;
        }

        foreach (var other in _devices)
        {
            if (!ReferenceEquals(other, device) && !string.Equals(other.Id, device.Id, StringComparison.Ordinal) && other.IsAt(endPoint))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the device sent this message (see the class remarks).</summary>
    public bool BelongsTo(WsdItem item, Device device)
    {
        if (!item.IsInbound || item.IsRequest)
        {
            return false;
        }

        if (item.HasEndpoint(device.Id))
        {
            return true;
        }

        if (RequestFor(item) is { } request && !request.IsMulticast && IsUniqueTo(request.Record.Destination, device))
        {
            return true;
        }

        return item.Endpoints.Count == 0 && IsUniqueTo(item.Record.Source, device);
    }

    /// <summary>The messages the device sent, by time.</summary>
    public IReadOnlyList<WsdItem> From(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            if (!_byDevice.TryGetValue(device.Id, out var items))
            {
                items = [.. Items.Where(i => BelongsTo(i, device))];
                _byDevice[device.Id] = items;
            }

            return items;
        }
    }

    /// <summary>The device's answers to one request (by RelatesTo), by time.</summary>
    public IReadOnlyList<WsdItem> RepliesTo(Device device, string messageId) =>
        [.. From(device).Where(i => string.Equals(i.RelatesTo, messageId, StringComparison.Ordinal))];
}
