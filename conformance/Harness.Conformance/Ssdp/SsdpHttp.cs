using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Conformance.Ssdp;

/// <summary>
/// One HTTP message as it crossed the wire (a recorded description GET or its answer), read leniently: the start line,
/// the header lines in order, and the body with its framing undone (Content-Length, chunked, or to the end). Pure and
/// bounded: it never throws on a peer's bytes.
/// </summary>
internal sealed class SsdpHttpMessage
{
    private const int MaxHeaders = 100;

    private SsdpHttpMessage()
    {
    }

    public bool IsRequest { get; private init; }

    public string Method { get; private init; } = string.Empty;

    public string Target { get; private init; } = string.Empty;

    /// <summary><c>HTTP/1.1</c>, <c>HTTP/1.0</c>.</summary>
    public string Version { get; private init; } = string.Empty;

    public int StatusCode { get; private init; }

    public string Reason { get; private init; } = string.Empty;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    /// <summary>The body with chunked framing undone.</summary>
    public ReadOnlyMemory<byte> Body { get; private init; }

    public bool Chunked { get; private init; }

    /// <summary>Content-Length as sent, or null.</summary>
    public long? ContentLength { get; private init; }

    /// <summary>How many body bytes followed the head (before any chunk decoding).</summary>
    public long RawBodyLength { get; private init; }

    /// <summary>True when the framing says the message ended where it should (a close-delimited body always does).</summary>
    public bool Complete { get; private init; }

    /// <summary>A problem of the framing (a Content-Length that is not the body's length, a broken chunk), or null.</summary>
    public string? FramingProblem { get; private init; }

    /// <summary>The value of the first header with this name (ignoring case), or null.</summary>
    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Reads a request or a response; null when the bytes do not start with an HTTP start line.</summary>
    public static SsdpHttpMessage? Parse(ReadOnlySpan<byte> bytes)
    {
        var headEnd = bytes.IndexOf("\r\n\r\n"u8);
        var separator = 4;
        if (headEnd < 0)
        {
            headEnd = bytes.IndexOf("\n\n"u8);
            separator = 2;
        }

        var head = headEnd < 0 ? bytes : bytes[..headEnd];
        var rest = headEnd < 0 ? ReadOnlySpan<byte>.Empty : bytes[(headEnd + separator)..];
        var text = Encoding.Latin1.GetString(head[..Math.Min(head.Length, 64 * 1024)]);
        var lines = text.Split('\n');
        var start = lines[0].TrimEnd('\r');
        var parts = start.Split(' ', 3);
        bool isRequest;
        if (parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            isRequest = false;
        }
        else if (parts.Length == 3 && parts[2].StartsWith("HTTP/", StringComparison.Ordinal) && parts[0].Length is > 0 and < 16 && parts[0].All(char.IsAsciiLetterUpper))
        {
            isRequest = true;
        }
        else
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var raw in lines.Skip(1).Take(MaxHeaders))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        var message = new Builder(isRequest, parts, headers);
        if (headEnd < 0)
        {
            return message.Build(ReadOnlyMemory<byte>.Empty, 0, chunked: false, null, complete: false, "The head does not end with an empty line.");
        }

        var chunked = message.HeaderValue("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        long? contentLength = long.TryParse(message.HeaderValue("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        if (chunked)
        {
            var (body, complete, problem) = Dechunk(rest);
            return message.Build(body, rest.Length, chunked: true, contentLength, complete, problem);
        }

        if (contentLength is { } announced)
        {
            var problem = announced == rest.Length ? null
                : string.Create(CultureInfo.InvariantCulture, $"Content-Length is {announced} but {rest.Length} bytes of body followed.");
            var take = (int)Math.Min(announced, rest.Length);
            return message.Build(rest[..take].ToArray(), rest.Length, chunked: false, contentLength, complete: rest.Length >= announced, problem);
        }

        return message.Build(rest.ToArray(), rest.Length, chunked: false, null, complete: true, null);
    }

    /// <summary>True when a response read so far is complete by its framing (so the reader may stop before close).</summary>
    public static bool IsComplete(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf("\r\n\r\n"u8) < 0)
        {
            return false;
        }

