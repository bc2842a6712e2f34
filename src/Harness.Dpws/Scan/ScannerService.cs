using System.Globalization;

namespace Harness.Dpws.Scan;

/// <summary>
/// The WS-Scan scanner service as pure handlers: parsed request records in, response records or <see cref="ScanFault"/>
/// out; no HTTP and no sockets. Holds the configuration and status, validates tickets (MustHonor, WSD-SCN-007),
/// runs jobs whose states move with the injected <see cref="TimeProvider"/> (Pending → Started/Processing →
/// Completed; Terminating → Canceled; Aborted with JobTimedOut when no RetrieveImage follows within
/// <see cref="ScannerServiceOptions.RetrieveTimeout"/>), keeps a bounded job history, an ADF stack of sheets and the
/// device-initiated scan destinations, and raises its events through <see cref="Events"/>. Thread-safe.
/// </summary>
public sealed class ScannerService : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ScannerServiceOptions _options;
    private readonly IScanImageSource _images;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Dictionary<int, Job> _active = [];
    private readonly LinkedList<Job> _history = new();
    private readonly Dictionary<string, ScanDestinationResponse> _destinations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingScan> _pendingScans = new(StringComparer.Ordinal);
    private readonly List<ScanDeviceCondition> _conditions = [];
    private readonly EventHub _events = new();
    private ScannerDescription _description;
    private ScannerConfiguration _configuration;
    private ScanDocumentParameters _defaults;
    private ScanJobDescription? _defaultJobDescription;
    private int _nextJobId;
    private int _nextConditionId = 1;
    private int _adfSheets;
    private int _sheetCounter;
    private bool _acceptingJobs = true;
    private string _publishedState = ScannerStates.Idle;
    private bool _disposed;

    /// <summary>A scanner service.</summary>
    /// <param name="options">Its settings (validated).</param>
    /// <param name="imageSource">Produces the images (the simulator's test-page renderer).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public ScannerService(ScannerServiceOptions options, IScanImageSource imageSource, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(imageSource);
        options.Validate();
        _options = options;
        _images = imageSource;
        _time = timeProvider ?? TimeProvider.System;
        _random = new Random(options.Seed);
        _description = options.Description;
        _configuration = options.Configuration;
        _defaults = ScanTicketValidator.Derive(_configuration, options.DefaultTicket?.DocumentParameters, options.MaxImagesPerJob);
        _defaultJobDescription = options.DefaultTicket?.JobDescription;
        _nextJobId = options.FirstJobId;
        _adfSheets = options.AdfSheets;
    }

    /// <summary>The events (ScannerElementsChange, ScannerStatusSummary, ScannerStatusCondition(Cleared), JobStatus, JobEndState, ScanAvailable), raised after the state changed and outside the service's lock.</summary>
    public IObservable<ScanEvent> Events => _events;

    /// <summary>The current ScannerDescription.</summary>
    public ScannerDescription Description
    {
        get
        {
            lock (_gate)
            {
                return _description;
            }
        }
    }

    /// <summary>The current ScannerConfiguration.</summary>
    public ScannerConfiguration Configuration
    {
        get
        {
            lock (_gate)
            {
                return _configuration;
            }
        }
    }

    /// <summary>The current DefaultScanTicket.</summary>
    public ScanTicket DefaultTicket
    {
        get
        {
            lock (_gate)
            {
                return new ScanTicket { JobDescription = _defaultJobDescription, DocumentParameters = _defaults };
            }
        }
    }

    /// <summary>The current ScannerStatus (ScannerCurrentTime is now).</summary>
    public ScannerStatus Status
    {
        get
        {
            lock (_gate)
            {
                return StatusLocked();
            }
        }
    }

    /// <summary>Sheets left in the ADF.</summary>
    public int AdfSheets
    {
        get
        {
            lock (_gate)
            {
                return _adfSheets;
            }
        }
    }

    /// <summary>False puts the scanner in "service mode": CreateScanJob answers ServerErrorNotAcceptingJobs.</summary>
    public bool AcceptingJobs
    {
        get
        {
            lock (_gate)
            {
                return _acceptingJobs;
            }
        }

        set
        {
            lock (_gate)
            {
                _acceptingJobs = value;
            }
        }
    }

    /// <summary>GetScannerElements: one ElementData per requested name; an unknown name gets <c>Valid="false"</c> (WSD-SCN-002).</summary>
    public GetScannerElementsResponse GetScannerElements(GetScannerElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var list = new List<ScannerElementData>(request.RequestedElements.Count);
            foreach (var name in request.RequestedElements)
            {
                list.Add(name switch
                {
                    _ when name.IsScan(ScanElementNames.ScannerDescription) => new ScannerElementData(name, true) { Description = _description },
                    _ when name.IsScan(ScanElementNames.ScannerConfiguration) => new ScannerElementData(name, true) { Configuration = _configuration },
                    _ when name.IsScan(ScanElementNames.ScannerStatus) => new ScannerElementData(name, true) { Status = StatusLocked() },
                    _ when name.IsScan(ScanElementNames.DefaultScanTicket) => new ScannerElementData(name, true)
                    {
                        DefaultScanTicket = new ScanTicket { JobDescription = _defaultJobDescription, DocumentParameters = _defaults },
                    },
                    _ => new ScannerElementData(name, false),
                });
            }

            return new GetScannerElementsResponse(list);
        }
    }

    /// <summary>
    /// ValidateScanTicket: ValidTicket true when every value is supported as sent; otherwise false with the corrected
    /// ValidScanTicket (WSD-SCN-005). Conflicting MustHonor values answer ClientErrorConflictingRequiredParameters.
    /// </summary>
    public ScanResult<ValidateScanTicketResponse> ValidateScanTicket(ValidateScanTicketRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ScanTicketValidator.Outcome outcome;
        lock (_gate)
        {
            outcome = ScanTicketValidator.Validate(_configuration, _defaults, request.Ticket.DocumentParameters, _options.MaxImagesPerJob);
        }

        if (outcome.Conflict)
        {
            return ScanFault.ClientErrorConflictingRequiredParameters();
        }

        var info = ScanGeometry.Information(outcome.Final);
        if (!outcome.Changed && outcome.UnsupportedRequired.Count == 0)
        {
            return new ValidateScanTicketResponse(true, info);
        }

        var corrected = new ScanTicket { JobDescription = request.Ticket.JobDescription, DocumentParameters = ScanTicketValidator.Strip(outcome.Final) };
        return new ValidateScanTicketResponse(false, info, corrected);
    }

    /// <summary>
    /// CreateScanJob: validates the ticket (faults: ClientErrorFormatNotSupported, ClientErrorConflictingRequiredParameters,
    /// InvalidArgs or ClientErrorInvalidScanTicket for an unsupported MustHonor value), the device-initiated tokens
    /// (ClientErrorInvalidScanIdentifier / ClientErrorInvalidDestinationToken), the scanner's readiness
    /// (ServerErrorNotAcceptingJobs) and the ADF (ClientErrorNoImagesAvailable); then creates a Pending job.
    /// </summary>
    public ScanResult<CreateScanJobResponse> CreateScanJob(CreateScanJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var events = new List<ScanEvent>();
        ScanResult<CreateScanJobResponse> result;
        lock (_gate)
        {
            ThrowIfDisposed();
            result = CreateLocked(request, events);
            UpdateStatusLocked(events);
        }

        _events.Publish(events);
        return result;
    }

    /// <summary>
    /// RetrieveImage: checks JobId and JobToken (ClientErrorJobIdNotFound, ClientErrorInvalidJobToken), the job's state
    /// (ClientErrorJobCancelled; ClientErrorNoImagesAvailable once every image is delivered), waits for the job's start
    /// time, renders the next image (or, for a multi-page format, all of them) and moves the job on.
    /// </summary>
    public async ValueTask<ScanResult<RetrieveImageResponse>> RetrieveImageAsync(RetrieveImageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Job job;
        TimeSpan wait;
        lock (_gate)
        {
            ThrowIfDisposed();
            var found = FindLocked(request.JobId);
            if (found is null)
            {
                return ScanFault.ClientErrorJobIdNotFound(request.JobId);
            }

            if (!string.Equals(found.Token, request.JobToken, StringComparison.Ordinal))
            {
                return ScanFault.ClientErrorInvalidJobToken();
            }

            job = found;
            wait = job.StartAt - _time.GetUtcNow();
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        var events = new List<ScanEvent>();
        ScanImageRequest render;
        ScanFault? early = null;
        lock (_gate)
        {
            if (job.State == ScanJobStates.Canceled)
            {
                return ScanFault.ClientErrorJobCancelled();
            }

            if (ScanJobStates.IsTerminal(job.State))
            {
                return ScanFault.ClientErrorNoImagesAvailable();
            }

            if (job.InFlight)
            {
                return ScanFault.OperationFailed();
            }

            if (!HasMoreImagesLocked(job))
            {
                FinishLocked(job, ScanJobStates.Completed, CompletedReason(job), events);
                UpdateStatusLocked(events);
                early = ScanFault.ClientErrorNoImagesAvailable();
                render = null!;
            }
            else
            {
                render = BeginRenderLocked(job, events);
            }
        }

        _events.Publish(events);
        events.Clear();
        if (early is not null)
        {
            return early;
        }


        ScanImageResult image;
        if (render.Pages.Any(ScanGeometry.IsAbsurd))
        {
            image = ScanImageResult.Failure($"The image would exceed {ScanGeometry.MaxPixels} pixels.");
        }
        else
        {
            try
            {
                image = await _images.RenderAsync(render, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    job.InFlight = false;
                    if (!ScanJobStates.IsTerminal(job.State))
                    {
                        FinishLocked(job, ScanJobStates.Aborted, [ScanJobStateReasons.ImageTransferError], events);
                        UpdateStatusLocked(events);
                    }
                }

                _events.Publish(events);
                throw;
            }
        }

        ScanResult<RetrieveImageResponse> result;
        lock (_gate)
        {
            job.InFlight = false;
            if (job.State == ScanJobStates.Canceled)
            {
                result = ScanFault.ClientErrorJobCancelled();
            }
            else if (ScanJobStates.IsTerminal(job.State))
            {
                result = ScanFault.ClientErrorNoImagesAvailable();
            }
            else if (!image.Success)
            {
                FinishLocked(job, ScanJobStates.Aborted, [ScanJobStateReasons.ImageTransferError], events);
                result = ScanFault.ServerErrorInternalError(image.Error);
            }
            else
            {
                job.ScansCompleted += render.Pages.Count;
                var name = DocumentName(job, render.Pages[0].Number);
                job.DocumentNames.Add(name);
                result = new RetrieveImageResponse(image.Content, image.ContentType)
                {
                    JobId = job.Id,
                    ImageNumbers = [.. render.Pages.Select(p => p.Number)],
                    DocumentName = name,
                };
                if (HasMoreImagesLocked(job))
                {
                    events.Add(new JobStatusEvent(StatusOf(job)) { Time = _time.GetUtcNow() });
                    ArmTimeoutLocked(job);
                }
                else
                {
                    FinishLocked(job, ScanJobStates.Completed, CompletedReason(job), events);
                }
            }

            UpdateStatusLocked(events);
        }

        _events.Publish(events);
        return result;
    }

    /// <summary>CancelJob: a Pending or Processing job goes Terminating → Canceled; a finished or unknown job answers ClientErrorJobIdNotFound (WSD-SCN-012).</summary>
    public ScanResult<CancelJobResponse> CancelJob(CancelJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var events = new List<ScanEvent>();
        lock (_gate)
        {
            if (!_active.TryGetValue(request.JobId, out var job))
            {
                return ScanFault.ClientErrorJobIdNotFound(request.JobId);
            }

            CancelLocked(job, ScanJobStateReasons.None, events);
            UpdateStatusLocked(events);
        }

        _events.Publish(events);
        return new CancelJobResponse(request.JobId);
    }

    /// <summary>GetActiveJobs: a JobSummary of each non-terminal job, by JobId.</summary>
    public GetActiveJobsResponse GetActiveJobs()
    {
        lock (_gate)
        {
            return new GetActiveJobsResponse([.. _active.Values.OrderBy(j => j.Id).Select(SummaryOf)]);
        }
    }

    /// <summary>GetJobHistory: a JobSummary of each kept terminal job, newest first.</summary>
    public GetJobHistoryResponse GetJobHistory()
    {
        lock (_gate)
        {
            return new GetJobHistoryResponse([.. _history.Select(SummaryOf)]);
        }
    }

    /// <summary>GetJobElements: JobStatus, ScanTicket and Documents of an active or kept job; unknown names are Valid="false"; unknown job ClientErrorJobIdNotFound.</summary>
    public ScanResult<GetJobElementsResponse> GetJobElements(GetJobElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var job = FindLocked(request.JobId);
            if (job is null)
            {
                return ScanFault.ClientErrorJobIdNotFound(request.JobId);
            }

            var list = new List<ScanJobElementData>(request.RequestedElements.Count);
            foreach (var name in request.RequestedElements)
            {
                list.Add(name switch
                {
                    _ when name.IsScan(ScanElementNames.JobStatus) => new ScanJobElementData(name, true) { JobStatus = StatusOf(job) },
                    _ when name.IsScan(ScanElementNames.ScanTicket) => new ScanJobElementData(name, true) { ScanTicket = job.Ticket },
                    _ when name.IsScan(ScanElementNames.Documents) => new ScanJobElementData(name, true) { Documents = new ScanDocuments(job.Final, [.. job.DocumentNames]) },
                    _ => new ScanJobElementData(name, false),
                });
            }

            return new GetJobElementsResponse(list);
        }
    }

    /// <summary>Puts <paramref name="sheets"/> sheets in the ADF (replacing what is there).</summary>
    public void LoadAdf(int sheets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sheets);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sheets, 100_000);
        lock (_gate)
        {
            _adfSheets = sheets;
        }
    }

    /// <summary>Raises a device condition (ScannerStatusConditionEvent); a Critical one stops the scanner (ScannerState Stopped, ScannerStatusSummaryEvent).</summary>
    /// <param name="name">The condition, e.g. MediaJam, CoverOpen, LampWarming.</param>
    /// <param name="component">The component, e.g. ADF, Platen, MediaPath.</param>
    /// <param name="severity">Informational, Warning or Critical.</param>
    public ScanDeviceCondition AddCondition(string name, string component, string severity = "Critical")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentException.ThrowIfNullOrEmpty(severity);
        var events = new List<ScanEvent>();
        ScanDeviceCondition condition;
        lock (_gate)
        {
            condition = new ScanDeviceCondition(_nextConditionId++, _time.GetUtcNow(), name, component, severity);
            _conditions.Add(condition);
            events.Add(new ScannerStatusConditionEvent(condition) { Time = condition.Time });
            UpdateStatusLocked(events);
        }

        _events.Publish(events);
        return condition;
    }

    /// <summary>Clears a condition (ScannerStatusConditionClearedEvent); false when there is no such condition.</summary>
    public bool ClearCondition(int conditionId)
    {
        var events = new List<ScanEvent>();
        lock (_gate)
        {
            var index = _conditions.FindIndex(c => c.Id == conditionId);
            if (index < 0)
            {
                return false;
            }

            _conditions.RemoveAt(index);
            events.Add(new ScannerStatusConditionClearedEvent(conditionId, _time.GetUtcNow()) { Time = _time.GetUtcNow() });
            UpdateStatusLocked(events);
        }

        _events.Publish(events);
        return true;
    }

    /// <summary>Cancels a job at the front panel (reason JobCanceledAtDevice); false when the job is not active.</summary>
    public bool CancelJobAtDevice(int jobId)
    {
        var events = new List<ScanEvent>();
        lock (_gate)
        {
            if (!_active.TryGetValue(jobId, out var job))
            {
                return false;
            }

            CancelLocked(job, ScanJobStateReasons.JobCanceledAtDevice, events);
            UpdateStatusLocked(events);
        }

        _events.Publish(events);
        return true;
    }

    /// <summary>Changes description, configuration and/or default ticket and raises ScannerElementsChangeEvent with the changed elements.</summary>
    public void UpdateElements(ScannerDescription? description = null, ScannerConfiguration? configuration = null, ScanTicket? defaultTicket = null)
    {
        if (description is null && configuration is null && defaultTicket is null)
        {
            return;
        }

        if (configuration is not null)
        {
            (_options with { Configuration = configuration }).Validate();
        }

        var events = new List<ScanEvent>();
        lock (_gate)
        {
            _description = description ?? _description;
            _configuration = configuration ?? _configuration;
            if (configuration is not null || defaultTicket is not null)
            {
                _defaults = ScanTicketValidator.Derive(_configuration, (defaultTicket?.DocumentParameters) ?? _defaults, _options.MaxImagesPerJob);
                _defaultJobDescription = defaultTicket?.JobDescription ?? _defaultJobDescription;
            }

            events.Add(new ScannerElementsChangeEvent
            {
                Time = _time.GetUtcNow(),
                Description = description is null ? null : _description,
                Configuration = configuration is null ? null : _configuration,
                DefaultScanTicket = configuration is null && defaultTicket is null ? null : new ScanTicket { JobDescription = _defaultJobDescription, DocumentParameters = _defaults },
            });
        }

        _events.Publish(events);
    }

    /// <summary>
    /// Registers the scan destinations of a Subscribe (<c>wscn:ScanDestinations</c>) and returns one DestinationResponse
    /// per destination for the SubscribeResponse (WSD-SCN-016).
    /// </summary>
    public IReadOnlyList<ScanDestinationResponse> RegisterDestinations(IEnumerable<ScanDestination> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        lock (_gate)
        {
            var list = new List<ScanDestinationResponse>();
            foreach (var destination in destinations)
            {
                ArgumentNullException.ThrowIfNull(destination);
                var response = new ScanDestinationResponse(destination.ClientContext, "Dest" + NewHex(12));
                _destinations[response.DestinationToken] = response;
                list.Add(response);
            }

            return list;
        }
    }

    /// <summary>Registers destinations given only their ClientContext values.</summary>
    public IReadOnlyList<ScanDestinationResponse> RegisterDestinations(params IEnumerable<string> clientContexts)
    {
        ArgumentNullException.ThrowIfNull(clientContexts);
        return RegisterDestinations(clientContexts.Select(c => new ScanDestination(c, c)));
    }

    /// <summary>Forgets destinations (the subscription ended or was unsubscribed); their pending scan identifiers die with them.</summary>
    public void UnregisterDestinations(IEnumerable<string> destinationTokens)
    {
        ArgumentNullException.ThrowIfNull(destinationTokens);
        lock (_gate)
        {
            foreach (var token in destinationTokens)
            {
                _destinations.Remove(token);
                foreach (var stale in _pendingScans.Where(p => p.Value.DestinationToken == token).Select(p => p.Key).ToList())
                {
                    _pendingScans.Remove(stale);
                }
            }
        }
    }

    /// <summary>
    /// The user picks the destination with <paramref name="clientContext"/> at the panel and presses Scan: a
    /// ScanAvailableEvent with a fresh ScanIdentifier for that subscriber (raised on <see cref="Events"/> and returned).
    /// Throws <see cref="InvalidOperationException"/> when no destination has that context.
    /// </summary>
    public ScanAvailableEvent PressScanButton(string clientContext, string? inputSource = null)
    {
        ArgumentNullException.ThrowIfNull(clientContext);
        ScanAvailableEvent available;
        lock (_gate)
        {
            var destination = _destinations.Values.LastOrDefault(d => d.ClientContext == clientContext)
                ?? throw new InvalidOperationException($"No scan destination is registered with ClientContext '{clientContext}'.");
            var identifier = "urn:uuid:" + NewGuid().ToString("D");
            var now = _time.GetUtcNow();
            foreach (var expired in _pendingScans.Where(p => p.Value.Expires <= now).Select(p => p.Key).ToList())
            {
                _pendingScans.Remove(expired);
            }

            _pendingScans[identifier] = new PendingScan(destination.DestinationToken, now + _options.ScanIdentifierLifetime);
            available = new ScanAvailableEvent(clientContext, identifier) { Time = now, DestinationToken = destination.DestinationToken, InputSource = inputSource };
        }

        _events.Publish([available]);
        return available;
    }

    /// <summary>Stops the timers; active jobs stay as they are.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var job in _active.Values)
            {
                job.Timeout?.Dispose();
                job.Timeout = null;
            }
        }

        _events.Complete();
    }

    private ScanResult<CreateScanJobResponse> CreateLocked(CreateScanJobRequest request, List<ScanEvent> events)
    {
        if (request.ScanIdentifier is not null || request.DestinationToken is not null)
        {
            if (request.DestinationToken is null || !_destinations.ContainsKey(request.DestinationToken))
            {
                return ScanFault.ClientErrorInvalidDestinationToken();
            }

            var now = _time.GetUtcNow();
            if (request.ScanIdentifier is null || !_pendingScans.TryGetValue(request.ScanIdentifier, out var pending) || pending.Expires <= now)
            {
                return ScanFault.ClientErrorInvalidScanIdentifier();
            }

            if (pending.DestinationToken != request.DestinationToken)
            {
                return ScanFault.ClientErrorInvalidDestinationToken();
            }
        }

        var outcome = ScanTicketValidator.Validate(_configuration, _defaults, request.Ticket.DocumentParameters, _options.MaxImagesPerJob);
        if (outcome.FormatUnsupported)
        {
            return ScanFault.ClientErrorFormatNotSupported(_configuration.DeviceSettings.FormatsSupported);
        }

        if (outcome.Conflict)
        {
            return ScanFault.ClientErrorConflictingRequiredParameters();
        }

        if (outcome.UnsupportedRequired.Count > 0)
        {
            var what = "unsupported MustHonor value(s): " + string.Join(", ", outcome.UnsupportedRequired);
            return _options.UseInvalidScanTicketFault ? ScanFault.ClientErrorInvalidScanTicket(what) : ScanFault.InvalidArgs(what);
        }

        if (!_acceptingJobs || _active.Count >= _options.MaxActiveJobs || StatusLocked().State == ScannerStates.Stopped)
        {
            return ScanFault.ServerErrorNotAcceptingJobs();
        }

        var source = outcome.Final.InputSource!.Value;
        if (source != ScanValues.Platen && _adfSheets == 0)
        {
            return ScanFault.ClientErrorNoImagesAvailable();
        }

        var geometry = ScanGeometry.Information(outcome.Final);
        if (ScanGeometry.IsAbsurd(ScanGeometry.Page(outcome.Final, 1, ScanSide.Front, 1)))
        {
            return ScanFault.ServerErrorInternalError($"The image would exceed {ScanGeometry.MaxPixels} pixels.");
        }

        if (request.ScanIdentifier is not null)
        {
            _pendingScans.Remove(request.ScanIdentifier);
        }

        var now2 = _time.GetUtcNow();
        var description = request.Ticket.JobDescription ?? _defaultJobDescription ?? new ScanJobDescription("Scan", string.Empty);
        var job = new Job
        {
            Id = _nextJobId++,
            Token = "Job" + NewHex(16),
            Ticket = request.Ticket with { JobDescription = description },
            Final = outcome.Final,
            Warnings = outcome.Changed,
            Format = outcome.Final.Format!.Value,
            Source = source,
            ImagesToTransfer = outcome.Final.ImagesToTransfer?.Value ?? 1,
            Created = now2,
            StartAt = now2 + _options.JobStartDelay,
            State = ScanJobStates.Creating,
            Reasons = [ScanJobStateReasons.None],
        };
        _active.Add(job.Id, job);
        SetStateLocked(job, ScanJobStates.Pending, [ScanJobStateReasons.None], events);
        ArmTimeoutLocked(job);
        return new CreateScanJobResponse(job.Id, job.Token, geometry, outcome.Final);
    }

    private ScanImageRequest BeginRenderLocked(Job job, List<ScanEvent> events)
    {
        job.Timeout?.Dispose();
        job.Timeout = null;
        if (job.State == ScanJobStates.Pending)
        {
            SetStateLocked(job, ScanJobStates.Started, [ScanJobStateReasons.JobScanning], events);
        }

        SetStateLocked(job, ScanJobStates.Processing, [ScanJobStateReasons.JobScanningAndTransferring], events);
        var pages = TakePagesLocked(job);
        job.InFlight = true;
        UpdateStatusLocked(events);
        return new ScanImageRequest(job.Id, _description.Name, job.Format, job.Final, pages)
        {
            Quality = job.Final.CompressionQualityFactor?.Value ?? 85,
        };
    }

    private void CancelLocked(Job job, string reason, List<ScanEvent> events)
    {
        SetStateLocked(job, ScanJobStates.Terminating, [reason], events);
        FinishLocked(job, ScanJobStates.Canceled, [reason], events);
    }

    private bool HasMoreImagesLocked(Job job)
    {
        var n = job.ImagesToTransfer;
        if (ScanValues.IsMultiPageFormat(job.Format))
        {
            return job.ImagesTaken == 0 && (job.Source == ScanValues.Platen || _adfSheets > 0);
        }

        return job.Source switch
        {
            ScanValues.Platen => job.ImagesTaken < (n == 0 ? 1 : n),
            ScanValues.AdfDuplex => (n == 0 || job.ImagesTaken < n) && (job.BackPending || _adfSheets > 0),
            _ => (n == 0 || job.ImagesTaken < n) && _adfSheets > 0,
        };
    }

    private List<ScanPage> TakePagesLocked(Job job)
    {
        var pages = new List<ScanPage>();
        var multi = ScanValues.IsMultiPageFormat(job.Format);
        do
        {
            var number = job.ImagesTaken + 1;
            ScanPage page;
            switch (job.Source)
            {
                case ScanValues.Platen:
                    page = ScanGeometry.Page(job.Final, number, ScanSide.Front, number);
                    break;
                case ScanValues.AdfDuplex when job.BackPending:
                    job.BackPending = false;
                    page = ScanGeometry.Page(job.Final, number, ScanSide.Back, job.CurrentSheet);
                    break;
                default:
                    _adfSheets--;
                    job.CurrentSheet = ++_sheetCounter;
                    job.BackPending = job.Source == ScanValues.AdfDuplex;
                    page = ScanGeometry.Page(job.Final, number, ScanSide.Front, job.CurrentSheet);
                    break;
            }

            job.ImagesTaken++;
            pages.Add(page);
        }
        while (multi && pages.Count < _options.MaxPagesPerFile && MoreForMultiPage(job));

        return pages;
    }

    // Within one multi-page file: platen 1 (or N) images; ADF until empty (or N); ADFDuplex counts sides.
    private bool MoreForMultiPage(Job job)
    {
        var n = job.ImagesToTransfer;
        return job.Source switch
        {
            ScanValues.Platen => job.ImagesTaken < (n == 0 ? 1 : n),
            ScanValues.AdfDuplex => (n == 0 || job.ImagesTaken < n) && (job.BackPending || _adfSheets > 0),
            _ => (n == 0 || job.ImagesTaken < n) && _adfSheets > 0,
        };
    }

    private IReadOnlyList<string> CompletedReason(Job job) =>
        [job.Warnings ? ScanJobStateReasons.JobCompletedWithWarnings : ScanJobStateReasons.None];

    private void SetStateLocked(Job job, string state, IReadOnlyList<string> reasons, List<ScanEvent> events)
    {
        job.State = state;
        job.Reasons = reasons;
        events.Add(new JobStatusEvent(StatusOf(job)) { Time = _time.GetUtcNow() });
    }

    private void FinishLocked(Job job, string state, IReadOnlyList<string> reasons, List<ScanEvent> events)
    {
        job.Timeout?.Dispose();
        job.Timeout = null;
        job.Completed = _time.GetUtcNow();
        SetStateLocked(job, state, reasons, events);
        events.Add(new JobEndStateEvent(SummaryOf(job)) { Time = job.Completed.Value });
        _active.Remove(job.Id);
        if (_options.HistoryCapacity > 0)
        {
            _history.AddFirst(job);
            while (_history.Count > _options.HistoryCapacity)
            {
                _history.RemoveLast();
            }
        }
    }

    private void ArmTimeoutLocked(Job job)
    {
        job.Timeout?.Dispose();
        var due = _options.RetrieveTimeout + (job.State == ScanJobStates.Pending ? job.StartAt - _time.GetUtcNow() : TimeSpan.Zero);
        if (due < _options.RetrieveTimeout)
        {
            due = _options.RetrieveTimeout;
        }

        job.Timeout = _time.CreateTimer(_ => OnTimeout(job), null, due, Timeout.InfiniteTimeSpan);
    }

    private void OnTimeout(Job job)
    {
        var events = new List<ScanEvent>();
        lock (_gate)
        {
            if (_disposed || job.InFlight || ScanJobStates.IsTerminal(job.State) || !_active.ContainsKey(job.Id))
            {
                return;
            }

            SetStateLocked(job, ScanJobStates.Terminating, [ScanJobStateReasons.JobTimedOut], events);
            FinishLocked(job, ScanJobStates.Aborted, [ScanJobStateReasons.JobTimedOut], events);
            UpdateStatusLocked(events);
        }

        _events.Publish(events);
    }

    private Job? FindLocked(int jobId) =>
        _active.TryGetValue(jobId, out var job) ? job : _history.FirstOrDefault(j => j.Id == jobId);

    private ScannerStatus StatusLocked()
    {
        var critical = _conditions.Where(c => string.Equals(c.Severity, "Critical", StringComparison.OrdinalIgnoreCase)).ToList();
        var state = critical.Count > 0
            ? ScannerStates.Stopped
            : _active.Values.Any(j => j.State is ScanJobStates.Processing or ScanJobStates.Started) ? ScannerStates.Processing : ScannerStates.Idle;
        return new ScannerStatus
        {
            CurrentTime = _time.GetUtcNow(),
            State = state,
            StateReasons = [.. _conditions.Select(c => c.Name).Distinct(StringComparer.Ordinal)],
            ActiveConditions = [.. _conditions],
        };
    }

    private void UpdateStatusLocked(List<ScanEvent> events)
    {
        var status = StatusLocked();
        if (status.State != _publishedState)
        {
            _publishedState = status.State;
            events.Add(new ScannerStatusSummaryEvent(status.State, status.StateReasons) { Time = _time.GetUtcNow() });
        }
    }

    private static ScanJobStatus StatusOf(Job job) =>
        new(job.Id, job.State, job.Reasons, job.ScansCompleted) { JobCreatedTime = job.Created, JobCompletedTime = job.Completed };

    private static ScanJobSummary SummaryOf(Job job) =>
        new(job.Id, job.Ticket.JobDescription?.JobName ?? string.Empty, job.Ticket.JobDescription?.JobOriginatingUserName ?? string.Empty, job.State, job.Reasons, job.ScansCompleted)
        {
            JobCreatedTime = job.Created,
            JobCompletedTime = job.Completed,
        };

    private static string DocumentName(Job job, int number)
    {
        var extension = job.Format switch
        {
            ScanValues.Jfif or ScanValues.Exif => "JPG",
            ScanValues.Png => "PNG",
            ScanValues.PdfA => "PDF",
            _ => "DAT",
        };
        return string.Create(CultureInfo.InvariantCulture, $"IMAGE{number:000}.{extension}");
    }

    private string NewHex(int bytes)
    {
        var buffer = new byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToHexString(buffer);
    }

    private Guid NewGuid()
    {
        var buffer = new byte[16];
        _random.NextBytes(buffer);
        buffer[7] = (byte)((buffer[7] & 0x0F) | 0x40);
        buffer[8] = (byte)((buffer[8] & 0x3F) | 0x80);
        return new Guid(buffer);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed record PendingScan(string DestinationToken, DateTimeOffset Expires);

    private sealed class Job
    {
        public int Id { get; init; }

        public required string Token { get; init; }

        public required ScanTicket Ticket { get; init; }

        public required ScanDocumentParameters Final { get; init; }

        public bool Warnings { get; init; }

        public required string Format { get; init; }

        public required string Source { get; init; }

        public int ImagesToTransfer { get; init; }

        public DateTimeOffset Created { get; init; }

        public DateTimeOffset StartAt { get; init; }

        public DateTimeOffset? Completed { get; set; }

        public required string State { get; set; }

        public required IReadOnlyList<string> Reasons { get; set; }

        public int ScansCompleted { get; set; }

        public int ImagesTaken { get; set; }

        public bool BackPending { get; set; }

        public int CurrentSheet { get; set; }

        public bool InFlight { get; set; }

        public ITimer? Timeout { get; set; }

        public List<string> DocumentNames { get; } = [];
    }

    private sealed class EventHub : IObservable<ScanEvent>
    {
        private readonly Lock _gate = new();
        private IObserver<ScanEvent>[] _observers = [];
        private bool _completed;

        public IDisposable Subscribe(IObserver<ScanEvent> observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            lock (_gate)
            {
                if (_completed)
                {
                    observer.OnCompleted();
                    return new Subscription(this, observer);
                }

                _observers = [.. _observers, observer];
            }

            return new Subscription(this, observer);
        }

        public void Publish(IReadOnlyList<ScanEvent> events)
        {
            if (events.Count == 0)
            {
                return;
            }

            IObserver<ScanEvent>[] observers;
            lock (_gate)
            {
                observers = _observers;
            }

            foreach (var scanEvent in events)
            {
                foreach (var observer in observers)
                {
                    observer.OnNext(scanEvent);
                }
            }
        }

        public void Complete()
        {
            IObserver<ScanEvent>[] observers;
            lock (_gate)
            {
                _completed = true;
                observers = _observers;
                _observers = [];
            }

            foreach (var observer in observers)
            {
                observer.OnCompleted();
            }
        }

        private void Remove(IObserver<ScanEvent> observer)
        {
            lock (_gate)
            {
                _observers = [.. _observers.Where(o => !ReferenceEquals(o, observer))];
            }
        }

        private sealed class Subscription(EventHub hub, IObserver<ScanEvent> observer) : IDisposable
        {
            public void Dispose() => hub.Remove(observer);
        }
    }
}
