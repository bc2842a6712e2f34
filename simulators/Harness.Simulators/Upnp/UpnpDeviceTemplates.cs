using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Harness.Simulators.Identity;
using Harness.Ssdp.Description;
using SkiaSharp;

namespace Harness.Simulators.Upnp;

/// <summary>What a simulated UPnP root serves: its description, one SCPD per service, its icons and a presentation page.</summary>
/// <param name="Description">The description model.</param>
/// <param name="BasePath">The path every URL of the device starts with, e.g. <c>/upnp/0f3…/</c>.</param>
/// <param name="DescriptionPath">Where the description is served (LOCATION's path).</param>
/// <param name="Scpds">SCPD documents by path.</param>
/// <param name="Icons">Icon images by path.</param>
/// <param name="ControlPaths">controlURL and eventSubURL paths.</param>
/// <param name="PresentationPath">The presentation page's path.</param>
internal sealed record UpnpDeviceLayout(
    UpnpDescription Description,
    string BasePath,
    string DescriptionPath,
    IReadOnlyDictionary<string, byte[]> Scpds,
    IReadOnlyDictionary<string, byte[]> Icons,
    IReadOnlyList<string> ControlPaths,
    string PresentationPath);

/// <summary>
/// The device and service templates of the simulated kinds (UPnP DCPs: MediaServer:1, MediaRenderer:1,
/// InternetGatewayDevice:1 as miniupnpd lays it out, Printer:1, Scanner:1), filled from a seeded identity. SCPDs are
/// minimal but valid: a few real actions of each service with their state variables.
/// </summary>
internal static class UpnpDeviceTemplates
{
    private const string Schemas = "urn:schemas-upnp-org:";
    private static readonly XNamespace ServiceNs = "urn:schemas-upnp-org:service-1-0";
    private static readonly XNamespace Dlna = "urn:schemas-dlna-org:device-1-0";

    private static readonly ServiceDef ConnectionManager = new(
        "ConnectionManager",
        "ConnectionManager",
        [
            new("GetProtocolInfo", [new("Source", true, "SourceProtocolInfo"), new("Sink", true, "SinkProtocolInfo")]),
            new("GetCurrentConnectionIDs", [new("ConnectionIDs", true, "CurrentConnectionIDs")]),
        ],
        [new("SourceProtocolInfo", "string", true), new("SinkProtocolInfo", "string", true), new("CurrentConnectionIDs", "string", true)]);

    private static readonly ServiceDef ContentDirectory = new(
        "ContentDirectory",
        "ContentDirectory",
        [
            new("GetSearchCapabilities", [new("SearchCaps", true, "SearchCapabilities")]),
            new("GetSortCapabilities", [new("SortCaps", true, "SortCapabilities")]),
            new("GetSystemUpdateID", [new("Id", true, "SystemUpdateID")]),
        ],
        [new("SearchCapabilities", "string", false), new("SortCapabilities", "string", false), new("SystemUpdateID", "ui4", true)]);

    private static readonly ServiceDef AvTransport = new(
        "AVTransport",
        "AVTransport",
        [
            new("GetTransportInfo",
            [
                new("InstanceID", false, "A_ARG_TYPE_InstanceID"),
                new("CurrentTransportState", true, "TransportState"),
                new("CurrentTransportStatus", true, "TransportStatus"),
                new("CurrentSpeed", true, "TransportPlaySpeed"),
            ]),
        ],
        [
            new("TransportState", "string", false, ["STOPPED", "PLAYING", "TRANSITIONING", "NO_MEDIA_PRESENT"]),
            new("TransportStatus", "string", false, ["OK", "ERROR_OCCURRED"]),
            new("TransportPlaySpeed", "string", false, ["1"]),
            new("LastChange", "string", true),
            new("A_ARG_TYPE_InstanceID", "ui4", false),
        ]);

    private static readonly ServiceDef RenderingControl = new(
        "RenderingControl",
        "RenderingControl",
        [
            new("GetVolume",
            [
                new("InstanceID", false, "A_ARG_TYPE_InstanceID"),
                new("Channel", false, "A_ARG_TYPE_Channel"),
                new("CurrentVolume", true, "Volume"),
            ]),
        ],
        [
            new("LastChange", "string", true),
            new("Volume", "ui2", false),
            new("A_ARG_TYPE_Channel", "string", false, ["Master"]),
            new("A_ARG_TYPE_InstanceID", "ui4", false),
        ]);

