using Harness.Interop.Tests.Infrastructure;

namespace Harness.Interop.Tests.Wsd;

/// <summary>A real <c>harness wsd publish</c> process and a real <c>harness wsd discover</c> process on loopback multicast.</summary>
public sealed class CliProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PublishAndDiscover_SeparateProcessesOnLoopback_FindEachOtherAndCaptureTheExchange()
    {
        var port = HarnessCli.PrivatePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var epr = "urn:uuid:" + Guid.NewGuid().ToString("D");
        var capture = Path.Combine(Path.GetTempPath(), $"harness-publish-{Guid.NewGuid():N}.pcapng");
        await using var publisher = HarnessCli.Start(
            "wsd", "publish", "--interface", "lo", "--multicast-port", port, "--uuid", epr,
            "--type", "dn:NetworkVideoTransmitter", "--type", "tds:Device",
            "--scope", "onvif://www.onvif.org/type/video_encoder", "--scope", "onvif://www.onvif.org/name/Interop",
            "--address", "127.0.0.1", "--port", "8080", "--capture", capture);
        Assert.True(await publisher.WaitForOutputAsync("Published", Timeout), publisher.StandardError);

        var discovered = await HarnessCli.RunAsync(
            Timeout, "wsd", "discover", "--interface", "lo", "--multicast-port", port, "--timeout", "3", "--json",
            "--type", "tds:Device", "--scope", "onvif://www.onvif.org/type");
        Assert.True(discovered.ExitCode == 0, discovered.ToString());
        var services = HarnessCli.ParseDiscoverJson(discovered.StandardOutput);
        var found = Assert.Single(services, s => s.Endpoint == epr);
        Assert.Contains("{http://www.onvif.org/ver10/device/wsdl}Device", found.Types);
        Assert.Contains("{http://www.onvif.org/ver10/network/wsdl}NetworkVideoTransmitter", found.Types);
        Assert.Contains("onvif://www.onvif.org/name/Interop", found.Scopes);
        Assert.Equal(["http://127.0.0.1:8080/"], found.XAddrs);

        // A probe for a scope the service does not have gets no answer (WS-Discovery §5.3: silence).
        var none = await HarnessCli.RunAsync(
            Timeout, "wsd", "discover", "--interface", "lo", "--multicast-port", port, "--timeout", "2", "--json",
            "--scope", "onvif://www.onvif.org/name/Somebody-Else");
        Assert.DoesNotContain(HarnessCli.ParseDiscoverJson(none.StandardOutput), s => s.Endpoint == epr);

        var stopped = await publisher.StopAsync(Timeout);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("Withdrawn " + epr, stopped.StandardOutput, StringComparison.Ordinal);

        // The capture holds the Hello, the Probes' answers and the Bye, and tshark (when installed) reads it.
        Assert.True(File.Exists(capture), stopped.ToString());
        var bytes = await File.ReadAllBytesAsync(capture);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("/discovery/Hello", text, StringComparison.Ordinal);
        Assert.Contains("/discovery/ProbeMatches", text, StringComparison.Ordinal);
        Assert.Contains("/discovery/Bye", text, StringComparison.Ordinal);
        if (Peers.Find("tshark") is { } tshark)
        {
            var read = await RunningProcess.RunAsync(tshark, ["-r", capture, "-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport"], Timeout);
            Assert.True(read.ExitCode == 0, read.ToString());
            Assert.Contains(port, read.StandardOutput, StringComparison.Ordinal);
        }

        File.Delete(capture);
    }

    [Fact]
    public async Task Simulate_ThreeCameras_DiscoverFindsThreeDistinctOnvifCameras()
    {
        var port = HarnessCli.PrivatePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var simulator = HarnessCli.Start("simulate", "--camera", "3", "--seed", "42", "--multicast-port", port);
        Assert.True(await simulator.WaitForOutputAsync("Simulating 3 device(s)", Timeout), simulator.StandardError);

        var discovered = await HarnessCli.RunAsync(
            Timeout, "wsd", "discover", "--interface", "lo", "--multicast-port", port, "--timeout", "3", "--json", "--type", "dn:NetworkVideoTransmitter");
        var services = HarnessCli.ParseDiscoverJson(discovered.StandardOutput);
        Assert.Equal(3, services.Select(s => s.Endpoint).Distinct().Count());
        Assert.All(services, s => Assert.Contains(s.Scopes, x => x.StartsWith("onvif://www.onvif.org/hardware/", StringComparison.Ordinal)));
        // Every camera has an XAddr of its own loopback address, so a client can tell them apart.
        Assert.Equal(3, services.Select(s => Assert.Single(s.XAddrs)).Distinct().Count());

        // The same seed gives the same identities in another process.
        await using var again = HarnessCli.Start("simulate", "--camera", "3", "--seed", "42", "--multicast-port", HarnessCli.PrivatePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(await again.WaitForOutputAsync("Simulating 3 device(s)", Timeout), again.StandardError);
        foreach (var service in services)
        {
            Assert.Contains(service.Endpoint, again.StandardOutput, StringComparison.Ordinal);
        }
    }
}
