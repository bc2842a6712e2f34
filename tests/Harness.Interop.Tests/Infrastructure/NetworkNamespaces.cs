using System.Globalization;

namespace Harness.Interop.Tests.Infrastructure;

/// <summary>
/// Two network namespaces created by the test and joined by a veth pair, with addresses from the
/// benchmarking range 198.18.0.0/24 (RFC 2544) and multicast routed onto the veth. A peer that sends on every
/// interface or ignores loopback (wsdd) runs in <see cref="Peer"/>; the harness runs in <see cref="Harness"/>.
/// Nothing leaves the pair. Deleted on dispose.
/// </summary>
internal sealed class NetworkNamespacePair : IAsyncDisposable
{
    private static int s_counter;

    private NetworkNamespacePair(string peer, string harness, string peerLink, string harnessLink, string peerAddress, string harnessAddress)
    {
        Peer = peer;
        Harness = harness;
        PeerInterface = peerLink;
        HarnessInterface = harnessLink;
        PeerAddress = peerAddress;
        HarnessAddress = harnessAddress;
    }

    /// <summary>The namespace the real peer runs in.</summary>
    public string Peer { get; }

    /// <summary>The namespace the harness runs in.</summary>
    public string Harness { get; }

    public string PeerInterface { get; }

    public string HarnessInterface { get; }

    public string PeerAddress { get; }

    public string HarnessAddress { get; }

    /// <summary>The peer's IPv6 address (a unique local address on the veth, no duplicate address detection).</summary>
    public string PeerAddress6 => "fd00:198:18::" + PeerAddress.Split('.')[3];

    /// <summary>The harness's IPv6 address.</summary>
    public string HarnessAddress6 => "fd00:198:18::" + HarnessAddress.Split('.')[3];

    /// <summary>Creates the pair; skips (or fails under HARNESS_REQUIRE_PEERS=1) without root or iproute2.</summary>
    public static async Task<NetworkNamespacePair> CreateAsync()
    {
        Peers.RequireRoot();
        Peers.Require("ip", "iproute2");
        var n = Interlocked.Increment(ref s_counter);
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 10000}x{n}");
        var pair = new NetworkNamespacePair($"hpeer{id}", $"hharn{id}", $"vp{id}", $"vh{id}", $"198.18.0.{(2 * n % 250) + 1}", $"198.18.0.{(2 * n % 250) + 2}");
        try
        {
            await pair.SetUpAsync();
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }

        return pair;
    }

    /// <summary>Arguments that run <paramref name="command"/> inside namespace <paramref name="ns"/>.</summary>
    public static string[] Exec(string ns, string command, params string[] arguments) =>
        ["netns", "exec", ns, command, .. arguments];

    public async ValueTask DisposeAsync()
    {
        // Deleting a namespace kills its end of the veth pair, and with it the other end.
        await RunIpAsync(check: false, "netns", "del", Peer);
        await RunIpAsync(check: false, "netns", "del", Harness);
    }

    private async Task SetUpAsync()
    {
        await RunIpAsync(check: true, "netns", "add", Peer);
        await RunIpAsync(check: true, "netns", "add", Harness);
        await RunIpAsync(check: true, "link", "add", PeerInterface, "type", "veth", "peer", "name", HarnessInterface);
        await RunIpAsync(check: true, "link", "set", PeerInterface, "netns", Peer);
        await RunIpAsync(check: true, "link", "set", HarnessInterface, "netns", Harness);
        foreach (var (ns, link, address, address6) in new[] { (Peer, PeerInterface, PeerAddress, PeerAddress6), (Harness, HarnessInterface, HarnessAddress, HarnessAddress6) })
        {
            // IPv6 addresses are usable at once: no duplicate address detection inside a private pair.
            await RunIpAsync(check: false, "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0", $"net.ipv6.conf.{link}.accept_dad=0");
            await RunIpAsync(check: true, "-n", ns, "link", "set", "lo", "up");
            await RunIpAsync(check: true, "-n", ns, "addr", "add", address + "/24", "dev", link);
            await RunIpAsync(check: false, "-n", ns, "-6", "addr", "add", address6 + "/64", "dev", link, "nodad");
            await RunIpAsync(check: true, "-n", ns, "link", "set", link, "up");
            await RunIpAsync(check: true, "-n", ns, "route", "add", "224.0.0.0/4", "dev", link);
        }
    }

    private static async Task RunIpAsync(bool check, params string[] arguments)
    {
        var result = await RunningProcess.RunAsync("ip", arguments, TimeSpan.FromSeconds(20));
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {result}");
        }
    }
}
