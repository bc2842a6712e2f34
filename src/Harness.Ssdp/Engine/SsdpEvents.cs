using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Engine;

/// <summary>A datagram an SSDP engine received, with what the reader made of it.</summary>
/// <param name="datagram">The datagram as received.</param>
/// <param name="message">The message, or null when it was not SSDP.</param>
/// <param name="violations">The reader's findings.</param>
public sealed class SsdpDatagramEventArgs(Datagram datagram, SsdpMessage? message, IReadOnlyList<Violation> violations) : EventArgs
{
    /// <summary>The datagram as received.</summary>
    public Datagram Datagram { get; } = datagram;

    /// <summary>The message, or null when it was not SSDP.</summary>
    public SsdpMessage? Message { get; } = message;

    /// <summary>The reader's findings.</summary>
    public IReadOnlyList<Violation> Violations { get; } = violations;
}

/// <summary>Why a control point reports a device.</summary>
public enum SsdpDeviceChange
{
    /// <summary>A USN seen for the first time (or again after it was removed).</summary>
    Added,

    /// <summary>An ssdp:byebye removed it.</summary>
    ByeBye,

    /// <summary>No alive or response within its max-age.</summary>
    Expired,

    /// <summary>An alive or response came with another LOCATION (treated as byebye then alive, gssdp bgo#724030).</summary>
    LocationChanged,

    /// <summary>Another BOOTID came without an ssdp:update announcing it: the device rebooted (UDA 1.1 §1.2.2).</summary>
    Rebooted,

    /// <summary>The BOOTID an ssdp:update announced as NEXTBOOTID took effect.</summary>
    BootIdUpdated,

    /// <summary>Another CONFIGID: the description changed.</summary>
    ConfigurationChanged,

    /// <summary>Its description was fetched again (after a reboot or a configuration change).</summary>
    DescriptionUpdated,

    /// <summary>Its description could not be fetched or read; it is dropped.</summary>
    DescriptionFailed,

    /// <summary>Removed on request (<see cref="SsdpControlPoint.Forget"/>) or on dispose.</summary>
    Forgotten,
}

/// <summary>A change of a device in a control point's cache.</summary>
/// <param name="device">The device as it is now (for removals: as it was).</param>
/// <param name="change">What happened.</param>
/// <param name="message">The message that caused it, or null (expiry, description fetch).</param>
public sealed class SsdpDeviceEventArgs(SsdpDiscoveredDevice device, SsdpDeviceChange change, SsdpMessage? message) : EventArgs
{
    /// <summary>The device as it is now (for removals: as it was).</summary>
    public SsdpDiscoveredDevice Device { get; } = device;

    /// <summary>What happened.</summary>
    public SsdpDeviceChange Change { get; } = change;

    /// <summary>The message that caused it, or null.</summary>
    public SsdpMessage? Message { get; } = message;
}

/// <summary>A device whose description could not be fetched or read (brisa's discovered_device_failed); it is dropped.</summary>
/// <param name="location">The LOCATION fetched.</param>
/// <param name="devices">The cache entries of that LOCATION, now dropped.</param>
/// <param name="fetch">What the fetch found.</param>
public sealed class SsdpDeviceFailedEventArgs(string location, IReadOnlyList<SsdpDiscoveredDevice> devices, UpnpFetchResult fetch) : EventArgs
{
    /// <summary>The LOCATION fetched.</summary>
    public string Location { get; } = location;

    /// <summary>The cache entries of that LOCATION, now dropped.</summary>
    public IReadOnlyList<SsdpDiscoveredDevice> Devices { get; } = devices;

    /// <summary>What the fetch found.</summary>
    public UpnpFetchResult Fetch { get; } = fetch;
}
