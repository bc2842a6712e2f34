using System.Net;

namespace Harness.Conformance.Model;

/// <summary>
/// A device under test, as the discovery of one protocol saw it. A physical box that speaks two protocols
/// appears as two devices. Everything but <see cref="Id"/> and <see cref="Protocol"/> may be device-supplied
/// and is untrusted: reports escape it.
/// </summary>
public sealed record Device
{
    /// <summary>Creates a device.</summary>
    /// <param name="id">Stable identifier (e.g. the WS-Discovery endpoint reference, the UPnP UDN, the XMPP JID).</param>
    /// <param name="protocol">The protocol label, e.g. <see cref="Protocols.Wsd"/>.</param>
    /// <param name="roles">What it plays in that protocol; decides the applicable rules.</param>
    public Device(string id, string protocol, IEnumerable<DeviceRole> roles)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!Protocols.IsValid(protocol))
        {
            throw new ArgumentException($"'{protocol}' is not a protocol label (lower-case letters, digits, '-').", nameof(protocol));
        }

        ArgumentNullException.ThrowIfNull(roles);
        Id = id;
        Protocol = protocol;
        Roles = [.. roles];
    }

    /// <summary>Stable identifier, unique within a run.</summary>
    public string Id { get; }

    /// <summary>The protocol label.</summary>
    public string Protocol { get; }

    /// <summary>The roles it plays.</summary>
    public IReadOnlyList<DeviceRole> Roles { get; }

    /// <summary>The name the device gives itself (friendly name, model name). Device-supplied: untrusted.</summary>
    public string? DisplayName { get; init; }

    /// <summary>
    /// Where it was seen: address and port, with port 0 meaning any port of that address. Used to attribute
    /// traffic records to the device (<see cref="ObservedSession.RecordsInvolving(Device)"/>).
    /// </summary>
    public IReadOnlyList<IPEndPoint> Addresses { get; init; } = [];

    /// <summary>The endpoint reference (WS-Addressing EPR address, UDN, JID) when the protocol has one.</summary>
    public string? EndpointReference { get; init; }

    /// <summary>Other facts (types, scopes, XAddrs, model, firmware), by name. Device-supplied: untrusted.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The display name when there is one, else the id.</summary>
    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Id : DisplayName;

    /// <summary>True when the device plays <paramref name="role"/>.</summary>
    public bool HasRole(DeviceRole role) => Roles.Contains(role);

    /// <summary>True when <paramref name="endPoint"/> is one of <see cref="Addresses"/> (port 0 there matches any port).</summary>
    public bool IsAt(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = Normalize(endPoint.Address);
        foreach (var known in Addresses)
        {
            if (Normalize(known.Address).Equals(address) && (known.Port == 0 || known.Port == endPoint.Port))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
