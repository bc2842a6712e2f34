using System.Globalization;
using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>
/// A network namespace of the test's own with only its loopback, up, multicast-capable and with the IPv4 multicast
/// route on it (<c>ip -n X route add 224.0.0.0/4 dev lo</c>): a peer that sends on every interface (minidlna, gssdp)
/// and the harness meet there, and nothing leaves it. The name carries the process id; deleted on dispose.
/// </summary>
internal sealed class LoopbackNamespace : IAsyncDisposable
{
    private static int s_counter;

    private LoopbackNamespace(string name) => Name = name;

    /// <summary>The namespace name, for <c>ip netns exec</c>.</summary>
    public string Name { get; }

    /// <summary>Creates the namespace; skips (or fails under HARNESS_REQUIRE_PEERS=1) without root or iproute2.</summary>
    public static async Task<LoopbackNamespace> CreateAsync(string prefix = "hssdp")
    {
        Peers.RequireRoot();
        Peers.Require("ip", "iproute2");
        var n = Interlocked.Increment(ref s_counter);
        var ns = new LoopbackNamespace(string.Create(CultureInfo.InvariantCulture, $"{prefix}{Environment.ProcessId}x{n}"));
        try
        {
            await RunIpAsync(check: true, "netns", "add", ns.Name);
            await RunIpAsync(check: true, "-n", ns.Name, "link", "set", "lo", "up");
            await RunIpAsync(check: true, "-n", ns.Name, "link", "set", "lo", "multicast", "on");
            await RunIpAsync(check: true, "-n", ns.Name, "route", "add", "224.0.0.0/4", "dev", "lo");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        return ns;
    }

    /// <summary>Starts <paramref name="command"/> inside the namespace.</summary>
    public RunningProcess Start(string command, params string[] arguments) =>
        RunningProcess.Start("ip", NetworkNamespacePair.Exec(Name, command, arguments));

    /// <summary>Runs <paramref name="command"/> inside the namespace to completion within <paramref name="timeout"/>.</summary>
    public Task<ProcessResult> RunAsync(TimeSpan timeout, string command, params string[] arguments) =>
        RunningProcess.RunAsync("ip", NetworkNamespacePair.Exec(Name, command, arguments), timeout);

    /// <summary>Starts <c>harness</c> with <paramref name="arguments"/> inside the namespace.</summary>
    public RunningProcess StartHarness(params string[] arguments) => HarnessCli.StartIn(Name, arguments);

    /// <summary>Runs <c>harness</c> with <paramref name="arguments"/> inside the namespace.</summary>
    public Task<ProcessResult> RunHarnessAsync(TimeSpan timeout, params string[] arguments) => HarnessCli.RunInAsync(Name, timeout, arguments);

    public async ValueTask DisposeAsync() => await RunIpAsync(check: false, "netns", "del", Name);

    private static async Task RunIpAsync(bool check, params string[] arguments)
    {
        var result = await RunningProcess.RunAsync("ip", arguments, TimeSpan.FromSeconds(20));
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {result}");
        }
    }
}
