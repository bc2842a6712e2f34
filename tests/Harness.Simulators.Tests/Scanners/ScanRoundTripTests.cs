using System.Net;
using System.Net.Sockets;
using System.Text;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Scan;
using Harness.Dpws.Scan.Http;
using Harness.Dpws.Soap;
using Harness.Simulators.Scanners;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using SkiaSharp;

namespace Harness.Simulators.Tests.Scanners;

/// <summary>
/// The "done when": discover the fake scanner, read its metadata, validate a ticket, create a job, retrieve the
/// image and decode it at the asked size; all over real sockets on loopback (a private multicast port, the scanner's
/// own 127.0.3.x address).
/// </summary>
public sealed class ScanRoundTripTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    // US Letter is 8.5 × 11 inches: 8500 × 11000 in WS-Scan's 1/1000 inch.
    private const int LetterWidth = 8500;
    private const int LetterHeight = 11000;

    [Fact]
    public async Task FakeScanner_DiscoveredThenScannedAsPng_ImageHasTicketSizeTimesResolution()
    {
        var port = FreePort();
        await using var scanner = await StartAsync(port, "127.0.3.1");

        // 1. Discover it (multicast Probe for wscn:ScanDeviceType on the private port).
        DiscoveredService found;
        await using (var discovery = new DiscoveryClient(
            WsdTransports.BindClient(AddressFamily.InterNetwork, "lo"),
            new DiscoveryClientOptions { Protocols = [WsdProtocol.V2005], MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port), Seed = port }))
        {
            var services = await discovery.ProbeAsync(new ProbeRequest { Types = [ScannerServiceEndpoint.ScanDeviceType], Timeout = Patience, MaxResults = 1 }, Timeout());
            found = Assert.Single(services);
        }

        Assert.Equal(scanner.EndpointAddress, found.EndpointAddress);
        Assert.Contains(found.Types, t => t.LocalName == "ScanDeviceType" && t.Namespace == ScanNamespaces.Scan);
        var xaddr = new Uri(Assert.Single(found.XAddrs));
        Assert.Equal(scanner.XAddr, xaddr);

        // 2. Read its metadata and find the hosted scanner service.
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 3 });
        var metadata = await new DpwsClient(http).GetAsync(xaddr, found.EndpointAddress, Timeout());
        Assert.Equal(scanner.Identity.Name, metadata.Metadata.ThisDevice!.FriendlyName[0].Value);
        Assert.Equal(scanner.Identity.Manufacturer, metadata.Metadata.ThisModel!.Manufacturer[0].Value);
        var hosted = Assert.Single(metadata.Metadata.Hosted, h => h.Types.Any(t => t.LocalName == "ScannerServiceType" && t.Namespace == ScanNamespaces.Scan));
        var service = new Uri(hosted.EndpointReferences[0].Address);

        // 3. GetScannerElements, ValidateScanTicket, CreateScanJob, RetrieveImage.
        var client = new ScanClient(http);
        var elements = await client.GetScannerElementsAsync(service, cancellationToken: Timeout());
        Assert.Equal(scanner.Identity.Name, elements.Value.Description!.Name);
        Assert.Contains(ScanValues.Png, elements.Value.Configuration!.DeviceSettings.FormatsSupported);
        Assert.Equal(ScannerStates.Idle, elements.Value.Status!.State);

        var ticket = Ticket(ScanValues.Png, ScanValues.Rgb24, 150);
        var validation = await client.ValidateScanTicketAsync(service, ticket, Timeout());
        Assert.True(validation.Value.ValidTicket);

        var job = await client.CreateScanJobAsync(service, ticket, cancellationToken: Timeout());
        Assert.Equal(1275, job.Value.ImageInformation.Front.PixelsPerLine);
        Assert.Equal(1650, job.Value.ImageInformation.Front.NumberOfLines);

        var image = await client.RetrieveImageAsync(service, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout());
        Assert.Equal("image/png", image.Value.ContentType);
        Assert.DoesNotContain(image.Violations, v => v.Severity == Core.Diagnostics.ViolationSeverity.Error);
        using var bitmap = Decode(image.Value.Content);
        Assert.Equal(8500 * 150 / 1000, bitmap.Width);
        Assert.Equal(11000 * 150 / 1000, bitmap.Height);

        // The platen gives one image: the next RetrieveImage is a typed fault, and the job ends Completed.
        var none = await Assert.ThrowsAsync<ScanFaultException>(() => client.RetrieveImageAsync(service, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout()));
        Assert.Contains(none.Name, new[] { "ClientErrorNoImagesAvailable", "ClientErrorJobIdNotFound" });
        var history = await client.GetJobHistoryAsync(service, Timeout());
        var ended = Assert.Single(history.Value.Jobs, j => j.JobId == job.Value.JobId);
        Assert.Equal(ScanJobStates.Completed, ended.JobState);
    }

    [Theory]
    [InlineData(ScanValues.Jfif, ScanValues.Rgb24, 100, "image/jpeg", SKColorType.Rgb888x)]
    [InlineData(ScanValues.Jfif, ScanValues.Grayscale8, 75, "image/jpeg", SKColorType.Gray8)]
    [InlineData(ScanValues.Png, ScanValues.Grayscale8, 200, "image/png", SKColorType.Gray8)]
    public async Task FakeScanner_FormatsAndColours_DecodesAtAskedSize(string format, string color, int dpi, string mediaType, SKColorType decoded)
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.2", discoverable: false);
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 4 });
        var client = new ScanClient(http);
        var ticket = Ticket(format, color, dpi);
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, ticket, cancellationToken: Timeout());
        var image = await client.RetrieveImageAsync(scanner.ServiceAddress, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout());
        Assert.Equal(mediaType, image.Value.ContentType);
        using var bitmap = Decode(image.Value.Content);
        Assert.Equal(Pixels(LetterWidth, dpi), bitmap.Width);
        Assert.Equal(Pixels(LetterHeight, dpi), bitmap.Height);
        Assert.Equal(decoded == SKColorType.Gray8, IsGrey(bitmap));
    }

    [Fact]
    public async Task FakeScanner_AdfJobWithThreeSheets_ThreeImagesThenNoMore()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.3", discoverable: false);
        scanner.Service.LoadAdf(3);
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 5 });
        var client = new ScanClient(http);
        var ticket = Ticket(ScanValues.Png, ScanValues.Grayscale8, 100, ScanValues.Adf, images: 0);
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, ticket, cancellationToken: Timeout());
        var images = await client.RetrieveAllImagesAsync(scanner.ServiceAddress, job.Value, 10, Timeout());
        Assert.Equal(3, images.Count);
        foreach (var image in images)
        {
            using var bitmap = Decode(image.Content);
            Assert.Equal(850, bitmap.Width);
            Assert.Equal(1100, bitmap.Height);
        }

        // Three different pages, not one page three times.
        Assert.Equal(3, images.Select(i => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(i.Content.Span))).Distinct().Count());
        Assert.Equal(0, scanner.Service.AdfSheets);
    }

    [Fact]
    public async Task FakeScanner_PdfTicket_OnePdfWithEveryPage()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.4", discoverable: false);
        scanner.Service.LoadAdf(2);
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 6 });
        var client = new ScanClient(http);
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, Ticket(ScanValues.PdfA, ScanValues.Grayscale8, 75, ScanValues.Adf, images: 0), cancellationToken: Timeout());
        var images = await client.RetrieveAllImagesAsync(scanner.ServiceAddress, job.Value, 10, Timeout());
        var pdf = Assert.Single(images);
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf.Content.Span[..5]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeScanner_SubscribedToJobEvents_JobEndStateCompletedAfterRetrieve()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.5", discoverable: false);
        await using var sink = await NotificationSink.StartAsync(cancellationToken: Timeout());
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 7 });
        var subscription = await new EventingClient(http).SubscribeAsync(
            scanner.ServiceAddress, sink.Address, [ScanActions.JobStatusEvent, ScanActions.JobEndStateEvent], TimeSpan.FromMinutes(10), null, Timeout());
        Assert.NotNull(subscription.Identifier);

        var client = new ScanClient(http);
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, Ticket(ScanValues.Png, ScanValues.BlackAndWhite1, 75), cancellationToken: Timeout());
        await client.RetrieveImageAsync(scanner.ServiceAddress, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout());

        var end = await sink.WaitForAsync(n => n.Action == ScanActions.JobEndStateEvent, Timeout());
        var parsed = ScanXmlReader.ReadEvent(end.Envelope.BodyElement!);
        var endState = Assert.IsType<JobEndStateEvent>(parsed.Value);
        Assert.Equal(job.Value.JobId, endState.EndState.JobId);
        Assert.Equal(ScanJobStates.Completed, endState.EndState.JobState);
        Assert.Contains(sink.History, n => n.Action == ScanActions.JobStatusEvent);
        Assert.DoesNotContain(sink.History, n => n.Action == ScanActions.ScannerStatusSummaryEvent);
    }

    [Fact]
    public async Task FakeScanner_ScanButton_ScanAvailableOnlyToTheOwnerThenScanWithItsIdentifier()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.6", discoverable: false);
        await using var owner = await NotificationSink.StartAsync(cancellationToken: Timeout());
        await using var other = await NotificationSink.StartAsync(cancellationToken: Timeout());
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 8 });
        var eventing = new EventingClient(http);
        async Task<EventSubscription> SubscribeWithDestination(NotificationSink sink, string context)
        {
            var request = new SubscribeRequest
            {
                NotifyTo = new WsaEndpointReference(sink.Address.ToString()),
                Expires = "PT10M",
                Filter = EventingFilter.ForActions(ScanActions.ScanAvailableEvent),
                Extensions = [ScanXmlWriter.WriteScanDestinations([new ScanDestination("Scan to " + context, context)])],
            };
            return await eventing.SubscribeAsync(scanner.ServiceAddress, request, Timeout());
        }

        var mine = await SubscribeWithDestination(owner, "Mine");
        var theirs = await SubscribeWithDestination(other, "Theirs");
        var extension = Assert.Single(mine.Extensions, e => e.Name.LocalName == "DestinationResponses");
        var destination = Assert.Single(ScanXmlReader.ReadDestinationResponses(extension).Value!);
        Assert.Equal("Mine", destination.ClientContext);
        Assert.NotEmpty(theirs.Extensions);

        var pressed = scanner.Service.PressScanButton("Mine");
        var received = await owner.WaitForAsync(n => n.Action == ScanActions.ScanAvailableEvent, Timeout());
        var available = Assert.IsType<ScanAvailableEvent>(ScanXmlReader.ReadEvent(received.Envelope.BodyElement!).Value);
        Assert.Equal("Mine", available.ClientContext);
        Assert.Equal(pressed.ScanIdentifier, available.ScanIdentifier);

        // The other subscriber hears nothing: a second press for it arrives there first and alone.
        scanner.Service.PressScanButton("Theirs");
        var theirsReceived = await other.WaitForAsync(n => n.Action == ScanActions.ScanAvailableEvent, Timeout());
        Assert.Equal("Theirs", Assert.IsType<ScanAvailableEvent>(ScanXmlReader.ReadEvent(theirsReceived.Envelope.BodyElement!).Value).ClientContext);
        Assert.Single(other.History, n => n.Action == ScanActions.ScanAvailableEvent);
        Assert.Single(owner.History, n => n.Action == ScanActions.ScanAvailableEvent);

        // The device-initiated scan: CreateScanJob with the identifier and token.
        var client = new ScanClient(http);
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, Ticket(ScanValues.Png, ScanValues.Grayscale8, 75), available.ScanIdentifier, destination.DestinationToken, Timeout());
        var image = await client.RetrieveImageAsync(scanner.ServiceAddress, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout());
        using var bitmap = Decode(image.Value.Content);
        Assert.Equal(Pixels(LetterWidth, 75), bitmap.Width);
    }

    [Fact]
    public async Task FakeScanner_BadInput_FaultsThenStillScans()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.7", discoverable: false);
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 9 });
        var client = new ScanClient(http);

        // A malformed SOAP body: a SOAP fault (Sender) with a 4xx/5xx status.
        var malformed = await http.SendRawAsync(scanner.ServiceAddress, Encoding.UTF8.GetBytes("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><oops"), cancellationToken: Timeout());
        Assert.InRange(malformed.StatusCode, 400, 599);
        var malformedReply = http.Interpret(malformed);
        Assert.True(malformedReply.Envelope!.IsFault);

        // An unknown action: wsa:ActionNotSupported.
        var unknown = SoapEnvelope.Request(ScanNamespaces.Scan + "/MakeCoffee", scanner.ServiceAddress.ToString(), http.NewMessageId(), new System.Xml.Linq.XElement(ScanNamespaces.Wscn + "MakeCoffeeRequest"));
        var unknownFault = await Assert.ThrowsAsync<SoapFaultException>(() => http.InvokeAsync(scanner.ServiceAddress, unknown, null, Timeout()));
        Assert.Equal("ActionNotSupported", unknownFault.Subcode?.LocalName);

        // A body the operation cannot read: wscn:InvalidArgs.
        var noJobId = SoapEnvelope.Request(ScanActions.RetrieveImage, scanner.ServiceAddress.ToString(), http.NewMessageId(), new System.Xml.Linq.XElement(ScanNamespaces.Wscn + "RetrieveImageRequest"));
        var noJobIdFault = await Assert.ThrowsAsync<SoapFaultException>(() => http.InvokeAsync(scanner.ServiceAddress, noJobId, null, Timeout()));
        Assert.Equal(ScanNamespaces.Wscn + "InvalidArgs", noJobIdFault.Subcode);
        var empty = SoapEnvelope.Request(ScanActions.ValidateScanTicket, scanner.ServiceAddress.ToString(), http.NewMessageId());
        var emptyFault = await Assert.ThrowsAsync<SoapFaultException>(() => http.InvokeAsync(scanner.ServiceAddress, empty, null, Timeout()));
        Assert.Equal(ScanNamespaces.Wscn + "InvalidArgs", emptyFault.Subcode);

        // Impossible ticket values that must be honoured: a typed fault, no job.
        var impossible = Ticket(ScanValues.Png, ScanValues.Rgb24, 150) is var t
            ? t with { DocumentParameters = t.DocumentParameters with { MediaSides = new ScanMediaSides { Front = new ScanMediaSide { Resolution = new ScanResolution { Attributes = ScanAttributes.Required, Width = ScanValue.Required(-5), Height = ScanValue.Required(999_999) }, ScanRegion = t.DocumentParameters.MediaSides!.Front!.ScanRegion } } } }
            : null!;
        var refused = await Assert.ThrowsAsync<ScanFaultException>(() => client.CreateScanJobAsync(scanner.ServiceAddress, impossible, cancellationToken: Timeout()));
        Assert.Equal(ScanFaultCode.Sender, refused.Fault.Code);
        Assert.Empty((await client.GetActiveJobsAsync(scanner.ServiceAddress, Timeout())).Value.Jobs);

        // Unknown job: ClientErrorJobIdNotFound.
        var notFound = await Assert.ThrowsAsync<ScanFaultException>(() => client.RetrieveImageAsync(scanner.ServiceAddress, 4242, "nope", cancellationToken: Timeout()));
        Assert.Equal("ClientErrorJobIdNotFound", notFound.Name);

        // And it still scans.
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, Ticket(ScanValues.Png, ScanValues.Rgb24, 75), cancellationToken: Timeout());
        var image = await client.RetrieveImageAsync(scanner.ServiceAddress, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout());
        using var bitmap = Decode(image.Value.Content);
        Assert.Equal(Pixels(LetterWidth, 75), bitmap.Width);
    }

    [Fact]
    public async Task FakeScanner_CancelAndJobElements_TypedAnswers()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.8", discoverable: false);
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 10 });
        var client = new ScanClient(http);
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, Ticket(ScanValues.Png, ScanValues.Rgb24, 75), cancellationToken: Timeout());
        var active = await client.GetActiveJobsAsync(scanner.ServiceAddress, Timeout());
        Assert.Contains(active.Value.Jobs, j => j.JobId == job.Value.JobId);
        var elements = await client.GetJobElementsAsync(scanner.ServiceAddress, job.Value.JobId, cancellationToken: Timeout());
        var status = elements.Value.Elements.Select(e => e.JobStatus).First(s => s is not null)!;
        Assert.Equal(job.Value.JobId, status.JobId);
        await client.CancelJobAsync(scanner.ServiceAddress, job.Value.JobId, Timeout());
        var cancelled = await Assert.ThrowsAsync<ScanFaultException>(() => client.RetrieveImageAsync(scanner.ServiceAddress, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout()));
        Assert.Contains(cancelled.Name, new[] { "ClientErrorJobCancelled", "ClientErrorJobIdNotFound" });
    }

    [Fact]
    public async Task FakeScanner_DirectedProbe_AnsweredWithScanDeviceTypeAndXAddr()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.9");
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 12 });
        var result = await new DpwsClient(http).ProbeAsync(scanner.XAddr, null, Timeout());
        var match = Assert.Single(result.Matches.Matches);
        Assert.Equal(scanner.EndpointAddress, match.Endpoint.Address);
        Assert.Contains(match.Types, t => t.LocalName == "ScanDeviceType" && t.Namespace == ScanNamespaces.Scan);
        Assert.Contains(match.Types, t => t.LocalName == "Device" && t.Namespace == DpwsNamespaces.Devprof);
        Assert.Equal([scanner.XAddr.ToString()], match.XAddrs);
    }

    [Fact]
    public async Task FakeScanner_SameSeedAndIndex_SameIdentityAndEndpoint()
    {
        await using var first = await StartAsync(FreePort(), "127.0.3.10", discoverable: false);
        var identity = first.Identity;
        var endpoint = first.EndpointAddress;
        await first.DisposeAsync();
        await using var again = await StartAsync(FreePort(), "127.0.3.10", discoverable: false);
        Assert.Equal(identity, again.Identity);
        Assert.Equal(endpoint, again.EndpointAddress);
        Assert.Equal(Identity.DeviceKind.Scanner, again.Identity.Kind);
    }

    [Fact]
    public async Task FakeScanner_EightConcurrentClients_EachGetsItsOwnImage()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.11", discoverable: false);
        var dpis = new[] { 75, 100, 150, 200, 75, 100, 150, 200 };
        var sizes = await Task.WhenAll(dpis.Select(async (dpi, i) =>
        {
            using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 100 + i });
            var client = new ScanClient(http);
            var job = await client.CreateScanJobAsync(scanner.ServiceAddress, Ticket(ScanValues.Png, ScanValues.Grayscale8, dpi), cancellationToken: Timeout());
            var image = await client.RetrieveImageAsync(scanner.ServiceAddress, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout());
            using var bitmap = Decode(image.Value.Content);
            return (bitmap.Width, bitmap.Height);
        }));
        Assert.Equal(dpis.Select(d => (Pixels(LetterWidth, d), Pixels(LetterHeight, d))), sizes);
    }

    [Fact]
    public async Task FakeScanner_OversizedRequest_RefusedAndStillScans()
    {
        await using var scanner = await StartAsync(FreePort(), "127.0.3.12", discoverable: false);
        using var http = new SoapHttpClient(new SoapHttpClientOptions { Seed = 13 });
        var huge = new byte[2 * 1024 * 1024];
        Array.Fill(huge, (byte)' ');
        var refused = await http.SendRawAsync(scanner.ServiceAddress, huge, cancellationToken: Timeout());
        Assert.InRange(refused.StatusCode, 400, 599);

        var client = new ScanClient(http);
        var job = await client.CreateScanJobAsync(scanner.ServiceAddress, Ticket(ScanValues.Png, ScanValues.Grayscale8, 75), cancellationToken: Timeout());
        var image = await client.RetrieveImageAsync(scanner.ServiceAddress, job.Value.JobId, job.Value.JobToken, cancellationToken: Timeout());
        using var bitmap = Decode(image.Value.Content);
        Assert.Equal(Pixels(LetterHeight, 75), bitmap.Height);
    }

    internal static ScanTicket Ticket(string format, string color, int dpi, string source = ScanValues.Platen, int images = 1) => new()
    {
        JobDescription = new ScanJobDescription("Round trip", "tester"),
        DocumentParameters = new ScanDocumentParameters
        {
            Format = ScanValue.Required(format),
            ImagesToTransfer = ScanValue.Of(images),
            InputSource = ScanValue.Of(source),
            InputSize = new ScanInputSize { Width = ScanValue.Of(LetterWidth), Height = ScanValue.Of(LetterHeight) },
            MediaSides = new ScanMediaSides
            {
                Front = new ScanMediaSide
                {
                    ColorProcessing = ScanValue.Required(color),
                    Resolution = new ScanResolution { Width = ScanValue.Required(dpi), Height = ScanValue.Required(dpi) },
                    ScanRegion = new ScanRegion { XOffset = ScanValue.Of(0), YOffset = ScanValue.Of(0), Width = ScanValue.Of(LetterWidth), Height = ScanValue.Of(LetterHeight) },
                },
            },
        },
    };

    /// <summary>Pixels of a length in 1/1000 inch at <paramref name="dpi"/>, half a pixel rounded up (8.5 in at 75 dpi is 637.5 → 638).</summary>
    internal static int Pixels(int thousandths, int dpi) => (int)Math.Round(thousandths * dpi / 1000.0, MidpointRounding.AwayFromZero);

    internal static SKBitmap Decode(ReadOnlyMemory<byte> content)
    {
        var bitmap = SKBitmap.Decode(content.ToArray());
        Assert.NotNull(bitmap);
        return bitmap;
    }

    private static bool IsGrey(SKBitmap bitmap)
    {
        for (var y = 0; y < bitmap.Height; y += Math.Max(1, bitmap.Height / 16))
        {
            for (var x = 0; x < bitmap.Width; x += Math.Max(1, bitmap.Width / 16))
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - c.Green) > 8 || Math.Abs(c.Green - c.Blue) > 8)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static Task<FakeScanner> StartAsync(int port, string address, bool discoverable = true) =>
        FakeScanner.StartAsync(
            new FakeScannerOptions
            {
                Seed = 11,
                Interface = "lo",
                MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port),
                UnicastAddress = IPAddress.Parse(address),
                AnswerDelay = TimeSpan.FromMilliseconds(20),
                HelloDelay = TimeSpan.FromMilliseconds(10),
                Discoverable = discoverable,
            },
            Timeout());

    private static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static int FreePort()
    {
        using var probe = new UdpClient(0);
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
