using System.Globalization;
using Harness.Conformance.Model;
using Harness.Dpws.Print;

namespace Harness.Conformance.Dpws;

public static partial class DpwsRules
{
    private static IEnumerable<Rule> PrintRules()
    {
        yield return Passive(
            "WSD-PRT-001",
            "GetPrinterElements answers one ElementData per requested name",
            new(WsPrint, "GetPrinterElementsRequest / GetPrinterElementsResponse (ElementData)", UrlPrint, "The WSD Print Service must support GetPrinterElements; PrinterElements holds an ElementData with Name and Valid for each requested name."),
            RuleLevel.Must,
            Printer,
            "Every GetPrinterElements: one ElementData per requested Name, each with Name and Valid.",
            CheckPrinterElements);

        yield return Passive(
            "WSD-PRT-002",
            "CreatePrintJobResponse carries a JobId in 1..2147483647",
            new(WsPrint, "CreatePrintJobResponse", UrlPrint + "ff547179(v=vs.85)", "If the client has made a valid print request, the Print Service must return a unique JobId, in the range of 1 to 2147483647."),
            RuleLevel.Must,
            Printer,
            "Every CreatePrintJobResponse: JobId an integer in 1..2147483647.",
            CheckCreatePrintJobResponse);

        yield return Passive(
            "WSD-PRT-003",
            "SendDocument with an MTOM document is answered with SendDocumentResponse",
            new(WsPrint, "SendDocumentRequest", UrlPrint + "ff562064(v=vs.85)", "The WSD Print Service must support SendDocumentRequest, which carries the document data of a job."),
            RuleLevel.Must,
            Printer,
            "Every SendDocument: SendDocumentResponse, or a fault naming the document format; any other fault or no answer fails.",
            CheckSendDocument);

        yield return ActiveRule(
            "WSD-PRT-004",
            "GetJobElements reports the job; an unknown job is ClientErrorJobIdNotFound",
            new(WsPrint, "GetJobElementsRequest", UrlPrint + "ff550464(v=vs.85)", "The WSD Print Service must respond with a GetJobElementsResponse carrying the requested job elements, or ClientErrorJobIdNotFound when the job is not found."),
            RuleLevel.Must,
            Printer,
            "GetJobElements of the harness's job: JobStatus with its JobId and a documented JobState; of an unknown JobId: the fault ClientErrorJobIdNotFound.",
            CheckPrintJobElements);

        yield return ActiveRule(
            "WSD-PRT-005",
            "GetActiveJobs / GetJobHistory list the job",
            new(WsPrint, "GetActiveJobsRequest, GetJobHistoryRequest", UrlPrint + "ff556368(v=vs.85)", "ActiveJobs lists the jobs at the printer that are not finished; JobHistory the finished ones."),
            RuleLevel.Must,
            Printer,
            "After SendDocument the harness's job is listed by GetActiveJobs or by GetJobHistory, with a documented JobState.",
            CheckPrintJobLists);

        yield return ActiveRule(
            "WSD-PRT-006",
            "CancelJob cancels a job; an unknown job is ClientErrorJobIdNotFound",
            new(WsPrint, "CancelJobRequest", UrlPrint, "CancelJob of a job the printer holds is answered by CancelJobResponse; a job it cannot find is ClientErrorJobIdNotFound."),
            RuleLevel.Must,
            Printer,
            "Cancels a fresh job (CancelJobResponse), then an unknown JobId (ClientErrorJobIdNotFound).",
            CheckPrintCancel);
    }

