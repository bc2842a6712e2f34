using System.Xml.Linq;

namespace Harness.Dpws.Scan;

/// <summary>
/// A QName value as a request carries it (<c>RequestedElements/Name</c>, <c>ElementData/@Name</c>): the raw text and,
/// when its prefix resolved, the namespace-qualified name.
/// </summary>
/// <param name="Text">The text as sent, trimmed (e.g. <c>wscn:ScannerStatus</c>).</param>
/// <param name="Name">The resolved name, or null when the prefix is not declared.</param>
public sealed record ScanQName(string Text, XName? Name)
{
    /// <summary>A name in the WS-Scan namespace (written <c>wscn:Local</c>).</summary>
    public static ScanQName Scan(string localName) => new(ScanNamespaces.Prefix + ":" + localName, ScanNamespaces.Wscn + localName);

    /// <summary>True when the name is <paramref name="localName"/> in a WS-Scan namespace (2006/08, 2006/01 or https spelling).</summary>
    public bool IsScan(string localName) =>
        Name is not null && Name.LocalName == localName && ScanNamespaces.Classify(Name.NamespaceName) != ScanNamespaceKind.Other;

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>The element names GetScannerElements and GetJobElements know.</summary>
public static class ScanElementNames
{
    /// <summary>ScannerDescription.</summary>
    public const string ScannerDescription = "ScannerDescription";

    /// <summary>ScannerConfiguration.</summary>
    public const string ScannerConfiguration = "ScannerConfiguration";

    /// <summary>ScannerStatus.</summary>
    public const string ScannerStatus = "ScannerStatus";

    /// <summary>DefaultScanTicket.</summary>
    public const string DefaultScanTicket = "DefaultScanTicket";

    /// <summary>JobStatus (GetJobElements).</summary>
    public const string JobStatus = "JobStatus";

    /// <summary>ScanTicket (GetJobElements).</summary>
    public const string ScanTicket = "ScanTicket";

    /// <summary>Documents (GetJobElements).</summary>
    public const string Documents = "Documents";
}

/// <summary>GetScannerElementsRequest: the requested element names.</summary>
/// <param name="RequestedElements">RequestedElements/Name values.</param>
public sealed record GetScannerElementsRequest(IReadOnlyList<ScanQName> RequestedElements);

/// <summary>One ElementData of ScannerElements: the requested name, whether it was valid, and the data when it was.</summary>
/// <param name="Name">The Name attribute.</param>
/// <param name="Valid">The Valid attribute.</param>
public sealed record ScannerElementData(ScanQName Name, bool Valid)
{
    /// <summary>ScannerDescription, when that was requested.</summary>
    public ScannerDescription? Description { get; init; }

    /// <summary>ScannerConfiguration, when that was requested.</summary>
    public ScannerConfiguration? Configuration { get; init; }

    /// <summary>ScannerStatus, when that was requested.</summary>
    public ScannerStatus? Status { get; init; }

    /// <summary>DefaultScanTicket, when that was requested.</summary>
    public ScanTicket? DefaultScanTicket { get; init; }
}

/// <summary>GetScannerElementsResponse: one ElementData per requested name (WSD-SCN-002).</summary>
/// <param name="Elements">ScannerElements/ElementData.</param>
public sealed record GetScannerElementsResponse(IReadOnlyList<ScannerElementData> Elements)
{
    /// <summary>The first ElementData with a ScannerDescription, or null.</summary>
    public ScannerDescription? Description => Elements.Select(e => e.Description).FirstOrDefault(d => d is not null);

    /// <summary>The first ElementData with a ScannerConfiguration, or null.</summary>
    public ScannerConfiguration? Configuration => Elements.Select(e => e.Configuration).FirstOrDefault(d => d is not null);

    /// <summary>The first ElementData with a ScannerStatus, or null.</summary>
    public ScannerStatus? Status => Elements.Select(e => e.Status).FirstOrDefault(d => d is not null);

