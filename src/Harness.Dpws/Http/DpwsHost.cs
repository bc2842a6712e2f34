using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Core.Xml;
using Harness.Dpws.Logging;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Dpws.Http;

/// <summary>Counters of a <see cref="DpwsHost"/>.</summary>
/// <param name="Requests">Requests received.</param>
/// <param name="Answered">Requests answered with 2xx.</param>
/// <param name="Faults">Requests answered with a SOAP fault.</param>
/// <param name="Malformed">Requests whose body was not a readable envelope.</param>
/// <param name="TooLarge">Requests refused for size (413).</param>
/// <param name="TimedOut">Requests whose body did not arrive in time (408).</param>
/// <param name="HandlerFailures">Handlers that threw (answered with a Receiver fault).</param>
public sealed record DpwsHostStatistics(long Requests, long Answered, long Faults, long Malformed, long TooLarge, long TimedOut, long HandlerFailures);

/// <summary>
/// The device side of SOAP-over-HTTP (DPWS R0001/R0003): Kestrel (or any ASP.NET Core server, e.g. TestServer through
/// <see cref="DpwsHostOptions.ConfigureWebHost"/>) serving SOAP endpoints at paths and dispatching by <c>wsa:Action</c>.
/// It bounds what a client can make it hold: the request size (DPWS MAX_ENVELOPE_SIZE 32,767 by default, per endpoint),
/// header and body time, handler time; it answers a request it cannot read with a Sender fault (400), an unknown action
/// with <c>wsa:ActionNotSupported</c> (500, configurable for quirk Q-F200), an oversized one with 413 and a slow one with
/// 408, closing those connections, and keeps serving everyone else. Directed probes (WSD-PRB-017) are answered through
/// <see cref="DirectedProbe"/>. Quirk profiles of simulated devices bend requests and answers through the hooks of
/// <see cref="DpwsHostOptions.RequestFilter"/>, <see cref="DpwsHostOptions.Interceptor"/> and <see cref="DpwsHostOptions.ResponseFilter"/>.
/// </summary>
public sealed class DpwsHost : IAsyncDisposable
{
    private const string SoapContentType = "application/soap+xml; charset=utf-8";

    private readonly ConcurrentDictionary<string, SoapEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly SeededIds _ids;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private IHost? _host;
    private Uri? _baseAddress;
    private int _state;
    private long _requests;
    private long _answered;
    private long _faults;
    private long _malformed;
    private long _tooLarge;
    private long _timedOut;
    private long _handlerFailures;

