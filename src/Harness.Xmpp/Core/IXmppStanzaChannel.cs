using System.Xml.Linq;

namespace Harness.Xmpp.Core;

/// <summary>
/// An established XMPP stream as the layers above it see it (disco, caps, the simulated nodes, the rules): send
/// stanzas, send an iq and await its answer, answer iq requests, see presence. A client connection (RFC 6120), a
/// component connection (XEP-0114) and in-memory test channels all implement it. Stanzas are
/// <see cref="XElement"/>s in the stream's content namespace (<c>jabber:client</c> or <c>jabber:component:accept</c>).
/// </summary>
public interface IXmppStanzaChannel
{
    /// <summary>The address this side has on the stream (the bound full JID, or the component's domain).</summary>
    Jid LocalJid { get; }

    /// <summary>The content namespace of stanzas on this stream (<c>jabber:client</c> or <c>jabber:component:accept</c>).</summary>
    XNamespace ContentNamespace { get; }

    /// <summary>True while the stream is open.</summary>
    bool IsConnected { get; }

    /// <summary>Sends one stanza as it is (the caller sets <c>to</c>, <c>from</c> where needed, and <c>id</c>).</summary>
    ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken);

    /// <summary>
    /// Sends an iq of type <c>get</c> or <c>set</c> (an id is assigned when it has none) and returns the
    /// <c>result</c> iq that answers it.
    /// </summary>
    /// <exception cref="XmppStanzaException">The answer was an <c>error</c> iq.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="XmppStreamClosedException">The stream closed before the answer.</exception>
    Task<XElement> SendIqAsync(XElement iq, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Answers iq requests of <paramref name="type"/> (<c>get</c> or <c>set</c>) whose payload element is named
    /// <paramref name="payload"/>. The handler returns the payload of the result (or null for an empty result) or
    /// throws <see cref="XmppStanzaException"/> for an error reply. An iq get/set no handler takes is answered with
    /// <c>service-unavailable</c>. Disposing the returned handle removes the handler.
    /// </summary>
    /// <exception cref="InvalidOperationException">A handler for the same type and payload is already registered.</exception>
    IDisposable RegisterIqHandler(string type, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler);

    /// <summary>Raised for every presence stanza received.</summary>
    event EventHandler<XElement>? PresenceReceived;

    /// <summary>Raised for every message stanza received.</summary>
    event EventHandler<XElement>? MessageReceived;

    /// <summary>Raised once when the stream closes, for whatever reason; pending iq calls fail with <see cref="XmppStreamClosedException"/>.</summary>
    event EventHandler? Closed;
}
