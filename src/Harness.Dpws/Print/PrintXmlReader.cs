using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Print;

/// <summary>The outcome of a <see cref="PrintXmlReader"/> call: what was understood plus the deviations found.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Value">The record, or null when the element could not be understood (or strict mode met an error).</param>
/// <param name="Violations">The deviations found.</param>
public sealed record PrintReadResult<T>(T? Value, IReadOnlyList<Violation> Violations)
    where T : class
{
    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool Success => Value is not null;
}

/// <summary>
/// Reads WS-Print body elements (the child of <c>soap:Body</c>, as <see cref="SafeXml"/> or the SOAP reader produced it)
/// into the records of this folder. Lenient: the 2005/05 and <c>https://</c> namespace spellings, children without a
/// namespace, qualified or unqualified <c>Name</c>/<c>Valid</c>/<c>Id</c> attributes, Booleans as 0/1/true/false in any
/// case, whitespace around values (Microsoft's samples are pretty-printed), children in any order, unknown children
/// kept as extensions. Every deviation is a <see cref="Violation"/>; strict mode returns no record when one is an
/// error. Never throws on a peer's input.
/// </summary>
public static class PrintXmlReader
{
    private static readonly string[] PrinterSections = ["PrinterDescription", "PrinterConfiguration", "PrinterStatus", "DefaultPrintTicket"];

    /// <summary>Loads <paramref name="xml"/> with <see cref="SafeXml"/> and returns its root element (for tests and tools), or null.</summary>
    public static XElement? LoadElement(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return SafeXml.Load(System.Text.Encoding.UTF8.GetBytes(xml)).Document?.Root;
    }

    /// <summary>Reads GetPrinterElementsRequest.</summary>
    public static PrintReadResult<GetPrinterElementsRequest> ReadGetPrinterElementsRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetPrinterElementsRequest", r => new GetPrinterElementsRequest(r.RequestedNames(element)));

