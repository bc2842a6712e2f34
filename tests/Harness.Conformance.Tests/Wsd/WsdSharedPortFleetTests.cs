using Harness.Conformance.Model;
using Harness.Simulators.Quirks;

namespace Harness.Conformance.Tests.Wsd;

/// <summary>
/// The main job's situation: every camera on one discovery port and one host, all answering from 127.0.0.1, each with
/// its own unicast address. Findings must land on the device that earned them.
/// </summary>
public sealed class WsdSharedPortFleet : IAsyncLifetime
{
    internal WsdCameraFleet Fleet { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Fleet = await WsdCameraFleet.StartAsync(
            [
                .. WsdCameraFleet.CorrectCameras,
                new CameraSpec("echo-message-id", QuirkProfiles.Find("echo-message-id")),
                new CameraSpec("loose-scope-match", QuirkProfiles.Find("loose-scope-match")),
                new CameraSpec("empty-probe-matches", QuirkProfiles.Find("empty-probe-matches")),
            ],
            sharedPort: true,
            timeout.Token);
    }

    public async Task DisposeAsync() => await Fleet.DisposeAsync();
}

[Collection(WsdNetworkCollection.Name)]
public sealed class WsdSharedPortFleetTests(WsdSharedPortFleet fleet) : IClassFixture<WsdSharedPortFleet>
{
    [Fact]
    public void SharedPort_Devices_AreTellApartByEndpointReference()
    {
        Assert.Equal(5, fleet.Fleet.Devices.Count);
        Assert.Equal(5, fleet.Fleet.Devices.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(5, fleet.Fleet.Devices.Select(Harness.Conformance.Wsd.WsdDevices.UnicastEndPoint).Distinct().Count());
    }

    [Fact]
    public void SharedPort_CorrectCameras_AreNotBlamedForTheirNeighbours()
    {
        foreach (var camera in WsdCameraFleet.CorrectCameras)
        {
            Assert.True(fleet.Fleet.Failing(camera.Name).Count == 0, string.Join(" || ", fleet.Fleet.Failing(camera.Name).Select(r => fleet.Fleet.Explain(camera.Name, r))));
        }

        Assert.DoesNotContain(fleet.Fleet.Result.Findings, f => f.Verdict == Verdict.Error);
    }

    [Fact]
    public void SharedPort_QuirkyCameras_FailTheirOwnRules()
    {
        Assert.Equal(Verdict.Fail, fleet.Fleet.VerdictOf("echo-message-id", "WSD-MSG-008"));
        Assert.Equal(Verdict.Fail, fleet.Fleet.VerdictOf("loose-scope-match", "WSD-PRB-003"));
        Assert.Equal(Verdict.Warn, fleet.Fleet.VerdictOf("loose-scope-match", "WSD-PRB-010")); // a SHOULD rule
        Assert.Equal(QuirkProfiles.Find("echo-message-id")!.ExpectedFailures.Order(), fleet.Fleet.Failing("echo-message-id").Order());
        Assert.Equal(QuirkProfiles.Find("loose-scope-match")!.ExpectedFailures.Order(), fleet.Fleet.Failing("loose-scope-match").Order());

        // Empty ProbeMatches name no endpoint and come from the address every camera shares: nobody can be blamed.
        Assert.Subset(new HashSet<string> { "WSD-PRB-011" }, fleet.Fleet.Failing("empty-probe-matches").ToHashSet());
    }
}
