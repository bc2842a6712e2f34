using System.Globalization;
using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Dpws.Scan;
using Harness.Dpws.Soap;

namespace Harness.Conformance.Dpws;

public static partial class DpwsRules
{
    private static readonly string[] DocumentedScanJobStates =
        [ScanJobStates.Aborted, ScanJobStates.Canceled, ScanJobStates.Completed, ScanJobStates.Creating, ScanJobStates.Held, ScanJobStates.Pending, ScanJobStates.Processing, ScanJobStates.Started, ScanJobStates.Terminating];

    private static IEnumerable<Rule> ScanRules()
    {
        yield return Passive(
            "WSD-SCN-002",
            "GetScannerElements answers one ElementData per requested name",
            new(WsScan, "GetScannerElementsResponse / ElementData", UrlScan + "getscannerelementsresponse", "ScannerElements holds an ElementData with Name and Valid for each requested name; a name the scanner does not know gets Valid=\"false\", not a fault."),
            RuleLevel.Must,
            Scanner,
            "Every GetScannerElements: one ElementData per requested Name, each with Name and Valid; the unknown name the harness asks for must come back Valid=\"false\".",
            CheckScannerElements);

        yield return ActiveRule(
            "WSD-SCN-005",
            "ValidateScanTicket tells valid from invalid tickets; CreateScanJob refuses an invalid one",
            new(WsScan, "ValidateScanTicketRequest / ValidationInfo; CreateScanJobRequest errors", UrlScan + "validatescanticketrequest", "ValidationInfo/ValidTicket is true for a ticket the scanner can honour and false otherwise; CreateScanJob with a MustHonor value the scanner cannot honour must fail (ClientErrorInvalidScanTicket, ClientErrorFormatNotSupported, InvalidArgs or ClientErrorConflictingRequiredParameters)."),
            RuleLevel.Must,
            Scanner,
            "Validates the harness's small ticket (ValidTicket true) and the same ticket with a MustHonor Format no scanner has (ValidTicket false, or a fault), then creates a job with the invalid ticket: it must be refused with a WS-Scan fault.",
            CheckTicketValidation);

        yield return Passive(
            "WSD-SCN-006",
            "CreateScanJobResponse carries JobId, JobToken, ImageInformation and DocumentFinalParameters",
            new(WsScan, "CreateScanJobResponse", UrlScan + "createscanjobresponse", "If the client has made a valid scan request, the WSD Scan Service must return a unique JobId, a JobToken, ImageInformation and DocumentFinalParameters."),
            RuleLevel.Must,
            Scanner,
            "Every CreateScanJobResponse: JobId an integer in 1..2147483647, a non-empty JobToken, ImageInformation and DocumentFinalParameters.",
            CheckCreateScanJobResponse);

        yield return ActiveRule(
            "WSD-SCN-009",
            "RetrieveImage for an unknown job is ClientErrorJobIdNotFound",
            new(WsScan, "RetrieveImageRequest errors", UrlScan + "retrieveimagerequest", "The scan service must validate JobId and JobToken; when no job matches the JobId it answers soap:Sender / wscn:ClientErrorJobIdNotFound."),
            RuleLevel.Must,
            Scanner,
            "RetrieveImage for a JobId the scanner never gave out: the answer must be the fault wscn:ClientErrorJobIdNotFound.",
            (context, result, view) => [ExpectFault(context, view, result, DpwsScenario.RetrieveUnknown, "RetrieveImage of an unknown job", "ClientErrorJobIdNotFound")]);

        yield return Passive(
            "WSD-SCN-010",
            "RetrieveImageResponse delivers the image as an MTOM/XOP attachment of real image bytes",
            new(WsScan + "; W3C XOP / SOAP MTOM", "RetrieveImageResponse (ScanData); MTOM", UrlScan + "retrieveimageresponse", "The image data is sent as an MTOM/XOP attachment referenced by xop:Include from ScanData/DocumentImage."),
            RuleLevel.Must,
            Scanner,
            "Every successful RetrieveImage: a multipart/related response whose root references an attachment with xop:Include, the part present, and its bytes an image (PNG, JPEG, TIFF, PDF, BMP signature) of the declared type.",
            CheckRetrievedImages);

        yield return ActiveRule(
            "WSD-SCN-011",
            "A one-image job delivers exactly one image, then ClientErrorNoImagesAvailable",
            new(WsScan, "ImagesToTransfer; RetrieveImageRequest errors", UrlScan + "imagestotransfer", "With ImagesToTransfer N > 0 the scanner delivers N images; a further RetrieveImage fails with wscn:ClientErrorNoImagesAvailable."),
            RuleLevel.Must,
            Scanner,
            "Creates a platen job with ImagesToTransfer 1: the first RetrieveImage must deliver the image, the second must fail with ClientErrorNoImagesAvailable.",
            CheckImagesToTransfer);

        yield return ActiveRule(
            "WSD-SCN-012",
            "CancelJob cancels an active job; an unknown job is ClientErrorJobIdNotFound",
            new(WsScan, "CancelJobRequest", UrlScan + "canceljobrequest", "CancelJob of a pending or processing job succeeds and the job ends Canceled; a job the scanner cannot find is soap:Sender / wscn:ClientErrorJobIdNotFound."),
            RuleLevel.Must,
            Scanner,
            "Cancels a fresh job (CancelJobResponse, then GetJobElements reports Terminating or Canceled), then cancels an unknown JobId (ClientErrorJobIdNotFound).",
            CheckScanCancel);

        yield return Passive(
            "WSD-SCN-013",
            "Job states are the documented ones",
            new(WsScan, "JobState", UrlScan + "jobstate", "JobState is one of Aborted, Canceled, Completed, Creating, Held, Pending, Processing, Started, Terminating."),
            RuleLevel.Must,
            Scanner,
            "Every JobState (JobStatus of GetJobElements, JobSummary of GetActiveJobs and GetJobHistory) must be a documented value.",
            CheckScanJobStates);

        yield return ActiveRule(
            "WSD-SCN-014",
            "GetActiveJobs, GetJobHistory and GetJobElements know the jobs",
            new(WsScan, "GetActiveJobsRequest, GetJobHistoryRequest, GetJobElementsRequest", UrlScan + "getjobelementsrequest", "ActiveJobs lists the jobs not yet finished, JobHistory the finished ones; GetJobElements reports a job's JobStatus, and answers wscn:ClientErrorJobIdNotFound for a job it cannot find."),
            RuleLevel.Must,
            Scanner,
            "Right after CreateScanJob the job is in ActiveJobs and GetJobElements reports its JobStatus; once its image was retrieved it is in JobHistory; GetJobElements of an unknown JobId is ClientErrorJobIdNotFound.",
            CheckScanJobLists);

        yield return Passive(
            "WSD-SCN-015",
            "WS-Scan faults use the documented code for their subcode",
            new(WsScan, "WSD Scan Service operation error reporting", UrlScan, "A WS-Scan fault is a SOAP 1.2 fault with the wsa fault Action; ClientError* and InvalidArgs are soap:Sender faults, ServerError* and OperationFailed soap:Receiver faults, with the subcode in the scan namespace."),
            RuleLevel.Must,
            Scanner,
            "Every fault answered to a WS-Scan request: a ClientError*/InvalidArgs subcode with Code Sender, a ServerError*/OperationFailed subcode with Code Receiver, in a WS-Scan namespace.",
            CheckScanFaults);
    }

