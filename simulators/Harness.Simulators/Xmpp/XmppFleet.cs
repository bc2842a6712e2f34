using System.Globalization;
using System.Net;
using Harness.Simulators.Identity;
using Harness.Simulators.Xmpp.Server;
using Harness.Xmpp.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Simulators.Xmpp;

/// <summary>Options of an <see cref="XmppFleet"/>.</summary>
public sealed record XmppFleetOptions
{
    /// <summary>How many entities.</summary>
    public int Count { get; init; } = 1;

    /// <summary>The kinds of the entities, cycled (entity i has kind <c>Kinds[i % Kinds.Count]</c>); all clients when empty.</summary>
    public IReadOnlyList<XmppEntityKind> Kinds { get; init; } = [XmppEntityKind.Client];

    /// <summary>The fleet's seed (identities, contents, passwords, the server's nonces).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The quirk of every entity that <see cref="Quirks"/> does not name one for, or null.</summary>
    public string? Quirk { get; init; }

    /// <summary>Quirks per entity (entry i for entity i; null or missing: <see cref="Quirk"/>).</summary>
    public IReadOnlyList<string?> Quirks { get; init; } = [];

    /// <summary>The XMPP domain of the server.</summary>
    public string Domain { get; init; } = "localhost";

    /// <summary>The c2s port on 127.0.0.1 (0: a free one).</summary>
    public int Port { get; init; }

    /// <summary>The component port on 127.0.0.1 (0: a free one).</summary>
    public int ComponentPort { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the server, the entities and their connections log.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The kind of entity <paramref name="index"/>.</summary>
    public XmppEntityKind KindOf(int index) => Kinds.Count == 0 ? XmppEntityKind.Client : Kinds[index % Kinds.Count];

    /// <summary>The quirk of entity <paramref name="index"/>, or null.</summary>
    public string? QuirkOf(int index) => index < Quirks.Count && Quirks[index] is { } quirk ? quirk : Quirk;

    /// <summary>Throws when an option is unusable; returns this.</summary>
    public XmppFleetOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Count, 1000);
        ArgumentNullException.ThrowIfNull(Kinds);
        ArgumentNullException.ThrowIfNull(Quirks);
        ArgumentException.ThrowIfNullOrEmpty(Domain);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        for (var i = 0; i < Count; i++)
        {
            if (QuirkOf(i) is { } quirk && XmppQuirks.Find(quirk) is null)
            {
                throw new ArgumentException($"Unknown XMPP quirk '{quirk}'. Known: {string.Join(", ", XmppQuirks.All.Select(q => q.Name))}.", nameof(Quirks));
            }
        }

        return this;
    }
}

/// <summary>
/// A <see cref="MiniXmppServer"/> on loopback with simulated entities: clients log in with an account each (their
/// initial presence with caps reaches every other client session), services (pubsub, MUC, component kinds) connect
/// as XEP-0114 components with a domain each (<c>pubsubN.DOMAIN</c>, <c>conferenceN.DOMAIN</c>, <c>componentN.DOMAIN</c>).
/// A judge logs in with <see cref="AddJudgeAccount"/>.
/// </summary>
public sealed class XmppFleet : IAsyncDisposable
{
    private readonly List<FakeXmppEntity> _entities = [];
    private readonly Dictionary<string, string> _accounts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private XmppFleet(MiniXmppServer server, XmppFleetOptions options)
    {
        Server = server;
        Options = options;
    }

    /// <summary>The server.</summary>
    public MiniXmppServer Server { get; }

    /// <summary>The options the fleet runs with.</summary>
    public XmppFleetOptions Options { get; }

    /// <summary>The entities, in index order.</summary>
    public IReadOnlyList<FakeXmppEntity> Entities => _entities;

    /// <summary>Where clients connect (127.0.0.1 and the c2s port).</summary>
    public IPEndPoint ClientEndPoint => new(IPAddress.Loopback, Server.Port);

    /// <summary>The server's domain.</summary>
    public string Domain => Server.Domain;