    private static readonly ServiceDef Layer3Forwarding = new(
        "Layer3Forwarding",
        "L3Forwarding1",
        [new("GetDefaultConnectionService", [new("NewDefaultConnectionService", true, "DefaultConnectionService")])],
        [new("DefaultConnectionService", "string", true)]);

    private static readonly ServiceDef WanCommonInterfaceConfig = new(
        "WANCommonInterfaceConfig",
        "WANCommonIFC1",
        [
            new("GetCommonLinkProperties",
            [
                new("NewWANAccessType", true, "WANAccessType"),
                new("NewLayer1UpstreamMaxBitRate", true, "Layer1UpstreamMaxBitRate"),
                new("NewLayer1DownstreamMaxBitRate", true, "Layer1DownstreamMaxBitRate"),
                new("NewPhysicalLinkStatus", true, "PhysicalLinkStatus"),
            ]),
        ],
        [
            new("WANAccessType", "string", false, ["DSL", "POTS", "Cable", "Ethernet"]),
            new("Layer1UpstreamMaxBitRate", "ui4", false),
            new("Layer1DownstreamMaxBitRate", "ui4", false),
            new("PhysicalLinkStatus", "string", true, ["Up", "Down"]),
        ]);

    private static readonly ServiceDef WanIpConnection = new(
        "WANIPConnection",
        "WANIPConn1",
        [
            new("GetExternalIPAddress", [new("NewExternalIPAddress", true, "ExternalIPAddress")]),
            new("GetStatusInfo",
            [
                new("NewConnectionStatus", true, "ConnectionStatus"),
                new("NewLastConnectionError", true, "LastConnectionError"),
                new("NewUptime", true, "Uptime"),
            ]),
        ],
        [
            new("ExternalIPAddress", "string", true),
            new("ConnectionStatus", "string", true, ["Unconfigured", "Connected", "Disconnected"]),
            new("LastConnectionError", "string", false, ["ERROR_NONE"]),
            new("Uptime", "ui4", false),
        ]);

    private static readonly ServiceDef PrintBasic = new(
        "PrintBasic",
        "PrintBasic",
        [new("GetPrinterAttributes", [new("PrinterState", true, "PrinterState"), new("PrinterStateReasons", true, "PrinterStateReasons")])],
        [new("PrinterState", "string", true, ["idle", "processing", "stopped"]), new("PrinterStateReasons", "string", true)]);

    private static readonly ServiceDef Scan = new(
        "Scan",
        "Scan",
        [new("GetScannerState", [new("ScannerState", true, "ScannerState")])],
        [new("ScannerState", "string", true, ["Idle", "Processing", "Stopped"])]);

    private static readonly ServiceDef ExternalActivity = new(
        "ExternalActivity",
        "ExternalActivity",
        [new("GetExternalActivity", [new("Activity", true, "ExternalActivity")])],
        [new("ExternalActivity", "string", true, ["None", "ScanButton"])]);

    /// <summary>The root device type of a kind, e.g. <c>urn:schemas-upnp-org:device:MediaServer:1</c>.</summary>
    public static string DeviceType(UpnpDeviceKind kind) => Schemas + "device:" + kind switch
    {
        UpnpDeviceKind.MediaServer => "MediaServer:1",
        UpnpDeviceKind.MediaRenderer => "MediaRenderer:1",
        UpnpDeviceKind.InternetGateway => "InternetGatewayDevice:1",
        UpnpDeviceKind.Printer => "Printer:1",
        UpnpDeviceKind.Scanner => "Scanner:1",
        _ => "Basic:1",
    };

    /// <summary>What a kind is called in a friendly name.</summary>
    public static string Label(UpnpDeviceKind kind) => kind switch
    {
        UpnpDeviceKind.MediaServer => "Media Server",
        UpnpDeviceKind.MediaRenderer => "Media Renderer",
        UpnpDeviceKind.InternetGateway => "Router",
        UpnpDeviceKind.Printer => "Printer",
        UpnpDeviceKind.Scanner => "Scanner",
        _ => "Device",
    };

