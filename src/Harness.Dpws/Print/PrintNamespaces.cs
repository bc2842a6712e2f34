using System.Xml.Linq;

namespace Harness.Dpws.Print;

/// <summary>
/// The WS-Print namespace (prefix <c>wprt</c>) of Microsoft's "Print Device Definition" v1.0. Devices and Windows use
/// 2006/08; the element pages of Microsoft's WS-Print reference still show the older 2005/05 namespace in their
/// samples, which readers accept and report (quirk Q-NS-PRINT-2005-05); an <c>https://</c> spelling is accepted and
/// reported too (quirk Q-HTTPS-NS, the learn.microsoft.com rendering of every sample).
/// </summary>
public static class PrintNamespaces
{
    /// <summary>WS-Print, 2006/08, as devices and Windows use it.</summary>
    public const string Print = "http://schemas.microsoft.com/windows/2006/08/wdp/print";

    /// <summary>The older 2005/05 namespace of Microsoft's reference-page samples.</summary>
    public const string Print200505 = "http://schemas.microsoft.com/windows/2005/05/wdp/print";

    /// <summary>The prefix the writer uses.</summary>
    public const string Prefix = "wprt";

    /// <summary>The 2006/08 namespace as an <see cref="XNamespace"/>.</summary>
    public static XNamespace Wprt { get; } = XNamespace.Get(Print);

    /// <summary>How a namespace URI relates to WS-Print.</summary>
    /// <param name="namespaceUri">The URI.</param>
    public static PrintNamespaceKind Classify(string namespaceUri)
    {
        ArgumentNullException.ThrowIfNull(namespaceUri);
        return namespaceUri switch
        {
            Print => PrintNamespaceKind.Current,
            Print200505 => PrintNamespaceKind.Legacy200505,
            _ when namespaceUri.StartsWith("https://", StringComparison.Ordinal) && ("http://" + namespaceUri[8..]) is Print or Print200505 =>
                PrintNamespaceKind.Https,
            _ => PrintNamespaceKind.Other,
        };
    }
}

/// <summary>What <see cref="PrintNamespaces.Classify"/> found.</summary>
public enum PrintNamespaceKind
{
    /// <summary>Not WS-Print.</summary>
    Other,

    /// <summary>The 2006/08 namespace.</summary>
    Current,

    /// <summary>The older 2005/05 namespace (quirk Q-NS-PRINT-2005-05).</summary>
    Legacy200505,

    /// <summary>An <c>https://</c> spelling of either (quirk Q-HTTPS-NS).</summary>
    Https,
}

/// <summary>
/// The WS-Print action URIs: requests <c>{print}/Op</c>, responses <c>{print}/OpResponse</c>, events
/// <c>{print}/XxxEvent</c> (the WSDAPI proxy of <c>PrinterServiceType</c> and real captures use exactly these).
/// </summary>
public static class PrintActions
{
    /// <summary>GetPrinterElements.</summary>
    public const string GetPrinterElements = PrintNamespaces.Print + "/GetPrinterElements";

    /// <summary>GetPrinterElementsResponse.</summary>
    public const string GetPrinterElementsResponse = PrintNamespaces.Print + "/GetPrinterElementsResponse";

    /// <summary>CreatePrintJob.</summary>
    public const string CreatePrintJob = PrintNamespaces.Print + "/CreatePrintJob";

    /// <summary>CreatePrintJobResponse.</summary>
    public const string CreatePrintJobResponse = PrintNamespaces.Print + "/CreatePrintJobResponse";

    /// <summary>SendDocument (the document as an MTOM/XOP attachment).</summary>
    public const string SendDocument = PrintNamespaces.Print + "/SendDocument";

    /// <summary>SendDocumentResponse.</summary>
    public const string SendDocumentResponse = PrintNamespaces.Print + "/SendDocumentResponse";

    /// <summary>AddDocument (the document by URL reference).</summary>
    public const string AddDocument = PrintNamespaces.Print + "/AddDocument";

    /// <summary>AddDocumentResponse.</summary>
    public const string AddDocumentResponse = PrintNamespaces.Print + "/AddDocumentResponse";

    /// <summary>CancelJob.</summary>
    public const string CancelJob = PrintNamespaces.Print + "/CancelJob";

    /// <summary>CancelJobResponse.</summary>
    public const string CancelJobResponse = PrintNamespaces.Print + "/CancelJobResponse";

    /// <summary>GetJobElements.</summary>
    public const string GetJobElements = PrintNamespaces.Print + "/GetJobElements";

    /// <summary>GetJobElementsResponse.</summary>
    public const string GetJobElementsResponse = PrintNamespaces.Print + "/GetJobElementsResponse";

