namespace Harness.Capture;

/// <summary>
/// Thrown when a file is not a capture at all (its first bytes are no pcap or pcapng magic number, or it is
/// shorter than a file header). Damage found later in a capture (truncation, a corrupt block) is not thrown:
/// it ends the read and is reported in <see cref="CaptureDiagnostics"/> with the packets read before it.
/// </summary>
public sealed class CaptureFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CaptureFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CaptureFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
