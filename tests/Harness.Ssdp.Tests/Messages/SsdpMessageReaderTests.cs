using System.Text;
using Harness.Capture;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Messages;

public class SsdpMessageReaderTests
{
    private static SsdpReadResult Read(string text, SsdpReadOptions? options = null) => SsdpMessageReader.Read(Encoding.UTF8.GetBytes(text), options);

    private static void AssertViolation(SsdpReadResult result, string rule, ViolationSeverity severity, string? contains = null) =>
        Assert.Contains(result.Violations, v => v.RuleId == rule && v.Severity == severity && (contains is null || v.Message.Contains(contains, StringComparison.Ordinal)));

    [Fact]
    public void Read_Uda11SearchTemplate_AllHeadersNoViolations()
    {
        var result = Read(SsdpVectors.UdaSearch);

        Assert.Equal(SsdpReadStatus.Done, result.Status);
        Assert.Empty(result.Violations);
        var search = Assert.IsType<SsdpSearchRequest>(result.Message);
        Assert.True(search.HasValidRequestLine);
        Assert.True(search.IsDiscover);
        Assert.Equal("239.255.255.250:1900", search.Host);
        Assert.Equal(3, search.Mx);
        Assert.Equal(SsdpTargetKind.DeviceType, search.Target.Kind);
        Assert.Equal("Linux/5.10 UPnP/1.1 Harness/1.0", search.UserAgent);
    }

    [Fact]
    public void Read_Uda20SearchWithControlPointHeaders_ReadsCpfnCpuuidTcpport()
    {
        var search = Assert.IsType<SsdpSearchRequest>(Read(SsdpVectors.Uda20Search).Message);

        Assert.Equal("Harness control point", search.CpFriendlyName);
        Assert.Equal("uuid:11111111-2222-4333-8444-555555555555", search.CpUuid);
        Assert.Equal(49200, search.TcpPort);
        Assert.Equal(SsdpTargetKind.All, search.Target.Kind);
    }

