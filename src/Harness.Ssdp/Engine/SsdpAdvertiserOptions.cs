using System.Net;
using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Engine;

/// <summary>A root device an <see cref="SsdpAdvertiser"/> announces and answers searches for.</summary>
public sealed record SsdpPublishedDevice
{
    /// <summary>The placeholder in <see cref="Location"/> replaced by the local address a message leaves from.</summary>
    public const string AddressPlaceholder = "{address}";

    /// <summary>The root device: its UDN, type, services and embedded devices make the announcement set.</summary>
    public required UpnpDevice Device { get; init; }

    /// <summary>
    /// LOCATION, the absolute URL of the root description. <c>{address}</c> is replaced by the local address the message
    /// leaves from (bracketed for IPv6), e.g. <c>http://{address}:8080/device.xml</c>.
    /// </summary>
    public required string Location { get; init; }

    /// <summary>max-age in seconds (default 1800, the UDA's recommended minimum).</summary>
    public int MaxAge { get; init; } = 1800;

    /// <summary>CONFIGID.UPNP.ORG (default 1); null sends none, as a UDA 1.0 device does.</summary>
    public int? ConfigId { get; init; } = 1;

    /// <summary>Whether BOOTID.UPNP.ORG is sent (default true; false for a UDA 1.0 device).</summary>
    public bool SendBootId { get; init; } = true;

    /// <summary>SERVER for this device, or null for <see cref="SsdpAdvertiserOptions.Server"/>.</summary>
    public string? Server { get; init; }

    /// <summary>More headers for every message of this device (e.g. <c>OPT</c> and <c>01-NLS</c>).</summary>
    public IReadOnlyList<SsdpHeader> ExtraHeaders { get; init; } = [];

    /// <summary>The root UDN.</summary>
    public string Udn => Device.Udn;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">One is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Device);
        ArgumentException.ThrowIfNullOrWhiteSpace(Device.Udn, nameof(Device));
        ArgumentException.ThrowIfNullOrWhiteSpace(Location, nameof(Location));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAge, 1, nameof(MaxAge));
        if (ConfigId is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ConfigId), ConfigId, "CONFIGID is non-negative.");
        }
    }
}

/// <summary>How an <see cref="SsdpAdvertiser"/> behaves.</summary>
public sealed record SsdpAdvertiserOptions
{
    /// <summary>
    /// Where NOTIFY goes, per family; null for 239.255.255.250:1900 and [FF02::C]:1900. Tests isolate themselves with
    /// a private port here.
    /// </summary>
    public IReadOnlyList<IPEndPoint>? MulticastEndPoints { get; init; }

    /// <summary>SERVER of every message (<c>OS/version UPnP/1.1 product/version</c>).</summary>
    public string Server { get; init; } = "Linux/6 UPnP/1.1 Harness/1.0";

    /// <summary>The initial set waits a random time in [0, this] (default 100 ms, SSDP-NOTIFY-003).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many times each set is sent (default 2, at most 3, SSDP-NOTIFY-003).</summary>
    public int AnnounceCount { get; init; } = 2;

    /// <summary>Time between the copies of a set (default 250 ms).</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Time between re-advertisements; null (default) draws it at random in [max-age/4, 0.45·max-age], always under
    /// max-age/2 (SSDP-NOTIFY-004).
    /// </summary>
    public TimeSpan? ReadvertiseInterval { get; init; }

    /// <summary>MX above this is treated as this (default 5, UDA 1.1 §1.3.2).</summary>
    public int MaxMx { get; init; } = 5;

    /// <summary>SEARCHPORT.UPNP.ORG to advertise when port 1900 is not this device's alone (49152–65535), or null.</summary>
    public int? SearchPort { get; init; }

    /// <summary>Most searches waiting for their answers at once (default 1,024); more are dropped.</summary>
    public int MaxPendingReplies { get; init; } = 1024;

    /// <summary>Whether a byebye set goes out before the first alive set of a device (gssdp, minidlna; default false).</summary>
    public bool ByeByeOnStart { get; init; }

    /// <summary>The first BOOTID.UPNP.ORG; null uses the clock's Unix seconds (31 bits), so it grows across restarts.</summary>
    public int? BootId { get; init; }

    /// <summary>How messages are laid out (default the strict UDA form).</summary>
    public SsdpWriteOptions WriteOptions { get; init; } = SsdpWriteOptions.Default;

    /// <summary>
    /// A hook for simulated devices: sees every message before it is written and returns it changed, or null to drop
    /// it. Byte-level deviations (line ends, duplicates, delays) belong in a transport decorator instead.
    /// </summary>
    public Func<SsdpMessage, SsdpMessage?>? Rewrite { get; init; }

    /// <summary>How received datagrams are read.</summary>
    public SsdpReadOptions ReadOptions { get; init; } = SsdpReadOptions.Default;

    /// <summary>Seed of the delays; null for a fresh one.</summary>
    public int? Seed { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">One is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(AnnounceCount, 1, nameof(AnnounceCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(AnnounceCount, 3, nameof(AnnounceCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMx, 1, nameof(MaxMx));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingReplies, 1, nameof(MaxPendingReplies));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialDelay, TimeSpan.Zero, nameof(InitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(AnnounceInterval, TimeSpan.Zero, nameof(AnnounceInterval));
        if (ReadvertiseInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadvertiseInterval), interval, "The interval is positive.");
        }

        if (SearchPort is { } port && (port < 1 || port > 65535))
        {
            throw new ArgumentOutOfRangeException(nameof(SearchPort), port, "A port is 1..65535.");
        }

        if (BootId is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BootId), BootId, "BOOTID is non-negative.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(Server, nameof(Server));
        ArgumentNullException.ThrowIfNull(WriteOptions, nameof(WriteOptions));
        ArgumentNullException.ThrowIfNull(ReadOptions, nameof(ReadOptions));
    }
}
