using System.Collections.Frozen;
using System.Net;

namespace Harness.Capture;

/// <summary>
/// How a capture is read. Every buffer the reader keeps has a bound here, so that a hostile or huge capture
/// costs bounded memory. Values are checked when set.
/// </summary>
public sealed record CaptureOptions
{
    /// <summary>The defaults.</summary>
    public static CaptureOptions Default { get; } = new();

    /// <summary>
    /// The largest pcap record or pcapng block that is read into memory (default 1 MiB; at least 1 KiB). A
    /// longer packet block is skipped without being buffered and reported as
    /// <see cref="CaptureIssueKind.OversizedBlock"/>; so the reader's buffer never exceeds about this size.
    /// </summary>
    public int MaxBlockBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1024);
            field = value;
        }
    } = 1 << 20;

    /// <summary>Extract UDP datagrams (default true).</summary>
    public bool IncludeUdp { get; init; } = true;

    /// <summary>Reassemble and extract TCP streams (default true).</summary>
    public bool IncludeTcp { get; init; } = true;

    /// <summary>Port → protocol label for extracted records (default <see cref="ProtocolLabels.Default"/>).</summary>
    public IReadOnlyDictionary<int, string> ProtocolPorts
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = ProtocolLabels.Default;

    /// <summary>
    /// The addresses of the capture's own host (the harness). A record sent from one of them is
    /// <see cref="Core.Recording.TrafficDirection.Outbound"/>; otherwise the direction comes from the capture
    /// itself (pcapng <c>epb_flags</c>, Linux cooked "outgoing") and is Inbound when the capture does not say.
    /// </summary>
    public IReadOnlySet<IPAddress> LocalAddresses
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = FrozenSet<IPAddress>.Empty;

    /// <summary>TCP reassembly bounds.</summary>
    public TcpReassemblerOptions Tcp
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = TcpReassemblerOptions.Default;

    /// <summary>IP fragment reassembly bounds.</summary>
    public FragmentReassemblyOptions Fragments
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = FragmentReassemblyOptions.Default;

    /// <summary>
    /// How many <see cref="CaptureIssue"/> entries are kept (default 1000; at most 50 per kind). Counters in
    /// <see cref="CaptureDiagnostics"/> stay exact past it.
    /// </summary>
    public int MaxIssues
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 1000;
}

/// <summary>Bounds of IPv4 / IPv6 fragment reassembly.</summary>
public sealed record FragmentReassemblyOptions
{
    /// <summary>The defaults.</summary>
    public static FragmentReassemblyOptions Default { get; } = new();

    /// <summary>How many datagrams may be incomplete at once (default 1024); past it the oldest is dropped.</summary>
    public int MaxPendingDatagrams
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1024;

    /// <summary>How many fragment bytes are held at once over all datagrams (default 16 MiB); past it the oldest datagram is dropped.</summary>
    public int MaxBufferedBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 65_535);
            field = value;
        }
    } = 16 << 20;

    /// <summary>
    /// How long, in capture time (packet timestamps, not the wall clock), an incomplete datagram waits for its
    /// other fragments (default 30 s, as Linux's <c>ipfrag_time</c>).
    /// </summary>
    public TimeSpan Timeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(30);
}
