using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Harness.Dpws.Print;

/// <summary>
/// Writes the WS-Print body elements of this folder's records as <see cref="XElement"/>s in the 2006/08 namespace with
/// the <c>wprt</c> prefix declared on the top element (QName values such as <c>wprt:PrinterStatus</c> resolve there).
/// Deterministic: the same record gives the same element, children in the order of Microsoft's syntax blocks and real
/// captures (SendDocumentRequest: JobId, DocumentDescription, DocumentProcessing, LastDocument, DocumentData);
/// <c>ElementData</c> carries unqualified <c>Name</c>/<c>Valid</c> and <c>DeviceCondition</c> an unqualified
/// <c>Id</c>; Booleans are written <c>true</c>/<c>false</c>, times as UTC <c>xs:dateTime</c>; extension elements
/// are copied as they were read.
/// </summary>
public static class PrintXmlWriter
{
    private static readonly XNamespace W = PrintNamespaces.Wprt;

    /// <summary>The element as compact XML text (no declaration), for tests and logs.</summary>
    public static string ToXmlString(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>GetPrinterElementsRequest.</summary>
    public static XElement Write(GetPrinterElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("GetPrinterElementsRequest", Requested(request.RequestedElements));
    }

    /// <summary>GetPrinterElementsResponse.</summary>
    public static XElement Write(GetPrinterElementsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetPrinterElementsResponse", E("PrinterElements", response.Elements.Select(d => ElementData(d.Name, d.Valid,
            d.Description is null ? null : Description(d.Description),
            d.Configuration is null ? null : Configuration(d.Configuration),
            d.Status is null ? null : Status(d.Status),
            d.DefaultPrintTicket is null ? null : Ticket("DefaultPrintTicket", d.DefaultPrintTicket),
            d.Other is null ? null : new XElement(d.Other)))));
    }

    /// <summary>A PrinterDescription element on its own.</summary>
    public static XElement Write(PrinterDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return Declare(Description(description));
    }

    /// <summary>A PrinterConfiguration element on its own.</summary>
    public static XElement Write(PrinterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Declare(Configuration(configuration));
    }

    /// <summary>A PrinterStatus element on its own.</summary>
    public static XElement Write(PrinterStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return Declare(Status(status));
    }

    /// <summary>A PrintTicket element on its own (<paramref name="localName"/> <c>DefaultPrintTicket</c> for the default one).</summary>
    public static XElement Write(PrintTicket ticket, string localName = "PrintTicket")
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentException.ThrowIfNullOrEmpty(localName);
        return Declare(Ticket(localName, ticket));
    }

    /// <summary>CreatePrintJobRequest.</summary>
    public static XElement Write(CreatePrintJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("CreatePrintJobRequest", Ticket("PrintTicket", request.Ticket));
    }

    /// <summary>CreatePrintJobResponse.</summary>
    public static XElement Write(CreatePrintJobResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("CreatePrintJobResponse", E("JobId", Int(response.JobId)));
    }

    /// <summary>
    /// SendDocumentRequest with <c>DocumentData/xop:Include href="cid:<paramref name="contentId"/>"</c> (the attachment
    /// travels as a part of the MTOM package).
    /// </summary>
    public static XElement Write(SendDocumentRequest request, string contentId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(contentId);
        return Top("SendDocumentRequest",
            E("JobId", Int(request.JobId)),
            DocumentDescription(request.Description),
            request.Processing is null ? null : DocumentProcessing(request.Processing),
            E("LastDocument", Bool(request.LastDocument)),
            E("DocumentData", Soap.MtomWriter.Include(contentId)));
    }

    /// <summary>SendDocumentResponse (empty).</summary>
    public static XElement WriteSendDocumentResponse() => Top("SendDocumentResponse");

    /// <summary>AddDocumentRequest.</summary>
    public static XElement Write(AddDocumentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("AddDocumentRequest",
            E("JobId", Int(request.JobId)),
            DocumentDescription(request.Description),
            request.Processing is null ? null : DocumentProcessing(request.Processing),
            E("LastDocument", Bool(request.LastDocument)),
            E("DocumentUrl", request.DocumentUrl));
    }

    /// <summary>AddDocumentResponse (empty).</summary>
    public static XElement WriteAddDocumentResponse() => Top("AddDocumentResponse");

    /// <summary>CancelJobRequest.</summary>
    public static XElement Write(CancelJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("CancelJobRequest", E("JobId", Int(request.JobId)));
    }

    /// <summary>CancelJobResponse (empty).</summary>
    public static XElement WriteCancelJobResponse() => Top("CancelJobResponse");

    /// <summary>GetJobElementsRequest.</summary>
    public static XElement Write(GetJobElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("GetJobElementsRequest", E("JobId", Int(request.JobId)), Requested(request.RequestedElements));
    }

    /// <summary>GetJobElementsResponse.</summary>
    public static XElement Write(GetJobElementsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetJobElementsResponse", E("JobElements", response.Elements.Select(d => ElementData(d.Name, d.Valid,
            d.Status is null ? null : JobStatus(d.Status),
            d.Ticket is null ? null : Ticket("PrintTicket", d.Ticket),
            d.Documents is null ? null : E("Documents", d.Documents.Select(Document))))));
    }

    /// <summary>GetActiveJobsRequest (empty).</summary>
    public static XElement WriteGetActiveJobsRequest() => Top("GetActiveJobsRequest");

    /// <summary>GetActiveJobsResponse.</summary>
    public static XElement Write(GetActiveJobsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetActiveJobsResponse", E("ActiveJobs", response.Jobs.Select(Summary)));
    }

    /// <summary>GetJobHistoryRequest (empty).</summary>
    public static XElement WriteGetJobHistoryRequest() => Top("GetJobHistoryRequest");

    /// <summary>GetJobHistoryResponse.</summary>
    public static XElement Write(GetJobHistoryResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetJobHistoryResponse", E("JobHistory", response.Jobs.Select(Summary)));
    }

    /// <summary>SetEventRateRequest.</summary>
    public static XElement Write(SetEventRateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("SetEventRateRequest", E("EventRate", Int(request.EventRate)));
    }

    /// <summary>SetEventRateResponse (empty).</summary>
    public static XElement WriteSetEventRateResponse() => Top("SetEventRateResponse");

    /// <summary>The body element of an event notification.</summary>
    public static XElement WriteEvent(PrintEvent printEvent)
    {
        ArgumentNullException.ThrowIfNull(printEvent);
        return printEvent switch
        {
            PrinterElementsChangeEvent e => Top("PrinterElementsChangeEvent", E("ElementChanges",
                e.Description is null ? null : ElementData(PrintQName.Print(PrintElementNames.PrinterDescription), true, Description(e.Description)),
                e.Configuration is null ? null : ElementData(PrintQName.Print(PrintElementNames.PrinterConfiguration), true, Configuration(e.Configuration)),
                e.DefaultPrintTicket is null ? null : ElementData(PrintQName.Print(PrintElementNames.DefaultPrintTicket), true, Ticket("DefaultPrintTicket", e.DefaultPrintTicket)))),
            PrinterStatusSummaryEvent e => Top("PrinterStatusSummaryEvent", E("StatusSummary",
                E("PrinterState", e.PrinterState),
                E("PrinterPrimaryStateReason", e.PrimaryStateReason),
                E("PrinterStateReasons", e.StateReasons.Select(r => E("PrinterStateReason", r))))),
            PrinterStatusConditionEvent e => Top("PrinterStatusConditionEvent", Condition(e.Condition)),
            PrinterStatusConditionClearedEvent e => Top("PrinterStatusConditionClearedEvent", E("DeviceConditionCleared",
                E("ConditionId", Int(e.ConditionId)), E("ConditionClearTime", Time(e.ClearTime)))),
            PrintJobStatusEvent e => Top("JobStatusEvent", JobStatus(e.Status)),
            PrintJobEndStateEvent e => Top("JobEndStateEvent", EndState(e.EndState)),
            _ => throw new ArgumentException($"Unknown event type {printEvent.GetType().Name}.", nameof(printEvent)),
        };
    }

    private static XElement Top(string local, params object?[] content) =>
        new(W + local, new XAttribute(XNamespace.Xmlns + PrintNamespaces.Prefix, PrintNamespaces.Print), content);

    private static XElement Declare(XElement element)
    {
        element.SetAttributeValue(XNamespace.Xmlns + PrintNamespaces.Prefix, PrintNamespaces.Print);
        return element;
    }

    private static XElement E(string local, params object?[] content) => new(W + local, content);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Time(DateTimeOffset value) => XmlConvert.ToString(value.ToUniversalTime().UtcDateTime, XmlDateTimeSerializationMode.Utc);

    private static XElement Requested(IReadOnlyList<PrintQName> names) =>
        E("RequestedElements", names.Select(n => E("Name", n.Text)));

    private static XElement ElementData(PrintQName name, bool valid, params object?[] content) =>
        E("ElementData", new XAttribute("Name", name.Text), new XAttribute("Valid", Bool(valid)), content);

    private static IEnumerable<XElement> Localized(string local, IEnumerable<PrintLocalizedString> values) =>
        values.Select(v => E(local, v.Language is null ? null : new XAttribute(XNamespace.Xml + "lang", v.Language), v.Text));

    private static IEnumerable<XElement> Copy(IEnumerable<XElement> elements) => elements.Select(e => new XElement(e));

    private static XElement Description(PrinterDescription d) => E("PrinterDescription",
        d.ColorSupported is { } color ? E("ColorSupported", Bool(color)) : null,
        d.DeviceId is { } id ? E("DeviceId", id) : null,
        d.MultipleDocumentJobsSupported is { } multiple ? E("MultipleDocumentJobsSupported", Bool(multiple)) : null,
        d.PagesPerMinute is { } ppm ? E("PagesPerMinute", Int(ppm)) : null,
        d.PagesPerMinuteColor is { } ppmColor ? E("PagesPerMinuteColor", Int(ppmColor)) : null,
        Localized("PrinterName", d.PrinterName),
        Localized("PrinterInfo", d.PrinterInfo),
        Localized("PrinterLocation", d.PrinterLocation),
        Copy(d.Extensions));

    private static XElement Configuration(PrinterConfiguration c) => E("PrinterConfiguration",
        c.PrinterEventRate is { } rate ? E("PrinterEventRate", Int(rate)) : null,
        c.Consumables.Count == 0 ? null : E("Consumables", c.Consumables.Select(x => E("ConsumableEntry", new XAttribute("Name", x.Name),
            x.Type is null ? null : E("Type", x.Type),
            x.Color is null ? null : E("Color", x.Color),
            x.Level is { } level ? E("Level", Int(level)) : null,
            x.Model is null ? null : E("Model", x.Model)))),
        c.InputBins.Count == 0 ? null : E("InputBins", c.InputBins.Select(b => E("InputBin", new XAttribute("Name", b.Name),
            b.FeedDirection is null ? null : E("FeedDirection", b.FeedDirection),
            b.MediaSizeName is null ? null : E("MediaSizeName", b.MediaSizeName),
            b.MediaType is null ? null : E("MediaType", b.MediaType),
            b.Capacity is { } capacity ? E("Capacity", Int(capacity)) : null,
            b.Level is { } level ? E("Level", Int(level)) : null))),
        Copy(c.Extensions));

    private static XElement Condition(PrintDeviceCondition c) => E("DeviceCondition", new XAttribute("Id", Int(c.Id)),
        E("Time", Time(c.Time)), E("Name", c.Name), E("Component", c.Component), E("Severity", c.Severity));

    private static XElement Status(PrinterStatus s) => E("PrinterStatus",
        s.PrinterCurrentTime is { } now ? E("PrinterCurrentTime", Time(now)) : null,
        E("PrinterState", s.PrinterState),
        E("PrinterPrimaryStateReason", s.PrinterPrimaryStateReason),
        E("PrinterStateReasons", s.PrinterStateReasons.Select(r => E("PrinterStateReason", r))),
        s.ActiveConditions.Count == 0 ? null : E("ActiveConditions", s.ActiveConditions.Select(Condition)),
        Copy(s.Extensions));

    private static XElement Ticket(string local, PrintTicket t) => E(local,
        t.JobDescription is { } d ? E("JobDescription", E("JobName", d.JobName), E("JobOriginatingUserName", d.JobOriginatingUserName), Copy(d.Extensions)) : null,
        t.JobProcessing is { } j ? E("JobProcessing",
            j.Copies is { } copies ? E("Copies", Int(copies)) : null,
            j.Priority is { } priority ? E("Priority", Int(priority)) : null,
            Copy(j.Extensions)) : null,
        t.DocumentProcessing is { } p ? DocumentProcessing(p) : null,
        Copy(t.Extensions));

    private static XElement DocumentProcessing(PrintDocumentProcessing p) => E("DocumentProcessing",
        p.MediaSizeName is null ? null : E("MediaSizeName", p.MediaSizeName),
        p.MediaType is null ? null : E("MediaType", p.MediaType),
        p.MediaColor is null ? null : E("MediaColor", p.MediaColor),
        p.Orientation is null ? null : E("Orientation", p.Orientation),
        p.PrintQuality is null ? null : E("PrintQuality", p.PrintQuality),
        p.Sides is null ? null : E("Sides", p.Sides),
        Copy(p.Extensions));

    private static XElement DocumentDescription(PrintDocumentDescription d) => E("DocumentDescription",
        E("DocumentId", Int(d.DocumentId)),
        d.DocumentName is null ? null : E("DocumentName", d.DocumentName),
        d.Compression is null ? null : E("Compression", d.Compression),
        d.Format is null ? null : E("Format", d.Format),
        Copy(d.Extensions));

    private static XElement Document(PrintJobDocument d) => E("Document",
        DocumentDescription(d.Description),
        d.State is null ? null : E("DocumentStatus", E("DocumentState", d.State)));

    private static IEnumerable<XElement> Counters(int kOctets, int sheets, int documents) =>
    [
        E("KOctetsProcessed", Int(kOctets)),
        E("MediaSheetsCompleted", Int(sheets)),
        E("NumberOfDocuments", Int(documents)),
    ];

    private static XElement JobStatus(PrintJobStatus s) => E("JobStatus",
        E("JobId", Int(s.JobId)),
        E("JobState", s.JobState),
        E("JobStateReasons", s.JobStateReasons.Select(r => E("JobStateReason", r))),
        Counters(s.KOctetsProcessed, s.MediaSheetsCompleted, s.NumberOfDocuments));

    private static XElement Summary(PrintJobSummary s) => E("JobSummary",
        E("JobId", Int(s.JobId)),
        E("JobName", s.JobName),
        E("JobOriginatingUserName", s.JobOriginatingUserName),
        E("JobState", s.JobState),
        E("JobStateReasons", s.JobStateReasons.Select(r => E("JobStateReason", r))),
        Counters(s.KOctetsProcessed, s.MediaSheetsCompleted, s.NumberOfDocuments));

    private static XElement EndState(PrintJobEndState s) => E("JobEndState",
        E("JobId", Int(s.JobId)),
        E("JobCompletedState", s.JobCompletedState),
        E("JobCompletedStateReasons", s.JobCompletedStateReasons.Select(r => E("JobStateReason", r))),
        E("JobName", s.JobName),
        E("JobOriginatingUserName", s.JobOriginatingUserName),
        Counters(s.KOctetsProcessed, s.MediaSheetsCompleted, s.NumberOfDocuments));
}
