using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Scan;

namespace Harness.Dpws.Tests.Scan;

public sealed class ScanXmlReaderTests
{
    [Fact]
    public void ReadGetScannerElementsResponse_MsConfigurationSample_ReadsEveryField()
    {
        var result = ScanXmlReader.ReadGetScannerElementsResponse(ScanVectors.Body(ScanVectors.MsGetScannerElementsConfiguration));

        Assert.NotNull(result.Value);
        var config = result.Value.Configuration;
        Assert.NotNull(config);
        var s = config.DeviceSettings;
        Assert.Equal(["dib", "exif", "jpeg2k", "pdf-a", "png", "tiff-single-uncompressed", "tiff-single-g4", "tiff-multi-uncompressed", "tiff-multi-g4", "xps"], s.FormatsSupported);
        Assert.Equal(new ScanRange(15, 100), s.CompressionQualityFactorSupported);
        Assert.Equal(["Auto", "Text", "Photo", "Halftone", "Mixed"], s.ContentTypesSupported);
        Assert.True(s.DocumentSizeAutoDetectSupported); // "\n true \n" in the sample
        Assert.True(s.AutoExposureSupported);
        Assert.Equal(new ScanRange(50, 500), s.ScalingWidthSupported);
        Assert.Equal(new ScanRange(50, 500), s.ScalingHeightSupported);
        Assert.Equal([0, 90, 180, 270], s.RotationsSupported);
        Assert.NotNull(config.Platen);
        Assert.Equal(new ScanSize(1200, 1200), config.Platen.OpticalResolution);
        Assert.Equal([150, 204, 300, 600, 1200], config.Platen.ResolutionWidths);
        Assert.Equal([96, 150, 204, 300, 600, 900, 1200], config.Platen.ResolutionHeights);
        Assert.Equal(7, config.Platen.ColorModes.Count);
        Assert.Equal(new ScanSize(250, 250), config.Platen.MinimumSize);
        Assert.Equal(new ScanSize(11000, 14000), config.Platen.MaximumSize);
        Assert.NotNull(config.Adf);
        Assert.False(config.Adf.SupportsDuplex);
        Assert.Null(config.Adf.Back);
        Assert.Equal([150, 204, 300, 600], config.Adf.Front!.ResolutionWidths);
        Assert.Equal(["BlackAndWhite1", "Grayscale4", "RGB24"], config.Adf.Front.ColorModes);
        Assert.Equal(new ScanSize(8500, 11000), config.Adf.Front.MaximumSize);
        Assert.Equal([ScanValues.Platen, ScanValues.Adf], config.InputSources);

        Assert.Equal(2, result.Value.Elements.Count);
        var invalid = result.Value.Elements[1];
        Assert.False(invalid.Valid);
        Assert.Equal("ihv:InvalidRequestEntry", invalid.Name.Text);
        Assert.Equal(XName.Get("InvalidRequestEntry", "https://www.example.com/extension"), invalid.Name.Name);
    }

