using System.Xml.Linq;
using Harness.Dpws.Scan;

namespace Harness.Dpws.Tests.Scan;

/// <summary>
/// Golden text of the writer. The values are those of Microsoft's WS-Scan samples (createscanjobresponse.md,
/// getscannerelementsresponse.md, jobendstateevent.md, retrieveimageresponse.md, scanavailableevent.md) written in
/// the 2006/08 namespace devices use, with the schema's unqualified ElementData Name/Valid and DeviceCondition Id.
/// </summary>
public sealed class ScanXmlWriterTests
{
    [Fact]
    public void WriteCreateScanJobResponse_MsSampleValues_GoldenText()
    {
        var final = new ScanDocumentParameters
        {
            Format = new ScanValue<string>("jfif"),
            CompressionQualityFactor = new ScanValue<int>(45),
            ImagesToTransfer = new ScanValue<int>(0),
            InputSource = new ScanValue<string>("Platen"),
            ContentType = new ScanValue<string>("Auto"),
            InputSize = new ScanInputSize { Width = new ScanValue<int>(8500, ScanAttributes.Overridden), Height = new ScanValue<int>(11000, ScanAttributes.Overridden) },
            Exposure = new ScanExposure { Contrast = new ScanValue<int>(0, ScanAttributes.Defaulted), Brightness = new ScanValue<int>(0, ScanAttributes.Defaulted), Sharpness = new ScanValue<int>(0, ScanAttributes.Defaulted) },
            Scaling = new ScanScaling { Width = new ScanValue<int>(125), Height = new ScanValue<int>(125) },
            Rotation = new ScanValue<int>(0, ScanAttributes.Defaulted),
            MediaSides = new ScanMediaSides { Front = new ScanMediaSide {
                ScanRegion = new ScanRegion { XOffset = new(0, ScanAttributes.Defaulted), YOffset = new(0, ScanAttributes.Defaulted), Width = new(8500, ScanAttributes.Defaulted), Height = new(11000, ScanAttributes.Defaulted) },
                ColorProcessing = new ScanValue<string>("RGB24", ScanAttributes.Defaulted),
                Resolution = new ScanResolution { Width = new(300), Height = new(300) } } },
        };
        var response = new CreateScanJobResponse(1, "Job9876TokenString", new ScanImageInformation(new ScanImageInfo(900, 1500, 113)), final);

        var text = ScanXmlWriter.ToXmlString(ScanXmlWriter.Write(response));

        Assert.Equal("""
        <wscn:CreateScanJobResponse xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wscn:JobId>1</wscn:JobId><wscn:JobToken>Job9876TokenString</wscn:JobToken><wscn:ImageInformation><wscn:MediaFrontImageInfo><wscn:PixelsPerLine>900</wscn:PixelsPerLine><wscn:NumberOfLines>1500</wscn:NumberOfLines><wscn:BytesPerLine>113</wscn:BytesPerLine></wscn:MediaFrontImageInfo></wscn:ImageInformation><wscn:DocumentFinalParameters><wscn:Format>jfif</wscn:Format><wscn:CompressionQualityFactor>45</wscn:CompressionQualityFactor><wscn:ImagesToTransfer>0</wscn:ImagesToTransfer><wscn:InputSource>Platen</wscn:InputSource><wscn:ContentType>Auto</wscn:ContentType><wscn:InputSize><wscn:InputMediaSize><wscn:Width wscn:Override="true">8500</wscn:Width><wscn:Height wscn:Override="true">11000</wscn:Height></wscn:InputMediaSize></wscn:InputSize><wscn:Exposure><wscn:ExposureSettings><wscn:Contrast wscn:UsedDefault="true">0</wscn:Contrast><wscn:Brightness wscn:UsedDefault="true">0</wscn:Brightness><wscn:Sharpness wscn:UsedDefault="true">0</wscn:Sharpness></wscn:ExposureSettings></wscn:Exposure><wscn:Scaling><wscn:ScalingWidth>125</wscn:ScalingWidth><wscn:ScalingHeight>125</wscn:ScalingHeight></wscn:Scaling><wscn:Rotation wscn:UsedDefault="true">0</wscn:Rotation><wscn:MediaSides><wscn:MediaFront><wscn:ScanRegion><wscn:ScanRegionXOffset wscn:UsedDefault="true">0</wscn:ScanRegionXOffset><wscn:ScanRegionYOffset wscn:UsedDefault="true">0</wscn:ScanRegionYOffset><wscn:ScanRegionWidth wscn:UsedDefault="true">8500</wscn:ScanRegionWidth><wscn:ScanRegionHeight wscn:UsedDefault="true">11000</wscn:ScanRegionHeight></wscn:ScanRegion><wscn:ColorProcessing wscn:UsedDefault="true">RGB24</wscn:ColorProcessing><wscn:Resolution><wscn:Width>300</wscn:Width><wscn:Height>300</wscn:Height></wscn:Resolution></wscn:MediaFront></wscn:MediaSides></wscn:DocumentFinalParameters></wscn:CreateScanJobResponse>
        """, text);
    }

