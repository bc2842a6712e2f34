using System.Net;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Soap;
using Microsoft.AspNetCore.Http;

namespace Harness.Dpws.Http;

/// <summary>
/// A SOAP request as a handler sees it: the envelope, what the reader and the HTTP layer found wrong with it, the
/// MTOM package when there is one, where it came from, and helpers to answer. Handlers can also be called directly
/// (unit tests) with a context built by the public constructor.
/// </summary>
public sealed class SoapRequestContext
{
    private readonly Func<string> _newMessageId;
    private readonly List<Violation> _violations;

    /// <summary>A context for <paramref name="envelope"/> received at <paramref name="endpointAddress"/>.</summary>
    /// <param name="envelope">The request.</param>
    /// <param name="endpointAddress">The URL of the endpoint as the client reached it.</param>
    /// <param name="newMessageId">The generator of <c>urn:uuid:</c> message ids for answers; null for a freshly seeded one.</param>
    /// <param name="violations">Deviations already found (reader, HTTP layer).</param>
    public SoapRequestContext(SoapEnvelope envelope, Uri endpointAddress, Func<string>? newMessageId = null, IEnumerable<Violation>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(endpointAddress);
        Envelope = envelope;
        EndpointAddress = endpointAddress;
        _newMessageId = newMessageId ?? new SeededIds(null).NewMessageId;
        _violations = [.. violations ?? []];
    }

    /// <summary>The request envelope.</summary>
    public SoapEnvelope Envelope { get; }

    /// <summary>The request's <c>wsa:Action</c>.</summary>
    public string Action => Envelope.Header.Action ?? string.Empty;

    /// <summary>The endpoint URL as the client reached it: the local address the request came in on, the port and the path.</summary>
    public Uri EndpointAddress { get; }

    /// <summary><c>scheme://host:port/</c> of <see cref="EndpointAddress"/>.</summary>
    public Uri BaseAddress => new(EndpointAddress.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>Deviations found in the request so far (reader, HTTP layer, and those handlers add).</summary>
    public IReadOnlyList<Violation> Violations => _violations;

    /// <summary>The raw bytes of the envelope (the root part of an MTOM package).</summary>
    public ReadOnlyMemory<byte> RawEnvelope { get; init; }

    /// <summary>The MTOM package of a multipart/related request, or null.</summary>
    public MtomPackage? Package { get; init; }

    /// <summary>The client's address, when known (null in memory).</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    /// <summary>The local address the request came in on, when known.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>The ASP.NET Core context (HTTP headers, connection); null when the handler is called directly.</summary>
    public HttpContext? HttpContext { get; init; }

    /// <summary>Adds a deviation a handler found (reported with the exchange).</summary>
    public void AddViolation(Violation violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        _violations.Add(violation);
    }

    /// <summary>A fresh <c>urn:uuid:</c> message id.</summary>
    public string NewMessageId() => _newMessageId();

    /// <summary>A reply envelope (To from ReplyTo, RelatesTo the request's MessageID, fresh MessageID).</summary>
    public SoapResponse Reply(string action, params IEnumerable<XElement> body) =>
        SoapResponse.For(SoapEnvelope.Reply(Envelope, action, NewMessageId(), body));

    /// <summary>A fault reply (Action <c>.../addressing/fault</c>, RelatesTo set); <paramref name="statusCode"/> overrides the host's.</summary>
    public SoapResponse Fault(SoapFault fault, int? statusCode = null) =>
        new() { Envelope = SoapEnvelope.FaultReply(Envelope, fault, NewMessageId()), StatusCode = statusCode };
}

/// <summary>One request/response exchange of a <see cref="DpwsHost"/>, for observers (conformance, logs).</summary>
public sealed class SoapExchangeEventArgs : EventArgs
{
    /// <summary>When the request arrived.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The requested path.</summary>
    public required string Path { get; init; }

    /// <summary>The client, when known.</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    /// <summary>The request's Action, when it could be read.</summary>
    public string? Action { get; init; }

    /// <summary>The request, when it could be read.</summary>
    public SoapEnvelope? Request { get; init; }

    /// <summary>The answer's envelope, when there was one.</summary>
    public SoapEnvelope? Response { get; init; }

    /// <summary>The HTTP status answered.</summary>
    public required int StatusCode { get; init; }

    /// <summary>Deviations found in the request.</summary>
    public IReadOnlyList<Violation> Violations { get; init; } = [];
}
