using System.Net;
using System.Text;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Xmpp;
using Harness.Core.Recording;

namespace Harness.Conformance.Tests.Xmpp;

/// <summary>The XMPP suite's reading of hand-made stream records (as a live judge or a capture gives them) and rules over them.</summary>
public sealed class XmppStanzaRecordsTests
{
    private static readonly IPEndPoint Judge = new(IPAddress.Loopback, 40001);
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 5222);
    private static readonly IPEndPoint Entity = new(IPAddress.Loopback, 40002);
    private const string Header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>";
    private const string EntityJid = "bob@localhost/pc";

    [Fact]
    public async Task Rules_StanzaSplitAcrossChunks_JudgedAsOneAnswer()
    {
        var result = await JudgeAsync(
            Out("<iq type='get' id='q1' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            In(Header + "<iq type='result' id='q1' from='bob@localhost/pc' to='judge@localhost/j'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc' name='Bob'/>"),
            In("<feature var='http://jabber.org/protocol/disco#info'/></query></iq>"));

        Assert.Equal(Verdict.Pass, VerdictOf(result, "XMPP-DISCO-001"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "XMPP-DISCO-002"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "XMPP-DISCO-003"));
        Assert.Equal("Bob", Assert.Single(result.Devices).DisplayName);
    }

    [Fact]
    public async Task Disco001_RequestWithoutAnswer_Fails()
    {
        var result = await JudgeAsync(
            Out("<iq type='get' id='q1' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            In(Header + "<iq type='result' id='q1' from='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/></query></iq>"),
            Out("<iq type='get' id='q2' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info' node='x'/></iq>"));

        Assert.Equal(Verdict.Fail, VerdictOf(result, "XMPP-DISCO-001"));
        Assert.Contains(result.Findings, f => f.RuleId == "XMPP-DISCO-001" && f.Verdict == Verdict.Fail && f.Message.Contains("node='x'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disco009_AbsentNodeItemNotFoundModify_WarnsLikeAioxmpp()
    {
        var result = await JudgeAsync(
            Out("<iq type='get' id='q1' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            In(Header + "<iq type='result' id='q1' from='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/><feature var='http://jabber.org/protocol/disco#info'/></query></iq>"),
            Out("<iq type='get' id='q2' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info' node='urn:xmpp:harness:absent-node:1'/></iq>"),
            In("<iq type='error' id='q2' from='bob@localhost/pc'><error type='modify'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"));

        Assert.Equal(Verdict.Warn, VerdictOf(result, "XMPP-DISCO-009"));
    }

    [Fact]
    public async Task Caps_PresenceWithSpecExampleVer_VerifiesAgainstTheInfo()
    {
        // XEP-0115 §5.2 simple example: client/pc 'Exodus 0.9.1', four features, ver QgayPKawpkPSDYmwT/WM94uAlu0=.
        const string info = "<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc' name='Exodus 0.9.1'/>"
            + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/></query>";
        var result = await JudgeAsync(
            In(Header + "<presence from='bob@localhost/pc'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://code.google.com/p/exodus' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>"),
            Out("<iq type='get' id='q1' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            In("<iq type='result' id='q1' from='bob@localhost/pc'>" + info + "</iq>"));

        Assert.Equal(Verdict.Pass, VerdictOf(result, "XMPP-CAPS-015"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "XMPP-CAPS-016"));
        Assert.Equal(Verdict.Pass, VerdictOf(result, "XMPP-CAPS-020"));
    }

    [Fact]
    public async Task Caps_VerWithoutTheCapsFeature_FailsCaps016()
    {
        // The §5.2 prose lists three features; hashing without the caps feature gives SrFo9ar2CCk2EnOH4q4QANeuxLQ= (checklist XMPP-CAPS-002).
        const string info = "<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc' name='Exodus 0.9.1'/>"
            + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/></query>";
        var result = await JudgeAsync(
            In(Header + "<presence from='bob@localhost/pc'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='SrFo9ar2CCk2EnOH4q4QANeuxLQ='/></presence>"),
            Out("<iq type='get' id='q1' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            In("<iq type='result' id='q1' from='bob@localhost/pc'>" + info + "</iq>"));

        Assert.Equal(Verdict.Fail, VerdictOf(result, "XMPP-CAPS-016"));
        Assert.Equal(Verdict.NotApplicable, VerdictOf(result, "XMPP-CAPS-015"));
    }

    [Fact]
    public void FindDevices_SameAnswerOnTheResponderAndTheRequesterConnection_OneDeviceOneExchange()
    {
        // A capture sees the entity's answer twice: on its own stream (no from) and relayed to the judge (with from).
        var records = Records(
            Out("<iq type='get' id='q1' to='bob@localhost/pc'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            Rec(Server, Entity, Header + "<iq type='get' id='q1' to='bob@localhost/pc' from='judge@localhost/j'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            Rec(Entity, Server, "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'><iq type='result' id='q1' to='judge@localhost/j'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/></query></iq>"),
            In(Header + "<iq type='result' id='q1' from='bob@localhost/pc' to='judge@localhost/j'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/></query></iq>"));

        var device = Assert.Single(XmppSuite.FindDevices(records));

        Assert.Equal(EntityJid, device.Id);
        var session = new ObservedSession(records, [device], "capture");
        Assert.Single(XmppView.Of(session).ExchangesTo(EntityJid));
    }

    [Fact]
    public void FindDevices_AccountAnsweredByTheServer_JudgedAsTheServer()
    {
        var records = Records(
            Out("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>"),
            Out("<iq type='get' id='q1' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            Out("<iq type='get' id='q2' to='judge@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
            In(Header + "<iq type='result' id='q1' from='localhost'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='server' type='im'/></query></iq>"),
            In("<iq type='result' id='q2' from='judge@localhost'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='account' type='registered'/></query></iq>"));

        var device = Assert.Single(XmppSuite.FindDevices(records));

        Assert.Equal("localhost", device.Id);
        Assert.True(device.HasRole(XmppRoles.Server));
    }

    [Theory]
    [InlineData("<iq type='get' id='a' to='x@y/z'><query xmlns='http://jabber.org/protocol/disco#info' node='n1'/></iq>", "iq get disco#info node=n1 to x@y/z")]
    [InlineData("<presence from='x@y/z'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='abc='/></presence>", "presence caps ver=abc= from x@y/z")]
    [InlineData("<iq type='error' id='a' from='x@y/z'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", "iq error item-not-found type=cancel from x@y/z")]
    public void Summarize_Stanza_NamesIt(string stanza, string expected)
    {
        Assert.Equal(expected, XmppSuite.Summarize(In(stanza)));
    }

    [Fact]
    public void Summarize_OtherProtocol_Null()
    {
        var record = new TrafficRecord(0, DateTimeOffset.UnixEpoch, TrafficDirection.Inbound, TrafficTransport.Udp, Server, Judge, Encoding.UTF8.GetBytes("M-SEARCH * HTTP/1.1\r\n\r\n"), "ssdp");

        Assert.Null(XmppSuite.Summarize(record));
    }

    [Fact]
    public void FindDevices_HostileStream_NoCrashNoDevice()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 5000));
        var records = Records(
            In(Header + "<!DOCTYPE x [<!ENTITY e 'boom'>]><iq type='result' id='q' from='a@b/c'>&e;</iq>" + deep),
            In("<presence from='a@b/c'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/>"));

        Assert.Empty(XmppSuite.FindDevices(records));
    }

    private static async Task<RunResult> JudgeAsync(params TrafficRecord[] records)
    {
        var list = Records(records);
        var session = new ObservedSession(list, XmppSuite.FindDevices(list), "hand-made");
        return await new Runner(XmppSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session);
    }

    private static Verdict VerdictOf(RunResult result, string ruleId) =>
        result.Outcomes.FirstOrDefault(o => o.Rule.Id == ruleId && o.Device.Id == EntityJid)?.Verdict ?? Verdict.NotApplicable;

    private static List<TrafficRecord> Records(params TrafficRecord[] records) =>
        [.. records.Select((r, i) => r with { Sequence = i })];

    private static TrafficRecord Out(string text) => Rec(Judge, Server, text, TrafficDirection.Outbound);

    private static TrafficRecord In(string text) => Rec(Server, Judge, text);

    private static TrafficRecord Rec(IPEndPoint from, IPEndPoint to, string text, TrafficDirection direction = TrafficDirection.Inbound) =>
        new(0, DateTimeOffset.UnixEpoch, direction, TrafficTransport.Tcp, from, to, Encoding.UTF8.GetBytes(text), Protocols.Xmpp);
}
