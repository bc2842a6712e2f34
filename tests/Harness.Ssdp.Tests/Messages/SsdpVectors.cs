namespace Harness.Ssdp.Tests.Messages;

/// <summary>SSDP messages from the UDA's templates and from public projects' fixtures (sources in each comment and in Vectors/README.md).</summary>
internal static class SsdpVectors
{
    // UDA 1.1 §1.3.2 M-SEARCH template, placeholders filled in.
    public const string UdaSearch =
        "M-SEARCH * HTTP/1.1\r\n" +
        "HOST: 239.255.255.250:1900\r\n" +
        "MAN: \"ssdp:discover\"\r\n" +
        "MX: 3\r\n" +
        "ST: urn:schemas-upnp-org:device:MediaServer:1\r\n" +
        "USER-AGENT: Linux/5.10 UPnP/1.1 Harness/1.0\r\n" +
        "\r\n";

    // UDA 2.0 §1.3.2 M-SEARCH template with the control-point headers, placeholders filled in.
    public const string Uda20Search =
        "M-SEARCH * HTTP/1.1\r\n" +
        "HOST: 239.255.255.250:1900\r\n" +
        "MAN: \"ssdp:discover\"\r\n" +
        "MX: 2\r\n" +
        "ST: ssdp:all\r\n" +
        "USER-AGENT: Linux/5.10 UPnP/2.0 Harness/1.0\r\n" +
        "CPFN.UPNP.ORG: Harness control point\r\n" +
        "CPUUID.UPNP.ORG: uuid:11111111-2222-4333-8444-555555555555\r\n" +
        "TCPPORT.UPNP.ORG: 49200\r\n" +
        "\r\n";

    // UDA 1.1 §1.3.3 search response template, placeholders filled in.
    public const string UdaResponse =
        "HTTP/1.1 200 OK\r\n" +
        "CACHE-CONTROL: max-age=1800\r\n" +
        "DATE: Sat, 01 Mar 2025 12:00:00 GMT\r\n" +
        "EXT:\r\n" +
        "LOCATION: http://192.168.1.20:49152/description.xml\r\n" +
        "SERVER: Linux/5.10 UPnP/1.1 Harness/1.0\r\n" +
        "ST: urn:schemas-upnp-org:device:MediaServer:1\r\n" +
        "USN: uuid:4d696e69-444c-164e-9d41-b827eb96c6c2::urn:schemas-upnp-org:device:MediaServer:1\r\n" +
        "BOOTID.UPNP.ORG: 1740830400\r\n" +
        "CONFIGID.UPNP.ORG: 1\r\n" +
        "\r\n";

    // UDA 1.1 §1.2.2 ssdp:alive template, placeholders filled in.
    public const string UdaAlive =
        "NOTIFY * HTTP/1.1\r\n" +
        "HOST: 239.255.255.250:1900\r\n" +
        "CACHE-CONTROL: max-age=1800\r\n" +
        "LOCATION: http://192.168.1.20:49152/description.xml\r\n" +
        "NT: upnp:rootdevice\r\n" +
        "NTS: ssdp:alive\r\n" +
        "SERVER: Linux/5.10 UPnP/1.1 Harness/1.0\r\n" +
        "USN: uuid:4d696e69-444c-164e-9d41-b827eb96c6c2::upnp:rootdevice\r\n" +
        "BOOTID.UPNP.ORG: 1740830400\r\n" +
        "CONFIGID.UPNP.ORG: 1\r\n" +
        "\r\n";

    // UDA 1.1 §1.2.3 ssdp:byebye template, placeholders filled in.
    public const string UdaByeBye =
        "NOTIFY * HTTP/1.1\r\n" +
        "HOST: 239.255.255.250:1900\r\n" +
        "NT: uuid:4d696e69-444c-164e-9d41-b827eb96c6c2\r\n" +
        "NTS: ssdp:byebye\r\n" +
        "USN: uuid:4d696e69-444c-164e-9d41-b827eb96c6c2\r\n" +
        "BOOTID.UPNP.ORG: 1740830400\r\n" +
        "CONFIGID.UPNP.ORG: 1\r\n" +
        "\r\n";

    // UDA 1.1 §1.2.4 ssdp:update template, placeholders filled in.
    public const string UdaUpdate =
        "NOTIFY * HTTP/1.1\r\n" +
        "HOST: 239.255.255.250:1900\r\n" +
        "LOCATION: http://192.168.1.21:49152/description.xml\r\n" +
        "NT: urn:schemas-upnp-org:service:ContentDirectory:1\r\n" +
        "NTS: ssdp:update\r\n" +
        "USN: uuid:4d696e69-444c-164e-9d41-b827eb96c6c2::urn:schemas-upnp-org:service:ContentDirectory:1\r\n" +
        "BOOTID.UPNP.ORG: 1740830400\r\n" +
        "CONFIGID.UPNP.ORG: 1\r\n" +
        "NEXTBOOTID.UPNP.ORG: 1740830401\r\n" +
        "\r\n";

