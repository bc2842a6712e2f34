using System.Xml.Linq;

namespace Harness.Dpws.Print;

/// <summary>Settings of a <see cref="PrinterService"/>: what the printer says it is, how its jobs move with time, and its bounds.</summary>
public sealed record PrinterServiceOptions
{
    /// <summary>The default limit of one document and of one job: 64 MiB.</summary>
    public const int DefaultMaxDocumentBytes = 64 * 1024 * 1024;

    /// <summary>PrinterDescription.</summary>
    public PrinterDescription Description { get; init; } = new()
    {
        ColorSupported = true,
        DeviceId = "MFG:Harness;MDL:Virtual Printer;CMD:PDF,PWGRaster;CLS:PRINTER;",
        MultipleDocumentJobsSupported = true,
        PagesPerMinute = 20,
        PagesPerMinuteColor = 10,
        PrinterName = [new PrintLocalizedString("Harness Virtual Printer", "en-US")],
        PrinterInfo = [new PrintLocalizedString("A simulated WS-Print printer", "en-US")],
        PrinterLocation = [new PrintLocalizedString("Loopback", "en-US")],
    };

    /// <summary>PrinterConfiguration.</summary>
    public PrinterConfiguration Configuration { get; init; } = new()
    {
        PrinterEventRate = 10,
        Consumables = [new PrintConsumable("Black") { Type = "Toner", Color = "Black", Level = 80 }],
        InputBins = [new PrintInputBin("Tray1") { MediaSizeName = "iso_a4_210x297mm", MediaType = "Stationery", Capacity = 250, Level = 100 }],
    };

    /// <summary>DefaultPrintTicket.</summary>
    public PrintTicket DefaultPrintTicket { get; init; } = new()
    {
        JobDescription = new PrintJobDescription("Document", string.Empty),
        JobProcessing = new PrintJobProcessing { Copies = 1, Priority = 50 },
        DocumentProcessing = new PrintDocumentProcessing { MediaSizeName = "iso_a4_210x297mm", MediaType = "Stationery", Orientation = "Portrait", PrintQuality = "Normal", Sides = "OneSided" },
    };

    /// <summary>The PrinterCapabilities element served as is, or null to answer that name with <c>Valid="false"</c>.</summary>
    public XElement? Capabilities { get; init; }

    /// <summary>Time from a job's last document (or the end of the previous job) to Processing.</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Time a job stays Processing before it is Completed.</summary>
    public TimeSpan PrintTime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A Pending job whose last document has not arrived this long after its creation or its latest document is Aborted; null waits forever.</summary>
    public TimeSpan? DocumentTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest document accepted (default 64 MiB); the printer's HTTP endpoint is bounded to it plus the envelope.</summary>
    public int MaxDocumentBytes { get; init; } = DefaultMaxDocumentBytes;

    /// <summary>Largest total of the documents of one job (default 64 MiB).</summary>
    public long MaxJobBytes { get; init; } = DefaultMaxDocumentBytes;

    /// <summary>Most document bytes held at once (default 256 MiB); the documents of the oldest ended jobs are dropped first.</summary>
    public long MaxStoredBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most documents in one job.</summary>
    public int MaxDocumentsPerJob { get; init; } = 16;

    /// <summary>Most jobs not yet ended; more are refused with ServerErrorNotAcceptingJobs.</summary>
    public int MaxActiveJobs { get; init; } = 16;

    /// <summary>Ended jobs kept for GetJobHistory (and their documents, for tests).</summary>
    public int HistorySize { get; init; } = 32;

    /// <summary>The first JobId handed out (1 to 2147483647); later ones count up and wrap to 1.</summary>
    public int FirstJobId { get; init; } = 1;

