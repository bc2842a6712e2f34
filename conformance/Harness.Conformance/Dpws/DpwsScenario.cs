using System.Globalization;
using System.Text;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Print;
using Harness.Dpws.Scan;
using Harness.Dpws.Scan.Http;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;
using PrintCancelJobResponse = Harness.Dpws.Print.CancelJobResponse;

namespace Harness.Conformance.Dpws;

/// <summary>Timing and size of the per-device DPWS stimuli.</summary>
public sealed record DpwsScenarioOptions
{
    /// <summary>Time for one exchange (default 5 s).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time for one RetrieveImage (the scanner renders the page; default 15 s).</summary>
    public TimeSpan RetrieveTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time for a whole device (default 45 s); what did not run by then is skipped.</summary>
    public TimeSpan DeviceBudget { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Run the WS-Scan exchanges (a scan job of one small image) on scanners. Default true.</summary>
    public bool Scan { get; init; } = true;

    /// <summary>Run the WS-Print exchanges (a print job of a tiny PDF) on printers. Default true.</summary>
    public bool Print { get; init; } = true;

    /// <summary>Run the WS-Eventing exchanges on hosted services. Default true.</summary>
    public bool Eventing { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> for unusable values.</summary>
    public void Validate()
    {
        if (CallTimeout <= TimeSpan.Zero || RetrieveTimeout <= TimeSpan.Zero || DeviceBudget <= TimeSpan.Zero)
        {
            throw new ArgumentException("Scenario durations must be positive.");
        }
    }
}

/// <summary>One request the scenario sent and what came back (records for the rules; the error when nothing did).</summary>
/// <param name="Name">What it tests, e.g. <c>subscribe-invalid-expires</c>.</param>
/// <param name="Request">The request's record, or null when it could not be sent.</param>
/// <param name="Response">The response's record, or null.</param>
/// <param name="Error">Why no SOAP answer arrived (connection, timeout, not SOAP), or null.</param>
internal sealed record DpwsStep(string Name, TrafficRecord? Request, TrafficRecord? Response, string? Error);

/// <summary>What the scenario did to one device; the rules read the exchanges from the session.</summary>
internal sealed class DpwsScenarioResult
{
    public required Device Device { get; init; }

    public required IReadOnlyList<DpwsStep> Steps { get; init; }

    /// <summary>Why the device could not be provoked at all, or null.</summary>
    public string? Skipped { get; init; }

    public Uri? XAddr { get; init; }

    public Uri? ScannerService { get; init; }

    public Uri? PrinterService { get; init; }

    public int? ScanJobId { get; init; }

    public int? CanceledScanJobId { get; init; }

    public int? PrintJobId { get; init; }

    public int? CanceledPrintJobId { get; init; }

    /// <summary>The JobId the scenario used as one the device does not know.</summary>
    public int UnknownJobId { get; init; }

    /// <summary>The Expires the scenario asked for in Subscribe and Renew.</summary>
    public string RequestedExpires { get; init; } = DpwsScenario.RequestedExpires;

    public DpwsStep? Step(string name) => Steps.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public IEnumerable<DpwsStep> Starting(string prefix) => Steps.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>
/// Provokes one DPWS device once, every exchange the active rules need, in one pass: the metadata Get, a directed Probe,
/// a malformed body and an unknown action at the device endpoint; on each hosted service with events a subscription's
/// life (Subscribe, GetStatus, Renew, Unsubscribe, Renew of the ended one) and three Subscribes the source must refuse;
/// on a scanner a one-image scan job from the platen at the lowest resolution, its retrieval, the job lists, a canceled
/// job and unknown job ids; on a printer a job with a tiny PDF, the job lists, a canceled job and an unknown job id.
/// Every exchange is recorded by the client's handler; the result names the records.
/// </summary>
internal sealed class DpwsScenario
{
    public const string RequestedExpires = "PT30M";
    public const string Get = "get";
    public const string Probe = "probe";
    public const string Malformed = "malformed";
    public const string UnknownAction = "unknown-action";
    public const string Subscribe = "subscribe";
    public const string GetStatus = "get-status";
    public const string Renew = "renew";
    public const string Unsubscribe = "unsubscribe";
    public const string RenewEnded = "renew-ended";
    public const string SubscribeInvalidExpires = "subscribe-invalid-expires";
    public const string SubscribeBadDelivery = "subscribe-bad-delivery";
    public const string SubscribeBadDialect = "subscribe-bad-dialect";
    public const string Cleanup = "cleanup";
    public const string ScannerElements = "scanner-elements";
    public const string ValidateTicket = "validate-ticket";
    public const string ValidateInvalidTicket = "validate-invalid-ticket";
    public const string CreateInvalidTicket = "create-invalid-ticket";
    public const string CreateJob = "create-job";
    public const string ActiveJobs = "active-jobs";
    public const string JobElements = "job-elements";
    public const string Retrieve1 = "retrieve-1";
    public const string Retrieve2 = "retrieve-2";
    public const string JobHistory = "job-history";
    public const string CreateJob2 = "create-job-2";
    public const string CancelJob = "cancel-job";
    public const string JobElementsCanceled = "job-elements-canceled";
    public const string CancelUnknown = "cancel-unknown";
    public const string RetrieveUnknown = "retrieve-unknown";
    public const string JobElementsUnknown = "job-elements-unknown";
    public const string PrinterElements = "printer-elements";
    public const string CreatePrintJob = "create-print-job";
    public const string SendDocument = "send-document";
    public const string PrintJobElements = "print-job-elements";
    public const string PrintActiveJobs = "print-active-jobs";
    public const string PrintJobHistory = "print-job-history";
    public const string CreatePrintJob2 = "create-print-job-2";
    public const string PrintCancelJob = "print-cancel-job";
    public const string PrintCancelUnknown = "print-cancel-unknown";
    public const string PrintJobElementsUnknown = "print-job-elements-unknown";

    /// <summary>The action of the unknown-action stimulus.</summary>
    public const string UnknownActionUri = "http://harness.invalid/dpws/NoSuchOperation";

    /// <summary>The JobId the scenario treats as unknown to any device (near the top of the 1..2^31-1 range).</summary>
    public const int UnknownJob = 2_147_480_647;

    /// <summary>A minimal one-page PDF (its own bytes; no external data).</summary>
    public static readonly byte[] TinyPdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    private static readonly WsdQName[] ScannerServiceTypes = [ScannerServiceEndpoint.ScannerServiceType];
    private static readonly WsdQName[] PrinterServiceTypes = [PrinterServiceEndpoint.PrinterServiceType];

    private readonly DpwsRecordingHandler _handler;
    private readonly SoapHttpClient _http;
    private readonly Uri? _notifyTo;
    private readonly DpwsScenarioOptions _options;
    private readonly TimeProvider _time;
    private readonly List<DpwsStep> _steps = [];
    private readonly Device _device;

    private DpwsScenario(DpwsRecordingHandler handler, SoapHttpClient http, Uri? notifyTo, DpwsScenarioOptions options, TimeProvider time, Device device)
    {
        _handler = handler;
        _http = http;
        _notifyTo = notifyTo;
        _options = options;
        _time = time;
        _device = device;
    }

    public static async Task<DpwsScenarioResult> RunAsync(
        DpwsRecordingHandler handler,
        SoapHttpClient http,
        Uri? notifyTo,
        Device device,
        DpwsScenarioOptions options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var scenario = new DpwsScenario(handler, http, notifyTo, options, time, device);
        using var budget = new CancellationTokenSource(options.DeviceBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await scenario.RunCoreAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DpwsScenarioResult
            {
                Device = device,
                Steps = scenario._steps,
                UnknownJobId = UnknownJob,
                Skipped = scenario._steps.Count == 0 ? $"The device did not answer within {options.DeviceBudget.TotalSeconds:0} s." : null,
            };
        }
    }

    private async Task<DpwsScenarioResult> RunCoreAsync(CancellationToken cancellationToken)
    {
        var epr = _device.EndpointReference ?? _device.Id;
        var xaddrs = DpwsDevices.XAddrs(_device);
        if (xaddrs.Count == 0)
        {
            return new DpwsScenarioResult { Device = _device, Steps = [], UnknownJobId = UnknownJob, Skipped = "The device has no HTTP XAddr." };
        }

        DeviceMetadata? metadata = null;
        Uri? xaddr = null;
        var dpws = new DpwsClient(_http);
        foreach (var candidate in xaddrs.Take(2))
        {
            xaddr = candidate;
            var got = await StepAsync(Get, async ct => metadata = (await dpws.GetAsync(candidate, epr, ct).ConfigureAwait(false)).Metadata, cancellationToken).ConfigureAwait(false);
            if (got.Response is not null)
            {
                break;
            }
        }

        await StepAsync(Probe, ct => dpws.ProbeAsync(xaddr!, null, ct), cancellationToken).ConfigureAwait(false);
        await StepAsync(Malformed, ct => _http.SendRawAsync(xaddr!, MalformedEnvelope, null, null, ct), cancellationToken).ConfigureAwait(false);
        await StepAsync(UnknownAction, ct => _http.SendAsync(xaddr!, SoapEnvelope.Request(UnknownActionUri, epr, _http.NewMessageId()), null, ct), cancellationToken).ConfigureAwait(false);

        var scanner = ServiceOf(metadata, ScannerServiceTypes, xaddr!);
        var printer = ServiceOf(metadata, PrinterServiceTypes, xaddr!);
        if (_options.Eventing && _notifyTo is not null)
        {
            foreach (var (service, actions) in new[] { (scanner, ScanActions.Events), (printer, PrintActions.Events) })
            {
                if (service is not null)
                {
                    await EventingAsync(service, actions, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var scan = scanner is not null && _options.Scan ? await ScanAsync(scanner, cancellationToken).ConfigureAwait(false) : default;
        var print = printer is not null && _options.Print ? await PrintAsync(printer, cancellationToken).ConfigureAwait(false) : default;
        return new DpwsScenarioResult
        {
            Device = _device,
            Steps = _steps,
            XAddr = xaddr,
            ScannerService = scanner,
            PrinterService = printer,
            ScanJobId = scan.Job,
            CanceledScanJobId = scan.Canceled,
            PrintJobId = print.Job,
            CanceledPrintJobId = print.Canceled,
            UnknownJobId = UnknownJob,
        };
    }

    private static ReadOnlyMemory<byte> MalformedEnvelope { get; } = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header><unclosed></s:Header><s:Body>");

    /// <summary>The URL of the first hosted service with one of <paramref name="types"/>, resolved against the XAddr.</summary>
    private static Uri? ServiceOf(DeviceMetadata? metadata, IReadOnlyList<WsdQName> types, Uri xaddr)
    {
        var hosted = metadata?.Hosted.FirstOrDefault(h => h.Types.Any(t => types.Any(w => w.LocalName == t.LocalName && w.Namespace == t.Namespace)));
        return hosted?.EndpointReferences
            .Select(e => Uri.TryCreate(xaddr, e.Address, out var uri) ? uri : null)
            .FirstOrDefault(u => u is not null && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps));
    }

    private async Task EventingAsync(Uri service, IReadOnlyList<string> actions, CancellationToken cancellationToken)
    {
        var eventing = new EventingClient(_http);
        var notifyTo = new WsaEndpointReference(_notifyTo!.ToString());
        EventSubscription? subscription = null;
        var ok = await StepAsync(
            Subscribe,
            async ct => subscription = await eventing.SubscribeAsync(service, new SubscribeRequest
            {
                NotifyTo = notifyTo,
                EndTo = notifyTo,
                Expires = RequestedExpires,
                Filter = EventingFilter.ForActions(actions),
            }, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        if (subscription is not null && ok.Error is null)
        {
            await StepAsync(GetStatus, ct => eventing.GetStatusAsync(subscription, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(Renew, ct => eventing.RenewAsync(subscription, RequestedExpires, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(Unsubscribe, ct => eventing.UnsubscribeAsync(subscription, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(RenewEnded, ct => eventing.RenewAsync(subscription, RequestedExpires, ct), cancellationToken).ConfigureAwait(false);
        }

        await RefusedSubscribeAsync(eventing, service, SubscribeInvalidExpires, new SubscribeRequest { NotifyTo = notifyTo, Expires = "not-a-duration", Filter = EventingFilter.ForActions(actions) }, cancellationToken).ConfigureAwait(false);
        await RefusedSubscribeAsync(eventing, service, SubscribeBadDelivery, new SubscribeRequest { NotifyTo = notifyTo, DeliveryMode = "http://harness.invalid/eventing/DeliveryModes/CarrierPigeon", Expires = RequestedExpires, Filter = EventingFilter.ForActions(actions) }, cancellationToken).ConfigureAwait(false);
        await RefusedSubscribeAsync(eventing, service, SubscribeBadDialect, new SubscribeRequest { NotifyTo = notifyTo, Expires = RequestedExpires, Filter = new EventingFilter("http://harness.invalid/eventing/FilterDialect", []) { Content = "anything" } }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A Subscribe the source should refuse; if it was accepted all the same, the subscription is ended.</summary>
    private async Task RefusedSubscribeAsync(EventingClient eventing, Uri service, string name, SubscribeRequest request, CancellationToken cancellationToken)
    {
        EventSubscription? accepted = null;
        await StepAsync(name, async ct => accepted = await eventing.SubscribeAsync(service, request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (accepted is not null)
        {
            await StepAsync(Cleanup, ct => eventing.UnsubscribeAsync(accepted, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(int? Job, int? Canceled)> ScanAsync(Uri service, CancellationToken cancellationToken)
    {
        var client = new ScanClient(_http) { RetrieveTimeout = _options.RetrieveTimeout, MaxImageBytes = DpwsHttp.MaxBodyBytes };
        GetScannerElementsResponse? elements = null;
        await StepAsync(
            ScannerElements,
            async ct => elements = (await client.GetScannerElementsAsync(service, [.. ScanClient.AllScannerElements, "HarnessNoSuchElement"], ct).ConfigureAwait(false)).Value,
            cancellationToken).ConfigureAwait(false);
        var ticket = SmallTicket(elements);
        await StepAsync(ValidateTicket, ct => client.ValidateScanTicketAsync(service, ticket, ct), cancellationToken).ConfigureAwait(false);
        var invalid = InvalidTicket(ticket);
        await StepAsync(ValidateInvalidTicket, ct => client.ValidateScanTicketAsync(service, invalid, ct), cancellationToken).ConfigureAwait(false);
        CreateScanJobResponse? wrongly = null;
        await StepAsync(CreateInvalidTicket, async ct => wrongly = (await client.CreateScanJobAsync(service, invalid, null, null, ct).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
        if (wrongly is not null)
        {
            await StepAsync(Cleanup, ct => client.CancelJobAsync(service, wrongly.JobId, ct), cancellationToken).ConfigureAwait(false);
        }

        CreateScanJobResponse? job = null;
        await StepAsync(CreateJob, async ct => job = (await client.CreateScanJobAsync(service, ticket, null, null, ct).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
        if (job is not null)
        {
            await StepAsync(ActiveJobs, ct => client.GetActiveJobsAsync(service, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(JobElements, ct => client.GetJobElementsAsync(service, job.JobId, null, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(Retrieve1, ct => client.RetrieveImageAsync(service, job.JobId, job.JobToken, null, ct), cancellationToken, _options.RetrieveTimeout).ConfigureAwait(false);
            await StepAsync(Retrieve2, ct => client.RetrieveImageAsync(service, job.JobId, job.JobToken, null, ct), cancellationToken, _options.RetrieveTimeout).ConfigureAwait(false);
            await StepAsync(JobHistory, ct => client.GetJobHistoryAsync(service, ct), cancellationToken).ConfigureAwait(false);
        }

        CreateScanJobResponse? second = null;
        await StepAsync(CreateJob2, async ct => second = (await client.CreateScanJobAsync(service, ticket, null, null, ct).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
        if (second is not null)
        {
            await StepAsync(CancelJob, ct => client.CancelJobAsync(service, second.JobId, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(JobElementsCanceled, ct => client.GetJobElementsAsync(service, second.JobId, null, ct), cancellationToken).ConfigureAwait(false);
        }

        await StepAsync(CancelUnknown, ct => client.CancelJobAsync(service, UnknownJob, ct), cancellationToken).ConfigureAwait(false);
        await StepAsync(RetrieveUnknown, ct => client.RetrieveImageAsync(service, UnknownJob, "harness-unknown-token", null, ct), cancellationToken).ConfigureAwait(false);
        await StepAsync(JobElementsUnknown, ct => client.GetJobElementsAsync(service, UnknownJob, null, ct), cancellationToken).ConfigureAwait(false);
        return (job?.JobId, second?.JobId);
    }

    private async Task<(int? Job, int? Canceled)> PrintAsync(Uri service, CancellationToken cancellationToken)
    {
        var client = new PrintClient(_http) { SendTimeout = _options.CallTimeout };
        await StepAsync(
            PrinterElements,
            ct => client.GetPrinterElementsAsync(service, [PrintElementNames.PrinterDescription, PrintElementNames.PrinterConfiguration, PrintElementNames.PrinterStatus], ct),
            cancellationToken).ConfigureAwait(false);
        int? job = null;
        await StepAsync(CreatePrintJob, async ct => job = (await client.CreatePrintJobAsync(service, "harness conformance", "harness", ct).ConfigureAwait(false)).Value.JobId, cancellationToken).ConfigureAwait(false);
        if (job is { } id)
        {
            var description = new PrintDocumentDescription(1) { DocumentName = "harness.pdf", Format = "application/pdf" };
            await StepAsync(SendDocument, ct => client.SendDocumentAsync(service, id, TinyPdf, description, true, "application/pdf", null, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(PrintJobElements, ct => client.GetJobElementsAsync(service, id, [PrintElementNames.JobStatus], ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(PrintActiveJobs, ct => client.GetActiveJobsAsync(service, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(PrintJobHistory, ct => client.GetJobHistoryAsync(service, ct), cancellationToken).ConfigureAwait(false);
        }

        int? second = null;
        await StepAsync(CreatePrintJob2, async ct => second = (await client.CreatePrintJobAsync(service, "harness conformance (canceled)", "harness", ct).ConfigureAwait(false)).Value.JobId, cancellationToken).ConfigureAwait(false);
        if (second is { } other)
        {
            await StepAsync<PrintCallResult<PrintCancelJobResponse>>(PrintCancelJob, ct => client.CancelJobAsync(service, other, ct), cancellationToken).ConfigureAwait(false);
        }

        await StepAsync<PrintCallResult<PrintCancelJobResponse>>(PrintCancelUnknown, ct => client.CancelJobAsync(service, UnknownJob, ct), cancellationToken).ConfigureAwait(false);
        await StepAsync(PrintJobElementsUnknown, ct => client.GetJobElementsAsync(service, UnknownJob, [PrintElementNames.JobStatus], ct), cancellationToken).ConfigureAwait(false);
        return (job, second);
    }

    /// <summary>A ticket that scans fast: platen, one image, the lowest resolution, a one-inch region, the first colour mode, PNG or JPEG when offered.</summary>
    private static ScanTicket SmallTicket(GetScannerElementsResponse? elements)
    {
        var configuration = elements?.Configuration;
        var formats = configuration?.DeviceSettings.FormatsSupported ?? [];
        var format = formats.FirstOrDefault(f => f == ScanValues.Png) ?? formats.FirstOrDefault(f => f == ScanValues.Jfif) ?? formats.FirstOrDefault() ?? ScanValues.Jfif;
        var platen = configuration?.Platen;
        var resolution = platen?.ResolutionWidths.Count > 0 ? platen.ResolutionWidths.Min() : 100;
        var color = platen?.ColorModes.FirstOrDefault(c => c == ScanValues.Grayscale8) ?? platen?.ColorModes.FirstOrDefault() ?? ScanValues.Grayscale8;
        var side = Math.Max(1000, Math.Max(platen?.MinimumSize.Width ?? 0, platen?.MinimumSize.Height ?? 0));
        return new ScanTicket
        {
            JobDescription = new ScanJobDescription("harness conformance", "harness", "harness conformance scan"),
            DocumentParameters = new ScanDocumentParameters
            {
                Format = ScanValue.Of(format),
                ImagesToTransfer = ScanValue.Of(1),
                InputSource = ScanValue.Of(ScanValues.Platen),
                InputSize = new ScanInputSize { Width = ScanValue.Of(side), Height = ScanValue.Of(side) },
                MediaSides = new ScanMediaSides
                {
                    Front = new ScanMediaSide
                    {
                        ColorProcessing = ScanValue.Of(color),
                        Resolution = new ScanResolution { Width = ScanValue.Of(resolution), Height = ScanValue.Of(resolution) },
                        ScanRegion = new ScanRegion { XOffset = ScanValue.Of(0), YOffset = ScanValue.Of(0), Width = ScanValue.Of(side), Height = ScanValue.Of(side) },
                    },
                },
            },
        };
    }

    /// <summary>The ticket with a Format no scanner supports, marked MustHonor: it must not be accepted.</summary>
    private static ScanTicket InvalidTicket(ScanTicket ticket) =>
        ticket with { DocumentParameters = ticket.DocumentParameters with { Format = ScanValue.Required("harness-no-such-format") } };

    private Task<DpwsStep> StepAsync<T>(string name, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        StepAsync(name, async ct => { await call(ct).ConfigureAwait(false); }, cancellationToken, timeout);

    /// <summary>Runs one exchange, collecting its records; faults are answers, not errors.</summary>
    private async Task<DpwsStep> StepAsync(string name, Func<CancellationToken, Task> call, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var records = new List<TrafficRecord>();
        string? error = null;
        using (var deadline = new CancellationTokenSource(timeout ?? _options.CallTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        using (_handler.Capture(records))
        {
            try
            {
                await call(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SoapFaultException or ScanFaultException or PrintFaultException)
            {
                // A fault is the answer the rules judge.
            }
            catch (SoapProtocolException ex)
            {
                error = ex.Message;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                error = "No answer within " + (timeout ?? _options.CallTimeout).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s.";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                error = ex.GetType().Name + ": " + ex.Message;
            }
        }

        var step = new DpwsStep(
            name,
            records.FirstOrDefault(r => r.Direction == TrafficDirection.Outbound),
            records.FirstOrDefault(r => r.Direction == TrafficDirection.Inbound),
            error);
        _steps.Add(step);
        return step;
    }
}