    private static IEnumerable<Finding> CheckPrinterElements(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var exchange in WithAction(context, PrintActions.GetPrinterElements))
        {
            if (exchange.ResponseEnvelope is not { IsFault: false, BodyElement: { } body } || exchange.RequestEnvelope?.BodyElement is not { } requestBody)
            {
                continue;
            }

            judged.Add(exchange);
            var requested = Descendants(requestBody, "Name").Select(n => LocalPart(n.Value.Trim())).ToList();
            var data = Descendants(body, "ElementData").ToList();
            if (data.Any(d => d.Attribute("Name") is null || d.Attribute("Valid") is null))
            {
                yield return context.Violation("An ElementData lacks the Name or the Valid attribute.", exchange.Records, null, "Name and Valid");
                yield break;
            }

            var names = data.Select(d => LocalPart(((string?)d.Attribute("Name"))?.Trim())).ToList();
            var missing = requested.Where(r => !names.Contains(r, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                yield return context.Violation($"No ElementData for {string.Join(", ", missing)}.", exchange.Records, string.Join(" ", names), string.Join(" ", requested));
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "GetPrinterElements exchanges"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckCreatePrintJobResponse(RuleContext context)
    {
        var judged = new List<DpwsExchange>();
        foreach (var exchange in WithAction(context, PrintActions.CreatePrintJob))
        {
            if (exchange.ResponseEnvelope is not { IsFault: false, BodyElement: { } body })
            {
                continue;
            }

            judged.Add(exchange);
            var text = Child(body, "JobId")?.Value.Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                yield return context.Violation($"A CreatePrintJobResponse carries the JobId '{text ?? "(none)"}'.", exchange.Records, text, "an integer in 1..2147483647");
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, judged, "CreatePrintJobResponses"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckSendDocument(RuleContext context)
    {
        var sends = WithAction(context, PrintActions.SendDocument);
        foreach (var exchange in sends)
        {
            if (exchange.Fault is { } fault && (fault.Subcode?.LocalName.Contains("Format", StringComparison.Ordinal) ?? false))
            {
                yield return context.Info($"SendDocument was refused for its format ({fault}).", exchange.Records, fault.ToString());
                continue;
            }

            if (exchange.ResponseEnvelope is null || exchange.IsFault || exchange.ResponseAction != PrintActions.SendDocumentResponse)
            {
                yield return context.Violation($"SendDocument was answered {exchange.Describe()}.", exchange.Records, exchange.Describe(), "SendDocumentResponse");
                yield break;
            }
        }

        foreach (var finding in PassIfAny(context, sends, "SendDocument exchanges"))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckPrintJobElements(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        if (result.PrintJobId is { } job && Of(view, result, DpwsScenario.PrintJobElements) is { } elements)
        {
            var status = Descendants(elements.ResponseEnvelope?.BodyElement, "JobStatus").FirstOrDefault();
            var reported = Child(status, "JobId")?.Value.Trim();
            var state = Child(status, "JobState")?.Value.Trim();
            yield return !elements.IsFault && reported == job.ToString(CultureInfo.InvariantCulture) && state is not null && PrintJobStates.All.Contains(state, StringComparer.Ordinal)
                ? context.Pass($"GetJobElements reports job {job} as {state}.", elements.Records)
                : context.Violation($"GetJobElements of job {job} was answered {elements.Describe()} (JobId '{reported}', JobState '{state}').", elements.Records, reported + " " + state, job.ToString(CultureInfo.InvariantCulture) + " with a documented JobState");
        }

        yield return ExpectFault(context, view, result, DpwsScenario.PrintJobElementsUnknown, "GetJobElements of an unknown job", "ClientErrorJobIdNotFound");
    }

    private static IEnumerable<Finding> CheckPrintJobLists(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        if (result.PrintJobId is not { } job)
        {
            yield return context.NotApplicable("No print job was created.");
            yield break;
        }

        var active = Of(view, result, DpwsScenario.PrintActiveJobs);
        var history = Of(view, result, DpwsScenario.PrintJobHistory);
        if (active is null || history is null)
        {
            yield return context.NotApplicable("The job lists were not asked for.");
            yield break;
        }

        var listed = ListedJobs(active).Contains(job) || ListedJobs(history).Contains(job);
        var states = Descendants(active.ResponseEnvelope?.BodyElement, "JobState").Concat(Descendants(history.ResponseEnvelope?.BodyElement, "JobState")).Select(s => s.Value.Trim()).ToList();
        var odd = states.FirstOrDefault(s => !PrintJobStates.All.Contains(s, StringComparer.Ordinal));
        if (active.IsFault || history.IsFault || !listed)
        {
            yield return context.Violation($"Job {job} is in neither GetActiveJobs ({active.Describe()}) nor GetJobHistory ({history.Describe()}).", [.. active.Records, .. history.Records], null, job.ToString(CultureInfo.InvariantCulture));
        }
        else if (odd is not null)
        {
            yield return context.Violation($"A job is listed with the JobState '{odd}'.", [.. active.Records, .. history.Records], odd, string.Join(", ", PrintJobStates.All));
        }
        else
        {
            yield return context.Pass($"Job {job} is listed with a documented JobState.", [.. active.Records, .. history.Records]);
        }
    }

    private static IEnumerable<Finding> CheckPrintCancel(RuleContext context, DpwsScenarioResult result, DpwsView view)
    {
        if (result.CanceledPrintJobId is not null)
        {
            yield return ExpectReply(context, view, result, DpwsScenario.PrintCancelJob, "CancelJob of a fresh job", PrintActions.CancelJobResponse);
        }

        yield return ExpectFault(context, view, result, DpwsScenario.PrintCancelUnknown, "CancelJob of an unknown job", "ClientErrorJobIdNotFound");
    }
}
