using System.Net;
using System.Net.Sockets;
using Harness.Capture;
using Harness.Conformance.Replay;
using Harness.Core.Diagnostics;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.Simulators.Cameras;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Tests.Replay;

/// <summary>
/// Real UDP on loopback: a session with a simulated camera is recorded (multicast Probe and Resolve on a private port,
/// interface lo), written to pcapng and read back, then replayed unicast to a live camera. Each test has its own
/// port and camera addresses (127.0.0.5x), so tests in parallel do not hear each other.
/// </summary>
public sealed class ActiveReplayLoopbackTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static int s_nextPort = Environment.ProcessId % 3000;

    [Fact]
    public async Task Replay_SameCamera_AnswersAsRecorded()
    {
        var port = FreePort();
        await using var camera = await StartCameraAsync(seed: 1, "127.0.0.50", port);
        var capture = await RecordSessionAsync(camera, port);

        var (report, records) = await ReplayAsync(capture, new IPEndPoint(IPAddress.Parse("127.0.0.50"), port));

        Assert.Equal(["Probe", "Resolve"], report.Requests.Select(r => r.Captured.Kind));
        Assert.All(report.Requests, r => Assert.True(r.AnsweredAsRecorded, report.Describe()));
        Assert.All(report.Requests, r => Assert.NotEmpty(r.ComparedRecordedAnswers));
        Assert.All(report.Requests, r => Assert.Equal(ReplayRequestEncoding.OriginalBytes, r.Encoding));
        Assert.All(report.Requests, r => Assert.NotEqual(r.Captured.MessageId, r.ReplayedMessageId));
        Assert.True(report.AnsweredAsRecorded);
        Assert.Contains(records, r => r.Direction == TrafficDirection.Outbound);
        Assert.Contains(records, r => r.Direction == TrafficDirection.Inbound);
        AssertPcapNgRoundTrips(records);
    }

    [Fact]
    public async Task Replay_CameraChangedItsScopes_ScopeDifferenceAndMetadataVersionUp()
    {
        var port = FreePort();
        await using var camera = await StartCameraAsync(seed: 1, "127.0.0.51", port);
        var capture = await RecordSessionAsync(camera, port);
        var name = camera.Service.Scopes.Single(s => s.Contains("/name/", StringComparison.Ordinal));
        await camera.SetScopesAsync([.. camera.Service.Scopes.Where(s => s != name), "onvif://www.onvif.org/name/Renamed"], CancellationToken.None);

        var (report, _) = await ReplayAsync(capture, new IPEndPoint(IPAddress.Parse("127.0.0.51"), port));

        Assert.Equal(2, report.Requests.Count);
        foreach (var request in report.Requests)
        {
            var scopes = Assert.Single(request.Differences, d => d.Kind == ReplayDifferenceKind.Scopes);
            Assert.Equal(ViolationSeverity.Warning, scopes.Severity);
            Assert.Equal(name, scopes.Recorded);
            Assert.Equal("onvif://www.onvif.org/name/Renamed", scopes.Live);
            var version = Assert.Single(request.Differences, d => d.Kind == ReplayDifferenceKind.MetadataVersion);
            Assert.Equal(("1", "2", "went up"), (version.Recorded, version.Live, version.MetadataChange()));
            Assert.DoesNotContain(request.Differences, d => d.Severity == ViolationSeverity.Error);
        }
    }

    [Fact]
    public async Task Replay_CameraStopped_AnsweredBecomesSilentError()
    {
        var port = FreePort();
        IReadOnlyList<TrafficRecord> capture;
        await using (var camera = await StartCameraAsync(seed: 1, "127.0.0.52", port))
        {
            capture = await RecordSessionAsync(camera, port);
        }

        var (report, _) = await ReplayAsync(capture, new IPEndPoint(IPAddress.Parse("127.0.0.52"), port), window: TimeSpan.FromSeconds(1));

        Assert.Equal(2, report.Requests.Count);
        foreach (var request in report.Requests)
        {
            var difference = Assert.Single(request.Differences);
            Assert.Equal((ReplayDifferenceKind.Answered, ViolationSeverity.Error, "silence"), (difference.Kind, difference.Severity, difference.Live));
        }

        Assert.All(report.ToFindings("camera"), f => Assert.Equal(Harness.Conformance.Model.Verdict.Fail, f.Verdict));
    }

    [Fact]
    public async Task Replay_AnotherCamera_EndpointDifferenceOnProbeSilenceOnResolve()
    {
        var port = FreePort();
        IReadOnlyList<TrafficRecord> capture;
        string recordedEpr;
        await using (var camera = await StartCameraAsync(seed: 1, "127.0.0.53", port))
        {
            capture = await RecordSessionAsync(camera, port);
            recordedEpr = camera.EndpointAddress;
        }

        var otherPort = FreePort();
        await using var other = await StartCameraAsync(seed: 2, "127.0.0.54", otherPort);
        Assert.NotEqual(recordedEpr, other.EndpointAddress);

        var (report, _) = await ReplayAsync(
            capture,
            new IPEndPoint(IPAddress.Parse("127.0.0.54"), otherPort),
            window: TimeSpan.FromSeconds(3),
            xaddrHosts: XAddrHostComparison.IgnoreWhenTargetMoved);

        var probe = report.Requests.Single(r => r.Captured.Kind == "Probe");
        var endpoint = Assert.Single(probe.Differences, d => d.Kind == ReplayDifferenceKind.Endpoint);
        Assert.Equal((ViolationSeverity.Error, recordedEpr, other.EndpointAddress), (endpoint.Severity, endpoint.Recorded, endpoint.Live));
        Assert.DoesNotContain(probe.Differences, d => d.Kind == ReplayDifferenceKind.XAddrs); // same path and port on the moved host
        Assert.DoesNotContain(probe.Differences, d => d.Kind == ReplayDifferenceKind.Types);
        var resolve = report.Requests.Single(r => r.Captured.Kind == "Resolve");
        Assert.Equal(ReplayDifferenceKind.Answered, Assert.Single(resolve.Differences).Kind);
    }

    [Fact]
    public async Task Replay_MulticastAsRecorded_SameCameraAnswersThroughTheGroup()
    {
        var port = FreePort();
        await using var camera = await StartCameraAsync(seed: 1, "127.0.0.55", port);
        var capture = await RecordSessionAsync(camera, port);

        var (report, _) = await ReplayAsync(capture, new IPEndPoint(IPAddress.Parse("127.0.0.55"), port), multicast: true);

        Assert.All(report.Requests, r => Assert.Equal(new IPEndPoint(WsdMulticast.IPv4Group, port), r.SentTo));
        Assert.All(report.Requests, r => Assert.True(r.AnsweredAsRecorded, report.Describe()));
    }

    [Fact]
    public async Task Replay_MulticastProbeTwoCamerasAnswered_RecordedEndpointComparesOnlyTheTargetsMatches()
    {
        // Both cameras answer the recorded multicast Probe from 127.0.0.1 (their shared multicast socket); replayed
        // unicast to one camera, only that camera answers. Compared match for match this was a MatchCount error
        // (recorded 2, live 1) on a camera that behaves exactly as recorded.
        var port = FreePort();
        await using var first = await StartCameraAsync(seed: 1, "127.0.0.56", port);
        await using var second = await StartCameraAsync(seed: 2, "127.0.0.57", port);
        var capture = await RecordSessionAsync(first, port, expected: 2);
        var target = new IPEndPoint(IPAddress.Parse("127.0.0.56"), port);

        var (plain, _) = await ReplayAsync(capture, target);
        var (narrowed, _) = await ReplayAsync(capture, target, recordedEndpoint: first.EndpointAddress);

        Assert.Contains(plain.Differences, d => d.Kind == ReplayDifferenceKind.MatchCount);
        Assert.All(narrowed.Requests, r => Assert.True(r.AnsweredAsRecorded, narrowed.Describe()));
        Assert.Equal(["Probe", "Resolve"], narrowed.Requests.Select(r => r.Captured.Kind));
    }

    private static async Task<FakeCamera> StartCameraAsync(int seed, string address, int port) =>
        await FakeCamera.StartAsync(
            new FakeCameraOptions
            {
                Seed = seed,
                Interface = "lo",
                MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port),
                UnicastAddress = IPAddress.Parse(address),
                AnswerDelay = TimeSpan.FromMilliseconds(20),
                HelloDelay = TimeSpan.FromMilliseconds(10),
            },
            CancellationToken.None);

    /// <summary>
    /// A client probes (multicast) and resolves the camera, recorded; the records are written to pcapng and read back
    /// as a capture would be (the private port labelled wsd).
    /// </summary>
    private static async Task<IReadOnlyList<TrafficRecord>> RecordSessionAsync(FakeCamera camera, int port, int expected = 1)
    {
        var recorder = new TrafficRecorder();
        var transport = new RecordingDatagramTransport(WsdTransports.BindClient(AddressFamily.InterNetwork, "lo"), recorder, "wsd");
        await using (var client = new DiscoveryClient(
            transport,
            new DiscoveryClientOptions { Protocols = [WsdProtocol.V2005], MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port), Seed = port }))
        {
            var found = await client.ProbeAsync(new ProbeRequest { Timeout = Patience, MaxResults = expected }, CancellationToken.None);
            Assert.Equal(expected, found.Count);
            Assert.Contains(found, s => s.EndpointAddress == camera.EndpointAddress);
            Assert.NotNull(await client.ResolveAsync(camera.EndpointAddress, Patience, CancellationToken.None));
        }

        using var pcapng = new MemoryStream();
        using (var writer = new PcapNgWriter(pcapng, leaveOpen: true))
        {
            foreach (var record in recorder.Snapshot())
            {
                writer.Write(record);
            }
        }

        pcapng.Position = 0;
        using var file = CaptureFile.Open(pcapng, new CaptureOptions { ProtocolPorts = new Dictionary<int, string> { [port] = "wsd" } }, leaveOpen: true);
        return [.. file.Records()];
    }

    private static async Task<(ReplayReport Report, IReadOnlyList<TrafficRecord> Records)> ReplayAsync(
        IReadOnlyList<TrafficRecord> capture,
        IPEndPoint target,
        TimeSpan? window = null,
        bool multicast = false,
        XAddrHostComparison xaddrHosts = XAddrHostComparison.Exact,
        string? recordedEndpoint = null)
    {
        var recorder = new TrafficRecorder();
        await using var transport = WsdTransports.BindClient(AddressFamily.InterNetwork, "lo");
        var options = new ActiveReplayOptions
        {
            UnicastWindow = window ?? Patience,
            MulticastWindow = window ?? Patience,
            QuietPeriod = TimeSpan.FromMilliseconds(300),
            MulticastAsRecorded = multicast,
            XAddrHosts = xaddrHosts,
            RecordedEndpoint = recordedEndpoint,
            Seed = target.Port + 1, // not the recording client's seed: its MessageIDs would come out again
        };
        var report = await new ActiveReplay(transport, recorder, options).RunAsync(capture, target, CancellationToken.None);
        return (report, recorder.Snapshot());
    }

    private static void AssertPcapNgRoundTrips(IReadOnlyList<TrafficRecord> records)
    {
        using var stream = new MemoryStream();
        using (var writer = new PcapNgWriter(stream, leaveOpen: true))
        {
            foreach (var record in records)
            {
                writer.Write(record);
            }
        }

        stream.Position = 0;
        using var file = CaptureFile.Open(stream, leaveOpen: true);
        Assert.Equal(records.Count, file.Records().Count());
    }

    /// <summary>
    /// A UDP port no socket holds right now, from 15000-17999: below the kernel's ephemeral range (so no client socket
    /// is handed it later) and apart from the 20000+ blocks the WS-Discovery rule tests give their fleets.
    /// </summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 3000; attempt++)
        {
            var port = 15_000 + (Interlocked.Increment(ref s_nextPort) % 3000);
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException("No free UDP port in 15000-17999.");
    }
}
