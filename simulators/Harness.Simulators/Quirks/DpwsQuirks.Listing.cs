namespace Harness.Simulators.Quirks;

/// <summary>One quirk profile in a listing (<c>harness simulate --list-quirks</c>): what kind of device, what it breaks.</summary>
/// <param name="Name">The profile's name.</param>
/// <param name="Devices">The simulated devices it applies to (<c>camera</c>, <c>scanner</c>, <c>printer</c>), comma-separated.</param>
/// <param name="ExpectedFailures">The rule ids it breaks.</param>
/// <param name="Description">What the device does wrong.</param>
/// <param name="SeenIn">Where the deviation was seen, or null.</param>
public sealed record QuirkListing(string Name, string Devices, IReadOnlyList<string> ExpectedFailures, string Description, string? SeenIn);

public static partial class QuirkProfiles
{
    /// <summary>The quirk profiles of simulated WSD scanners and printers (<see cref="DpwsQuirkProfiles.All"/>).</summary>
    public static IReadOnlyList<DpwsQuirkProfile> DpwsProfiles => DpwsQuirkProfiles.All;

    /// <summary>Every quirk profile of every simulated device kind, cameras first, each kind ordered by name.</summary>
    public static IReadOnlyList<QuirkListing> Listing =>
    [
        .. All.Select(p => new QuirkListing(p.Name, "camera", p.ExpectedFailures, p.Description, p.SeenIn)),
        .. DpwsQuirkProfiles.All.Select(p => new QuirkListing(p.Name, DevicesOf(p.Devices), p.ExpectedFailures, p.Description, p.SeenIn)),
    ];

    private static string DevicesOf(DpwsQuirkDevices devices) => devices switch
    {
        DpwsQuirkDevices.Scanner => "scanner",
        DpwsQuirkDevices.Printer => "printer",
        DpwsQuirkDevices.Both => "scanner, printer",
        _ => "-",
    };
}
