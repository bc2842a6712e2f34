namespace Harness.WsDiscovery.Messages;

/// <summary>
/// WS-Discovery Appendix I AppSequence: lets a receiver order messages from one target service and drop stale ones.
/// </summary>
/// <param name="InstanceId">Incremented each time the service restarts with lost state (seconds since the epoch is common).</param>
/// <param name="MessageNumber">Incremented for each message within an instance (and sequence).</param>
/// <param name="SequenceId">Optional URI naming a sequence within the instance.</param>
public sealed record WsdAppSequence(ulong InstanceId, ulong MessageNumber, string? SequenceId = null);

/// <summary>A WS-Addressing endpoint reference. WS-Discovery endpoints are identified by <see cref="Address"/>, usually <c>urn:uuid:…</c>.</summary>
/// <param name="Address">The address URI (stable identity of the target service).</param>
public sealed record WsdEndpointReference(string Address);

/// <summary>The SOAP header blocks WS-Discovery uses.</summary>
public sealed record WsdHeader
{
    /// <summary><c>wsa:Action</c>.</summary>
    public required string Action { get; init; }

    /// <summary><c>wsa:MessageID</c>.</summary>
    public string? MessageId { get; init; }

    /// <summary><c>wsa:RelatesTo</c> (replies).</summary>
    public string? RelatesTo { get; init; }

    /// <summary><c>wsa:To</c>.</summary>
    public string? To { get; init; }

    /// <summary><c>wsa:ReplyTo</c> (requests).</summary>
    public WsdEndpointReference? ReplyTo { get; init; }

    /// <summary><c>d:AppSequence</c> (Hello, Bye, ProbeMatches, ResolveMatches).</summary>
    public WsdAppSequence? AppSequence { get; init; }
}

/// <summary>
/// What a target service announces about itself: its endpoint, types, scopes, transport addresses and metadata
/// version. The body of Hello, Bye, each ProbeMatch and the ResolveMatch.
/// </summary>
/// <param name="Endpoint">The endpoint reference (identity).</param>
/// <param name="Types">The types (QNames); empty when absent.</param>
/// <param name="Scopes">The scopes (URIs); empty when absent.</param>
/// <param name="XAddrs">The transport addresses (URIs); empty when absent.</param>
/// <param name="MetadataVersion">The metadata version; null when absent (a violation in most messages).</param>
public sealed record WsdEndpointData(
    WsdEndpointReference Endpoint,
    IReadOnlyList<WsdQName> Types,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> XAddrs,
    ulong? MetadataVersion);

/// <summary>A WS-Discovery message: an envelope of one family with its header.</summary>
public abstract record WsdMessage
{
    /// <summary>The family the message belongs to (from its discovery namespace).</summary>
    public required WsdProtocol Protocol { get; init; }

    /// <summary>The header blocks.</summary>
    public required WsdHeader Header { get; init; }
}

/// <summary>Hello (§4.1): a target service joins.</summary>
public sealed record WsdHello : WsdMessage
{
    /// <summary>The announced endpoint.</summary>
    public required WsdEndpointData Endpoint { get; init; }
}

/// <summary>Bye (§4.2): a target service leaves. Only the endpoint reference is required.</summary>
public sealed record WsdBye : WsdMessage
{
    /// <summary>The leaving endpoint (types, scopes, XAddrs and metadata version optional).</summary>
    public required WsdEndpointData Endpoint { get; init; }
}

/// <summary>Probe (§5.2): a client looks for target services by types and scopes.</summary>
public sealed record WsdProbe : WsdMessage
{
    /// <summary>The wanted types (all must match); empty matches any.</summary>
    public IReadOnlyList<WsdQName> Types { get; init; } = [];

    /// <summary>The wanted scopes (each must match one of the target's); empty matches any.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The MatchBy URI as sent; null when absent (the family's rfc rule applies).</summary>
    public string? MatchBy { get; init; }
}

/// <summary>ProbeMatches (§5.3): a target's answer to a Probe; may hold several matches.</summary>
public sealed record WsdProbeMatches : WsdMessage
{
    /// <summary>The matches, in order.</summary>
    public required IReadOnlyList<WsdEndpointData> Matches { get; init; }
}

/// <summary>Resolve (§6.1): a client asks a target for the XAddrs of an endpoint reference.</summary>
public sealed record WsdResolve : WsdMessage
{
    /// <summary>The endpoint to resolve.</summary>
    public required WsdEndpointReference Endpoint { get; init; }
}

/// <summary>ResolveMatches (§6.2): the target's answer to a Resolve.</summary>
public sealed record WsdResolveMatches : WsdMessage
{
    /// <summary>The match; null when the element was empty (a violation).</summary>
    public WsdEndpointData? Match { get; init; }
}

/// <summary>A SOAP 1.2 fault carried over SOAP-over-UDP, e.g. MatchingRuleNotSupported (§5.2.2).</summary>
public sealed record WsdFault : WsdMessage
{
    /// <summary>The fault code value as a QName (e.g. env:Sender).</summary>
    public required WsdQName Code { get; init; }

    /// <summary>The subcode value (e.g. d:MatchingRuleNotSupported), or null.</summary>
    public WsdQName? Subcode { get; init; }

    /// <summary>The reason text.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Detail <c>d:SupportedMatchingRules</c>: the MatchBy URIs the target supports.</summary>
    public IReadOnlyList<string> SupportedMatchingRules { get; init; } = [];
}