    [Fact]
    public void WriteGetScannerElementsResponse_DescriptionStatusAndUnknownName_GoldenText()
    {
        var ge = new GetScannerElementsResponse([
            new ScannerElementData(ScanQName.Scan("ScannerDescription"), true) { Description = new ScannerDescription("Accounting Scanner in Copy Room 2", "Scanner for use of Accounting only", "LA Campus - Building 3") { Language = "en-US" } },
            new ScannerElementData(ScanQName.Scan("ScannerStatus"), true) { Status = new ScannerStatus { CurrentTime = new DateTimeOffset(2006,1,26,11,17,0,TimeSpan.Zero), State = "Stopped", StateReasons = ["MediaJam"], ActiveConditions = [new ScanDeviceCondition(1384, new DateTimeOffset(2005,1,26,11,7,0,TimeSpan.Zero), "MediaJam", "MediaPath", "Critical")] } },
            new ScannerElementData(new ScanQName("ihv:InvalidRequestEntry", System.Xml.Linq.XName.Get("InvalidRequestEntry", "http://www.example.com/extension")), false),
        ]);

        var text = ScanXmlWriter.ToXmlString(ScanXmlWriter.Write(ge));

        Assert.Equal("""
        <wscn:GetScannerElementsResponse xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wscn:ScannerElements><wscn:ElementData Name="wscn:ScannerDescription" Valid="true"><wscn:ScannerDescription><wscn:ScannerName xml:lang="en-US">Accounting Scanner in Copy Room 2</wscn:ScannerName><wscn:ScannerInfo xml:lang="en-US">Scanner for use of Accounting only</wscn:ScannerInfo><wscn:ScannerLocation xml:lang="en-US">LA Campus - Building 3</wscn:ScannerLocation></wscn:ScannerDescription></wscn:ElementData><wscn:ElementData Name="wscn:ScannerStatus" Valid="true"><wscn:ScannerStatus><wscn:ScannerCurrentTime>2006-01-26T11:17:00Z</wscn:ScannerCurrentTime><wscn:ScannerState>Stopped</wscn:ScannerState><wscn:ScannerStateReasons><wscn:ScannerStateReason>MediaJam</wscn:ScannerStateReason></wscn:ScannerStateReasons><wscn:ActiveConditions><wscn:DeviceCondition Id="1384"><wscn:Time>2005-01-26T11:07:00Z</wscn:Time><wscn:Name>MediaJam</wscn:Name><wscn:Component>MediaPath</wscn:Component><wscn:Severity>Critical</wscn:Severity></wscn:DeviceCondition></wscn:ActiveConditions></wscn:ScannerStatus></wscn:ElementData><wscn:ElementData xmlns:n0="http://www.example.com/extension" Name="n0:InvalidRequestEntry" Valid="false" /></wscn:ScannerElements></wscn:GetScannerElementsResponse>
        """, text);
    }

