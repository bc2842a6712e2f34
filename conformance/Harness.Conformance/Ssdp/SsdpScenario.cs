using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;

namespace Harness.Conformance.Ssdp;

/// <summary>How the SSDP stimuli of one device are timed and which of them run.</summary>
public sealed record SsdpScenarioOptions
{
    /// <summary>
    /// How long every search stimulus is listened to (default 6 s: the checklist's silence window for a search without
    /// MX, and longer than the 5.5 s bound of the MX clamp). All stimuli run at once inside it.
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>MX of the searches whose answers are counted (default 1 s: the answers come within a second).</summary>
    public int SearchMx { get; init; } = 1;

    /// <summary>MX of the two overlapping <c>ssdp:all</c> searches (default 2 s), whose answers are spread over it.</summary>
    public int SpreadMx { get; init; } = 2;

    /// <summary>MX of the clamp probe (default 120, SSDP-MSEARCH-004).</summary>
    public int ClampMx { get; init; } = 120;

    /// <summary>The clamp probes' answers must come within this plus <see cref="Tolerance"/> (default 5 s: MX clamped to 5).</summary>
    public TimeSpan ClampBound { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Allowed lateness of an answer over MX, over 1 s for a unicast search, and over the clamp bound (default 800 ms:
    /// the checklist's 0.5 s plus scheduling jitter). The window should be at least the clamp bound plus this.
    /// </summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>MX of the spread probes (default 3 s, SSDP-MSEARCH-015).</summary>
    public int SpreadProbeMx { get; init; } = 3;

    /// <summary>When, after the first stimuli, the spread probes go out (default 2 s: after the burst of the first answers).</summary>
    public TimeSpan SpreadProbeDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Restart the device when the suite has a restart hook (SSDP-UPDATE-002, SSDP-NOTIFY-003, SSDP-BYEBYE-*). Default true.</summary>
    public bool Restart { get; init; } = true;

    /// <summary>How long the NOTIFYs after a restart or a configuration change are collected (default 1.5 s).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Change the device's configuration when the suite has that hook (SSDP-CONFIG-001). Default true.</summary>
    public bool ChangeConfiguration { get; init; } = true;

    /// <summary>Bound of each HTTP GET, connection to last byte (default 30 s, the UDA's bound of DESC-HTTP-001).</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest HTTP answer read (default 1 MiB).</summary>
    public int MaxHttpBytes { get; init; } = 1 << 20;

    /// <summary>Most SCPD documents fetched per device (default 16).</summary>
    public int MaxScpdFetches { get; init; } = 16;

    /// <summary>Seed of the random bytes and UUIDs of the stimuli; null for a fresh one per device.</summary>
    public int? Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable values.</summary>
    public void Validate()
    {
        if (Window <= TimeSpan.Zero || ClampBound <= TimeSpan.Zero || Tolerance < TimeSpan.Zero || Settle < TimeSpan.Zero || HttpTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Scenario durations must be positive.");
        }

        if (SearchMx < 1 || SpreadMx < 1 || ClampMx < 1 || SpreadProbeMx < 1 || SpreadProbeDelay < TimeSpan.Zero || MaxHttpBytes < 1 || MaxScpdFetches < 0)
        {
            throw new ArgumentException("MX values and limits must be positive.");
        }
    }
}

/// <summary>What a stimulus should provoke from the device.</summary>
internal enum SsdpExpect
{
    /// <summary>Answers (how many and which: the rule decides).</summary>
    Answer,

    /// <summary>No answer from the device.</summary>
    Silence,

    /// <summary>Nothing in particular (hostile input).</summary>
    Nothing,
}

/// <summary>One datagram the scenario sent from a socket of its own, and what came back to that socket.</summary>
internal sealed class SsdpStimulus(string name, string detail, SsdpExpect expect, TrafficRecord request, int? mx, string searchTarget, bool multicast, SsdpReplyBox replies)
{

    public string Name { get; } = name;

    public string Detail { get; } = detail;

    public SsdpExpect Expect { get; } = expect;

    public TrafficRecord Request { get; } = request;

    public int? Mx { get; } = mx;

    public string SearchTarget { get; } = searchTarget;

    public bool Multicast { get; } = multicast;

    /// <summary>Every datagram that came back to the stimulus's socket, in arrival order.</summary>
    public IReadOnlyList<TrafficRecord> Replies => replies.Snapshot();
}

/// <summary>What came back to one probe socket (from its first datagram on: an answer may beat the send's bookkeeping).</summary>
internal sealed class SsdpReplyBox
{
    private readonly List<TrafficRecord> _replies = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<TrafficRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _replies];
        }
    }

    public void Add(TrafficRecord record)
    {
        lock (_gate)
        {
            if (_replies.Count < 512)
            {
                _replies.Add(record);
            }
        }
    }
}

