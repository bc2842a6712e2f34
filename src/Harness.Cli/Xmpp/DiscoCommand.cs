using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Harness.Cli.Common;
using Harness.Core.Diagnostics;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Cli.Xmpp;

/// <summary>
/// <c>harness xmpp disco JID [--node N] [--items]</c>: logs in, sends one disco#info (or disco#items) query and prints the
/// answer: identities, features, XEP-0128 forms and the XEP-0115 ver / XEP-0390 hashes computed from it (or the items),
/// with every deviation the reader found. Exits 1 when the answer is an error or has an error-level deviation.
/// </summary>
internal static class DiscoCommand
{
    public static Command Create()
    {
        var jid = new Argument<string>("jid") { Description = "The entity to ask, e.g. pubsub.example.org or alice@example.org/phone" };
        var node = new Option<string?>("--node", "-n") { Description = "Ask about this node of the entity" };
        var items = new Option<bool>("--items") { Description = "Send disco#items instead of disco#info" };
        var json = CommonOptions.Json();
        var login = new XmppLoginOptions();
        var command = new Command("disco", "Log in, ask an entity (or one of its nodes) what it is and offers, print the answer and the caps ver it hashes to")
        {
            jid, node, items, json,
        };
        foreach (var option in login.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Jid.TryParse(parse.GetValue(jid), out var target, out var error))
            {
                throw new ArgumentException($"'{parse.GetValue(jid)}' is not a JID: {error}");
            }

            var wait = login.WaitTime(parse);
            var options = login.Build(parse);
            await using var connection = await XmppLoginOptions.ConnectAsync(options, cancellationToken);
            var nodeName = parse.GetValue(node);
            var wantItems = parse.GetValue(items);
            var request = new XElement(
                XmppNamespaces.Client + "iq",
                new XAttribute("type", "get"),
                new XAttribute("to", target.ToString()),
                wantItems ? DiscoCodec.ItemsRequest(nodeName) : DiscoCodec.InfoRequest(nodeName));
            XElement answer;
            try
            {
                answer = await connection.SendIqAsync(request, wait, cancellationToken);
            }
            catch (XmppStanzaException ex)
            {
                Write(parse.GetValue(json), new { jid = target.ToString(), node = nodeName, error = new { type = ex.ErrorType, condition = ex.Condition, text = ex.Text } },
                    $"{(wantItems ? "disco#items" : "disco#info")} {target}{(nodeName is null ? string.Empty : " node " + XmppCliOutput.Clean(nodeName))}: error {ex.ErrorType}/{ex.Condition}{(ex.Text is null ? string.Empty : " " + XmppCliOutput.Quote(ex.Text))}\n");
                return 1;
            }

            var query = answer.Elements().FirstOrDefault();
            if (query is null)
            {
                Console.Error.WriteLine($"harness: the result from {target} is empty (no query element).");
                return 1;
            }

            var lang = (string?)answer.Attribute(XNamespace.Xml + "lang");
            if (wantItems)
            {
                var read = DiscoCodec.ReadItems(query, new DiscoReadOptions(InheritedLang: lang));
                Write(parse.GetValue(json), ItemsJson(target, nodeName, read), ItemsText(target, nodeName, query, read));
                return read.Items is null || read.Violations.Any(v => v.Severity == ViolationSeverity.Error) ? 1 : 0;
            }

            var info = DiscoCodec.ReadInfo(query, new DiscoReadOptions(InheritedLang: lang));
            Write(parse.GetValue(json), InfoJson(target, nodeName, query, info), InfoText(target, nodeName, query, info));
            return info.Info is null || info.Violations.Any(v => v.Severity == ViolationSeverity.Error) ? 1 : 0;
        });
        return command;
    }

    private static void Write(bool json, object value, string text)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(value, XmppCliOutput.Json));
        }
        else
        {
            Console.Out.Write(text);
        }
    }

    private static (string? Ver, IReadOnlyList<Caps390Hash> Hashes, string? Why390) Caps(DiscoInfo info)
    {
        var ver = Caps115.ComputeVer(info);
        if (!Caps390.TryBuildHashInput(info, out _, out var why))
        {
            return (ver, [], why);
        }

        return (ver, Caps390.ComputeHashSet(info), null);
    }

    internal static string InfoText(Jid target, string? node, XElement query, DiscoInfoReadResult read)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"disco#info {target}{(node is null ? string.Empty : " node " + XmppCliOutput.Clean(node))}{((string?)query.Attribute("node") is not null || node is null ? string.Empty : " (node not echoed)")}");
        if (read.Info is { } info)
        {
            foreach (var identity in info.Identities)
            {
                w.WriteLine($"  identity  {XmppCliOutput.Clean(identity.Category)}/{XmppCliOutput.Clean(identity.Type)} {(identity.Lang is null ? "-" : XmppCliOutput.Clean(identity.Lang))} {XmppCliOutput.Quote(identity.Name)}");
            }

            foreach (var feature in info.Features)
            {
                w.WriteLine($"  feature   {XmppCliOutput.Clean(feature)}");
            }

            foreach (var form in info.Forms)
            {
                w.WriteLine($"  form      {XmppCliOutput.Clean(form.FormType ?? "(no FORM_TYPE)")}");
                foreach (var field in form.Fields.Where(f => f.Var != DataForm.FormTypeVar))
                {
                    w.WriteLine($"    {XmppCliOutput.Clean(field.Var ?? "(no var)")} = {string.Join(", ", field.Values.Select(XmppCliOutput.Clean))}");
                }
            }

            var (ver, hashes, why) = Caps(info);
            w.WriteLine($"  caps      sha-1 {ver}");
            foreach (var hash in hashes)
            {
                w.WriteLine($"  caps2     {hash.Algorithm} {hash.Value}");
            }

            if (why is not null)
            {
                w.WriteLine($"  caps2     none: {why}");
            }

            w.WriteLine($"{info.Identities.Count} identit{(info.Identities.Count == 1 ? "y" : "ies")}, {info.Features.Count} feature(s), {info.Forms.Count} form(s)");
        }

        WriteViolations(w, read.Violations);
        return w.ToString();
    }

    internal static string ItemsText(Jid target, string? node, XElement query, DiscoItemsReadResult read)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"disco#items {target}{(node is null ? string.Empty : " node " + XmppCliOutput.Clean(node))}{((string?)query.Attribute("node") is not null || node is null ? string.Empty : " (node not echoed)")}");
        foreach (var item in read.Items?.Items ?? [])
        {
            w.WriteLine($"  item  {item.Jid}{(item.Node is null ? string.Empty : " node=" + XmppCliOutput.Clean(item.Node))}{(item.Name is null ? string.Empty : " name=" + XmppCliOutput.Quote(item.Name))}");
        }

        w.WriteLine($"{read.Items?.Items.Count ?? 0} item(s)");
        WriteViolations(w, read.Violations);
        return w.ToString();
    }

    private static void WriteViolations(StringWriter w, IReadOnlyList<Violation> violations)
    {
        foreach (var v in violations)
        {
            w.WriteLine($"  {v.Severity.ToString().ToLowerInvariant(),-9} {v.RuleId} {XmppCliOutput.Clean(v.Message)}");
        }
    }

    private static object ViolationJson(Violation v) => new { ruleId = v.RuleId, severity = v.Severity.ToString(), message = v.Message, location = v.Location };

    private static object InfoJson(Jid target, string? node, XElement query, DiscoInfoReadResult read)
    {
        var info = read.Info;
        var caps = info is null ? default : Caps(info);
        return new
        {
            jid = target.ToString(),
            node,
            echoedNode = (string?)query.Attribute("node"),
            identities = info?.Identities.Select(i => new { category = i.Category, type = i.Type, name = i.Name, lang = i.Lang }),
            features = info?.Features,
            forms = info?.Forms.Select(f => new { formType = f.FormType, type = f.Type, fields = f.Fields.Select(x => new { var = x.Var, type = x.Type, values = x.Values }) }),
            caps = info is null ? null : new { sha1 = caps.Ver, hashes = caps.Hashes.Select(h => new { algo = h.Algorithm, value = h.Value }), noHashes = caps.Why390 },
            violations = read.Violations.Select(ViolationJson),
        };
    }

    private static object ItemsJson(Jid target, string? node, DiscoItemsReadResult read) => new
    {
        jid = target.ToString(),
        node,
        echoedNode = read.Items?.Node,
        items = read.Items?.Items.Select(i => new { jid = i.Jid.ToString(), node = i.Node, name = i.Name }),
        violations = read.Violations.Select(ViolationJson),
    };
}
