using System.Globalization;
using Harness.Cli.Common;
using Harness.Simulators.Xmpp;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Xmpp;

/// <summary>The XMPP part of <c>harness simulate --xmpp N</c>: a MiniXmppServer on loopback with N entities and a judge account.</summary>
internal static class SimulatedXmpp
{
    /// <summary>The names <c>--xmpp-kind</c> takes.</summary>
    public static IReadOnlyDictionary<string, XmppEntityKind> Kinds { get; } = new Dictionary<string, XmppEntityKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["client"] = XmppEntityKind.Client,
        ["pubsub"] = XmppEntityKind.PubsubService,
        ["muc"] = XmppEntityKind.MucService,
        ["component"] = XmppEntityKind.Component,
    };

    /// <summary>The account a judge logs in with (<c>harness xmpp disco … --user judge</c>).</summary>
    public const string JudgeUser = "judge";

    /// <summary>True when <paramref name="name"/> names an XMPP quirk.</summary>
    public static bool IsXmppQuirk(string? name) => name is not null && XmppQuirks.Find(name) is not null;

    /// <summary>Parses <c>--xmpp-kind</c>: one kind, or several separated by commas (cycled over the entities).</summary>
    public static bool TryParseKinds(string? text, out IReadOnlyList<XmppEntityKind> kinds)
    {
        var parsed = new List<XmppEntityKind>();
        foreach (var part in (text ?? "client").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Kinds.TryGetValue(part, out var kind))
            {
                kinds = [];
                return false;
            }

            parsed.Add(kind);
        }

        kinds = parsed;
        return parsed.Count > 0;
    }

    /// <summary>Starts the fleet (null when <paramref name="count"/> is 0) with a judge account.</summary>
    public static async Task<XmppFleet?> StartAsync(int count, IReadOnlyList<XmppEntityKind> kinds, string? quirk, int seed, int port, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return null;
        }

        var fleet = await XmppFleet.StartAsync(
            new XmppFleetOptions { Count = count, Kinds = kinds, Quirk = quirk, Seed = seed, Port = port, LoggerFactory = loggers },
            cancellationToken);
        fleet.AddJudgeAccount(JudgeUser);
        return fleet;
    }

    /// <summary>The server, the accounts and the entities, for the terminal (the JID is the last word of an entity line).</summary>
    public static string Describe(XmppFleet? fleet)
    {
        if (fleet is null)
        {
            return string.Empty;
        }

        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"XMPP server {fleet.ClientEndPoint} domain {fleet.Domain} (components on 127.0.0.1:{fleet.Server.ComponentPort})");
        var accounts = new TextTable("ACCOUNT", "PASSWORD");
        foreach (var (user, password) in fleet.Accounts.OrderBy(a => a.Key == JudgeUser ? 0 : 1).ThenBy(a => a.Key, StringComparer.Ordinal))
        {
            accounts.Add([user + "@" + fleet.Domain], [password]);
        }

        w.Write(accounts.ToString());
        var entities = new TextTable("KIND", "NAME", "QUIRK", "CAPS VER", "JID");
        foreach (var entity in fleet.Entities)
        {
            entities.Add([Kinds.First(k => k.Value == entity.Options.Kind).Key], [entity.Identity.Name], [entity.Quirk?.Name ?? "-"], [entity.AnnouncedVer], [entity.Jid.ToString()]);
        }

        w.Write(entities.ToString());
        return w.ToString();
    }
}
