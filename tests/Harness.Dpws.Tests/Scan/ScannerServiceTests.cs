using System.Collections.Concurrent;
using Harness.Dpws.Scan;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.Scan;

/// <summary>An image source that records requests and answers a few bytes naming the pages.</summary>
internal sealed class RecordingImageSource : IScanImageSource
{
    public ConcurrentQueue<ScanImageRequest> Requests { get; } = new();

    public ValueTask<ScanImageResult> RenderAsync(ScanImageRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var text = string.Join(',', request.Pages.Select(p => $"{p.Number}{p.Side}:{p.PixelWidth}x{p.PixelHeight}"));
        return ValueTask.FromResult(ScanImageResult.Of(System.Text.Encoding.ASCII.GetBytes(text), ScanValues.MediaTypeOf(request.Format)));
    }
}

/// <summary>Collects events synchronously.</summary>
internal sealed class EventLog : IObserver<ScanEvent>
{
    public ConcurrentQueue<ScanEvent> Events { get; } = new();

    public IEnumerable<T> Of<T>() => Events.OfType<T>();

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void OnNext(ScanEvent value) => Events.Enqueue(value);
}

public sealed class ScannerServiceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly RecordingImageSource _images = new();
    private readonly EventLog _log = new();
    private ScannerService? _service;

    public void Dispose() => _service?.Dispose();

    private ScannerService Service(ScannerServiceOptions? options = null)
    {
        _service = new ScannerService(options ?? new ScannerServiceOptions(), _images, _time);
        _service.Events.Subscribe(_log);
        return _service;
    }

    private static ScanTicket Ticket(string source = ScanValues.Platen, int images = 1, string format = ScanValues.Png, Func<ScanDocumentParameters, ScanDocumentParameters>? change = null)
    {
        var p = new ScanDocumentParameters
        {
            Format = ScanValue.Of(format),
            ImagesToTransfer = ScanValue.Of(images),
            InputSource = ScanValue.Of(source),
            MediaSides = new ScanMediaSides
            {
                Front = new ScanMediaSide
                {
                    ColorProcessing = ScanValue.Of(ScanValues.Grayscale8),
                    Resolution = new ScanResolution { Width = ScanValue.Of(100), Height = ScanValue.Of(100) },
                    ScanRegion = new ScanRegion { Width = ScanValue.Of(4000), Height = ScanValue.Of(6000) },
                },
            },
        };
        return new ScanTicket { JobDescription = new ScanJobDescription("job", "tester"), DocumentParameters = change?.Invoke(p) ?? p };
    }

    private static ScanDocumentParameters WithFront(ScanDocumentParameters p, Func<ScanMediaSide, ScanMediaSide> change) =>
        p with { MediaSides = p.MediaSides! with { Front = change(p.MediaSides.Front!) } };

    private static async Task<List<ScanResult<RetrieveImageResponse>>> RetrieveAll(ScannerService service, CreateScanJobResponse job, int max = 20)
    {
        var results = new List<ScanResult<RetrieveImageResponse>>();
        for (var i = 0; i < max; i++)
        {
            var result = await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, job.JobToken));
            results.Add(result);
            if (!result.IsSuccess)
            {
                break;
            }
        }

        return results;
    }

    // ---- GetScannerElements (WSD-SCN-002) ----

    [Fact]
    public void GetScannerElements_KnownAndUnknownNames_OneElementDataEachUnknownInvalid()
    {
        var service = Service();

        var response = service.GetScannerElements(new GetScannerElementsRequest([
            ScanQName.Scan("ScannerDescription"), ScanQName.Scan("ScannerStatus"), new ScanQName("ihv:Bogus", System.Xml.Linq.XName.Get("Bogus", "urn:ihv")), ScanQName.Scan("DefaultScanTicket"),
        ]));

        Assert.Equal([true, true, false, true], response.Elements.Select(e => e.Valid));
        Assert.Equal("Harness Scanner", response.Description?.Name);
        Assert.Equal(ScannerStates.Idle, response.Status?.State);
        Assert.Equal(_time.GetUtcNow(), response.Status?.CurrentTime);
        Assert.Equal(ScanValues.Jfif, response.DefaultScanTicket?.DocumentParameters.Format?.Value);
        Assert.Null(response.Elements[2].Description);
    }

    // ---- ValidateScanTicket (WSD-SCN-005) and MustHonor (WSD-SCN-007) ----

    [Fact]
    public void ValidateScanTicket_SupportedValues_ValidWithoutCorrectedTicket()
    {
        var response = Service().ValidateScanTicket(new ValidateScanTicketRequest(Ticket())).GetValueOrThrow();

        Assert.True(response.ValidTicket);
        Assert.Null(response.ValidScanTicket);
        Assert.Equal(new ScanImageInfo(400, 600, 400), response.ImageInformation?.Front); // 4 × 6 in at 100 dpi, 8 bits
    }

    [Fact]
    public void ValidateScanTicket_UnsupportedResolutionWithoutMustHonor_InvalidWithNearestSupported()
    {
        var ticket = Ticket(change: p => WithFront(p, f => f with { Resolution = new ScanResolution { Width = ScanValue.Of(350), Height = ScanValue.Of(350) } }));

        var response = Service().ValidateScanTicket(new ValidateScanTicketRequest(ticket)).GetValueOrThrow();

        Assert.False(response.ValidTicket);
        var corrected = response.ValidScanTicket!.DocumentParameters.MediaSides!.Front!.Resolution!;
        Assert.Equal(300, corrected.Width!.Value);
        Assert.Equal(ScanAttributes.None, corrected.Width.Attributes); // a ScanTicket carries no Override
        Assert.Equal("job", response.ValidScanTicket.JobDescription?.JobName);
    }

    [Fact]
    public void ValidateScanTicket_ConflictingMustHonor_ConflictingRequiredParametersFault()
    {
        // ADF offers at most 300 dpi, the platen 600: both demanded with MustHonor cannot hold together.
        var ticket = Ticket(ScanValues.Adf, change: p => WithFront(p with { InputSource = ScanValue.Required(ScanValues.Adf) },
            f => f with { Resolution = new ScanResolution { Attributes = ScanAttributes.Required, Width = ScanValue.Of(600), Height = ScanValue.Of(600) } }));

        var result = Service().ValidateScanTicket(new ValidateScanTicketRequest(ticket));

        Assert.Equal("ClientErrorConflictingRequiredParameters", result.Fault?.Name);
        Assert.Equal(ScanFaultCode.Sender, result.Fault?.Code);
    }

    [Fact]
    public void CreateScanJob_ConflictingMustHonor_ConflictingRequiredParametersFault()
    {
        var ticket = Ticket(ScanValues.Adf, change: p => WithFront(p with { InputSource = ScanValue.Required(ScanValues.Adf) },
            f => f with { Resolution = new ScanResolution { Attributes = ScanAttributes.Required, Width = ScanValue.Of(600), Height = ScanValue.Of(600) } }));

        Assert.Equal("ClientErrorConflictingRequiredParameters", Service().CreateScanJob(new CreateScanJobRequest(ticket)).Fault?.Name);
    }

    [Fact]
    public void CreateScanJob_MustHonorResolutionOnlyPlatenHas_SourceOverriddenToPlaten()
    {
        var ticket = Ticket(ScanValues.Adf, change: p => WithFront(p, f => f with { Resolution = new ScanResolution { Attributes = ScanAttributes.Required, Width = ScanValue.Of(600), Height = ScanValue.Of(600) } }));

        var response = Service().CreateScanJob(new CreateScanJobRequest(ticket)).GetValueOrThrow();

        Assert.Equal(new ScanValue<string>(ScanValues.Platen, ScanAttributes.Overridden), response.DocumentFinalParameters.InputSource);
        Assert.Equal(600, response.DocumentFinalParameters.MediaSides?.Front?.Resolution?.Width?.Value);
    }

    [Fact]
    public void CreateScanJob_UnsupportedResolutionWithoutMustHonor_SubstitutedAndReportedOverride()
    {
        var ticket = Ticket(change: p => WithFront(p, f => f with { Resolution = new ScanResolution { Width = ScanValue.Of(1200), Height = ScanValue.Of(1200) } }));

        var final = Service().CreateScanJob(new CreateScanJobRequest(ticket)).GetValueOrThrow().DocumentFinalParameters;

        Assert.Equal(new ScanValue<int>(600, ScanAttributes.Overridden), final.MediaSides?.Front?.Resolution?.Width);
    }

    [Theory]
    [InlineData(false, "InvalidArgs")]
    [InlineData(true, "ClientErrorInvalidScanTicket")]
    public void CreateScanJob_UnsupportedResolutionWithMustHonor_Rejected(bool vendorFault, string expected)
    {
        var ticket = Ticket(change: p => WithFront(p, f => f with { Resolution = new ScanResolution { Width = ScanValue.Required(1200), Height = ScanValue.Of(1200) } }));

        var result = Service(new ScannerServiceOptions { UseInvalidScanTicketFault = vendorFault }).CreateScanJob(new CreateScanJobRequest(ticket));

        Assert.Equal(expected, result.Fault?.Name);
        Assert.Equal(ScanFaultCode.Sender, result.Fault?.Code);
        Assert.Contains("Resolution", result.Fault!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateScanJob_UnsupportedElementWithoutMustHonor_Ignored()
    {
        // The default configuration has no auto exposure: without MustHonor the element is ignored.
        var ticket = Ticket(change: p => p with { Exposure = new ScanExposure { AutoExposure = true } });

        var result = Service().CreateScanJob(new CreateScanJobRequest(ticket));

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value!.DocumentFinalParameters.Exposure?.AutoExposure);
    }

    [Fact]
    public void CreateScanJob_UnsupportedElementWithMustHonor_Rejected()
    {
        var ticket = Ticket(change: p => p with { Exposure = new ScanExposure { Attributes = ScanAttributes.Required, AutoExposure = true } });

        Assert.Equal("InvalidArgs", Service().CreateScanJob(new CreateScanJobRequest(ticket)).Fault?.Name);
    }

    [Fact]
    public void CreateScanJob_OmittedValues_UsedDefaultInFinalParameters()
    {
        var ticket = new ScanTicket { DocumentParameters = new ScanDocumentParameters { Format = ScanValue.Of(ScanValues.Png) } };

        var final = Service().CreateScanJob(new CreateScanJobRequest(ticket)).GetValueOrThrow().DocumentFinalParameters;

        Assert.Equal(new ScanValue<string>(ScanValues.Png), final.Format);
        Assert.Equal(new ScanValue<string>(ScanValues.Platen, ScanAttributes.Defaulted), final.InputSource);
        Assert.Equal(new ScanValue<int>(300, ScanAttributes.Defaulted), final.MediaSides?.Front?.Resolution?.Width);
        Assert.Equal(new ScanValue<string>(ScanValues.Rgb24, ScanAttributes.Defaulted), final.MediaSides?.Front?.ColorProcessing);
        Assert.Equal(new ScanValue<int>(8500, ScanAttributes.Defaulted), final.MediaSides?.Front?.ScanRegion?.Width);
    }

    [Fact]
    public void CreateScanJob_UnsupportedFormat_FormatNotSupportedWithSupportedList()
    {
        var result = Service().CreateScanJob(new CreateScanJobRequest(Ticket(format: "xps")));

        Assert.Equal("ClientErrorFormatNotSupported", result.Fault?.Name);
        Assert.Contains(result.Fault!.Detail.Single().Elements(), e => e.Value == ScanValues.Png);
    }

    [Fact]
    public void CreateScanJob_SaneAirscanRequest_AcceptedWithA4Geometry()
    {
        var request = ScanXmlReader.ReadCreateScanJobRequest(ScanVectors.Body(ScanVectors.SaneAirscanCreateScanJob)).Value!;

        var response = Service().CreateScanJob(request).GetValueOrThrow();

        Assert.Equal(new ScanImageInfo(2480, 3508, 2480 * 3), response.ImageInformation.Front); // A4 at 300 dpi, RGB24
        Assert.Equal(new ScanValue<string>(ScanValues.Adf), response.DocumentFinalParameters.InputSource);
    }

    [Fact]
    public void CreateScanJob_AbsurdSize_InternalErrorNotOutOfMemory()
    {
        // 8.5 × 11.69 in at 600 dpi scaled 400 % would be about 570 megapixels.
        var ticket = Ticket(change: p => WithFront(p with { Scaling = new ScanScaling { Width = ScanValue.Of(400), Height = ScanValue.Of(400) } },
            f => f with { Resolution = new ScanResolution { Width = ScanValue.Of(600), Height = ScanValue.Of(600) }, ScanRegion = null }));

        var result = Service().CreateScanJob(new CreateScanJobRequest(ticket));

        Assert.Equal("ServerErrorInternalError", result.Fault?.Name);
        Assert.Equal(ScanFaultCode.Receiver, result.Fault?.Code);
    }

    // ---- Busy and empty (WSD-SCN-008) ----

    [Fact]
    public void CreateScanJob_MoreThanMaxActiveJobs_NotAcceptingJobsReceiverFault()
    {
        var service = Service(new ScannerServiceOptions { MaxActiveJobs = 1 });
        service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();

        var second = service.CreateScanJob(new CreateScanJobRequest(Ticket()));

        Assert.Equal("ServerErrorNotAcceptingJobs", second.Fault?.Name);
        Assert.Equal(ScanFaultCode.Receiver, second.Fault?.Code);
    }

    [Fact]
    public void CreateScanJob_CriticalCondition_StoppedAndNotAcceptingJobs()
    {
        var service = Service();
        var condition = service.AddCondition("CoverOpen", "Platen");

        Assert.Equal(ScannerStates.Stopped, service.Status.State);
        Assert.Equal(["CoverOpen"], service.Status.StateReasons);
        Assert.Equal("ServerErrorNotAcceptingJobs", service.CreateScanJob(new CreateScanJobRequest(Ticket())).Fault?.Name);

        Assert.True(service.ClearCondition(condition.Id));
        Assert.True(service.CreateScanJob(new CreateScanJobRequest(Ticket())).IsSuccess);
        Assert.Equal([ScannerStates.Stopped, ScannerStates.Idle], _log.Of<ScannerStatusSummaryEvent>().Select(e => e.State));
        Assert.Equal(condition.Id, Assert.Single(_log.Of<ScannerStatusConditionClearedEvent>()).ConditionId);
        Assert.Equal(condition, Assert.Single(_log.Of<ScannerStatusConditionEvent>()).Condition);
    }

    [Fact]
    public void CreateScanJob_EmptyAdf_NoImagesAvailable()
    {
        var service = Service(new ScannerServiceOptions { AdfSheets = 0 });

        Assert.Equal("ClientErrorNoImagesAvailable", service.CreateScanJob(new CreateScanJobRequest(Ticket(ScanValues.Adf))).Fault?.Name);
        Assert.True(service.CreateScanJob(new CreateScanJobRequest(Ticket(ScanValues.Platen))).IsSuccess);
    }

    // ---- Job states (WSD-SCN-013) ----

    [Fact]
    public async Task RetrieveImage_PlatenOneImage_PendingStartedProcessingCompletedThenNoImages()
    {
        var service = Service();
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();
        Assert.Equal(ScanJobStates.Pending, Assert.Single(service.GetActiveJobs().Jobs).JobState);

        var results = await RetrieveAll(service, job);

        Assert.Equal(2, results.Count);
        Assert.Equal("1Front:400x600", System.Text.Encoding.ASCII.GetString(results[0].Value!.Content.Span));
        Assert.Equal("image/png", results[0].Value!.ContentType);
        Assert.Equal("IMAGE001.PNG", results[0].Value!.DocumentName);
        Assert.Equal("ClientErrorNoImagesAvailable", results[1].Fault?.Name);
        Assert.Equal(
            [ScanJobStates.Pending, ScanJobStates.Started, ScanJobStates.Processing, ScanJobStates.Completed],
            _log.Of<JobStatusEvent>().Select(e => e.Status.JobState));
        var end = Assert.Single(_log.Of<JobEndStateEvent>()).EndState;
        Assert.Equal((job.JobId, ScanJobStates.Completed, 1, "job"), (end.JobId, end.JobState, end.ScansCompleted, end.JobName));
        Assert.Empty(service.GetActiveJobs().Jobs);
        Assert.Equal(job.JobId, Assert.Single(service.GetJobHistory().Jobs).JobId);
        Assert.Equal([ScannerStates.Processing, ScannerStates.Idle], _log.Of<ScannerStatusSummaryEvent>().Select(e => e.State));
    }

    [Fact]
    public void Job_NoRetrieveWithinTimeout_AbortedWithJobTimedOut()
    {
        var service = Service();
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(service.GetActiveJobs().Jobs);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(service.GetActiveJobs().Jobs);
        var history = Assert.Single(service.GetJobHistory().Jobs);
        Assert.Equal(ScanJobStates.Aborted, history.JobState);
        Assert.Equal([ScanJobStateReasons.JobTimedOut], history.JobStateReasons);
        Assert.Equal(ScanJobStateReasons.JobTimedOut, Assert.Single(_log.Of<JobEndStateEvent>()).EndState.JobStateReasons.Single());
        Assert.Equal(job.JobId, history.JobId);
    }

    [Fact]
    public async Task Job_TimeoutBetweenRetrievals_AbortedAndFurtherRetrieveNoImages()
    {
        var service = Service(new ScannerServiceOptions { RetrieveTimeout = TimeSpan.FromSeconds(10) });
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket(images: 2))).GetValueOrThrow();
        Assert.True((await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, job.JobToken))).IsSuccess);

        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(ScanJobStates.Aborted, Assert.Single(service.GetJobHistory().Jobs).JobState);
        Assert.Equal("ClientErrorNoImagesAvailable", (await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, job.JobToken))).Fault?.Name);
    }

    [Fact]
    public async Task CancelJob_PendingJob_TerminatingThenCanceledAndRetrieveCancelled()
    {
        var service = Service();
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();

        Assert.True(service.CancelJob(new CancelJobRequest(job.JobId)).IsSuccess);

        Assert.Equal([ScanJobStates.Pending, ScanJobStates.Terminating, ScanJobStates.Canceled], _log.Of<JobStatusEvent>().Select(e => e.Status.JobState));
        Assert.Equal(ScanJobStates.Canceled, Assert.Single(service.GetJobHistory().Jobs).JobState);
        Assert.Equal("ClientErrorJobCancelled", (await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, job.JobToken))).Fault?.Name);
        Assert.Equal("ClientErrorJobIdNotFound", service.CancelJob(new CancelJobRequest(job.JobId)).Fault?.Name);
        Assert.Equal("ClientErrorJobIdNotFound", service.CancelJob(new CancelJobRequest(999)).Fault?.Name);
    }

    [Fact]
    public void CancelJobAtDevice_ActiveJob_ReasonJobCanceledAtDevice()
    {
        var service = Service();
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();

        Assert.True(service.CancelJobAtDevice(job.JobId));

        Assert.Equal([ScanJobStateReasons.JobCanceledAtDevice], Assert.Single(service.GetJobHistory().Jobs).JobStateReasons);
    }

    [Fact]
    public async Task GetJobHistory_MoreJobsThanCapacity_KeepsNewestAndForgetsOldest()
    {
        var service = Service(new ScannerServiceOptions { HistoryCapacity = 3 });
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();
            ids.Add(job.JobId);
            await RetrieveAll(service, job);
        }

        Assert.Equal([ids[4], ids[3], ids[2]], service.GetJobHistory().Jobs.Select(j => j.JobId));
        Assert.Equal("ClientErrorJobIdNotFound", service.GetJobElements(new GetJobElementsRequest(ids[0], [ScanQName.Scan("JobStatus")])).Fault?.Name);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
    }

    [Fact]
    public async Task RetrieveImage_WrongTokenOrUnknownJob_Faults()
    {
        var service = Service();
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();

        Assert.Equal("ClientErrorInvalidJobToken", (await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, "nope"))).Fault?.Name);
        Assert.Equal("ClientErrorJobIdNotFound", (await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId + 100, job.JobToken))).Fault?.Name);
    }

    [Fact]
    public async Task GetJobElements_AfterCompletion_StatusTicketAndDocuments()
    {
        var service = Service();
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();
        await RetrieveAll(service, job);

        var response = service.GetJobElements(new GetJobElementsRequest(job.JobId, [ScanQName.Scan("JobStatus"), ScanQName.Scan("ScanTicket"), ScanQName.Scan("Documents"), ScanQName.Scan("Nonsense")])).GetValueOrThrow();

        Assert.Equal([true, true, true, false], response.Elements.Select(e => e.Valid));
        Assert.Equal(ScanJobStates.Completed, response.Elements[0].JobStatus?.JobState);
        Assert.Equal("job", response.Elements[1].ScanTicket?.JobDescription?.JobName);
        Assert.Equal(["IMAGE001.PNG"], response.Elements[2].Documents?.DocumentNames);
    }

    [Fact]
    public async Task RetrieveImage_JobStartDelay_WaitsForTheStartTime()
    {
        var service = Service(new ScannerServiceOptions { JobStartDelay = TimeSpan.FromSeconds(5) });
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket())).GetValueOrThrow();

        var pending = service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, job.JobToken)).AsTask();
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.IsSuccess);
    }

    // ---- ImagesToTransfer (WSD-SCN-011) ----

    [Theory]
    [InlineData(ScanValues.Platen, 0, 5, new[] { "1Front" })]
    [InlineData(ScanValues.Platen, 3, 5, new[] { "1Front", "2Front", "3Front" })]
    [InlineData(ScanValues.Adf, 0, 3, new[] { "1Front", "2Front", "3Front" })]
    [InlineData(ScanValues.Adf, 2, 5, new[] { "1Front", "2Front" })]
    [InlineData(ScanValues.AdfDuplex, 0, 2, new[] { "1Front", "2Back", "3Front", "4Back" })]
    [InlineData(ScanValues.AdfDuplex, 3, 5, new[] { "1Front", "2Back", "3Front" })]
    public async Task RetrieveImage_ImagesToTransfer_ExactSuccessesThenNoImagesAvailable(string source, int images, int sheets, string[] expected)
    {
        var service = Service(new ScannerServiceOptions { AdfSheets = sheets });
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket(source, images))).GetValueOrThrow();

        var results = await RetrieveAll(service, job);

        Assert.Equal(expected.Length + 1, results.Count);
        Assert.Equal(expected, results.Where(r => r.IsSuccess).Select(r => System.Text.Encoding.ASCII.GetString(r.Value!.Content.Span).Split(':')[0]));
        Assert.Equal("ClientErrorNoImagesAvailable", results[^1].Fault?.Name);
        Assert.Equal(expected.Length, service.GetJobHistory().Jobs.Single().ScansCompleted);
        var sheetsUsed = source == ScanValues.Platen ? 0 : source == ScanValues.AdfDuplex ? (expected.Length + 1) / 2 : expected.Length;
        Assert.Equal(sheets - sheetsUsed, service.AdfSheets);
    }

    [Fact]
    public async Task RetrieveImage_PdfFromAdf_OneFileWithEveryPageThenNoImages()
    {
        var service = Service(new ScannerServiceOptions { AdfSheets = 3 });
        var job = service.CreateScanJob(new CreateScanJobRequest(Ticket(ScanValues.Adf, images: 0, format: ScanValues.PdfA))).GetValueOrThrow();

        var results = await RetrieveAll(service, job);

        Assert.Equal(2, results.Count);
        Assert.Equal([1, 2, 3], results[0].Value!.ImageNumbers);
        Assert.Equal("application/pdf", results[0].Value!.ContentType);
        Assert.Equal(3, Assert.Single(_images.Requests).Pages.Count);
        Assert.Equal("ClientErrorNoImagesAvailable", results[1].Fault?.Name);
    }

    // ---- Device-initiated scans (WSD-SCN-016, WSD-SCN-008) ----

    [Fact]
    public void DeviceInitiatedScan_ButtonPressThenCreateWithBothTokens_Succeeds()
    {
        var service = Service();
        var destination = Assert.Single(service.RegisterDestinations([new ScanDestination("Den Computer", "App1ScanID2345")]));

        var available = service.PressScanButton("App1ScanID2345");

        Assert.Equal(available, Assert.Single(_log.Of<ScanAvailableEvent>()));
        Assert.Equal(destination.DestinationToken, available.DestinationToken);
        Assert.StartsWith("urn:uuid:", available.ScanIdentifier, StringComparison.Ordinal);
        Assert.True(service.CreateScanJob(new CreateScanJobRequest(Ticket(), available.ScanIdentifier, destination.DestinationToken)).IsSuccess);

        // The identifier is used up.
        Assert.Equal("ClientErrorInvalidScanIdentifier", service.CreateScanJob(new CreateScanJobRequest(Ticket(), available.ScanIdentifier, destination.DestinationToken)).Fault?.Name);
    }

    [Fact]
    public void DeviceInitiatedScan_StaleOrForeignTokens_Faults()
    {
        var service = Service(new ScannerServiceOptions { ScanIdentifierLifetime = TimeSpan.FromMinutes(1) });
        var tokens = service.RegisterDestinations("A", "B");
        var forA = service.PressScanButton("A");

        Assert.Equal("ClientErrorInvalidDestinationToken", service.CreateScanJob(new CreateScanJobRequest(Ticket(), forA.ScanIdentifier, "DestUnknown")).Fault?.Name);
        Assert.Equal("ClientErrorInvalidDestinationToken", service.CreateScanJob(new CreateScanJobRequest(Ticket(), forA.ScanIdentifier, tokens[1].DestinationToken)).Fault?.Name);
        Assert.Equal("ClientErrorInvalidScanIdentifier", service.CreateScanJob(new CreateScanJobRequest(Ticket(), "urn:uuid:stale", tokens[0].DestinationToken)).Fault?.Name);

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("ClientErrorInvalidScanIdentifier", service.CreateScanJob(new CreateScanJobRequest(Ticket(), forA.ScanIdentifier, tokens[0].DestinationToken)).Fault?.Name);

        service.UnregisterDestinations([tokens[0].DestinationToken]);
        Assert.Throws<InvalidOperationException>(() => service.PressScanButton("A"));
    }

    [Fact]
    public void Tokens_SameSeed_SameValues()
    {
        using var a = new ScannerService(new ScannerServiceOptions { Seed = 7 }, _images, _time);
        using var b = new ScannerService(new ScannerServiceOptions { Seed = 7 }, _images, _time);

        Assert.Equal(a.CreateScanJob(new CreateScanJobRequest(Ticket())).Value!.JobToken, b.CreateScanJob(new CreateScanJobRequest(Ticket())).Value!.JobToken);
    }

    [Fact]
    public void UpdateElements_NewDescription_ScannerElementsChangeEvent()
    {
        var service = Service();

        service.UpdateElements(description: new ScannerDescription("Renamed"));

        var e = Assert.Single(_log.Of<ScannerElementsChangeEvent>());
        Assert.Equal("Renamed", e.Description?.Name);
        Assert.Null(e.Configuration);
        Assert.Equal("Renamed", service.Description.Name);
    }
}
