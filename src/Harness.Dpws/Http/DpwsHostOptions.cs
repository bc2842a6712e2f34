using System.Net;
using Harness.Core.Recording;
using Microsoft.AspNetCore.Hosting;

namespace Harness.Dpws.Http;

/// <summary>Settings of a <see cref="DpwsHost"/>: binding, limits, timeouts and the status codes real devices vary in.</summary>
public sealed record DpwsHostOptions
{
    /// <summary>DPWS MAX_ENVELOPE_SIZE (R0026): 32,767 octets.</summary>
    public const int DpwsMaxEnvelopeSize = 32_767;

    /// <summary>The address to listen on (loopback by default; a real interface only when a user names it).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 picks an ephemeral one (read it from <see cref="DpwsHost.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>Largest request body accepted by endpoints that do not set their own limit (default 32,767, DPWS).</summary>
    public int MaxRequestBytes { get; init; } = DpwsMaxEnvelopeSize;

    /// <summary>Deepest XML nesting accepted in a request (default 32).</summary>
    public int MaxXmlDepth { get; init; } = 32;

    /// <summary>Most XML elements accepted in a request (default 10,000).</summary>
    public int MaxXmlElements { get; init; } = 10_000;

    /// <summary>Time a client has to send the request line and headers (Kestrel RequestHeadersTimeout).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a client has to send the whole body once the headers are in; then 408 and the connection closes.</summary>
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a handler has to answer; then a Receiver fault (wsa:EndpointUnavailable).</summary>
    public TimeSpan HandlerTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Idle time before a kept-alive connection is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Minimum request body rate in bytes per second after a grace period (Kestrel MinRequestBodyDataRate); null disables it.</summary>
    public double? MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>Grace period of <see cref="MinRequestBodyBytesPerSecond"/>.</summary>
    public TimeSpan MinRequestBodyRateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most simultaneous connections; null for no limit.</summary>
    public long? MaxConcurrentConnections { get; init; } = 1_000;

    /// <summary>
    /// HTTP status of a SOAP fault answer (default 500, as WSDAPI answers; quirk Q-F200: some devices answer 200;
    /// a handler can override per response).
    /// </summary>
    public int FaultStatusCode { get; init; } = 500;

    /// <summary>HTTP status of the Sender fault for a request that is not a readable envelope (default 400).</summary>
    public int MalformedStatusCode { get; init; } = 400;

    /// <summary>HTTP status of the fault for a path that has no endpoint (default 404).</summary>
    public int UnknownPathStatusCode { get; init; } = 404;

    /// <summary>Accept <c>text/xml</c> and missing Content-Types leniently (reported as WSD-DPWS-006); false answers 415.</summary>
    public bool AcceptTextXml { get; init; } = true;

    /// <summary>When set, every request and response is recorded (protocol label <c>dpws</c>).</summary>
    public TrafficRecorder? Recorder { get; init; }

    /// <summary>Seed of the generator of message ids and MIME boundaries; null for a fresh seed.</summary>
    public int? Seed { get; init; }

    /// <summary>The clock of the transport deadlines (body read and handler timeouts); null for the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// A hook on the web host before it is built, e.g. <c>b =&gt; b.UseTestServer()</c> to run in memory
    /// (Microsoft.AspNetCore.TestHost); Kestrel is configured first and replaced by whatever the hook sets.
    /// </summary>
    public Action<IWebHostBuilder>? ConfigureWebHost { get; init; }

    /// <summary>
    /// Rewrites each request body before it is read (e.g. a quirk profile of a device that ignores part of a request);
    /// the recording keeps what arrived. Null leaves requests as they are.
    /// </summary>
    public Func<DpwsWireRequest, ReadOnlyMemory<byte>>? RequestFilter { get; init; }

    /// <summary>
    /// Answers a request before its handler (a quirk profile of a device that answers some requests its own way): a
    /// non-null response is sent instead of the handler's, also for actions without a handler. Null lets handlers answer.
    /// </summary>
    public Func<SoapRequestContext, CancellationToken, ValueTask<SoapResponse?>>? Interceptor { get; init; }

    /// <summary>
    /// Rewrites each response written in one piece (status, Content-Type, body, a delay) just before it goes on the wire
    /// and is recorded (quirk profiles: wrong media type, faults with 200, missing headers). Responses streamed from an
    /// attachment writer are not filtered. Null leaves responses as they are.
    /// </summary>
    public Func<DpwsWireResponse, DpwsWireResponse>? ResponseFilter { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable settings.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Address);
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65_535);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestBytes, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxXmlDepth, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxXmlElements, 16);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestHeadersTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BodyReadTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandlerTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepAliveTimeout, TimeSpan.Zero);
        if (MinRequestBodyBytesPerSecond is { } rate)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rate, 0);
        }

        if (FaultStatusCode is < 200 or > 599 || MalformedStatusCode is < 200 or > 599 || UnknownPathStatusCode is < 200 or > 599)
        {
            throw new ArgumentException("Status codes must be between 200 and 599.");
        }
    }
}

/// <summary>A request body as it arrived, for <see cref="DpwsHostOptions.RequestFilter"/>.</summary>
/// <param name="Path">The requested path.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
/// <param name="Body">The body.</param>
public sealed record DpwsWireRequest(string Path, string? ContentType, ReadOnlyMemory<byte> Body);

/// <summary>A response about to be written, for <see cref="DpwsHostOptions.ResponseFilter"/>.</summary>
/// <param name="Path">The requested path.</param>
/// <param name="Request">The request envelope, when it could be read.</param>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The Content-Type, or null for none.</param>
/// <param name="Body">The body.</param>
public sealed record DpwsWireResponse(string Path, Soap.SoapEnvelope? Request, int StatusCode, string? ContentType, ReadOnlyMemory<byte> Body)
{
    /// <summary>The request's <c>wsa:Action</c>, or null.</summary>
    public string? RequestAction => Request?.Header.Action;

    /// <summary>How long to wait before writing (a slow device); zero by default.</summary>
    public TimeSpan Delay { get; init; }
}
