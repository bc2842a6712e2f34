using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Core.Xml;
using Harness.Dpws.Logging;
using Harness.Dpws.Soap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Dpws.Http;

/// <summary>Settings of a <see cref="SoapHttpClient"/>.</summary>
public sealed record SoapHttpClientOptions
{
    /// <summary>The User-Agent header; <c>WSDAPI</c> as Windows sends it (some devices need it, quirk Q-HDRS); null sends none.</summary>
    public string? UserAgent { get; init; } = "WSDAPI";

    /// <summary>Send <c>charset=utf-8</c> with <c>application/soap+xml</c> (false for devices that refuse it, Q-HDRS).</summary>
    public bool IncludeCharset { get; init; } = true;

    /// <summary>Send <c>Cache-Control: no-cache</c> and <c>Pragma: no-cache</c> as WSDAPI does (Q-HDRS).</summary>
    public bool SendNoCacheHeaders { get; init; } = true;

    /// <summary>Time for a whole exchange (request sent, response read).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest response body accepted (default 4 MiB; raise it per call for images).</summary>
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Deepest XML nesting accepted in a response.</summary>
    public int MaxXmlDepth { get; init; } = 64;

    /// <summary>When set, every request and response is recorded (protocol label <c>dpws</c>).</summary>
    public TrafficRecorder? Recorder { get; init; }

    /// <summary>Seed of the message-id and boundary generator; null for a fresh seed.</summary>
    public int? Seed { get; init; }

    /// <summary>The clock of the timeout; null for the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable settings.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResponseBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxXmlDepth, 4);
    }
}

/// <summary>Per-call settings of <see cref="SoapHttpClient"/>.</summary>
public sealed record SoapCallOptions
{
    /// <summary>Attachments: when any, the request is sent as an MTOM/XOP package (chunked).</summary>
    public IReadOnlyList<MtomAttachment> Attachments { get; init; } = [];

    /// <summary>Overrides <see cref="SoapHttpClientOptions.MaxResponseBytes"/>.</summary>
    public int? MaxResponseBytes { get; init; }

    /// <summary>Overrides <see cref="SoapHttpClientOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>An HTTP response as it arrived.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
/// <param name="Body">The body (bounded by the size limit).</param>
public sealed record SoapRawResponse(int StatusCode, string? ContentType, ReadOnlyMemory<byte> Body);

/// <summary>A SOAP response: status, envelope (null for an empty body), MTOM package and the deviations found.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
/// <param name="Envelope">The envelope, or null when the body was empty.</param>
/// <param name="Violations">Deviations found (reader, HTTP binding, Q-F200).</param>
/// <param name="Package">The MTOM package of a multipart response, or null.</param>
public sealed record SoapCallResult(int StatusCode, string? ContentType, SoapEnvelope? Envelope, IReadOnlyList<Violation> Violations, MtomPackage? Package = null);

/// <summary>
/// The client side of SOAP-over-HTTP over <see cref="HttpClient"/> (an injectable <see cref="HttpMessageHandler"/>, so
/// tests use TestServer's). Sends envelopes with WSDAPI-like headers (Q-HDRS), reads responses leniently: faults are
/// understood with any status (HTTP 200 is reported, Q-F200), size and time are bounded, and what is not SOAP ends in a
/// typed <see cref="SoapProtocolException"/>.
/// </summary>
public sealed class SoapHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly SeededIds _ids;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>A client over <paramref name="handler"/> (not disposed with the client), or over its own socket handler.</summary>
    public SoapHttpClient(SoapHttpClientOptions? options = null, HttpMessageHandler? handler = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new SoapHttpClientOptions();
        Options.Validate();
        _ids = new SeededIds(Options.Seed);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SoapHttpClient>();
        _time = Options.TimeProvider ?? TimeProvider.System;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
    }

    /// <summary>The settings.</summary>
    public SoapHttpClientOptions Options { get; }

    /// <summary>A fresh <c>urn:uuid:</c> message id from the client's seeded generator.</summary>
    public string NewMessageId() => _ids.NewMessageId();

