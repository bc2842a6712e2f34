using System.Globalization;
using System.Net;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.Ssdp.Messages;

namespace Harness.Conformance.Ssdp;

/// <summary>
/// Finds the UPnP root devices (and, in captures, the control points) in a session, live or from a capture: one
/// <see cref="Device"/> per root UDN seen in a NOTIFY or a search response the harness received. Embedded devices belong
/// to the root whose LOCATION they share (and to the root whose recorded description lists them). Devices of a fleet
/// share 127.0.0.1 on loopback, so identity is the UDN, never the IP address.
/// </summary>
public static class SsdpDevices
{
    /// <summary>Metadata key: the LOCATION the root device announces (the first seen).</summary>
    public const string LocationKey = "location";

    /// <summary>Metadata key: every LOCATION seen for the device, space-separated.</summary>
    public const string LocationsKey = "locations";

    /// <summary>Metadata key: SERVER (the first seen).</summary>
    public const string ServerKey = "server";

    /// <summary>Metadata key: the UPnP version of SERVER, <c>1.0</c>, <c>1.1</c> or <c>2.0</c> (absent when there is none).</summary>
    public const string UpnpVersionKey = "upnpVersion";

    /// <summary>Metadata key: the UDNs of the root and its embedded devices, space-separated, the root first.</summary>
    public const string UdnsKey = "udns";

    /// <summary>Metadata key: the device types announced, space-separated.</summary>
    public const string DeviceTypesKey = "deviceTypes";

    /// <summary>Metadata key: the service types announced, space-separated.</summary>
    public const string ServiceTypesKey = "serviceTypes";

    /// <summary>Metadata key: SEARCHPORT.UPNP.ORG when announced.</summary>
    public const string SearchPortKey = "searchPort";

    /// <summary>Metadata key: max-age (the first seen).</summary>
    public const string MaxAgeKey = "maxAge";

    /// <summary>Metadata key: the group port its NOTIFYs went to (where multicast searches for it go).</summary>
    public const string MulticastPortKey = "multicastPort";

    private const int MaxDevices = 512;

    /// <summary>
    /// The devices in <paramref name="records"/>, ordered by id: root devices (role <see cref="DeviceRole.UpnpRootDevice"/>,
    /// id = root UDN as sent, display name = the friendly name of a recorded description) and, when
    /// <paramref name="includeControlPoints"/>, control points that sent M-SEARCH (role <see cref="DeviceRole.ControlPoint"/>,
    /// id <c>cp:</c> + address; the harness's own searches, outbound live and marked by their USER-AGENT in a saved session, never count).
    /// </summary>
    public static IReadOnlyList<Device> FromSession(IReadOnlyList<TrafficRecord> records, bool includeControlPoints = true)
    {
        ArgumentNullException.ThrowIfNull(records);
        var view = SsdpView.Of(records);
        var messages = view.Items.Where(i => i.IsInbound && i.Message is SsdpNotify or SsdpSearchResponse && i.Udn is { Length: > 0 }).ToList();
        var roots = new Dictionary<string, Accumulator>(StringComparer.OrdinalIgnoreCase);
        var locationRoot = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (var item in messages.Where(i => i.Target.Kind == SsdpTargetKind.RootDevice))
        {
            var root = GetRoot(roots, item.Udn!);
            if (item.Location is { Length: > 0 } location)
            {
                locationRoot.TryAdd(location, root);
            }
        }

        // Locations nobody announced a root for: the root of the recorded description, else the first UDN seen there.
        foreach (var item in messages.Where(i => i.Location is { Length: > 0 } l && !locationRoot.ContainsKey(l)))
        {
            var location = item.Location!;
            var described = Uri.TryCreate(location, UriKind.Absolute, out var url)
                ? view.Http.FirstOrDefault(h => h.IsFor(url) && h.Description?.Description is not null)?.Description!.Description!.Device.Udn
                : null;
            if (roots.Count < MaxDevices)
            {
                locationRoot[location] = GetRoot(roots, described is { Length: > 0 } ? described : item.Udn!);
            }
        }

        var udnRoot = new Dictionary<string, Accumulator>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in roots.Values)
        {
            udnRoot[root.Udn] = root;
        }

