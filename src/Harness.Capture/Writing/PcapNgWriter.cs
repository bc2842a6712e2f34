using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>The timestamp unit of a written capture (the <c>if_tsresol</c> option).</summary>
public enum TimestampResolution
{
    /// <summary>Microseconds (<c>if_tsresol</c> 6, the pcapng default).</summary>
    Microseconds,

    /// <summary>Nanoseconds (<c>if_tsresol</c> 9).</summary>
    Nanoseconds,
}

/// <summary>How <see cref="PcapNgWriter"/> writes. Values are checked when set.</summary>
public sealed record PcapNgWriterOptions
{
    /// <summary>The defaults.</summary>
    public static PcapNgWriterOptions Default { get; } = new();

    /// <summary>The timestamp unit (default microseconds).</summary>
    public TimestampResolution Resolution { get; init; } = TimestampResolution.Microseconds;

    /// <summary>Whether each packet carries an <c>opt_comment</c> with its direction, transport and protocol (default true).</summary>
    public bool IncludeComments { get; init; } = true;

    /// <summary>The <c>shb_userappl</c> option of the section header, or null for none (default "Harness").</summary>
    public string? Application { get; init; } = "Harness";

    /// <summary>The largest TCP payload per synthesized segment (default 1460; 1 to 65,495).</summary>
    public int MaxSegmentSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65_495);
            field = value;
        }
    } = 1460;

    /// <summary>
    /// Whether the first TCP or HTTP record of a connection is preceded by a synthesized SYN, SYN-ACK, ACK
    /// handshake (default true), so that tshark sees the connection's start and follows the stream.
    /// </summary>
    public bool SynthesizeHandshake { get; init; } = true;

    /// <summary>How many TCP connections the writer tracks sequence numbers for (default 65,536; the least recently used is forgotten).</summary>
    public int MaxTrackedConnections
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 65_536;
}

/// <summary>
/// Writes a pcapng capture (one section, little-endian) as records arrive: <see cref="TrafficRecord"/>s become
/// synthesized raw IP packets (<c>LINKTYPE_RAW</c>): UDP records one IPv4/IPv6 + UDP datagram each; TCP and
/// HTTP records TCP segments with consistent sequence and acknowledgment numbers per connection, after a
/// synthesized handshake. Lengths and checksums are correct; direction goes into <c>epb_flags</c>, and a
/// readable note into <c>opt_comment</c>. Deterministic: the same records give the same bytes. Thread-safe.
/// </summary>
/// <remarks>
/// Layout: a Section Header Block, then an Interface Description Block for each link type when first used
/// (<see cref="LinkType.Raw"/> for records; any for <see cref="WriteFrame"/>), then Enhanced Packet Blocks.
/// A UDP payload larger than one datagram can carry (65,507 bytes over IPv4, 65,527 over IPv6) is refused with
/// <see cref="ArgumentException"/>; TCP payloads are split into segments of <see cref="PcapNgWriterOptions.MaxSegmentSize"/>;
/// a TCP or HTTP record with no payload writes nothing. Connections are never closed (no FIN is synthesized).
/// </remarks>
public sealed class PcapNgWriter : IDisposable
{
    private const uint BlockSectionHeader = 0x0A0D0D0A;
    private const uint BlockInterfaceDescription = 1;
    private const uint BlockEnhancedPacket = 6;
    private const ushort OptionEnd = 0;
    private const ushort OptionComment = 1;
    private const ushort OptionApplication = 4;
    private const ushort OptionTimestampResolution = 9;
    private const ushort OptionPacketFlags = 2;
    private const int MaxPacketLength = 65_535 + 40;

    private readonly Lock _gate = new();
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly PcapNgWriterOptions _options;
    private readonly Dictionary<int, int> _interfaces = [];
    private readonly Dictionary<EndpointPair, Flow> _flows = [];
    private readonly LinkedList<Flow> _flowsByUse = new();
    private readonly byte[] _packet = new byte[MaxPacketLength];
    private byte[] _block = new byte[MaxPacketLength + 256];
    private ushort _ipId;
    private long _flowsCreated;
    private bool _disposed;

