using Bogus;

namespace Harness.Simulators.Identity;

/// <summary>The kind of a simulated device.</summary>
public enum DeviceKind
{
    /// <summary>An ONVIF network video transmitter.</summary>
    Camera,

    /// <summary>A WSD printer.</summary>
    Printer,

    /// <summary>A WSD scanner.</summary>
    Scanner,

    /// <summary>A UPnP device.</summary>
    Upnp,

    /// <summary>An XMPP entity with service discovery.</summary>
    Xmpp,
}

/// <summary>Who a simulated device says it is. Reproducible from a seed.</summary>
/// <param name="Kind">The kind of device.</param>
/// <param name="Name">Friendly name, e.g. "Lobby Camera 2".</param>
/// <param name="Manufacturer">Maker.</param>
/// <param name="Model">Model name.</param>
/// <param name="SerialNumber">Serial number.</param>
/// <param name="FirmwareVersion">Firmware version.</param>
/// <param name="Country">Installation country (ONVIF location scope).</param>
/// <param name="City">Installation city (ONVIF location scope).</param>
/// <param name="Uuid">Stable identity; the WS-Discovery endpoint address is <c>urn:uuid:{Uuid}</c>.</param>
public sealed record DeviceIdentity(
    DeviceKind Kind,
    string Name,
    string Manufacturer,
    string Model,
    string SerialNumber,
    string FirmwareVersion,
    string Country,
    string City,
    Guid Uuid)
{
    /// <summary>The WS-Discovery endpoint address, <c>urn:uuid:…</c>.</summary>
    public string EndpointAddress => "urn:uuid:" + Uuid.ToString("D");

    /// <summary>
    /// Creates the identity of device number <paramref name="index"/> of a kind in a fleet seeded with
    /// <paramref name="seed"/>. The same (kind, seed, index) always gives the same identity.
    /// </summary>
    public static DeviceIdentity Create(DeviceKind kind, int seed, int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        // One independent, seeded stream per device so that adding devices does not change the others.
        // HashCode.Combine is randomized per process, so the stream seed is mixed by hand to stay reproducible.
        var randomizer = new Randomizer(StableSeed.Mix(seed, (int)kind, index));
        var faker = new Faker("en") { Random = randomizer };
        var makers = kind switch
        {
            DeviceKind.Camera => CameraMakers,
            DeviceKind.Printer or DeviceKind.Scanner => PrinterMakers,
            _ => GenericMakers,
        };
        var maker = faker.PickRandom(makers);
        var prefix = kind switch
        {
            DeviceKind.Camera => "IPC",
            DeviceKind.Printer => "LP",
            DeviceKind.Scanner => "SC",
            DeviceKind.Upnp => "MS",
            _ => "X",
        };
        var model = $"{prefix}-{faker.Random.Number(1000, 9999)}{faker.Random.String2(1, "ABCDEFGHJKLMNPRSTUVWXYZ")}";
        var room = faker.PickRandom(Rooms);
        var name = $"{room} {KindName(kind)} {index + 1}";
        var serial = faker.Random.String2(2, "ABCDEFGHJKLMNPRSTUVWXYZ") + faker.Random.Number(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var firmware = $"{faker.Random.Number(1, 9)}.{faker.Random.Number(0, 20)}.{faker.Random.Number(0, 99)}";
        var uuid = new Guid(faker.Random.Bytes(16));
        // Make it an RFC 4122 version-4 UUID so real clients accept it.
        var bytes = uuid.ToByteArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new DeviceIdentity(
            kind,
            name,
            maker,
            model,
            serial,
            firmware,
            faker.Address.Country(),
            faker.Address.City(),
            new Guid(bytes));
    }

    private static string KindName(DeviceKind kind) => kind switch
    {
        DeviceKind.Camera => "Camera",
        DeviceKind.Printer => "Printer",
        DeviceKind.Scanner => "Scanner",
        DeviceKind.Upnp => "Media Server",
        _ => "Node",
    };

    private static readonly string[] CameraMakers = ["Harness Optics", "Northwind Vision", "Contoso Security", "Fabrikam Imaging"];
    private static readonly string[] PrinterMakers = ["Harness Print", "Contoso Office", "Fabrikam Document", "Litware Imaging"];
    private static readonly string[] GenericMakers = ["Harness Labs", "Contoso", "Fabrikam", "Northwind"];
    private static readonly string[] Rooms = ["Lobby", "Warehouse", "Parking", "Office", "Lab", "Reception", "Loading Dock", "Hallway"];
}
