using System.Net;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;

namespace Harness.Conformance.Ssdp;

/// <summary>One SSDP datagram of a session read once: the reader's result plus the facts the rules look up.</summary>
internal sealed class SsdpItem
{
    private SsdpItem(TrafficRecord record, SsdpReadResult read)
    {
        Record = record;
        Read = read;
        Message = read.Message;
        (Usn, Target) = Message switch
        {
            SsdpNotify n => (n.ParsedUsn, n.Target),
            SsdpSearchResponse r => (r.ParsedUsn, r.Target),
            SsdpSearchRequest s => (default(SsdpUsn), s.Target),
            _ => (default, default),
        };
    }

    public TrafficRecord Record { get; }

    public SsdpReadResult Read { get; }

    public SsdpMessage? Message { get; }

    public SsdpNotify? Notify => Message as SsdpNotify;

    public SsdpSearchResponse? Response => Message as SsdpSearchResponse;

    public SsdpSearchRequest? Search => Message as SsdpSearchRequest;

    /// <summary>The USN of a NOTIFY or response.</summary>
    public SsdpUsn Usn { get; }

    /// <summary>NT of a NOTIFY, ST of a response or a search.</summary>
    public SsdpTarget Target { get; }

    /// <summary>The device part of the USN (<c>uuid:X</c>), or null for searches and USN-less messages.</summary>
    public string? Udn => Usn.Value.Length == 0 ? null : Usn.Udn;

    public DateTimeOffset Time => Record.Timestamp;

    public bool IsInbound => Record.Direction == TrafficDirection.Inbound;

    public bool IsAlive => Notify is { Subtype: SsdpNotifySubtype.Alive };

    public bool IsByeBye => Notify is { Subtype: SsdpNotifySubtype.ByeBye };

    public bool IsUpdate => Notify is { Subtype: SsdpNotifySubtype.Update };

    public string? Location => Message switch
    {
        SsdpNotify n => n.Location,
        SsdpSearchResponse r => r.Location,
        _ => null,
    };

    public string? Server => Message switch
    {
        SsdpNotify n => n.Server,
        SsdpSearchResponse r => r.Server,
        _ => null,
    };

    public int? BootId => Message switch
    {
        SsdpNotify n => n.BootId,
        SsdpSearchResponse r => r.BootId,
        _ => null,
    };

    public int? ConfigId => Message switch
    {
        SsdpNotify n => n.ConfigId,
        SsdpSearchResponse r => r.ConfigId,
        _ => null,
    };

    public int? MaxAge => Message switch
    {
        SsdpNotify n => n.MaxAge,
        SsdpSearchResponse r => r.MaxAge,
        _ => null,
    };

    /// <summary>The (NT or ST, USN) pair, for set comparisons.</summary>
    public string Pair => Target.Value + " | " + Usn.Value;

    /// <summary>Reads a record when it can be SSDP (UDP, labelled <c>ssdp</c>, or unlabelled with an SSDP start line).</summary>
    public static SsdpItem? Parse(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Transport != TrafficTransport.Udp)
        {
            return null;
        }

        if (record.Protocol is null)
        {
            if (Harness.Capture.ProtocolLabels.Sniff(record.Payload.Span) != Protocols.Ssdp)
            {
                return null;
            }
        }
        else if (!string.Equals(record.Protocol, Protocols.Ssdp, StringComparison.Ordinal))
        {
            return null;
        }

        var read = SsdpMessageReader.Read(record.Payload.Span);
        return new SsdpItem(record, read);
    }
}

/// <summary>One HTTP GET of a description or SCPD and its answer, as recorded (live) or reassembled (capture).</summary>
internal sealed class SsdpHttpItem
{
    private UpnpDescriptionReadResult? _description;
    private bool _descriptionRead;

    public SsdpHttpItem(TrafficRecord? request, SsdpHttpMessage? requestMessage, TrafficRecord? response, SsdpHttpMessage? responseMessage, IPEndPoint server)
    {
        Request = request;
        RequestMessage = requestMessage;
        ResponseRecord = response;
        ResponseMessage = responseMessage;
        Server = server;
        if (requestMessage is not null)
        {
            var host = requestMessage.Header("Host") ?? FormatHost(server);
            Url = Uri.TryCreate("http://" + host + requestMessage.Target, UriKind.Absolute, out var url) ? url : null;
        }
    }

