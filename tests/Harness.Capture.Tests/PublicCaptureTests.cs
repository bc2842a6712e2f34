using System.Net;
using System.Text;
using Harness.Capture.Tests.Support;
using Harness.Core.Recording;

namespace Harness.Capture.Tests;

/// <summary>Real traffic from public repositories (see captures/public/README.md for sources and licences).</summary>
public sealed class PublicCaptureTests
{
    [Fact]
    public void SsdpHomeNetwork_Records_38Notify10MSearch16Ok()
    {
        // Counts from the capture's description (nttcom/zeek-parser-SSDP-COM) and from tshark; see the README.
        var result = CaptureFile.ReadAll(TestFiles.Public("ssdp-home-network.pcapng"));

        Assert.True(result.Diagnostics.IsComplete);
        Assert.Empty(result.Diagnostics.Issues);
        Assert.All(result.Records, r => Assert.Equal((TrafficTransport.Udp, "ssdp"), (r.Transport, r.Protocol)));
        var byStartLine = result.Records.GroupBy(StartLine).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["HTTP/1.1 200 OK", "M-SEARCH * HTTP/1.1", "NOTIFY * HTTP/1.1"], byStartLine.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(38, byStartLine["NOTIFY * HTTP/1.1"].Count);
        Assert.Equal(10, byStartLine["M-SEARCH * HTTP/1.1"].Count);
        Assert.Equal(16, byStartLine["HTTP/1.1 200 OK"].Count);

        var multicast = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 1900);
        Assert.All(byStartLine["NOTIFY * HTTP/1.1"], r => Assert.Equal(multicast, r.Destination));
        Assert.Equal(8, byStartLine["M-SEARCH * HTTP/1.1"].Count(r => r.Destination.Equals(multicast)));
        Assert.Equal(2, byStartLine["M-SEARCH * HTTP/1.1"].Count(r => r.Destination.Address.Equals(IPAddress.Parse("192.168.1.1"))));
        Assert.All(byStartLine["HTTP/1.1 200 OK"], r => Assert.Equal(
            (IPAddress.Parse("192.168.1.1"), 1900, IPAddress.Parse("192.168.1.130")),
            (r.Source.Address, r.Source.Port, r.Destination.Address)));

        // In capture order, numbered from 0, with the capture's own times.
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), result.Records.Select(r => r.Sequence));
        Assert.Equal(new DateTimeOffset(2022, 11, 10, 0, 37, 35, TimeSpan.Zero).AddTicks(9_604_670), result.Records[0].Timestamp);
    }

    [SkippableFact]
    public async Task SsdpHomeNetwork_Records_SameCountsAsTshark()
    {
        var path = TestFiles.Public("ssdp-home-network.pcapng");
        var tshark = await Tools.TsharkAsync("-r", path, "-Y", "ssdp", "-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length");

        var expected = tshark.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var records = CaptureFile.ReadAll(path).Records;

        Assert.Equal(expected, records.Select(r => $"{r.Source.Port}\t{r.Destination.Port}\t{r.Payload.Length + 8}"));
    }

    [Fact]
    public void SsdpMiniupnpd_Records_OneNotifyWithItsOddLocationHeader()
    {
        var result = CaptureFile.ReadAll(TestFiles.Public("ssdp-miniupnpd-notify.pcap"));

        var record = Assert.Single(result.Records);
        Assert.Equal("NOTIFY * HTTP/1.1", StartLine(record));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.1"), 9489), record.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("239.255.255.250"), 1900), record.Destination);
        Assert.Equal("ssdp", record.Protocol);
        var text = Encoding.ASCII.GetString(record.Payload.Span);
        Assert.Contains("\r\nlOCATION:", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void XmppStarttls_TcpReassembly_ClientAndServerStreamsInOrder()
    {
        var result = CaptureFile.ReadAll(TestFiles.Public("xmpp-c2s-starttls.pcap"));
        var client = new IPEndPoint(IPAddress.Parse("198.128.203.95"), 56048);
        var server = new IPEndPoint(IPAddress.Parse("146.255.57.229"), 5222);

        Assert.All(result.Records, r => Assert.Equal((TrafficTransport.Tcp, "xmpp"), (r.Transport, r.Protocol)));
        var fromClient = Stream(result.Records, client, server);
        var fromServer = Stream(result.Records, server, client);

        // RFC 6120 section 5.4.2: stream header, then <starttls/>; the server: header, features with starttls, <proceed/>.
        AssertInOrder(fromClient, "<stream:stream", "to='jabber.ccc.de'", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        AssertInOrder(fromServer, "<?xml version='1.0'?>", "<stream:stream", "<stream:features>", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>", "<c xmlns='http://jabber.org/protocol/caps'", "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");

        // After <starttls/> the client's bytes are TLS: a handshake record (0x16) follows at once.
        var afterStarttls = fromClient.IndexOf("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", StringComparison.Ordinal) + 51;
        Assert.Equal('\u0016', fromClient[afterStarttls]);

        Assert.Equal(0, result.Diagnostics.TcpGaps);
        Assert.Equal(1, result.Diagnostics.TcpFlows);
        Assert.Equal(0, result.Diagnostics.TcpMidStreamStarts);
    }

    [SkippableFact]
    public async Task XmppStarttls_TcpReassembly_SameBytesAsTsharkFollow()
    {
        var path = TestFiles.Public("xmpp-c2s-starttls.pcap");
        var follow = await Tools.TsharkAsync("-r", path, "-q", "-z", "follow,tcp,raw,0");

        // tshark prints the client's chunks flush left and the server's indented by a tab.
        var lines = follow.Split('\n').Where(l => l.Trim().Length > 0 && l.Trim().All(Uri.IsHexDigit)).ToList();
        var expectedClient = Convert.FromHexString(string.Concat(lines.Where(l => !l.StartsWith('\t')).Select(l => l.Trim())));
        var expectedServer = Convert.FromHexString(string.Concat(lines.Where(l => l.StartsWith('\t')).Select(l => l.Trim())));
        var records = CaptureFile.ReadAll(path).Records;

        Assert.Equal(expectedClient, records.Where(r => r.Destination.Port == 5222).SelectMany(r => r.Payload.ToArray()));
        Assert.Equal(expectedServer, records.Where(r => r.Source.Port == 5222).SelectMany(r => r.Payload.ToArray()));
    }

    private static string StartLine(TrafficRecord record)
    {
        var text = Encoding.ASCII.GetString(record.Payload.Span);
        return text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
    }

    private static string Stream(IEnumerable<TrafficRecord> records, IPEndPoint from, IPEndPoint to) =>
        Encoding.Latin1.GetString([.. records.Where(r => r.Source.Equals(from) && r.Destination.Equals(to)).SelectMany(r => r.Payload.ToArray())]);

    private static void AssertInOrder(string text, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' not found after offset {at} in:\n{text[..Math.Min(text.Length, 2000)]}");
            at = found + part.Length;
        }
    }
}
