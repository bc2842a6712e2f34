using System.Xml.Linq;

namespace Harness.Dpws.Print;

/// <summary>
/// A QName value as a message carries it (<c>RequestedElements/Name</c>, <c>ElementData/@Name</c>): the raw text and,
/// when its prefix resolved, the namespace-qualified name.
/// </summary>
/// <param name="Text">The text as sent, trimmed (e.g. <c>wprt:PrinterStatus</c>).</param>
/// <param name="Name">The resolved name, or null when the prefix is not declared.</param>
public sealed record PrintQName(string Text, XName? Name)
{
    /// <summary>A name in the WS-Print namespace (written <c>wprt:Local</c>).</summary>
    public static PrintQName Print(string localName) => new(PrintNamespaces.Prefix + ":" + localName, PrintNamespaces.Wprt + localName);

    /// <summary>True when the name is <paramref name="localName"/> in a WS-Print namespace (2006/08, 2005/05 or https spelling).</summary>
    public bool IsPrint(string localName) =>
        Name is not null && Name.LocalName == localName && PrintNamespaces.Classify(Name.NamespaceName) != PrintNamespaceKind.Other;

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>A string with an optional <c>xml:lang</c> (PrinterName, PrinterInfo, PrinterLocation).</summary>
/// <param name="Text">The text.</param>
/// <param name="Language">The <c>xml:lang</c>, or null.</param>
public sealed record PrintLocalizedString(string Text, string? Language = null);

/// <summary>PrinterDescription: the static, administratively set description of the printer.</summary>
public sealed record PrinterDescription
{
    /// <summary>ColorSupported.</summary>
    public bool? ColorSupported { get; init; }

    /// <summary>DeviceId: the IEEE 1284 device ID string (<c>MFG:…;MDL:…;CMD:…;</c>).</summary>
    public string? DeviceId { get; init; }

    /// <summary>MultipleDocumentJobsSupported.</summary>
    public bool? MultipleDocumentJobsSupported { get; init; }

    /// <summary>PagesPerMinute.</summary>
    public int? PagesPerMinute { get; init; }

    /// <summary>PagesPerMinuteColor.</summary>
    public int? PagesPerMinuteColor { get; init; }

    /// <summary>PrinterName (one per language).</summary>
    public IReadOnlyList<PrintLocalizedString> PrinterName { get; init; } = [];

    /// <summary>PrinterInfo (one per language).</summary>
    public IReadOnlyList<PrintLocalizedString> PrinterInfo { get; init; } = [];

    /// <summary>PrinterLocation (one per language).</summary>
    public IReadOnlyList<PrintLocalizedString> PrinterLocation { get; init; } = [];

    /// <summary>Other children (IHV extensions, later schema versions), kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];

    /// <summary>The first PrinterName, or null.</summary>
    public string? Name => PrinterName.Count > 0 ? PrinterName[0].Text : null;
}

/// <summary>One ConsumableEntry of PrinterConfiguration/Consumables.</summary>
/// <param name="Name">The Name attribute.</param>
public sealed record PrintConsumable(string Name)
{
    /// <summary>Type (e.g. <c>Toner</c>, <c>Ink</c>).</summary>
    public string? Type { get; init; }

    /// <summary>Color (e.g. <c>Black</c>).</summary>
    public string? Color { get; init; }

    /// <summary>Level in percent, or null when unknown.</summary>
    public int? Level { get; init; }

    /// <summary>Model (the consumable's part number).</summary>
    public string? Model { get; init; }
}

/// <summary>One InputBin of PrinterConfiguration/InputBins.</summary>
/// <param name="Name">The Name attribute (e.g. <c>Tray1</c>).</param>
public sealed record PrintInputBin(string Name)
{
    /// <summary>FeedDirection (e.g. <c>LongEdgeFirst</c>).</summary>
    public string? FeedDirection { get; init; }

    /// <summary>MediaSizeName (e.g. <c>iso_a4_210x297mm</c>).</summary>
    public string? MediaSizeName { get; init; }

    /// <summary>MediaType (e.g. <c>Stationery</c>).</summary>
    public string? MediaType { get; init; }

