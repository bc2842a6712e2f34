using System.Net.Security;
using Harness.Xmpp.Streams;

namespace Harness.Xmpp.Core;

/// <summary>When a client connection uses STARTTLS (RFC 6120 §5).</summary>
public enum XmppTlsMode
{
    /// <summary>Only when the server offers STARTTLS with <c>&lt;required/&gt;</c> (the default).</summary>
    WhenRequired,

    /// <summary>Whenever the server offers STARTTLS.</summary>
    WhenOffered,

    /// <summary>Always; a server that does not offer STARTTLS fails the negotiation.</summary>
    Required,

    /// <summary>Never; a server that requires STARTTLS fails the negotiation.</summary>
    Never,
}

/// <summary>How <see cref="XmppClientConnection"/> connects, authenticates and binds.</summary>
public sealed record XmppClientOptions
{
    /// <summary>The SASL mechanisms this client implements, most preferred first.</summary>
    public static IReadOnlyList<string> AllMechanisms { get; } = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

    /// <summary>
    /// A certificate validator that accepts any certificate: for loopback tests against self-signed servers only.
    /// </summary>
    public static RemoteCertificateValidationCallback AcceptAnyCertificate { get; } = (_, _, _, _) => true;

    /// <summary>The XMPP domain (the <c>to</c> of the stream, the domainpart of the JID).</summary>
    public required string Domain { get; init; }

    /// <summary>The host to connect to (name or address); the domain when null. No SRV lookup.</summary>
    public string? Host { get; init; }

    /// <summary>The TCP port.</summary>
    public int Port { get; init; } = 5222;

    /// <summary>The account's localpart.</summary>
    public required string User { get; init; }

    /// <summary>The password.</summary>
    public required string Password { get; init; }

    /// <summary>The resource to ask for; null lets the server choose.</summary>
    public string? Resource { get; init; }

    /// <summary>When STARTTLS is used.</summary>
    public XmppTlsMode Tls { get; init; } = XmppTlsMode.WhenRequired;

    /// <summary>Validates the server certificate; null uses the system's validation (with <see cref="Domain"/> as the name).</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>The SASL mechanisms to use, most preferred first (a subset of <see cref="AllMechanisms"/>).</summary>
    public IReadOnlyList<string> Mechanisms { get; init; } = AllMechanisms;

    /// <summary>Allows PLAIN on a stream without TLS (loopback tests); PLAIN is only used over TLS otherwise.</summary>
    public bool AllowPlainWithoutTls { get; init; }

    /// <summary>Bounds on what the server may send.</summary>
    public XmppReaderLimits Limits { get; init; } = XmppReaderLimits.Default;

    /// <summary>The longest the whole negotiation (connect, TLS, SASL, bind) may take.</summary>
    public TimeSpan NegotiationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful close waits for the server's <c>&lt;/stream:stream&gt;</c>.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The source of the SCRAM client nonce; a cryptographic generator when null (set it for reproducible tests).</summary>
    public Random? Random { get; init; }

    /// <summary>Throws when an option is unusable; returns this.</summary>
    public XmppClientOptions Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Domain);
        ArgumentException.ThrowIfNullOrEmpty(User);
        ArgumentNullException.ThrowIfNull(Password);
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentNullException.ThrowIfNull(Mechanisms);
        ArgumentNullException.ThrowIfNull(Limits);
        Limits.Validate();
        if (Mechanisms.Count == 0 || Mechanisms.Any(m => !AllMechanisms.Contains(m)))
        {
            throw new ArgumentException($"Mechanisms must be a non-empty subset of {string.Join(", ", AllMechanisms)}.", nameof(Mechanisms));
        }

        if (!Jid.TryParse(User + "@" + Domain + (Resource is null ? string.Empty : "/" + Resource), out _, out var error))
        {
            throw new ArgumentException(error, nameof(User));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NegotiationTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CloseTimeout, TimeSpan.Zero);
        return this;
    }
}
