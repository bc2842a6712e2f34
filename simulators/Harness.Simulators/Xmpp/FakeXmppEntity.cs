using System.Xml.Linq;
using Harness.Simulators.Identity;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Microsoft.Extensions.Logging;

namespace Harness.Simulators.Xmpp;

/// <summary>
/// A simulated XMPP entity on a stream: it answers disco#info and disco#items for itself and its nodes (and, for a
/// MUC service, its rooms), with XEP-0128 forms; it computes its XEP-0115 ver and XEP-0390 hash set, mounts the caps
/// nodes of its last three hash sets, and (client kind) sends an initial presence with both caps elements. It answers
/// ping and software version. The contents derive from a seeded <see cref="DeviceIdentity"/> and are deterministic.
/// A quirk (<see cref="XmppQuirks"/>) decorates what it serves, how it computes its caps, and the channel.
/// </summary>
public sealed class FakeXmppEntity : IAsyncDisposable
{
    /// <summary>How many hash sets keep their caps nodes mounted after a change (XMPP-CAPS-022, XMPP-CAPS2-006).</summary>
    public const int KeptHashSets = 3;

    private static readonly XNamespace VersionNamespace = "jabber:iq:version";
    private static readonly XNamespace PingNamespace = "urn:xmpp:ping";

    private readonly IXmppStanzaChannel _wire;
    private readonly IXmppStanzaChannel _channel;
    private readonly IAsyncDisposable? _connection;
    private readonly AddressRouter _router;
    private readonly DiscoServer _disco;
    private readonly List<DiscoServer> _rooms = [];
    private readonly List<IDisposable> _handlers = [];
    private readonly EntityNode _root;
    private readonly XmppQuirkPlan _plan;
    private readonly EntitySpec _spec;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<List<string>> _hashSets = [];
    private string _announcedVer = string.Empty;
    private IReadOnlyList<Caps390Hash> _announcedHashes = [];
    private int _changes;
    private int _disposed;

    private FakeXmppEntity(IXmppStanzaChannel wire, FakeXmppEntityOptions options, DeviceIdentity identity, XmppQuirk? quirk, IAsyncDisposable? connection)
    {
        _wire = wire;
        Options = options;
        Identity = identity;
        Quirk = quirk;
        _plan = quirk?.Plan ?? XmppQuirkPlan.None;
        _connection = connection;
        _logger = options.LoggerFactory.CreateLogger<FakeXmppEntity>();
        _channel = _plan == XmppQuirkPlan.None ? wire : new QuirkChannel(wire, _plan, () => this);
        _router = new AddressRouter(_channel);
        var random = new Random(StableSeed.Mix(options.Seed, options.Index, (int)options.Kind, 0x584D50));
        _spec = XmppEntityTemplates.Build(options.Kind, identity, random, wire.LocalJid);

        _root = new EntityNode(_plan.RootInfo);
        Fill(_root, _spec.Root);
        _root.RegisterFeature(Caps115.NamespaceName);
        if (!_plan.Without390)
        {
            _root.RegisterFeature(Caps390.NamespaceName);
        }

        _disco = new DiscoServer(_router.Root, _root, options.LoggerFactory.CreateLogger<DiscoServer>());
        foreach (var (name, spec) in _spec.Nodes)
        {
            var node = new Node();
            Fill(node, spec);
            _disco.Mount(name, node);
        }

        foreach (var (jid, spec) in _spec.Rooms)
        {
            var room = new Node();
            Fill(room, spec);
            _rooms.Add(new DiscoServer(_router.View(jid), room, options.LoggerFactory.CreateLogger<DiscoServer>()));
        }

        if (_root.HasFeature("urn:xmpp:ping"))
        {
            _handlers.Add(_router.Root.RegisterIqHandler("get", PingNamespace + "ping", (_, _) => ValueTask.FromResult<XElement?>(null)));
        }

        if (_root.HasFeature(VersionNamespace.NamespaceName))
        {
            _handlers.Add(_router.Root.RegisterIqHandler("get", VersionNamespace + "query", (_, _) => ValueTask.FromResult<XElement?>(new XElement(
                VersionNamespace + "query",
                new XElement(VersionNamespace + "name", _spec.Software),
                new XElement(VersionNamespace + "version", Identity.FirmwareVersion),
                new XElement(VersionNamespace + "os", _spec.OperatingSystem)))));
        }

        UpdateCaps();
    }

    /// <summary>The entity's address (the bound full JID of a client, the domain of a component).</summary>
    public Jid Jid => _wire.LocalJid;

    /// <summary>The options it was made with.</summary>
    public FakeXmppEntityOptions Options { get; }

    /// <summary>Who it says it is.</summary>
    public DeviceIdentity Identity { get; }

    /// <summary>Its quirk, or null when it conforms.</summary>
    public XmppQuirk? Quirk { get; }