    /// <summary>The accounts of the client entities and of the judges, with their passwords.</summary>
    public IReadOnlyDictionary<string, string> Accounts
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_accounts, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The component domain of a service entity number <paramref name="index"/> of <paramref name="kind"/>.</summary>
    public static string ComponentDomain(XmppEntityKind kind, int index, string domain) => kind switch
    {
        XmppEntityKind.PubsubService => $"pubsub{index + 1}.{domain}",
        XmppEntityKind.MucService => $"conference{index + 1}.{domain}",
        XmppEntityKind.Component => $"component{index + 1}.{domain}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Clients have no component domain."),
    };

    /// <summary>Starts the server and connects the entities (in index order, so presence arrives in that order).</summary>
    public static async Task<XmppFleet> StartAsync(XmppFleetOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var secrets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Count; i++)
        {
            if (options.KindOf(i) != XmppEntityKind.Client)
            {
                secrets[ComponentDomain(options.KindOf(i), i, options.Domain)] = Secret(options.Seed, i);
            }
        }

        var server = await MiniXmppServer.StartAsync(
            new MiniXmppServerOptions
            {
                Domain = options.Domain,
                Port = options.Port,
                ComponentPort = options.ComponentPort,
                Components = secrets,
                Seed = options.Seed,
                TimeProvider = options.TimeProvider,
            },
            cancellationToken).ConfigureAwait(false);
        var fleet = new XmppFleet(server, options);
        try
        {
            for (var i = 0; i < options.Count; i++)
            {
                fleet._entities.Add(await fleet.StartEntityAsync(i, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        XmppSimulatorLog.FleetStarted(options.LoggerFactory.CreateLogger<XmppFleet>(), server.Port, server.Domain, server.ComponentPort, options.Count);
        return fleet;
    }

    /// <summary>Adds an account a judge logs in with (its password derives from the seed and the name).</summary>
    public (string User, string Password) AddJudgeAccount(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        var password = "judge-" + StableSeed.Mix(Options.Seed, user.Length, StringSeed(user)).ToString("x8", CultureInfo.InvariantCulture);
        Server.AddUser(user, password);
        lock (_gate)
        {
            _accounts[user] = password;
        }

        return (user, password);
    }

    /// <summary>Options for a client connection to this fleet's server as <paramref name="user"/>.</summary>
    public XmppClientOptions ClientOptions(string user, string password, string? resource = null) => new()
    {
        Domain = Domain,
        Host = ClientEndPoint.Address.ToString(),
        Port = ClientEndPoint.Port,
        User = user,
        Password = password,
        Resource = resource,
    };

    /// <summary>Disconnects the entities, then stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var entity in _entities)
        {
            await entity.DisposeAsync().ConfigureAwait(false);
        }

        _entities.Clear();
        await Server.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<FakeXmppEntity> StartEntityAsync(int index, CancellationToken cancellationToken)
    {
        var kind = Options.KindOf(index);
        var identity = DeviceIdentity.Create(DeviceKind.Xmpp, Options.Seed, index);
        var entityOptions = new FakeXmppEntityOptions
        {
            Kind = kind,
            Seed = Options.Seed,
            Index = index,
            Identity = identity,
            Quirk = Options.QuirkOf(index),
            TimeProvider = Options.TimeProvider,
            LoggerFactory = Options.LoggerFactory,
        };
        if (kind != XmppEntityKind.Client)
        {
            var domain = ComponentDomain(kind, index, Options.Domain);
            var component = new XmppComponentOptions { Domain = domain, Host = IPAddress.Loopback.ToString(), Port = Server.ComponentPort, Secret = Secret(Options.Seed, index) };
            return await FakeXmppEntity.ConnectComponentAsync(component, entityOptions, cancellationToken).ConfigureAwait(false);
        }

        var user = XmppEntityTemplates.Slug(identity.Name);
        var password = "pw-" + StableSeed.Mix(Options.Seed, index, 0x5057).ToString("x8", CultureInfo.InvariantCulture);
        Server.AddUser(user, password);
        lock (_gate)
        {
            _accounts[user] = password;
        }

        return await FakeXmppEntity.ConnectAsync(ClientOptions(user, password, "sim"), entityOptions, cancellationToken).ConfigureAwait(false);
    }

    private static string Secret(int seed, int index) => "secret-" + StableSeed.Mix(seed, index, 0x434F4D).ToString("x8", CultureInfo.InvariantCulture);

    private static int StringSeed(string text)
    {
        var values = text.Select(c => (int)c).ToArray();
        return StableSeed.Mix(values);
    }
}
