using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Xmpp.Caps;

/// <summary>Settings of a <see cref="CapsCache"/>.</summary>
public sealed record CapsCacheOptions
{
    /// <summary>Most verified entries kept in memory (LRU).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Most verifications in flight at once; presences beyond are not verified (a flood guard).</summary>
    public int MaxPendingVerifications { get; init; } = 16;

    /// <summary>Verifications that may start per second on average (token bucket, refilled by the time provider).</summary>
    public double VerificationsPerSecond { get; init; } = 10;

    /// <summary>Verifications that may start at once after a quiet period (bucket size).</summary>
    public int VerificationBurst { get; init; } = 20;

    /// <summary>How long one verification waits for the disco#info answer.</summary>
    public TimeSpan VerificationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many (key, JID) pairs that failed verification are remembered so that the same JID is not asked again.</summary>
    public int MaxRememberedFailures { get; init; } = 1_000;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPendingVerifications);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VerificationsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VerificationBurst);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRememberedFailures);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(VerificationTimeout, TimeSpan.Zero);
    }
}

/// <summary>Counters of a <see cref="CapsCache"/>.</summary>
/// <param name="Verified">Verifications that matched (entries stored).</param>
/// <param name="Rejected">Verifications that did not match or failed.</param>
/// <param name="Aliased">Requests that joined a verification already running for the same key (XMPP-CACHE-008).</param>
/// <param name="DroppedByPendingLimit">Verifications not started: too many in flight.</param>
/// <param name="DroppedByRate">Verifications not started: the rate limit.</param>
/// <param name="DroppedAsKnownFailure">Verifications not started: this JID already failed this key.</param>
public sealed record CapsCacheStatistics(long Verified, long Rejected, long Aliased, long DroppedByPendingLimit, long DroppedByRate, long DroppedAsKnownFailure);

/// <summary>A verification finished.</summary>
/// <param name="Jid">The entity asked.</param>
/// <param name="Key">The key verified.</param>
/// <param name="Info">The verified info, or null when it did not match or the query failed.</param>
public sealed record CapsVerificationEventArgs(Jid Jid, CapsKey Key, DiscoInfo? Info);

/// <summary>
/// Verified entity-capabilities entries keyed by (protocol, hash, ver) (XEP-0115 §5.4, XEP-0390 §6.2). An entry is
/// stored only after the disco#info of the announced node was queried (with <see cref="DiscoQueryOptions.NoCache"/>)
/// and hashed to the announced value: nothing unverified is ever stored (XMPP-CAPS-016, XMPP-CAPS2-007).
/// Verifications are single-flight per key (XMPP-CACHE-008), bounded in number and rate (a flood of random caps
/// costs bounded memory and queries), and the memory cache is LRU-bounded. An optional <see cref="CapsStore"/> keeps
/// entries across runs (XMPP-CACHE-009).
/// </summary>
public sealed class CapsCache
{
    private readonly DiscoClient _disco;
    private readonly TimeProvider _time;
    private readonly CapsCacheOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly LruCache<CapsKey, DiscoInfo> _entries;
    private readonly Dictionary<CapsKey, Task<DiscoInfo?>> _pending = [];
    private readonly LruCache<(CapsKey, Jid), bool> _failures;
    private double _tokens;
    private long _lastRefill;
    private long _verified;
    private long _rejected;
    private long _aliased;
    private long _droppedPending;
    private long _droppedRate;
    private long _droppedFailure;

    /// <summary>Creates the cache; verification queries go through <paramref name="disco"/>.</summary>
    public CapsCache(DiscoClient disco, TimeProvider? timeProvider = null, CapsCacheOptions? options = null, CapsStore? store = null, ILogger<CapsCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(disco);
        _options = options ?? new CapsCacheOptions();
        _options.Validate();
        _disco = disco;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Store = store;
        _entries = new(_options.MaxEntries);
        _failures = new(_options.MaxRememberedFailures);
        _tokens = _options.VerificationBurst;
        _lastRefill = _time.GetTimestamp();
    }

    /// <summary>Raised when a verification finished (after the entry was stored, before waiters resume).</summary>
    public event EventHandler<CapsVerificationEventArgs>? VerificationCompleted;

    /// <summary>The persistent store, or null.</summary>
    public CapsStore? Store { get; }

