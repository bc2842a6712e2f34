using System.Collections.Concurrent;
using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Simulators.Xmpp;

/// <summary>
/// Lets several addresses served over one stream (a component: the service's domain and its rooms'
/// <c>room@service</c> JIDs) each have iq handlers of their own. The router registers one handler per (type, payload)
/// on the stream and dispatches by the bare <c>to</c> of the request: to the view registered for that address, or to
/// the stream's own handlers. A request for an address nobody serves is answered <c>service-unavailable</c> (or
/// <c>item-not-found</c> for a JID under the service that is not one of its rooms).
/// </summary>
internal sealed class AddressRouter(IXmppStanzaChannel inner) : IDisposable
{
    private readonly ConcurrentDictionary<(string Address, string Type, XName Payload), Func<XElement, CancellationToken, ValueTask<XElement?>>> _handlers = new();
    private readonly Dictionary<(string Type, XName Payload), IDisposable> _registrations = [];
    private readonly Lock _gate = new();

    /// <summary>The channel as the service itself sees it (handlers for its own address).</summary>
    public IXmppStanzaChannel Root => View(inner.LocalJid);

    /// <summary>The channel as the entity at <paramref name="address"/> sees it.</summary>
    public IXmppStanzaChannel View(Jid address) => new AddressView(this, inner, address);

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var registration in _registrations.Values)
            {
                registration.Dispose();
            }

            _registrations.Clear();
        }
    }

    private IDisposable Register(Jid address, string type, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler)
    {
        var key = (Key(address), type, payload);
        if (!_handlers.TryAdd(key, handler))
        {
            throw new InvalidOperationException($"A handler for iq {type} {payload} at {address} is already registered.");
        }

        lock (_gate)
        {
            if (!_registrations.ContainsKey((type, payload)))
            {
                _registrations[(type, payload)] = inner.RegisterIqHandler(type, payload, (iq, ct) => DispatchAsync(iq, type, payload, ct));
            }
        }

        return new Registration(() => _handlers.TryRemove(new KeyValuePair<(string, string, XName), Func<XElement, CancellationToken, ValueTask<XElement?>>>(key, handler)));
    }

    private ValueTask<XElement?> DispatchAsync(XElement iq, string type, XName payload, CancellationToken cancellationToken)
    {
        var to = Jid.TryParse((string?)iq.Attribute("to"), out var jid) ? jid.Bare : inner.LocalJid.Bare;
        if (_handlers.TryGetValue((Key(to), type, payload), out var handler))
        {
            return handler(iq, cancellationToken);
        }

        // An address under our domain that is not served: it does not exist; anything else: not ours.
        throw to.Domain.Equals(inner.LocalJid.Domain, StringComparison.OrdinalIgnoreCase) && to.Local is not null
            ? new XmppStanzaException("cancel", "item-not-found")
            : new XmppStanzaException("cancel", "service-unavailable");
    }

    private static string Key(Jid address) => address.Bare.ToString().ToLowerInvariant();

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }

    /// <summary>The stream seen from one address: sends go out as they are (with that address as from when missing).</summary>
    private sealed class AddressView(AddressRouter router, IXmppStanzaChannel inner, Jid address) : StanzaChannelDecorator(inner)
    {
        public override Jid LocalJid => address;

        public override ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken) => Inner.SendAsync(WithFrom(stanza), cancellationToken);

        public override Task<XElement> SendIqAsync(XElement iq, TimeSpan timeout, CancellationToken cancellationToken) =>
            Inner.SendIqAsync(WithFrom(iq), timeout, cancellationToken);

        public override IDisposable RegisterIqHandler(string type, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler) =>
            router.Register(address, type, payload, handler);

        private XElement WithFrom(XElement stanza)
        {
            if (stanza.Attribute("from") is not null || address.Bare == Inner.LocalJid.Bare || Inner.ContentNamespace != XmppNamespaces.ComponentAccept)
            {
                return stanza;
            }

            var copy = new XElement(stanza);
            copy.SetAttributeValue("from", address.ToString());
            return copy;
        }
    }
}
