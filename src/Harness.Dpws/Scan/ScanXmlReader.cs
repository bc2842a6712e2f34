using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Scan;

/// <summary>The outcome of a <see cref="ScanXmlReader"/> call: what was understood plus the deviations found.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Value">The record, or null when the element could not be understood (or strict mode met an error).</param>
/// <param name="Violations">The deviations found.</param>
public sealed record ScanReadResult<T>(T? Value, IReadOnlyList<Violation> Violations)
    where T : class
{
    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool Success => Value is not null;
}

/// <summary>
/// Reads WS-Scan body elements (the child of <c>soap:Body</c>, as <see cref="SafeXml"/> or the SOAP reader produced it)
/// into the records of this folder. Lenient: the 2006/01 and <c>https://</c> namespace spellings, qualified or
/// unqualified <c>Name</c>/<c>Valid</c>/<c>Id</c>/<c>MustHonor</c> attributes, Booleans as 0/1/true/false in any case,
/// whitespace around values (Microsoft's samples are pretty-printed). Every deviation is a <see cref="Violation"/>;
/// strict mode returns no record when one is an error. Never throws on a peer's input.
/// </summary>
public static class ScanXmlReader
{
    /// <summary>Loads <paramref name="xml"/> with <see cref="SafeXml"/> and returns its root element (for tests and tools), or null.</summary>
    public static XElement? LoadElement(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var result = SafeXml.Load(System.Text.Encoding.UTF8.GetBytes(xml));
        return result.Document?.Root;
    }

    /// <summary>Reads GetScannerElementsRequest.</summary>
    public static ScanReadResult<GetScannerElementsRequest> ReadGetScannerElementsRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetScannerElementsRequest", r => new GetScannerElementsRequest(r.RequestedNames(element)));

