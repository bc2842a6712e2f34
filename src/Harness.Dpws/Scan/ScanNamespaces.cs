using System.Xml.Linq;

namespace Harness.Dpws.Scan;

/// <summary>
/// The WS-Scan namespace (prefix <c>wscn</c>) and its neighbours. Real devices and Windows use 2006/08; Microsoft's
/// documentation samples and two PyWSD templates still show the older 2006/01 one, which readers accept and report
/// (quirk Q-NS-SCAN-2006-01); an <c>https://</c> spelling is accepted and reported too (quirk Q-HTTPS-NS).
/// </summary>
public static class ScanNamespaces
{
    /// <summary>WS-Scan, 2006/08, as devices and Windows use it.</summary>
    public const string Scan = "http://schemas.microsoft.com/windows/2006/08/wdp/scan";

    /// <summary>The older 2006/01 namespace of Microsoft's documentation samples.</summary>
    public const string Scan200601 = "http://schemas.microsoft.com/windows/2006/01/wdp/scan";

    /// <summary>XOP include, for the <c>xop:Include</c> of RetrieveImageResponse.</summary>
    public const string Xop = "http://www.w3.org/2004/08/xop/include";

    /// <summary>The prefix the writer uses.</summary>
    public const string Prefix = "wscn";

    /// <summary>The 2006/08 namespace as an <see cref="XNamespace"/>.</summary>
    public static XNamespace Wscn { get; } = XNamespace.Get(Scan);

    /// <summary>How a namespace URI relates to WS-Scan.</summary>
    /// <param name="namespaceUri">The URI.</param>
    public static ScanNamespaceKind Classify(string namespaceUri)
    {
        ArgumentNullException.ThrowIfNull(namespaceUri);
        return namespaceUri switch
        {
            Scan => ScanNamespaceKind.Current,
            Scan200601 => ScanNamespaceKind.Legacy200601,
            _ when namespaceUri.StartsWith("https://", StringComparison.Ordinal) && ("http://" + namespaceUri[8..]) is Scan or Scan200601 =>
                ScanNamespaceKind.Https,
            _ => ScanNamespaceKind.Other,
        };
    }
}

/// <summary>What <see cref="ScanNamespaces.Classify"/> found.</summary>
public enum ScanNamespaceKind
{
    /// <summary>Not WS-Scan.</summary>
    Other,

    /// <summary>The 2006/08 namespace.</summary>
    Current,

    /// <summary>The older 2006/01 namespace (quirk Q-NS-SCAN-2006-01).</summary>
    Legacy200601,

    /// <summary>An <c>https://</c> spelling of either (quirk Q-HTTPS-NS).</summary>
    Https,
}

/// <summary>The WS-Scan action URIs: requests <c>{scan}/Op</c>, responses <c>{scan}/OpResponse</c>, events <c>{scan}/XxxEvent</c>.</summary>
public static class ScanActions
{
    /// <summary>GetScannerElements.</summary>
    public const string GetScannerElements = ScanNamespaces.Scan + "/GetScannerElements";

    /// <summary>GetScannerElementsResponse.</summary>
    public const string GetScannerElementsResponse = ScanNamespaces.Scan + "/GetScannerElementsResponse";

    /// <summary>ValidateScanTicket.</summary>
    public const string ValidateScanTicket = ScanNamespaces.Scan + "/ValidateScanTicket";

    /// <summary>ValidateScanTicketResponse.</summary>
    public const string ValidateScanTicketResponse = ScanNamespaces.Scan + "/ValidateScanTicketResponse";

    /// <summary>CreateScanJob.</summary>
    public const string CreateScanJob = ScanNamespaces.Scan + "/CreateScanJob";

    /// <summary>CreateScanJobResponse.</summary>
    public const string CreateScanJobResponse = ScanNamespaces.Scan + "/CreateScanJobResponse";

    /// <summary>RetrieveImage.</summary>
    public const string RetrieveImage = ScanNamespaces.Scan + "/RetrieveImage";

    /// <summary>RetrieveImageResponse (MTOM/XOP multipart with the image).</summary>
    public const string RetrieveImageResponse = ScanNamespaces.Scan + "/RetrieveImageResponse";

    /// <summary>CancelJob.</summary>
    public const string CancelJob = ScanNamespaces.Scan + "/CancelJob";

    /// <summary>CancelJobResponse.</summary>
    public const string CancelJobResponse = ScanNamespaces.Scan + "/CancelJobResponse";

    /// <summary>GetActiveJobs.</summary>
    public const string GetActiveJobs = ScanNamespaces.Scan + "/GetActiveJobs";

    /// <summary>GetActiveJobsResponse.</summary>
    public const string GetActiveJobsResponse = ScanNamespaces.Scan + "/GetActiveJobsResponse";

