using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;

namespace Harness.Ssdp.Tests.Engine;

public class SsdpAnnouncementsTests
{
    [Fact]
    public void For_RootWithOneEmbeddedDevice_ThreePlusTwoDPlusK()
    {
        // d = 1; k = 2 (root: ContentDirectory, ConnectionManager) + 3 (embedded: RenderingControl, ConnectionManager, AVTransport).
        var pairs = SsdpAnnouncements.For(Scene.MediaServer());

        Assert.Equal(3 + (2 * 1) + 5, pairs.Count);
        Assert.Equal(pairs.Count, pairs.Select(p => (p.NotificationType, p.Usn)).Distinct().Count());
        Assert.Equal(("upnp:rootdevice", Scene.Udn(1) + "::upnp:rootdevice"), (pairs[0].NotificationType.Value, pairs[0].Usn));
        Assert.Equal((Scene.Udn(1), Scene.Udn(1)), (pairs[1].NotificationType.Value, pairs[1].Usn));
    }

    [Fact]
    public void For_MinidlnaLikeRootWithThreeServiceTypes_Six()
    {
        // Checklist SSDP-NOTIFY-002: minidlna, a root with 3 service types and no embedded devices, sends 6.
        var device = Scene.MediaServer() with
        {
            Devices = [],
            Services = [Scene.Service("ContentDirectory", 1), Scene.Service("ConnectionManager", 1), new UpnpService("urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1", "urn:microsoft.com:serviceId:X_MS_MediaReceiverRegistrar", "/X.xml", "/X", "/X")],
        };

        Assert.Equal(6, SsdpAnnouncements.For(device).Count);
    }

    [Fact]
    public void For_SameServiceTypeTwiceInOneDevice_CountedOnce()
    {
        var device = Scene.MediaServer() with { Devices = [], Services = [Scene.Service("ContentDirectory", 1), Scene.Service("ContentDirectory", 1)] };

        Assert.Equal(4, SsdpAnnouncements.For(device).Count);
    }

    [Fact]
    public void For_AsyncUpnpClientIgdFixture_Ten()
    {
        var description = UpnpDescriptionReader.Read(Vectors.Bytes("async-upnp-client-igd-device.xml")).Description!;

        // Root IGD + WANDevice + WANConnectionDevice (d = 2), one service type each (k = 3): 3 + 4 + 3.
        Assert.Equal(10, SsdpAnnouncements.For(description.Device).Count);
    }
}
