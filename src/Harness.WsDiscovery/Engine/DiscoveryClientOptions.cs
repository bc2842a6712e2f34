using System.Net;
using Harness.Core.Xml;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Engine;

/// <summary>Settings of a <see cref="DiscoveryClient"/>.</summary>
public sealed record DiscoveryClientOptions
{
    /// <summary>The families Probes and Resolves are sent in (one message per family). Default: both.</summary>
    public IReadOnlyList<WsdProtocol> Protocols { get; init; } = WsdProtocol.All;

    /// <summary>
    /// Where multicast requests go; null for the group of each transport's address family
    /// (239.255.255.250:3702 or [ff02::c]:3702).
    /// </summary>
    public IPEndPoint? MulticastEndPoint { get; init; }

    /// <summary>The SOAP-over-UDP constants (repeats of Probe and Resolve). Default <see cref="SoapOverUdpProfile.WsDiscovery2005"/>.</summary>
    public SoapOverUdpProfile Profile { get; init; } = SoapOverUdpProfile.WsDiscovery2005;

    /// <summary>How long a Probe or Resolve collects answers; null for the profile's MATCH_TIMEOUT.</summary>
    public TimeSpan? MatchTimeout { get; init; }

    /// <summary>The most services kept in <see cref="DiscoveryClient.Services"/> (least recently seen dropped first).</summary>
    public int MaxCachedServices { get; init; } = 10_000;

    /// <summary>The most distinct services one Probe collects (a bound against floods).</summary>
    public int MaxProbeResults { get; init; } = 10_000;

    /// <summary>A JSON file the cache is loaded from (<see cref="DiscoveryClient.LoadCacheAsync"/>) and saved to; null for none.</summary>
    public string? CacheFile { get; init; }

    /// <summary>Raise Hello/Bye events only for services with all of these types; empty for all.</summary>
    public IReadOnlyList<WsdQName> EventTypes { get; init; } = [];

    /// <summary>Raise Hello/Bye events only for services matching all of these scopes (default rule); empty for all.</summary>
    public IReadOnlyList<string> EventScopes { get; init; } = [];

    /// <summary>How long a received MessageID is remembered for duplicate detection; null for <see cref="DuplicateDetector.DefaultLifetime"/>.</summary>
    public TimeSpan? DuplicateLifetime { get; init; }

    /// <summary>The reader's mode and limits (lenient, datagram limits by default).</summary>
    public WsdReadOptions ReadOptions { get; init; } = new(Limits: XmlLimits.Datagram);

    /// <summary>
    /// The seed of the client's random values (message ids, repeat gaps); null (the default) for a fresh seed per instance.
    /// Set it in tests for repeatable runs only: a fixed seed sends the same MessageIDs on every run, and real
    /// devices drop a MessageID they have seen recently as a duplicate.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>The effective match timeout.</summary>
    public TimeSpan EffectiveMatchTimeout => MatchTimeout ?? Profile.MatchTimeout;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Protocols);
        ArgumentNullException.ThrowIfNull(Profile);
        ArgumentNullException.ThrowIfNull(EventTypes);
        ArgumentNullException.ThrowIfNull(EventScopes);
        ArgumentNullException.ThrowIfNull(ReadOptions);
        if (Protocols.Count == 0 || Protocols.Any(p => p is null))
        {
            throw new ArgumentException("At least one protocol family is required.", nameof(Protocols));
        }

        Profile.Validate();
        if (MatchTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException("MatchTimeout must be positive.", nameof(MatchTimeout));
        }

        if (DuplicateLifetime is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentException("DuplicateLifetime must be positive.", nameof(DuplicateLifetime));
        }

        if (MaxCachedServices < 1 || MaxProbeResults < 1)
        {
            throw new ArgumentException("MaxCachedServices and MaxProbeResults must be at least 1.");
        }

        if (CacheFile is { Length: 0 })
        {
            throw new ArgumentException("CacheFile must not be empty; use null for none.", nameof(CacheFile));
        }

        if (MulticastEndPoint is { } m && !Harness.Core.Transport.IPAddressExtensions.IsMulticast(m.Address))
        {
            throw new ArgumentException("MulticastEndPoint must be a multicast address.", nameof(MulticastEndPoint));
        }
    }
}
