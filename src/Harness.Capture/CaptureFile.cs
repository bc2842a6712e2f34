using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>Everything read from a capture, materialised: for small captures and tests.</summary>
/// <param name="Records">The UDP datagrams and TCP stream chunks, in capture order.</param>
/// <param name="Diagnostics">Counts and problems (truncation, skipped blocks, gaps).</param>
public sealed record CaptureReadResult(IReadOnlyList<TrafficRecord> Records, CaptureDiagnostics Diagnostics);

/// <summary>
/// An opened pcap or pcapng capture: the entry point for reading one. Reading streams: packets are read one at
/// a time into one reused buffer, records are produced as packets are read, and nothing is kept but the bounded
/// reassembly state. A capture is read once (either <see cref="Packets"/> or <see cref="Records"/>); open it
/// again to read it again. <see cref="Diagnostics"/> fills as the enumeration proceeds.
/// </summary>
/// <example>
/// <code>
/// using var capture = CaptureFile.Open("session.pcapng");
/// foreach (var record in capture.Records())
/// {
///     // record.Transport is Udp or Tcp; record.Protocol is "wsd", "ssdp", "xmpp" or null
/// }
/// if (capture.Diagnostics.HasErrors) { /* e.g. truncated: capture.Diagnostics.Issues */ }
/// </code>
/// </example>
public sealed class CaptureFile : IDisposable
{
    private readonly CaptureReader _reader;
    private readonly CaptureOptions _options;
    private bool _started;

    private CaptureFile(CaptureReader reader, CaptureOptions options, string? path)
    {
        _reader = reader;
        _options = options;
        Path = path;
    }

    /// <summary>The file's path, or null when opened on a stream.</summary>
    public string? Path { get; }

    /// <summary>The container format, from the magic number.</summary>
    public CaptureFormat Format => _reader.Format;

    /// <summary>Counts and problems, filled as the capture is read.</summary>
    public CaptureDiagnostics Diagnostics => _reader.Diagnostics;

    /// <summary>
    /// Opens a capture file and reads its header. Throws <see cref="CaptureFormatException"/> when it is not a
    /// pcap or pcapng file, and the usual I/O exceptions when it cannot be opened.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Bounds, ports and local addresses; <see cref="CaptureOptions.Default"/> when null.</param>
    public static CaptureFile Open(string path, CaptureOptions? options = null)
    {
        options ??= CaptureOptions.Default;
        return new CaptureFile(CaptureReader.Open(path, options), options, path);
    }

    /// <summary>Opens a capture on a readable stream and reads its header (see <see cref="Open(string, CaptureOptions?)"/>).</summary>
    /// <param name="stream">The stream, positioned at the start of the capture.</param>
    /// <param name="options">Bounds, ports and local addresses.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="stream"/> open.</param>
    public static CaptureFile Open(Stream stream, CaptureOptions? options = null, bool leaveOpen = false)
    {
        options ??= CaptureOptions.Default;
        return new CaptureFile(new CaptureReader(stream, options, leaveOpen), options, null);
    }

    /// <summary>Reads a whole capture into memory (records and diagnostics). For small captures; prefer <see cref="Records"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Bounds, ports and local addresses.</param>
    public static CaptureReadResult ReadAll(string path, CaptureOptions? options = null)
    {
        using var capture = Open(path, options);
        var records = capture.Records().ToList();
        return new CaptureReadResult(records, capture.Diagnostics);
    }

    /// <summary>The raw frames, in file order. Each packet's data is valid until the next one is read.</summary>
    public IEnumerable<CapturePacket> Packets()
    {
        Start();
        return _reader.ReadPackets();
    }

    /// <summary>
    /// The UDP datagrams (one record each, IP fragments put back together) and TCP stream chunks (one record
    /// per in-order run of each direction), in capture order, numbered from 0. Damage ends the sequence early
    /// and is reported in <see cref="Diagnostics"/>.
    /// </summary>
    public IEnumerable<TrafficRecord> Records()
    {
        Start();
        return Extract();
    }

    /// <summary>A replay source over <see cref="Records"/> (which it reads, once).</summary>
    public CaptureReplaySource Replay() => new(Records());

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private void Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("A CaptureFile is read once; open the file again to read it again.");
        }

        _started = true;
    }

    private IEnumerable<TrafficRecord> Extract()
    {
        var extractor = new TrafficExtractor(Diagnostics, _options);
        var batch = new List<TrafficRecord>();
        while (_reader.TryReadPacket(out var packet))
        {
            extractor.Process(packet, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                yield return batch[i];
            }

            batch.Clear();
        }

        extractor.Complete(batch);
        foreach (var record in batch)
        {
            yield return record;
        }
    }
}
