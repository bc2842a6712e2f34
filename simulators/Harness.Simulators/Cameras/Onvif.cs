using Harness.WsDiscovery.Messages;

namespace Harness.Simulators.Cameras;

/// <summary>ONVIF discovery constants (ONVIF Core Specification, "Device discovery").</summary>
public static class Onvif
{
    /// <summary>The ONVIF network WSDL namespace (<c>dn:</c>).</summary>
    public const string NetworkNamespace = "http://www.onvif.org/ver10/network/wsdl";

    /// <summary>The ONVIF device service namespace (<c>tds:</c>).</summary>
    public const string DeviceNamespace = "http://www.onvif.org/ver10/device/wsdl";

    /// <summary>The scope prefix every ONVIF scope starts with.</summary>
    public const string ScopePrefix = "onvif://www.onvif.org/";

    /// <summary><c>dn:NetworkVideoTransmitter</c>: what legacy clients probe for.</summary>
    public static WsdQName NetworkVideoTransmitter { get; } = WsdQName.Create(NetworkNamespace, "NetworkVideoTransmitter", "dn");

    /// <summary><c>tds:Device</c>: required in Hello and ProbeMatch types.</summary>
    public static WsdQName Device { get; } = WsdQName.Create(DeviceNamespace, "Device", "tds");

    /// <summary>A scope <c>onvif://www.onvif.org/{path}</c> with each segment percent-encoded.</summary>
    public static string Scope(params string[] segments) =>
        ScopePrefix + string.Join('/', segments.Select(Uri.EscapeDataString));
}