        foreach (var item in messages)
        {
            if (item.Location is { Length: > 0 } location && locationRoot.TryGetValue(location, out var root))
            {
                udnRoot.TryAdd(item.Udn!, root);
            }
        }

        foreach (var item in messages)
        {
            if (udnRoot.TryGetValue(item.Udn!, out var root))
            {
                root.Add(item);
            }
        }

        foreach (var root in roots.Values)
        {
            root.AddDescription(view);
        }

        var devices = roots.Values.Select(r => r.ToDevice()).ToList();
        if (includeControlPoints)
        {
            devices.AddRange(view.Items
                .Where(i => i.IsInbound && i.Message is SsdpSearchRequest search && search.UserAgent?.Contains("HarnessConformance/", StringComparison.Ordinal) != true)
                .GroupBy(i => SsdpView.Normalize(i.Record.Source.Address))
                .Take(64)
                .Select(g => new Device("cp:" + g.Key, Protocols.Ssdp, [DeviceRole.ControlPoint])
                {
                    DisplayName = g.Select(i => i.Search!.CpFriendlyName ?? i.Search.UserAgent).FirstOrDefault(n => n is not null),
                    Addresses = [new IPEndPoint(g.Key, 0)],
                }));
        }

        return [.. devices.OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>The UDNs of the device (root first), from its metadata; the id alone when there are none.</summary>
    public static IReadOnlyList<string> Udns(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var list = List(device, UdnsKey);
        return list.Count > 0 ? list : [device.Id];
    }

    /// <summary>The LOCATION URLs of the device that parse as absolute URLs.</summary>
    public static IReadOnlyList<Uri> Locations(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return [.. List(device, LocationsKey).Select(l => Uri.TryCreate(l, UriKind.Absolute, out var u) ? u : null).OfType<Uri>()];
    }

    /// <summary>A list value of the device's metadata.</summary>
    public static IReadOnlyList<string> List(Device device, string key)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Metadata.TryGetValue(key, out var text) ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
    }

    /// <summary>The UPnP version the device declares in SERVER as 10, 11 or 20; 0 when unknown.</summary>
    public static int UpnpVersion(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Metadata.GetValueOrDefault(UpnpVersionKey) switch
        {
            "1.0" => 10,
            "1.1" => 11,
            "2.0" => 20,
            _ => 0,
        };
    }

    /// <summary>The UPnP version token of a SERVER or USER-AGENT value (<c>1.0</c>, <c>1.1</c>, <c>2.0</c>), or null.</summary>
    public static string? VersionToken(string? server)
    {
        if (server is null)
        {
            return null;
        }

        var at = server.IndexOf("UPnP/", StringComparison.OrdinalIgnoreCase);
        return at >= 0 && server.Length >= at + 8 && char.IsAsciiDigit(server[at + 5]) && server[at + 6] == '.' && char.IsAsciiDigit(server[at + 7])
            ? server.Substring(at + 5, 3)
            : null;
    }

    private static Accumulator GetRoot(Dictionary<string, Accumulator> roots, string udn)
    {
        if (!roots.TryGetValue(udn, out var root))
        {
            root = new Accumulator(udn);
            if (roots.Count < MaxDevices)
            {
                roots.Add(udn, root);
            }
        }

        return root;
    }

    private sealed class Accumulator(string udn)
    {
        private readonly List<string> _udns = [udn];
        private readonly List<string> _locations = [];
        private readonly List<string> _deviceTypes = [];
        private readonly List<string> _serviceTypes = [];
        private readonly HashSet<IPAddress> _sources = [];
        private string? _server;
        private int? _searchPort;
        private int? _maxAge;
        private int? _multicastPort;
        private string? _friendlyName;

        public string Udn { get; } = udn;

