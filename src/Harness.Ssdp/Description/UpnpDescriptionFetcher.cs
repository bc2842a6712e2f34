using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Description;

/// <summary>How a description fetch ended.</summary>
public enum UpnpFetchStatus
{
    /// <summary>200 and a description that could be read (it may still carry violations).</summary>
    Ok,

    /// <summary>The LOCATION is not an absolute http URL.</summary>
    InvalidLocation,

    /// <summary>No connection, a reset, or a response that ended before its Content-Length.</summary>
    ConnectionFailed,

    /// <summary>A status other than 200.</summary>
    HttpError,

    /// <summary>The body (or its announced Content-Length) is larger than <see cref="UpnpFetchOptions.MaxBytes"/>; reading stopped there.</summary>
    TooLarge,

    /// <summary>The whole exchange took longer than <see cref="UpnpFetchOptions.Timeout"/> (a slow or never-ending body).</summary>
    TimedOut,

    /// <summary>200, but the body is not a readable description (not XML, a DTD, an HTML page, no device).</summary>
    Unreadable,
}

/// <summary>Bounds and headers of a description fetch.</summary>
public sealed record UpnpFetchOptions
{
    /// <summary>1 MiB, 30 s, no Accept-Language.</summary>
    public static UpnpFetchOptions Default { get; } = new();

    /// <summary>Largest body read (default 1 MiB); more is a <see cref="UpnpFetchStatus.TooLarge"/> finding.</summary>
    public int MaxBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1 << 20;

    /// <summary>The whole exchange, connection to last byte (default 30 s, the UDA's bound for DESC-HTTP-001).</summary>
    public TimeSpan Timeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(30);

    /// <summary>Accept-Language to send (the device must answer with Content-Language, DESC-HTTP-004), or null.</summary>
    public string? AcceptLanguage { get; init; }

    /// <summary>User-Agent to send.</summary>
    public string UserAgent { get; init; } = "Linux/6 UPnP/1.1 Harness/1.0";

    /// <summary>How the body is read once fetched.</summary>
    public UpnpDescriptionReadOptions ReadOptions { get; init; } = UpnpDescriptionReadOptions.Default;
}

/// <summary>What a fetch of a LOCATION found.</summary>
public sealed record UpnpFetchResult
{
    /// <summary>The URL fetched.</summary>
    public required Uri Location { get; init; }

    /// <summary>How it ended.</summary>
    public required UpnpFetchStatus Status { get; init; }

    /// <summary>A sentence on what went wrong, or null when <see cref="UpnpFetchStatus.Ok"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The HTTP status code, when a response came.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The response's HTTP version, when a response came.</summary>
    public Version? HttpVersion { get; init; }

    /// <summary>Content-Type as sent, or null.</summary>
    public string? ContentType { get; init; }

    /// <summary>Content-Length as sent, or null (chunked or close-delimited).</summary>
    public long? ContentLength { get; init; }

    /// <summary>Content-Language as sent, or null.</summary>
    public string? ContentLanguage { get; init; }

    /// <summary>True when the body came chunked.</summary>
    public bool Chunked { get; init; }

    /// <summary>The body read (at most <see cref="UpnpFetchOptions.MaxBytes"/>).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The description, when it could be read.</summary>
    public UpnpDescription? Description { get; init; }

    /// <summary>Deviations of the HTTP exchange (DESC-HTTP-*) and of the document (DESC-XML-*).</summary>
    public IReadOnlyList<Violation> Violations { get; init; } = [];

    /// <summary>How long the exchange took, by the fetcher's clock.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>True when a description was read.</summary>
    public bool Success => Status == UpnpFetchStatus.Ok && Description is not null;
}

