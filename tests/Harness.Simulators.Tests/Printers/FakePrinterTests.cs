using System.Net;
using System.Net.Sockets;
using System.Text;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Print;
using Harness.Dpws.Soap;
using Harness.Simulators.Identity;
using Harness.Simulators.Printers;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Simulators.Tests.Printers;

/// <summary>
/// The fake printer on loopback: discovered with a real <see cref="DiscoveryClient"/> on a private multicast port, then
/// metadata, eventing and printing over real Kestrel sockets, each printer on an address of its own in 127.0.3.0/24.
/// </summary>
public sealed class FakePrinterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    // A real printer's Hello (a Dell 2330 / Lexmark stack, captured by robots.org.uk "Windows Printer Discovery"), verbatim.
    private const string RealPrinterHello = """
        <?xml version="1.0" encoding="utf-8"?> <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsdp="http://schemas.xmlsoap.org/ws/2006/02/devprof" xmlns:nprt="http://schemas.microsoft.com/windows/2006/08/wdp/print"> <soap:Header> <wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</wsa:Action> <wsa:MessageID>urn:uuid:3af4b6f3-50bc-49cc-b9f6-4e37e9d875af</wsa:MessageID> <wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To> <wsd:AppSequence InstanceId="53" MessageNumber="2"/> </soap:Header> <soap:Body> <wsd:Hello> <wsa:EndpointReference> <wsa:Address>uuid:f6fe2f0a-325f-4454-aa07-0888d60ffa64</wsa:Address> </wsa:EndpointReference> <wsd:Types>wsdp:Device nprt:PrintDeviceType</wsd:Types> <wsd:XAddrs>http://[fe80::221:b7ff:fe88:ced0]:50000/lxkWSdevice</wsd:XAddrs> <wsd:MetadataVersion>8</wsd:MetadataVersion> </wsd:Hello> </soap:Body> </soap:Envelope>
        """;

    private static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static int FreePort()
    {
        using var probe = new UdpClient(0);
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private static FakePrinterOptions Options(int port, string address, int seed = 11) => new()
    {
        Seed = seed,
        Interface = "lo",
        UnicastAddress = IPAddress.Parse(address),
        MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port),
        AnswerDelay = TimeSpan.FromMilliseconds(20),
        HelloDelay = TimeSpan.FromMilliseconds(10),
        Service = FakePrinter.CreateServiceOptions(DeviceIdentity.Create(DeviceKind.Printer, seed)) with
        {
            StartDelay = TimeSpan.FromMilliseconds(20),
            PrintTime = TimeSpan.FromMilliseconds(50),
            MaxDocumentBytes = 256 * 1024,
            MaxJobBytes = 256 * 1024,
        },
    };

    private static DiscoveryClient Client(int port, bool hearAnnouncements = false) =>
        new(
            hearAnnouncements
                ? [WsdTransports.BindClient(AddressFamily.InterNetwork, "lo"), WsdTransports.BindMulticastListener(AddressFamily.InterNetwork, "lo", port)]
                : [WsdTransports.BindClient(AddressFamily.InterNetwork, "lo")],
            new DiscoveryClientOptions { Protocols = [WsdProtocol.V2005], MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port), Seed = port });

    [Fact]
    public async Task Loopback_DiscoverGetSubscribePrint_JobCompletesAndDocumentKept()
    {
        var port = FreePort();
        await using var printer = await FakePrinter.StartAsync(Options(port, "127.0.3.10"), Timeout());
        await using var sink = await NotificationSink.StartAsync();
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 5 });
        var print = new PrintClient(http);
        var document = Encoding.ASCII.GetBytes("%PDF-1.4\n% a small test document\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

        // Discover it by its type on the private multicast port.
        DiscoveredService found;
        await using (var discovery = Client(port))
        {
            var services = await discovery.ProbeAsync(new ProbeRequest { Types = [PrinterServiceEndpoint.PrintDeviceType], Timeout = Patience, MaxResults = 1 }, Timeout());
            found = Assert.Single(services, s => s.EndpointAddress == printer.EndpointAddress);
        }

        // Metadata: the hosted printer service.
        var xaddr = new Uri(Assert.Single(found.XAddrs));
        var metadata = await new DpwsClient(http).GetAsync(xaddr, found.EndpointAddress, Timeout());
        var hosted = Assert.Single(metadata.Metadata.HostedOfType(PrinterServiceEndpoint.PrinterServiceType));
        var service = new Uri(hosted.Address!);

        // Events, then a job.
        await new EventingClient(http).SubscribeAsync(service, sink.Address, [PrintActions.JobStatusEvent, PrintActions.JobEndStateEvent], TimeSpan.FromMinutes(5), null, Timeout());
        var elements = await print.GetPrinterElementsAsync(service, [PrintElementNames.PrinterDescription], Timeout());
        var jobId = (await print.CreatePrintJobAsync(service, "test page", "tester", Timeout())).Value.JobId;
        await print.SendDocumentAsync(service, jobId, document, new PrintDocumentDescription(1) { DocumentName = "test.pdf", Format = "application/pdf" }, contentType: "application/pdf", cancellationToken: Timeout());
        var end = await sink.WaitForAsync(n => n.Action == PrintActions.JobEndStateEvent, Timeout());
        var history = await print.GetJobHistoryAsync(service, Timeout());

        Assert.Equal(printer.XAddr, xaddr);
        Assert.Equal(IPAddress.Parse("127.0.3.10"), IPAddress.Parse(xaddr.Host));
        Assert.Equal(printer.Identity.Manufacturer, metadata.Metadata.Manufacturer);
        Assert.Equal(printer.Identity.Name, metadata.Metadata.FriendlyName);
        Assert.Equal(printer.ServiceAddress, service);
        Assert.Equal(printer.Identity.Name, elements.Value.Description!.Name);
        var endState = Assert.IsType<PrintJobEndStateEvent>(PrintXmlReader.ReadEvent(end.Envelope.BodyElement!).Value).EndState;
        Assert.Equal((jobId, PrintJobStates.Completed), (endState.JobId, endState.JobCompletedState));
        Assert.Contains(sink.History, n => n.Action == PrintActions.JobStatusEvent);
        var entry = Assert.Single(history.Value.Jobs);
        Assert.Equal((jobId, PrintJobStates.Completed, "test page"), (entry.JobId, entry.JobState, entry.JobName));
        var kept = Assert.Single(printer.ReceivedDocuments);
        Assert.Equal(document, kept.Data.ToArray());
        Assert.Equal(PrintJobStates.Completed, Assert.Single(printer.Jobs).State);
    }

    [Fact]
    public async Task Loopback_BadInput_FaultsAndHttpErrorsThenStillServing()
    {
        var port = FreePort();
        await using var printer = await FakePrinter.StartAsync(Options(port, "127.0.3.11") with { Discoverable = false }, Timeout());
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 6 });
        using var raw = new HttpClient();
        var print = new PrintClient(http);
        var service = printer.ServiceAddress;

        var unknownJob = await Assert.ThrowsAsync<PrintFaultException>(() => print.CancelJobAsync(service, 424242, Timeout()));
        using var malformed = await raw.PostAsync(service, Soap("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><wprt:CreatePrintJobRequest"), Timeout());
        var unknownAction = await http.SendAsync(service, SoapEnvelope.Request(PrintNamespaces.Print + "/Staple", service.ToString(), http.NewMessageId()), null, Timeout());
        var jobId = (await print.CreatePrintJobAsync(service, "too big", "x", Timeout())).Value.JobId;
        using var oversize = new ByteArrayContent(new byte[printer.Endpoint.Hosted.Endpoint.MaxRequestBytes + 1024]);
        oversize.Headers.TryAddWithoutValidation("Content-Type", MtomWriter.ContentType("b"));
        HttpStatusCode? oversizeStatus;
        try
        {
            using var answer = await raw.PostAsync(service, oversize, Timeout());
            oversizeStatus = answer.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The printer may close the connection before the client has finished sending; that is an HTTP error too.
            oversizeStatus = null;
        }

        var stillServing = await print.GetActiveJobsAsync(service, Timeout());

        Assert.True(unknownJob.Fault.Is("ClientErrorJobIdNotFound"));
        Assert.Equal(500, unknownJob.HttpStatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("ActionNotSupported", unknownAction.Envelope!.Fault!.Subcode!.LocalName);
        Assert.True(oversizeStatus is null or HttpStatusCode.RequestEntityTooLarge, oversizeStatus?.ToString());
        Assert.Equal(jobId, Assert.Single(stillServing.Value.Jobs).JobId);
        Assert.Empty(printer.ReceivedDocuments);
        Assert.Equal(1, printer.Device.Host.Statistics.TooLarge);
    }

    [Fact]
    public async Task Loopback_Dispose_SendsByeAndSubscriptionEnd()
    {
        var port = FreePort();
        var printer = await FakePrinter.StartAsync(Options(port, "127.0.3.12"), Timeout());
        await using var sink = await NotificationSink.StartAsync();
        using var http = new SoapHttpClient();
        await using var discovery = Client(port, hearAnnouncements: true);
        var bye = new TaskCompletionSource<DiscoveryEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        discovery.ServiceBye += (_, e) =>
        {
            if (e.Service.EndpointAddress == printer.EndpointAddress)
            {
                bye.TrySetResult(e);
            }
        };
        var subscription = await new EventingClient(http).SubscribeAsync(printer.ServiceAddress, sink.Address, [PrintActions.JobStatusEvent], TimeSpan.FromMinutes(5), sink.Address, Timeout());

        await printer.DisposeAsync();
        var end = await sink.WaitForAsync(n => n.IsSubscriptionEnd, Timeout());
        var heard = await bye.Task.WaitAsync(Timeout());

        Assert.Equal(SubscriptionEndStatus.SourceShuttingDown, end.SubscriptionEnd!.Status);
        Assert.Equal(subscription.Identifier, end.SubscriptionEnd.Identifier);
        Assert.IsType<WsdBye>(heard.Message);
    }

    [Fact]
    public async Task SameSeedAndIndex_SameIdentityAndPrinterName()
    {
        await using var a = await FakePrinter.StartAsync(new FakePrinterOptions { Seed = 21, Index = 2, Discoverable = false }, Timeout());
        await using var b = await FakePrinter.StartAsync(new FakePrinterOptions { Seed = 21, Index = 2, Discoverable = false }, Timeout());

        Assert.Equal(a.EndpointAddress, b.EndpointAddress);
        Assert.Equal(DeviceKind.Printer, a.Identity.Kind);
        Assert.Equal(a.Identity.Name, a.Service.Description.Name);
        Assert.StartsWith($"MFG:{a.Identity.Manufacturer};MDL:{a.Identity.Model};", a.Service.Description.DeviceId, StringComparison.Ordinal);
        Assert.NotEqual(a.XAddr, b.XAddr);
    }

    [Fact]
    public void PublishedTypes_SameAsARealPrintersHello()
    {
        var hello = Assert.IsType<WsdHello>(WsdMessageReader.Read(Encoding.UTF8.GetBytes(RealPrinterHello.Trim())).Message);

        Assert.Equal(hello.Endpoint.Types, [FakePrinter.DeviceType, PrinterServiceEndpoint.PrintDeviceType]);
    }

    private static StringContent Soap(string xml)
    {
        var content = new StringContent(xml, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", "application/soap+xml; charset=utf-8");
        return content;
    }
}
