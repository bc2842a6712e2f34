using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Xmpp.Tests.Core;

/// <summary>The client against a scripted server that misbehaves (the well-behaved servers are in the simulator and interop tests).</summary>
public sealed partial class XmppClientConnectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("<!DOCTYPE x [<!ENTITY a 'b'>]>", "restricted-xml")]
    [InlineData("<?xml-stylesheet href='x'?>", "restricted-xml")]
    [InlineData("<message><body>&bomb;</body></message>", "restricted-xml")]
    [InlineData("<message><body></message>", "not-well-formed")]
    [InlineData("<message>\u00ff\u00fe</message>", "unsupported-encoding")]
    public async Task Receive_HostileServerData_ClientSendsStreamErrorAndCloses(string hostile, string condition)
    {
        await using var server = new ScriptedXmppServer();
        var connecting = ConnectAsync(server.Port);
        await server.NegotiatePlainAsync();
        await using var client = await connecting;
        var bytes = hostile.Contains('\u00ff', StringComparison.Ordinal) ? [.. Encoding.UTF8.GetBytes("<message>"), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("</message>")] : Encoding.UTF8.GetBytes(hostile);

        await server.SendAsync(bytes);
        var sent = await server.ReadToEndAsync();
        await client.Completion.WaitAsync(Wait);

        var error = Assert.IsType<XmppStreamErrorException>(client.CloseReason);
        Assert.Equal(condition, error.Condition);
        Assert.False(error.FromPeer);
        Assert.Contains($"<{condition} xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"", sent, StringComparison.Ordinal);
        Assert.EndsWith("</stream:stream>", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_StanzaOverLimit_PolicyViolation()
    {
        await using var server = new ScriptedXmppServer();
        var connecting = ConnectAsync(server.Port, o => o with { Limits = new Streams.XmppReaderLimits { MaxStanzaBytes = 16 * 1024 } });
        await server.NegotiatePlainAsync();
        await using var client = await connecting;

        await server.SendAsync("<message><body>" + new string('x', 200 * 1024) + "</body></message>");
        var sent = await server.ReadToEndAsync();
        await client.Completion.WaitAsync(Wait);

        Assert.Equal("policy-violation", Assert.IsType<XmppStreamErrorException>(client.CloseReason).Condition);
        Assert.Contains("<policy-violation", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_PeerStreamError_ClosedWithPeerConditionAndPendingIqFails()
    {
        await using var server = new ScriptedXmppServer();
        var connecting = ConnectAsync(server.Port);
        await server.NegotiatePlainAsync();
        await using var client = await connecting;
        var before = server.Received.Length;
        var pending = client.SendIqAsync(new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XElement(XName.Get("ping", "urn:xmpp:ping"))), Timeout.InfiniteTimeSpan, CancellationToken.None);
        await server.WaitForAsync("</iq>", before);

        await server.SendAsync("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bye</text></stream:error></stream:stream>");

        await Assert.ThrowsAsync<XmppStreamClosedException>(() => pending.WaitAsync(Wait));
        await client.Completion.WaitAsync(Wait);
        var error = Assert.IsType<XmppStreamErrorException>(client.CloseReason);
        Assert.Equal(("system-shutdown", "bye", true), (error.Condition, error.Text, error.FromPeer));
    }

    [Fact]
    public async Task Receive_UnknownIqGetAndSet_AnsweredServiceUnavailableWithSameId()
    {
        await using var server = new ScriptedXmppServer();
        var connecting = ConnectAsync(server.Port);
        await server.NegotiatePlainAsync();
        await using var client = await connecting;
        var before = server.Received.Length;

        await server.SendAsync("<iq type='get' id='q1' from='localhost'><query xmlns='jabber:iq:version'/></iq><iq type='set' id='q2' from='x@localhost/y'><foo xmlns='urn:foo'/></iq>");
        var text = await server.WaitForAsync("q2", before);
        text = await server.WaitForAsync("</iq>", text.IndexOf("q2", before, StringComparison.Ordinal));

        var replies = IqElement().Matches(text[before..]).Select(m => XElement.Parse(m.Value.Replace("<iq ", "<iq xmlns='jabber:client' ", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, replies.Count);
        foreach (var (reply, id, to) in replies.OrderBy(r => (string?)r.Attribute("id")).Zip(["q1", "q2"], ["localhost", "x@localhost/y"]))
        {
            Assert.Equal(("error", id, to), ((string?)reply.Attribute("type"), (string?)reply.Attribute("id"), (string?)reply.Attribute("to")));
            var error = reply.Element(XmppNamespaces.Client + "error");
            Assert.Equal("cancel", (string?)error?.Attribute("type"));
            Assert.NotNull(error?.Element(XmppNamespaces.Stanzas + "service-unavailable"));
        }
    }

    [Fact]
    public async Task SendIq_AnswerWithRightIdFromAnotherAddress_IgnoredUntilTheAddresseeAnswers()
    {
        await using var server = new ScriptedXmppServer();
        var connecting = ConnectAsync(server.Port);
        await server.NegotiatePlainAsync();
        await using var client = await connecting;
        var before = server.Received.Length;
        var pending = client.SendIqAsync(
            new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", "bob@localhost/b"), new XElement(XName.Get("ping", "urn:xmpp:ping"))),
            Wait,
            CancellationToken.None);
        var text = await server.WaitForAsync("</iq>", before);
        var id = Regex.Match(text[before..], "id=\"([^\"]+)\"").Groups[1].Value;

        await server.SendAsync($"<iq type='result' id='{id}' from='mallory@localhost/m'/>");
        await server.SendAsync($"<iq type='result' id='{id}'/>");
        await server.SendAsync($"<iq type='result' id='{id}' from='BOB@LOCALHOST/b'><answer xmlns='urn:test'/></iq>");

        var result = await pending.WaitAsync(Wait);
        Assert.NotNull(result.Element(XName.Get("answer", "urn:test")));
    }

    [Fact]
    public async Task Scram_ServerSignatureWrong_NegotiationFails()
    {
        await using var server = new ScriptedXmppServer();
        var connecting = ConnectAsync(server.Port, o => o with { Mechanisms = ["SCRAM-SHA-1"] });
        await server.AcceptAsync();
        await server.WaitForAsync(">");
        await server.SendAsync(ScriptedXmppServer.Header + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>");
        var text = await server.WaitForAsync("</auth>");
        var clientFirst = Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Match(text, "<auth[^>]*>([^<]+)</auth>").Groups[1].Value));
        var nonce = clientFirst.Split(",r=")[1];
        await server.SendAsync($"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{B64($"r={nonce}srv,s=QSXCR+Q6sek8bf92,i=4096")}</challenge>");
        await server.WaitForAsync("</response>");

        // An impostor accepts any proof but cannot sign: the client must not trust it.
        await server.SendAsync($"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{B64("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")}</success>");

        var ex = await Assert.ThrowsAsync<XmppNegotiationException>(() => connecting);
        Assert.Equal("server-signature", ex.Condition);
    }

    [Fact]
    public async Task Connect_ServerAnswersWithWrongNamespace_InvalidNamespace()
    {
        await using var server = new ScriptedXmppServer();
        var connecting = ConnectAsync(server.Port);
        await server.AcceptAsync();
        await server.WaitForAsync(">");

        await server.SendAsync("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' id='x'>");

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => connecting);
        Assert.Equal("invalid-namespace", ex.Condition);
        Assert.Contains("<invalid-namespace", await server.ReadToEndAsync(), StringComparison.Ordinal);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static Task<XmppClientConnection> ConnectAsync(int port, Func<XmppClientOptions, XmppClientOptions>? configure = null)
    {
        var options = new XmppClientOptions
        {
            Domain = "localhost",
            Host = "127.0.0.1",
            Port = port,
            User = "alice",
            Password = "pw",
            AllowPlainWithoutTls = true,
            CloseTimeout = TimeSpan.FromSeconds(2),
        };
        return XmppClientConnection.ConnectAsync(configure is null ? options : configure(options)).WaitAsync(Wait);
    }

    [GeneratedRegex("<iq [^>]*>.*?</iq>", RegexOptions.Singleline)]
    private static partial Regex IqElement();
}
