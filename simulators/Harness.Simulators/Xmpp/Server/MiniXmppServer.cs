using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;

namespace Harness.Simulators.Xmpp.Server;

/// <summary>
/// A minimal in-process XMPP server for fast, deterministic tests: one domain on 127.0.0.1, client streams (RFC 6120:
/// optional STARTTLS, SASL SCRAM-SHA-1 / PLAIN / ANONYMOUS, bind, optional legacy session) and component streams
/// (XEP-0114 handshake). It routes iq, message and presence between sessions: an iq get/set to an address that is not
/// connected bounces with <c>service-unavailable</c>; presence without <c>to</c> goes to every other client session
/// (no roster), directed presence to its addressee. It answers disco#info (identity server/im), disco#items and ping
/// for its domain, and disco#info for a user's bare JID (account/registered). Written apart from Harness.Xmpp's client
/// on purpose (its own XmlReader loop and serialization), so the two check each other.
/// </summary>
public sealed class MiniXmppServer : IAsyncDisposable
{
    internal static readonly XNamespace Streams = "http://etherx.jabber.org/streams";
    internal static readonly XNamespace ClientNs = "jabber:client";
    internal static readonly XNamespace ComponentNs = "jabber:component:accept";
    internal static readonly XNamespace StanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";
    internal static readonly XNamespace DiscoInfo = "http://jabber.org/protocol/disco#info";
    internal static readonly XNamespace DiscoItems = "http://jabber.org/protocol/disco#items";
    internal static readonly XNamespace Ping = "urn:xmpp:ping";

    private readonly TcpListener _clients;
    private readonly TcpListener _components;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, string> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<MiniXmppSession, byte> _sessions = new();
    private readonly List<Task> _tasks = [];
    private readonly Lock _gate = new();
    private long _stanzas;
    private int _streamIds;
    private int _resources;

    private MiniXmppServer(MiniXmppServerOptions options, TcpListener clients, TcpListener components, X509Certificate2? certificate)
    {
        Options = options;
        _clients = clients;
        _components = components;
        Certificate = certificate;
        Random = new Random(options.Seed);
    }

    /// <summary>The options the server runs with.</summary>
    public MiniXmppServerOptions Options { get; }

    /// <summary>The served domain.</summary>
    public string Domain => Options.Domain;

    /// <summary>The c2s port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_clients.LocalEndpoint).Port;

    /// <summary>The component port on 127.0.0.1.</summary>
    public int ComponentPort => ((IPEndPoint)_components.LocalEndpoint).Port;

    /// <summary>The self-signed certificate offered with STARTTLS, when enabled.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The full JIDs of bound client sessions and the domains of connected components.</summary>
    public IReadOnlyList<string> ConnectedAddresses => [.. _sessions.Keys.Where(s => s.Address is not null).Select(s => s.Address!)];

    /// <summary>Raised for every stanza received after negotiation (before the fault hook and routing), with its sender.</summary>
    public event Action<string, XElement>? StanzaReceived;

    internal Random Random { get; }

    internal CancellationToken Stopping => _stop.Token;

