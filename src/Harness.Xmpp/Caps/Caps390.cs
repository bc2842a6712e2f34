using System.Security.Cryptography;
using System.Text;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Caps;

/// <summary>One hash of a XEP-0390 capability hash set.</summary>
/// <param name="Algorithm">The XEP-0300 algorithm name, e.g. <c>sha-256</c>.</param>
/// <param name="Value">The digest, Base64.</param>
public sealed record Caps390Hash(string Algorithm, string Value)
{
    /// <summary>The capability hash node: <c>urn:xmpp:caps#</c> + algorithm + <c>.</c> + Base64 digest (§4.3).</summary>
    public string Node => Caps390.NodePrefix + Algorithm + "." + Value;
}

/// <summary>
/// XEP-0390 (Entity Capabilities 2.0): the hash input of §4.1 (0x1F unit, 0x1E record, 0x1D group, 0x1C file
/// separators; nothing escaped; FORM_TYPE hashed like any field; explicit or inherited xml:lang counted), hash sets,
/// hash nodes (§4.3) and verification.
/// </summary>
public static class Caps390
{
    /// <summary>The namespace of the presence element and the feature.</summary>
    public const string NamespaceName = "urn:xmpp:caps";

    /// <summary>The XEP-0300 hashes namespace of the <c>hash</c> children.</summary>
    public const string HashesNamespaceName = "urn:xmpp:hashes:2";

    /// <summary>The prefix of capability hash nodes.</summary>
    public const string NodePrefix = "urn:xmpp:caps#";

    /// <summary>
    /// The algorithms emitted by default: sha-256, sha3-256 (when the platform has it) and blake2b-256 — aioxmpp's
    /// set. XEP-0414 0.4.0 asks for sha-256, sha3-256 and blake2b-512; pass your own list for that.
    /// </summary>
    public static IReadOnlyList<string> DefaultAlgorithms { get; } =
        SHA3_256.IsSupported ? ["sha-256", "sha3-256", "blake2b-256"] : ["sha-256", "blake2b-256"];

    /// <summary>True when <paramref name="algorithm"/> may be used in a XEP-0390 hash set and is available here (not sha-1 nor md5).</summary>
    public static bool IsSupported(string? algorithm) =>
        algorithm is "sha-256" or "sha-384" or "sha-512" or "sha3-256" or "sha3-512" or "blake2b-256" or "blake2b-512"
        && CapsHash.IsSupported(algorithm);

    /// <summary>Builds the §4.1 hash input; false (with the reason) when the algorithm aborts.</summary>
    public static bool TryBuildHashInput(DiscoInfo info, out byte[] input, out string? error)
    {
        ArgumentNullException.ThrowIfNull(info);
        input = [];
        if (info.UnknownChildren.Count > 0)
        {
            error = $"The query has a child that is neither identity, feature nor data form ({info.UnknownChildren[0]}).";
            return false;
        }

        foreach (var form in info.Forms)
        {
            if (form.HasReportedOrItems)
            {
                error = "A data form has <reported/> or <item/>.";
                return false;
            }

            var typeFields = form.Fields.Where(f => f.Var == DataForm.FormTypeVar).ToList();
            if (typeFields.Count != 1 || typeFields[0].Values.Count != 1 || typeFields[0].Type is not (null or "hidden"))
            {
                error = "A data form breaks the FORM_TYPE rules of XEP-0068 (one FORM_TYPE field, of type hidden, with one value).";
                return false;
            }
        }

        using var output = new MemoryStream();
        var features = info.Features.Select(f => Join(f)).ToList();
        WriteSorted(output, features);
        output.WriteByte(0x1C);

        var identities = info.Identities.Select(i => Join(i.Category, i.Type, i.Lang, i.Name).Append((byte)0x1E).ToArray()).ToList();
        WriteSorted(output, identities);
        output.WriteByte(0x1C);

        var forms = new List<byte[]>();
        foreach (var form in info.Forms)
        {
            var fields = new List<byte[]>();
            foreach (var field in form.Fields)
            {
                var values = field.Values.Select(v => Join(v)).ToList();
                values.Sort(CompareBytes);
                fields.Add([.. Join(field.Var), .. values.SelectMany(v => v), 0x1E]);
            }

            fields.Sort(CompareBytes);
            forms.Add([.. fields.SelectMany(f => f), 0x1D]);
        }

        WriteSorted(output, forms);
        output.WriteByte(0x1C);
        input = output.ToArray();
        error = null;
        return true;
    }

    /// <summary>Computes the hash set of <paramref name="info"/> for <paramref name="algorithms"/> (default <see cref="DefaultAlgorithms"/>).</summary>
    /// <exception cref="ArgumentException">The hash input aborts (§4.1), or an algorithm is not supported.</exception>
    public static IReadOnlyList<Caps390Hash> ComputeHashSet(DiscoInfo info, IEnumerable<string>? algorithms = null)
    {
        if (!TryBuildHashInput(info, out var input, out var error))
        {
            throw new ArgumentException(error, nameof(info));
        }

        var result = new List<Caps390Hash>();
        foreach (var algorithm in algorithms ?? DefaultAlgorithms)
        {
            if (!IsSupported(algorithm))
            {
                throw new ArgumentException($"The hash '{algorithm}' cannot be used for XEP-0390 here.", nameof(algorithms));
            }

            result.Add(new Caps390Hash(algorithm, Convert.ToBase64String(CapsHash.HashData(algorithm, input))));
        }

        return result;
    }

    /// <summary>True when <paramref name="hash"/> is the hash of <paramref name="info"/>; the reason when not.</summary>
    public static bool Verify(DiscoInfo info, Caps390Hash hash, out string? error)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (!IsSupported(hash.Algorithm))
        {
            error = $"The hash '{hash.Algorithm}' is not supported.";
            return false;
        }

        if (!TryBuildHashInput(info, out var input, out error))
        {
            return false;
        }

        var computed = Convert.ToBase64String(CapsHash.HashData(hash.Algorithm, input));
        if (computed != hash.Value)
        {
            error = $"The {hash.Algorithm} of the disco#info is '{computed}', not '{hash.Value}'.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Splits a capability hash node (§4.3) at its last '.': false for a wrong prefix, an empty algorithm, or a value
    /// that is not non-empty Base64.
    /// </summary>
    public static bool TryParseHashNode(string? node, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Caps390Hash? hash)
    {
        hash = null;
        if (node is null || !node.StartsWith(NodePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = node[NodePrefix.Length..];
        var dot = rest.LastIndexOf('.');
        if (dot <= 0 || dot == rest.Length - 1)
        {
            return false;
        }

        var value = rest[(dot + 1)..];
        if (!IsBase64(value))
        {
            return false;
        }

        hash = new Caps390Hash(rest[..dot], value);
        return true;
    }

    /// <summary>True for non-empty, padded, whitespace-free Base64.</summary>
    internal static bool IsBase64(string value)
    {
        if (value.Length == 0 || value.Length % 4 != 0 || value.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[Math.Min(value.Length, 512)];
        return value.Length <= 512 && Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }

    private static byte[] Join(params string?[] parts)
    {
        var bytes = new List<byte>();
        foreach (var part in parts)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(part ?? string.Empty));
            bytes.Add(0x1F);
        }

        return [.. bytes];
    }

    private static void WriteSorted(MemoryStream output, List<byte[]> parts)
    {
        parts.Sort(CompareBytes);
        foreach (var part in parts)
        {
            output.Write(part);
        }
    }

    private static int CompareBytes(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);
}
