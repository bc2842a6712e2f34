namespace Harness.Simulators.Identity;

/// <summary>
/// Mixes numbers into a seed that is the same in every process and on every run (unlike <see cref="HashCode"/>,
/// which is randomized per process), so a fleet seed always gives the same devices.
/// </summary>
public static class StableSeed
{
    /// <summary>A non-negative seed from the values (FNV-1a over their bytes, then a final avalanche).</summary>
    public static int Mix(params int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var hash = 2166136261u;
        foreach (var value in values)
        {
            for (var shift = 0; shift < 32; shift += 8)
            {
                hash = (hash ^ (uint)((value >> shift) & 0xFF)) * 16777619u;
            }
        }

        hash ^= hash >> 16;
        hash *= 0x85EBCA6Bu;
        hash ^= hash >> 13;
        return (int)(hash & int.MaxValue);
    }
}
