using System.Diagnostics;
using System.Text.Json;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Interop.Tests.Xmpp;

/// <summary>
/// Live disco answers, two real peers: Prosody answers for its domain and relays our simulated client's answer; the
/// same answers go to Debian's aioxmpp (<c>caps115.hash_query</c>, the XEP-0390 hash input), whose hashes must equal ours.
/// </summary>
public sealed class ProsodyAioxmppCapsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("harness-caps-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task Caps_AnswersFromProsodyAndOurEntity_AioxmppComputesTheSameHashes()
    {
        var python = Peers.Require("python3", "python3-aioxmpp");
        python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : python;
        await using var prosody = await ProsodyFixture.StartAsync();
        using var timeout = new CancellationTokenSource(Wait);
        await using var alice = await FakeXmppEntity.ConnectAsync(
            prosody.ClientOptions("alice", resource: "sim"),
            new FakeXmppEntityOptions { Kind = XmppEntityKind.Client, Seed = 12 },
            timeout.Token);
        await using var bob = await XmppClientConnection.ConnectAsync(prosody.ClientOptions("bob"), cancellationToken: timeout.Token);
        using var disco = new DiscoClient(bob);

        var answers = new (string Name, DiscoInfo Info)[]
        {
            ("prosody-domain", await disco.QueryInfoAsync(Jid.Parse(prosody.Domain), cancellationToken: timeout.Token)),
            ("simulated-client", await disco.QueryInfoAsync(alice.Jid, cancellationToken: timeout.Token)),
        };
        var files = new List<string>();
        foreach (var (name, info) in answers)
        {
            var path = Path.Combine(_dir, name + ".xml");
            await File.WriteAllTextAsync(path, DiscoCodec.WriteInfo(info).ToString(System.Xml.Linq.SaveOptions.DisableFormatting), timeout.Token);
            files.Add(path);
        }

        var peer = await RunAioxmppAsync(python, files, timeout.Token);

        Assert.Equal(answers.Length, peer.Count);
        for (var i = 0; i < answers.Length; i++)
        {
            var info = answers[i].Info;
            Assert.NotEmpty(info.Identities);
            Assert.Equal(Caps115.ComputeVer(info), peer[i].GetProperty("caps115").GetString());
            var sha256 = Caps390.ComputeHashSet(info, ["sha-256"]).Single();
            Assert.Equal(sha256.Value, peer[i].GetProperty("sha-256").GetString());
        }

        // Our simulated client announces the ver both compute.
        Assert.Equal(alice.Caps115Ver, Caps115.ComputeVer(answers[1].Info));
    }

    private static async Task<IReadOnlyList<JsonElement>> RunAioxmppAsync(string python, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "aioxmpp_caps.py");
        using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import aioxmpp.entitycaps.caps115"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await probe.WaitForExitAsync(cancellationToken);
        if (probe.ExitCode != 0)
        {
            const string reason = "aioxmpp is not importable by /usr/bin/python3 (apt-get install python3-aioxmpp).";
            if (Peers.Required)
            {
                throw new InvalidOperationException("HARNESS_REQUIRE_PEERS=1 and " + reason);
            }

            Skip.If(true, reason);
        }

        using var process = Process.Start(new ProcessStartInfo(python, [script, .. files]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, await stderr);
        return [.. (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
