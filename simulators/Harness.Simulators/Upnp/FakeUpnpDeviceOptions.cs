using System.Net;
using System.Net.Sockets;
using Harness.Simulators.Identity;
using Harness.Ssdp.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Simulators.Upnp;

/// <summary>How to start a <see cref="FakeUpnpDevice"/>.</summary>
public sealed record FakeUpnpDeviceOptions
{
    /// <summary>The UPnP versions a device can claim.</summary>
    public static readonly IReadOnlyList<string> UpnpVersions = ["1.0", "1.1", "2.0"];

    /// <summary>What the device is (device type, services, embedded devices).</summary>
    public UpnpDeviceKind Kind { get; init; } = UpnpDeviceKind.Basic;

    /// <summary>Seed of the fleet; with <see cref="Index"/> and <see cref="Kind"/> it fixes the identity and the UDNs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of the device in its fleet (0-based).</summary>
    public int Index { get; init; }

    /// <summary>The identity; null for <see cref="FakeUpnpDevice.CreateIdentity"/> of (Kind, Seed, Index).</summary>
    public DeviceIdentity? Identity { get; init; }

    /// <summary>The interface to announce on (name or address). Loopback by default.</summary>
    public string Interface { get; init; } = "lo";

    /// <summary>
    /// An IPv4 address of the device's own (e.g. 127.0.0.20 on loopback): the HTTP server listens on it, LOCATION names
    /// it, every datagram leaves from it, and it answers unicast searches to <c>UnicastAddress:port</c>. Null uses the
    /// interface's IPv4 address.
    /// </summary>
    public IPAddress? UnicastAddress { get; init; }

    /// <summary>The HTTP port of the description server; 0 picks an ephemeral one.</summary>
    public int HttpPort { get; init; }

    /// <summary>
    /// The SSDP group and port (239.255.255.250:1900). Tests isolate themselves with another port; port 0 binds an
    /// ephemeral one (see <see cref="FakeUpnpDevice.SearchEndPoint"/>).
    /// </summary>
    public IPEndPoint MulticastEndPoint { get; init; } = SsdpMulticast.IPv4EndPoint;

    /// <summary>CACHE-CONTROL max-age in seconds (default 1800).</summary>
    public int MaxAge { get; init; } = 1800;

    /// <summary>The UDA version claimed: "1.0" (no BOOTID/CONFIGID, no configId, TTL 4), "1.1" (default) or "2.0".</summary>
    public string UpnpVersion { get; init; } = "1.1";

    /// <summary>A <see cref="UpnpQuirks"/> name (e.g. <c>no-ext</c>), or null for a well-behaved device.</summary>
    public string? Quirk { get; init; }

    /// <summary>The first BOOTID.UPNP.ORG; null uses the clock's Unix seconds (31 bits).</summary>
    public int? BootId { get; init; }

    /// <summary>The first CONFIGID.UPNP.ORG and configId (default 1).</summary>
    public int ConfigId { get; init; } = 1;

    /// <summary>The clock (announcement delays and repeats, answer delays, DATE, BOOTID).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Delay of every answer to a multicast search (all answers of one search at once after it); null (default) spreads
    /// them at random within MX (clamped to 5) as the UDA asks.
    /// </summary>
    public TimeSpan? AnswerDelay { get; init; }

    /// <summary>Delay before the first alive set; null for a random delay up to 100 ms.</summary>
    public TimeSpan? InitialDelay { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable options.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Index);
        ArgumentOutOfRangeException.ThrowIfNegative(HttpPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HttpPort, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAge, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(ConfigId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ConfigId, 16_777_215);
        ArgumentNullException.ThrowIfNull(MulticastEndPoint);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(Interface);
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown device kind.");
        }

        if (MulticastEndPoint.AddressFamily != AddressFamily.InterNetwork || UnicastAddress is { AddressFamily: not AddressFamily.InterNetwork })
        {
            throw new ArgumentException("The simulated UPnP device speaks IPv4: give an IPv4 group and unicast address.", nameof(MulticastEndPoint));
        }

        if (!UpnpVersions.Contains(UpnpVersion, StringComparer.Ordinal))
        {
            throw new ArgumentException($"UpnpVersion '{UpnpVersion}' is not one of {string.Join(", ", UpnpVersions)}.", nameof(UpnpVersion));
        }

        if (BootId is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BootId), BootId, "BOOTID is non-negative.");
        }

        if (AnswerDelay is { } delay && delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AnswerDelay), delay, "The delay is not negative.");
        }

        if (InitialDelay is { } initial && initial < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), initial, "The delay is not negative.");
        }

        if (Quirk is { } quirk && UpnpQuirks.Find(quirk) is null)
        {
            throw new ArgumentException($"Unknown UPnP quirk '{quirk}'; known: {string.Join(", ", UpnpQuirks.All.Select(q => q.Name))}.", nameof(Quirk));
        }
    }
}