    /// <summary>Entries in memory.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Verifications in flight.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>The counters.</summary>
    public CapsCacheStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new CapsCacheStatistics(_verified, _rejected, _aliased, _droppedPending, _droppedRate, _droppedFailure);
            }
        }
    }

    /// <summary>Loads the store's index (when there is a store) and reports the files it could not use.</summary>
    public async Task<IReadOnlyList<CapsStoreIssue>> LoadAsync(CancellationToken cancellationToken)
    {
        if (Store is null)
        {
            return [];
        }

        var issues = await Store.LoadAsync(cancellationToken).ConfigureAwait(false);
        foreach (var issue in issues)
        {
            DiscoLog.StoreIssue(_logger, issue.Path, issue.Problem);
        }

        return issues;
    }

    /// <summary>The verified entry in memory, without touching the disk.</summary>
    public bool TryGet(CapsKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DiscoInfo? info)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var found))
            {
                info = found;
                return true;
            }
        }

        info = null;
        return false;
    }

    /// <summary>The verified entry from memory or the store, or null.</summary>
    public async ValueTask<DiscoInfo?> LookupAsync(CapsKey key, CancellationToken cancellationToken)
    {
        if (TryGet(key, out var info))
        {
            return info;
        }

        if (Store is null || !Store.Contains(key))
        {
            return null;
        }

        info = await Store.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (info is not null)
        {
            lock (_gate)
            {
                _entries.Set(key, info);
            }
        }

        return info;
    }

    /// <summary>
    /// Starts verifying <paramref name="key"/> by asking <paramref name="jid"/> for the disco#info of
    /// <paramref name="queryNode"/> (<c>node#ver</c>, or the XEP-0390 hash node), or joins the verification already
    /// running for the key. Returns null when the verification is not started (the flood guards, or this JID already
    /// failed this key). The task gives the verified info, or null when the answer did not match or the query failed.
    /// </summary>
    public Task<DiscoInfo?>? BeginVerification(Jid jid, CapsKey key, string queryNode)
    {
        ArgumentNullException.ThrowIfNull(jid);
        ArgumentException.ThrowIfNullOrEmpty(queryNode);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var known))
            {
                return Task.FromResult<DiscoInfo?>(known);
            }

            if (_pending.TryGetValue(key, out var running))
            {
                _aliased++;
                return running;
            }

            if (_failures.ContainsKey((key, jid)))
            {
                _droppedFailure++;
                DiscoLog.CapsVerificationDropped(_logger, key.Algorithm, key.Ver, jid.ToString(), "this JID already failed it");
                return null;
            }

            if (_pending.Count >= _options.MaxPendingVerifications)
            {
                _droppedPending++;
                DiscoLog.CapsVerificationDropped(_logger, key.Algorithm, key.Ver, jid.ToString(), "too many verifications in flight");
                return null;
            }

            Refill();
            if (_tokens < 1)
            {
                _droppedRate++;
                DiscoLog.CapsVerificationDropped(_logger, key.Algorithm, key.Ver, jid.ToString(), "rate limit");
                return null;
            }

            _tokens--;
            var source = new TaskCompletionSource<DiscoInfo?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[key] = source.Task;
            _ = VerifyAsync(jid, key, queryNode, source);
            return source.Task;
        }
    }

    private async Task VerifyAsync(Jid jid, CapsKey key, string queryNode, TaskCompletionSource<DiscoInfo?> source)
    {
        await Task.Yield();
        DiscoInfo? result = null;
        try
        {
            var answer = await _disco.QueryInfoAsync(jid, queryNode, new DiscoQueryOptions(RequireFresh: true, NoCache: true, Timeout: _options.VerificationTimeout)).ConfigureAwait(false);
            var (ok, variant, reason) = Check(key, answer);
            if (ok)
            {
                // Stored without the caps node: the same info answers the entity's node-less query.
                result = answer.WithNode(null);
                if (Store is not null)
                {
                    await WriteStoreAsync(key, queryNode, result).ConfigureAwait(false);
                }

                DiscoLog.CapsVerified(_logger, key.Algorithm, key.Ver, jid.ToString(), variant);
            }
            else
            {
                DiscoLog.CapsRejected(_logger, key.Algorithm, key.Ver, jid.ToString(), reason);
            }
        }
        catch (Exception ex) when (ex is XmppStanzaException or TimeoutException or XmppStreamClosedException or OperationCanceledException)
        {
            DiscoLog.CapsRejected(_logger, key.Algorithm, key.Ver, jid.ToString(), ex.Message);
        }
        finally
        {
            lock (_gate)
            {
                _pending.Remove(key);
                if (result is not null)
                {
                    _entries.Set(key, result);
                    _verified++;
                }
                else
                {
                    _failures.Set((key, jid), true);
                    _rejected++;
                }
            }

            VerificationCompleted?.Invoke(this, new CapsVerificationEventArgs(jid, key, result));
            source.TrySetResult(result);
        }
    }

    private async Task WriteStoreAsync(CapsKey key, string queryNode, DiscoInfo info)
    {
        var node = key.Kind == CapsKind.Caps115 ? queryNode[..queryNode.LastIndexOf('#')] : null;
        try
        {
            await Store!.WriteAsync(key, node, info, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            DiscoLog.StoreIssue(_logger, Store!.UserPath ?? string.Empty, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            DiscoLog.StoreIssue(_logger, Store!.UserPath ?? string.Empty, ex.Message);
        }
    }

    private static (bool Ok, string Variant, string Reason) Check(CapsKey key, DiscoInfo info)
    {
        if (key.Kind == CapsKind.Caps115)
        {
            var verification = Caps115.Verify(info, key.Algorithm, key.Ver);
            return (verification.IsValid, Caps115.Describe(verification.Variant), string.Join("; ", verification.Violations.Select(v => v.Message)));
        }

        return Caps390.Verify(info, new Caps390Hash(key.Algorithm, key.Ver), out var error)
            ? (true, "XEP-0390 §4.1", string.Empty)
            : (false, string.Empty, error ?? "mismatch");
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        _tokens = Math.Min(_options.VerificationBurst, _tokens + (elapsed * _options.VerificationsPerSecond));
    }
}
