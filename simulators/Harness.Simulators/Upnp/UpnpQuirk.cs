using System.Text;
using System.Text.RegularExpressions;
using Harness.Ssdp.Description;

namespace Harness.Simulators.Upnp;

/// <summary>
/// A named way in which a simulated UPnP device deviates from UDA 1.1 and its checklist (<c>specs/ssdp.md</c> §2),
/// imitating a real stack. <c>harness simulate --upnp N --quirk NAME</c>, fleet files and
/// <see cref="FakeUpnpDeviceOptions.Quirk"/> name it by <see cref="Name"/>.
/// </summary>
/// <param name="Name">The stable name, e.g. <c>no-ext</c> (lower case, digits and '-').</param>
/// <param name="Description">What the device does wrong, in a sentence.</param>
/// <param name="ExpectedFailures">
/// The SSDP/UPnP conformance rule ids (<c>specs/ssdp.md</c> §1) the SSDP suite is expected to fail (Fail, Warn or Info)
/// against a device with this quirk; every other rule passes or does not apply.
/// </param>
public sealed record UpnpQuirk(string Name, string Description, IReadOnlyList<string> ExpectedFailures)
{
    /// <summary>Where the deviation was seen (public tracker, project or observation), or null.</summary>
    public string? SeenIn { get; init; }

    /// <summary>How the device applies it (null for a quirk made outside this assembly: no behaviour).</summary>
    internal UpnpQuirkPlan Plan { get; init; } = UpnpQuirkPlan.None;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Deviations applied on the wire by the device's transport decorator.</summary>
[Flags]
internal enum UpnpWireQuirks
{
    None = 0,

    /// <summary><c>max-age=N</c> becomes <c>max-age = N</c>.</summary>
    CacheControlSpaces = 1,

    /// <summary>No byebye ever leaves.</summary>
    DropByeBye = 2,

    /// <summary>Each alive of a set is preceded by a byebye for the same pair (byebye, alive, byebye, alive …).</summary>
    InterleaveByeBye = 4,

    /// <summary>Every NOTIFY is sent twice.</summary>
    DuplicateNotify = 8,

    /// <summary>Answers to an <c>ssdp:all</c> search carry <c>ST: ssdp:all</c>.</summary>
    EchoSsdpAll = 16,

    /// <summary>MAN other than <c>"ssdp:discover"</c> (unquoted, missing) is accepted.</summary>
    LenientMan = 32,

    /// <summary>A multicast search without a valid MX is answered as if MX were 1.</summary>
    AcceptMissingMx = 64,

    /// <summary>A typed search is answered only when its ST equals an announced NT exactly (no version rule).</summary>
    ExactTypeMatch = 128,

    /// <summary>Every answer to a multicast search goes at once, ignoring MX.</summary>
    Burst = 256,
}

/// <summary>What a quirk changes: options of the SSDP engine, the description, the HTTP answer, the wire.</summary>
internal sealed record UpnpQuirkPlan
{
    public static UpnpQuirkPlan None { get; } = new();

    /// <summary>max-age sent instead of the configured one.</summary>
    public int? MaxAge { get; init; }

    /// <summary>BOOTID.UPNP.ORG and CONFIGID.UPNP.ORG are left out although the device claims UDA 1.1/2.0.</summary>
    public bool OmitBootAndConfigIds { get; init; }

    /// <summary>The SSDP SERVER header instead of the well-formed one.</summary>
    public string? Server { get; init; }

    /// <summary>MX above this is treated as this (the UDA says 5).</summary>
    public int? MaxMx { get; init; }

    /// <summary>Re-advertise after this fraction of max-age (the UDA says under one half).</summary>
    public double? ReadvertiseFraction { get; init; }

    /// <summary>Search responses lack EXT.</summary>
    public bool NoExt { get; init; }

    /// <summary>The root device type's version becomes 2.</summary>
    public bool DeviceTypeVersion2 { get; init; }

    /// <summary>Changes the served description model (not the announced one).</summary>
    public Func<UpnpDescription, UpnpDescription>? Description { get; init; }

    /// <summary>Changes the served description's bytes.</summary>
    public Func<byte[], byte[]>? DescriptionBytes { get; init; }

    /// <summary>Changes how the description is served over HTTP.</summary>
    public Func<UpnpHttpResource, UpnpHttpResource>? DescriptionResource { get; init; }

    /// <summary>
    /// The description's Content-Length counts characters while every byte of the body is sent (over the raw connection,
    /// then closed): a client that trusts Content-Length reads a document cut short.
    /// </summary>
    public bool CharacterContentLength { get; init; }

    /// <summary>Deviations on the wire.</summary>
    public UpnpWireQuirks Wire { get; init; }
}

/// <summary>The UPnP quirk catalogue (<c>specs/ssdp.md</c> §2): at least one deviation per area of the checklist.</summary>
public static class UpnpQuirks
{
    /// <summary>Every UPnP quirk, in catalogue order.</summary>
    public static IReadOnlyList<UpnpQuirk> All { get; } = [.. Create()];

