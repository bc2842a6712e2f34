using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Simulators.Xmpp;

namespace Harness.Simulators.Fleet;

/// <summary>
/// A fleet of simulated devices, as written in a fleet file (JSON):
/// <code>
/// { "seed": 1, "interface": "lo", "devices": [ { "kind": "camera", "count": 2 }, { "kind": "camera", "quirk": "bare-uuid" } ] }
/// </code>
/// The same file and seed always give the same identities.
/// </summary>
public sealed record FleetFile
{
    /// <summary>Seed of the identities.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Interface the devices listen and announce on (loopback by default).</summary>
    public string Interface { get; init; } = "lo";

    /// <summary>The WS-Discovery port (3702; another port isolates a fleet).</summary>
    public int MulticastPort { get; init; } = 3702;

    /// <summary>The SSDP port of the UPnP devices (1900; another port isolates a fleet).</summary>
    public int SsdpPort { get; init; } = 1900;

    /// <summary>The devices, in order.</summary>
    public IReadOnlyList<FleetEntry> Devices { get; init; } = [];

    /// <summary>The default fleet of the main job: well-behaved devices of every kind Harness simulates.</summary>
    public static FleetFile Default { get; } = new()
    {
        Devices =
        [
            new FleetEntry { Kind = FleetEntry.Camera, Count = 2 },
            new FleetEntry { Kind = FleetEntry.Scanner, Count = 1 },
            new FleetEntry { Kind = FleetEntry.Printer, Count = 1 },
            new FleetEntry { Kind = FleetEntry.Upnp, UpnpKind = "mediaserver" },
            new FleetEntry { Kind = FleetEntry.Upnp, UpnpKind = "igd" },
            new FleetEntry { Kind = FleetEntry.Xmpp, XmppKind = "client" },
            new FleetEntry { Kind = FleetEntry.Xmpp, XmppKind = "pubsub" },
        ],
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a fleet file; throws <see cref="FormatException"/> with the line and the problem when it is wrong.</summary>
    public static FleetFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The fleet file '{path}' does not exist.", path);
        }

