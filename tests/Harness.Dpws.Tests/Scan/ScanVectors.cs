using System.Xml.Linq;
using Harness.Core.Xml;

namespace Harness.Dpws.Tests.Scan;

/// <summary>
/// WS-Scan messages from public sources. "MS" vectors are the examples of Microsoft's WS-Scan reference pages
/// (MicrosoftDocs/windows-driver-docs, windows-driver-docs-pr/image/*.md); several are not well-formed as published
/// (mismatched end tags such as <c>&lt;/JobOriginatingUserName&gt;</c> without its prefix, a <c>&lt;/soap:Body</c>
/// without <c>&gt;</c>): those tags are repaired here and nothing else is changed, so the 2006/01 namespace, the
/// <c>https://</c> spellings, the pretty-printed values and the misspelt <c>DocumentFinalParamters</c> stay.
/// "sane-airscan" is the CreateScanJobRequest that alexpevzner/sane-airscan <c>airscan-wsd.c</c> (wsd_scan_query)
/// builds, with its writer's prefixes (s, d, a, scan) and element order; "PyWSD" is roncapat/WSD-python's
/// <c>templates/ws-scan__create_scan_job.xml</c> with its placeholders filled (it declares the 2006/01 namespace).
/// </summary>
internal static class ScanVectors
{
    /// <summary>The first element of soap:Body of an envelope (any SOAP namespace spelling).</summary>
    public static XElement Body(string envelope)
    {
        var load = SafeXml.Load(System.Text.Encoding.UTF8.GetBytes(envelope));
        Assert.True(load.Success, load.Message);
        return load.Document!.Root!.Elements().Single(e => e.Name.LocalName == "Body").Elements().First();
    }

    // MS getscannerelementsresponse.md, third example (configuration plus an invalid entry).
    public const string MsGetScannerElementsConfiguration = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
          xmlns:wsa="https://schemas.xmlsoap.org/ws/2003/03/addressing"
          xmlns:wscn="https://schemas.microsoft.com/windows/2006/01/wdp/scan"
          xmlns:ihv="https://www.example.com/extension"
          soap:encodingStyle='https://www.w3.org/2002/12/soap-encoding' >
          <soap:Header>
            <wsa:To>
              https://schemas.xmlsoap.org/ws/2003/03/addressing/role/anonymous
            </wsa:To>
            <wsa:Action>
              https://schemas.microsoft.com/windows/2006/01/wdp/scan/GetScannerElements
            </wsa:Action>
            <wsa:MessageID>uuid:UniqueMsgId</wsa:MessageID>
            <wsa:RelatesTo>uuid:MsgIdOfTheGetScannerElementsRequest</wsa:RelatesTo>
          </soap:Header>
          <soap:Body>
            <wscn:GetScannerElementsResponse>
              <wscn:ScannerElements>
                <wscn:ElementData wscn:Name="wscn:ScannerConfiguration"
                                  wscn:Valid="true">
                  <wscn:ScannerConfiguration>
                    <wscn:DeviceSettings>
                      <wscn:FormatsSupported>
                        <wscn:FormatValue>dib</wscn:FormatValue>
                        <wscn:FormatValue>exif</wscn:FormatValue>
                        <wscn:FormatValue>jpeg2k</wscn:FormatValue>
                        <wscn:FormatValue>pdf-a</wscn:FormatValue>
                        <wscn:FormatValue>png</wscn:FormatValue>
                        <wscn:FormatValue>tiff-single-uncompressed</wscn:FormatValue>
                        <wscn:FormatValue>tiff-single-g4</wscn:FormatValue>
                        <wscn:FormatValue>tiff-multi-uncompressed</wscn:FormatValue>
                        <wscn:FormatValue>tiff-multi-g4</wscn:FormatValue>
                        <wscn:FormatValue>xps</wscn:FormatValue>
                      </wscn:FormatsSupported>
                      <wscn:CompressionQualityFactorSupported>
                        <wscn:MinValue>15</wscn:MinValue>
                        <wscn:MaxValue>100</wscn:MaxValue>
                      </wscn:CompressionQualityFactorSupported>
                      <wscn:ContentTypesSupported>
                        <wscn:ContentTypeValue>Auto</wscn:ContentTypeValue>
                        <wscn:ContentTypeValue>Text</wscn:ContentTypeValue>
                        <wscn:ContentTypeValue>Photo</wscn:ContentTypeValue>
                        <wscn:ContentTypeValue>Halftone</wscn:ContentTypeValue>
                        <wscn:ContentTypeValue>Mixed</wscn:ContentTypeValue>
                      </wscn:ContentTypesSupported>
                      <wscn:DocumentSizeAutoDetectSupported>
                        true
                      </wscn:DocumentSizeAutoDetectSupported>
                      <wscn:AutoExposureSupported>true</wscn:AutoExposureSupported>
                      <wscn:BrightnessSupported>true</wscn:BrightnessSupported>
                      <wscn:ContrastSupported>true</wscn:ContrastSupported>
                      <wscn:ScalingRangeSupported>
                        <wscn:ScalingWidth>
                          <wscn:MinValue>50</wscn:MinValue>
                          <wscn:MaxValue>500</wscn:MaxValue>
                        </wscn:ScalingWidth>
                        <wscn:ScalingHeight>
                          <wscn:MinValue>50</wscn:MinValue>
                          <wscn:MaxValue>500</wscn:MaxValue>
                        </wscn:ScalingHeight>
                      </wscn:ScalingRangeSupported>
                      <wscn:RotationsSupported>
                        <wscn:RotationValue>0</wscn:RotationValue>
                        <wscn:RotationValue>90</wscn:RotationValue>
                        <wscn:RotationValue>180</wscn:RotationValue>
                        <wscn:RotationValue>270</wscn:RotationValue>
                      </wscn:RotationsSupported>
                    </wscn:DeviceSettings>