    /// <summary>The channel it answers on (with the quirk's decorator, when it has one).</summary>
    public IXmppStanzaChannel Channel => _channel;

    /// <summary>The root disco#info a conforming entity answers (identities, features, forms; no node): the correct value.</summary>
    public DiscoInfo RootInfo => _root.Pristine();

    /// <summary>The root disco#info the entity actually serves (what its quirk makes of <see cref="RootInfo"/>).</summary>
    public DiscoInfo ServedRootInfo => _root.ToDiscoInfo();

    /// <summary>The root disco#items (empty for a client).</summary>
    public IReadOnlyList<DiscoItem> RootItems => _spec.Root.Items;

    /// <summary>The names of the nodes it serves besides the caps nodes (in a stable order).</summary>
    public IReadOnlyList<string> NodeNames => [.. _spec.Nodes.Select(n => n.Key)];

    /// <summary>The JIDs of a MUC service's rooms (empty for other kinds).</summary>
    public IReadOnlyList<Jid> RoomJids => [.. _spec.Rooms.Select(r => r.Key)];

    /// <summary>The XEP-0115 node (a URI naming the software).</summary>
    public string CapsNode => _spec.CapsNode;

    /// <summary>The XEP-0115 sha-1 ver of <see cref="RootInfo"/> by §5.1: the correct value.</summary>
    public string Caps115Ver => Caps115.ComputeVer(RootInfo);

    /// <summary>The XEP-0390 hash set of <see cref="RootInfo"/> (empty when the entity does not do XEP-0390): the correct value.</summary>
    public IReadOnlyList<Caps390Hash> Caps390Hashes =>
        _plan.Without390 || !Caps390.TryBuildHashInput(RootInfo, out _, out _) ? [] : Caps390.ComputeHashSet(RootInfo);

    /// <summary>The ver the entity announces (differs from <see cref="Caps115Ver"/> under some quirks).</summary>
    public string AnnouncedVer
    {
        get
        {
            lock (_gate)
            {
                return _announcedVer;
            }
        }
    }

    /// <summary>The XEP-0390 hash set the entity announces.</summary>
    public IReadOnlyList<Caps390Hash> AnnouncedHashes
    {
        get
        {
            lock (_gate)
            {
                return _announcedHashes;
            }
        }
    }

    /// <summary>How many times <see cref="ChangeFeaturesAsync"/> ran.</summary>
    public int FeatureChanges => Volatile.Read(ref _changes);

    /// <summary>
    /// Serves disco, caps, ping and version on an already connected <paramref name="channel"/>; a client kind then
    /// sends its initial presence with caps. The channel stays the caller's.
    /// </summary>
    public static Task<FakeXmppEntity> AttachAsync(IXmppStanzaChannel channel, FakeXmppEntityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        return AttachAsync(channel, options, null, cancellationToken);
    }

