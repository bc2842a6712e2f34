using System.Xml.Linq;

namespace Harness.Dpws.Print;

/// <summary>GetPrinterElementsRequest: the requested element names.</summary>
/// <param name="RequestedElements">RequestedElements/Name values.</param>
public sealed record GetPrinterElementsRequest(IReadOnlyList<PrintQName> RequestedElements);

/// <summary>One ElementData of PrinterElements: the requested name, whether it was valid, and the data when it was.</summary>
/// <param name="Name">The Name attribute.</param>
/// <param name="Valid">The Valid attribute.</param>
public sealed record PrinterElementData(PrintQName Name, bool Valid)
{
    /// <summary>PrinterDescription, when that was requested.</summary>
    public PrinterDescription? Description { get; init; }

    /// <summary>PrinterConfiguration, when that was requested.</summary>
    public PrinterConfiguration? Configuration { get; init; }

    /// <summary>PrinterStatus, when that was requested.</summary>
    public PrinterStatus? Status { get; init; }

    /// <summary>DefaultPrintTicket, when that was requested.</summary>
    public PrintTicket? DefaultPrintTicket { get; init; }

    /// <summary>Any other content (PrinterCapabilities, IHV sections), kept as sent.</summary>
    public XElement? Other { get; init; }
}

/// <summary>GetPrinterElementsResponse: one ElementData per requested name.</summary>
/// <param name="Elements">PrinterElements/ElementData, in order.</param>
public sealed record GetPrinterElementsResponse(IReadOnlyList<PrinterElementData> Elements)
{
    /// <summary>The first valid PrinterDescription, or null.</summary>
    public PrinterDescription? Description => Elements.Select(e => e.Description).FirstOrDefault(d => d is not null);

    /// <summary>The first valid PrinterConfiguration, or null.</summary>
    public PrinterConfiguration? Configuration => Elements.Select(e => e.Configuration).FirstOrDefault(d => d is not null);

    /// <summary>The first valid PrinterStatus, or null.</summary>
    public PrinterStatus? Status => Elements.Select(e => e.Status).FirstOrDefault(d => d is not null);

    /// <summary>The first valid DefaultPrintTicket, or null.</summary>
    public PrintTicket? DefaultPrintTicket => Elements.Select(e => e.DefaultPrintTicket).FirstOrDefault(d => d is not null);
}

/// <summary>CreatePrintJobRequest: the job's PrintTicket.</summary>
/// <param name="Ticket">PrintTicket.</param>
public sealed record CreatePrintJobRequest(PrintTicket Ticket);

/// <summary>CreatePrintJobResponse: the new job's identifier.</summary>
/// <param name="JobId">JobId (1 to 2147483647).</param>
public sealed record CreatePrintJobResponse(int JobId);

/// <summary>
/// SendDocumentRequest: a document of a job, its data as an MTOM/XOP attachment (<c>DocumentData/xop:Include</c>) or,
/// leniently, inline base64.
/// </summary>
/// <param name="JobId">JobId.</param>
/// <param name="LastDocument">LastDocument: no more documents follow.</param>
/// <param name="Description">DocumentDescription.</param>
public sealed record SendDocumentRequest(int JobId, bool LastDocument, PrintDocumentDescription Description)
{
    /// <summary>DocumentProcessing overriding the job's for this document, or null.</summary>
    public PrintDocumentProcessing? Processing { get; init; }

    /// <summary>The <c>href</c> of <c>DocumentData/xop:Include</c> (<c>cid:…</c>), or null for inline data.</summary>
    public string? DataReference { get; init; }

    /// <summary>The document bytes, when the reader could resolve them (from the MTOM package or inline base64).</summary>
    public ReadOnlyMemory<byte>? Data { get; init; }
}

/// <summary>SendDocumentResponse (empty).</summary>
public sealed record SendDocumentResponse
{
    /// <summary>The one value.</summary>
    public static SendDocumentResponse Instance { get; } = new();
}

