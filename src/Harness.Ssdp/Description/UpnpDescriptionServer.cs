using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harness.Ssdp.Description;

/// <summary>One thing the description server answers with at a path: bytes and headers, chosen freely (quirks included).</summary>
/// <param name="Body">The body.</param>
public sealed record UpnpHttpResource(ReadOnlyMemory<byte> Body)
{
    /// <summary>The UDA 1.1 Content-Type of a description, <c>text/xml; charset="utf-8"</c>.</summary>
    public const string XmlContentType = "text/xml; charset=\"utf-8\"";

    /// <summary>Content-Type, or null to send none (default <see cref="XmlContentType"/>).</summary>
    public string? ContentType { get; init; } = XmlContentType;

    /// <summary>The status code (default 200).</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Whether Content-Length is sent (default true); false sends the body chunked.</summary>
    public bool SendContentLength { get; init; } = true;

    /// <summary>A Content-Length to announce instead of the body's real length (a quirk), or null.</summary>
    public long? ContentLengthOverride { get; init; }

    /// <summary>
    /// Content-Language to answer a request that carries Accept-Language with; null uses the server's default and
    /// an empty string sends none (a quirk).
    /// </summary>
    public string? ContentLanguage { get; init; }

    /// <summary>More response headers, sent as given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>A description as the strict writer produces it.</summary>
    public static UpnpHttpResource ForDescription(UpnpDescription description) => new(UpnpDescriptionWriter.Write(description));
}

/// <summary>Where and how the description server listens.</summary>
public sealed record UpnpDescriptionServerOptions
{
    /// <summary>Endpoints to listen on (default <c>127.0.0.1:0</c>, a free loopback port).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; init; } = [new IPEndPoint(IPAddress.Loopback, 0)];

    /// <summary>The SERVER header (the SSDP form), or null to send none.</summary>
    public string? Server { get; init; } = "Linux/6 UPnP/1.1 Harness/1.0";

    /// <summary>Content-Language answered to requests with Accept-Language (DESC-HTTP-004; default <c>en</c>).</summary>
    public string ContentLanguage { get; init; } = "en";

    /// <summary>Most connections open at once (default 1,024).</summary>
    public long MaxConcurrentConnections { get; init; } = 1024;
}

/// <summary>A request the description server received.</summary>
/// <param name="Method">GET, HEAD, …</param>
/// <param name="Path">The path.</param>
/// <param name="AcceptLanguage">Accept-Language, or null.</param>
/// <param name="Remote">The client's endpoint, when known.</param>
/// <param name="StatusCode">The status answered.</param>
public sealed record UpnpHttpRequestRecord(string Method, string Path, string? AcceptLanguage, IPEndPoint? Remote, int StatusCode);

/// <summary>
/// Serves UPnP descriptions (and any bytes at any path) over HTTP with Kestrel, bound to loopback on a free port by
/// default. A description is served with <c>Content-Type: text/xml; charset="utf-8"</c>, Content-Length, DATE and
/// SERVER, answers HEAD without a body, and answers Accept-Language with Content-Language (UDA 1.1 §2.3,
/// DESC-HTTP-002..004). Simulated devices map arbitrary resources (<see cref="UpnpHttpResource"/>) or their own
/// handlers (a never-ending body, a slow one, an HTML page) to imitate what real devices do. One server can host
/// many devices, each at its own path.
/// </summary>
public sealed class UpnpDescriptionServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _requests;
    private int _disposed;

    private UpnpDescriptionServer(WebApplication app, UpnpDescriptionServerOptions options)
    {
        _app = app;
        Options = options;
    }

    /// <summary>Every request, after it was answered (raised on the request's thread).</summary>
    public event EventHandler<UpnpHttpRequestRecord>? RequestServed;

    /// <summary>The options.</summary>
    public UpnpDescriptionServerOptions Options { get; }

    /// <summary>The base URI of each endpoint bound (real ports), e.g. <c>http://127.0.0.1:43125/</c>.</summary>
    public IReadOnlyList<Uri> BaseUris { get; private set; } = [];

    /// <summary>The first base URI.</summary>
    public Uri BaseUri => BaseUris[0];

    /// <summary>Requests answered so far.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Starts a server.</summary>
    public static async Task<UpnpDescriptionServer> StartAsync(UpnpDescriptionServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new UpnpDescriptionServerOptions();
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("At least one endpoint is required.", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            foreach (var endPoint in options.EndPoints)
            {
                kestrel.Listen(endPoint);
            }
        });
        var app = builder.Build();
        var server = new UpnpDescriptionServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        server.BaseUris = [.. addresses.Select(a => new Uri(a.EndsWith('/') ? a : a + "/"))];
        return server;
    }

    /// <summary>Serves a description at <paramref name="path"/> (strict writer, UDA headers) and returns its URL.</summary>
    public Uri Publish(string path, UpnpDescription description) => Map(path, UpnpHttpResource.ForDescription(description));

    /// <summary>Serves <paramref name="resource"/> at <paramref name="path"/> (replacing what was there) and returns its URL.</summary>
    public Uri Map(string path, UpnpHttpResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Map(path, context => ServeAsync(context, resource));
    }

    /// <summary>Answers requests for <paramref name="path"/> with a handler of one's own (any behaviour) and returns its URL.</summary>
    public Uri Map(string path, RequestDelegate handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        path = NormalizePath(path);
        _routes[path] = handler;
        return UrlFor(path);
    }

    /// <summary>Stops serving a path; false when nothing was there.</summary>
    public bool Remove(string path) => _routes.TryRemove(NormalizePath(path), out _);

    /// <summary>The absolute URL of a path on the first endpoint.</summary>
    public Uri UrlFor(string path) => new(BaseUri, NormalizePath(path).TrimStart('/'));

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string NormalizePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return path.StartsWith('/') ? path : "/" + path;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        try
        {
            if (Options.Server is { } server)
            {
                context.Response.Headers["SERVER"] = server;
            }

            if (!_routes.TryGetValue(request.Path.Value ?? "/", out var handler))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await handler(context).ConfigureAwait(false);
        }
        finally
        {
            var remote = context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort) : null;
            var language = request.Headers.AcceptLanguage.Count > 0 ? request.Headers.AcceptLanguage.ToString() : null;
            RequestServed?.Invoke(this, new UpnpHttpRequestRecord(request.Method, request.Path.Value ?? "/", language, remote, context.Response.StatusCode));
        }
    }

    private async Task ServeAsync(HttpContext context, UpnpHttpResource resource)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        response.StatusCode = resource.StatusCode;
        if (resource.ContentType is { } contentType)
        {
            response.Headers.ContentType = contentType;
        }

        if (request.Headers.AcceptLanguage.Count > 0)
        {
            var language = resource.ContentLanguage ?? Options.ContentLanguage;
            if (language.Length > 0)
            {
                response.Headers.ContentLanguage = language;
            }
        }

        foreach (var (name, value) in resource.Headers)
        {
            response.Headers.Append(name, value);
        }

        if (resource.SendContentLength)
        {
            response.ContentLength = resource.ContentLengthOverride ?? resource.Body.Length;
        }

        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        var body = resource.Body;
        if (resource.ContentLengthOverride is { } announced && announced < body.Length)
        {
            body = body[..(int)Math.Max(0, announced)];
        }

        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (resource.ContentLengthOverride is { } longer && longer > body.Length)
        {
            // The announced length is never reached: end the connection so the client sees a short body.
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
        }
    }
}
