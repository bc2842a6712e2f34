using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Harness.Core.Transport;

/// <summary>
/// Finds the local interface a user names: by name (<c>lo</c>, <c>eth0</c>) or by one of its addresses
/// (<c>127.0.0.1</c>, <c>::1</c>, <c>fe80::1%eth0</c>). Errors name the interfaces that do exist.
/// </summary>
public static class NetworkInterfaceResolver
{
    /// <summary>Every interface of this host with its addresses.</summary>
    public static IReadOnlyList<LocalInterface> ListInterfaces() =>
        [.. NetworkInterface.GetAllNetworkInterfaces().Select(ToLocalInterface)];

    /// <summary>
    /// Resolves an interface name or one of its addresses. Names match exactly first, then ignoring case. An
    /// address matches the interface that carries it (scope id ignored); any other 127.0.0.0/8 address
    /// matches the loopback interface.
    /// </summary>
    /// <exception cref="ArgumentException">No interface has that name or address; the message lists the known names.</exception>
    public static LocalInterface Resolve(string nameOrAddress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrAddress);
        var interfaces = ListInterfaces();
        return TryResolve(nameOrAddress, interfaces, out var found)
            ? found
            : throw new ArgumentException(
                $"No network interface is named or has the address '{nameOrAddress}'. Known interfaces: "
                + (interfaces.Count == 0 ? "(none)" : string.Join(", ", interfaces.Select(i => i.ToString()))) + ".",
                nameof(nameOrAddress));
    }

    /// <summary>Resolves an interface name or address; false when none matches.</summary>
    public static bool TryResolve(string nameOrAddress, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LocalInterface? result)
    {
        ArgumentNullException.ThrowIfNull(nameOrAddress);
        return TryResolve(nameOrAddress, ListInterfaces(), out result);
    }

    /// <summary>The interface with this index, or null.</summary>
    public static LocalInterface? FindByIndex(int index) => ListInterfaces().FirstOrDefault(i => i.Index == index);

    /// <summary>The names of the interfaces of this host.</summary>
    public static IReadOnlyList<string> InterfaceNames() => [.. ListInterfaces().Select(i => i.Name)];

    private static bool TryResolve(
        string nameOrAddress,
        IReadOnlyList<LocalInterface> interfaces,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LocalInterface? result)
    {
        var text = nameOrAddress.Trim();
        result = interfaces.FirstOrDefault(i => string.Equals(i.Name, text, StringComparison.Ordinal))
            ?? interfaces.FirstOrDefault(i => string.Equals(i.Name, text, StringComparison.OrdinalIgnoreCase));
        if (result is not null)
        {
            return true;
        }

        if (!IPAddress.TryParse(text.Trim('[', ']'), out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        result = interfaces.FirstOrDefault(i => i.Addresses.Any(a => SameAddress(a, address)))
            ?? (IPAddress.IsLoopback(address) ? interfaces.FirstOrDefault(i => i.IsLoopback) : null);
        return result is not null;
    }

    private static bool SameAddress(IPAddress a, IPAddress b)
    {
        if (a.AddressFamily != b.AddressFamily)
        {
            return false;
        }

        if (a.AddressFamily == AddressFamily.InterNetworkV6 && b.ScopeId != 0 && a.ScopeId != b.ScopeId)
        {
            return false;
        }

        return a.GetAddressBytes().AsSpan().SequenceEqual(b.GetAddressBytes());
    }

    private static LocalInterface ToLocalInterface(NetworkInterface ni)
    {
        var properties = ni.GetIPProperties();
        var index = 0;
        if (ni.Supports(NetworkInterfaceComponent.IPv6))
        {
            index = properties.GetIPv6Properties()?.Index ?? 0;
        }

        if (index == 0 && ni.Supports(NetworkInterfaceComponent.IPv4))
        {
            index = properties.GetIPv4Properties()?.Index ?? 0;
        }

        var unicast = properties.UnicastAddresses.Select(u => u.Address).ToList();
        var v4 = unicast.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        var v6 = unicast.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        var isLoopback = ni.NetworkInterfaceType == NetworkInterfaceType.Loopback;
        return new LocalInterface(
            ni.Name,
            index,
            v4.FirstOrDefault(),
            v6,
            [.. v4, .. v6],
            isLoopback,
            ni.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown,
            ni.SupportsMulticast);
    }
}
