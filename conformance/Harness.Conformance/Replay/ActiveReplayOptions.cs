using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Replay;

/// <summary>How the XAddrs of recorded and live matches are compared.</summary>
public enum XAddrHostComparison
{
    /// <summary>As strings: a different host is a difference.</summary>
    Exact,

    /// <summary>Without the host (scheme, port, path and query only).</summary>
    Ignore,

    /// <summary>
    /// Without the host when the target's address is not the host of any recorded XAddr of the request's answers (the
    /// device moved, or another device stands in for it); exactly otherwise.
    /// </summary>
    IgnoreWhenTargetMoved,
}

/// <summary>How a replayed request is encoded.</summary>
public enum ReplayRequestEncoding
{
    /// <summary>The captured bytes with only the MessageID text replaced, so quirks in the request are replayed faithfully.</summary>
    OriginalBytes,

    /// <summary>
    /// The parsed request with a new MessageID, written by <see cref="WsdMessageWriter"/>: used when the MessageID text
    /// cannot be found exactly once in the captured bytes (escaped, absent, repeated elsewhere), or when asked for.
    /// </summary>
    Rewritten,
}

/// <summary>Settings of an <see cref="ActiveReplay"/>. Values are checked by <see cref="Validate"/>.</summary>
public sealed record ActiveReplayOptions
{
    /// <summary>The defaults.</summary>
    public static ActiveReplayOptions Default { get; } = new();

    /// <summary>
    /// The protocol label of the captured records to read (default <c>wsd</c>, as a capture labels port 3702); null
    /// reads every UDP record. Records with another label, and TCP/HTTP records, are skipped and counted as ignored.
    /// </summary>
    public string? Protocol { get; init; } = "wsd";

    /// <summary>
    /// Send a request that was multicast in the capture to the multicast group again (default false: every request goes
    /// unicast to the target). Only the target's answers are compared then; other responders are counted.
    /// </summary>
    public bool MulticastAsRecorded { get; init; }

    /// <summary>The group for multicast replays; null for the captured request's own destination.</summary>
    public IPEndPoint? MulticastEndPoint { get; init; }

    /// <summary>The SOAP-over-UDP constants: APP_MAX_DELAY sets the default multicast window, MATCH_TIMEOUT bounds the recorded answers.</summary>
    public SoapOverUdpProfile Profile { get; init; } = SoapOverUdpProfile.WsDiscovery2005;

    /// <summary>How long answers to a unicast request are collected (default 1.5 s).</summary>
    public TimeSpan UnicastWindow { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How long answers to a multicast request are collected; null for APP_MAX_DELAY + 1 s of <see cref="Profile"/>.</summary>
    public TimeSpan? MulticastWindow { get; init; }

    /// <summary>
    /// When set, a window also closes once this long has passed without a new answer after the first one (faster on
    /// quick devices; a later answer is reported as late). Null (default): every window runs its full length.
    /// </summary>
    public TimeSpan? QuietPeriod { get; init; }

    /// <summary>How long after a captured request its recorded answers may come; null for MATCH_TIMEOUT of <see cref="Profile"/>.</summary>
    public TimeSpan? MatchTimeout { get; init; }

    /// <summary>The most requests replayed (default 100); further requests are counted, not sent.</summary>
    public int MaxRequests { get; init; } = 100;

    /// <summary>No request is started after this much time (default 5 minutes); the rest are counted, not sent.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most datagrams read in one window (default 256); the window closes early when reached.</summary>
    public int MaxDatagramsPerRequest { get; init; } = 256;

    /// <summary>The most captured records examined (default 1,000,000); the rest of the capture is not read.</summary>
    public int MaxCapturedRecords { get; init; } = 1_000_000;

    /// <summary>The most recorded answers kept per request (default 64).</summary>
    public int MaxRecordedAnswersPerRequest { get; init; } = 64;

    /// <summary>Replay the captured bytes with only the MessageID replaced (default true); false always rewrites with <see cref="WsdMessageWriter"/>.</summary>
    public bool PreserveRequestBytes { get; init; } = true;

    /// <summary>How XAddrs are compared (default <see cref="XAddrHostComparison.Exact"/>).</summary>
    public XAddrHostComparison XAddrHosts { get; init; } = XAddrHostComparison.Exact;

    /// <summary>
    /// Compare only the recorded answers from this address. Null (default): the recorded answers from the target's
    /// address when there are any, else all of them.
    /// </summary>
    public IPAddress? RecordedResponder { get; init; }

    /// <summary>
    /// Compare only what the capture recorded of this endpoint reference (the device replayed to): ProbeMatches keep
    /// only its matches, ResolveMatches only its match, and faults count when they came from the target's address.
    /// Without it, a multicast Probe that several devices answered in the capture would be compared, match for match,
    /// with the one device replayed to. Takes precedence over <see cref="RecordedResponder"/>. Null (default): off.
    /// </summary>
    public string? RecordedEndpoint { get; init; }

    /// <summary>
    /// The seed of the fresh MessageIDs; null for a seed from the clock's timestamp. A fixed seed sends the same
    /// MessageIDs on every run, which a device that saw them recently drops as duplicates: set it in tests only.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>How captured and live datagrams are read (lenient, datagram limits).</summary>
    public WsdReadOptions ReadOptions { get; init; } = WsdReadOptions.Default;

    /// <summary>The multicast window in effect.</summary>
    public TimeSpan EffectiveMulticastWindow => MulticastWindow ?? Profile.AppMaxDelay + TimeSpan.FromSeconds(1);

    /// <summary>The recorded-answer bound in effect.</summary>
    public TimeSpan EffectiveMatchTimeout => MatchTimeout ?? Profile.MatchTimeout;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is unusable.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Profile, nameof(Profile));
        ArgumentNullException.ThrowIfNull(ReadOptions, nameof(ReadOptions));
        Profile.Validate();
        if (Protocol is { Length: 0 })
        {
            throw new ArgumentException("Protocol must not be empty; use null for every UDP record.", nameof(Protocol));
        }

        Positive(UnicastWindow, nameof(UnicastWindow));
        Positive(EffectiveMulticastWindow, nameof(MulticastWindow));
        Positive(EffectiveMatchTimeout, nameof(MatchTimeout));
        Positive(MaxDuration, nameof(MaxDuration));
        if (QuietPeriod is { } quiet)
        {
            Positive(quiet, nameof(QuietPeriod));
        }

        if (MaxRequests < 1 || MaxDatagramsPerRequest < 1 || MaxCapturedRecords < 1 || MaxRecordedAnswersPerRequest < 1)
        {
            throw new ArgumentException("MaxRequests, MaxDatagramsPerRequest, MaxCapturedRecords and MaxRecordedAnswersPerRequest must be at least 1.");
        }

        if (MulticastEndPoint is { } group && !group.Address.IsMulticast())
        {
            throw new ArgumentException($"{group} is not a multicast endpoint.", nameof(MulticastEndPoint));
        }

        if (!Enum.IsDefined(XAddrHosts))
        {
            throw new ArgumentException($"Unknown XAddr comparison {XAddrHosts}.", nameof(XAddrHosts));
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive.", name);
        }
    }
}
