using System.Net;
using Harness.Simulators.Fleet;
using Harness.Simulators.Identity;

namespace Harness.Simulators.Tests.Fleet;

public sealed class FleetTests
{
    [Fact]
    public void DeviceIdentity_SameSeedAndIndex_SameIdentityEveryTime()
    {
        var a = DeviceIdentity.Create(DeviceKind.Camera, seed: 42, index: 3);
        var b = DeviceIdentity.Create(DeviceKind.Camera, seed: 42, index: 3);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Uuid, DeviceIdentity.Create(DeviceKind.Camera, seed: 42, index: 4).Uuid);
        Assert.NotEqual(a.Uuid, DeviceIdentity.Create(DeviceKind.Camera, seed: 43, index: 3).Uuid);
        // An RFC 4122 version-4 UUID, so real clients accept it.
        Assert.Equal('4', a.Uuid.ToString("D")[14]);
    }

    [Fact]
    public void StableSeed_KnownInputs_FixedValues()
    {
        // Pinned values: the identities of every fleet file depend on them, in every process.
        Assert.Equal(StableSeed.Mix(1, 0, 0), StableSeed.Mix(1, 0, 0));
        Assert.NotEqual(StableSeed.Mix(1, 0, 0), StableSeed.Mix(0, 1, 0));
        Assert.True(StableSeed.Mix(int.MinValue, -1, 7) >= 0);
        Assert.Equal(1_393_019_891, StableSeed.Mix(1, 0, 0));
    }

    [Fact]
    public void FleetFile_Parse_CommentsAndDefaults()
    {
        var fleet = FleetFile.Parse("""
            // two cameras
            { "seed": 3, "devices": [ { "kind": "camera", "count": 2 }, { "kind": "camera", "quirk": "bare-uuid", "version": "1.1" } ] }
            """);
        Assert.Equal(3, fleet.Seed);
        Assert.Equal("lo", fleet.Interface);
        Assert.Equal(3702, fleet.MulticastPort);
        Assert.Equal(2, fleet.Devices.Count);
        Assert.Equal("bare-uuid", fleet.Devices[1].Quirk);
    }

    [Theory]
    [InlineData("""{ "devices": [] }""", "'devices' is empty")]
    [InlineData("""{ "devices": [ { "kind": "toaster" } ] }""", "unknown kind 'toaster'")]
    [InlineData("""{ "devices": [ { "kind": "camera", "count": 0 } ] }""", "count 0")]
    [InlineData("""{ "devices": [ { "kind": "camera", "version": "2" } ] }""", "version '2'")]
    [InlineData("""{ "multicastPort": 70000, "devices": [ { "kind": "camera" } ] }""", "not a port")]
    [InlineData("""{ "devices": [ { "kind": "camera", "colour": "red" } ] }""", "line 1")]
    [InlineData("""{ "devices": [ { "kind": "camera" } """, "line")]
    public void FleetFile_Parse_BadInput_ClearError(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => FleetFile.Parse(json, "test.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoopbackAddress_EachDeviceItsOwn()
    {
        Assert.Equal(IPAddress.Parse("127.0.0.10"), RunningFleet.LoopbackAddress(0));
        Assert.Equal(IPAddress.Parse("127.0.0.209"), RunningFleet.LoopbackAddress(199));
        Assert.Equal(IPAddress.Parse("127.0.1.10"), RunningFleet.LoopbackAddress(200));
        Assert.Equal(2000, Enumerable.Range(0, 2000).Select(RunningFleet.LoopbackAddress).Distinct().Count());
    }

    [Fact]
    public async Task Find_BareUuidForm_FindsTheDevice()
    {
        // A quirk profile may announce "uuid:X" for a device whose address is "urn:uuid:X"; a restart asked for by the
        // announced id must still find it (the main job's restart failed on onvif-legacy cameras before).
        var port = FreePort();
        await using var fleet = await RunningFleet.StartAsync(
            new FleetFile { Seed = 5, MulticastPort = port, Devices = [new FleetEntry { Count = 2 }] },
            new FleetStartOptions { AnswerDelay = TimeSpan.Zero, HelloDelay = TimeSpan.Zero },
            CancellationToken.None);
        var second = fleet.Devices[1];
        Assert.StartsWith("urn:uuid:", second.EndpointAddress, StringComparison.Ordinal);
        var bare = second.EndpointAddress["urn:".Length..];
        Assert.Same(second, fleet.Find(bare));
        Assert.Same(second, fleet.Find(second.EndpointAddress.ToUpperInvariant()));
        Assert.Null(fleet.Find("urn:uuid:00000000-0000-0000-0000-000000000000"));
    }

    [Theory]
    [InlineData(FleetEntry.Scanner)]
    [InlineData(FleetEntry.Printer)]
    public async Task Restart_WsdScannerOrPrinter_HelloFromANewInstanceWithFreshMessageIds(string kind)
    {
        // A restarted scanner or printer announced itself with the MessageIDs of its first run (the generator was seeded
        // alike), which WS-Discovery receivers drop as duplicates (WSD-MSG-004); the main job caught it.
        var port = FreePort();
        await using var listener = Harness.WsDiscovery.Engine.WsdTransports.BindMulticastListener(System.Net.Sockets.AddressFamily.InterNetwork, "lo", port);
        await using var client = new Harness.WsDiscovery.Engine.DiscoveryClient(listener);
        var hellos = new System.Collections.Concurrent.ConcurrentQueue<Harness.WsDiscovery.Messages.WsdHello>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DatagramReceived += (_, e) =>
        {
            if (e.Message is Harness.WsDiscovery.Messages.WsdHello hello)
            {
                hellos.Enqueue(hello);
                if (hellos.Select(h => h.Header.AppSequence?.InstanceId).Distinct().Count() > 1)
                {
                    second.TrySetResult();
                }
            }
        };
        await using var fleet = await RunningFleet.StartAsync(
            new FleetFile { Seed = 3, MulticastPort = port, Devices = [new FleetEntry { Kind = kind }] },
            new FleetStartOptions { AnswerDelay = TimeSpan.Zero, HelloDelay = TimeSpan.Zero, FirstServicePort = 0 },
            CancellationToken.None);
        var device = Assert.Single(fleet.Devices);
        Assert.True(device.IsWsd);
        await device.RestartAsync(CancellationToken.None);
        await second.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var byInstance = hellos.GroupBy(h => h.Header.AppSequence!.InstanceId).OrderBy(g => g.Key).ToList();
        Assert.True(byInstance.Count >= 2);
        var firstIds = byInstance[0].Select(h => h.Header.MessageId).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(byInstance[^1], h => firstIds.Contains(h.Header.MessageId!));
        Assert.All(hellos, h => Assert.Equal(device.EndpointAddress, h.Endpoint.Endpoint.Address));
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.UdpClient(0);
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
