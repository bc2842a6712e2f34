using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Tests.Http;

/// <summary>The host on real Kestrel sockets at 127.0.0.1: what a hostile or broken client can and cannot make it hold.</summary>
public sealed class KestrelLimitsTests
{
    private const string EchoAction = "urn:harness:test/Echo";

    [Fact]
    public async Task Start_PortZero_ReportsTheRealPortAndServesOnLoopback()
    {
        await using var host = await StartAsync();

        Assert.NotEqual(0, host.Port);
        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
        Assert.Equal(HttpStatusCode.OK, await EchoStatusAsync(host));
    }

    [Fact]
    public async Task ChunkedRequest_Accepted()
    {
        await using var host = await StartAsync();
        var body = Encoding.UTF8.GetBytes(TestKit.Envelope(EchoAction));
        using var socket = await ConnectAsync(host);
        var head = $"POST /svc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n";
        var chunks = new StringBuilder();
        foreach (var chunk in body.Chunk(100))
        {
            chunks.Append(chunk.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n").Append(Encoding.UTF8.GetString(chunk)).Append("\r\n");
        }

        chunks.Append("0\r\n\r\n");
        await socket.SendAsync(Encoding.UTF8.GetBytes(head + chunks), TestKit.Timeout());

        var response = await ReadResponseHeadAsync(socket);
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointWithLargerLimit_ChunkedBodyAboveTheHostDefaultAccepted()
    {
        await using var host = await StartAsync();
        host.MapEndpoint("/print", maxRequestBytes: 1 << 20).On(EchoAction, (c, _) => ValueTask.FromResult(c.Reply(EchoAction + "Response")));
        using var client = new SoapHttpClient();
        var document = new XElement(XName.Get("Document", "urn:harness:test"), new string('d', 300_000));

        var result = await client.InvokeAsync(host.AddressOf("/print"), SoapEnvelope.Request(EchoAction, "urn:uuid:d", client.NewMessageId(), document), new SoapCallOptions { Attachments = [new MtomAttachment("a@h", "application/octet-stream") { Content = new byte[100_000] }] }, TestKit.Timeout());

        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task HundredMegabyteContentLength_413BeforeAnyBodyAndConnectionClosed()
    {
        await using var host = await StartAsync();
        using var socket = await ConnectAsync(host);

        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /svc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nContent-Length: 104857600\r\n\r\n"), TestKit.Timeout());
        var all = await ReadToEndAsync(socket, TestKit.Timeout());

        Assert.StartsWith("HTTP/1.1 413", all, StringComparison.Ordinal);
        Assert.Contains("Connection: close", all, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, host.Statistics.TooLarge);
        Assert.Equal(HttpStatusCode.OK, await EchoStatusAsync(host));
    }

    [Fact]
    public async Task HundredMegabyteChunkedStream_CutOffAfterTheLimitAndOthersServed()
    {
        await using var host = await StartAsync();
        using var socket = await ConnectAsync(host);
        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /svc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nTransfer-Encoding: chunked\r\n\r\n"), TestKit.Timeout());
        var reader = ReadToEndAsync(socket, TestKit.Timeout(30));
        var chunk = Encoding.ASCII.GetBytes("10000\r\n" + new string('<', 0x10000) + "\r\n");
        long sent = 0;
        try
        {
            while (sent < 100L * 1024 * 1024 && !reader.IsCompleted)
            {
                sent += await socket.SendAsync(chunk, TestKit.Timeout());
            }
        }
        catch (SocketException)
        {
            // The host closed the connection on us: that is the point.
        }

        var response = await reader;

        Assert.True(sent < 64L * 1024 * 1024, $"The client got {sent} bytes in before the host cut it off.");
        Assert.True(response.Length == 0 || response.StartsWith("HTTP/1.1 413", StringComparison.Ordinal), response);
        Assert.Equal(1, host.Statistics.TooLarge);
        Assert.Equal(HttpStatusCode.OK, await EchoStatusAsync(host));
    }

    [Fact]
    public async Task HeadersThenStalledBody_408AfterTheBodyTimeoutWhileOthersAreServed()
    {
        await using var host = await StartAsync(new DpwsHostOptions { BodyReadTimeout = TimeSpan.FromMilliseconds(500), MinRequestBodyBytesPerSecond = null });
        using var socket = await ConnectAsync(host);
        var started = Stopwatch.StartNew();
        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /svc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nContent-Length: 5000\r\n\r\n<soap:Env"), TestKit.Timeout());
        var stalled = ReadToEndAsync(socket, TestKit.Timeout());

        Assert.Equal(HttpStatusCode.OK, await EchoStatusAsync(host));
        var response = await stalled;

        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"The stalled request was held for {started.Elapsed}.");
        Assert.Equal(1, host.Statistics.TimedOut);
    }

    [Fact]
    public async Task PartialHeadersThenStall_ConnectionClosedByTheHeadersTimeout()
    {
        await using var host = await StartAsync(new DpwsHostOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var socket = await ConnectAsync(host);
        var started = Stopwatch.StartNew();
        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /svc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl"), TestKit.Timeout());

        var response = await ReadToEndAsync(socket, TestKit.Timeout());

        Assert.True(response.Length == 0 || response.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), response);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"The stalled connection was held for {started.Elapsed}.");
        Assert.Equal(HttpStatusCode.OK, await EchoStatusAsync(host));
    }

    private static async Task<DpwsHost> StartAsync(DpwsHostOptions? options = null)
    {
        var host = await TestKit.StartLoopbackAsync(options);
        host.MapEndpoint("/svc").On(EchoAction, (c, _) => ValueTask.FromResult(c.Reply(EchoAction + "Response", new XElement(XName.Get("Pong", "urn:harness:test")))));
        return host;
    }

    private static async Task<HttpStatusCode> EchoStatusAsync(DpwsHost host)
    {
        using var client = new SoapHttpClient();
        var result = await client.SendAsync(host.AddressOf("/svc"), SoapEnvelope.Request(EchoAction, "urn:uuid:d", client.NewMessageId()), null, TestKit.Timeout());
        return (HttpStatusCode)result.StatusCode;
    }

    private static async Task<Socket> ConnectAsync(DpwsHost host)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Port), TestKit.Timeout());
        return socket;
    }

    private static async Task<string> ReadResponseHeadAsync(Socket socket)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, TestKit.Timeout());
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static async Task<string> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // A reset after the response (unread request bytes on the host side) ends the stream too.
        }

        return text.ToString();
    }
}
