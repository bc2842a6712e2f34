using System.Net;
using System.Text;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Print;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Http;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.Print;

/// <summary>The printer service on a DPWS device, in memory (TestServer) and on 127.0.0.1, driven by <see cref="PrintClient"/> and by raw bytes.</summary>
public sealed class PrinterServiceEndpointTests
{
    private const string DeviceAddress = "urn:uuid:0c3a4b5e-6f70-4812-9a3b-4c5d6e7f8091";

    private sealed class Rig : IAsyncDisposable
    {
        private Rig(DpwsDevice device, PrinterServiceEndpoint endpoint, SoapHttpClient http)
        {
            Device = device;
            Endpoint = endpoint;
            Http = http;
            Client = new PrintClient(http) { From = "urn:uuid:80a883f5-8d76-4f27-8be6-b764da9304a6" };
        }

        public DpwsDevice Device { get; }

        public PrinterServiceEndpoint Endpoint { get; }

        public PrinterService Service => Endpoint.Service;

        public Uri Address => Endpoint.Address;

        public SoapHttpClient Http { get; }

        public PrintClient Client { get; }

        public static async Task<Rig> StartAsync(PrinterServiceOptions? options = null, TimeProvider? time = null, bool inMemory = true)
        {
            var deviceOptions = new DpwsDeviceOptions
            {
                EndpointAddress = DeviceAddress,
                ThisModel = new ThisModel { Manufacturer = [new LocalizedText("Harness")], ModelName = [new LocalizedText("LP-1")] },
                ThisDevice = new ThisDevice { FriendlyName = [new LocalizedText("Printer on desk 3")] },
                HostTypes = [PrinterServiceEndpoint.PrintDeviceType],
                Host = inMemory ? TestKit.InMemory() : new DpwsHostOptions(),
            };
            var device = new DpwsDevice(deviceOptions, time);
            var service = new PrinterService(options ?? new PrinterServiceOptions(), time ?? new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            var endpoint = PrinterServiceEndpoint.Attach(device, service);
            await device.StartAsync(TestKit.Timeout());
            var http = inMemory ? TestKit.Client(device.Host) : new SoapHttpClient(new SoapHttpClientOptions { Seed = 7 });
            return new Rig(device, endpoint, http);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Endpoint.DisposeAsync();
            await Device.DisposeAsync();
            Service.Dispose();
        }
    }

    [Fact]
    public async Task InMemory_ClientRoundTrip_ElementsJobDocumentStatusCancel()
    {
        await using var rig = await Rig.StartAsync();
        var client = rig.Client;
        var document = PrintVectors.SmallPdf;

        var elements = await client.GetPrinterElementsAsync(rig.Address, [PrintElementNames.PrinterDescription, PrintElementNames.PrinterStatus, PrintElementNames.DefaultPrintTicket], TestKit.Timeout());
        var created = await client.CreatePrintJobAsync(rig.Address, "Quarterly.pdf", "ann", TestKit.Timeout());
        var jobId = created.Value.JobId;
        var sent = await client.SendDocumentAsync(rig.Address, jobId, document, new PrintDocumentDescription(1) { DocumentName = "Quarterly.pdf", Format = "application/pdf" }, contentType: "application/pdf", cancellationToken: TestKit.Timeout());
        var status = await client.GetJobElementsAsync(rig.Address, jobId, [PrintElementNames.JobStatus, PrintElementNames.PrintTicket], TestKit.Timeout());
        var active = await client.GetActiveJobsAsync(rig.Address, TestKit.Timeout());
        await client.CancelJobAsync(rig.Address, jobId, TestKit.Timeout());
        var history = await client.GetJobHistoryAsync(rig.Address, TestKit.Timeout());

        Assert.Equal("Harness Virtual Printer", elements.Value.Description!.Name);
        Assert.Equal(PrinterStates.Idle, elements.Value.Status!.PrinterState);
        Assert.Equal("iso_a4_210x297mm", elements.Value.DefaultPrintTicket!.DocumentProcessing!.MediaSizeName);
        Assert.Empty(elements.Violations);
        Assert.DoesNotContain(sent.Violations, v => v.Severity != Core.Diagnostics.ViolationSeverity.Info);
        Assert.Equal((jobId, PrintJobStates.Pending, 1), (status.Value.Status!.JobId, status.Value.Status.JobState, status.Value.Status.NumberOfDocuments));
        Assert.Equal(("Quarterly.pdf", "ann"), (status.Value.Ticket!.JobDescription!.JobName, status.Value.Ticket.JobDescription.JobOriginatingUserName));
        Assert.Equal(jobId, Assert.Single(active.Value.Jobs).JobId);
        Assert.Equal((jobId, PrintJobStates.Canceled), (Assert.Single(history.Value.Jobs).JobId, history.Value.Jobs[0].JobState));
        var received = Assert.Single(rig.Service.Documents);
        Assert.Equal(document, received.Data.ToArray());
        Assert.Equal(("application/pdf", "Quarterly.pdf", "application/pdf"), (received.ContentType, received.Name, received.Format));
    }

