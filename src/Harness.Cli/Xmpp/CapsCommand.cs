using System.CommandLine;
using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Cli.Xmpp;

/// <summary>
/// <c>harness xmpp caps --verify FILE|FOLDER</c>: checks capsdb entries (<c>&lt;hash&gt;_&lt;urlquoted node#ver&gt;.xml</c>,
/// each a disco#info query) against the ver in their name with the Caps library's verification, one line per entry
/// and a summary; <c>harness xmpp caps --verify JID --server …</c>: waits for the JID's presence, queries its
/// <c>node#ver</c> (and XEP-0390 hash nodes) and verifies them. Exits 1 on any mismatch or unusable entry.
/// </summary>
internal static class CapsCommand
{
    /// <summary>The largest capsdb file read.</summary>
    private const int MaxFileBytes = 256 * 1024;

    public static Command Create()
    {
        var verify = new Option<string>("--verify") { Description = "A capsdb file or folder (hashes/<algo>_<urlquoted node#ver>.xml), or a JID to check live (with --server …)", Required = true };
        var login = new XmppLoginOptions();
        var command = new Command("caps", "Verify entity capabilities: capsdb entries on disk, or a live entity's caps presence against its disco#info")
        {
            verify,
        };
        foreach (var option in login.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(verify)!;
            if (File.Exists(target) || Directory.Exists(target))
            {
                return await VerifyFilesAsync(target, Console.Out, cancellationToken);
            }

            if (!login.Given(parse))
            {
                throw new ArgumentException($"'{target}' is neither a file nor a folder; to verify a JID live, give --server, --user and --password.");
            }

            if (!Jid.TryParse(target, out var jid, out var error))
            {
                throw new ArgumentException($"'{target}' is not a file, a folder or a JID: {error}");
            }

            return await VerifyLiveAsync(jid, login.Build(parse), login.WaitTime(parse), Console.Out, cancellationToken);
        });
        return command;
    }

    /// <summary>Verifies every capsdb entry in a file or folder (recursively, in name order); prints a line each and the summary.</summary>
    internal static async Task<int> VerifyFilesAsync(string path, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.Exists(path);
        var files = folder
            ? Directory.EnumerateFiles(path, "*.xml", SearchOption.AllDirectories).Select(f => (Full: f, Shown: Path.GetRelativePath(path, f))).OrderBy(f => f.Shown, StringComparer.Ordinal).ToList()
            : [(path, Path.GetFileName(path))];
        var tally = new Tally();
        foreach (var (full, shown) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.WriteLine(await VerifyFileAsync(full, shown.Replace('\\', '/'), tally, cancellationToken));
        }

        output.WriteLine(tally.Summary);
        return tally.ExitCode;
    }

    private static async Task<string> VerifyFileAsync(string full, string shown, Tally tally, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(full);
        var stem = name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        var underscore = stem.IndexOf('_', StringComparison.Ordinal);
        var nodeVer = underscore > 0 ? Uri.UnescapeDataString(stem[(underscore + 1)..]) : string.Empty;
        var hash = nodeVer.LastIndexOf('#');
        if (underscore <= 0 || hash < 0 || hash == nodeVer.Length - 1)
        {
            return tally.Error(shown, "the name is not <hash>_<urlquoted node#ver>.xml");
        }

        var algorithm = stem[..underscore];
        var ver = nodeVer[(hash + 1)..];
        if (!Caps115.IsSupported(algorithm))
        {
            return tally.Error(shown, $"claimed {algorithm} {ver}: the hash '{algorithm}' is not supported");
        }

        var info = new FileInfo(full);
        if (info.Length > MaxFileBytes)
        {
            return tally.Error(shown, $"larger than {MaxFileBytes} bytes");
        }

        var bytes = await File.ReadAllBytesAsync(full, cancellationToken);
        var load = SafeXml.Load(bytes, new XmlLimits(MaxBytes: MaxFileBytes));
        if (!load.Success)
        {
            return tally.Error(shown, $"not usable XML ({load.Error}): {load.Message}");
        }

        var read = DiscoCodec.ReadInfo(load.Document!.Root!);
        if (read.Info is null)
        {
            return tally.Error(shown, "not a disco#info query");
        }

        return Judge(shown, algorithm, ver, read.Info, tally);
    }

    /// <summary>One line: OK or MISMATCH with the claimed and computed ver and the variant that matched (or reproduces it).</summary>
    private static string Judge(string shown, string algorithm, string ver, DiscoInfo info, Tally tally)
    {
        var computed = Caps115.ComputeVer(info, algorithm);
        var verification = Caps115.Verify(info, algorithm, ver);
        if (verification.IsValid)
        {
            var warnings = verification.Violations.Where(v => v.Severity >= ViolationSeverity.Warning && v.RuleId != CapsRuleIds.Verified).Select(v => v.RuleId).Distinct().ToList();
            return tally.Match($"OK {shown}: claimed {ver} computed {computed} (variant {Name(verification.Variant)}){(warnings.Count == 0 ? string.Empty : "; warnings " + string.Join(", ", warnings))}");
        }

        var illFormed = verification.Violations.Where(v => v.Severity == ViolationSeverity.Error && v.RuleId != CapsRuleIds.Mismatch).Select(v => v.RuleId).Distinct().ToList();
        if (illFormed.Count > 0)
        {
            return tally.Mismatch($"MISMATCH {shown}: claimed {ver} computed {computed} (variant none: ill-formed, {string.Join(", ", illFormed)})");
        }

        var diagnosis = Caps115.Diagnose(info, algorithm, ver);
        var variant = diagnosis.Variant is { } found ? Name(found) + ", not accepted" : "none";
        return tally.Mismatch($"MISMATCH {shown}: claimed {ver} computed {computed} (variant {variant})");
    }

    private static string Name(Caps115Variant variant) => variant == Caps115Variant.Spec ? "spec" : variant.ToString().Replace(", ", "+", StringComparison.Ordinal);

    /// <summary>Waits for the JID's caps presence, queries the caps nodes it names and verifies them.</summary>
    internal static async Task<int> VerifyLiveAsync(Jid jid, XmppClientOptions options, TimeSpan wait, TextWriter output, CancellationToken cancellationToken)
    {
        await using var connection = await XmppLoginOptions.ConnectAsync(options, cancellationToken);
        var presence = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.PresenceReceived += (_, stanza) =>
        {
            if (Jid.TryParse((string?)stanza.Attribute("from"), out var from) && (jid.IsBare ? from.Bare == jid : from == jid)
                && stanza.Attribute("type") is null && (stanza.Element(CapsElement.Caps115Name) ?? stanza.Element(CapsElement.Caps390Name)) is not null)
            {
                presence.TrySetResult(stanza);
            }
        };
        await XmppLoginOptions.SendPresenceAsync(connection, cancellationToken);
        XElement received;
        try
        {
            received = await presence.Task.WaitAsync(wait, cancellationToken);
        }
        catch (TimeoutException)
        {
            var tally = new Tally();
            output.WriteLine(tally.Error(jid.ToString(), $"no presence with caps within {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (is the account subscribed to its presence?)"));
            output.WriteLine(tally.Summary);
            return tally.ExitCode;
        }

        var from = Jid.Parse((string)received.Attribute("from")!);
        var result = new Tally();
        var violations = new List<Violation>();
        var caps = CapsElement.Read115(received, violations);
        var hashes = CapsElement.Read390(received, violations) ?? [];
        var shown = from.ToString();
        foreach (var violation in violations)
        {
            output.WriteLine($"  {violation.Severity.ToString().ToLowerInvariant(),-9} {violation.RuleId} {XmppCliOutput.Clean(violation.Message)}");
        }

        if (caps is not null)
        {
            if (caps.IsLegacy || string.IsNullOrEmpty(caps.Ver) || string.IsNullOrEmpty(caps.Node))
            {
                output.WriteLine(result.Error(shown, $"legacy or incomplete caps (node {XmppCliOutput.Quote(caps.Node)}, ver {XmppCliOutput.Quote(caps.Ver)}, hash {XmppCliOutput.Quote(caps.Hash)}): nothing to verify"));
            }
            else if (!Caps115.IsSupported(caps.Hash))
            {
                output.WriteLine(result.Error(shown, $"claimed {XmppCliOutput.Clean(caps.Hash)} {XmppCliOutput.Clean(caps.Ver)}: the hash is not supported"));
            }
            else
            {
                var line = await QueryAsync(connection, from, caps.DiscoNode, wait, cancellationToken) switch
                {
                    (DiscoInfo info, _) => Judge($"{shown} {XmppCliOutput.Clean(caps.DiscoNode)}", caps.Hash!, caps.Ver!, info, result),
                    (_, var problem) => result.Error($"{shown} {XmppCliOutput.Clean(caps.DiscoNode)}", problem!),
                };
                output.WriteLine(line);
            }
        }

        foreach (var hash in hashes.Where(h => Caps390.IsSupported(h.Algorithm)))
        {
            var (info, problem) = await QueryAsync(connection, from, hash.Node, wait, cancellationToken);
            if (info is null)
            {
                output.WriteLine(result.Error($"{shown} {hash.Node}", problem!));
            }
            else if (Caps390.Verify(info, hash, out var why))
            {
                output.WriteLine(result.Match($"OK {shown} {hash.Node}: claimed {hash.Value} computed {hash.Value} (variant spec)"));
            }
            else
            {
                var computed = Caps390.TryBuildHashInput(info, out _, out _) ? Caps390.ComputeHashSet(info, [hash.Algorithm])[0].Value : "none";
                output.WriteLine(result.Mismatch($"MISMATCH {shown} {hash.Node}: claimed {hash.Value} computed {computed} (variant none: {XmppCliOutput.Clean(why)})"));
            }
        }

        output.WriteLine(result.Summary);
        return result.ExitCode;
    }

    private static async Task<(DiscoInfo? Info, string? Problem)> QueryAsync(XmppClientConnection connection, Jid to, string node, TimeSpan wait, CancellationToken cancellationToken)
    {
        var iq = new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", to.ToString()), DiscoCodec.InfoRequest(node));
        try
        {
            var answer = await connection.SendIqAsync(iq, wait, cancellationToken);
            var query = answer.Element(DiscoCodec.InfoQueryName);
            return query is null ? (null, "the answer has no disco#info query") : (DiscoCodec.ReadInfo(query).Info, null);
        }
        catch (XmppStanzaException ex)
        {
            return (null, $"disco#info node {XmppCliOutput.Clean(node)}: error {ex.ErrorType}/{ex.Condition}");
        }
        catch (TimeoutException)
        {
            return (null, $"disco#info node {XmppCliOutput.Clean(node)}: no answer within {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
    }

    /// <summary>Counts the entries; the summary is exactly <c>N entries: N match, N mismatch</c>.</summary>
    private sealed class Tally
    {
        private int _entries;
        private int _match;
        private int _mismatch;
        private int _errors;

        public string Summary => $"{_entries} entries: {_match} match, {_mismatch} mismatch";

        public int ExitCode => _mismatch > 0 || _errors > 0 ? 1 : 0;

        public string Match(string line)
        {
            _entries++;
            _match++;
            return line;
        }

        public string Mismatch(string line)
        {
            _entries++;
            _mismatch++;
            return line;
        }

        public string Error(string shown, string problem)
        {
            _entries++;
            _errors++;
            return $"ERROR {shown}: {XmppCliOutput.Clean(problem)}";
        }
    }
}