    /// <summary>The first ElementData with a DefaultScanTicket, or null.</summary>
    public ScanTicket? DefaultScanTicket => Elements.Select(e => e.DefaultScanTicket).FirstOrDefault(d => d is not null);
}

/// <summary>ValidateScanTicketRequest.</summary>
/// <param name="Ticket">The ScanTicket to check.</param>
public sealed record ValidateScanTicketRequest(ScanTicket Ticket);

/// <summary>ValidateScanTicketResponse/ValidationInfo.</summary>
/// <param name="ValidTicket">ValidTicket: true when every value is supported as requested.</param>
/// <param name="ImageInformation">ImageInformation for the (corrected) ticket.</param>
/// <param name="ValidScanTicket">The corrected ticket when <paramref name="ValidTicket"/> is false, else null.</param>
public sealed record ValidateScanTicketResponse(bool ValidTicket, ScanImageInformation? ImageInformation, ScanTicket? ValidScanTicket = null);

/// <summary>CreateScanJobRequest: the ticket and, for a device-initiated scan, the ScanIdentifier and DestinationToken.</summary>
/// <param name="Ticket">ScanTicket.</param>
/// <param name="ScanIdentifier">ScanIdentifier from a ScanAvailableEvent, or null.</param>
/// <param name="DestinationToken">DestinationToken from the SubscribeResponse, or null.</param>
public sealed record CreateScanJobRequest(ScanTicket Ticket, string? ScanIdentifier = null, string? DestinationToken = null);

/// <summary>CreateScanJobResponse (WSD-SCN-006).</summary>
/// <param name="JobId">JobId.</param>
/// <param name="JobToken">JobToken.</param>
/// <param name="ImageInformation">ImageInformation.</param>
/// <param name="DocumentFinalParameters">DocumentFinalParameters with Override / UsedDefault attributes.</param>
public sealed record CreateScanJobResponse(int JobId, string JobToken, ScanImageInformation ImageInformation, ScanDocumentParameters DocumentFinalParameters);

/// <summary>RetrieveImageRequest.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="JobToken">JobToken.</param>
/// <param name="DocumentName">DocumentDescription/DocumentName, or null.</param>
public sealed record RetrieveImageRequest(int JobId, string JobToken, string? DocumentName = null);

/// <summary>
/// The answer to RetrieveImage: the image bytes and their MIME type. The SOAP part is
/// <c>RetrieveImageResponse/ScanData/xop:Include href="cid:…"</c> (see <see cref="ScanXmlWriter.WriteRetrieveImageResponse"/>);
/// the bytes travel as the MTOM/XOP attachment with that Content-ID.
/// </summary>
/// <param name="Content">The image file.</param>
/// <param name="ContentType">Its MIME type (image/png, image/jpeg, application/pdf).</param>
public sealed record RetrieveImageResponse(ReadOnlyMemory<byte> Content, string ContentType)
{
    /// <summary>The job the image belongs to.</summary>
    public int JobId { get; init; }

    /// <summary>The 1-based numbers of the images in this file (several for a multi-page format).</summary>
    public IReadOnlyList<int> ImageNumbers { get; init; } = [];

    /// <summary>A file name for the image (e.g. <c>IMAGE001.PNG</c>), recorded in the job's Documents.</summary>
    public string DocumentName { get; init; } = string.Empty;
}

/// <summary>CancelJobRequest.</summary>
/// <param name="JobId">JobId.</param>
public sealed record CancelJobRequest(int JobId);

/// <summary>CancelJobResponse (an empty element on the wire).</summary>
/// <param name="JobId">The job that was canceled.</param>
public sealed record CancelJobResponse(int JobId);

/// <summary>JobStatus (of GetJobElements and JobStatusEvent).</summary>
/// <param name="JobId">JobId.</param>
/// <param name="JobState">JobState.</param>
/// <param name="JobStateReasons">JobStateReasons/JobStateReason.</param>
/// <param name="ScansCompleted">ScansCompleted.</param>
public sealed record ScanJobStatus(int JobId, string JobState, IReadOnlyList<string> JobStateReasons, int ScansCompleted)
{
    /// <summary>JobCreatedTime, or null.</summary>
    public DateTimeOffset? JobCreatedTime { get; init; }

