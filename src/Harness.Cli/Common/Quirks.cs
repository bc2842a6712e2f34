using Harness.Simulators.Cameras;
using Harness.Simulators.Quirks;

namespace Harness.Cli.Common;

/// <summary>Applies quirk profiles by name to simulated cameras, and lists them.</summary>
internal static class Quirks
{
    public static FakeCameraOptions Apply(string name, FakeCameraOptions options) => QuirkProfiles.Apply(name, options);

    public static string List()
    {
        var table = new TextTable("QUIRK", "BREAKS", "WHAT", "SEEN IN");
        foreach (var profile in QuirkProfiles.All)
        {
            table.Add([profile.Name], profile.ExpectedFailures, [profile.Description], [profile.SeenIn ?? "-"]);
        }

        return table.ToString();
    }
}
