using System.Xml.Linq;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Print;
using Harness.Dpws.Scan;
using Harness.Dpws.Soap;
using Harness.Simulators.Quirks;

namespace Harness.Conformance.Tests.Dpws;

/// <summary>
/// Deviations made for the tests only: one per DPWS rule that no named profile of <see cref="DpwsQuirkProfiles"/> breaks,
/// so that every rule is shown to fail on a device that breaks it. Each names the rule it is for in ExpectedFailures.
/// </summary>
internal static class DpwsTestQuirks
{
    private const string Id = "urn:uuid:00000000-0000-4000-8000-0000000000aa";

    public static IReadOnlyList<(DpwsQuirkProfile Profile, DpwsQuirkDevices Kind)> All { get; } =
    [
        (Response("test-get-400", "WSD-DPWS-001", r => r.RequestAction == DpwsActions.TransferGet ? r with { StatusCode = 400, Body = ReadOnlyMemory<byte>.Empty, ContentType = null } : r), DpwsQuirkDevices.Scanner),
        (Response("test-no-friendly-name", "WSD-DPWS-003", r => r.RequestAction == DpwsActions.TransferGet ? DpwsQuirkRewrite.Xml(r, d => Each(d, "FriendlyName", e => e.Value = string.Empty)) : r), DpwsQuirkDevices.Printer),
        (Response("test-long-model-name", "WSD-DPWS-005", r => r.RequestAction == DpwsActions.TransferGet ? DpwsQuirkRewrite.Xml(r, d => Each(d, "ModelName", e => e.Value = new string('M', 300))) : r), DpwsQuirkDevices.Scanner),
        (Response("test-wrong-action", "WSD-SOAP-002", r => r.RequestAction == DpwsActions.TransferGet ? DpwsQuirkRewrite.Text(r, DpwsActions.TransferGetResponse + "<", DpwsActions.TransferGet + "<") : r), DpwsQuirkDevices.Printer),
        (Response("test-unknown-action-receiver", "WSD-SOAP-005", r => DpwsQuirkRewrite.IsFault(r) && r.RequestAction?.StartsWith("http://harness.invalid/", StringComparison.Ordinal) == true ? DpwsQuirkRewrite.Fault(r, SoapFault.InternalError(), 500, Id) : r), DpwsQuirkDevices.Scanner),
        (Response("test-no-identifier", "WSD-EVT-001", r => r.RequestAction == DpwsActions.Subscribe ? DpwsQuirkRewrite.Xml(r, d => Each(d, "Identifier", e => e.Remove())) : r), DpwsQuirkDevices.Printer),
        (Request("test-filter-ignored", "WSD-EVT-004", d => Each(d, "Filter", e => { if (((string?)e.Attribute("Dialect"))?.Contains("harness.invalid", StringComparison.Ordinal) == true) { e.Remove(); } })), DpwsQuirkDevices.Scanner),
        (Request("test-delivery-ignored", "WSD-EVT-005", d => Each(d, "Delivery", e => e.Attribute("Mode")?.Remove())), DpwsQuirkDevices.Printer),
        (Response("test-renew-anything", "WSD-EVT-006", r => r.RequestAction == DpwsActions.Renew && DpwsQuirkRewrite.IsFault(r) ? DpwsQuirkRewrite.Reply(r, DpwsActions.RenewResponse, EventingCodec.WriteRenewResponse("PT30M"), Id) : r), DpwsQuirkDevices.Scanner),
        (Response("test-status-no-expires", "WSD-EVT-007", r => r.RequestAction == DpwsActions.GetStatus ? DpwsQuirkRewrite.Xml(r, d => Each(d, "Expires", e => e.Remove())) : r), DpwsQuirkDevices.Printer),
        (Response("test-unsubscribe-fault", "WSD-EVT-008", r => r.RequestAction == DpwsActions.Unsubscribe ? DpwsQuirkRewrite.Fault(r, EventingFaults.EventSourceUnableToProcess(), 500, Id) : r), DpwsQuirkDevices.Scanner),
        (Response("test-element-data-no-valid", "WSD-SCN-002", r => r.RequestAction == ScanActions.GetScannerElements ? DpwsQuirkRewrite.Xml(r, d => Each(d, "ElementData", e => e.Attribute("Valid")?.Remove())) : r), DpwsQuirkDevices.Scanner),
        (Response("test-every-ticket-valid", "WSD-SCN-005", r => r.RequestAction == ScanActions.ValidateScanTicket ? DpwsQuirkRewrite.Xml(r, d => Each(d, "ValidTicket", e => e.Value = "true")) : r), DpwsQuirkDevices.Scanner),
        (Response("test-no-job-token", "WSD-SCN-006", r => r.RequestAction == ScanActions.CreateScanJob ? DpwsQuirkRewrite.Xml(r, d => Each(d, "JobToken", e => e.Remove())) : r), DpwsQuirkDevices.Scanner),
        (Response("test-image-not-an-image", "WSD-SCN-010", r => r.RequestAction == ScanActions.RetrieveImage ? r with { Body = SpoilImage(r.Body) } : r), DpwsQuirkDevices.Scanner),
        (Response("test-vendor-job-state", "WSD-SCN-013", r => r.RequestAction is ScanActions.GetJobElements or ScanActions.GetActiveJobs ? DpwsQuirkRewrite.Xml(r, d => Each(d, "JobState", e => e.Value = "Scanning")) : r), DpwsQuirkDevices.Scanner),
        (Response("test-printer-elements-short", "WSD-PRT-001", r => r.RequestAction == PrintActions.GetPrinterElements ? DpwsQuirkRewrite.Xml(r, d => d.Descendants().Where(e => e.Name.LocalName == "ElementData").Skip(1).ToList().ForEach(e => e.Remove())) : r), DpwsQuirkDevices.Printer),
        (Response("test-print-job-id-zero", "WSD-PRT-002", r => r.RequestAction == PrintActions.CreatePrintJob ? DpwsQuirkRewrite.Xml(r, d => Each(d, "JobId", e => e.Value = "0")) : r), DpwsQuirkDevices.Printer),
        (Response("test-send-document-fails", "WSD-PRT-003", r => r.RequestAction == PrintActions.SendDocument ? DpwsQuirkRewrite.Fault(r, PrintFault.OperationFailed().ToSoapFault(), 500, Id) : r), DpwsQuirkDevices.Printer),
        (Response("test-print-lists-empty", "WSD-PRT-005", r => r.RequestAction is PrintActions.GetActiveJobs or PrintActions.GetJobHistory ? DpwsQuirkRewrite.Xml(r, d => d.Descendants().Where(e => e.Name.LocalName is "ActiveJobs" or "JobHistory").ToList().ForEach(e => e.RemoveNodes())) : r), DpwsQuirkDevices.Printer),
    ];

    private static DpwsQuirkProfile Response(string name, string rule, Func<DpwsWireResponse, DpwsWireResponse> filter) =>
        new(name, "test deviation for " + rule, DpwsQuirkDevices.Both, _ => new DpwsQuirkHooks { ResponseFilter = filter }) { ExpectedFailures = [rule] };

    private static DpwsQuirkProfile Request(string name, string rule, Action<XDocument> edit) =>
        new(name, "test deviation for " + rule, DpwsQuirkDevices.Both, _ => new DpwsQuirkHooks { RequestFilter = r => DpwsQuirkRewrite.Xml(r, edit) }) { ExpectedFailures = [rule] };

    private static void Each(XDocument document, string localName, Action<XElement> edit)
    {
        foreach (var element in DpwsQuirkRewrite.Named(document, localName))
        {
            edit(element);
        }
    }

    /// <summary>The MTOM package with the PNG signature of its attachment overwritten.</summary>
    private static ReadOnlyMemory<byte> SpoilImage(ReadOnlyMemory<byte> body)
    {
        var bytes = body.ToArray();
        var at = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']);
        if (at >= 0)
        {
            "XXXX"u8.CopyTo(bytes.AsSpan(at));
        }

        return bytes;
    }
}
