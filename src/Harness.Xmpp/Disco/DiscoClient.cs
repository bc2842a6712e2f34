using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Xmpp.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Xmpp.Disco;

/// <summary>Settings of a <see cref="DiscoClient"/>.</summary>
public sealed record DiscoClientOptions
{
    /// <summary>Most disco#info entries (answers and pending requests) kept, least recently used evicted (aioxmpp: 10,000).</summary>
    public int InfoCacheSize { get; init; } = 10_000;

    /// <summary>Most disco#items entries kept (aioxmpp: 100).</summary>
    public int ItemsCacheSize { get; init; } = 100;

    /// <summary>How long the shared iq waits for its answer, whatever the callers' own timeouts.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InfoCacheSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ItemsCacheSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
    }
}

/// <summary>How one query uses the cache.</summary>
/// <param name="RequireFresh">Send a new iq even when an entry exists; the new request becomes the entry.</param>
/// <param name="NoCache">Use an existing entry, but do not make the new request one (caps verification).</param>
/// <param name="Timeout">How long this caller waits; the shared request goes on for the others. Null: wait for it.</param>
public sealed record DiscoQueryOptions(bool RequireFresh = false, bool NoCache = false, TimeSpan? Timeout = null)
{
    /// <summary>Cached and aliased, no caller timeout.</summary>
    public static DiscoQueryOptions Default { get; } = new();
}

/// <summary>A disco#info answer received (not raised for primed entries).</summary>
/// <param name="Jid">Who was asked.</param>
/// <param name="Node">The node asked for, or null.</param>
/// <param name="Info">The answer as read.</param>
/// <param name="Violations">What the lenient reader found wrong with it.</param>
/// <param name="Iq">The result iq as received.</param>
public sealed record DiscoInfoReceivedEventArgs(Jid Jid, string? Node, DiscoInfo Info, IReadOnlyList<Violation> Violations, XElement Iq);

/// <summary>
/// Cache-backed disco#info and disco#items queries (modelled on aioxmpp's <c>DiscoClient</c>). Entries are keyed by
/// (JID, node) and hold the request, pending or answered: concurrent identical queries share one iq
/// (XMPP-CACHE-001), later ones are answered from the cache (XMPP-CACHE-002). An error answer reaches every caller
/// sharing the request and is not kept (XMPP-CACHE-003); a caller's timeout or cancellation ends only that caller's
/// wait. Caches are LRU-bounded (XMPP-CACHE-006); <see cref="Flush"/> empties them and lets pending requests run;
/// the channel's <see cref="IXmppStanzaChannel.Closed"/> empties them and fails pending requests with
/// <see cref="XmppStreamClosedException"/> (XMPP-CACHE-005).
/// </summary>
public sealed class DiscoClient : IDisposable
{
    private static readonly XName LangName = XNamespace.Xml + "lang";
    private readonly IXmppStanzaChannel _channel;
    private readonly TimeProvider _time;
    private readonly DiscoClientOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly LruCache<(Jid, string?), Task<DiscoInfo>> _info;
    private readonly LruCache<(Jid, string?), Task<DiscoItems>> _items;
    private readonly CancellationTokenSource _closed = new();
    private long _infoRequestsSent;
    private long _itemsRequestsSent;

    /// <summary>Creates the client over <paramref name="channel"/>.</summary>
    public DiscoClient(IXmppStanzaChannel channel, TimeProvider? timeProvider = null, DiscoClientOptions? options = null, ILogger<DiscoClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _options = options ?? new DiscoClientOptions();
        _options.Validate();
        _channel = channel;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _info = new(_options.InfoCacheSize);
        _items = new(_options.ItemsCacheSize);
        _channel.Closed += OnClosed;
    }

    /// <summary>Raised for every disco#info answer received.</summary>
    public event EventHandler<DiscoInfoReceivedEventArgs>? InfoReceived;

    /// <summary>The channel queries go out on.</summary>
    public IXmppStanzaChannel Channel => _channel;

    /// <summary>Entries (answered or pending) in the disco#info cache.</summary>
    public int InfoCacheCount
    {
        get
        {
            lock (_gate)
            {
                return _info.Count;
            }
        }
    }

    /// <summary>Entries in the disco#items cache.</summary>
    public int ItemsCacheCount
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>disco#info iq sent so far.</summary>
    public long InfoRequestsSent => Interlocked.Read(ref _infoRequestsSent);

    /// <summary>disco#items iq sent so far.</summary>
    public long ItemsRequestsSent => Interlocked.Read(ref _itemsRequestsSent);

