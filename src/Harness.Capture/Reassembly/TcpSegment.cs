using System.Net;
using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>The TCP header flags (RFC 9293 section 3.1).</summary>
[Flags]
public enum TcpFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>No more data from the sender.</summary>
    Fin = 0x01,

    /// <summary>Synchronize sequence numbers (connection start).</summary>
    Syn = 0x02,

    /// <summary>Reset the connection.</summary>
    Rst = 0x04,

    /// <summary>Push.</summary>
    Psh = 0x08,

    /// <summary>The acknowledgment number is significant.</summary>
    Ack = 0x10,

    /// <summary>Urgent pointer is significant.</summary>
    Urg = 0x20,

    /// <summary>ECN echo.</summary>
    Ece = 0x40,

    /// <summary>Congestion window reduced.</summary>
    Cwr = 0x80,
}

/// <summary>One TCP segment given to a <see cref="TcpReassembler"/>. The payload is copied when kept.</summary>
public readonly ref struct TcpSegment
{
    /// <summary>Creates a segment.</summary>
    /// <param name="source">The sender's endpoint.</param>
    /// <param name="destination">The receiver's endpoint.</param>
    /// <param name="sequenceNumber">The sequence number of the segment (of the SYN when the SYN flag is set).</param>
    /// <param name="flags">The TCP flags.</param>
    /// <param name="payload">The segment's data.</param>
    /// <param name="timestamp">When it was captured.</param>
    /// <param name="direction">Its direction seen from the capture's host.</param>
    public TcpSegment(
        IPEndPoint source,
        IPEndPoint destination,
        uint sequenceNumber,
        TcpFlags flags,
        ReadOnlySpan<byte> payload,
        DateTimeOffset timestamp,
        TrafficDirection direction = TrafficDirection.Inbound)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        Source = source;
        Destination = destination;
        SequenceNumber = sequenceNumber;
        Flags = flags;
        Payload = payload;
        Timestamp = timestamp;
        Direction = direction;
    }

    /// <summary>The sender's endpoint.</summary>
    public IPEndPoint Source { get; }

    /// <summary>The receiver's endpoint.</summary>
    public IPEndPoint Destination { get; }

    /// <summary>The sequence number.</summary>
    public uint SequenceNumber { get; }

    /// <summary>The TCP flags.</summary>
    public TcpFlags Flags { get; }

    /// <summary>The data.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>When it was captured.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Its direction seen from the capture's host.</summary>
    public TrafficDirection Direction { get; }
}

/// <summary>
/// A run of bytes delivered in order on one direction of a TCP connection.
/// </summary>
/// <param name="Source">The sender's endpoint.</param>
/// <param name="Destination">The receiver's endpoint.</param>
/// <param name="Timestamp">When the segment that completed the run was captured.</param>
/// <param name="Direction">Its direction seen from the capture's host.</param>
/// <param name="Data">The bytes (owned by the chunk).</param>
/// <param name="StreamOffset">How many bytes of this direction's stream came before (gaps included).</param>
/// <param name="GapBefore">How many bytes right before this chunk were never captured (0 normally).</param>
public sealed record TcpStreamChunk(
    IPEndPoint Source,
    IPEndPoint Destination,
    DateTimeOffset Timestamp,
    TrafficDirection Direction,
    ReadOnlyMemory<byte> Data,
    long StreamOffset,
    long GapBefore)
{
    /// <summary>The chunk as a <see cref="TrafficTransport.Tcp"/> record (the data is shared, not copied).</summary>
    /// <param name="sequence">The record's position in its recording.</param>
    /// <param name="protocol">The protocol label, or null.</param>
    public TrafficRecord ToRecord(long sequence, string? protocol = null) =>
        new(sequence, Timestamp, Direction, TrafficTransport.Tcp, Source, Destination, Data, protocol);
}

/// <summary>Bounds of TCP reassembly. Values are checked when set.</summary>
public sealed record TcpReassemblerOptions
{
    /// <summary>The defaults.</summary>
    public static TcpReassemblerOptions Default { get; } = new();

    /// <summary>How many connections are tracked at once (default 10,000); past it the least recently active is flushed and dropped.</summary>
    public int MaxFlows
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 10_000;

    /// <summary>
    /// How many out-of-order bytes one direction may hold while it waits for missing data (default 1 MiB). Past
    /// it the missing bytes are given up as a gap and the held data is delivered.
    /// </summary>
    public int MaxBufferedBytesPerDirection
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1 << 20;

    /// <summary>How many out-of-order segments one direction may hold (default 1024).</summary>
    public int MaxBufferedSegmentsPerDirection
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1024;

    /// <summary>How many out-of-order bytes all connections together may hold (default 64 MiB).</summary>
    public long MaxBufferedBytesTotal
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 64L << 20;
}