    /// <summary>GetActiveJobs.</summary>
    public const string GetActiveJobs = PrintNamespaces.Print + "/GetActiveJobs";

    /// <summary>GetActiveJobsResponse.</summary>
    public const string GetActiveJobsResponse = PrintNamespaces.Print + "/GetActiveJobsResponse";

    /// <summary>GetJobHistory.</summary>
    public const string GetJobHistory = PrintNamespaces.Print + "/GetJobHistory";

    /// <summary>GetJobHistoryResponse.</summary>
    public const string GetJobHistoryResponse = PrintNamespaces.Print + "/GetJobHistoryResponse";

    /// <summary>SetEventRate.</summary>
    public const string SetEventRate = PrintNamespaces.Print + "/SetEventRate";

    /// <summary>SetEventRateResponse.</summary>
    public const string SetEventRateResponse = PrintNamespaces.Print + "/SetEventRateResponse";

    /// <summary>PrinterElementsChangeEvent.</summary>
    public const string PrinterElementsChangeEvent = PrintNamespaces.Print + "/PrinterElementsChangeEvent";

    /// <summary>PrinterStatusSummaryEvent.</summary>
    public const string PrinterStatusSummaryEvent = PrintNamespaces.Print + "/PrinterStatusSummaryEvent";

    /// <summary>PrinterStatusConditionEvent.</summary>
    public const string PrinterStatusConditionEvent = PrintNamespaces.Print + "/PrinterStatusConditionEvent";

    /// <summary>PrinterStatusConditionClearedEvent.</summary>
    public const string PrinterStatusConditionClearedEvent = PrintNamespaces.Print + "/PrinterStatusConditionClearedEvent";

    /// <summary>JobStatusEvent.</summary>
    public const string JobStatusEvent = PrintNamespaces.Print + "/JobStatusEvent";

    /// <summary>JobEndStateEvent.</summary>
    public const string JobEndStateEvent = PrintNamespaces.Print + "/JobEndStateEvent";

    /// <summary>The request actions of the printer service (WS-Print v1.0 <c>PrinterServiceType</c>), in WSDL order.</summary>
    public static IReadOnlyList<string> Requests { get; } =
    [
        CreatePrintJob, SendDocument, AddDocument, CancelJob, GetPrinterElements, GetJobElements, GetActiveJobs, GetJobHistory, SetEventRate,
    ];

    /// <summary>The event actions, for a subscription filter that takes every printer event.</summary>
    public static IReadOnlyList<string> Events { get; } =
    [
        PrinterElementsChangeEvent, PrinterStatusSummaryEvent, PrinterStatusConditionEvent, PrinterStatusConditionClearedEvent,
        JobStatusEvent, JobEndStateEvent,
    ];

    /// <summary>The response action of a request action (<c>{action}Response</c>).</summary>
    public static string ResponseOf(string requestAction)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestAction);
        return requestAction + "Response";
    }
}

/// <summary>
/// The rule ids the WS-Print codec and service report in <see cref="Harness.Core.Diagnostics.Violation.RuleId"/>. The
/// conformance checklist has no print items yet; these are reader ids and quirk ids only.
/// </summary>
public static class PrintRuleIds
{
    /// <summary>Reader id: a required element or value is missing or not of its type.</summary>
    public const string Schema = "WPRT-SCHEMA";

    /// <summary>Reader id: ElementData without Name/Valid, or with namespace-qualified ones.</summary>
    public const string ElementData = "WPRT-ELEMENTDATA";

    /// <summary>Reader id: a JobId outside 1 to 2147483647 (Microsoft's JobId page).</summary>
    public const string JobId = "WPRT-JOBID";

    /// <summary>Reader id: a JobState, PrinterState or reason outside the documented values (they are extensible: Info).</summary>
    public const string Values = "WPRT-VALUES";

    /// <summary>Reader id: document data that is not an MTOM attachment (inline base64) or cannot be resolved.</summary>
    public const string DocumentData = "WPRT-DOCUMENTDATA";

    /// <summary>Quirk Q-NS-PRINT-2005-05: the older 2005/05 print namespace of Microsoft's samples.</summary>
    public const string LegacyNamespace = "Q-NS-PRINT-2005-05";

    /// <summary>Quirk Q-HTTPS-NS: an <c>https://</c> spelling of the print namespace.</summary>
    public const string HttpsNamespace = "Q-HTTPS-NS";
}

/// <summary>The element names GetPrinterElements and GetJobElements know (local names in the WS-Print namespace).</summary>
public static class PrintElementNames
{
    /// <summary>PrinterDescription.</summary>
    public const string PrinterDescription = "PrinterDescription";

