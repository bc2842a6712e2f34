using Harness.Dpws.Http;
using Harness.Dpws.Print;
using Harness.Dpws.Tests.Http;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.Print;

/// <summary>Following a job to its end by polling, in memory, with the printer and the watcher on one fake clock.</summary>
public sealed class PrintJobWatcherTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Rig : IAsyncDisposable
    {
        private Rig(FakeTimeProvider time, DpwsHost host, PrinterService service, SoapHttpClient http)
        {
            Time = time;
            Host = host;
            Service = service;
            Http = http;
            Client = new PrintClient(http);
        }

        public FakeTimeProvider Time { get; }

        public DpwsHost Host { get; }

        public PrinterService Service { get; }

        public SoapHttpClient Http { get; }

        public PrintClient Client { get; }

        public Uri Address => Host.AddressOf("/print");

        public static async Task<Rig> StartAsync(PrinterServiceOptions? options = null, Action<SoapEndpoint>? custom = null)
        {
            var time = new FakeTimeProvider(Start);
            var host = await TestKit.StartInMemoryAsync(new DpwsHostOptions { MaxRequestBytes = 1 << 20 });
            var service = new PrinterService(options ?? new PrinterServiceOptions(), time);
            var endpoint = host.MapEndpoint("/print");
            if (custom is null)
            {
                PrinterServiceEndpoint.MapHandlers(endpoint, service);
            }
            else
            {
                custom(endpoint);
            }

            return new Rig(time, host, service, TestKit.Client(host));
        }

        /// <summary>A watcher whose every poll moves the fake clock on by the poll interval.</summary>
        public PrintJobWatcher Watcher(List<string> states)
        {
            var watcher = new PrintJobWatcher(Client, Time) { PollInterval = TimeSpan.FromMilliseconds(250) };
            watcher.StateChanged += (_, status) => states.Add(status.JobState);
            watcher.Polled += (_, _) => Time.Advance(TimeSpan.FromMilliseconds(250));
            return watcher;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            Service.Dispose();
            await Host.DisposeAsync();
        }
    }

    [Fact]
    public async Task WaitForEnd_JobPrintsOnTheFakeClock_EndsCompletedAfterPendingAndProcessing()
    {
        await using var rig = await Rig.StartAsync(new PrinterServiceOptions { StartDelay = TimeSpan.FromMilliseconds(100), PrintTime = TimeSpan.FromMilliseconds(500) });
        var job = await rig.Client.CreatePrintJobAsync(rig.Address, "report.pdf", "ann", TestKit.Timeout());
        await rig.Client.SendDocumentAsync(rig.Address, job.Value.JobId, PrintVectors.SmallPdf, new PrintDocumentDescription(1) { Format = "application/pdf" }, cancellationToken: TestKit.Timeout());
        var states = new List<string>();

        var result = await rig.Watcher(states).WaitForEndAsync(rig.Address, job.Value.JobId, TimeSpan.FromSeconds(30), TestKit.Timeout());

        Assert.True(result.Ended);
        Assert.Equal(PrintJobStates.Completed, result.State);
        Assert.Equal([PrintJobStates.Pending, PrintJobStates.Processing, PrintJobStates.Completed], states);
        // Queued at 0, printing from 100 ms, done at 600 ms: the polls at 0, 250 and 500 ms see it unfinished, the one at 750 ms done.
        Assert.Equal(4, result.Polls);
    }

    [Fact]
    public async Task WaitForEnd_DocumentNeverSent_GivesUpAtTheTimeoutWithTheLastState()
    {
        await using var rig = await Rig.StartAsync(new PrinterServiceOptions { DocumentTimeout = null });
        var job = await rig.Client.CreatePrintJobAsync(rig.Address, "never", "ann", TestKit.Timeout());
        var states = new List<string>();

        var result = await rig.Watcher(states).WaitForEndAsync(rig.Address, job.Value.JobId, TimeSpan.FromSeconds(1), TestKit.Timeout());

        Assert.False(result.Ended);
        Assert.Equal(PrintJobStates.Pending, result.State);
        Assert.Equal(5, result.Polls); // at 0, 250, 500, 750 and 1000 ms
        Assert.Equal(Start + TimeSpan.FromSeconds(1), rig.Time.GetUtcNow());
    }

    [Fact]
    public async Task WaitForEnd_ZeroTimeout_AsksOnce()
    {
        await using var rig = await Rig.StartAsync();
        var job = await rig.Client.CreatePrintJobAsync(rig.Address, "once", "ann", TestKit.Timeout());

        var result = await rig.Watcher([]).WaitForEndAsync(rig.Address, job.Value.JobId, TimeSpan.Zero, TestKit.Timeout());

        Assert.Equal((false, PrintJobStates.Pending, 1), (result.Ended, result.State, result.Polls));
    }

    [Fact]
    public async Task WaitForEnd_PrinterForgetsEndedJob_StateFromJobHistory()
    {
        // A printer that answers ClientErrorJobIdNotFound for a job it has finished, but lists it in its JobHistory.
        await using var rig = await Rig.StartAsync(custom: endpoint =>
        {
            endpoint.On(PrintActions.GetJobElements, (c, _) => ValueTask.FromResult(c.Fault(PrintFault.ClientErrorJobIdNotFound(7).ToSoapFault())));
            endpoint.On(PrintActions.GetActiveJobs, (c, _) => ValueTask.FromResult(c.Reply(PrintActions.GetActiveJobsResponse, PrintXmlWriter.Write(new GetActiveJobsResponse([])))));
            endpoint.On(PrintActions.GetJobHistory, (c, _) => ValueTask.FromResult(c.Reply(
                PrintActions.GetJobHistoryResponse,
                PrintXmlWriter.Write(new GetJobHistoryResponse([new PrintJobSummary(7, PrintJobStates.Aborted) { JobStateReasons = ["DocumentFormatError"], NumberOfDocuments = 1 }])))));
        });

        var result = await rig.Watcher([]).WaitForEndAsync(rig.Address, 7, TimeSpan.FromSeconds(5), TestKit.Timeout());

        Assert.True(result.Ended);
        Assert.Equal(PrintJobStates.Aborted, result.State);
        Assert.Equal(["DocumentFormatError"], result.Status!.JobStateReasons);
    }

    [Fact]
    public async Task WaitForEnd_UnknownJobInNoList_ThrowsTheFault()
    {
        await using var rig = await Rig.StartAsync();

        var error = await Assert.ThrowsAsync<PrintFaultException>(() => rig.Watcher([]).WaitForEndAsync(rig.Address, 4242, TimeSpan.FromSeconds(5), TestKit.Timeout()));

        Assert.True(error.Fault.Is("ClientErrorJobIdNotFound"));
    }
}