    /// <summary>GetJobHistory.</summary>
    public const string GetJobHistory = ScanNamespaces.Scan + "/GetJobHistory";

    /// <summary>GetJobHistoryResponse.</summary>
    public const string GetJobHistoryResponse = ScanNamespaces.Scan + "/GetJobHistoryResponse";

    /// <summary>GetJobElements.</summary>
    public const string GetJobElements = ScanNamespaces.Scan + "/GetJobElements";

    /// <summary>GetJobElementsResponse.</summary>
    public const string GetJobElementsResponse = ScanNamespaces.Scan + "/GetJobElementsResponse";

    /// <summary>ScannerElementsChangeEvent.</summary>
    public const string ScannerElementsChangeEvent = ScanNamespaces.Scan + "/ScannerElementsChangeEvent";

    /// <summary>ScannerStatusSummaryEvent.</summary>
    public const string ScannerStatusSummaryEvent = ScanNamespaces.Scan + "/ScannerStatusSummaryEvent";

    /// <summary>ScannerStatusConditionEvent.</summary>
    public const string ScannerStatusConditionEvent = ScanNamespaces.Scan + "/ScannerStatusConditionEvent";

    /// <summary>ScannerStatusConditionClearedEvent.</summary>
    public const string ScannerStatusConditionClearedEvent = ScanNamespaces.Scan + "/ScannerStatusConditionClearedEvent";

    /// <summary>JobStatusEvent.</summary>
    public const string JobStatusEvent = ScanNamespaces.Scan + "/JobStatusEvent";

    /// <summary>JobEndStateEvent.</summary>
    public const string JobEndStateEvent = ScanNamespaces.Scan + "/JobEndStateEvent";

    /// <summary>ScanAvailableEvent (device-initiated scans).</summary>
    public const string ScanAvailableEvent = ScanNamespaces.Scan + "/ScanAvailableEvent";

    /// <summary>The eight request actions of the scanner service (WSD-SCN-001), in documentation order.</summary>
    public static IReadOnlyList<string> Requests { get; } =
    [
        GetScannerElements, ValidateScanTicket, CreateScanJob, RetrieveImage, CancelJob, GetActiveJobs, GetJobHistory, GetJobElements,
    ];

    /// <summary>The event actions, for a subscription filter that takes every scanner event.</summary>
    public static IReadOnlyList<string> Events { get; } =
    [
        ScannerElementsChangeEvent, ScannerStatusSummaryEvent, ScannerStatusConditionEvent, ScannerStatusConditionClearedEvent,
        JobStatusEvent, JobEndStateEvent, ScanAvailableEvent,
    ];

    /// <summary>The response action of a request action (<c>{action}Response</c>).</summary>
    public static string ResponseOf(string requestAction)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestAction);
        return requestAction + "Response";
    }
}

/// <summary>The rule ids the WS-Scan codec and service report (checklist <c>specs/wsd.md</c> §1.8 and §2).</summary>
public static class ScanRuleIds
{
    /// <summary>Reader id: a required element or value is missing or not of its type.</summary>
    public const string Schema = "WSCN-SCHEMA";

    /// <summary>Quirk Q-NS-SCAN-2006-01: the older 2006/01 scan namespace.</summary>
    public const string LegacyNamespace = "Q-NS-SCAN-2006-01";

    /// <summary>Quirk Q-HTTPS-NS: an <c>https://</c> spelling of the scan namespace.</summary>
    public const string HttpsNamespace = "Q-HTTPS-NS";

    /// <summary>WSD-SCN-002: one ElementData per requested Name with Name and Valid.</summary>
    public const string ElementData = "WSD-SCN-002";

    /// <summary>WSD-SCN-003: FormatsSupported non-empty, min ≤ max, ADFBack implies duplex.</summary>
    public const string Configuration = "WSD-SCN-003";

    /// <summary>WSD-SCN-004: ScannerState from the documented list.</summary>
    public const string ScannerState = "WSD-SCN-004";

    /// <summary>WSD-SCN-005: ValidationInfo has ValidTicket (and a corrected ticket when invalid).</summary>
    public const string Validation = "WSD-SCN-005";

    /// <summary>WSD-SCN-006: CreateScanJobResponse carries JobId, JobToken, ImageInformation and DocumentFinalParameters.</summary>
    public const string CreateScanJob = "WSD-SCN-006";

    /// <summary>WSD-SCN-013: JobState from the documented list.</summary>
    public const string JobState = "WSD-SCN-013";

    /// <summary>WSD-SCN-016: ScanAvailableEvent carries ClientContext and ScanIdentifier.</summary>
    public const string ScanAvailable = "WSD-SCN-016";
}
