using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Print;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Tests.Print;

public sealed class PrintXmlReaderTests
{
    private static readonly XNamespace Wprt = PrintNamespaces.Print;

    [Fact]
    public void ReadGetPrinterElementsRequest_WindowsCapture_PrefixPriResolvesToPrinterDescription()
    {
        var result = PrintXmlReader.ReadGetPrinterElementsRequest(PrintVectors.Body(PrintVectors.WindowsGetPrinterElements));

        var name = Assert.Single(result.Value!.RequestedElements);
        Assert.Equal("pri:PrinterDescription", name.Text);
        Assert.Equal(Wprt + "PrinterDescription", name.Name);
        Assert.True(name.IsPrint(PrintElementNames.PrinterDescription));
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void ReadSendDocumentRequest_WindowsCapture_ReadsDescriptionAndResolvesTheAttachment()
    {
        var document = PrintVectors.SmallPdf;
        var package = new MtomPackage(
            new MtomPart(new Dictionary<string, string>(), Encoding.UTF8.GetBytes(PrintVectors.WindowsSendDocument)),
            [new MtomPart(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-ID"] = "<" + PrintVectors.WindowsDocumentContentId + ">", ["Content-Type"] = "application/octet-stream" }, document)]);

        var result = PrintXmlReader.ReadSendDocumentRequest(PrintVectors.Body(PrintVectors.WindowsSendDocument), package);

        var request = result.Value!;
        Assert.Equal(3, request.JobId);
        Assert.True(request.LastDocument);
        Assert.Equal(1, request.Description.DocumentId);
        Assert.Equal("None", request.Description.Compression);
        Assert.Equal("unknown", request.Description.Format);
        Assert.Equal("cid:" + PrintVectors.WindowsDocumentContentId, request.DataReference);
        Assert.Equal(document, request.Data!.Value.ToArray());
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void ReadSendDocumentRequest_AttachmentMissingFromPackage_ErrorAndNoData()
    {
        var result = PrintXmlReader.ReadSendDocumentRequest(PrintVectors.Body(PrintVectors.WindowsSendDocument), package: null);

        Assert.NotNull(result.Value);
        Assert.Null(result.Value.Data);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.DocumentData && v.Severity == ViolationSeverity.Error);
        Assert.Null(PrintXmlReader.ReadSendDocumentRequest(PrintVectors.Body(PrintVectors.WindowsSendDocument), null, ReadMode.Strict).Value);
    }

    [Fact]
    public void ReadSendDocumentRequest_InlineBase64_ReadWithWarning()
    {
        var body = PrintXmlReader.LoadElement($"""
            <wprt:SendDocumentRequest xmlns:wprt="{PrintNamespaces.Print}">
              <wprt:JobId>7</wprt:JobId>
              <wprt:DocumentDescription><wprt:DocumentId>2</wprt:DocumentId></wprt:DocumentDescription>
              <wprt:LastDocument>0</wprt:LastDocument>
              <wprt:DocumentData>{Convert.ToBase64String(PrintVectors.SmallPdf)}</wprt:DocumentData>
            </wprt:SendDocumentRequest>
            """)!;

        var result = PrintXmlReader.ReadSendDocumentRequest(body);

        Assert.Equal(PrintVectors.SmallPdf, result.Value!.Data!.Value.ToArray());
        Assert.False(result.Value.LastDocument);
        Assert.Null(result.Value.DataReference);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.DocumentData && v.Severity == ViolationSeverity.Warning);
    }

    [Fact]
    public void ReadEmpty_MsAddDocumentResponseSample_LegacyNamespaceReported()
    {
        // The SOAP reader understands the https:// spellings (Q-HTTPS-NS) but leaves the unknown 2005/05 namespace as it is.
        var envelope = SoapReader.Read(Encoding.UTF8.GetBytes(PrintVectors.MsAddDocumentResponse)).Envelope!;

        var result = PrintXmlReader.ReadEmpty(envelope.BodyElement!, "AddDocumentResponse");

        Assert.True(result.Success);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.LegacyNamespace || v.RuleId == PrintRuleIds.HttpsNamespace);
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void ReadEmpty_MsSendDocumentResponseSample_ReadAsSendDocumentResponseOnly()
    {
        var body = PrintVectors.Body(PrintVectors.MsSendDocumentResponse);

        Assert.True(PrintXmlReader.ReadEmpty(body, "SendDocumentResponse").Success);
        Assert.Contains(PrintXmlReader.ReadEmpty(body, "SendDocumentResponse").Violations, v => v.RuleId == PrintRuleIds.HttpsNamespace);
        Assert.False(PrintXmlReader.ReadEmpty(body, "AddDocumentResponse").Success);
    }

    [Fact]
    public void ReadCreatePrintJobRequest_FieldClient_NamesReadAndExtraChildKept()
    {
        var result = PrintXmlReader.ReadCreatePrintJobRequest(PrintXmlReader.LoadElement(PrintVectors.FieldCreatePrintJob)!);

        var description = result.Value!.Ticket.JobDescription!;
        Assert.Equal(("Board Minutes.pdf", "remote-user"), (description.JobName, description.JobOriginatingUserName));
        Assert.Equal("REMOTEPC", Assert.Single(description.Extensions).Value);
        Assert.Null(result.Value.Ticket.JobProcessing);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void ReadCreatePrintJobRequest_NoPrintTicket_Error()
    {
        var result = PrintXmlReader.ReadCreatePrintJobRequest(new XElement(Wprt + "CreatePrintJobRequest"));

        Assert.Null(result.Value);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.Schema && v.Severity == ViolationSeverity.Error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void ReadCancelJobRequest_JobIdOutOfRange_ErrorAndStrictRefuses(string jobId)
    {
        var body = new XElement(Wprt + "CancelJobRequest", new XElement(Wprt + "JobId", jobId));

        var lenient = PrintXmlReader.ReadCancelJobRequest(body);
        var strict = PrintXmlReader.ReadCancelJobRequest(body, ReadMode.Strict);

        Assert.NotNull(lenient.Value);
        Assert.Contains(lenient.Violations, v => v.RuleId == PrintRuleIds.JobId && v.Severity == ViolationSeverity.Error);
        Assert.Null(strict.Value);
    }

    [Fact]
    public void ReadCancelJobRequest_NotAnInteger_NoValue()
    {
        var result = PrintXmlReader.ReadCancelJobRequest(new XElement(Wprt + "CancelJobRequest", new XElement(Wprt + "JobId", "three")));

        Assert.Null(result.Value);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.Schema);
    }

    [Fact]
    public void Read_WrongTopElement_ErrorNamesBoth()
    {
        var result = PrintXmlReader.ReadCancelJobRequest(new XElement(Wprt + "CreatePrintJobRequest"));

        Assert.Null(result.Value);
        var error = Assert.Single(result.Violations);
        Assert.Contains("CancelJobRequest", error.Message, StringComparison.Ordinal);
        Assert.Contains("CreatePrintJobRequest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadGetJobHistoryResponse_UnqualifiedChildrenAndCaseBooleans_UnderstoodAndReported()
    {
        // A device that writes the children without a namespace and pretty-prints values.
        var body = PrintXmlReader.LoadElement($"""
            <wprt:GetJobHistoryResponse xmlns:wprt="{PrintNamespaces.Print}">
              <JobHistory>
                <JobSummary>
                  <JobId> 12 </JobId><JobName>Report</JobName><JobOriginatingUserName>ann</JobOriginatingUserName>
                  <JobState>Completed</JobState><JobStateReasons><JobStateReason>JobCompletedSuccessfully</JobStateReason></JobStateReasons>
                  <KOctetsProcessed>3</KOctetsProcessed><MediaSheetsCompleted>2</MediaSheetsCompleted><NumberOfDocuments>1</NumberOfDocuments>
                </JobSummary>
              </JobHistory>
            </wprt:GetJobHistoryResponse>
            """)!;

        var result = PrintXmlReader.ReadGetJobHistoryResponse(body);

        var job = Assert.Single(result.Value!.Jobs);
        Assert.Equal((12, "Completed", "Report", 2), (job.JobId, job.JobState, job.JobName, job.MediaSheetsCompleted));
        Assert.Equal([PrintJobStateReasons.JobCompletedSuccessfully], job.JobStateReasons);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.Schema && v.Severity == ViolationSeverity.Warning);
    }

    [Fact]
    public void ReadGetActiveJobsResponse_JobEntries_ReadIntoSummaries()
    {
        // Microsoft's ActiveJobs page allows Job entries (JobStatus + PrintTicket) besides JobSummary.
        var body = new XElement(Wprt + "GetActiveJobsResponse", new XElement(Wprt + "ActiveJobs",
            new XElement(Wprt + "Job",
                new XElement(Wprt + "JobStatus", new XElement(Wprt + "JobId", "4"), new XElement(Wprt + "JobState", "Processing"), new XElement(Wprt + "NumberOfDocuments", "1")),
                new XElement(Wprt + "PrintTicket", new XElement(Wprt + "JobDescription", new XElement(Wprt + "JobName", "Slides"), new XElement(Wprt + "JobOriginatingUserName", "bo"))))));

        var job = Assert.Single(PrintXmlReader.ReadGetActiveJobsResponse(body).Value!.Jobs);

        Assert.Equal((4, "Processing", "Slides", "bo", 1), (job.JobId, job.JobState, job.JobName, job.JobOriginatingUserName, job.NumberOfDocuments));
    }

    [Fact]
    public void ReadEvent_UnknownJobStateValue_InfoNotError()
    {
        var body = new XElement(Wprt + "JobStatusEvent", new XElement(Wprt + "JobStatus", new XElement(Wprt + "JobId", "1"), new XElement(Wprt + "JobState", "VendorPaused")));

        var result = PrintXmlReader.ReadEvent(body);

        Assert.Equal("VendorPaused", Assert.IsType<PrintJobStatusEvent>(result.Value).Status.JobState);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.Values && v.Severity == ViolationSeverity.Info);
    }

    [Fact]
    public void ReadEvent_JobEndStateNotAnEndState_Error()
    {
        var body = new XElement(Wprt + "JobEndStateEvent", new XElement(Wprt + "JobEndState", new XElement(Wprt + "JobId", "1"), new XElement(Wprt + "JobCompletedState", "Pending")));

        Assert.Contains(PrintXmlReader.ReadEvent(body).Violations, v => v.RuleId == PrintRuleIds.Values && v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void ReadGetPrinterElementsResponse_QualifiedAttributesAndUnknownSection_ReportedAndKept()
    {
        var body = PrintXmlReader.LoadElement($"""
            <wprt:GetPrinterElementsResponse xmlns:wprt="{PrintNamespaces.Print}" xmlns:ihv="urn:example:ihv">
              <wprt:PrinterElements>
                <wprt:ElementData wprt:Name="wprt:PrinterStatus" wprt:Valid="True">
                  <wprt:PrinterStatus>
                    <wprt:PrinterCurrentTime>2024-05-01T10:00:00Z</wprt:PrinterCurrentTime>
                    <wprt:PrinterState>Stopped</wprt:PrinterState>
                    <wprt:PrinterPrimaryStateReason>MediaEmpty</wprt:PrinterPrimaryStateReason>
                    <wprt:PrinterStateReasons><wprt:PrinterStateReason>MediaEmpty</wprt:PrinterStateReason></wprt:PrinterStateReasons>
                    <wprt:ActiveConditions>
                      <wprt:DeviceCondition Id="17"><wprt:Time>2024-05-01T09:59:00Z</wprt:Time><wprt:Name>MediaEmpty</wprt:Name><wprt:Component>InputTray</wprt:Component><wprt:Severity>Critical</wprt:Severity></wprt:DeviceCondition>
                    </wprt:ActiveConditions>
                  </wprt:PrinterStatus>
                </wprt:ElementData>
                <wprt:ElementData Name="ihv:InkLevels" Valid="true"><ihv:InkLevels>42</ihv:InkLevels></wprt:ElementData>
              </wprt:PrinterElements>
            </wprt:GetPrinterElementsResponse>
            """)!;

        var result = PrintXmlReader.ReadGetPrinterElementsResponse(body);

        var status = result.Value!.Status!;
        Assert.Equal((PrinterStates.Stopped, "MediaEmpty"), (status.PrinterState, status.PrinterPrimaryStateReason));
        Assert.Equal(new PrintDeviceCondition(17, new DateTimeOffset(2024, 5, 1, 9, 59, 0, TimeSpan.Zero), "MediaEmpty", "InputTray", "Critical"), Assert.Single(status.ActiveConditions));
        var vendor = result.Value.Elements[1];
        Assert.Equal(XName.Get("InkLevels", "urn:example:ihv"), vendor.Name.Name);
        Assert.Equal("42", vendor.Other!.Value);
        Assert.Contains(result.Violations, v => v.RuleId == PrintRuleIds.ElementData && v.Severity == ViolationSeverity.Info);
        Assert.Contains(result.Violations, v => v.Message.Contains("'True'", StringComparison.Ordinal) && v.Severity == ViolationSeverity.Warning);
    }
}
