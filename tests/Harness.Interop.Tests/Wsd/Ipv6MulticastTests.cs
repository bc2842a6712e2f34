using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Wsd;

/// <summary>
/// IPv6 multicast (ff02::c) between two namespaces joined by a veth pair: Linux does not loop IPv6 multicast back on
/// lo, so this is where the IPv6 path of the UDP transport, the publisher and the client meet for real.
/// </summary>
public sealed class Ipv6MulticastTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task PublishAndDiscover_Ipv6LinkLocalMulticast_AcrossVethPair()
    {
        await using var net = await NetworkNamespacePair.CreateAsync();
        var epr = "urn:uuid:" + Guid.NewGuid().ToString("D");
        await using var publisher = HarnessCli.StartIn(
            net.Peer, "wsd", "publish", "--ipv6", "--interface", net.PeerInterface, "--uuid", epr, "--type", "tds:Device", "--port", "8080", "--version", "both");
        Assert.True(await publisher.WaitForOutputAsync("Published", Timeout), publisher.StandardError);

        foreach (var version in new[] { "2005", "1.1" })
        {
            var discovered = await HarnessCli.RunInAsync(
                net.Harness, Timeout, "wsd", "discover", "--ipv6", "--interface", net.HarnessInterface, "--timeout", "3", "--json", "--version", version);
            Assert.True(discovered.ExitCode == 0, discovered.ToString());
            var found = Assert.Single(HarnessCli.ParseDiscoverJson(discovered.StandardOutput), s => s.Endpoint == epr);
            // {ip} expands to an IPv6 address of the receiving interface, in brackets and without a zone id.
            Assert.Contains(found.XAddrs, x => x.StartsWith("http://[", StringComparison.Ordinal) && !x.Contains('%', StringComparison.Ordinal));
        }
    }
}
