using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Harness.Conformance.Model;
using Harness.Core.Recording;

namespace Harness.Conformance.Dpws;

/// <summary>
/// The HTTP handler of the DPWS suite's clients: every request and response is recorded whole (head and body, as
/// <see cref="TrafficTransport.Http"/> records labelled <c>dpws</c>) with the real local and remote endpoints of its
/// connection (one connection per server at a time, so that the endpoints are those the bytes crossed), and
/// destinations outside what the run may reach are refused before a connection is made. Responses are bounded.
/// </summary>
internal sealed class DpwsRecordingHandler : DelegatingHandler
{
    private readonly TrafficRecorder _recorder;
    private readonly Func<IPAddress, bool> _mayReach;
    private readonly int _maxResponseBytes;
    private readonly ConcurrentDictionary<(string Host, int Port), (IPEndPoint Local, IPEndPoint Remote)> _connections = new();
    private readonly AsyncLocal<List<TrafficRecord>?> _captured = new();

    public DpwsRecordingHandler(TrafficRecorder recorder, Func<IPAddress, bool> mayReach, TimeSpan connectTimeout, int maxResponseBytes = DpwsHttp.MaxBodyBytes)
    {
        _recorder = recorder;
        _mayReach = mayReach;
        _maxResponseBytes = maxResponseBytes;
        InnerHandler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            MaxConnectionsPerServer = 1,
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = ConnectAsync,
        };
    }

    /// <summary>Collects the records made in the current async flow into <paramref name="into"/> until disposed.</summary>
    public IDisposable Capture(List<TrafficRecord> into)
    {
        var previous = _captured.Value;
        _captured.Value = into;
        return new Restore(() => _captured.Value = previous);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        CheckReachable(uri);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var key = (uri.IdnHost, uri.Port);
        var guess = _connections.TryGetValue(key, out var known) ? known : (Local: new IPEndPoint(IPAddress.Any, 0), Remote: RemoteGuess(uri));
        var requestRecord = (TrafficRecord?)null;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Recorded once the connection is known (the callback ran), with the bytes as sent.
            var endpoints = _connections.TryGetValue(key, out var connected) ? connected : guess;
            requestRecord = Record(TrafficDirection.Outbound, endpoints.Local, endpoints.Remote, RequestHead(request, uri, body.Length), body);
        }

        try
        {
            var content = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
            var endpoints = _connections.TryGetValue(key, out var connected) ? connected : guess;
            Record(TrafficDirection.Inbound, endpoints.Remote, endpoints.Local, ResponseHead(response, content.Length), content);
            var replacement = new ByteArrayContent(content);
            foreach (var header in response.Content.Headers)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content.Dispose();
            response.Content = replacement;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static IPEndPoint RemoteGuess(Uri uri) =>
        new(IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) ? ip : IPAddress.Any, uri.Port);

    private static IPEndPoint Normalize(EndPoint? endPoint) =>
        endPoint is IPEndPoint ip
            ? new IPEndPoint(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address, ip.Port)
            : new IPEndPoint(IPAddress.Any, 0);

    private static string RequestHead(HttpRequestMessage request, Uri uri, int length)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{request.Method.Method} {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\n");
        AppendHeaders(head, request.Headers);
        if (request.Content is not null)
        {
            AppendHeaders(head, request.Content.Headers, skipLength: true);
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n\r\n");
        return head.ToString();
    }

    private static string ResponseHead(HttpResponseMessage response, int length)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
        AppendHeaders(head, response.Headers, skipLength: true);
        AppendHeaders(head, response.Content.Headers, skipLength: true);
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n\r\n");
        return head.ToString();
    }

    private static void AppendHeaders(StringBuilder head, HttpHeaders headers, bool skipLength = false)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            if (skipLength && (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            head.Append(name).Append(": ").Append(values.ToString()).Append("\r\n");
        }
    }

    private async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is long declared && declared > _maxResponseBytes)
        {
            throw new HttpRequestException($"The response is {declared} bytes; the limit is {_maxResponseBytes}.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.ToArray();
                }

                if (buffer.Length + read > _maxResponseBytes)
                {
                    throw new HttpRequestException($"The response is larger than {_maxResponseBytes} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
    }

    private TrafficRecord Record(TrafficDirection direction, IPEndPoint source, IPEndPoint destination, string head, byte[] body)
    {
        var record = _recorder.Record(direction, TrafficTransport.Http, source, destination, [.. Encoding.Latin1.GetBytes(head), .. body], Protocols.Dpws);
        _captured.Value?.Add(record);
        return record;
    }

    private void CheckReachable(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{uri} is not an HTTP URL.");
        }

        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && !_mayReach(address))
        {
            throw new InvalidOperationException($"{uri.Authority} is outside the network this run may send to.");
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        var target = addresses.FirstOrDefault(_mayReach)
            ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to no address this run may send to.");
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
            _connections[(context.DnsEndPoint.Host, context.DnsEndPoint.Port)] = (Normalize(socket.LocalEndPoint), Normalize(socket.RemoteEndPoint));
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