/// <summary>What the scenario did to one device; the rules read the answers from it and from the session.</summary>
internal sealed class SsdpScenarioResult
{
    public required Device Device { get; init; }

    public required SsdpScenarioOptions Options { get; init; }

    public required IReadOnlyList<SsdpStimulus> Stimuli { get; init; }

    /// <summary>The (NT, USN) pairs the device should announce and answer ssdp:all with.</summary>
    public required IReadOnlyList<SsdpAnnouncement> Expected { get; init; }

    /// <summary>True when <see cref="Expected"/> comes from the device's description (else from what it announced).</summary>
    public bool ExpectedFromDescription { get; init; }

    public IPEndPoint? Unicast { get; init; }

    public DateTimeOffset Started { get; init; }

    public DateTimeOffset Ended { get; init; }

    /// <summary>Why the device could not be provoked at all, or null.</summary>
    public string? Skipped { get; init; }

    /// <summary>The Accept-Language GET of the description, or null.</summary>
    public SsdpHttpExchange? LanguageFetch { get; init; }

    public bool RestartAttempted { get; init; }

    public DateTimeOffset? RestartBegin { get; init; }

    public DateTimeOffset? RestartEnd { get; init; }

    public string? RestartError { get; init; }

    public int? BootIdBefore { get; init; }

    public bool ConfigurationAttempted { get; init; }

    public DateTimeOffset? ConfigurationBegin { get; init; }

    public DateTimeOffset? ConfigurationEnd { get; init; }

    public string? ConfigurationError { get; init; }

    public int? ConfigIdBefore { get; init; }

    /// <summary>The description GET after the configuration change, or null.</summary>
    public SsdpHttpExchange? ConfigurationFetch { get; init; }

