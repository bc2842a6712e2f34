using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Disco;

namespace Harness.Interop.Tests.Xmpp;

/// <summary>
/// The real <c>harness xmpp</c> processes: <c>caps --verify</c> over the capsdb samples in captures/xmpp-capsdb, and
/// <c>disco</c> / live <c>caps --verify</c> against an in-process <see cref="XmppFleet"/> on loopback.
/// </summary>
public sealed partial class XmppCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CapsVerify_CapsdbSamplesFolder_OneLineEachAndTheSummaryExitOne()
    {
        var run = await HarnessCli.RunAsync(Timeout, "xmpp", "caps", "--verify", SamplesFolder());

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("4 entries: 3 match, 1 mismatch", lines[^1]);
        Assert.Equal(4, lines.Length - 1);

        // XEP-0115 §5.2 and §5.3 as written; the escaped variant is accepted and named; the dropped-caps-feature ver is not.
        Assert.Contains(lines, l => l.StartsWith("OK hashes/sha-1_http%3A%2F%2Fcode.google.com%2Fp%2Fexodus%23QgayPKawpkPSDYmwT%2FWM94uAlu0%3D.xml: claimed QgayPKawpkPSDYmwT/WM94uAlu0= computed QgayPKawpkPSDYmwT/WM94uAlu0= (variant spec)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("OK hashes/sha-1_http%3A%2F%2Fpsi-im.org%23q07IKJEyjvHSyhy%2F%2FCH0CxmKi8w%3D.xml: claimed q07IKJEyjvHSyhy//CH0CxmKi8w= computed q07IKJEyjvHSyhy//CH0CxmKi8w= (variant spec)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("OK ", StringComparison.Ordinal) && l.Contains("claimed pOuZtpGEQx+ojj6OmVMmUgVLHxs= computed DidBaM9wHtAsV2T2HC5+ho73CuQ= (variant EscapedXml)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("MISMATCH ", StringComparison.Ordinal) && l.Contains("claimed SrFo9ar2CCk2EnOH4q4QANeuxLQ= computed QgayPKawpkPSDYmwT/WM94uAlu0= (variant none)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CapsVerify_OneMatchingFile_ExitZero()
    {
        var file = Directory.EnumerateFiles(SamplesFolder(), "*psi-im.org*", SearchOption.AllDirectories).Single();

        var run = await HarnessCli.RunAsync(Timeout, "xmpp", "caps", "--verify", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.EndsWith("1 entries: 1 match, 0 mismatch", run.StandardOutput.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CapsVerify_BadNameAndHostileXml_ErrorLinesExitOne()
    {
        var folder = Directory.CreateTempSubdirectory("harness-capsdb-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "not-a-caps-name.xml"), "<query xmlns='http://jabber.org/protocol/disco#info'/>");
            await File.WriteAllTextAsync(
                Path.Combine(folder.FullName, CapsStore.RelativePath(CapsKey.For115("sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0="), "urn:x").Replace("hashes/", string.Empty, StringComparison.Ordinal)),
                "<!DOCTYPE q [<!ENTITY a 'aaaa'>]><query xmlns='http://jabber.org/protocol/disco#info'>&a;</query>");

            var run = await HarnessCli.RunAsync(Timeout, "xmpp", "caps", "--verify", folder.FullName);

            Assert.True(run.ExitCode == 1, run.ToString());
            var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Count(l => l.StartsWith("ERROR ", StringComparison.Ordinal)));
            Assert.Equal("2 entries: 0 match, 0 mismatch", lines[^1]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Disco_FleetClient_PrintsIdentitiesFeaturesFormAndTheCapsVer()
    {
        await using var fleet = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 1, Seed = 3 }, CancellationToken.None);
        var entity = fleet.Entities[0];

        var run = await HarnessCli.RunAsync(Timeout, ["xmpp", "disco", entity.Jid.ToString(), .. Login(fleet)]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = run.StandardOutput;
        Assert.StartsWith($"disco#info {entity.Jid}\n", text, StringComparison.Ordinal);
        foreach (var identity in entity.RootInfo.Identities)
        {
            Assert.Contains($"  identity  {identity.Category}/{identity.Type} {identity.Lang} \"{identity.Name}\"", text, StringComparison.Ordinal);
        }

        Assert.Contains("  feature   http://jabber.org/protocol/caps\n", text, StringComparison.Ordinal);
        Assert.Contains("  form      urn:xmpp:dataforms:softwareinfo\n", text, StringComparison.Ordinal);
        Assert.Contains($"    software_version = {entity.Identity.FirmwareVersion}\n", text, StringComparison.Ordinal);
        Assert.Contains($"  caps      sha-1 {entity.Caps115Ver}\n", text, StringComparison.Ordinal);
        Assert.Contains($"  caps2     sha-256 {entity.Caps390Hashes.Single(h => h.Algorithm == "sha-256").Value}\n", text, StringComparison.Ordinal);
        Assert.Contains($"2 identities, {entity.RootInfo.Features.Count} feature(s), 1 form(s)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoItemsJson_FleetPubsubNode_ListsTheChildNodes()
    {
        await using var fleet = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 1, Kinds = [XmppEntityKind.PubsubService] }, CancellationToken.None);
        var entity = fleet.Entities[0];

        var run = await HarnessCli.RunAsync(Timeout, ["xmpp", "disco", entity.Jid.ToString(), "--items", "--node", "sensors", "--json", .. Login(fleet)]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("sensors", json.RootElement.GetProperty("echoedNode").GetString());
        var nodes = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("node").GetString()!).ToList();
        Assert.NotEmpty(nodes);
        Assert.All(nodes, n => Assert.StartsWith("sensors/", n, StringComparison.Ordinal));
        Assert.Equal(entity.NodeNames.Where(n => n.Count(c => c == '/') == 1 && n.StartsWith("sensors/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), nodes.Order(StringComparer.Ordinal));
        Assert.Empty(json.RootElement.GetProperty("violations").EnumerateArray());
    }

    [Fact]
    public async Task Disco_UnknownNode_PrintsTheStanzaErrorExitOne()
    {
        await using var fleet = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 1, Quirk = "unknown-node-modify" }, CancellationToken.None);
        var entity = fleet.Entities[0];

        var run = await HarnessCli.RunAsync(Timeout, ["xmpp", "disco", entity.Jid.ToString(), "--node", "nothing", .. Login(fleet)]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"disco#info {entity.Jid} node nothing: error modify/item-not-found", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CapsVerifyJid_ConformingClient_AllCapsMatchExitZero()
    {
        await using var fleet = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 1 }, CancellationToken.None);
        var entity = fleet.Entities[0];

        var run = await HarnessCli.RunAsync(Timeout, ["xmpp", "caps", "--verify", entity.Jid.Bare.ToString(), .. Login(fleet)]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"OK {entity.Jid} {entity.CapsNode}#{entity.Caps115Ver}: claimed {entity.Caps115Ver} computed {entity.Caps115Ver} (variant spec)", lines);
        Assert.Equal($"{1 + entity.Caps390Hashes.Count} entries: {1 + entity.Caps390Hashes.Count} match, 0 mismatch", lines[^1]);
    }

    [Fact]
    public async Task CapsVerifyJid_WrongHashQuirk_MismatchExitOne()
    {
        await using var fleet = await XmppFleet.StartAsync(new XmppFleetOptions { Count = 1, Quirk = "caps-wrong-hash" }, CancellationToken.None);
        var entity = fleet.Entities[0];

        var run = await HarnessCli.RunAsync(Timeout, ["xmpp", "caps", "--verify", entity.Jid.ToString(), .. Login(fleet)]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"MISMATCH {entity.Jid} {entity.CapsNode}#{entity.AnnouncedVer}: claimed {entity.AnnouncedVer} computed {entity.Caps115Ver} (variant none)", run.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(SummaryRegex(), run.StandardOutput);
    }

    [Fact]
    public async Task SimulateXmpp_TwoClients_PrintsServerAccountsAndJidsThatDiscoAnswers()
    {
        var port = FreeTcpPort();
        await using var simulate = HarnessCli.Start("simulate", "--xmpp", "2", "--xmpp-kind", "client,muc", "--xmpp-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "5");
        Assert.True(await simulate.WaitForOutputAsync("Ctrl-C to stop", Timeout), simulate.StandardOutput + simulate.StandardError);
        var output = simulate.StandardOutput;
        Assert.Contains($"XMPP server 127.0.0.1:{port} domain localhost", output, StringComparison.Ordinal);
        var password = JudgeRegex().Match(output).Groups[1].Value;
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var client = lines.Single(l => l.StartsWith("client ", StringComparison.Ordinal)).Split(' ')[^1];
        var muc = lines.Single(l => l.StartsWith("muc ", StringComparison.Ordinal)).Split(' ')[^1];
        Assert.Equal("conference2.localhost", muc);

        var run = await HarnessCli.RunAsync(Timeout, "xmpp", "disco", muc, "--items", "--server", $"127.0.0.1:{port}", "--user", "judge@localhost", "--password", password);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"\n[3-5] item\(s\)\n", run.StandardOutput);
        var caps = await HarnessCli.RunAsync(Timeout, "xmpp", "caps", "--verify", client, "--server", $"127.0.0.1:{port}", "--user", "judge@localhost", "--password", password);
        Assert.True(caps.ExitCode == 0, caps.ToString());

        var stopped = await simulate.StopAsync(Timeout);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
    }

    [Fact]
    public async Task ListQuirks_IncludesEveryXmppQuirkWithItsRules()
    {
        var run = await HarnessCli.RunAsync(Timeout, "simulate", "--list-quirks");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var quirk in XmppQuirks.All)
        {
            Assert.Matches(new Regex("^" + Regex.Escape(quirk.Name) + " +xmpp +" + Regex.Escape(quirk.ExpectedFailures[0]), RegexOptions.Multiline), run.StandardOutput);
        }
    }

    /// <summary>
    /// The capsdb samples are what our writer makes of the XEP-0115 §5.2 and §5.3 examples, of the escaped-name vector
    /// (checklist XMPP-CAPS-008, derived) and of the §5.2 example under the ver that drops the caps feature (checklist
    /// XMPP-CAPS-002, the deliberately wrong entry). Set HARNESS_REGENERATE_CAPSDB=1 to write them again.
    /// </summary>
    [Fact]
    public async Task CapsdbSamples_FromTheXep0115Examples_AreUpToDate()
    {
        var expected = Samples();
        var folder = SamplesFolder();
        if (Environment.GetEnvironmentVariable("HARNESS_REGENERATE_CAPSDB") == "1")
        {
            foreach (var (relative, content) in expected)
            {
                var path = Path.Combine(folder, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, content, new UTF8Encoding(false));
            }
        }

        var actual = Directory.EnumerateFiles(folder, "*.xml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual);
        foreach (var (relative, content) in expected)
        {
            Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(folder, relative)));
        }
    }

    private static Dictionary<string, string> Samples()
    {
        // XEP-0115 §5.2 (simple) and §5.3 (complex) examples.
        var exodus = new DiscoInfo(
            [new Identity("client", "pc", "Exodus 0.9.1")],
            [Caps115.NamespaceName, DiscoCodec.InfoNamespaceName, DiscoCodec.ItemsNamespaceName, "http://jabber.org/protocol/muc"],
            []);
        var psi = new DiscoInfo(
            [new Identity("client", "pc", "Ψ 0.11", "el"), new Identity("client", "pc", "Psi 0.11", "en")],
            [Caps115.NamespaceName, DiscoCodec.InfoNamespaceName, DiscoCodec.ItemsNamespaceName, "http://jabber.org/protocol/muc"],
            [DataForm.Create(
                "urn:xmpp:dataforms:softwareinfo",
                DataFormField.Of("ip_version", "ipv4", "ipv6"),
                DataFormField.Of("os", "Mac"),
                DataFormField.Of("os_version", "10.5.1"),
                DataFormField.Of("software", "Psi"),
                DataFormField.Of("software_version", "0.11"))]);

        // Checklist XMPP-CAPS-008 (derived): aioxmpp hashes the name escaped.
        var escaped = new DiscoInfo([new Identity("client", "pc", "Exodus <0.9.1> & co")], [Caps115.NamespaceName, DiscoCodec.InfoNamespaceName], []);
        var samples = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string node, string ver, DiscoInfo info)
        {
            var relative = CapsStore.RelativePath(CapsKey.For115("sha-1", ver), node).Replace('\\', '/');
            samples[relative] = DiscoCodec.WriteInfo(info.WithNode(node + "#" + ver)).ToString() + "\n";
        }

        Add("http://code.google.com/p/exodus", Caps115.ComputeVer(exodus), exodus);
        Add("http://psi-im.org", Caps115.ComputeVer(psi), psi);
        Add("https://harness.invalid/escaped", Caps115.ComputeVer(escaped, "sha-1", Caps115Variant.EscapedXml), escaped);
        Add("https://harness.invalid/wrong", Caps115.ComputeVer(exodus with { Features = [.. exodus.Features.Skip(1)] }), exodus);
        Assert.Equal(
            ["QgayPKawpkPSDYmwT/WM94uAlu0=", "q07IKJEyjvHSyhy//CH0CxmKi8w=", "pOuZtpGEQx+ojj6OmVMmUgVLHxs=", "SrFo9ar2CCk2EnOH4q4QANeuxLQ="],
            samples.Keys.Select(k => Uri.UnescapeDataString(k)[(Uri.UnescapeDataString(k).LastIndexOf('#') + 1)..^4]));
        return samples;
    }

    private static string[] Login(XmppFleet fleet)
    {
        var (user, password) = fleet.AddJudgeAccount("judge");
        return ["--server", fleet.ClientEndPoint.ToString(), "--user", user + "@" + fleet.Domain, "--password", password];
    }

    private static int FreeTcpPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string SamplesFolder([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "captures")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("No captures folder above " + sourceFile), "captures", "xmpp-capsdb");
    }

    [GeneratedRegex(@"\d+ entries: \d+ match, [1-9]\d* mismatch")]
    private static partial Regex SummaryRegex();

    [GeneratedRegex(@"judge@localhost +(judge-[0-9a-f]+)")]
    private static partial Regex JudgeRegex();
}