    /// <summary>Asks <paramref name="jid"/> (at <paramref name="node"/>) for its identities, features and forms.</summary>
    /// <exception cref="XmppStanzaException">The entity answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer within the caller's timeout or the request timeout.</exception>
    /// <exception cref="XmppStreamClosedException">The stream closed first.</exception>
    public Task<DiscoInfo> QueryInfoAsync(Jid jid, string? node = null, DiscoQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jid);
        return Query(_info, jid, node, options ?? DiscoQueryOptions.Default, FetchInfoAsync, cancellationToken);
    }

    /// <summary>Asks <paramref name="jid"/> (at <paramref name="node"/>) for its items.</summary>
    /// <exception cref="XmppStanzaException">The entity answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer within the caller's timeout or the request timeout.</exception>
    /// <exception cref="XmppStreamClosedException">The stream closed first.</exception>
    public Task<DiscoItems> QueryItemsAsync(Jid jid, string? node = null, DiscoQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jid);
        return Query(_items, jid, node, options ?? DiscoQueryOptions.Default, FetchItemsAsync, cancellationToken);
    }

    /// <summary>Makes <paramref name="info"/> the cached answer for (JID, node) (entity caps, XMPP-CACHE-007).</summary>
    public void PrimeInfo(Jid jid, string? node, DiscoInfo info)
    {
        ArgumentNullException.ThrowIfNull(jid);
        ArgumentNullException.ThrowIfNull(info);
        lock (_gate)
        {
            _info.Set((jid, node), Task.FromResult(info));
        }
    }

    /// <summary>
    /// Makes a pending lookup the entry for (JID, node); queries wait for it. When it fails the entry is dropped and
    /// the next query sends an iq.
    /// </summary>
    public void PrimeInfo(Jid jid, string? node, Task<DiscoInfo> pending)
    {
        ArgumentNullException.ThrowIfNull(jid);
        ArgumentNullException.ThrowIfNull(pending);
        lock (_gate)
        {
            _info.Set((jid, node), pending);
            _ = pending.ContinueWith(
                t =>
                {
                    _ = t.Exception;
                    lock (_gate)
                    {
                        _info.RemoveIf((jid, node), t);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.NotOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>True when (JID, node) has an answered entry; gives it.</summary>
    public bool TryGetCachedInfo(Jid jid, string? node, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DiscoInfo? info)
    {
        lock (_gate)
        {
            if (_info.TryGetValue((jid, node), out var task) && task.IsCompletedSuccessfully)
            {
                info = task.Result;
                return true;
            }
        }

        info = null;
        return false;
    }

    /// <summary>Empties the caches; pending requests go on for their callers but are no longer shared with new ones.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _info.Clear();
            _items.Clear();
        }
    }

    /// <summary>Stops watching the channel and fails pending requests.</summary>
    public void Dispose()
    {
        _channel.Closed -= OnClosed;
        OnClosed(this, EventArgs.Empty);
        _closed.Dispose();
    }

    private Task<T> Query<T>(LruCache<(Jid, string?), Task<T>> cache, Jid jid, string? node, DiscoQueryOptions options, Func<Jid, string?, CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
    {
        var key = (jid, node);
        Task<T>? shared = null;
        TaskCompletionSource<T>? started = null;
        lock (_gate)
        {
            if (!options.RequireFresh && cache.TryGetValue(key, out var existing))
            {
                shared = existing;
            }
            else
            {
                started = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                shared = started.Task;
                if (!options.NoCache)
                {
                    cache.Set(key, shared);
                }
            }
        }

        if (started is not null)
        {
            // Outside the lock: the iq goes out on the caller's thread, before this method returns.
            _ = RunAsync(cache, key, started, fetch);
        }

        return options.Timeout is { } timeout
            ? shared.WaitAsync(timeout, _time, cancellationToken)
            : shared.WaitAsync(cancellationToken);
    }

    private async Task RunAsync<T>(LruCache<(Jid, string?), Task<T>> cache, (Jid Jid, string? Node) key, TaskCompletionSource<T> source, Func<Jid, string?, CancellationToken, Task<T>> fetch)
    {
        try
        {
            var result = await fetch(key.Jid, key.Node, _closed.Token).ConfigureAwait(false);
            source.TrySetResult(result);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && IsClosed)
        {
            Drop(cache, key, source.Task);
            source.TrySetException(new XmppStreamClosedException("The XMPP stream closed before the disco answer.", ex));
        }
        catch (Exception ex)
        {
            // Any failure is the answer for every caller that shares the request; it is not kept.
            Drop(cache, key, source.Task);
            source.TrySetException(ex);
        }
    }

    private bool IsClosed
    {
        get
        {
            try
            {
                return _closed.IsCancellationRequested;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }
    }

    private void Drop<T>(LruCache<(Jid, string?), Task<T>> cache, (Jid, string?) key, Task<T> task)
    {
        lock (_gate)
        {
            cache.RemoveIf(key, task);
        }
    }

    private async Task<DiscoInfo> FetchInfoAsync(Jid jid, string? node, CancellationToken cancellationToken)
    {
        var iq = NewIq(jid, DiscoCodec.InfoRequest(node));
        Interlocked.Increment(ref _infoRequestsSent);
        var reply = await _channel.SendIqAsync(iq, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var query = reply.Element(DiscoCodec.InfoQueryName);
        DiscoInfoReadResult read;
        if (query is null)
        {
            read = new DiscoInfoReadResult(DiscoInfo.Empty, [new Violation(DiscoRuleIds.NoIdentity, "The disco#info result has no query element.", ViolationSeverity.Error)]);
        }
        else
        {
            read = DiscoCodec.ReadInfo(query, new DiscoReadOptions(InheritedLang: (string?)reply.Attribute(LangName)));
        }

        if (read.Violations.Count > 0)
        {
            DiscoLog.InfoViolations(_logger, jid.ToString(), node ?? string.Empty, read.Violations.Count);
        }

        var info = read.Info!;
        InfoReceived?.Invoke(this, new DiscoInfoReceivedEventArgs(jid, node, info, read.Violations, reply));
        return info;
    }

    private async Task<DiscoItems> FetchItemsAsync(Jid jid, string? node, CancellationToken cancellationToken)
    {
        var iq = NewIq(jid, DiscoCodec.ItemsRequest(node));
        Interlocked.Increment(ref _itemsRequestsSent);
        var reply = await _channel.SendIqAsync(iq, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var query = reply.Element(DiscoCodec.ItemsQueryName);
        return query is null ? new DiscoItems([], node) : DiscoCodec.ReadItems(query).Items!;
    }

    private XElement NewIq(Jid to, XElement query) =>
        new(_channel.ContentNamespace + "iq", new XAttribute("type", "get"), new XAttribute("to", to.ToString()), query);

    private void OnClosed(object? sender, EventArgs e)
    {
        lock (_gate)
        {
            _info.Clear();
            _items.Clear();
        }

        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nothing pending.
        }
    }
}
