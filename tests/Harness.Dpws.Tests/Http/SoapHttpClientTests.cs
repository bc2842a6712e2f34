using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Harness.Core.Recording;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.Http;

public sealed class SoapHttpClientTests
{
    private static readonly SoapEnvelope Request = SoapEnvelope.Request("urn:a", "urn:uuid:d", "urn:uuid:11111111-1111-4111-8111-111111111111");

    [Fact]
    public async Task Send_DefaultHeaders_AreWsdapiLike()
    {
        var handler = new CannedHandler(HttpStatusCode.Accepted, null, null);
        using var client = new SoapHttpClient(null, handler);

        await client.SendAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout());

        var request = handler.Requests.Single();
        Assert.Equal("WSDAPI", request.UserAgent);
        Assert.Equal("application/soap+xml; charset=utf-8", request.ContentType);
        Assert.Equal("no-cache", request.CacheControl);
        Assert.Equal("no-cache", request.Pragma);
        Assert.Equal(new Version(1, 1), request.Version);
    }

    [Fact]
    public async Task Send_QuirkWithoutCharsetOrUserAgent_HeadersFollowOptions()
    {
        var handler = new CannedHandler(HttpStatusCode.Accepted, null, null);
        using var client = new SoapHttpClient(new SoapHttpClientOptions { IncludeCharset = false, UserAgent = null, SendNoCacheHeaders = false }, handler);

        await client.SendAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout());

        var request = handler.Requests.Single();
        Assert.Equal("application/soap+xml", request.ContentType);
        Assert.Null(request.UserAgent);
        Assert.Null(request.Pragma);
    }

    [Fact]
    public async Task Invoke_Http400WithHtml_ProtocolExceptionWithStatus()
    {
        using var client = new SoapHttpClient(null, new CannedHandler(HttpStatusCode.BadRequest, "text/html", "<html><body>Bad Request</body></html>"));

        var ex = await Assert.ThrowsAsync<SoapProtocolException>(() => client.InvokeAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout()));

        Assert.Equal(SoapProtocolError.HttpStatus, ex.Error);
        Assert.Equal(400, ex.HttpStatusCode);
    }

    [Fact]
    public async Task Invoke_Http200WithGarbage_Malformed()
    {
        using var client = new SoapHttpClient(null, new CannedHandler(HttpStatusCode.OK, "application/soap+xml", "<soap:Envelope"));

        var ex = await Assert.ThrowsAsync<SoapProtocolException>(() => client.InvokeAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout()));

        Assert.Equal(SoapProtocolError.Malformed, ex.Error);
    }

    [Fact]
    public async Task Invoke_FaultWith500_SoapFaultExceptionWithoutQF200Report()
    {
        var fault = SoapWriter.WriteString(SoapEnvelope.FaultReply(Request, SoapFault.ActionNotSupported("urn:a"), "urn:uuid:f"));
        using var client = new SoapHttpClient(null, new CannedHandler(HttpStatusCode.InternalServerError, "application/soap+xml; charset=utf-8", fault));

        var ex = await Assert.ThrowsAsync<SoapFaultException>(() => client.InvokeAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout()));

        Assert.Equal(XName.Get("ActionNotSupported", DpwsNamespaces.Addressing), ex.Subcode);
        Assert.Equal(500, ex.HttpStatusCode);
        Assert.Equal(Request.Header.MessageId, ex.Envelope!.Header.RelatesTo);
        Assert.DoesNotContain(ex.Violations, v => v.RuleId == DpwsRuleIds.FaultStatus);
    }

    [Fact]
    public async Task Send_TextXmlReply_UnderstoodAndReported()
    {
        var reply = SoapWriter.WriteString(SoapEnvelope.Reply(Request, "urn:aResponse", "urn:uuid:r"));
        using var client = new SoapHttpClient(null, new CannedHandler(HttpStatusCode.OK, "text/xml", reply));

        var result = await client.InvokeAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout());

        Assert.Equal("urn:aResponse", result.Envelope!.Header.Action);
        Assert.Contains(result.Violations, v => v.RuleId == DpwsRuleIds.HttpBinding);
    }

    [Fact]
    public async Task Send_ResponseOverTheLimit_TooLarge()
    {
        var big = new string('x', 10_000);
        using var declared = new SoapHttpClient(new SoapHttpClientOptions { MaxResponseBytes = 4096 }, new CannedHandler(HttpStatusCode.OK, "application/soap+xml", big));
        using var streamed = new SoapHttpClient(new SoapHttpClientOptions { MaxResponseBytes = 4096 }, new CannedHandler(HttpStatusCode.OK, "application/soap+xml", big, hideLength: true));

        var a = await Assert.ThrowsAsync<SoapProtocolException>(() => declared.SendAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout()));
        var b = await Assert.ThrowsAsync<SoapProtocolException>(() => streamed.SendAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout()));

        Assert.Equal(SoapProtocolError.TooLarge, a.Error);
        Assert.Equal(SoapProtocolError.TooLarge, b.Error);
    }

    [Fact]
    public async Task Send_DeviceNeverAnswers_TimeoutOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        using var client = new SoapHttpClient(new SoapHttpClientOptions { Timeout = TimeSpan.FromSeconds(10), TimeProvider = time }, new NeverHandler());

        var call = client.SendAsync(new Uri("http://127.0.0.1:9/x"), Request, null, TestKit.Timeout());
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<SoapProtocolException>(() => call);
        Assert.Equal(SoapProtocolError.Timeout, ex.Error);
    }

    [Fact]
    public async Task Send_NothingListening_ConnectionError()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        using var client = new SoapHttpClient();

        var ex = await Assert.ThrowsAsync<SoapProtocolException>(() => client.SendAsync(new Uri($"http://127.0.0.1:{port}/x"), Request, null, TestKit.Timeout()));

        Assert.Equal(SoapProtocolError.Connection, ex.Error);
    }

    [Fact]
    public async Task Send_WithRecorder_RecordsBothDirections()
    {
        var recorder = new TrafficRecorder();
        using var client = new SoapHttpClient(new SoapHttpClientOptions { Recorder = recorder }, new CannedHandler(HttpStatusCode.Accepted, null, null));

        await client.SendAsync(new Uri("http://127.0.0.1:5357/x"), Request, null, TestKit.Timeout());

        var records = recorder.Snapshot();
        Assert.Equal([TrafficDirection.Outbound, TrafficDirection.Inbound], records.Select(r => r.Direction));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5357), records[0].Destination);
    }

    private sealed record SeenRequest(string? UserAgent, string? ContentType, string? CacheControl, string? Pragma, Version Version);

    private sealed class CannedHandler(HttpStatusCode status, string? contentType, string? body, bool hideLength = false) : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SeenRequest(
                request.Headers.TryGetValues("User-Agent", out var ua) ? string.Join(' ', ua) : null,
                request.Content?.Headers.TryGetValues("Content-Type", out var ct) == true ? string.Join(' ', ct) : null,
                request.Headers.CacheControl?.ToString(),
                request.Headers.Pragma.Count > 0 ? request.Headers.Pragma.ToString() : null,
                request.Version));
            await (request.Content?.ReadAsByteArrayAsync(cancellationToken) ?? Task.FromResult(Array.Empty<byte>()));
            var response = new HttpResponseMessage(status);
            if (body is not null)
            {
                response.Content = hideLength ? new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(body))) : new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (contentType is not null)
                {
                    response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            return response;
        }
    }

    private sealed class NeverHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