    /// <summary>The model prefix of a kind (the identity's <c>MS-1234A</c> becomes e.g. <c>GW-1234A</c>).</summary>
    public static string ModelPrefix(UpnpDeviceKind kind) => kind switch
    {
        UpnpDeviceKind.MediaServer => "MS",
        UpnpDeviceKind.MediaRenderer => "MR",
        UpnpDeviceKind.InternetGateway => "GW",
        UpnpDeviceKind.Printer => "LP",
        UpnpDeviceKind.Scanner => "SC",
        _ => "BD",
    };

    /// <summary>Lays out a root device of <paramref name="kind"/> for <paramref name="identity"/>.</summary>
    public static UpnpDeviceLayout Create(UpnpDeviceKind kind, DeviceIdentity identity, UpnpSpecVersion version, int? configId)
    {
        var uuid = identity.Uuid;
        var basePath = "/upnp/" + uuid.ToString("N") + "/";
        var scpds = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var icons = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var controls = new List<string>();
        List<UpnpService> Services(params ServiceDef[] defs)
        {
            var list = new List<UpnpService>();
            foreach (var def in defs)
            {
                var scpd = basePath + def.Id + ".xml";
                var control = basePath + "control/" + def.Id;
                var events = basePath + "event/" + def.Id;
                scpds[scpd] = WriteScpd(def, version, configId);
                controls.Add(control);
                controls.Add(events);
                list.Add(new UpnpService(Schemas + "service:" + def.Type + ":1", "urn:upnp-org:serviceId:" + def.Id, scpd, control, events));
            }

            return list;
        }

        IReadOnlyList<UpnpIcon> Icons()
        {
            var color = new SKColor((byte)(uuid.GetHashCode() & 0xFF), (byte)((int)kind * 40), 160);
            var list = new List<UpnpIcon>();
            foreach (var size in (int[])[48, 120])
            {
                var path = basePath + "icon-" + size.ToString(CultureInfo.InvariantCulture) + ".png";
                icons[path] = RenderIcon(size, color);
                list.Add(new UpnpIcon("image/png", size, size, 24, path));
            }

            return list;
        }

        var presentation = basePath + "index.html";
        var root = new UpnpDevice
        {
            DeviceType = DeviceType(kind),
            FriendlyName = identity.Name,
            Manufacturer = identity.Manufacturer,
            ModelDescription = "Harness simulated " + Label(kind).ToLowerInvariant(),
            ModelName = identity.Model,
            ModelNumber = identity.FirmwareVersion,
            SerialNumber = identity.SerialNumber,
            Udn = UpnpUuid.Udn(uuid),
            PresentationUrl = presentation,
        };
        root = kind switch
        {
            UpnpDeviceKind.MediaServer => root with
            {
                Icons = Icons(),
                Services = Services(ContentDirectory, ConnectionManager),
                Extensions = [new XElement(Dlna + "X_DLNADOC", new XAttribute(XNamespace.Xmlns + "dlna", Dlna.NamespaceName), "DMS-1.50")],
            },
            UpnpDeviceKind.MediaRenderer => root with
            {
                Icons = Icons(),
                Services = Services(RenderingControl, ConnectionManager, AvTransport),
                Extensions = [new XElement(Dlna + "X_DLNADOC", new XAttribute(XNamespace.Xmlns + "dlna", Dlna.NamespaceName), "DMR-1.50")],
            },
            UpnpDeviceKind.InternetGateway => root with
            {
                Services = Services(Layer3Forwarding),
                Devices =
                [
                    Embedded(root, uuid, "WANDevice", "WAN Device") with
                    {
                        Services = Services(WanCommonInterfaceConfig),
                        Devices = [Embedded(root, uuid, "WANConnectionDevice", "WAN Connection Device") with { Services = Services(WanIpConnection) }],
                    },
                ],
            },
            UpnpDeviceKind.Printer => root with { Icons = Icons(), Services = Services(PrintBasic) },
            UpnpDeviceKind.Scanner => root with { Icons = Icons(), Services = Services(Scan, ExternalActivity) },
            _ => root,
        };
        var description = new UpnpDescription { SpecVersion = version, ConfigId = configId, Device = root };
        return new UpnpDeviceLayout(description, basePath, basePath + "description.xml", scpds, icons, controls, presentation);
    }