    /// <summary>Starts a capture on a writable stream: the Section Header Block is written at once.</summary>
    /// <param name="stream">Where the capture goes.</param>
    /// <param name="options">Resolution, comments, segment size; <see cref="PcapNgWriterOptions.Default"/> when null.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves <paramref name="stream"/> open.</param>
    public PcapNgWriter(Stream stream, PcapNgWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _options = options ?? PcapNgWriterOptions.Default;
        WriteSectionHeader();
    }

    /// <summary>How many packets have been written (synthesized handshake packets included).</summary>
    public long PacketsWritten { get; private set; }

    /// <summary>Creates (or overwrites) a capture file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Resolution, comments, segment size.</param>
    public static PcapNgWriter Create(string path, PcapNgWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        return new PcapNgWriter(stream, options, leaveOpen: false);
    }

    /// <summary>Writes records to a new capture file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="records">The records, in order.</param>
    /// <param name="options">Resolution, comments, segment size.</param>
    public static void WriteFile(string path, IEnumerable<TrafficRecord> records, PcapNgWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var writer = Create(path, options);
        foreach (var record in records)
        {
            writer.Write(record);
        }
    }

    /// <summary>
    /// Writes one record as one or more packets. Throws <see cref="ArgumentException"/> when its endpoints are
    /// not of one address family or a UDP payload does not fit one datagram.
    /// </summary>
    public void Write(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (sourceAddress, destinationAddress) = PacketBuilder.SameFamily(record.Source.Address, record.Destination.Address);
        var source = new IPEndPoint(sourceAddress, record.Source.Port);
        var destination = new IPEndPoint(destinationAddress, record.Destination.Port);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (record.Transport == TrafficTransport.Udp)
            {
                WriteUdp(record, source, destination);
            }
            else
            {
                WriteTcp(record, source, destination);
            }
        }
    }

    /// <summary>Writes one frame as it is, for the given link type (an Interface Description Block is added on first use).</summary>
    /// <param name="linkType">The frame's link-layer type.</param>
    /// <param name="timestamp">When it was captured (not before 1970).</param>
    /// <param name="frame">The bytes, starting with the link-layer header.</param>
    /// <param name="direction">The direction for <c>epb_flags</c>, or null.</param>
    /// <param name="comment">An <c>opt_comment</c>, or null.</param>
    public void WriteFrame(LinkType linkType, DateTimeOffset timestamp, ReadOnlySpan<byte> frame, TrafficDirection? direction = null, string? comment = null)
    {
        if ((int)linkType is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(linkType), linkType, "A pcapng link type is a 16-bit value.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            WritePacketBlock((int)linkType, timestamp, frame, direction, comment);
        }
    }

    /// <summary>Pushes everything written so far to the stream's backing store.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stream.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stream.Flush();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private static string Comment(TrafficRecord record, string? extra)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{record.Direction.ToString().ToLowerInvariant()} {record.Transport.ToString().ToLowerInvariant()}");
        if (record.Protocol is { } protocol)
        {
            text += " " + protocol;
        }

        text += string.Create(CultureInfo.InvariantCulture, $" #{record.Sequence}");
        return extra is null ? text : text + " " + extra;
    }

    private static TrafficDirection Reverse(TrafficDirection direction) =>
        direction == TrafficDirection.Inbound ? TrafficDirection.Outbound : TrafficDirection.Inbound;

    private void WriteUdp(TrafficRecord record, IPEndPoint source, IPEndPoint destination)
    {
        var max = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? PacketBuilder.MaxUdpPayloadIpv4 : PacketBuilder.MaxUdpPayloadIpv6;
        if (record.Payload.Length > max)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Record {record.Sequence}: a UDP payload of {record.Payload.Length} bytes exceeds the {max} bytes one datagram can carry."),
                nameof(record));
        }

        var length = PacketBuilder.WriteUdp(_packet, source, destination, record.Payload.Span, _ipId++);
        WritePacketBlock((int)LinkType.Raw, record.Timestamp, _packet.AsSpan(0, length), record.Direction,
            _options.IncludeComments ? Comment(record, null) : null);
    }

    private void WriteTcp(TrafficRecord record, IPEndPoint source, IPEndPoint destination)
    {
        if (record.Payload.IsEmpty)
        {
            return;
        }

        var flow = FlowFor(source, destination, out var fromClient);
        if (!flow.HandshakeWritten)
        {
            flow.HandshakeWritten = true;
            if (_options.SynthesizeHandshake)
            {
                WriteHandshake(record, flow, fromClient);
            }
        }

        var payload = record.Payload.Span;
        var comment = _options.IncludeComments ? Comment(record, null) : null;
        for (var offset = 0; offset < payload.Length; offset += _options.MaxSegmentSize)
        {
            var size = Math.Min(_options.MaxSegmentSize, payload.Length - offset);
            var last = offset + size == payload.Length;
            var sequence = fromClient ? flow.ClientNext : flow.ServerNext;
            var acknowledgment = fromClient ? flow.ServerNext : flow.ClientNext;
            var flags = TcpFlags.Ack | (last ? TcpFlags.Psh : TcpFlags.None);
            var length = PacketBuilder.WriteTcp(_packet, source, destination, sequence, acknowledgment, flags, payload.Slice(offset, size), _ipId++);
            WritePacketBlock((int)LinkType.Raw, record.Timestamp, _packet.AsSpan(0, length), record.Direction, comment);
            if (fromClient)
            {
                flow.ClientNext += (uint)size;
            }
            else
            {
                flow.ServerNext += (uint)size;
            }
        }
    }

    private void WriteHandshake(TrafficRecord record, Flow flow, bool fromClient)
    {
        // The first sender is taken as the client.
        var clientDirection = fromClient ? record.Direction : Reverse(record.Direction);
        var comment = _options.IncludeComments ? "synthesized handshake" : null;
        var length = PacketBuilder.WriteTcp(_packet, flow.Client, flow.Server, flow.ClientNext - 1, 0, TcpFlags.Syn, [], _ipId++);
        WritePacketBlock((int)LinkType.Raw, record.Timestamp, _packet.AsSpan(0, length), clientDirection, comment);
        length = PacketBuilder.WriteTcp(_packet, flow.Server, flow.Client, flow.ServerNext - 1, flow.ClientNext, TcpFlags.Syn | TcpFlags.Ack, [], _ipId++);
        WritePacketBlock((int)LinkType.Raw, record.Timestamp, _packet.AsSpan(0, length), Reverse(clientDirection), comment);
        length = PacketBuilder.WriteTcp(_packet, flow.Client, flow.Server, flow.ClientNext, flow.ServerNext, TcpFlags.Ack, [], _ipId++);
        WritePacketBlock((int)LinkType.Raw, record.Timestamp, _packet.AsSpan(0, length), clientDirection, comment);
    }

    private Flow FlowFor(IPEndPoint source, IPEndPoint destination, out bool fromClient)
    {
        var key = EndpointPair.Create(source, destination, out var sourceIsFirst);
        if (_flows.TryGetValue(key, out var flow))
        {
            _flowsByUse.Remove(flow.Node);
            _flowsByUse.AddLast(flow.Node);
            fromClient = sourceIsFirst == flow.ClientIsFirst;
            return flow;
        }

        while (_flows.Count >= _options.MaxTrackedConnections && _flowsByUse.First is { } oldest)
        {
            _flows.Remove(oldest.Value.Key);
            _flowsByUse.RemoveFirst();
        }

        // Deterministic initial sequence numbers, different per connection.
        var n = (uint)(++_flowsCreated);
        flow = new Flow(key, source, destination, sourceIsFirst)
        {
            ClientNext = (n * 0x0100_0000u) + 1,
            ServerNext = 0x8000_0000u + (n * 0x0100_0000u) + 1,
        };
        flow.Node = _flowsByUse.AddLast(flow);
        _flows.Add(key, flow);
        fromClient = true;
        return flow;
    }

    private void WriteSectionHeader()
    {
        var at = 0;
        EnsureBlock(64 + Encoding.UTF8.GetMaxByteCount(_options.Application?.Length ?? 0));
        var block = _block.AsSpan();
        Put32(block, ref at, BlockSectionHeader);
        Put32(block, ref at, 0); // length, below
        Put32(block, ref at, 0x1A2B3C4D);
        Put16(block, ref at, 1);
        Put16(block, ref at, 0);
        BinaryPrimitives.WriteInt64LittleEndian(block[at..], -1); // section length not given
        at += 8;
        if (_options.Application is { Length: > 0 } application)
        {
            PutStringOption(block, ref at, OptionApplication, application);
        }

        PutOptionEnd(block, ref at);
        Finish(block, ref at);
    }

    private int InterfaceFor(int linkType)
    {
        if (_interfaces.TryGetValue(linkType, out var id))
        {
            return id;
        }

        id = _interfaces.Count;
        _interfaces.Add(linkType, id);
        var at = 0;
        var block = _block.AsSpan();
        Put32(block, ref at, BlockInterfaceDescription);
        Put32(block, ref at, 0);
        Put16(block, ref at, (ushort)linkType);
        Put16(block, ref at, 0);
        Put32(block, ref at, 0); // snap length: no limit
        Put16(block, ref at, OptionTimestampResolution);
        Put16(block, ref at, 1);
        block[at] = _options.Resolution == TimestampResolution.Nanoseconds ? (byte)9 : (byte)6;
        block[at + 1] = block[at + 2] = block[at + 3] = 0;
        at += 4;
        PutOptionEnd(block, ref at);
        Finish(block, ref at);
        return id;
    }

    private void WritePacketBlock(int linkType, DateTimeOffset timestamp, ReadOnlySpan<byte> data, TrafficDirection? direction, string? comment)
    {
        var ticks = timestamp.UtcTicks - DateTimeOffset.UnixEpoch.Ticks;
        if (ticks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "A pcapng timestamp cannot be before 1970-01-01.");
        }

        var units = _options.Resolution == TimestampResolution.Nanoseconds ? (ulong)ticks * 100 : (ulong)ticks / 10;
        var interfaceId = InterfaceFor(linkType);
        if (comment is not null && comment.Length > 16_000)
        {
            comment = comment[..16_000];
        }

        EnsureBlock(data.Length + 64 + (comment is null ? 0 : Encoding.UTF8.GetMaxByteCount(comment.Length)));
        var block = _block.AsSpan();
        var at = 0;
        Put32(block, ref at, BlockEnhancedPacket);
        Put32(block, ref at, 0);
        Put32(block, ref at, (uint)interfaceId);
        Put32(block, ref at, (uint)(units >> 32));
        Put32(block, ref at, (uint)units);
        Put32(block, ref at, (uint)data.Length);
        Put32(block, ref at, (uint)data.Length);
        data.CopyTo(block[at..]);
        at += data.Length;
        Pad(block, ref at);
        var hasOptions = false;
        if (direction is { } d)
        {
            Put16(block, ref at, OptionPacketFlags);
            Put16(block, ref at, 4);
            Put32(block, ref at, d == TrafficDirection.Inbound ? 1u : 2u);
            hasOptions = true;
        }

        if (comment is not null)
        {
            PutStringOption(block, ref at, OptionComment, comment);
            hasOptions = true;
        }

        if (hasOptions)
        {
            PutOptionEnd(block, ref at);
        }

        Finish(block, ref at);
        PacketsWritten++;
    }

    private void EnsureBlock(int size)
    {
        if (_block.Length < size)
        {
            _block = new byte[size];
        }
    }

    private static void Put16(Span<byte> block, ref int at, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(block[at..], value);
        at += 2;
    }

    private static void Put32(Span<byte> block, ref int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(block[at..], value);
        at += 4;
    }

    private static void Pad(Span<byte> block, ref int at)
    {
        while (at % 4 != 0)
        {
            block[at++] = 0;
        }
    }

    private static void PutStringOption(Span<byte> block, ref int at, ushort code, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, block[(at + 4)..]);
        Put16(block, ref at, code);
        Put16(block, ref at, (ushort)length);
        at += length;
        Pad(block, ref at);
    }

    private static void PutOptionEnd(Span<byte> block, ref int at)
    {
        Put16(block, ref at, OptionEnd);
        Put16(block, ref at, 0);
    }

    /// <summary>Writes the total length at both ends and the block to the stream.</summary>
    private void Finish(Span<byte> block, ref int at)
    {
        var total = at + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(block[at..], (uint)total);
        _stream.Write(block[..total]);
    }

    private sealed class Flow(EndpointPair key, IPEndPoint client, IPEndPoint server, bool clientIsFirst)
    {
        public EndpointPair Key { get; } = key;

        public IPEndPoint Client { get; } = client;

        public IPEndPoint Server { get; } = server;

        /// <summary>Whether the client is the pair's first endpoint.</summary>
        public bool ClientIsFirst { get; } = clientIsFirst;

        public LinkedListNode<Flow> Node { get; set; } = null!;

        public bool HandshakeWritten { get; set; }

        public uint ClientNext { get; set; }

        public uint ServerNext { get; set; }
    }
}
