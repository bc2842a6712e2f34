using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Simulators.Xmpp;

/// <summary>
/// A stanza channel over another one: everything passes through to <see cref="Inner"/> (events subscribe there) unless
/// a decorator overrides it.
/// </summary>
internal abstract class StanzaChannelDecorator(IXmppStanzaChannel inner) : IXmppStanzaChannel
{
    public virtual Jid LocalJid => Inner.LocalJid;

    public XNamespace ContentNamespace => Inner.ContentNamespace;

    public bool IsConnected => Inner.IsConnected;

    /// <summary>The decorated channel.</summary>
    protected IXmppStanzaChannel Inner { get; } = inner;

    public event EventHandler<XElement>? PresenceReceived
    {
        add => Inner.PresenceReceived += value;
        remove => Inner.PresenceReceived -= value;
    }

    public event EventHandler<XElement>? MessageReceived
    {
        add => Inner.MessageReceived += value;
        remove => Inner.MessageReceived -= value;
    }

    public event EventHandler? Closed
    {
        add => Inner.Closed += value;
        remove => Inner.Closed -= value;
    }

    public virtual ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken) => Inner.SendAsync(stanza, cancellationToken);

    public virtual Task<XElement> SendIqAsync(XElement iq, TimeSpan timeout, CancellationToken cancellationToken) =>
        Inner.SendIqAsync(iq, timeout, cancellationToken);

    public virtual IDisposable RegisterIqHandler(string type, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler) =>
        Inner.RegisterIqHandler(type, payload, handler);
}