    private static IEnumerable<Finding> CheckScannerElements(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var exchange in WithAction(context, ScanActions.GetScannerElements))
        {
            if (exchange.ResponseEnvelope is not { IsFault: false, BodyElement: { } body } || exchange.RequestEnvelope?.BodyElement is not { } requestBody)
            {
                continue;
            }

            judged.Add(exchange);
            var requested = Descendants(requestBody, "Name").Select(n => n.Value.Trim()).Where(n => n.Length > 0).ToList();
            var data = Descendants(body, "ElementData").ToList();
            var named = data.Select(d => ((string?)d.Attribute("Name"))?.Trim()).ToList();
            var unnamed = data.Count(d => d.Attribute("Name") is null || d.Attribute("Valid") is null);
            if (unnamed > 0)
            {
                yield return context.Violation($"{Count(unnamed, "ElementData")} lack the Name or the Valid attribute.", exchange.Records, null, "Name and Valid on every ElementData");
                yield break;
            }

            var missing = requested.Where(r => !named.Any(n => LocalPart(n) == LocalPart(r))).ToList();
            if (missing.Count > 0 || data.Count != requested.Count)
            {
                yield return context.Violation($"{requested.Count} names were requested and {data.Count} ElementData came back (missing: {string.Join(", ", missing)}).", exchange.Records, string.Join(" ", named), string.Join(" ", requested));
                yield break;
            }

            var unknown = data.FirstOrDefault(d => LocalPart((string?)d.Attribute("Name")) == "HarnessNoSuchElement");
            if (unknown is not null && !string.Equals(((string?)unknown.Attribute("Valid"))?.Trim(), "false", StringComparison.OrdinalIgnoreCase) && ((string?)unknown.Attribute("Valid"))?.Trim() != "0")
            {
                yield return context.Violation("An element name the scanner cannot know came back Valid=\"" + (string?)unknown.Attribute("Valid") + "\".", exchange.Records, (string?)unknown.Attribute("Valid"), "false");
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "GetScannerElements exchanges"))
        {
            yield return finding;
        }
    }

    private static string LocalPart(string? qname) => qname is null ? string.Empty : qname[(qname.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private static bool? ValidTicketOf(DpwsExchange? exchange)
    {
        var value = Descendants(exchange?.ResponseEnvelope?.BodyElement, "ValidTicket").FirstOrDefault()?.Value.Trim();
        return value switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => null,
        };
    }

    private static IEnumerable<Finding> CheckTicketValidation(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        var valid = Of(view, result, DpwsScenario.ValidateTicket);
        if (valid is not null)
        {
            yield return ValidTicketOf(valid) == true
                ? context.Pass("The harness's small ticket was validated as valid.", valid.Records)
                : context.Violation($"A ticket built from the scanner's own configuration was answered {valid.Describe()} (ValidTicket {ValidTicketOf(valid)?.ToString() ?? "absent"}).", valid.Records, ValidTicketOf(valid)?.ToString(), "ValidTicket true");
        }

        var invalid = Of(view, result, DpwsScenario.ValidateInvalidTicket);
        if (invalid is not null)
        {
            yield return ValidTicketOf(invalid) == false || invalid.IsFault
                ? context.Pass("A ticket with an unsupported MustHonor Format was validated as invalid.", invalid.Records)
                : context.Violation("A ticket with the MustHonor Format 'harness-no-such-format' was validated as " + (ValidTicketOf(invalid)?.ToString() ?? "(no ValidTicket)") + ".", invalid.Records, ValidTicketOf(invalid)?.ToString(), "ValidTicket false");
        }

        if (Of(view, result, DpwsScenario.CreateInvalidTicket) is not null)
        {
            yield return ExpectFault(context, view, result, DpwsScenario.CreateInvalidTicket, "CreateScanJob with an invalid ticket", "ClientErrorInvalidScanTicket", "ClientErrorFormatNotSupported", "InvalidArgs", "ClientErrorConflictingRequiredParameters");
        }
    }

    private static IEnumerable<Finding> CheckCreateScanJobResponse(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var exchange in WithAction(context, ScanActions.CreateScanJob))
        {
            if (exchange.ResponseEnvelope is not { IsFault: false, BodyElement: { } body })
            {
                continue;
            }

            judged.Add(exchange);
            var jobId = Child(body, "JobId")?.Value.Trim();
            var missing = new List<string>();
            if (!int.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                missing.Add($"a JobId in 1..2147483647 (got '{jobId ?? "(none)"}')");
            }

            if (string.IsNullOrWhiteSpace(Child(body, "JobToken")?.Value))
            {
                missing.Add("JobToken");
            }

            if (Child(body, "ImageInformation") is null)
            {
                missing.Add("ImageInformation");
            }

            if (Child(body, "DocumentFinalParameters") is null)
            {
                missing.Add("DocumentFinalParameters");
            }

            if (missing.Count > 0)
            {
                yield return context.Violation($"A CreateScanJobResponse lacks {string.Join(", ", missing)}.", exchange.Records, null, "JobId, JobToken, ImageInformation, DocumentFinalParameters");
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "CreateScanJobResponses"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckRetrievedImages(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var exchange in WithAction(context, ScanActions.RetrieveImage))
        {
            if (exchange.Response is null || exchange.IsFault || (exchange.ResponseEnvelope is null && exchange.MtomError is null))
            {
                continue;
            }

            judged.Add(exchange);
            if (exchange.Package is not { } package)
            {
                yield return context.Violation(
                    exchange.MtomError is { } error ? "The RetrieveImageResponse package cannot be read: " + error : $"The RetrieveImageResponse is '{exchange.Response.ContentType}', not an MTOM/XOP package.",
                    exchange.Records,
                    exchange.Response.ContentType,
                    "multipart/related; type=\"application/xop+xml\"");
                yield break;
            }

            var include = exchange.ResponseEnvelope?.BodyElement?.Descendants(XName.Get("Include", DpwsNamespaces.Xop)).FirstOrDefault();
            var href = (string?)include?.Attribute("href");
            var part = href is null ? null : package.Find(href);
            if (part is null)
            {
                yield return context.Violation(href is null ? "The RetrieveImageResponse has no xop:Include." : $"xop:Include references '{href}', which is not in the package.", exchange.Records, href, "an xop:Include of an attachment");
                yield break;
            }

            var kind = ImageKind(part.Content.Span);
            var declared = MediaType.Parse(part.ContentType).Value;
            if (kind is null)
            {
                yield return context.Violation($"The attachment ({part.Content.Length} bytes, '{declared}') is not an image: it starts {Convert.ToHexString(part.Content.Span[..Math.Min(8, part.Content.Length)])}.", exchange.Records, declared, "PNG, JPEG, TIFF, PDF or BMP bytes");
                yield break;
            }

            if (declared.Length > 0 && declared != "application/octet-stream" && !declared.Contains(kind, StringComparison.OrdinalIgnoreCase))
            {
                yield return context.Violation($"The attachment is declared '{declared}' but its bytes are {kind}.", exchange.Records, declared, "image/" + kind);
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "RetrieveImageResponses"))
        {
            yield return finding;
        }
    }

    /// <summary>The kind of image by its signature (the word a matching media type contains), or null.</summary>
    private static string? ImageKind(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? "png"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "jpeg"
        : bytes.StartsWith("%PDF-"u8) ? "pdf"
        : bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8) ? "tiff"
        : bytes.StartsWith("BM"u8) && bytes.Length > 26 ? "bmp"
        : null;

    private static IEnumerable<Finding> CheckImagesToTransfer(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        var first = Of(view, result, DpwsScenario.Retrieve1);
        var second = Of(view, result, DpwsScenario.Retrieve2);
        if (first is null || second is null)
        {
            yield return context.NotApplicable("No scan job was created, so no image was retrieved.");
            yield break;
        }

        yield return first.Response is not null && !first.IsFault && (first.Package is not null || first.ResponseEnvelope is not null)
            ? context.Pass("The first RetrieveImage of a one-image job delivered the image.", first.Records)
            : context.Violation($"The first RetrieveImage of a one-image job was answered {first.Describe()}.", first.Records, first.Describe(), "RetrieveImageResponse with the image");
        yield return ExpectFault(context, view, result, DpwsScenario.Retrieve2, "A second RetrieveImage of a one-image job", "ClientErrorNoImagesAvailable");
    }

    /// <summary>The JobState of the first JobStatus in a response (GetJobElements), or null.</summary>
    private static string? JobStateOf(DpwsExchange? exchange) =>
        Descendants(Descendants(exchange?.ResponseEnvelope?.BodyElement, "JobStatus").FirstOrDefault(), "JobState").FirstOrDefault()?.Value.Trim();

    private static IEnumerable<Finding> CheckScanCancel(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        if (result.CanceledScanJobId is not null)
        {
            yield return ExpectReply(context, view, result, DpwsScenario.CancelJob, "CancelJob of a fresh job", ScanActions.CancelJobResponse);
            if (Of(view, result, DpwsScenario.JobElementsCanceled) is { } after)
            {
                var state = JobStateOf(after);
                yield return state is ScanJobStates.Canceled or ScanJobStates.Terminating or ScanJobStates.Aborted
                    ? context.Pass($"After CancelJob the job is {state}.", after.Records)
                    : after.FaultName == "ClientErrorJobIdNotFound"
                        ? context.Info("After CancelJob the job is gone (ClientErrorJobIdNotFound) rather than Canceled.", after.Records)
                        : context.Violation($"After CancelJob the job is reported {state ?? after.Describe()}.", after.Records, state, "Terminating or Canceled");
            }
        }

        yield return ExpectFault(context, view, result, DpwsScenario.CancelUnknown, "CancelJob of an unknown job", "ClientErrorJobIdNotFound");
    }

    private static IEnumerable<Finding> CheckScanJobStates(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var exchange in WithAction(context, ScanActions.GetJobElements, ScanActions.GetActiveJobs, ScanActions.GetJobHistory))
        {
            if (exchange.ResponseEnvelope is not { IsFault: false, BodyElement: { } body })
            {
                continue;
            }

            var states = Descendants(body, "JobState").Select(s => s.Value.Trim()).ToList();
            if (states.Count == 0)
            {
                continue;
            }

            judged.Add(exchange);
            if (states.FirstOrDefault(s => !DocumentedScanJobStates.Contains(s, StringComparer.Ordinal)) is { } odd)
            {
                yield return context.Violation($"{exchange.Operation} reports the JobState '{odd}'.", exchange.Records, odd, string.Join(", ", DocumentedScanJobStates));
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "job reports"))
        {
            yield return finding;
        }
    }

    /// <summary>The JobIds listed in a GetActiveJobs / GetJobHistory response.</summary>
    private static IReadOnlyList<int> ListedJobs(DpwsExchange? exchange) =>
        [.. Descendants(exchange?.ResponseEnvelope?.BodyElement, "JobId").Select(j => int.TryParse(j.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)];

    private static IEnumerable<Finding> CheckScanJobLists(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        if (result.ScanJobId is { } job)
        {
            var active = Of(view, result, DpwsScenario.ActiveJobs);
            if (active is not null)
            {
                yield return !active.IsFault && ListedJobs(active).Contains(job)
                    ? context.Pass($"Job {job} is in ActiveJobs right after CreateScanJob.", active.Records)
                    : context.Violation($"Job {job}, just created, is not in GetActiveJobs ({active.Describe()}; listed: {string.Join(", ", ListedJobs(active))}).", active.Records, string.Join(" ", ListedJobs(active)), job.ToString(CultureInfo.InvariantCulture));
            }

            var elements = Of(view, result, DpwsScenario.JobElements);
            if (elements is not null)
            {
                var status = Descendants(elements.ResponseEnvelope?.BodyElement, "JobStatus").FirstOrDefault();
                var reported = Child(status, "JobId")?.Value.Trim();
                yield return !elements.IsFault && reported == job.ToString(CultureInfo.InvariantCulture)
                    ? context.Pass($"GetJobElements reports the JobStatus of job {job}.", elements.Records)
                    : context.Violation($"GetJobElements of job {job}, just created, was answered {elements.Describe()} (JobStatus/JobId '{reported}').", elements.Records, reported, job.ToString(CultureInfo.InvariantCulture));
            }

            var history = Of(view, result, DpwsScenario.JobHistory);
            var finished = Of(view, result, DpwsScenario.Retrieve2)?.FaultName == "ClientErrorNoImagesAvailable";
            if (history is not null && finished)
            {
                yield return !history.IsFault && ListedJobs(history).Contains(job)
                    ? context.Pass($"Job {job} is in JobHistory once its image was retrieved.", history.Records)
                    : context.Violation($"Job {job}, whose image was retrieved, is not in GetJobHistory ({history.Describe()}).", history.Records, string.Join(" ", ListedJobs(history)), job.ToString(CultureInfo.InvariantCulture));
            }
        }

        yield return ExpectFault(context, view, result, DpwsScenario.JobElementsUnknown, "GetJobElements of an unknown job", "ClientErrorJobIdNotFound");
    }

    private static IEnumerable<Finding> CheckScanFaults(RuleContext context)
    {
        var faults = Exchanges(context).Where(e => e.IsFault && e.Action is { } a && a.StartsWith(ScanNamespaces.Scan + "/", StringComparison.Ordinal)).ToList();
        var judged = new List<DpwsExchange>();
        foreach (var exchange in faults)
        {
            var fault = exchange.Fault!;
            if (fault.Subcode is not { } subcode || ScanNamespaces.Classify(subcode.NamespaceName) == ScanNamespaceKind.Other)
            {
                continue; // addressing, eventing or SOAP faults: judged by their own rules
            }

            judged.Add(exchange);
            var name = subcode.LocalName;
            var expected = name.StartsWith("ClientError", StringComparison.Ordinal) || name == "InvalidArgs" ? SoapFault.Sender
                : name.StartsWith("ServerError", StringComparison.Ordinal) || name == "OperationFailed" ? SoapFault.Receiver
                : null;
            if (expected is not null && fault.Code != expected)
            {
                yield return context.Violation($"{exchange.Operation} answered {name} with Code {fault.Code.LocalName}.", exchange.Records, fault.Code.LocalName, expected.LocalName);
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "WS-Scan faults"))
        {
            yield return finding;
        }
    }
}
