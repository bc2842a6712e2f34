using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Wsd;

/// <summary>
/// Debian's wsdd, a real WS-Discovery host (it ignores loopback), in a network namespace joined to the harness's
/// namespace by a veth pair.
/// </summary>
public sealed class WsddInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Discover_WsddHostInPeerNamespace_IsFoundWithItsTypes()
    {
        var wsdd = Peers.Require("wsdd", "wsdd");
        await using var net = await NetworkNamespacePair.CreateAsync();
        var uuid = Guid.NewGuid().ToString("D");
        await using var peer = RunningProcess.Start("ip", NetworkNamespacePair.Exec(net.Peer, wsdd, "-i", net.PeerInterface, "-4", "-U", uuid, "-n", "HARNESSPEER", "-v"));
        Assert.True(await peer.WaitForOutputAsync("joined multicast group", Timeout), peer.StandardError);

        var discovered = await HarnessCli.RunInAsync(
            net.Harness, Timeout, "wsd", "discover", "--interface", net.HarnessInterface, "--timeout", "4", "--json", "--type", "wsdp:Device");
        Assert.True(discovered.ExitCode == 0, discovered.ToString());
        var services = HarnessCli.ParseDiscoverJson(discovered.StandardOutput);
        var host = Assert.Single(services, s => s.Endpoint == "urn:uuid:" + uuid);
        Assert.Contains("{http://schemas.xmlsoap.org/ws/2006/02/devprof}Device", host.Types);
        Assert.Contains("{http://schemas.microsoft.com/windows/pub/2005/07}Computer", host.Types);

        // wsdd's ProbeMatch carries no XAddrs; our client resolves the endpoint to get them (WS-Discovery §6).
        var resolved = await HarnessCli.RunInAsync(
            net.Harness, Timeout, "wsd", "discover", "--interface", net.HarnessInterface, "--timeout", "4", "--json", "--resolve", "urn:uuid:" + uuid);
        var withAddress = Assert.Single(HarnessCli.ParseDiscoverJson(resolved.StandardOutput));
        Assert.Contains(withAddress.XAddrs, x => x.StartsWith($"http://{net.PeerAddress}:5357/", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Publish_WsddInDiscoveryMode_SeesOurProbeMatch()
    {
        var wsdd = Peers.Require("wsdd", "wsdd");
        await using var net = await NetworkNamespacePair.CreateAsync();
        var epr = "urn:uuid:" + Guid.NewGuid().ToString("D");
        await using var publisher = HarnessCli.StartIn(
            net.Harness, "wsd", "publish", "--interface", net.HarnessInterface, "--uuid", epr, "--type", "wsdp:Device", "--type", "pub:Computer", "--port", "5357");
        Assert.True(await publisher.WaitForOutputAsync("Published", Timeout), publisher.StandardError);

        // wsdd -D probes for wsdp:Device on start and logs every match it hears.
        await using var peer = RunningProcess.Start("ip", NetworkNamespacePair.Exec(net.Peer, wsdd, "-D", "-o", "-i", net.PeerInterface, "-4", "-vv"));
        Assert.True(
            await peer.WaitForOutputAsync($"probe match for {epr} on http://{net.HarnessAddress}:5357/", Timeout),
            "wsdd did not report our ProbeMatch:\n" + peer.StandardError + peer.StandardOutput);
    }
}
