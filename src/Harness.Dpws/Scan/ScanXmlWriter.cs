using System.Globalization;
using System.Xml.Linq;

namespace Harness.Dpws.Scan;

/// <summary>
/// Writes the WS-Scan body elements deterministically: the same record gives the same element (and text). Elements
/// are in the 2006/08 namespace with prefix <c>wscn</c> (declared on the top element), children in the order of
/// Microsoft's schema samples; <c>ElementData</c> carries unqualified <c>Name</c>/<c>Valid</c> and
/// <c>DeviceCondition</c> an unqualified <c>Id</c> (the schema's form); ticket attributes are written
/// <c>wscn:MustHonor</c>, <c>wscn:Override</c>, <c>wscn:UsedDefault</c> as the documentation shows them.
/// </summary>
public static class ScanXmlWriter
{
    private static readonly XNamespace Ns = ScanNamespaces.Wscn;

    /// <summary>The element as text without formatting (what goes inside <c>soap:Body</c>).</summary>
    public static string ToXmlString(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>GetScannerElementsRequest.</summary>
    public static XElement Write(GetScannerElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("GetScannerElementsRequest", RequestedElements(request.RequestedElements));
    }

    /// <summary>GetScannerElementsResponse.</summary>
    public static XElement Write(GetScannerElementsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetScannerElementsResponse", E("ScannerElements", response.Elements.Select(d => ElementData(d.Name, d.Valid,
            d.Description is null ? null : Description(d.Description),
            d.Configuration is null ? null : Configuration(d.Configuration),
            d.Status is null ? null : Status(d.Status),
            d.DefaultScanTicket is null ? null : Ticket("DefaultScanTicket", d.DefaultScanTicket)))));
    }

    /// <summary>A ScannerConfiguration element on its own.</summary>
    public static XElement Write(ScannerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Declare(Configuration(configuration));
    }

    /// <summary>A ScanTicket element on its own.</summary>
    public static XElement Write(ScanTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Declare(Ticket("ScanTicket", ticket));
    }

    /// <summary>ValidateScanTicketRequest.</summary>
    public static XElement Write(ValidateScanTicketRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("ValidateScanTicketRequest", Ticket("ScanTicket", request.Ticket));
    }

    /// <summary>ValidateScanTicketResponse.</summary>
    public static XElement Write(ValidateScanTicketResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("ValidateScanTicketResponse", E("ValidationInfo",
            E("ValidTicket", Bool(response.ValidTicket)),
            response.ImageInformation is null ? null : ImageInformation(response.ImageInformation),
            response.ValidScanTicket is null ? null : Ticket("ValidScanTicket", response.ValidScanTicket)));
    }

    /// <summary>CreateScanJobRequest.</summary>
    public static XElement Write(CreateScanJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("CreateScanJobRequest",
            request.ScanIdentifier is null ? null : E("ScanIdentifier", request.ScanIdentifier),
            request.DestinationToken is null ? null : E("DestinationToken", request.DestinationToken),
            Ticket("ScanTicket", request.Ticket));
    }

    /// <summary>CreateScanJobResponse.</summary>
    public static XElement Write(CreateScanJobResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("CreateScanJobResponse",
            E("JobId", Int(response.JobId)),
            E("JobToken", response.JobToken),
            ImageInformation(response.ImageInformation),
            Parameters("DocumentFinalParameters", response.DocumentFinalParameters));
    }

    /// <summary>RetrieveImageRequest.</summary>
    public static XElement Write(RetrieveImageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("RetrieveImageRequest",
            E("JobId", Int(request.JobId)),
            E("JobToken", request.JobToken),
            request.DocumentName is null ? null : E("DocumentDescription", E("DocumentName", request.DocumentName)));
    }

    /// <summary>
    /// RetrieveImageResponse: <c>ScanData/xop:Include href="cid:…"</c> naming the MTOM attachment whose Content-ID is
    /// <paramref name="contentId"/> (without angle brackets or <c>cid:</c>).
    /// </summary>
    public static XElement WriteRetrieveImageResponse(string contentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentId);
        var xop = XNamespace.Get(ScanNamespaces.Xop);
        var top = Top("RetrieveImageResponse", E("ScanData", new XElement(xop + "Include", new XAttribute("href", "cid:" + Uri.EscapeDataString(contentId).Replace("%40", "@", StringComparison.Ordinal)))));
        top.Add(new XAttribute(XNamespace.Xmlns + "xop", ScanNamespaces.Xop));
        return top;
    }

    /// <summary>CancelJobRequest.</summary>
    public static XElement Write(CancelJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("CancelJobRequest", E("JobId", Int(request.JobId)));
    }

    /// <summary>CancelJobResponse (empty).</summary>
    public static XElement WriteCancelJobResponse() => Top("CancelJobResponse");

    /// <summary>GetActiveJobsRequest (empty).</summary>
    public static XElement WriteGetActiveJobsRequest() => Top("GetActiveJobsRequest");

    /// <summary>GetActiveJobsResponse.</summary>
    public static XElement Write(GetActiveJobsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetActiveJobsResponse", E("ActiveJobs", response.Jobs.Select(j => Summary("JobSummary", j, endState: false))));
    }

    /// <summary>GetJobHistoryRequest (empty).</summary>
    public static XElement WriteGetJobHistoryRequest() => Top("GetJobHistoryRequest");

    /// <summary>GetJobHistoryResponse.</summary>
    public static XElement Write(GetJobHistoryResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetJobHistoryResponse", E("JobHistory", response.Jobs.Select(j => Summary("JobSummary", j, endState: false))));
    }

    /// <summary>GetJobElementsRequest.</summary>
    public static XElement Write(GetJobElementsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Top("GetJobElementsRequest", E("JobId", Int(request.JobId)), RequestedElements(request.RequestedElements));
    }

    /// <summary>GetJobElementsResponse.</summary>
    public static XElement Write(GetJobElementsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Top("GetJobElementsResponse", E("JobElements", response.Elements.Select(d => ElementData(d.Name, d.Valid,
            d.JobStatus is null ? null : JobStatus(d.JobStatus),
            d.ScanTicket is null ? null : Ticket("ScanTicket", d.ScanTicket),
            d.Documents is null ? null : Documents(d.Documents)))));
    }

    /// <summary>The body element of an event notification.</summary>
    public static XElement WriteEvent(ScanEvent scanEvent)
    {
        ArgumentNullException.ThrowIfNull(scanEvent);
        return scanEvent switch
        {
            ScannerElementsChangeEvent e => Top("ScannerElementsChangeEvent", E("ElementChanges",
                e.Description is null ? null : Description(e.Description),
                e.Configuration is null ? null : Configuration(e.Configuration),
                e.DefaultScanTicket is null ? null : Ticket("DefaultScanTicket", e.DefaultScanTicket))),
            ScannerStatusSummaryEvent e => Top("ScannerStatusSummaryEvent", E("StatusSummary",
                E("ScannerState", e.State), StateReasons(e.StateReasons))),
            ScannerStatusConditionEvent e => Top("ScannerStatusConditionEvent", Condition("DeviceCondition", e.Condition)),
            ScannerStatusConditionClearedEvent e => Top("ScannerStatusConditionClearedEvent", E("DeviceConditionCleared",
                E("ConditionId", Int(e.ConditionId)), E("ConditionClearTime", Time(e.ClearTime)))),
            JobStatusEvent e => Top("JobStatusEvent", JobStatus(e.Status)),
            JobEndStateEvent e => Top("JobEndStateEvent", Summary("JobEndState", e.EndState, endState: true)),
            ScanAvailableEvent e => Top("ScanAvailableEvent",
                E("ClientContext", e.ClientContext),
                E("ScanIdentifier", e.ScanIdentifier),
                e.InputSource is null ? null : E("InputSource", e.InputSource)),
            _ => throw new ArgumentException($"Unknown scan event {scanEvent.GetType().Name}.", nameof(scanEvent)),
        };
    }

    /// <summary>The <c>wscn:ScanDestinations</c> extension a client puts in its Subscribe.</summary>
    public static XElement WriteScanDestinations(IEnumerable<ScanDestination> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        return Top("ScanDestinations", destinations.Select(d => E("ScanDestination", E("ClientDisplayName", d.ClientDisplayName), E("ClientContext", d.ClientContext))));
    }

    /// <summary>The <c>wscn:DestinationResponses</c> extension the scanner puts in its SubscribeResponse.</summary>
    public static XElement WriteDestinationResponses(IEnumerable<ScanDestinationResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        return Top("DestinationResponses", responses.Select(r => E("DestinationResponse", E("ClientContext", r.ClientContext), E("DestinationToken", r.DestinationToken))));
    }

    private static XElement Top(string local, params object?[] content) => Declare(new XElement(Ns + local, content));

    private static XElement Declare(XElement element)
    {
        var attributes = element.Attributes().ToList();
        element.ReplaceAttributes([new XAttribute(XNamespace.Xmlns + ScanNamespaces.Prefix, ScanNamespaces.Scan), .. attributes]);
        return element;
    }

    private static XElement E(string local, params object?[] content) => new(Ns + local, content);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static XElement RequestedElements(IReadOnlyList<ScanQName> names) =>
        E("RequestedElements", names.Select(n => E("Name", QNameText(n, null))));

    private static XElement ElementData(ScanQName name, bool valid, params object?[] content)
    {
        var element = E("ElementData");
        element.Add(new XAttribute("Name", QNameText(name, element)), new XAttribute("Valid", Bool(valid)));
        element.Add(content);
        return element;
    }

    // wscn:Local for the scan namespace; for another namespace a prefix declared on the element (n0), or the raw text
    // when the name never resolved.
    private static string QNameText(ScanQName name, XElement? declareOn)
    {
        if (name.Name is null)
        {
            return name.Text;
        }

        if (ScanNamespaces.Classify(name.Name.NamespaceName) != ScanNamespaceKind.Other)
        {
            return ScanNamespaces.Prefix + ":" + name.Name.LocalName;
        }

        if (name.Name.Namespace == XNamespace.None || declareOn is null)
        {
            return name.Name.Namespace == XNamespace.None ? name.Name.LocalName : name.Text;
        }

        declareOn.Add(new XAttribute(XNamespace.Xmlns + "n0", name.Name.NamespaceName));
        return "n0:" + name.Name.LocalName;
    }

    private static XElement Description(ScannerDescription description)
    {
        XAttribute? Lang() => description.Language is null ? null : new XAttribute(XNamespace.Xml + "lang", description.Language);
        return E("ScannerDescription",
            E("ScannerName", Lang(), description.Name),
            description.Info is null ? null : E("ScannerInfo", Lang(), description.Info),
            description.Location is null ? null : E("ScannerLocation", Lang(), description.Location));
    }

    private static XElement Configuration(ScannerConfiguration configuration)
    {
        var s = configuration.DeviceSettings;
        var scaling = s.ScalingWidthSupported is null && s.ScalingHeightSupported is null
            ? null
            : E("ScalingRangeSupported", Range("ScalingWidth", s.ScalingWidthSupported), Range("ScalingHeight", s.ScalingHeightSupported));
        var settings = E("DeviceSettings",
            E("FormatsSupported", s.FormatsSupported.Select(f => E("FormatValue", f))),
            Range("CompressionQualityFactorSupported", s.CompressionQualityFactorSupported),
            E("ContentTypesSupported", s.ContentTypesSupported.Select(c => E("ContentTypeValue", c))),
            E("DocumentSizeAutoDetectSupported", Bool(s.DocumentSizeAutoDetectSupported)),
            E("AutoExposureSupported", Bool(s.AutoExposureSupported)),
            E("BrightnessSupported", Bool(s.BrightnessSupported)),
            E("ContrastSupported", Bool(s.ContrastSupported)),
            scaling,
            E("RotationsSupported", s.RotationsSupported.Select(r => E("RotationValue", Int(r)))));
        XElement? adf = null;
        if (configuration.Adf is { } a)
        {
            adf = E("ADF",
                E("ADFSupportsDuplex", Bool(a.SupportsDuplex)),
                a.Front is null ? null : Source("ADFFront", "ADF", a.Front),
                a.Back is null ? null : Source("ADFBack", "ADF", a.Back));
        }

        return E("ScannerConfiguration", settings, configuration.Platen is null ? null : Source("Platen", "Platen", configuration.Platen), adf);
    }

    private static XElement? Range(string local, ScanRange? range) =>
        range is { } r ? E(local, E("MinValue", Int(r.Min)), E("MaxValue", Int(r.Max))) : null;

    private static XElement Size(string local, ScanSize size) => E(local, E("Width", Int(size.Width)), E("Height", Int(size.Height)));

    private static XElement Source(string local, string prefix, ScanSourceCapabilities source) =>
        E(local,
            Size(prefix + "OpticalResolution", source.OpticalResolution),
            E(prefix + "Resolutions",
                E("Widths", source.ResolutionWidths.Select(w => E("Width", Int(w)))),
                E("Heights", source.ResolutionHeights.Select(h => E("Height", Int(h))))),
            E(prefix + "Color", source.ColorModes.Select(c => E("ColorEntry", c))),
            Size(prefix + "MinimumSize", source.MinimumSize),
            Size(prefix + "MaximumSize", source.MaximumSize));

    private static XElement Status(ScannerStatus status) =>
        E("ScannerStatus",
            status.CurrentTime is { } time ? E("ScannerCurrentTime", Time(time)) : null,
            E("ScannerState", status.State),
            StateReasons(status.StateReasons),
            status.ActiveConditions.Count == 0 ? null : E("ActiveConditions", status.ActiveConditions.Select(c => Condition("DeviceCondition", c))));

    private static XElement StateReasons(IReadOnlyList<string> reasons) =>
        E("ScannerStateReasons", (reasons.Count == 0 ? [ScannerStates.ReasonNone] : reasons).Select(r => E("ScannerStateReason", r)));

    private static XElement Condition(string local, ScanDeviceCondition condition) =>
        E(local,
            new XAttribute("Id", Int(condition.Id)),
            E("Time", Time(condition.Time)),
            E("Name", condition.Name),
            E("Component", condition.Component),
            E("Severity", condition.Severity));

    private static XElement Ticket(string local, ScanTicket ticket)
    {
        var d = ticket.JobDescription;
        return E(local,
            d is null ? null : E("JobDescription",
                E("JobName", d.JobName),
                E("JobOriginatingUserName", d.JobOriginatingUserName),
                d.JobInformation is null ? null : E("JobInformation", d.JobInformation)),
            Parameters("DocumentParameters", ticket.DocumentParameters));
    }

    private static XElement Parameters(string local, ScanDocumentParameters p)
    {
        XElement? inputSize = null;
        if (p.InputSize is { } size)
        {
            inputSize = E("InputSize", Attributes(size.Attributes),
                size.DocumentSizeAutoDetect is { } auto ? E("DocumentSizeAutoDetect", Bool(auto)) : null,
                size.Width is null && size.Height is null ? null : E("InputMediaSize", Value("Width", size.Width), Value("Height", size.Height)));
        }

        XElement? exposure = null;
        if (p.Exposure is { } e)
        {
            exposure = E("Exposure", Attributes(e.Attributes),
                e.AutoExposure is { } auto ? E("AutoExposure", Bool(auto)) : null,
                e.Contrast is null && e.Brightness is null && e.Sharpness is null
                    ? null
                    : E("ExposureSettings", Value("Contrast", e.Contrast), Value("Brightness", e.Brightness), Value("Sharpness", e.Sharpness)));
        }

        return E(local,
            Value("Format", p.Format),
            Value("CompressionQualityFactor", p.CompressionQualityFactor),
            Value("ImagesToTransfer", p.ImagesToTransfer),
            Value("InputSource", p.InputSource),
            Value("ContentType", p.ContentType),
            inputSize,
            exposure,
            p.Scaling is { } s ? E("Scaling", Attributes(s.Attributes), Value("ScalingWidth", s.Width), Value("ScalingHeight", s.Height)) : null,
            Value("Rotation", p.Rotation),
            p.MediaSides is { } m ? E("MediaSides", Attributes(m.Attributes), Side("MediaFront", m.Front), Side("MediaBack", m.Back)) : null);
    }

    private static XElement? Side(string local, ScanMediaSide? side)
    {
        if (side is null)
        {
            return null;
        }

        var r = side.ScanRegion;
        return E(local,
            r is null ? null : E("ScanRegion",
                Value("ScanRegionXOffset", r.XOffset),
                Value("ScanRegionYOffset", r.YOffset),
                Value("ScanRegionWidth", r.Width),
                Value("ScanRegionHeight", r.Height)),
            Value("ColorProcessing", side.ColorProcessing),
            side.Resolution is { } res ? E("Resolution", Attributes(res.Attributes), Value("Width", res.Width), Value("Height", res.Height)) : null);
    }

    private static XElement? Value(string local, ScanValue<int>? value) =>
        value is null ? null : E(local, Attributes(value.Attributes), Int(value.Value));

    private static XElement? Value(string local, ScanValue<string>? value) =>
        value is null ? null : E(local, Attributes(value.Attributes), value.Value);

    private static IEnumerable<XAttribute> Attributes(ScanAttributes attributes)
    {
        if (attributes.MustHonor is { } mustHonor)
        {
            yield return new XAttribute(Ns + "MustHonor", Bool(mustHonor));
        }

        if (attributes.Override is { } overridden)
        {
            yield return new XAttribute(Ns + "Override", Bool(overridden));
        }

        if (attributes.UsedDefault is { } usedDefault)
        {
            yield return new XAttribute(Ns + "UsedDefault", Bool(usedDefault));
        }
    }

    private static XElement ImageInformation(ScanImageInformation info) =>
        E("ImageInformation", ImageInfo("MediaFrontImageInfo", info.Front), info.Back is null ? null : ImageInfo("MediaBackImageInfo", info.Back));

    private static XElement ImageInfo(string local, ScanImageInfo info) =>
        E(local, E("PixelsPerLine", Int(info.PixelsPerLine)), E("NumberOfLines", Int(info.NumberOfLines)), E("BytesPerLine", Int(info.BytesPerLine)));

    private static XElement JobStatus(ScanJobStatus status) =>
        E("JobStatus",
            E("JobId", Int(status.JobId)),
            E("JobState", status.JobState),
            E("JobStateReasons", status.JobStateReasons.Select(r => E("JobStateReason", r))),
            E("ScansCompleted", Int(status.ScansCompleted)),
            status.JobCreatedTime is { } created ? E("JobCreatedTime", Time(created)) : null,
            status.JobCompletedTime is { } completed ? E("JobCompletedTime", Time(completed)) : null);

    // JobSummary: JobId, JobName, JobOriginatingUserName, JobState, JobStateReasons, ScansCompleted (Microsoft's
    // GetActiveJobs sample); JobEndState: JobId, JobCompletedState, JobCompletedStateReasons, JobName,
    // JobOriginatingUserName, ScansCompleted, JobCompletedTime (the JobEndStateEvent sample).
    private static XElement Summary(string local, ScanJobSummary summary, bool endState) => endState
        ? E(local,
            E("JobId", Int(summary.JobId)),
            E("JobCompletedState", summary.JobState),
            E("JobCompletedStateReasons", summary.JobStateReasons.Select(r => E("JobStateReason", r))),
            E("JobName", summary.JobName),
            E("JobOriginatingUserName", summary.JobOriginatingUserName),
            E("ScansCompleted", Int(summary.ScansCompleted)),
            summary.JobCreatedTime is { } created ? E("JobCreatedTime", Time(created)) : null,
            summary.JobCompletedTime is { } completed ? E("JobCompletedTime", Time(completed)) : null)
        : E(local,
            E("JobId", Int(summary.JobId)),
            E("JobName", summary.JobName),
            E("JobOriginatingUserName", summary.JobOriginatingUserName),
            E("JobState", summary.JobState),
            E("JobStateReasons", summary.JobStateReasons.Select(r => E("JobStateReason", r))),
            E("ScansCompleted", Int(summary.ScansCompleted)));

    private static XElement Documents(ScanDocuments documents) =>
        E("Documents",
            Parameters("DocumentFinalParameters", documents.FinalParameters),
            documents.DocumentNames.Select(n => E("Document", E("DocumentDescription", E("DocumentName", n)))));
}
