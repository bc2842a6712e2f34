using System.Net;
using Harness.Core.Recording;

namespace Harness.Capture;

/// <summary>
/// Turns captured frames into <see cref="TrafficRecord"/>s: one per UDP datagram (IP fragments put back
/// together first) and one per in-order chunk of each TCP stream direction (see <see cref="TcpReassembler"/>).
/// Records are numbered from 0 in the order they are produced, which is capture order. Frames that carry
/// something else are counted in <see cref="Diagnostics"/>, never thrown. Not thread-safe.
/// </summary>
public sealed class TrafficExtractor
{
    private readonly CaptureOptions _options;
    private readonly FragmentReassembler _fragments;
    private readonly TcpReassembler _tcp;
    private readonly List<TcpStreamChunk> _chunks = [];
    private long _sequence;

    /// <summary>Creates an extractor.</summary>
    /// <param name="diagnostics">Where counts and problems go (usually the reader's).</param>
    /// <param name="options">Bounds, ports and local addresses; <see cref="CaptureOptions.Default"/> when null.</param>
    public TrafficExtractor(CaptureDiagnostics diagnostics, CaptureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        Diagnostics = diagnostics;
        _options = options ?? CaptureOptions.Default;
        _fragments = new FragmentReassembler(_options.Fragments, diagnostics);
        _tcp = new TcpReassembler(diagnostics, _options.Tcp);
    }

    /// <summary>The counts and problems.</summary>
    public CaptureDiagnostics Diagnostics { get; }

    /// <summary>Decodes one frame; adds the records it completes to <paramref name="output"/>.</summary>
    public void Process(in CapturePacket packet, ICollection<TrafficRecord> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var status = PacketDecoder.DecodeIp(packet.LinkType, packet.Data.Span, out var ip);
        if (!Accept(status, ip.Problem, packet, (int)packet.LinkType))
        {
            return;
        }

        var protocol = ip.Protocol;
        if (!Wanted(protocol))
        {
            Diagnostics.OtherTransportPackets++;
            return;
        }

        var payload = ip.Payload;
        if (ip.IsFragment)
        {
            if (ip.Truncated)
            {
                Accept(DecodeStatus.SnapTruncated, null, packet, 0);
                return;
            }

            var key = new FragmentKey(FragmentKey.Address(ip.Source), FragmentKey.Address(ip.Destination), ip.FragmentId, protocol, (byte)ip.Version);
            var datagram = _fragments.Add(key, ip.FragmentOffset, ip.MoreFragments, payload, packet.Timestamp, packet.Number);
            if (datagram is null)
            {
                return;
            }

            payload = datagram;
            if (ip.Version == 6)
            {
                // Extension headers after the fragment header belong to the reassembled part.
                var inner = default(IpLayer);
                var innerStatus = PacketDecoder.WalkIpv6Extensions(ref protocol, ref payload, ref inner);
                if (!Accept(innerStatus, inner.Problem, packet, 0) || inner.IsFragment)
                {
                    return;
                }

                if (!Wanted(protocol))
                {
                    Diagnostics.OtherTransportPackets++;
                    return;
                }
            }
        }

        if (protocol == PacketDecoder.ProtocolUdp)
        {
            var udpStatus = PacketDecoder.DecodeUdp(payload, ip.Truncated, out var udp);
            if (!Accept(udpStatus, udp.Problem, packet, 0))
            {
                return;
            }

            var source = Endpoint(ip.Source, udp.SourcePort);
            var destination = Endpoint(ip.Destination, udp.DestinationPort);
            Diagnostics.UdpDatagrams++;
            output.Add(new TrafficRecord(
                _sequence++,
                packet.Timestamp,
                Direction(packet.Direction ?? ip.LinkDirection, source, destination),
                TrafficTransport.Udp,
                source,
                destination,
                udp.Data.ToArray(),
                ProtocolLabels.LabelDatagram(_options.ProtocolPorts, udp.SourcePort, udp.DestinationPort, udp.Data)));
            return;
        }

        var tcpStatus = PacketDecoder.DecodeTcp(payload, ip.Truncated, out var tcp);
        if (!Accept(tcpStatus, tcp.Problem, packet, 0))
        {
            return;
        }

        if (tcp.Data.IsEmpty && (tcp.Flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) == 0)
        {
            // A bare ACK: nothing for the streams.
            return;
        }

        Diagnostics.TcpSegments++;
        var from = Endpoint(ip.Source, tcp.SourcePort);
        var to = Endpoint(ip.Destination, tcp.DestinationPort);
        var segment = new TcpSegment(from, to, tcp.Sequence, tcp.Flags, tcp.Data, packet.Timestamp, Direction(packet.Direction ?? ip.LinkDirection, from, to));
        _tcp.Process(segment, _chunks);
        Drain(output);
    }

    /// <summary>Ends the capture: held TCP data is delivered, incomplete fragmented datagrams are dropped (and reported).</summary>
    public void Complete(ICollection<TrafficRecord> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _tcp.Complete(_chunks);
        Drain(output);
        _fragments.Complete();
    }

    private static IPEndPoint Endpoint(ReadOnlySpan<byte> address, ushort port) => new(new IPAddress(address), port);

    private bool Wanted(byte protocol) =>
        (protocol == PacketDecoder.ProtocolUdp && _options.IncludeUdp) || (protocol == PacketDecoder.ProtocolTcp && _options.IncludeTcp);

    private void Drain(ICollection<TrafficRecord> output)
    {
        foreach (var chunk in _chunks)
        {
            Diagnostics.TcpChunks++;
            output.Add(chunk.ToRecord(_sequence++, ProtocolLabels.Label(_options.ProtocolPorts, chunk.Source.Port, chunk.Destination.Port)));
        }

        _chunks.Clear();
    }

    private TrafficDirection Direction(TrafficDirection? fromCapture, IPEndPoint source, IPEndPoint destination)
    {
        var local = _options.LocalAddresses;
        if (local.Count > 0)
        {
            if (local.Contains(source.Address))
            {
                return TrafficDirection.Outbound;
            }

            if (local.Contains(destination.Address))
            {
                return TrafficDirection.Inbound;
            }
        }

        return fromCapture ?? TrafficDirection.Inbound;
    }

    /// <summary>Counts a decode outcome; true when decoding goes on.</summary>
    private bool Accept(DecodeStatus status, string? problem, in CapturePacket packet, int linkType)
    {
        switch (status)
        {
            case DecodeStatus.Ok:
                return true;
            case DecodeStatus.NotIp:
                Diagnostics.NonIpPackets++;
                return false;
            case DecodeStatus.UnsupportedLinkType:
                Diagnostics.AddUnsupportedLinkType(linkType, packet.Offset, packet.Number);
                return false;
            case DecodeStatus.SnapTruncated:
                Diagnostics.SnapTruncatedPackets++;
                Diagnostics.Report(CaptureIssueKind.SnapTruncatedPacket, packet.Offset, packet.Number,
                    "the capture's snap length cut this packet's payload; skipped");
                return false;
            default:
                Diagnostics.MalformedPackets++;
                Diagnostics.Report(CaptureIssueKind.MalformedPacket, packet.Offset, packet.Number, (problem ?? "a header does not parse") + "; skipped");
                return false;
        }
    }
}