    [Fact]
    public void WriteScannerConfiguration_DefaultConfiguration_GoldenText()
    {
        var text = ScanXmlWriter.ToXmlString(ScanXmlWriter.Write(ScannerServiceOptions.DefaultConfiguration));

        Assert.Equal("""
        <wscn:ScannerConfiguration xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wscn:DeviceSettings><wscn:FormatsSupported><wscn:FormatValue>jfif</wscn:FormatValue><wscn:FormatValue>exif</wscn:FormatValue><wscn:FormatValue>png</wscn:FormatValue><wscn:FormatValue>pdf-a</wscn:FormatValue></wscn:FormatsSupported><wscn:CompressionQualityFactorSupported><wscn:MinValue>1</wscn:MinValue><wscn:MaxValue>100</wscn:MaxValue></wscn:CompressionQualityFactorSupported><wscn:ContentTypesSupported><wscn:ContentTypeValue>Auto</wscn:ContentTypeValue><wscn:ContentTypeValue>Text</wscn:ContentTypeValue><wscn:ContentTypeValue>Photo</wscn:ContentTypeValue><wscn:ContentTypeValue>Mixed</wscn:ContentTypeValue></wscn:ContentTypesSupported><wscn:DocumentSizeAutoDetectSupported>false</wscn:DocumentSizeAutoDetectSupported><wscn:AutoExposureSupported>false</wscn:AutoExposureSupported><wscn:BrightnessSupported>true</wscn:BrightnessSupported><wscn:ContrastSupported>true</wscn:ContrastSupported><wscn:ScalingRangeSupported><wscn:ScalingWidth><wscn:MinValue>25</wscn:MinValue><wscn:MaxValue>400</wscn:MaxValue></wscn:ScalingWidth><wscn:ScalingHeight><wscn:MinValue>25</wscn:MinValue><wscn:MaxValue>400</wscn:MaxValue></wscn:ScalingHeight></wscn:ScalingRangeSupported><wscn:RotationsSupported><wscn:RotationValue>0</wscn:RotationValue><wscn:RotationValue>90</wscn:RotationValue><wscn:RotationValue>180</wscn:RotationValue><wscn:RotationValue>270</wscn:RotationValue></wscn:RotationsSupported></wscn:DeviceSettings><wscn:Platen><wscn:PlatenOpticalResolution><wscn:Width>600</wscn:Width><wscn:Height>600</wscn:Height></wscn:PlatenOpticalResolution><wscn:PlatenResolutions><wscn:Widths><wscn:Width>75</wscn:Width><wscn:Width>100</wscn:Width><wscn:Width>150</wscn:Width><wscn:Width>200</wscn:Width><wscn:Width>300</wscn:Width><wscn:Width>600</wscn:Width></wscn:Widths><wscn:Heights><wscn:Height>75</wscn:Height><wscn:Height>100</wscn:Height><wscn:Height>150</wscn:Height><wscn:Height>200</wscn:Height><wscn:Height>300</wscn:Height><wscn:Height>600</wscn:Height></wscn:Heights></wscn:PlatenResolutions><wscn:PlatenColor><wscn:ColorEntry>BlackAndWhite1</wscn:ColorEntry><wscn:ColorEntry>Grayscale8</wscn:ColorEntry><wscn:ColorEntry>RGB24</wscn:ColorEntry></wscn:PlatenColor><wscn:PlatenMinimumSize><wscn:Width>100</wscn:Width><wscn:Height>100</wscn:Height></wscn:PlatenMinimumSize><wscn:PlatenMaximumSize><wscn:Width>8500</wscn:Width><wscn:Height>11693</wscn:Height></wscn:PlatenMaximumSize></wscn:Platen><wscn:ADF><wscn:ADFSupportsDuplex>true</wscn:ADFSupportsDuplex><wscn:ADFFront><wscn:ADFOpticalResolution><wscn:Width>600</wscn:Width><wscn:Height>600</wscn:Height></wscn:ADFOpticalResolution><wscn:ADFResolutions><wscn:Widths><wscn:Width>75</wscn:Width><wscn:Width>100</wscn:Width><wscn:Width>150</wscn:Width><wscn:Width>200</wscn:Width><wscn:Width>300</wscn:Width></wscn:Widths><wscn:Heights><wscn:Height>75</wscn:Height><wscn:Height>100</wscn:Height><wscn:Height>150</wscn:Height><wscn:Height>200</wscn:Height><wscn:Height>300</wscn:Height></wscn:Heights></wscn:ADFResolutions><wscn:ADFColor><wscn:ColorEntry>BlackAndWhite1</wscn:ColorEntry><wscn:ColorEntry>Grayscale8</wscn:ColorEntry><wscn:ColorEntry>RGB24</wscn:ColorEntry></wscn:ADFColor><wscn:ADFMinimumSize><wscn:Width>3000</wscn:Width><wscn:Height>5000</wscn:Height></wscn:ADFMinimumSize><wscn:ADFMaximumSize><wscn:Width>8500</wscn:Width><wscn:Height>14000</wscn:Height></wscn:ADFMaximumSize></wscn:ADFFront></wscn:ADF></wscn:ScannerConfiguration>
        """, text);
    }

