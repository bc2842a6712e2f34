using System.Net;

namespace Harness.Core.Transport;

/// <summary>
/// Optional for a transport bound to the wildcard address: tells which local address a datagram to a destination
/// leaves from, so that a recording names the real source instead of <c>0.0.0.0</c>.
/// </summary>
public interface ILocalAddressSelector
{
    /// <summary>The local address datagrams to <paramref name="destination"/> leave from, or null when unknown.</summary>
    IPAddress? SelectLocalAddress(IPAddress destination);
}
