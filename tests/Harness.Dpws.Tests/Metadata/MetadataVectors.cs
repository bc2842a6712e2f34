namespace Harness.Dpws.Tests.Metadata;

/// <summary>Golden GetResponse messages from public sources (kept byte for byte as published).</summary>
internal static class MetadataVectors
{
    /// <summary>
    /// Microsoft Learn, WSDAPI "GetResponse (Metadata Exchange) Message" sample (MicrosoftDocs/win32
    /// <c>desktop-src/WsdApi/getresponse--metadata-exchange--message.md</c>): a WSDAPI host's answer, pretty-printed
    /// with whitespace around every value (Q-WS-IN-URI).
    /// </summary>
    public const string WsdApiGetResponse = """
<?xml version="1.0" encoding="utf-8" ?>
<soap:Envelope
    xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
    xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:wsx="http://schemas.xmlsoap.org/ws/2004/09/mex"
    xmlns:wsdp="http://schemas.xmlsoap.org/ws/2006/02/devprof"
    xmlns:sim="http://schemas.example.org/SimpleService"
    xmlns:att="http://schemas.example.org/AttachmentService"
    xmlns:eve="http://schemas.example.org/EventingService">
<soap:Header>
    <wsa:To>
        http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous
    </wsa:To>
    <wsa:Action>
        http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse
    </wsa:Action>
    <wsa:MessageID>
        urn:uuid:119dcdf5-fc0d-4d40-bf1f-de52dc292744
    </wsa:MessageID>
    <wsa:RelatesTo>
        urn:uuid:027bec45-c37c-466c-936c-68f648abe2bb
    </wsa:RelatesTo>
</soap:Header>
<soap:Body>
    <wsx:Metadata>
        <wsx:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisDevice">
            <wsdp:ThisDevice>
                <wsdp:FriendlyName>
                    WSDAPI Basic Interop Server
                </wsdp:FriendlyName>
                <wsdp:FirmwareVersion>alpha</wsdp:FirmwareVersion>
                <wsdp:SerialNumber>1</wsdp:SerialNumber>
            </wsdp:ThisDevice>
        </wsx:MetadataSection>
        <wsx:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisModel">
            <wsdp:ThisModel>
                <wsdp:Manufacturer>
                    Microsoft
                </wsdp:Manufacturer>
                <wsdp:ManufacturerUrl>
                    http://www.microsoft.com/
                </wsdp:ManufacturerUrl>
                <wsdp:ModelName>
                    WSDAPI Interop device
                </wsdp:ModelName>
                <wsdp:ModelNumber>0.1</wsdp:ModelNumber>
                <wsdp:ModelUrl>
                    http://www.microsoft.com/
                </wsdp:ModelUrl>
                <wsdp:PresentationUrl>
                    http://www.microsoft.com/
                </wsdp:PresentationUrl>
            </wsdp:ThisModel>
        </wsx:MetadataSection>
        <wsx:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/Relationship">
            <wsdp:Relationship Type="http://schemas.xmlsoap.org/ws/2006/02/devprof/host">
                <wsdp:Host>
                    <wsa:EndpointReference>
                        <wsa:Address>
                            urn:uuid:37f86d35-e6ac-4241-964f-1d9ae46fb366
                        </wsa:Address>
                    </wsa:EndpointReference>
                    <wsdp:Types>sim:SimpleDeviceType</wsdp:Types>
                    <wsdp:ServiceId>
                        http://testdevice.interop/SimpleDevice
                    </wsdp:ServiceId>
                </wsdp:Host>
                <wsdp:Hosted>
                    <wsa:EndpointReference>
                        <wsa:Address>
                            http://192.168.0.2:5357/37f86d35-e6ac-4241-964f-1d9ae46fb366
                        </wsa:Address>
                    </wsa:EndpointReference>
                    <wsdp:Types>sim:SimpleService</wsdp:Types>
                    <wsdp:ServiceId>
                        http://testdevice.interop/SimpleService1
                    </wsdp:ServiceId>
                </wsdp:Hosted>
            </wsdp:Relationship>
        </wsx:MetadataSection>
    </wsx:Metadata>
</soap:Body>
</soap:Envelope>
""";

    /// <summary>
    /// The same WSDAPI sample as the localized Microsoft Learn pages publish it (isabella232/win32-pr.es-es and
    /// MicrosoftDocs/win32-pr.zh-tw): every namespace spelled <c>https://</c> (quirk Q-HTTPS-NS). Header only, the
    /// body is the English one's, as the pages differ only in the namespace scheme.
    /// </summary>
    public static string WsdApiGetResponseHttps => WsdApiGetResponse
        .Replace("xmlns:soap=\"http://", "xmlns:soap=\"https://", StringComparison.Ordinal)
        .Replace("xmlns:wsa=\"http://", "xmlns:wsa=\"https://", StringComparison.Ordinal)
        .Replace("xmlns:wsx=\"http://", "xmlns:wsx=\"https://", StringComparison.Ordinal)
        .Replace("xmlns:wsdp=\"http://", "xmlns:wsdp=\"https://", StringComparison.Ordinal);