        var parsed = Parse(bytes);
        return parsed is not null && parsed.Complete && (parsed.Chunked || parsed.ContentLength is not null);
    }

    private static (ReadOnlyMemory<byte> Body, bool Complete, string? Problem) Dechunk(ReadOnlySpan<byte> rest)
    {
        var body = new List<byte>();
        var pos = 0;
        while (pos < rest.Length)
        {
            var lineEnd = rest[pos..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return (body.ToArray(), false, "A chunk size line does not end.");
            }

            var sizeText = rest.Slice(pos, lineEnd);
            var semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0)
            {
                sizeText = sizeText[..semicolon];
            }

            if (!Utf8Parser.TryParse(sizeText.Trim((byte)' '), out int size, out var consumed, 'x') || consumed != sizeText.Trim((byte)' ').Length || size < 0)
            {
                return (body.ToArray(), false, "A chunk size is not hexadecimal.");
            }

            pos += lineEnd + 2;
            if (size == 0)
            {
                return (body.ToArray(), true, null);
            }

            if (pos + size > rest.Length)
            {
                body.AddRange(rest[pos..].ToArray());
                return (body.ToArray(), false, "The last chunk is cut short.");
            }

            body.AddRange(rest.Slice(pos, size).ToArray());
            pos += size;
            if (pos + 2 <= rest.Length && rest[pos] == '\r' && rest[pos + 1] == '\n')
            {
                pos += 2;
            }
            else if (pos < rest.Length)
            {
                return (body.ToArray(), false, "A chunk is not followed by CRLF.");
            }
        }

        return (body.ToArray(), false, "The chunked body has no last (zero-size) chunk.");
    }

    private sealed class Builder(bool isRequest, string[] parts, List<KeyValuePair<string, string>> headers)
    {
        public string? HeaderValue(string name) =>
            headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        public SsdpHttpMessage Build(ReadOnlyMemory<byte> body, long rawLength, bool chunked, long? contentLength, bool complete, string? problem) => new()
        {
            IsRequest = isRequest,
            Method = isRequest ? parts[0] : string.Empty,
            Target = isRequest ? parts[1] : string.Empty,
            Version = isRequest ? parts[2] : parts[0],
            StatusCode = !isRequest && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0,
            Reason = !isRequest && parts.Length > 2 ? parts[2] : string.Empty,
            Headers = headers,
            Body = body,
            RawBodyLength = rawLength,
            Chunked = chunked,
            ContentLength = contentLength,
            Complete = complete,
            FramingProblem = problem,
        };
    }
}

/// <summary>What one raw HTTP GET did: the bytes both ways (for the recorder) and how it ended.</summary>
internal sealed record SsdpHttpExchange(
    Uri Url,
    IPEndPoint Local,
    IPEndPoint Remote,
    byte[] Request,
    byte[] Response,
    DateTimeOffset Sent,
    DateTimeOffset? Received,
    TimeSpan Elapsed,
    string? Error,
    bool TimedOut);

/// <summary>
/// A minimal HTTP/1.1 GET over a socket, so that the recorder gets the bytes exactly as the device sent them (header
/// case, framing, DATE and SERVER included): <c>Connection: close</c>, the answer read until the framing says it is
/// complete or the peer closes, at most <c>maxBytes</c>, within <c>timeout</c> on the injected clock. Never throws on a
/// peer's behaviour.
/// </summary>
internal static class SsdpHttpClient
{
    public static async Task<SsdpHttpExchange> GetAsync(
        Uri url,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        TimeSpan timeout,
        int maxBytes,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var sent = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        var address = IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var ip) ? ip : null;
        var remote = new IPEndPoint(address ?? IPAddress.Any, url.Port);
        var request = BuildRequest(url, headers);
        if (address is null)
        {
            return new SsdpHttpExchange(url, new IPEndPoint(IPAddress.Any, 0), remote, request, [], sent, null, TimeSpan.Zero, $"The host of '{url}' is not an IP address.", false);
        }

        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var token = linked.Token;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var local = new IPEndPoint(address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var response = new MemoryStream();
        DateTimeOffset? received = null;
        try
        {
            await socket.ConnectAsync(remote, token).ConfigureAwait(false);
            local = socket.LocalEndPoint as IPEndPoint ?? local;
            sent = timeProvider.GetUtcNow();
            await socket.SendAsync(request, SocketFlags.None, token).ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            CancellationTokenSource? grace = null;
            CancellationTokenSource? graceTimer = null;
            try
            {
                while (response.Length < maxBytes)
                {
                    int read;
                    try
                    {
                        read = await socket.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - response.Length)), SocketFlags.None, grace?.Token ?? token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (grace is { IsCancellationRequested: true } && !token.IsCancellationRequested)
                    {
                        break; // complete by its framing, and nothing more came: the server keeps the connection open
                    }
                    catch (SocketException) when (grace is not null)
                    {
                        break; // complete by its framing, then reset
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    received ??= timeProvider.GetUtcNow();
                    response.Write(buffer, 0, read);

                    // Complete by its framing: read on briefly (Connection: close), so that bytes beyond Content-Length show.
                    if (grace is null && SsdpHttpMessage.IsComplete(response.GetBuffer().AsSpan(0, (int)response.Length)))
                    {
                        graceTimer = new CancellationTokenSource(TimeSpan.FromMilliseconds(300), timeProvider);
                        grace = CancellationTokenSource.CreateLinkedTokenSource(token, graceTimer.Token);
                    }
                }
            }
            finally
            {
                grace?.Dispose();
                graceTimer?.Dispose();
            }

            var error = response.Length >= maxBytes ? $"The answer is larger than {maxBytes} bytes; reading stopped there." : null;
            return new SsdpHttpExchange(url, local, remote, request, response.ToArray(), sent, received, timeProvider.GetElapsedTime(started), error, false);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new SsdpHttpExchange(url, local, remote, request, response.ToArray(), sent, received, timeProvider.GetElapsedTime(started), $"No complete answer within {timeout.TotalSeconds:0.#} s.", true);
        }
        catch (SocketException ex)
        {
            return new SsdpHttpExchange(url, local, remote, request, response.ToArray(), sent, received, timeProvider.GetElapsedTime(started), "GET failed: " + ex.Message, false);
        }
    }

    private static byte[] BuildRequest(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var text = new StringBuilder();
        text.Append("GET ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n");
        text.Append("Host: ").Append(url.Authority).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("Connection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
