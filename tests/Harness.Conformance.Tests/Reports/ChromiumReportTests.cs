using System.Diagnostics;
using Harness.Conformance.Reports;
using Harness.Conformance.Tests.Support;

namespace Harness.Conformance.Tests.Reports;

/// <summary>
/// Skips (with the reason) when Chromium is not installed, unless HARNESS_REQUIRE_PEERS=1, in which case the test
/// runs and fails on the missing browser.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && Environment.GetEnvironmentVariable("HARNESS_REQUIRE_PEERS") != "1")
        {
            Skip = "Chromium is not installed (looked for /usr/bin/chromium and chromium, chromium-browser on PATH); `apt-get install -y chromium` to run this test. Set HARNESS_REQUIRE_PEERS=1 to make its absence a failure.";
        }
    }
}

internal static class Chromium
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        if (File.Exists("/usr/bin/chromium"))
        {
            return "/usr/bin/chromium";
        }

        var paths = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return paths
            .SelectMany(dir => new[] { "chromium", "chromium-browser" }.Select(name => System.IO.Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Runs headless Chromium with the isolation flags plus <paramref name="arguments"/>; returns stdout.</summary>
    public static async Task<string> RunAsync(string profile, params string[] arguments)
    {
        Assert.True(Path is not null, "Chromium is required (HARNESS_REQUIRE_PEERS=1) but was not found: apt-get install -y chromium");
        var start = new ProcessStartInfo(Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
            "--user-data-dir=" + profile,
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("Chromium did not finish within 180 s.");
        }

        var output = await stdout;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {errors}");
        return output;
    }
}

public sealed class ChromiumReportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "harness-conf-chromium-" + Guid.NewGuid().ToString("N"));

    public ChromiumReportTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be closing its profile; the temp folder is left for the system to clean.
        }
    }

    private async Task<string> WriteSampleReportAsync()
    {
        var paths = await ReportFiles.WriteAllAsync(await Samples.RunAsync(), Path.Combine(_folder, "report"));
        return paths[0];
    }

    [ChromiumFact]
    public async Task RenderedDom_HostileDeviceName_IsTextAndNothingExecuted()
    {
        var index = await WriteSampleReportAsync();

        var dom = await Chromium.RunAsync(Path.Combine(_folder, "profile"), "--dump-dom", new Uri(index).AbsoluteUri);

        // The title the hostile name tries to overwrite through onerror is unchanged.
        Assert.Contains("<title>Conformance report 20250102T030407Z</title>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned</title>", dom, StringComparison.Ordinal);
        // The name is in the page as text, and no element was made from it.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=document.title='pwned'&gt;", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(dom, "<script", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        // Our own script did run under the page's Content-Security-Policy: it revealed the filters and counted.
        Assert.Contains("<form id=\"filters\" class=\"filters\">", dom, StringComparison.Ordinal);
        Assert.Contains("9 of 9 shown", dom, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Screenshot_SampleReport_IsAPicture()
    {
        var index = await WriteSampleReportAsync();
        var png = Path.Combine(_folder, "report.png");

        await Chromium.RunAsync(Path.Combine(_folder, "profile"), "--screenshot=" + png, "--window-size=1280,2000", new Uri(index).AbsoluteUri);

        var bytes = await File.ReadAllBytesAsync(png);
        Assert.True(bytes.Length > 20_000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        var copy = Environment.GetEnvironmentVariable("HARNESS_REPORT_SCREENSHOT");
        if (!string.IsNullOrEmpty(copy))
        {
            File.Copy(png, copy, overwrite: true);
        }
    }
}
