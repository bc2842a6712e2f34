using System.Runtime.CompilerServices;

namespace Harness.Conformance.Tests.Support;

/// <summary>
/// Golden files live in tests/Harness.Conformance.Tests/Golden. To regenerate them after an intended change of
/// output, run the tests with HARNESS_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
internal static class Golden
{
    public static string Directory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "Golden"));

    public static void AssertMatches(string name, string actual)
    {
        var path = Path.Combine(Directory(), name);
        if (Environment.GetEnvironmentVariable("HARNESS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing; run with HARNESS_UPDATE_GOLDEN=1 to create it, then review it.");
        var expected = File.ReadAllText(path);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            var line = FirstDifferentLine(expected, actual);
            var actualPath = Path.Combine(Path.GetTempPath(), "golden-actual-" + name);
            File.WriteAllText(actualPath, actual);
            Assert.Fail($"{name} differs from the golden file at line {line.Number}:\n  golden: {line.Expected}\n  actual: {line.Actual}\nActual output written to {actualPath}.");
        }
    }

    private static (int Number, string Expected, string Actual) FirstDifferentLine(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (!string.Equals(el, al, StringComparison.Ordinal))
            {
                return (i + 1, el, al);
            }
        }

        return (0, string.Empty, string.Empty);
    }
}
