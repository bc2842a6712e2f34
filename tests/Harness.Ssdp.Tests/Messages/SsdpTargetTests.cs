using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Messages;

public class SsdpTargetTests
{
    [Theory]
    [InlineData("ssdp:all", SsdpTargetKind.All)]
    [InlineData("upnp:rootdevice", SsdpTargetKind.RootDevice)]
    [InlineData("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2", SsdpTargetKind.Uuid)]
    [InlineData("UUID:4d696e69-444c-164e-9d41-b827eb96c6c2", SsdpTargetKind.Uuid)]
    [InlineData("urn:schemas-upnp-org:device:MediaServer:1", SsdpTargetKind.DeviceType)]
    [InlineData("urn:schemas-upnp-org:service:ContentDirectory:3", SsdpTargetKind.ServiceType)]
    [InlineData("urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1", SsdpTargetKind.ServiceType)]
    [InlineData("urn:dial-multiscreen-org:service:dial:1", SsdpTargetKind.ServiceType)]
    [InlineData("urn:schemas-upnp-org:device:MediaServer", SsdpTargetKind.Other)]
    [InlineData("urn:schemas-upnp-org:device:MediaServer:0", SsdpTargetKind.Other)]
    [InlineData("urn:schemas-upnp-org:device:MediaServer:x", SsdpTargetKind.Other)]
    [InlineData("urn:schemas-upnp-org:serviceId:MediaServer:1", SsdpTargetKind.Other)]
    [InlineData("nanoleaf_aurora:light", SsdpTargetKind.Other)]
    [InlineData("urn:Microsoft Windows Peer Name Resolution Protocol: V4:IPV6:LinkLocal", SsdpTargetKind.Other)]
    [InlineData("", SsdpTargetKind.Empty)]
    [InlineData(null, SsdpTargetKind.Empty)]
    public void Parse_Kinds(string? value, SsdpTargetKind kind)
    {
        Assert.Equal(kind, SsdpTarget.Parse(value).Kind);
    }

    [Fact]
    public void Parse_VendorType_DomainTypeVersion()
    {
        var target = SsdpTarget.Parse("urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1");

        Assert.Equal("microsoft.com", target.Domain);
        Assert.Equal("X_MS_MediaReceiverRegistrar", target.TypeName);
        Assert.Equal(1, target.Version);
        Assert.False(target.IsStandardDomain);
        Assert.True(SsdpTarget.ForDeviceType("MediaServer", 4).IsStandardDomain);
    }

    [Fact]
    public void Matches_Version2DeviceVersion1Search_MatchesEchoingVersion1()
    {
        // UDA 1.1 §1.3.2: a device implementing T:2 answers a search for T:1, and the response carries T:1.
        var search = SsdpTarget.Parse("urn:schemas-upnp-org:device:MediaServer:1");

        Assert.True(search.Matches(SsdpTarget.Parse("urn:schemas-upnp-org:device:MediaServer:2"), out var st));
        Assert.Equal("urn:schemas-upnp-org:device:MediaServer:1", st);
    }

    [Theory]
    [InlineData("urn:schemas-upnp-org:device:MediaServer:3")]
    [InlineData("urn:schemas-upnp-org:device:mediaserver:1")]
    [InlineData("urn:schemas-upnp-org:device:MediaServer")]
    [InlineData("urn:schemas-upnp-org:service:MediaServer:1")]
    [InlineData("urn:schemas-upnp-org-x:device:MediaServer:1")]
    [InlineData("upnp:rootdevice")]
    public void Matches_WrongVersionCaseKindOrDomain_NoMatch(string searched)
    {
        // Checklist SSDP-MSEARCH-013/014: exact domain, kind and type name; only the version is compared.
        Assert.False(SsdpTarget.Parse(searched).Matches(SsdpTarget.Parse("urn:schemas-upnp-org:device:MediaServer:2"), out _));
    }

    [Fact]
    public void Matches_All_EverythingWithAdvertisedNt()
    {
        Assert.True(SsdpTarget.All.Matches(SsdpTarget.Parse("urn:schemas-upnp-org:service:AVTransport:1"), out var st));
        Assert.Equal("urn:schemas-upnp-org:service:AVTransport:1", st);
    }

    [Fact]
    public void Matches_UuidIgnoringCase()
    {
        Assert.True(SsdpTarget.Parse("uuid:4D696E69-444C-164E-9D41-B827EB96C6C2").Matches(SsdpTarget.Parse("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2"), out _));
        Assert.False(SsdpTarget.Parse("uuid:00000000-444c-164e-9d41-b827eb96c6c2").Matches(SsdpTarget.Parse("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2"), out _));
    }

    [Fact]
    public void WithVersion_ChangesOnlyTheVersion()
    {
        Assert.Equal("urn:schemas-upnp-org:service:ConnectionManager:1", SsdpTarget.Parse("urn:schemas-upnp-org:service:ConnectionManager:3").WithVersion(1).Value);
    }

    [Theory]
    [InlineData("uuid:X::upnp:rootdevice", "uuid:X", "upnp:rootdevice", false)]
    [InlineData("uuid:X", "uuid:X", "", true)]
    [InlineData("uuid:X::urn:schemas-upnp-org:device:MediaServer:1", "uuid:X", "urn:schemas-upnp-org:device:MediaServer:1", false)]
    [InlineData("[fe80::aaaa:bbbb:cccc:dddd]:3540", "[fe80", "aaaa:bbbb:cccc:dddd]:3540", false)]
    public void Usn_Parse_UdnAndSuffix(string usn, string udn, string suffix, bool bare)
    {
        var parsed = SsdpUsn.Parse(usn);

        Assert.Equal(udn, parsed.Udn);
        Assert.Equal(suffix, parsed.Suffix.Value);
        Assert.Equal(bare, parsed.IsBare);
    }

    [Fact]
    public void Usn_Agrees_PairsOfUda()
    {
        Assert.True(SsdpUsn.Parse("uuid:X::upnp:rootdevice").Agrees(SsdpTarget.RootDevice));
        Assert.True(SsdpUsn.Parse("uuid:X").Agrees(SsdpTarget.Parse("uuid:X")));
        Assert.False(SsdpUsn.Parse("uuid:X").Agrees(SsdpTarget.Parse("urn:schemas-upnp-org:device:Basic:1")));
        Assert.False(SsdpUsn.Parse("uuid:X::urn:schemas-upnp-org:device:Basic:1").Agrees(SsdpTarget.Parse("urn:schemas-upnp-org:device:Basic:2")));
        Assert.Equal("uuid:X::urn:schemas-upnp-org:device:Basic:1", SsdpUsn.Create("uuid:X", SsdpTarget.ForDeviceType("Basic", 1)).Value);
        Assert.Equal("uuid:X", SsdpUsn.Create("uuid:X", SsdpTarget.Parse("uuid:X")).Value);
    }
}
