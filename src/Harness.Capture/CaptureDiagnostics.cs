using System.Globalization;
using System.Text;
using Harness.Core.Diagnostics;

namespace Harness.Capture;

/// <summary>What kind of problem a <see cref="CaptureIssue"/> reports.</summary>
public enum CaptureIssueKind
{
    /// <summary>The file ends inside a record or block: the packets before it were read, reading stopped. An error.</summary>
    Truncated,

    /// <summary>A record or block has inconsistent lengths (e.g. a pcapng trailing length that differs): reading stopped. An error.</summary>
    Corrupt,

    /// <summary>A pcapng block of a type this reader does not know was skipped. Informational.</summary>
    UnknownBlock,

    /// <summary>A record or block longer than <see cref="CaptureOptions.MaxBlockBytes"/> was skipped without being buffered.</summary>
    OversizedBlock,

    /// <summary>Packets of a link-layer type this reader does not decode were skipped.</summary>
    UnsupportedLinkType,

    /// <summary>A packet's link, IP, UDP or TCP header does not parse; the packet was skipped.</summary>
    MalformedPacket,

    /// <summary>A packet was cut by the capture's snap length, so its UDP or TCP payload is incomplete; it was skipped.</summary>
    SnapTruncatedPacket,

    /// <summary>A pcapng packet block names an interface that no Interface Description Block declared; it was skipped.</summary>
    UnknownInterface,

    /// <summary>A packet's timestamp is outside the range a <see cref="DateTimeOffset"/> can hold; it was clamped.</summary>
    TimestampOutOfRange,

    /// <summary>An incomplete fragmented IP datagram was dropped (timeout in capture time, or a bound was reached).</summary>
    FragmentDropped,

    /// <summary>Bytes of a TCP stream were never captured; the stream goes on after the gap.</summary>
    TcpGap,

    /// <summary>A TCP flow was dropped from the flow table because too many flows were open.</summary>
    TcpFlowEvicted,
}

/// <summary>One problem met while reading a capture.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Severity">Error when reading stopped early, Warning when data was lost, Info when nothing was lost.</param>
/// <param name="Offset">The byte offset in the file of the record or block concerned, or -1.</param>
/// <param name="PacketNumber">The 1-based number of the packet concerned (as tshark numbers frames), or null.</param>
/// <param name="Message">What happened, in a sentence.</param>
public sealed record CaptureIssue(CaptureIssueKind Kind, ViolationSeverity Severity, long Offset, long? PacketNumber, string Message)
{
    /// <summary>The issue as a <see cref="Violation"/> with rule id <c>CAPTURE-&lt;KIND&gt;</c> and the offset as location.</summary>
    public Violation ToViolation() => new(
        "CAPTURE-" + Kind.ToString().ToUpperInvariant(),
        Message,
        Severity,
        Offset >= 0 ? string.Create(CultureInfo.InvariantCulture, $"offset {Offset}") : null);

    /// <inheritdoc />
    public override string ToString()
    {
        var at = PacketNumber is { } n ? string.Create(CultureInfo.InvariantCulture, $" (packet {n})") : string.Empty;
        return Offset >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Severity} {Kind} at offset {Offset}{at}: {Message}")
            : string.Create(CultureInfo.InvariantCulture, $"{Severity} {Kind}{at}: {Message}");
    }
}

/// <summary>
/// What happened while a capture was read: counts, and the problems met. Filled by the reading thread as the
/// enumeration proceeds (so read it after the enumeration, or between items); never throws for a damaged
/// file. The counters are exact; the list of <see cref="Issues"/> is bounded.
/// </summary>
public sealed class CaptureDiagnostics
{
    private const int MaxIssuesPerKind = 50;
    private readonly List<CaptureIssue> _issues = [];
    private readonly int[] _issuesPerKind = new int[Enum.GetValues<CaptureIssueKind>().Length];
    private readonly SortedSet<int> _unsupportedLinkTypes = [];
    private readonly int _maxIssues;

