using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Harness.WsDiscovery.Engine;

/// <summary>One unicast address of a local interface.</summary>
/// <param name="Address">The address.</param>
/// <param name="InterfaceIndex">The interface index (as a received <c>Datagram.InterfaceIndex</c> reports it), or 0 when unknown.</param>
/// <param name="InterfaceName">The interface name (e.g. <c>lo</c>, <c>eth0</c>), or empty.</param>
/// <param name="PrefixLength">The subnet prefix length, or -1 when unknown.</param>
public sealed record LocalAddress(IPAddress Address, int InterfaceIndex = 0, string InterfaceName = "", int PrefixLength = -1)
{
    /// <summary>True when <paramref name="other"/> is in this address's subnet (false when the prefix is unknown).</summary>
    public bool SameSubnet(IPAddress other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (PrefixLength < 0 || other.AddressFamily != Address.AddressFamily)
        {
            return false;
        }

        var a = Address.GetAddressBytes();
        var b = other.GetAddressBytes();
        var bits = Math.Min(PrefixLength, a.Length * 8);
        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Tells a publisher the local addresses its XAddrs templates expand to (<c>{ip}</c>) and when they change, so it
/// can announce itself again (WS-Discovery §4.1: a new interface address is a join).
/// </summary>
public interface ILocalAddressProvider
{
    /// <summary>The current unicast addresses (operational interfaces only).</summary>
    IReadOnlyList<LocalAddress> GetAddresses();

    /// <summary>Raised when the set of addresses may have changed.</summary>
    event EventHandler? AddressesChanged;
}

/// <summary>A fixed list of addresses that a test (or a user) sets; <see cref="SetAddresses"/> raises the change event.</summary>
public sealed class StaticLocalAddressProvider : ILocalAddressProvider
{
    private volatile IReadOnlyList<LocalAddress> _addresses;

    /// <summary>Creates a provider with the given addresses.</summary>
    public StaticLocalAddressProvider(params LocalAddress[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        _addresses = [.. addresses];
    }

    /// <inheritdoc />
    public event EventHandler? AddressesChanged;

    /// <inheritdoc />
    public IReadOnlyList<LocalAddress> GetAddresses() => _addresses;

    /// <summary>Replaces the addresses and raises <see cref="AddressesChanged"/>.</summary>
    public void SetAddresses(params LocalAddress[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        _addresses = [.. addresses];
        AddressesChanged?.Invoke(this, EventArgs.Empty);
    }
}

/// <summary>
/// The local addresses from <see cref="System.Net.NetworkInformation"/>: every unicast address of the operational
/// interfaces (or of the one named), with index, name and prefix length; raises <see cref="AddressesChanged"/> on
/// <see cref="NetworkChange.NetworkAddressChanged"/>.
/// </summary>
public sealed class NetworkInterfaceAddressProvider : ILocalAddressProvider, IDisposable
{
    private readonly string? _interfaceName;
    private EventHandler? _changed;
    private bool _subscribed;

    /// <summary>Creates a provider.</summary>
    /// <param name="interfaceName">Only this interface (e.g. <c>lo</c>), or null for all operational ones.</param>
    public NetworkInterfaceAddressProvider(string? interfaceName = null) => _interfaceName = interfaceName;

    /// <inheritdoc />
    public event EventHandler? AddressesChanged
    {
        add
        {
            _changed += value;
            if (!_subscribed)
            {
                _subscribed = true;
                NetworkChange.NetworkAddressChanged += OnNetworkAddressChanged;
            }
        }

        remove => _changed -= value;
    }

    /// <inheritdoc />
    public IReadOnlyList<LocalAddress> GetAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return [];
        }

        var result = new List<LocalAddress>();
        foreach (var ni in interfaces)
        {
            if (_interfaceName is not null && !string.Equals(ni.Name, _interfaceName, StringComparison.Ordinal))
            {
                continue;
            }

            if (ni.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
            {
                continue;
            }

            var properties = ni.GetIPProperties();
            foreach (var unicast in properties.UnicastAddresses)
            {
                var address = unicast.Address;
                var index = InterfaceIndex(properties, address.AddressFamily);
                result.Add(new LocalAddress(address, index, ni.Name, unicast.PrefixLength));
            }
        }

        return result;
    }

    /// <summary>Stops watching for address changes.</summary>
    public void Dispose()
    {
        if (_subscribed)
        {
            NetworkChange.NetworkAddressChanged -= OnNetworkAddressChanged;
            _subscribed = false;
        }
    }

    private static int InterfaceIndex(IPInterfaceProperties properties, AddressFamily family)
    {
        try
        {
            return family == AddressFamily.InterNetworkV6
                ? properties.GetIPv6Properties()?.Index ?? 0
                : properties.GetIPv4Properties()?.Index ?? 0;
        }
        catch (NetworkInformationException)
        {
            return 0;
        }
        catch (PlatformNotSupportedException)
        {
            return 0;
        }
    }

    private void OnNetworkAddressChanged(object? sender, EventArgs e) => _changed?.Invoke(this, EventArgs.Empty);
}