        var info = new FileInfo(path);
        if (info.Length > 1 << 20)
        {
            throw new FormatException($"The fleet file '{path}' is larger than 1 MiB.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses fleet JSON; throws <see cref="FormatException"/> with the line and the problem when it is wrong.</summary>
    public static FleetFile Parse(string json, string source = "fleet")
    {
        FleetFile? fleet;
        try
        {
            fleet = JsonSerializer.Deserialize<FleetFile>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: line {(ex.LineNumber ?? 0) + 1}: {ex.Message}", ex);
        }

        if (fleet is null)
        {
            throw new FormatException($"{source}: the file is empty (null).");
        }

        fleet.Validate(source);
        return fleet;
    }

    /// <summary>Writes the fleet as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Throws <see cref="FormatException"/> when the fleet cannot be started.</summary>
    public void Validate(string source = "fleet")
    {
        if (Devices is null || Devices.Count == 0)
        {
            throw new FormatException($"{source}: 'devices' is empty: name at least one device.");
        }

        if (MulticastPort is < 1 or > 65535)
        {
            throw new FormatException($"{source}: 'multicastPort' {MulticastPort} is not a port.");
        }

        if (SsdpPort is < 1 or > 65535)
        {
            throw new FormatException($"{source}: 'ssdpPort' {SsdpPort} is not a port.");
        }

        if (string.IsNullOrWhiteSpace(Interface))
        {
            throw new FormatException($"{source}: 'interface' is empty.");
        }

        var total = 0;
        for (var i = 0; i < Devices.Count; i++)
        {
            var entry = Devices[i] ?? throw new FormatException($"{source}: devices[{i}] is null.");
            entry.Validate($"{source}: devices[{i}]");
            total += entry.Count;
        }

        if (total > 2000)
        {
            throw new FormatException($"{source}: {total} devices; the most a fleet runs is 2000.");
        }
    }
}

/// <summary>One line of a fleet: a kind of device, how many, and how it deviates.</summary>
public sealed record FleetEntry
{
    /// <summary>The camera kind (ONVIF, WS-Discovery).</summary>
    public const string Camera = "camera";

    /// <summary>The scanner kind (WSD: WS-Discovery, DPWS metadata and eventing, WS-Scan).</summary>
    public const string Scanner = "scanner";

    /// <summary>The printer kind (WSD: WS-Discovery, DPWS metadata and eventing, WS-Print).</summary>
    public const string Printer = "printer";

    /// <summary>The UPnP device kind (SSDP and the device description); <see cref="UpnpKind"/> says which device.</summary>
    public const string Upnp = "upnp";

    /// <summary>The XMPP entity kind (disco and caps on an in-process XMPP server); <see cref="XmppKind"/> says which entity.</summary>
    public const string Xmpp = "xmpp";

    /// <summary>The kinds this version simulates.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Camera, Scanner, Printer, Upnp, Xmpp];

    /// <summary>Kind of device: <c>camera</c>, <c>scanner</c>, <c>printer</c>, <c>upnp</c>, <c>xmpp</c>.</summary>
    public string Kind { get; init; } = Camera;

    /// <summary>How many devices of this line.</summary>
    public int Count { get; init; } = 1;

    /// <summary>A name instead of the generated one (the index is appended when Count &gt; 1).</summary>
    public string? Name { get; init; }

    /// <summary>A quirk profile name (see <c>harness simulate --list-quirks</c>); null for a correct device.</summary>
    public string? Quirk { get; init; }

    /// <summary>
    /// For WS-Discovery devices the family: <c>2005</c> (default), <c>1.1</c> or <c>both</c>; for UPnP devices the UDA
    /// version: <c>1.0</c>, <c>1.1</c> (default) or <c>2.0</c>.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>For <c>upnp</c>: basic (default), mediaserver, mediarenderer, igd, printer or scanner.</summary>
    public string? UpnpKind { get; init; }

    /// <summary>For <c>upnp</c>: the max-age of its announcements in seconds (1800 by default).</summary>
    public int? MaxAge { get; init; }

    /// <summary>For <c>xmpp</c>: client (default), pubsub, muc or component.</summary>
    public string? XmppKind { get; init; }

    /// <summary>Validates the entry.</summary>
    public void Validate(string where)
    {
        if (!Kinds.Contains(Kind, StringComparer.Ordinal))
        {
            throw new FormatException($"{where}: unknown kind '{Kind}'; known kinds: {string.Join(", ", Kinds)}.");
        }

        if (Count is < 1 or > 1000)
        {
            throw new FormatException($"{where}: count {Count} is not between 1 and 1000.");
        }

        if (Kind is Camera or Scanner or Printer && Version is not null and not ("2005" or "1.1" or "both"))
        {
            throw new FormatException($"{where}: version '{Version}' is not 2005, 1.1 or both.");
        }

        if (Kind == Upnp && Version is not null and not ("1.0" or "1.1" or "2.0"))
        {
            throw new FormatException($"{where}: version '{Version}' is not a UDA version (1.0, 1.1 or 2.0).");
        }

        if (Kind == Xmpp && Version is not null)
        {
            throw new FormatException($"{where}: 'version' does not apply to xmpp entities.");
        }

        if (UpnpKind is not null && (Kind != Upnp || !FleetDeviceKinds.UpnpKinds.ContainsKey(UpnpKind)))
        {
            throw new FormatException($"{where}: 'upnpKind' '{UpnpKind}' needs kind upnp and one of {string.Join(", ", FleetDeviceKinds.UpnpKinds.Keys)}.");
        }

        if (XmppKind is not null && (Kind != Xmpp || !FleetDeviceKinds.XmppKinds.ContainsKey(XmppKind)))
        {
            throw new FormatException($"{where}: 'xmppKind' '{XmppKind}' needs kind xmpp and one of {string.Join(", ", FleetDeviceKinds.XmppKinds.Keys)}.");
        }

        if (MaxAge is not null && (Kind != Upnp || MaxAge is < 1 or > 86400))
        {
            throw new FormatException($"{where}: 'maxAge' needs kind upnp and a value from 1 to 86400 seconds.");
        }

        if (Quirk is not null && Kind == Upnp && Harness.Simulators.Upnp.UpnpQuirks.Find(Quirk) is null)
        {
            throw new FormatException($"{where}: '{Quirk}' is not a UPnP quirk (see harness simulate --list-quirks).");
        }

        if (Quirk is not null && Kind == Xmpp && XmppQuirks.Find(Quirk) is null)
        {
            throw new FormatException($"{where}: '{Quirk}' is not an XMPP quirk (see harness simulate --list-quirks).");
        }
    }
}
