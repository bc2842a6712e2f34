using System.Xml.Linq;

namespace Harness.Dpws.Print;

/// <summary>
/// The device side of WS-Print as a pure state machine (no sockets, no logging; time from the injected
/// <see cref="TimeProvider"/>): printer elements, jobs that move Pending → Processing → Completed with time (or
/// Canceled by CancelJob, Aborted when their documents stop coming), documents kept in memory within bounds for a test
/// to inspect, active jobs and a bounded history, device conditions that stop the printer, and the WS-Print events.
/// Jobs print one at a time in the order their last document arrived. Events are raised synchronously, in order, from
/// the thread that caused them (a request or a timer) while the service's lock is held: handlers must be quick and must
/// not throw (the eventing wiring only queues them). Thread-safe.
/// </summary>
public sealed class PrinterService : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<int, Job> _active = [];
    private readonly Queue<Job> _ready = new();
    private readonly LinkedList<Job> _history = new();
    private readonly List<PrintDeviceCondition> _conditions = [];
    private PrinterDescription _description;
    private PrinterConfiguration _configuration;
    private PrintTicket _defaultTicket;
    private PrinterStatusSummaryEvent? _lastSummary;
    private Job? _printing;
    private ITimer? _printerTimer;
    private int _nextJobId;
    private int _nextConditionId = 1;
    private long _storedBytes;
    private long _sequence;
    private bool _accepting = true;
    private bool _disposed;

    /// <summary>A printer with <paramref name="options"/> (validated) on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public PrinterService(PrinterServiceOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new PrinterServiceOptions();
        Options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _description = Options.Description;
        _configuration = Options.Configuration;
        _defaultTicket = Options.DefaultPrintTicket;
        _nextJobId = Options.FirstJobId;
        _lastSummary = Summary();
    }

    /// <summary>Raised for every event, in order (see the class remarks).</summary>
    public event EventHandler<PrintEvent>? EventRaised;

    /// <summary>The settings.</summary>
    public PrinterServiceOptions Options { get; }

    /// <summary>The current PrinterDescription.</summary>
    public PrinterDescription Description
    {
        get
        {
            lock (_gate)
            {
                return _description;
            }
        }
    }

    /// <summary>The current PrinterConfiguration.</summary>
    public PrinterConfiguration Configuration
    {
        get
        {
            lock (_gate)
            {
                return _configuration;
            }
        }
    }

    /// <summary>The current DefaultPrintTicket.</summary>
    public PrintTicket DefaultPrintTicket
    {
        get
        {
            lock (_gate)
            {
                return _defaultTicket;
            }
        }
    }

    /// <summary>The current PrinterStatus.</summary>
    public PrinterStatus Status
    {
        get
        {
            lock (_gate)
            {
                return CurrentStatus();
            }
        }
    }

    /// <summary>Whether CreatePrintJob is accepted (false answers ServerErrorNotAcceptingJobs, like a printer in service mode).</summary>
    public bool AcceptingJobs
    {
        get
        {
            lock (_gate)
            {
                return _accepting;
            }
        }

        set
        {
            lock (_gate)
            {
                _accepting = value;
            }
        }
    }

    /// <summary>Every job held (active, then ended ones in the history), oldest first.</summary>
    public IReadOnlyList<PrintJobInfo> Jobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Values.Concat(_history).OrderBy(j => j.Created).ThenBy(j => j.Sequence).Select(j => j.Snapshot())];
            }
        }
    }

    /// <summary>The jobs not yet ended, oldest first.</summary>
    public IReadOnlyList<PrintJobInfo> ActiveJobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Values.OrderBy(j => j.Sequence).Select(j => j.Snapshot())];
            }
        }
    }

    /// <summary>The ended jobs kept (at most <see cref="PrinterServiceOptions.HistorySize"/>), oldest first.</summary>
    public IReadOnlyList<PrintJobInfo> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history.Select(j => j.Snapshot())];
            }
        }
    }

    /// <summary>Every document held, in the order received.</summary>
    public IReadOnlyList<PrintDocument> Documents
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Values.Concat(_history).SelectMany(j => j.Documents).OrderBy(d => d.Received).ThenBy(d => d.JobId)];
            }
        }
    }

    /// <summary>The bytes of the documents held now.</summary>
    public long StoredBytes
    {
        get
        {
            lock (_gate)
            {
                return _storedBytes;
            }
        }
    }

    /// <summary>The job with <paramref name="jobId"/> (active or in the history), or null.</summary>
    public PrintJobInfo? FindJob(int jobId)
    {
        lock (_gate)
        {
            return Find(jobId)?.Snapshot();
        }
    }

    /// <summary>
    /// Waits until the job <paramref name="jobId"/> satisfies <paramref name="predicate"/> (checked now and after every
    /// event); for tests on a real clock. Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public async Task<PrintJobInfo> WaitForJobAsync(int jobId, Func<PrintJobInfo, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var completion = new TaskCompletionSource<PrintJobInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(object? sender, PrintEvent e)
        {
            if (Find(jobId)?.Snapshot() is { } job && predicate(job))
            {
                completion.TrySetResult(job);
            }
        }

        lock (_gate)
        {
            EventRaised += Check;
            Check(this, new PrintJobStatusEvent(new PrintJobStatus(jobId, string.Empty)));
        }

        try
        {
            using (cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken)))
            {
                return await completion.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            EventRaised -= Check;
        }
    }

    /// <summary>GetPrinterElements: one ElementData per requested name; names the printer does not know are <c>Valid="false"</c>.</summary>
    public GetPrinterElementsResponse GetPrinterElements(GetPrinterElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var list = new List<PrinterElementData>();
            foreach (var name in request.RequestedElements.Take(64))
            {
                list.Add(name switch
                {
                    _ when name.IsPrint(PrintElementNames.PrinterDescription) => new PrinterElementData(name, true) { Description = _description },
                    _ when name.IsPrint(PrintElementNames.PrinterConfiguration) => new PrinterElementData(name, true) { Configuration = _configuration },
                    _ when name.IsPrint(PrintElementNames.PrinterStatus) => new PrinterElementData(name, true) { Status = CurrentStatus() },
                    _ when name.IsPrint(PrintElementNames.DefaultPrintTicket) => new PrinterElementData(name, true) { DefaultPrintTicket = _defaultTicket },
                    _ when name.IsPrint(PrintElementNames.PrinterCapabilities) && Options.Capabilities is { } capabilities =>
                        new PrinterElementData(name, true) { Other = new XElement(capabilities) },
                    _ => new PrinterElementData(name, false),
                });
            }

            return new GetPrinterElementsResponse(list);
        }
    }

    /// <summary>CreatePrintJob: a new Pending job (ServerErrorNotAcceptingJobs when not accepting or full; InvalidArgs for impossible values).</summary>
    public PrintResult<CreatePrintJobResponse> CreatePrintJob(CreatePrintJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Ticket.JobProcessing?.Copies is { } copies && copies is < 1 or > 9999)
        {
            return PrintFault.InvalidArgs($"Copies {copies} is outside 1 to 9999.");
        }

        if (request.Ticket.JobProcessing?.Priority is { } priority && priority is < 1 or > 100)
        {
            return PrintFault.InvalidArgs($"Priority {priority} is outside 1 to 100.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_accepting || _active.Count >= Options.MaxActiveJobs)
            {
                return PrintFault.ServerErrorNotAcceptingJobs();
            }

            var description = request.Ticket.JobDescription;
            var job = new Job(NextJobId(), ++_sequence, request.Ticket, _time.GetUtcNow())
            {
                Name = description?.JobName ?? string.Empty,
                User = description?.JobOriginatingUserName ?? string.Empty,
                State = PrintJobStates.Pending,
                Reasons = [PrintJobStateReasons.JobIncoming],
            };
            _active.Add(job.Id, job);
            ArmDocumentTimeout(job);
            RaiseStatus(job);
            return new CreatePrintJobResponse(job.Id);
        }
    }

    /// <summary>
    /// SendDocument: keeps the bytes with the job; LastDocument queues the job for printing. ClientErrorJobIdNotFound for an
    /// unknown job, OperationFailed for an ended or closed job or too many documents, InvalidArgs for missing or oversized
    /// data, ServerErrorTemporaryError when the printer's storage is full.
    /// </summary>
    /// <param name="request">The request (its <see cref="SendDocumentRequest.Data"/> resolved).</param>
    /// <param name="contentType">The Content-Type of the MTOM part that carried the data, if known.</param>
    public PrintResult<SendDocumentResponse> SendDocument(SendDocumentRequest request, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Data is not { } data)
        {
            return PrintFault.InvalidArgs("DocumentData could not be resolved to document bytes.");
        }

        if (data.Length > Options.MaxDocumentBytes)
        {
            return PrintFault.InvalidArgs($"The document is {data.Length} bytes; this printer accepts at most {Options.MaxDocumentBytes}.");
        }

        lock (_gate)
        {
            if (Accept(request.JobId, data.Length) is { } fault)
            {
                return fault;
            }

            var job = _active[request.JobId];
            Store(job, new PrintDocument(job.Id, request.Description.DocumentId, _time.GetUtcNow())
            {
                Name = request.Description.DocumentName,
                Format = request.Description.Format,
                Compression = request.Description.Compression,
                ContentType = contentType,
                Data = data.ToArray(),
                Length = data.Length,
                LastDocument = request.LastDocument,
            });
            return SendDocumentResponse.Instance;
        }
    }

    /// <summary>
    /// AddDocument: records the URL (http or https; never fetched) as a document of the job; otherwise like
    /// <see cref="SendDocument"/>. OperationFailed when <see cref="PrinterServiceOptions.SupportsAddDocument"/> is off.
    /// </summary>
    public PrintResult<AddDocumentResponse> AddDocument(AddDocumentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Options.SupportsAddDocument)
        {
            return PrintFault.OperationFailed("this printer does not print documents by reference");
        }

        if (request.DocumentUrl.Length > 2048
            || !Uri.TryCreate(request.DocumentUrl, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return PrintFault.InvalidArgs("DocumentUrl is not an absolute http or https URL of at most 2048 characters.");
        }

        lock (_gate)
        {
            if (Accept(request.JobId, 0) is { } fault)
            {
                return fault;
            }

            var job = _active[request.JobId];
            Store(job, new PrintDocument(job.Id, request.Description.DocumentId, _time.GetUtcNow())
            {
                Name = request.Description.DocumentName,
                Format = request.Description.Format,
                Compression = request.Description.Compression,
                Url = url.ToString(),
                LastDocument = request.LastDocument,
            });
            return AddDocumentResponse.Instance;
        }
    }

    /// <summary>CancelJob: a Pending or Processing job becomes Canceled; an ended or unknown one is ClientErrorJobIdNotFound.</summary>
    public PrintResult<CancelJobResponse> CancelJob(CancelJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (!_active.TryGetValue(request.JobId, out var job))
            {
                return PrintFault.ClientErrorJobIdNotFound(request.JobId);
            }

            End(job, PrintJobStates.Canceled, PrintJobStateReasons.None);
            return CancelJobResponse.Instance;
        }
    }

    /// <summary>GetJobElements for an active or remembered job (JobStatus, PrintTicket, Documents); unknown names are <c>Valid="false"</c>.</summary>
    public PrintResult<GetJobElementsResponse> GetJobElements(GetJobElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (Find(request.JobId) is not { } job)
            {
                return PrintFault.ClientErrorJobIdNotFound(request.JobId);
            }

            var snapshot = job.Snapshot();
            var list = new List<PrintJobElementData>();
            foreach (var name in request.RequestedElements.Take(64))
            {
                list.Add(name switch
                {
                    _ when name.IsPrint(PrintElementNames.JobStatus) => new PrintJobElementData(name, true) { Status = snapshot.ToStatus() },
                    _ when name.IsPrint(PrintElementNames.PrintTicket) => new PrintJobElementData(name, true) { Ticket = snapshot.Ticket },
                    _ when name.IsPrint(PrintElementNames.Documents) => new PrintJobElementData(name, true)
                    {
                        Documents = [.. snapshot.Documents.Select(d => new PrintJobDocument(new PrintDocumentDescription(d.DocumentId)
                        {
                            DocumentName = d.Name,
                            Compression = d.Compression,
                            Format = d.Format,
                        })
                        {
                            State = snapshot.IsEnded ? snapshot.State : PrintJobStates.Pending,
                        })],
                    },
                    _ => new PrintJobElementData(name, false),
                });
            }

            return new GetJobElementsResponse(list);
        }
    }

    /// <summary>GetActiveJobs: a JobSummary per job not yet ended, oldest first.</summary>
    public GetActiveJobsResponse GetActiveJobs() => new([.. ActiveJobs.Select(j => j.ToSummary())]);

    /// <summary>GetJobHistory: a JobSummary per remembered ended job, most recent first.</summary>
    public GetJobHistoryResponse GetJobHistory() => new([.. History.Reverse().Select(j => j.ToSummary())]);

    /// <summary>SetEventRate: stores the rate as PrinterConfiguration/PrinterEventRate (events are not throttled); InvalidArgs when negative.</summary>
    public PrintResult<SetEventRateResponse> SetEventRate(SetEventRateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.EventRate < 0)
        {
            return PrintFault.InvalidArgs("EventRate is negative.");
        }

        lock (_gate)
        {
            _configuration = _configuration with { PrinterEventRate = request.EventRate };
            Raise(new PrinterElementsChangeEvent { Configuration = _configuration });
            return SetEventRateResponse.Instance;
        }
    }

    /// <summary>
    /// Raises a device condition (e.g. <c>MediaEmpty</c> on <c>InputTray</c>): PrinterStatusConditionEvent; a
    /// <c>Critical</c> one stops the printer (Stopped; a printing job becomes ProcessingStopped, queued ones wait).
    /// </summary>
    public PrintDeviceCondition AddCondition(string name, string component, string severity = "Critical")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentException.ThrowIfNullOrEmpty(severity);
        lock (_gate)
        {
            var condition = new PrintDeviceCondition(_nextConditionId++, _time.GetUtcNow(), name, component, severity);
            _conditions.Add(condition);
            Raise(new PrinterStatusConditionEvent(condition));
            if (Stopped && _printing is { State: PrintJobStates.Processing } job)
            {
                _printerTimer?.Dispose();
                _printerTimer = null;
                job.State = PrintJobStates.ProcessingStopped;
                job.Reasons = [PrintJobStateReasons.PrinterStopped];
                RaiseStatus(job);
            }

            UpdateSummary();
            return condition;
        }
    }

    /// <summary>Clears a condition (PrinterStatusConditionClearedEvent); the printer resumes when no critical one is left. False when unknown.</summary>
    public bool ClearCondition(int conditionId)
    {
        lock (_gate)
        {
            var index = _conditions.FindIndex(c => c.Id == conditionId);
            if (index < 0)
            {
                return false;
            }

            _conditions.RemoveAt(index);
            Raise(new PrinterStatusConditionClearedEvent(conditionId, _time.GetUtcNow()));
            if (!Stopped && _printing is { } job)
            {
                if (job.State == PrintJobStates.ProcessingStopped)
                {
                    job.State = PrintJobStates.Processing;
                    job.Reasons = [PrintJobStateReasons.JobPrinting];
                    RaiseStatus(job);
                    _printerTimer = _time.CreateTimer(_ => Finish(job), null, Options.PrintTime, Timeout.InfiniteTimeSpan);
                }
                else if (_printerTimer is null)
                {
                    _printerTimer = _time.CreateTimer(_ => Start(job), null, Options.StartDelay, Timeout.InfiniteTimeSpan);
                }
            }

            UpdateSummary();
            Pump();
            return true;
        }
    }

    /// <summary>Aborts an active job as the device would (e.g. a format it cannot interpret). False when the job is not active.</summary>
    public bool AbortJob(int jobId, string reason = PrintJobStateReasons.JobCompletedWithErrors)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_gate)
        {
            if (!_active.TryGetValue(jobId, out var job))
            {
                return false;
            }

            End(job, PrintJobStates.Aborted, reason);
            return true;
        }
    }

    /// <summary>Changes printer elements and raises PrinterElementsChangeEvent with the new ones.</summary>
    public void UpdateElements(PrinterDescription? description = null, PrinterConfiguration? configuration = null, PrintTicket? defaultPrintTicket = null)
    {
        lock (_gate)
        {
            _description = description ?? _description;
            _configuration = configuration ?? _configuration;
            _defaultTicket = defaultPrintTicket ?? _defaultTicket;
            Raise(new PrinterElementsChangeEvent { Description = description, Configuration = configuration, DefaultPrintTicket = defaultPrintTicket });
        }
    }

    /// <summary>Stops the timers; jobs stay as they are.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _printerTimer?.Dispose();
            _printerTimer = null;
            foreach (var job in _active.Values)
            {
                job.Timeout?.Dispose();
                job.Timeout = null;
            }
        }
    }

    private bool Stopped => _conditions.Exists(c => string.Equals(c.Severity, "Critical", StringComparison.OrdinalIgnoreCase));

    private Job? Find(int jobId) =>
        _active.TryGetValue(jobId, out var job) ? job : _history.FirstOrDefault(j => j.Id == jobId);

    private int NextJobId()
    {
        // Skip ids still held (after a wrap) so that no two held jobs share one.
        while (true)
        {
            var id = _nextJobId;
            _nextJobId = id == int.MaxValue ? 1 : id + 1;
            if (Find(id) is null)
            {
                return id;
            }
        }
    }

    private PrintFault? Accept(int jobId, long length)
    {
        if (!_active.TryGetValue(jobId, out var job))
        {
            return Find(jobId) is null
                ? PrintFault.ClientErrorJobIdNotFound(jobId)
                : PrintFault.OperationFailed($"job {jobId} has ended");
        }

        if (job.Last)
        {
            return PrintFault.OperationFailed($"job {jobId} already received its last document");
        }

        if (job.Documents.Count >= Options.MaxDocumentsPerJob)
        {
            return PrintFault.OperationFailed($"job {jobId} already has {Options.MaxDocumentsPerJob} documents");
        }

        if (job.Bytes + length > Options.MaxJobBytes)
        {
            return PrintFault.InvalidArgs($"job {jobId} would exceed {Options.MaxJobBytes} bytes");
        }

        if (!MakeRoom(length))
        {
            return PrintFault.ServerErrorTemporaryError("the printer's document storage is full");
        }

        return null;
    }

    private bool MakeRoom(long length)
    {
        foreach (var old in _history)
        {
            if (_storedBytes + length <= Options.MaxStoredBytes)
            {
                break;
            }

            for (var i = 0; i < old.Documents.Count; i++)
            {
                if (!old.Documents[i].Evicted && old.Documents[i].Data.Length > 0)
                {
                    _storedBytes -= old.Documents[i].Data.Length;
                    old.Documents[i] = old.Documents[i] with { Data = ReadOnlyMemory<byte>.Empty, Evicted = true };
                }
            }
        }

        return _storedBytes + length <= Options.MaxStoredBytes;
    }

    private void Store(Job job, PrintDocument document)
    {
        job.Documents.Add(document);
        job.Bytes += document.Length;
        _storedBytes += document.Data.Length;
        job.Last = document.LastDocument;
        if (job.Last)
        {
            job.Timeout?.Dispose();
            job.Timeout = null;
            job.Reasons = [PrintJobStateReasons.None];
            RaiseStatus(job);
            _ready.Enqueue(job);
            Pump();
        }
        else
        {
            ArmDocumentTimeout(job);
            RaiseStatus(job);
        }
    }

    private void ArmDocumentTimeout(Job job)
    {
        job.Timeout?.Dispose();
        job.Timeout = Options.DocumentTimeout is { } timeout
            ? _time.CreateTimer(_ => DocumentTimedOut(job), null, timeout, Timeout.InfiniteTimeSpan)
            : null;
    }

    private void DocumentTimedOut(Job job)
    {
        lock (_gate)
        {
            if (!_disposed && _active.ContainsKey(job.Id) && !job.Last && ReferenceEquals(_active[job.Id], job))
            {
                End(job, PrintJobStates.Aborted, PrintJobStateReasons.JobCompletedWithErrors);
            }
        }
    }

    private void Pump()
    {
        if (_disposed || _printing is not null || Stopped)
        {
            return;
        }

        while (_ready.TryDequeue(out var next))
        {
            if (_active.ContainsKey(next.Id) && ReferenceEquals(_active[next.Id], next))
            {
                _printing = next;
                _printerTimer = _time.CreateTimer(_ => Start(next), null, Options.StartDelay, Timeout.InfiniteTimeSpan);
                return;
            }
        }
    }

    private void Start(Job job)
    {
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(_printing, job) || job.State != PrintJobStates.Pending)
            {
                return;
            }

            _printerTimer?.Dispose();
            _printerTimer = null;
            if (Stopped)
            {
                job.Reasons = [PrintJobStateReasons.PrinterStopped];
                RaiseStatus(job);
                return;
            }

            job.State = PrintJobStates.Processing;
            job.Reasons = [PrintJobStateReasons.JobPrinting];
            job.Started = _time.GetUtcNow();
            RaiseStatus(job);
            UpdateSummary();
            _printerTimer = _time.CreateTimer(_ => Finish(job), null, Options.PrintTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void Finish(Job job)
    {
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(_printing, job) || job.State != PrintJobStates.Processing)
            {
                return;
            }

            var copies = Math.Max(1, job.Ticket.JobProcessing?.Copies ?? 1);
            job.Sheets = Math.Max(1, job.Documents.Count) * copies;
            End(job, PrintJobStates.Completed, PrintJobStateReasons.JobCompletedSuccessfully);
        }
    }

    private void End(Job job, string state, string reason)
    {
        job.Timeout?.Dispose();
        job.Timeout = null;
        if (ReferenceEquals(_printing, job))
        {
            _printerTimer?.Dispose();
            _printerTimer = null;
            _printing = null;
        }

        job.State = state;
        job.Reasons = [reason];
        job.Ended = _time.GetUtcNow();
        _active.Remove(job.Id);
        _history.AddLast(job);
        while (_history.Count > Options.HistorySize && _history.First is { } oldest)
        {
            _history.RemoveFirst();
            _storedBytes -= oldest.Value.Documents.Sum(d => (long)d.Data.Length);
        }

        RaiseStatus(job);
        var snapshot = job.Snapshot();
        Raise(new PrintJobEndStateEvent(new PrintJobEndState(job.Id, state)
        {
            JobCompletedStateReasons = snapshot.StateReasons,
            JobName = snapshot.JobName,
            JobOriginatingUserName = snapshot.UserName,
            KOctetsProcessed = snapshot.KOctetsProcessed,
            MediaSheetsCompleted = snapshot.MediaSheetsCompleted,
            NumberOfDocuments = snapshot.Documents.Count,
        }));
        UpdateSummary();
        Pump();
    }

    private PrinterStatus CurrentStatus()
    {
        var summary = Summary();
        return new PrinterStatus
        {
            PrinterCurrentTime = _time.GetUtcNow(),
            PrinterState = summary.PrinterState,
            PrinterPrimaryStateReason = summary.PrimaryStateReason,
            PrinterStateReasons = summary.StateReasons,
            ActiveConditions = [.. _conditions],
        };
    }

    private PrinterStatusSummaryEvent Summary()
    {
        var state = Stopped ? PrinterStates.Stopped
            : _printing is { State: PrintJobStates.Processing } ? PrinterStates.Processing
            : PrinterStates.Idle;
        var reasons = _conditions.Count == 0 ? ["None"] : _conditions.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
        var primary = _conditions.FirstOrDefault(c => string.Equals(c.Severity, "Critical", StringComparison.OrdinalIgnoreCase))?.Name
            ?? (_conditions.Count > 0 ? _conditions[0].Name : "None");
        return new PrinterStatusSummaryEvent(state, primary, reasons);
    }

    private void UpdateSummary()
    {
        var summary = Summary();
        if (_lastSummary is { } last && last.PrinterState == summary.PrinterState && last.PrimaryStateReason == summary.PrimaryStateReason
            && last.StateReasons.SequenceEqual(summary.StateReasons))
        {
            return;
        }

        _lastSummary = summary;
        Raise(summary);
    }

    private void RaiseStatus(Job job) => Raise(new PrintJobStatusEvent(job.Snapshot().ToStatus()));

    private void Raise(PrintEvent printEvent) => EventRaised?.Invoke(this, printEvent with { Time = _time.GetUtcNow() });

    private sealed class Job(int id, long sequence, PrintTicket ticket, DateTimeOffset created)
    {
        public int Id { get; } = id;

        public long Sequence { get; } = sequence;

        public PrintTicket Ticket { get; } = ticket;

        public DateTimeOffset Created { get; } = created;

        public string Name { get; init; } = string.Empty;

        public string User { get; init; } = string.Empty;

        public required string State { get; set; }

        public required IReadOnlyList<string> Reasons { get; set; }

        public DateTimeOffset? Started { get; set; }

        public DateTimeOffset? Ended { get; set; }

        public List<PrintDocument> Documents { get; } = [];

        public bool Last { get; set; }

        public long Bytes { get; set; }

        public int Sheets { get; set; }

        public ITimer? Timeout { get; set; }

        public PrintJobInfo Snapshot() => new(Id, State)
        {
            StateReasons = Reasons,
            Ticket = Ticket,
            JobName = Name,
            UserName = User,
            Created = Created,
            Started = Started,
            Ended = Ended,
            Documents = [.. Documents],
            LastDocumentReceived = Last,
            KOctetsProcessed = (int)Math.Min(int.MaxValue, (Bytes + 1023) / 1024),
            MediaSheetsCompleted = Sheets,
        };
    }
}
