using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using System.Xml;
using System.Xml.Linq;

namespace Harness.Simulators.Xmpp.Server;

/// <summary>One TCP connection to <see cref="MiniXmppServer"/>: a client stream or a component stream.</summary>
internal sealed class MiniXmppSession
{
    private const int MaxDepth = 128;
    private static readonly XNamespace Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    private static readonly XNamespace Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static readonly XNamespace Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    private static readonly XNamespace Session = "urn:ietf:params:xml:ns:xmpp-session";
    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly TcpClient _client;
    private readonly Channel<(byte[] Bytes, TaskCompletionSource? Done)> _outbound =
        Channel.CreateUnbounded<(byte[], TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private volatile Stream _stream;
    private bool _tls;
    private string? _user;
    private long _received;
    private bool _sessionEstablished;
    private int _closing;

    public MiniXmppSession(MiniXmppServer server, TcpClient client, bool component)
    {
        Server = server;
        _client = client;
        _stream = client.GetStream();
        IsComponent = component;
    }

    public MiniXmppServer Server { get; }

    public bool IsComponent { get; }

    /// <summary>The bound full JID, or the component domain after the handshake; null before.</summary>
    public string? Address { get; private set; }

    /// <summary>The last available broadcast presence (null when none or unavailable).</summary>
    public XElement? LastPresence { get; set; }

    private XNamespace ContentNs => IsComponent ? MiniXmppServer.ComponentNs : MiniXmppServer.ClientNs;

    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        try
        {
            if (IsComponent)
            {
                await RunComponentAsync().ConfigureAwait(false);
            }
            else
            {
                await RunClientAsync().ConfigureAwait(false);
            }
        }
        catch (XmlException)
        {
            await SendStreamErrorAsync("not-well-formed").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException or DecoderFallbackException)
        {
            // The peer went away or broke the stream; nothing more to say to it.
        }
        finally
        {
            Server.Removed(this);
            _outbound.Writer.TryComplete();
            await writer.ConfigureAwait(false);
            _client.Dispose();
        }
    }

    public void Enqueue(XElement stanza) => _outbound.Writer.TryWrite((Serialize(stanza), null));

