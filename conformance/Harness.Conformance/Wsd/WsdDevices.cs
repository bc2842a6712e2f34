using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Wsd;

/// <summary>
/// Finds the WS-Discovery target services in a session (live or from a capture): one <see cref="Device"/> per endpoint
/// reference address seen in a Hello, ProbeMatch or ResolveMatch the harness received. Devices of a simulated fleet
/// share 127.0.0.1 on loopback, so identity is the EPR, never the IP address.
/// </summary>
public static class WsdDevices
{
    /// <summary>Metadata key: the types, space-separated, as <c>{namespace}local</c>.</summary>
    public const string TypesKey = "types";

    /// <summary>Metadata key: the scopes, space-separated.</summary>
    public const string ScopesKey = "scopes";

    /// <summary>Metadata key: the XAddrs, space-separated.</summary>
    public const string XAddrsKey = "xaddrs";

    /// <summary>Metadata key: the highest MetadataVersion seen.</summary>
    public const string MetadataVersionKey = "metadataVersion";

    /// <summary>Metadata key: the families seen, <c>2005</c> and/or <c>1.1</c>, space-separated.</summary>
    public const string FamiliesKey = "families";

    /// <summary>Metadata key: where directed (unicast) requests go, <c>address:port</c>.</summary>
    public const string UnicastEndPointKey = "unicastEndPoint";

    /// <summary>The ONVIF device service namespace (<c>tds:</c>).</summary>
    public const string OnvifDeviceNamespace = "http://www.onvif.org/ver10/device/wsdl";

    /// <summary>The ONVIF network namespace (<c>dn:</c>).</summary>
    public const string OnvifNetworkNamespace = "http://www.onvif.org/ver10/network/wsdl";

    /// <summary>The prefix every ONVIF scope starts with.</summary>
    public const string OnvifScopePrefix = "onvif://www.onvif.org/";

    /// <summary>
    /// The devices in <paramref name="records"/>, ordered by id: id = EPR address; roles TargetService, plus
    /// NetworkVideoTransmitter when the types include <c>tds:Device</c> or <c>dn:NetworkVideoTransmitter</c> (or the
    /// scopes are ONVIF's); display name from the ONVIF <c>name</c> scope (untrusted); addresses = where its messages
    /// came from, its XAddr hosts (any port) and its unicast discovery endpoint.
    /// </summary>
    public static IReadOnlyList<Device> FromSession(IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var view = WsdView.Of(records);
        var seen = new Dictionary<string, Accumulator>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in view.Items)
        {
            if (!item.IsInbound || item.Message is not (WsdHello or WsdProbeMatches or WsdResolveMatches))
            {
                continue;
            }

            foreach (var endpoint in item.Endpoints)
            {
                var address = endpoint.Endpoint.Address;
                if (string.IsNullOrWhiteSpace(address) || address.Length > 2048)
                {
                    continue;
                }

                if (!seen.TryGetValue(address, out var accumulator))
                {
                    accumulator = new Accumulator(address);
                    seen.Add(address, accumulator);
                }

                accumulator.Add(item, endpoint);
            }
        }

        return [.. seen.Values.Select(a => a.ToDevice()).OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>The endpoint a device's directed (unicast) requests go to, from its metadata, or null.</summary>
    public static IPEndPoint? UnicastEndPoint(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Metadata.TryGetValue(UnicastEndPointKey, out var text) && IPEndPoint.TryParse(text, out var endPoint) ? endPoint : null;
    }

    /// <summary>The families a device was seen speaking (2005 first), from its metadata.</summary>
    public static IReadOnlyList<WsdProtocol> Families(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var text = device.Metadata.GetValueOrDefault(FamiliesKey) ?? string.Empty;
        var families = new List<WsdProtocol>();
        if (text.Contains("2005", StringComparison.Ordinal))
        {
            families.Add(WsdProtocol.V2005);
        }

        if (text.Contains("1.1", StringComparison.Ordinal))
        {
            families.Add(WsdProtocol.V11);
        }

        return families;
    }

    /// <summary>A list value of the device's metadata (types, scopes, XAddrs).</summary>
    public static IReadOnlyList<string> List(Device device, string key)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Metadata.TryGetValue(key, out var text)
            ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
    }

    /// <summary>The device's types as expanded names.</summary>
    public static IReadOnlyList<WsdQName> Types(Device device) =>
        [.. List(device, TypesKey).Select(ParseExpanded).OfType<WsdQName>()];

    /// <summary>The readable form of a type in metadata: <c>{namespace}local</c>.</summary>
    public static string Expanded(WsdQName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "{" + name.Namespace + "}" + name.LocalName;
    }

    private static WsdQName? ParseExpanded(string text)
    {
        var close = text.IndexOf('}', StringComparison.Ordinal);
        return text.StartsWith('{') && close > 0 && close < text.Length - 1
            ? new WsdQName(text[1..close], text[(close + 1)..])
            : null;
    }

