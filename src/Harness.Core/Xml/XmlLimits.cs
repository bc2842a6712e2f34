namespace Harness.Core.Xml;

/// <summary>Bounds for reading XML from a peer. Every limit is enforced while reading, before memory grows.</summary>
/// <param name="MaxBytes">Largest document accepted, in bytes (default 1 MiB).</param>
/// <param name="MaxDepth">Deepest element nesting accepted (default 64).</param>
/// <param name="MaxElements">Most elements in one document (default 10,000).</param>
/// <param name="MaxAttributesPerElement">Most attributes on one element, namespace declarations included (default 64).</param>
public sealed record XmlLimits(int MaxBytes = 1 << 20, int MaxDepth = 64, int MaxElements = 10_000, int MaxAttributesPerElement = 64)
{
    /// <summary>The defaults: 1 MiB, depth 64, 10,000 elements.</summary>
    public static XmlLimits Default { get; } = new();

    /// <summary>Limits for one SOAP-over-UDP datagram: 65,535 bytes, depth 32.</summary>
    public static XmlLimits Datagram { get; } = new(MaxBytes: 65_535, MaxDepth: 32, MaxElements: 4_096);
}
