using System.Net;
using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Core.Recording;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Dpws;

/// <summary>
/// Finds DPWS devices: from WS-Discovery devices (their types and HTTP XAddrs) or from the SOAP-over-HTTP traffic of a
/// session (devices that answered a metadata Get, or WS-Scan / WS-Print requests). A DPWS device's id is
/// <c>dpws:</c> + its endpoint reference, so that it never collides with the same box's WS-Discovery device.
/// </summary>
public static class DpwsDevices
{
    /// <summary>The prefix of a DPWS device's id.</summary>
    public const string IdPrefix = "dpws:";

    /// <summary>Metadata key: the HTTP XAddrs, space-separated.</summary>
    public const string XAddrsKey = WsdDevices.XAddrsKey;

    /// <summary>Metadata key: the types, space-separated, as <c>{namespace}local</c>.</summary>
    public const string TypesKey = WsdDevices.TypesKey;

    /// <summary>Metadata key: the hosted service URLs learnt from a GetResponse, space-separated.</summary>
    public const string ServicesKey = "services";

    private const string Scan = "http://schemas.microsoft.com/windows/2006/08/wdp/scan";
    private const string Print = "http://schemas.microsoft.com/windows/2006/08/wdp/print";

    /// <summary>
    /// The DPWS devices among WS-Discovery devices: those whose types include <c>wsdp:Device</c> (2006/02 or 2009/01), a
    /// WS-Scan or a WS-Print device type, and that have at least one http(s) XAddr. Roles: DpwsDevice, plus
    /// ScannerService for <c>wscn:ScanDeviceType</c> and PrinterService for <c>wprt:PrintDeviceType</c>. Addresses are the
    /// XAddrs' literal hosts and ports.
    /// </summary>
    public static IReadOnlyList<Device> FromDiscovery(IEnumerable<Device> wsdDevices)
    {
        ArgumentNullException.ThrowIfNull(wsdDevices);
        var devices = new List<Device>();
        foreach (var wsd in wsdDevices)
        {
            var types = WsdDevices.Types(wsd);
            var isDpws = types.Any(t => t.LocalName == "Device" && (t.Namespace == DpwsNamespaces.Devprof || t.Namespace == DpwsNamespaces.Dpws11));
            var isScanner = types.Any(t => t.LocalName == "ScanDeviceType" && t.Namespace == Scan);
            var isPrinter = types.Any(t => t.LocalName == "PrintDeviceType" && t.Namespace == Print);
            var xaddrs = WsdDevices.List(wsd, WsdDevices.XAddrsKey).Where(IsHttp).Take(8).ToList();
            if (!(isDpws || isScanner || isPrinter) || xaddrs.Count == 0)
            {
                continue;
            }

            var epr = wsd.EndpointReference ?? wsd.Id;
            var roles = new List<DeviceRole> { DeviceRole.DpwsDevice };
            if (isScanner)
            {
                roles.Add(DeviceRole.ScannerService);
            }

            if (isPrinter)
            {
                roles.Add(DeviceRole.PrinterService);
            }

            devices.Add(new Device(IdPrefix + epr, Protocols.Dpws, roles)
            {
                DisplayName = wsd.DisplayName,
                EndpointReference = epr,
                Addresses = [.. xaddrs.Select(EndPointOf).OfType<IPEndPoint>().Distinct()],
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [XAddrsKey] = string.Join(' ', xaddrs),
                    [TypesKey] = wsd.Metadata.GetValueOrDefault(WsdDevices.TypesKey) ?? string.Empty,
                },
            });
        }

