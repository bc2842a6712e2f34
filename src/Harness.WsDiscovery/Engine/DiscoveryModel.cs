using System.Net;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Engine;

/// <summary>A target service a <see cref="DiscoveryClient"/> has heard of (Hello, ProbeMatch or ResolveMatch).</summary>
/// <param name="EndpointAddress">The endpoint reference address (the service's stable identity).</param>
/// <param name="Types">The types it announced.</param>
/// <param name="Scopes">The scopes it announced.</param>
/// <param name="XAddrs">The transport addresses it announced (may be empty until a Resolve).</param>
/// <param name="MetadataVersion">Its metadata version, when announced.</param>
/// <param name="Source">Where the announcing datagram came from.</param>
/// <param name="Protocol">The WS-Discovery family it answered in.</param>
/// <param name="Violations">What the reader found wrong in the announcing datagram.</param>
/// <param name="FirstSeen">When the client first heard of it (client clock).</param>
public sealed record DiscoveredService(
    string EndpointAddress,
    IReadOnlyList<WsdQName> Types,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> XAddrs,
    ulong? MetadataVersion,
    IPEndPoint Source,
    WsdProtocol Protocol,
    IReadOnlyList<Violation> Violations,
    DateTimeOffset FirstSeen)
{
    /// <summary>When the client last heard of it (client clock).</summary>
    public DateTimeOffset LastSeen { get; init; } = FirstSeen;

    /// <summary>The AppSequence of the last message that updated this entry, when it had one.</summary>
    public WsdAppSequence? AppSequence { get; init; }

    /// <summary>The endpoint data in message form (for matching).</summary>
    public WsdEndpointData ToEndpointData() =>
        new(new WsdEndpointReference(EndpointAddress), Types, Scopes, XAddrs, MetadataVersion);
}

/// <summary>What to look for with <see cref="DiscoveryClient.ProbeAsync"/>.</summary>
public sealed record ProbeRequest
{
    /// <summary>The wanted types (all must match); empty for any.</summary>
    public IReadOnlyList<WsdQName> Types { get; init; } = [];

    /// <summary>The wanted scopes (each must match); empty for any.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The MatchBy URI sent as is; null for the family's default rule.</summary>
    public string? MatchBy { get; init; }

    /// <summary>How long to collect answers; null for the client's <see cref="DiscoveryClientOptions.MatchTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Stop after this many distinct services; null for no limit.</summary>
    public int? MaxResults { get; init; }

    /// <summary>Send the Probe unicast to this endpoint instead of multicast.</summary>
    public IPEndPoint? Target { get; init; }

    /// <summary>The families to probe in; null for the client's <see cref="DiscoveryClientOptions.Protocols"/>.</summary>
    public IReadOnlyList<WsdProtocol>? Protocols { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for an unusable request.</summary>
    public void Validate()
    {
        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException("Timeout must be positive.", nameof(Timeout));
        }

        if (MaxResults is < 1)
        {
            throw new ArgumentException("MaxResults must be at least 1.", nameof(MaxResults));
        }

        if (Protocols is { Count: 0 })
        {
            throw new ArgumentException("Protocols must not be empty.", nameof(Protocols));
        }

        if (Types.Any(t => t is null) || Scopes.Any(s => s is null))
        {
            throw new ArgumentException("Types and Scopes must not contain null.");
        }
    }
}

/// <summary>A Hello or Bye a <see cref="DiscoveryClient"/> acted on.</summary>
public sealed class DiscoveryEventArgs(DiscoveredService service, WsdMessage message) : EventArgs
{
    /// <summary>The service (for a Bye: the cached entry when known, else what the Bye said).</summary>
    public DiscoveredService Service { get; } = service;

    /// <summary>The message as read.</summary>
    public WsdMessage Message { get; } = message;
}

/// <summary>One datagram an engine received and read, with what the reader found wrong in it.</summary>
public sealed class WsdDatagramEventArgs(Datagram datagram, WsdMessage? message, IReadOnlyList<Violation> violations) : EventArgs
{
    /// <summary>The datagram as received.</summary>
    public Datagram Datagram { get; } = datagram;

    /// <summary>The message, or null when the datagram could not be read.</summary>
    public WsdMessage? Message { get; } = message;

    /// <summary>The reader's violations (empty for a clean message).</summary>
    public IReadOnlyList<Violation> Violations { get; } = violations;
}
