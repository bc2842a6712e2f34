using System.Xml.Linq;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Harness.Xmpp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Xmpp.Tests.Caps;

/// <summary>The peer (B) answers disco#info by a scripted handler behind a gate; our side (A) runs the caps service.</summary>
public sealed class CapsCacheTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryChannelPair _pair;
    private readonly DiscoClient _client;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DiscoInfo _peerInfo = Vectors.Load("xep0115-complex.xml").WithNode(null);
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _calls;

    public CapsCacheTests()
    {
        _pair = InMemoryChannelPair.Create(_time);
        _client = new DiscoClient(_pair.A, _time);
        _pair.B.RegisterIqHandler("get", DiscoCodec.InfoQueryName, async (iq, _) =>
        {
            Interlocked.Increment(ref _calls);
            _arrivals.Release();
            await _gate.Task;
            return DiscoCodec.WriteInfo(_peerInfo.WithNode((string?)iq.Element(DiscoCodec.InfoQueryName)!.Attribute("node")));
        });
    }

    public void Dispose()
    {
        _client.Dispose();
        _arrivals.Dispose();
    }

    private static XElement CapsPresence(string from, string ver, string node = "http://psi-im.org") =>
        new(InMemoryChannel.Client + "presence", new XAttribute("from", from), CapsElement.Build115(node, ver));

    private EntityCapsService NewService(CapsCache cache) =>
        new(_pair.A, new DiscoServer(_pair.A), _client, cache, new EntityCapsOptions { RepublishOnChange = false });

    [Fact]
    public async Task TwoJidsSameUnknownCaps_OneVerificationQuery_BothAnswered_Cache008()
    {
        var cache = new CapsCache(_client, _time);
        using var service = NewService(cache);
        var bob = Jid.Parse("bob@localhost/a");
        var carol = Jid.Parse("carol@localhost/b");

        _pair.A.InjectPresence(CapsPresence(bob.ToString(), "q07IKJEyjvHSyhy//CH0CxmKi8w="));
        _pair.A.InjectPresence(CapsPresence(carol.ToString(), "q07IKJEyjvHSyhy//CH0CxmKi8w=", "http://other.example"));
        var bobInfo = _client.QueryInfoAsync(bob);
        var carolInfo = _client.QueryInfoAsync(carol);
        await WaitForCalls(1);
        _gate.SetResult();

        Assert.Equal(_peerInfo.Features, (await bobInfo.WaitAsync(Wait)).Features);
        Assert.Equal(_peerInfo.Features, (await carolInfo.WaitAsync(Wait)).Features);
        Assert.Equal(1, _calls);
        Assert.Equal(1, cache.Statistics.Aliased);
        Assert.True(cache.TryGet(CapsKey.For115("sha-1", "q07IKJEyjvHSyhy//CH0CxmKi8w="), out _));
    }

    [Fact]
    public async Task Flood_100000RandomCaps_BoundedQueriesPendingAndCache()
    {
        var options = new CapsCacheOptions { MaxPendingVerifications = 16, VerificationBurst = 20, VerificationsPerSecond = 10 };
        var cache = new CapsCache(_client, _time, options);
        using var service = NewService(cache);
        var random = new Random(100_000);
        var digest = new byte[20];

        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(digest);
            _pair.A.InjectPresence(CapsPresence($"u{i}@localhost/r", Convert.ToBase64String(digest)));
            if (i == 50_000)
            {
                _time.Advance(TimeSpan.FromSeconds(20)); // tokens refill (below the verification timeout); the in-flight bound still holds
            }
        }

        await WaitForCalls(16);
        var statistics = cache.Statistics;
        Assert.Equal(16, cache.PendingCount);
        Assert.Equal(0, cache.Count);
        Assert.Equal(100_000 - 16, statistics.DroppedByPendingLimit + statistics.DroppedByRate);
        Assert.True(_client.InfoCacheCount <= 16, $"{_client.InfoCacheCount} primed entries");
        Assert.Equal(16, _calls);
        Assert.Equal(16, _pair.A.SentIqs(DiscoCodec.InfoQueryName).Count);
    }

    [Fact]
    public async Task RateLimit_BurstThenRefillByTime()
    {
        var cache = new CapsCache(_client, _time, new CapsCacheOptions { MaxPendingVerifications = 100, VerificationBurst = 3, VerificationsPerSecond = 1 });

        var started = Enumerable.Range(0, 5).Select(i => cache.BeginVerification(Jid.Parse($"u{i}@localhost"), CapsKey.For115("sha-1", $"v{i}"), $"n#v{i}")).ToList();
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterOneSecond = cache.BeginVerification(Jid.Parse("late@localhost"), CapsKey.For115("sha-1", "late"), "n#late");

        Assert.Equal(3, started.Count(t => t is not null));
        Assert.NotNull(afterOneSecond);
        Assert.Equal(2, cache.Statistics.DroppedByRate);
        await WaitForCalls(4);
    }

    [Fact]
    public async Task FailedKey_SameJidNotAskedAgain_OtherJidMay()
    {
        var cache = new CapsCache(_client, _time);
        _gate.SetResult();
        var key = CapsKey.For115("sha-1", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        var bob = Jid.Parse("bob@localhost/a");

        Assert.Null(await cache.BeginVerification(bob, key, "n#AAAAAAAAAAAAAAAAAAAAAAAAAAA=")!.WaitAsync(Wait));
        var again = cache.BeginVerification(bob, key, "n#AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        var other = cache.BeginVerification(Jid.Parse("carol@localhost/b"), key, "n#AAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        Assert.Null(again);
        Assert.NotNull(other);
        Assert.Null(await other.WaitAsync(Wait));
        Assert.Equal(1, cache.Statistics.DroppedAsKnownFailure);
        Assert.Equal(2, cache.Statistics.Rejected);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task VerifiedEntries_AreLruBounded()
    {
        var cache = new CapsCache(_client, _time, new CapsCacheOptions { MaxEntries = 1 });
        _gate.SetResult();
        var complexVer = Caps115.ComputeVer(_peerInfo);
        var key390 = CapsKey.For390(Caps390.ComputeHashSet(_peerInfo, ["sha-256"])[0]);

        Assert.NotNull(await cache.BeginVerification(Jid.Parse("a@localhost"), CapsKey.For115("sha-1", complexVer), "n#" + complexVer)!.WaitAsync(Wait));
        Assert.NotNull(await cache.BeginVerification(Jid.Parse("a@localhost"), key390, "urn:xmpp:caps#sha-256." + key390.Ver)!.WaitAsync(Wait));

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(key390, out _));
        Assert.False(cache.TryGet(CapsKey.For115("sha-1", complexVer), out _));
    }

    [Fact]
    public async Task Verification_UsesNoCacheQueries_DiscoCacheUntouched()
    {
        var cache = new CapsCache(_client, _time);
        _gate.SetResult();

        await cache.BeginVerification(Jid.Parse("a@localhost"), CapsKey.For115("sha-1", "q07IKJEyjvHSyhy//CH0CxmKi8w="), "http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w=")!.WaitAsync(Wait);

        Assert.Equal(0, _client.InfoCacheCount);
        Assert.Equal(1, cache.Count);
    }

    private async Task WaitForCalls(int expected)
    {
        // The verification query leaves on a pool thread; wait for the peer to see each one (bounded).
        for (var seen = 0; seen < expected; seen++)
        {
            Assert.True(await _arrivals.WaitAsync(Wait), $"Only {seen} of {expected} queries arrived.");
        }
    }
}
