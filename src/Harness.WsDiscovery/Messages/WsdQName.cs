namespace Harness.WsDiscovery.Messages;

/// <summary>
/// A qualified name in a Types list. Two names are equal when namespace and local name are equal; the
/// prefix is kept only so a writer can reproduce it (WS-Discovery §5.1 matches by expanded QName).
/// </summary>
/// <param name="Namespace">The namespace URI.</param>
/// <param name="LocalName">The local name.</param>
public sealed record WsdQName(string Namespace, string LocalName)
{
    /// <summary>The prefix the peer used or the writer should use; not part of equality.</summary>
    public string? Prefix { get; init; }

    /// <summary>Creates a name with a preferred prefix.</summary>
    public static WsdQName Create(string ns, string localName, string? prefix) => new(ns, localName) { Prefix = prefix };

    /// <summary>Equality by namespace and local name only.</summary>
    public bool Equals(WsdQName? other) =>
        other is not null
        && string.Equals(Namespace, other.Namespace, StringComparison.Ordinal)
        && string.Equals(LocalName, other.LocalName, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, LocalName);

    /// <inheritdoc />
    public override string ToString() => Prefix is null ? $"{{{Namespace}}}{LocalName}" : $"{Prefix}:{LocalName}";
}