    internal static bool IsOnvif(IEnumerable<WsdQName> types, IEnumerable<string> scopes) =>
        types.Any(t => (t.Namespace == OnvifDeviceNamespace && t.LocalName == "Device") || (t.Namespace == OnvifNetworkNamespace && t.LocalName == "NetworkVideoTransmitter"))
        || scopes.Any(s => s.StartsWith(OnvifScopePrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value of the first ONVIF <c>name</c> scope, percent-decoded, or null.</summary>
    internal static string? OnvifName(IEnumerable<string> scopes)
    {
        var scope = scopes.FirstOrDefault(s => s.StartsWith(OnvifScopePrefix + "name/", StringComparison.OrdinalIgnoreCase));
        if (scope is null)
        {
            return null;
        }

        var raw = scope[(OnvifScopePrefix.Length + 5)..];
        try
        {
            return Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            return raw;
        }
    }

    /// <summary>The IP literal host of a URL, or null (host names, bad URLs).</summary>
    internal static IPAddress? HostAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
            ? address
            : null;

    private sealed class Accumulator(string address)
    {
        private readonly List<WsdQName> _types = [];
        private readonly List<string> _xaddrs = [];
        private readonly HashSet<IPEndPoint> _sources = [];
        private readonly HashSet<WsdVersion> _families = [];
        private IReadOnlyList<string> _scopes = [];
        private ulong? _metadataVersion;
        private IPEndPoint? _helloSource;
        private IPEndPoint? _firstSource;

        public void Add(WsdItem item, WsdEndpointData endpoint)
        {
            _families.Add(item.Message!.Protocol.Version);
            _sources.Add(item.Record.Source);
            _firstSource ??= item.Record.Source;
            if (item.Message is WsdHello)
            {
                _helloSource ??= item.Record.Source;
            }

            foreach (var type in endpoint.Types)
            {
                if (!_types.Contains(type) && _types.Count < 64)
                {
                    _types.Add(type);
                }
            }

            if (endpoint.Scopes.Count > 0)
            {
                _scopes = [.. endpoint.Scopes.Take(256)];
            }

            foreach (var xaddr in endpoint.XAddrs)
            {
                if (!_xaddrs.Contains(xaddr, StringComparer.Ordinal) && _xaddrs.Count < 32)
                {
                    _xaddrs.Add(xaddr);
                }
            }

            if (endpoint.MetadataVersion is { } version && (_metadataVersion is null || version > _metadataVersion))
            {
                _metadataVersion = version;
            }
        }

        public Device ToDevice()
        {
            var roles = new List<DeviceRole> { DeviceRole.TargetService };
            if (IsOnvif(_types, _scopes))
            {
                roles.Add(DeviceRole.NetworkVideoTransmitter);
            }

            var unicast = ChooseUnicast();
            var addresses = new List<IPEndPoint>(_sources);
            if (unicast is not null && !addresses.Contains(unicast))
            {
                addresses.Add(unicast);
            }

            foreach (var host in _xaddrs.Select(HostAddress).OfType<IPAddress>().Distinct())
            {
                addresses.Add(new IPEndPoint(host, 0));
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [TypesKey] = string.Join(' ', _types.Select(Expanded)),
                [ScopesKey] = string.Join(' ', _scopes),
                [XAddrsKey] = string.Join(' ', _xaddrs),
                [FamiliesKey] = string.Join(' ', _families.Order().Select(v => v == WsdVersion.V2005 ? "2005" : "1.1")),
            };
            if (_metadataVersion is { } version)
            {
                metadata[MetadataVersionKey] = version.ToString(CultureInfo.InvariantCulture);
            }

            if (unicast is not null)
            {
                metadata[UnicastEndPointKey] = unicast.ToString();
            }

            return new Device(address, Protocols.Wsd, roles)
            {
                DisplayName = OnvifName(_scopes),
                EndpointReference = address,
                Addresses = addresses,
                Metadata = metadata,
            };
        }

        /// <summary>
        /// The device's unicast discovery endpoint: the port its announcements come from; on loopback the first loopback
        /// XAddr host, else the address its messages come from.
        /// </summary>
        private IPEndPoint? ChooseUnicast()
        {
            var source = _helloSource ?? _firstSource;
            if (source is null)
            {
                return null;
            }

            // On loopback, simulated devices of a fleet share the source 127.0.0.1 but each has an address of its own
            // in 127/8, which its XAddrs carry; elsewhere a device is where its messages come from.
            var sourceAddress = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
            if (IPAddress.IsLoopback(sourceAddress))
            {
                foreach (var host in _xaddrs.Select(HostAddress).OfType<IPAddress>())
                {
                    if (host.AddressFamily == sourceAddress.AddressFamily && IPAddress.IsLoopback(host)
                        && (host.AddressFamily != AddressFamily.InterNetworkV6 || !host.IsIPv6LinkLocal))
                    {
                        return new IPEndPoint(host, source.Port);
                    }
                }
            }

            return new IPEndPoint(sourceAddress, source.Port);
        }
    }
}
