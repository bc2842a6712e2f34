using System.Net;
using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Tests.Http;

public sealed class DpwsHostTests
{
    private const string EchoAction = "urn:harness:test/Echo";
    private static readonly XNamespace T = "urn:harness:test";

    [Fact]
    public async Task Dispatch_RegisteredAction_HandlerAnswersWithRelatesTo()
    {
        await using var host = await StartWithEchoAsync();
        using var client = TestKit.Client(host);
        var request = SoapEnvelope.Request(EchoAction, "urn:uuid:device", "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", new XElement(T + "Ping", "42"));

        var result = await client.InvokeAsync(host.AddressOf("/svc"), request, null, TestKit.Timeout());

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("application/soap+xml; charset=utf-8", result.ContentType);
        var reply = result.Envelope!;
        Assert.Equal(EchoAction + "Response", reply.Header.Action);
        Assert.Equal("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", reply.Header.RelatesTo);
        Assert.Equal(DpwsNamespaces.AnonymousAddress, reply.Header.To);
        Assert.NotEqual(reply.Header.RelatesTo, reply.Header.MessageId);
        Assert.Equal("42", reply.BodyElement!.Value);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public async Task Dispatch_UnknownAction_ActionNotSupportedSenderFault500WithRelatesTo()
    {
        await using var host = await StartWithEchoAsync();
        using var client = TestKit.Client(host);

        var result = await client.SendAsync(host.AddressOf("/svc"), SoapEnvelope.Request("urn:unknown", "urn:uuid:d", "urn:uuid:m1"), null, TestKit.Timeout());

        Assert.Equal(500, result.StatusCode);
        var fault = result.Envelope!.Fault!;
        Assert.Equal(SoapFault.Sender, fault.Code);
        Assert.Equal(XName.Get("ActionNotSupported", DpwsNamespaces.Addressing), fault.Subcode);
        Assert.Equal("urn:unknown", Assert.Single(fault.Detail).Value);
        Assert.Equal(DpwsNamespaces.AddressingFaultAction, result.Envelope.Header.Action);
        Assert.Equal("urn:uuid:m1", result.Envelope.Header.RelatesTo);
        await Assert.ThrowsAsync<SoapFaultException>(() => client.InvokeAsync(host.AddressOf("/svc"), SoapEnvelope.Request("urn:unknown", "urn:uuid:d", "urn:uuid:m2"), null, TestKit.Timeout()));
    }

    [Fact]
    public async Task Dispatch_FaultStatusQuirk200_ClientStillThrowsAndReportsQF200()
    {
        await using var host = await StartWithEchoAsync(new DpwsHostOptions { FaultStatusCode = 200 });
        using var client = TestKit.Client(host);

        var ex = await Assert.ThrowsAsync<SoapFaultException>(() => client.InvokeAsync(host.AddressOf("/svc"), SoapEnvelope.Request("urn:unknown", "urn:uuid:d", "urn:uuid:m1"), null, TestKit.Timeout()));

        Assert.Equal(200, ex.HttpStatusCode);
        Assert.Contains(ex.Violations, v => v.RuleId == DpwsRuleIds.FaultStatus && v.Message.Contains("[Q-F200]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<soap:Envelope xmlns:soap='http://www.w3.org/2003/05/soap-envelope'><soap:Body><unclosed></soap:Body>")]
    [InlineData("GET / HTTP/1.0")]
    [InlineData("<html>not soap</html>")]
    [InlineData("")]
    public async Task Dispatch_UnreadableBody_SenderFault400AndHostKeepsServing(string body)
    {
        await using var host = await StartWithEchoAsync();
        using var http = TestKit.Http(host);

        using var response = await http.PostAsync("/svc", TestKit.Soap(body), TestKit.Timeout());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fault = SoapReader.Read(await response.Content.ReadAsByteArrayAsync(TestKit.Timeout())).Envelope!;
        Assert.Equal(SoapFault.Sender, fault.Fault!.Code);
        Assert.Equal(DpwsNamespaces.AddressingFaultAction, fault.Header.Action);
        using var next = await http.PostAsync("/svc", TestKit.Soap(TestKit.Envelope(EchoAction, body: "<t:Ping xmlns:t='urn:harness:test'>1</t:Ping>")), TestKit.Timeout());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, host.Statistics.Malformed);
    }

    [Fact]
    public async Task Dispatch_XmlBomb_RefusedAt400WithoutExpansion()
    {
        await using var host = await StartWithEchoAsync();
        using var http = TestKit.Http(host);
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>"
            + TestKit.Envelope(EchoAction, body: "<t:Ping xmlns:t='urn:harness:test'>&e;&e;&e;&e;&e;&e;&e;&e;</t:Ping>");

        using var response = await http.PostAsync("/svc", TestKit.Soap(bomb), TestKit.Timeout());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DTD", await response.Content.ReadAsStringAsync(TestKit.Timeout()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_MissingAction_MessageInformationHeaderRequired()
    {
        await using var host = await StartWithEchoAsync();
        using var http = TestKit.Http(host);
        var xml = TestKit.Envelope(EchoAction).Replace($"<wsa:Action>{EchoAction}</wsa:Action>", string.Empty, StringComparison.Ordinal);

        using var response = await http.PostAsync("/svc", TestKit.Soap(xml), TestKit.Timeout());

        var envelope = SoapReader.Read(await response.Content.ReadAsByteArrayAsync(TestKit.Timeout())).Envelope!;
        Assert.Equal(XName.Get("MessageInformationHeaderRequired", DpwsNamespaces.Addressing), envelope.Fault!.Subcode);
        Assert.Equal("urn:uuid:00000000-0000-4000-8000-000000000001", envelope.Header.RelatesTo);
    }

    [Fact]
    public async Task Dispatch_UnknownPath_DestinationUnreachable404()
    {
        await using var host = await StartWithEchoAsync();
        using var client = TestKit.Client(host);

        var result = await client.SendAsync(host.AddressOf("/nothing-here"), SoapEnvelope.Request(EchoAction, "urn:uuid:d", "urn:uuid:m1"), null, TestKit.Timeout());

        Assert.Equal(404, result.StatusCode);
        Assert.Equal(XName.Get("DestinationUnreachable", DpwsNamespaces.Addressing), result.Envelope!.Fault!.Subcode);
    }

    [Fact]
    public async Task Dispatch_PathCaseAndTrailingSlash_Ignored()
    {
        await using var host = await StartWithEchoAsync();
        using var client = TestKit.Client(host);

        var result = await client.InvokeAsync(host.AddressOf("/SVC/"), SoapEnvelope.Request(EchoAction, "urn:uuid:d", "urn:uuid:m1", new XElement(T + "Ping")), null, TestKit.Timeout());

        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task Dispatch_HandlerThrowsFaultException_FaultWithRelatesToAndRequestedStatus()
    {
        await using var host = await TestKit.StartInMemoryAsync();
        host.MapEndpoint("/svc").On("urn:fail", (_, _) => throw new SoapFaultException(new SoapFault(SoapFault.Receiver, "busy") { Subcode = XName.Get("ServerErrorNotAcceptingJobs", DpwsNamespaces.Scan) }, 503));
        using var client = TestKit.Client(host);

        var result = await client.SendAsync(host.AddressOf("/svc"), SoapEnvelope.Request("urn:fail", "urn:uuid:d", "urn:uuid:m1"), null, TestKit.Timeout());

        Assert.Equal(503, result.StatusCode);
        Assert.Equal("urn:uuid:m1", result.Envelope!.Header.RelatesTo);
        Assert.Equal(XName.Get("ServerErrorNotAcceptingJobs", DpwsNamespaces.Scan), result.Envelope.Fault!.Subcode);
    }

    [Fact]
    public async Task Dispatch_HandlerCrashes_ReceiverFault500AndNoDetailLeaked()
    {
        await using var host = await TestKit.StartInMemoryAsync();
        host.MapEndpoint("/svc").On("urn:crash", (_, _) => throw new InvalidOperationException("secret stack detail"));
        using var client = TestKit.Client(host);

        var result = await client.SendAsync(host.AddressOf("/svc"), SoapEnvelope.Request("urn:crash", "urn:uuid:d", "urn:uuid:m1"), null, TestKit.Timeout());

        Assert.Equal(500, result.StatusCode);
        Assert.Equal(SoapFault.Receiver, result.Envelope!.Fault!.Code);
        Assert.DoesNotContain("secret", result.Envelope.Fault.Reason, StringComparison.Ordinal);
        Assert.Equal(1, host.Statistics.HandlerFailures);
    }

    [Fact]
    public async Task Dispatch_HandlerNeverAnswers_EndpointUnavailableAfterTheHandlerTimeout()
    {
        await using var host = await TestKit.StartInMemoryAsync(new DpwsHostOptions { HandlerTimeout = TimeSpan.FromMilliseconds(200) });
        host.MapEndpoint("/svc").On("urn:hang", async (c, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return c.Reply("urn:never");
        });
        using var client = TestKit.Client(host);

        var result = await client.SendAsync(host.AddressOf("/svc"), SoapEnvelope.Request("urn:hang", "urn:uuid:d", "urn:uuid:m1"), null, TestKit.Timeout());

        Assert.Equal(500, result.StatusCode);
        Assert.Equal(XName.Get("EndpointUnavailable", DpwsNamespaces.Addressing), result.Envelope!.Fault!.Subcode);
        Assert.Equal("urn:uuid:m1", result.Envelope.Header.RelatesTo);
    }

    [Fact]
    public async Task Start_PortInUse_ThrowsAndDisposesCleanly()
    {
        await using var first = await TestKit.StartLoopbackAsync();
        var second = new DpwsHost(new DpwsHostOptions { Port = first.Port });

        await Assert.ThrowsAnyAsync<IOException>(() => second.StartAsync(TestKit.Timeout()));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Dispatch_Get_405()
    {
        await using var host = await StartWithEchoAsync();
        using var http = TestKit.Http(host);

        using var response = await http.GetAsync("/svc", TestKit.Timeout());

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Dispatch_Soap11_VersionMismatch()
    {
        await using var host = await StartWithEchoAsync();
        using var http = TestKit.Http(host);
        var xml = TestKit.Envelope(EchoAction).Replace(DpwsNamespaces.Soap12, DpwsNamespaces.Soap11, StringComparison.Ordinal);

        using var response = await http.PostAsync("/svc", TestKit.Soap(xml, "text/xml"), TestKit.Timeout());

        var fault = SoapReader.Read(await response.Content.ReadAsByteArrayAsync(TestKit.Timeout())).Envelope!.Fault!;
        Assert.Equal(SoapFault.VersionMismatch, fault.Code);
    }

    [Theory]
    [InlineData("text/xml; charset=utf-8", true)]
    [InlineData("application/xml", true)]
    [InlineData("application/soap+xml; charset=utf-8; action=\"urn:harness:test/Echo\"", false)]
    public async Task Dispatch_LenientContentTypes_AcceptedAndReported(string contentType, bool reported)
    {
        await using var host = await StartWithEchoAsync();
        var exchanges = new List<SoapExchangeEventArgs>();
        host.Exchanged += (_, e) => exchanges.Add(e);
        using var http = TestKit.Http(host);

        using var response = await http.PostAsync("/svc", TestKit.Soap(TestKit.Envelope(EchoAction, body: "<t:Ping xmlns:t='urn:harness:test'/>"), contentType), TestKit.Timeout());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reported, Assert.Single(exchanges).Violations.Any(v => v.RuleId == DpwsRuleIds.HttpBinding));
    }

    [Fact]
    public async Task Dispatch_NonXmlContentTypeOrStrictHost_415()
    {
        await using var host = await StartWithEchoAsync(new DpwsHostOptions { AcceptTextXml = false });
        using var http = TestKit.Http(host);

        using var json = await http.PostAsync("/svc", TestKit.Soap(TestKit.Envelope(EchoAction), "application/json"), TestKit.Timeout());
        using var textXml = await http.PostAsync("/svc", TestKit.Soap(TestKit.Envelope(EchoAction), "text/xml"), TestKit.Timeout());

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, textXml.StatusCode);
    }

    [Fact]
    public async Task Dispatch_ActionParameterDiffersFromWsaAction_Reported()
    {
        await using var host = await StartWithEchoAsync();
        SoapExchangeEventArgs? exchange = null;
        host.Exchanged += (_, e) => exchange = e;
        using var http = TestKit.Http(host);

        using var response = await http.PostAsync("/svc", TestKit.Soap(TestKit.Envelope(EchoAction, body: "<t:Ping xmlns:t='urn:harness:test'/>"), "application/soap+xml; action=\"urn:other\""), TestKit.Timeout());

        Assert.Contains(exchange!.Violations, v => v.RuleId == DpwsRuleIds.HttpBinding && v.Message.Contains("urn:other", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_ContentLengthAboveEndpointLimit_413AndConnectionClose()
    {
        await using var host = await StartWithEchoAsync();
        using var http = TestKit.Http(host);
        var big = TestKit.Envelope(EchoAction, body: $"<t:Ping xmlns:t='urn:harness:test'>{new string('x', 40_000)}</t:Ping>");

        using var response = await http.PostAsync("/svc", TestKit.Soap(big), TestKit.Timeout());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose);
        Assert.Equal(1, host.Statistics.TooLarge);
    }

    [Fact]
    public async Task Dispatch_EndpointWithLargerLimit_AcceptsWhatTheHostDefaultRefuses()
    {
        await using var host = await TestKit.StartInMemoryAsync();
        host.MapEndpoint("/print", maxRequestBytes: 1 << 20).On(EchoAction, (c, _) => ValueTask.FromResult(c.Reply(EchoAction + "Response")));
        using var http = TestKit.Http(host);
        var big = TestKit.Envelope(EchoAction, body: $"<t:Doc xmlns:t='urn:harness:test'>{new string('x', 200_000)}</t:Doc>");

        using var response = await http.PostAsync("/print", TestKit.Soap(big), TestKit.Timeout());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dispatch_MtomRequest_HandlerSeesPackageAndIncludedBytes()
    {
        await using var host = await TestKit.StartInMemoryAsync();
        byte[]? seen = null;
        host.MapEndpoint("/print", maxRequestBytes: 1 << 20).On("urn:send", (c, _) =>
        {
            var violations = new List<Violation>();
            seen = XopContent.Read(c.Envelope.BodyElement!, c.Package, violations)?.ToArray();
            return ValueTask.FromResult(c.Reply("urn:sendResponse"));
        });
        using var client = TestKit.Client(host);
        var document = Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7)).ToArray();
        var request = SoapEnvelope.Request("urn:send", "urn:uuid:d", client.NewMessageId(), new XElement(T + "Document", MtomWriter.Include("doc1@harness")));

        var result = await client.InvokeAsync(host.AddressOf("/print"), request, new SoapCallOptions { Attachments = [new MtomAttachment("doc1@harness", "application/pdf") { Content = document }] }, TestKit.Timeout());

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(document, seen);
    }

    [Fact]
    public async Task Dispatch_MtomResponse_ClientReadsPackageStreamed()
    {
        await using var host = await TestKit.StartInMemoryAsync();
        var image = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();
        host.MapEndpoint("/scan").On("urn:retrieve", (c, _) => ValueTask.FromResult(c.Reply("urn:retrieveResponse", new XElement(T + "ScanData", MtomWriter.Include("img@harness"))) with
        {
            Attachments = [new MtomAttachment("img@harness", "image/png") { WriteContentAsync = async (s, ct) => { foreach (var chunk in image.Chunk(65_536)) { await s.WriteAsync(chunk, ct); } } }],
        }));
        using var client = TestKit.Client(host);

        var result = await client.InvokeAsync(host.AddressOf("/scan"), SoapEnvelope.Request("urn:retrieve", "urn:uuid:d", client.NewMessageId()), null, TestKit.Timeout());

        Assert.StartsWith("multipart/related", result.ContentType, StringComparison.Ordinal);
        var violations = new List<Violation>();
        Assert.Equal(image, XopContent.Read(result.Envelope!.BodyElement!, result.Package, violations)!.Value.ToArray());
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Dispatch_OneWayHandler_202WithoutBody()
    {
        await using var host = await TestKit.StartInMemoryAsync();
        host.MapEndpoint("/sink").OnAny((_, _) => ValueTask.FromResult(SoapResponse.Accepted));
        using var client = TestKit.Client(host);

        var result = await client.SendAsync(host.AddressOf("/sink"), SoapEnvelope.Request("urn:event", "http://x/sink", "urn:uuid:e1"), null, TestKit.Timeout());

        Assert.Equal(202, result.StatusCode);
        Assert.Null(result.Envelope);
    }

    [Fact]
    public async Task Recorder_RecordsRequestAndResponseAsHttp()
    {
        var recorder = new TrafficRecorder();
        await using var host = await StartWithEchoAsync(new DpwsHostOptions { Recorder = recorder });
        using var client = TestKit.Client(host);

        await client.InvokeAsync(host.AddressOf("/svc"), SoapEnvelope.Request(EchoAction, "urn:uuid:d", "urn:uuid:m1", new XElement(T + "Ping")), null, TestKit.Timeout());

        var records = recorder.Snapshot();
        Assert.Equal([TrafficDirection.Inbound, TrafficDirection.Outbound], records.Select(r => r.Direction));
        Assert.All(records, r => Assert.Equal(("dpws", TrafficTransport.Http), (r.Protocol, r.Transport)));
        Assert.StartsWith("POST /svc HTTP/1.1\r\n", Encoding.Latin1.GetString(records[0].Payload.Span), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.Latin1.GetString(records[1].Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void MapEndpoint_DuplicateOrBadPath_Throws()
    {
        var host = new DpwsHost();
        host.MapEndpoint("/a");

        Assert.Throws<InvalidOperationException>(() => host.MapEndpoint("/A/"));
        Assert.Throws<ArgumentException>(() => host.MapEndpoint("relative"));
        Assert.Throws<InvalidOperationException>(() => host.MapEndpoint("/b").On("urn:x", (c, _) => default).On("urn:x", (c, _) => default));
    }

    [Fact]
    public async Task DirectedProbe_WildcardProbe_ProbeMatchesInTheHttpResponse()
    {
        await using var host = await StartWithEchoAsync();
        var service = new PublishedService("urn:uuid:5e2f6a43-3d6c-4a0b-9a5e-0b1c2d3e4f50")
        {
            Types = [WsdQName.Create(DpwsNamespaces.Devprof, "Device", "wsdp")],
            Scopes = ["http://harness.test/scanner"],
            XAddrs = ["http://{ip}:5357/5e2f6a43"],
            MetadataVersion = 3,
        };
        host.DirectedProbe = new DirectedProbeResponder(() => [service], instanceId: 1700000000);
        using var client = TestKit.Client(host);
        var dpws = new Harness.Dpws.Metadata.DpwsClient(client);

        var first = await dpws.ProbeAsync(host.AddressOf("/svc"), null, TestKit.Timeout());
        var second = await dpws.ProbeAsync(host.AddressOf(DirectedProbeResponder.StableDiscoveryPath), null, TestKit.Timeout());

        var match = Assert.Single(first.Matches.Matches);
        Assert.Equal(service.EndpointAddress, match.Endpoint.Address);
        Assert.Equal(["http://localhost:5357/5e2f6a43"], match.XAddrs);
        Assert.Equal(3UL, match.MetadataVersion);
        Assert.Equal(WsdProtocol.V2005.AnonymousAddress, first.Matches.Header.To);
        Assert.NotNull(first.Matches.Header.RelatesTo);
        Assert.Equal(new WsdAppSequence(1700000000, 1, DirectedProbeResponder.DefaultSequenceId), first.Matches.Header.AppSequence);
        Assert.Equal(2UL, second.Matches.Header.AppSequence!.MessageNumber);
    }

    [Fact]
    public async Task DirectedProbe_NonMatchingOrUnsupportedRule_EmptyMatchesOrFault()
    {
        await using var host = await StartWithEchoAsync();
        host.DirectedProbe = new DirectedProbeResponder(() => [new PublishedService("urn:uuid:5e2f6a43-3d6c-4a0b-9a5e-0b1c2d3e4f50") { Scopes = ["http://harness.test/a"] }], 1);
        using var client = TestKit.Client(host);
        var dpws = new Harness.Dpws.Metadata.DpwsClient(client);
        WsdProbe Probe(string scope, string? matchBy) => new()
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader { Action = WsdProtocol.V2005.ProbeAction, MessageId = client.NewMessageId(), To = WsdProtocol.V2005.MulticastTo },
            Scopes = [scope],
            MatchBy = matchBy,
        };

        var none = await dpws.ProbeAsync(host.AddressOf("/svc"), Probe("http://harness.test/b", null), TestKit.Timeout());
        var fault = await Assert.ThrowsAsync<SoapFaultException>(() => dpws.ProbeAsync(host.AddressOf("/svc"), Probe("http://harness.test/a", "urn:no-such-rule"), TestKit.Timeout()));

        Assert.Empty(none.Matches.Matches);
        Assert.Equal(XName.Get("MatchingRuleNotSupported", WsdProtocol.V2005.DiscoveryNamespace), fault.Subcode);
        Assert.Equal(500, fault.HttpStatusCode);
    }

    private static async Task<DpwsHost> StartWithEchoAsync(DpwsHostOptions? options = null)
    {
        var host = await TestKit.StartInMemoryAsync(options);
        host.MapEndpoint("/svc").On(EchoAction, (context, _) =>
            ValueTask.FromResult(context.Reply(EchoAction + "Response", new XElement(T + "Pong", context.Envelope.BodyElement?.Value))));
        return host;
    }
}