    [Fact]
    public async Task InMemory_CancelUnknownJob_TypedFaultClientErrorJobIdNotFound()
    {
        await using var rig = await Rig.StartAsync();

        var error = await Assert.ThrowsAsync<PrintFaultException>(() => rig.Client.CancelJobAsync(rig.Address, 31337, TestKit.Timeout()));

        Assert.True(error.Fault.Is("ClientErrorJobIdNotFound"));
        Assert.Equal(PrintFaultCode.Sender, error.Fault.Code);
        Assert.Equal("31337", Assert.Single(error.Fault.Detail).Value);
        Assert.Equal(500, error.HttpStatusCode);
        Assert.Equal(DpwsNamespaces.AddressingFaultAction, error.Envelope!.Header.Action);
        Assert.NotNull(error.Envelope.Header.RelatesTo);
    }

    [Fact]
    public async Task InMemory_MalformedBody_400SenderFaultAndStillServing()
    {
        await using var rig = await Rig.StartAsync();
        using var http = TestKit.Http(rig.Device.Host);

        using var response = await http.PostAsync(rig.Endpoint.Hosted.Endpoint.Path, TestKit.Soap("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><unclosed>"), TestKit.Timeout());
        var after = await rig.Client.GetPrinterElementsAsync(rig.Address, [PrintElementNames.PrinterStatus], TestKit.Timeout());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fault = SoapReader.Read(await response.Content.ReadAsByteArrayAsync(TestKit.Timeout())).Envelope!.Fault!;
        Assert.True(fault.IsSender);
        Assert.NotNull(after.Value.Status);
    }

    [Fact]
    public async Task InMemory_UnknownAction_ActionNotSupported()
    {
        await using var rig = await Rig.StartAsync();
        var action = PrintNamespaces.Print + "/PrintTheMoon";

        var result = await rig.Http.SendAsync(rig.Address, SoapEnvelope.Request(action, rig.Address.ToString(), rig.Http.NewMessageId()), null, TestKit.Timeout());

        Assert.Equal(500, result.StatusCode);
        Assert.Equal("ActionNotSupported", result.Envelope!.Fault!.Subcode!.LocalName);
        Assert.Equal(action, result.Envelope.Fault.Detail.Single().Value);
    }

    [Fact]
    public async Task InMemory_BodyNotTheActionsRequest_InvalidArgsAndReaderViolationsReported()
    {
        await using var rig = await Rig.StartAsync();
        var exchanges = new List<SoapExchangeEventArgs>();
        rig.Device.Host.Exchanged += (_, e) => exchanges.Add(e);
        var body = PrintXmlWriter.Write(new CancelJobRequest(1));

        var result = await rig.Http.SendAsync(rig.Address, SoapEnvelope.Request(PrintActions.CreatePrintJob, rig.Address.ToString(), rig.Http.NewMessageId(), body), null, TestKit.Timeout());

        var fault = PrintFault.FromSoapFault(result.Envelope!.Fault!);
        Assert.True(fault.Is("InvalidArgs"));
        Assert.Contains("CreatePrintJobRequest", fault.Reason, StringComparison.Ordinal);
        Assert.Contains(Assert.Single(exchanges).Violations, v => v.RuleId == PrintRuleIds.Schema);
        Assert.Empty(rig.Service.Jobs);
    }

    [Fact]
    public async Task InMemory_EmptyBody_InvalidArgs()
    {
        await using var rig = await Rig.StartAsync();

        var result = await rig.Http.SendAsync(rig.Address, SoapEnvelope.Request(PrintActions.GetJobHistory, rig.Address.ToString(), rig.Http.NewMessageId()), null, TestKit.Timeout());

        Assert.True(PrintFault.FromSoapFault(result.Envelope!.Fault!).Is("InvalidArgs"));
    }

    [Fact]
    public async Task InMemory_OversizeDocument_ServiceFaultBelowTheHttpLimit413AboveItAndStillServing()
    {
        await using var rig = await Rig.StartAsync(new PrinterServiceOptions { MaxDocumentBytes = 16 * 1024, MaxJobBytes = 16 * 1024 });
        var jobId = (await rig.Client.CreatePrintJobAsync(rig.Address, "big", "bob", TestKit.Timeout())).Value.JobId;
        using var http = TestKit.Http(rig.Device.Host);
        var huge = new byte[rig.Endpoint.Hosted.Endpoint.MaxRequestBytes + 1];

        var overService = await Assert.ThrowsAsync<PrintFaultException>(() => rig.Client.SendDocumentAsync(rig.Address, jobId, new byte[20 * 1024], new PrintDocumentDescription(1), cancellationToken: TestKit.Timeout()));
        using var content = new ByteArrayContent(huge);
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/related; type=\"application/xop+xml\"; boundary=\"b\"; start=\"<r>\"");
        using var overHttp = await http.PostAsync(rig.Endpoint.Hosted.Endpoint.Path, content, TestKit.Timeout());
        var fits = await rig.Client.SendDocumentAsync(rig.Address, jobId, new byte[16 * 1024], new PrintDocumentDescription(1), cancellationToken: TestKit.Timeout());