    public TrafficRecord? Request { get; }

    public SsdpHttpMessage? RequestMessage { get; }

    public TrafficRecord? ResponseRecord { get; }

    public SsdpHttpMessage? ResponseMessage { get; }

    /// <summary>The server's endpoint.</summary>
    public IPEndPoint Server { get; }

    /// <summary>The URL asked for (from the request's Host and target), or null.</summary>
    public Uri? Url { get; }

    public string? AcceptLanguage => RequestMessage?.Header("Accept-Language");

    public DateTimeOffset Time => Request?.Timestamp ?? ResponseRecord!.Timestamp;

    public IEnumerable<TrafficRecord> Records => new[] { Request, ResponseRecord }.OfType<TrafficRecord>();

    public bool IsOk => ResponseMessage is { StatusCode: 200 };

    /// <summary>The body read as a UPnP device description (once), or null when it is no 200 answer.</summary>
    public UpnpDescriptionReadResult? Description
    {
        get
        {
            if (!_descriptionRead)
            {
                _description = IsOk ? UpnpDescriptionReader.Read(ResponseMessage!.Body.Span) : null;
                _descriptionRead = true;
            }

            return _description;
        }
    }

    public bool IsFor(Uri url) =>
        Url is not null
        && SsdpView.SameEndPoint(Url, url)
        && string.Equals(Url.AbsolutePath, url.AbsolutePath, StringComparison.Ordinal);

    private static string FormatHost(IPEndPoint endPoint) =>
        endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();
}

/// <summary>
/// The SSDP reading of a session: every datagram parsed once, the HTTP exchanges paired (recorded whole, or TCP chunks
/// of a capture joined per direction), and what each device sent. Devices of a fleet share 127.0.0.1, so a message
/// belongs to a device by its USN (the root's or an embedded device's UDN), an HTTP exchange by its URL's host and port.
/// </summary>
internal sealed class SsdpView
{
    private const int MaxStreamBytes = 2 << 20;
    private static readonly SessionViewCache<SsdpView> Cache = new();
    private readonly Dictionary<string, IReadOnlyList<SsdpItem>> _byDevice = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private SsdpView(ObservedSession? session, IReadOnlyList<TrafficRecord> records)
    {
        var items = new List<SsdpItem>();
        var http = new List<TrafficRecord>();
        foreach (var record in records)
        {
            if (record.Transport == TrafficTransport.Udp)
            {
                var item = session is null ? SsdpItem.Parse(record) : session.GetParsed(record, SsdpItem.Parse);
                if (item is not null)
                {
                    items.Add(item);
                }
            }
            else if (record.Protocol is null || string.Equals(record.Protocol, Protocols.Ssdp, StringComparison.Ordinal))
            {
                http.Add(record);
            }
        }

        Items = [.. items.OrderBy(i => i.Time).ThenBy(i => i.Record.Sequence)];
        Http = PairHttp(http);
    }

    /// <summary>Every SSDP datagram, by time.</summary>
    public IReadOnlyList<SsdpItem> Items { get; }

    /// <summary>Every HTTP exchange, by time.</summary>
    public IReadOnlyList<SsdpHttpItem> Http { get; }

    /// <summary>The view of a session (rebuilt when a live session grew).</summary>
    public static SsdpView Of(ObservedSession session) =>
        Cache.Get(session, records => new SsdpView(session, records));

    /// <summary>A view of loose records (device identification before a session exists).</summary>
    public static SsdpView Of(IReadOnlyList<TrafficRecord> records) => new(null, records);