    /// <summary>The quirk with this name (ignoring case), or null.</summary>
    public static UpnpQuirk? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(q => string.Equals(q.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The unexpanded URLBase the <c>urlbase-placeholder</c> quirk serves (a template never filled in).</summary>
    public const string PlaceholderUrlBase = "http://{ip}:{port}/";

    /// <summary>The SERVER header of the <c>server-junk</c> quirk (a LiveBox, quoted in miniupnpd's minissdp.c).</summary>
    public const string JunkServer = "Linux/2.4.17, UPnP/1.0, Intel SDK for UPnP devices /1.2";

    private static IEnumerable<UpnpQuirk> Create()
    {
        yield return new UpnpQuirk(
            "minidlna-max-age",
            "Announces and answers with CACHE-CONTROL max-age=70, far below the recommended 1800 s.",
            ["SSDP-RESP-002"])
        {
            SeenIn = "minidlna (observed, ssdp.md §2 cc-variants); miniupnpd sends 120 (miniupnp#698)",
            Plan = new UpnpQuirkPlan { MaxAge = 70 },
        };
        yield return new UpnpQuirk(
            "cc-spaces",
            "Writes CACHE-CONTROL as 'max-age = 1800' (the UDA 1.0 template style), which UCTT flags.",
            ["SSDP-RESP-002"])
        {
            SeenIn = "ohNet issue 17; home-assistant-libs/netdisco#98",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.CacheControlSpaces },
        };
        yield return new UpnpQuirk(
            "no-bootid",
            "Claims UPnP/1.1 but sends no BOOTID.UPNP.ORG or CONFIGID.UPNP.ORG (a UDA 1.0 stack relabelled), so a configuration change goes unannounced.",
            ["SSDP-RESP-008", "SSDP-RESP-009", "SSDP-NOTIFY-001", "SSDP-BYEBYE-001", "SSDP-CONFIG-001"])
        {
            SeenIn = "UDA 1.0 stacks (pupnp, miniupnpd without UPnP 1.1 support; ssdp.md SSDP-RESP-011)",
            Plan = new UpnpQuirkPlan { OmitBootAndConfigIds = true },
        };
        yield return new UpnpQuirk(
            "no-ext",
            "Search responses lack the EXT header.",
            ["SSDP-RESP-004"])
        {
            SeenIn = "koron/go-ssdp#15 (libPlatinum-based control points drop such responses)",
            Plan = new UpnpQuirkPlan { NoExt = true },
        };
        yield return new UpnpQuirk(
            "server-junk",
            "SERVER is '" + JunkServer + "': commas between the tokens and UPnP/1.0 against specVersion 1.1.",
            ["SSDP-RESP-006", "DESC-XML-003"])
        {
            SeenIn = "Orange LiveBox, quoted in a comment of miniupnpd's minissdp.c (ssdp.md §2 server-junk)",
            Plan = new UpnpQuirkPlan { Server = JunkServer },
        };
        yield return new UpnpQuirk(
            "ssdp-all-echo",
            "Answers an ssdp:all search with 'ST: ssdp:all' in every response instead of each pair's NT.",
            ["SSDP-MSEARCH-008", "SSDP-RESP-007"])
        {
            SeenIn = "ssdp.md §2 st-wrong (luc-github/ESP32SSDP#8 echoes the wrong ST)",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.EchoSsdpAll },
        };
        yield return new UpnpQuirk(
            "no-mx-clamp",
            "Does not treat MX above 5 as 5: with MX=120 its answers are spread over up to 120 s.",
            ["SSDP-MSEARCH-004"])
        {
            SeenIn = "gssdp does not clamp MX (ssdp.md SSDP-MSEARCH-004, §2 mx-variance)",
            Plan = new UpnpQuirkPlan { MaxMx = 120 },
        };
        yield return new UpnpQuirk(
            "burst",
            "Answers a multicast search at once, every response in one burst, ignoring the random delay within MX.",
            ["SSDP-MSEARCH-015"])
        {
            SeenIn = "embedded stacks that reply from the receive callback (konnected-io/konnected-security ssdp.lua)",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.Burst },
        };
        yield return new UpnpQuirk(
            "lenient-man",
            "Answers searches whose MAN is unquoted (ssdp:discover), missing or another value.",
            ["SSDP-MSEARCH-005"])
        {
            SeenIn = "Yortw/RSSDP#40 (Relaxed mode); MoshiBin/ssdpy#16 sends MAN unquoted",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.LenientMan },
        };
        yield return new UpnpQuirk(
            "no-mx",
            "Answers a multicast search without MX, or with MX 0, negative or not a number, as if MX were 1.",
            ["SSDP-MSEARCH-002", "SSDP-MSEARCH-003"])
        {
            SeenIn = "Yortw/RSSDP#40 (Relaxed mode answers searches without MX)",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.AcceptMissingMx },
        };
        yield return new UpnpQuirk(
            "no-byebye",
            "Sends no ssdp:byebye on shutdown or restart: it just disappears (and comes back with a new BOOTID).",
            ["SSDP-BYEBYE-001"])
        {
            SeenIn = "gssdp bgo#724030 (device restarted without byebye)",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.DropByeBye },
        };
        yield return new UpnpQuirk(
            "byebye-interleaved",
            "Sends a byebye before each alive of its first set: byebye, alive, byebye, alive … so byebyes follow alives.",
            ["SSDP-BYEBYE-002"])
        {
            SeenIn = "gssdp before the commit \"Don't send interleaved byebye/alive\" (UCTT UDA-1.1.1..1.1.3)",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.InterleaveByeBye },
        };
        yield return new UpnpQuirk(
            "dup-notify",
            "Sends every NOTIFY twice, so each set goes out 4 times instead of at most 3.",
            ["SSDP-NOTIFY-003"])
        {
            SeenIn = "ssdp.md §2 dup-burst (every message sent 2-3 times)",
            Plan = new UpnpQuirkPlan { Wire = UpnpWireQuirks.DuplicateNotify },
        };
        yield return new UpnpQuirk(
            "brisa-readvertise",
            "Re-advertises only after 0.8 x max-age instead of before max-age/2.",
            ["SSDP-NOTIFY-004"])
        {
            SeenIn = "brisa (ssdp.md SSDP-NOTIFY-004)",
            Plan = new UpnpQuirkPlan { ReadvertiseFraction = 0.8 },
        };
        yield return new UpnpQuirk(
            "desc-bom",
            "Serves the description with a UTF-8 byte order mark before '<?xml'.",
            ["DESC-XML-001"])
        {
            SeenIn = "Belkin WeMo; pupnp#412",
            Plan = new UpnpQuirkPlan { DescriptionBytes = body => [0xEF, 0xBB, 0xBF, .. body] },
        };
        yield return new UpnpQuirk(
            "desc-application-xml",
            "Serves the description as 'Content-Type: application/xml' instead of 'text/xml; charset=\"utf-8\"'.",
            ["DESC-HTTP-002"])
        {
            SeenIn = "ZeWaren/python-upnp-ssdp-example (lib/upnp_http_server.py)",
            Plan = new UpnpQuirkPlan { DescriptionResource = resource => resource with { ContentType = "application/xml" } },
        };
        yield return new UpnpQuirk(
            "desc-char-length",
            "Announces the description's Content-Length in characters, not bytes, then sends every byte: a client that trusts the length reads a document cut short.",
            ["DESC-HTTP-003", "DESC-XML-001"])
        {
            SeenIn = "StevenLooman/async_upnp_client#129",
            Plan = new UpnpQuirkPlan
            {
                Description = description => description with
                {
                    Device = description.Device with
                    {
                        FriendlyName = Shorten(description.Device.FriendlyName, 50) + " · Café",
                        ModelDescription = "Médiathèque simulée",
                    },
                },
                CharacterContentLength = true,
            },
        };
        yield return new UpnpQuirk(
            "desc-no-manufacturer",
            "The root device of the description has no <manufacturer> element.",
            ["DESC-XML-005"])
        {
            SeenIn = "async-upnp-client test fixtures (missing elements); ssdp.md §2 xml-dirty",
            Plan = new UpnpQuirkPlan { DescriptionBytes = RemoveFirstManufacturer },
        };
        yield return new UpnpQuirk(
            "udn-mismatch",
            "The description's root UDN differs from the uuid in every USN the device announces.",
            ["SSDP-RESP-007", "DESC-XML-007", "DESC-XML-010"])
        {
            SeenIn = "home-assistant/core#110216",
            Plan = new UpnpQuirkPlan
            {
                Description = description => description with
                {
                    Device = description.Device with { Udn = UpnpUuid.Udn(UpnpUuid.Derive(Guid.Parse(description.Device.Udn["uuid:".Length..]), "udn-mismatch")) },
                },
            },
        };
        yield return new UpnpQuirk(
            "urlbase-placeholder",
            "Ships a URLBase (deprecated since UDA 1.1) that is an unexpanded template, '" + PlaceholderUrlBase + "'.",
            ["DESC-XML-004"])
        {
            SeenIn = "ZeWaren/python-upnp-ssdp-example ships the placeholder URLBase http://xxx.yyy.zzz.aaaa:5000",
            Plan = new UpnpQuirkPlan { Description = description => description with { UrlBase = PlaceholderUrlBase } },
        };
        yield return new UpnpQuirk(
            "no-version-rule",
            "Implements device type version 2 but matches ST strings exactly: a search for the version 1 type gets no answer.",
            ["SSDP-MSEARCH-013"])
        {
            SeenIn = "miniupnpd without UPNP_STRICT/SSDP_RESPOND_SAME_VERSION; the brisa and ZeWaren seeds match exactly",
            Plan = new UpnpQuirkPlan { DeviceTypeVersion2 = true, Wire = UpnpWireQuirks.ExactTypeMatch },
        };
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max];

    private static byte[] RemoveFirstManufacturer(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var match = Regex.Match(text, @"[ \t]*<manufacturer>[^<]*</manufacturer>\r?\n?", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? Encoding.UTF8.GetBytes(text.Remove(match.Index, match.Length)) : body;
    }
}
