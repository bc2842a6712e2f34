using Harness.Core.Diagnostics;

namespace Harness.Ssdp.Messages;

/// <summary>The outcome of <see cref="SsdpMessageReader.Read"/>, in the manner of RESPite's framers: done or invalid, never an exception.</summary>
public enum SsdpReadStatus
{
    /// <summary>A message was understood (it may still carry violations).</summary>
    Done,

    /// <summary>
    /// Not an SSDP message (empty, binary, an unknown start line), larger than the limits, or refused in
    /// <see cref="ReadMode.Strict"/> mode because of an error-level violation.
    /// </summary>
    Invalid,
}

/// <summary>How <see cref="SsdpMessageReader"/> reads a datagram.</summary>
public sealed record SsdpReadOptions
{
    /// <summary>Lenient reading, 16 KiB, 64 headers.</summary>
    public static SsdpReadOptions Default { get; } = new();

    /// <summary>Strict reading, 16 KiB, 64 headers.</summary>
    public static SsdpReadOptions Strict { get; } = new() { Mode = ReadMode.Strict };

    /// <summary>
    /// <see cref="ReadMode.Lenient"/> understands what real devices send and reports each deviation;
    /// <see cref="ReadMode.Strict"/> answers <see cref="SsdpReadStatus.Invalid"/> on any error-level violation.
    /// </summary>
    public ReadMode Mode { get; init; } = ReadMode.Lenient;

    /// <summary>Largest message accepted, in bytes (default 16 KiB; real SSDP messages are well under 2 KiB).</summary>
    public int MaxBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 16);
            field = value;
        }
    } = 16 * 1024;

    /// <summary>Most header lines read (default 64); the rest are ignored and reported.</summary>
    public int MaxHeaders
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 64;

    /// <summary>
    /// Whether deviations of style that HTTP allows (header names not in the UDA's upper case, no space after the
    /// colon) are reported as <see cref="ViolationSeverity.Info"/> (default true).
    /// </summary>
    public bool ReportStyle { get; init; } = true;
}

/// <summary>What <see cref="SsdpMessageReader.Read"/> understood, and every deviation it found.</summary>
/// <param name="Status">Done or invalid.</param>
/// <param name="Message">The message when <see cref="SsdpReadStatus.Done"/>, else null.</param>
/// <param name="Violations">The deviations in the order found; empty for a clean message.</param>
public readonly record struct SsdpReadResult(SsdpReadStatus Status, SsdpMessage? Message, IReadOnlyList<Violation> Violations)
{
    /// <summary>True when a message was understood.</summary>
    public bool IsDone => Status == SsdpReadStatus.Done && Message is not null;

    /// <summary>True when a violation of <see cref="ViolationSeverity.Error"/> was found.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var violation in Violations ?? [])
            {
                if (violation.Severity == ViolationSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
