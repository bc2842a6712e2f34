using System.Net;
using System.Net.Sockets;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Engine;

/// <summary>How an <see cref="SsdpControlPoint"/> behaves.</summary>
public sealed record SsdpControlPointOptions
{
    /// <summary>
    /// Where multicast searches go, per family; null for 239.255.255.250:1900, [FF02::C]:1900 and [FF05::C]:1900.
    /// Tests isolate themselves with a private port here.
    /// </summary>
    public IReadOnlyList<IPEndPoint>? MulticastEndPoints { get; init; }

    /// <summary>Most devices (USNs) kept (default 10,000); new ones past that are refused, known ones still refresh.</summary>
    public int MaxDevices { get; init; } = 10_000;

    /// <summary>max-age assumed when a device sends none or an unreadable one (default 1800 s).</summary>
    public int DefaultMaxAge { get; init; } = 1800;

    /// <summary>max-age values are clamped to [1, this] seconds (default one day; Windows sends 14,400).</summary>
    public int MaxMaxAge { get; init; } = 86_400;

    /// <summary>Whether NOTIFY messages are heard at first (brisa's receive_notify; default true); see <see cref="SsdpControlPoint.ReceiveNotify"/>.</summary>
    public bool ReceiveNotify { get; init; } = true;

    /// <summary>USER-AGENT of searches (<c>OS/version UPnP/x.y product/version</c>), or null to send none.</summary>
    public string? UserAgent { get; init; } = "Linux/6 UPnP/1.1 Harness/1.0";

    /// <summary>CPFN.UPNP.ORG of searches (UDA 2.0), or null.</summary>
    public string? CpFriendlyName { get; init; }

    /// <summary>CPUUID.UPNP.ORG of searches (UDA 2.0), or null.</summary>
    public string? CpUuid { get; init; }

    /// <summary>How long a LOCATION whose description failed is ignored before it is tried again (default 60 s).</summary>
    public TimeSpan DescriptionRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most description fetches in flight at once (default 16); further new LOCATIONs wait for the next advertisement.</summary>
    public int MaxConcurrentFetches { get; init; } = 16;

    /// <summary>How received datagrams are read.</summary>
    public SsdpReadOptions ReadOptions { get; init; } = SsdpReadOptions.Default;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">One is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDevices, 1, nameof(MaxDevices));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultMaxAge, 1, nameof(DefaultMaxAge));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMaxAge, 1, nameof(MaxMaxAge));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentFetches, 1, nameof(MaxConcurrentFetches));
        ArgumentOutOfRangeException.ThrowIfLessThan(DescriptionRetryAfter, TimeSpan.Zero, nameof(DescriptionRetryAfter));
        ArgumentNullException.ThrowIfNull(ReadOptions, nameof(ReadOptions));
    }
}

/// <summary>One search: what to look for, how often to ask and how long to listen.</summary>
public sealed record SsdpSearch
{
    /// <summary>ST (default <c>ssdp:all</c>).</summary>
    public string Target { get; init; } = SsdpTarget.AllValue;

    /// <summary>MX in seconds for multicast (default 2; UDA 1.1: 1 to 5).</summary>
    public int Mx { get; init; } = 2;

    /// <summary>A device to search by unicast (its address and port 1900 or its SEARCHPORT), or null for multicast.</summary>
    public IPEndPoint? Unicast { get; init; }

    /// <summary>How many times the search is sent (default 2, SSDP-CP-004; at most 5).</summary>
    public int Sends { get; init; } = 2;

    /// <summary>Time between the copies (default 500 ms).</summary>
    public TimeSpan SendInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long to listen after the last copy; null for MX + 1 s (multicast) or 2 s (unicast), so that a device's
    /// whole MX window is heard.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Stop after this many distinct results (default 10,000).</summary>
    public int MaxResults { get; init; } = 10_000;

    /// <summary>The time listened after the last copy.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? (Unicast is null ? TimeSpan.FromSeconds(Mx + 1) : TimeSpan.FromSeconds(2));

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">One is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Target, nameof(Target));
        ArgumentOutOfRangeException.ThrowIfLessThan(Mx, 1, nameof(Mx));
        ArgumentOutOfRangeException.ThrowIfLessThan(Sends, 1, nameof(Sends));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Sends, 5, nameof(Sends));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendInterval, TimeSpan.Zero, nameof(SendInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResults, 1, nameof(MaxResults));
        if (Timeout is { } timeout && timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), timeout, "The timeout is not negative.");
        }
    }
}

/// <summary>One response a search received.</summary>
/// <param name="Response">The response.</param>
/// <param name="Source">Who sent it.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Violations">The reader's findings on it.</param>
public sealed record SsdpSearchResult(SsdpSearchResponse Response, IPEndPoint Source, DateTimeOffset ReceivedAt, IReadOnlyList<Violation> Violations);

/// <summary>
/// One entry of a control point's cache: an advertisement (NT/ST and USN) of a device, kept until its max-age runs out
/// after the last alive or response, or a byebye.
/// </summary>
public sealed record SsdpDiscoveredDevice
{
    /// <summary>The USN (the cache key).</summary>
    public required string Usn { get; init; }

    /// <summary>The NT (from NOTIFY) or ST (from a response).</summary>
    public required string NotificationType { get; init; }

    /// <summary>The UDN part of the USN (<c>uuid:X</c>).</summary>
    public string Udn => SsdpUsn.Parse(Usn).Udn;

    /// <summary>LOCATION as sent.</summary>
    public string? Location { get; init; }

    /// <summary>LOCATION as a URI, with the zone of a link-local IPv6 source added when LOCATION has none; null when it is not an absolute URL.</summary>
    public Uri? LocationUri { get; init; }

    /// <summary>SERVER as sent.</summary>
    public string? Server { get; init; }

    /// <summary>The max-age in force (clamped), in seconds.</summary>
    public int MaxAge { get; init; }

    /// <summary>BOOTID.UPNP.ORG, or null.</summary>
    public int? BootId { get; init; }

    /// <summary>CONFIGID.UPNP.ORG, or null.</summary>
    public int? ConfigId { get; init; }

    /// <summary>SEARCHPORT.UPNP.ORG, or null.</summary>
    public int? SearchPort { get; init; }

    /// <summary>Who sent the last alive or response.</summary>
    public required IPEndPoint Source { get; init; }

    /// <summary>When it was first seen.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the last alive or response came.</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>When it expires unless refreshed.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The root description, when the control point fetches descriptions.</summary>
    public UpnpDescription? Description { get; init; }

    /// <summary>NotificationType parsed.</summary>
    public SsdpTarget Target => SsdpTarget.Parse(NotificationType);

    /// <summary>True for the <c>upnp:rootdevice</c> advertisement.</summary>
    public bool IsRootDevice => Target.Kind == SsdpTargetKind.RootDevice;

    /// <summary>
    /// LOCATION as a URI: absolute http(s) only; a link-local IPv6 literal without a zone gets the source's scope id
    /// (SSDP-IPV6-001, as async-upnp-client does).
    /// </summary>
    public static Uri? ResolveLocation(string? location, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(location) || !Uri.TryCreate(location.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        if (uri.HostNameType == UriHostNameType.IPv6
            && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
            && address.IsIPv6LinkLocal
            && address.ScopeId == 0
            && source.Address.AddressFamily == AddressFamily.InterNetworkV6
            && source.Address.ScopeId != 0)
        {
            var scoped = new IPAddress(address.GetAddressBytes(), source.Address.ScopeId);
            var builder = new UriBuilder(uri) { Host = "[" + scoped + "]" };
            return builder.Uri;
        }

        return uri;
    }
}