    /// <summary>Reads GetPrinterElementsResponse.</summary>
    public static PrintReadResult<GetPrinterElementsResponse> ReadGetPrinterElementsResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetPrinterElementsResponse", r =>
        {
            var list = new List<PrinterElementData>();
            foreach (var data in r.Children(r.Required(element, "PrinterElements"), "ElementData"))
            {
                var (name, valid) = r.ElementDataHeader(data);
                list.Add(new PrinterElementData(name, valid)
                {
                    Description = r.Child(data, "PrinterDescription") is { } d ? r.Description(d) : null,
                    Configuration = r.Child(data, "PrinterConfiguration") is { } c ? r.Configuration(c) : null,
                    Status = r.Child(data, "PrinterStatus") is { } s ? r.Status(s) : null,
                    DefaultPrintTicket = r.Child(data, "DefaultPrintTicket") is { } t ? r.Ticket(t) : null,
                    Other = data.Elements().FirstOrDefault(e => !(IsPrint(e.Name) && PrinterSections.Contains(e.Name.LocalName))) is { } other ? XmlValues.Detach(other) : null,
                });
            }

            return new GetPrinterElementsResponse(list);
        });

    /// <summary>Reads a PrinterDescription element on its own.</summary>
    public static PrintReadResult<PrinterDescription> ReadPrinterDescription(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "PrinterDescription", r => r.Description(element));

    /// <summary>Reads a PrinterConfiguration element on its own.</summary>
    public static PrintReadResult<PrinterConfiguration> ReadPrinterConfiguration(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "PrinterConfiguration", r => r.Configuration(element));

    /// <summary>Reads a PrinterStatus element on its own.</summary>
    public static PrintReadResult<PrinterStatus> ReadPrinterStatus(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "PrinterStatus", r => r.Status(element));

    /// <summary>Reads a PrintTicket (or DefaultPrintTicket) element on its own.</summary>
    public static PrintReadResult<PrintTicket> ReadPrintTicket(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, null, r => r.Ticket(element));

    /// <summary>Reads CreatePrintJobRequest (a missing PrintTicket is an error; an empty one is read as defaults).</summary>
    public static PrintReadResult<CreatePrintJobRequest> ReadCreatePrintJobRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "CreatePrintJobRequest", r => r.Required(element, "PrintTicket") is { } t ? new CreatePrintJobRequest(r.Ticket(t)) : null);

    /// <summary>Reads CreatePrintJobResponse.</summary>
    public static PrintReadResult<CreatePrintJobResponse> ReadCreatePrintJobResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "CreatePrintJobResponse", r => r.JobId(r.Required(element, "JobId")) is { } id ? new CreatePrintJobResponse(id) : null);

    /// <summary>
    /// Reads SendDocumentRequest. The document bytes are resolved from <paramref name="package"/> through
    /// <c>DocumentData/xop:Include</c>, or from inline base64 (reported: WS-Print sends documents as MTOM attachments).
    /// </summary>
    public static PrintReadResult<SendDocumentRequest> ReadSendDocumentRequest(XElement element, MtomPackage? package = null, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "SendDocumentRequest", r =>
        {
            var jobId = r.JobId(r.Required(element, "JobId"));
            var description = r.DocumentDescription(r.Required(element, "DocumentDescription"));
            var last = r.LastDocument(element);
            var data = r.Required(element, "DocumentData");
            if (jobId is null || data is null)
            {
                return null;
            }

            string? reference = null;
            ReadOnlyMemory<byte>? bytes = null;
            var include = data.Elements().FirstOrDefault(e => e.Name.LocalName == "Include");
            if (include is not null)
            {
                reference = (string?)include.Attribute("href") is { } href ? XmlValues.Trim(href) : null;
                if (include.Name.NamespaceName != DpwsNamespaces.Xop)
                {
                    r.Add(PrintRuleIds.DocumentData, $"DocumentData/Include is in '{include.Name.NamespaceName}', not the XOP namespace.", ViolationSeverity.Error, include);
                    include = null;
                }
            }

            if (include is not null || reference is null)
            {
                var found = new List<Violation>();
                bytes = XopContent.Read(data, package, found);
                foreach (var v in found)
                {
                    r.Add(v);
                }

                if (include is null && bytes is not null)
                {
                    r.Add(PrintRuleIds.DocumentData, "DocumentData carries the document as inline base64, not as an MTOM attachment.", ViolationSeverity.Warning, data);
                }
            }

            if (bytes is null)
            {
                r.Add(PrintRuleIds.DocumentData, "The document data could not be resolved.", ViolationSeverity.Error, data);
            }

            return new SendDocumentRequest(jobId.Value, last, description)
            {
                Processing = r.Child(element, "DocumentProcessing") is { } p ? r.DocumentProcessing(p) : null,
                DataReference = reference,
                Data = bytes,
            };
        });

    /// <summary>Reads AddDocumentRequest.</summary>
    public static PrintReadResult<AddDocumentRequest> ReadAddDocumentRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "AddDocumentRequest", r =>
        {
            var jobId = r.JobId(r.Required(element, "JobId"));
            var description = r.DocumentDescription(r.Required(element, "DocumentDescription"));
            var last = r.LastDocument(element);
            var url = r.Child(element, "DocumentUrl") ?? r.Child(element, "DocumentURL");
            if (url is null)
            {
                r.Add(PrintRuleIds.Schema, "AddDocumentRequest has no DocumentUrl.", ViolationSeverity.Error, element);
            }

            return jobId is null || url is null
                ? null
                : new AddDocumentRequest(jobId.Value, last, description, Text(url))
                {
                    Processing = r.Child(element, "DocumentProcessing") is { } p ? r.DocumentProcessing(p) : null,
                };
        });

    /// <summary>Reads CancelJobRequest.</summary>
    public static PrintReadResult<CancelJobRequest> ReadCancelJobRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "CancelJobRequest", r => r.JobId(r.Required(element, "JobId")) is { } id ? new CancelJobRequest(id) : null);

    /// <summary>Reads GetJobElementsRequest.</summary>
    public static PrintReadResult<GetJobElementsRequest> ReadGetJobElementsRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetJobElementsRequest", r =>
            r.JobId(r.Required(element, "JobId")) is { } id ? new GetJobElementsRequest(id, r.RequestedNames(element)) : null);

    /// <summary>Reads GetJobElementsResponse.</summary>
    public static PrintReadResult<GetJobElementsResponse> ReadGetJobElementsResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetJobElementsResponse", r =>
        {
            var list = new List<PrintJobElementData>();
            foreach (var data in r.Children(r.Required(element, "JobElements"), "ElementData"))
            {
                var (name, valid) = r.ElementDataHeader(data);
                list.Add(new PrintJobElementData(name, valid)
                {
                    Status = r.Child(data, "JobStatus") is { } s ? r.JobStatus(s) : null,
                    Ticket = r.Child(data, "PrintTicket") is { } t ? r.Ticket(t) : null,
                    Documents = r.Child(data, "Documents") is { } d ? [.. r.Children(d, "Document").Select(r.Document)] : null,
                });
            }

            return new GetJobElementsResponse(list);
        });

    /// <summary>Reads GetActiveJobsRequest (empty).</summary>
    public static PrintReadResult<XElement> ReadGetActiveJobsRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetActiveJobsRequest", _ => element);

    /// <summary>Reads GetActiveJobsResponse (JobSummary entries, and Job entries read into summaries).</summary>
    public static PrintReadResult<GetActiveJobsResponse> ReadGetActiveJobsResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetActiveJobsResponse", r => new GetActiveJobsResponse(r.Jobs(r.Required(element, "ActiveJobs"))));

    /// <summary>Reads GetJobHistoryRequest (empty).</summary>
    public static PrintReadResult<XElement> ReadGetJobHistoryRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetJobHistoryRequest", _ => element);

    /// <summary>Reads GetJobHistoryResponse.</summary>
    public static PrintReadResult<GetJobHistoryResponse> ReadGetJobHistoryResponse(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "GetJobHistoryResponse", r => new GetJobHistoryResponse(r.Jobs(r.Required(element, "JobHistory"))));

    /// <summary>Reads SetEventRateRequest.</summary>
    public static PrintReadResult<SetEventRateRequest> ReadSetEventRateRequest(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run(element, mode, "SetEventRateRequest", r => r.Int(r.Required(element, "EventRate")) is { } rate ? new SetEventRateRequest(rate) : null);

    /// <summary>Checks an empty response element (SendDocumentResponse, AddDocumentResponse, CancelJobResponse, SetEventRateResponse).</summary>
    public static PrintReadResult<XElement> ReadEmpty(XElement element, string localName, ReadMode mode = ReadMode.Lenient)
    {
        ArgumentException.ThrowIfNullOrEmpty(localName);
        return Run(element, mode, localName, _ => element);
    }

    /// <summary>Reads a printer event body (any of the six WS-Print events), chosen by the element name.</summary>
    public static PrintReadResult<PrintEvent> ReadEvent(XElement element, ReadMode mode = ReadMode.Lenient) =>
        Run<PrintEvent>(element, mode, null, r =>
        {
            switch (element.Name.LocalName)
            {
                case "PrinterElementsChangeEvent":
                    var changes = r.Required(element, "ElementChanges");
                    var holders = changes is null ? [] : new[] { changes }.Concat(r.Children(changes, "ElementData")).ToList();
                    return new PrinterElementsChangeEvent
                    {
                        Description = holders.Select(h => r.Child(h, "PrinterDescription")).FirstOrDefault(e => e is not null) is { } d ? r.Description(d) : null,
                        Configuration = holders.Select(h => r.Child(h, "PrinterConfiguration")).FirstOrDefault(e => e is not null) is { } c ? r.Configuration(c) : null,
                        DefaultPrintTicket = holders.Select(h => r.Child(h, "DefaultPrintTicket")).FirstOrDefault(e => e is not null) is { } t ? r.Ticket(t) : null,
                    };
                case "PrinterStatusSummaryEvent":
                    var summary = r.Required(element, "StatusSummary");
                    return new PrinterStatusSummaryEvent(
                        r.Child(summary, "PrinterState") is { } state ? Text(state) : string.Empty,
                        r.Child(summary, "PrinterPrimaryStateReason") is { } primary ? Text(primary) : string.Empty,
                        r.Child(summary, "PrinterStateReasons") is { } reasons ? [.. r.Children(reasons, "PrinterStateReason").Select(Text)] : []);
                case "PrinterStatusConditionEvent":
                    return r.Required(element, "DeviceCondition") is { } condition ? new PrinterStatusConditionEvent(r.Condition(condition)) : null;
                case "PrinterStatusConditionClearedEvent":
                    var cleared = r.Required(element, "DeviceConditionCleared");
                    return new PrinterStatusConditionClearedEvent(
                        r.Int(r.Required(cleared, "ConditionId")) ?? 0,
                        r.Time(r.Required(cleared, "ConditionClearTime")) ?? default);
                case "JobStatusEvent":
                    return r.Required(element, "JobStatus") is { } status ? new PrintJobStatusEvent(r.JobStatus(status)) : null;
                case "JobEndStateEvent":
                    return r.Required(element, "JobEndState") is { } end ? new PrintJobEndStateEvent(r.EndState(end)) : null;
                default:
                    r.Add(PrintRuleIds.Schema, $"'{element.Name.LocalName}' is not a WS-Print event.", ViolationSeverity.Error, element);
                    return null;
            }
        });

    private static string Text(XElement element) => XmlValues.Trim(element.Value);

    private static bool IsPrint(XName name) => PrintNamespaces.Classify(name.NamespaceName) != PrintNamespaceKind.Other;

    private static PrintReadResult<T> Run<T>(XElement element, ReadMode mode, string? expected, Func<Reader, T?> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(element);
        var reader = new Reader(element);
        reader.CheckNamespaces();
        if (expected is not null && (element.Name.LocalName != expected || !IsPrint(element.Name)))
        {
            reader.Add(PrintRuleIds.Schema, $"Expected wprt:{expected}, found {element.Name.LocalName} in '{element.Name.NamespaceName}'.", ViolationSeverity.Error, element);
            return new PrintReadResult<T>(null, reader.Violations);
        }

        T? value;
        try
        {
            value = read(reader);
        }
        catch (OverflowException ex)
        {
            reader.Add(PrintRuleIds.Schema, "A value is out of range: " + ex.Message, ViolationSeverity.Error, element);
            value = null;
        }

        if (mode == ReadMode.Strict && reader.Violations.Any(v => v.Severity == ViolationSeverity.Error))
        {
            value = null;
        }

        return new PrintReadResult<T>(value, reader.Violations);
    }

    private sealed class Reader(XElement root) : SchemaElementReader(PrintRuleIds.Schema)
    {
        private bool _reportedUnqualified;

        public void CheckNamespaces()
        {
            bool legacy = false, https = false;
            foreach (var e in root.DescendantsAndSelf().Take(20_000))
            {
                var kind = PrintNamespaces.Classify(e.Name.NamespaceName);
                if (kind == PrintNamespaceKind.Legacy200505 && !legacy)
                {
                    legacy = true;
                    Add(PrintRuleIds.LegacyNamespace, $"The element uses the older print namespace {PrintNamespaces.Print200505} (Microsoft's samples); devices and Windows use {PrintNamespaces.Print}.", ViolationSeverity.Warning, e);
                }
                else if (kind == PrintNamespaceKind.Https && !https)
                {
                    https = true;
                    Add(PrintRuleIds.HttpsNamespace, $"The print namespace is spelt '{e.Name.NamespaceName}' (https instead of http).", ViolationSeverity.Warning, e);
                }
            }
        }

        public override XElement? Child(XElement? parent, string local) => Children(parent, local).FirstOrDefault();

        public IEnumerable<XElement> Children(XElement? parent, string local)
        {
            if (parent is null)
            {
                yield break;
            }

            foreach (var e in parent.Elements())
            {
                if (e.Name.LocalName != local)
                {
                    continue;
                }

                if (IsPrint(e.Name))
                {
                    yield return e;
                }
                else if (e.Name.Namespace == XNamespace.None)
                {
                    if (!_reportedUnqualified)
                    {
                        _reportedUnqualified = true;
                        Add(PrintRuleIds.Schema, $"{local} has no namespace; WS-Print elements are qualified (elementFormDefault).", ViolationSeverity.Warning, e);
                    }

                    yield return e;
                }
            }
        }

        public int? JobId(XElement? element)
        {
            var id = Int(element);
            if (id is < 1)
            {
                Add(PrintRuleIds.JobId, $"JobId {id} is outside 1 to 2147483647.", ViolationSeverity.Error, element);
            }

            return id;
        }

        public bool LastDocument(XElement parent)
        {
            var last = Child(parent, "LastDocument");
            if (last is null)
            {
                Add(PrintRuleIds.Schema, $"{parent.Name.LocalName} has no LastDocument; read as true.", ViolationSeverity.Warning, parent);
                return true;
            }

            return Bool(last) ?? true;
        }

        public IReadOnlyList<PrintQName> RequestedNames(XElement request)
        {
            var container = Required(request, "RequestedElements");
            var names = new List<PrintQName>();
            foreach (var name in Children(container, "Name"))
            {
                var text = Text(name);
                var resolved = XmlValues.ResolveQName(name, text, out var prefix);
                if (resolved is null)
                {
                    Add(PrintRuleIds.Schema, $"Name '{Clip(text)}' is not a QName whose prefix is declared{(prefix is null ? string.Empty : $" ('{prefix}')")}.", ViolationSeverity.Warning, name);
                }

                names.Add(new PrintQName(text, resolved));
            }

            return names;
        }

        public (PrintQName Name, bool Valid) ElementDataHeader(XElement data)
        {
            var nameAttribute = Attribute(data, "Name", out var qualifiedName);
            var validAttribute = Attribute(data, "Valid", out var qualifiedValid);
            if (qualifiedName || qualifiedValid)
            {
                Add(PrintRuleIds.ElementData, "ElementData carries wprt:Name / wprt:Valid (namespace-qualified); the schema's attributes are unqualified.", ViolationSeverity.Info, data);
            }

            if (nameAttribute is null)
            {
                Add(PrintRuleIds.ElementData, "ElementData has no Name attribute.", ViolationSeverity.Error, data);
            }

            if (validAttribute is null)
            {
                Add(PrintRuleIds.ElementData, "ElementData has no Valid attribute; read as true.", ViolationSeverity.Error, data);
            }

            var text = nameAttribute is null ? string.Empty : XmlValues.Trim(nameAttribute.Value);
            var name = new PrintQName(text, text.Length == 0 ? null : XmlValues.ResolveQName(data, text, out _));
            var valid = validAttribute is null || (Bool(validAttribute.Value, data, "Valid") ?? true);
            return (name, valid);
        }

        public PrinterDescription Description(XElement e)
        {
            var known = new[] { "ColorSupported", "DeviceId", "MultipleDocumentJobsSupported", "PagesPerMinute", "PagesPerMinuteColor", "PrinterName", "PrinterInfo", "PrinterLocation" };
            var description = new PrinterDescription
            {
                ColorSupported = Bool(Child(e, "ColorSupported")),
                DeviceId = Child(e, "DeviceId") is { } id ? Text(id) : null,
                MultipleDocumentJobsSupported = Bool(Child(e, "MultipleDocumentJobsSupported")),
                PagesPerMinute = Int(Child(e, "PagesPerMinute")),
                PagesPerMinuteColor = Int(Child(e, "PagesPerMinuteColor")),
                PrinterName = Localized(e, "PrinterName"),
                PrinterInfo = Localized(e, "PrinterInfo"),
                PrinterLocation = Localized(e, "PrinterLocation"),
                Extensions = Others(e, known),
            };
            if (description.PrinterName.Count == 0)
            {
                Add(PrintRuleIds.Schema, "PrinterDescription has no PrinterName.", ViolationSeverity.Warning, e);
            }

            return description;
        }

        public PrinterConfiguration Configuration(XElement e) => new()
        {
            PrinterEventRate = Int(Child(e, "PrinterEventRate")),
            Consumables = [.. Children(Child(e, "Consumables"), "ConsumableEntry").Select(c => new PrintConsumable(AttributeText(c, "Name"))
            {
                Type = Child(c, "Type") is { } type ? Text(type) : null,
                Color = Child(c, "Color") is { } color ? Text(color) : null,
                Level = Int(Child(c, "Level")),
                Model = Child(c, "Model") is { } model ? Text(model) : null,
            })],
            InputBins = [.. Children(Child(e, "InputBins"), "InputBin").Select(b => new PrintInputBin(AttributeText(b, "Name"))
            {
                FeedDirection = Child(b, "FeedDirection") is { } feed ? Text(feed) : null,
                MediaSizeName = Child(b, "MediaSizeName") is { } size ? Text(size) : null,
                MediaType = Child(b, "MediaType") is { } type ? Text(type) : null,
                Capacity = Int(Child(b, "Capacity")),
                Level = Int(Child(b, "Level")),
            })],
            Extensions = Others(e, ["PrinterEventRate", "Consumables", "InputBins"]),
        };

        public PrintDeviceCondition Condition(XElement e)
        {
            var idText = Attribute(e, "Id", out _)?.Value ?? (Child(e, "ConditionId") is { } child ? child.Value : null);
            var id = 0;
            if (idText is null || !int.TryParse(XmlValues.Trim(idText), NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                Add(PrintRuleIds.Schema, "DeviceCondition has no integer Id.", ViolationSeverity.Error, e);
            }

            return new PrintDeviceCondition(
                id,
                Time(Required(e, "Time")) ?? default,
                Required(e, "Name") is { } name ? Text(name) : string.Empty,
                Required(e, "Component") is { } component ? Text(component) : string.Empty,
                Required(e, "Severity") is { } severity ? Text(severity) : string.Empty);
        }

        public PrinterStatus Status(XElement e)
        {
            var state = Required(e, "PrinterState") is { } s ? Text(s) : PrinterStates.Idle;
            if (!PrinterStates.All.Contains(state))
            {
                Add(PrintRuleIds.Values, $"PrinterState '{Clip(state)}' is not one of Idle, Processing, Stopped (an extension).", ViolationSeverity.Info, e);
            }

            return new PrinterStatus
            {
                PrinterCurrentTime = Time(Child(e, "PrinterCurrentTime")),
                PrinterState = state,
                PrinterPrimaryStateReason = Child(e, "PrinterPrimaryStateReason") is { } primary ? Text(primary) : "None",
                PrinterStateReasons = [.. Children(Child(e, "PrinterStateReasons"), "PrinterStateReason").Select(Text)],
                ActiveConditions = [.. Children(Child(e, "ActiveConditions"), "DeviceCondition").Select(Condition)],
                Extensions = Others(e, ["PrinterCurrentTime", "PrinterState", "PrinterPrimaryStateReason", "PrinterStateReasons", "ActiveConditions"]),
            };
        }

        public PrintTicket Ticket(XElement e) => new()
        {
            JobDescription = Child(e, "JobDescription") is { } d
                ? new PrintJobDescription(
                    Child(d, "JobName") is { } name ? Text(name) : string.Empty,
                    Child(d, "JobOriginatingUserName") is { } user ? Text(user) : string.Empty)
                {
                    Extensions = Others(d, ["JobName", "JobOriginatingUserName"]),
                }
                : null,
            JobProcessing = Child(e, "JobProcessing") is { } j
                ? new PrintJobProcessing
                {
                    Copies = Int(Child(j, "Copies")),
                    Priority = Int(Child(j, "Priority")),
                    Extensions = Others(j, ["Copies", "Priority"]),
                }
                : null,
            DocumentProcessing = Child(e, "DocumentProcessing") is { } p ? DocumentProcessing(p) : null,
            Extensions = Others(e, ["JobDescription", "JobProcessing", "DocumentProcessing"]),
        };

        public PrintDocumentProcessing DocumentProcessing(XElement p) => new()
        {
            MediaSizeName = Child(p, "MediaSizeName") is { } size ? Text(size) : null,
            MediaType = Child(p, "MediaType") is { } type ? Text(type) : null,
            MediaColor = Child(p, "MediaColor") is { } color ? Text(color) : null,
            Orientation = Child(p, "Orientation") is { } orientation ? Text(orientation) : null,
            PrintQuality = Child(p, "PrintQuality") is { } quality ? Text(quality) : null,
            Sides = Child(p, "Sides") is { } sides ? Text(sides) : null,
            Extensions = Others(p, ["MediaSizeName", "MediaType", "MediaColor", "Orientation", "PrintQuality", "Sides"]),
        };

        public PrintDocumentDescription DocumentDescription(XElement? d)
        {
            if (d is null)
            {
                return new PrintDocumentDescription(1);
            }

            var id = Int(Required(d, "DocumentId")) ?? 1;
            return new PrintDocumentDescription(id)
            {
                DocumentName = Child(d, "DocumentName") is { } name ? Text(name) : null,
                Compression = Child(d, "Compression") is { } compression ? Text(compression) : null,
                Format = Child(d, "Format") is { } format ? Text(format) : null,
                Extensions = Others(d, ["DocumentId", "DocumentName", "Compression", "Format"]),
            };
        }

        public PrintJobDocument Document(XElement d) => new(DocumentDescription(Required(d, "DocumentDescription")))
        {
            State = Child(Child(d, "DocumentStatus"), "DocumentState") is { } state ? Text(state) : null,
        };

        public PrintJobStatus JobStatus(XElement s)
        {
            var state = JobState(Required(s, "JobState"));
            return new PrintJobStatus(JobId(Required(s, "JobId")) ?? 0, state)
            {
                JobStateReasons = Reasons(Child(s, "JobStateReasons")),
                KOctetsProcessed = Int(Child(s, "KOctetsProcessed")) ?? 0,
                MediaSheetsCompleted = Int(Child(s, "MediaSheetsCompleted")) ?? 0,
                NumberOfDocuments = Int(Child(s, "NumberOfDocuments")) ?? 0,
            };
        }

        public PrintJobSummary Summary(XElement s) => new(JobId(Required(s, "JobId")) ?? 0, JobState(Required(s, "JobState")))
        {
            JobName = Child(s, "JobName") is { } name ? Text(name) : string.Empty,
            JobOriginatingUserName = Child(s, "JobOriginatingUserName") is { } user ? Text(user) : string.Empty,
            JobStateReasons = Reasons(Child(s, "JobStateReasons")),
            KOctetsProcessed = Int(Child(s, "KOctetsProcessed")) ?? 0,
            MediaSheetsCompleted = Int(Child(s, "MediaSheetsCompleted")) ?? 0,
            NumberOfDocuments = Int(Child(s, "NumberOfDocuments")) ?? 0,
        };

        public IReadOnlyList<PrintJobSummary> Jobs(XElement? container)
        {
            var list = new List<PrintJobSummary>();
            if (container is null)
            {
                return list;
            }

            foreach (var e in container.Elements())
            {
                if (e.Name.LocalName == "JobSummary" && (IsPrint(e.Name) || e.Name.Namespace == XNamespace.None))
                {
                    list.Add(Summary(e));
                }
                else if (e.Name.LocalName == "Job" && (IsPrint(e.Name) || e.Name.Namespace == XNamespace.None))
                {
                    var status = Required(e, "JobStatus") is { } s ? JobStatus(s) : new PrintJobStatus(0, string.Empty);
                    var description = Child(e, "PrintTicket") is { } t ? Ticket(t).JobDescription : null;
                    list.Add(new PrintJobSummary(status.JobId, status.JobState)
                    {
                        JobName = description?.JobName ?? string.Empty,
                        JobOriginatingUserName = description?.JobOriginatingUserName ?? string.Empty,
                        JobStateReasons = status.JobStateReasons,
                        KOctetsProcessed = status.KOctetsProcessed,
                        MediaSheetsCompleted = status.MediaSheetsCompleted,
                        NumberOfDocuments = status.NumberOfDocuments,
                    });
                }
            }

            return list;
        }

        public PrintJobEndState EndState(XElement s)
        {
            var state = JobState(Required(s, "JobCompletedState") ?? Child(s, "JobState"));
            if (state.Length > 0 && !PrintJobStates.IsTerminal(state))
            {
                Add(PrintRuleIds.Values, $"JobCompletedState '{Clip(state)}' is not an end state.", ViolationSeverity.Error, s);
            }

            return new PrintJobEndState(JobId(Required(s, "JobId")) ?? 0, state)
            {
                JobCompletedStateReasons = Reasons(Child(s, "JobCompletedStateReasons") ?? Child(s, "JobStateReasons")),
                JobName = Child(s, "JobName") is { } name ? Text(name) : string.Empty,
                JobOriginatingUserName = Child(s, "JobOriginatingUserName") is { } user ? Text(user) : string.Empty,
                KOctetsProcessed = Int(Child(s, "KOctetsProcessed")) ?? 0,
                MediaSheetsCompleted = Int(Child(s, "MediaSheetsCompleted")) ?? 0,
                NumberOfDocuments = Int(Child(s, "NumberOfDocuments")) ?? 0,
            };
        }

        private string JobState(XElement? element)
        {
            if (element is null)
            {
                return string.Empty;
            }

            var state = Text(element);
            if (!PrintJobStates.All.Contains(state))
            {
                Add(PrintRuleIds.Values, $"JobState '{Clip(state)}' is not one of the documented values (an extension).", ViolationSeverity.Info, element);
            }

            return state;
        }

        private List<string> Reasons(XElement? container) => [.. Children(container, "JobStateReason").Select(Text)];

        private List<PrintLocalizedString> Localized(XElement parent, string local) =>
            [.. Children(parent, local).Select(e => new PrintLocalizedString(Text(e), (string?)e.Attribute(XNamespace.Xml + "lang") ?? (string?)e.Attribute("lang")))];

        private static List<XElement> Others(XElement parent, IReadOnlyCollection<string> known) =>
            [.. parent.Elements().Where(e => !((IsPrint(e.Name) || e.Name.Namespace == XNamespace.None) && known.Contains(e.Name.LocalName))).Take(256).Select(XmlValues.Detach)];

        private string AttributeText(XElement element, string local)
        {
            if (Attribute(element, local, out _) is { } attribute)
            {
                return XmlValues.Trim(attribute.Value);
            }

            Add(PrintRuleIds.Schema, $"{element.Name.LocalName} has no {local} attribute.", ViolationSeverity.Warning, element);
            return string.Empty;
        }

        private static XAttribute? Attribute(XElement element, string local, out bool qualified)
        {
            var plain = element.Attribute(local);
            if (plain is not null)
            {
                qualified = false;
                return plain;
            }

            var other = element.Attributes().FirstOrDefault(a => a.Name.LocalName == local && IsPrint(a.Name));
            qualified = other is not null;
            return other;
        }

        protected override string TextOf(XElement element) => Text(element);

        protected override bool? Bool(string raw, XElement where, string what)
        {
            var text = XmlValues.Trim(raw);
            switch (text)
            {
                case "true" or "1":
                    return true;
                case "false" or "0":
                    return false;
            }

            if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                Add(PrintRuleIds.Schema, $"{what} '{text}' is not an xs:boolean literal (true, false, 1, 0); read case-insensitively.", ViolationSeverity.Warning, where);
                return text.Equals("true", StringComparison.OrdinalIgnoreCase);
            }

            Add(PrintRuleIds.Schema, $"{what} '{Clip(text)}' is not an xs:boolean.", ViolationSeverity.Error, where);
            return null;
        }
    }
}
