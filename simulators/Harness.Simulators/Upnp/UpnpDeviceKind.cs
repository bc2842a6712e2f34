namespace Harness.Simulators.Upnp;

/// <summary>The kinds of UPnP root device a <see cref="FakeUpnpDevice"/> can be.</summary>
public enum UpnpDeviceKind
{
    /// <summary><c>urn:schemas-upnp-org:device:Basic:1</c>, no services: 3 announcement pairs.</summary>
    Basic,

    /// <summary><c>MediaServer:1</c> with ContentDirectory:1 and ConnectionManager:1 (and icons): 5 pairs.</summary>
    MediaServer,

    /// <summary><c>MediaRenderer:1</c> with RenderingControl:1, ConnectionManager:1 and AVTransport:1 (and icons): 6 pairs.</summary>
    MediaRenderer,

    /// <summary>
    /// <c>InternetGatewayDevice:1</c> (Layer3Forwarding:1) with an embedded <c>WANDevice:1</c>
    /// (WANCommonInterfaceConfig:1) holding a <c>WANConnectionDevice:1</c> (WANIPConnection:1), as miniupnpd lays it out: 10 pairs.
    /// </summary>
    InternetGateway,

    /// <summary><c>Printer:1</c> with PrintBasic:1 (and icons): the SSDP presence of a network printer, 4 pairs.</summary>
    Printer,

    /// <summary><c>Scanner:1</c> with Scan:1 and ExternalActivity:1 (and icons): the SSDP presence of a network scanner, 5 pairs.</summary>
    Scanner,
}