    /// <summary>Starts listening on 127.0.0.1.</summary>
    public static Task<MiniXmppServer> StartAsync(MiniXmppServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Domain);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var mechanism in options.Mechanisms)
        {
            if (mechanism is not ("SCRAM-SHA-1" or "PLAIN" or "ANONYMOUS"))
            {
                throw new ArgumentException($"The mini server does not implement {mechanism}.", nameof(options));
            }
        }

        var certificate = options.OfferStartTls || options.RequireStartTls ? CreateCertificate(options) : null;
        var clients = new TcpListener(IPAddress.Loopback, options.Port);
        var components = new TcpListener(IPAddress.Loopback, options.ComponentPort);
        clients.Start();
        components.Start();
        var server = new MiniXmppServer(options, clients, components, certificate);
        server._tasks.Add(Task.Run(() => server.AcceptLoopAsync(clients, component: false)));
        server._tasks.Add(Task.Run(() => server.AcceptLoopAsync(components, component: true)));
        return Task.FromResult(server);
    }

    /// <summary>Adds (or replaces) an account.</summary>
    public void AddUser(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        _users[user] = password;
    }

    /// <summary>Closes the session bound to <paramref name="address"/> (full JID or component domain): gracefully with
    /// <c>&lt;/stream:stream&gt;</c>, or by dropping the TCP connection.</summary>
    public async Task DisconnectAsync(string address, bool graceful)
    {
        var session = Find(address) ?? throw new InvalidOperationException($"No session is bound to {address}.");
        await session.CloseAsync(graceful).ConfigureAwait(false);
    }

    /// <summary>Stops listening and closes every session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _clients.Stop();
        _components.Stop();
        foreach (var session in _sessions.Keys)
        {
            await session.CloseAsync(graceful: false).ConfigureAwait(false);
        }

        Task[] tasks;
        lock (_gate)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        Certificate?.Dispose();
        _stop.Dispose();
    }

    internal string? PasswordOf(string user) => _users.TryGetValue(user, out var password) ? password : null;

    internal bool HasUser(string user) => _users.ContainsKey(user);

    internal string NextStreamId() => "s" + Interlocked.Increment(ref _streamIds).ToString(CultureInfo.InvariantCulture) + "x" + Options.Seed.ToString(CultureInfo.InvariantCulture);

    internal string NextResource() => "r" + Interlocked.Increment(ref _resources).ToString(CultureInfo.InvariantCulture);

    internal string ServerNonce()
    {
        var bytes = new byte[18];
        lock (_gate)
        {
            Random.NextBytes(bytes);
        }

        return Convert.ToBase64String(bytes);
    }

    internal bool IsBound(string fullJid) => Find(fullJid) is not null;

    internal MiniXmppSession? Find(string address) =>
        _sessions.Keys.FirstOrDefault(s => s.Address is not null && string.Equals(s.Address, address, StringComparison.OrdinalIgnoreCase));

    internal void Removed(MiniXmppSession session)
    {
        _sessions.TryRemove(session, out _);
        if (session.LastPresence is not null && !session.IsComponent)
        {
            var gone = new XElement(ClientNs + "presence", new XAttribute("type", "unavailable"), new XAttribute("from", session.Address!));
            foreach (var other in OtherClients(session))
            {
                other.Enqueue(gone);
            }
        }
    }

    /// <summary>Everything a negotiated session receives comes here.</summary>
    internal async Task RouteAsync(MiniXmppSession sender, XElement stanza, long sessionIndex)
    {
        var index = Interlocked.Increment(ref _stanzas);
        StanzaReceived?.Invoke(sender.Address!, stanza);
        var action = Options.Faults?.Invoke(new MiniXmppStanzaContext(sender.Address!, stanza, index, sessionIndex)) ?? MiniXmppFaultAction.Deliver;
        switch (action)
        {
            case MiniXmppFaultAction.Drop:
                return;
            case MiniXmppFaultAction.Disconnect:
                await sender.CloseAsync(graceful: false).ConfigureAwait(false);
                return;
            case MiniXmppFaultAction.CloseStream:
                await sender.CloseAsync(graceful: true).ConfigureAwait(false);
                return;
        }

        // Stamp the sender: a client's from is always its full JID; a component may use any address in its domain.
        var copy = new XElement(stanza);
        copy.Name = ClientNs + stanza.Name.LocalName;
        if (sender.IsComponent)
        {
            var from = (string?)copy.Attribute("from");
            if (from is null || !DomainOf(from).Equals(sender.Address, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
        else
        {
            copy.SetAttributeValue("from", sender.Address);
        }

        var kind = copy.Name.LocalName;
        var type = (string?)copy.Attribute("type");
        var to = (string?)copy.Attribute("to");
        if (kind == "presence" && to is null)
        {
            BroadcastPresence(sender, copy, type);
            return;
        }

        to ??= Domain;
        var domain = DomainOf(to);
        var local = LocalOf(to);
        var resource = ResourceOf(to);
        if (domain.Equals(Domain, StringComparison.OrdinalIgnoreCase))
        {
            if (local is null)
            {
                if (kind == "iq")
                {
                    Reply(sender, copy, AnswerServerIq(copy));
                }

                return;
            }

            if (resource is not null)
            {
                if (Find(to) is { } target)
                {
                    target.Enqueue(copy);
                }
                else
                {
                    Bounce(sender, copy, "service-unavailable");
                }

                return;
            }

            // A bare JID: the server answers iq on the account's behalf; message and presence go to every session.
            if (kind == "iq")
            {
                Reply(sender, copy, AnswerAccountIq(copy, local));
                return;
            }

            foreach (var session in _sessions.Keys.Where(s => !s.IsComponent && s.Address is not null
                && string.Equals(LocalOf(s.Address), local, StringComparison.OrdinalIgnoreCase)))
            {
                session.Enqueue(copy);
            }

            return;
        }

        if (Options.Components.ContainsKey(domain))
        {
            if (Find(domain) is { } component)
            {
                component.Enqueue(copy);
            }
            else
            {
                Bounce(sender, copy, "service-unavailable");
            }

            return;
        }

        Bounce(sender, copy, "remote-server-not-found");
    }

    internal void Track(Task task)
    {
        lock (_gate)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    private void BroadcastPresence(MiniXmppSession sender, XElement presence, string? type)
    {
        if (sender.IsComponent || type is not (null or "unavailable"))
        {
            return;
        }

        var first = sender.LastPresence is null && type is null;
        sender.LastPresence = type is null ? presence : null;
        foreach (var other in OtherClients(sender))
        {
            other.Enqueue(presence);
            if (first && other.LastPresence is { } current)
            {
                sender.Enqueue(current);
            }
        }
    }

    private IEnumerable<MiniXmppSession> OtherClients(MiniXmppSession session) =>
        _sessions.Keys.Where(s => s != session && !s.IsComponent && s.Address is not null);

    internal void Bound(MiniXmppSession session) => _sessions.TryAdd(session, 0);

    // null: the request gets an empty result; an element: the result payload; a string condition: an error.
    private object? AnswerServerIq(XElement iq)
    {
        var type = (string?)iq.Attribute("type");
        var payload = iq.Elements().FirstOrDefault();
        if (type is not ("get" or "set"))
        {
            return Ignore.Instance;
        }

        if (iq.Elements().Skip(1).Any())
        {
            // An iq get/set carries exactly one payload (RFC 6120 §8.2.3).
            return "bad-request";
        }

        if (type == "get" && payload?.Name == DiscoInfo + "query" && payload.Attribute("node") is null)
        {
            return new XElement(
                DiscoInfo + "query",
                new XElement(DiscoInfo + "identity", new XAttribute("category", "server"), new XAttribute("type", "im"), new XAttribute("name", "Harness mini server")),
                new XElement(DiscoInfo + "feature", new XAttribute("var", DiscoInfo.NamespaceName)),
                new XElement(DiscoInfo + "feature", new XAttribute("var", DiscoItems.NamespaceName)),
                new XElement(DiscoInfo + "feature", new XAttribute("var", Ping.NamespaceName)));
        }

        if (type == "get" && payload?.Name == DiscoInfo + "query")
        {
            return "item-not-found";
        }

        if (type == "get" && payload?.Name == DiscoItems + "query")
        {
            // The server has items at its root only (XEP-0030 §7: a node that does not exist is item-not-found).
            return payload.Attribute("node") is null
                ? new XElement(DiscoItems + "query", Options.Components.Keys.Select(c => new XElement(DiscoItems + "item", new XAttribute("jid", c))))
                : "item-not-found";
        }

        if (type == "get" && payload?.Name == Ping + "ping")
        {
            return null;
        }

        return "service-unavailable";
    }

    private object? AnswerAccountIq(XElement iq, string local)
    {
        var type = (string?)iq.Attribute("type");
        var payload = iq.Elements().FirstOrDefault();
        if (type is not ("get" or "set"))
        {
            return Ignore.Instance;
        }

        if (iq.Elements().Skip(1).Any())
        {
            return "bad-request";
        }

        if (type == "get" && payload?.Name == DiscoItems + "query" && payload.Attribute("node") is null)
        {
            // An account's items, or any bare JID's when the account does not exist: an empty result (XEP-0030 §4.1, §8),
            // which reveals nothing about which accounts exist.
            return new XElement(DiscoItems + "query");
        }

        if (HasUser(local) && type == "get" && payload?.Name == DiscoInfo + "query" && payload.Attribute("node") is null)
        {
            return new XElement(
                DiscoInfo + "query",
                new XElement(DiscoInfo + "identity", new XAttribute("category", "account"), new XAttribute("type", "registered")),
                new XElement(DiscoInfo + "feature", new XAttribute("var", DiscoInfo.NamespaceName)));
        }

        return "service-unavailable";
    }

    private static void Reply(MiniXmppSession sender, XElement request, object? answer)
    {
        switch (answer)
        {
            case Ignore:
                return;
            case string condition:
                Bounce(sender, request, condition);
                return;
            default:
                var reply = new XElement(ClientNs + "iq", new XAttribute("type", "result"), request.Attribute("id"),
                    new XAttribute("from", (string?)request.Attribute("to") ?? sender.Server.Domain),
                    new XAttribute("to", (string)request.Attribute("from")!),
                    answer as XElement);
                sender.Enqueue(reply);
                return;
        }
    }

    private static void Bounce(MiniXmppSession sender, XElement request, string condition)
    {
        var type = (string?)request.Attribute("type");
        if (request.Name.LocalName == "iq" && type is not ("get" or "set"))
        {
            return;
        }

        if (type == "error" || request.Name.LocalName == "presence")
        {
            return;
        }

        var error = new XElement(ClientNs + request.Name.LocalName, new XAttribute("type", "error"), request.Attribute("id"),
            new XAttribute("from", (string?)request.Attribute("to") ?? sender.Server.Domain),
            new XAttribute("to", (string)request.Attribute("from")!),
            new XElement(ClientNs + "error", new XAttribute("type", "cancel"), new XElement(StanzaErrors + condition)));
        sender.Enqueue(error);
    }

    internal static string DomainOf(string jid)
    {
        var slash = jid.IndexOf('/', StringComparison.Ordinal);
        var bare = slash < 0 ? jid : jid[..slash];
        var at = bare.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? bare : bare[(at + 1)..];
    }

    private static string? LocalOf(string jid)
    {
        var slash = jid.IndexOf('/', StringComparison.Ordinal);
        var bare = slash < 0 ? jid : jid[..slash];
        var at = bare.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? null : bare[..at];
    }

    private static string? ResourceOf(string jid)
    {
        var slash = jid.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : jid[(slash + 1)..];
    }

    private async Task AcceptLoopAsync(TcpListener listener, bool component)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            client.NoDelay = true;
            var session = new MiniXmppSession(this, client, component);
            _sessions.TryAdd(session, 0);
            Track(Task.Run(session.RunAsync));
        }
    }

    private static X509Certificate2 CreateCertificate(MiniXmppServerOptions options)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + options.Domain, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(options.Domain);
        request.CertificateExtensions.Add(names.Build());
        var now = options.TimeProvider.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed class Ignore
    {
        public static readonly Ignore Instance = new();
    }
}