    /// <summary>
    /// Sends <paramref name="request"/> and returns what came back, fault or not. Throws <see cref="SoapProtocolException"/>
    /// when no SOAP answer arrived (connection, timeout, size, non-SOAP error page).
    /// </summary>
    public async Task<SoapCallResult> SendAsync(Uri address, SoapEnvelope request, SoapCallOptions? call = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(request);
        call ??= new SoapCallOptions();
        var envelope = SoapWriter.Write(request);
        SoapRawResponse raw;
        if (call.Attachments.Count > 0)
        {
            var boundary = _ids.NewBoundary();
            using var content = new MtomContent(boundary, envelope, call.Attachments);
            raw = await ExchangeAsync(address, content, MtomWriter.ContentType(boundary), envelope, request.Header.Action, call, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var content = new ByteArrayContent(envelope);
            raw = await ExchangeAsync(address, content, SoapContentType(), envelope, request.Header.Action, call, cancellationToken).ConfigureAwait(false);
        }

        return Interpret(raw, call);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the reply; throws <see cref="SoapFaultException"/> for a fault (any
    /// status) and <see cref="SoapProtocolException"/> when no envelope came back.
    /// </summary>
    public async Task<SoapCallResult> InvokeAsync(Uri address, SoapEnvelope request, SoapCallOptions? call = null, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(address, request, call, cancellationToken).ConfigureAwait(false);
        if (result.Envelope is not { } reply)
        {
            throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"{address} answered {result.StatusCode} without an envelope to {request.Header.Action}.", result.StatusCode, result.Violations);
        }

        if (reply.Fault is { } fault)
        {
            throw new SoapFaultException(fault, result.StatusCode, reply, result.Violations);
        }

        return result;
    }

    /// <summary>Sends arbitrary bytes (a WS-Discovery Probe, a test's hostile body) and returns the raw response.</summary>
    public async Task<SoapRawResponse> SendRawAsync(Uri address, ReadOnlyMemory<byte> body, string? contentType = null, SoapCallOptions? call = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        call ??= new SoapCallOptions();
        using var content = new ReadOnlyMemoryContent(body);
        return await ExchangeAsync(address, content, contentType ?? SoapContentType(), body, null, call, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a raw response as SOAP: the envelope (or MTOM package), with every deviation found.</summary>
    public SoapCallResult Interpret(SoapRawResponse raw, SoapCallOptions? call = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var max = call?.MaxResponseBytes ?? Options.MaxResponseBytes;
        var violations = new List<Violation>();
        var ok = raw.StatusCode is >= 200 and < 300;
        if (raw.Body.IsEmpty)
        {
            if (!ok)
            {
                throw new SoapProtocolException(SoapProtocolError.HttpStatus, $"HTTP {raw.StatusCode} without a body.", raw.StatusCode);
            }

            return new SoapCallResult(raw.StatusCode, raw.ContentType, null, violations);
        }

        var mediaType = MediaType.Parse(raw.ContentType);
        var root = raw.Body;
        MtomPackage? package = null;
        if (MtomReader.IsMultipart(mediaType))
        {
            var mtom = MtomReader.Read(raw.Body, mediaType);
            violations.AddRange(mtom.Violations);
            if (mtom.Package is null)
            {
                throw new SoapProtocolException(ok ? SoapProtocolError.Malformed : SoapProtocolError.HttpStatus, "The MIME package could not be read: " + mtom.Error, raw.StatusCode, violations);
            }

            package = mtom.Package;
            root = package.Root.Content;
        }
        else if (!mediaType.Is("application/soap+xml"))
        {
            var found = mediaType.Value.Length == 0 ? "no Content-Type" : $"Content-Type '{mediaType.Value}'";
            violations.Add(new Violation(DpwsRuleIds.HttpBinding, $"The response has {found}; DPWS requires application/soap+xml (R0001).", ViolationSeverity.Warning, "Content-Type"));
        }

        var read = SoapReader.Read(root.Span, new SoapReadOptions(ReadMode.Lenient, new XmlLimits(MaxBytes: max, MaxDepth: Options.MaxXmlDepth)));
        violations.AddRange(read.Violations);
        if (read.Envelope is not { } envelope)
        {
            throw new SoapProtocolException(ok ? SoapProtocolError.Malformed : SoapProtocolError.HttpStatus, $"HTTP {raw.StatusCode} with a body that is not a SOAP envelope: {read.ErrorMessage}", raw.StatusCode, violations);
        }

        if (envelope.IsFault && ok)
        {
            violations.Add(new Violation(DpwsRuleIds.FaultStatus, $"A SOAP fault came with HTTP {raw.StatusCode}; the SOAP 1.2 HTTP binding uses 400 or 500 [Q-F200].", ViolationSeverity.Warning, "status"));
        }
        else if (!envelope.IsFault && !ok)
        {
            violations.Add(new Violation(DpwsRuleIds.HttpBinding, $"A reply that is not a fault came with HTTP {raw.StatusCode}.", ViolationSeverity.Warning, "status"));
        }

        return new SoapCallResult(raw.StatusCode, raw.ContentType, envelope, violations, package);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private string SoapContentType() => Options.IncludeCharset ? "application/soap+xml; charset=utf-8" : "application/soap+xml";

    private async Task<SoapRawResponse> ExchangeAsync(Uri address, HttpContent content, string contentType, ReadOnlyMemory<byte> recordBody, string? action, SoapCallOptions call, CancellationToken cancellationToken)
    {
        var max = call.MaxResponseBytes ?? Options.MaxResponseBytes;
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var message = new HttpRequestMessage(HttpMethod.Post, address) { Content = content, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (Options.UserAgent is { } agent)
        {
            message.Headers.TryAddWithoutValidation("User-Agent", agent);
        }

        if (Options.SendNoCacheHeaders)
        {
            message.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            message.Headers.Pragma.Add(new NameValueHeaderValue("no-cache"));
        }

        using var timeout = new CancellationTokenSource(call.Timeout ?? Options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        RecordRequest(address, contentType, recordBody);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var responseType = response.Content.Headers.ContentType?.ToString();
            if (response.Content.Headers.ContentLength is long length && length > max)
            {
                throw new SoapProtocolException(SoapProtocolError.TooLarge, $"The response is {length} bytes; the limit is {max}.", status);
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var body = await ReadBoundedAsync(stream, max, status, linked.Token).ConfigureAwait(false);
                DpwsLog.ClientExchange(_logger, address, action, status);
                RecordResponse(address, status, responseType, body);
                return new SoapRawResponse(status, responseType, body);
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            DpwsLog.ClientFailed(_logger, address, action, "timeout");
            throw new SoapProtocolException(SoapProtocolError.Timeout, $"{address} did not answer within {call.Timeout ?? Options.Timeout}.", null, null, ex);
        }
        catch (HttpRequestException ex)
        {
            DpwsLog.ClientFailed(_logger, address, action, ex.Message);
            throw new SoapProtocolException(SoapProtocolError.Connection, $"POST {address} failed: {ex.Message}", null, null, ex);
        }
        catch (IOException ex)
        {
            DpwsLog.ClientFailed(_logger, address, action, ex.Message);
            throw new SoapProtocolException(SoapProtocolError.Connection, $"POST {address} failed: {ex.Message}", null, null, ex);
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream stream, int max, int status, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > max)
                {
                    throw new SoapProtocolException(SoapProtocolError.TooLarge, $"The response is larger than {max} bytes.", status);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)max + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.AsMemory(0, length);
            }

            length += read;
            if (length > max)
            {
                throw new SoapProtocolException(SoapProtocolError.TooLarge, $"The response is larger than {max} bytes.", status);
            }
        }
    }

    private void RecordRequest(Uri address, string contentType, ReadOnlyMemory<byte> body)
    {
        if (Options.Recorder is not { } recorder)
        {
            return;
        }

        var head = string.Create(CultureInfo.InvariantCulture, $"POST {address.PathAndQuery} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: {contentType}\r\n\r\n");
        recorder.Record(TrafficDirection.Outbound, TrafficTransport.Http, new IPEndPoint(IPAddress.Any, 0), EndPointOf(address), [.. Encoding.Latin1.GetBytes(head), .. body.Span], "dpws");
    }

    private void RecordResponse(Uri address, int status, string? contentType, ReadOnlyMemory<byte> body)
    {
        if (Options.Recorder is not { } recorder)
        {
            return;
        }

        var head = string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status}\r\n{(contentType is null ? string.Empty : "Content-Type: " + contentType + "\r\n")}Content-Length: {body.Length}\r\n\r\n");
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Http, EndPointOf(address), new IPEndPoint(IPAddress.Any, 0), [.. Encoding.Latin1.GetBytes(head), .. body.Span], "dpws");
    }

    private static IPEndPoint EndPointOf(Uri address) =>
        new(IPAddress.TryParse(address.IdnHost, out var ip) ? ip : IPAddress.Any, address.Port);

    private sealed class MtomContent(string boundary, ReadOnlyMemory<byte> envelope, IReadOnlyList<MtomAttachment> attachments) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            MtomWriter.WriteAsync(stream, boundary, envelope, attachments);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            MtomWriter.WriteAsync(stream, boundary, envelope, attachments, MtomWriter.DefaultRootContentId, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