    public async Task CloseAsync(bool graceful)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        try
        {
            if (graceful)
            {
                await SendRawAsync("</stream:stream>").ConfigureAwait(false);
            }

            // TcpClient.Dispose clears Client.
            var socket = (Socket?)_client.Client;
            if (graceful)
            {
                socket?.Shutdown(SocketShutdown.Send);
            }
            else
            {
                socket?.Close(0);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _outbound.Writer.TryComplete();
    }

    private async Task RunClientAsync()
    {
        var authenticated = false;
        while (true)
        {
            var reader = CreateReader(_stream);
            var to = await ReadHeaderAsync(reader).ConfigureAwait(false);
            if (to is null)
            {
                return;
            }

            await SendRawAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='{Server.Domain}' id='{Server.NextStreamId()}' version='1.0' xml:lang='en'>").ConfigureAwait(false);
            if (!string.Equals(to, Server.Domain, StringComparison.OrdinalIgnoreCase))
            {
                await SendStreamErrorAsync("host-unknown").ConfigureAwait(false);
                return;
            }

            var options = Server.Options;
            var offerTls = (options.OfferStartTls || options.RequireStartTls) && !_tls;
            var saslAllowed = !authenticated && (_tls || !options.RequireStartTls);
            var features = new XElement(MiniXmppServer.Streams + "features");
            if (offerTls)
            {
                features.Add(new XElement(Tls + "starttls", options.RequireStartTls ? new XElement(Tls + "required") : null));
            }

            if (saslAllowed)
            {
                features.Add(new XElement(Sasl + "mechanisms", options.Mechanisms.Select(m => new XElement(Sasl + "mechanism", m))));
            }

            if (authenticated)
            {
                features.Add(new XElement(Bind + "bind"));
                features.Add(new XElement(Session + "session", options.RequireSession ? null : new XElement(Session + "optional")));
            }

            await SendAsync(features).ConfigureAwait(false);
            var restart = false;
            while (!restart)
            {
                var element = await NextAsync(reader).ConfigureAwait(false);
                if (element is null)
                {
                    await CloseAsync(graceful: true).ConfigureAwait(false);
                    return;
                }

                if (element.Name == Tls + "starttls" && offerTls)
                {
                    await SendAsync(new XElement(Tls + "proceed")).ConfigureAwait(false);
                    var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Server.Certificate }, Server.Stopping).ConfigureAwait(false);
                    _stream = tls;
                    _tls = true;
                    restart = true;
                }
                else if (element.Name == Sasl + "auth" && saslAllowed)
                {
                    if (await AuthenticateAsync(reader, element).ConfigureAwait(false))
                    {
                        authenticated = true;
                        restart = true;
                    }
                }
                else if (authenticated && element.Name == MiniXmppServer.ClientNs + "iq" && Address is null)
                {
                    await BindAsync(element).ConfigureAwait(false);
                }
                else if (Address is not null && element.Name.Namespace == MiniXmppServer.ClientNs)
                {
                    if (element.Name.LocalName == "iq" && element.Element(Session + "session") is not null && (string?)element.Attribute("type") == "set")
                    {
                        _sessionEstablished = true;
                        await SendAsync(new XElement(MiniXmppServer.ClientNs + "iq", new XAttribute("type", "result"), element.Attribute("id"))).ConfigureAwait(false);
                        continue;
                    }

                    if (options.RequireSession && !_sessionEstablished)
                    {
                        await SendStreamErrorAsync("not-authorized").ConfigureAwait(false);
                        return;
                    }

                    await Server.RouteAsync(this, element, Interlocked.Increment(ref _received)).ConfigureAwait(false);
                }
                else
                {
                    await SendStreamErrorAsync("not-authorized").ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private async Task<bool> AuthenticateAsync(XmlReader reader, XElement auth)
    {
        var mechanism = (string?)auth.Attribute("mechanism");
        if (mechanism is null || !Server.Options.Mechanisms.Contains(mechanism))
        {
            await SaslFailureAsync("invalid-mechanism").ConfigureAwait(false);
            return false;
        }

        var initial = Decode(auth.Value);
        switch (mechanism)
        {
            case "ANONYMOUS":
                return await SaslSuccessAsync("anon-" + Server.NextResource(), null).ConfigureAwait(false);
            case "PLAIN":
                var parts = initial?.Split('\0');
                if (parts is { Length: 3 } && Server.PasswordOf(parts[1]) is { } password
                    && CryptographicOperations.FixedTimeEquals(Utf8.GetBytes(password), Utf8.GetBytes(parts[2])))
                {
                    return await SaslSuccessAsync(parts[1], null).ConfigureAwait(false);
                }

                await SaslFailureAsync("not-authorized").ConfigureAwait(false);
                return false;
            default:
                var scram = new MiniScram(Server.PasswordOf, Server.Options.ScramIterations, Server.Options.Seed);
                if (string.IsNullOrEmpty(initial))
                {
                    await SendAsync(new XElement(Sasl + "challenge", "=")).ConfigureAwait(false);
                    initial = Decode((await NextAsync(reader).ConfigureAwait(false))?.Value ?? string.Empty);
                }

                var serverFirst = initial is null ? null : scram.Start(initial, Server.ServerNonce());
                if (serverFirst is null)
                {
                    await SaslFailureAsync("malformed-request").ConfigureAwait(false);
                    return false;
                }

                await SendAsync(new XElement(Sasl + "challenge", Convert.ToBase64String(Utf8.GetBytes(serverFirst)))).ConfigureAwait(false);
                var response = await NextAsync(reader).ConfigureAwait(false);
                if (response?.Name != Sasl + "response")
                {
                    await SaslFailureAsync("aborted").ConfigureAwait(false);
                    return false;
                }

                var serverFinal = Decode(response.Value) is { } final ? scram.Finish(final) : null;
                if (serverFinal is null || Server.PasswordOf(scram.User!) is null)
                {
                    await SaslFailureAsync("not-authorized").ConfigureAwait(false);
                    return false;
                }

                return await SaslSuccessAsync(scram.User!, serverFinal).ConfigureAwait(false);
        }
    }

    private async Task<bool> SaslSuccessAsync(string user, string? additionalData)
    {
        _user = user;
        await SendAsync(new XElement(Sasl + "success", additionalData is null ? null : Convert.ToBase64String(Utf8.GetBytes(additionalData)))).ConfigureAwait(false);
        return true;
    }

    private Task SaslFailureAsync(string condition) =>
        SendAsync(new XElement(Sasl + "failure", new XElement(Sasl + condition)));

    private async Task BindAsync(XElement iq)
    {
        var bind = iq.Element(Bind + "bind");
        if (bind is null || (string?)iq.Attribute("type") != "set")
        {
            await SendAsync(new XElement(MiniXmppServer.ClientNs + "iq", new XAttribute("type", "error"), iq.Attribute("id"),
                new XElement(MiniXmppServer.ClientNs + "error", new XAttribute("type", "auth"), new XElement(MiniXmppServer.StanzaErrors + "not-authorized")))).ConfigureAwait(false);
            return;
        }

        var resource = (string?)bind.Element(Bind + "resource");
        if (string.IsNullOrWhiteSpace(resource))
        {
            resource = Server.NextResource();
        }

        var jid = $"{_user}@{Server.Domain}/{resource}";
        if (Server.IsBound(jid))
        {
            jid += "-" + Server.NextResource();
        }

        Address = jid;
        Server.Bound(this);
        await SendAsync(new XElement(MiniXmppServer.ClientNs + "iq", new XAttribute("type", "result"), iq.Attribute("id"),
            new XElement(Bind + "bind", new XElement(Bind + "jid", jid)))).ConfigureAwait(false);
    }

    private async Task RunComponentAsync()
    {
        var reader = CreateReader(_stream);
        var to = await ReadHeaderAsync(reader).ConfigureAwait(false);
        if (to is null)
        {
            return;
        }

        var id = Server.NextStreamId();
        await SendRawAsync($"<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='{to}' id='{id}'>").ConfigureAwait(false);
        if (!Server.Options.Components.TryGetValue(to, out var secret) || reader.LookupNamespace(string.Empty) != MiniXmppServer.ComponentNs.NamespaceName)
        {
            await SendStreamErrorAsync("host-unknown").ConfigureAwait(false);
            return;
        }

        var handshake = await NextAsync(reader).ConfigureAwait(false);
#pragma warning disable CA5350 // XEP-0114 specifies SHA-1.
        var expected = Convert.ToHexStringLower(SHA1.HashData(Utf8.GetBytes(id + secret)));
#pragma warning restore CA5350
        if (handshake?.Name != MiniXmppServer.ComponentNs + "handshake" || handshake.Value.Trim() != expected)
        {
            await SendStreamErrorAsync("not-authorized").ConfigureAwait(false);
            return;
        }

        if (Server.Find(to) is not null)
        {
            await SendStreamErrorAsync("conflict").ConfigureAwait(false);
            return;
        }

        Address = to;
        await SendAsync(new XElement(MiniXmppServer.ComponentNs + "handshake")).ConfigureAwait(false);
        while (await NextAsync(reader).ConfigureAwait(false) is { } element)
        {
            if (element.Name.Namespace == MiniXmppServer.ComponentNs && element.Name.LocalName is "iq" or "message" or "presence")
            {
                await Server.RouteAsync(this, element, Interlocked.Increment(ref _received)).ConfigureAwait(false);
            }
        }

        await CloseAsync(graceful: true).ConfigureAwait(false);
    }

    private static XmlReader CreateReader(Stream stream) => XmlReader.Create(stream, new XmlReaderSettings
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = false,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    });

    // Reads up to the stream element; returns its 'to' (empty when missing), or null when the input ended.
    private static async Task<string?> ReadHeaderAsync(XmlReader reader)
    {
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                return reader.LocalName == "stream" && reader.NamespaceURI == MiniXmppServer.Streams.NamespaceName
                    ? reader.GetAttribute("to") ?? string.Empty
                    : throw new XmlException("The stream does not start with <stream:stream>.");
            }
        }

        return null;
    }

