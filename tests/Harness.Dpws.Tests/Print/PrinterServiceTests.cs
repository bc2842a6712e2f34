using Harness.Dpws.Print;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.Print;

public sealed class PrinterServiceTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PrintTime = TimeSpan.FromSeconds(5);

    private static (PrinterService Service, FakeTimeProvider Time, List<PrintEvent> Events) Create(PrinterServiceOptions? options = null)
    {
        var time = new FakeTimeProvider(Start);
        var service = new PrinterService((options ?? new PrinterServiceOptions()) with { StartDelay = StartDelay, PrintTime = PrintTime }, time);
        var events = new List<PrintEvent>();
        service.EventRaised += (_, e) => events.Add(e);
        return (service, time, events);
    }

    private static int CreateJob(PrinterService service, string name = "job", int? copies = null) =>
        service.CreatePrintJob(new CreatePrintJobRequest(new PrintTicket
        {
            JobDescription = new PrintJobDescription(name, "tester"),
            JobProcessing = copies is null ? null : new PrintJobProcessing { Copies = copies },
        })).GetValueOrThrow().JobId;

    private static PrintResult<SendDocumentResponse> Send(PrinterService service, int jobId, byte[] data, bool last = true, int documentId = 1) =>
        service.SendDocument(new SendDocumentRequest(jobId, last, new PrintDocumentDescription(documentId) { Format = "application/pdf" }) { Data = data }, "application/pdf");

    /// <summary>
    /// Lets one ready job start and finish. Two steps: FakeTimeProvider runs a timer's callback at the end of the
    /// advance, so a timer the callback creates counts from there.
    /// </summary>
    private static void PrintOne(FakeTimeProvider time)
    {
        time.Advance(StartDelay);
        time.Advance(PrintTime);
    }

    private static List<string> JobStates(IEnumerable<PrintEvent> events, int jobId) =>
        [.. events.OfType<PrintJobStatusEvent>().Where(e => e.Status.JobId == jobId).Select(e => e.Status.JobState + "/" + string.Join(",", e.Status.JobStateReasons))];

    [Fact]
    public void Job_LastDocument_PendingThenProcessingThenCompletedOnTime()
    {
        var (service, time, events) = Create();
        var id = CreateJob(service, copies: 2);
        var document = PrintVectors.SmallPdf;

        Assert.True(Send(service, id, document).IsSuccess);
        time.Advance(StartDelay - TimeSpan.FromMilliseconds(1));
        var beforeStart = service.FindJob(id)!.State;
        time.Advance(TimeSpan.FromMilliseconds(1));
        var started = service.FindJob(id)!;
        time.Advance(PrintTime - TimeSpan.FromMilliseconds(1));
        var beforeEnd = service.FindJob(id)!.State;
        time.Advance(TimeSpan.FromMilliseconds(1));
        var ended = service.FindJob(id)!;

        Assert.Equal((PrintJobStates.Pending, PrintJobStates.Processing, PrintJobStates.Processing, PrintJobStates.Completed), (beforeStart, started.State, beforeEnd, ended.State));
        Assert.Equal(Start + StartDelay, started.Started);
        Assert.Equal(Start + StartDelay + PrintTime, ended.Ended);
        Assert.Equal(["Pending/JobIncoming", "Pending/None", "Processing/JobPrinting", "Completed/JobCompletedSuccessfully"], JobStates(events, id));
        var end = Assert.Single(events.OfType<PrintJobEndStateEvent>()).EndState;
        Assert.Equal((id, PrintJobStates.Completed, "job", "tester", 1, 2), (end.JobId, end.JobCompletedState, end.JobName, end.JobOriginatingUserName, end.NumberOfDocuments, end.MediaSheetsCompleted));
        Assert.Equal([PrinterStates.Processing, PrinterStates.Idle], events.OfType<PrinterStatusSummaryEvent>().Select(e => e.PrinterState));
        Assert.Empty(service.ActiveJobs);
        Assert.Equal(id, Assert.Single(service.GetJobHistory().Jobs).JobId);
        var kept = Assert.Single(service.Documents);
        Assert.Equal(document, kept.Data.ToArray());
        Assert.Equal(("application/pdf", "application/pdf", document.Length), (kept.Format, kept.ContentType, (int)kept.Length));
    }

    [Fact]
    public void Job_SeveralDocuments_PendingUntilTheLastAndCounted()
    {
        var (service, time, _) = Create();
        var id = CreateJob(service);

        Send(service, id, new byte[2048], last: false, documentId: 1);
        Send(service, id, new byte[10], last: true, documentId: 2);
        time.Advance(StartDelay);

        var job = service.FindJob(id)!;
        Assert.Equal((PrintJobStates.Processing, 2, 3), (job.State, job.Documents.Count, job.KOctetsProcessed));
        Assert.Equal([1, 2], job.Documents.Select(d => d.DocumentId));
    }

    [Fact]
    public void Jobs_TwoReady_PrintOneAtATimeInOrder()
    {
        var (service, time, _) = Create();
        var first = CreateJob(service, "first");
        var second = CreateJob(service, "second");
        Send(service, second, [1]);
        Send(service, first, [2]);

        time.Advance(StartDelay);
        var afterFirstStart = (service.FindJob(second)!.State, service.FindJob(first)!.State);
        time.Advance(PrintTime);
        time.Advance(StartDelay);
        var afterSecondStart = (service.FindJob(second)!.State, service.FindJob(first)!.State);

        Assert.Equal((PrintJobStates.Processing, PrintJobStates.Pending), afterFirstStart);
        Assert.Equal((PrintJobStates.Completed, PrintJobStates.Processing), afterSecondStart);
    }

    [Fact]
    public void CancelJob_PendingJob_CanceledWithEndStateAndNoPrinting()
    {
        var (service, time, events) = Create();
        var id = CreateJob(service);
        Send(service, id, [1, 2, 3]);

        Assert.True(service.CancelJob(new CancelJobRequest(id)).IsSuccess);
        PrintOne(time);

        Assert.Equal(PrintJobStates.Canceled, service.FindJob(id)!.State);
        Assert.Equal(PrintJobStates.Canceled, Assert.Single(events.OfType<PrintJobEndStateEvent>()).EndState.JobCompletedState);
        Assert.DoesNotContain(events.OfType<PrintJobStatusEvent>(), e => e.Status.JobState == PrintJobStates.Processing);
    }

    [Fact]
    public void CancelJob_ProcessingJob_Canceled()
    {
        var (service, time, _) = Create();
        var id = CreateJob(service);
        Send(service, id, [1]);
        time.Advance(StartDelay);

        Assert.True(service.CancelJob(new CancelJobRequest(id)).IsSuccess);
        time.Advance(PrintTime);

        Assert.Equal(PrintJobStates.Canceled, service.FindJob(id)!.State);
        Assert.Equal(PrinterStates.Idle, service.Status.PrinterState);
    }

    [Fact]
    public void CancelJob_UnknownOrEndedJob_ClientErrorJobIdNotFound()
    {
        var (service, time, _) = Create();
        var id = CreateJob(service);
        Send(service, id, [1]);
        PrintOne(time);

        var unknown = service.CancelJob(new CancelJobRequest(4242)).Fault!;
        var ended = service.CancelJob(new CancelJobRequest(id)).Fault!;

        Assert.True(unknown.Is("ClientErrorJobIdNotFound"));
        Assert.Equal(PrintFaultCode.Sender, unknown.Code);
        Assert.Equal("4242", Assert.Single(unknown.Detail).Value);
        Assert.True(ended.Is("ClientErrorJobIdNotFound"));
    }

    [Fact]
    public void Job_LastDocumentNeverComes_AbortedAfterDocumentTimeout()
    {
        var (service, time, events) = Create(new PrinterServiceOptions { DocumentTimeout = TimeSpan.FromSeconds(30) });
        var id = CreateJob(service);
        time.Advance(TimeSpan.FromSeconds(20));
        Send(service, id, [1], last: false);

        time.Advance(TimeSpan.FromSeconds(29));
        var stillPending = service.FindJob(id)!.State;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PrintJobStates.Pending, stillPending);
        Assert.Equal(PrintJobStates.Aborted, service.FindJob(id)!.State);
        Assert.Equal(PrintJobStates.Aborted, Assert.Single(events.OfType<PrintJobEndStateEvent>()).EndState.JobCompletedState);
        Assert.True(Send(service, id, [2]).Fault!.Is("OperationFailed"));
    }

    [Fact]
    public void SendDocument_Refusals_TypedFaultsAndJobUnaffected()
    {
        var (service, _, _) = Create(new PrinterServiceOptions { MaxDocumentBytes = 100, MaxJobBytes = 150, MaxDocumentsPerJob = 2 });
        var id = CreateJob(service);

        var unknown = Send(service, 999, [1]).Fault!;
        var tooLarge = Send(service, id, new byte[101]).Fault!;
        Send(service, id, new byte[100], last: false);
        var overJob = Send(service, id, new byte[60], last: false).Fault!;
        var noData = service.SendDocument(new SendDocumentRequest(id, true, new PrintDocumentDescription(2))).Fault!;
        Send(service, id, new byte[10], last: false);
        var tooMany = Send(service, id, new byte[10]).Fault!;

        Assert.True(unknown.Is("ClientErrorJobIdNotFound"));
        Assert.True(tooLarge.Is("InvalidArgs"));
        Assert.True(overJob.Is("InvalidArgs"));
        Assert.True(noData.Is("InvalidArgs"));
        Assert.True(tooMany.Is("OperationFailed"));
        var job = service.FindJob(id)!;
        Assert.Equal((PrintJobStates.Pending, 2, 110L), (job.State, job.Documents.Count, job.Documents.Sum(d => d.Length)));
    }

    [Fact]
    public void SendDocument_AfterLastDocument_OperationFailed()
    {
        var (service, _, _) = Create();
        var id = CreateJob(service);
        Send(service, id, [1]);

        Assert.True(Send(service, id, [2], documentId: 2).Fault!.Is("OperationFailed"));
        Assert.Single(service.FindJob(id)!.Documents);
    }

    [Fact]
    public void CreatePrintJob_NotAcceptingOrFull_ServerErrorNotAcceptingJobs()
    {
        var (service, _, _) = Create(new PrinterServiceOptions { MaxActiveJobs = 2 });
        CreateJob(service);
        CreateJob(service);

        var full = service.CreatePrintJob(new CreatePrintJobRequest(new PrintTicket())).Fault!;
        var (stopped, _, _) = Create();
        stopped.AcceptingJobs = false;
        var refused = stopped.CreatePrintJob(new CreatePrintJobRequest(new PrintTicket())).Fault!;

        Assert.True(full.Is("ServerErrorNotAcceptingJobs"));
        Assert.Equal(PrintFaultCode.Receiver, full.Code);
        Assert.True(refused.Is("ServerErrorNotAcceptingJobs"));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(10_000, null)]
    [InlineData(1, 0)]
    [InlineData(1, 101)]
    public void CreatePrintJob_ImpossibleProcessingValues_InvalidArgs(int copies, int? priority)
    {
        var (service, _, _) = Create();

        var fault = service.CreatePrintJob(new CreatePrintJobRequest(new PrintTicket { JobProcessing = new PrintJobProcessing { Copies = copies, Priority = priority } })).Fault;

        Assert.True(fault!.Is("InvalidArgs"));
        Assert.Empty(service.Jobs);
    }

    [Fact]
    public void JobIds_CountUpFromFirstJobId()
    {
        var (service, _, _) = Create(new PrinterServiceOptions { FirstJobId = 41 });

        Assert.Equal([41, 42, 43], new[] { CreateJob(service), CreateJob(service), CreateJob(service) });
    }

    [Fact]
    public void CriticalCondition_StopsPrintingUntilCleared()
    {
        var (service, time, events) = Create();
        var id = CreateJob(service);
        Send(service, id, [1]);
        time.Advance(StartDelay);

        var jam = service.AddCondition("MediaJam", "MediaPath");
        time.Advance(PrintTime * 3);
        var whileJammed = (service.FindJob(id)!.State, service.Status.PrinterState, service.Status.PrinterPrimaryStateReason);
        Assert.True(service.ClearCondition(jam.Id));
        time.Advance(PrintTime);

        Assert.Equal((PrintJobStates.ProcessingStopped, PrinterStates.Stopped, "MediaJam"), whileJammed);
        Assert.Equal(PrintJobStates.Completed, service.FindJob(id)!.State);
        Assert.Equal(jam, Assert.Single(events.OfType<PrinterStatusConditionEvent>()).Condition);
        Assert.Equal(jam.Id, Assert.Single(events.OfType<PrinterStatusConditionClearedEvent>()).ConditionId);
        Assert.Equal([PrinterStates.Processing, PrinterStates.Stopped, PrinterStates.Processing, PrinterStates.Idle], events.OfType<PrinterStatusSummaryEvent>().Select(e => e.PrinterState));
        Assert.False(service.ClearCondition(jam.Id));
    }

    [Fact]
    public void History_Bounded_OldestJobAndItsDocumentsDropped()
    {
        var (service, time, _) = Create(new PrinterServiceOptions { HistorySize = 2 });
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var id = CreateJob(service, "j" + i);
            Send(service, id, new byte[1000]);
            PrintOne(time);
            ids.Add(id);
        }

        Assert.Equal(ids.Skip(1), service.History.Select(j => j.JobId));
        Assert.Equal([ids[2], ids[1]], service.GetJobHistory().Jobs.Select(j => j.JobId));
        Assert.Null(service.FindJob(ids[0]));
        Assert.Equal(2000, service.StoredBytes);
        Assert.True(service.GetJobElements(new GetJobElementsRequest(ids[0], [PrintQName.Print("JobStatus")])).Fault!.Is("ClientErrorJobIdNotFound"));
    }

    [Fact]
    public void StoredBytes_Bounded_EndedJobsDocumentsEvictedFirst()
    {
        var (service, time, _) = Create(new PrinterServiceOptions { MaxDocumentBytes = 600, MaxJobBytes = 600, MaxStoredBytes = 1000 });
        var first = CreateJob(service);
        Send(service, first, new byte[600]);
        PrintOne(time);
        var second = CreateJob(service);

        Assert.True(Send(service, second, new byte[600]).IsSuccess);
        var third = CreateJob(service);
        var full = Send(service, third, new byte[600]).Fault;

        var evicted = Assert.Single(service.FindJob(first)!.Documents);
        Assert.True(evicted.Evicted);
        Assert.Equal((0, 600L), (evicted.Data.Length, evicted.Length));
        Assert.True(full!.Is("ServerErrorTemporaryError"));
        Assert.True(service.StoredBytes <= 1000);
    }

    [Fact]
    public void GetPrinterElements_KnownAndUnknownNames_ValidFlags()
    {
        var (service, _, _) = Create();

        var response = service.GetPrinterElements(new GetPrinterElementsRequest(
        [
            PrintQName.Print("PrinterDescription"), PrintQName.Print("PrinterStatus"), PrintQName.Print("PrinterCapabilities"),
            new PrintQName("ihv:Vendor", System.Xml.Linq.XName.Get("Vendor", "urn:ihv")),
        ]));

        Assert.Equal([true, true, false, false], response.Elements.Select(e => e.Valid));
        Assert.Equal("Harness Virtual Printer", response.Description!.Name);
        Assert.Equal((PrinterStates.Idle, Start), (response.Status!.PrinterState, response.Status.PrinterCurrentTime!.Value));
    }

    [Fact]
    public void GetJobElements_AllThree_StatusTicketDocuments()
    {
        var (service, _, _) = Create();
        var id = CreateJob(service, "Quarterly");
        Send(service, id, [1, 2, 3]);

        var response = service.GetJobElements(new GetJobElementsRequest(id, [PrintQName.Print("JobStatus"), PrintQName.Print("PrintTicket"), PrintQName.Print("Documents"), PrintQName.Print("Nonsense")])).GetValueOrThrow();

        Assert.Equal([true, true, true, false], response.Elements.Select(e => e.Valid));
        Assert.Equal((id, PrintJobStates.Pending, 1), (response.Status!.JobId, response.Status.JobState, response.Status.NumberOfDocuments));
        Assert.Equal("Quarterly", response.Ticket!.JobDescription!.JobName);
        Assert.Equal("application/pdf", Assert.Single(response.Documents!).Description.Format);
    }

    [Fact]
    public void AddDocument_HttpUrl_RecordedNotFetchedAndJobCompletes()
    {
        var (service, time, _) = Create();
        var id = CreateJob(service);

        var added = service.AddDocument(new AddDocumentRequest(id, true, new PrintDocumentDescription(1), "http://198.51.100.7/doc.pdf"));
        var badScheme = service.AddDocument(new AddDocumentRequest(CreateJob(service), true, new PrintDocumentDescription(1), "file:///etc/passwd"));
        PrintOne(time);

        Assert.True(added.IsSuccess);
        var document = Assert.Single(service.FindJob(id)!.Documents);
        Assert.Equal(("http://198.51.100.7/doc.pdf", 0), (document.Url, document.Data.Length));
        Assert.Equal(PrintJobStates.Completed, service.FindJob(id)!.State);
        Assert.True(badScheme.Fault!.Is("InvalidArgs"));
    }

    [Fact]
    public void SetEventRate_StoredInConfigurationWithChangeEvent()
    {
        var (service, _, events) = Create();

        Assert.True(service.SetEventRate(new SetEventRateRequest(30)).IsSuccess);
        Assert.True(service.SetEventRate(new SetEventRateRequest(-1)).Fault!.Is("InvalidArgs"));

        Assert.Equal(30, service.Configuration.PrinterEventRate);
        Assert.Equal(30, Assert.Single(events.OfType<PrinterElementsChangeEvent>()).Configuration!.PrinterEventRate);
    }

    [Fact]
    public async Task WaitForJobAsync_CompletesWhenTheStateIsReached()
    {
        var (service, time, _) = Create();
        var id = CreateJob(service);
        var waiting = service.WaitForJobAsync(id, j => j.IsEnded, TestKitTimeout());
        Send(service, id, [1]);

        Assert.False(waiting.IsCompleted);
        PrintOne(time);

        Assert.Equal(PrintJobStates.Completed, (await waiting).State);
    }

    private static CancellationToken TestKitTimeout() => Http.TestKit.Timeout();
}