                    <wscn:Platen>
                      <wscn:PlatenOpticalResolution>
                        <wscn:Width>1200</wscn:Width>
                        <wscn:Height>1200</wscn:Height>
                      </wscn:PlatenOpticalResolution>
                      <wscn:PlatenResolutions>
                        <wscn:Widths>
                          <wscn:Width>150</wscn:Width>
                          <wscn:Width>204</wscn:Width>
                          <wscn:Width>300</wscn:Width>
                          <wscn:Width>600</wscn:Width>
                          <wscn:Width>1200</wscn:Width>
                        </wscn:Widths>
                        <wscn:Heights>
                          <wscn:Height>96</wscn:Height>
                          <wscn:Height>150</wscn:Height>
                          <wscn:Height>204</wscn:Height>
                          <wscn:Height>300</wscn:Height>
                          <wscn:Height>600</wscn:Height>
                          <wscn:Height>900</wscn:Height>
                          <wscn:Height>1200</wscn:Height>
                        </wscn:Heights>
                      </wscn:PlatenResolutions>
                      <wscn:PlatenColor>
                        <wscn:ColorEntry>BlackAndWhite1</wscn:ColorEntry>
                        <wscn:ColorEntry>Grayscale4</wscn:ColorEntry>
                        <wscn:ColorEntry>Grayscale8</wscn:ColorEntry>
                        <wscn:ColorEntry>RGB24</wscn:ColorEntry>
                        <wscn:ColorEntry>RGB48</wscn:ColorEntry>
                        <wscn:ColorEntry>RGBa32</wscn:ColorEntry>
                        <wscn:ColorEntry>RGBa64</wscn:ColorEntry>
                      </wscn:PlatenColor>
                      <wscn:PlatenMinimumSize>
                        <wscn:Width>250</wscn:Width>
                        <wscn:Height>250</wscn:Height>
                      </wscn:PlatenMinimumSize>
                      <wscn:PlatenMaximumSize>
                        <wscn:Width>11000</wscn:Width>
                        <wscn:Height>14000</wscn:Height>
                      </wscn:PlatenMaximumSize>
                    </wscn:Platen>

