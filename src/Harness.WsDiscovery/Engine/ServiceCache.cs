using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Engine;

/// <summary>
/// The client's known services by endpoint address: bounded (least recently seen dropped first), thread-safe.
/// </summary>
internal sealed class ServiceCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<DiscoveredService>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<DiscoveredService> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>
    /// Adds or updates an entry and returns what is stored: the first-seen time is kept, and XAddrs, types and
    /// scopes are kept when the update has none and the metadata version did not change (Hello/ProbeMatch without
    /// XAddrs, quirk Q-NO-XADDR).
    /// </summary>
    public DiscoveredService Upsert(DiscoveredService incoming)
    {
        lock (_gate)
        {
            var stored = incoming;
            if (_index.Remove(incoming.EndpointAddress, out var node))
            {
                var old = node.Value;
                _order.Remove(node);
                var sameVersion = incoming.MetadataVersion is null || incoming.MetadataVersion == old.MetadataVersion;
                stored = incoming with
                {
                    FirstSeen = old.FirstSeen < incoming.FirstSeen ? old.FirstSeen : incoming.FirstSeen,
                    XAddrs = incoming.XAddrs.Count == 0 && sameVersion ? old.XAddrs : incoming.XAddrs,
                    Types = incoming.Types.Count == 0 && sameVersion ? old.Types : incoming.Types,
                    Scopes = incoming.Scopes.Count == 0 && sameVersion ? old.Scopes : incoming.Scopes,
                    MetadataVersion = incoming.MetadataVersion ?? old.MetadataVersion,
                };
            }

            _index[stored.EndpointAddress] = _order.AddLast(stored);
            while (_index.Count > capacity)
            {
                var oldest = _order.First!;
                _order.RemoveFirst();
                _index.Remove(oldest.Value.EndpointAddress);
            }

            return stored;
        }
    }

    public bool TryGet(string endpointAddress, out DiscoveredService? service)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(endpointAddress, out var node))
            {
                service = node.Value;
                return true;
            }

            service = null;
            return false;
        }
    }

    public DiscoveredService? Remove(string endpointAddress)
    {
        lock (_gate)
        {
            if (_index.Remove(endpointAddress, out var node))
            {
                _order.Remove(node);
                return node.Value;
            }

            return null;
        }
    }

    public IReadOnlyList<DiscoveredService> Snapshot()
    {
        lock (_gate)
        {
            return [.. _order];
        }
    }
}

/// <summary>The JSON form of the client's service cache (<see cref="DiscoveryClientOptions.CacheFile"/>).</summary>
internal static class ServiceCacheFile
{
    /// <summary>The largest cache file read (a bound against a corrupt or hostile file).</summary>
    public const long MaxFileBytes = 64L << 20;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 16,
    };

    public static async Task<IReadOnlyList<DiscoveredService>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        if (stream.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"The cache file is larger than {MaxFileBytes} bytes.");
        }

        var document = await JsonSerializer.DeserializeAsync<CacheDocument>(stream, JsonOptions, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("The cache file is empty.");
        if (document.Version != 1)
        {
            throw new InvalidDataException($"Unknown cache file version {document.Version}.");
        }

        var result = new List<DiscoveredService>();
        foreach (var entry in document.Services ?? [])
        {
            if (entry?.ToService() is { } service)
            {
                result.Add(service);
            }
        }

        return result;
    }

    public static async Task WriteAsync(string path, IReadOnlyList<DiscoveredService> services, CancellationToken cancellationToken)
    {
        var document = new CacheDocument(1, [.. services.Select(CacheEntry.From)]);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temp = full + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await JsonSerializer.SerializeAsync(stream, document, JsonOptions, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, full, overwrite: true);
    }

    internal sealed record CacheDocument(int Version, List<CacheEntry?>? Services);

    internal sealed record CacheQName(string? Namespace, string? LocalName, string? Prefix);

    internal sealed record CacheEntry(
        string? EndpointAddress,
        List<CacheQName?>? Types,
        List<string?>? Scopes,
        List<string?>? XAddrs,
        ulong? MetadataVersion,
        string? Source,
        string? Protocol,
        DateTimeOffset FirstSeen,
        DateTimeOffset LastSeen)
    {
        public static CacheEntry From(DiscoveredService s) => new(
            s.EndpointAddress,
            [.. s.Types.Select(t => new CacheQName(t.Namespace, t.LocalName, t.Prefix))],
            [.. s.Scopes],
            [.. s.XAddrs],
            s.MetadataVersion,
            s.Source.ToString(),
            s.Protocol.Version.ToString(),
            s.FirstSeen,
            s.LastSeen);

        public DiscoveredService? ToService()
        {
            if (string.IsNullOrEmpty(EndpointAddress)
                || !IPEndPoint.TryParse(Source ?? string.Empty, out var source)
                || !Enum.TryParse<WsdVersion>(Protocol, out var version))
            {
                return null;
            }

            var types = (Types ?? [])
                .Where(t => t?.Namespace is not null && t.LocalName is not null)
                .Select(t => WsdQName.Create(t!.Namespace!, t.LocalName!, t.Prefix))
                .ToArray();
            return new DiscoveredService(
                EndpointAddress,
                types,
                [.. (Scopes ?? []).OfType<string>()],
                [.. (XAddrs ?? []).OfType<string>()],
                MetadataVersion,
                source,
                WsdProtocol.For(version),
                [],
                FirstSeen)
            {
                LastSeen = LastSeen,
            };
        }
    }
}