    /// <summary>Creates empty diagnostics.</summary>
    /// <param name="format">The format of the capture.</param>
    /// <param name="maxIssues">How many issues are kept in <see cref="Issues"/>.</param>
    public CaptureDiagnostics(CaptureFormat format, int maxIssues = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxIssues);
        Format = format;
        _maxIssues = maxIssues;
    }

    /// <summary>The container format, from the magic number.</summary>
    public CaptureFormat Format { get; }

    /// <summary>The file offset reached: the end of the last record or block fully read.</summary>
    public long BytesRead { get; internal set; }

    /// <summary>Packet records and blocks read (including those then skipped for their content).</summary>
    public long PacketsRead { get; internal set; }

    /// <summary>UDP datagrams extracted as records.</summary>
    public long UdpDatagrams { get; internal set; }

    /// <summary>TCP segments given to the reassembler (those with payload or SYN/FIN/RST; bare ACKs are not counted).</summary>
    public long TcpSegments { get; internal set; }

    /// <summary>TCP stream chunks extracted as records.</summary>
    public long TcpChunks { get; internal set; }

    /// <summary>Packets that are not IPv4/IPv6 (ARP, LLDP, ...). Not a problem.</summary>
    public long NonIpPackets { get; internal set; }

    /// <summary>IP packets of another transport (ICMP, IGMP, ...) or not extracted by the options. Not a problem.</summary>
    public long OtherTransportPackets { get; internal set; }

    /// <summary>Packets skipped because of their link-layer type.</summary>
    public long UnsupportedLinkTypePackets { get; internal set; }

    /// <summary>Packets skipped because a header does not parse.</summary>
    public long MalformedPackets { get; internal set; }

    /// <summary>Packets skipped because the snap length cut their payload.</summary>
    public long SnapTruncatedPackets { get; internal set; }

    /// <summary>Records or blocks skipped because they are longer than <see cref="CaptureOptions.MaxBlockBytes"/>.</summary>
    public long OversizedBlocks { get; internal set; }

    /// <summary>pcapng blocks of a known type that carry no packet (statistics, name resolution, ...), skipped.</summary>
    public long OtherBlocks { get; internal set; }

    /// <summary>pcapng blocks of an unknown type, skipped.</summary>
    public long UnknownBlocks { get; internal set; }

    /// <summary>IP fragments seen.</summary>
    public long Fragments { get; internal set; }

    /// <summary>Fragmented datagrams put back together.</summary>
    public long DatagramsReassembled { get; internal set; }

    /// <summary>Incomplete fragmented datagrams dropped (timeout or bounds).</summary>
    public long DatagramsDropped { get; internal set; }

    /// <summary>TCP flows (connections) seen.</summary>
    public long TcpFlows { get; internal set; }

    /// <summary>TCP stream directions whose start (SYN) was not captured; they start at their first data.</summary>
    public long TcpMidStreamStarts { get; internal set; }

    /// <summary>Gaps in TCP streams (data never captured, or dropped when a bound was reached).</summary>
    public long TcpGaps { get; internal set; }

    /// <summary>Bytes missing in those gaps.</summary>
    public long TcpGapBytes { get; internal set; }

    /// <summary>TCP payload bytes seen again (retransmissions and overlaps), not delivered twice.</summary>
    public long TcpRetransmittedBytes { get; internal set; }

    /// <summary>TCP flows dropped because the flow table was full.</summary>
    public long TcpFlowsEvicted { get; internal set; }

    /// <summary>The largest size the reader's buffer reached, in bytes (it does not grow with the file).</summary>
    public int PeakBufferBytes { get; internal set; }

    /// <summary>Where the file ends inside a record or block (the record's offset), or null.</summary>
    public long? TruncatedAtOffset { get; internal set; }

    /// <summary>Where a corrupt record or block was found, or null.</summary>
    public long? CorruptAtOffset { get; internal set; }

    /// <summary>True once the enumeration reached the end of the file (cleanly or not).</summary>
    public bool Finished { get; internal set; }

    /// <summary>True when the file was read to its end with no truncation or corruption.</summary>
    public bool IsComplete => Finished && TruncatedAtOffset is null && CorruptAtOffset is null;

    /// <summary>True when any issue of severity <see cref="ViolationSeverity.Error"/> was met.</summary>
    public bool HasErrors => TruncatedAtOffset is not null || CorruptAtOffset is not null;

    /// <summary>The link-layer type values met that this reader does not decode.</summary>
    public IReadOnlyCollection<int> UnsupportedLinkTypes => _unsupportedLinkTypes;

    /// <summary>The problems met, in order (bounded; see <see cref="IssuesDropped"/>).</summary>
    public IReadOnlyList<CaptureIssue> Issues => _issues;

    /// <summary>How many issues were not kept in <see cref="Issues"/> because of its bound.</summary>
    public long IssuesDropped { get; private set; }

    /// <summary>The kept issues as violations (see <see cref="CaptureIssue.ToViolation"/>).</summary>
    public IReadOnlyList<Violation> ToViolations() => [.. _issues.Select(i => i.ToViolation())];

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Format}: {PacketsRead} packets, {UdpDatagrams} UDP datagrams, {TcpChunks} TCP chunks");
        if (TruncatedAtOffset is { } t)
        {
            text.Append(CultureInfo.InvariantCulture, $", truncated at offset {t}");
        }

        if (CorruptAtOffset is { } c)
        {
            text.Append(CultureInfo.InvariantCulture, $", corrupt at offset {c}");
        }

        if (_issues.Count > 0 || IssuesDropped > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {_issues.Count + IssuesDropped} issues");
        }

        return text.ToString();
    }

    internal void AddUnsupportedLinkType(int linkType, long offset, long packetNumber)
    {
        UnsupportedLinkTypePackets++;
        if (_unsupportedLinkTypes.Count < 64 && _unsupportedLinkTypes.Add(linkType))
        {
            Report(CaptureIssueKind.UnsupportedLinkType, offset, packetNumber,
                string.Create(CultureInfo.InvariantCulture, $"link-layer type {linkType} is not decoded; its packets are skipped"));
        }
    }

    internal void Report(CaptureIssueKind kind, long offset, long? packetNumber, string message)
    {
        var severity = kind switch
        {
            CaptureIssueKind.Truncated or CaptureIssueKind.Corrupt => ViolationSeverity.Error,
            CaptureIssueKind.UnknownBlock or CaptureIssueKind.TimestampOutOfRange => ViolationSeverity.Info,
            _ => ViolationSeverity.Warning,
        };
        if (kind == CaptureIssueKind.Truncated)
        {
            TruncatedAtOffset ??= offset;
        }
        else if (kind == CaptureIssueKind.Corrupt)
        {
            CorruptAtOffset ??= offset;
        }

        // Errors are always kept: there is at most one per read.
        if (severity != ViolationSeverity.Error
            && (_issues.Count >= _maxIssues || _issuesPerKind[(int)kind] >= MaxIssuesPerKind))
        {
            IssuesDropped++;
            return;
        }

        _issuesPerKind[(int)kind]++;
        _issues.Add(new CaptureIssue(kind, severity, offset, packetNumber, message));
    }
}