                    <wscn:ADF>
                      <wscn:ADFSupportsDuplex>false</wscn:ADFSupportsDuplex>
                      <wscn:ADFFront>
                        <wscn:ADFOpticalResolution>
                          <wscn:Width>600</wscn:Width>
                          <wscn:Height>600</wscn:Height>
                        </wscn:ADFOpticalResolution>
                        <wscn:ADFResolutions>
                          <wscn:Widths>
                            <wscn:Width>150</wscn:Width>
                            <wscn:Width>204</wscn:Width>
                            <wscn:Width>300</wscn:Width>
                            <wscn:Width>600</wscn:Width>
                          </wscn:Widths>
                          <wscn:Heights>
                            <wscn:Height>96</wscn:Height>
                            <wscn:Height>150</wscn:Height>
                            <wscn:Height>204</wscn:Height>
                            <wscn:Height>300</wscn:Height>
                            <wscn:Height>600</wscn:Height>
                          </wscn:Heights>
                        </wscn:ADFResolutions>
                        <wscn:ADFColor>
                          <wscn:ColorEntry>BlackAndWhite1</wscn:ColorEntry>
                          <wscn:ColorEntry>Grayscale4</wscn:ColorEntry>
                          <wscn:ColorEntry>RGB24</wscn:ColorEntry>
                        </wscn:ADFColor>
                        <wscn:ADFMinimumSize>
                          <wscn:Width>4000</wscn:Width>
                          <wscn:Height>6000</wscn:Height>
                        </wscn:ADFMinimumSize>
                        <wscn:ADFMaximumSize>
                          <wscn:Width>8500</wscn:Width>
                          <wscn:Height>11000</wscn:Height>
                        </wscn:ADFMaximumSize>
                      </wscn:ADFFront>
                    </wscn:ADF>
                  </wscn:ScannerConfiguration>
                </wscn:ElementData>
                <wscn:ElementData wscn:Name="ihv:InvalidRequestEntry"
                                  wscn:Valid="false"/>
              </wscn:ScannerElements>
            </wscn:GetScannerElementsResponse>
          </soap:Body>
        </soap:Envelope>
        """;

    // MS getscannerelementsresponse.md, second example (status).
    public const string MsGetScannerElementsStatus = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
          xmlns:wsa="https://schemas.xmlsoap.org/ws/2003/03/addressing"
          xmlns:wscn="https://schemas.microsoft.com/windows/2006/01/wdp/scan"
          soap:encodingStyle='https://www.w3.org/2002/12/soap-encoding' >
          <soap:Body>
            <wscn:GetScannerElementsResponse>
              <wscn:ScannerElements>
                <wscn:ElementData wscn:Name="wscn:ScannerStatus" wscn:Valid="true">
                  <wscn:ScannerStatus>
                    <wscn:ScannerCurrentTime>
                      2006-01-26T11:17:00Z
                    </wscn:ScannerCurrentTime>
                    <wscn:ScannerState>Stopped</wscn:ScannerState>
                    <wscn:ScannerStateReasons>
                      <wscn:ScannerStateReason>MediaJam</wscn:ScannerStateReason>
                      <wscn:ScannerStateReason>LampError</wscn:ScannerStateReason>
                    </wscn:ScannerStateReasons>
                    <wscn:ActiveConditions>
                      <wscn:DeviceCondition wscn:Id="1384">
                        <wscn:Time>2005-01-26T11:07:00Z</wscn:Time>
                        <wscn:Name>MediaJam</wscn:Name>
                        <wscn:Component>MediaPath</wscn:Component>
                        <wscn:Severity>Critical</wscn:Severity>
                      </wscn:DeviceCondition>
                      <wscn:DeviceCondition wscn:Id="534">
                        <wscn:Time>2005-01-26T11:09:12Z</wscn:Time>
                        <wscn:Name>LampError</wscn:Name>
                        <wscn:Component>Platen</wscn:Component>
                        <wscn:Severity>Warning</wscn:Severity>
                      </wscn:DeviceCondition>
                    </wscn:ActiveConditions>
                  </wscn:ScannerStatus>
                </wscn:ElementData>
              </wscn:ScannerElements>
            </wscn:GetScannerElementsResponse>
          </soap:Body>
        </soap:Envelope>
        """;