    /// <summary>A host with <paramref name="options"/> (validated); call <see cref="StartAsync"/> to listen.</summary>
    public DpwsHost(DpwsHostOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new DpwsHostOptions();
        Options.Validate();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<DpwsHost>();
        _ids = new SeededIds(Options.Seed);
        _time = Options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>The settings.</summary>
    public DpwsHostOptions Options { get; }

    /// <summary>The directed-probe responder (WSD-PRB-017); null answers Probes like any unknown action.</summary>
    public DirectedProbeResponder? DirectedProbe { get; set; }

    /// <summary>Raised after every exchange (from the request thread; keep handlers short, exceptions are logged).</summary>
    public event EventHandler<SoapExchangeEventArgs>? Exchanged;

    /// <summary>The mapped endpoints.</summary>
    public IReadOnlyList<SoapEndpoint> Endpoints => [.. _endpoints.Values.OrderBy(e => e.Path, StringComparer.Ordinal)];

    /// <summary><c>http://address:port/</c> once started (<c>http://localhost/</c> on a server without addresses, e.g. TestServer).</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The host has not been started.");

    /// <summary>The port listened on once started (the real one when <see cref="DpwsHostOptions.Port"/> was 0).</summary>
    public int Port => BaseAddress.Port;

    /// <summary>The services of the running web host (e.g. to get a TestServer's handler); throws before start.</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The host has not been started.");

    /// <summary>The counters.</summary>
    public DpwsHostStatistics Statistics => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _answered),
        Interlocked.Read(ref _faults),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _tooLarge),
        Interlocked.Read(ref _timedOut),
        Interlocked.Read(ref _handlerFailures));

    /// <summary>The absolute URL of <paramref name="path"/> on this host.</summary>
    public Uri AddressOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new Uri(BaseAddress, path.TrimStart('/'));
    }

    /// <summary>A fresh <c>urn:uuid:</c> message id from the host's seeded generator.</summary>
    public string NewMessageId() => _ids.NewMessageId();

    /// <summary>A fresh GUID from the host's seeded generator (e.g. for subscription identifiers).</summary>
    public Guid NewGuid() => _ids.NewGuid();

    /// <summary>Maps an endpoint at <paramref name="path"/> (can be done before or after start); throws if the path is taken.</summary>
    /// <param name="path">The path, starting with <c>/</c>.</param>
    /// <param name="maxRequestBytes">Largest request body it accepts; null for <see cref="DpwsHostOptions.MaxRequestBytes"/>.</param>
    public SoapEndpoint MapEndpoint(string path, int? maxRequestBytes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path[0] != '/' || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException("The path must start with '/' and carry no query or fragment.", nameof(path));
        }

        if (maxRequestBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 256, nameof(maxRequestBytes));
        }

        var endpoint = new SoapEndpoint(path.Length > 1 ? path.TrimEnd('/') : path, maxRequestBytes ?? Options.MaxRequestBytes);
        if (!_endpoints.TryAdd(Key(path), endpoint))
        {
            throw new InvalidOperationException($"An endpoint is already mapped at {path}.");
        }

        return endpoint;
    }

    /// <summary>The endpoint at <paramref name="path"/> (case-insensitive, trailing slash ignored), or null.</summary>
    public SoapEndpoint? FindEndpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _endpoints.TryGetValue(Key(path), out var endpoint) ? endpoint : null;
    }

    /// <summary>Removes the endpoint at <paramref name="path"/>; false when there was none.</summary>
    public bool RemoveEndpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _endpoints.TryRemove(Key(path), out _);
    }

    /// <summary>Builds the web host and starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state != 0)
            {
                throw new InvalidOperationException("The host has already been started.");
            }

            _state = 1;
        }

        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IHostLifetime, QuietLifetime>();
                services.AddSingleton(_loggerFactory);
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
            })
            .ConfigureWebHost(
                web =>
                {
                    web.UseKestrel(ConfigureKestrel);
                    web.Configure(app => app.Run(HandleAsync));
                    Options.ConfigureWebHost?.Invoke(web);
                },
                o => o.SuppressEnvironmentConfiguration = true)
            .Build();
        _host = host;
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var server = host.Services.GetRequiredService<IServer>();
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        _baseAddress = address is not null && Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + "/")
            : new Uri("http://localhost/");
        DpwsLog.HostStarted(_logger, _baseAddress);
    }

    /// <summary>Stops listening (in-flight requests get a short grace period).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IHost? host;
        lock (_gate)
        {
            if (_state != 1)
            {
                return;
            }

            _state = 2;
            host = _host;
        }

        if (host is not null)
        {
            await host.StopAsync(cancellationToken).ConfigureAwait(false);
            DpwsLog.HostStopped(_logger, _baseAddress!);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            _state = 2;
        }

        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host?.Dispose();
        }
    }

    /// <summary>
    /// Handles one HTTP request: the whole SOAP pipeline (size, time, content type, reading, dispatch, answer). Public so
    /// that the host can be mounted in another ASP.NET Core pipeline (<c>app.Run(host.HandleAsync)</c>).
    /// </summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = _time.GetUtcNow();
        var request = context.Request;
        var path = request.Path.HasValue ? request.Path.Value! : "/";
        var remote = RemoteOf(context);
        Interlocked.Increment(ref _requests);
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
            DpwsLog.RequestRefused(_logger, request.Method, path, remote, 405, "not POST");
            return;
        }

        var endpoint = FindEndpoint(path);
        var limit = endpoint?.MaxRequestBytes ?? Options.MaxRequestBytes;
        var violations = new List<Violation>();
        var exchange = new Exchange(context, path, remote, received, violations);

        if (request.ContentLength is long declared && declared > limit)
        {
            await RefuseTooLargeAsync(exchange, limit, $"Content-Length {declared}").ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        byte[] buffer;
        int length;
        using (var deadline = new CancellationTokenSource(Options.BodyReadTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, context.RequestAborted))
        {
            try
            {
                (buffer, length) = await ReadBodyAsync(request.Body, limit, request.ContentLength, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                DpwsLog.ClientGone(_logger, path);
                return;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _timedOut);
                await RefuseAsync(exchange, StatusCodes.Status408RequestTimeout, $"The request body did not arrive within {Options.BodyReadTimeout}.").ConfigureAwait(false);
                return;
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await RefuseTooLargeAsync(exchange, limit, "body").ConfigureAwait(false);
                return;
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
            {
                if (ex.StatusCode == StatusCodes.Status408RequestTimeout)
                {
                    Interlocked.Increment(ref _timedOut);
                }

                await RefuseAsync(exchange, ex.StatusCode, ex.Message).ConfigureAwait(false);
                return;
            }
            catch (IOException)
            {
                DpwsLog.ClientGone(_logger, path);
                return;
            }
        }

        if (length > limit)
        {
            await RefuseTooLargeAsync(exchange, limit, "body").ConfigureAwait(false);
            return;
        }

        var body = new ReadOnlyMemory<byte>(buffer, 0, length);
        exchange.RequestBody = body;
        if (Options.RequestFilter is { } requestFilter)
        {
            body = requestFilter(new DpwsWireRequest(path, request.ContentType, body));
        }

        var contentType = MediaType.Parse(request.ContentType);
        var multipart = MtomReader.IsMultipart(contentType);
        if (!multipart && !CheckContentType(contentType, violations))
        {
            await RefuseAsync(exchange, StatusCodes.Status415UnsupportedMediaType, $"The Content-Type '{request.ContentType}' is not application/soap+xml.").ConfigureAwait(false);
            return;
        }

        var root = body;
        MtomPackage? package = null;
        if (multipart)
        {
            var mtom = MtomReader.Read(body, contentType);
            violations.AddRange(mtom.Violations);
            if (mtom.Package is null)
            {
                Interlocked.Increment(ref _malformed);
                await AnswerFaultAsync(exchange, null, SoapFault.Malformed("The MIME package could not be read: " + mtom.Error), Options.MalformedStatusCode).ConfigureAwait(false);
                return;
            }

            package = mtom.Package;
            root = package.Root.Content;
        }

        var limits = new XmlLimits(MaxBytes: Math.Max(limit, 1), MaxDepth: Options.MaxXmlDepth, MaxElements: Options.MaxXmlElements);
        var read = SoapReader.Read(root.Span, new SoapReadOptions(ReadMode.Lenient, limits));
        violations.AddRange(read.Violations);
        if (read.Envelope is not { } envelope)
        {
            Interlocked.Increment(ref _malformed);
            await AnswerFaultAsync(exchange, null, SoapFault.Malformed("The request is not a readable SOAP envelope: " + read.ErrorMessage), Options.MalformedStatusCode).ConfigureAwait(false);
            return;
        }

        exchange.Request = envelope;
        if (!read.IsSoap12)
        {
            await AnswerFaultAsync(exchange, envelope, SoapFault.WrongVersion(), Options.FaultStatusCode).ConfigureAwait(false);
            return;
        }

        if (envelope.Header.Action is not { } action)
        {
            await AnswerFaultAsync(exchange, envelope, SoapFault.MessageInformationHeaderRequired("Action"), Options.FaultStatusCode).ConfigureAwait(false);
            return;
        }

        if (contentType["action"] is { } actionParameter && XmlValues.Trim(actionParameter) != action)
        {
            violations.Add(new Violation(DpwsRuleIds.HttpBinding, $"The Content-Type action parameter '{actionParameter}' differs from wsa:Action '{action}'.", ViolationSeverity.Warning, "Content-Type"));
        }

        if (DirectedProbe is { } responder && IsProbe(action) && (endpoint is null ? PathIs(path, DirectedProbeResponder.StableDiscoveryPath) : !endpoint.Handles(action)))
        {
            await AnswerProbeAsync(exchange, responder, root, limits).ConfigureAwait(false);
            return;
        }

        if (endpoint is null)
        {
            await AnswerFaultAsync(exchange, envelope, SoapFault.DestinationUnreachable($"No endpoint is served at {path}."), Options.UnknownPathStatusCode).ConfigureAwait(false);
            return;
        }

        var handler = endpoint.Find(action);
        if (handler is null && Options.Interceptor is null)
        {
            await AnswerFaultAsync(exchange, envelope, SoapFault.ActionNotSupported(action), Options.FaultStatusCode).ConfigureAwait(false);
            return;
        }

        var soapContext = new SoapRequestContext(envelope, EndpointAddressOf(context, endpoint.Path), _ids.NewMessageId, violations)
        {
            RawEnvelope = root,
            Package = package,
            RemoteEndPoint = remote,
            LocalEndPoint = LocalOf(context),
            HttpContext = context,
        };
        SoapResponse response;
        using (var handlerDeadline = new CancellationTokenSource(Options.HandlerTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(handlerDeadline.Token, context.RequestAborted))
        {
            try
            {
                var intercepted = Options.Interceptor is { } interceptor ? await interceptor(soapContext, linked.Token).ConfigureAwait(false) : null;
                response = intercepted
                    ?? (handler is null
                        ? soapContext.Fault(SoapFault.ActionNotSupported(action), Options.FaultStatusCode)
                        : await handler(soapContext, linked.Token).ConfigureAwait(false) ?? SoapResponse.Accepted);
            }
            catch (SoapFaultException ex)
            {
                response = soapContext.Fault(ex.Fault, ex.HttpStatusCode);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                DpwsLog.ClientGone(_logger, path);
                return;
            }
            catch (OperationCanceledException) when (handlerDeadline.IsCancellationRequested)
            {
                DpwsLog.HandlerTimedOut(_logger, action, path, Options.HandlerTimeout);
                response = soapContext.Fault(SoapFault.EndpointUnavailable());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref _handlerFailures);
                DpwsLog.HandlerFailed(_logger, action, path, ex);
                response = soapContext.Fault(SoapFault.InternalError());
            }
        }

        exchange.Violations = soapContext.Violations;
        var status = response.StatusCode
            ?? (response.Envelope is null ? StatusCodes.Status202Accepted
                : response.Envelope.IsFault ? Options.FaultStatusCode : StatusCodes.Status200OK);
        await WriteAsync(exchange, status, response.Envelope, response.Attachments, close: false).ConfigureAwait(false);
    }

    private void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = Options.MaxRequestBytes;
        kestrel.Limits.RequestHeadersTimeout = Options.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = Options.KeepAliveTimeout;
        kestrel.Limits.MaxConcurrentConnections = Options.MaxConcurrentConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
        kestrel.Limits.MinRequestBodyDataRate = Options.MinRequestBodyBytesPerSecond is { } rate
            ? new MinDataRate(rate, Options.MinRequestBodyRateGracePeriod)
            : null;
        kestrel.Listen(Options.Address, Options.Port, listen => listen.Protocols = HttpProtocols.Http1);
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(Stream body, int limit, long? contentLength, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Clamp(contentLength ?? 4096, 256, (long)limit + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    return (buffer, length);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
            }

            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer, length);
            }

            length += read;
        }
    }

    private bool CheckContentType(MediaType contentType, List<Violation> violations)
    {
        if (contentType.Is("application/soap+xml"))
        {
            return true;
        }

        var found = contentType.Value.Length == 0 ? "no Content-Type" : $"Content-Type '{contentType.Value}'";
        var xmlish = contentType.Value.Length == 0 || contentType.Is("text/xml") || contentType.Is("application/xml");
        violations.Add(new Violation(DpwsRuleIds.HttpBinding, $"The request has {found}; DPWS requires application/soap+xml (R0001).", xmlish ? ViolationSeverity.Warning : ViolationSeverity.Error, "Content-Type"));
        return Options.AcceptTextXml && xmlish;
    }

    private async Task AnswerProbeAsync(Exchange exchange, DirectedProbeResponder responder, ReadOnlyMemory<byte> root, XmlLimits limits)
    {
        var read = WsdMessageReader.Read(root.Span, new WsdReadOptions(ReadMode.Lenient, limits));
        exchange.Violations = [.. exchange.Violations, .. read.Violations];
        if (read.Message is not WsdProbe probe)
        {
            Interlocked.Increment(ref _malformed);
            await AnswerFaultAsync(exchange, exchange.Request, SoapFault.Malformed("The Probe could not be read."), Options.MalformedStatusCode).ConfigureAwait(false);
            return;
        }

        var answer = responder.Answer(probe, HostLiteralOf(exchange.Context), _ids.NewMessageId);
        var bytes = WsdMessageWriter.Write(answer);
        var status = answer is WsdFault ? Options.FaultStatusCode : StatusCodes.Status200OK;
        if (answer is WsdFault)
        {
            Interlocked.Increment(ref _faults);
        }

        var response = SoapReader.Read(bytes).Envelope;
        await WriteBytesAsync(exchange, status, bytes, SoapContentType, response, close: false).ConfigureAwait(false);
    }

    private Task RefuseTooLargeAsync(Exchange exchange, int limit, string what)
    {
        Interlocked.Increment(ref _tooLarge);
        return RefuseAsync(exchange, StatusCodes.Status413PayloadTooLarge, $"The request ({what}) is larger than {limit} bytes.");
    }

    private async Task RefuseAsync(Exchange exchange, int status, string reason)
    {
        DpwsLog.RequestRefused(_logger, exchange.Context.Request.Method, exchange.Path, exchange.Remote, status, reason);
        if (exchange.Context.Response.HasStarted)
        {
            exchange.Context.Abort();
            return;
        }

        var envelope = SoapEnvelope.FaultReply(null, SoapFault.Malformed(reason), _ids.NewMessageId());
        try
        {
            await WriteAsync(exchange, status, envelope, [], close: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            DpwsLog.ClientGone(_logger, exchange.Path);
        }
    }

    private Task AnswerFaultAsync(Exchange exchange, SoapEnvelope? request, SoapFault fault, int status)
    {
        var envelope = SoapEnvelope.FaultReply(request, fault, _ids.NewMessageId());
        return WriteAsync(exchange, status, envelope, [], close: false);
    }

    private async Task WriteAsync(Exchange exchange, int status, SoapEnvelope? envelope, IReadOnlyList<MtomAttachment> attachments, bool close)
    {
        var context = exchange.Context;
        if (envelope is null)
        {
            await WriteBytesAsync(exchange, status, ReadOnlyMemory<byte>.Empty, null, null, close).ConfigureAwait(false);
            return;
        }

        var bytes = SoapWriter.Write(envelope);
        if (envelope.IsFault)
        {
            Interlocked.Increment(ref _faults);
        }

        if (attachments is not { Count: > 0 })
        {
            await WriteBytesAsync(exchange, status, bytes, SoapContentType, envelope, close).ConfigureAwait(false);
            return;
        }

        var boundary = _ids.NewBoundary();
        var contentType = MtomWriter.ContentType(boundary);
        if (attachments.All(a => a.WriteContentAsync is null))
        {
            await WriteBytesAsync(exchange, status, MtomWriter.Write(boundary, bytes, attachments), contentType, envelope, close).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        if (close)
        {
            context.Response.Headers.Connection = "close";
        }

        Record(exchange, status, contentType, bytes);
        await MtomWriter.WriteAsync(context.Response.Body, boundary, bytes, attachments, MtomWriter.DefaultRootContentId, context.RequestAborted).ConfigureAwait(false);
        Finish(exchange, status, envelope);
    }

    private async Task WriteBytesAsync(Exchange exchange, int status, ReadOnlyMemory<byte> bytes, string? contentType, SoapEnvelope? envelope, bool close)
    {
        if (Options.ResponseFilter is { } filter)
        {
            var wire = filter(new DpwsWireResponse(exchange.Path, exchange.Request, status, contentType, bytes));
            (status, contentType, bytes) = (wire.StatusCode, wire.ContentType, wire.Body);
            if (wire.Delay > TimeSpan.Zero)
            {
                await Task.Delay(wire.Delay, _time, exchange.Context.RequestAborted).ConfigureAwait(false);
            }
        }

        var response = exchange.Context.Response;
        response.StatusCode = status;
        if (close)
        {
            response.Headers.Connection = "close";
        }

        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.ContentLength = bytes.Length;
        Record(exchange, status, contentType, bytes);
        if (bytes.Length > 0)
        {
            await response.Body.WriteAsync(bytes, exchange.Context.RequestAborted).ConfigureAwait(false);
        }

        Finish(exchange, status, envelope);
    }

    private void Finish(Exchange exchange, int status, SoapEnvelope? response)
    {
        if (status is >= 200 and < 300 && response?.IsFault != true)
        {
            Interlocked.Increment(ref _answered);
        }

        DpwsLog.RequestAnswered(_logger, exchange.Path, exchange.Remote, exchange.Request?.Header.Action, status);
        if (Exchanged is not { } observers)
        {
            return;
        }

        var args = new SoapExchangeEventArgs
        {
            Time = exchange.Received,
            Path = exchange.Path,
            RemoteEndPoint = exchange.Remote,
            Action = exchange.Request?.Header.Action,
            Request = exchange.Request,
            Response = response,
            StatusCode = status,
            Violations = exchange.Violations,
        };
        try
        {
            observers(this, args);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DpwsLog.ObserverFailed(_logger, ex);
        }
    }

    private void Record(Exchange exchange, int status, string? contentType, ReadOnlyMemory<byte> body)
    {
        if (Options.Recorder is not { } recorder)
        {
            return;
        }

        var context = exchange.Context;
        var client = exchange.Remote ?? new IPEndPoint(IPAddress.Loopback, 0);
        var server = LocalOf(context) ?? new IPEndPoint(IPAddress.Loopback, _baseAddress?.Port ?? 0);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} HTTP/1.1\r\n");
        foreach (var (name, values) in context.Request.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {values}\r\n");
        }

        head.Append("\r\n");
        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Http, client, server, [.. Encoding.Latin1.GetBytes(head.ToString()), .. exchange.RequestBody.Span], "dpws", exchange.Received);
        var responseHead = new StringBuilder();
        responseHead.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)}\r\n");
        if (contentType is not null)
        {
            responseHead.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        }

        responseHead.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        recorder.Record(TrafficDirection.Outbound, TrafficTransport.Http, server, client, [.. Encoding.Latin1.GetBytes(responseHead.ToString()), .. body.Span], "dpws");
    }

    private static bool IsProbe(string action) =>
        action == WsdProtocol.V2005.ProbeAction || action == WsdProtocol.V11.ProbeAction;

    private static string Key(string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        return trimmed.Length == 0 ? "/" : trimmed.ToUpperInvariant();
    }

    private static bool PathIs(string path, string expected) => Key(path) == Key(expected);

    private static IPEndPoint? RemoteOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? new IPEndPoint(ip, context.Connection.RemotePort) : null;

    private static IPEndPoint? LocalOf(HttpContext context) =>
        context.Connection.LocalIpAddress is { } ip ? new IPEndPoint(ip, context.Connection.LocalPort) : null;

    private static string HostLiteralOf(HttpContext context)
    {
        if (context.Connection.LocalIpAddress is { } ip && context.Connection.LocalPort != 0)
        {
            return DirectedProbeResponder.HostLiteral(ip);
        }

        return context.Request.Host.HasValue ? context.Request.Host.Host : "localhost";
    }

    private Uri EndpointAddressOf(HttpContext context, string path)
    {
        var scheme = context.Request.IsHttps ? "https" : "http";
        string authority;
        if (context.Connection.LocalIpAddress is { } ip && context.Connection.LocalPort != 0)
        {
            authority = DirectedProbeResponder.HostLiteral(ip) + ":" + context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture);
        }
        else if (context.Request.Host.HasValue)
        {
            authority = context.Request.Host.Value!;
        }
        else
        {
            authority = _baseAddress?.Authority ?? "localhost";
        }

        return Uri.TryCreate($"{scheme}://{authority}{path}", UriKind.Absolute, out var uri)
            ? uri
            : new Uri(_baseAddress ?? new Uri("http://localhost/"), path.TrimStart('/'));
    }

    private sealed class Exchange(HttpContext context, string path, IPEndPoint? remote, DateTimeOffset received, IReadOnlyList<Violation> violations)
    {
        public HttpContext Context { get; } = context;

        public string Path { get; } = path;

        public IPEndPoint? Remote { get; } = remote;

        public DateTimeOffset Received { get; } = received;

        public IReadOnlyList<Violation> Violations { get; set; } = violations;

        public SoapEnvelope? Request { get; set; }

        public ReadOnlyMemory<byte> RequestBody { get; set; }
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