    [Fact]
    public void ReadGetScannerElementsResponse_MsSample_ReportsHttpsNamespaceAndQualifiedAttributes()
    {
        var result = ScanXmlReader.ReadGetScannerElementsResponse(ScanVectors.Body(ScanVectors.MsGetScannerElementsConfiguration));

        Assert.Contains(result.Violations, v => v.RuleId == ScanRuleIds.HttpsNamespace && v.Severity == ViolationSeverity.Warning);
        Assert.Contains(result.Violations, v => v.RuleId == ScanRuleIds.ElementData && v.Severity == ViolationSeverity.Info);
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void ReadGetScannerElementsResponse_MsStatusSample_ReadsStateReasonsAndConditions()
    {
        var status = ScanXmlReader.ReadGetScannerElementsResponse(ScanVectors.Body(ScanVectors.MsGetScannerElementsStatus)).Value?.Status;

        Assert.NotNull(status);
        Assert.Equal(new DateTimeOffset(2006, 1, 26, 11, 17, 0, TimeSpan.Zero), status.CurrentTime);
        Assert.Equal(ScannerStates.Stopped, status.State);
        Assert.Equal(["MediaJam", "LampError"], status.StateReasons);
        Assert.Equal(2, status.ActiveConditions.Count);
        Assert.Equal(new ScanDeviceCondition(1384, new DateTimeOffset(2005, 1, 26, 11, 7, 0, TimeSpan.Zero), "MediaJam", "MediaPath", "Critical"), status.ActiveConditions[0]);
        Assert.Equal(534, status.ActiveConditions[1].Id);
    }

    [Fact]
    public void ReadCreateScanJobResponse_MsSample_ReadsFinalParametersWithOverrideAndUsedDefault()
    {
        var result = ScanXmlReader.ReadCreateScanJobResponse(ScanVectors.Body(ScanVectors.MsCreateScanJobResponse));

        var response = result.Value;
        Assert.NotNull(response);
        Assert.Equal(1, response.JobId);
        Assert.Equal("Job9876TokenString", response.JobToken);
        Assert.Equal(new ScanImageInfo(900, 1500, 113), response.ImageInformation.Front);
        var final = response.DocumentFinalParameters;
        Assert.Equal("jfif", final.Format?.Value);
        Assert.Equal(45, final.CompressionQualityFactor?.Value);
        Assert.Equal(0, final.ImagesToTransfer?.Value);
        Assert.Equal(8500, final.InputSize?.Width?.Value);
        Assert.True(final.InputSize?.Width?.Attributes.Override);
        Assert.True(final.Exposure?.Contrast?.Attributes.UsedDefault);
        Assert.Equal(0, final.Exposure?.Sharpness?.Value);
        Assert.Equal(125, final.Scaling?.Width?.Value);
        var front = final.MediaSides?.Front;
        Assert.Equal(11000, front?.ScanRegion?.Height?.Value); // "\n 11000 \n"
        Assert.Equal(new ScanValue<string>("RGB24", ScanAttributes.Defaulted), front?.ColorProcessing);
        Assert.Equal(300, front?.Resolution?.Height?.Value);

        // The sample's spelling and namespace are reported, not fatal.
        Assert.Contains(result.Violations, v => v.RuleId == ScanRuleIds.Schema && v.Message.Contains("DocumentFinalParamters", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.RuleId == ScanRuleIds.LegacyNamespace);
    }

    [Fact]
    public void ReadCreateScanJobRequest_MsDeviceInitiatedSample_ReadsTokensAndMustHonor()
    {
        var request = ScanXmlReader.ReadCreateScanJobRequest(ScanVectors.Body(ScanVectors.MsCreateScanJobRequestDeviceInitiated)).Value;

        Assert.NotNull(request);
        Assert.Equal("uuid:12e7a983-1034-5428-d298-0016f11097fa", request.ScanIdentifier);
        Assert.Equal("Dest1234TokenString", request.DestinationToken);
        Assert.Equal(new ScanJobDescription("Photo Scan", "RogerSmith"), request.Ticket.JobDescription);
        var p = request.Ticket.DocumentParameters;
        Assert.True(p.Scaling?.Attributes.IsRequired); // wscn:MustHonor="1"
        Assert.True(p.MediaSides?.Front?.Resolution?.Attributes.IsRequired);
        Assert.True(p.InputSize?.DocumentSizeAutoDetect);
        Assert.Null(p.ImagesToTransfer);
    }

    [Fact]
    public void ReadCreateScanJobRequest_SaneAirscanRequest_ReadsPrefixScanAndElementOrder()
    {
        var result = ScanXmlReader.ReadCreateScanJobRequest(ScanVectors.Body(ScanVectors.SaneAirscanCreateScanJob));

        Assert.Empty(result.Violations);
        var p = result.Value!.Ticket.DocumentParameters;
        Assert.Equal("jfif", p.Format?.Value);
        Assert.Equal(0, p.ImagesToTransfer?.Value);
        Assert.Equal(ScanValues.Adf, p.InputSource?.Value);
        Assert.Equal(8267, p.InputSize?.Width?.Value);
        Assert.Equal(ScanValues.Rgb24, p.MediaSides?.Front?.ColorProcessing?.Value);
        Assert.Equal(11692, p.MediaSides?.Front?.ScanRegion?.Height?.Value);
        Assert.Null(result.Value.ScanIdentifier);
    }

    [Fact]
    public void ReadCreateScanJobRequest_PyWsdTemplate_ReportsLegacyNamespaceAndReadsTicket()
    {
        var result = ScanXmlReader.ReadCreateScanJobRequest(ScanVectors.Body(ScanVectors.PyWsdCreateScanJob));

        Assert.Contains(result.Violations, v => v.RuleId == ScanRuleIds.LegacyNamespace && v.Severity == ViolationSeverity.Warning);
        var request = result.Value!;
        Assert.Equal("Client3478", request.DestinationToken);
        Assert.Equal("Scan", request.Ticket.JobDescription?.JobInformation);
        Assert.Equal(ScanValues.Grayscale8, request.Ticket.DocumentParameters.MediaSides?.Front?.ColorProcessing?.Value);
        Assert.False(request.Ticket.DocumentParameters.Exposure?.AutoExposure);
    }

    [Fact]
    public void ReadGetJobElements_MsSamples_UnprefixedNameIsReadAsScanName()
    {
        var request = ScanXmlReader.ReadGetJobElementsRequest(ScanVectors.Body(ScanVectors.MsGetJobElementsRequest));
        var response = ScanXmlReader.ReadGetJobElementsResponse(ScanVectors.Body(ScanVectors.MsGetJobElementsResponse));

        Assert.Equal(1, request.Value?.JobId);
        Assert.True(request.Value!.RequestedElements[0].IsScan(ScanElementNames.JobStatus));
        Assert.Contains(request.Violations, v => v.Message.Contains("GetJobElements", StringComparison.Ordinal));
        var status = response.Value!.Elements.Single().JobStatus;
        Assert.NotNull(status);
        Assert.Equal((1, ScanJobStates.Completed, 1), (status.JobId, status.JobState, status.ScansCompleted));
        Assert.Equal(["None"], status.JobStateReasons);
    }

    [Fact]
    public void ReadGetActiveJobsResponse_MsSample_ReadsTwoSummaries()
    {
        var jobs = ScanXmlReader.ReadGetActiveJobsResponse(ScanVectors.Body(ScanVectors.MsGetActiveJobsResponse)).Value!.Jobs;

        Assert.Equal(2, jobs.Count);
        Assert.Equal((1, "SampleJob 1", "Joe.Smith", "Processing", 2), (jobs[0].JobId, jobs[0].JobName, jobs[0].JobOriginatingUserName, jobs[0].JobState, jobs[0].ScansCompleted));
        Assert.Equal(["JobScanning"], jobs[0].JobStateReasons);
        Assert.Equal("Pending", jobs[1].JobState);
    }

    [Fact]
    public void ReadEvent_MsJobEndStateEvent_ReadsCompletedStateAndTime()
    {
        var e = Assert.IsType<JobEndStateEvent>(ScanXmlReader.ReadEvent(ScanVectors.Body(ScanVectors.MsJobEndStateEvent)).Value);

        Assert.Equal(253, e.EndState.JobId);
        Assert.Equal(ScanJobStates.Completed, e.EndState.JobState);
        Assert.Equal([ScanJobStateReasons.JobCompletedWithWarnings], e.EndState.JobStateReasons);
        Assert.Equal(7, e.EndState.ScansCompleted);
        Assert.Equal(new DateTimeOffset(2006, 1, 24, 11, 37, 5, 673, TimeSpan.Zero), e.EndState.JobCompletedTime);
    }

    [Fact]
    public void ReadEvent_MsScanAvailableEvent_ReadsContextAndIdentifier()
    {
        var e = Assert.IsType<ScanAvailableEvent>(ScanXmlReader.ReadEvent(ScanVectors.Body(ScanVectors.MsScanAvailableEvent)).Value);

        Assert.Equal("App1ScanID2345", e.ClientContext);
        Assert.Equal("AnyUniqueIdentifierSuchAsAGUID", e.ScanIdentifier);
    }

    [Fact]
    public void ReadScanDestinations_MsSubscribe_ReadsClientDisplayStringSpelling()
    {
        var destinations = ScanXmlReader.ReadScanDestinations(ScanVectors.Body(ScanVectors.MsSubscribeWithDestinations)).Value;

        Assert.Equal([new ScanDestination("Den Computer", "App1ScanID2345")], destinations);
    }

    [Fact]
    public void ReadValidateScanTicketResponse_MsInvalidSample_ReadsCorrectedTicket()
    {
        var response = ScanXmlReader.ReadValidateScanTicketResponse(ScanVectors.Body(ScanVectors.MsValidateScanTicketResponseInvalid)).Value;

        Assert.NotNull(response);
        Assert.False(response.ValidTicket);
        Assert.Equal(1000, response.ValidScanTicket?.DocumentParameters.Scaling?.Width?.Value);
        Assert.Equal(300, response.ValidScanTicket?.DocumentParameters.MediaSides?.Front?.Resolution?.Width?.Value);
    }

    [Theory]
    [InlineData("<wscn:CreateScanJobRequest xmlns:wscn='http://schemas.microsoft.com/windows/2006/08/wdp/scan'/>")]
    [InlineData("<wscn:CreateScanJobRequest xmlns:wscn='http://schemas.microsoft.com/windows/2006/08/wdp/scan'><wscn:ScanTicket><wscn:DocumentParameters><wscn:ImagesToTransfer>many</wscn:ImagesToTransfer></wscn:DocumentParameters></wscn:ScanTicket></wscn:CreateScanJobRequest>")]
    [InlineData("<wscn:CreateScanJobRequest xmlns:wscn='http://schemas.microsoft.com/windows/2006/08/wdp/scan'><wscn:ScanTicket><wscn:DocumentParameters><wscn:Rotation>99999999999999999999</wscn:Rotation></wscn:DocumentParameters></wscn:ScanTicket></wscn:CreateScanJobRequest>")]
    [InlineData("<other:CreateScanJobRequest xmlns:other='urn:x'/>")]
    public void ReadCreateScanJobRequest_BadInput_ReportsErrorWithoutThrowing(string xml)
    {
        var element = ScanXmlReader.LoadElement(xml)!;

        var lenient = ScanXmlReader.ReadCreateScanJobRequest(element);
        var strict = ScanXmlReader.ReadCreateScanJobRequest(element, ReadMode.Strict);

        Assert.Contains(lenient.Violations, v => v.Severity == ViolationSeverity.Error);
        Assert.Null(strict.Value);
    }

    [Fact]
    public void ReadRetrieveImageRequest_MissingToken_ReportsAndReturnsNothing()
    {
        var element = ScanXmlReader.LoadElement("<scan:RetrieveImageRequest xmlns:scan='http://schemas.microsoft.com/windows/2006/08/wdp/scan'><scan:JobId>4</scan:JobId></scan:RetrieveImageRequest>")!;

        var result = ScanXmlReader.ReadRetrieveImageRequest(element);

        Assert.Null(result.Value);
        Assert.Contains(result.Violations, v => v.Location == "/RetrieveImageRequest" && v.Message.Contains("JobToken", StringComparison.Ordinal));
    }
}