        return [.. devices.OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The DPWS devices in a session's records: one per endpoint reference that answered a WS-Transfer Get (roles from
    /// the hosted service types, addresses from where the Get went and the hosted services' URLs), then one per server
    /// that answered WS-Scan or WS-Print requests without a Get in the records.
    /// </summary>
    public static IReadOnlyList<Device> FromTraffic(IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var view = DpwsView.Of(records);
        var byEpr = new Dictionary<string, Accumulator>(StringComparer.OrdinalIgnoreCase);
        foreach (var exchange in view.Exchanges)
        {
            if (exchange.Action != DpwsActions.TransferGet || exchange.ResponseEnvelope is not { IsFault: false } response || response.BodyElement is not { } body)
            {
                continue;
            }

            var epr = exchange.RequestEnvelope?.Header.To;
            if (string.IsNullOrWhiteSpace(epr) || epr.Length > 2048 || !Uri.TryCreate(epr, UriKind.Absolute, out _))
            {
                continue;
            }

            if (!byEpr.TryGetValue(epr, out var accumulator))
            {
                accumulator = new Accumulator(epr);
                byEpr.Add(epr, accumulator);
            }

            accumulator.AddGet(exchange, body);
        }

        var devices = byEpr.Values.Select(a => a.ToDevice()).ToList();
        var bare = new Dictionary<IPEndPoint, Accumulator>();
        foreach (var exchange in view.Exchanges)
        {
            if (exchange.Response is null || exchange.Action is not { } action || devices.Any(d => d.IsAt(exchange.Server)))
            {
                continue;
            }

            var scan = action.StartsWith(Scan + "/", StringComparison.Ordinal);
            var print = action.StartsWith(Print + "/", StringComparison.Ordinal);
            if (!scan && !print)
            {
                continue;
            }

            if (!bare.TryGetValue(exchange.Server, out var accumulator))
            {
                accumulator = new Accumulator("http://" + exchange.Server);
                bare.Add(exchange.Server, accumulator);
            }

            accumulator.AddService(exchange.Server, scan, print);
        }

        devices.AddRange(bare.Values.Select(a => a.ToDevice()));
        return [.. devices.OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>A device's HTTP XAddrs from its metadata, as absolute URLs.</summary>
    public static IReadOnlyList<Uri> XAddrs(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return [.. WsdDevices.List(device, XAddrsKey).Select(x => Uri.TryCreate(x, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().Where(u => IsHttp(u.ToString()))];
    }

    internal static bool IsHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The literal host and port of an http(s) URL, or null (host names).</summary>
    internal static IPEndPoint? EndPointOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
            ? new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, uri.Port)
            : null;

    /// <summary>The hosted service URLs of a GetResponse body (relative ones resolved against <paramref name="baseUri"/>).</summary>
    internal static IEnumerable<string> HostedAddresses(XElement body, Uri? baseUri) =>
        body.Descendants().Where(e => e.Name.LocalName == "Hosted")
            .SelectMany(h => h.Elements().Where(e => e.Name.LocalName == "EndpointReference"))
            .SelectMany(r => r.Elements().Where(e => e.Name.LocalName == "Address"))
            .Select(a => a.Value.Trim())
            .Select(a => baseUri is not null && Uri.TryCreate(baseUri, a, out var u) ? u.ToString() : a)
            .Where(IsHttp)
            .Take(16);

    private sealed class Accumulator(string id)
    {
        private readonly HashSet<IPEndPoint> _addresses = [];
        private readonly List<string> _services = [];
        private readonly List<string> _xaddrs = [];
        private bool _scanner;
        private bool _printer;
        private string? _name;
        private bool _fromGet;

        public void AddGet(DpwsExchange exchange, XElement body)
        {
            _fromGet = true;
            _addresses.Add(exchange.Server);
            var xaddr = exchange.Request.Host is { } host ? "http://" + host + exchange.Request.Target : null;
            if (xaddr is not null && IsHttp(xaddr) && !_xaddrs.Contains(xaddr, StringComparer.Ordinal) && _xaddrs.Count < 8)
            {
                _xaddrs.Add(xaddr);
            }

            Uri.TryCreate(xaddr, UriKind.Absolute, out var baseUri);
            foreach (var service in HostedAddresses(body, baseUri))
            {
                if (!_services.Contains(service, StringComparer.Ordinal))
                {
                    _services.Add(service);
                }

                if (EndPointOf(service) is { } endPoint)
                {
                    _addresses.Add(endPoint);
                }
            }

            foreach (var types in body.Descendants().Where(e => e.Name.LocalName == "Types" && e.Parent?.Name.LocalName == "Hosted"))
            {
                var text = types.Value;
                _scanner |= text.Contains("ScannerServiceType", StringComparison.Ordinal);
                _printer |= text.Contains("PrinterServiceType", StringComparison.Ordinal);
            }

            _name ??= body.Descendants().FirstOrDefault(e => e.Name.LocalName == "FriendlyName")?.Value.Trim();
        }

        public void AddService(IPEndPoint server, bool scan, bool print)
        {
            _addresses.Add(server);
            _scanner |= scan;
            _printer |= print;
        }

        public Device ToDevice()
        {
            var roles = new List<DeviceRole> { DeviceRole.DpwsDevice };
            if (_scanner)
            {
                roles.Add(DeviceRole.ScannerService);
            }

            if (_printer)
            {
                roles.Add(DeviceRole.PrinterService);
            }

            return new Device(IdPrefix + id, Protocols.Dpws, roles)
            {
                DisplayName = string.IsNullOrWhiteSpace(_name) ? null : _name,
                EndpointReference = _fromGet ? id : null,
                Addresses = [.. _addresses],
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [XAddrsKey] = string.Join(' ', _xaddrs),
                    [ServicesKey] = string.Join(' ', _services),
                },
            };
        }
    }
}