    /// <summary>
    /// kristof-mattei/wsdd-rs <c>src/test/get-response-synology.xml</c> (a Synology DiskStation's answer as wsdd
    /// produces it): a Host with <c>pub:Computer</c>, no Hosted services, a <c>pnpx</c> extension under the odd prefix
    /// <c>un0</c> (Q-PFX). The MessageID and RelatesTo placeholders are filled in.
    /// </summary>
    public const string WsddSynologyGetResponse = """
<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope
    xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
    xmlns:pub="http://schemas.microsoft.com/windows/pub/2005/07"
    xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery"
    xmlns:wsdp="http://schemas.xmlsoap.org/ws/2006/02/devprof"
    xmlns:wsx="http://schemas.xmlsoap.org/ws/2004/09/mex"
    xmlns:un0="http://schemas.microsoft.com/windows/pnpx/2005/10"
>
    <soap:Header>
        <wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
        <wsa:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</wsa:Action>
        <wsa:MessageID>urn:uuid:5a3e0d3c-9c1e-4c55-8a2b-7b4c6f0a1e21</wsa:MessageID>
        <wsa:RelatesTo>urn:uuid:00000000-0000-0000-0000-000000000000</wsa:RelatesTo>
    </soap:Header>
    <soap:Body>
        <wsx:Metadata>
            <wsx:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisDevice">
                <wsdp:ThisDevice>
                    <wsdp:FriendlyName>Synology DiskStation</wsdp:FriendlyName>
                    <wsdp:FirmwareVersion>6</wsdp:FirmwareVersion>
                    <wsdp:SerialNumber>6</wsdp:SerialNumber>
                </wsdp:ThisDevice>
            </wsx:MetadataSection>
            <wsx:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisModel">
                <wsdp:ThisModel>
                    <wsdp:Manufacturer>Synology Inc</wsdp:Manufacturer>
                    <wsdp:ManufacturerUrl>http://www.synology.com</wsdp:ManufacturerUrl>
                    <wsdp:ModelName>Synology DiskStation</wsdp:ModelName>
                    <wsdp:ModelNumber>1</wsdp:ModelNumber>
                    <wsdp:ModelUrl>http://www.synology.com</wsdp:ModelUrl>
                    <wsdp:PresentationUrl>http://www.synology.com</wsdp:PresentationUrl>
                    <un0:DeviceCategory>Computers</un0:DeviceCategory>
                </wsdp:ThisModel>
            </wsx:MetadataSection>
            <wsx:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/Relationship">
                <wsdp:Relationship Type="http://schemas.xmlsoap.org/ws/2006/02/devprof/host">
                    <wsdp:Host>
                        <wsa:EndpointReference>
                            <wsa:Address>urn:uuid:dea604bb-e526-46a1-8bdb-121125389a9d</wsa:Address>
                        </wsa:EndpointReference>
                        <wsdp:Types>pub:Computer</wsdp:Types>
                        <wsdp:ServiceId>urn:uuid:dea604bb-e526-46a1-8bdb-121125389a9d</wsdp:ServiceId>
                        <pub:Computer>diskstation/Workgroup:WORKGROUP</pub:Computer>
                    </wsdp:Host>
                </wsdp:Relationship>
            </wsx:MetadataSection>
        </wsx:Metadata>
    </soap:Body>
</soap:Envelope>
""";

    /// <summary>
    /// kristof-mattei/wsdd-rs <c>src/test/get-template.xml</c>: the Get request wsdd sends (To the device EPR, ReplyTo
    /// anonymous, From), with the EPR placeholders filled in.
    /// </summary>
    public const string WsddGetRequest = """
<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:soap="http://www.w3.org/2003/05/soap-envelope">
    <soap:Header>
        <wsa:To>urn:uuid:dea604bb-e526-46a1-8bdb-121125389a9d</wsa:To>
        <wsa:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</wsa:Action>
        <wsa:MessageID>urn:uuid:00000000-0000-0000-0000-000000000000</wsa:MessageID>
        <wsa:ReplyTo>
            <wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address>
        </wsa:ReplyTo>
        <wsa:From>
            <wsa:Address>urn:uuid:3f9a2bd1-56c8-4b7e-9f07-2d5f5b8e0c11</wsa:Address>
        </wsa:From>
    </soap:Header>
    <soap:Body />
</soap:Envelope>
""";
}
