using System.Buffers.Binary;
using System.Globalization;
using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>
/// Reads the packets of a pcap or pcapng file one at a time, in file order, from a stream. The reader holds one
/// buffer that is reused for every record; it grows only to the largest record or block read (bounded by
/// <see cref="CaptureOptions.MaxBlockBytes"/>; longer ones are skipped without being buffered), so memory does
/// not grow with the file. The format is told by the magic number.
/// </summary>
/// <remarks>
/// pcap: both byte orders, microsecond and nanosecond magics. pcapng: several sections of either byte order,
/// Section Header, Interface Description (<c>if_tsresol</c>, <c>if_tsoffset</c>), Enhanced Packet
/// (<c>epb_flags</c> direction), Simple Packet and the obsolete Packet Block; other blocks are skipped and
/// counted. Damage (truncation, inconsistent lengths) ends the read and is reported in
/// <see cref="Diagnostics"/>; the packets before it are delivered. Not thread-safe.
/// </remarks>
public sealed class CaptureReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private const int PcapFileHeaderLength = 24;
    private const int PcapRecordHeaderLength = 16;
    private const int MaxInterfaces = 4096;
    private const long MaxPlausibleRecordLength = 256L << 20;

    private const uint BlockSectionHeader = 0x0A0D0D0A;
    private const uint BlockInterfaceDescription = 1;
    private const uint BlockPacketObsolete = 2;
    private const uint BlockSimplePacket = 3;
    private const uint BlockNameResolution = 4;
    private const uint BlockInterfaceStatistics = 5;
    private const uint BlockEnhancedPacket = 6;
    private const uint BlockIrig = 7;
    private const uint BlockAfdx = 8;
    private const uint BlockSystemdJournal = 9;
    private const uint BlockDecryptionSecrets = 10;
    private const uint BlockCustomCopyable = 0x00000BAD;
    private const uint BlockCustomNoCopy = 0x40000BAD;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly CaptureOptions _options;
    private readonly List<Interface> _interfaces = [];
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _position;
    private bool _eof;
    private bool _finished;
    private bool _bigEndian;
    private long _packetNumber;
    private ulong _pcapUnitsPerSecond = 1_000_000;
    private DateTimeOffset _lastTimestamp = DateTimeOffset.UnixEpoch;
    private bool _disposed;

    /// <summary>
    /// Opens a capture on a stream and reads its file header. Throws <see cref="CaptureFormatException"/> when
    /// the stream does not start with a pcap or pcapng magic number.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the start of the capture.</param>
    /// <param name="options">Bounds and extraction choices; <see cref="CaptureOptions.Default"/> when null.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    public CaptureReader(Stream stream, CaptureOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _options = options ?? CaptureOptions.Default;
        _buffer = new byte[InitialBufferSize];
        try
        {
            Format = ReadFileHeader();
        }
        catch
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw;
        }

        Diagnostics = new CaptureDiagnostics(Format, _options.MaxIssues) { PeakBufferBytes = _buffer.Length };
    }

    /// <summary>The container format, from the magic number.</summary>
    public CaptureFormat Format { get; }

    /// <summary>What happened so far: counts, truncation, skipped blocks.</summary>
    public CaptureDiagnostics Diagnostics { get; }

    /// <summary>The link type of a pcap file (pcapng files declare one per interface), else null.</summary>
    public LinkType? PcapLinkType { get; private set; }

    /// <summary>Opens a capture file for reading (sequential, unbuffered: the reader buffers).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Bounds and extraction choices.</param>
    public static CaptureReader Open(string path, CaptureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return new CaptureReader(stream, options, leaveOpen: false);
    }

    /// <summary>
    /// Reads the next packet. Returns false at the end of the file, or when damage ended the read (see
    /// <see cref="Diagnostics"/>). The packet's data is valid until the next call.
    /// </summary>
    public bool TryReadPacket(out CapturePacket packet)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        packet = default;
        while (!_finished)
        {
            var produced = Format == CaptureFormat.Pcap ? ReadPcapRecord(out packet) : ReadPcapNgBlock(out packet);
            Diagnostics.BytesRead = _position;
            if (produced)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The packets from the current position to the end, as a sequence (each packet's data valid until the next).</summary>
    public IEnumerable<CapturePacket> ReadPackets()
    {
        while (TryReadPacket(out var packet))
        {
            yield return packet;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    private CaptureFormat ReadFileHeader()
    {
        Fill(PcapFileHeaderLength);
        var available = _end - _start;
        if (available < 4)
        {
            throw new CaptureFormatException(available == 0
                ? "Not a capture: the file is empty."
                : $"Not a capture: the file has only {available} bytes, fewer than a magic number.");
        }

        var head = _buffer.AsSpan(_start, available);
        var magic = BinaryPrimitives.ReadUInt32BigEndian(head);
        switch (magic)
        {
            case 0xA1B2C3D4:
            case 0xD4C3B2A1:
            case 0xA1B23C4D:
            case 0x4D3CB2A1:
                _bigEndian = magic is 0xA1B2C3D4 or 0xA1B23C4D;
                _pcapUnitsPerSecond = magic is 0xA1B23C4D or 0x4D3CB2A1 ? 1_000_000_000UL : 1_000_000UL;
                if (available < PcapFileHeaderLength)
                {
                    throw new CaptureFormatException($"A pcap file, but it ends inside its 24-byte file header ({available} bytes).");
                }

                var major = U16(head, 4);
                if (major != 2)
                {
                    throw new CaptureFormatException(string.Create(CultureInfo.InvariantCulture, $"A pcap file of version {major}.{U16(head, 6)}, which is not 2.x."));
                }

                // The low 16 bits are the link type; the high bits may carry FCS information.
                PcapLinkType = (LinkType)(U32(head, 20) & 0xFFFF);
                Advance(PcapFileHeaderLength);
                return CaptureFormat.Pcap;
            case BlockSectionHeader:
                if (available < 12)
                {
                    throw new CaptureFormatException($"A pcapng file, but it ends inside its first block header ({available} bytes).");
                }

                var byteOrder = BinaryPrimitives.ReadUInt32BigEndian(head[8..]);
                if (byteOrder is not (0x1A2B3C4D or 0x4D3C2B1A))
                {
                    throw new CaptureFormatException($"Starts like pcapng but its byte-order magic is {Hex(head[8..12])}, not 1A2B3C4D.");
                }

                // The block loop reads the Section Header Block itself.
                return CaptureFormat.PcapNg;
            case 0xA1B2CD34:
            case 0x34CDB2A1:
                throw new CaptureFormatException("A \"modified\" (Kuznetzov) pcap file, which is not supported: convert it first (editcap -F pcapng).");
            default:
                if (head[0] == 0x1F && head[1] == 0x8B)
                {
                    throw new CaptureFormatException("A gzip-compressed file: decompress the capture first.");
                }

                throw new CaptureFormatException(
                    $"Not a pcap or pcapng capture: it starts with {Hex(head[..4])}, not a capture magic number (pcap A1B2C3D4 / A1B23C4D, pcapng 0A0D0D0A).");
        }
    }

    private bool ReadPcapRecord(out CapturePacket packet)
    {
        packet = default;
        var offset = _position;
        if (!Ensure(PcapRecordHeaderLength))
        {
            End(offset, PcapRecordHeaderLength, "pcap record header");
            return false;
        }

        var header = _buffer.AsSpan(_start, PcapRecordHeaderLength);
        var seconds = U32(header, 0);
        var fraction = U32(header, 4);
        var captured = U32(header, 8);
        var original = U32(header, 12);
        if (captured > MaxPlausibleRecordLength)
        {
            Corrupt(offset, string.Create(CultureInfo.InvariantCulture, $"a pcap record claims {captured} captured bytes; the file is damaged"));
            return false;
        }

        var number = ++_packetNumber;
        Diagnostics.PacketsRead++;
        var total = PcapRecordHeaderLength + (int)captured;
        if (total > _options.MaxBlockBytes)
        {
            Oversized(offset, number, total);
            if (!Skip(total))
            {
                Truncated(offset, total, "pcap record");
            }

            return false;
        }

        if (!Ensure(total))
        {
            End(offset, total, "pcap record");
            return false;
        }

        var units = ((ulong)seconds * _pcapUnitsPerSecond) + fraction;
        var timestamp = ToTimestamp(units, _pcapUnitsPerSecond, 0, offset, number);
        packet = new CapturePacket(
            number,
            offset,
            PcapLinkType!.Value,
            0,
            timestamp,
            (int)Math.Min(Math.Max(original, captured), int.MaxValue),
            _buffer.AsMemory(_start + PcapRecordHeaderLength, (int)captured),
            null);
        Advance(total);
        return true;
    }

    private bool ReadPcapNgBlock(out CapturePacket packet)
    {
        packet = default;
        var offset = _position;
        if (!Ensure(8))
        {
            End(offset, 8, "pcapng block header");
            return false;
        }

        var type = U32(_buffer.AsSpan(_start, 8), 0);
        if (type == BlockSectionHeader)
        {
            if (!Ensure(12))
            {
                End(offset, 12, "pcapng Section Header Block");
                return false;
            }

            var byteOrder = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start + 8, 4));
            if (byteOrder is not (0x1A2B3C4D or 0x4D3C2B1A))
            {
                Corrupt(offset, $"a Section Header Block has the byte-order magic {Hex(_buffer.AsSpan(_start + 8, 4))}, not 1A2B3C4D");
                return false;
            }

            _bigEndian = byteOrder == 0x1A2B3C4D;
        }

        var length = U32(_buffer.AsSpan(_start, 8), 4);
        if (length < 12 || length % 4 != 0)
        {
            Corrupt(offset, string.Create(CultureInfo.InvariantCulture, $"block type 0x{type:X8} has total length {length}, which is not a multiple of 4 of at least 12"));
            return false;
        }

        var isPacket = type is BlockEnhancedPacket or BlockSimplePacket or BlockPacketObsolete;
        if (length > _options.MaxBlockBytes)
        {
            return SkipOversizedBlock(type, length, offset, isPacket);
        }

        if (!Ensure((int)length))
        {
            End(offset, length, "pcapng block");
            return false;
        }

        var block = _buffer.AsSpan(_start, (int)length);
        var trailing = U32(block, (int)length - 4);
        if (trailing != length)
        {
            Corrupt(offset, string.Create(CultureInfo.InvariantCulture, $"block type 0x{type:X8} starts with length {length} but ends with {trailing}"));
            return false;
        }

        var body = block[8..^4];
        var produced = false;
        switch (type)
        {
            case BlockSectionHeader:
                if (!ReadSectionHeader(body, offset))
                {
                    return false;
                }

                break;
            case BlockInterfaceDescription:
                ReadInterfaceDescription(body, offset);
                break;
            case BlockEnhancedPacket:
            case BlockPacketObsolete:
            case BlockSimplePacket:
                produced = ReadPacketBlock(type, body, offset, 8, out packet);
                break;
            case BlockNameResolution:
            case BlockInterfaceStatistics:
            case BlockIrig:
            case BlockAfdx:
            case BlockSystemdJournal:
            case BlockDecryptionSecrets:
            case BlockCustomCopyable:
            case BlockCustomNoCopy:
                Diagnostics.OtherBlocks++;
                break;
            default:
                UnknownBlock(type, length, offset);
                break;
        }

        Advance((int)length);
        return produced;
    }

    private bool SkipOversizedBlock(uint type, uint length, long offset, bool isPacket)
    {
        if (type == BlockSectionHeader)
        {
            Corrupt(offset, string.Create(CultureInfo.InvariantCulture, $"a Section Header Block of {length} bytes exceeds the {_options.MaxBlockBytes}-byte limit"));
            return false;
        }

        if (type == BlockInterfaceDescription)
        {
            // Keep the interface numbering right: its link type is in the first bytes; its options are lost.
            if (!Ensure(16))
            {
                End(offset, 16, "pcapng Interface Description Block");
                return false;
            }

            AddInterface(new Interface((LinkType)U16(_buffer.AsSpan(_start, 16), 8), U32(_buffer.AsSpan(_start, 16), 12), 1_000_000, 0), offset);
            Diagnostics.Report(CaptureIssueKind.OversizedBlock, offset, null,
                string.Create(CultureInfo.InvariantCulture, $"an Interface Description Block of {length} bytes exceeds the {_options.MaxBlockBytes}-byte limit; its options were ignored"));
        }
        else if (isPacket)
        {
            Diagnostics.PacketsRead++;
            Oversized(offset, ++_packetNumber, length);
        }
        else if (IsKnownBlockType(type))
        {
            Diagnostics.OtherBlocks++;
        }
        else
        {
            UnknownBlock(type, length, offset);
        }

        if (!Skip(length))
        {
            Truncated(offset, length, "pcapng block");
        }

        return false;
    }

    private static bool IsKnownBlockType(uint type) => type is BlockNameResolution or BlockInterfaceStatistics or BlockIrig or BlockAfdx
        or BlockSystemdJournal or BlockDecryptionSecrets or BlockCustomCopyable or BlockCustomNoCopy;

    private bool ReadSectionHeader(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < 16)
        {
            Corrupt(offset, "a Section Header Block is shorter than its fixed fields");
            return false;
        }

        var major = U16(body, 4);
        if (major != 1)
        {
            Corrupt(offset, string.Create(CultureInfo.InvariantCulture, $"a section of pcapng version {major}.{U16(body, 6)}, which is not 1.x"));
            return false;
        }

        // A new section starts a new list of interfaces.
        _interfaces.Clear();
        return true;
    }

    private void ReadInterfaceDescription(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < 8)
        {
            Diagnostics.Report(CaptureIssueKind.MalformedPacket, offset, null, "an Interface Description Block is shorter than its fixed fields");
            AddInterface(new Interface((LinkType)(-1), 0, 1_000_000, 0), offset);
            return;
        }

        var linkType = (LinkType)U16(body, 0);
        var snapLength = U32(body, 4);
        ulong unitsPerSecond = 1_000_000;
        long offsetSeconds = 0;
        foreach (var (code, value) in Options(body[8..]))
        {
            if (code == 9 && value.Length >= 1)
            {
                var resolution = value[0];
                var exponent = resolution & 0x7F;
                if ((resolution & 0x80) != 0 ? exponent > 63 : exponent > 19)
                {
                    Diagnostics.Report(CaptureIssueKind.MalformedPacket, offset, null,
                        string.Create(CultureInfo.InvariantCulture, $"if_tsresol 0x{resolution:X2} is out of range; microseconds assumed"));
                    continue;
                }

                unitsPerSecond = (resolution & 0x80) != 0 ? 1UL << exponent : Pow10(exponent);
            }
            else if (code == 14 && value.Length >= 8)
            {
                offsetSeconds = _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
            }
        }

        AddInterface(new Interface(linkType, snapLength, unitsPerSecond, offsetSeconds), offset);
    }

    private void AddInterface(Interface description, long offset)
    {
        if (_interfaces.Count >= MaxInterfaces)
        {
            Diagnostics.Report(CaptureIssueKind.UnknownInterface, offset, null,
                string.Create(CultureInfo.InvariantCulture, $"more than {MaxInterfaces} interfaces in one section; later ones are ignored"));
            return;
        }

        _interfaces.Add(description);
    }

    private static ulong Pow10(int exponent)
    {
        ulong value = 1;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }

        return value;
    }

    private bool ReadPacketBlock(uint type, ReadOnlySpan<byte> body, long offset, int bodyStart, out CapturePacket packet)
    {
        packet = default;
        var number = ++_packetNumber;
        Diagnostics.PacketsRead++;
        int interfaceId;
        ulong units = 0;
        bool hasTimestamp;
        int captured;
        uint original;
        int dataStart;
        int optionsStart;
        switch (type)
        {
            case BlockEnhancedPacket:
            case BlockPacketObsolete:
                if (body.Length < 20)
                {
                    MalformedBlock(offset, number, "a packet block is shorter than its fixed fields");
                    return false;
                }

                interfaceId = type == BlockEnhancedPacket ? (int)Math.Min(U32(body, 0), int.MaxValue) : U16(body, 0);
                units = ((ulong)U32(body, 4) << 32) | U32(body, 8);
                hasTimestamp = true;
                var capturedLength = U32(body, 12);
                original = U32(body, 16);
                if (capturedLength > (uint)(body.Length - 20))
                {
                    MalformedBlock(offset, number, string.Create(CultureInfo.InvariantCulture, $"a packet block claims {capturedLength} captured bytes but holds {body.Length - 20}"));
                    return false;
                }

                captured = (int)capturedLength;
                dataStart = 20;
                optionsStart = 20 + ((captured + 3) & ~3);
                break;
            default:
                if (body.Length < 4)
                {
                    MalformedBlock(offset, number, "a Simple Packet Block is shorter than its fixed field");
                    return false;
                }

                interfaceId = 0;
                hasTimestamp = false;
                original = U32(body, 0);
                captured = (int)Math.Min(original, (uint)(body.Length - 4));
                dataStart = 4;
                optionsStart = body.Length;
                break;
        }

        if (interfaceId >= _interfaces.Count)
        {
            Diagnostics.MalformedPackets++;
            Diagnostics.Report(CaptureIssueKind.UnknownInterface, offset, number,
                string.Create(CultureInfo.InvariantCulture, $"packet on interface {interfaceId}, but the section declares {_interfaces.Count} interfaces; skipped"));
            return false;
        }

        var description = _interfaces[interfaceId];
        if (type == BlockSimplePacket && description.SnapLength != 0)
        {
            captured = (int)Math.Min((uint)captured, description.SnapLength);
        }

        DateTimeOffset timestamp;
        if (hasTimestamp)
        {
            timestamp = ToTimestamp(units, description.UnitsPerSecond, description.OffsetSeconds, offset, number);
        }
        else
        {
            // A Simple Packet Block has no timestamp: it takes the previous packet's.
            timestamp = _lastTimestamp;
        }

        TrafficDirection? direction = null;
        if (optionsStart < body.Length)
        {
            foreach (var (code, value) in Options(body[optionsStart..]))
            {
                // epb_flags / pack_flags: bits 0-1 are the direction (01 inbound, 10 outbound).
                if (code == 2 && value.Length >= 4)
                {
                    direction = (U32(value, 0) & 3) switch
                    {
                        1 => TrafficDirection.Inbound,
                        2 => TrafficDirection.Outbound,
                        _ => null,
                    };
                }
            }
        }

        packet = new CapturePacket(
            number,
            offset,
            description.LinkType,
            interfaceId,
            timestamp,
            (int)Math.Min(Math.Max(original, (uint)captured), int.MaxValue),
            _buffer.AsMemory(_start + bodyStart + dataStart, captured),
            direction);
        return true;
    }

    private void MalformedBlock(long offset, long number, string message)
    {
        Diagnostics.MalformedPackets++;
        Diagnostics.Report(CaptureIssueKind.MalformedPacket, offset, number, message + "; skipped");
    }

    private void UnknownBlock(uint type, uint length, long offset)
    {
        Diagnostics.UnknownBlocks++;
        Diagnostics.Report(CaptureIssueKind.UnknownBlock, offset, null,
            string.Create(CultureInfo.InvariantCulture, $"unknown pcapng block type 0x{type:X8} ({length} bytes) skipped"));
    }

    private void Oversized(long offset, long number, long length)
    {
        Diagnostics.OversizedBlocks++;
        Diagnostics.Report(CaptureIssueKind.OversizedBlock, offset, number,
            string.Create(CultureInfo.InvariantCulture, $"a packet of {length} bytes exceeds the {_options.MaxBlockBytes}-byte limit; skipped"));
    }

    private OptionEnumerator Options(ReadOnlySpan<byte> options) => new(options, _bigEndian);

    private DateTimeOffset ToTimestamp(ulong units, ulong unitsPerSecond, long offsetSeconds, long offset, long number)
    {
        var seconds = (Int128)(units / unitsPerSecond) + offsetSeconds;
        var fraction = (long)((UInt128)(units % unitsPerSecond) * TimeSpan.TicksPerSecond / unitsPerSecond);
        var ticks = (seconds * TimeSpan.TicksPerSecond) + fraction + DateTimeOffset.UnixEpoch.Ticks;
        if (ticks < 0 || ticks > DateTimeOffset.MaxValue.Ticks)
        {
            Diagnostics.Report(CaptureIssueKind.TimestampOutOfRange, offset, number, "the timestamp is outside years 1-9999; clamped");
            ticks = ticks < 0 ? 0 : DateTimeOffset.MaxValue.Ticks;
        }

        _lastTimestamp = new DateTimeOffset((long)ticks, TimeSpan.Zero);
        return _lastTimestamp;
    }

    /// <summary>The stream ended where a record or block should start or continue: a clean end, or truncation.</summary>
    private void End(long offset, long needed, string what)
    {
        if (_end - _start == 0)
        {
            _finished = true;
            Diagnostics.Finished = true;
            return;
        }

        Truncated(offset, needed, what);
    }

    private void Truncated(long offset, long needed, string what)
    {
        _finished = true;
        Diagnostics.Finished = true;
        var present = _position - offset + (_end - _start);
        _position = offset;
        Diagnostics.Report(CaptureIssueKind.Truncated, offset, null,
            string.Create(CultureInfo.InvariantCulture, $"the file ends inside a {what} at offset {offset}: {present} of {needed} bytes present; the packets before it were read"));
    }

    private void Corrupt(long offset, string message)
    {
        _finished = true;
        Diagnostics.Finished = true;
        Diagnostics.Report(CaptureIssueKind.Corrupt, offset, null, message + "; reading stopped there");
    }

    private ushort U16(ReadOnlySpan<byte> span, int at) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);

    private uint U32(ReadOnlySpan<byte> span, int at) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);

    private void Advance(int count)
    {
        _start += count;
        _position += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Makes <paramref name="count"/> bytes available from <c>_start</c>, or returns false at the end of the stream.</summary>
    private bool Ensure(long count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_eof)
        {
            return false;
        }

        Fill((int)count);
        return _end - _start >= count;
    }

    private void Fill(int count)
    {
        var live = _end - _start;
        if (count > _buffer.Length)
        {
            // Grow to the next power of two that holds the block; bounded because count <= MaxBlockBytes.
            var size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count)), Array.MaxLength);
            var larger = new byte[size];
            Buffer.BlockCopy(_buffer, _start, larger, 0, live);
            _buffer = larger;
            _start = 0;
            _end = live;
            if (Diagnostics is not null)
            {
                Diagnostics.PeakBufferBytes = Math.Max(Diagnostics.PeakBufferBytes, size);
            }
        }
        else if (_start + count > _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, live);
            _start = 0;
            _end = live;
        }

        while (_end - _start < count)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
                return;
            }

            _end += read;
        }
    }

    /// <summary>Skips <paramref name="count"/> bytes without buffering them; false when the stream ends first.</summary>
    private bool Skip(long count)
    {
        var inBuffer = (int)Math.Min(count, _end - _start);
        Advance(inBuffer);
        count -= inBuffer;
        if (count == 0)
        {
            return true;
        }

        _start = _end = 0;
        if (_stream.CanSeek)
        {
            var remaining = _stream.Length - _stream.Position;
            if (remaining < count)
            {
                _stream.Seek(0, SeekOrigin.End);
                _position += remaining;
                _eof = true;
                return false;
            }

            _stream.Seek(count, SeekOrigin.Current);
            _position += count;
            return true;
        }

        while (count > 0)
        {
            var read = _stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, count));
            if (read == 0)
            {
                _eof = true;
                return false;
            }

            count -= read;
            _position += read;
        }

        return true;
    }

    private readonly record struct Interface(LinkType LinkType, uint SnapLength, ulong UnitsPerSecond, long OffsetSeconds);

    private readonly ref struct Option(ushort code, ReadOnlySpan<byte> value)
    {
        public ushort Code { get; } = code;

        public ReadOnlySpan<byte> Value { get; } = value;

        public void Deconstruct(out ushort code, out ReadOnlySpan<byte> value)
        {
            code = Code;
            value = Value;
        }
    }

    /// <summary>Walks pcapng options (code, length, value padded to 4) up to opt_endofopt or the end; stops at a malformed one.</summary>
    private ref struct OptionEnumerator
    {
        private readonly bool _bigEndian;
        private ReadOnlySpan<byte> _rest;

        public OptionEnumerator(ReadOnlySpan<byte> options, bool bigEndian)
        {
            _rest = options;
            _bigEndian = bigEndian;
            Current = default;
        }

        public Option Current { get; private set; }

        public readonly OptionEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.Length < 4)
            {
                return false;
            }

            var code = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_rest) : BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            var length = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]);
            if (code == 0 || 4 + length > _rest.Length)
            {
                _rest = default;
                return false;
            }

            Current = new Option(code, _rest.Slice(4, length));
            var padded = Math.Min(_rest.Length, 4 + ((length + 3) & ~3));
            _rest = _rest[padded..];
            return true;
        }
    }
}
