using System.Net;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Core.Xml;
using Harness.Dpws.Soap;

namespace Harness.Conformance.Dpws;

/// <summary>
/// One SOAP-over-HTTP exchange of a session: the request, its response (when one came), and both read as SOAP 1.2
/// (an MTOM/XOP package's root part for multipart bodies). Device-supplied: everything in a response is untrusted.
/// </summary>
internal sealed class DpwsExchange
{
    private static readonly XmlLimits Limits = new(MaxBytes: DpwsHttp.MaxBodyBytes, MaxDepth: 64);

    public DpwsExchange(DpwsHttpMessage request, DpwsHttpMessage? response)
    {
        Request = request;
        Response = response;
        RequestRead = ReadSoap(request, out _, out _);
        if (response is not null)
        {
            ResponseRead = ReadSoap(response, out var package, out var mtomError);
            Package = package;
            MtomError = mtomError;
        }
    }

    public DpwsHttpMessage Request { get; }

    public DpwsHttpMessage? Response { get; }

    public SoapReadResult? RequestRead { get; }

    public SoapReadResult? ResponseRead { get; }

    /// <summary>The MTOM package of a multipart response, or null.</summary>
    public MtomPackage? Package { get; }

    /// <summary>Why a multipart response could not be read, or null.</summary>
    public string? MtomError { get; }

    public SoapEnvelope? RequestEnvelope => RequestRead?.Envelope;

    public SoapEnvelope? ResponseEnvelope => ResponseRead?.Envelope;

    /// <summary>The request's <c>wsa:Action</c>, or null (malformed or hostile requests).</summary>
    public string? Action => RequestEnvelope?.Header.Action;

    public string? ResponseAction => ResponseEnvelope?.Header.Action;

    public SoapFault? Fault => ResponseEnvelope?.Fault;

    public bool IsFault => Fault is not null;

    /// <summary>The last segment of the request's action (<c>CreateScanJob</c>), or empty.</summary>
    public string Operation => Action is { } action ? action[(action.LastIndexOf('/') + 1)..] : string.Empty;

    /// <summary>The server side: where the request went.</summary>
    public IPEndPoint Server => Request.Destination;

    /// <summary>The request and (when there is one) the first record of the response, for evidence.</summary>
    public IEnumerable<TrafficRecord> Records =>
        Response is null ? [Request.Record] : [Request.Record, Response.Record];

    /// <summary>The subcode's local name of a fault (the code's when no subcode), or null.</summary>
    public string? FaultName => Fault is { } fault ? (fault.Subcode ?? fault.Code).LocalName : null;

    public string Describe() =>
        (Operation.Length > 0 ? Operation : "request") + " → " + (Response is null
            ? "no response"
            : "HTTP " + Response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) + (Fault is { } f ? " fault " + f : ResponseAction is { } a ? " " + a[(a.LastIndexOf('/') + 1)..] : string.Empty));

    private static SoapReadResult? ReadSoap(DpwsHttpMessage message, out MtomPackage? package, out string? mtomError)
    {
        package = null;
        mtomError = null;
        if (message.Body.IsEmpty)
        {
            return null;
        }

        var mediaType = MediaType.Parse(message.ContentType);
        var root = message.Body;
        if (MtomReader.IsMultipart(mediaType))
        {
            var mtom = MtomReader.Read(message.Body, mediaType);
            if (mtom.Package is null)
            {
                mtomError = mtom.Error ?? "unreadable MIME package";
                return null;
            }

            package = mtom.Package;
            root = package.Root.Content;
        }

        return SoapReader.Read(root.Span, new SoapReadOptions(ReadMode.Lenient, Limits));
    }
}

