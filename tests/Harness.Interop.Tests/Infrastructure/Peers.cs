namespace Harness.Interop.Tests.Infrastructure;

/// <summary>
/// Finds the real peers interop tests need. A missing peer skips the test with a clear reason, unless
/// HARNESS_REQUIRE_PEERS=1 (as in CI), where it fails the test instead.
/// </summary>
internal static class Peers
{
    public static bool Required => Environment.GetEnvironmentVariable("HARNESS_REQUIRE_PEERS") == "1";

    /// <summary>Returns the full path of <paramref name="executable"/> or skips/fails the test.</summary>
    public static string Require(string executable, string debianPackage)
    {
        var path = Find(executable);
        if (path is not null)
        {
            return path;
        }

        var reason = $"'{executable}' is not installed (apt-get install -y {debianPackage}).";
        if (Required)
        {
            throw new InvalidOperationException("HARNESS_REQUIRE_PEERS=1 and " + reason);
        }

        Skip.If(true, reason);
        return string.Empty;
    }

    /// <summary>Skips (or fails when peers are required) unless the test runs as root, which network namespaces need.</summary>
    public static void RequireRoot()
    {
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || geteuid() == 0)
        {
            return;
        }

        const string reason = "network namespaces need root (ip netns add).";
        if (Required)
        {
            throw new InvalidOperationException("HARNESS_REQUIRE_PEERS=1 and " + reason);
        }

        Skip.If(true, reason);
    }

    public static string? Find(string executable)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();
}