    // MS createscanjobresponse.md (DocumentFinalParamters misspelt as published).
    public const string MsCreateScanJobResponse = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
          xmlns:wsa="http://schemas.xmlsoap.org/ws/2003/03/addressing"
          xmlns:wscn="http://schemas.microsoft.com/windows/2006/01/wdp/scan"
          soap:encodingStyle='http://www.w3.org/2002/12/soap-encoding' >
          <soap:Body>
            <wscn:CreateScanJobResponse>
              <wscn:JobId>1</wscn:JobId>
              <wscn:JobToken>Job9876TokenString</wscn:JobToken>
              <wscn:ImageInformation>
                <wscn:MediaFrontImageInfo>
                  <wscn:PixelsPerLine>900</wscn:PixelsPerLine>
                  <wscn:NumberOfLines>1500</wscn:NumberOfLines>
                  <wscn:BytesPerLine>113</wscn:BytesPerLine>
                </wscn:MediaFrontImageInfo>
              </wscn:ImageInformation>
              <wscn:DocumentFinalParamters>
                <wscn:Format>jfif</wscn:Format>
                <wscn:CompressionQualityFactor>45</wscn:CompressionQualityFactor>
                <wscn:ImagesToTransfer>0</wscn:ImagesToTransfer>
                <wscn:InputSource>Platen</wscn:InputSource>
                <wscn:ContentType>Auto</wscn:ContentType>
                <wscn:InputSize>
                  <wscn:InputMediaSize>
                    <wscn:Width wscn:Override="true">8500</wscn:Width>
                    <wscn:Height wscn:Override="true">11000</wscn:Height>
                  </wscn:InputMediaSize>
                </wscn:InputSize>
                <wscn:Exposure>
                  <wscn:ExposureSettings>
                    <wscn:Contrast wscn:UsedDefault="true">0</wscn:Contrast>
                    <wscn:Brightness wscn:UsedDefault="true">0</wscn:Brightness>
                    <wscn:Sharpness wscn:UsedDefault="true">0</wscn:Sharpness>
                  </wscn:ExposureSettings>
                </wscn:Exposure>
                <wscn:Scaling>
                  <wscn:ScalingWidth>125</wscn:ScalingWidth>
                  <wscn:ScalingHeight>125</wscn:ScalingHeight>
                </wscn:Scaling>
                <wscn:Rotation wscn:UsedDefault="true">0</wscn:Rotation>
                <wscn:MediaSides>
                  <wscn:MediaFront>
                    <wscn:ScanRegion>
                      <wscn:ScanRegionXOffset wscn:UsedDefault="true">
                        0
                      </wscn:ScanRegionXOffset>
                      <wscn:ScanRegionYOffset wscn:UsedDefault="true">
                        0
                      </wscn:ScanRegionYOffset>
                      <wscn:ScanRegionWidth wscn:UsedDefault="true">
                        8500
                      </wscn:ScanRegionWidth>
                      <wscn:ScanRegionHeight wscn:UsedDefault="true">
                        11000
                      </wscn:ScanRegionHeight>
                    </wscn:ScanRegion>
                    <wscn:ColorProcessing wscn:UsedDefault="true">
                      RGB24
                    </wscn:ColorProcessing>
                    <wscn:Resolution>
                      <wscn:Width>300</wscn:Width>
                      <wscn:Height>300</wscn:Height>
                    </wscn:Resolution>
                  </wscn:MediaFront>
                </wscn:MediaSides>
              </wscn:DocumentFinalParamters>
            </wscn:CreateScanJobResponse>
          </soap:Body>
        </soap:Envelope>
        """;

    // MS createscanjobrequest.md, first example (device-initiated); </JobOriginatingUserName> repaired.
    public const string MsCreateScanJobRequestDeviceInitiated = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
          xmlns:wsa="https://schemas.xmlsoap.org/ws/2003/03/addressing"
          xmlns:wscn="https://schemas.microsoft.com/windows/2006/01/wdp/scan"
          soap:encodingStyle='https://www.w3.org/2002/12/soap-encoding' >
          <soap:Body>
            <wscn:CreateScanJobRequest>
              <wscn:ScanIdentifier>
                uuid:12e7a983-1034-5428-d298-0016f11097fa
              </wscn:ScanIdentifier>
              <wscn:DestinationToken>
                Dest1234TokenString
              </wscn:DestinationToken>
              <wscn:ScanTicket>
                <wscn:JobDescription>
                  <wscn:JobName>Photo Scan</wscn:JobName>
                  <wscn:JobOriginatingUserName>RogerSmith</wscn:JobOriginatingUserName>
                </wscn:JobDescription>
                <wscn:DocumentParameters>
                  <wscn:Format>jfif</wscn:Format>
                  <wscn:CompressionQualityFactor>45</wscn:CompressionQualityFactor>
                  <wscn:InputSource>Platen</wscn:InputSource>
                  <wscn:ContentType>Auto</wscn:ContentType>
                  <wscn:InputSize>
                    <wscn:DocumentSizeAutoDetect>true</wscn:DocumentSizeAutoDetect>
                  </wscn:InputSize>
                  <wscn:Scaling wscn:MustHonor="1">
                    <wscn:ScalingWidth>125</wscn:ScalingWidth>
                    <wscn:ScalingHeight>125</wscn:ScalingHeight>
                  </wscn:Scaling>
                  <wscn:MediaSides>
                    <wscn:MediaFront>
                      <wscn:Resolution wscn:MustHonor="1">
                        <wscn:Width>300</wscn:Width>
                        <wscn:Height>300</wscn:Height>
                      </wscn:Resolution>
                    </wscn:MediaFront>
                  </wscn:MediaSides>
                </wscn:DocumentParameters>
              </wscn:ScanTicket>
            </wscn:CreateScanJobRequest>
          </soap:Body>
        </soap:Envelope>
        """;