        public void Add(SsdpItem item)
        {
            AddUnique(_udns, item.Udn!, 64, StringComparer.OrdinalIgnoreCase);
            if (item.Location is { Length: > 0 and < 2048 } location)
            {
                AddUnique(_locations, location, 16, StringComparer.Ordinal);
            }

            if (item.Target.Kind == SsdpTargetKind.DeviceType)
            {
                AddUnique(_deviceTypes, item.Target.Value, 64, StringComparer.Ordinal);
            }
            else if (item.Target.Kind == SsdpTargetKind.ServiceType)
            {
                AddUnique(_serviceTypes, item.Target.Value, 128, StringComparer.Ordinal);
            }

            if (_sources.Count < 16)
            {
                _sources.Add(SsdpView.Normalize(item.Record.Source.Address));
            }

            _server ??= item.Server;
            _maxAge ??= item.MaxAge;
            if (item.Notify is { } notify)
            {
                _searchPort ??= notify.SearchPort;
                if (item.Record.Destination.Address.IsMulticast())
                {
                    _multicastPort ??= item.Record.Destination.Port;
                }
            }
            else if (item.Response is { } response)
            {
                _searchPort ??= response.SearchPort;
            }
        }

        public void AddDescription(SsdpView view)
        {
            foreach (var location in _locations)
            {
                if (!Uri.TryCreate(location, UriKind.Absolute, out var url))
                {
                    continue;
                }

                var description = view.Http.FirstOrDefault(h => h.IsFor(url) && h.Description?.Description is not null)?.Description!.Description;
                if (description is null)
                {
                    continue;
                }

                _friendlyName ??= description.Device.FriendlyName;
                foreach (var device in description.AllDevices.Take(64))
                {
                    AddUnique(_udns, device.Udn, 64, StringComparer.OrdinalIgnoreCase);
                    AddUnique(_deviceTypes, device.DeviceType, 64, StringComparer.Ordinal);
                    foreach (var service in device.Services.Take(64))
                    {
                        AddUnique(_serviceTypes, service.ServiceType, 128, StringComparer.Ordinal);
                    }
                }

                break;
            }
        }

        public Device ToDevice()
        {
            var addresses = _sources.Select(a => new IPEndPoint(a, 0)).ToList();
            foreach (var location in _locations)
            {
                if (Uri.TryCreate(location, UriKind.Absolute, out var url) && IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var host))
                {
                    var endPoint = new IPEndPoint(SsdpView.Normalize(host), url.Port);
                    if (!addresses.Contains(endPoint))
                    {
                        addresses.Add(endPoint);
                    }
                }
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [UdnsKey] = string.Join(' ', _udns.Where(u => !u.Contains(' ', StringComparison.Ordinal))),
                [LocationsKey] = string.Join(' ', _locations.Where(l => !l.Contains(' ', StringComparison.Ordinal))),
                [DeviceTypesKey] = string.Join(' ', _deviceTypes.Where(t => !t.Contains(' ', StringComparison.Ordinal))),
                [ServiceTypesKey] = string.Join(' ', _serviceTypes.Where(t => !t.Contains(' ', StringComparison.Ordinal))),
            };
            if (_locations.Count > 0)
            {
                metadata[LocationKey] = _locations[0];
            }

            if (_server is not null)
            {
                metadata[ServerKey] = _server;
                if (VersionToken(_server) is { } version)
                {
                    metadata[UpnpVersionKey] = version;
                }
            }

            if (_searchPort is { } searchPort)
            {
                metadata[SearchPortKey] = searchPort.ToString(CultureInfo.InvariantCulture);
            }

            if (_maxAge is { } maxAge)
            {
                metadata[MaxAgeKey] = maxAge.ToString(CultureInfo.InvariantCulture);
            }

            if (_multicastPort is { } port)
            {
                metadata[MulticastPortKey] = port.ToString(CultureInfo.InvariantCulture);
            }

            return new Device(Udn, Protocols.Ssdp, [DeviceRole.UpnpRootDevice])
            {
                DisplayName = _friendlyName,
                EndpointReference = Udn,
                Addresses = addresses,
                Metadata = metadata,
            };
        }

        private static void AddUnique(List<string> list, string value, int max, StringComparer comparer)
        {
            if (list.Count < max && value.Length > 0 && !list.Contains(value, comparer))
            {
                list.Add(value);
            }
        }
    }
}
