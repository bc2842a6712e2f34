using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Xml.Linq;
using Harness.Xmpp.Core;
using Harness.Xmpp.Streams;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Xmpp.Tests.Core;

public sealed class XmppStreamReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private const string ServerHeader =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
        + "from='localhost' id='c2s_123' version='1.0' xml:lang='en'>";

    // RFC 6120 §4.3.2-style features, an iq with nested payload namespaces, multi-byte UTF-8 (2, 3 and 4 bytes)
    // and whitespace keepalives between stanzas.
    private const string Body =
        "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features> \n "
        + "<iq type='result' id='i1' from='localhost'><query xmlns='http://jabber.org/protocol/disco#info'>"
        + "<identity category='server' type='im' name='Prosody &amp; co'/><feature var='urn:xmpp:ping'/></query></iq>"
        + "<message to='a@b/c'><body>héllo € 😀 &lt;tag&gt;</body><x:y xmlns:x='urn:x'>t</x:y></message>"
        + "\t";

    [Fact]
    public async Task ReadHeader_ServerStreamHeader_AttributesAndContentNamespace()
    {
        var (reader, _) = Feed(ServerHeader);

        var header = await reader.ReadHeaderAsync(CancellationToken.None);

        Assert.Equal("localhost", header.From);
        Assert.Null(header.To);
        Assert.Equal("c2s_123", header.Id);
        Assert.Equal("1.0", header.Version);
        Assert.Equal("en", header.Language);
        Assert.Equal(XmppNamespaces.Client, header.ContentNamespace);
    }

    [Fact]
    public async Task ReadElement_WholeStream_YieldsEachTopLevelElementThenNullAtStreamEnd()
    {
        var (reader, _) = Feed(ServerHeader + Body + "</stream:stream>");

        var elements = await ReadAllAsync(reader);

        Assert.Equal(3, elements.Count);
        Assert.Equal(XmppNamespaces.Streams + "features", elements[0].Name);
        Assert.Equal(XmppNamespaces.Client + "iq", elements[1].Name);
        var identity = elements[1].Descendants(XName.Get("identity", "http://jabber.org/protocol/disco#info")).Single();
        Assert.Equal("Prosody & co", (string?)identity.Attribute("name"));
        Assert.Equal("héllo € 😀 <tag>", elements[2].Element(XmppNamespaces.Client + "body")?.Value);
        Assert.Equal("t", elements[2].Element(XName.Get("y", "urn:x"))?.Value);
    }

    [Fact]
    public async Task ReadElement_OneByteChunks_SameElementsAsWhole()
    {
        var whole = await ReadAllAsync(Feed(ServerHeader + Body + "</stream:stream>").Reader);
        var pipe = new Pipe();
        var reader = new XmppStreamReader(pipe.Reader);
        var bytes = Encoding.UTF8.GetBytes(ServerHeader + Body + "</stream:stream>");
        var feeding = Task.Run(async () =>
        {
            foreach (var b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }

            await pipe.Writer.CompleteAsync();
        });

        var chunked = await ReadAllAsync(reader).WaitAsync(Wait);
        await feeding.WaitAsync(Wait);

        Assert.Equal(whole.Select(e => e.ToString()), chunked.Select(e => e.ToString()));
        Assert.Equal(bytes.Length, reader.BytesRead);
    }

    [Fact]
    public async Task ReadElement_InputEndsWithoutStreamEnd_StreamClosedNotStreamError()
    {
        var (reader, _) = Feed(ServerHeader + "<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/>", complete: true);

        var ex = await Assert.ThrowsAsync<XmppStreamClosedException>(() => ReadAllAsync(reader));

        Assert.IsNotType<XmppStreamErrorException>(ex);
    }

    [Theory]
    [InlineData("<!DOCTYPE stream:stream>" + ServerHeader, "restricted-xml")]
    [InlineData("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>&lol2;", "restricted-xml")]
    [InlineData(ServerHeader + "<?php echo 1; ?>", "restricted-xml")]
    [InlineData(ServerHeader + "<!-- a comment -->", "restricted-xml")]
    [InlineData(ServerHeader + "<message><body>&xxe;</body></message>", "restricted-xml")]
    [InlineData(ServerHeader + "<message><body></message>", "not-well-formed")]
    [InlineData(ServerHeader + "<message a='1' a='2'/>", "not-well-formed")]
    [InlineData(ServerHeader + "<message><body>\u0001</body></message>", "not-well-formed")]
    [InlineData(ServerHeader + "stray text", "bad-format")]
    [InlineData("<?xml version='1.0' encoding='UTF-16'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>", "unsupported-encoding")]
    [InlineData("<stream:stream xmlns:stream='urn:wrong'>", "invalid-namespace")]
    [InlineData("<html>", "bad-format")]
    public async Task ReadElement_RestrictedOrBadXml_StreamErrorCondition(string input, string condition)
    {
        var (reader, _) = Feed(input);

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => ReadAllAsync(reader).WaitAsync(Wait));

        Assert.Equal(condition, ex.Condition);
        Assert.False(ex.FromPeer);
    }

    [Fact]
    public async Task ReadElement_InvalidUtf8_UnsupportedEncoding()
    {
        var pipe = new Pipe();
        var reader = new XmppStreamReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(ServerHeader + "<message><body>"));
        await pipe.Writer.WriteAsync(new byte[] { 0xC3, 0x28, 0xFF, 0xFE });
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("</body></message>"));

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => ReadAllAsync(reader).WaitAsync(Wait));

        Assert.Equal("unsupported-encoding", ex.Condition);
    }

    [Fact]
    public async Task ReadElement_TenMegabyteStanza_PolicyViolationAfterAboutTheLimit()
    {
        const int limit = 64 * 1024;
        var pipe = new Pipe();
        var reader = new XmppStreamReader(pipe.Reader, new XmppReaderLimits { MaxStanzaBytes = limit });
        var feeding = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(ServerHeader + "<message><body>"));
            var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            for (var sent = 0; sent < 10 * 1024 * 1024; sent += chunk.Length)
            {
                var flush = await pipe.Writer.WriteAsync(chunk);
                if (flush.IsCompleted)
                {
                    return;
                }
            }
        });

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => ReadAllAsync(reader).WaitAsync(Wait));
        await pipe.Reader.CompleteAsync();
        await feeding.WaitAsync(Wait);

        Assert.Equal("policy-violation", ex.Condition);
        // The bound is the limit plus the parser's read-ahead (which grows with its buffer, tens of KiB at most).
        Assert.InRange(reader.BytesRead, limit, limit + 48 * 1024);
    }

    [Fact]
    public async Task ReadElement_StanzaJustUnderTheLimitAfterLargeOnes_Accepted()
    {
        const int limit = 64 * 1024;
        var text = new string('b', 40 * 1024);
        var stanza = $"<message><body>{text}</body></message>";
        var (reader, _) = Feed(ServerHeader + stanza + stanza + stanza + "</stream:stream>", limits: new XmppReaderLimits { MaxStanzaBytes = limit });

        var elements = await ReadAllAsync(reader);

        Assert.Equal(3, elements.Count);
        Assert.All(elements, e => Assert.Equal(text, e.Value));
    }

    [Fact]
    public async Task ReadElement_TenThousandNestedElements_PolicyViolation()
    {
        var nested = string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000));
        var (reader, _) = Feed(ServerHeader + "<message>" + nested + "</message>");

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => ReadAllAsync(reader).WaitAsync(Wait));

        Assert.Equal("policy-violation", ex.Condition);
        Assert.Contains("64", ex.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadElement_NestingAtTheLimit_Accepted()
    {
        var limits = new XmppReaderLimits { MaxDepth = 8 };
        var nested = string.Concat(Enumerable.Repeat("<a>", 7)) + string.Concat(Enumerable.Repeat("</a>", 7));
        var (reader, _) = Feed(ServerHeader + "<message>" + nested + "</message></stream:stream>", limits: limits);

        var elements = await ReadAllAsync(reader);

        Assert.Equal(8, elements.Single().DescendantsAndSelf().Count());
    }

    [Fact]
    public async Task ReadElement_TooManyAttributes_PolicyViolation()
    {
        var attributes = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"a{i}='x'"));
        var (reader, _) = Feed(ServerHeader + $"<message {attributes}/>");

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => ReadAllAsync(reader).WaitAsync(Wait));

        Assert.Equal("policy-violation", ex.Condition);
    }

    [Fact]
    public async Task ReadElement_EndlessWhitespaceOrUnclosedTag_BoundedBySize()
    {
        const int limit = 16 * 1024;
        foreach (var prefix in new[] { "<message to='", "  ", "<message><body>" })
        {
            var pipe = new Pipe();
            var reader = new XmppStreamReader(pipe.Reader, new XmppReaderLimits { MaxStanzaBytes = limit });
            var feeding = Task.Run(async () =>
            {
                await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(ServerHeader + prefix));
                var chunk = Encoding.ASCII.GetBytes(new string(' ', 4096));
                while (!(await pipe.Writer.WriteAsync(chunk)).IsCompleted)
                {
                }
            });

            var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => ReadAllAsync(reader).WaitAsync(Wait));
            await pipe.Reader.CompleteAsync();
            await feeding.WaitAsync(Wait);

            Assert.Equal("policy-violation", ex.Condition);
        }
    }

    [Fact]
    public async Task ReadElement_UnclosedTagThenSilence_ConnectionTimeoutOnFakeClock()
    {
        var clock = new FakeTimeProvider();
        var pipe = new Pipe();
        var reader = new XmppStreamReader(pipe.Reader, new XmppReaderLimits { IdleTimeout = TimeSpan.FromSeconds(30) }, clock);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(ServerHeader + "<message><body>never closed"));
        await reader.ReadHeaderAsync(CancellationToken.None);

        var reading = reader.ReadElementAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(reading.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<XmppStreamErrorException>(() => reading.WaitAsync(Wait));
        Assert.Equal("connection-timeout", ex.Condition);
    }

    [Fact]
    public async Task ReadElement_Cancelled_OperationCanceled()
    {
        var pipe = new Pipe();
        var reader = new XmppStreamReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(ServerHeader));
        using var cts = new CancellationTokenSource();

        var reading = reader.ReadElementAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Wait));
    }

    [Fact]
    public async Task Restart_AfterSaslSuccess_ReadsTheNewStreamHeaderOnTheSameInput()
    {
        var pipe = new Pipe();
        var reader = new XmppStreamReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(ServerHeader + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"));
        await reader.ReadHeaderAsync(CancellationToken.None);
        var success = await reader.ReadElementAsync(CancellationToken.None);
        Assert.Equal("success", success?.Name.LocalName);

        reader.Restart();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(ServerHeader.Replace("c2s_123", "second", StringComparison.Ordinal) + "<stream:features/>"));
        var header = await reader.ReadHeaderAsync(CancellationToken.None).AsTask().WaitAsync(Wait);
        var features = await reader.ReadElementAsync(CancellationToken.None).AsTask().WaitAsync(Wait);

        Assert.Equal("second", header.Id);
        Assert.Equal(XmppNamespaces.Streams + "features", features?.Name);
    }

    private static (XmppStreamReader Reader, Pipe Pipe) Feed(string text, bool complete = false, XmppReaderLimits? limits = null)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        pipe.Writer.Write(Encoding.UTF8.GetBytes(text));
        _ = pipe.Writer.FlushAsync();
        if (complete)
        {
            pipe.Writer.Complete();
        }

        return (new XmppStreamReader(pipe.Reader, limits), pipe);
    }

    private static async Task<List<XElement>> ReadAllAsync(XmppStreamReader reader)
    {
        var elements = new List<XElement>();
        while (await reader.ReadElementAsync(CancellationToken.None) is { } element)
        {
            elements.Add(element);
        }

        return elements;
    }
}
