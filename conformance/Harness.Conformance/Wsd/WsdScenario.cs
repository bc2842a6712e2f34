using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Harness.Conformance.Model;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Wsd;

/// <summary>How the WS-Discovery stimuli of one device are timed and which of them run.</summary>
public sealed record WsdScenarioOptions
{
    /// <summary>
    /// APP_MAX_DELAY the device is held to; null for the family's 500 ms, or 2,500 ms for a DPWS device (types include
    /// the devices-profile <c>Device</c>), what WSDAPI answers within.
    /// </summary>
    public TimeSpan? AppMaxDelay { get; init; }

    /// <summary>Added to APP_MAX_DELAY for the one silence window of a device (default 500 ms).</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Allowed lateness of a multicast answer or a Hello over APP_MAX_DELAY (default 300 ms; scheduling jitter).</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>When, after the first stimuli, the hostile datagrams and the survival Probe go out (default 150 ms).</summary>
    public TimeSpan HostileDelay { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How long to wait for the Hello after a restart; null for 2 × APP_MAX_DELAY + 1 s.</summary>
    public TimeSpan? RestartTimeout { get; init; }

    /// <summary>Restart the device when the target can (WSD-MSG-011, -014, WSD-HB-001..003). Default true.</summary>
    public bool Restart { get; init; } = true;

    /// <summary>Seed of the stimuli's MessageIDs and prefixes; null for a fresh one per device.</summary>
    public int? Seed { get; init; }

    /// <summary>The multicast endpoint for the device; null for the family's group on the device's discovery port.</summary>
    public IPEndPoint? MulticastEndPoint { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable values.</summary>
    public void Validate()
    {
        if (AppMaxDelay < TimeSpan.Zero || Margin < TimeSpan.Zero || Tolerance < TimeSpan.Zero || HostileDelay < TimeSpan.Zero || RestartTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("Scenario durations must not be negative.");
        }
    }
}

/// <summary>What an active check expects a stimulus to provoke.</summary>
internal enum WsdExpect
{
    /// <summary>A ProbeMatch or ResolveMatch for the device.</summary>
    Match,

    /// <summary>No match for the device (multicast: nothing at all).</summary>
    Silence,

    /// <summary>No match; a MatchingRuleNotSupported fault is allowed (unicast only).</summary>
    FaultOrSilence,

    /// <summary>Nothing in particular (hostile input).</summary>
    Nothing,
}

/// <summary>One request the scenario sent.</summary>
/// <param name="Name">What it tests, e.g. <c>wildcard</c>, <c>scope-strcmp0-case</c>.</param>
/// <param name="MessageId">Its MessageID (null for hostile bytes).</param>
/// <param name="Request">The record of the first copy sent.</param>
/// <param name="Protocol">The family it was written in.</param>
/// <param name="Expect">What it should provoke.</param>
/// <param name="Detail">What was asked (the types, scopes or endpoint), for messages.</param>
internal sealed record WsdStimulus(string Name, string? MessageId, TrafficRecord Request, WsdProtocol Protocol, WsdExpect Expect, string Detail)
{
    public bool Multicast => Request.Destination.Address.IsMulticast();
}

/// <summary>What the scenario did to one device; the rules read the answers from the session.</summary>
internal sealed class WsdScenarioResult
{
    public required Device Device { get; init; }

    public required WsdScenarioOptions Options { get; init; }

    public required TimeSpan AppMaxDelay { get; init; }

    public required IReadOnlyList<WsdStimulus> Stimuli { get; init; }

    public required IReadOnlyList<WsdProtocol> Families { get; init; }

    public required WsdProtocol Primary { get; init; }

    public IPEndPoint? Unicast { get; init; }

    public IPEndPoint? Multicast { get; init; }

    public DateTimeOffset Started { get; init; }

    public DateTimeOffset Phase1End { get; init; }

    /// <summary>Why the device could not be provoked at all, or null.</summary>
    public string? Skipped { get; init; }

    public bool RestartAttempted { get; init; }

    public DateTimeOffset? RestartBegin { get; init; }

    public DateTimeOffset? RestartEnd { get; init; }

    public string? RestartError { get; init; }

    /// <summary>Why the device was not restarted although the target offered it (the hook does not know it), or null.</summary>
    public string? RestartSkipped { get; init; }

    /// <summary>Why the restart rules cannot judge: the reason for NotApplicable findings.</summary>
    public string NoRestartReason => RestartSkipped is { } why ? "The device could not be restarted: " + why : "The device could not be restarted.";

    public IEnumerable<WsdStimulus> Named(string name) => Stimuli.Where(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public IEnumerable<WsdStimulus> Starting(string prefix) => Stimuli.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>
/// Provokes one WS-Discovery target service through an <see cref="ITarget"/>, once: every stimulus the active rules
/// need goes out together (unicast where the answer tells enough, since unicast requests are answered at once;
/// multicast for the silence cases), then one window of APP_MAX_DELAY + margin collects the answers; the hostile
/// datagrams and a survival Probe go out early in that window. Then, when the target can, the device restarts and the
/// Hello, the Bye and a Probe answer after the restart are collected.
/// </summary>
internal static class WsdScenario
{
    public const string Wildcard = "wildcard";
    public const string MulticastBaseline = "multicast-baseline";
    public const string TypePrefixed = "type-random-prefix";
    public const string TypeOtherNamespace = "type-other-namespace";
    public const string ScopeExact = "scope-exact";
    public const string ScopeForeign = "scope-foreign";
    public const string ScopeParentDefault = "scope-parent-default";
    public const string ScopeParentRfc = "scope-parent-rfc";
    public const string ScopeSchemeCase = "scope-scheme-case";
    public const string ScopePartialSegment = "scope-partial-segment";
    public const string Strcmp0Exact = "scope-strcmp0-exact";
    public const string Strcmp0Case = "scope-strcmp0-case";
    public const string UuidExact = "scope-uuid-exact";
    public const string UuidOther = "scope-uuid-other";
    public const string LdapExact = "scope-ldap-exact";
    public const string LdapOther = "scope-ldap-other";
    public const string MatchByNone = "matchby-none";
    public const string UnknownRuleUnicast = "matchby-unknown-unicast";
    public const string UnknownRuleMulticast = "matchby-unknown-multicast";
    public const string Duplicate = "duplicate";
    public const string ResolveOwn = "resolve-own";
    public const string ResolveOther = "resolve-other";
    public const string Hostile = "hostile";
    public const string Survival = "survival";
    public const string Onvif2005 = "onvif-nvt-2005";
    public const string OnvifRoot = "onvif-rfc3986-root";
    public const string OnvifExact = "onvif-rfc3986-scope";
    public const string OnvifPartial = "onvif-rfc3986-partial";
    public const string OddPrefix = "form-odd-prefix";
    public const string DefaultNamespace = "form-default-namespace";
    public const string DefaultNamespaceType = "form-default-namespace-type";
    public const string PostRestart = "post-restart";

    private const string UnknownMatchBy = "http://harness.invalid/ws-discovery/matchby/unknown";

    public static async Task<WsdScenarioResult> RunAsync(
        ITarget target,
        ObservedSession session,
        Device device,
        WsdScenarioOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
#pragma warning disable CA5394 // Stimulus identifiers, not security.
        var random = new Random(options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
#pragma warning restore CA5394
        var families = WsdDevices.Families(device);
        if (families.Count == 0)
        {
            families = [WsdProtocol.V2005];
        }

        var primary = families[0];
        var types = WsdDevices.Types(device);
        var appMaxDelay = options.AppMaxDelay ?? (types.Any(t => t.LocalName == "Device" && (t.Namespace == WsdProtocol.V2005.DevicesProfileNamespace || t.Namespace == WsdProtocol.V11.DevicesProfileNamespace))
            ? TimeSpan.FromMilliseconds(2500)
            : TimeSpan.FromMilliseconds(500));
        var unicast = target.EndPoint ?? WsdDevices.UnicastEndPoint(device) ?? device.Addresses.FirstOrDefault(a => a.Port != 0);
        var multicast = options.MulticastEndPoint ?? (unicast is null ? null : new IPEndPoint(WsdMulticast.For(unicast.AddressFamily).Address, unicast.Port));
        var started = timeProvider.GetUtcNow();
        if (unicast is null || multicast is null)
        {
            return new WsdScenarioResult
            {
                Device = device,
                Options = options,
                AppMaxDelay = appMaxDelay,
                Stimuli = [],
                Families = families,
                Primary = primary,
                Started = started,
                Phase1End = started,
                Skipped = "The device's unicast discovery endpoint is not known.",
            };
        }

        var plan = new Plan(random, device, primary, families, types, unicast, multicast);
        plan.Build();
        var stimuli = new List<WsdStimulus>();
        var window = appMaxDelay + options.Margin;
        var collect = target.CollectAsync(window, null, int.MaxValue, cancellationToken).AsTask();
        foreach (var step in plan.Steps)
        {
            stimuli.Add(await SendAsync(target, step, cancellationToken).ConfigureAwait(false));
        }

        if (options.HostileDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.HostileDelay, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        foreach (var step in plan.HostileSteps())
        {
            stimuli.Add(await SendAsync(target, step, cancellationToken).ConfigureAwait(false));
        }

        await collect.ConfigureAwait(false);

        // A busy host or device may answer a unicast request late: give the missing answers one more margin.
        if (Unanswered(WsdView.Of(session), device, stimuli) > 0)
        {
            await target.CollectAsync(options.Margin, null, int.MaxValue, cancellationToken).ConfigureAwait(false);
        }

        var phase1End = timeProvider.GetUtcNow();

        DateTimeOffset? restartBegin = null, restartEnd = null;
        string? restartError = null, restartSkipped = null;
        var restartAttempted = false;
        if (options.Restart && target.CanRestart)
        {
            restartAttempted = true;
            restartBegin = timeProvider.GetUtcNow();
            try
            {
                await target.RestartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
            {
                // The hook cannot restart this device (not a simulator it knows): as if the target could not restart.
                restartAttempted = false;
                restartSkipped = ex.Message;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                restartError = ex.GetType().Name + ": " + ex.Message;
            }

            restartEnd = timeProvider.GetUtcNow();
            if (restartAttempted && restartError is null)
            {
                var deadline = restartEnd.Value + (options.RestartTimeout ?? (appMaxDelay * 2) + TimeSpan.FromSeconds(1));
                var watcher = new HelloWatcher(session, device, restartBegin.Value);
                while (timeProvider.GetUtcNow() < deadline && !watcher.Seen())
                {
                    await target.CollectAsync(TimeSpan.FromMilliseconds(100), null, int.MaxValue, cancellationToken).ConfigureAwait(false);
                }

                var post = plan.PostRestartStep();
                var sent = await SendAsync(target, post, cancellationToken).ConfigureAwait(false);
                stimuli.Add(sent);
                await target.CollectAsync(
                    options.Margin + options.Tolerance,
                    r => WsdItem.Parse(r)?.RelatesTo == sent.MessageId,
                    1,
                    cancellationToken).ConfigureAwait(false);
            }
        }

        return new WsdScenarioResult
        {
            Device = device,
            Options = options,
            AppMaxDelay = appMaxDelay,
            Stimuli = stimuli,
            Families = families,
            Primary = primary,
            Unicast = unicast,
            Multicast = multicast,
            Started = started,
            Phase1End = phase1End,
            RestartAttempted = restartAttempted,
            RestartBegin = restartBegin,
            RestartEnd = restartEnd,
            RestartError = restartError,
            RestartSkipped = restartSkipped,
        };
    }

    /// <summary>
    /// The Hellos the device sent after a restart began: with its endpoint reference, or (for a device that changed it)
    /// with one of its XAddrs.
    /// </summary>
    public static IEnumerable<WsdItem> PostRestartHellos(WsdView view, Device device, DateTimeOffset since)
    {
        // Repeats (identical copies) of a Hello sent before the restart may still arrive after it began: not the new instance's.
        var earlier = view.Items.Where(i => i.Time < since && i.Message is WsdHello).Select(i => Convert.ToBase64String(i.Record.Payload.Span)).ToHashSet(StringComparer.Ordinal);
        var xaddrs = WsdDevices.List(device, WsdDevices.XAddrsKey);
        return view.Items.Where(i => i.IsInbound && i.Message is WsdHello hello && i.Time >= since
            && !earlier.Contains(Convert.ToBase64String(i.Record.Payload.Span))
            && (i.HasEndpoint(device.Id) || hello.Endpoint.XAddrs.Any(x => xaddrs.Contains(x, StringComparer.Ordinal))));
    }

    /// <summary>How many unicast stimuli that expect a match have none from the device yet.</summary>
    private static int Unanswered(WsdView view, Device device, IReadOnlyList<WsdStimulus> stimuli) =>
        stimuli.Count(s => s.Expect == WsdExpect.Match && !s.Multicast && s.MessageId is not null
            && !view.RepliesTo(device, s.MessageId).Any(r => r.HasEndpoint(device.Id)));

    /// <summary>Looks for the device's Hello after a restart in the records added since the last look (cheap to repeat).</summary>
    private sealed class HelloWatcher(ObservedSession session, Device device, DateTimeOffset since)
    {
        private readonly IReadOnlyList<string> _xaddrs = WsdDevices.List(device, WsdDevices.XAddrsKey);
        private readonly HashSet<string> _before = new(StringComparer.Ordinal);
        private long _lastSequence = -1;

        public bool Seen()
        {
            var records = session.Records;
            var seen = false;
            var first = records.Count;
            while (first > 0 && records[first - 1].Sequence > _lastSequence)
            {
                first--;
            }

            for (var i = first; i < records.Count; i++)
            {
                var record = records[i];
                if (record.Direction != TrafficDirection.Inbound || session.GetParsed(record, WsdItem.Parse) is not { Message: WsdHello hello } item)
                {
                    continue;
                }

                if (record.Timestamp < since)
                {
                    _before.Add(Convert.ToBase64String(record.Payload.Span));
                }
                else if ((item.HasEndpoint(device.Id) || hello.Endpoint.XAddrs.Any(x => _xaddrs.Contains(x, StringComparer.Ordinal)))
                    && !_before.Contains(Convert.ToBase64String(record.Payload.Span)))
                {
                    seen = true;
                }
            }

            if (records.Count > 0)
            {
                _lastSequence = Math.Max(_lastSequence, records[^1].Sequence);
            }

            return seen;
        }
    }

    private static async Task<WsdStimulus> SendAsync(ITarget target, Step step, CancellationToken cancellationToken)
    {
        var first = await target.SendAsync(step.Payload, step.Destination, Protocols.Wsd, cancellationToken).ConfigureAwait(false);
        for (var i = 1; i < step.Copies; i++)
        {
            await target.SendAsync(step.Payload, step.Destination, Protocols.Wsd, cancellationToken).ConfigureAwait(false);
        }

        return new WsdStimulus(step.Name, step.MessageId, first, step.Protocol, step.Expect, step.Detail);
    }

    private sealed record Step(string Name, string? MessageId, byte[] Payload, IPEndPoint Destination, WsdProtocol Protocol, WsdExpect Expect, string Detail, int Copies = 1);

    /// <summary>Builds the stimuli from what the device announced, each checked against our own matcher first.</summary>
    private sealed class Plan(Random random, Device device, WsdProtocol primary, IReadOnlyList<WsdProtocol> families, IReadOnlyList<WsdQName> types, IPEndPoint unicast, IPEndPoint multicast)
    {
        private readonly IReadOnlyList<string> _scopes = WsdDevices.List(device, WsdDevices.ScopesKey);

        public List<Step> Steps { get; } = [];

        private bool IsOnvif => device.HasRole(DeviceRole.NetworkVideoTransmitter);

        private bool Speaks2005 => families.Contains(WsdProtocol.V2005);

        /// <summary>The types of the everyday Probe: dn:NetworkVideoTransmitter for a camera, else the device's own.</summary>
        private IReadOnlyList<WsdQName> BaselineTypes =>
            IsOnvif
                ? [WsdQName.Create(WsdDevices.OnvifNetworkNamespace, "NetworkVideoTransmitter", "dn")]
                : [.. types.Take(8).Select((t, i) => WsdQName.Create(t.Namespace, t.LocalName, "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

        public void Build()
        {
            foreach (var family in families)
            {
                Add(Wildcard, family, [], [], null, direct: true);
            }

            Add(MulticastBaseline, primary, BaselineTypes, [], null, direct: false);
            Add(Duplicate, primary, BaselineTypes, [], null, direct: true, copies: 4);
            BuildTypes();
            BuildScopes();
            AddResolve(ResolveOwn, device.Id, direct: true, WsdExpect.Match);
            AddResolve(ResolveOther, "urn:uuid:00000000-0000-0000-0000-000000000000", direct: false, WsdExpect.Silence);
            var anyScope = _scopes.Count > 0 ? _scopes[0] : "urn:harness:scope";
            Add(UnknownRuleUnicast, primary, [], [anyScope], UnknownMatchBy, direct: true, expect: WsdExpect.FaultOrSilence);
            Add(UnknownRuleMulticast, primary, [], [anyScope], UnknownMatchBy, direct: false, expect: WsdExpect.Silence);
            if (IsOnvif)
            {
                BuildOnvif();
            }
        }

        public IEnumerable<Step> HostileSteps()
        {
            yield return new Step(Hostile, null, WsdForms.Malformed(primary), unicast, primary, WsdExpect.Nothing, "truncated envelope");
            var noise = new byte[512];
#pragma warning disable CA5394 // Hostile test bytes, not security.
            random.NextBytes(noise);
#pragma warning restore CA5394
            yield return new Step(Hostile, null, noise, unicast, primary, WsdExpect.Nothing, "512 random bytes");
            yield return new Step(Hostile, null, WsdForms.EntityBomb(), unicast, primary, WsdExpect.Nothing, "entity expansion DTD");
            var oversizeId = NextId();
            yield return new Step(Hostile, oversizeId, WsdForms.Oversize(primary, oversizeId, 48_000), unicast, primary, WsdExpect.Nothing, "48,000-octet Probe");
            var (id, payload) = Probe(primary, BaselineTypes, [], null);
            yield return new Step(Survival, id, payload, unicast, primary, WsdExpect.Match, Describe(BaselineTypes, [], null));
        }

        public Step PostRestartStep()
        {
            var (id, payload) = Probe(primary, BaselineTypes, [], null);
            return new Step(PostRestart, id, payload, unicast, primary, WsdExpect.Match, Describe(BaselineTypes, [], null));
        }

        private void BuildTypes()
        {
            foreach (var type in types.Where(t => t.Namespace.Length > 0 && WsdForms.IsNcName(t.LocalName)).Take(4))
            {
                var prefixed = WsdQName.Create(type.Namespace, type.LocalName, WsdForms.RandomPrefix(random));
                Add(TypePrefixed, primary, [prefixed], [], null, direct: true);
                var other = WsdQName.Create("urn:harness:other-namespace:" + NextId()[9..17], type.LocalName, "o");
                if (!WsdMatcher.TypesMatch([other], types))
                {
                    Add(TypeOtherNamespace, primary, [other], [], null, direct: false, expect: WsdExpect.Silence);
                }
            }
        }

        private void BuildScopes()
        {
            if (_scopes.Count == 0)
            {
                return;
            }

            AddChecked(ScopeExact, primary, [_scopes[0]], null, direct: true);
            var foreign = (IsOnvif ? WsdDevices.OnvifScopePrefix + "harness/absent-" : "urn:harness:absent:") + NextId()[9..21];
            AddChecked(ScopeForeign, primary, [foreign], null, direct: false);

            var hierarchical = _scopes.Select(s => (Scope: s, Parts: Hierarchical.Parse(s))).Where(x => x.Parts is not null).ToList();
            if (hierarchical.Count > 0)
            {
                var deepest = hierarchical.OrderByDescending(x => x.Parts!.Segments.Count).First();
                var parent = deepest.Parts!.Parent();
                AddChecked(ScopeParentDefault, primary, [parent], null, direct: true);
                AddChecked(ScopeParentRfc, primary, [parent], primary.MatchByRfc, direct: true);
                AddChecked(ScopeSchemeCase, primary, [deepest.Parts.WithUpperScheme()], primary.MatchByRfc, direct: true);
                var partial = hierarchical.FirstOrDefault(x => x.Parts!.Segments.Count > 0 && x.Parts.Segments[^1].Length >= 2);
                if (partial.Parts is not null)
                {
                    AddChecked(ScopePartialSegment, primary, [partial.Parts.TruncateLast()], primary.MatchByRfc, direct: false);
                }
            }

            AddChecked(Strcmp0Exact, primary, [_scopes[0]], primary.MatchByStrcmp0, direct: true);
            var swapped = _scopes.Select(SwapCase).FirstOrDefault(s => !_scopes.Contains(s, StringComparer.Ordinal));
            if (swapped is not null)
            {
                AddChecked(Strcmp0Case, primary, [swapped], primary.MatchByStrcmp0, direct: false);
            }

            var uuid = _scopes.FirstOrDefault(s => s.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase) || s.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase));
            if (uuid is not null)
            {
                AddChecked(UuidExact, primary, [uuid.ToUpperInvariant()], primary.MatchByUuid, direct: true);
            }

            AddChecked(UuidOther, primary, ["uuid:" + NextId()[9..]], primary.MatchByUuid, direct: false);
            var ldap = _scopes.FirstOrDefault(s => s.StartsWith("ldap:", StringComparison.OrdinalIgnoreCase));
            if (ldap is not null)
            {
                AddChecked(LdapExact, primary, [ldap], primary.MatchByLdap, direct: true);
            }

            AddChecked(LdapOther, primary, ["ldap:///ou=harness-" + NextId()[9..17] + ",o=absent"], primary.MatchByLdap, direct: false);
            if (families.Contains(WsdProtocol.V11))
            {
                var none = WsdProtocol.V11.MatchByNone!;
                var outcome = WsdMatcher.ScopesMatch([], none, _scopes, WsdProtocol.V11);
                Add(MatchByNone, WsdProtocol.V11, [], [], none, direct: outcome == WsdMatchOutcome.Match, expect: outcome == WsdMatchOutcome.Match ? WsdExpect.Match : WsdExpect.Silence);
            }
        }

        private void BuildOnvif()
        {
            var v2005 = WsdProtocol.V2005;
            var nvt = WsdQName.Create(WsdDevices.OnvifNetworkNamespace, "NetworkVideoTransmitter", "dn");
            Add(Onvif2005, v2005, [nvt], [], null, direct: true);
            if (!Speaks2005)
            {
                return;
            }

            AddChecked(OnvifRoot, v2005, ["onvif://www.onvif.org"], WsdMatcher.OnvifRfc3986, direct: true);
            var onvifScope = _scopes.FirstOrDefault(s => s.StartsWith(WsdDevices.OnvifScopePrefix + "location/", StringComparison.Ordinal))
                ?? _scopes.FirstOrDefault(s => s.StartsWith(WsdDevices.OnvifScopePrefix, StringComparison.Ordinal));
            if (onvifScope is not null)
            {
                AddChecked(OnvifExact, v2005, [onvifScope], WsdMatcher.OnvifRfc3986, direct: true);
            }

            var hardware = _scopes.Select(Hierarchical.Parse)
                .FirstOrDefault(p => p is not null && p.Segments.Count >= 2 && p.Segments[0] == "hardware" && p.Segments[^1].Length >= 2)
                ?? _scopes.Select(Hierarchical.Parse).FirstOrDefault(p => p is not null && p.Prefix.StartsWith("onvif://", StringComparison.OrdinalIgnoreCase) && p.Segments.Count >= 2 && p.Segments[^1].Length >= 2);
            if (hardware is not null)
            {
                AddChecked(OnvifPartial, v2005, [hardware.TruncateLast()], WsdMatcher.OnvifRfc3986, direct: false);
            }

            var id1 = NextId();
            Steps.Add(new Step(OddPrefix, id1, WsdForms.OddPrefixProbe(v2005, id1, nvt, "ns7"), unicast, v2005, WsdExpect.Match, "SOAP-ENV/wsa5/wsdd prefixes, Types ns7:NetworkVideoTransmitter"));
            var id2 = NextId();
            Steps.Add(new Step(DefaultNamespace, id2, WsdForms.DefaultNamespaceProbe(v2005, id2, nvt), unicast, v2005, WsdExpect.Match, "default namespaces on every element"));
            var id3 = NextId();
            Steps.Add(new Step(DefaultNamespaceType, id3, WsdForms.DefaultNamespaceTypeProbe(v2005, id3, nvt), unicast, v2005, WsdExpect.Match, "unprefixed Types QName in a default namespace"));
        }

        /// <summary>Adds a scope Probe whose expectation our own matcher decides (skipped when the rule is not supported).</summary>
        private void AddChecked(string name, WsdProtocol protocol, IReadOnlyList<string> scopes, string? matchBy, bool direct)
        {
            var outcome = WsdMatcher.ScopesMatch(scopes, matchBy, _scopes, protocol);
            if (outcome == WsdMatchOutcome.UnsupportedRule)
            {
                return;
            }

            var expect = outcome == WsdMatchOutcome.Match ? WsdExpect.Match : WsdExpect.Silence;
            Add(name, protocol, [], scopes, matchBy, direct: expect == WsdExpect.Match && direct, expect: expect);
        }

        private void Add(string name, WsdProtocol protocol, IReadOnlyList<WsdQName> probeTypes, IReadOnlyList<string> scopes, string? matchBy, bool direct, WsdExpect expect = WsdExpect.Match, int copies = 1)
        {
            var (id, payload) = Probe(protocol, probeTypes, scopes, matchBy);
            Steps.Add(new Step(name, id, payload, direct ? unicast : multicast, protocol, expect, Describe(probeTypes, scopes, matchBy), copies));
        }

        private void AddResolve(string name, string address, bool direct, WsdExpect expect)
        {
            var id = NextId();
            var resolve = new WsdResolve
            {
                Protocol = primary,
                Header = new WsdHeader { Action = primary.ResolveAction, MessageId = id, To = primary.MulticastTo },
                Endpoint = new WsdEndpointReference(address),
            };
            Steps.Add(new Step(name, id, WsdMessageWriter.Write(resolve), direct ? unicast : multicast, primary, expect, "Resolve " + address));
        }

        private (string Id, byte[] Payload) Probe(WsdProtocol protocol, IReadOnlyList<WsdQName> probeTypes, IReadOnlyList<string> scopes, string? matchBy)
        {
            var id = NextId();
            var probe = new WsdProbe
            {
                Protocol = protocol,
                Header = new WsdHeader { Action = protocol.ProbeAction, MessageId = id, To = protocol.MulticastTo },
                Types = probeTypes,
                Scopes = scopes,
                MatchBy = matchBy,
            };
            return (id, WsdMessageWriter.Write(probe));
        }

        private string NextId()
        {
            Span<byte> bytes = stackalloc byte[16];
#pragma warning disable CA5394 // MessageIDs of stimuli, not security.
            random.NextBytes(bytes);
#pragma warning restore CA5394
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return "urn:uuid:" + new Guid(bytes).ToString("D");
        }

        private static string Describe(IReadOnlyList<WsdQName> probeTypes, IReadOnlyList<string> scopes, string? matchBy) =>
            (probeTypes.Count == 0 ? "no types" : "types " + string.Join(' ', probeTypes.Select(t => t.Prefix + ":" + t.LocalName + " {" + t.Namespace + "}")))
            + (scopes.Count == 0 ? ", no scopes" : ", scopes " + string.Join(' ', scopes))
            + (matchBy is null ? string.Empty : ", MatchBy " + matchBy);

        private static string SwapCase(string scope)
        {
            var chars = scope.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = char.IsUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
            }

            return new string(chars);
        }
    }

    /// <summary>A hierarchical URI split as the rfc2396/rfc3986 scope rules see it: scheme://authority and path segments.</summary>
    private sealed record Hierarchical(string Prefix, IReadOnlyList<string> Segments)
    {
        public static Hierarchical? Parse(string scope)
        {
            var marker = scope.IndexOf("://", StringComparison.Ordinal);
            if (marker < 1)
            {
                return null;
            }

            var rest = scope[(marker + 3)..];
            var end = rest.IndexOfAny(['?', '#']);
            if (end >= 0)
            {
                rest = rest[..end];
            }

            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var authority = slash < 0 ? rest : rest[..slash];
            if (authority.Length == 0)
            {
                return null;
            }

            var segments = slash < 0 ? [] : rest[(slash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
            return new Hierarchical(scope[..(marker + 3)] + authority, segments);
        }

        public string Parent() => Segments.Count <= 1 ? Prefix : Prefix + "/" + string.Join('/', Segments.Take(Segments.Count - 1));

        public string TruncateLast() => Prefix + "/" + string.Join('/', Segments.Take(Segments.Count - 1).Append(Segments[^1][..^1]));

        public string WithUpperScheme()
        {
            var colon = Prefix.IndexOf(':', StringComparison.Ordinal);
            return Prefix[..colon].ToUpperInvariant() + Prefix[colon..] + (Segments.Count == 0 ? string.Empty : "/" + string.Join('/', Segments));
        }
    }
}
