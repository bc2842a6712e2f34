namespace Harness.Capture;

/// <summary>The container format of a capture file, told by its magic number (never by its name).</summary>
public enum CaptureFormat
{
    /// <summary>Classic libpcap format (magic <c>A1B2C3D4</c> for microseconds, <c>A1B23C4D</c> for nanoseconds, either byte order).</summary>
    Pcap,

    /// <summary>pcapng (a Section Header Block, magic <c>0A0D0D0A</c>, first).</summary>
    PcapNg,
}
