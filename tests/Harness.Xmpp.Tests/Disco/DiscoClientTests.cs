using System.Xml.Linq;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Harness.Xmpp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Xmpp.Tests.Disco;

public class DiscoClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryChannelPair _pair;
    private readonly Jid _bob;
    private int _infoCalls;
    private int _itemsCalls;
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private XmppStanzaException? _fail;

    public DiscoClientTests()
    {
        _pair = InMemoryChannelPair.Create(_time);
        _bob = _pair.B.LocalJid;
        _gate.SetResult();
        _pair.B.RegisterIqHandler("get", DiscoCodec.InfoQueryName, async (iq, _) =>
        {
            Interlocked.Increment(ref _infoCalls);
            await _gate.Task;
            if (_fail is not null)
            {
                throw _fail;
            }

            var node = (string?)iq.Element(DiscoCodec.InfoQueryName)!.Attribute("node");
            return DiscoCodec.WriteInfo(new DiscoInfo([new Identity("client", "pc", "call " + _infoCalls)], [Node.DiscoInfoFeature], [], node));
        });
        _pair.B.RegisterIqHandler("get", DiscoCodec.ItemsQueryName, (iq, _) =>
        {
            Interlocked.Increment(ref _itemsCalls);
            if ((string?)iq.Element(DiscoCodec.ItemsQueryName)!.Attribute("node") == "bad")
            {
                throw new XmppStanzaException("cancel", "item-not-found");
            }

            return ValueTask.FromResult<XElement?>(DiscoCodec.WriteItems(new DiscoItems([new DiscoItem(Jid.Parse("x@localhost"))])));
        });
    }

    private DiscoClient NewClient(DiscoClientOptions? options = null) => new(_pair.A, _time, options);

    private void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task QueryInfo_TwoConcurrentSameKey_OneIqBothGetTheResult_Cache001()
    {
        using var client = NewClient();
        CloseGate();

        var first = client.QueryInfoAsync(_bob);
        var second = client.QueryInfoAsync(_bob);
        Assert.Equal(1, _infoCalls);
        _gate.SetResult();

        Assert.Same(await first.WaitAsync(Wait), await second.WaitAsync(Wait));
        Assert.Single(_pair.A.SentIqs(DiscoCodec.InfoQueryName));
    }

    [Fact]
    public async Task QueryInfo_AfterSuccess_NoIq_RequireFreshSendsOneThatBecomesTheEntry_Cache002()
    {
        using var client = NewClient();

        var first = await client.QueryInfoAsync(_bob).WaitAsync(Wait);
        var cached = await client.QueryInfoAsync(_bob).WaitAsync(Wait);
        var fresh = await client.QueryInfoAsync(_bob, null, new DiscoQueryOptions(RequireFresh: true)).WaitAsync(Wait);
        var later = await client.QueryInfoAsync(_bob).WaitAsync(Wait);

        Assert.Same(first, cached);
        Assert.Equal("call 2", fresh.Identities[0].Name);
        Assert.Same(fresh, later);
        Assert.Equal(2, _infoCalls);
    }

    [Fact]
    public async Task QueryInfo_DifferentNodes_AreDifferentEntries()
    {
        using var client = NewClient();

        var root = await client.QueryInfoAsync(_bob).WaitAsync(Wait);
        var node = await client.QueryInfoAsync(_bob, "n").WaitAsync(Wait);

        Assert.Null(root.Node);
        Assert.Equal("n", node.Node);
        Assert.Equal(2, _infoCalls);
    }

    [Fact]
    public async Task QueryInfo_ErrorReply_EveryAliasedCallerGetsIt_NotCached_Cache003()
    {
        using var client = NewClient();
        CloseGate();
        _fail = new XmppStanzaException("cancel", "feature-not-implemented");

        var first = client.QueryInfoAsync(_bob);
        var second = client.QueryInfoAsync(_bob);
        _gate.SetResult();

        var e1 = await Assert.ThrowsAsync<XmppStanzaException>(() => first.WaitAsync(Wait));
        var e2 = await Assert.ThrowsAsync<XmppStanzaException>(() => second.WaitAsync(Wait));
        Assert.Equal("feature-not-implemented", e1.Condition);
        Assert.Same(e1, e2);
        Assert.Equal(0, client.InfoCacheCount);

        _fail = null;
        await client.QueryInfoAsync(_bob).WaitAsync(Wait);
        Assert.Equal(2, _infoCalls);
    }

    [Fact]
    public async Task QueryInfo_OneCallerTimesOut_SharedRequestGoesOnForTheOther()
    {
        using var client = NewClient();
        CloseGate();

        var impatient = client.QueryInfoAsync(_bob, null, new DiscoQueryOptions(Timeout: TimeSpan.FromSeconds(5)));
        var patient = client.QueryInfoAsync(_bob);
        _time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TimeoutException>(() => impatient.WaitAsync(Wait));
        Assert.False(patient.IsCompleted);
        _gate.SetResult();
        var info = await patient.WaitAsync(Wait);
        Assert.Equal("call 1", info.Identities[0].Name);
        Assert.Same(info, await client.QueryInfoAsync(_bob).WaitAsync(Wait));
        Assert.Equal(1, _infoCalls);
    }

    [Fact]
    public async Task QueryInfo_OneCallerCancels_SharedRequestGoesOnForTheOther()
    {
        using var client = NewClient();
        CloseGate();
        using var cancel = new CancellationTokenSource();

        var leaving = client.QueryInfoAsync(_bob, null, null, cancel.Token);
        var staying = client.QueryInfoAsync(_bob);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Wait));
        _gate.SetResult();
        Assert.Equal("call 1", (await staying.WaitAsync(Wait)).Identities[0].Name);
        Assert.Equal(1, _infoCalls);
    }

    [Fact]
    public async Task QueryInfo_NoAnswerWithinRequestTimeout_TimeoutForAll_NotCached()
    {
        using var client = NewClient(new DiscoClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        CloseGate();

        var query = client.QueryInfoAsync(_bob);
        _time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<TimeoutException>(() => query.WaitAsync(Wait));
        Assert.Equal(0, client.InfoCacheCount);
    }

    [Fact]
    public async Task QueryInfo_NoCache_UsesAnEntryButDoesNotBecomeOne_Cache004()
    {
        using var client = NewClient();

        var uncached = await client.QueryInfoAsync(_bob, "a", new DiscoQueryOptions(NoCache: true)).WaitAsync(Wait);
        Assert.Equal(0, client.InfoCacheCount);
        var cached = await client.QueryInfoAsync(_bob, "a").WaitAsync(Wait);
        var reused = await client.QueryInfoAsync(_bob, "a", new DiscoQueryOptions(NoCache: true)).WaitAsync(Wait);

        Assert.NotSame(uncached, cached);
        Assert.Same(cached, reused);
        Assert.Equal(2, _infoCalls);
    }

    [Fact]
    public async Task Flush_EmptiesTheCache_PendingRequestsGoOn_Cache005()
    {
        using var client = NewClient();
        await client.QueryInfoAsync(_bob, "done").WaitAsync(Wait);
        CloseGate();
        var pending = client.QueryInfoAsync(_bob, "pending");

        client.Flush();
        Assert.Equal(0, client.InfoCacheCount);
        _gate.SetResult();

        Assert.Equal("pending", (await pending.WaitAsync(Wait)).Node);
        await client.QueryInfoAsync(_bob, "done").WaitAsync(Wait);
        Assert.Equal(3, _infoCalls);
    }

    [Fact]
    public async Task ChannelClosed_PendingFailWithStreamClosed_CacheEmpty_Cache005()
    {
        using var client = NewClient();
        await client.QueryInfoAsync(_bob, "done").WaitAsync(Wait);
        CloseGate();
        var pending = client.QueryInfoAsync(_bob, "pending");

        _pair.Close();

        await Assert.ThrowsAsync<XmppStreamClosedException>(() => pending.WaitAsync(Wait));
        Assert.Equal(0, client.InfoCacheCount);
    }

    [Fact]
    public async Task InfoCache_IsLruBounded_Cache006()
    {
        using var client = NewClient(new DiscoClientOptions { InfoCacheSize = 2 });

        await client.QueryInfoAsync(_bob, "1").WaitAsync(Wait);
        await client.QueryInfoAsync(_bob, "2").WaitAsync(Wait);
        await client.QueryInfoAsync(_bob, "1").WaitAsync(Wait); // 1 is now the most recent
        await client.QueryInfoAsync(_bob, "3").WaitAsync(Wait); // evicts 2
        Assert.Equal(3, _infoCalls);
        Assert.Equal(2, client.InfoCacheCount);

        await client.QueryInfoAsync(_bob, "1").WaitAsync(Wait);
        Assert.Equal(3, _infoCalls);
        await client.QueryInfoAsync(_bob, "2").WaitAsync(Wait);
        Assert.Equal(4, _infoCalls);
    }

    [Fact]
    public void Options_Defaults_AreAioxmpps()
    {
        var options = new DiscoClientOptions();

        Assert.Equal(10_000, options.InfoCacheSize);
        Assert.Equal(100, options.ItemsCacheSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscoClient(_pair.A, _time, new DiscoClientOptions { InfoCacheSize = 0 }));
    }

    [Fact]
    public async Task PrimeInfo_AnswersWithoutIq()
    {
        using var client = NewClient();
        var info = new DiscoInfo([new Identity("client", "phone")], [Node.DiscoInfoFeature], []);

        client.PrimeInfo(_bob, null, info);

        Assert.Same(info, await client.QueryInfoAsync(_bob).WaitAsync(Wait));
        Assert.True(client.TryGetCachedInfo(_bob, null, out var cached));
        Assert.Same(info, cached);
        Assert.Equal(0, _infoCalls);
    }

    [Fact]
    public async Task PrimeInfo_PendingThatFails_IsDropped_NextQuerySendsIq()
    {
        using var client = NewClient();
        var pending = new TaskCompletionSource<DiscoInfo>();
        client.PrimeInfo(_bob, null, pending.Task);

        var waiting = client.QueryInfoAsync(_bob);
        pending.SetException(new XmppStanzaException("cancel", "undefined-condition"));

        await Assert.ThrowsAsync<XmppStanzaException>(() => waiting.WaitAsync(Wait));
        Assert.Equal(0, client.InfoCacheCount);
        await client.QueryInfoAsync(_bob).WaitAsync(Wait);
        Assert.Equal(1, _infoCalls);
    }

    [Fact]
    public async Task QueryItems_IsCachedAndAliased()
    {
        using var client = NewClient();

        var items = await client.QueryItemsAsync(_bob).WaitAsync(Wait);
        var again = await client.QueryItemsAsync(_bob).WaitAsync(Wait);

        Assert.Same(items, again);
        Assert.Equal(Jid.Parse("x@localhost"), Assert.Single(items.Items).Jid);
        Assert.Equal(1, _itemsCalls);
        Assert.Equal(1, client.ItemsCacheCount);
    }

    [Fact]
    public async Task QueryItems_Error_NotCached()
    {
        using var client = NewClient();

        var error = await Assert.ThrowsAsync<XmppStanzaException>(() => client.QueryItemsAsync(_bob, "bad").WaitAsync(Wait));
        await Assert.ThrowsAsync<XmppStanzaException>(() => client.QueryItemsAsync(_bob, "bad").WaitAsync(Wait));

        Assert.Equal("item-not-found", error.Condition);
        Assert.Equal(2, _itemsCalls);
        Assert.Equal(0, client.ItemsCacheCount);
    }

    [Fact]
    public async Task InfoReceived_CarriesViolations()
    {
        using var client = NewClient();
        DiscoInfoReceivedEventArgs? seen = null;
        client.InfoReceived += (_, e) => seen = e;

        await client.QueryInfoAsync(_bob).WaitAsync(Wait);

        Assert.NotNull(seen);
        Assert.Equal(_bob, seen.Jid);
        Assert.Empty(seen.Violations);
    }
}
