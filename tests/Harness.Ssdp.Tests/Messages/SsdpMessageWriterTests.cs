using System.Net;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Messages;

public class SsdpMessageWriterTests
{
    private static string Text(SsdpMessage message, SsdpWriteOptions? options = null) => Encoding.UTF8.GetString(SsdpMessageWriter.Write(message, options));

    private static SsdpSearchResponse UdaResponse => new()
    {
        MaxAge = 1800,
        Date = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Location = "http://192.168.1.20:49152/description.xml",
        Server = "Linux/5.10 UPnP/1.1 Harness/1.0",
        SearchTarget = "urn:schemas-upnp-org:device:MediaServer:1",
        Usn = "uuid:4d696e69-444c-164e-9d41-b827eb96c6c2::urn:schemas-upnp-org:device:MediaServer:1",
        BootId = 1_740_830_400,
        ConfigId = 1,
    };

    [Fact]
    public void Write_Uda11Response_ExactlyTheUdaTemplate()
    {
        // UDA 1.1 §1.3.3: the header order of the template.
        Assert.Equal(SsdpVectors.UdaResponse, Text(UdaResponse));
    }

    [Fact]
    public void Write_Uda11Search_ExactlyTheUdaTemplate()
    {
        var search = SsdpSearchRequest.Multicast(SsdpTarget.ForDeviceType("MediaServer", 1), 3) with { UserAgent = "Linux/5.10 UPnP/1.1 Harness/1.0" };

        Assert.Equal(SsdpVectors.UdaSearch, Text(search));
    }

    [Fact]
    public void Write_Uda20Search_ControlPointHeadersInTemplateOrder()
    {
        var search = SsdpSearchRequest.Multicast(SsdpTarget.All, 2) with
        {
            UserAgent = "Linux/5.10 UPnP/2.0 Harness/1.0",
            CpFriendlyName = "Harness control point",
            CpUuid = "uuid:11111111-2222-4333-8444-555555555555",
            TcpPort = 49200,
        };

        Assert.Equal(SsdpVectors.Uda20Search, Text(search));
    }

    [Fact]
    public void Write_Uda11NotifySet_AliveByeByeUpdateExactly()
    {
        const string Udn = "uuid:4d696e69-444c-164e-9d41-b827eb96c6c2";
        var alive = new SsdpNotify
        {
            NotificationType = "upnp:rootdevice",
            Usn = Udn + "::upnp:rootdevice",
            MaxAge = 1800,
            Location = "http://192.168.1.20:49152/description.xml",
            Server = "Linux/5.10 UPnP/1.1 Harness/1.0",
            BootId = 1_740_830_400,
            ConfigId = 1,
        };
        var byebye = new SsdpNotify { NotificationType = Udn, Nts = SsdpNotify.ByeByeNts, Usn = Udn, BootId = 1_740_830_400, ConfigId = 1 };
        var update = new SsdpNotify
        {
            NotificationType = "urn:schemas-upnp-org:service:ContentDirectory:1",
            Nts = SsdpNotify.UpdateNts,
            Usn = Udn + "::urn:schemas-upnp-org:service:ContentDirectory:1",
            Location = "http://192.168.1.21:49152/description.xml",
            BootId = 1_740_830_400,
            ConfigId = 1,
            NextBootId = 1_740_830_401,
        };

        Assert.Equal(SsdpVectors.UdaAlive, Text(alive));
        Assert.Equal(SsdpVectors.UdaByeBye, Text(byebye));
        Assert.Equal(SsdpVectors.UdaUpdate, Text(update));
    }

    [Fact]
    public void Write_SameRecordTwice_SameBytes()
    {
        Assert.Equal(SsdpMessageWriter.Write(UdaResponse), SsdpMessageWriter.Write(UdaResponse));
    }

    [Fact]
    public void Write_ExtraHeaders_AfterKnownOnesInOrder()
    {
        var text = Text(UdaResponse with { ExtraHeaders = [new("OPT", "\"http://schemas.upnp.org/upnp/1/0/\"; ns=01"), new("01-NLS", "7")] });

        Assert.EndsWith("CONFIGID.UPNP.ORG: 1\r\nOPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n01-NLS: 7\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IPv6Unicast_HostBracketedNoMx()
    {
        var text = Text(SsdpSearchRequest.Unicast(SsdpTarget.RootDevice, new IPEndPoint(IPAddress.Parse("fe80::1"), 1900)));

        Assert.Equal("M-SEARCH * HTTP/1.1\r\nHOST: [fe80::1]:1900\r\nMAN: \"ssdp:discover\"\r\nST: upnp:rootdevice\r\n\r\n", text);
    }

    [Fact]
    public void HostFor_IPv6Groups_UpperCaseBracketed()
    {
        Assert.Equal("[FF02::C]:1900", SsdpMessage.HostFor(new IPEndPoint(IPAddress.Parse("ff02::c"), 1900)));
        Assert.Equal("[FF05::C]:1900", SsdpMessage.HostFor(new IPEndPoint(IPAddress.Parse("ff05::c"), 1900)));
    }

    [Theory]
    [InlineData("evil\r\nX-Injected: 1")]
    [InlineData("evil\n")]
    public void Write_ValueWithLineBreak_Refused(string value)
    {
        Assert.Throws<ArgumentException>(() => SsdpMessageWriter.Write(UdaResponse with { Server = value }));
        Assert.Throws<ArgumentException>(() => SsdpMessageWriter.Write(UdaResponse with { ExtraHeaders = [new("X", value)] }));
    }

    [Fact]
    public void Write_QuirkLayouts_ReadBackSameRecordWithTheirDeviations()
    {
        var options = new SsdpWriteOptions { HeaderCase = SsdpHeaderCase.Title, SpaceAfterColon = false, BareLineFeed = true, FinalEmptyLine = false };

        var bytes = SsdpMessageWriter.Write(UdaResponse, options);
        var result = SsdpMessageReader.Read(bytes);

        Assert.StartsWith("HTTP/1.1 200 OK\nCache-Control:max-age=1800\nDate:Sat, 01 Mar 2025 12:00:00 GMT\nExt:\n", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Contains("Bootid.Upnp.Org:1740830400\n", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(UdaResponse, result.Message);
        Assert.Contains(result.Violations, v => v.Message.Contains("bare LF", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.Message.Contains("upper case", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.Message.Contains("No space after the colon", StringComparison.Ordinal));
        Assert.Contains(result.Violations, v => v.RuleId == SsdpRuleIds.ResponseStatusLine && v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Write_LowerCase_ReadsBackWithInfoOnly()
    {
        var result = SsdpMessageReader.Read(SsdpMessageWriter.Write(UdaResponse, new SsdpWriteOptions { HeaderCase = SsdpHeaderCase.Lower }));

        Assert.Equal(UdaResponse, result.Message);
        Assert.Equal(ViolationSeverity.Info, Assert.Single(result.Violations).Severity);
    }
}
