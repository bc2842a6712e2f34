using System.Buffers.Binary;

namespace Harness.Capture.Tests.Support;

/// <summary>
/// Writes pcap files byte by byte from the format description (draft-ietf-opsawg-pcap), independent of the
/// library, so that reader tests do not judge the reader by its own writer.
/// </summary>
internal static class PcapFile
{
    public static byte[] Build(int linkType, IEnumerable<(uint Seconds, uint Fraction, byte[] Data)> records, bool bigEndian = false, bool nanoseconds = false, uint snapLength = 65_535)
    {
        var output = new List<byte>();
        Put32(output, nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4, bigEndian);
        Put16(output, 2, bigEndian);
        Put16(output, 4, bigEndian);
        Put32(output, 0, bigEndian);
        Put32(output, 0, bigEndian);
        Put32(output, snapLength, bigEndian);
        Put32(output, (uint)linkType, bigEndian);
        foreach (var (seconds, fraction, data) in records)
        {
            Put32(output, seconds, bigEndian);
            Put32(output, fraction, bigEndian);
            Put32(output, (uint)data.Length, bigEndian);
            Put32(output, (uint)data.Length, bigEndian);
            output.AddRange(data);
        }

        return [.. output];
    }

    /// <summary>The offsets of the records of a pcap file (parsed by hand: 24-byte header, then 16-byte headers).</summary>
    public static List<long> RecordOffsets(byte[] file)
    {
        var bigEndian = file[0] == 0xA1;
        var offsets = new List<long>();
        for (long at = 24; at + 16 <= file.Length;)
        {
            offsets.Add(at);
            var captured = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)at + 8)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at + 8));
            at += 16 + captured;
        }

        return offsets;
    }

    private static void Put16(List<byte> output, ushort value, bool bigEndian)
    {
        Span<byte> bytes = stackalloc byte[2];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }

        output.AddRange(bytes.ToArray());
    }

    private static void Put32(List<byte> output, uint value, bool bigEndian)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }

        output.AddRange(bytes.ToArray());
    }
}

/// <summary>Writes pcapng files block by block from the format description (draft-ietf-opsawg-pcapng).</summary>
internal sealed class PcapNgBuilder
{
    private readonly List<byte> _output = [];
    private bool _bigEndian;

    public List<long> BlockOffsets { get; } = [];

    public PcapNgBuilder Section(bool bigEndian = false)
    {
        _bigEndian = bigEndian;
        var body = new List<byte>();
        Put32(body, 0x1A2B3C4D);
        Put16(body, 1);
        Put16(body, 0);
        Put32(body, 0xFFFFFFFF);
        Put32(body, 0xFFFFFFFF);
        return Block(0x0A0D0D0A, [.. body]);
    }

    public PcapNgBuilder Interface(int linkType, byte? timestampResolution = null, long? timestampOffset = null, uint snapLength = 0)
    {
        var body = new List<byte>();
        Put16(body, (ushort)linkType);
        Put16(body, 0);
        Put32(body, snapLength);
        if (timestampResolution is { } resolution)
        {
            Put16(body, 9);
            Put16(body, 1);
            body.AddRange([resolution, 0, 0, 0]);
        }

        if (timestampOffset is { } offset)
        {
            Put16(body, 14);
            Put16(body, 8);
            Put32(body, _bigEndian ? (uint)(offset >> 32) : (uint)offset);
            Put32(body, _bigEndian ? (uint)offset : (uint)(offset >> 32));
        }

        if (timestampResolution is not null || timestampOffset is not null)
        {
            Put32(body, 0);
        }

        return Block(1, [.. body]);
    }

    public PcapNgBuilder Enhanced(int interfaceId, ulong timestamp, byte[] data, uint? flags = null, string? comment = null)
    {
        var body = new List<byte>();
        Put32(body, (uint)interfaceId);
        Put32(body, (uint)(timestamp >> 32));
        Put32(body, (uint)timestamp);
        Put32(body, (uint)data.Length);
        Put32(body, (uint)data.Length);
        body.AddRange(data);
        Pad(body);
        if (comment is not null)
        {
            var text = System.Text.Encoding.UTF8.GetBytes(comment);
            Put16(body, 1);
            Put16(body, (ushort)text.Length);
            body.AddRange(text);
            Pad(body);
        }

        if (flags is { } value)
        {
            Put16(body, 2);
            Put16(body, 4);
            Put32(body, value);
        }

        if (flags is not null || comment is not null)
        {
            Put32(body, 0);
        }

        return Block(6, [.. body]);
    }

    public PcapNgBuilder Simple(byte[] data, uint? originalLength = null)
    {
        var body = new List<byte>();
        Put32(body, originalLength ?? (uint)data.Length);
        body.AddRange(data);
        Pad(body);
        return Block(3, [.. body]);
    }

    public PcapNgBuilder Obsolete(int interfaceId, ulong timestamp, byte[] data)
    {
        var body = new List<byte>();
        Put16(body, (ushort)interfaceId);
        Put16(body, 0);
        Put32(body, (uint)(timestamp >> 32));
        Put32(body, (uint)timestamp);
        Put32(body, (uint)data.Length);
        Put32(body, (uint)data.Length);
        body.AddRange(data);
        Pad(body);
        return Block(2, [.. body]);
    }

    public PcapNgBuilder Block(uint type, byte[] body, uint? trailingLengthOverride = null)
    {
        BlockOffsets.Add(_output.Count);
        var length = (uint)(12 + body.Length);
        Put32(_output, type);
        Put32(_output, length);
        _output.AddRange(body);
        Put32(_output, trailingLengthOverride ?? length);
        return this;
    }

    public byte[] ToArray() => [.. _output];

    private static void Pad(List<byte> body)
    {
        while (body.Count % 4 != 0)
        {
            body.Add(0);
        }
    }

    private void Put16(List<byte> output, ushort value)
    {
        var bytes = new byte[2];
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }

        output.AddRange(bytes);
    }

    private void Put32(List<byte> output, uint value)
    {
        var bytes = new byte[4];
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }

        output.AddRange(bytes);
    }
}
