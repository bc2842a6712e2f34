using System.Xml.Linq;
using Harness.Xmpp.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Xmpp.Disco;

/// <summary>
/// Answers disco#info and disco#items requests on a channel (XEP-0030): the node-less query from
/// <see cref="Root"/>, a query with <c>node='X'</c> from the node mounted at X (the answer echoes the node).
/// A node that is not mounted, or a mounted node without identity, is answered with <c>item-not-found</c>
/// (type <c>cancel</c>, RFC 6120 §8.3.3.7). Other iq (and iq set with a disco query) are left to the channel,
/// which answers <c>service-unavailable</c>.
/// </summary>
public sealed class DiscoServer : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Node> _mounts = new(StringComparer.Ordinal);
    private readonly IDisposable _infoHandler;
    private readonly IDisposable _itemsHandler;
    private readonly ILogger _logger;

    /// <summary>Starts answering on <paramref name="channel"/>.</summary>
    /// <param name="channel">The stream to answer on.</param>
    /// <param name="root">The entity's own node; by default a node with the identity <c>client/bot</c>.</param>
    /// <param name="logger">Optional logger.</param>
    public DiscoServer(IXmppStanzaChannel channel, Node? root = null, ILogger<DiscoServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        if (root is null)
        {
            root = new Node();
            root.RegisterIdentity("client", "bot", "Harness");
        }

        Root = root;
        Root.InfoChanged += OnRootInfoChanged;
        _infoHandler = channel.RegisterIqHandler("get", DiscoCodec.InfoQueryName, HandleInfoAsync);
        _itemsHandler = channel.RegisterIqHandler("get", DiscoCodec.ItemsQueryName, HandleItemsAsync);
    }

    /// <summary>The node that answers queries without a node attribute.</summary>
    public Node Root { get; }

    /// <summary>Raised after the root node's identities, features or forms changed.</summary>
    public event EventHandler? InfoChanged;

    /// <summary>The names of the mounted nodes.</summary>
    public IReadOnlyCollection<string> MountedNodes
    {
        get
        {
            lock (_gate)
            {
                return [.. _mounts.Keys];
            }
        }
    }

    /// <summary>Answers queries with <c>node='<paramref name="name"/>'</c> from <paramref name="node"/>.</summary>
    /// <exception cref="InvalidOperationException">A node is already mounted at that name.</exception>
    public void Mount(string name, Node node)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(node);
        lock (_gate)
        {
            if (!_mounts.TryAdd(name, node))
            {
                throw new InvalidOperationException($"A node is already mounted at '{name}'.");
            }
        }
    }

    /// <summary>Stops answering for the node; false when nothing was mounted there.</summary>
    public bool Unmount(string name)
    {
        lock (_gate)
        {
            return _mounts.Remove(name);
        }
    }

    /// <summary>True when a node is mounted at <paramref name="name"/>.</summary>
    public bool IsMounted(string name)
    {
        lock (_gate)
        {
            return _mounts.ContainsKey(name);
        }
    }

    /// <summary>Stops answering (removes the iq handlers).</summary>
    public void Dispose()
    {
        Root.InfoChanged -= OnRootInfoChanged;
        _infoHandler.Dispose();
        _itemsHandler.Dispose();
    }

    private void OnRootInfoChanged(object? sender, EventArgs e) => InfoChanged?.Invoke(this, EventArgs.Empty);

    private ValueTask<XElement?> HandleInfoAsync(XElement request, CancellationToken cancellationToken)
    {
        var (iq, query) = Split(request, DiscoCodec.InfoQueryName);
        var nodeName = (string?)query?.Attribute("node");
        var node = Find(nodeName);
        var info = node?.ToDiscoInfo(iq, nodeName);
        if (info is null || info.Identities.Count == 0)
        {
            DiscoLog.NodeNotFound(_logger, "info", nodeName ?? string.Empty, (string?)iq.Attribute("from") ?? string.Empty);
            throw new XmppStanzaException("cancel", "item-not-found");
        }

        return ValueTask.FromResult<XElement?>(DiscoCodec.WriteInfo(info));
    }

    private ValueTask<XElement?> HandleItemsAsync(XElement request, CancellationToken cancellationToken)
    {
        var (iq, query) = Split(request, DiscoCodec.ItemsQueryName);
        var nodeName = (string?)query?.Attribute("node");
        var node = Find(nodeName);
        if (node is null)
        {
            DiscoLog.NodeNotFound(_logger, "items", nodeName ?? string.Empty, (string?)iq.Attribute("from") ?? string.Empty);
            throw new XmppStanzaException("cancel", "item-not-found");
        }

        return ValueTask.FromResult<XElement?>(DiscoCodec.WriteItems(new DiscoItems(node.GetItems(iq), nodeName)));
    }

    private Node? Find(string? nodeName)
    {
        if (nodeName is null)
        {
            return Root;
        }

        lock (_gate)
        {
            return _mounts.GetValueOrDefault(nodeName);
        }
    }

    // The handler may be given the iq stanza or its payload; take both.
    private static (XElement Iq, XElement? Query) Split(XElement request, XName queryName) =>
        request.Name.LocalName == "iq" ? (request, request.Element(queryName)) : (request.Parent ?? request, request);
}