    // sane-airscan airscan-wsd.c wsd_scan_query: ADF, RGB24, 300 dpi, A4 width 8267 x 11692 thousandths, no offset.
    public const string SaneAirscanCreateScanJob = """
        <?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:scan="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><s:Header><a:MessageID>urn:uuid:3a1f0c6e-5d5b-4b43-9c4e-0f5c2d7e8a11</a:MessageID><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:ReplyTo>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:ReplyTo><a:Action>http://schemas.microsoft.com/windows/2006/08/wdp/scan/CreateScanJob</a:Action></s:Header><s:Body><scan:CreateScanJobRequest><scan:ScanTicket><scan:JobDescription><scan:JobName>sane-airscan request</scan:JobName><scan:JobOriginatingUserName>sane-airscan</scan:JobOriginatingUserName></scan:JobDescription><scan:DocumentParameters><scan:Format>jfif</scan:Format><scan:ImagesToTransfer>0</scan:ImagesToTransfer><scan:InputSize><scan:InputMediaSize><scan:Width>8267</scan:Width><scan:Height>11692</scan:Height></scan:InputMediaSize></scan:InputSize><scan:InputSource>ADF</scan:InputSource><scan:MediaSides><scan:MediaFront><scan:ColorProcessing>RGB24</scan:ColorProcessing><scan:Resolution><scan:Width>300</scan:Width><scan:Height>300</scan:Height></scan:Resolution><scan:ScanRegion><scan:ScanRegionXOffset>0</scan:ScanRegionXOffset><scan:ScanRegionYOffset>0</scan:ScanRegionYOffset><scan:ScanRegionWidth>8267</scan:ScanRegionWidth><scan:ScanRegionHeight>11692</scan:ScanRegionHeight></scan:ScanRegion></scan:MediaFront></scan:MediaSides></scan:DocumentParameters></scan:ScanTicket></scan:CreateScanJobRequest></s:Body></s:Envelope>
        """;

