using System.Net;

namespace Harness.Core.Recording;

/// <summary>Which way a message crossed the transport, seen from the harness.</summary>
public enum TrafficDirection
{
    /// <summary>Received by the harness.</summary>
    Inbound,

    /// <summary>Sent by the harness.</summary>
    Outbound,
}

/// <summary>The transport a recorded message used.</summary>
public enum TrafficTransport
{
    /// <summary>One UDP datagram.</summary>
    Udp,

    /// <summary>A chunk of a TCP stream (XMPP, raw HTTP).</summary>
    Tcp,

    /// <summary>A whole HTTP request or response (head and body).</summary>
    Http,
}

/// <summary>
/// One message that crossed a transport: the unit of the observed-exchange model. Conformance rules run over a
/// list of these, whether they came from a live session or from a capture file.
/// </summary>
/// <param name="Sequence">Position in the recording, from 0; orders records with equal timestamps.</param>
/// <param name="Timestamp">When it was sent or received.</param>
/// <param name="Direction">Inbound or outbound, seen from the harness (from a capture: relative to the capture's point of view, Inbound by default).</param>
/// <param name="Transport">UDP, TCP or HTTP.</param>
/// <param name="Source">The sender's endpoint.</param>
/// <param name="Destination">The receiver's endpoint (a multicast group for multicast).</param>
/// <param name="Payload">The bytes as they crossed the wire.</param>
/// <param name="Protocol">The protocol label when known (e.g. <c>wsd</c>, <c>ssdp</c>, <c>xmpp</c>), else null.</param>
public sealed record TrafficRecord(
    long Sequence,
    DateTimeOffset Timestamp,
    TrafficDirection Direction,
    TrafficTransport Transport,
    IPEndPoint Source,
    IPEndPoint Destination,
    ReadOnlyMemory<byte> Payload,
    string? Protocol = null);
