using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Tests.Peers;

/// <summary>
/// Cross-check of our XEP-0115 and XEP-0390 hashes with the real aioxmpp (Debian python3-aioxmpp, run offline by
/// Peers/aioxmpp_caps.py: caps115.hash_query and caps390._get_hash_input). Skips when /usr/bin/python3 or aioxmpp is
/// missing, fails instead when HARNESS_REQUIRE_PEERS=1. Expected differences (aioxmpp deviates from the specs):
/// <list type="bullet">
/// <item>115 escapes '&amp;', '&lt;', '&gt;' (xml.sax.saxutils.escape): its ver equals our <see cref="Caps115Variant.EscapedXml"/>.</item>
/// <item>A duplicate feature disappears when aioxmpp parses (features are a set), for 115 and 390; we keep it (lenient,
///   like the 33 capsdb entries hashed with their duplicates): its 115 ver equals our <see cref="Caps115Variant.DeduplicatedFeatures"/>.</item>
/// <item>115 hashes a form whose FORM_TYPE is not of type hidden; the spec (and we) ignore it: its ver equals our
///   <see cref="Caps115Variant.NonHiddenFormTypeHashed"/>.</item>
/// <item>390 does not sort the values of a multi-valued field (§4.1 says to): differs only when they are out of order.</item>
/// </list>
/// </summary>
public sealed class AioxmppCapsTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harness-aioxmpp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);

    public AioxmppCapsTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Q = "<query xmlns='http://jabber.org/protocol/disco#info'>";
    private const string DiscoInfo = "<feature var='http://jabber.org/protocol/disco#info'/>";

    private static readonly Dictionary<string, string> Cases = new()
    {
        ["forms-reversed"] = Q + "<identity category='client' type='pc'/>" + DiscoInfo
            + "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:b</value></field><field var='z'><value>1</value></field><field var='a'><value>2</value></field></x>"
            + "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:a</value></field><field var='v'><value>b</value><value>a</value></field></x></query>",
        ["values-sorted"] = Q + "<identity category='client' type='pc'/>" + DiscoInfo
            + "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:a</value></field><field var='v'><value>a</value><value>b</value></field><field var='empty'/></x></query>",
        ["non-ascii"] = Q + "<identity category='client' type='pc' xml:lang='ru' name='Ткаббер'/><identity category='client' type='pc' xml:lang='el' name='Ψ 0.11'/>"
            + DiscoInfo + "<feature var='urn:x:\uFF21'/><feature var='urn:x:\U0001F600'/><feature var='urn:x:é'/></query>",
        ["lang-prefix"] = Q + "<identity category='client' type='pc' xml:lang='en-GB' name='Psi'/><identity category='client' type='pc' xml:lang='en' name='Psi'/>" + DiscoInfo + "</query>",
        ["tab-sorting"] = Q + "<identity category='client' type='pc'/>" + DiscoInfo + "<feature var='urn:a'/><feature var='urn:a&#9;b'/><feature var='urn:a b'/></query>",
        ["escaping"] = Q + "<identity category='client' type='pc' name='Exodus &lt;0.9.1&gt; &amp; co'/><feature var='http://jabber.org/protocol/caps'/>" + DiscoInfo + "</query>",
        ["entity-on-wire"] = Q + "<identity category='client' type='pc' name='a &amp;lt; b'/>" + DiscoInfo + "</query>",
        ["duplicate-feature"] = Q + "<identity category='client' type='pc'/>" + DiscoInfo + DiscoInfo + "</query>",
        ["formtype-untyped"] = Q + "<identity category='client' type='pc'/>" + DiscoInfo
            + "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'><value>urn:x</value></field><field var='a'><value>1</value></field></x></query>",
    };

    [SkippableFact]
    public async Task Aioxmpp_HashesTheSameFiles_AgreesExceptForItsKnownDeviations()
    {
        SkipUnlessAioxmpp();
        var files = new List<string>();
        foreach (var vector in new[] { "xep0115-simple.xml", "xep0115-complex.xml", "xep0390-simple.xml", "xep0390-complex.xml", "typical-client.xml" })
        {
            files.Add(Path.Combine(AppContext.BaseDirectory, "Caps", "Vectors", vector));
        }

        foreach (var (name, xml) in Cases)
        {
            var path = Path.Combine(_dir, name + ".xml");
            await File.WriteAllTextAsync(path, xml);
            files.Add(path);
        }

        var results = await RunAioxmppAsync(files);

        Assert.Equal(files.Count, results.Count);
        var compared = 0;
        foreach (var result in results)
        {
            var file = result.GetProperty("file").GetString()!;
            var name = Path.GetFileNameWithoutExtension(file);
            var info = DiscoCodec.ReadInfo(XElement.Load(file)).Info!;

            // XEP-0115.
            switch (name)
            {
                case "escaping":
                    Assert.NotEqual(Caps115.ComputeVer(info), result.GetProperty("caps115").GetString());
                    Assert.Equal(Caps115.ComputeVer(info, "sha-1", Caps115Variant.EscapedXml), result.GetProperty("caps115").GetString());
                    Assert.Equal(Caps115Variant.EscapedXml, Caps115.Diagnose(info, "sha-1", result.GetProperty("caps115").GetString()!).Variant);
                    break;
                case "entity-on-wire":
                    // '&lt;' (four characters) in S, escaped again by aioxmpp to '&amp;lt;'.
                    Assert.Equal(Caps115.ComputeVer(info, "sha-1", Caps115Variant.EscapedXml), result.GetProperty("caps115").GetString());
                    break;
                case "duplicate-feature":
                    // aioxmpp keeps features in a set while parsing: the duplicate is gone before hashing.
                    Assert.Equal(Caps115.ComputeVer(info, "sha-1", Caps115Variant.DeduplicatedFeatures), result.GetProperty("caps115").GetString());
                    Assert.NotEqual(Caps115.ComputeVer(info), result.GetProperty("caps115").GetString());
                    break;
                case "formtype-untyped":
                    Assert.Equal(Caps115.ComputeVer(info, "sha-1", Caps115Variant.NonHiddenFormTypeHashed), result.GetProperty("caps115").GetString());
                    Assert.NotEqual(Caps115.ComputeVer(info), result.GetProperty("caps115").GetString());
                    break;
                default:
                    Assert.Equal(Caps115.ComputeVer(info), result.GetProperty("caps115").GetString());
                    break;
            }

            // XEP-0390.
            Assert.True(Caps390.TryBuildHashInput(info, out var input, out var error), error);
            if (name == "duplicate-feature")
            {
                Assert.Equal(input.Length - "http://jabber.org/protocol/disco#info\x1f".Length, result.GetProperty("input390").GetInt32());
                continue;
            }

            Assert.Equal(result.GetProperty("input390").GetInt32(), input.Length);
            foreach (var algorithm in new[] { "sha-256", "sha3-256", "blake2b-256", "blake2b-512" })
            {
                if (!Caps390.IsSupported(algorithm) || !result.TryGetProperty(algorithm, out var theirs))
                {
                    continue;
                }

                var ours = Caps390.ComputeHashSet(info, [algorithm])[0].Value;
                if (name == "forms-reversed")
                {
                    Assert.NotEqual(ours, theirs.GetString()); // the values 'b','a' are not sorted by aioxmpp
                }
                else
                {
                    Assert.Equal(ours, theirs.GetString());
                }

                compared++;
            }
        }

        Assert.True(compared >= 3 * (results.Count - 1), $"Only {compared} XEP-0390 hashes compared.");
    }

    private static void SkipUnlessAioxmpp()
    {
        var required = Environment.GetEnvironmentVariable("HARNESS_REQUIRE_PEERS") == "1";
        string? reason = null;
        if (!File.Exists(Python))
        {
            reason = $"{Python} is missing (Debian python3 with python3-aioxmpp is the peer).";
        }
        else
        {
            using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import aioxmpp.entitycaps.caps115"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            probe.WaitForExit(30_000);
            if (!probe.HasExited || probe.ExitCode != 0)
            {
                reason = "aioxmpp is not importable by /usr/bin/python3 (apt-get install python3-aioxmpp).";
            }
        }

        if (reason is not null)
        {
            Assert.False(required, "HARNESS_REQUIRE_PEERS=1 but " + reason);
            Skip.If(true, reason);
        }
    }

    private static async Task<List<JsonElement>> RunAioxmppAsync(List<string> files)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "aioxmpp_caps.py");
        var start = new ProcessStartInfo(Python, [script, .. files]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, "aioxmpp_caps.py failed: " + await stderr);
        return [.. (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