    // PyWSD templates/ws-scan__create_scan_job.xml (2006/01 scan namespace), placeholders filled.
    public const string PyWsdCreateScanJob = """
        <?xml version="1.0" encoding="ASCII"?>
        <soap:Envelope
                xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
                xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
                xmlns:wscn="http://schemas.microsoft.com/windows/2006/01/wdp/scan">
            <soap:Body>
                <wscn:CreateScanJobRequest>
                    <wscn:ScanIdentifier>urn:uuid:00000000-0000-4000-8000-000000000001</wscn:ScanIdentifier>
                    <wscn:DestinationToken>Client3478</wscn:DestinationToken>
                    <wscn:ScanTicket>
                        <wscn:JobDescription>
                            <wscn:JobName>wsd-daemon-scan</wscn:JobName>
                            <wscn:JobOriginatingUserName>PyWSD</wscn:JobOriginatingUserName>
                            <wscn:JobInformation>Scan</wscn:JobInformation>
                        </wscn:JobDescription>
                        <wscn:DocumentParameters>
                            <wscn:Format>png</wscn:Format>
                            <wscn:CompressionQualityFactor>100</wscn:CompressionQualityFactor>
                            <wscn:ImagesToTransfer>1</wscn:ImagesToTransfer>
                            <wscn:InputSource>Platen</wscn:InputSource>
                            <wscn:ContentType>Auto</wscn:ContentType>
                            <wscn:InputSize>
                                <wscn:DocumentSizeAutoDetect>false</wscn:DocumentSizeAutoDetect>
                                <wscn:InputMediaSize>
                                    <wscn:Width>8500</wscn:Width>
                                    <wscn:Height>11000</wscn:Height>
                                </wscn:InputMediaSize>
                            </wscn:InputSize>
                            <wscn:Exposure>
                                <wscn:AutoExposure>false</wscn:AutoExposure>
                                <wscn:ExposureSettings>
                                    <wscn:Contrast>0</wscn:Contrast>
                                    <wscn:Brightness>0</wscn:Brightness>
                                    <wscn:Sharpness>0</wscn:Sharpness>
                                </wscn:ExposureSettings>
                            </wscn:Exposure>
                            <wscn:Scaling>
                                <wscn:ScalingWidth>100</wscn:ScalingWidth>
                                <wscn:ScalingHeight>100</wscn:ScalingHeight>
                            </wscn:Scaling>
                            <wscn:Rotation>0</wscn:Rotation>
                            <wscn:MediaSides>
                                <wscn:MediaFront>
                                    <wscn:ScanRegion>
                                        <wscn:ScanRegionXOffset>0</wscn:ScanRegionXOffset>
                                        <wscn:ScanRegionYOffset>0</wscn:ScanRegionYOffset>
                                        <wscn:ScanRegionWidth>8500</wscn:ScanRegionWidth>
                                        <wscn:ScanRegionHeight>11000</wscn:ScanRegionHeight>
                                    </wscn:ScanRegion>
                                    <wscn:ColorProcessing>Grayscale8</wscn:ColorProcessing>
                                    <wscn:Resolution>
                                        <wscn:Width>150</wscn:Width>
                                        <wscn:Height>150</wscn:Height>
                                    </wscn:Resolution>
                                </wscn:MediaFront>
                            </wscn:MediaSides>
                        </wscn:DocumentParameters>
                    </wscn:ScanTicket>
                </wscn:CreateScanJobRequest>
            </soap:Body>
        </soap:Envelope>
        """;