    /// <summary>Support AddDocument (documents by URL; the URL is recorded, never fetched).</summary>
    public bool SupportsAddDocument { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> for unusable settings.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Description);
        ArgumentNullException.ThrowIfNull(Configuration);
        ArgumentNullException.ThrowIfNull(DefaultPrintTicket);
        ArgumentOutOfRangeException.ThrowIfLessThan(StartDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(PrintTime, TimeSpan.Zero);
        if (DocumentTimeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDocumentBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxJobBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStoredBytes, MaxJobBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDocumentsPerJob, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxActiveJobs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(HistorySize);
        ArgumentOutOfRangeException.ThrowIfLessThan(FirstJobId, 1);
    }
}

/// <summary>A document a <see cref="PrinterService"/> received, kept for a test to inspect.</summary>
/// <param name="JobId">The job it belongs to.</param>
/// <param name="DocumentId">Its DocumentId as the client sent it.</param>
/// <param name="Received">When it arrived (service clock).</param>
public sealed record PrintDocument(int JobId, int DocumentId, DateTimeOffset Received)
{
    /// <summary>DocumentName, or null.</summary>
    public string? Name { get; init; }

    /// <summary>Format as the client declared it (e.g. <c>application/pdf</c>), or null.</summary>
    public string? Format { get; init; }

    /// <summary>Compression as the client declared it, or null.</summary>
    public string? Compression { get; init; }

    /// <summary>The Content-Type of the MTOM part that carried it, or null.</summary>
    public string? ContentType { get; init; }

    /// <summary>The bytes (empty for AddDocument, and once dropped for space: see <see cref="Evicted"/>).</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The number of bytes received.</summary>
    public long Length { get; init; }

    /// <summary>The URL of an AddDocument (recorded, never fetched), or null.</summary>
    public string? Url { get; init; }

    /// <summary>LastDocument as sent.</summary>
    public bool LastDocument { get; init; }

    /// <summary>True when the bytes were dropped to stay within <see cref="PrinterServiceOptions.MaxStoredBytes"/>.</summary>
    public bool Evicted { get; init; }
}

/// <summary>A snapshot of one job of a <see cref="PrinterService"/>.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="State">JobState (<see cref="PrintJobStates"/>).</param>
public sealed record PrintJobInfo(int JobId, string State)
{
    /// <summary>JobStateReasons.</summary>
    public IReadOnlyList<string> StateReasons { get; init; } = [];

    /// <summary>The PrintTicket the job was created with.</summary>
    public PrintTicket Ticket { get; init; } = new();

    /// <summary>JobName.</summary>
    public string JobName { get; init; } = string.Empty;

    /// <summary>JobOriginatingUserName.</summary>
    public string UserName { get; init; } = string.Empty;

    /// <summary>When CreatePrintJob made it.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it started Processing, or null.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>When it ended (Completed, Canceled or Aborted), or null.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>The documents received, in order.</summary>
    public IReadOnlyList<PrintDocument> Documents { get; init; } = [];

    /// <summary>True once a document with LastDocument arrived.</summary>
    public bool LastDocumentReceived { get; init; }

    /// <summary>KOctetsProcessed.</summary>
    public int KOctetsProcessed { get; init; }

    /// <summary>MediaSheetsCompleted.</summary>
    public int MediaSheetsCompleted { get; init; }

    /// <summary>True for Completed, Canceled and Aborted.</summary>
    public bool IsEnded => PrintJobStates.IsTerminal(State);

    /// <summary>The JobStatus of this snapshot.</summary>
    public PrintJobStatus ToStatus() => new(JobId, State)
    {
        JobStateReasons = StateReasons,
        KOctetsProcessed = KOctetsProcessed,
        MediaSheetsCompleted = MediaSheetsCompleted,
        NumberOfDocuments = Documents.Count,
    };

    /// <summary>The JobSummary of this snapshot.</summary>
    public PrintJobSummary ToSummary() => new(JobId, State)
    {
        JobName = JobName,
        JobOriginatingUserName = UserName,
        JobStateReasons = StateReasons,
        KOctetsProcessed = KOctetsProcessed,
        MediaSheetsCompleted = MediaSheetsCompleted,
        NumberOfDocuments = Documents.Count,
    };
}
