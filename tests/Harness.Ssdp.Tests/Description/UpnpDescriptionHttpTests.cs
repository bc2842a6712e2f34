using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Description;

public class UpnpDescriptionHttpTests
{
    private static UpnpDescription Description => new() { ConfigId = 1, Device = Scene.MediaServer() with { FriendlyName = "Gerät ünd Co" } };

    [Fact]
    public async Task Server_PublishedDescription_UdaHeadersAndFetcherReadsIt()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        var location = server.Publish("/device/1.xml", Description);
        using var fetcher = new UpnpDescriptionFetcher(options: new UpnpFetchOptions { AcceptLanguage = "de-DE, en;q=0.5" });

        var result = await fetcher.FetchAsync(location, CancellationToken.None);

        Assert.Equal(UpnpFetchStatus.Ok, result.Status);
        Assert.Empty(result.Violations);
        Assert.Equal("text/xml; charset=\"utf-8\"", result.ContentType);
        Assert.Equal(UpnpDescriptionWriter.Write(Description).Length, result.ContentLength);
        Assert.Equal("en", result.ContentLanguage);
        Assert.Equal("Gerät ünd Co", result.Description!.Device.FriendlyName);
        Assert.Equal(IPAddress.Loopback.ToString(), location.Host);
    }

    [Fact]
    public async Task Server_Head_HeadersWithoutBody()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        var location = server.Publish("d.xml", Description);
        using var client = new HttpClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, location));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(body);
        Assert.Equal(UpnpDescriptionWriter.Write(Description).Length, response.Content.Headers.ContentLength);
        Assert.Equal("Linux/6 UPnP/1.1 Harness/1.0", string.Join(" ", response.Headers.GetValues("SERVER")));
        Assert.NotNull(response.Headers.Date);
        Assert.Empty(response.Content.Headers.ContentLanguage);
    }

    [Fact]
    public async Task Server_UnknownPathAndPost_404And405()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        server.Publish("d.xml", Description);
        using var client = new HttpClient();

        using var missing = await client.GetAsync(server.UrlFor("nope.xml"));
        using var post = await client.PostAsync(server.UrlFor("d.xml"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Fetch_ChunkedApplicationXmlNoContentLanguage_OkWithFindings()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        var location = server.Map("d.xml", UpnpHttpResource.ForDescription(Description) with { SendContentLength = false, ContentType = "application/xml", ContentLanguage = string.Empty });
        using var fetcher = new UpnpDescriptionFetcher(options: new UpnpFetchOptions { AcceptLanguage = "en" });

        var result = await fetcher.FetchAsync(location, CancellationToken.None);

        Assert.Equal(UpnpFetchStatus.Ok, result.Status);
        Assert.True(result.Chunked);
        Assert.Null(result.ContentLength);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionContentType && v.Severity == ViolationSeverity.Warning);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionContentLanguage);
    }

    [Fact]
    public async Task Fetch_Http10BodyUntilClose_Ok()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var body = UpnpDescriptionWriter.Write(Description);
        var serve = ServeOnceAsync(listener, Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n").Concat(body).ToArray());
        using var fetcher = new UpnpDescriptionFetcher();

        var result = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/d.xml"), CancellationToken.None);
        await serve;

        Assert.Equal(UpnpFetchStatus.Ok, result.Status);
        Assert.Equal(new Version(1, 0), result.HttpVersion);
        Assert.Null(result.ContentLength);
        Assert.Equal(body, result.Body.ToArray());
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionContentType && v.Message.Contains("'text/xml'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_NeverEndingChunkedBody_TooLargeAtOneMebibyteQuickly()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        var location = server.Map("endless.xml", async context =>
        {
            context.Response.ContentType = "text/xml";
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?><root>"), context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        using var fetcher = new UpnpDescriptionFetcher();
        var watch = Stopwatch.StartNew();

        var result = await fetcher.FetchAsync(location, CancellationToken.None);

        Assert.Equal(UpnpFetchStatus.TooLarge, result.Status);
        Assert.Equal(1 << 20, result.Body.Length);
        Assert.True(result.Chunked);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains("1048576", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_HundredMegabyteContentLength_TooLargeWithoutReading()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        var location = server.Map("huge.xml", async context =>
        {
            context.Response.ContentType = "text/xml";
            context.Response.ContentLength = 100L * 1024 * 1024;
            var chunk = new byte[64 * 1024];
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        using var fetcher = new UpnpDescriptionFetcher();

        var result = await fetcher.FetchAsync(location, CancellationToken.None);

        Assert.Equal(UpnpFetchStatus.TooLarge, result.Status);
        Assert.Equal(100L * 1024 * 1024, result.ContentLength);
        Assert.Equal(0, result.Body.Length);
    }

    [Fact]
    public async Task Fetch_TrickleNeverCompletes_TimedOutOnTheInjectedClock()
    {
        var clock = new TestClock();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await UpnpDescriptionServer.StartAsync();
        var location = server.Map("slow.xml", async context =>
        {
            context.Response.ContentType = "text/xml";
            await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?>"), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var fetcher = new UpnpDescriptionFetcher(options: new UpnpFetchOptions { Timeout = TimeSpan.FromSeconds(30) }, timeProvider: clock);

        var fetch = fetcher.FetchAsync(location, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(31));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(UpnpFetchStatus.TimedOut, result.Status);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionHttp && v.Message.Contains("30 s", StringComparison.Ordinal));
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Fetch_ContentLengthLongerThanBody_ConnectionFailedDescHttp003()
    {
        var body = UpnpDescriptionWriter.Write(Description);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = ServeOnceAsync(listener, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-Length: {body.Length + 100}\r\n\r\n").Concat(body).ToArray());
        using var fetcher = new UpnpDescriptionFetcher();

        var result = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/d.xml"), CancellationToken.None);
        await serve;

        Assert.Equal(UpnpFetchStatus.ConnectionFailed, result.Status);
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.DescriptionContentLength);
    }

    [Fact]
    public async Task Fetch_XmlBombAnd404AndBadLocation_ClearFindings()
    {
        await using var server = await UpnpDescriptionServer.StartAsync();
        var bomb = server.Map("bomb.xml", new UpnpHttpResource(Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><root>&b;</root>")));
        using var fetcher = new UpnpDescriptionFetcher();

        var bombResult = await fetcher.FetchAsync(bomb, CancellationToken.None);
        var missing = await fetcher.FetchAsync(server.UrlFor("missing.xml"), CancellationToken.None);
        var bare = await fetcher.FetchAsync(new Uri("192.168.1.1", UriKind.Relative), CancellationToken.None);

        Assert.Equal(UpnpFetchStatus.Unreadable, bombResult.Status);
        Assert.Contains("DTD", bombResult.Error, StringComparison.Ordinal);
        Assert.Equal((UpnpFetchStatus.HttpError, 404), (missing.Status, missing.StatusCode!.Value));
        Assert.Equal(UpnpFetchStatus.InvalidLocation, bare.Status);
    }

    [Fact]
    public async Task Fetch_ConnectionRefused_ConnectionFailed()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var fetcher = new UpnpDescriptionFetcher();

        var result = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/d.xml"), CancellationToken.None);

        Assert.Equal(UpnpFetchStatus.ConnectionFailed, result.Status);
        Assert.NotNull(result.Error);
    }

    /// <summary>Accepts one connection, reads the request head, sends <paramref name="response"/> as is and closes gracefully.</summary>
    private static async Task ServeOnceAsync(TcpListener listener, byte[] response)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        await socket.SendAsync(response, SocketFlags.None);
        socket.Shutdown(SocketShutdown.Both);
    }
}
