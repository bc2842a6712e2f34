using Harness.Dpws.Scan;
using Harness.Dpws.Soap;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.Scan;

public sealed class ScanFaultAndEventTests
{
    // MS "Common WSD Scan Service operation error codes" and the CreateScanJob / RetrieveImage error tables.
    [Theory]
    [InlineData("InvalidArgs", false)]
    [InlineData("OperationFailed", true)]
    [InlineData("ServerErrorTemporaryError", true)]
    [InlineData("ServerErrorInternalError", true)]
    [InlineData("ServerErrorNotAcceptingJobs", true)]
    [InlineData("ClientErrorFormatNotSupported", false)]
    [InlineData("ClientErrorNoImagesAvailable", false)]
    [InlineData("ClientErrorJobIdNotFound", false)]
    [InlineData("ClientErrorInvalidJobToken", false)]
    [InlineData("ClientErrorJobCancelled", false)]
    [InlineData("ClientErrorInvalidScanIdentifier", false)]
    [InlineData("ClientErrorInvalidDestinationToken", false)]
    [InlineData("ClientErrorConflictingRequiredParameters", false)]
    public void ToSoapFault_DocumentedFault_CodeAndScanSubcode(string name, bool receiver)
    {
        var fault = name switch
        {
            "InvalidArgs" => ScanFault.InvalidArgs(),
            "OperationFailed" => ScanFault.OperationFailed(),
            "ServerErrorTemporaryError" => ScanFault.ServerErrorTemporaryError(),
            "ServerErrorInternalError" => ScanFault.ServerErrorInternalError(),
            "ServerErrorNotAcceptingJobs" => ScanFault.ServerErrorNotAcceptingJobs(),
            "ClientErrorFormatNotSupported" => ScanFault.ClientErrorFormatNotSupported(),
            "ClientErrorNoImagesAvailable" => ScanFault.ClientErrorNoImagesAvailable(),
            "ClientErrorJobIdNotFound" => ScanFault.ClientErrorJobIdNotFound(3),
            "ClientErrorInvalidJobToken" => ScanFault.ClientErrorInvalidJobToken(),
            "ClientErrorJobCancelled" => ScanFault.ClientErrorJobCancelled(),
            "ClientErrorInvalidScanIdentifier" => ScanFault.ClientErrorInvalidScanIdentifier(),
            "ClientErrorInvalidDestinationToken" => ScanFault.ClientErrorInvalidDestinationToken(),
            _ => ScanFault.ClientErrorConflictingRequiredParameters(),
        };

        var soap = fault.ToSoapFault();

        Assert.Equal(receiver ? SoapFault.Receiver : SoapFault.Sender, soap.Code);
        Assert.Equal(ScanNamespaces.Wscn + name, soap.Subcode);
        Assert.Equal(fault.Reason, soap.Reason);
    }

    [Fact]
    public void ClientErrorJobIdNotFound_Detail_CarriesTheJobId()
    {
        var detail = Assert.Single(ScanFault.ClientErrorJobIdNotFound(42).ToSoapFault().Detail);

        Assert.Equal(ScanNamespaces.Wscn + "JobId", detail.Name);
        Assert.Equal("42", detail.Value);
    }

    public static TheoryData<ScanEvent> Events() =>
    [
        new ScannerStatusSummaryEvent(ScannerStates.Stopped, ["MediaJam"]),
        new ScannerStatusConditionEvent(new ScanDeviceCondition(1543, new DateTimeOffset(2006, 1, 21, 17, 22, 35, TimeSpan.Zero), "MediaJam", "ADF", "Critical")),
        new ScannerStatusConditionClearedEvent(1543, new DateTimeOffset(2006, 1, 21, 17, 22, 35, 834, TimeSpan.Zero)),
        new JobStatusEvent(new ScanJobStatus(253, ScanJobStates.Processing, [ScanJobStateReasons.JobScanning], 4) { JobCreatedTime = new DateTimeOffset(2006, 1, 24, 11, 34, 35, TimeSpan.Zero) }),
        new ScanAvailableEvent("App1ScanID2345", "urn:uuid:5f0c6f2e-1b4c-4e7a-8a38-3d9e2c1d0f11") { InputSource = ScanValues.Adf },
        new ScannerElementsChangeEvent { Description = new ScannerDescription("Renamed", "Info") },
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void WriteEvent_ThenRead_SameKindAndValuesWithoutViolation(ScanEvent scanEvent)
    {
        var element = ScanXmlReader.LoadElement(ScanXmlWriter.ToXmlString(ScanXmlWriter.WriteEvent(scanEvent)))!;

        var read = ScanXmlReader.ReadEvent(element);

        Assert.Empty(read.Violations);
        Assert.Equal(scanEvent.GetType(), read.Value?.GetType());
        Assert.Equal(scanEvent.Action.Split('/')[^1], element.Name.LocalName);
        switch (scanEvent, read.Value)
        {
            case (ScannerStatusSummaryEvent a, ScannerStatusSummaryEvent b):
                Assert.Equal((a.State, a.StateReasons.Single()), (b.State, b.StateReasons.Single()));
                break;
            case (ScannerStatusConditionEvent a, ScannerStatusConditionEvent b):
                Assert.Equal(a.Condition, b.Condition);
                break;
            case (ScannerStatusConditionClearedEvent a, ScannerStatusConditionClearedEvent b):
                Assert.Equal((a.ConditionId, a.ClearTime), (b.ConditionId, b.ClearTime));
                break;
            case (JobStatusEvent a, JobStatusEvent b):
                Assert.Equal((a.Status.JobId, a.Status.JobState, a.Status.ScansCompleted, a.Status.JobCreatedTime), (b.Status.JobId, b.Status.JobState, b.Status.ScansCompleted, b.Status.JobCreatedTime));
                break;
            case (ScanAvailableEvent a, ScanAvailableEvent b):
                Assert.Equal((a.ClientContext, a.ScanIdentifier, a.InputSource), (b.ClientContext, b.ScanIdentifier, b.InputSource));
                break;
            case (ScannerElementsChangeEvent a, ScannerElementsChangeEvent b):
                Assert.Equal(a.Description, b.Description);
                break;
            default:
                Assert.Fail("unexpected event pair");
                break;
        }
    }

    [Fact]
    public async Task ScannerService_ManyJobsInParallel_EveryImageDeliveredOnce()
    {
        var time = new FakeTimeProvider();
        var images = new RecordingImageSource();
        using var service = new ScannerService(new ScannerServiceOptions { MaxActiveJobs = 32, AdfSheets = 0 }, images, time);
        var ticket = new ScanTicket { DocumentParameters = new ScanDocumentParameters { Format = ScanValue.Of(ScanValues.Png), ImagesToTransfer = ScanValue.Of(3) } };
        var jobs = Enumerable.Range(0, 24).Select(_ => service.CreateScanJob(new CreateScanJobRequest(ticket)).GetValueOrThrow()).ToList();

        var counts = await Task.WhenAll(jobs.Select(job => Task.Run(async () =>
        {
            var delivered = 0;
            while ((await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, job.JobToken))).IsSuccess)
            {
                delivered++;
            }

            return delivered;
        }))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(counts, c => Assert.Equal(3, c));
        Assert.Equal(24 * 3, images.Requests.Count);
        Assert.Empty(service.GetActiveJobs().Jobs);
        Assert.Equal(ScannerStates.Idle, service.Status.State);
    }
}