    [Fact]
    public void Read_Uda20MulticastSearchWithoutCpfn_ReportsMsearch007()
    {
        var text = SsdpVectors.Uda20Search.Replace("CPFN.UPNP.ORG: Harness control point\r\n", string.Empty, StringComparison.Ordinal);

        AssertViolation(Read(text), SsdpRuleIds.SearchUda20Headers, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_Uda11ResponseTemplate_AllHeadersNoViolations()
    {
        var result = Read(SsdpVectors.UdaResponse);

        Assert.Empty(result.Violations);
        var response = Assert.IsType<SsdpSearchResponse>(result.Message);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1800, response.MaxAge);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), response.Date);
        Assert.True(response.Ext);
        Assert.Equal("http://192.168.1.20:49152/description.xml", response.Location);
        Assert.Equal("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2", response.ParsedUsn.Udn);
        Assert.Equal(1_740_830_400, response.BootId);
        Assert.Equal(1, response.ConfigId);
        Assert.Null(response.SearchPort);
    }

    [Fact]
    public void Read_Uda11NotifyTemplates_AliveByeByeUpdate()
    {
        var alive = Read(SsdpVectors.UdaAlive);
        var byebye = Read(SsdpVectors.UdaByeBye);
        var update = Read(SsdpVectors.UdaUpdate);

        Assert.Empty(alive.Violations);
        Assert.Empty(byebye.Violations);
        Assert.Empty(update.Violations);
        Assert.Equal(SsdpNotifySubtype.Alive, Assert.IsType<SsdpNotify>(alive.Message).Subtype);
        Assert.Equal(SsdpTargetKind.RootDevice, ((SsdpNotify)alive.Message!).Target.Kind);
        Assert.Equal(SsdpNotifySubtype.ByeBye, Assert.IsType<SsdpNotify>(byebye.Message).Subtype);
        Assert.Null(((SsdpNotify)byebye.Message!).MaxAge);
        var u = Assert.IsType<SsdpNotify>(update.Message);
        Assert.Equal(SsdpNotifySubtype.Update, u.Subtype);
        Assert.Equal(1_740_830_400, u.BootId);
        Assert.Equal(1_740_830_401, u.NextBootId);
    }

    [Fact]
    public void Read_AsyncUpnpClientSearch_NoSpaceAfterColonIsInfoOnly()
    {
        var result = Read(SsdpVectors.AsyncUpnpClientSearch);

        var search = Assert.IsType<SsdpSearchRequest>(result.Message);
        Assert.Equal(4, search.Mx);
        Assert.Equal("ssdp:all", search.SearchTarget);
        var violation = Assert.Single(result.Violations);
        Assert.Equal((SsdpRuleIds.HttpGrammar, ViolationSeverity.Info), (violation.RuleId, violation.Severity));
        Assert.Contains("No space after the colon", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AsyncUpnpClientWindowsResponse_TitleCaseAndMismatchedUsn()
    {
        var result = Read(SsdpVectors.AsyncUpnpClientResponse);

        var response = Assert.IsType<SsdpSearchResponse>(result.Message);
        Assert.Equal(1900, response.MaxAge);
        Assert.Equal("http://192.168.1.1:80/RootDevice.xml", response.Location);
        Assert.Equal("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", response.SearchTarget);
        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Info, "Cache-Control");
        AssertViolation(result, SsdpRuleIds.UsnForm, ViolationSeverity.Error, "does not go with ST");
    }

    [Fact]
    public void Read_HarmonyMissingEnding_ReadsEveryHeaderAndReportsSpacesAndMissingEnd()
    {
        var result = Read(SsdpVectors.HarmonyMissingEnding);

        Assert.Equal(SsdpReadStatus.Done, result.Status);
        var response = Assert.IsType<SsdpSearchResponse>(result.Message);
        Assert.Equal(1800, response.MaxAge);
        Assert.Equal(new DateTimeOffset(2021, 4, 25, 16, 8, 6, TimeSpan.Zero), response.Date);
        Assert.Equal(1_619_366_886, response.BootId);
        Assert.Equal("urn:myharmony-com:device:harmony:1", response.SearchTarget);
        AssertViolation(result, SsdpRuleIds.CacheControl, ViolationSeverity.Error, "spaces around '='");
        AssertViolation(result, SsdpRuleIds.ResponseStatusLine, ViolationSeverity.Error, "empty line");
        AssertViolation(result, SsdpRuleIds.ConfigId, ViolationSeverity.Error, "missing");
    }

    [Fact]
    public void Read_HarmonyMissingEndingStrict_Invalid()
    {
        var result = Read(SsdpVectors.HarmonyMissingEnding, SsdpReadOptions.Strict);

        Assert.Equal(SsdpReadStatus.Invalid, result.Status);
        Assert.Null(result.Message);
        Assert.NotEmpty(result.Violations);
    }

    [Fact]
    public void Read_CleanResponseStrict_Done()
    {
        Assert.Equal(SsdpReadStatus.Done, Read(SsdpVectors.UdaResponse, SsdpReadOptions.Strict).Status);
    }

    [Fact]
    public void Read_DuplicateHeader_FirstKeptAndWarned()
    {
        var result = Read(SsdpVectors.DuplicateHeader);

        Assert.Equal(1800, Assert.IsType<SsdpSearchResponse>(result.Message).MaxAge);
        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Warning, "more than once (with the same value)");
    }

    [Fact]
    public void Read_LineWithoutColon_LineSkippedRestRead()
    {
        var result = Read(SsdpVectors.Defunct);

        Assert.Equal(1800, Assert.IsType<SsdpSearchResponse>(result.Message).MaxAge);
        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Error, "'DEFUNCT' has no colon");
    }

    [Fact]
    public void Read_WindowsPnrpOnPort1900_UnderstoodWithFindings()
    {
        var result = Read(SsdpVectors.WindowsPnrp);

        var response = Assert.IsType<SsdpSearchResponse>(result.Message);
        Assert.Equal(14400, response.MaxAge);
        Assert.Equal("192.168.1.1", response.Location);
        Assert.Equal(["AL", "OPT", "01-NLS"], response.ExtraHeaders.Select(h => h.Name));
        Assert.Equal("\"http://schemas.upnp.org/upnp/1/0/\"; ns=01", response.GetExtraHeader("opt"));
        Assert.Equal(SsdpTargetKind.Other, response.Target.Kind);
        AssertViolation(result, SsdpRuleIds.Location, ViolationSeverity.Error, "not an absolute http URL");
        AssertViolation(result, SsdpRuleIds.UsnForm, ViolationSeverity.Error, "does not start with 'uuid:'");
        AssertViolation(result, SsdpRuleIds.ResponseStatusLine, ViolationSeverity.Error, "empty line");
    }

    [Fact]
    public void Read_GssdpSearchTemplate_TitleCaseNamesUnderstood()
    {
        var result = Read(SsdpVectors.GssdpSearch);

        var search = Assert.IsType<SsdpSearchRequest>(result.Message);
        Assert.Equal(SsdpTargetKind.RootDevice, search.Target.Kind);
        Assert.Equal(3, search.Mx);
        Assert.True(search.IsDiscover);
        Assert.Equal("Linux/3.0 UPnP/1.0 GSSDP/1.6.0", search.UserAgent);
        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationSeverity.Info, violation.Severity);
    }

    [Fact]
    public void Read_NetdiscoNoCacheExt_MaxAgeFoundBothDeviationsReported()
    {
        var result = Read(SsdpVectors.NetdiscoNoCacheExt);

        Assert.Equal(5000, Assert.IsType<SsdpSearchResponse>(result.Message).MaxAge);
        AssertViolation(result, SsdpRuleIds.CacheControl, ViolationSeverity.Error, "directives other than max-age");
        AssertViolation(result, SsdpRuleIds.CacheControl, ViolationSeverity.Error, "spaces around '='");
    }

    [Fact]
    public void Read_MinidlnaStyleByeBye_OnlyStyleInfo()
    {
        var result = Read(SsdpVectors.MinidlnaByeBye);

        var notify = Assert.IsType<SsdpNotify>(result.Message);
        Assert.Equal(SsdpNotifySubtype.ByeBye, notify.Subtype);
        Assert.Equal("uuid:4d696e69-444c-164e-9d41-080027237071", notify.Usn);
        Assert.All(result.Violations, v => Assert.Equal(ViolationSeverity.Info, v.Severity));
    }

    [Fact]
    public void Read_MiniupnpdCaptureLowercaseLOCATION_LocationReadAndSpellingReported()
    {
        // captures/public/ssdp-miniupnpd-notify.pcap (OISF/suricata-verify): MiniUPnPd 1.6 sends "lOCATION:".
        using var capture = CaptureFile.Open(Vectors.CapturePath("ssdp-miniupnpd-notify.pcap"));
        var record = Assert.Single(capture.Records().ToList());

        var result = SsdpMessageReader.Read(record.Payload.Span);

        var notify = Assert.IsType<SsdpNotify>(result.Message);
        Assert.Equal("http://192.168.1.1:7406/rootDesc.xml", notify.Location);
        Assert.Equal(120, notify.MaxAge);
        Assert.Equal(1, notify.BootId);
        Assert.Equal(1337, notify.ConfigId);
        Assert.Equal("uuid:04645c3d-e6b4-4eea-bd35-5c320c12969f::upnp:rootdevice", notify.Usn);
        Assert.Equal(["OPT", "01-NLS"], notify.ExtraHeaders.Select(h => h.Name));
        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Info, "lOCATION");
        AssertViolation(result, SsdpRuleIds.CacheControl, ViolationSeverity.Warning, "120 s");
        Assert.DoesNotContain(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void Read_HomeNetworkCapture_Every64DatagramsUnderstood()
    {
        // captures/public/ssdp-home-network.pcapng (nttcom/zeek-parser-SSDP-COM): 38 NOTIFY, 10 M-SEARCH, 16 200 OK.
        using var capture = CaptureFile.Open(Vectors.CapturePath("ssdp-home-network.pcapng"));
        var results = capture.Records().Select(r => SsdpMessageReader.Read(r.Payload.Span)).ToList();

        Assert.Equal(64, results.Count);
        Assert.All(results, r => Assert.Equal(SsdpReadStatus.Done, r.Status));
        Assert.Equal(38, results.Count(r => r.Message is SsdpNotify { Subtype: SsdpNotifySubtype.Alive }));
        Assert.Equal(10, results.Count(r => r.Message is SsdpSearchRequest));
        var responses = results.Where(r => r.Message is SsdpSearchResponse).ToList();
        Assert.Equal(16, responses.Count);

        // The router (UPnP/1.0, no BOOTID needed) answers with max-age 600 and a SERVER with an OS token but no
        // OS version; the CyberLink renderer's NOTIFY (UPnP/1.0) need no BOOTID either.
        Assert.All(responses, r => Assert.DoesNotContain(r.Violations, v => v.Severity == ViolationSeverity.Error));
        Assert.All(responses, r => AssertViolation(r, SsdpRuleIds.CacheControl, ViolationSeverity.Warning, "600 s"));
        Assert.All(responses, r => AssertViolation(r, SsdpRuleIds.Server, ViolationSeverity.Warning));
        Assert.All(responses, r => Assert.Equal(600, ((SsdpSearchResponse)r.Message!).MaxAge));
        var notifies = results.Where(r => r.Message is SsdpNotify).ToList();
        Assert.All(notifies, r => Assert.DoesNotContain(r.Violations, v => v.RuleId == SsdpRuleIds.BootId));
        Assert.All(notifies, r => Assert.Equal(300, ((SsdpNotify)r.Message!).MaxAge));
        Assert.Contains(notifies, r => ((SsdpNotify)r.Message!).NotificationType == "urn:schemas-upnp-org:device:MediaRenderer:1");
    }

    [Fact]
    public void Read_BareLineFeeds_SameMessageOneError()
    {
        var clean = Assert.IsType<SsdpNotify>(Read(SsdpVectors.UdaAlive).Message);

        var result = Read(SsdpVectors.UdaAlive.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal(clean, result.Message);
        var violation = Assert.Single(result.Violations);
        Assert.Equal((SsdpRuleIds.HttpGrammar, ViolationSeverity.Error), (violation.RuleId, violation.Severity));
        Assert.Contains("bare LF", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonAsciiServer_DecodedAsUtf8AndWarned()
    {
        var result = Read(SsdpVectors.UdaResponse.Replace("Harness/1.0", "Müller/1.0", StringComparison.Ordinal));

        Assert.Equal("Linux/5.10 UPnP/1.1 Müller/1.0", Assert.IsType<SsdpSearchResponse>(result.Message).Server);
        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Warning, "non-ASCII");
    }

    [Fact]
    public void Read_NulInValue_Error()
    {
        var result = Read(SsdpVectors.UdaResponse.Replace("Harness/1.0", "Harn\0ess/1.0", StringComparison.Ordinal));

        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Error, "control characters");
    }

    [Fact]
    public void Read_Oversize_InvalidWithSizeViolation()
    {
        var text = SsdpVectors.UdaResponse.Replace("EXT:\r\n", "X-PAD: " + new string('a', 17_000) + "\r\nEXT:\r\n", StringComparison.Ordinal);

        var result = Read(text);

        Assert.Equal(SsdpReadStatus.Invalid, result.Status);
        Assert.Equal(SsdpRuleIds.TooLarge, Assert.Single(result.Violations).RuleId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("<?xml version=\"1.0\"?><soap:Envelope/>")]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n")]
    [InlineData("HTTP/1.1\r\n\r\n")]
    public void Read_NotSsdp_InvalidWithoutThrowing(string text)
    {
        var result = Read(text);

        Assert.Equal(SsdpReadStatus.Invalid, result.Status);
        Assert.Null(result.Message);
        Assert.Contains(result.Violations, v => v.Severity == ViolationSeverity.Error);
    }

    [Theory]
    [InlineData("M-SEARCH /x HTTP/1.1")]
    [InlineData("M-SEARCH * HTTP/1.0")]
    [InlineData("M-SEARCH * HTTP1.1")]
    [InlineData("m-search * HTTP/1.1")]
    public void Read_SearchWithWrongRequestLine_Msearch001(string requestLine)
    {
        var result = Read(Scene.Search("ssdp:all", requestLine: requestLine));

        var search = Assert.IsType<SsdpSearchRequest>(result.Message);
        AssertViolation(result, SsdpRuleIds.SearchRequestLine, ViolationSeverity.Error);
        Assert.Equal(requestLine == "m-search * HTTP/1.1", search.HasValidRequestLine);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1.5")]
    public void Read_InvalidMx_Msearch003AndNoMx(string mx)
    {
        var result = Read(Scene.Search("ssdp:all", mx: mx));

        Assert.Null(Assert.IsType<SsdpSearchRequest>(result.Message).Mx);
        AssertViolation(result, SsdpRuleIds.SearchMxValue, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_MxAbove5_Msearch004WarningValueKept()
    {
        var result = Read(Scene.Search("ssdp:all", mx: "120"));

        Assert.Equal(120, Assert.IsType<SsdpSearchRequest>(result.Message).Mx);
        AssertViolation(result, SsdpRuleIds.SearchMxRange, ViolationSeverity.Warning);
    }

    [Fact]
    public void Read_MulticastSearchWithoutMx_Msearch002()
    {
        AssertViolation(Read(Scene.Search("ssdp:all", mx: null)), SsdpRuleIds.SearchMxMissing, ViolationSeverity.Error);
    }

    [Fact]
    public void Read_UnicastSearchWithoutMx_NoViolation()
    {
        var result = Read(Scene.Search("ssdp:all", mx: null, host: "192.168.1.20:1900"));

        Assert.Empty(result.Violations);
        Assert.Null(Assert.IsType<SsdpSearchRequest>(result.Message).Mx);
    }

    [Theory]
    [InlineData("ssdp:discover")]
    [InlineData("\"ssdp:Discover\"")]
    [InlineData("")]
    public void Read_WrongMan_Msearch005(string man)
    {
        var result = Read(Scene.Search("ssdp:all", man: man));

        Assert.False(Assert.IsType<SsdpSearchRequest>(result.Message).IsDiscover);
        AssertViolation(result, SsdpRuleIds.SearchMan, ViolationSeverity.Error);
    }

    [Theory]
    [InlineData("max-age=1800", 1800, SsdpCacheControlFlags.None)]
    [InlineData("max-age = 1800", 1800, SsdpCacheControlFlags.SpacesAroundEquals)]
    [InlineData("max-age= 1800", 1800, SsdpCacheControlFlags.SpacesAroundEquals)]
    [InlineData("public, max-age=1800", 1800, SsdpCacheControlFlags.OtherDirectives)]
    [InlineData("no-cache=\"Ext\", max-age = 5000", 5000, SsdpCacheControlFlags.OtherDirectives | SsdpCacheControlFlags.SpacesAroundEquals)]
    [InlineData("max-age=\"1800\"", 1800, SsdpCacheControlFlags.Quoted)]
    [InlineData("MAX-AGE=60", 60, SsdpCacheControlFlags.NameCase)]
    [InlineData("max-age=99999999999999", int.MaxValue, SsdpCacheControlFlags.None)]
    public void TryParseCacheControl_Variants_MaxAgeAndFlags(string value, int maxAge, SsdpCacheControlFlags flags)
    {
        Assert.True(SsdpMessageReader.TryParseCacheControl(Encoding.ASCII.GetBytes(value), out var parsed, out var found));

        Assert.Equal(maxAge, parsed);
        Assert.Equal(flags, found);
    }

    [Theory]
    [InlineData("no-cache", SsdpCacheControlFlags.NoMaxAge | SsdpCacheControlFlags.OtherDirectives)]
    [InlineData("max-age=abc", SsdpCacheControlFlags.InvalidValue)]
    [InlineData("max-age", SsdpCacheControlFlags.InvalidValue)]
    [InlineData("", SsdpCacheControlFlags.NoMaxAge)]
    public void TryParseCacheControl_NoUsableMaxAge_False(string value, SsdpCacheControlFlags flags)
    {
        Assert.False(SsdpMessageReader.TryParseCacheControl(Encoding.ASCII.GetBytes(value), out var parsed, out var found));

        Assert.Null(parsed);
        Assert.Equal(flags, found);
    }

    [Fact]
    public void Read_HundredHeaders_StopsAtLimitStillDone()
    {
        var text = SsdpVectors.UdaResponse.Replace("EXT:\r\n", string.Concat(Enumerable.Range(0, 100).Select(i => $"X-{i}: v\r\n")) + "EXT:\r\n", StringComparison.Ordinal);

        var result = Read(text);

        Assert.Equal(SsdpReadStatus.Done, result.Status);
        AssertViolation(result, SsdpRuleIds.TooLarge, ViolationSeverity.Error, "header lines");
    }

    [Fact]
    public void Read_EmptyLinesBeforeStartLine_SkippedWithWarning()
    {
        var result = Read("\r\n" + SsdpVectors.UdaAlive);

        Assert.IsType<SsdpNotify>(result.Message);
        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Warning, "precede the start line");
    }

    [Fact]
    public void Read_WhitespaceBeforeColon_ErrorButRead()
    {
        var result = Read(SsdpVectors.UdaAlive.Replace("NT: upnp:rootdevice", "NT : upnp:rootdevice", StringComparison.Ordinal));

        Assert.Equal("upnp:rootdevice", Assert.IsType<SsdpNotify>(result.Message).NotificationType);
        AssertViolation(result, SsdpRuleIds.HttpGrammar, ViolationSeverity.Error, "between the header name");
    }

    [Fact]
    public void Read_AliveFromUpnp11WithoutBootId_Resp008()
    {
        var result = Read(SsdpVectors.UdaAlive.Replace("BOOTID.UPNP.ORG: 1740830400\r\n", string.Empty, StringComparison.Ordinal));

        AssertViolation(result, SsdpRuleIds.BootId, ViolationSeverity.Error, "missing");
    }

    [Theory]
    [InlineData("uuid:uuid:4d696e69-444c-164e-9d41-b827eb96c6c2::upnp:rootdevice", "doubles")]
    [InlineData("UUID:4d696e69-444c-164e-9d41-b827eb96c6c2::upnp:rootdevice", "not lower case")]
    [InlineData("4d696e69-444c-164e-9d41-b827eb96c6c2::upnp:rootdevice", "does not start with 'uuid:'")]
    public void Read_UsnPrefixQuirks_Resp007(string usn, string why)
    {
        var result = Read(SsdpVectors.UdaAlive.Replace("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2::upnp:rootdevice", usn, StringComparison.Ordinal));

        AssertViolation(result, SsdpRuleIds.UsnForm, ViolationSeverity.Error, why);
    }

    [Fact]
    public void Read_ResponseWithSsdpAllAsSt_Resp007()
    {
        var result = Read(SsdpVectors.UdaResponse.Replace("ST: urn:schemas-upnp-org:device:MediaServer:1", "ST: ssdp:all", StringComparison.Ordinal));

        AssertViolation(result, SsdpRuleIds.UsnForm, ViolationSeverity.Error, "'ssdp:all'");
    }

    [Fact]
    public void Read_ConfigIdReservedAndSearchPortOutOfRange_Warnings()
    {
        var text = SsdpVectors.UdaResponse
            .Replace("CONFIGID.UPNP.ORG: 1", "CONFIGID.UPNP.ORG: 16777216", StringComparison.Ordinal)
            .Replace("\r\n\r\n", "\r\nSEARCHPORT.UPNP.ORG: 1901\r\n\r\n", StringComparison.Ordinal);

        var result = Read(text);

        var response = Assert.IsType<SsdpSearchResponse>(result.Message);
        Assert.Equal(16_777_216, response.ConfigId);
        Assert.Equal(1901, response.SearchPort);
        AssertViolation(result, SsdpRuleIds.ConfigId, ViolationSeverity.Warning);
        AssertViolation(result, SsdpRuleIds.SearchPort, ViolationSeverity.Warning);
    }

    [Fact]
    public void Read_LeadingZerosInBootId_Ignored()
    {
        var result = Read(SsdpVectors.UdaResponse.Replace("BOOTID.UPNP.ORG: 1740830400", "BOOTID.UPNP.ORG: 0007", StringComparison.Ordinal));

        Assert.Equal(7, Assert.IsType<SsdpSearchResponse>(result.Message).BootId);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void Read_SameMessageTwice_SameRecordAndNoSharedViolationList()
    {
        var first = Read(SsdpVectors.HarmonyMissingEnding);
        var second = Read(SsdpVectors.HarmonyMissingEnding);

        Assert.Equal(first.Message, second.Message);
        Assert.NotSame(first.Violations, second.Violations);
        Assert.Equal(first.Violations, second.Violations);
    }
}
