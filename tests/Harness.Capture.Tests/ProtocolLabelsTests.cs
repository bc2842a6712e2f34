using System.Text;
using Harness.Capture;

namespace Harness.Capture.Tests;

public sealed class ProtocolLabelsTests
{
    [Theory]
    // A WS-Discovery Probe on a private port (a test network); before content sniffing it got no label and an
    // active replay of such a capture found nothing to replay.
    [InlineData("<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><s:Body><d:Probe/></s:Body></s:Envelope>", "wsd")]
    [InlineData("\uFEFF<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body><Probe xmlns=\"http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01\"/></Body></Envelope>", "wsd")]
    [InlineData("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n", "ssdp")]
    [InlineData("NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nnt: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n", "ssdp")]
    [InlineData("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nUSN: uuid:x::upnp:rootdevice\r\n\r\n", "ssdp")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html/>", null)]
    [InlineData("<html><body>not discovery</body></html>", null)]
    [InlineData("", null)]
    public void Sniff_PayloadOnAnUnlistedPort_LabelByContent(string payload, string? expected)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.Equal(expected, ProtocolLabels.LabelDatagram(ProtocolLabels.Default, 40001, 24444, bytes));
    }

    [Fact]
    public void LabelDatagram_WellKnownPort_PortWins()
    {
        Assert.Equal("ssdp", ProtocolLabels.LabelDatagram(ProtocolLabels.Default, 40001, 1900, "garbage"u8));
    }
}