    [Fact]
    public void WriteEvent_JobEndState_GoldenText()
    {
        var e = new JobEndStateEvent(new ScanJobSummary(253, "Scan from Imaging App", "User", "Completed", ["JobCompletedWithWarnings"], 7) { JobCompletedTime = new DateTimeOffset(2006, 1, 24, 11, 37, 5, 673, TimeSpan.Zero) });

        Assert.Equal("""
        <wscn:JobEndStateEvent xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wscn:JobEndState><wscn:JobId>253</wscn:JobId><wscn:JobCompletedState>Completed</wscn:JobCompletedState><wscn:JobCompletedStateReasons><wscn:JobStateReason>JobCompletedWithWarnings</wscn:JobStateReason></wscn:JobCompletedStateReasons><wscn:JobName>Scan from Imaging App</wscn:JobName><wscn:JobOriginatingUserName>User</wscn:JobOriginatingUserName><wscn:ScansCompleted>7</wscn:ScansCompleted><wscn:JobCompletedTime>2006-01-24T11:37:05.673Z</wscn:JobCompletedTime></wscn:JobEndState></wscn:JobEndStateEvent>
        """, ScanXmlWriter.ToXmlString(ScanXmlWriter.WriteEvent(e)));
    }

    [Fact]
    public void WriteEvent_ScanAvailable_GoldenText()
    {
        var e = new ScanAvailableEvent("App1ScanID2345", "AnyUniqueIdentifierSuchAsAGUID") { DestinationToken = "Client3478" };

        Assert.Equal("""
        <wscn:ScanAvailableEvent xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wscn:ClientContext>App1ScanID2345</wscn:ClientContext><wscn:ScanIdentifier>AnyUniqueIdentifierSuchAsAGUID</wscn:ScanIdentifier></wscn:ScanAvailableEvent>
        """, ScanXmlWriter.ToXmlString(ScanXmlWriter.WriteEvent(e)));
    }

    [Fact]
    public void WriteDestinationResponses_MsSampleValues_GoldenText()
    {
        var element = ScanXmlWriter.WriteDestinationResponses([new ScanDestinationResponse("App1ScanID2345", "Client3478")]);

        Assert.Equal("""
        <wscn:DestinationResponses xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wscn:DestinationResponse><wscn:ClientContext>App1ScanID2345</wscn:ClientContext><wscn:DestinationToken>Client3478</wscn:DestinationToken></wscn:DestinationResponse></wscn:DestinationResponses>
        """, ScanXmlWriter.ToXmlString(element));
    }

    [Fact]
    public void WriteRetrieveImageResponse_ContentId_XopIncludeWithCid()
    {
        var element = ScanXmlWriter.WriteRetrieveImageResponse("1c696bd7-005a-48d9-9ee9-9adca11f8892@uuid");

        Assert.Equal("""
        <wscn:RetrieveImageResponse xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan" xmlns:xop="http://www.w3.org/2004/08/xop/include"><wscn:ScanData><xop:Include href="cid:1c696bd7-005a-48d9-9ee9-9adca11f8892@uuid" /></wscn:ScanData></wscn:RetrieveImageResponse>
        """, ScanXmlWriter.ToXmlString(element));
    }

    [Fact]
    public void WriteGetScannerElementsRequest_TwoNames_QNameText()
    {
        var element = ScanXmlWriter.Write(new GetScannerElementsRequest([ScanQName.Scan("ScannerDescription"), ScanQName.Scan("ScannerConfiguration")]));

        Assert.Equal("""
        <wscn:GetScannerElementsRequest xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wscn:RequestedElements><wscn:Name>wscn:ScannerDescription</wscn:Name><wscn:Name>wscn:ScannerConfiguration</wscn:Name></wscn:RequestedElements></wscn:GetScannerElementsRequest>
        """, ScanXmlWriter.ToXmlString(element));
    }

    [Fact]
    public void Write_SameRecordTwice_SameText()
    {
        var ticket = new ScanTicket { JobDescription = new ScanJobDescription("a", "b"), DocumentParameters = new ScanDocumentParameters { Format = ScanValue.Required("png") } };

        Assert.Equal(ScanXmlWriter.ToXmlString(ScanXmlWriter.Write(ticket)), ScanXmlWriter.ToXmlString(ScanXmlWriter.Write(ticket)));
        Assert.Contains("<wscn:Format wscn:MustHonor=\"true\">png</wscn:Format>", ScanXmlWriter.ToXmlString(ScanXmlWriter.Write(ticket)), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenRead_DefaultConfiguration_NoViolationAndSameValues()
    {
        var element = ScanXmlReader.LoadElement(ScanXmlWriter.ToXmlString(ScanXmlWriter.Write(ScannerServiceOptions.DefaultConfiguration)))!;

        var result = ScanXmlReader.ReadScannerConfiguration(element);

        Assert.Empty(result.Violations);
        Assert.Equal(ScannerServiceOptions.DefaultConfiguration.Platen!.ResolutionWidths, result.Value!.Platen!.ResolutionWidths);
        Assert.True(result.Value.Adf!.SupportsDuplex);
    }
}