    /// <summary>Capacity in sheets.</summary>
    public int? Capacity { get; init; }

    /// <summary>Level in percent, or null when unknown.</summary>
    public int? Level { get; init; }
}

/// <summary>PrinterConfiguration: the configurable equipment of the printer.</summary>
public sealed record PrinterConfiguration
{
    /// <summary>PrinterEventRate: the shortest interval between events in seconds (SetEventRate changes it).</summary>
    public int? PrinterEventRate { get; init; }

    /// <summary>Consumables.</summary>
    public IReadOnlyList<PrintConsumable> Consumables { get; init; } = [];

    /// <summary>InputBins.</summary>
    public IReadOnlyList<PrintInputBin> InputBins { get; init; } = [];

    /// <summary>Other children (Storage, OutputBins, Finishings, IHV extensions), kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>A DeviceCondition of PrinterStatus/ActiveConditions (and of PrinterStatusConditionEvent).</summary>
/// <param name="Id">The condition's identifier (the <c>Id</c> attribute).</param>
/// <param name="Time">When it arose.</param>
/// <param name="Name">Name (e.g. <c>MediaEmpty</c>, <c>MediaJam</c>, <c>CoverOpen</c>).</param>
/// <param name="Component">Component (e.g. <c>InputTray</c>).</param>
/// <param name="Severity">Severity (<c>Informational</c>, <c>Warning</c>, <c>Critical</c>).</param>
public sealed record PrintDeviceCondition(int Id, DateTimeOffset Time, string Name, string Component, string Severity);

/// <summary>PrinterStatus: the state the printer's automata are in.</summary>
public sealed record PrinterStatus
{
    /// <summary>PrinterCurrentTime.</summary>
    public DateTimeOffset? PrinterCurrentTime { get; init; }

    /// <summary>PrinterState (<see cref="PrinterStates"/>).</summary>
    public string PrinterState { get; init; } = PrinterStates.Idle;

    /// <summary>PrinterPrimaryStateReason (e.g. <c>None</c>, <c>MediaEmpty</c>).</summary>
    public string PrinterPrimaryStateReason { get; init; } = "None";

    /// <summary>PrinterStateReasons.</summary>
    public IReadOnlyList<string> PrinterStateReasons { get; init; } = [];

    /// <summary>ActiveConditions.</summary>
    public IReadOnlyList<PrintDeviceCondition> ActiveConditions { get; init; } = [];

    /// <summary>Other children (ConditionHistory, IHV extensions), kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>JobDescription: who submitted the job and what it is called.</summary>
/// <param name="JobName">JobName (may be empty).</param>
/// <param name="JobOriginatingUserName">JobOriginatingUserName (may be empty).</param>
public sealed record PrintJobDescription(string JobName, string JobOriginatingUserName)
{
    /// <summary>Other children (e.g. <c>JobOriginatingComputerName</c> that some clients add), kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>JobProcessing: job-level processing requests.</summary>
public sealed record PrintJobProcessing
{
    /// <summary>Copies.</summary>
    public int? Copies { get; init; }

    /// <summary>Priority (1 to 100).</summary>
    public int? Priority { get; init; }

    /// <summary>Other children (JobFinishings, IHV extensions), kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>DocumentProcessing: document-level processing requests.</summary>
public sealed record PrintDocumentProcessing
{
    /// <summary>MediaSizeName (e.g. <c>iso_a4_210x297mm</c>, <c>na_letter_8.5x11in</c>).</summary>
    public string? MediaSizeName { get; init; }

    /// <summary>MediaType.</summary>
    public string? MediaType { get; init; }

    /// <summary>MediaColor.</summary>
    public string? MediaColor { get; init; }

    /// <summary>Orientation (<c>Portrait</c>, <c>Landscape</c>, …).</summary>
    public string? Orientation { get; init; }

    /// <summary>PrintQuality (<c>Draft</c>, <c>Normal</c>, <c>High</c>).</summary>
    public string? PrintQuality { get; init; }