/// <summary>AddDocumentRequest: a document of a job by URL reference.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="LastDocument">LastDocument.</param>
/// <param name="Description">DocumentDescription.</param>
/// <param name="DocumentUrl">DocumentUrl.</param>
public sealed record AddDocumentRequest(int JobId, bool LastDocument, PrintDocumentDescription Description, string DocumentUrl)
{
    /// <summary>DocumentProcessing overriding the job's for this document, or null.</summary>
    public PrintDocumentProcessing? Processing { get; init; }
}

/// <summary>AddDocumentResponse (empty).</summary>
public sealed record AddDocumentResponse
{
    /// <summary>The one value.</summary>
    public static AddDocumentResponse Instance { get; } = new();
}

/// <summary>CancelJobRequest.</summary>
/// <param name="JobId">JobId.</param>
public sealed record CancelJobRequest(int JobId);

/// <summary>CancelJobResponse (empty).</summary>
public sealed record CancelJobResponse
{
    /// <summary>The one value.</summary>
    public static CancelJobResponse Instance { get; } = new();
}

/// <summary>GetJobElementsRequest.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="RequestedElements">RequestedElements/Name values (JobStatus, PrintTicket, Documents).</param>
public sealed record GetJobElementsRequest(int JobId, IReadOnlyList<PrintQName> RequestedElements);

/// <summary>One document of a job as GetJobElements(Documents) describes it.</summary>
/// <param name="Description">DocumentDescription.</param>
public sealed record PrintJobDocument(PrintDocumentDescription Description)
{
    /// <summary>DocumentState (e.g. <c>Completed</c>), or null.</summary>
    public string? State { get; init; }
}

/// <summary>One ElementData of JobElements.</summary>
/// <param name="Name">The Name attribute.</param>
/// <param name="Valid">The Valid attribute.</param>
public sealed record PrintJobElementData(PrintQName Name, bool Valid)
{
    /// <summary>JobStatus, when requested.</summary>
    public PrintJobStatus? Status { get; init; }

    /// <summary>PrintTicket, when requested.</summary>
    public PrintTicket? Ticket { get; init; }

    /// <summary>Documents, when requested.</summary>
    public IReadOnlyList<PrintJobDocument>? Documents { get; init; }
}

/// <summary>GetJobElementsResponse.</summary>
/// <param name="Elements">JobElements/ElementData, in order.</param>
public sealed record GetJobElementsResponse(IReadOnlyList<PrintJobElementData> Elements)
{
    /// <summary>The first JobStatus, or null.</summary>
    public PrintJobStatus? Status => Elements.Select(e => e.Status).FirstOrDefault(s => s is not null);

    /// <summary>The first PrintTicket, or null.</summary>
    public PrintTicket? Ticket => Elements.Select(e => e.Ticket).FirstOrDefault(s => s is not null);

    /// <summary>The first Documents list, or null.</summary>
    public IReadOnlyList<PrintJobDocument>? Documents => Elements.Select(e => e.Documents).FirstOrDefault(s => s is not null);
}

/// <summary>GetActiveJobsResponse: the jobs not yet ended.</summary>
/// <param name="Jobs">ActiveJobs (JobSummary entries; a <c>Job</c> entry is read into a summary).</param>
public sealed record GetActiveJobsResponse(IReadOnlyList<PrintJobSummary> Jobs);

/// <summary>GetJobHistoryResponse: recently ended jobs.</summary>
/// <param name="Jobs">JobHistory (JobSummary entries).</param>
public sealed record GetJobHistoryResponse(IReadOnlyList<PrintJobSummary> Jobs);

/// <summary>SetEventRateRequest.</summary>
/// <param name="EventRate">EventRate in seconds.</param>
public sealed record SetEventRateRequest(int EventRate);

/// <summary>SetEventRateResponse (empty).</summary>
public sealed record SetEventRateResponse
{
    /// <summary>The one value.</summary>
    public static SetEventRateResponse Instance { get; } = new();
}