        Assert.True(overService.Fault.Is("InvalidArgs"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overHttp.StatusCode);
        Assert.NotNull(fits.Value);
        Assert.Equal(16 * 1024, Assert.Single(rig.Service.Documents).Length);
        Assert.Equal(1, rig.Device.Host.Statistics.TooLarge);
    }

    [Fact]
    public async Task InMemory_AddDocument_UrlRecordedNeverFetched()
    {
        await using var rig = await Rig.StartAsync();
        var jobId = (await rig.Client.CreatePrintJobAsync(rig.Address, "by reference", "cy", TestKit.Timeout())).Value.JobId;

        await rig.Client.AddDocumentAsync(rig.Address, jobId, "http://192.0.2.1/never-fetched.pdf", new PrintDocumentDescription(1), cancellationToken: TestKit.Timeout());

        Assert.Equal("http://192.0.2.1/never-fetched.pdf", Assert.Single(rig.Service.Documents).Url);
    }

    [Fact]
    public async Task InMemory_WindowsSendDocumentBytes_DocumentKept()
    {
        // The Windows SendDocument envelope as the root of an MTOM package, sent as raw bytes.
        await using var rig = await Rig.StartAsync();
        var jobId = (await rig.Client.CreatePrintJobAsync(rig.Address, "win", "w", TestKit.Timeout())).Value.JobId;
        Assert.Equal(1, jobId);
        var envelope = Encoding.UTF8.GetBytes(PrintVectors.WindowsSendDocument.Replace("<pri:JobId>3</pri:JobId>", $"<pri:JobId>{jobId}</pri:JobId>", StringComparison.Ordinal));
        var package = MtomWriter.Write("MIMEBoundary_windows", envelope, [new MtomAttachment(PrintVectors.WindowsDocumentContentId, "application/octet-stream") { Content = PrintVectors.SmallPdf }]);

        var raw = await rig.Http.SendRawAsync(rig.Address, package, MtomWriter.ContentType("MIMEBoundary_windows"), null, TestKit.Timeout());

        Assert.Equal(200, raw.StatusCode);
        var reply = rig.Http.Interpret(raw).Envelope!;
        Assert.Equal(PrintActions.SendDocumentResponse, reply.Header.Action);
        Assert.Equal("urn:uuid:951308bc-0858-4f8c-a8f8-386e24780ae3", reply.Header.RelatesTo);
        Assert.Equal(PrintVectors.SmallPdf, Assert.Single(rig.Service.Documents).Data.ToArray());
    }

    [Fact]
    public async Task Loopback_Subscriber_GetsJobStatusEventsInOrderThenJobEndState()
    {
        var options = new PrinterServiceOptions { StartDelay = TimeSpan.FromMilliseconds(10), PrintTime = TimeSpan.FromMilliseconds(20) };
        await using var rig = await Rig.StartAsync(options, TimeProvider.System, inMemory: false);
        await using var sink = await NotificationSink.StartAsync();
        var subscription = await new EventingClient(rig.Http).SubscribeAsync(rig.Address, sink.Address, [PrintActions.JobStatusEvent, PrintActions.JobEndStateEvent], TimeSpan.FromMinutes(5), null, TestKit.Timeout());

        var jobId = (await rig.Client.CreatePrintJobAsync(rig.Address, "evented", "ev", TestKit.Timeout())).Value.JobId;
        await rig.Client.SendDocumentAsync(rig.Address, jobId, PrintVectors.SmallPdf, new PrintDocumentDescription(1), cancellationToken: TestKit.Timeout());
        var end = await sink.WaitForAsync(n => n.Action == PrintActions.JobEndStateEvent, TestKit.Timeout());

        Assert.NotNull(subscription.Identifier);
        var endState = Assert.IsType<PrintJobEndStateEvent>(PrintXmlReader.ReadEvent(end.Envelope.BodyElement!).Value).EndState;
        Assert.Equal((jobId, PrintJobStates.Completed), (endState.JobId, endState.JobCompletedState));
        var states = sink.History.Where(n => n.Action == PrintActions.JobStatusEvent)
            .Select(n => Assert.IsType<PrintJobStatusEvent>(PrintXmlReader.ReadEvent(n.Envelope.BodyElement!).Value).Status.JobState);
        Assert.Equal([PrintJobStates.Pending, PrintJobStates.Pending, PrintJobStates.Processing, PrintJobStates.Completed], states);
        Assert.Equal(0, rig.Endpoint.EventsDropped);
    }
}
