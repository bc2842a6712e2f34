namespace Harness.Conformance.Model;

/// <summary>
/// What part a device plays in a protocol, which decides the rules that apply to it. String-backed so that a
/// protocol plugin can add roles without changing this type; the well-known ones are static properties.
/// Names are compared ordinally (case-sensitive).
/// </summary>
public sealed record DeviceRole
{
    /// <summary>Creates a role.</summary>
    /// <param name="name">Letters, digits, '.', '-' or '_', starting with a letter; at most 64 characters.</param>
    /// <exception cref="ArgumentException">The name is empty or has other characters.</exception>
    public DeviceRole(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                "A role name is 1-64 characters: letters, digits, '.', '-' or '_', starting with a letter.",
                nameof(name));
        }

        Name = name;
    }

    /// <summary>The role's name, e.g. <c>TargetService</c>.</summary>
    public string Name { get; }

    /// <summary>WS-Discovery Target Service: answers Probe and Resolve, announces Hello and Bye.</summary>
    public static DeviceRole TargetService { get; } = new("TargetService");

    /// <summary>A discovery client: sends Probe, Resolve or M-SEARCH and listens for answers.</summary>
    public static DeviceRole Client { get; } = new("Client");

    /// <summary>WS-Discovery Discovery Proxy (managed mode).</summary>
    public static DeviceRole DiscoveryProxy { get; } = new("DiscoveryProxy");

    /// <summary>A DPWS device: serves WS-Transfer Get metadata (ThisModel, ThisDevice, hosted services).</summary>
    public static DeviceRole DpwsDevice { get; } = new("DpwsDevice");

    /// <summary>A WS-Scan scanner service hosted by a DPWS device.</summary>
    public static DeviceRole ScannerService { get; } = new("ScannerService");

    /// <summary>A WS-Print printer service hosted by a DPWS device.</summary>
    public static DeviceRole PrinterService { get; } = new("PrinterService");

    /// <summary>An ONVIF network video transmitter (camera).</summary>
    public static DeviceRole NetworkVideoTransmitter { get; } = new("NetworkVideoTransmitter");

    /// <summary>A UPnP root device: advertises over SSDP and serves a device description.</summary>
    public static DeviceRole UpnpRootDevice { get; } = new("UpnpRootDevice");

    /// <summary>A UPnP control point: searches with M-SEARCH and reads descriptions.</summary>
    public static DeviceRole ControlPoint { get; } = new("ControlPoint");

    /// <summary>An XMPP entity that answers service discovery (XEP-0030) queries.</summary>
    public static DeviceRole XmppEntity { get; } = new("XmppEntity");

    /// <summary>An XMPP client that asks disco#info / disco#items and caches capabilities.</summary>
    public static DeviceRole XmppClient { get; } = new("XmppClient");

    /// <summary>True when <paramref name="name"/> is a valid role name.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
