using System.Xml.Linq;
using Harness.Core.Xml;

namespace Harness.Dpws.Tests.Print;

/// <summary>
/// WS-Print messages from public sources.
/// "MS" vectors are the examples of Microsoft's WS-Print v1.0 reference pages (learn.microsoft.com "previous-versions",
/// AddDocumentResponse ff544960 and SendDocumentResponse ff562067). As published they declare the 2005/05 print
/// namespace and spell every namespace with <c>https://</c> (the site's rendering); their Envelope start tag is broken by a
/// stray <c>&gt;</c> after the last namespace declaration (<c>…/wdp/print"&gt;</c> then <c>soap:encodingStyle='…' &gt;</c>):
/// that one character is removed here and nothing else is changed. The SendDocumentResponse page is stored only up to
/// its RelatesTo header; its Body is completed from the page's own Usage block (<c>&lt;wprt:SendDocumentResponse/&gt;</c>)
/// in the form of the AddDocumentResponse sample.
/// "Windows" vectors are messages a Windows WSD print client sent to real printers, as published in public pastes:
/// a GetPrinterElements request to a printer at /wsd/printservice.cgi (pastebin hQ0ah20k, verbatim) and a SendDocument
/// request to /WebServices/PrinterService (pastebin ZgpDVazX, whose stored copy ends after DocumentDescription; the
/// LastDocument and DocumentData lines are those of the same paste's companions cZGusCXa/9mTEBD2y, with the elided
/// DocumentData content written as the xop:Include of an MTOM package).
/// "Field" is a CreatePrintJob a WS-Print device emulator test drives (JobOriginatingComputerName is a child clients
/// add to JobDescription that the schema does not list).
/// </summary>
internal static class PrintVectors
{
    /// <summary>The first element of soap:Body of an envelope (any SOAP namespace spelling).</summary>
    public static XElement Body(string envelope)
    {
        var load = SafeXml.Load(System.Text.Encoding.UTF8.GetBytes(envelope));
        Assert.True(load.Success, load.Message);
        return load.Document!.Root!.Elements().Single(e => e.Name.LocalName == "Body").Elements().First();
    }

    // MS AddDocumentResponse element page, "Examples" (the stray '>' after the wprt declaration removed).
    public const string MsAddDocumentResponse = """
        <soap:Envelope
            xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
            xmlns:wsa="https://schemas.xmlsoap.org/ws/2004/08/addressing"
            xmlns:wprt="https://schemas.microsoft.com/windows/2005/05/wdp/print"
            soap:encodingStyle='https://www.w3.org/2002/12/soap-encoding' >
          <soap:Header>
            <wsa:To>
              https://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous
            </wsa:To>
            <wsa:Action>
              https://schemas.microsoft.com/windows/2005/05/wdp/print/AddDocumentResponse
            </wsa:Action>
            <wsa:MessageID>uuid:UniqueMsgId</wsa:MessageID>
            <wsa:RelatesTo>uuid:MsgIdOfTheAddDocumentRequest</wsa:RelatesTo>
          </soap:Header>
          <soap:Body>
            <wprt:AddDocumentResponse/>
          </soap:Body>
        </soap:Envelope>
        """;

    // MS SendDocumentResponse element page, "Examples" (same repair; Body completed from the Usage block).
    public const string MsSendDocumentResponse = """
        <soap:Envelope
            xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
            xmlns:wsa="https://schemas.xmlsoap.org/ws/2004/08/addressing"
            xmlns:wprt="https://schemas.microsoft.com/windows/2005/05/wdp/print"
            soap:encodingStyle='https://www.w3.org/2002/12/soap-encoding' >
          <soap:Header>
            <wsa:To>
              https://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous
            </wsa:To>
            <wsa:Action>
              https://schemas.microsoft.com/windows/2005/05/wdp/print/SendDocumentResponse
            </wsa:Action>
            <wsa:MessageID>uuid:UniqueMsgId</wsa:MessageID>
            <wsa:RelatesTo>uuid:MsgIdOfTheSendDocumentRequest</wsa:RelatesTo>
          </soap:Header>
          <soap:Body>
            <wprt:SendDocumentResponse/>
          </soap:Body>
        </soap:Envelope>
        """;

