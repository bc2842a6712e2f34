using System.Text.RegularExpressions;
using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>
/// gssdp-discover (Debian gupnp-tools, GSSDP 1.6), a real SSDP control point, finds <c>harness ssdp advertise</c>; both
/// run in a namespace of their own (gssdp sends on the interface it is given, and both need port 1900).
/// </summary>
public sealed partial class GssdpInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task GssdpDiscover_OurAdvertiser_ListsEveryUsnAtOurLocationThenSeesTheByeByes()
    {
        var gssdp = Peers.Require("gssdp-discover", "gupnp-tools");
        await using var ns = await LoopbackNamespace.CreateAsync("hgssdp");
        var description = SsdpTestDevices.MediaServer("Harness for gssdp");
        var file = SsdpTestDevices.WriteToTempFile(description);
        var usns = SsdpTestDevices.Usns(description);
        Assert.Equal(8, usns.Count);
        await using var advertiser = ns.StartHarness("ssdp", "advertise", "--description", file, "--interface", "lo");
        Assert.True(await advertiser.WaitForOutputAsync("Ctrl-C to stop", Timeout), advertiser.StandardOutput + advertiser.StandardError);
        var location = LocationLine().Match(advertiser.StandardOutput).Groups[1].Value;
        Assert.StartsWith("http://127.0.0.1:", location, StringComparison.Ordinal);

        // gssdp-discover searches for ssdp:all and lists every resource it hears of (answers and NOTIFY alive).
        var found = await ns.RunAsync(Timeout, gssdp, "-i", "lo", "--timeout=6");
        Assert.True(found.ExitCode == 0, found.ToString());
        var available = Resources(found.StandardOutput).Where(r => r.Available).ToList();
        foreach (var usn in usns)
        {
            var resource = Assert.Single(available.Where(r => r.Usn == usn).DistinctBy(r => r.Location));
            Assert.Equal(location, resource.Location);
        }

        // A typed search (SSDP-MSEARCH-012): only the embedded renderer has RenderingControl.
        var renderer = description.Device.Devices[0].Udn;
        var typed = await ns.RunAsync(Timeout, gssdp, "-i", "lo", "--timeout=4", "--target=urn:schemas-upnp-org:service:RenderingControl:1");
        var typedUsns = Resources(typed.StandardOutput).Where(r => r.Available).Select(r => r.Usn).Distinct().ToList();
        Assert.Equal([renderer + "::urn:schemas-upnp-org:service:RenderingControl:1"], typedUsns);

        // Stopping the advertiser sends a byebye for every pair; gssdp reports each resource it knows unavailable.
        await using var watcher = ns.Start(gssdp, "-i", "lo", "--timeout=30", "--message-type=all");
        foreach (var usn in usns)
        {
            Assert.True(await watcher.WaitForOutputAsync(usn, Timeout), $"gssdp did not report {usn} available:\n{watcher.StandardOutput}");
        }

        var stopped = await advertiser.StopAsync(Timeout);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains($"Withdrawn {description.Device.Udn}: 8 byebye sent", stopped.StandardOutput, StringComparison.Ordinal);
        HashSet<string> Gone() => [.. Resources(watcher.StandardOutput).Where(r => !r.Available).Select(r => r.Usn)];
        await WaitUntilAsync(watcher, () => Gone().Count >= usns.Count, Timeout);
        var gone = Gone();
        Assert.Equal(usns.Order(StringComparer.Ordinal), gone.Order(StringComparer.Ordinal));
        File.Delete(file);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking after each line the process writes.</summary>
    private static async Task WaitUntilAsync(RunningProcess process, Func<bool> condition, TimeSpan timeout)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (condition())
            {
                met.TrySetResult();
            }
        }

        process.Line += OnLine;
        try
        {
            if (!condition())
            {
                await Task.WhenAny(met.Task, Task.Delay(timeout));
            }
        }
        finally
        {
            process.Line -= OnLine;
        }
    }

    /// <summary>The resources gssdp-discover printed: "resource available|unavailable", USN, Location.</summary>
    private static List<(bool Available, string Usn, string? Location)> Resources(string output) =>
        [.. ResourceBlock().Matches(output).Select(m => (m.Groups[1].Value == "available", m.Groups[2].Value, m.Groups[3].Success ? m.Groups[3].Value : null))];

    [GeneratedRegex(@"resource (available|unavailable)\s+USN:\s+(\S+)(?:\s+Location:\s+(\S+))?")]
    private static partial Regex ResourceBlock();

    [GeneratedRegex(@"LOCATION (\S+),")]
    private static partial Regex LocationLine();
}
