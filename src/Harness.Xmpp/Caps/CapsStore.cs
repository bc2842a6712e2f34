using System.Text;
using System.Xml.Linq;
using Harness.Core.Xml;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Caps;

/// <summary>Which caps protocol a key belongs to (their hashes never mix, XMPP-CAPS2-009).</summary>
public enum CapsKind
{
    /// <summary>XEP-0115: the key's value is the ver.</summary>
    Caps115,

    /// <summary>XEP-0390: the key's value is the Base64 digest.</summary>
    Caps390,
}

/// <summary>What a caps cache entry is keyed by: the protocol, the hash algorithm and the ver (or digest).</summary>
/// <param name="Kind">XEP-0115 or XEP-0390.</param>
/// <param name="Algorithm">The hash name, e.g. <c>sha-1</c>.</param>
/// <param name="Ver">The ver (115) or Base64 digest (390).</param>
public readonly record struct CapsKey(CapsKind Kind, string Algorithm, string Ver)
{
    /// <summary>A XEP-0115 key.</summary>
    public static CapsKey For115(string algorithm, string ver) => new(CapsKind.Caps115, algorithm, ver);

    /// <summary>A XEP-0390 key.</summary>
    public static CapsKey For390(Caps390Hash hash) => new(CapsKind.Caps390, hash.Algorithm, hash.Value);

    /// <summary>True when <paramref name="info"/> hashes to this key (115: spec or an accepted variant, lenient).</summary>
    public bool Matches(DiscoInfo info) => Kind == CapsKind.Caps115
        ? Caps115.Verify(info, Algorithm, Ver).IsValid
        : Caps390.Verify(info, new Caps390Hash(Algorithm, Ver), out _);
}

/// <summary>A file of a caps store that could not be used.</summary>
/// <param name="Path">The file.</param>
/// <param name="Problem">Why.</param>
public sealed record CapsStoreIssue(string Path, string Problem);

