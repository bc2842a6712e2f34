using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Harness.Xmpp.Sasl;
using Harness.Xmpp.Streams;
using Microsoft.Extensions.Logging;

namespace Harness.Xmpp.Core;

/// <summary>
/// A client-to-server XMPP stream (RFC 6120): TCP connect, stream header, STARTTLS when the server requires it or
/// the options ask, SASL (SCRAM-SHA-256, SCRAM-SHA-1, PLAIN; PLAIN only over TLS unless allowed), stream restart,
/// resource binding and the legacy session when the server requires it. No initial presence is sent: the caller
/// sends it (with caps).
/// </summary>
public sealed class XmppClientConnection : XmppConnection
{
    private readonly XmppClientOptions _options;

    private XmppClientConnection(XmppClientOptions options, TimeProvider? timeProvider, ILogger? logger)
        : base(XmppNamespaces.Client, timeProvider, logger, options.CloseTimeout)
    {
        _options = options;
    }

    /// <summary>True when the stream runs over TLS.</summary>
    public bool IsEncrypted { get; private set; }

    /// <summary>The SASL mechanism that authenticated the stream.</summary>
    public string? Mechanism { get; private set; }

    /// <summary>The server's stream features after authentication (bind, session, caps, ...).</summary>
    public XElement? Features { get; private set; }

