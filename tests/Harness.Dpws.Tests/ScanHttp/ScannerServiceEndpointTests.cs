using System.Text;
using System.Xml.Linq;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Scan;
using Harness.Dpws.Scan.Http;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Http;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.ScanHttp;

/// <summary>An image source answering fixed bytes per page, so the MTOM attachment can be compared byte for byte.</summary>
internal sealed class FixedImageSource : IScanImageSource
{
    public static byte[] BytesOf(ScanImageRequest request) =>
        Encoding.ASCII.GetBytes($"job{request.JobId}:" + string.Join(',', request.Pages.Select(p => $"{p.Number}:{p.PixelWidth}x{p.PixelHeight}")) + "\0\u00ff binary");

    public ValueTask<ScanImageResult> RenderAsync(ScanImageRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ScanImageResult.Of(BytesOf(request), ScanValues.MediaTypeOf(request.Format)));
}

/// <summary>
/// The WS-Scan wiring on a loopback <see cref="DpwsDevice"/> with a fake clock: hosted metadata, dispatch by action,
/// RetrieveImage over MTOM, faults, events through the event source, and the ScanDestinations hook of Subscribe.
/// </summary>
public sealed class ScannerServiceEndpointTests : IAsyncLifetime
{
    private const string DeviceAddress = "urn:uuid:0c7a4e44-5d1b-4f0e-9c33-7b9a2c1d4e5f";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ScannerService _service = null!;
    private DpwsDevice _device = null!;
    private ScannerServiceEndpoint _endpoint = null!;
    private NotificationSink _sink = null!;
    private SoapHttpClient _http = null!;

    private Uri Service => _endpoint.Address;