    public static bool SameUdn(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static bool SameEndPoint(Uri a, Uri b) =>
        a.Port == b.Port
        && (string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(a.IdnHost.Trim('[', ']'), out var x) && IPAddress.TryParse(b.IdnHost.Trim('[', ']'), out var y) && Normalize(x).Equals(Normalize(y))));

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The NOTIFYs and responses the device sent (by the UDNs of its metadata), by time.</summary>
    public IReadOnlyList<SsdpItem> From(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            if (!_byDevice.TryGetValue(device.Id, out var items))
            {
                var udns = SsdpDevices.Udns(device).ToHashSet(StringComparer.OrdinalIgnoreCase);
                items = [.. Items.Where(i => i.IsInbound && i.Message is SsdpNotify or SsdpSearchResponse && i.Udn is { } udn && udns.Contains(udn))];
                _byDevice[device.Id] = items;
            }

            return items;
        }
    }

    /// <summary>The HTTP exchanges with the device's LOCATION host and port (its description and SCPD GETs).</summary>
    public IReadOnlyList<SsdpHttpItem> HttpOf(Device device)
    {
        var locations = SsdpDevices.Locations(device);
        return [.. Http.Where(h => h.Url is { } url && locations.Any(l => SameEndPoint(l, url)))];
    }

    /// <summary>The GETs of the device's LOCATION URLs (description fetches), by time.</summary>
    public IReadOnlyList<SsdpHttpItem> DescriptionFetches(Device device)
    {
        var locations = SsdpDevices.Locations(device);
        return [.. Http.Where(h => locations.Any(h.IsFor))];
    }

    /// <summary>The description read from the device's first successful LOCATION GET, with its exchange; or null.</summary>
    public (SsdpHttpItem Exchange, UpnpDescription Description)? Description(Device device)
    {
        foreach (var fetch in DescriptionFetches(device))
        {
            if (fetch.Description?.Description is { } description)
            {
                return (fetch, description);
            }
        }

        return null;
    }

    private static List<SsdpHttpItem> PairHttp(List<TrafficRecord> records)
    {
        var result = new List<SsdpHttpItem>();

        // Whole HTTP messages (live recording): a request, then the answer on the reversed endpoint pair.
        var pending = new List<(TrafficRecord Record, SsdpHttpMessage Message)>();
        foreach (var record in records.Where(r => r.Transport == TrafficTransport.Http))
        {
            var message = SsdpHttpMessage.Parse(record.Payload.Span);
            if (message is null)
            {
                continue;
            }

            if (message.IsRequest)
            {
                pending.Add((record, message));
                continue;
            }

            var index = pending.FindIndex(p => p.Record.Source.Equals(record.Destination) && p.Record.Destination.Equals(record.Source));
            if (index < 0)
            {
                result.Add(new SsdpHttpItem(null, null, record, message, record.Source));
                continue;
            }

            var (request, requestMessage) = pending[index];
            pending.RemoveAt(index);
            result.Add(new SsdpHttpItem(request, requestMessage, record, message, record.Source));
        }

        result.AddRange(pending.Select(p => new SsdpHttpItem(p.Record, p.Message, null, null, p.Record.Destination)));

        // TCP chunks of a capture: each direction of a connection joined, the first request with the first answer.
        var streams = new Dictionary<(IPEndPoint From, IPEndPoint To), (TrafficRecord First, MemoryStream Bytes)>();
        foreach (var record in records.Where(r => r.Transport == TrafficTransport.Tcp))
        {
            var key = (record.Source, record.Destination);
            if (!streams.TryGetValue(key, out var stream))
            {
                var head = record.Payload.Span;
                if (!head.StartsWith("GET "u8) && !head.StartsWith("HTTP/1."u8))
                {
                    continue;
                }

                stream = (record, new MemoryStream());
                streams[key] = stream;
            }

            if (stream.Bytes.Length + record.Payload.Length <= MaxStreamBytes)
            {
                stream.Bytes.Write(record.Payload.Span);
            }
        }

        foreach (var ((from, to), (first, bytes)) in streams)
        {
            var request = SsdpHttpMessage.Parse(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
            if (request is not { IsRequest: true })
            {
                continue;
            }

            SsdpHttpMessage? response = null;
            TrafficRecord? responseRecord = null;
            if (streams.TryGetValue((to, from), out var back))
            {
                response = SsdpHttpMessage.Parse(back.Bytes.GetBuffer().AsSpan(0, (int)back.Bytes.Length));
                responseRecord = back.First with { Payload = back.Bytes.ToArray() };
            }

            result.Add(new SsdpHttpItem(first with { Payload = bytes.ToArray() }, request, responseRecord, response is { IsRequest: false } ? response : null, to));
        }

        return [.. result.OrderBy(h => h.Time)];
    }
}
