using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Xml.Linq;
using Harness.Xmpp.Streams;
using Microsoft.Extensions.Logging;

namespace Harness.Xmpp.Core;

/// <summary>
/// What a client connection (<see cref="XmppClientConnection"/>) and a component connection
/// (<see cref="XmppComponentConnection"/>) share once the stream is negotiated: a single writer, iq requests matched
/// to their answers by id with timeouts on the injected <see cref="TimeProvider"/>, iq handlers (an iq get/set no
/// handler takes is answered with <c>service-unavailable</c>), presence and message events, stream errors in both
/// directions and a graceful close (<c>&lt;/stream:stream&gt;</c>) after which every pending iq fails with
/// <see cref="XmppStreamClosedException"/>.
/// </summary>
public abstract class XmppConnection : IXmppStanzaChannel, IAsyncDisposable
{
    private const int StateNegotiating = 0;
    private const int StateOpen = 1;
    private const int StateClosing = 2;
    private const int StateClosed = 3;
    private static int s_connections;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, PendingIq> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Type, XName Payload), Func<XElement, CancellationToken, ValueTask<XElement?>>> _handlers = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _idPrefix;
    private readonly TimeSpan _closeTimeout;
    private Stream? _transport;
    private IDisposable? _owner;
    private XmppStreamReader? _reader;
    private Task _receiveLoop = Task.CompletedTask;
    private int _state;
    private long _nextId;
    private bool _streamEndSent;

    private protected XmppConnection(XNamespace contentNamespace, TimeProvider? timeProvider, ILogger? logger, TimeSpan closeTimeout)
    {
        ContentNamespace = contentNamespace;
        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _closeTimeout = closeTimeout;
        _idPrefix = "h" + Interlocked.Increment(ref s_connections).ToString(CultureInfo.InvariantCulture) + "-";
        LocalJid = Jid.Create(null, "invalid");
    }

    /// <inheritdoc/>
    public Jid LocalJid { get; private protected set; }

    /// <inheritdoc/>
    public XNamespace ContentNamespace { get; }

    /// <inheritdoc/>
    public bool IsConnected => Volatile.Read(ref _state) == StateOpen;

    /// <summary>The peer's last stream header (after the last stream restart).</summary>
    public XmppStreamHeader? PeerHeader { get; private protected set; }

    /// <summary>Why the stream closed (null while it is open); an <see cref="XmppStreamErrorException"/> for stream errors.</summary>
    public XmppStreamClosedException? CloseReason { get; private set; }

    /// <summary>Completes when the stream has closed, for whatever reason.</summary>
    public Task Completion => _closed.Task;

    /// <summary>The clock for iq timeouts and the close timeout.</summary>
    public TimeProvider TimeProvider { get; }

    private protected ILogger Logger { get; }

    private protected XmppStreamReader Reader => _reader ?? throw new InvalidOperationException("No transport yet.");

    /// <inheritdoc/>
    public event EventHandler<XElement>? PresenceReceived;

    /// <inheritdoc/>
    public event EventHandler<XElement>? MessageReceived;

    /// <summary>Raised for every top-level element received once the stream is established, before it is dispatched.</summary>
    public event EventHandler<XElement>? ElementReceived;

    /// <inheritdoc/>
    public event EventHandler? Closed;

    /// <inheritdoc/>
    public async ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        var state = Volatile.Read(ref _state);
        if (state is not (StateOpen or StateClosing))
        {
            throw CloseReason is { } reason ? new XmppStreamClosedException(reason.Message, reason) : new XmppStreamClosedException();
        }

        var bytes = XmppStreamWriter.Stanza(PrepareOutgoing(stanza), ContentNamespace);
        await WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<XElement> SendIqAsync(XElement iq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(iq);
        if (iq.Name.LocalName != "iq")
        {
            throw new ArgumentException($"<{iq.Name.LocalName}> is not an iq.", nameof(iq));
        }

        var type = (string?)iq.Attribute("type");
        if (type is not ("get" or "set"))
        {
            throw new ArgumentException($"An iq request has type get or set, not '{type}'.", nameof(iq));
        }

        if (timeout != Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or infinite.");
        }

        var request = new XElement(iq);
        var id = (string?)request.Attribute("id");
        if (string.IsNullOrEmpty(id))
        {
            id = NextId();
            request.SetAttributeValue("id", id);
        }

        var answer = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(id, new PendingIq(answer, (string?)request.Attribute("to"))))
        {
            throw new InvalidOperationException($"An iq with id '{id}' is already waiting for its answer.");
        }

        try
        {
            if (Volatile.Read(ref _state) is not (StateOpen or StateClosing))
            {
                throw new XmppStreamClosedException(CloseReason?.Message ?? "The XMPP stream is closed.");
            }

            await SendAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                return await answer.Task.WaitAsync(timeout, TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"No answer to iq '{id}' to {(string?)request.Attribute("to") ?? "the server"} within {timeout}.", ex);
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <inheritdoc/>
    public IDisposable RegisterIqHandler(string type, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(handler);
        if (type is not ("get" or "set"))
        {
            throw new ArgumentException($"Handlers answer get or set, not '{type}'.", nameof(type));
        }

        var key = (type, payload);
        if (!_handlers.TryAdd(key, handler))
        {
            throw new InvalidOperationException($"A handler for iq {type} {payload} is already registered.");
        }

        return new Registration(() => _handlers.TryRemove(new KeyValuePair<(string, XName), Func<XElement, CancellationToken, ValueTask<XElement?>>>(key, handler)));
    }

    /// <summary>
    /// Closes the stream gracefully: sends <c>&lt;/stream:stream&gt;</c>, waits (up to the close timeout) for the peer's,
    /// then closes the connection. Pending iq calls fail with <see cref="XmppStreamClosedException"/>.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) != StateOpen)
        {
            if (Volatile.Read(ref _state) == StateNegotiating)
            {
                Shutdown(new XmppStreamClosedException("Closed by this side during negotiation."));
            }

            await _closed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await TrySendStreamEndAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _receiveLoop.WaitAsync(_closeTimeout, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer did not answer </stream:stream> in time; close anyway.
        }
        finally
        {
            Shutdown(new XmppStreamClosedException("Closed by this side."));
        }
    }

    /// <summary>Closes the stream (see <see cref="CloseAsync"/>) with no way to cancel but the close timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync(CancellationToken.None).ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Adjusts an outgoing stanza (the component fills in <c>from</c>); the default returns it unchanged.</summary>
    private protected virtual XElement PrepareOutgoing(XElement stanza) => stanza;

    /// <summary>The <c>from</c> of an automatic answer to <paramref name="request"/> (null: let the server stamp it).</summary>
    private protected virtual string? ReplyFrom(XElement request) => null;

    /// <summary>Uses <paramref name="transport"/> for writing and a new reader over it; <paramref name="owner"/> is disposed on close.</summary>
    private protected void SetTransport(Stream transport, IDisposable? owner, XmppReaderLimits limits)
    {
        _reader?.Dispose();
        _transport = transport;
        if (owner is not null)
        {
            _owner = owner;
        }

        _reader = new XmppStreamReader(PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true)), limits, TimeProvider);
    }

    /// <summary>Writes bytes under the writer lock; a failed write closes the connection.</summary>
    private protected async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken, bool endsStream = false)
    {
        var transport = _transport ?? throw new InvalidOperationException("No transport yet.");
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_streamEndSent && endsStream)
            {
                return;
            }

            if (_streamEndSent || Volatile.Read(ref _state) == StateClosed)
            {
                throw new XmppStreamClosedException(CloseReason?.Message ?? "The XMPP stream is closed.");
            }

            // Not cancellable once started: half a stanza would break the stream.
            await transport.WriteAsync(bytes, _lifetime.Token).ConfigureAwait(false);
            await transport.FlushAsync(_lifetime.Token).ConfigureAwait(false);
            _streamEndSent |= endsStream;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException || (ex is OperationCanceledException && _lifetime.IsCancellationRequested))
        {
            XmppCoreLog.WriteFailed(Logger, LocalJid.ToString(), ex.Message);
            var reason = CloseReason ?? new XmppStreamClosedException("Writing to the stream failed: " + ex.Message, ex);
            Shutdown(reason);
            throw new XmppStreamClosedException(reason.Message, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Marks the stream open and starts the receive loop.</summary>
    private protected void StartReceiving(string peer, string mode)
    {
        if (Interlocked.CompareExchange(ref _state, StateOpen, StateNegotiating) != StateNegotiating)
        {
            throw new XmppStreamClosedException("The stream closed during negotiation.");
        }

        XmppCoreLog.Established(Logger, peer, LocalJid.ToString(), mode);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Ends a failed negotiation: sends a stream error when given one, then closes.</summary>
    private protected async Task AbortAsync(XmppStreamClosedException reason)
    {
        if (reason is XmppStreamErrorException { FromPeer: false } local && _transport is not null)
        {
            await TrySendStreamErrorAsync(local).ConfigureAwait(false);
        }

        Shutdown(reason);
    }

    /// <summary>Reads the next element during negotiation; a stream error from the peer or the end of the stream throws.</summary>
    private protected async ValueTask<XElement> ReadNegotiationElementAsync(CancellationToken cancellationToken)
    {
        var element = await Reader.ReadElementAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new XmppStreamClosedException("The peer closed the stream during negotiation.");
        if (element.Name == XmppNamespaces.Streams + "error")
        {
            throw PeerStreamError(element);
        }

        return element;
    }

    /// <summary>Opens the TCP connection a stream starts on, within <paramref name="negotiationTimeout"/>; the caller owns the client.</summary>
    private protected static async Task<TcpClient> ConnectTcpAsync(string host, int port, TimeSpan negotiationTimeout, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(negotiationTimeout, timeProvider ?? TimeProvider.System);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            if (IPAddress.TryParse(host, out var address))
            {
                await client.ConnectAsync(address, port, linked.Token).ConfigureAwait(false);
            }
            else
            {
                await client.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return client;
    }

    /// <summary>
    /// Takes <paramref name="transport"/> (and <paramref name="owner"/>), runs <paramref name="negotiate"/> within
    /// <paramref name="negotiationTimeout"/> and starts receiving in the mode it returns. On failure the connection is
    /// aborted (with a stream error when the failure is one of ours) and the exception rethrown; a timeout becomes a
    /// <see cref="TimeoutException"/>. <paramref name="step"/> names the negotiation in messages ("Negotiation",
    /// "Handshake"); <paramref name="description"/> names it in the timeout message ("XMPP negotiation").
    /// </summary>
    private protected async Task RunNegotiationAsync(
        Stream transport,
        IDisposable? owner,
        XmppReaderLimits limits,
        string peer,
        TimeSpan negotiationTimeout,
        string step,
        string description,
        Func<CancellationToken, Task<string>> negotiate,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(negotiationTimeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            SetTransport(transport, owner, limits);
            var mode = await negotiate(linked.Token).ConfigureAwait(false);
            StartReceiving(peer, mode);
        }
        catch (XmppStreamClosedException ex)
        {
            XmppCoreLog.NegotiationFailed(Logger, peer, ex.Message);
            await AbortAsync(ex).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is XmppNegotiationException or IOException or AuthenticationException)
        {
            XmppCoreLog.NegotiationFailed(Logger, peer, ex.Message);
            await AbortAsync(new XmppStreamClosedException(step + " failed: " + ex.Message, ex)).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            XmppCoreLog.NegotiationFailed(Logger, peer, "timeout");
            await AbortAsync(new XmppStreamClosedException(step + " timed out.", ex)).ConfigureAwait(false);
            throw new TimeoutException($"The {description} with {peer} took longer than {negotiationTimeout}.", ex);
        }
        catch (OperationCanceledException)
        {
            await AbortAsync(new XmppStreamClosedException(step + " cancelled.")).ConfigureAwait(false);
            throw;
        }
    }

    private protected string NextId() => _idPrefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private static XmppStreamErrorException PeerStreamError(XElement error)
    {
        var condition = error.Elements().FirstOrDefault(e => e.Name.Namespace == XmppNamespaces.StreamErrors && e.Name.LocalName != "text");
        var text = (string?)error.Element(XmppNamespaces.StreamErrors + "text");
        return new XmppStreamErrorException(condition?.Name.LocalName ?? "undefined-condition", text, fromPeer: true);
    }

    private async Task ReceiveLoopAsync()
    {
        XmppStreamClosedException reason;
        try
        {
            while (true)
            {
                var element = await Reader.ReadElementAsync(_lifetime.Token).ConfigureAwait(false);
                if (element is null)
                {
                    await TrySendStreamEndAsync(CancellationToken.None).ConfigureAwait(false);
                    reason = new XmppStreamClosedException("The peer closed the stream.");
                    break;
                }

                if (element.Name == XmppNamespaces.Streams + "error")
                {
                    var error = PeerStreamError(element);
                    XmppCoreLog.ReceivedStreamError(Logger, LocalJid.ToString(), error.Condition, error.Text);
                    await TrySendStreamEndAsync(CancellationToken.None).ConfigureAwait(false);
                    reason = error;
                    break;
                }

                Dispatch(element);
            }
        }
        catch (XmppStreamErrorException ex) when (!ex.FromPeer)
        {
            await TrySendStreamErrorAsync(ex).ConfigureAwait(false);
            reason = ex;
        }
        catch (XmppStreamClosedException ex)
        {
            reason = ex;
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            reason = CloseReason ?? new XmppStreamClosedException("Closed by this side.");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            reason = new XmppStreamClosedException("The connection was lost: " + ex.Message, ex);
        }

        Shutdown(reason);
    }

    private void Dispatch(XElement element)
    {
        Raise(ElementReceived, element, "element");
        if (element.Name.Namespace != ContentNamespace)
        {
            XmppCoreLog.IgnoredElement(Logger, LocalJid.ToString(), element.Name.ToString());
            return;
        }

        switch (element.Name.LocalName)
        {
            case "iq":
                DispatchIq(element);
                break;
            case "presence":
                Raise(PresenceReceived, element, "presence");
                break;
            case "message":
                Raise(MessageReceived, element, "message");
                break;
            default:
                XmppCoreLog.IgnoredElement(Logger, LocalJid.ToString(), element.Name.ToString());
                break;
        }
    }

    private void DispatchIq(XElement iq)
    {
        var type = (string?)iq.Attribute("type");
        var id = (string?)iq.Attribute("id");
        switch (type)
        {
            case "result":
            case "error":
                // RFC 6120 §8.2.3: the answer comes from the address asked; another sender reusing the id is ignored.
                if (id is not null && _pending.TryGetValue(id, out var waiting) && AnswersFrom(waiting.To, (string?)iq.Attribute("from"))
                    && _pending.TryRemove(id, out _))
                {
                    if (type == "result")
                    {
                        waiting.Answer.TrySetResult(iq);
                    }
                    else
                    {
                        waiting.Answer.TrySetException(StanzaError(iq));
                    }
                }
                else
                {
                    XmppCoreLog.UnmatchedResponse(Logger, LocalJid.ToString(), type, id, (string?)iq.Attribute("from"));
                }

                break;
            case "get":
            case "set":
                var payloads = iq.Elements().Take(2).ToList();
                if (payloads.Count != 1 || id is null)
                {
                    _ = ReplyErrorAsync(iq, "modify", "bad-request", "An iq get/set carries exactly one payload and an id.");
                    break;
                }

                if (!_handlers.TryGetValue((type, payloads[0].Name), out var handler))
                {
                    XmppCoreLog.UnhandledIq(Logger, LocalJid.ToString(), type, payloads[0].Name.ToString(), (string?)iq.Attribute("from"));
                    _ = ReplyErrorAsync(iq, "cancel", "service-unavailable", null);
                    break;
                }

                _ = RunHandlerAsync(iq, payloads[0].Name, handler);
                break;
            default:
                if (id is not null)
                {
                    _ = ReplyErrorAsync(iq, "modify", "bad-request", $"Unknown iq type '{type}'.");
                }

                break;
        }
    }

    private async Task RunHandlerAsync(XElement iq, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler)
    {
        XElement reply;
        try
        {
            await Task.Yield();
            var result = await handler(iq, _lifetime.Token).ConfigureAwait(false);
            reply = Reply(iq, "result");
            if (result is not null)
            {
                reply.Add(result);
            }
        }
        catch (XmppStanzaException ex)
        {
            reply = ErrorReply(iq, ex.ErrorType, ex.Condition, ex.Text);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A failing handler must not take the stream down; it is logged and answered.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            XmppCoreLog.IqHandlerFailed(Logger, LocalJid.ToString(), payload.ToString(), ex);
            reply = ErrorReply(iq, "cancel", "internal-server-error", null);
        }

        await TrySendAsync(reply).ConfigureAwait(false);
    }

    private Task ReplyErrorAsync(XElement iq, string type, string condition, string? text) =>
        TrySendAsync(ErrorReply(iq, type, condition, text));

    private async Task TrySendAsync(XElement stanza)
    {
        try
        {
            await SendAsync(stanza, _lifetime.Token).ConfigureAwait(false);
        }
        catch (XmppStreamClosedException)
        {
            // The stream closed meanwhile; nobody to answer.
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Same.
        }
    }

    private XElement Reply(XElement request, string type)
    {
        var reply = new XElement(ContentNamespace + "iq", new XAttribute("type", type));
        if ((string?)request.Attribute("id") is { } id)
        {
            reply.SetAttributeValue("id", id);
        }

        if ((string?)request.Attribute("from") is { } from)
        {
            reply.SetAttributeValue("to", from);
        }

        if (ReplyFrom(request) is { } replyFrom)
        {
            reply.SetAttributeValue("from", replyFrom);
        }

        return reply;
    }

    private XElement ErrorReply(XElement request, string type, string condition, string? text)
    {
        var reply = Reply(request, "error");
        reply.Add(new XElement(
            ContentNamespace + "error",
            new XAttribute("type", type),
            new XElement(XmppNamespaces.Stanzas + condition),
            text is null ? null : new XElement(XmppNamespaces.Stanzas + "text", text)));
        return reply;
    }

    private static XmppStanzaException StanzaError(XElement iq)
    {
        var error = iq.Elements().FirstOrDefault(e => e.Name.LocalName == "error");
        var condition = error?.Elements().FirstOrDefault(e => e.Name.Namespace == XmppNamespaces.Stanzas && e.Name.LocalName != "text");
        var text = (string?)error?.Element(XmppNamespaces.Stanzas + "text");
        var type = (string?)error?.Attribute("type");
        return new XmppStanzaException(string.IsNullOrEmpty(type) ? "cancel" : type, condition?.Name.LocalName ?? "undefined-condition", text, iq);
    }

    private void Raise(EventHandler<XElement>? handler, XElement element, string kind)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, element);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop the receive loop; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            XmppCoreLog.EventHandlerFailed(Logger, LocalJid.ToString(), kind, ex);
        }
    }

    private async Task TrySendStreamEndAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteStreamTailAsync(XmppStreamWriter.StreamEnd, cancellationToken).ConfigureAwait(false);
        }
        catch (XmppStreamClosedException)
        {
            // Already gone.
        }
    }

    private async Task TrySendStreamErrorAsync(XmppStreamErrorException error)
    {
        XmppCoreLog.SendingStreamError(Logger, LocalJid.ToString(), error.Condition, error.Text);
        try
        {
            await WriteStreamTailAsync(XmppStreamWriter.StreamError(error.Condition, error.Text), CancellationToken.None).ConfigureAwait(false);
        }
        catch (XmppStreamClosedException)
        {
            // Already gone.
        }
    }

    // Writes the last bytes of the stream (</stream:stream>, or a stream error and it) once.
    private async Task WriteStreamTailAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_transport is null)
        {
            return;
        }

        await WriteAsync(bytes, cancellationToken, endsStream: true).ConfigureAwait(false);
    }

    private void Shutdown(XmppStreamClosedException reason)
    {
        if (Interlocked.Exchange(ref _state, StateClosed) == StateClosed)
        {
            return;
        }

        CloseReason = reason;
        _lifetime.Cancel();
        _owner?.Dispose();
        _transport?.Dispose();
        foreach (var pending in _pending)
        {
            pending.Value.Answer.TrySetException(new XmppStreamClosedException("The XMPP stream closed before the answer: " + reason.Message, reason));
        }

        XmppCoreLog.StreamClosed(Logger, LocalJid.ToString(), reason.Message);
        try
        {
            Closed?.Invoke(this, EventArgs.Empty);
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    // A request without 'to' goes to the server (or, for a client, its own account): the answer may come without
    // 'from', from the domain, or from the bare or full JID. Otherwise the answer comes from the address asked.
    private bool AnswersFrom(string? to, string? from)
    {
        if (to is null)
        {
            return from is null || (Jid.TryParse(from, out var sender)
                && (sender == LocalJid || sender == LocalJid.Bare || sender == Jid.Create(null, LocalJid.Domain)
                    || (PeerHeader?.From is { } server && string.Equals(sender.ToString(), server, StringComparison.OrdinalIgnoreCase))));
        }

        if (from is null)
        {
            // Servers answer for an account's bare JID (and for themselves) without 'from' at times.
            return Jid.TryParse(to, out var asked) && (asked == LocalJid.Bare || asked.Local is null);
        }

        return Jid.TryParse(to, out var target) && Jid.TryParse(from, out var answerer)
            ? target == answerer
            : string.Equals(to, from, StringComparison.OrdinalIgnoreCase);
    }

    private sealed record PendingIq(TaskCompletionSource<XElement> Answer, string? To);

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