    public async Task InitializeAsync()
    {
        _service = new ScannerService(new ScannerServiceOptions { Seed = 3 }, new FixedImageSource(), _time);
        _device = new DpwsDevice(
            new DpwsDeviceOptions
            {
                EndpointAddress = DeviceAddress,
                ThisModel = new ThisModel { Manufacturer = [new LocalizedText("Harness")], ModelName = [new LocalizedText("Scan 1")] },
                ThisDevice = new ThisDevice { FriendlyName = [new LocalizedText("Desk scanner")] },
                Host = new DpwsHostOptions { Seed = 4 },
            },
            _time);
        _endpoint = ScannerServiceEndpoint.Attach(_device, _service, new ScannerServiceEndpointOptions { Eventing = new SubscriptionManagerOptions { EventActions = ScanActions.Events, Seed = 6 } });
        await _device.StartAsync(TestKit.Timeout());
        _sink = await NotificationSink.StartAsync(timeProvider: _time, cancellationToken: TestKit.Timeout());
        _http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 7 });
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        await _device.DisposeAsync();
        await _sink.DisposeAsync();
        _service.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Attach_Metadata_HostedScannerServiceTypeAtItsPath()
    {
        var metadata = await new DpwsClient(_http).GetAsync(_device.XAddr, DeviceAddress, TestKit.Timeout());
        var hosted = Assert.Single(metadata.Metadata.HostedOfType(ScannerServiceEndpoint.ScannerServiceType));
        Assert.Equal(Service.ToString(), hosted.Address);
        Assert.Equal("urn:harness:wscn:ScannerService", hosted.ServiceId);
        Assert.Equal(ScanActions.Requests.Concat([DpwsActions.Subscribe, DpwsActions.Renew, DpwsActions.GetStatus, DpwsActions.Unsubscribe]).Order(StringComparer.Ordinal), _endpoint.Hosted.Endpoint.Actions);
    }

    [Fact]
    public async Task RetrieveImage_Answer_MtomPackageWhoseAttachmentIsTheRenderedBytes()
    {
        var client = new ScanClient(_http);
        var job = await client.CreateScanJobAsync(Service, Ticket(), cancellationToken: TestKit.Timeout());
        var request = SoapEnvelope.Request(ScanActions.RetrieveImage, Service.ToString(), _http.NewMessageId(), ScanXmlWriter.Write(new RetrieveImageRequest(job.Value.JobId, job.Value.JobToken)));

        var result = await _http.InvokeAsync(Service, request, null, TestKit.Timeout());

        Assert.StartsWith("multipart/related", result.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("application/xop+xml", result.ContentType, StringComparison.Ordinal);
        Assert.Equal(ScanActions.RetrieveImageResponse, result.Envelope!.Header.Action);
        var href = ScanXmlReader.ReadRetrieveImageResponse(result.Envelope.BodyElement!).Value!;
        Assert.StartsWith("cid:", href, StringComparison.Ordinal);
        var part = result.Package!.Find(href)!;
        Assert.Equal("image/png", part.ContentType);
        var expected = Encoding.ASCII.GetBytes($"job{job.Value.JobId}:1:{job.Value.ImageInformation.Front.PixelsPerLine}x{job.Value.ImageInformation.Front.NumberOfLines}\0\u00ff binary");
        Assert.Equal(expected, part.Content.ToArray());
    }

    [Fact]
    public async Task Operations_Faults_TypedScanFaultsWithSubcodes()
    {
        var client = new ScanClient(_http);
        var notFound = await Assert.ThrowsAsync<ScanFaultException>(() => client.GetJobElementsAsync(Service, 77, cancellationToken: TestKit.Timeout()));
        Assert.Equal(ScanNamespaces.Wscn + "ClientErrorJobIdNotFound", notFound.Fault.Subcode);
        Assert.Equal(ScanFaultCode.Sender, notFound.Fault.Code);
        Assert.InRange(notFound.HttpStatusCode ?? 0, 400, 599);

        var job = await client.CreateScanJobAsync(Service, Ticket(), cancellationToken: TestKit.Timeout());
        var badToken = await Assert.ThrowsAsync<ScanFaultException>(() => client.RetrieveImageAsync(Service, job.Value.JobId, "not-the-token", cancellationToken: TestKit.Timeout()));
        Assert.Equal("ClientErrorInvalidJobToken", badToken.Name);

        var noFormat = Ticket() with { DocumentParameters = Ticket().DocumentParameters with { Format = ScanValue.Required("tiff-single-g4") } };
        var format = await Assert.ThrowsAsync<ScanFaultException>(() => client.CreateScanJobAsync(Service, noFormat, cancellationToken: TestKit.Timeout()));
        Assert.Equal("ClientErrorFormatNotSupported", format.Name);
    }

    [Fact]
    public async Task Events_JobLifecycle_JobStatusThenJobEndStateInOrder()
    {
        var eventing = new EventingClient(_http);
        await eventing.SubscribeAsync(Service, _sink.Address, [ScanActions.JobStatusEvent, ScanActions.JobEndStateEvent], TimeSpan.FromMinutes(5), null, TestKit.Timeout());
        var client = new ScanClient(_http);
        var job = await client.CreateScanJobAsync(Service, Ticket(), cancellationToken: TestKit.Timeout());
        await client.RetrieveImageAsync(Service, job.Value.JobId, job.Value.JobToken, cancellationToken: TestKit.Timeout());

        await _sink.WaitForAsync(n => n.Action == ScanActions.JobEndStateEvent, TestKit.Timeout());
        var actions = _sink.History.Select(n => n.Action).ToList();
        Assert.Contains(ScanActions.JobStatusEvent, actions);
        Assert.True(actions.LastIndexOf(ScanActions.JobStatusEvent) < actions.IndexOf(ScanActions.JobEndStateEvent), string.Join(", ", actions));
        Assert.All(_sink.History, n => Assert.NotNull(ScanXmlReader.ReadEvent(n.Envelope.BodyElement!).Value));
    }

    [Fact]
    public async Task Subscribe_ScanDestinations_DestinationResponsesAndForgottenOnUnsubscribe()
    {
        var eventing = new EventingClient(_http);
        var subscription = await eventing.SubscribeAsync(Service, SubscribeWith([new ScanDestination("Scan to PC", "ctx-1"), new ScanDestination("Scan to mail", "ctx-2")]), TestKit.Timeout());

        var responses = ScanXmlReader.ReadDestinationResponses(Assert.Single(subscription.Extensions)).Value!;
        Assert.Equal(["ctx-1", "ctx-2"], responses.Select(r => r.ClientContext));
        Assert.Equal(2, responses.Select(r => r.DestinationToken).Distinct().Count());
        var pressed = _service.PressScanButton("ctx-2");
        Assert.Equal(responses[1].DestinationToken, pressed.DestinationToken);

        await eventing.UnsubscribeAsync(subscription, TestKit.Timeout());
        Assert.Throws<InvalidOperationException>(() => _service.PressScanButton("ctx-1"));
    }

    [Fact]
    public async Task Subscribe_WithDestinationsExpires_DestinationsForgottenAtExpiry()
    {
        var eventing = new EventingClient(_http);
        await eventing.SubscribeAsync(Service, SubscribeWith([new ScanDestination("Scan", "ctx-exp")], "PT1M"), TestKit.Timeout());
        _service.PressScanButton("ctx-exp");

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Empty(_endpoint.Hosted.Events!.Subscriptions);
        Assert.Throws<InvalidOperationException>(() => _service.PressScanButton("ctx-exp"));
    }

    [Fact]
    public async Task Subscribe_EmptyScanDestinations_InvalidArgsAndNoSubscription()
    {
        var request = SubscribeWith([]);
        var fault = await Assert.ThrowsAsync<SoapFaultException>(() => new EventingClient(_http).SubscribeAsync(Service, request, TestKit.Timeout()));
        Assert.Equal(ScanNamespaces.Wscn + "InvalidArgs", fault.Subcode);
        Assert.Empty(_endpoint.Hosted.Events!.Subscriptions);
    }

    [Fact]
    public async Task ScanAvailable_OwnerFilterWithoutIt_NotDeliveredToAnyone()
    {
        // The owner subscribed to JobStatus only: its filter does not take ScanAvailableEvent, so nothing is sent.
        var request = SubscribeWith([new ScanDestination("Scan", "ctx-f")]) with { Filter = EventingFilter.ForActions(ScanActions.JobStatusEvent) };
        await new EventingClient(_http).SubscribeAsync(Service, request, TestKit.Timeout());
        await new EventingClient(_http).SubscribeAsync(Service, _sink.Address, [ScanActions.ScanAvailableEvent, ScanActions.JobStatusEvent], TimeSpan.FromMinutes(5), null, TestKit.Timeout());
        _service.PressScanButton("ctx-f");

        // A later JobStatus event reaches both; by then the ScanAvailableEvent (queued first) would have arrived.
        var client = new ScanClient(_http);
        await client.CreateScanJobAsync(Service, Ticket(), cancellationToken: TestKit.Timeout());
        await _sink.WaitForCountAsync(ScanActions.JobStatusEvent, 2, TestKit.Timeout());
        Assert.DoesNotContain(_sink.History, n => n.Action == ScanActions.ScanAvailableEvent);
    }

    [Fact]
    public async Task Client_RetrieveImageAnsweredWithoutMtom_ProtocolError()
    {
        // A device that answers RetrieveImage with a plain envelope (no attachment): the client says so.
        await using var host = await TestKit.StartInMemoryAsync();
        host.MapEndpoint("/bad").On(ScanActions.RetrieveImage, (c, _) => ValueTask.FromResult(c.Reply(ScanActions.RetrieveImageResponse, ScanXmlWriter.WriteRetrieveImageResponse("missing@device"))));
        using var http = TestKit.Client(host);
        var error = await Assert.ThrowsAsync<SoapProtocolException>(() => new ScanClient(http).RetrieveImageAsync(host.AddressOf("/bad"), 1, "t", cancellationToken: TestKit.Timeout()));
        Assert.Equal(SoapProtocolError.UnexpectedReply, error.Error);
        Assert.Contains(error.Violations, v => v.RuleId == ScanRuleIds.Schema);
    }

    [Fact]
    public async Task Client_WrongResponseAction_ReportedAsViolation()
    {
        await using var host = await TestKit.StartInMemoryAsync();
        host.MapEndpoint("/odd").On(ScanActions.GetJobHistory, (c, _) => ValueTask.FromResult(c.Reply(ScanActions.GetActiveJobsResponse, ScanXmlWriter.Write(new GetJobHistoryResponse([])))));
        using var http = TestKit.Client(host);
        var result = await new ScanClient(http).GetJobHistoryAsync(host.AddressOf("/odd"), TestKit.Timeout());
        Assert.Empty(result.Value.Jobs);
        Assert.Contains(result.Violations, v => v.RuleId == ScanRuleIds.Schema && v.Message.Contains("GetActiveJobsResponse", StringComparison.Ordinal));
    }

    [Fact]
    public void ToScanFault_ReceiverWithSubcode_CodeSubcodeReasonKept()
    {
        var soap = ScanFault.ServerErrorNotAcceptingJobs().ToSoapFault();
        var back = ScanFaultException.ToScanFault(soap);
        Assert.Equal(ScanFaultCode.Receiver, back.Code);
        Assert.Equal(ScanNamespaces.Wscn + "ServerErrorNotAcceptingJobs", back.Subcode);
        Assert.Equal(soap.Reason, back.Reason);
        var bare = ScanFaultException.ToScanFault(new SoapFault(SoapFault.Sender, "no"));
        Assert.Equal(SoapFault.Sender, bare.Subcode);
    }

    private SubscribeRequest SubscribeWith(IReadOnlyList<ScanDestination> destinations, string expires = "PT10M") => new()
    {
        NotifyTo = new WsaEndpointReference(_sink.Address.ToString()),
        Expires = expires,
        Filter = EventingFilter.ForActions(ScanActions.ScanAvailableEvent),
        Extensions = [ScanXmlWriter.WriteScanDestinations(destinations)],
    };

    private static ScanTicket Ticket() => new()
    {
        JobDescription = new ScanJobDescription("wiring", "tester"),
        DocumentParameters = new ScanDocumentParameters
        {
            Format = ScanValue.Of(ScanValues.Png),
            InputSource = ScanValue.Of(ScanValues.Platen),
            MediaSides = new ScanMediaSides
            {
                Front = new ScanMediaSide
                {
                    ColorProcessing = ScanValue.Of(ScanValues.Grayscale8),
                    Resolution = new ScanResolution { Width = ScanValue.Of(100), Height = ScanValue.Of(100) },
                    ScanRegion = new ScanRegion { Width = ScanValue.Of(4000), Height = ScanValue.Of(6000) },
                },
            },
        },
    };
}
