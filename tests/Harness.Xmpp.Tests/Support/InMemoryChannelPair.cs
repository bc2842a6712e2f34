using System.Collections.Concurrent;
using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Xmpp.Tests.Support;

/// <summary>
/// Two <see cref="IXmppStanzaChannel"/> ends that deliver stanzas to each other in memory (a test double for a
/// stream through a server): iq get/set go to the other end's handlers (the whole iq stanza is passed), unknown ones
/// are answered with service-unavailable, results and errors complete the sender's pending iq, presence and message
/// raise events. Delivery is synchronous on the sender's thread up to the handler's first await. Timeouts use the
/// injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class InMemoryChannelPair
{
    public InMemoryChannelPair(Jid a, Jid b, TimeProvider time)
    {
        A = new InMemoryChannel(a, time);
        B = new InMemoryChannel(b, time);
        A.Peer = B;
        B.Peer = A;
    }

    public InMemoryChannel A { get; }

    public InMemoryChannel B { get; }

    public static InMemoryChannelPair Create(TimeProvider time) =>
        new(Jid.Parse("alice@localhost/harness"), Jid.Parse("bob@localhost/peer"), time);

    /// <summary>Closes both ends (as a stream closing does).</summary>
    public void Close()
    {
        A.Close();
        B.Close();
    }
}

public sealed class InMemoryChannel : IXmppStanzaChannel
{
    public static readonly XNamespace Client = "jabber:client";
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Type, XName Payload), Func<XElement, CancellationToken, ValueTask<XElement?>>> _handlers = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<XElement>> _pending = new();
    private readonly ConcurrentQueue<XElement> _sent = new();
    private readonly ConcurrentQueue<XElement> _received = new();
    private int _nextId;
    private int _closed;

    internal InMemoryChannel(Jid jid, TimeProvider time)
    {
        LocalJid = jid;
        _time = time;
    }

    public event EventHandler<XElement>? PresenceReceived;

    public event EventHandler<XElement>? MessageReceived;

    public event EventHandler? Closed;

    /// <summary>Raised for every stanza this end receives (before it is handled).</summary>
    public event EventHandler<XElement>? StanzaReceived;

    public Jid LocalJid { get; }

    public XNamespace ContentNamespace => Client;

    public bool IsConnected => Volatile.Read(ref _closed) == 0;

    internal InMemoryChannel Peer { get; set; } = null!;

    /// <summary>Every stanza this end sent, in order.</summary>
    public IReadOnlyList<XElement> Sent => [.. _sent];

    /// <summary>Every stanza this end received, in order.</summary>
    public IReadOnlyList<XElement> Received => [.. _received];

    /// <summary>Iq this end sent whose payload has the given name.</summary>
    public IReadOnlyList<XElement> SentIqs(XName payload) =>
        [.. _sent.Where(s => s.Name.LocalName == "iq" && s.Elements().FirstOrDefault()?.Name == payload)];

    public ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (!IsConnected)
        {
            throw new XmppStreamClosedException();
        }

        var copy = new XElement(stanza);
        if (copy.Attribute("from") is null)
        {
            copy.SetAttributeValue("from", LocalJid.ToString());
        }

        _sent.Enqueue(copy);
        Peer.Deliver(new XElement(copy));
        return ValueTask.CompletedTask;
    }

    public async Task<XElement> SendIqAsync(XElement iq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(iq);
        if (!IsConnected)
        {
            throw new XmppStreamClosedException();
        }

        var id = (string?)iq.Attribute("id") ?? "iq" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        iq.SetAttributeValue("id", id);
        var waiter = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        try
        {
            await SendAsync(iq, cancellationToken);
            return await waiter.Task.WaitAsync(timeout, _time, cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public IDisposable RegisterIqHandler(string type, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler)
    {
        if (!_handlers.TryAdd((type, payload), handler))
        {
            throw new InvalidOperationException($"A handler for {type} {payload} is already registered.");
        }

        return new Registration(() => _handlers.TryRemove((type, payload), out _));
    }

    /// <summary>Raises PresenceReceived as if the peer had sent <paramref name="presence"/> (no copy, no recording).</summary>
    public void InjectPresence(XElement presence) => PresenceReceived?.Invoke(this, presence);

    internal void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new XmppStreamClosedException());
        }

        Closed?.Invoke(this, EventArgs.Empty);
    }

    private void Deliver(XElement stanza)
    {
        if (!IsConnected)
        {
            return;
        }

        _received.Enqueue(stanza);
        StanzaReceived?.Invoke(this, stanza);
        switch (stanza.Name.LocalName)
        {
            case "presence":
                PresenceReceived?.Invoke(this, stanza);
                break;
            case "message":
                MessageReceived?.Invoke(this, stanza);
                break;
            case "iq":
                DeliverIq(stanza);
                break;
        }
    }

    private void DeliverIq(XElement iq)
    {
        var type = (string?)iq.Attribute("type");
        var id = (string?)iq.Attribute("id") ?? string.Empty;
        if (type is "result" or "error")
        {
            if (_pending.TryGetValue(id, out var waiter))
            {
                if (type == "result")
                {
                    waiter.TrySetResult(iq);
                }
                else
                {
                    var error = iq.Element(Client + "error");
                    var condition = error?.Elements().FirstOrDefault(e => e.Name.Namespace == XmppStanzaException.StanzasNamespace && e.Name.LocalName != "text")?.Name.LocalName ?? "undefined-condition";
                    waiter.TrySetException(new XmppStanzaException((string?)error?.Attribute("type") ?? "cancel", condition, null, iq));
                }
            }

            return;
        }

        var payload = iq.Elements().FirstOrDefault();
        if (type is not ("get" or "set") || payload is null || !_handlers.TryGetValue((type, payload.Name), out var handler))
        {
            _ = ReplyErrorAsync(iq, "cancel", "service-unavailable");
            return;
        }

        _ = RunHandlerAsync(iq, handler);
    }

    private async Task RunHandlerAsync(XElement iq, Func<XElement, CancellationToken, ValueTask<XElement?>> handler)
    {
        XElement? result;
        try
        {
            result = await handler(iq, CancellationToken.None);
        }
        catch (XmppStanzaException ex)
        {
            await ReplyErrorAsync(iq, ex.ErrorType, ex.Condition);
            return;
        }

        if (!IsConnected)
        {
            return;
        }

        var reply = new XElement(Client + "iq", new XAttribute("type", "result"), new XAttribute("id", (string?)iq.Attribute("id") ?? string.Empty));
        if ((string?)iq.Attribute("from") is { } from)
        {
            reply.SetAttributeValue("to", from);
        }

        if (result is not null)
        {
            reply.Add(result);
        }

        await SendAsync(reply, CancellationToken.None);
    }

    private async Task ReplyErrorAsync(XElement iq, string type, string condition)
    {
        if (!IsConnected)
        {
            return;
        }

        var reply = new XElement(
            Client + "iq",
            new XAttribute("type", "error"),
            new XAttribute("id", (string?)iq.Attribute("id") ?? string.Empty),
            iq.Elements().FirstOrDefault() is { } payload ? new XElement(payload) : null,
            new XElement(Client + "error", new XAttribute("type", type), new XElement(XmppStanzaException.StanzasNamespace + condition)));
        if ((string?)iq.Attribute("from") is { } from)
        {
            reply.SetAttributeValue("to", from);
        }

        await SendAsync(reply, CancellationToken.None);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