/// <summary>
/// Fetches and reads a device description from a LOCATION with bounded memory and time: the body is read in
/// pieces and abandoned past <see cref="UpnpFetchOptions.MaxBytes"/> (so a 100 MB description or a never-ending
/// chunked body ends as <see cref="UpnpFetchStatus.TooLarge"/>), the whole exchange is cancelled after
/// <see cref="UpnpFetchOptions.Timeout"/> on the injected clock, and HTTP/1.0 (body to connection close), chunked and
/// Content-Length bodies are all accepted. Never throws on a peer's behaviour; every problem is in the result.
/// </summary>
public sealed class UpnpDescriptionFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a fetcher.</summary>
    /// <param name="handler">The HTTP handler (a test server's, a mock); null for a <see cref="SocketsHttpHandler"/> of its own.</param>
    /// <param name="options">Bounds; null for <see cref="UpnpFetchOptions.Default"/>.</param>
    /// <param name="timeProvider">Times the overall timeout and measures <see cref="UpnpFetchResult.Elapsed"/>.</param>
    public UpnpDescriptionFetcher(HttpMessageHandler? handler = null, UpnpFetchOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? UpnpFetchOptions.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
        var ownHandler = handler is null;
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxResponseHeadersLength = 64,
        };
        _client = new HttpClient(handler, disposeHandler: ownHandler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The bounds.</summary>
    public UpnpFetchOptions Options { get; }

    /// <summary>Fetches and reads the description at <paramref name="location"/>.</summary>
    public async Task<UpnpFetchResult> FetchAsync(Uri location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var started = _timeProvider.GetTimestamp();
        var violations = new List<Violation>();
        if (!location.IsAbsoluteUri || location.Scheme is not ("http" or "https"))
        {
            return new UpnpFetchResult
            {
                Location = location,
                Status = UpnpFetchStatus.InvalidLocation,
                Error = $"'{location}' is not an absolute http URL.",
                Violations = [new Violation(SsdpRuleIds.Location, $"LOCATION '{location}' is not an absolute http URL.", ViolationSeverity.Error, "LOCATION")],
            };
        }

        using var timeout = new CancellationTokenSource(Options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;
        HttpResponseMessage? response = null;
        var partial = new UpnpFetchResult { Location = location, Status = UpnpFetchStatus.ConnectionFailed };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            request.Headers.TryAddWithoutValidation("User-Agent", Options.UserAgent);
            if (Options.AcceptLanguage is { } language)
            {
                request.Headers.TryAddWithoutValidation("Accept-Language", language);
            }

            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            var contentType = response.Content.Headers.TryGetValues("Content-Type", out var types) ? string.Join(", ", types) : null;
            var contentLanguage = response.Content.Headers.ContentLanguage.Count > 0 ? string.Join(", ", response.Content.Headers.ContentLanguage) : null;
            var contentLength = response.Content.Headers.ContentLength;
            partial = partial with
            {
                StatusCode = (int)response.StatusCode,
                HttpVersion = response.Version,
                ContentType = contentType,
                ContentLength = contentLength,
                ContentLanguage = contentLanguage,
                Chunked = response.Headers.TransferEncodingChunked == true,
            };
            if (response.StatusCode != HttpStatusCode.OK)
            {
                violations.Add(new Violation(SsdpRuleIds.DescriptionHttp, $"GET {location} answered {(int)response.StatusCode} {response.ReasonPhrase}.", ViolationSeverity.Error));
                return Finish(partial with { Status = UpnpFetchStatus.HttpError, Error = $"HTTP {(int)response.StatusCode}" }, violations, started);
            }

            CheckHeaders(partial, violations);
            if (contentLength > Options.MaxBytes)
            {
                violations.Add(new Violation(SsdpRuleIds.DescriptionHttp, $"The description announces {contentLength} bytes; the limit is {Options.MaxBytes}.", ViolationSeverity.Error));
                return Finish(partial with { Status = UpnpFetchStatus.TooLarge, Error = $"Content-Length {contentLength} is over the {Options.MaxBytes}-byte limit." }, violations, started);
            }

            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var (body, tooLarge) = await ReadBoundedAsync(stream, Options.MaxBytes, token).ConfigureAwait(false);
                partial = partial with { Body = body };
                if (tooLarge)
                {
                    violations.Add(new Violation(SsdpRuleIds.DescriptionHttp, $"The description is larger than {Options.MaxBytes} bytes; reading stopped there.", ViolationSeverity.Error));
                    return Finish(partial with { Status = UpnpFetchStatus.TooLarge, Error = $"The body is over the {Options.MaxBytes}-byte limit." }, violations, started);
                }

                if (contentLength is { } announced && announced != body.Length)
                {
                    violations.Add(new Violation(SsdpRuleIds.DescriptionContentLength, $"Content-Length is {announced} but the body is {body.Length} bytes.", ViolationSeverity.Error));
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            violations.Add(new Violation(SsdpRuleIds.DescriptionHttp, $"GET {location} did not complete within {Options.Timeout.TotalSeconds:0.#} s.", ViolationSeverity.Error));
            return Finish(partial with { Status = UpnpFetchStatus.TimedOut, Error = $"No complete answer within {Options.Timeout.TotalSeconds:0.#} s." }, violations, started);
        }
        catch (HttpRequestException ex)
        {
            var (rule, what) = ex.HttpRequestError == HttpRequestError.ResponseEnded
                ? (SsdpRuleIds.DescriptionContentLength, "The response ended before its announced length: ")
                : (SsdpRuleIds.DescriptionHttp, "GET failed: ");
            violations.Add(new Violation(rule, what + ex.Message, ViolationSeverity.Error));
            return Finish(partial with { Status = UpnpFetchStatus.ConnectionFailed, Error = ex.Message }, violations, started);
        }
        catch (IOException ex)
        {
            var (rule, what) = ex is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }
                ? (SsdpRuleIds.DescriptionContentLength, "The body ended before its announced Content-Length: ")
                : (SsdpRuleIds.DescriptionHttp, "Reading the description failed: ");
            violations.Add(new Violation(rule, what + ex.Message, ViolationSeverity.Error));
            return Finish(partial with { Status = UpnpFetchStatus.ConnectionFailed, Error = ex.Message }, violations, started);
        }
        finally
        {
            response?.Dispose();
        }

        var read = UpnpDescriptionReader.Read(partial.Body.Span, Options.ReadOptions);
        violations.AddRange(read.Violations);
        if (read.Description is null)
        {
            var first = read.Violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error)?.Message ?? "The body is not a description.";
            return Finish(partial with { Status = UpnpFetchStatus.Unreadable, Error = first }, violations, started);
        }

        return Finish(partial with { Status = UpnpFetchStatus.Ok, Description = read.Description }, violations, started);
    }

    /// <summary>Disposes the HTTP client (and the handler when the fetcher created it).</summary>
    public void Dispose() => _client.Dispose();

    private static async Task<(ReadOnlyMemory<byte> Body, bool TooLarge)> ReadBoundedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var rented = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var body = new MemoryStream();
            while (true)
            {
                var read = await stream.ReadAsync(rented.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (body.ToArray(), false);
                }

                if (body.Length + read > maxBytes)
                {
                    body.Write(rented, 0, (int)(maxBytes - body.Length));
                    return (body.ToArray(), true);
                }

                body.Write(rented, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void CheckHeaders(UpnpFetchResult response, List<Violation> violations)
    {
        var type = response.ContentType;
        if (type is null)
        {
            violations.Add(new Violation(SsdpRuleIds.DescriptionContentType, "The description has no Content-Type.", ViolationSeverity.Error, "Content-Type"));
        }
        else if (!string.Equals(type, "text/xml; charset=\"utf-8\"", StringComparison.Ordinal))
        {
            var media = MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed.MediaType : null;
            var xml = string.Equals(media, "text/xml", StringComparison.OrdinalIgnoreCase) || string.Equals(media, "application/xml", StringComparison.OrdinalIgnoreCase);
            violations.Add(new Violation(
                SsdpRuleIds.DescriptionContentType,
                xml ? $"Content-Type is '{type}'; UDA 1.1 requires text/xml; charset=\"utf-8\"." : $"Content-Type is '{type}', not XML.",
                xml ? ViolationSeverity.Warning : ViolationSeverity.Error,
                "Content-Type"));
        }

        if (Options.AcceptLanguage is not null && response.ContentLanguage is null)
        {
            violations.Add(new Violation(SsdpRuleIds.DescriptionContentLanguage, "A request with Accept-Language got no Content-Language.", ViolationSeverity.Error, "Content-Language"));
        }
    }

    private UpnpFetchResult Finish(UpnpFetchResult result, List<Violation> violations, long started) =>
        result with { Violations = violations, Elapsed = _timeProvider.GetElapsedTime(started) };
}
