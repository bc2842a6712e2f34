using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Interop.Tests.Infrastructure;
using SkiaSharp;

namespace Harness.Interop.Tests.Scan;

/// <summary>
/// Debian's sane-airscan (its WSD backend, driven by <c>scanimage</c>) finds a simulated scanner over WS-Discovery and
/// scans from it. sane-airscan ignores loopback and uses port 3702 on every interface, so the scanner (the real
/// <c>harness simulate --scanner 1</c>) runs in one network namespace and scanimage in the other, joined by a veth pair.
/// sane-airscan will not start its discovery without a D-Bus system bus to reach Avahi through: the test runs a private
/// dbus-daemon (a socket in a temporary directory, no Avahi on it), enough for its Avahi client to wait in
/// "connecting" while WS-Discovery does the work.
/// </summary>
public sealed partial class SaneAirscanInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Scanimage_SimulatedScannerInPeerNamespace_ListedAndScansLetterAt150Dpi()
    {
        var scanimage = Peers.Require("scanimage", "sane-utils");
        RequireAirscanBackend();
        var dbusDaemon = Peers.Require("dbus-daemon", "dbus-daemon");
        await using var net = await NetworkNamespacePair.CreateAsync();
        var work = Directory.CreateTempSubdirectory("harness-airscan-");
        try
        {
            var bus = await StartPrivateBusAsync(dbusDaemon, work.FullName);
            await using var busProcess = bus.Process;

            // The scanner, on the harness side of the veth, on the real port 3702 (nothing else sees this namespace).
            await using var simulator = HarnessCli.StartIn(net.Harness, "simulate", "--scanner", "1", "--seed", "9", "--interface", net.HarnessInterface);
            Assert.True(await simulator.WaitForOutputAsync("Simulating 1 device(s)", Timeout), simulator.ToString());
            var (epr, xaddr) = ScanCliTests.ParseScanner(simulator.StandardOutput);
            Assert.StartsWith($"http://{net.HarnessAddress}:", xaddr, StringComparison.Ordinal);

            var config = Path.Combine(work.FullName, "sane.d");
            Directory.CreateDirectory(config);
            await File.WriteAllTextAsync(Path.Combine(config, "dll.conf"), "airscan\n");
            await File.WriteAllTextAsync(Path.Combine(config, "airscan.conf"), "[options]\ndiscovery = enable\nws-discovery = full\n[debug]\nenable = true\n");
            string[] Env() => ["env", $"DBUS_SYSTEM_BUS_ADDRESS={bus.Address}", $"SANE_CONFIG_DIR={config}"];

            // scanimage -L: found over WS-Discovery, named after ThisModel.
            var list = await RunningProcess.RunAsync("ip", NetworkNamespacePair.Exec(net.Peer, Env()[0], [.. Env()[1..], scanimage, "-L"]), Timeout);
            Assert.True(list.ExitCode == 0, list.ToString());
            var log = list.StandardOutput + list.StandardError;
            Assert.True(log.Contains(epr, StringComparison.Ordinal), "sane-airscan did not discover the scanner's endpoint reference:\n" + list);
            var device = DeviceLine().Match(list.StandardOutput);
            Assert.True(device.Success, "scanimage -L did not list the simulated scanner:\n" + list);
            var name = device.Groups["name"].Value;
            Assert.Contains(xaddr[..xaddr.IndexOf('/', "http://".Length)], log, StringComparison.Ordinal);

            // scanimage -d …: a US Letter page (215.9 × 279.4 mm) at 150 dpi in colour, saved as PNG.
            var output = Path.Combine(work.FullName, "page.png");
            var scan = await RunningProcess.RunAsync(
                "ip",
                NetworkNamespacePair.Exec(net.Peer, Env()[0], [.. Env()[1..], scanimage, "-d", name, "--resolution", "150", "--mode", "Color", "-l", "0", "-t", "0", "-x", "215.9", "-y", "279.4", "--format=png", "-o", output]),
                Timeout);
            Assert.True(scan.ExitCode == 0, scan.ToString());
            using var bitmap = SKBitmap.Decode(output);
            Assert.NotNull(bitmap);
            Assert.Equal(1275, bitmap.Width);
            Assert.Equal(1650, bitmap.Height);

            var stopped = await simulator.StopAsync(Timeout);
            Assert.True(stopped.ExitCode == 0, stopped.ToString());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"device `(?<name>airscan:w\d+:[^']+)' is a WSD ", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceLine();

    private static void RequireAirscanBackend()
    {
        var found = Directory.Exists("/usr/lib")
            && Directory.EnumerateFiles("/usr/lib", "libsane-airscan.so*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true }).Any();
        if (found)
        {
            return;
        }

        const string reason = "the sane-airscan backend is not installed (apt-get install -y sane-airscan).";
        if (Peers.Required)
        {
            throw new InvalidOperationException("HARNESS_REQUIRE_PEERS=1 and " + reason);
        }

        Skip.If(true, reason);
    }

    /// <summary>A dbus-daemon of the test's own on a socket in <paramref name="directory"/> (a permissive "system" bus).</summary>
    private static async Task<(RunningProcess Process, string Address)> StartPrivateBusAsync(string dbusDaemon, string directory)
    {
        var socket = Path.Combine(directory, "bus.socket");
        var configFile = Path.Combine(directory, "bus.conf");
        await File.WriteAllTextAsync(configFile, string.Create(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path={socket}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*"/>
                <allow receive_sender="*"/>
              </policy>
            </busconfig>
            """));
        var process = RunningProcess.Start(dbusDaemon, ["--config-file=" + configFile, "--nofork", "--print-address"]);
        Assert.True(await process.WaitForOutputAsync("unix:path=", Timeout), "dbus-daemon did not start:\n" + process.StandardError);
        return (process, "unix:path=" + socket);
    }
}