    // MS getjobelementsresponse.md (unprefixed Name "JobStatus").
    public const string MsGetJobElementsResponse = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
          xmlns:wsa="http://schemas.xmlsoap.org/ws/2003/03/addressing"
          xmlns:wscn="http://schemas.microsoft.com/windows/2006/01/wdp/scan">
          <soap:Body>
            <wscn:GetJobElementsResponse>
              <wscn:JobElements>
                <wscn:ElementData wscn:Name="JobStatus" wscn:Valid="true">
                  <wscn:JobStatus>
                    <wscn:JobId>1</wscn:JobId>
                    <wscn:JobState>Completed</wscn:JobState>
                    <wscn:JobStateReasons>
                      <wscn:JobStateReason>None</wscn:JobStateReason>
                    </wscn:JobStateReasons>
                    <wscn:ScansCompleted>1</wscn:ScansCompleted>
                  </wscn:JobStatus>
                </wscn:ElementData>
              </wscn:JobElements>
            </wscn:GetJobElementsResponse >
          </soap:Body>
        </soap:Envelope>
        """;

    // MS getjobelementsrequest.md (element named GetJobElements, unprefixed Name).
    public const string MsGetJobElementsRequest = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
          xmlns:wsa="http://schemas.xmlsoap.org/ws/2003/03/addressing"
          xmlns:wscn="http://schemas.microsoft.com/windows/2006/01/wdp/scan">
          <soap:Body>
            <wscn:GetJobElements>
              <wscn:JobId>1</wscn:JobId>
              <wscn:RequestedElements>
                <wscn:Name>JobStatus</wscn:Name>
              </wscn:RequestedElements>
            </wscn:GetJobElements>
          </soap:Body>
        </soap:Envelope>
        """;

