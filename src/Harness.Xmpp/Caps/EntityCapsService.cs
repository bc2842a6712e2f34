using System.Xml.Linq;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Xmpp.Caps;

/// <summary>Settings of an <see cref="EntityCapsService"/>.</summary>
public sealed record EntityCapsOptions
{
    /// <summary>The XEP-0115 node: a URI naming this software.</summary>
    public string Node { get; init; } = "https://harness.invalid/caps";

    /// <summary>Use and emit XEP-0115 caps.</summary>
    public bool Xep115 { get; init; } = true;

    /// <summary>Use and emit XEP-0390 caps.</summary>
    public bool Xep390 { get; init; } = true;

    /// <summary>The XEP-0390 algorithms emitted.</summary>
    public IReadOnlyList<string> Algorithms390 { get; init; } = Caps390.DefaultAlgorithms;

    /// <summary>How many recent hash sets keep answering their caps nodes (XMPP-CAPS-022, XMPP-CAPS2-006).</summary>
    public int KeptHashSets { get; init; } = 3;

    /// <summary>Send the last presence again, with the new caps, when our caps change (XMPP-CAPS-021).</summary>
    public bool RepublishOnChange { get; init; } = true;
}

/// <summary>
/// Entity capabilities on a channel (modelled on aioxmpp's <c>EntityCapsService</c>). Outgoing: computes our caps from
/// the <see cref="DiscoServer"/>'s root node (XEP-0115 sha-1 ver and a XEP-0390 hash set), mounts a snapshot of the
/// root at every caps node of the last <see cref="EntityCapsOptions.KeptHashSets"/> sets, recomputes when the root
/// changes, and puts the <c>c</c> elements in available presence (<see cref="AddCaps"/>, <see cref="SendPresenceAsync"/>).
/// Incoming: for every available presence with caps, a cached hash primes the <see cref="DiscoClient"/> for that JID
/// (no disco#info is sent, XMPP-CACHE-007); an unknown hash is verified through the <see cref="CapsCache"/> and the
/// JID's node-less info waits for that verification (falling back to a plain disco#info when it fails). XEP-0390 hashes take precedence over XEP-0115 (XMPP-CAPS2-009);
/// legacy and unsupported XEP-0115 hashes are not used (XMPP-CAPS-013/014).
/// </summary>
public sealed class EntityCapsService : IDisposable
{
    private readonly IXmppStanzaChannel _channel;
    private readonly DiscoServer _server;
    private readonly DiscoClient _client;
    private readonly CapsCache _cache;
    private readonly EntityCapsOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly RegisteredFeature? _feature115;
    private readonly RegisteredFeature? _feature390;
    private readonly List<IReadOnlyList<string>> _hashSets = [];
    private readonly Dictionary<string, int> _nodeUsers = new(StringComparer.Ordinal);
    private XElement? _lastPresence;
    private string? _ver;
    private IReadOnlyList<Caps390Hash> _hashSet = [];

