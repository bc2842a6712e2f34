using System.Collections.Concurrent;

namespace Harness.Dpws.Http;

/// <summary>Answers one SOAP request; may throw <see cref="Soap.SoapFaultException"/> to answer with a fault.</summary>
/// <param name="context">The request and helpers to build the answer.</param>
/// <param name="cancellationToken">Cancelled when the client goes away or the handler timeout passes.</param>
public delegate ValueTask<SoapResponse> SoapHandler(SoapRequestContext context, CancellationToken cancellationToken);

/// <summary>
/// One SOAP endpoint of a <see cref="DpwsHost"/>: a path whose requests are dispatched by <c>wsa:Action</c> to the
/// registered handlers. Handlers can be added and removed while the host runs.
/// </summary>
public sealed class SoapEndpoint
{
    private readonly ConcurrentDictionary<string, SoapHandler> _handlers = new(StringComparer.Ordinal);
    private SoapHandler? _fallback;

    internal SoapEndpoint(string path, int maxRequestBytes)
    {
        Path = path;
        MaxRequestBytes = maxRequestBytes;
    }

    /// <summary>The path, starting with <c>/</c> (matched case-insensitively, a trailing slash ignored).</summary>
    public string Path { get; }

    /// <summary>Largest request body this endpoint accepts (the host's default unless set when mapped).</summary>
    public int MaxRequestBytes { get; }

    /// <summary>The actions with a handler.</summary>
    public IReadOnlyCollection<string> Actions => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers the handler of <paramref name="action"/> (exact, case-sensitive URI); throws if one is registered.</summary>
    public SoapEndpoint On(string action, SoapHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(action, handler))
        {
            throw new InvalidOperationException($"The endpoint {Path} already has a handler for {action}.");
        }

        return this;
    }

    /// <summary>Registers the handler of every action without its own handler (e.g. a notification sink).</summary>
    public SoapEndpoint OnAny(SoapHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _fallback = handler;
        return this;
    }

    /// <summary>Removes the handler of <paramref name="action"/>; false when there was none.</summary>
    public bool Remove(string action) => _handlers.TryRemove(action, out _);

    internal SoapHandler? Find(string action) => _handlers.TryGetValue(action, out var handler) ? handler : _fallback;

    internal bool Handles(string action) => _handlers.ContainsKey(action) || _fallback is not null;
}