    // MS getactivejobsresponse.md, second example.
    public const string MsGetActiveJobsResponse = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
          xmlns:wscn="http://schemas.microsoft.com/windows/2006/01/wdp/scan">
          <soap:Body>
            <wscn:GetActiveJobsResponse>
              <wscn:ActiveJobs>
                <wscn:JobSummary>
                  <wscn:JobId>1</wscn:JobId>
                  <wscn:JobName>SampleJob 1</wscn:JobName>
                  <wscn:JobOriginatingUserName>Joe.Smith</wscn:JobOriginatingUserName>
                  <wscn:JobState>Processing</wscn:JobState>
                  <wscn:JobStateReasons>
                    <wscn:JobStateReason>JobScanning</wscn:JobStateReason>
                  </wscn:JobStateReasons>
                  <wscn:ScansCompleted>2</wscn:ScansCompleted>
                </wscn:JobSummary>
                <wscn:JobSummary>
                  <wscn:JobId>2</wscn:JobId>
                  <wscn:JobName>Sample Job 2</wscn:JobName>
                  <wscn:JobOriginatingUserName>JaneSmith</wscn:JobOriginatingUserName>
                  <wscn:JobState>Pending</wscn:JobState>
                  <wscn:JobStateReasons>
                    <wscn:JobStateReason>None</wscn:JobStateReason>
                  </wscn:JobStateReasons>
                  <wscn:ScansCompleted>0</wscn:ScansCompleted>
                </wscn:JobSummary>
              </wscn:ActiveJobs>
            </wscn:GetActiveJobsResponse >
          </soap:Body>
        </soap:Envelope>
        """;

    // MS jobendstateevent.md (</soap:Body repaired).
    public const string MsJobEndStateEvent = """
        <soap:Envelope
          xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
          xmlns:wsa="https://schemas.xmlsoap.org/ws/2004/08/addressing"
          xmlns:wse="https://schemas.xmlsoap.org/ws/2004/08/eventing"
          xmlns:wscn="https://schemas.microsoft.com/windows/2006/01/wdp/scan"
          soap:encodingStyle='https://www.w3.org/2002/12/soap-encoding'>
          <soap:Body>
            <wscn:JobEndStateEvent>
              <wscn:JobEndState>
                <wscn:JobId>253</wscn:JobId>
                <wscn:JobCompletedState>Completed</wscn:JobCompletedState>
                <wscn:JobCompletedStateReasons>
                  <wscn:JobStateReason>JobCompletedWithWarnings</wscn:JobStateReason>
                </wscn:JobCompletedStateReasons>
                <wscn:JobName>Scan from Imaging App</wscn:JobName>
                <wscn:JobOriginatingUserName>User</wscn:JobOriginatingUserName>
                <wscn:ScansCompleted>7</wscn:ScansCompleted>
                <wscn:JobCompletedTime>2006-01-24T11:37:05.673Z</wscn:JobCompletedTime>
              </wscn:JobEndState>
            </wscn:JobEndStateEvent>
          </soap:Body>
        </soap:Envelope>
        """;

    // MS scanavailableevent.md: the event, the Subscribe extension and the SubscribeResponse extension (repaired).
    public const string MsScanAvailableEvent = """
        <soap:Envelope
          xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
          xmlns:wscn="https://schemas.microsoft.com/windows/2006/01/wdp/scan">
          <soap:Body>
            <wscn:ScanAvailableEvent>
              <wscn:ClientContext>App1ScanID2345</wscn:ClientContext>
              <wscn:ScanIdentifier>AnyUniqueIdentifierSuchAsAGUID</wscn:ScanIdentifier>
            </wscn:ScanAvailableEvent>
          </soap:Body>
        </soap:Envelope>
        """;

    public const string MsSubscribeWithDestinations = """
        <soap:Envelope
            xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
            xmlns:wse="https://schemas.xmlsoap.org/ws/2004/08/eventing"
            xmlns:wscn="https://schemas.microsoft.com/windows/2006/01/wdp/scan">
          <soap:Body>
            <wse:Subscribe>
              <wse:Expires>P0Y0M0DT30H0M0S</wse:Expires>
              <wscn:ScanDestinations>
                <wscn:ScanDestination>
                  <wscn:ClientDisplayString>Den Computer</wscn:ClientDisplayString>
                  <wscn:ClientContext>App1ScanID2345</wscn:ClientContext>
                </wscn:ScanDestination>
              </wscn:ScanDestinations>
            </wse:Subscribe>
          </soap:Body>
        </soap:Envelope>
        """;

    // MS validatescanticketresponse.md, second example (invalid ticket); </JobOriginatingUserName> repaired.
    public const string MsValidateScanTicketResponseInvalid = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope
          xmlns:soap="https://www.w3.org/2003/05/soap-envelope"
          xmlns:wscn="https://schemas.microsoft.com/windows/2006/01/wdp/scan">
          <soap:Body>
            <wscn:ValidateScanTicketResponse>
              <wscn:ValidationInfo>
                <wscn:ValidTicket>false</wscn:ValidTicket>
                <wscn:ImageInformation>
                  <wscn:MediaFrontImageInfo>
                    <wscn:PixelsPerLine>0</wscn:PixelsPerLine>
                    <wscn:NumberOfLines>0</wscn:NumberOfLines>
                    <wscn:BytesPerLine>0</wscn:BytesPerLine>
                  </wscn:MediaFrontImageInfo>
                </wscn:ImageInformation>
                <wscn:ValidScanTicket>
                  <wscn:JobDescription>
                    <wscn:JobName>Photo Scan</wscn:JobName>
                    <wscn:JobOriginatingUserName>RogerSmith</wscn:JobOriginatingUserName>
                  </wscn:JobDescription>
                  <wscn:DocumentParameters>
                    <wscn:Format>jfif</wscn:Format>
                    <wscn:InputSource>Platen</wscn:InputSource>
                    <wscn:ContentType>Auto</wscn:ContentType>
                    <wscn:InputSize>
                      <wscn:DocumentSizeAutoDetect>true</wscn:DocumentSizeAutoDetect>
                    </wscn:InputSize>
                    <wscn:Scaling>
                      <wscn:ScalingWidth>1000</wscn:ScalingWidth>
                      <wscn:ScalingHeight>1000</wscn:ScalingHeight>
                    </wscn:Scaling>
                    <wscn:MediaSides>
                      <wscn:MediaFront>
                        <wscn:Resolution>
                          <wscn:Width>300</wscn:Width>
                          <wscn:Height>300</wscn:Height>
                        </wscn:Resolution>
                      </wscn:MediaFront>
                    </wscn:MediaSides>
                  </wscn:DocumentParameters>
                </wscn:ValidScanTicket>
              </wscn:ValidationInfo>
            </wscn:ValidateScanTicketResponse>
          </soap:Body>
        </soap:Envelope>
        """;
}