    /// <summary>Reads GetScannerElementsResponse.</summary>
    public static ScanReadResult<GetScannerElementsResponse> ReadGetScannerElementsResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetScannerElementsResponse", r =>
        {
            var container = r.Required(element, "ScannerElements");
            var list = new List<ScannerElementData>();
            foreach (var data in r.Children(container, "ElementData"))
            {
                var (name, valid) = r.ElementDataHeader(data);
                list.Add(new ScannerElementData(name, valid)
                {
                    Description = r.Child(data, "ScannerDescription") is { } d ? r.Description(d) : null,
                    Configuration = r.Child(data, "ScannerConfiguration") is { } c ? r.Configuration(c) : null,
                    Status = r.Child(data, "ScannerStatus") is { } s ? r.Status(s) : null,
                    DefaultScanTicket = r.Child(data, "DefaultScanTicket") is { } t ? r.Ticket(t) : null,
                });
            }

            return new GetScannerElementsResponse(list);
        });

    /// <summary>Reads a ScannerConfiguration element on its own.</summary>
    public static ScanReadResult<ScannerConfiguration> ReadScannerConfiguration(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "ScannerConfiguration", r => r.Configuration(element));

    /// <summary>Reads a ScanTicket (or DefaultScanTicket / ValidScanTicket) element on its own.</summary>
    public static ScanReadResult<ScanTicket> ReadScanTicket(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, null, r => r.Ticket(element));

    /// <summary>Reads ValidateScanTicketRequest.</summary>
    public static ScanReadResult<ValidateScanTicketRequest> ReadValidateScanTicketRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "ValidateScanTicketRequest", r => new ValidateScanTicketRequest(r.Ticket(r.Required(element, "ScanTicket"))));

    /// <summary>Reads ValidateScanTicketResponse.</summary>
    public static ScanReadResult<ValidateScanTicketResponse> ReadValidateScanTicketResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "ValidateScanTicketResponse", r =>
        {
            var info = r.Required(element, "ValidationInfo");
            var valid = r.Bool(r.Required(info, "ValidTicket")) ?? false;
            var image = r.Child(info, "ImageInformation") is { } i ? r.ImageInformation(i) : null;
            var ticket = r.Child(info, "ValidScanTicket") is { } t ? r.Ticket(t) : null;
            if (!valid && ticket is null)
            {
                r.Add(ScanRuleIds.Validation, "ValidTicket is false but no ValidScanTicket with corrected values follows.", ViolationSeverity.Warning, info);
            }

            return new ValidateScanTicketResponse(valid, image, ticket);
        });

    /// <summary>Reads CreateScanJobRequest.</summary>
    public static ScanReadResult<CreateScanJobRequest> ReadCreateScanJobRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "CreateScanJobRequest", r => new CreateScanJobRequest(
            r.Ticket(r.Required(element, "ScanTicket")),
            r.Child(element, "ScanIdentifier") is { } id ? Text(id) : null,
            r.Child(element, "DestinationToken") is { } token ? Text(token) : null));

    /// <summary>Reads CreateScanJobResponse (also the misspelt <c>DocumentFinalParamters</c> of Microsoft's sample, reported).</summary>
    public static ScanReadResult<CreateScanJobResponse> ReadCreateScanJobResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "CreateScanJobResponse", r =>
        {
            var jobId = r.Int(r.Required(element, "JobId", ScanRuleIds.CreateScanJob)) ?? 0;
            var tokenElement = r.Required(element, "JobToken", ScanRuleIds.CreateScanJob);
            var token = tokenElement is null ? string.Empty : Text(tokenElement);
            var image = r.Child(element, "ImageInformation") is { } i ? r.ImageInformation(i) : null;
            if (image is null)
            {
                r.Add(ScanRuleIds.CreateScanJob, "CreateScanJobResponse has no ImageInformation.", ViolationSeverity.Error, element);
            }

            var final = r.Child(element, "DocumentFinalParameters");
            if (final is null && r.Child(element, "DocumentFinalParamters") is { } misspelt)
            {
                r.Add(ScanRuleIds.Schema, "DocumentFinalParameters is misspelt DocumentFinalParamters (as in Microsoft's sample).", ViolationSeverity.Warning, misspelt);
                final = misspelt;
            }

            if (final is null)
            {
                r.Add(ScanRuleIds.CreateScanJob, "CreateScanJobResponse has no DocumentFinalParameters.", ViolationSeverity.Error, element);
            }

            return new CreateScanJobResponse(jobId, token, image ?? new ScanImageInformation(new ScanImageInfo(0, 0, 0)), final is null ? new ScanDocumentParameters() : r.Parameters(final));
        });

    /// <summary>Reads RetrieveImageRequest.</summary>
    public static ScanReadResult<RetrieveImageRequest> ReadRetrieveImageRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "RetrieveImageRequest", r =>
        {
            var jobId = r.Int(r.Required(element, "JobId"));
            var token = r.Required(element, "JobToken");
            var name = r.Child(element, "DocumentDescription") is { } d && r.Child(d, "DocumentName") is { } n ? Text(n) : null;
            return jobId is null || token is null ? null : new RetrieveImageRequest(jobId.Value, Text(token), name);
        });

    /// <summary>Reads RetrieveImageResponse: the <c>href</c> of <c>ScanData/xop:Include</c> (a <c>cid:</c> reference), or of an inline base64 ScanData the text length.</summary>
    public static ScanReadResult<string> ReadRetrieveImageResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "RetrieveImageResponse", r =>
        {
            var data = r.Required(element, "ScanData");
            if (data is null)
            {
                return null;
            }

            var include = data.Elements().FirstOrDefault(e => e.Name.LocalName == "Include");
            if (include?.Attribute("href") is { } href)
            {
                return Text(href.Value);
            }

            r.Add(ScanRuleIds.Schema, "ScanData holds no xop:Include with an href; the image is not an MTOM attachment (WSD-SCN-010).", ViolationSeverity.Error, data);
            return null;
        });

    /// <summary>Reads CancelJobRequest.</summary>
    public static ScanReadResult<CancelJobRequest> ReadCancelJobRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "CancelJobRequest", r => r.Int(r.Required(element, "JobId")) is { } id ? new CancelJobRequest(id) : null);

    /// <summary>Reads GetActiveJobsResponse.</summary>
    public static ScanReadResult<GetActiveJobsResponse> ReadGetActiveJobsResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetActiveJobsResponse", r =>
            new GetActiveJobsResponse(r.Required(element, "ActiveJobs") is { } jobs ? [.. r.Children(jobs, "JobSummary").Select(r.Summary)] : []));

    /// <summary>Reads GetJobHistoryResponse.</summary>
    public static ScanReadResult<GetJobHistoryResponse> ReadGetJobHistoryResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetJobHistoryResponse", r =>
            new GetJobHistoryResponse(r.Required(element, "JobHistory") is { } jobs ? [.. r.Children(jobs, "JobSummary").Select(r.Summary)] : []));

    /// <summary>Reads GetJobElementsRequest (or Microsoft's sample name GetJobElements).</summary>
    public static ScanReadResult<GetJobElementsRequest> ReadGetJobElementsRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetJobElementsRequest", r =>
            r.Int(r.Required(element, "JobId")) is { } id ? new GetJobElementsRequest(id, r.RequestedNames(element)) : null, "GetJobElements");

    /// <summary>Reads GetJobElementsResponse.</summary>
    public static ScanReadResult<GetJobElementsResponse> ReadGetJobElementsResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetJobElementsResponse", r =>
        {
            var container = r.Required(element, "JobElements");
            var list = new List<ScanJobElementData>();
            foreach (var data in r.Children(container, "ElementData"))
            {
                var (name, valid) = r.ElementDataHeader(data);
                list.Add(new ScanJobElementData(name, valid)
                {
                    JobStatus = r.Child(data, "JobStatus") is { } s ? r.JobStatus(s) : null,
                    ScanTicket = r.Child(data, "ScanTicket") is { } t ? r.Ticket(t) : null,
                    Documents = r.Child(data, "Documents") is { } d ? r.Documents(d) : null,
                });
            }

            return new GetJobElementsResponse(list);
        });

    /// <summary>Reads a scanner event body (any of the seven WS-Scan events), chosen by the element name.</summary>
    public static ScanReadResult<ScanEvent> ReadEvent(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run<ScanEvent>(element, mode, null, r =>
        {
            switch (element.Name.LocalName)
            {
                case "ScannerElementsChangeEvent":
                    var changes = r.Required(element, "ElementChanges");
                    return new ScannerElementsChangeEvent
                    {
                        Description = r.Child(changes, "ScannerDescription") is { } d ? r.Description(d) : null,
                        Configuration = r.Child(changes, "ScannerConfiguration") is { } c ? r.Configuration(c) : null,
                        DefaultScanTicket = r.Child(changes, "DefaultScanTicket") is { } t ? r.Ticket(t) : null,
                    };
                case "ScannerStatusSummaryEvent":
                    var summary = r.Required(element, "StatusSummary");
                    return new ScannerStatusSummaryEvent(
                        r.Child(summary, "ScannerState") is { } state ? Text(state) : string.Empty,
                        r.Child(summary, "ScannerStateReasons") is { } reasons ? [.. r.Children(reasons, "ScannerStateReason").Select(Text)] : []);
                case "ScannerStatusConditionEvent":
                    return r.Required(element, "DeviceCondition") is { } condition ? new ScannerStatusConditionEvent(r.Condition(condition)) : null;
                case "ScannerStatusConditionClearedEvent":
                    var cleared = r.Required(element, "DeviceConditionCleared");
                    return new ScannerStatusConditionClearedEvent(
                        r.Int(r.Required(cleared, "ConditionId")) ?? 0,
                        r.Time(r.Required(cleared, "ConditionClearTime")) ?? default);
                case "JobStatusEvent":
                    return r.Required(element, "JobStatus") is { } status ? new JobStatusEvent(r.JobStatus(status)) : null;
                case "JobEndStateEvent":
                    return r.Required(element, "JobEndState") is { } end ? new JobEndStateEvent(r.Summary(end)) : null;
                case "ScanAvailableEvent":
                    var context = r.Required(element, "ClientContext", ScanRuleIds.ScanAvailable);
                    var identifier = r.Required(element, "ScanIdentifier", ScanRuleIds.ScanAvailable);
                    return new ScanAvailableEvent(context is null ? string.Empty : Text(context), identifier is null ? string.Empty : Text(identifier))
                    {
                        InputSource = r.Child(element, "InputSource") is { } source ? Text(source) : null,
                    };
                default:
                    r.Add(ScanRuleIds.Schema, $"'{element.Name.LocalName}' is not a WS-Scan event.", ViolationSeverity.Error, element);
                    return null;
            }
        });

    /// <summary>
    /// Reads the <c>wscn:ScanDestinations</c> extension of a Subscribe: pass the ScanDestinations element or the
    /// Subscribe element holding it. An empty list when there is none.
    /// </summary>
    public static ScanReadResult<IReadOnlyList<ScanDestination>> ReadScanDestinations(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run<IReadOnlyList<ScanDestination>>(element, mode, null, r =>
        {
            var container = element.Name.LocalName == "ScanDestinations" ? element : r.Child(element, "ScanDestinations");
            if (container is null)
            {
                return Array.Empty<ScanDestination>();
            }

            var list = new List<ScanDestination>();
            foreach (var destination in r.Children(container, "ScanDestination"))
            {
                var display = r.Child(destination, "ClientDisplayName") ?? r.Child(destination, "ClientDisplayString");
                var context = r.Required(destination, "ClientContext", ScanRuleIds.ScanAvailable);
                if (context is not null)
                {
                    list.Add(new ScanDestination(display is null ? string.Empty : Text(display), Text(context)));
                }
            }

            return list;
        });

    /// <summary>Reads the <c>wscn:DestinationResponses</c> extension of a SubscribeResponse (the element, or the SubscribeResponse holding it).</summary>
    public static ScanReadResult<IReadOnlyList<ScanDestinationResponse>> ReadDestinationResponses(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run<IReadOnlyList<ScanDestinationResponse>>(element, mode, null, r =>
        {
            var container = element.Name.LocalName == "DestinationResponses" ? element : r.Child(element, "DestinationResponses");
            if (container is null)
            {
                return Array.Empty<ScanDestinationResponse>();
            }

            return [.. r.Children(container, "DestinationResponse")
                .Select(d => new ScanDestinationResponse(
                    r.Required(d, "ClientContext") is { } c ? Text(c) : string.Empty,
                    r.Required(d, "DestinationToken") is { } t ? Text(t) : string.Empty))];
        });

    private static string Text(XElement element) => Text(element.Value);

    private static string Text(string value) => value.Trim(' ', '\t', '\r', '\n');

    private static ScanReadResult<T> Run<T>(XElement element, ReadMode mode, string? expected, Func<Reader, T?> read, string? alternative = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(element);
        var reader = new Reader(element);
        reader.CheckNamespaces();
        if (expected is not null && (element.Name.LocalName != expected && element.Name.LocalName != alternative || !IsScan(element.Name)))
        {
            reader.Add(ScanRuleIds.Schema, $"Expected wscn:{expected}, found {element.Name.LocalName} in '{element.Name.NamespaceName}'.", ViolationSeverity.Error, element);
            return new ScanReadResult<T>(null, reader.Violations);
        }

        if (alternative is not null && element.Name.LocalName == alternative)
        {
            reader.Add(ScanRuleIds.Schema, $"The request element is named {alternative} (as in Microsoft's sample) instead of {expected}.", ViolationSeverity.Info, element);
        }

        T? value;
        try
        {
            value = read(reader);
        }
        catch (OverflowException ex)
        {
            reader.Add(ScanRuleIds.Schema, "A value is out of range: " + ex.Message, ViolationSeverity.Error, element);
            value = null;
        }

        if (mode == ReadMode.Strict && reader.Violations.Any(v => v.Severity == ViolationSeverity.Error))
        {
            value = null;
        }

        return new ScanReadResult<T>(value, reader.Violations);
    }

    private static bool IsScan(XName name) => ScanNamespaces.Classify(name.NamespaceName) != ScanNamespaceKind.Other;

    private sealed class Reader(XElement root) : SchemaElementReader(ScanRuleIds.Schema)
    {
        public void CheckNamespaces()
        {
            bool legacy = false, https = false;
            foreach (var e in root.DescendantsAndSelf().Take(20_000))
            {
                var kind = ScanNamespaces.Classify(e.Name.NamespaceName);
                if (kind == ScanNamespaceKind.Legacy200601 && !legacy)
                {
                    legacy = true;
                    Add(ScanRuleIds.LegacyNamespace, $"The element uses the older scan namespace {ScanNamespaces.Scan200601}; devices and Windows use {ScanNamespaces.Scan}.", ViolationSeverity.Warning, e);
                }
                else if (kind == ScanNamespaceKind.Https && !https)
                {
                    https = true;
                    Add(ScanRuleIds.HttpsNamespace, $"The scan namespace is spelt '{e.Name.NamespaceName}' (https instead of http).", ViolationSeverity.Warning, e);
                }
            }
        }

        public override XElement? Child(XElement? parent, string local) =>
            parent?.Elements().FirstOrDefault(e => e.Name.LocalName == local && IsScan(e.Name));

        public IEnumerable<XElement> Children(XElement? parent, string local) =>
            parent is null ? [] : parent.Elements().Where(e => e.Name.LocalName == local && IsScan(e.Name));

        public (ScanQName Name, bool Valid) ElementDataHeader(XElement data)
        {
            var nameAttribute = Attribute(data, "Name", out var qualifiedName);
            var validAttribute = Attribute(data, "Valid", out var qualifiedValid);
            if (qualifiedName || qualifiedValid)
            {
                Add(ScanRuleIds.ElementData, "ElementData carries wscn:Name / wscn:Valid (namespace-qualified, as in Microsoft's samples); the schema's attributes are unqualified.", ViolationSeverity.Info, data);
            }

            if (nameAttribute is null)
            {
                Add(ScanRuleIds.ElementData, "ElementData has no Name attribute.", ViolationSeverity.Error, data);
            }

            if (validAttribute is null)
            {
                Add(ScanRuleIds.ElementData, "ElementData has no Valid attribute.", ViolationSeverity.Error, data);
            }

            var name = nameAttribute is null ? new ScanQName(string.Empty, null) : QName(data, nameAttribute.Value);
            var valid = validAttribute is not null && (Bool(Text(validAttribute.Value), data, "Valid") ?? false);
            return (name, valid);
        }

        public IReadOnlyList<ScanQName> RequestedNames(XElement request)
        {
            var requested = Required(request, "RequestedElements");
            var names = Children(requested, "Name").Select(n => QName(n, n.Value)).ToList();
            if (requested is not null && names.Count == 0)
            {
                Add(ScanRuleIds.Schema, "RequestedElements names no element.", ViolationSeverity.Warning, requested);
            }

            return names;
        }

        public ScannerDescription Description(XElement element)
        {
            var name = Required(element, "ScannerName");
            return new ScannerDescription(
                name is null ? string.Empty : Text(name),
                Child(element, "ScannerInfo") is { } info ? Text(info) : null,
                Child(element, "ScannerLocation") is { } location ? Text(location) : null)
            {
                Language = name?.Attribute(XNamespace.Xml + "lang")?.Value,
            };
        }

        public ScannerConfiguration Configuration(XElement element)
        {
            var settingsElement = Required(element, "DeviceSettings", ScanRuleIds.Configuration);
            var settings = new ScanDeviceSettings
            {
                FormatsSupported = [.. Children(Child(settingsElement, "FormatsSupported"), "FormatValue").Select(Text)],
                CompressionQualityFactorSupported = Range(Child(settingsElement, "CompressionQualityFactorSupported")),
                ContentTypesSupported = [.. Children(Child(settingsElement, "ContentTypesSupported"), "ContentTypeValue").Select(Text)],
                DocumentSizeAutoDetectSupported = Bool(Child(settingsElement, "DocumentSizeAutoDetectSupported")) ?? false,
                AutoExposureSupported = Bool(Child(settingsElement, "AutoExposureSupported")) ?? false,
                BrightnessSupported = Bool(Child(settingsElement, "BrightnessSupported")) ?? false,
                ContrastSupported = Bool(Child(settingsElement, "ContrastSupported")) ?? false,
                ScalingWidthSupported = Range(Child(Child(settingsElement, "ScalingRangeSupported"), "ScalingWidth")),
                ScalingHeightSupported = Range(Child(Child(settingsElement, "ScalingRangeSupported"), "ScalingHeight")),
                RotationsSupported = [.. Children(Child(settingsElement, "RotationsSupported"), "RotationValue").Select(Int).OfType<int>()],
            };
            if (settingsElement is not null && settings.FormatsSupported.Count == 0)
            {
                Add(ScanRuleIds.Configuration, "FormatsSupported lists no format.", ViolationSeverity.Error, settingsElement);
            }

            var platen = Child(element, "Platen") is { } p ? Source(p, "Platen") : null;
            ScanAdfCapabilities? adf = null;
            if (Child(element, "ADF") is { } adfElement)
            {
                var duplex = Bool(Child(adfElement, "ADFSupportsDuplex")) ?? false;
                var front = Child(adfElement, "ADFFront") is { } f ? Source(f, "ADF") : null;
                var back = Child(adfElement, "ADFBack") is { } b ? Source(b, "ADF") : null;
                if (front is null)
                {
                    Add(ScanRuleIds.Configuration, "ADF has no ADFFront.", ViolationSeverity.Error, adfElement);
                }

                if (back is not null && !duplex)
                {
                    Add(ScanRuleIds.Configuration, "ADFBack is present while ADFSupportsDuplex is false (Brother MFC-9340CDW habit, quirk Q-GEOM).", ViolationSeverity.Warning, adfElement);
                }

                adf = new ScanAdfCapabilities { SupportsDuplex = duplex, Front = front, Back = back };
            }

            if (platen is null && adf is null)
            {
                Add(ScanRuleIds.Configuration, "ScannerConfiguration has neither Platen nor ADF.", ViolationSeverity.Warning, element);
            }

            return new ScannerConfiguration { DeviceSettings = settings, Platen = platen, Adf = adf };
        }

        public ScannerStatus Status(XElement element)
        {
            var stateElement = Required(element, "ScannerState");
            var state = stateElement is null ? string.Empty : Text(stateElement);
            if (stateElement is not null && !ScannerStates.All.Contains(state))
            {
                Add(ScanRuleIds.ScannerState, $"ScannerState '{Clip(state)}' is not Idle, Processing or Stopped (an extension).", ViolationSeverity.Info, stateElement);
            }

            return new ScannerStatus
            {
                CurrentTime = Time(Child(element, "ScannerCurrentTime")),
                State = state,
                StateReasons = [.. Children(Child(element, "ScannerStateReasons"), "ScannerStateReason").Select(Text)],
                ActiveConditions = [.. Children(Child(element, "ActiveConditions"), "DeviceCondition").Select(Condition)],
            };
        }

        public ScanDeviceCondition Condition(XElement element)
        {
            var idAttribute = Attribute(element, "Id", out _);
            var id = 0;
            if (idAttribute is null || !int.TryParse(Text(idAttribute.Value), NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                Add(ScanRuleIds.Schema, "DeviceCondition has no integer Id attribute.", ViolationSeverity.Error, element);
            }

            return new ScanDeviceCondition(
                id,
                Time(Required(element, "Time")) ?? default,
                Required(element, "Name") is { } name ? Text(name) : string.Empty,
                Child(element, "Component") is { } component ? Text(component) : string.Empty,
                Child(element, "Severity") is { } severity ? Text(severity) : string.Empty);
        }

        public ScanTicket Ticket(XElement? element)
        {
            if (element is null)
            {
                return new ScanTicket();
            }

            ScanJobDescription? description = null;
            if (Child(element, "JobDescription") is { } d)
            {
                description = new ScanJobDescription(
                    Child(d, "JobName") is { } name ? Text(name) : string.Empty,
                    Child(d, "JobOriginatingUserName") is { } user ? Text(user) : string.Empty,
                    Child(d, "JobInformation") is { } info ? Text(info) : null);
            }

            var parameters = Required(element, "DocumentParameters");
            return new ScanTicket { JobDescription = description, DocumentParameters = parameters is null ? new ScanDocumentParameters() : Parameters(parameters) };
        }

        public ScanDocumentParameters Parameters(XElement element)
        {
            ScanInputSize? inputSize = null;
            if (Child(element, "InputSize") is { } size)
            {
                var media = Child(size, "InputMediaSize");
                inputSize = new ScanInputSize
                {
                    Attributes = Attributes(size),
                    DocumentSizeAutoDetect = Bool(Child(size, "DocumentSizeAutoDetect")) ?? BoolAlias(size, "DocumentAutoDetect"),
                    Width = IntValue(Child(media, "Width")),
                    Height = IntValue(Child(media, "Height")),
                };
            }

            ScanExposure? exposure = null;
            if (Child(element, "Exposure") is { } e)
            {
                var settings = Child(e, "ExposureSettings");
                exposure = new ScanExposure
                {
                    Attributes = Attributes(e),
                    AutoExposure = Bool(Child(e, "AutoExposure")),
                    Contrast = IntValue(Child(settings, "Contrast")),
                    Brightness = IntValue(Child(settings, "Brightness")),
                    Sharpness = IntValue(Child(settings, "Sharpness")),
                };
            }

            ScanScaling? scaling = null;
            if (Child(element, "Scaling") is { } s)
            {
                scaling = new ScanScaling { Attributes = Attributes(s), Width = IntValue(Child(s, "ScalingWidth")), Height = IntValue(Child(s, "ScalingHeight")) };
            }

            ScanMediaSides? sides = null;
            if (Child(element, "MediaSides") is { } m)
            {
                sides = new ScanMediaSides
                {
                    Attributes = Attributes(m),
                    Front = Child(m, "MediaFront") is { } front ? Side(front) : null,
                    Back = Child(m, "MediaBack") is { } back ? Side(back) : null,
                };
            }

            return new ScanDocumentParameters
            {
                Format = StringValue(Child(element, "Format")),
                CompressionQualityFactor = IntValue(Child(element, "CompressionQualityFactor")),
                ImagesToTransfer = IntValue(Child(element, "ImagesToTransfer")),
                InputSource = StringValue(Child(element, "InputSource")),
                ContentType = StringValue(Child(element, "ContentType")),
                InputSize = inputSize,
                Exposure = exposure,
                Scaling = scaling,
                Rotation = IntValue(Child(element, "Rotation")),
                MediaSides = sides,
            };
        }

        public ScanImageInformation ImageInformation(XElement element)
        {
            var front = Required(element, "MediaFrontImageInfo");
            return new ScanImageInformation(
                front is null ? new ScanImageInfo(0, 0, 0) : ImageInfo(front),
                Child(element, "MediaBackImageInfo") is { } back ? ImageInfo(back) : null);
        }

        public ScanJobStatus JobStatus(XElement element)
        {
            var state = Child(element, "JobState") ?? Child(element, "JobCompletedState");
            var stateText = state is null ? string.Empty : Text(state);
            if (state is null)
            {
                Add(ScanRuleIds.JobState, "JobStatus has no JobState.", ViolationSeverity.Error, element);
            }
            else
            {
                CheckJobState(stateText, state);
            }

            return new ScanJobStatus(
                Int(Required(element, "JobId")) ?? 0,
                stateText,
                [.. Children(Child(element, "JobStateReasons") ?? Child(element, "JobCompletedStateReasons"), "JobStateReason").Select(Text)],
                Int(Child(element, "ScansCompleted")) ?? 0)
            {
                JobCreatedTime = Time(Child(element, "JobCreatedTime")),
                JobCompletedTime = Time(Child(element, "JobCompletedTime")),
            };
        }

        public ScanJobSummary Summary(XElement element)
        {
            var status = JobStatus(element);
            return new ScanJobSummary(
                status.JobId,
                Child(element, "JobName") is { } name ? Text(name) : string.Empty,
                Child(element, "JobOriginatingUserName") is { } user ? Text(user) : string.Empty,
                status.JobState,
                status.JobStateReasons,
                status.ScansCompleted)
            {
                JobCreatedTime = status.JobCreatedTime,
                JobCompletedTime = status.JobCompletedTime,
            };
        }

        public ScanDocuments Documents(XElement element)
        {
            var final = Required(element, "DocumentFinalParameters");
            var names = Children(element, "Document")
                .Select(d => Child(Child(d, "DocumentDescription"), "DocumentName") is { } n ? Text(n) : string.Empty)
                .ToList();
            return new ScanDocuments(final is null ? new ScanDocumentParameters() : Parameters(final), names);
        }

        private void CheckJobState(string state, XElement where)
        {
            if (!ScanJobStates.All.Contains(state))
            {
                Add(ScanRuleIds.JobState, $"JobState '{Clip(state)}' is not a documented value (an extension).", ViolationSeverity.Info, where);
            }
        }

        private ScanImageInfo ImageInfo(XElement element) => new(
            Int(Required(element, "PixelsPerLine")) ?? 0,
            Int(Required(element, "NumberOfLines")) ?? 0,
            Int(Required(element, "BytesPerLine")) ?? 0);

        private ScanMediaSide Side(XElement element)
        {
            ScanRegion? region = null;
            if (Child(element, "ScanRegion") is { } r)
            {
                region = new ScanRegion
                {
                    XOffset = IntValue(Child(r, "ScanRegionXOffset")),
                    YOffset = IntValue(Child(r, "ScanRegionYOffset")),
                    Width = IntValue(Child(r, "ScanRegionWidth")),
                    Height = IntValue(Child(r, "ScanRegionHeight")),
                };
            }

            ScanResolution? resolution = null;
            if (Child(element, "Resolution") is { } res)
            {
                resolution = new ScanResolution { Attributes = Attributes(res), Width = IntValue(Child(res, "Width")), Height = IntValue(Child(res, "Height")) };
            }

            return new ScanMediaSide { ScanRegion = region, ColorProcessing = StringValue(Child(element, "ColorProcessing")), Resolution = resolution };
        }

        private ScanSourceCapabilities Source(XElement element, string prefix)
        {
            var optical = Child(element, prefix + "OpticalResolution");
            var resolutions = Child(element, prefix + "Resolutions");
            var min = Child(element, prefix + "MinimumSize");
            var max = Child(element, prefix + "MaximumSize");
            var source = new ScanSourceCapabilities
            {
                OpticalResolution = Size(optical),
                ResolutionWidths = [.. Children(Child(resolutions, "Widths"), "Width").Select(Int).OfType<int>()],
                ResolutionHeights = [.. Children(Child(resolutions, "Heights"), "Height").Select(Int).OfType<int>()],
                ColorModes = [.. Children(Child(element, prefix + "Color"), "ColorEntry").Select(Text)],
                MinimumSize = Size(min),
                MaximumSize = Size(max),
            };
            if (source.ResolutionWidths.Count == 0)
            {
                Add(ScanRuleIds.Configuration, $"{element.Name.LocalName} offers no resolution.", ViolationSeverity.Error, element);
            }

            if (source.ColorModes.Count == 0)
            {
                Add(ScanRuleIds.Configuration, $"{element.Name.LocalName} offers no colour mode.", ViolationSeverity.Error, element);
            }

            if (min is null || max is null)
            {
                Add(ScanRuleIds.Configuration, $"{element.Name.LocalName} lacks {prefix}MinimumSize or {prefix}MaximumSize.", ViolationSeverity.Error, element);
            }
            else if (source.MinimumSize.Width > source.MaximumSize.Width || source.MinimumSize.Height > source.MaximumSize.Height)
            {
                Add(ScanRuleIds.Configuration, $"{element.Name.LocalName}: the minimum size exceeds the maximum size.", ViolationSeverity.Error, element);
            }

            return source;
        }

        private ScanSize Size(XElement? element) =>
            element is null ? default : new ScanSize(Int(Child(element, "Width")) ?? 0, Int(Child(element, "Height")) ?? 0);

        private ScanRange? Range(XElement? element)
        {
            if (element is null)
            {
                return null;
            }

            var min = Int(Child(element, "MinValue"));
            var max = Int(Child(element, "MaxValue"));
            if (min is null || max is null)
            {
                Add(ScanRuleIds.Schema, $"{element.Name.LocalName} lacks MinValue or MaxValue.", ViolationSeverity.Error, element);
                return null;
            }

            if (min > max)
            {
                Add(ScanRuleIds.Configuration, $"{element.Name.LocalName}: MinValue {min} exceeds MaxValue {max}.", ViolationSeverity.Error, element);
            }

            return new ScanRange(min.Value, max.Value);
        }

        private ScanValue<int>? IntValue(XElement? element) => Int(element) is { } value ? new ScanValue<int>(value, Attributes(element!)) : null;

        private ScanValue<string>? StringValue(XElement? element) => element is null ? null : new ScanValue<string>(Text(element), Attributes(element));

        private bool? BoolAlias(XElement parent, string local)
        {
            if (Child(parent, local) is not { } alias)
            {
                return null;
            }

            Add(ScanRuleIds.Schema, $"{local} is read as DocumentSizeAutoDetect.", ViolationSeverity.Warning, alias);
            return Bool(alias);
        }

        private ScanAttributes Attributes(XElement element)
        {
            if (!element.HasAttributes)
            {
                return default;
            }

            return new ScanAttributes(AttributeBool(element, "MustHonor"), AttributeBool(element, "Override"), AttributeBool(element, "UsedDefault"));
        }

        private bool? AttributeBool(XElement element, string local)
        {
            var attribute = Attribute(element, local, out var qualified);
            if (attribute is null)
            {
                return null;
            }

            if (!qualified)
            {
                Add(ScanRuleIds.Schema, $"The {local} attribute is unqualified; WS-Scan writes wscn:{local}.", ViolationSeverity.Info, element);
            }

            return Bool(Text(attribute.Value), element, local);
        }

        protected override string TextOf(XElement element) => Text(element);

        protected override bool? Bool(string text, XElement where, string what)
        {
            if (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (text == "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            Add(ScanRuleIds.Schema, $"{what} '{Clip(text)}' is not a Boolean (0, 1, false, true).", ViolationSeverity.Error, where);
            return null;
        }

        private ScanQName QName(XElement context, string raw)
        {
            var text = Text(raw);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            XNamespace? ns = colon < 0 ? context.GetDefaultNamespace() : colon == 0 ? null : context.GetNamespaceOfPrefix(text[..colon]);
            var local = colon < 0 ? text : text[(colon + 1)..];
            if (colon < 0 && ns == XNamespace.None && local.Length > 0)
            {
                // Microsoft's GetJobElements samples name "JobStatus" without a prefix and no default namespace.
                Add(ScanRuleIds.ElementData, $"The element name '{Clip(text)}' has no prefix; it is read as wscn:{Clip(local)}.", ViolationSeverity.Warning, context);
                ns = ScanNamespaces.Wscn;
            }
            if (ns is null || local.Length == 0 || local.Contains(':', StringComparison.Ordinal))
            {
                Add(ScanRuleIds.ElementData, $"'{Clip(text)}' is not a QName whose prefix is declared.", ViolationSeverity.Warning, context);
                return new ScanQName(text, null);
            }

            try
            {
                return new ScanQName(text, ns + System.Xml.XmlConvert.VerifyNCName(local));
            }
            catch (System.Xml.XmlException)
            {
                Add(ScanRuleIds.ElementData, $"'{Clip(text)}' is not a QName.", ViolationSeverity.Warning, context);
                return new ScanQName(text, null);
            }
        }

        private static XAttribute? Attribute(XElement element, string local, out bool qualified)
        {
            qualified = false;
            if (element.Attribute(local) is { } plain)
            {
                return plain;
            }

            var prefixed = element.Attributes().FirstOrDefault(a => a.Name.LocalName == local && IsScan(a.Name));
            qualified = prefixed is not null;
            return prefixed;
        }

        protected override string PathOf(XElement element)
        {
            var parts = new List<string>();
            for (var e = element; e is not null; e = e.Parent)
            {
                parts.Add(e.Name.LocalName);
                if (ReferenceEquals(e, root))
                {
                    break;
                }
            }

            parts.Reverse();
            return "/" + string.Join('/', parts);
        }
    }
}
