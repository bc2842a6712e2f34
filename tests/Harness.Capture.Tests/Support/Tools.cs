using System.Diagnostics;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Harness.Capture.Tests.Support;

/// <summary>
/// External oracles: tshark (Wireshark's dissectors) and libpcap (through SharpPcap). A missing one skips the
/// test with the reason, unless HARNESS_REQUIRE_PEERS=1 (as in CI), where it fails the test instead.
/// </summary>
internal static class Tools
{
    public static bool Required => Environment.GetEnvironmentVariable("HARNESS_REQUIRE_PEERS") == "1";

    /// <summary>The path of tshark, or skips/fails.</summary>
    public static string RequireTshark()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Append("/usr/bin"))
        {
            var candidate = Path.Combine(directory, "tshark");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Unavailable("tshark is not installed (apt-get install -y tshark)");
        return string.Empty;
    }

    /// <summary>Runs tshark with the arguments; returns standard output, failing on a non-zero exit. Bounded wait.</summary>
    public static async Task<string> TsharkAsync(params string[] arguments)
    {
        var tshark = RequireTshark();
        var info = new ProcessStartInfo(tshark)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("tshark did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("tshark " + string.Join(' ', arguments) + " did not finish within 120 s");
        }

        var stdout = await output;
        var stderr = await error;
        Assert.True(process.ExitCode == 0, $"tshark {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr}");
        return stdout;
    }

    /// <summary>Reads a file with libpcap: (timestamp, bytes) per packet and libpcap's error (null at a clean end).</summary>
    public static (List<(DateTimeOffset Timestamp, byte[] Data)> Packets, string? Error) ReadWithLibpcap(string path)
    {
        CaptureFileReaderDevice device;
        try
        {
            device = new CaptureFileReaderDevice(path);
            device.Open();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            Unavailable("libpcap cannot be loaded (apt-get install -y libpcap0.8): " + e.Message);
            throw;
        }

        using (device)
        {
            var packets = new List<(DateTimeOffset, byte[])>();
            while (true)
            {
                var status = device.GetNextPacket(out PacketCapture capture);
                if (status == GetPacketStatus.PacketRead)
                {
                    var raw = capture.GetPacket();
                    packets.Add((new DateTimeOffset(raw.Timeval.Date, TimeSpan.Zero), raw.Data.ToArray()));
                    continue;
                }

                return (packets, status == GetPacketStatus.NoRemainingPackets ? null : device.LastError ?? status.ToString());
            }
        }
    }

    private static void Unavailable(string reason)
    {
        if (Required)
        {
            throw new InvalidOperationException("HARNESS_REQUIRE_PEERS=1 and " + reason);
        }

        Skip.If(true, reason);
    }
}