    // async-upnp-client tests/test_ssdp.py test_ssdp_search_packet: no space after the colons.
    public const string AsyncUpnpClientSearch =
        "M-SEARCH * HTTP/1.1\r\n" +
        "HOST:239.255.255.250:1900\r\n" +
        "MAN:\"ssdp:discover\"\r\n" +
        "MX:4\r\n" +
        "ST:ssdp:all\r\n" +
        "\r\n";

    // async-upnp-client tests/test_ssdp.py test_decode_ssdp_packet: Windows UPnP-Device-Host, title-case names.
    public const string AsyncUpnpClientResponse =
        "HTTP/1.1 200 OK\r\n" +
        "Cache-Control: max-age=1900\r\n" +
        "Location: http://192.168.1.1:80/RootDevice.xml\r\n" +
        "Server: UPnP/1.0 UPnP/1.0 UPnP-Device-Host/1.0\r\n" +
        "ST:urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1\r\n" +
        "USN: uuid:...::WANCommonInterfaceConfig:1\r\n" +
        "EXT:\r\n\r\n";

    // async-upnp-client tests/test_ssdp.py test_decode_ssdp_packet_missing_ending (a Logitech Harmony hub).
    public const string HarmonyMissingEnding =
        "HTTP/1.1 200 OK\r\n" +
        "CACHE-CONTROL: max-age = 1800\r\n" +
        "DATE:Sun, 25 Apr 2021 16:08:06 GMT\r\n" +
        "EXT:\r\n" +
        "LOCATION: http://192.168.107.148:8088/description\r\n" +
        "SERVER: Ubuntu/10.04 UPnP/1.1 Harmony/16.3\r\n" +
        "ST: urn:myharmony-com:device:harmony:1\r\n" +
        "USN: uuid:...::urn:myharmony-com:device:harmony:1\r\n" +
        "BOOTID.UPNP.ORG:1619366886\r\n";

    // async-upnp-client tests/test_ssdp.py test_decode_ssdp_packet_duplicate_header.
    public const string DuplicateHeader =
        "HTTP/1.1 200 OK\r\n" +
        "CACHE-CONTROL: max-age = 1800\r\n" +
        "CACHE-CONTROL: max-age = 1800\r\n\r\n";

    // async-upnp-client tests/test_ssdp.py test_ssdp_protocol_handles_broken_headers.
    public const string Defunct =
        "HTTP/1.1 200 OK\r\n" +
        "DEFUNCT\r\n" +
        "CACHE-CONTROL: max-age = 1800\r\n\r\n";

    // async-upnp-client tests/test_ssdp.py test_microsoft_butchers_ssdp: Windows PNRP on port 1900.
    public const string WindowsPnrp =
        "HTTP/1.1 200 OK\r\n" +
        "ST:urn:Microsoft Windows Peer Name Resolution Protocol: V4:IPV6:LinkLocal\r\n" +
        "USN:[fe80::aaaa:bbbb:cccc:dddd]:3540\r\n" +
        "Location:192.168.1.1\r\n" +
        "AL:[fe80::aaaa:bbbb:cccc:dddd]:3540\r\n" +
        "OPT:\"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n" +
        "01-NLS:abcdef0123456789abcdef012345678\r\n" +
        "Cache-Control:max-age=14400\r\n" +
        "Server:Microsoft-Windows-NT/5.1 UPnP/1.0 UPnP-Device-Host/1.0\r\n" +
        "Ext:\r\n";

    // GNOME/gssdp libgssdp/gssdp-protocol.h SSDP_DISCOVERY_REQUEST template (title-case names, MX after ST).
    public const string GssdpSearch =
        "M-SEARCH * HTTP/1.1\r\n" +
        "Host: 239.255.255.250:1900\r\n" +
        "Man: \"ssdp:discover\"\r\n" +
        "ST: upnp:rootdevice\r\n" +
        "MX: 3\r\n" +
        "User-Agent: Linux/3.0 UPnP/1.0 GSSDP/1.6.0\r\n\r\n";

    // home-assistant-libs/netdisco#98: a device's CACHE-CONTROL with another directive and spaces.
    public const string NetdiscoNoCacheExt =
        "HTTP/1.1 200 OK\r\n" +
        "CACHE-CONTROL: no-cache=\"Ext\", max-age = 5000\r\n" +
        "EXT:\r\n" +
        "LOCATION: http://192.168.1.30:8200/rootDesc.xml\r\n" +
        "SERVER: Linux/4.4 UPnP/1.0 Device/1.0\r\n" +
        "ST: upnp:rootdevice\r\n" +
        "USN: uuid:12345678-1234-1234-1234-123456789abc::upnp:rootdevice\r\n\r\n";

    // A minidlna-style byebye: no space after the colons (the style the checklist attributes to minidlna).
    public const string MinidlnaByeBye =
        "NOTIFY * HTTP/1.1\r\n" +
        "HOST:239.255.255.250:1900\r\n" +
        "NT:uuid:4d696e69-444c-164e-9d41-080027237071\r\n" +
        "USN:uuid:4d696e69-444c-164e-9d41-080027237071\r\n" +
        "NTS:ssdp:byebye\r\n" +
        "\r\n";
}