/// <summary>
/// The SOAP-over-HTTP exchanges of a session, read once per session state: requests paired with their responses per
/// connection (HTTP/1.1 answers in order), attributed to a DPWS device by the server address they went to.
/// </summary>
internal sealed class DpwsView
{
    private static readonly SessionViewCache<DpwsView> Cache = new();
    private readonly Dictionary<string, IReadOnlyList<DpwsExchange>> _byDevice = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private DpwsView(IReadOnlyList<TrafficRecord> records)
    {
        var messages = DpwsHttp.Read(records);
        var pending = new Dictionary<(IPEndPoint Client, IPEndPoint Server), Queue<DpwsHttpMessage>>();
        var answers = new Dictionary<DpwsHttpMessage, DpwsHttpMessage>();
        foreach (var message in messages)
        {
            if (message.IsRequest)
            {
                var key = (message.Source, message.Destination);
                if (!pending.TryGetValue(key, out var queue))
                {
                    queue = new Queue<DpwsHttpMessage>();
                    pending.Add(key, queue);
                }

                queue.Enqueue(message);
            }
            else if (pending.TryGetValue((message.Destination, message.Source), out var queue) && queue.Count > 0)
            {
                answers[queue.Dequeue()] = message;
            }
        }

        Exchanges = [.. messages.Where(m => m.IsRequest).Select(m => new DpwsExchange(m, answers.GetValueOrDefault(m)))];
        BySequence = Exchanges.GroupBy(e => e.Request.Record.Sequence).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>Every exchange, in order of the request.</summary>
    public IReadOnlyList<DpwsExchange> Exchanges { get; }

    private Dictionary<long, DpwsExchange> BySequence { get; }

    public static DpwsView Of(ObservedSession session) =>
        Cache.Get(session, records => new DpwsView(records));

    public static DpwsView Of(IReadOnlyList<TrafficRecord> records) => new(records);

    /// <summary>
    /// The exchanges whose request went to one of the device's addresses, or to a hosted service URL that a GetResponse
    /// of the device named (a service on another port).
    /// </summary>
    public IReadOnlyList<DpwsExchange> To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            if (_byDevice.TryGetValue(device.Id, out var cached))
            {
                return cached;
            }

            var services = new HashSet<IPEndPoint>();
            foreach (var get in Exchanges.Where(e => device.IsAt(e.Server) && e.Action == DpwsActions.TransferGet))
            {
                if (get.ResponseEnvelope?.BodyElement is { } body)
                {
                    Uri.TryCreate(get.Request.Host is { } host ? "http://" + host + get.Request.Target : null, UriKind.Absolute, out var baseUri);
                    foreach (var service in DpwsDevices.HostedAddresses(body, baseUri))
                    {
                        if (DpwsDevices.EndPointOf(service) is { } endPoint)
                        {
                            services.Add(endPoint);
                        }
                    }
                }
            }

            IReadOnlyList<DpwsExchange> found = [.. Exchanges.Where(e => device.IsAt(e.Server) || services.Contains(Normalize(e.Server)))];
            _byDevice[device.Id] = found;
            return found;
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    /// <summary>The exchange whose request is the record with this sequence number, or null.</summary>
    public DpwsExchange? ByRequest(long sequence) => BySequence.GetValueOrDefault(sequence);

    /// <summary>The exchange of a request record, or null.</summary>
    public DpwsExchange? ByRequest(TrafficRecord? record) => record is null ? null : ByRequest(record.Sequence);
}

/// <summary>Small helpers over violations and names shared by the DPWS checks.</summary>
internal static class DpwsFacts
{
    public static bool IsSoapMediaType(string? contentType) => MediaType.Parse(contentType).Is("application/soap+xml");

    public static bool IsMultipart(string? contentType) => MtomReader.IsMultipart(MediaType.Parse(contentType));

    public static IEnumerable<Violation> Errors(IEnumerable<Violation> violations, params string[] ruleIds) =>
        violations.Where(v => v.Severity != ViolationSeverity.Info && (ruleIds.Length == 0 || ruleIds.Contains(v.RuleId, StringComparer.Ordinal)));
}