    /// <summary>Sides (<c>OneSided</c>, <c>TwoSidedLongEdge</c>, <c>TwoSidedShortEdge</c>).</summary>
    public string? Sides { get; init; }

    /// <summary>Other children (NumberUp, Resolution, IHV extensions), kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>PrintTicket (and DefaultPrintTicket): description and processing parameters of a job.</summary>
public sealed record PrintTicket
{
    /// <summary>JobDescription, or null when absent.</summary>
    public PrintJobDescription? JobDescription { get; init; }

    /// <summary>JobProcessing, or null when absent (the printer's defaults apply).</summary>
    public PrintJobProcessing? JobProcessing { get; init; }

    /// <summary>DocumentProcessing, or null when absent (the printer's defaults apply).</summary>
    public PrintDocumentProcessing? DocumentProcessing { get; init; }

    /// <summary>Other children (IHV extensions), kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>DocumentDescription of SendDocument / AddDocument (and of a job's Documents).</summary>
/// <param name="DocumentId">DocumentId (1-based within the job).</param>
public sealed record PrintDocumentDescription(int DocumentId)
{
    /// <summary>DocumentName, or null.</summary>
    public string? DocumentName { get; init; }

    /// <summary>Compression (<c>None</c>, …), or null.</summary>
    public string? Compression { get; init; }

    /// <summary>Format (e.g. <c>application/pdf</c>, <c>image/pwg-raster</c>, <c>application/vnd.ms-xpsdocument</c>; Windows sends <c>unknown</c>), or null.</summary>
    public string? Format { get; init; }

    /// <summary>Other children, kept as read.</summary>
    public IReadOnlyList<XElement> Extensions { get; init; } = [];
}

/// <summary>JobStatus: the current status of a job.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="JobState">JobState (<see cref="PrintJobStates"/>).</param>
public sealed record PrintJobStatus(int JobId, string JobState)
{
    /// <summary>JobStateReasons.</summary>
    public IReadOnlyList<string> JobStateReasons { get; init; } = [];

    /// <summary>KOctetsProcessed.</summary>
    public int KOctetsProcessed { get; init; }

    /// <summary>MediaSheetsCompleted.</summary>
    public int MediaSheetsCompleted { get; init; }

    /// <summary>NumberOfDocuments.</summary>
    public int NumberOfDocuments { get; init; }
}

/// <summary>JobSummary (ActiveJobs, JobHistory): one job in a list.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="JobState">JobState (the end state for a history entry).</param>
public sealed record PrintJobSummary(int JobId, string JobState)
{
    /// <summary>JobName.</summary>
    public string JobName { get; init; } = string.Empty;

    /// <summary>JobOriginatingUserName.</summary>
    public string JobOriginatingUserName { get; init; } = string.Empty;

    /// <summary>JobStateReasons.</summary>
    public IReadOnlyList<string> JobStateReasons { get; init; } = [];

    /// <summary>KOctetsProcessed.</summary>
    public int KOctetsProcessed { get; init; }

    /// <summary>MediaSheetsCompleted.</summary>
    public int MediaSheetsCompleted { get; init; }

    /// <summary>NumberOfDocuments.</summary>
    public int NumberOfDocuments { get; init; }
}

/// <summary>JobEndState (JobEndStateEvent): how a job ended.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="JobCompletedState">JobCompletedState (Completed, Aborted or Canceled).</param>
public sealed record PrintJobEndState(int JobId, string JobCompletedState)
{
    /// <summary>JobCompletedStateReasons.</summary>
    public IReadOnlyList<string> JobCompletedStateReasons { get; init; } = [];

    /// <summary>JobName.</summary>
    public string JobName { get; init; } = string.Empty;

    /// <summary>JobOriginatingUserName.</summary>
    public string JobOriginatingUserName { get; init; } = string.Empty;

    /// <summary>KOctetsProcessed.</summary>
    public int KOctetsProcessed { get; init; }

    /// <summary>MediaSheetsCompleted.</summary>
    public int MediaSheetsCompleted { get; init; }

    /// <summary>NumberOfDocuments.</summary>
    public int NumberOfDocuments { get; init; }
}