    public IEnumerable<SsdpStimulus> Named(string name) => Stimuli.Where(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public SsdpStimulus? First(string name) => Named(name).FirstOrDefault();

    public IEnumerable<SsdpStimulus> Starting(string prefix) => Stimuli.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>
/// Provokes one UPnP root device, once: every M-SEARCH the active rules need goes out at once, each from a socket of its
/// own (SSDP answers carry no request id: the port they come back to says which request they answer), and one window
/// (<see cref="SsdpScenarioOptions.Window"/>) collects the answers; the Accept-Language and SCPD GETs run meanwhile.
/// Then, when the suite has the hooks, the device restarts and changes its configuration, and the NOTIFYs that follow
/// are collected.
/// </summary>
internal static class SsdpScenario
{
    public const string Control = "uuid-root";
    public const string LinePath = "line-path";
    public const string LineHttp10 = "line-http10";
    public const string LineNoSlash = "line-no-slash";
    public const string NoMx = "no-mx";
    public const string MxZero = "mx-zero";
    public const string MxNegative = "mx-negative";
    public const string MxText = "mx-text";
    public const string MxEmpty = "mx-empty";
    public const string Clamp = "mx-clamp";
    public const string ManMissing = "man-missing";
    public const string ManEmpty = "man-empty";
    public const string ManUnquoted = "man-unquoted";
    public const string ManOther = "man-other";
    public const string AllA = "all-a";
    public const string AllB = "all-b";
    public const string RootDevice = "rootdevice";
    public const string UuidEmbedded = "uuid-embedded";
    public const string UuidUnknown = "uuid-unknown";
    public const string DeviceType = "device-type";
    public const string ServiceType = "service-type";
    public const string VersionLower = "version-lower";
    public const string VersionHigher = "version-higher";
    public const string ExactNoVersion = "exact-no-version";
    public const string ExactCase = "exact-case";
    public const string ExactKind = "exact-kind";
    public const string Unicast = "unicast";
    public const string Noise = "noise";
    public const string Survival = "survival";
    public const string Spread = "spread";

    /// <summary>
    /// The USER-AGENT of every search the harness sends: it marks them, so that a saved session judged as a capture does
    /// not judge the harness's own (deliberately malformed) searches as a control point's.
    /// </summary>
    public const string HarnessUserAgent = "Linux/6 UPnP/1.1 HarnessConformance/1.0";

    public static async Task<SsdpScenarioResult> RunAsync(SsdpSuite suite, ObservedSession session, Device device, CancellationToken cancellationToken)
    {
        var options = suite.Options.Scenario;
        var time = suite.Options.TimeProvider;
#pragma warning disable CA5394 // Stimulus bytes and identifiers, not security.
        var random = new Random(options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
#pragma warning restore CA5394
        var view = SsdpView.Of(session);
        var started = time.GetUtcNow();
        var described = view.Description(device);
        if (described is null && SsdpDevices.Locations(device).FirstOrDefault() is { } location && suite.MayReach(location))
        {
            await suite.FetchAsync(location, [], cancellationToken).ConfigureAwait(false);
            described = SsdpView.Of(session).Description(device);
        }

        var (expected, fromDescription) = ExpectedSet(view, device, described?.Description);
        var group = suite.GroupFor(device);
        var unicast = UnicastEndPoint(device, group.Port);
        if (expected.Count == 0)
        {
            return new SsdpScenarioResult
            {
                Device = device,
                Options = options,
                Stimuli = [],
                Expected = expected,
                Started = started,
                Ended = started,
                Skipped = "Neither a description nor an announcement of the device is known.",
            };
        }

        var root = SsdpDevices.Udns(device)[0];
        var plan = new Plan(random, options, described?.Description, expected, root, group, unicast);
        plan.Build();
        var stimuli = new List<SsdpStimulus>();
        var probes = new List<Probe>();
        try
        {
            foreach (var step in plan.Steps)
            {
                probes.Add(suite.OpenProbe(group.AddressFamily));
            }

            for (var i = 0; i < plan.Steps.Count; i++)
            {
                var step = plan.Steps[i];
                if (step.Delay > TimeSpan.Zero)
                {
                    continue;
                }

                stimuli.Add(await probes[i].SendAsync(step, cancellationToken).ConfigureAwait(false));
            }

            var language = suite.MayReach(SsdpDevices.Locations(device).FirstOrDefault())
                ? suite.FetchAsync(SsdpDevices.Locations(device)[0], [new("Accept-Language", "fr-CA, fr;q=0.9, en;q=0.5")], cancellationToken)
                : Task.FromResult<SsdpHttpExchange?>(null);
            var scpd = FetchScpdAsync(suite, described, options.MaxScpdFetches, cancellationToken);

            foreach (var group2 in plan.Steps.Select((s, i) => (Step: s, Index: i)).Where(x => x.Step.Delay > TimeSpan.Zero).GroupBy(x => x.Step.Delay).OrderBy(g => g.Key))
            {
                var wait = group2.Key - (time.GetUtcNow() - started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                foreach (var (step, index) in group2)
                {
                    stimuli.Add(await probes[index].SendAsync(step, cancellationToken).ConfigureAwait(false));
                }
            }

            var remaining = options.Window - (time.GetUtcNow() - started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, time, cancellationToken).ConfigureAwait(false);
            }

            var languageFetch = await language.ConfigureAwait(false);
            await scpd.ConfigureAwait(false);
            var ended = time.GetUtcNow();
            foreach (var probe in probes)
            {
                await probe.DisposeAsync().ConfigureAwait(false);
            }

            probes.Clear();
            var result = new SsdpScenarioResult
            {
                Device = device,
                Options = options,
                Stimuli = stimuli,
                Expected = expected,
                ExpectedFromDescription = fromDescription,
                Unicast = unicast,
                Started = started,
                Ended = ended,
                LanguageFetch = languageFetch,
            };
            result = await RestartAsync(suite, session, device, result, cancellationToken).ConfigureAwait(false);
            return await ChangeConfigurationAsync(suite, session, device, result, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The pairs the device should announce: from its description (<see cref="SsdpAnnouncements.For"/>) when one was
    /// read, else the distinct pairs of its alive NOTIFYs and answers.
    /// </summary>
    public static (IReadOnlyList<SsdpAnnouncement> Pairs, bool FromDescription) ExpectedSet(SsdpView view, Device device, UpnpDescription? description)
    {
        if (description is not null)
        {
            return (Announced(description, SsdpDevices.Udns(device)[0]), true);
        }

        var pairs = view.From(device)
            .Where(i => (i.IsAlive || i.Response is not null) && i.Target.Kind is not (SsdpTargetKind.Empty or SsdpTargetKind.All))
            .Select(i => new SsdpAnnouncement(i.Target, i.Usn.Value, i.Usn.Udn))
            .DistinctBy(p => p.NotificationType.Value + "|" + p.Usn, StringComparer.Ordinal)
            .ToList();
        return (pairs, false);
    }

    /// <summary>
    /// The pairs of a description (<see cref="SsdpAnnouncements.For"/>), with the root UDN the device announces in place
    /// of the description's when they differ: that mismatch is judged once (SSDP-RESP-007, DESC-XML-007), not by every rule
    /// that counts pairs.
    /// </summary>
    public static IReadOnlyList<SsdpAnnouncement> Announced(UpnpDescription description, string announcedRoot)
    {
        var pairs = SsdpAnnouncements.For(description.Device);
        var described = description.Device.Udn;
        if (string.IsNullOrEmpty(described) || string.IsNullOrEmpty(announcedRoot) || SsdpView.SameUdn(described, announcedRoot))
        {
            return pairs;
        }

        return [.. pairs.Select(p => SsdpView.SameUdn(p.Udn, described)
            ? new SsdpAnnouncement(
                p.NotificationType.Kind == SsdpTargetKind.Uuid ? SsdpTarget.Parse(announcedRoot) : p.NotificationType,
                announcedRoot + p.Usn[described.Length..],
                announcedRoot)
            : p)];
    }

    /// <summary>Where unicast searches go: the LOCATION host on SEARCHPORT, else on the group's port.</summary>
    public static IPEndPoint? UnicastEndPoint(Device device, int groupPort)
    {
        var location = SsdpDevices.Locations(device).FirstOrDefault();
        if (location is null || !IPAddress.TryParse(location.IdnHost.Trim('[', ']'), out var host))
        {
            return null;
        }

        var port = int.TryParse(device.Metadata.GetValueOrDefault(SsdpDevices.SearchPortKey), NumberStyles.None, CultureInfo.InvariantCulture, out var searchPort) && searchPort is > 0 and <= 65535
            ? searchPort
            : groupPort;
        return new IPEndPoint(SsdpView.Normalize(host), port);
    }

    private static async Task FetchScpdAsync(SsdpSuite suite, (SsdpHttpItem Exchange, UpnpDescription Description)? described, int max, CancellationToken cancellationToken)
    {
        if (described is not { } found || found.Exchange.Url is not { } location)
        {
            return;
        }

        var urls = found.Description.AllDevices
            .SelectMany(d => d.Services)
            .Select(s => found.Description.ResolveUrl(s.ScpdUrl, location))
            .OfType<Uri>()
            .Where(u => u.Scheme == "http" && suite.MayReach(u))
            .DistinctBy(u => u.AbsoluteUri, StringComparer.Ordinal)
            .Take(max)
            .ToList();
        await Task.WhenAll(urls.Select(u => suite.FetchAsync(u, [], cancellationToken))).ConfigureAwait(false);
    }

    private static async Task<SsdpScenarioResult> RestartAsync(SsdpSuite suite, ObservedSession session, Device device, SsdpScenarioResult result, CancellationToken cancellationToken)
    {
        if (!result.Options.Restart || suite.Options.Restart is not { } restart)
        {
            return result;
        }

        var time = suite.Options.TimeProvider;
        var before = SsdpView.Of(session).From(device).LastOrDefault(i => i.IsAlive && i.BootId is not null)?.BootId;
        var begin = time.GetUtcNow();
        string? error = null;
        try
        {
            await restart(device, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or SocketException or IOException)
        {
            error = ex.Message;
        }

        var end = time.GetUtcNow();
        if (error is null && result.Options.Settle > TimeSpan.Zero)
        {
            await Task.Delay(result.Options.Settle, time, cancellationToken).ConfigureAwait(false);
        }

        var r = result;
        return new SsdpScenarioResult
        {
            Device = r.Device,
            Options = r.Options,
            Stimuli = r.Stimuli,
            Expected = r.Expected,
            ExpectedFromDescription = r.ExpectedFromDescription,
            Unicast = r.Unicast,
            Started = r.Started,
            Ended = r.Ended,
            LanguageFetch = r.LanguageFetch,
            RestartAttempted = true,
            RestartBegin = begin,
            RestartEnd = end,
            RestartError = error,
            BootIdBefore = before,
        };
    }

    private static async Task<SsdpScenarioResult> ChangeConfigurationAsync(SsdpSuite suite, ObservedSession session, Device device, SsdpScenarioResult result, CancellationToken cancellationToken)
    {
        if (!result.Options.ChangeConfiguration || suite.Options.ChangeConfiguration is not { } change)
        {
            return result;
        }

        var time = suite.Options.TimeProvider;
        var before = SsdpView.Of(session).From(device).LastOrDefault(i => i.IsAlive && i.ConfigId is not null)?.ConfigId;
        var begin = time.GetUtcNow();
        string? error = null;
        try
        {
            await change(device, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or SocketException or IOException)
        {
            error = ex.Message;
        }

        var end = time.GetUtcNow();
        SsdpHttpExchange? fetch = null;
        if (error is null)
        {
            if (result.Options.Settle > TimeSpan.Zero)
            {
                await Task.Delay(result.Options.Settle, time, cancellationToken).ConfigureAwait(false);
            }

            var location = SsdpView.Of(session).From(device).LastOrDefault(i => i.IsAlive && i.Location is not null)?.Location;
            if (location is not null && Uri.TryCreate(location, UriKind.Absolute, out var url) && suite.MayReach(url))
            {
                fetch = await suite.FetchAsync(url, [], cancellationToken).ConfigureAwait(false);
            }
        }

        return new SsdpScenarioResult
        {
            Device = result.Device,
            Options = result.Options,
            Stimuli = result.Stimuli,
            Expected = result.Expected,
            ExpectedFromDescription = result.ExpectedFromDescription,
            Unicast = result.Unicast,
            Started = result.Started,
            Ended = result.Ended,
            LanguageFetch = result.LanguageFetch,
            RestartAttempted = result.RestartAttempted,
            RestartBegin = result.RestartBegin,
            RestartEnd = result.RestartEnd,
            RestartError = result.RestartError,
            BootIdBefore = result.BootIdBefore,
            ConfigurationAttempted = true,
            ConfigurationBegin = begin,
            ConfigurationEnd = end,
            ConfigurationError = error,
            ConfigIdBefore = before,
            ConfigurationFetch = fetch,
        };
    }

    /// <summary>One datagram to send: what, where, and what it should provoke.</summary>
    internal sealed record Step(string Name, string Detail, SsdpExpect Expect, byte[] Payload, IPEndPoint Destination, int? Mx, string SearchTarget, TimeSpan Delay = default);

    /// <summary>A socket of one stimulus: sends, and records (into the suite's recorder) what comes back to it.</summary>
    internal sealed class Probe : IAsyncDisposable
    {
        private readonly IDatagramTransport _transport;
        private readonly TrafficRecorder _recorder;
        private readonly CancellationTokenSource _stopping = new();
        private readonly Task _loop;
        private readonly SsdpReplyBox _replies = new();

        public Probe(IDatagramTransport transport, TrafficRecorder recorder)
        {
            _transport = transport;
            _recorder = recorder;
            _loop = Task.Run(ReceiveLoopAsync);
        }

        public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

        public async Task<SsdpStimulus> SendAsync(Step step, CancellationToken cancellationToken)
        {
            await _transport.SendAsync(step.Payload, step.Destination, cancellationToken).ConfigureAwait(false);
            var source = _transport.LocalEndPoint;
            if ((source.Address.Equals(IPAddress.Any) || source.Address.Equals(IPAddress.IPv6Any))
                && _transport is ILocalAddressSelector selector
                && selector.SelectLocalAddress(step.Destination.Address) is { } local)
            {
                source = new IPEndPoint(local, source.Port);
            }

            var request = _recorder.Record(TrafficDirection.Outbound, TrafficTransport.Udp, source, step.Destination, step.Payload, Protocols.Ssdp);
            return new SsdpStimulus(step.Name, step.Detail, step.Expect, request, step.Mx, step.SearchTarget, step.Destination.Address.IsMulticast(), _replies);
        }

        public async ValueTask DisposeAsync()
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            await _stopping.CancelAsync().ConfigureAwait(false);
            await _transport.DisposeAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stopping.Dispose();
        }

        private async Task ReceiveLoopAsync()
        {
            var token = _stopping.Token;
            var errors = 0;
            while (!token.IsCancellationRequested)
            {
                Datagram datagram;
                try
                {
                    datagram = await _transport.ReceiveAsync(token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException) when (++errors < 100)
                {
                    continue;
                }
                catch (SocketException)
                {
                    return;
                }

                var destination = datagram.Destination.Port == 0 ? _transport.LocalEndPoint : datagram.Destination;
                var record = _recorder.Record(TrafficDirection.Inbound, TrafficTransport.Udp, datagram.Source, destination, datagram.Payload.Span, Protocols.Ssdp, datagram.ReceivedAt);
                _replies.Add(record);
            }
        }
    }

    /// <summary>Builds the stimuli from the device's description (or what it announced).</summary>
    private sealed class Plan(Random random, SsdpScenarioOptions options, UpnpDescription? description, IReadOnlyList<SsdpAnnouncement> expected, string root, IPEndPoint group, IPEndPoint? unicast)
    {
        private const int MaxTypeProbes = 12;

        public List<Step> Steps { get; } = [];

        private string Host => SsdpMessage.HostFor(group);

        public void Build()
        {
            var mx = options.SearchMx.ToString(CultureInfo.InvariantCulture);
            var rootTarget = "uuid:" + RootUuid;
            Add(Control, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, mx, rootTarget);
            Add(LinePath, SsdpExpect.Silence, "M-SEARCH /x HTTP/1.1", Discover, mx, rootTarget);
            Add(LineHttp10, SsdpExpect.Silence, "M-SEARCH * HTTP/1.0", Discover, mx, rootTarget);
            Add(LineNoSlash, SsdpExpect.Silence, "M-SEARCH * HTTP1.1", Discover, mx, rootTarget);
            Add(NoMx, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, null, rootTarget);
            Add(MxZero, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, "0", rootTarget);
            Add(MxNegative, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, "-1", rootTarget);
            Add(MxText, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, "abc", rootTarget);
            Add(MxEmpty, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, string.Empty, rootTarget);
            for (var i = 0; i < 3; i++)
            {
                // Three probes: a device that does not clamp answers all three within the bound only by rare chance.
                Add(Clamp, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, options.ClampMx.ToString(CultureInfo.InvariantCulture), rootTarget);
            }
            Add(ManMissing, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", null, mx, rootTarget);
            Add(ManEmpty, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", string.Empty, mx, rootTarget);
            Add(ManUnquoted, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", "ssdp:discover", mx, rootTarget);
            Add(ManOther, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", "\"ssdp:notify\"", mx, rootTarget);
            var spread = options.SpreadMx.ToString(CultureInfo.InvariantCulture);
            Add(AllA, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, spread, SsdpTarget.AllValue);
            Add(AllB, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, spread, SsdpTarget.AllValue, delay: TimeSpan.FromMilliseconds(150));
            Add(RootDevice, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, mx, SsdpTarget.RootDeviceValue);
            foreach (var udn in expected.Select(p => p.Udn).Distinct(StringComparer.OrdinalIgnoreCase).Where(u => !SsdpView.SameUdn(u, root)).Take(MaxTypeProbes))
            {
                Add(UuidEmbedded, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, mx, udn);
            }

            Add(UuidUnknown, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, mx, "uuid:" + NewUuid());
            var deviceTypes = expected.Where(p => p.NotificationType.Kind == SsdpTargetKind.DeviceType).Select(p => p.NotificationType).DistinctBy(t => t.Value, StringComparer.Ordinal).ToList();
            var serviceTypes = expected.Where(p => p.NotificationType.Kind == SsdpTargetKind.ServiceType).Select(p => p.NotificationType).DistinctBy(t => t.Value, StringComparer.Ordinal).ToList();
            foreach (var type in deviceTypes.Take(MaxTypeProbes))
            {
                Add(DeviceType, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, mx, type.Value);
            }

            foreach (var type in serviceTypes.Take(MaxTypeProbes))
            {
                Add(ServiceType, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, mx, type.Value);
            }

            foreach (var type in deviceTypes.Concat(serviceTypes).Where(t => t.Version >= 2).Take(4))
            {
                Add(VersionLower, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, mx, type.WithVersion(type.Version - 1).Value);
            }

            var rootType = description is not null ? SsdpTarget.Parse(description.Device.DeviceType) : deviceTypes.FirstOrDefault();
            if (rootType.IsType)
            {
                var highest = deviceTypes.Concat(serviceTypes).Where(t => t.Kind == rootType.Kind && t.Domain == rootType.Domain && t.TypeName == rootType.TypeName).Max(t => (int?)t.Version) ?? rootType.Version;
                Add(VersionHigher, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, mx, rootType.WithVersion(highest + 1).Value);
                var value = rootType.Value;
                Add(ExactNoVersion, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, mx, value[..value.LastIndexOf(':')]);
                var lowered = "urn:" + rootType.Domain + ":device:" + rootType.TypeName!.ToLowerInvariant() + ":" + rootType.Version.ToString(CultureInfo.InvariantCulture);
                if (!string.Equals(lowered, value, StringComparison.Ordinal) && !deviceTypes.Any(t => t.Value == lowered))
                {
                    Add(ExactCase, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, mx, lowered);
                }

                var otherKind = "urn:" + rootType.Domain + ":service:" + rootType.TypeName + ":" + rootType.Version.ToString(CultureInfo.InvariantCulture);
                if (!serviceTypes.Any(t => SsdpTarget.Parse(otherKind).Matches(t, out _)))
                {
                    Add(ExactKind, SsdpExpect.Silence, "M-SEARCH * HTTP/1.1", Discover, mx, otherKind);
                }
            }

            for (var i = 0; i < 4; i++)
            {
                // Four searches sent together once the first answers are in: their answers come at random times within MX.
                Add(Spread, SsdpExpect.Answer, "M-SEARCH * HTTP/1.1", Discover, options.SpreadProbeMx.ToString(CultureInfo.InvariantCulture), rootTarget, options.SpreadProbeDelay);
            }

            if (unicast is not null)
            {
                var bytes = SearchBytes("M-SEARCH * HTTP/1.1", SsdpMessage.HostFor(unicast), Discover, null, SsdpTarget.RootDeviceValue);
                Steps.Add(new Step(Unicast, $"unicast to {unicast}, HOST {SsdpMessage.HostFor(unicast)}, no MX, ST upnp:rootdevice", SsdpExpect.Answer, bytes, unicast, null, SsdpTarget.RootDeviceValue));
            }

            // Non-UPnP datagrams on the SSDP port, then a search that must still be answered (SSDP-CP-005).
            var noise = new byte[300];
#pragma warning disable CA5394 // Hostile test bytes, not security.
            random.NextBytes(noise);
#pragma warning restore CA5394
            var to = unicast ?? group;
            Steps.Add(new Step(Noise, "300 random bytes", SsdpExpect.Nothing, noise, to, null, string.Empty, TimeSpan.FromMilliseconds(50)));
            Steps.Add(new Step(Noise, "a Windows PNRP-style datagram", SsdpExpect.Nothing, Encoding.ASCII.GetBytes("NOTIFY * HTTP/1.1\r\nHost:[FF02::C]:1900\r\nNT:urn:Microsoft Windows Peer Name Resolution Protocol: V4:IPV6:LinkLocal\r\nNTS:ssdp:alive\r\nLocation:[fe80::1]:3540\r\nUSN:[fe80::1]:3540\r\nCache-Control:max-age=14400\r\n\r\n"), to, null, string.Empty, TimeSpan.FromMilliseconds(50)));
            Steps.Add(new Step(Noise, "a truncated M-SEARCH", SsdpExpect.Nothing, Encoding.ASCII.GetBytes("M-SEARCH * HTTP/1.1\r\nHOST: " + Host + "\r\nUSER-AGENT: " + HarnessUserAgent + "\r\nMAN: \"ssdp:disc"), to, null, string.Empty, TimeSpan.FromMilliseconds(50)));
            Steps.Add(new Step(Survival, "after the noise: MX " + mx + ", ST " + rootTarget, SsdpExpect.Answer, SearchBytes("M-SEARCH * HTTP/1.1", Host, Discover, mx, rootTarget), group, options.SearchMx, rootTarget, TimeSpan.FromMilliseconds(200)));
        }

        private static string Discover => SsdpSearchRequest.DiscoverMan;

        private string RootUuid => root.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase) ? root[5..] : root;

        private void Add(string name, SsdpExpect expect, string requestLine, string? man, string? mx, string searchTarget, TimeSpan delay = default)
        {
            var bytes = SearchBytes(requestLine, Host, man, mx, searchTarget);
            var detail = $"'{requestLine}', MAN {(man is null ? "missing" : "'" + man + "'")}, MX {(mx is null ? "missing" : "'" + mx + "'")}, ST {searchTarget}";
            int? mxValue = int.TryParse(mx, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            Steps.Add(new Step(name, detail, expect, bytes, group, mxValue, searchTarget, delay));
        }

        private static byte[] SearchBytes(string requestLine, string host, string? man, string? mx, string searchTarget)
        {
            var text = new StringBuilder();
            text.Append(requestLine).Append("\r\nHOST: ").Append(host).Append("\r\nUSER-AGENT: ").Append(HarnessUserAgent).Append("\r\n");
            if (man is not null)
            {
                text.Append("MAN: ").Append(man).Append("\r\n");
            }

            if (mx is not null)
            {
                text.Append("MX: ").Append(mx).Append("\r\n");
            }

            text.Append("ST: ").Append(searchTarget).Append("\r\n\r\n");
            return Encoding.ASCII.GetBytes(text.ToString());
        }

        private string NewUuid()
        {
            Span<byte> bytes = stackalloc byte[16];
#pragma warning disable CA5394 // Identifiers of stimuli, not security.
            random.NextBytes(bytes);
#pragma warning restore CA5394
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes).ToString("D");
        }
    }
}