    /// <summary>A minimal but valid SCPD (UDA 1.1 §2.5): specVersion, actionList, serviceStateTable.</summary>
    public static byte[] WriteScpd(ServiceDef def, UpnpSpecVersion version, int? configId)
    {
        var scpd = new XElement(
            ServiceNs + "scpd",
            configId is { } id ? new XAttribute("configId", id.ToString(CultureInfo.InvariantCulture)) : null,
            new XElement(
                ServiceNs + "specVersion",
                new XElement(ServiceNs + "major", version.Major.ToString(CultureInfo.InvariantCulture)),
                new XElement(ServiceNs + "minor", version.Minor.ToString(CultureInfo.InvariantCulture))),
            new XElement(ServiceNs + "actionList", def.Actions.Select(action => new XElement(
                ServiceNs + "action",
                new XElement(ServiceNs + "name", action.Name),
                new XElement(ServiceNs + "argumentList", action.Arguments.Select(argument => new XElement(
                    ServiceNs + "argument",
                    new XElement(ServiceNs + "name", argument.Name),
                    new XElement(ServiceNs + "direction", argument.Out ? "out" : "in"),
                    new XElement(ServiceNs + "relatedStateVariable", argument.Variable))))))),
            new XElement(ServiceNs + "serviceStateTable", def.Variables.Select(variable => new XElement(
                ServiceNs + "stateVariable",
                new XAttribute("sendEvents", variable.Events ? "yes" : "no"),
                new XElement(ServiceNs + "name", variable.Name),
                new XElement(ServiceNs + "dataType", variable.DataType),
                variable.Allowed is { Count: > 0 } allowed
                    ? new XElement(ServiceNs + "allowedValueList", allowed.Select(v => new XElement(ServiceNs + "allowedValue", v)))
                    : null))));
        return WriteXml(scpd);
    }

    /// <summary>UTF-8 without BOM, CRLF, two-space indent (the form of <see cref="UpnpDescriptionWriter"/>).</summary>
    public static byte[] WriteXml(XElement root)
    {
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\r\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using (var writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }

        stream.Write("\r\n"u8);
        return stream.ToArray();
    }

    /// <summary>The presentation page (HTML, names escaped).</summary>
    public static byte[] PresentationPage(UpnpDescription description)
    {
        var name = System.Net.WebUtility.HtmlEncode(description.Device.FriendlyName);
        var model = System.Net.WebUtility.HtmlEncode(description.Device.Manufacturer + " " + description.Device.ModelName);
        return Encoding.UTF8.GetBytes($"<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>{name}</title></head><body><h1>{name}</h1><p>{model}</p></body></html>\r\n");
    }

    /// <summary>The SOAP fault a control URL answers with: UPnP error 401 Invalid Action (UDA 1.1 §3.2.2).</summary>
    public static byte[] InvalidActionFault() => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
        + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
        + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
        + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>401</errorCode><errorDescription>Invalid Action</errorDescription></UPnPError>"
        + "</detail></s:Fault></s:Body></s:Envelope>\r\n");

    private static UpnpDevice Embedded(UpnpDevice root, Guid uuid, string type, string label) => new()
    {
        DeviceType = Schemas + "device:" + type + ":1",
        FriendlyName = Trim(root.FriendlyName + " " + label, 63),
        Manufacturer = root.Manufacturer,
        ModelDescription = root.ModelDescription,
        ModelName = root.ModelName,
        ModelNumber = root.ModelNumber,
        SerialNumber = root.SerialNumber,
        Udn = UpnpUuid.Udn(UpnpUuid.Derive(uuid, type)),
    };

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..max];

    private static byte[] RenderIcon(int size, SKColor color)
    {
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(color);
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = false };
            canvas.DrawRect(size / 4f, size / 4f, size / 2f, size / 2f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A service of a template: its type name (version 1), serviceId suffix, actions and state variables.</summary>
    internal sealed record ServiceDef(string Type, string Id, IReadOnlyList<ActionDef> Actions, IReadOnlyList<VariableDef> Variables);

    /// <summary>An action and its arguments.</summary>
    internal sealed record ActionDef(string Name, IReadOnlyList<ArgumentDef> Arguments);

    /// <summary>An argument: its name, direction and related state variable.</summary>
    internal sealed record ArgumentDef(string Name, bool Out, string Variable);

    /// <summary>A state variable.</summary>
    internal sealed record VariableDef(string Name, string DataType, bool Events, IReadOnlyList<string>? Allowed = null);
}
