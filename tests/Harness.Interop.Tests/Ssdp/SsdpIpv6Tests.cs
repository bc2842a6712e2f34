using System.Text.RegularExpressions;
using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>
/// SSDP over IPv6 (UDA 2.0 Annex A) between two namespaces joined by a veth pair: Linux does not loop IPv6 multicast
/// back on lo, so this is where <c>harness ssdp advertise --ipv6</c> and <c>harness ssdp search --ipv6</c> meet.
/// </summary>
public sealed partial class SsdpIpv6Tests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task AdvertiseAndSearch_Ipv6Multicast_AcrossVethPair_FindEveryPairAtABracketedLocation()
    {
        await using var net = await NetworkNamespacePair.CreateAsync();
        var description = SsdpTestDevices.MediaServer("Harness IPv6");
        var file = SsdpTestDevices.WriteToTempFile(description);
        await using var advertiser = HarnessCli.StartIn(net.Peer, "ssdp", "advertise", "--ipv6", "--interface", net.PeerInterface, "--description", file);
        Assert.True(await advertiser.WaitForOutputAsync("Ctrl-C to stop", Timeout), advertiser.StandardOutput + advertiser.StandardError);
        var location = LocationLine().Match(advertiser.StandardOutput).Groups[1].Value;
        Assert.StartsWith($"http://[{net.PeerAddress6}]:", location, StringComparison.Ordinal);

        var run = await HarnessCli.RunInAsync(net.Harness, Timeout, "ssdp", "search", "--ipv6", "--interface", net.HarnessInterface, "--json", "--mx", "1", "--time", "3");
        Assert.True(run.ExitCode == 0, run.ToString());
        var (answers, summary) = SsdpJson.ParseSearch(run.StandardOutput);
        Assert.Equal(SsdpTestDevices.Usns(description).Order(StringComparer.Ordinal), answers.Select(a => a.Usn).Distinct().Order(StringComparer.Ordinal));
        Assert.All(answers, a => Assert.Equal(location, a.Location));
        Assert.Equal(1, summary.Locations);

        var described = await HarnessCli.RunInAsync(net.Harness, Timeout, "ssdp", "describe", location);
        Assert.True(described.ExitCode == 0, described.ToString());
        Assert.Contains("Root device Harness IPv6", described.StandardOutput, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [GeneratedRegex(@"LOCATION (\S+),")]
    private static partial Regex LocationLine();
}