    // The next top-level element, built here with no read past its end tag (the peer may be waiting for an answer);
    // null when the peer closed the stream.
    private static async Task<XElement?> NextAsync(XmlReader reader)
    {
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == 0)
            {
                return null;
            }

            if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1)
            {
                continue;
            }

            var root = NewElement(reader);
            if (reader.IsEmptyElement)
            {
                return root;
            }

            var open = new Stack<XElement>();
            open.Push(root);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (open.Count >= MaxDepth)
                        {
                            throw new XmlException("Too deep.");
                        }

                        var child = NewElement(reader);
                        open.Peek().Add(child);
                        if (!reader.IsEmptyElement)
                        {
                            open.Push(child);
                        }

                        break;
                    case XmlNodeType.EndElement:
                        var closed = open.Pop();
                        if (open.Count == 0)
                        {
                            return closed;
                        }

                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.Whitespace:
                    case XmlNodeType.SignificantWhitespace:
                        open.Peek().Add(new XText(await reader.GetValueAsync().ConfigureAwait(false)));
                        break;
                }
            }

            return null;
        }

        return null;
    }

    private static XElement NewElement(XmlReader reader)
    {
        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        for (var i = 0; i < reader.AttributeCount; i++)
        {
            reader.MoveToAttribute(i);
            if (reader.NamespaceURI != "http://www.w3.org/2000/xmlns/")
            {
                element.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
            }
        }

        reader.MoveToElement();
        return element;
    }

    private byte[] Serialize(XElement stanza)
    {
        var copy = new XElement(stanza);
        foreach (var element in copy.DescendantsAndSelf())
        {
            var ns = element.Name.Namespace;
            if ((ns == MiniXmppServer.ClientNs || ns == MiniXmppServer.ComponentNs || ns == ContentNs)
                && (element.Parent is null || element.Parent.Name.Namespace == XNamespace.None))
            {
                element.Name = element.Name.LocalName;
            }
        }

        return Utf8.GetBytes(copy.ToString(SaveOptions.DisableFormatting));
    }

    private Task SendAsync(XElement element) => SendBytesAsync(Serialize(element));

    private Task SendRawAsync(string text) => SendBytesAsync(Utf8.GetBytes(text));

    private Task SendStreamErrorAsync(string condition) =>
        SendRawAsync($"<stream:error><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");

    private Task SendBytesAsync(byte[] bytes)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _outbound.Writer.TryWrite((bytes, done)) ? done.Task : Task.CompletedTask;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var (bytes, done) in _outbound.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    await _stream.WriteAsync(bytes).ConfigureAwait(false);
                    await _stream.FlushAsync().ConfigureAwait(false);
                }
                finally
                {
                    done?.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The connection is gone; the read side ends the session.
            _client.Client.Close(0);
        }
        finally
        {
            while (_outbound.Reader.TryRead(out var item))
            {
                item.Done?.TrySetResult();
            }
        }
    }

    private static string? Decode(string text)
    {
        text = text.Trim();
        if (text is "" or "=")
        {
            return string.Empty;
        }

        try
        {
            return Utf8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
