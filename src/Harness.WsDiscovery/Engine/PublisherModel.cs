using System.Net;
using Harness.Core.Xml;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Engine;

/// <summary>A target service a <see cref="Publisher"/> announces and answers for.</summary>
/// <param name="EndpointAddress">The endpoint reference address, stable across restarts (<c>urn:uuid:…</c>).</param>
public sealed record PublishedService(string EndpointAddress)
{
    /// <summary>The types (QNames).</summary>
    public IReadOnlyList<WsdQName> Types { get; init; } = [];

    /// <summary>The scopes (URIs).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>
    /// XAddrs templates: <c>{ip}</c> is replaced by each local address of the interface a request came in on (for a
    /// Hello: of the transport's address family), IPv6 in brackets without zone; a template without <c>{ip}</c> is
    /// sent as is. Example: <c>http://{ip}:5357/0bd7b6a0-…</c>.
    /// </summary>
    public IReadOnlyList<string> XAddrs { get; init; } = [];

    /// <summary>The metadata version (incremented by <see cref="Publisher.UpdateAsync"/>).</summary>
    public ulong MetadataVersion { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> for an unusable service.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(EndpointAddress) || !Uri.TryCreate(EndpointAddress, UriKind.Absolute, out _))
        {
            throw new ArgumentException("EndpointAddress must be an absolute URI (urn:uuid:…).", nameof(EndpointAddress));
        }

        ArgumentNullException.ThrowIfNull(Types);
        ArgumentNullException.ThrowIfNull(Scopes);
        ArgumentNullException.ThrowIfNull(XAddrs);
        if (Types.Any(t => t is null) || Scopes.Any(string.IsNullOrWhiteSpace) || XAddrs.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Types, Scopes and XAddrs must not contain null or blank entries.");
        }
    }
}

/// <summary>Settings of a <see cref="Publisher"/>.</summary>
public sealed record PublisherOptions
{
    /// <summary>The families the publisher answers and announces in; a request is answered in its own family. Default: both.</summary>
    public IReadOnlyList<WsdProtocol> Protocols { get; init; } = WsdProtocol.All;

    /// <summary>The SOAP-over-UDP constants. Default <see cref="SoapOverUdpProfile.WsDiscovery2005"/>.</summary>
    public SoapOverUdpProfile Profile { get; init; } = SoapOverUdpProfile.WsDiscovery2005;

    /// <summary>Answer a unicast Probe with an unsupported MatchBy with a MatchingRuleNotSupported fault (multicast ones: always silence). Default true.</summary>
    public bool AnswerUnicastProbesWithFault { get; init; } = true;

    /// <summary>Send Hello when a service is published, updated, or the local addresses change. Default true.</summary>
    public bool SendHello { get; init; } = true;

    /// <summary>The largest random delay before a Hello; null for the profile's APP_MAX_DELAY; zero for none (as WSDAPI does).</summary>
    public TimeSpan? HelloDelay { get; init; }

    /// <summary>The largest random delay before answering a multicast Probe or Resolve; null for APP_MAX_DELAY; zero for none.</summary>
    public TimeSpan? AnswerDelay { get; init; }

    /// <summary>The AppSequence InstanceId; null for the clock's seconds since the Unix epoch at construction.</summary>
    public ulong? InstanceId { get; init; }

    /// <summary>The AppSequence SequenceId (a URI), or null to send none.</summary>
    public string? SequenceId { get; init; }

    /// <summary>Where Hello and Bye go; null for the group of each transport's address family.</summary>
    public IPEndPoint? MulticastEndPoint { get; init; }

    /// <summary>The largest envelope sent; null for the profile's MaxEnvelopeSize. ProbeMatches are packed into as few datagrams as fit.</summary>
    public int? MaxEnvelopeSize { get; init; }

    /// <summary>The most answers waiting for their APP_MAX_DELAY at once; requests beyond are dropped (a bound against floods).</summary>
    public int MaxPendingReplies { get; init; } = 1024;

    /// <summary>How long a request's MessageID is remembered; null for <see cref="DuplicateDetector.DefaultLifetime"/>.</summary>
    public TimeSpan? DuplicateLifetime { get; init; }

    /// <summary>The reader's mode and limits (lenient, datagram limits by default).</summary>
    public WsdReadOptions ReadOptions { get; init; } = new(Limits: XmlLimits.Datagram);

    /// <summary>
    /// The seed of the publisher's random values (message ids, delays, repeat gaps); null (the default) for a fresh seed per instance.
    /// Set it in tests for repeatable runs only: a fixed seed sends the same MessageIDs on every run, and real
    /// devices drop a MessageID they have seen recently as a duplicate.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>The effective envelope limit.</summary>
    public int EffectiveMaxEnvelopeSize => MaxEnvelopeSize ?? Profile.MaxEnvelopeSize;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Protocols);
        ArgumentNullException.ThrowIfNull(Profile);
        ArgumentNullException.ThrowIfNull(ReadOptions);
        if (Protocols.Count == 0 || Protocols.Any(p => p is null))
        {
            throw new ArgumentException("At least one protocol family is required.", nameof(Protocols));
        }

        Profile.Validate();
        if (HelloDelay < TimeSpan.Zero || AnswerDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("HelloDelay and AnswerDelay must not be negative.");
        }

        if (DuplicateLifetime is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentException("DuplicateLifetime must be positive.", nameof(DuplicateLifetime));
        }

        if (MaxEnvelopeSize is < 512 or > 65_527)
        {
            throw new ArgumentException("MaxEnvelopeSize must be between 512 and 65,527 octets.", nameof(MaxEnvelopeSize));
        }

        if (MaxPendingReplies < 1)
        {
            throw new ArgumentException("MaxPendingReplies must be at least 1.", nameof(MaxPendingReplies));
        }

        if (SequenceId is not null && !Uri.TryCreate(SequenceId, UriKind.Absolute, out _))
        {
            throw new ArgumentException("SequenceId must be an absolute URI.", nameof(SequenceId));
        }

        if (MulticastEndPoint is { } m && !Harness.Core.Transport.IPAddressExtensions.IsMulticast(m.Address))
        {
            throw new ArgumentException("MulticastEndPoint must be a multicast address.", nameof(MulticastEndPoint));
        }
    }
}
