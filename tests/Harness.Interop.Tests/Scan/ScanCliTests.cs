using System.Globalization;
using Harness.Interop.Tests.Infrastructure;
using SkiaSharp;

namespace Harness.Interop.Tests.Scan;

/// <summary>The real CLI: <c>harness simulate --scanner 1</c> in one process, <c>harness wsd get|scan</c> in others, on loopback.</summary>
public sealed class ScanCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SimulateScannerThenScanByEndpointReference_SavedPngHasTicketSizeTimesResolution()
    {
        var port = HarnessCli.PrivatePort().ToString(CultureInfo.InvariantCulture);
        await using var simulator = HarnessCli.Start("simulate", "--scanner", "1", "--seed", "7", "--multicast-port", port);
        Assert.True(await simulator.WaitForOutputAsync("Simulating 1 device(s)", Timeout), simulator.ToString());
        var (epr, xaddr) = ParseScanner(simulator.StandardOutput);

        // By endpoint reference: resolved over WS-Discovery on the private port, then WS-Transfer Get and WS-Scan.
        var output = Path.Combine(Path.GetTempPath(), $"harness-scan-{Guid.NewGuid():N}.png");
        var scanned = await HarnessCli.RunAsync(Timeout, "wsd", "scan", "--device", epr, "--out", output, "--resolution", "150", "--color", "rgb24", "--format", "png", "--multicast-port", port);
        Assert.True(scanned.ExitCode == 0, scanned.ToString());
        Assert.Equal(output, scanned.StandardOutput.Trim());
        using (var bitmap = SKBitmap.Decode(output))
        {
            Assert.NotNull(bitmap);
            Assert.Equal(8500 * 150 / 1000, bitmap.Width); // US Letter, 8.5 × 11 in at 150 dpi
            Assert.Equal(11000 * 150 / 1000, bitmap.Height);
        }

        File.Delete(output);

        // By XAddr, from the ADF (five sheets loaded by default) as JPEG: one file per sheet.
        var adf = Path.Combine(Path.GetTempPath(), $"harness-adf-{Guid.NewGuid():N}.jpg");
        var fed = await HarnessCli.RunAsync(Timeout, "wsd", "scan", "--device", xaddr, "--out", adf, "--source", "adf", "--resolution", "75", "--color", "grayscale8", "--format", "jpeg");
        Assert.True(fed.ExitCode == 0, fed.ToString());
        var files = fed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(5, files.Length);
        foreach (var file in files)
        {
            using var page = SKBitmap.Decode(file);
            Assert.NotNull(page);
            Assert.Equal(638, page.Width); // 8.5 in × 75 dpi = 637.5, rounded
            File.Delete(file);
        }

        // wsd get prints the model and the hosted scanner service.
        var get = await HarnessCli.RunAsync(Timeout, "wsd", "get", epr, "--multicast-port", port, "--json");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("wscn:ScannerServiceType", get.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(xaddr, get.StandardOutput, StringComparison.Ordinal);

        var stopped = await simulator.StopAsync(Timeout);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
    }

    [Fact]
    public async Task ScanUnknownEndpointReference_ClearErrorNonZeroExit()
    {
        var port = HarnessCli.PrivatePort().ToString(CultureInfo.InvariantCulture);
        var result = await HarnessCli.RunAsync(Timeout, "wsd", "scan", "--device", "urn:uuid:00000000-0000-4000-8000-00000000dead", "--out", Path.Combine(Path.GetTempPath(), "never.png"), "--multicast-port", port, "--timeout", "1");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("urn:uuid:00000000-0000-4000-8000-00000000dead", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The endpoint reference and XAddr of the first <c>scanner …</c> line of <c>harness simulate</c>.</summary>
    internal static (string Epr, string XAddr) ParseScanner(string output)
    {
        var line = output.Split('\n').First(l => l.StartsWith("scanner ", StringComparison.Ordinal));
        var words = line.Trim().Split(' ');
        return (words.First(w => w.StartsWith("urn:uuid:", StringComparison.Ordinal)), words[^1]);
    }
}
