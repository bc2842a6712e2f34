namespace Harness.Xmpp.Streams;

/// <summary>Bounds on what an XMPP stream reader accepts from its peer (DESIGN principle 6).</summary>
public sealed record XmppReaderLimits
{
    /// <summary>The defaults: 1 MiB per stanza, depth 64, 256 attributes per element, no idle timeout.</summary>
    public static XmppReaderLimits Default { get; } = new();

    /// <summary>
    /// The most bytes one top-level element (or the stream header, or whitespace between stanzas) may take. Enforced
    /// on the bytes handed to the XML parser, which reads ahead (tens of KiB at most), so the effective bound is this
    /// value plus that read-ahead.
    /// </summary>
    public int MaxStanzaBytes { get; init; } = 1 << 20;

    /// <summary>The deepest nesting inside a stanza (the stanza element itself is depth 1).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The most attributes (namespace declarations included) on one element.</summary>
    public int MaxAttributesPerElement { get; init; } = 256;

    /// <summary>
    /// How long the reader waits for the next byte before it gives up with <c>connection-timeout</c>;
    /// <see cref="Timeout.InfiniteTimeSpan"/> (the default) waits for ever.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a bound is unusable.</summary>
    public XmppReaderLimits Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStanzaBytes, 1024, nameof(MaxStanzaBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 2, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttributesPerElement, 1, nameof(MaxAttributesPerElement));
        if (IdleTimeout != Timeout.InfiniteTimeSpan && IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "The idle timeout must be positive or infinite.");
        }

        return this;
    }
}
