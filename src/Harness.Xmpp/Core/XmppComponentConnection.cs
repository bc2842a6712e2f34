using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Harness.Xmpp.Streams;
using Microsoft.Extensions.Logging;

namespace Harness.Xmpp.Core;

/// <summary>How <see cref="XmppComponentConnection"/> connects (XEP-0114).</summary>
public sealed record XmppComponentOptions
{
    /// <summary>The component's domain (the stream's <c>to</c> and the <see cref="IXmppStanzaChannel.LocalJid"/>), e.g. <c>disco.localhost</c>.</summary>
    public required string Domain { get; init; }

    /// <summary>The server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The server's component port (Prosody's default is 5347).</summary>
    public int Port { get; init; } = 5347;

    /// <summary>The shared secret.</summary>
    public required string Secret { get; init; }

    /// <summary>Bounds on what the server may send.</summary>
    public XmppReaderLimits Limits { get; init; } = XmppReaderLimits.Default;

    /// <summary>The longest connect and handshake may take.</summary>
    public TimeSpan NegotiationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful close waits for the server's <c>&lt;/stream:stream&gt;</c>.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws when an option is unusable; returns this.</summary>
    public XmppComponentOptions Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Domain);
        ArgumentException.ThrowIfNullOrEmpty(Host);
        ArgumentNullException.ThrowIfNull(Secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentNullException.ThrowIfNull(Limits);
        Limits.Validate();
        if (!Jid.TryParse(Domain, out var jid, out var error) || !jid.IsBare || jid.Local is not null)
        {
            throw new ArgumentException(error ?? "The component domain must be a bare domain.", nameof(Domain));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NegotiationTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CloseTimeout, TimeSpan.Zero);
        return this;
    }
}

/// <summary>
/// An external component stream (XEP-0114): <c>jabber:component:accept</c> to the component domain, handshake with
/// the lowercase hex SHA-1 of the stream id and the secret. <see cref="IXmppStanzaChannel.LocalJid"/> is the
/// component domain; stanzas sent without <c>from</c> get it, and automatic answers come from the address the
/// request was sent to (a component can serve many JIDs under its domain).
/// </summary>
public sealed class XmppComponentConnection : XmppConnection
{
    private readonly XmppComponentOptions _options;

    private XmppComponentConnection(XmppComponentOptions options, TimeProvider? timeProvider, ILogger? logger)
        : base(XmppNamespaces.ComponentAccept, timeProvider, logger, options.CloseTimeout)
    {
        _options = options;
        LocalJid = Jid.Parse(options.Domain);
    }

    /// <summary>The handshake value (XEP-0114 §3): lowercase hex SHA-1 of the stream id followed by the secret, in UTF-8.</summary>
    public static string ComputeHandshake(string streamId, string secret)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ArgumentNullException.ThrowIfNull(secret);
#pragma warning disable CA5350 // SHA-1 is what XEP-0114 specifies.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(streamId + secret)));
#pragma warning restore CA5350
    }

    /// <summary>Connects over TCP and performs the handshake.</summary>
    /// <exception cref="XmppStreamErrorException">The server refused (e.g. <c>not-authorized</c> for a bad secret, <c>host-unknown</c>).</exception>
    /// <exception cref="XmppStreamClosedException">The server closed the stream during the handshake.</exception>
    /// <exception cref="SocketException">The TCP connection failed.</exception>
    public static async Task<XmppComponentConnection> ConnectAsync(
        XmppComponentOptions options,
        TimeProvider? timeProvider = null,
        ILogger<XmppComponentConnection>? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = await ConnectTcpAsync(options.Host, options.Port, options.NegotiationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(client.GetStream(), client, options, timeProvider, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Performs the handshake over an already connected <paramref name="transport"/> (which it then owns).</summary>
    /// <exception cref="XmppStreamErrorException">The server refused.</exception>
    /// <exception cref="XmppStreamClosedException">The server closed the stream during the handshake.</exception>
    public static Task<XmppComponentConnection> ConnectAsync(
        Stream transport,
        XmppComponentOptions options,
        TimeProvider? timeProvider = null,
        ILogger<XmppComponentConnection>? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        return ConnectAsync(transport, null, options.Validate(), timeProvider, logger, cancellationToken);
    }

    private static async Task<XmppComponentConnection> ConnectAsync(
        Stream transport,
        IDisposable? owner,
        XmppComponentOptions options,
        TimeProvider? timeProvider,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        var connection = new XmppComponentConnection(options, timeProvider, logger);
        var peer = $"{options.Host}:{options.Port}";
        await connection.RunNegotiationAsync(
            transport,
            owner,
            options.Limits,
            peer,
            options.NegotiationTimeout,
            "Handshake",
            "component handshake",
            async ct =>
            {
                await connection.HandshakeAsync(ct).ConfigureAwait(false);
                return "component";
            },
            cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private protected override XElement PrepareOutgoing(XElement stanza)
    {
        if (stanza.Attribute("from") is not null)
        {
            return stanza;
        }

        var copy = new XElement(stanza);
        copy.SetAttributeValue("from", LocalJid.ToString());
        return copy;
    }

    private protected override string? ReplyFrom(XElement request) => (string?)request.Attribute("to") ?? LocalJid.ToString();

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(XmppStreamWriter.Header(XmppNamespaces.ComponentAccept, _options.Domain, null, null, null), cancellationToken).ConfigureAwait(false);
        var header = await Reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        PeerHeader = header;
        if (string.IsNullOrEmpty(header.Id))
        {
            throw new XmppNegotiationException("The server's stream header has no id to compute the handshake from.", condition: null);
        }

        var handshake = new XElement(XmppNamespaces.ComponentAccept + "handshake", ComputeHandshake(header.Id, _options.Secret));
        await WriteAsync(XmppStreamWriter.Stanza(handshake, XmppNamespaces.ComponentAccept), cancellationToken).ConfigureAwait(false);
        var answer = await ReadNegotiationElementAsync(cancellationToken).ConfigureAwait(false);
        if (answer.Name.LocalName != "handshake")
        {
            throw new XmppNegotiationException($"Expected an empty <handshake/>, got <{answer.Name.LocalName}>.", condition: null);
        }
    }
}
