using Harness.Core.Diagnostics;
using Harness.Core.Xml;

namespace Harness.WsDiscovery.Messages;

/// <summary>How <see cref="WsdMessageReader"/> reads a datagram.</summary>
/// <param name="Mode">
/// <see cref="ReadMode.Lenient"/> understands the deviations real devices send and reports them;
/// <see cref="ReadMode.Strict"/> returns no message when any <see cref="ViolationSeverity.Error"/> violation was found.
/// </param>
/// <param name="Limits">Size, depth and node bounds; null means <see cref="XmlLimits.Datagram"/>.</param>
public sealed record WsdReadOptions(ReadMode Mode = ReadMode.Lenient, XmlLimits? Limits = null)
{
    /// <summary>Lenient reading with datagram limits.</summary>
    public static WsdReadOptions Default { get; } = new();

    /// <summary>Strict reading with datagram limits.</summary>
    public static WsdReadOptions Strict { get; } = new(ReadMode.Strict);
}

/// <summary>What <see cref="WsdMessageReader.Read"/> understood, and every deviation it found.</summary>
/// <param name="Message">The message, or null when it could not be understood (or Strict mode refused it).</param>
/// <param name="Violations">The deviations, in the order found; empty for a clean message.</param>
public sealed record WsdReadResult(WsdMessage? Message, IReadOnlyList<Violation> Violations)
{
    /// <summary>True when <see cref="Message"/> is set.</summary>
    public bool Success => Message is not null;
}
