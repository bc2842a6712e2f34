using System.Xml.Linq;

namespace Harness.Simulators.Xmpp.Server;

/// <summary>What a fault hook makes <see cref="MiniXmppServer"/> do with a stanza it received.</summary>
public enum MiniXmppFaultAction
{
    /// <summary>Handle it normally.</summary>
    Deliver,

    /// <summary>Drop it silently (no delivery, no bounce): the sender's iq times out.</summary>
    Drop,

    /// <summary>Drop it and close the sender's TCP connection at once, without a stream end.</summary>
    Disconnect,

    /// <summary>Drop it and close the sender's stream gracefully (<c>&lt;/stream:stream&gt;</c>, then the connection).</summary>
    CloseStream,
}

/// <summary>A stanza as the fault hook sees it.</summary>
/// <param name="Sender">The sender's address (full JID, or the component domain).</param>
/// <param name="Stanza">The stanza as received (do not modify).</param>
/// <param name="Index">1-based count of stanzas the server has received from all sessions after negotiation.</param>
/// <param name="SessionIndex">1-based count of stanzas received from this sender after negotiation.</param>
public sealed record MiniXmppStanzaContext(string Sender, XElement Stanza, long Index, long SessionIndex);

/// <summary>Options of <see cref="MiniXmppServer"/>.</summary>
public sealed record MiniXmppServerOptions
{
    /// <summary>The one domain the server serves.</summary>
    public string Domain { get; init; } = "localhost";

    /// <summary>The c2s port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The component port on 127.0.0.1; 0 picks a free one.</summary>
    public int ComponentPort { get; init; }

    /// <summary>Component domains and their secrets (XEP-0114).</summary>
    public IReadOnlyDictionary<string, string> Components { get; init; } = new Dictionary<string, string>();

    /// <summary>The SASL mechanisms offered, in order: any of <c>SCRAM-SHA-1</c>, <c>PLAIN</c>, <c>ANONYMOUS</c>.</summary>
    public IReadOnlyList<string> Mechanisms { get; init; } = ["SCRAM-SHA-1", "PLAIN"];

    /// <summary>Offer STARTTLS (with a self-signed certificate made at start).</summary>
    public bool OfferStartTls { get; init; }

    /// <summary>Offer STARTTLS with <c>&lt;required/&gt;</c> and withhold SASL until TLS is up.</summary>
    public bool RequireStartTls { get; init; }

    /// <summary>Advertise the legacy session feature without <c>&lt;optional/&gt;</c>, so clients must establish it.</summary>
    public bool RequireSession { get; init; }

    /// <summary>The SCRAM iteration count.</summary>
    public int ScramIterations { get; init; } = 4096;

    /// <summary>
    /// Called for each stanza received after negotiation, before routing; its answer decides the stanza's fate
    /// (tests inject drops and disconnects with it).
    /// </summary>
    public Func<MiniXmppStanzaContext, MiniXmppFaultAction>? Faults { get; init; }

    /// <summary>Seeds the server's nonces, salts and stream ids.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The clock (only the self-signed certificate's validity uses it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A hook that drops every stanza after the first <paramref name="count"/> (from all sessions).</summary>
    public static Func<MiniXmppStanzaContext, MiniXmppFaultAction> DropAfter(long count) =>
        context => context.Index > count ? MiniXmppFaultAction.Drop : MiniXmppFaultAction.Deliver;

    /// <summary>A hook that disconnects the sender of the stanza number <paramref name="count"/> + 1 (from all sessions).</summary>
    public static Func<MiniXmppStanzaContext, MiniXmppFaultAction> DisconnectAfter(long count) =>
        context => context.Index > count ? MiniXmppFaultAction.Disconnect : MiniXmppFaultAction.Deliver;
}