    /// <summary>Starts the service: registers the caps features on the root node and computes our caps.</summary>
    public EntityCapsService(IXmppStanzaChannel channel, DiscoServer server, DiscoClient client, CapsCache cache, EntityCapsOptions? options = null, ILogger<EntityCapsService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);
        _channel = channel;
        _server = server;
        _client = client;
        _cache = cache;
        _options = options ?? new EntityCapsOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.KeptHashSets);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        if (_options.Xep115)
        {
            _feature115 = new RegisteredFeature(server.Root, Caps115.NamespaceName, enabled: !server.Root.HasFeature(Caps115.NamespaceName));
        }

        if (_options.Xep390)
        {
            _feature390 = new RegisteredFeature(server.Root, Caps390.NamespaceName, enabled: !server.Root.HasFeature(Caps390.NamespaceName));
        }

        Update();
        _server.InfoChanged += OnInfoChanged;
        _channel.PresenceReceived += OnPresence;
    }

    /// <summary>Raised after our caps changed (a new ver / hash set).</summary>
    public event EventHandler? CapsChanged;

    /// <summary>Our current XEP-0115 ver (sha-1), or null when XEP-0115 is off.</summary>
    public string? CurrentVer
    {
        get
        {
            lock (_gate)
            {
                return _ver;
            }
        }
    }

    /// <summary>Our current XEP-0390 hash set (empty when XEP-0390 is off).</summary>
    public IReadOnlyList<Caps390Hash> CurrentHashSet
    {
        get
        {
            lock (_gate)
            {
                return _hashSet;
            }
        }
    }

    /// <summary>
    /// Adds our caps to an available presence (replacing any <c>c</c> elements in it); other presence types are
    /// returned unchanged. Returns the same element.
    /// </summary>
    public XElement AddCaps(XElement presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        if (presence.Attribute("type") is not null)
        {
            return presence;
        }

        presence.Elements(CapsElement.Caps115Name).Remove();
        presence.Elements(CapsElement.Caps390Name).Remove();
        lock (_gate)
        {
            if (_ver is not null)
            {
                presence.Add(CapsElement.Build115(_options.Node, _ver));
            }

            if (_hashSet.Count > 0)
            {
                presence.Add(CapsElement.Build390(_hashSet));
            }
        }

        return presence;
    }

    /// <summary>Sends a presence with our caps; an available one is remembered and sent again when our caps change.</summary>
    public ValueTask SendPresenceAsync(XElement presence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presence);
        AddCaps(presence);
        lock (_gate)
        {
            _lastPresence = presence.Attribute("type") is null && presence.Attribute("to") is null ? new XElement(presence) : _lastPresence;
        }

        return _channel.SendAsync(presence, cancellationToken);
    }

    /// <summary>Stops watching presence, unmounts the caps nodes and removes the caps features.</summary>
    public void Dispose()
    {
        _channel.PresenceReceived -= OnPresence;
        _server.InfoChanged -= OnInfoChanged;
        lock (_gate)
        {
            foreach (var node in _nodeUsers.Keys)
            {
                _server.Unmount(node);
            }

            _nodeUsers.Clear();
            _hashSets.Clear();
        }

        _feature115?.Dispose();
        _feature390?.Dispose();
    }

    private void OnInfoChanged(object? sender, EventArgs e)
    {
        if (Update())
        {
            CapsChanged?.Invoke(this, EventArgs.Empty);
            XElement? again;
            lock (_gate)
            {
                again = _options.RepublishOnChange && _lastPresence is not null ? new XElement(_lastPresence) : null;
            }

            if (again is not null && _channel.IsConnected)
            {
                _ = RepublishAsync(again);
            }
        }
    }

    private async Task RepublishAsync(XElement presence)
    {
        try
        {
            await _channel.SendAsync(AddCaps(presence), CancellationToken.None).ConfigureAwait(false);
        }
        catch (XmppStreamClosedException)
        {
            // The stream went away; the next session announces its caps anew.
        }
    }

    // Recomputes our caps; true when they changed.
    private bool Update()
    {
        var snapshot = StaticNode.Clone(_server.Root);
        var info = snapshot.ToDiscoInfo();
        var ver = _options.Xep115 ? Caps115.ComputeVer(info) : null;
        var hashSet = _options.Xep390 ? Caps390.ComputeHashSet(info, _options.Algorithms390) : [];
        var nodes = new List<string>();
        if (ver is not null)
        {
            nodes.Add(_options.Node + "#" + ver);
        }

        nodes.AddRange(hashSet.Select(h => h.Node));
        lock (_gate)
        {
            if (_hashSets.Count > 0 && _hashSets[^1].SequenceEqual(nodes))
            {
                return false;
            }

            foreach (var node in nodes)
            {
                var users = _nodeUsers.GetValueOrDefault(node);
                if (users == 0)
                {
                    _server.Unmount(node);
                    _server.Mount(node, snapshot);
                }

                _nodeUsers[node] = users + 1;
            }

            _hashSets.Add(nodes);
            while (_hashSets.Count > _options.KeptHashSets)
            {
                foreach (var node in _hashSets[0])
                {
                    if (--_nodeUsers[node] == 0)
                    {
                        _nodeUsers.Remove(node);
                        _server.Unmount(node);
                    }
                }

                _hashSets.RemoveAt(0);
            }

            _ver = ver;
            _hashSet = hashSet;
        }

        DiscoLog.OwnCapsChanged(_logger, ver ?? string.Join(",", hashSet.Select(h => h.Node)));
        return true;
    }

    private void OnPresence(object? sender, XElement presence)
    {
        if (presence.Attribute("type") is not null || !Jid.TryParse((string?)presence.Attribute("from"), out var from))
        {
            return;
        }

        var candidates = new List<(CapsKey Key, string QueryNode)>();
        if (_options.Xep390 && CapsElement.Read390(presence) is { } hashes)
        {
            candidates.AddRange(hashes.Where(h => Caps390.IsSupported(h.Algorithm)).Select(h => (CapsKey.For390(h), h.Node)));
        }

        if (_options.Xep115 && candidates.Count == 0 && CapsElement.Read115(presence) is { IsLegacy: false } caps
            && Caps115.IsSupported(caps.Hash) && !string.IsNullOrEmpty(caps.Node) && !string.IsNullOrEmpty(caps.Ver))
        {
            candidates.Add((CapsKey.For115(caps.Hash!, caps.Ver), caps.DiscoNode));
        }

        if (candidates.Count > 0)
        {
            _ = HandleCapsAsync(from, candidates);
        }
    }

    private async Task HandleCapsAsync(Jid from, List<(CapsKey Key, string QueryNode)> candidates)
    {
        foreach (var (key, _) in candidates)
        {
            var known = await _cache.LookupAsync(key, CancellationToken.None).ConfigureAwait(false);
            if (known is not null)
            {
                _client.PrimeInfo(from, null, known);
                return;
            }
        }

        var (firstKey, queryNode) = candidates[0];
        var verification = _cache.BeginVerification(from, firstKey, queryNode);
        if (verification is not null)
        {
            _client.PrimeInfo(from, null, UnwrapAsync(verification, from));
        }
    }

    // The JID's node-less info: the verified entry, or, when verification failed, the JID's own answer to a plain
    // disco#info (nothing caps-derived, XMPP-CAPS-016).
    private async Task<DiscoInfo> UnwrapAsync(Task<DiscoInfo?> verification, Jid from) =>
        await verification.ConfigureAwait(false)
        ?? await _client.QueryInfoAsync(from, null, new DiscoQueryOptions(RequireFresh: true, NoCache: true)).ConfigureAwait(false);
}