    /// <summary>Connects over TCP to <see cref="XmppClientOptions.Host"/>:<see cref="XmppClientOptions.Port"/> and negotiates the stream.</summary>
    /// <exception cref="XmppNegotiationException">TLS, SASL or binding failed.</exception>
    /// <exception cref="XmppStreamClosedException">The server closed the stream or sent a stream error during negotiation.</exception>
    /// <exception cref="SocketException">The TCP connection failed.</exception>
    public static async Task<XmppClientConnection> ConnectAsync(
        XmppClientOptions options,
        TimeProvider? timeProvider = null,
        ILogger<XmppClientConnection>? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = await ConnectTcpAsync(options.Host ?? options.Domain, options.Port, options.NegotiationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(client.GetStream(), client, options, timeProvider, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Negotiates a client stream over an already connected <paramref name="transport"/> (which it then owns).</summary>
    /// <exception cref="XmppNegotiationException">TLS, SASL or binding failed.</exception>
    /// <exception cref="XmppStreamClosedException">The server closed the stream or sent a stream error during negotiation.</exception>
    public static Task<XmppClientConnection> ConnectAsync(
        Stream transport,
        XmppClientOptions options,
        TimeProvider? timeProvider = null,
        ILogger<XmppClientConnection>? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        return ConnectAsync(transport, null, options.Validate(), timeProvider, logger, cancellationToken);
    }

    private static async Task<XmppClientConnection> ConnectAsync(
        Stream transport,
        IDisposable? owner,
        XmppClientOptions options,
        TimeProvider? timeProvider,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        var connection = new XmppClientConnection(options, timeProvider, logger);
        var peer = $"{options.Host ?? options.Domain}:{options.Port}";
        await connection.RunNegotiationAsync(
            transport,
            owner,
            options.Limits,
            peer,
            options.NegotiationTimeout,
            "Negotiation",
            "XMPP negotiation",
            async ct =>
            {
                await connection.NegotiateAsync(transport, ct).ConfigureAwait(false);
                return connection.Mechanism + (connection.IsEncrypted ? " over TLS" : " without TLS");
            },
            cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task NegotiateAsync(Stream transport, CancellationToken cancellationToken)
    {
        var authenticated = false;
        while (true)
        {
            await WriteAsync(XmppStreamWriter.Header(XmppNamespaces.Client, _options.Domain, null, null, "1.0"), cancellationToken).ConfigureAwait(false);
            var header = await Reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            PeerHeader = header;
            if (header.ContentNamespace != XmppNamespaces.Client)
            {
                throw new XmppStreamErrorException("invalid-namespace", $"The server's stream uses namespace '{header.ContentNamespace}', not jabber:client.", fromPeer: false);
            }

            if (header.Version is null || !header.Version.StartsWith("1.", StringComparison.Ordinal))
            {
                throw new XmppStreamErrorException("unsupported-version", $"The server's stream version is '{header.Version}', not 1.x.", fromPeer: false);
            }

            var features = await ReadNegotiationElementAsync(cancellationToken).ConfigureAwait(false);
            if (features.Name != XmppNamespaces.Streams + "features")
            {
                throw new XmppNegotiationException($"Expected <stream:features>, got <{features.Name}>.", condition: null);
            }

            var startTls = features.Element(XmppNamespaces.Tls + "starttls");
            if (!IsEncrypted && startTls is not null)
            {
                var required = startTls.Element(XmppNamespaces.Tls + "required") is not null;
                if (required && _options.Tls == XmppTlsMode.Never)
                {
                    throw new XmppNegotiationException("The server requires STARTTLS and the options say never.", "encryption-required");
                }

                if (required || _options.Tls is XmppTlsMode.WhenOffered or XmppTlsMode.Required)
                {
                    transport = await StartTlsAsync(transport, required, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (!IsEncrypted && _options.Tls == XmppTlsMode.Required)
            {
                throw new XmppNegotiationException("The options require TLS and the server does not offer STARTTLS.", "encryption-required");
            }

            if (!authenticated)
            {
                await AuthenticateAsync(features, cancellationToken).ConfigureAwait(false);
                authenticated = true;
                Reader.Restart();
                continue;
            }

            Features = features;
            await BindAsync(features, cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    private async Task<Stream> StartTlsAsync(Stream transport, bool required, CancellationToken cancellationToken)
    {
        XmppCoreLog.StartingTls(Logger, _options.Domain, required);
        await WriteAsync(XmppStreamWriter.Stanza(new XElement(XmppNamespaces.Tls + "starttls"), XmppNamespaces.Client), cancellationToken).ConfigureAwait(false);
        var answer = await ReadNegotiationElementAsync(cancellationToken).ConfigureAwait(false);
        if (answer.Name != XmppNamespaces.Tls + "proceed")
        {
            throw new XmppNegotiationException($"STARTTLS refused (<{answer.Name.LocalName}>).", answer.Name.LocalName);
        }

        var tls = new SslStream(transport, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = _options.Domain,
                RemoteCertificateValidationCallback = _options.CertificateValidation,
            },
            cancellationToken).ConfigureAwait(false);
        IsEncrypted = true;
        SetTransport(tls, tls, _options.Limits);
        return tls;
    }

    private async Task AuthenticateAsync(XElement features, CancellationToken cancellationToken)
    {
        var offered = features.Element(XmppNamespaces.Sasl + "mechanisms")?.Elements(XmppNamespaces.Sasl + "mechanism")
            .Select(m => m.Value.Trim()).ToList() ?? [];
        var mechanism = _options.Mechanisms.FirstOrDefault(m => offered.Contains(m, StringComparer.Ordinal)
            && (m != "PLAIN" || IsEncrypted || _options.AllowPlainWithoutTls));
        if (mechanism is null)
        {
            throw new XmppNegotiationException(
                $"No usable SASL mechanism: the server offers [{string.Join(", ", offered)}], this client uses [{string.Join(", ", _options.Mechanisms)}]"
                + (IsEncrypted || _options.AllowPlainWithoutTls ? "." : " (PLAIN only over TLS)."),
                "invalid-mechanism");
        }

        XmppCoreLog.Authenticating(Logger, _options.Domain, mechanism, string.Join(' ', offered));
        if (mechanism == "PLAIN")
        {
            await SendSaslAsync("auth", SaslPlain.InitialResponse(_options.User, _options.Password), mechanism, cancellationToken).ConfigureAwait(false);
            var answer = await ReadSaslAsync(cancellationToken).ConfigureAwait(false);
            if (answer.Name.LocalName != "success")
            {
                throw new XmppNegotiationException($"PLAIN: unexpected <{answer.Name.LocalName}>.", condition: null);
            }
        }
        else
        {
            var scram = new ScramClient(mechanism, _options.User, _options.Password, ScramClient.CreateNonce(_options.Random));
            await SendSaslAsync("auth", Encoding.UTF8.GetBytes(scram.ClientFirstMessage), mechanism, cancellationToken).ConfigureAwait(false);
            var challenge = await ReadSaslAsync(cancellationToken).ConfigureAwait(false);
            if (challenge.Name.LocalName != "challenge")
            {
                throw new XmppNegotiationException($"{mechanism}: expected a challenge, got <{challenge.Name.LocalName}>.", condition: null);
            }

            string final;
            try
            {
                final = scram.ProcessServerFirst(Decode(challenge));
            }
            catch (FormatException ex)
            {
                await SendSaslAsync("abort", null, null, cancellationToken).ConfigureAwait(false);
                throw new XmppNegotiationException($"{mechanism}: {ex.Message}", condition: null);
            }

            await SendSaslAsync("response", Encoding.UTF8.GetBytes(final), null, cancellationToken).ConfigureAwait(false);
            var answer = await ReadSaslAsync(cancellationToken).ConfigureAwait(false);
            if (answer.Name.LocalName == "challenge")
            {
                // Some servers send the server-final message as a challenge and the success empty.
                var serverFinal = Decode(answer);
                await SendSaslAsync("response", null, null, cancellationToken).ConfigureAwait(false);
                answer = await ReadSaslAsync(cancellationToken).ConfigureAwait(false);
                if (answer.Name.LocalName == "success" && answer.Value.Trim().Length == 0)
                {
                    answer = new XElement(answer.Name, Convert.ToBase64String(Encoding.UTF8.GetBytes(serverFinal)));
                }
            }

            if (answer.Name.LocalName != "success")
            {
                throw new XmppNegotiationException($"{mechanism}: unexpected <{answer.Name.LocalName}>.", condition: null);
            }

            if (!scram.VerifyServerFinal(Decode(answer)))
            {
                throw new XmppNegotiationException($"{mechanism}: the server's signature is wrong; the server does not know the password.", "server-signature");
            }
        }

        Mechanism = mechanism;
    }

    private ValueTask SendSaslAsync(string name, byte[]? payload, string? mechanism, CancellationToken cancellationToken)
    {
        var element = new XElement(
            XmppNamespaces.Sasl + name,
            mechanism is null ? null : new XAttribute("mechanism", mechanism),
            payload is null ? null : (payload.Length == 0 ? "=" : Convert.ToBase64String(payload)));
        return WriteAsync(XmppStreamWriter.Stanza(element, XmppNamespaces.Client), cancellationToken);
    }

    private async Task<XElement> ReadSaslAsync(CancellationToken cancellationToken)
    {
        var answer = await ReadNegotiationElementAsync(cancellationToken).ConfigureAwait(false);
        if (answer.Name.Namespace != XmppNamespaces.Sasl)
        {
            throw new XmppNegotiationException($"Expected a SASL element, got <{answer.Name}>.", condition: null);
        }

        if (answer.Name.LocalName == "failure")
        {
            var condition = answer.Elements().FirstOrDefault(e => e.Name.LocalName != "text")?.Name.LocalName;
            var text = (string?)answer.Element(XmppNamespaces.Sasl + "text");
            throw new XmppNegotiationException($"SASL failure {condition}" + (text is null ? "." : ": " + text), condition ?? "failure");
        }

        return answer;
    }

    private static string Decode(XElement element)
    {
        var text = element.Value.Trim();
        if (text is "" or "=")
        {
            return string.Empty;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException ex)
        {
            throw new XmppNegotiationException($"The server's SASL data is not base64: {ex.Message}", "incorrect-encoding");
        }
    }

    private async Task BindAsync(XElement features, CancellationToken cancellationToken)
    {
        if (features.Element(XmppNamespaces.Bind + "bind") is null)
        {
            throw new XmppNegotiationException("The server does not offer resource binding.", condition: null);
        }

        var bind = new XElement(XmppNamespaces.Bind + "bind", _options.Resource is null ? null : new XElement(XmppNamespaces.Bind + "resource", _options.Resource));
        var result = await NegotiationIqAsync(bind, cancellationToken).ConfigureAwait(false);
        var jidText = (string?)result.Element(XmppNamespaces.Bind + "bind")?.Element(XmppNamespaces.Bind + "jid");
        if (!Jid.TryParse(jidText, out var jid) || jid.IsBare)
        {
            throw new XmppNegotiationException($"The bind result carries no full JID ('{jidText}').", condition: null);
        }

        LocalJid = jid;
        var session = features.Element(XmppNamespaces.Session + "session");
        if (session is not null && session.Element(XmppNamespaces.Session + "optional") is null)
        {
            await NegotiationIqAsync(new XElement(XmppNamespaces.Session + "session"), cancellationToken).ConfigureAwait(false);
        }
    }

    // An iq set before the receive loop runs: reads until the answer with the same id.
    private async Task<XElement> NegotiationIqAsync(XElement payload, CancellationToken cancellationToken)
    {
        var id = NextId();
        var iq = new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "set"), new XAttribute("id", id), payload);
        await WriteAsync(XmppStreamWriter.Stanza(iq, XmppNamespaces.Client), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var answer = await ReadNegotiationElementAsync(cancellationToken).ConfigureAwait(false);
            if (answer.Name != XmppNamespaces.Client + "iq" || (string?)answer.Attribute("id") != id)
            {
                continue;
            }

            if ((string?)answer.Attribute("type") == "result")
            {
                return answer;
            }

            var error = answer.Element(XmppNamespaces.Client + "error");
            var condition = error?.Elements().FirstOrDefault(e => e.Name.Namespace == XmppNamespaces.Stanzas && e.Name.LocalName != "text")?.Name.LocalName;
            throw new XmppNegotiationException($"<{payload.Name.LocalName}> failed: {condition ?? "error"}.", condition);
        }
    }
}