    /// <summary>PrinterConfiguration.</summary>
    public const string PrinterConfiguration = "PrinterConfiguration";

    /// <summary>PrinterStatus.</summary>
    public const string PrinterStatus = "PrinterStatus";

    /// <summary>DefaultPrintTicket.</summary>
    public const string DefaultPrintTicket = "DefaultPrintTicket";

    /// <summary>PrinterCapabilities.</summary>
    public const string PrinterCapabilities = "PrinterCapabilities";

    /// <summary>JobStatus (GetJobElements).</summary>
    public const string JobStatus = "JobStatus";

    /// <summary>PrintTicket (GetJobElements).</summary>
    public const string PrintTicket = "PrintTicket";

    /// <summary>Documents (GetJobElements).</summary>
    public const string Documents = "Documents";
}

/// <summary>The documented <c>PrinterState</c> values (extensible).</summary>
public static class PrinterStates
{
    /// <summary>Idle: ready, no job processing.</summary>
    public const string Idle = "Idle";

    /// <summary>Processing: a job is printing.</summary>
    public const string Processing = "Processing";

    /// <summary>Stopped: no job can print until a condition is cleared.</summary>
    public const string Stopped = "Stopped";

    /// <summary>The documented values.</summary>
    public static IReadOnlyList<string> All { get; } = [Idle, Processing, Stopped];
}

/// <summary>The documented <c>JobState</c> values (Microsoft's WS-Print JobState page).</summary>
public static class PrintJobStates
{
    /// <summary>Aborted: the system aborted the job.</summary>
    public const string Aborted = "Aborted";

    /// <summary>Canceled: a client (CancelJob) or something outside WS-Print canceled it.</summary>
    public const string Canceled = "Canceled";

    /// <summary>Completed: finished, the last sheet stacked.</summary>
    public const string Completed = "Completed";

    /// <summary>Pending: waiting to be processed.</summary>
    public const string Pending = "Pending";

    /// <summary>PendingHeld: waiting but not schedulable (reached only by means outside WS-Print).</summary>
    public const string PendingHeld = "PendingHeld";

    /// <summary>Processing: being interpreted, rendered, marked or finished.</summary>
    public const string Processing = "Processing";

    /// <summary>ProcessingStopped: processing but unable to continue because of a condition.</summary>
    public const string ProcessingStopped = "ProcessingStopped";

    /// <summary>The documented values.</summary>
    public static IReadOnlyList<string> All { get; } = [Aborted, Canceled, Completed, Pending, PendingHeld, Processing, ProcessingStopped];

    /// <summary>True for the end states (Aborted, Canceled, Completed).</summary>
    public static bool IsTerminal(string state) => state is Aborted or Canceled or Completed;
}

/// <summary>The documented <c>JobStateReason</c> values (Microsoft's WS-Print JobStateReason page; extensible).</summary>
public static class PrintJobStateReasons
{
    /// <summary>CompressionError.</summary>
    public const string CompressionError = "CompressionError";

    /// <summary>DocumentAccessError: a document referenced by URL could not be retrieved.</summary>
    public const string DocumentAccessError = "DocumentAccessError";

    /// <summary>DocumentFormatError.</summary>
    public const string DocumentFormatError = "DocumentFormatError";

    /// <summary>JobCompletedSuccessfully.</summary>
    public const string JobCompletedSuccessfully = "JobCompletedSuccessfully";

    /// <summary>JobCompletedWithErrors.</summary>
    public const string JobCompletedWithErrors = "JobCompletedWithErrors";

    /// <summary>JobCompletedWithWarnings.</summary>
    public const string JobCompletedWithWarnings = "JobCompletedWithWarnings";

    /// <summary>JobIncoming: the job is being received.</summary>
    public const string JobIncoming = "JobIncoming";

    /// <summary>JobPrinting: the printer is working on it.</summary>
    public const string JobPrinting = "JobPrinting";

    /// <summary>None (the default).</summary>
    public const string None = "None";

    /// <summary>PrinterStopped.</summary>
    public const string PrinterStopped = "PrinterStopped";

    /// <summary>UnsupportedCompression.</summary>
    public const string UnsupportedCompression = "UnsupportedCompression";

    /// <summary>UnsupportedDocumentFormat.</summary>
    public const string UnsupportedDocumentFormat = "UnsupportedDocumentFormat";

    /// <summary>The documented values.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        CompressionError, DocumentAccessError, DocumentFormatError, JobCompletedSuccessfully, JobCompletedWithErrors, JobCompletedWithWarnings,
        JobIncoming, JobPrinting, None, PrinterStopped, UnsupportedCompression, UnsupportedDocumentFormat,
    ];
}
