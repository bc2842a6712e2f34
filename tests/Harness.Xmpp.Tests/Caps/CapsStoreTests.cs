using System.Xml.Linq;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Harness.Xmpp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Xmpp.Tests.Caps;

public sealed class CapsStoreTests : IDisposable
{
    private const string ExodusVer = "QgayPKawpkPSDYmwT/WM94uAlu0=";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "harness-capsstore-" + Guid.NewGuid().ToString("N"));

    public CapsStoreTests()
    {
        Directory.CreateDirectory(_root);
    }

    private string User => Path.Combine(_root, "user");

    private string Trusted => Path.Combine(_root, "trusted");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string VectorText(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Caps", "Vectors", name));

    private static void Put(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void RelativePath_IsTheCapsdbAndAioxmppLayout()
    {
        // capsdb hashes/<algo>_<urllib.parse.quote(node#ver, safe='')>.xml; aioxmpp tests/entitycaps/test_caps390.py test_path.
        Assert.Equal(
            Path.Combine("hashes", "sha-1_http%3A%2F%2Fcode.google.com%2Fp%2Fexodus%23QgayPKawpkPSDYmwT%2FWM94uAlu0%3D.xml"),
            CapsStore.RelativePath(CapsKey.For115("sha-1", ExodusVer), "http://code.google.com/p/exodus"));
        Assert.Equal(
            Path.Combine("caps2", "algo", "mr", "uw", "ozltoq.xml"),
            CapsStore.RelativePath(new CapsKey(CapsKind.Caps390, "algo", Convert.ToBase64String("digest"u8)), null));
    }

    [Fact]
    public async Task Load_CapsdbEntry_IsIndexedAndReadable_Cache009()
    {
        Put(Trusted, CapsStore.RelativePath(CapsKey.For115("sha-1", ExodusVer), "http://code.google.com/p/exodus"), VectorText("xep0115-simple.xml"));
        var store = new CapsStore(null, Trusted);

        var issues = await store.LoadAsync(CancellationToken.None);
        var info = await store.ReadAsync(CapsKey.For115("sha-1", ExodusVer), CancellationToken.None);

        Assert.Empty(issues);
        Assert.Equal("Exodus 0.9.1", info!.Identities[0].Name);
    }

    [Fact]
    public async Task Load_BadFiles_ReportedNotIndexed()
    {
        var key = CapsKey.For115("sha-1", ExodusVer);
        Put(User, CapsStore.RelativePath(key, "http://a.example"), "<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc' name='Other'/></query>");
        Put(User, CapsStore.RelativePath(CapsKey.For115("sha-1", "bbbb"), "http://b.example"), "not xml at all <");
        Put(User, CapsStore.RelativePath(CapsKey.For115("sha-1", "cccc"), "http://c.example"), "<!DOCTYPE x [<!ENTITY a 'b'>]><query xmlns='http://jabber.org/protocol/disco#info'/>");
        Put(User, Path.Combine("hashes", "nonsense.xml"), "<x/>");
        Put(User, CapsStore.RelativePath(CapsKey.For115("md2", "dddd"), "http://d.example"), VectorText("xep0115-simple.xml"));
        var store = new CapsStore(User);

        var issues = await store.LoadAsync(CancellationToken.None);

        Assert.Equal(5, issues.Count);
        Assert.Contains(issues, i => i.Problem.Contains("does not hash", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Problem.Contains("DtdProhibited", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Problem.Contains("not a caps entry name", StringComparison.Ordinal));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Load_SameKeyInBothStores_TrustedWins_Cache009()
    {
        var key = CapsKey.For115("sha-1", ExodusVer);
        Put(Trusted, CapsStore.RelativePath(key, "http://code.google.com/p/exodus"), VectorText("xep0115-simple.xml"));
        Put(User, CapsStore.RelativePath(key, "http://code.google.com/p/exodus"), "garbage");
        var store = new CapsStore(User, Trusted);

        var issues = await store.LoadAsync(CancellationToken.None);
        var info = await store.ReadAsync(key, CancellationToken.None);
        await store.WriteAsync(key, "http://code.google.com/p/exodus", info!, CancellationToken.None);

        Assert.Empty(issues);
        Assert.NotNull(info);
        Assert.Equal("garbage", File.ReadAllText(Path.Combine(User, CapsStore.RelativePath(key, "http://code.google.com/p/exodus"))));
    }

    [Fact]
    public async Task VerifiedEntry_WrittenAtomically_ThenLoadedByANewCache_Cache009()
    {
        var time = new FakeTimeProvider();
        var pair = InMemoryChannelPair.Create(time);
        var peerRoot = new Node();
        peerRoot.RegisterIdentity("client", "pc", new Dictionary<string, string> { ["ru"] = "Ткаббер" });
        using var peer = new DiscoServer(pair.B, peerRoot);
        var info = peerRoot.ToDiscoInfo();
        var ver = Caps115.ComputeVer(info);
        var hash = Caps390.ComputeHashSet(info, ["sha-256"])[0];
        peer.Mount("http://x.example#" + ver, StaticNode.Clone(peerRoot));
        peer.Mount(hash.Node, StaticNode.Clone(peerRoot));
        using var client = new DiscoClient(pair.A, time);
        var cache = new CapsCache(client, time, store: new CapsStore(User));

        Assert.NotNull(await cache.BeginVerification(pair.B.LocalJid, CapsKey.For115("sha-1", ver), "http://x.example#" + ver)!.WaitAsync(Wait));
        Assert.NotNull(await cache.BeginVerification(pair.B.LocalJid, CapsKey.For390(hash), hash.Node)!.WaitAsync(Wait));

        var file = Path.Combine(User, CapsStore.RelativePath(CapsKey.For115("sha-1", ver), "http://x.example"));
        var written = XElement.Load(file);
        Assert.Equal(DiscoCodec.InfoQueryName, written.Name);
        Assert.Equal("http://x.example#" + ver, (string?)written.Attribute("node"));
        Assert.Empty(Directory.EnumerateFiles(User, "*.tmp", SearchOption.AllDirectories));

        var reloaded = new CapsCache(client, time, store: new CapsStore(User));
        Assert.Empty(await reloaded.LoadAsync(CancellationToken.None));
        var restored = await reloaded.LookupAsync(CapsKey.For115("sha-1", ver), CancellationToken.None);
        var restored390 = await reloaded.LookupAsync(CapsKey.For390(hash), CancellationToken.None);
        Assert.Equal("ru", restored!.Identities[0].Lang); // XMPP-CAPS2-010: the language is stored explicitly
        Assert.NotNull(restored390);
        Assert.Equal(2, reloaded.Count);
    }
}
