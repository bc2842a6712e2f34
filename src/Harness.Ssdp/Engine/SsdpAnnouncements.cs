using Harness.Ssdp.Description;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Engine;

/// <summary>One (NT, USN) pair of a device's announcement set.</summary>
/// <param name="NotificationType">The NT (and the ST of a response to <c>ssdp:all</c>).</param>
/// <param name="Usn">The USN that goes with it.</param>
/// <param name="Udn">The UDN of the device the pair belongs to (root or embedded).</param>
public readonly record struct SsdpAnnouncement(SsdpTarget NotificationType, string Usn, string Udn);

/// <summary>The announcement set of a root device (UDA 1.1 §1.2.2, checklist SSDP-NOTIFY-002).</summary>
public static class SsdpAnnouncements
{
    /// <summary>
    /// The 3 + 2d + k pairs of a root device with d embedded devices and k distinct service types per device summed:
    /// <c>upnp:rootdevice</c>, <c>uuid:R</c> and the root's type; for each embedded device its <c>uuid:</c> and type;
    /// for each device one pair per distinct service type. Order: each device (root first, then embedded depth first)
    /// with its services after it.
    /// </summary>
    public static IReadOnlyList<SsdpAnnouncement> For(UpnpDevice root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var pairs = new List<SsdpAnnouncement>();
        var first = true;
        foreach (var device in root.SelfAndDescendants())
        {
            var udn = device.Udn;
            if (first)
            {
                pairs.Add(new SsdpAnnouncement(SsdpTarget.RootDevice, udn + "::" + SsdpTarget.RootDeviceValue, udn));
                first = false;
            }

            pairs.Add(new SsdpAnnouncement(SsdpTarget.Parse(udn), udn, udn));
            var type = SsdpTarget.Parse(device.DeviceType);
            pairs.Add(new SsdpAnnouncement(type, SsdpUsn.Create(udn, type).Value, udn));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var service in device.Services)
            {
                if (seen.Add(service.ServiceType))
                {
                    var serviceType = SsdpTarget.Parse(service.ServiceType);
                    pairs.Add(new SsdpAnnouncement(serviceType, SsdpUsn.Create(udn, serviceType).Value, udn));
                }
            }
        }

        return pairs;
    }
}
