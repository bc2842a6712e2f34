using Harness.Simulators.Cameras;

namespace Harness.Cli.Common;

/// <summary>Applies quirk profiles by name to simulated cameras.</summary>
internal static class Quirks
{
    public static FakeCameraOptions Apply(string name, FakeCameraOptions options) =>
        throw new ArgumentException($"Unknown quirk profile '{name}'.");
}
