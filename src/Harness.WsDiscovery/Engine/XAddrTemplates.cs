using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;

namespace Harness.WsDiscovery.Engine;

/// <summary>Expands <c>{ip}</c> in XAddrs templates and picks the local addresses to expand to.</summary>
internal static class XAddrTemplates
{
    public const string Placeholder = "{ip}";

    /// <summary>Each template once per address (templates without the placeholder once), duplicates removed, order kept.</summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> templates, IReadOnlyList<IPAddress> addresses)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var template in templates)
        {
            if (!template.Contains(Placeholder, StringComparison.Ordinal))
            {
                if (seen.Add(template))
                {
                    result.Add(template);
                }

                continue;
            }

            foreach (var address in addresses)
            {
                var expanded = template.Replace(Placeholder, Literal(address), StringComparison.Ordinal);
                if (seen.Add(expanded))
                {
                    result.Add(expanded);
                }
            }
        }

        return result;
    }

    /// <summary>An address as it goes in a URL host: IPv6 in brackets and without a zone id (quirk Q-LL-ZONE).</summary>
    public static string Literal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var text = address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()).ToString() : address.ToString();
        return "[" + text + "]";
    }

    /// <summary>
    /// The local addresses to expand to for a message sent on <paramref name="transport"/>. Always the transport's
    /// own address when it is bound to one. Answering <paramref name="request"/>: the address a unicast request was
    /// sent to; else the address the transport's replies to the requester leave from
    /// (<see cref="ILocalAddressSelector"/>); else the provider's addresses of the family on the request's interface,
    /// in the requester's subnet, or (for a loopback requester) loopback ones; else all of the family. For a Hello:
    /// the addresses of a UDP transport's chosen interface; else the provider's of the family; else the selector's
    /// choice for the group.
    /// </summary>
    public static IReadOnlyList<IPAddress> LocalAddressesFor(IDatagramTransport transport, Datagram? request, ILocalAddressProvider provider)
    {
        var local = transport.LocalEndPoint.Address;
        if (!IsAny(local))
        {
            return [local];
        }

        var family = request?.Source.AddressFamily ?? local.AddressFamily;
        var candidates = provider.GetAddresses().Where(a => a.Address.AddressFamily == family).ToList();
        if (request is null)
        {
            if (transport is UdpDatagramTransport { Interface: { } chosen })
            {
                var own = chosen.Addresses.Where(a => a.AddressFamily == family).ToList();
                if (own.Count > 0)
                {
                    return own;
                }
            }

            if (candidates.Count > 0)
            {
                return [.. candidates.Select(a => a.Address)];
            }

            return transport is ILocalAddressSelector groupSelector
                && groupSelector.SelectLocalAddress(WsdMulticast.For(family).Address) is { } viaGroup
                && !IsAny(viaGroup)
                ? [viaGroup]
                : [];
        }

        if (!request.IsMulticast && !IsAny(request.Destination.Address))
        {
            return [request.Destination.Address];
        }

        if (transport is ILocalAddressSelector selector
            && selector.SelectLocalAddress(request.Source.Address) is { } selected
            && !IsAny(selected))
        {
            return [selected];
        }

        var onInterface = candidates.Where(a => request.InterfaceIndex != 0 && a.InterfaceIndex == request.InterfaceIndex).ToList();
        if (onInterface.Count > 0)
        {
            return [.. onInterface.Select(a => a.Address)];
        }

        var inSubnet = candidates.Where(a => a.SameSubnet(request.Source.Address)).ToList();
        if (inSubnet.Count > 0)
        {
            return [.. inSubnet.Select(a => a.Address)];
        }

        if (IPAddress.IsLoopback(request.Source.Address))
        {
            var loopback = candidates.Where(a => IPAddress.IsLoopback(a.Address)).ToList();
            if (loopback.Count > 0)
            {
                return [.. loopback.Select(a => a.Address)];
            }
        }

        return [.. candidates.Select(a => a.Address)];
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