/// <summary>
/// Caps entries on disk in the capsdb layout: XEP-0115 entries as <c>hashes/&lt;algo&gt;_&lt;urlquoted node#ver&gt;.xml</c>,
/// XEP-0390 entries as aioxmpp's <c>caps2/&lt;algo&gt;/&lt;b32[0:2]&gt;/&lt;b32[2:4]&gt;/&lt;b32[4:]&gt;.xml</c>; each file holds the
/// disco#info <c>query</c> element. A trusted read-only store (a capsdb checkout) wins over the user store, which
/// is written atomically (temp file, then rename). Loading verifies every file against its name and reports the
/// ones it cannot use instead of failing. Only file names are indexed in memory (bounded by <c>maxEntries</c>).
/// </summary>
public sealed class CapsStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CapsKey, (string Path, bool Trusted)> _index = [];
    private readonly int _maxEntries;

    /// <summary>Creates the store; either path may be null.</summary>
    public CapsStore(string? userPath, string? trustedPath = null, int maxEntries = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        UserPath = userPath;
        TrustedPath = trustedPath;
        _maxEntries = maxEntries;
    }

    /// <summary>The writable store's root, or null.</summary>
    public string? UserPath { get; }

    /// <summary>The read-only store's root, or null.</summary>
    public string? TrustedPath { get; }

    /// <summary>Entries indexed.</summary>
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

    /// <summary>The path of an entry relative to a store root.</summary>
    public static string RelativePath(CapsKey key, string? node)
    {
        if (key.Kind == CapsKind.Caps115)
        {
            return Path.Combine("hashes", key.Algorithm + "_" + Quote((node ?? string.Empty) + "#" + key.Ver) + ".xml");
        }

        var digest = Convert.FromBase64String(key.Ver);
        var b32 = Base32(digest);
        return Path.Combine("caps2", Quote(key.Algorithm), b32[..2], b32[2..4], b32[4..] + ".xml");
    }

    /// <summary>Indexes both stores (trusted first), verifying every file; returns the files it could not use.</summary>
    public async Task<IReadOnlyList<CapsStoreIssue>> LoadAsync(CancellationToken cancellationToken)
    {
        var issues = new List<CapsStoreIssue>();
        var found = new Dictionary<CapsKey, (string, bool)>();
        foreach (var (root, trusted) in new[] { (TrustedPath, true), (UserPath, false) })
        {
            if (root is null || !Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in EnumerateFiles(root))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (found.Count >= _maxEntries)
                {
                    issues.Add(new CapsStoreIssue(file, $"Not indexed: the store holds more than {_maxEntries} entries."));
                    break;
                }

                if (!TryParsePath(root, file, out var key))
                {
                    issues.Add(new CapsStoreIssue(file, "The file name is not a caps entry name."));
                    continue;
                }

                if (found.ContainsKey(key))
                {
                    continue; // The trusted store was read first and wins.
                }

                var (info, problem) = await ReadFileAsync(file, key, cancellationToken).ConfigureAwait(false);
                if (info is null)
                {
                    issues.Add(new CapsStoreIssue(file, problem!));
                    continue;
                }

                found[key] = (file, trusted);
            }
        }

        lock (_gate)
        {
            _index.Clear();
            foreach (var (key, value) in found)
            {
                _index[key] = value;
            }
        }

        return issues;
    }

    /// <summary>True when the key is indexed.</summary>
    public bool Contains(CapsKey key)
    {
        lock (_gate)
        {
            return _index.ContainsKey(key);
        }
    }

    /// <summary>Reads an entry (verified again against its key); null when absent or no longer usable.</summary>
    public async ValueTask<DiscoInfo?> ReadAsync(CapsKey key, CancellationToken cancellationToken)
    {
        string path;
        lock (_gate)
        {
            if (!_index.TryGetValue(key, out var entry))
            {
                return null;
            }

            path = entry.Path;
        }

        var (info, _) = await ReadFileAsync(path, key, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            lock (_gate)
            {
                _index.Remove(key);
            }
        }

        return info;
    }

    /// <summary>
    /// Writes a verified entry to the user store (temp file in the same folder, then rename); nothing when there is no
    /// user store, when the trusted store has it, or when the index is full.
    /// </summary>
    public async Task WriteAsync(CapsKey key, string? node, DiscoInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (UserPath is null)
        {
            return;
        }

        lock (_gate)
        {
            if ((_index.TryGetValue(key, out var existing) && existing.Trusted) || _index.Count >= _maxEntries)
            {
                return;
            }
        }

        var path = Path.Combine(UserPath, RelativePath(key, node));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var query = DiscoCodec.WriteInfo(info.WithNode(key.Kind == CapsKind.Caps115 ? node + "#" + key.Ver : new Caps390Hash(key.Algorithm, key.Ver).Node));
        var bytes = Encoding.UTF8.GetBytes(query.ToString(SaveOptions.DisableFormatting));
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        lock (_gate)
        {
            _index[key] = (path, false);
        }
    }

    private static IEnumerable<string> EnumerateFiles(string root)
    {
        var hashes = Path.Combine(root, "hashes");
        var caps2 = Path.Combine(root, "caps2");
        var files = Enumerable.Empty<string>();
        if (Directory.Exists(hashes))
        {
            files = files.Concat(Directory.EnumerateFiles(hashes, "*.xml").Order(StringComparer.Ordinal));
        }

        if (Directory.Exists(caps2))
        {
            files = files.Concat(Directory.EnumerateFiles(caps2, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        }

        return files;
    }

    private static bool TryParsePath(string root, string file, out CapsKey key)
    {
        key = default;
        var relative = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
        if (relative is ["hashes", var name] && name.EndsWith(".xml", StringComparison.Ordinal))
        {
            var stem = name[..^4];
            var underscore = stem.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0)
            {
                return false;
            }

            var nodeVer = Uri.UnescapeDataString(stem[(underscore + 1)..]);
            var hash = nodeVer.LastIndexOf('#');
            if (hash < 0 || hash == nodeVer.Length - 1)
            {
                return false;
            }

            key = CapsKey.For115(stem[..underscore], nodeVer[(hash + 1)..]);
            return true;
        }

        if (relative is ["caps2", var algo, var a, var b, var rest] && rest.EndsWith(".xml", StringComparison.Ordinal)
            && TryFromBase32(a + b + rest[..^4], out var digest))
        {
            key = new CapsKey(CapsKind.Caps390, Uri.UnescapeDataString(algo), Convert.ToBase64String(digest));
            return true;
        }

        return false;
    }

    private static async Task<(DiscoInfo? Info, string? Problem)> ReadFileAsync(string path, CapsKey key, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return (null, "Unreadable: " + ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return (null, "Unreadable: " + ex.Message);
        }

        var load = SafeXml.Load(bytes, new XmlLimits(MaxBytes: 256 * 1024));
        if (!load.Success)
        {
            return (null, $"Not usable XML ({load.Error}): {load.Message}");
        }

        var read = DiscoCodec.ReadInfo(load.Document!.Root!);
        if (read.Info is null)
        {
            return (null, "Not a disco#info query.");
        }

        if (key.Kind == CapsKind.Caps115 ? !Caps115.IsSupported(key.Algorithm) : !Caps390.IsSupported(key.Algorithm))
        {
            return (null, $"The hash '{key.Algorithm}' is not supported here.");
        }

        return key.Matches(read.Info) ? (read.Info, null) : (null, $"The disco#info does not hash to {key.Algorithm} '{key.Ver}'.");
    }

    /// <summary>Percent-encodes like Python's <c>urllib.parse.quote(s, safe="")</c>.</summary>
    internal static string Quote(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'.' or (byte)'-' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private static string Base32(ReadOnlySpan<byte> data)
    {
        var builder = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            builder.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return builder.ToString();
    }

    private static bool TryFromBase32(string text, out byte[] data)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                data = [];
                return false;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        data = [.. bytes];
        return data.Length > 0;
    }
}
