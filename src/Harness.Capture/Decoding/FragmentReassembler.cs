using System.Buffers.Binary;
using System.Globalization;

namespace Harness.Capture;

/// <summary>Identifies the fragments of one IP datagram (RFC 791 section 3.2; RFC 8200 section 4.5).</summary>
internal readonly record struct FragmentKey(UInt128 Source, UInt128 Destination, uint Id, byte Protocol, byte Version)
{
    public static UInt128 Address(ReadOnlySpan<byte> address) => address.Length == 16
        ? BinaryPrimitives.ReadUInt128BigEndian(address)
        : ((UInt128)0xFFFF << 32) | BinaryPrimitives.ReadUInt32BigEndian(address);
}

/// <summary>
/// Puts fragmented IPv4 and IPv6 datagrams back together. Bounded: at most
/// <see cref="FragmentReassemblyOptions.MaxPendingDatagrams"/> incomplete datagrams and
/// <see cref="FragmentReassemblyOptions.MaxBufferedBytes"/> held bytes (the oldest datagram is dropped first), at
/// most 65,535 bytes per datagram and 1024 fragments each; an incomplete datagram is dropped once the capture's
/// clock has moved <see cref="FragmentReassemblyOptions.Timeout"/> past its first fragment. Overlapping
/// fragments: the later one's bytes win.
/// </summary>
internal sealed class FragmentReassembler
{
    private const int MaxDatagramLength = 65_535;
    private const int MaxFragmentsPerDatagram = 1024;

    private readonly FragmentReassemblyOptions _options;
    private readonly CaptureDiagnostics _diagnostics;
    private readonly Dictionary<FragmentKey, Pending> _pending = [];
    private readonly LinkedList<Pending> _byAge = new();
    private long _bufferedBytes;

    public FragmentReassembler(FragmentReassemblyOptions options, CaptureDiagnostics diagnostics)
    {
        _options = options;
        _diagnostics = diagnostics;
    }

    public int PendingCount => _pending.Count;

    /// <summary>Adds a fragment; returns the whole datagram's payload once every fragment is in, else null.</summary>
    public byte[]? Add(in FragmentKey key, int offset, bool moreFragments, ReadOnlySpan<byte> data, DateTimeOffset timestamp, long packetNumber)
    {
        _diagnostics.Fragments++;
        Expire(timestamp);
        if (offset + data.Length > MaxDatagramLength)
        {
            _diagnostics.MalformedPackets++;
            _diagnostics.Report(CaptureIssueKind.MalformedPacket, -1, packetNumber,
                string.Create(CultureInfo.InvariantCulture, $"an IP fragment reaches byte {offset + data.Length}, beyond the 65,535-byte limit; skipped"));
            return null;
        }

        if (!_pending.TryGetValue(key, out var pending))
        {
            while (_pending.Count >= _options.MaxPendingDatagrams && _byAge.First is { } oldest)
            {
                Drop(oldest.Value, "too many incomplete datagrams");
            }

            pending = new Pending(key, timestamp);
            pending.Node = _byAge.AddLast(pending);
            _pending.Add(key, pending);
        }

        if (!moreFragments)
        {
            var end = offset + data.Length;
            if (pending.Length >= 0 && pending.Length != end)
            {
                Drop(pending, "two last fragments disagree on its length");
                return null;
            }

            pending.Length = end;
        }

        if (pending.Pieces.Count >= MaxFragmentsPerDatagram)
        {
            Drop(pending, "more than 1024 fragments");
            return null;
        }

        pending.Pieces.Add(new Piece(offset, data.ToArray()));
        pending.Bytes += data.Length;
        _bufferedBytes += data.Length;
        while (_bufferedBytes > _options.MaxBufferedBytes && _byAge.First is { } oldest)
        {
            var dropped = oldest.Value == pending;
            Drop(oldest.Value, "too many fragment bytes held");
            if (dropped)
            {
                return null;
            }
        }

        return pending.Length >= 0 ? TryAssemble(pending) : null;
    }

    /// <summary>Drops every incomplete datagram (end of the capture).</summary>
    public void Complete()
    {
        while (_byAge.First is { } oldest)
        {
            Drop(oldest.Value, "the capture ended before all its fragments");
        }
    }

    private byte[]? TryAssemble(Pending pending)
    {
        pending.Pieces.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        var covered = 0;
        foreach (var piece in pending.Pieces)
        {
            if (piece.Offset > covered)
            {
                return null;
            }

            covered = Math.Max(covered, piece.Offset + piece.Data.Length);
        }

        if (covered < pending.Length)
        {
            return null;
        }

        var datagram = new byte[pending.Length];
        foreach (var piece in pending.Pieces)
        {
            var length = Math.Min(piece.Data.Length, pending.Length - piece.Offset);
            if (length > 0)
            {
                piece.Data.AsSpan(0, length).CopyTo(datagram.AsSpan(piece.Offset));
            }
        }

        Forget(pending);
        _diagnostics.DatagramsReassembled++;
        return datagram;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_byAge.First is { } oldest && now - oldest.Value.FirstSeen > _options.Timeout)
        {
            Drop(oldest.Value, string.Create(CultureInfo.InvariantCulture, $"its fragments did not all arrive within {_options.Timeout.TotalSeconds:0.###} s of capture time"));
        }
    }

    private void Drop(Pending pending, string reason)
    {
        Forget(pending);
        _diagnostics.DatagramsDropped++;
        _diagnostics.Report(CaptureIssueKind.FragmentDropped, -1, null,
            string.Create(CultureInfo.InvariantCulture, $"an incomplete fragmented IPv{pending.Key.Version} datagram (id {pending.Key.Id}) was dropped: {reason}"));
    }

    private void Forget(Pending pending)
    {
        _bufferedBytes -= pending.Bytes;
        _pending.Remove(pending.Key);
        _byAge.Remove(pending.Node);
    }

    private readonly record struct Piece(int Offset, byte[] Data);

    private sealed class Pending(FragmentKey key, DateTimeOffset firstSeen)
    {
        public FragmentKey Key { get; } = key;

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public LinkedListNode<Pending> Node { get; set; } = null!;

        public List<Piece> Pieces { get; } = [];

        /// <summary>The datagram's payload length, known once the last fragment is in; -1 before.</summary>
        public int Length { get; set; } = -1;

        public long Bytes { get; set; }
    }
}