    /// <summary>JobCompletedTime, or null.</summary>
    public DateTimeOffset? JobCompletedTime { get; init; }
}

/// <summary>JobSummary (ActiveJobs, JobHistory) and JobEndState (JobEndStateEvent) share these fields.</summary>
/// <param name="JobId">JobId.</param>
/// <param name="JobName">JobName.</param>
/// <param name="JobOriginatingUserName">JobOriginatingUserName.</param>
/// <param name="JobState">JobState (JobCompletedState in JobEndState).</param>
/// <param name="JobStateReasons">JobStateReasons (JobCompletedStateReasons in JobEndState).</param>
/// <param name="ScansCompleted">ScansCompleted.</param>
public sealed record ScanJobSummary(int JobId, string JobName, string JobOriginatingUserName, string JobState, IReadOnlyList<string> JobStateReasons, int ScansCompleted)
{
    /// <summary>JobCreatedTime, or null.</summary>
    public DateTimeOffset? JobCreatedTime { get; init; }

    /// <summary>JobCompletedTime, or null.</summary>
    public DateTimeOffset? JobCompletedTime { get; init; }
}

/// <summary>GetActiveJobsResponse/ActiveJobs.</summary>
/// <param name="Jobs">JobSummary of each non-terminal job.</param>
public sealed record GetActiveJobsResponse(IReadOnlyList<ScanJobSummary> Jobs);

/// <summary>GetJobHistoryResponse/JobHistory.</summary>
/// <param name="Jobs">JobSummary of each terminal job kept (newest first).</param>
public sealed record GetJobHistoryResponse(IReadOnlyList<ScanJobSummary> Jobs);

/// <summary>GetJobElementsRequest (Microsoft's sample names the element <c>GetJobElements</c>; both are read).</summary>
/// <param name="JobId">JobId.</param>
/// <param name="RequestedElements">RequestedElements/Name values (JobStatus, ScanTicket, Documents).</param>
public sealed record GetJobElementsRequest(int JobId, IReadOnlyList<ScanQName> RequestedElements);

/// <summary>Documents of a job: DocumentFinalParameters and one Document (DocumentDescription/DocumentName) per image file.</summary>
/// <param name="FinalParameters">DocumentFinalParameters.</param>
/// <param name="DocumentNames">Document/DocumentDescription/DocumentName values.</param>
public sealed record ScanDocuments(ScanDocumentParameters FinalParameters, IReadOnlyList<string> DocumentNames);

/// <summary>One ElementData of JobElements.</summary>
/// <param name="Name">The Name attribute.</param>
/// <param name="Valid">The Valid attribute.</param>
public sealed record ScanJobElementData(ScanQName Name, bool Valid)
{
    /// <summary>JobStatus, when requested.</summary>
    public ScanJobStatus? JobStatus { get; init; }

    /// <summary>ScanTicket, when requested.</summary>
    public ScanTicket? ScanTicket { get; init; }

    /// <summary>Documents, when requested.</summary>
    public ScanDocuments? Documents { get; init; }
}

/// <summary>GetJobElementsResponse/JobElements.</summary>
/// <param name="Elements">One ElementData per requested name.</param>
public sealed record GetJobElementsResponse(IReadOnlyList<ScanJobElementData> Elements);

/// <summary>One ScanDestination of a Subscribe's <c>wscn:ScanDestinations</c> extension (WSD-SCN-016).</summary>
/// <param name="ClientDisplayName">ClientDisplayName (Microsoft's sample spells it ClientDisplayString; both are read).</param>
/// <param name="ClientContext">ClientContext, echoed in the DestinationResponse and the ScanAvailableEvent.</param>
public sealed record ScanDestination(string ClientDisplayName, string ClientContext);

/// <summary>One DestinationResponse of a SubscribeResponse's <c>wscn:DestinationResponses</c> extension.</summary>
/// <param name="ClientContext">The ClientContext of the destination.</param>
/// <param name="DestinationToken">The token the client sends back in CreateScanJob.</param>
public sealed record ScanDestinationResponse(string ClientContext, string DestinationToken);