    /// <summary>Connects as a client (to <c>MiniXmppServer</c> or a real server) and attaches; the entity owns the connection.</summary>
    public static async Task<FakeXmppEntity> ConnectAsync(XmppClientOptions connection, FakeXmppEntityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = await XmppClientConnection.ConnectAsync(connection, options.TimeProvider, options.LoggerFactory.CreateLogger<XmppClientConnection>(), cancellationToken).ConfigureAwait(false);
        return await AttachAsync(client, options, client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects as a XEP-0114 component and attaches; the entity owns the connection.</summary>
    public static async Task<FakeXmppEntity> ConnectComponentAsync(XmppComponentOptions connection, FakeXmppEntityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var component = await XmppComponentConnection.ConnectAsync(connection, options.TimeProvider, options.LoggerFactory.CreateLogger<XmppComponentConnection>(), cancellationToken).ConfigureAwait(false);
        return await AttachAsync(component, options, component, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The presence stanza the entity sends now (with its caps, before the quirk's rewrite).</summary>
    public XElement BuildPresence()
    {
        var presence = new XElement(_wire.ContentNamespace + "presence");
        lock (_gate)
        {
            presence.Add(CapsElement.Build115(CapsNode, _announcedVer));
            if (_announcedHashes.Count > 0)
            {
                presence.Add(CapsElement.Build390(_announcedHashes));
            }
        }

        return presence;
    }

    /// <summary>Sends an available presence with the current caps (through the quirk's decorator).</summary>
    public ValueTask SendPresenceAsync(CancellationToken cancellationToken) => _channel.SendAsync(BuildPresence(), cancellationToken);

    /// <summary>
    /// Adds a feature (the next of a fixed list): the ver and hash set are recomputed, the new caps nodes mounted (the
    /// last <see cref="KeptHashSets"/> sets keep answering) and a client sends a new presence.
    /// </summary>
    public async Task ChangeFeaturesAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _changes);
        var extra = XmppEntityTemplates.ExtraFeatures;
        var feature = n <= extra.Count ? extra[n - 1] : "urn:harness:feature:" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _root.RegisterFeature(feature);
        UpdateCaps();
        XmppSimulatorLog.FeaturesChanged(_logger, Jid.ToString(), feature, AnnouncedVer);
        if (Options.Kind == XmppEntityKind.Client)
        {
            await SendPresenceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops answering; closes the connection when the entity made it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var handler in _handlers)
        {
            handler.Dispose();
        }

        foreach (var room in _rooms)
        {
            room.Dispose();
        }

        _disco.Dispose();
        _router.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<FakeXmppEntity> AttachAsync(IXmppStanzaChannel channel, FakeXmppEntityOptions options, IAsyncDisposable? connection, CancellationToken cancellationToken)
    {
        FakeXmppEntity? entity = null;
        try
        {
            options.Validate();
            var identity = options.Identity ?? DeviceIdentity.Create(DeviceKind.Xmpp, options.Seed, options.Index);
            var quirk = options.Quirk is null ? null : XmppQuirks.Find(options.Quirk);
            entity = new FakeXmppEntity(channel, options, identity, quirk, connection);
            if (options.Kind == XmppEntityKind.Client)
            {
                await entity.SendPresenceAsync(cancellationToken).ConfigureAwait(false);
            }

            XmppSimulatorLog.Attached(entity._logger, entity.Jid.ToString(), options.Kind, quirk?.Name ?? "-", entity.AnnouncedVer);
            return entity;
        }
        catch
        {
            if (entity is not null)
            {
                await entity.DisposeAsync().ConfigureAwait(false);
            }
            else if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static void Fill(Node node, NodeSpec spec)
    {
        foreach (var identity in spec.Identities)
        {
            node.RegisterIdentity(identity.Category, identity.Type, identity.Names);
        }

        foreach (var feature in spec.Features)
        {
            if (!node.HasFeature(feature))
            {
                node.RegisterFeature(feature);
            }
        }

        foreach (var form in spec.Forms)
        {
            node.RegisterForm(form);
        }

        foreach (var item in spec.Items)
        {
            node.AddItem(item);
        }
    }

    // Computes the caps of what is served now (as the quirk says) and mounts their nodes; keeps the last sets mounted.
    private void UpdateCaps()
    {
        var info = _root.ToDiscoInfo();
        lock (_gate)
        {
            if (_plan.StaleCaps && _hashSets.Count > 0)
            {
                return; // The caps were computed once; the live root keeps answering their nodes.
            }

            var ver = Caps115.ComputeVer(_plan.VerInput?.Invoke(info) ?? info, Caps115.DefaultAlgorithm, _plan.VerVariant);
            IReadOnlyList<Caps390Hash> hashes = _plan.Without390 || !Caps390.TryBuildHashInput(info, out _, out _) ? [] : Caps390.ComputeHashSet(info);
            Node target = _plan.StaleCaps ? _root : new FrozenNode(info);
            var names = new List<string> { CapsNode + "#" + ver };
            names.AddRange(hashes.Select(h => h.Node));
            foreach (var name in names)
            {
                _disco.Unmount(name);
                _disco.Mount(name, target);
            }

            _hashSets.Add(names);
            while (_hashSets.Count > KeptHashSets)
            {
                var old = _hashSets[0];
                _hashSets.RemoveAt(0);
                foreach (var name in old.Where(n => !_hashSets.Exists(s => s.Contains(n))))
                {
                    _disco.Unmount(name);
                }
            }

            _announcedVer = ver;
            _announcedHashes = hashes;
        }
    }

    /// <summary>The entity's own node: what it serves is what the quirk makes of what is registered.</summary>
    private sealed class EntityNode(Func<DiscoInfo, DiscoInfo>? deviate) : Node
    {
        public DiscoInfo Pristine(XElement? request = null) => new(base.GetIdentities(request), base.GetFeatures(request), base.GetForms(request));

        public override IReadOnlyList<Harness.Xmpp.Disco.Identity> GetIdentities(XElement? request = null) => Served(request).Identities;

        public override IReadOnlyList<string> GetFeatures(XElement? request = null) => Served(request).Features;

        public override IReadOnlyList<DataForm> GetForms(XElement? request = null) => Served(request).Forms;

        private DiscoInfo Served(XElement? request) => deviate is null ? Pristine(request) : deviate(Pristine(request));
    }

    /// <summary>A caps node: the info a hash set was computed from, as it was then (duplicates and all).</summary>
    private sealed class FrozenNode(DiscoInfo info) : Node
    {
        public override IReadOnlyList<Harness.Xmpp.Disco.Identity> GetIdentities(XElement? request = null) => info.Identities;

        public override IReadOnlyList<string> GetFeatures(XElement? request = null) => info.Features;

        public override IReadOnlyList<DataForm> GetForms(XElement? request = null) => info.Forms;

        public override IReadOnlyList<DiscoItem> GetItems(XElement? request = null) => [];
    }
}
