using Harness.Simulators.Cameras;
using Harness.Simulators.Quirks;
using Harness.Simulators.Upnp;

namespace Harness.Cli.Common;

/// <summary>Applies quirk profiles by name to simulated cameras, and lists them with the UPnP quirks.</summary>
internal static class Quirks
{
    public static FakeCameraOptions Apply(string name, FakeCameraOptions options) => QuirkProfiles.Apply(name, options);

    public static string List()
    {
        var table = new TextTable("QUIRK", "DEVICE", "BREAKS", "WHAT", "SEEN IN");
        foreach (var profile in QuirkProfiles.Listing)
        {
            table.Add([profile.Name], [profile.Devices], profile.ExpectedFailures, [profile.Description], [profile.SeenIn ?? "-"]);
        }

        // UPnP quirks (harness simulate --upnp N --quirk NAME); their rule ids say SSDP-/DESC-.
        foreach (var quirk in UpnpQuirks.All)
        {
            table.Add([quirk.Name], ["upnp"], quirk.ExpectedFailures, [quirk.Description], [quirk.SeenIn ?? "-"]);
        }

        // XMPP quirks (harness simulate --xmpp N --quirk NAME); their rule ids say XMPP-.
        foreach (var quirk in Harness.Simulators.Xmpp.XmppQuirks.All)
        {
            table.Add([quirk.Name], ["xmpp"], quirk.ExpectedFailures, [quirk.Description], [quirk.SeenIn ?? "-"]);
        }

        return table.ToString();
    }
}
