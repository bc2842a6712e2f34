using System.Text;
using System.Xml.Linq;
using Harness.Dpws.Print;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Tests.Print;

public sealed class PrintXmlWriterTests
{
    private const string Ns = "http://schemas.microsoft.com/windows/2006/08/wdp/print";

    [Fact]
    public void Write_SendDocumentRequest_GoldenXmlInTheOrderWindowsSends()
    {
        var request = new SendDocumentRequest(3, true, new PrintDocumentDescription(1) { Compression = "None", Format = "unknown" });

        var xml = PrintXmlWriter.ToXmlString(PrintXmlWriter.Write(request, "document1@windows"));

        Assert.Equal(
            $"""<wprt:SendDocumentRequest xmlns:wprt="{Ns}"><wprt:JobId>3</wprt:JobId><wprt:DocumentDescription><wprt:DocumentId>1</wprt:DocumentId><wprt:Compression>None</wprt:Compression><wprt:Format>unknown</wprt:Format></wprt:DocumentDescription><wprt:LastDocument>true</wprt:LastDocument><wprt:DocumentData><Include href="cid:document1@windows" xmlns="http://www.w3.org/2004/08/xop/include" /></wprt:DocumentData></wprt:SendDocumentRequest>""",
            xml);
        // Same children, same order as the Windows capture's body.
        Assert.Equal(
            PrintVectors.Body(PrintVectors.WindowsSendDocument).Elements().Select(e => e.Name.LocalName),
            XElement.Parse(xml).Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public void Write_GetPrinterElementsRequest_SameBodyAsWindowsCapture()
    {
        var xml = PrintXmlWriter.ToXmlString(PrintXmlWriter.Write(new GetPrinterElementsRequest([PrintQName.Print(PrintElementNames.PrinterDescription)])));

        Assert.Equal($"""<wprt:GetPrinterElementsRequest xmlns:wprt="{Ns}"><wprt:RequestedElements><wprt:Name>wprt:PrinterDescription</wprt:Name></wprt:RequestedElements></wprt:GetPrinterElementsRequest>""", xml);
        var windows = PrintXmlReader.ReadGetPrinterElementsRequest(PrintVectors.Body(PrintVectors.WindowsGetPrinterElements)).Value!;
        var ours = PrintXmlReader.ReadGetPrinterElementsRequest(XElement.Parse(xml)).Value!;
        Assert.Equal(windows.RequestedElements.Select(n => n.Name), ours.RequestedElements.Select(n => n.Name));
    }

    [Fact]
    public void Write_JobStatusEvent_Golden()
    {
        var status = new PrintJobStatus(253, PrintJobStates.Processing) { JobStateReasons = [PrintJobStateReasons.JobPrinting], KOctetsProcessed = 12, MediaSheetsCompleted = 1, NumberOfDocuments = 1 };

        var xml = PrintXmlWriter.ToXmlString(PrintXmlWriter.WriteEvent(new PrintJobStatusEvent(status)));

        Assert.Equal(
            $"""<wprt:JobStatusEvent xmlns:wprt="{Ns}"><wprt:JobStatus><wprt:JobId>253</wprt:JobId><wprt:JobState>Processing</wprt:JobState><wprt:JobStateReasons><wprt:JobStateReason>JobPrinting</wprt:JobStateReason></wprt:JobStateReasons><wprt:KOctetsProcessed>12</wprt:KOctetsProcessed><wprt:MediaSheetsCompleted>1</wprt:MediaSheetsCompleted><wprt:NumberOfDocuments>1</wprt:NumberOfDocuments></wprt:JobStatus></wprt:JobStatusEvent>""",
            xml);
    }

    [Fact]
    public void Write_JobEndStateEvent_GoldenWithJobCompletedState()
    {
        var end = new PrintJobEndState(9, PrintJobStates.Canceled) { JobCompletedStateReasons = [PrintJobStateReasons.None], JobName = "a&b", JobOriginatingUserName = "u", NumberOfDocuments = 1 };

        var xml = PrintXmlWriter.ToXmlString(PrintXmlWriter.WriteEvent(new PrintJobEndStateEvent(end)));

        Assert.Equal(
            $"""<wprt:JobEndStateEvent xmlns:wprt="{Ns}"><wprt:JobEndState><wprt:JobId>9</wprt:JobId><wprt:JobCompletedState>Canceled</wprt:JobCompletedState><wprt:JobCompletedStateReasons><wprt:JobStateReason>None</wprt:JobStateReason></wprt:JobCompletedStateReasons><wprt:JobName>a&amp;b</wprt:JobName><wprt:JobOriginatingUserName>u</wprt:JobOriginatingUserName><wprt:KOctetsProcessed>0</wprt:KOctetsProcessed><wprt:MediaSheetsCompleted>0</wprt:MediaSheetsCompleted><wprt:NumberOfDocuments>1</wprt:NumberOfDocuments></wprt:JobEndState></wprt:JobEndStateEvent>""",
            xml);
    }

    [Fact]
    public void Write_PrinterStatusSummaryEvent_Golden()
    {
        var xml = PrintXmlWriter.ToXmlString(PrintXmlWriter.WriteEvent(new PrinterStatusSummaryEvent(PrinterStates.Stopped, "MediaJam", ["MediaJam"])));

        Assert.Equal(
            $"""<wprt:PrinterStatusSummaryEvent xmlns:wprt="{Ns}"><wprt:StatusSummary><wprt:PrinterState>Stopped</wprt:PrinterState><wprt:PrinterPrimaryStateReason>MediaJam</wprt:PrinterPrimaryStateReason><wprt:PrinterStateReasons><wprt:PrinterStateReason>MediaJam</wprt:PrinterStateReason></wprt:PrinterStateReasons></wprt:StatusSummary></wprt:PrinterStatusSummaryEvent>""",
            xml);
    }

    [Fact]
    public void Write_EmptyResponses_SameElementsAsMicrosoftSamples()
    {
        // The sample bodies are <wprt:AddDocumentResponse/> and <wprt:SendDocumentResponse/> (in the 2005/05 namespace).
        Assert.Equal(PrintVectors.Body(PrintVectors.MsAddDocumentResponse).Name.LocalName, PrintXmlWriter.WriteAddDocumentResponse().Name.LocalName);
        Assert.Equal(PrintVectors.Body(PrintVectors.MsSendDocumentResponse).Name.LocalName, PrintXmlWriter.WriteSendDocumentResponse().Name.LocalName);
        Assert.Equal($"""<wprt:SendDocumentResponse xmlns:wprt="{Ns}" />""", PrintXmlWriter.ToXmlString(PrintXmlWriter.WriteSendDocumentResponse()));
    }

    [Fact]
    public void Write_ReplyEnvelope_DeterministicBytes()
    {
        var request = SoapReader.Read(Encoding.UTF8.GetBytes(PrintVectors.WindowsGetPrinterElements)).Envelope!;
        var response = new GetPrinterElementsResponse([new PrinterElementData(PrintQName.Print(PrintElementNames.PrinterDescription), true)
        {
            Description = new PrinterDescription { ColorSupported = false, PrinterName = [new PrintLocalizedString("Lobby", "en-US")] },
        }]);

        var first = SoapWriter.Write(SoapEnvelope.Reply(request, PrintActions.GetPrinterElementsResponse, "urn:uuid:00000000-0000-4000-8000-000000000009", PrintXmlWriter.Write(response)));
        var second = SoapWriter.Write(SoapEnvelope.Reply(request, PrintActions.GetPrinterElementsResponse, "urn:uuid:00000000-0000-4000-8000-000000000009", PrintXmlWriter.Write(response)));

        Assert.Equal(first, second);
        Assert.Contains(
            $"""<wprt:GetPrinterElementsResponse xmlns:wprt="{Ns}"><wprt:PrinterElements><wprt:ElementData Name="wprt:PrinterDescription" Valid="true"><wprt:PrinterDescription><wprt:ColorSupported>false</wprt:ColorSupported><wprt:PrinterName xml:lang="en-US">Lobby</wprt:PrinterName></wprt:PrinterDescription></wprt:ElementData></wprt:PrinterElements></wprt:GetPrinterElementsResponse>""",
            Encoding.UTF8.GetString(first),
            StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenRead_EveryEvent_SameRecord()
    {
        var time = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        PrintEvent[] events =
        [
            new PrinterElementsChangeEvent { Description = new PrinterDescription { PrinterName = [new PrintLocalizedString("X")] } },
            new PrinterStatusSummaryEvent(PrinterStates.Idle, "None", ["None"]),
            new PrinterStatusConditionEvent(new PrintDeviceCondition(3, time, "CoverOpen", "Door", "Critical")),
            new PrinterStatusConditionClearedEvent(3, time),
            new PrintJobStatusEvent(new PrintJobStatus(1, PrintJobStates.Pending) { JobStateReasons = [PrintJobStateReasons.JobIncoming] }),
            new PrintJobEndStateEvent(new PrintJobEndState(1, PrintJobStates.Completed) { JobCompletedStateReasons = [PrintJobStateReasons.JobCompletedSuccessfully], MediaSheetsCompleted = 2 }),
        ];

        foreach (var e in events)
        {
            var read = PrintXmlReader.ReadEvent(XElement.Parse(PrintXmlWriter.ToXmlString(PrintXmlWriter.WriteEvent(e))));

            Assert.Empty(read.Violations);
            Assert.Equal(e.Action, read.Value!.Action);
            Assert.Equal(PrintXmlWriter.ToXmlString(PrintXmlWriter.WriteEvent(e)), PrintXmlWriter.ToXmlString(PrintXmlWriter.WriteEvent(read.Value)));
        }
    }
}
