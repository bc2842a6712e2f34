using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>
/// One captured frame, as the file holds it. <see cref="Data"/> points into the reader's reusable buffer: it
/// is valid until the next packet is read. Copy it to keep it.
/// </summary>
/// <param name="Number">1-based position among the file's packet records and blocks (as tshark numbers frames).</param>
/// <param name="Offset">Byte offset in the file of the record or block that holds the packet.</param>
/// <param name="LinkType">The link-layer header type of <see cref="Data"/> (any value the file names).</param>
/// <param name="InterfaceId">The pcapng interface index (0 for pcap).</param>
/// <param name="Timestamp">When it was captured.</param>
/// <param name="OriginalLength">The length of the frame on the wire (at least the captured length).</param>
/// <param name="Data">The captured bytes, starting with the link-layer header.</param>
/// <param name="Direction">The direction the capture recorded (pcapng <c>epb_flags</c>), or null when it did not say.</param>
public readonly record struct CapturePacket(
    long Number,
    long Offset,
    LinkType LinkType,
    int InterfaceId,
    DateTimeOffset Timestamp,
    int OriginalLength,
    ReadOnlyMemory<byte> Data,
    TrafficDirection? Direction);