    // Windows → printer, pastebin hQ0ah20k (verbatim envelope).
    public const string WindowsGetPrinterElements =
        """<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:pri="http://schemas.microsoft.com/windows/2006/08/wdp/print"><soap:Header><wsa:To>http://192.168.1.152:80/wsd/printservice.cgi</wsa:To><wsa:Action>http://schemas.microsoft.com/windows/2006/08/wdp/print/GetPrinterElements</wsa:Action><wsa:MessageID>urn:uuid:b7a17b2e-f01e-4cc2-b3bd-6c9137adf6bf</wsa:MessageID><wsa:ReplyTo><wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo><wsa:From><wsa:Address>urn:uuid:d41f84ce-8157-40bb-808e-e96b4c1b585d</wsa:Address></wsa:From></soap:Header><soap:Body><pri:GetPrinterElementsRequest><pri:RequestedElements><pri:Name>pri:PrinterDescription</pri:Name></pri:RequestedElements></pri:GetPrinterElementsRequest></soap:Body></soap:Envelope>""";

    /// <summary>The Content-ID the SendDocument vector refers to.</summary>
    public const string WindowsDocumentContentId = "document1@windows";

    // Windows → printer, pastebin ZgpDVazX (lines 1-25 verbatim) + LastDocument/DocumentData of cZGusCXa.
    public const string WindowsSendDocument = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
            xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
            xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
            xmlns:pri="http://schemas.microsoft.com/windows/2006/08/wdp/print"
            xmlns:xop="http://www.w3.org/2004/08/xop/include">
            <soap:Header>
                <wsa:To>http://192.168.1.116:80/WebServices/PrinterService</wsa:To>
                <wsa:Action>http://schemas.microsoft.com/windows/2006/08/wdp/print/SendDocument</wsa:Action>
                <wsa:MessageID>urn:uuid:951308bc-0858-4f8c-a8f8-386e24780ae3</wsa:MessageID>
                <wsa:ReplyTo>
                    <wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address>
                </wsa:ReplyTo>
                <wsa:From>
                    <wsa:Address>urn:uuid:80a883f5-8d76-4f27-8be6-b764da9304a6</wsa:Address>
                </wsa:From>
            </soap:Header>
            <soap:Body>
                <pri:SendDocumentRequest>
                    <pri:JobId>3</pri:JobId>
                    <pri:DocumentDescription>
                        <pri:DocumentId>1</pri:DocumentId>
                        <pri:Compression>None</pri:Compression>
                        <pri:Format>unknown</pri:Format>
                    </pri:DocumentDescription>
                    <pri:LastDocument>true</pri:LastDocument>
                    <pri:DocumentData><xop:Include href="cid:document1@windows"/></pri:DocumentData>
                </pri:SendDocumentRequest>
            </soap:Body>
        </soap:Envelope>
        """;

    // A CreatePrintJob body as a WS-Print emulator test sends it (with the non-schema JobOriginatingComputerName).
    public const string FieldCreatePrintJob =
        """<wprt:CreatePrintJobRequest xmlns:wprt="http://schemas.microsoft.com/windows/2006/08/wdp/print"><wprt:PrintTicket><wprt:JobDescription><wprt:JobName>Board Minutes.pdf</wprt:JobName><wprt:JobOriginatingUserName>remote-user</wprt:JobOriginatingUserName><wprt:JobOriginatingComputerName>REMOTEPC</wprt:JobOriginatingComputerName></wprt:JobDescription></wprt:PrintTicket></wprt:CreatePrintJobRequest>""";

    /// <summary>A small but real PDF 1.4 file (a blank page), as a document to print.</summary>
    public static byte[] SmallPdf => System.Text.Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
}
