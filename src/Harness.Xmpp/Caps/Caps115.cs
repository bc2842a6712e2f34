using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Caps;

/// <summary>
/// Ways real implementations compute the XEP-0115 ver differently from the spec (checklist §1.3). Flags combine.
/// </summary>
[Flags]
public enum Caps115Variant
{
    /// <summary>XEP-0115 §5.1 as written: raw character data, i;octet order, joined identity strings, forms by FORM_TYPE.</summary>
    Spec = 0,

    /// <summary><c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> XML-escaped in every factor (aioxmpp, capsdb's verify.py).</summary>
    EscapedXml = 1,

    /// <summary>Identities sorted as (category, type, lang, name) tuples (Smack, Prosody) instead of joined strings.</summary>
    IdentityTupleOrder = 2,

    /// <summary>Sorted by UTF-16 code units (.NET <c>string.CompareOrdinal</c>, Java <c>compareTo</c>) instead of UTF-8 bytes.</summary>
    Utf16Order = 4,

    /// <summary>Forms in document order instead of sorted by FORM_TYPE (Smack).</summary>
    FormsInDocumentOrder = 8,

    /// <summary>Forms left out of the hash.</summary>
    WithoutForms = 16,

    /// <summary>Nothing sorted: identities, features, fields and values in document order.</summary>
    Unsorted = 32,

    /// <summary>Duplicate features hashed once (ejabberd).</summary>
    DeduplicatedFeatures = 64,

    /// <summary>A field without value contributes an empty value, <c>var&lt;&lt;</c> (slixmpp).</summary>
    EmptyValueForValuelessField = 128,

    /// <summary>A form whose FORM_TYPE is not of type hidden is hashed anyway (aioxmpp does not look at the type).</summary>
    NonHiddenFormTypeHashed = 256,
}

/// <summary>The outcome of <see cref="Caps115.Verify"/>.</summary>
/// <param name="IsValid">True when the ver matches (by the spec or an accepted variant) and the answer is well-formed.</param>
/// <param name="Variant">The variant that matched (<see cref="Caps115Variant.Spec"/> when the spec did).</param>
/// <param name="Violations">Why it is not valid, or warnings about an accepted deviation.</param>
public sealed record Caps115Verification(bool IsValid, Caps115Variant Variant, IReadOnlyList<Violation> Violations);

/// <summary>The outcome of <see cref="Caps115.Diagnose"/>: which way of computing the ver the peer used.</summary>
/// <param name="MatchesSpec">True when the ver is what XEP-0115 §5.1 gives.</param>
/// <param name="Variant">The variant that reproduces the ver (Spec when <see cref="MatchesSpec"/>), or null when none does.</param>
/// <param name="LegacyWithoutHash">True when the <c>c</c> element had no hash attribute (pre-1.5 caps).</param>
/// <param name="Summary">One sentence: "matches spec", "matches variant X", or why nothing matched.</param>
public sealed record Caps115Diagnosis(bool MatchesSpec, Caps115Variant? Variant, bool LegacyWithoutHash, string Summary);

/// <summary>
/// XEP-0115 verification strings: generation (§5.1), verification (§5.4) and diagnosis of the variants peers use.
/// The spec path builds S in one pooled buffer (pieces sorted by the i;octet order of their UTF-8, compared on the
/// chars; S transcoded to UTF-8 once) with no XML and no allocation but the returned string; the variants use a
/// slower reference builder.
/// </summary>
public static class Caps115
{
    /// <summary>The caps namespace (and feature).</summary>
    public const string NamespaceName = "http://jabber.org/protocol/caps";

    /// <summary>The mandatory-to-implement hash.</summary>
    public const string DefaultAlgorithm = "sha-1";

    // The usual outcome (well-formed, matches by the spec), shared: records are immutable and it has no violations.
    private static readonly Caps115Verification ValidBySpec = new(true, Caps115Variant.Spec, []);

    /// <summary>The hash names XEP-0115 accepts here: sha-1, sha-224, sha-256, sha-384, sha-512, md5 (IANA names).</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512", "md5"];

    /// <summary>Variants <see cref="Verify"/> accepts (with a warning) besides the spec.</summary>
    public static Caps115Variant AcceptedVariants => Caps115Variant.EscapedXml | Caps115Variant.IdentityTupleOrder;

    /// <summary>True when <paramref name="algorithm"/> is one of <see cref="Algorithms"/>.</summary>
    public static bool IsSupported(string? algorithm) =>
        algorithm is "sha-1" or "sha-224" or "sha-256" or "sha-384" or "sha-512" or "md5";

    /// <summary>Computes the ver of <paramref name="info"/> by XEP-0115 §5.1 (raw character data, nothing escaped).</summary>
    /// <exception cref="ArgumentException">The algorithm is not supported.</exception>
    public static string ComputeVer(DiscoInfo info, string algorithm = DefaultAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(info);
        RequireSupported(algorithm);
        Span<byte> digest = stackalloc byte[64];
        var length = HashSpec(info, algorithm, digest, out _);
        return Convert.ToBase64String(digest[..length]);
    }

    /// <summary>Computes the ver the way <paramref name="variant"/> does.</summary>
    /// <exception cref="ArgumentException">The algorithm is not supported.</exception>
    public static string ComputeVer(DiscoInfo info, string algorithm, Caps115Variant variant)
    {
        ArgumentNullException.ThrowIfNull(info);
        RequireSupported(algorithm);
        if (variant == Caps115Variant.Spec)
        {
            return ComputeVer(info, algorithm);
        }

        return Convert.ToBase64String(CapsHash.HashData(algorithm, Encoding.UTF8.GetBytes(BuildInputString(info, variant))));
    }

    /// <summary>The verification string S before hashing, as text (for tests and reports).</summary>
    public static string BuildInputString(DiscoInfo info, Caps115Variant variant = Caps115Variant.Spec)
    {
        ArgumentNullException.ThrowIfNull(info);
        return ReferenceInput(info, variant);
    }

    /// <summary>S as UTF-8 bytes by the spec, built the fast way.</summary>
    public static byte[] BuildInput(DiscoInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var layout = Layout.Of(info);
        var buffer = ArrayPool<byte>.Shared.Rent(layout.TotalBytes);
        try
        {
            return WriteSpecInput(info, layout, buffer, out _).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Checks a disco#info answer against a claimed ver (§5.4): ill-formed answers (duplicate identity, conflicting
    /// FORM_TYPEs; duplicate features in strict mode) are refused; a match by the spec is valid; a match by one of
    /// <see cref="AcceptedVariants"/> is valid with a warning saying which.
    /// </summary>
    public static Caps115Verification Verify(DiscoInfo info, string algorithm, string ver, ReadMode mode = ReadMode.Lenient)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(ver);
        if (!IsSupported(algorithm))
        {
            return new Caps115Verification(false, Caps115Variant.Spec, [new Violation(CapsRuleIds.UnsupportedHash, $"The hash '{algorithm}' is not supported; the answer cannot be verified.", ViolationSeverity.Warning)]);
        }

        Span<byte> digest = stackalloc byte[64];
        var length = HashSpec(info, algorithm, digest, out var flags);
        if (flags == InputFlags.None && Base64Equals(digest[..length], ver))
        {
            return ValidBySpec;
        }

        var violations = new List<Violation>();
        if ((flags & InputFlags.DuplicateIdentity) != 0)
        {
            violations.Add(new Violation(CapsRuleIds.DuplicateIdentity, "Two identities have the same category/type/lang/name: the answer is ill-formed (§5.4 3.3).", ViolationSeverity.Error));
        }

        if ((flags & InputFlags.DuplicateFormType) != 0)
        {
            violations.Add(new Violation(CapsRuleIds.FormTypeConflict, "Two forms have the same FORM_TYPE: the answer is ill-formed (§5.4 3.5).", ViolationSeverity.Error));
        }

        if ((flags & InputFlags.AmbiguousFormType) != 0)
        {
            violations.Add(new Violation(CapsRuleIds.FormTypeConflict, "A form's FORM_TYPE has more than one distinct value: the answer is ill-formed (§5.4 3.5).", ViolationSeverity.Error));
        }

        if ((flags & InputFlags.DuplicateFeature) != 0)
        {
            violations.Add(new Violation(
                CapsRuleIds.DuplicateFeature,
                "A feature is listed twice: ill-formed by §5.4 3.4" + (mode == ReadMode.Strict ? "." : "; accepted when the hash with the duplicates matches."),
                mode == ReadMode.Strict ? ViolationSeverity.Error : ViolationSeverity.Warning));
        }

        if ((flags & InputFlags.IgnoredForm) != 0)
        {
            violations.Add(new Violation(CapsRuleIds.FormIgnored, "A form without a hidden FORM_TYPE is left out of the hash (§5.4 3.6).", ViolationSeverity.Info));
        }

        if (violations.Exists(v => v.Severity == ViolationSeverity.Error))
        {
            return new Caps115Verification(false, Caps115Variant.Spec, violations);
        }

        if (Base64Equals(digest[..length], ver))
        {
            return new Caps115Verification(true, Caps115Variant.Spec, violations);
        }

        var relevant = RelevantVariants(info) & AcceptedVariants;
        foreach (var variant in Subsets(relevant))
        {
            if (variant != Caps115Variant.Spec && ComputeVer(info, algorithm, variant) == ver)
            {
                violations.Add(new Violation(CapsRuleIds.Verified, $"The ver matches only when computed with a known deviation: {Describe(variant)}.", ViolationSeverity.Warning));
                return new Caps115Verification(true, variant, violations);
            }
        }

        violations.Add(new Violation(CapsRuleIds.Mismatch, $"The ver '{ver}' does not match the disco#info ({algorithm} gives '{Convert.ToBase64String(digest[..length])}').", ViolationSeverity.Error));
        return new Caps115Verification(false, Caps115Variant.Spec, violations);
    }

    /// <summary>
    /// Says how a peer computed <paramref name="ver"/> from <paramref name="info"/>: "matches spec", "matches variant
    /// X" (the smallest combination of <see cref="Caps115Variant"/> flags that reproduces it), or that nothing does.
    /// <paramref name="algorithm"/> null means the <c>c</c> element had no hash attribute (legacy): sha-1 is tried.
    /// </summary>
    public static Caps115Diagnosis Diagnose(DiscoInfo info, string? algorithm, string ver)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(ver);
        var legacy = algorithm is null;
        var algo = algorithm ?? DefaultAlgorithm;
        if (!IsSupported(algo))
        {
            return new Caps115Diagnosis(false, null, false, $"The hash '{algo}' is not supported; nothing to compare.");
        }

        foreach (var variant in Subsets(RelevantVariants(info)))
        {
            if (variant.HasFlag(Caps115Variant.Unsorted) && (variant & (Caps115Variant.IdentityTupleOrder | Caps115Variant.Utf16Order | Caps115Variant.FormsInDocumentOrder)) != 0)
            {
                continue;
            }

            if (ComputeVer(info, algo, variant) != ver)
            {
                continue;
            }

            var prefix = legacy ? "Legacy caps without a hash attribute; the ver is nevertheless the sha-1 that " : string.Empty;
            return variant == Caps115Variant.Spec
                ? new Caps115Diagnosis(!legacy, variant, legacy, prefix + (legacy ? "the spec gives." : "Matches spec."))
                : new Caps115Diagnosis(false, variant, legacy, prefix + (legacy ? "this variant gives: " : "Matches variant: ") + Describe(variant) + ".");
        }

        return legacy
            ? new Caps115Diagnosis(false, null, true, $"Legacy caps without a hash attribute: '{ver}' is a version string, not a hash of this disco#info.")
            : new Caps115Diagnosis(false, null, false, $"No known way of computing {algo} from this disco#info gives '{ver}'.");
    }

    /// <summary>Describes a variant in words, naming who computes it that way.</summary>
    public static string Describe(Caps115Variant variant)
    {
        if (variant == Caps115Variant.Spec)
        {
            return "XEP-0115 §5.1";
        }

        var parts = new List<string>();
        if (variant.HasFlag(Caps115Variant.EscapedXml))
        {
            parts.Add("'&', '<', '>' XML-escaped (aioxmpp, capsdb verify.py)");
        }

        if (variant.HasFlag(Caps115Variant.IdentityTupleOrder))
        {
            parts.Add("identities sorted as tuples (Smack, Prosody)");
        }

        if (variant.HasFlag(Caps115Variant.Utf16Order))
        {
            parts.Add("sorted by UTF-16 code units instead of UTF-8 bytes");
        }

        if (variant.HasFlag(Caps115Variant.FormsInDocumentOrder))
        {
            parts.Add("forms in document order (Smack)");
        }

        if (variant.HasFlag(Caps115Variant.WithoutForms))
        {
            parts.Add("forms left out");
        }

        if (variant.HasFlag(Caps115Variant.Unsorted))
        {
            parts.Add("nothing sorted (document order)");
        }

        if (variant.HasFlag(Caps115Variant.DeduplicatedFeatures))
        {
            parts.Add("duplicate features hashed once (ejabberd)");
        }

        if (variant.HasFlag(Caps115Variant.EmptyValueForValuelessField))
        {
            parts.Add("an empty value for a field without value (slixmpp)");
        }

        if (variant.HasFlag(Caps115Variant.NonHiddenFormTypeHashed))
        {
            parts.Add("forms whose FORM_TYPE is not hidden hashed (aioxmpp)");
        }

        return string.Join(", ", parts);
    }

    private static void RequireSupported(string algorithm)
    {
        if (!IsSupported(algorithm))
        {
            throw new ArgumentException($"The hash '{algorithm}' is not one XEP-0115 uses here ({string.Join(", ", Algorithms)}).", nameof(algorithm));
        }
    }

    private static int HashSpec(DiscoInfo info, string algorithm, Span<byte> digest, out InputFlags flags)
    {
        var layout = Layout.Of(info);
        var buffer = ArrayPool<byte>.Shared.Rent(layout.TotalBytes);
        try
        {
            return CapsHash.HashData(algorithm, WriteSpecInput(info, layout, buffer, out flags), digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool Base64Equals(ReadOnlySpan<byte> digest, string ver)
    {
        Span<char> chars = stackalloc char[96];
        return Convert.TryToBase64Chars(digest, chars, out var written) && chars[..written].SequenceEqual(ver);
    }

    // ---- The fast spec builder --------------------------------------------------------------------------------
    // One pooled buffer holds the sort orders (indices), S as UTF-16 (each piece copied once, in the i;octet order
    // of its UTF-8, decided on the chars by CompareUtf8) with scratch for joined identity keys, and S as UTF-8 after
    // one transcoding. The separators are ASCII, so no surrogate pair spans two pieces: one transcoding of S gives
    // the same bytes as encoding piece by piece (a lone surrogate becomes U+FFFD either way).

    [Flags]
    private enum InputFlags
    {
        None = 0,
        DuplicateIdentity = 1,
        DuplicateFeature = 2,
        DuplicateFormType = 4,
        AmbiguousFormType = 8,
        IgnoredForm = 16,
    }

    // Sizes in the pooled buffer: indices first (at the array's aligned start), then chars, then UTF-8 bytes.
    private readonly record struct Layout(int Ints, int Chars, int KeyChars)
    {
        public int CharsOffset => Ints * sizeof(int);

        public int BytesOffset => CharsOffset + ((Chars + KeyChars) * sizeof(char));

        // At most 3 UTF-8 bytes per UTF-16 unit.
        public int TotalBytes => checked(BytesOffset + (Chars * 3));

        // Upper bounds: every string once plus its separator (S), the joined identity keys when they need sorting,
        // and the indices of the largest sort (several identities need start and length too; a form's fields and
        // values are sorted while the forms' order is in use).
        public static Layout Of(DiscoInfo info)
        {
            long chars = 0;
            var identities = info.Identities;
            for (var i = 0; i < identities.Count; i++)
            {
                var identity = identities[i];
                chars += Length(identity.Category) + Length(identity.Type) + Length(identity.Lang) + Length(identity.Name) + 4;
            }

            var keyChars = identities.Count > 1 ? chars : 0;
            long ints = identities.Count > 1 ? identities.Count * 3L : 0;
            var features = info.Features;
            for (var i = 0; i < features.Count; i++)
            {
                chars += Length(features[i]) + 1;
            }

            ints = Math.Max(ints, features.Count);
            var forms = info.Forms;
            long most = 0;
            for (var f = 0; f < forms.Count; f++)
            {
                var fields = forms[f].Fields;
                most = Math.Max(most, fields.Count);
                for (var i = 0; i < fields.Count; i++)
                {
                    var field = fields[i];
                    chars += Length(field.Var) + 1;
                    var values = field.Values;
                    most = Math.Max(most, values.Count);
                    for (var v = 0; v < values.Count; v++)
                    {
                        chars += Length(values[v]) + 1;
                    }
                }
            }

            ints = Math.Max(ints, forms.Count + (2 * most));
            return new Layout(checked((int)ints), checked((int)chars), checked((int)keyChars));
        }

        private static int Length(string? text) => text?.Length ?? 0;
    }

    // Writes S into the buffer and returns it (a slice of the buffer).
    private static ReadOnlySpan<byte> WriteSpecInput(DiscoInfo info, Layout layout, byte[] buffer, out InputFlags flags)
    {
        flags = InputFlags.None;
        var ints = MemoryMarshal.Cast<byte, int>(buffer.AsSpan(0, layout.CharsOffset));
        var text = MemoryMarshal.Cast<byte, char>(buffer.AsSpan(layout.CharsOffset, layout.Chars * sizeof(char)));
        var keys = MemoryMarshal.Cast<byte, char>(buffer.AsSpan(layout.CharsOffset + (layout.Chars * sizeof(char)), layout.KeyChars * sizeof(char)));
        var used = 0;

        // Identities: category/type/lang/name, sorted as joined strings.
        var identities = info.Identities;
        if (identities.Count == 1)
        {
            AppendIdentity(identities[0], text, ref used);
            text[used++] = '<';
        }
        else if (identities.Count > 1)
        {
            var count = identities.Count;
            var order = ints[..count];
            var starts = ints.Slice(count, count);
            var lengths = ints.Slice(2 * count, count);
            var keyUsed = 0;
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
                starts[i] = keyUsed;
                AppendIdentity(identities[i], keys, ref keyUsed);
                lengths[i] = keyUsed - starts[i];
            }

            if (Sort(order, new KeySlices(keys, starts, lengths)))
            {
                flags |= InputFlags.DuplicateIdentity;
            }

            foreach (var i in order)
            {
                Append(keys.Slice(starts[i], lengths[i]), text, ref used);
            }
        }

        // Features.
        if (info.Features.Count > 0)
        {
            string[]? copy = null;
            var features = Strings(info.Features, ref copy);
            var order = ints[..features.Length];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            if (Sort(order, new SpanKeys(features)))
            {
                flags |= InputFlags.DuplicateFeature;
            }

            foreach (var i in order)
            {
                Append(features[i], text, ref used);
            }

            Release(copy);
        }

        if (info.Forms.Count > 0)
        {
            flags |= WriteForms(info.Forms, ints, text, ref used);
        }

        var bytes = buffer.AsSpan(layout.BytesOffset);
        var written = Encoding.UTF8.GetBytes(text[..used], bytes);
        return bytes[..written];
    }

    // Forms with a hidden FORM_TYPE, sorted by it; within each, fields by var, values sorted.
    private static InputFlags WriteForms(IReadOnlyList<DataForm> forms, Span<int> ints, Span<char> text, ref int used)
    {
        var flags = InputFlags.None;
        var formOrder = ints[..forms.Count];
        var formCount = 0;
        for (var f = 0; f < forms.Count; f++)
        {
            var typeField = forms[f].FormTypeField;
            if (typeField is null || typeField.Type != "hidden" || typeField.Values.Count == 0)
            {
                flags |= InputFlags.IgnoredForm;
                continue;
            }

            var formType = typeField.Values[0];
            var fields = forms[f].Fields;
            for (var i = 0; i < fields.Count; i++)
            {
                if (fields[i].Var == DataForm.FormTypeVar)
                {
                    var values = fields[i].Values;
                    for (var v = 0; v < values.Count; v++)
                    {
                        if (values[v] != formType)
                        {
                            flags |= InputFlags.AmbiguousFormType;
                        }
                    }
                }
            }

            formOrder[formCount++] = f;
        }

        formOrder = formOrder[..formCount];
        if (Sort(formOrder, new FormTypeKeys(forms)))
        {
            flags |= InputFlags.DuplicateFormType;
        }

        var rest = ints[forms.Count..];
        foreach (var f in formOrder)
        {
            var form = forms[f];
            Append(form.FormTypeField!.Values[0], text, ref used);
            var fields = form.Fields;
            var fieldCount = 0;
            for (var i = 0; i < fields.Count; i++)
            {
                if (fields[i].Var != DataForm.FormTypeVar)
                {
                    rest[fieldCount++] = i;
                }
            }

            var fieldOrder = rest[..fieldCount];
            Sort(fieldOrder, new FieldVarKeys(fields));
            var valueOrder = rest[fieldCount..];
            foreach (var i in fieldOrder)
            {
                var field = fields[i];
                Append(field.Var, text, ref used);
                var values = field.Values;
                var order = valueOrder[..values.Count];
                for (var v = 0; v < order.Length; v++)
                {
                    order[v] = v;
                }

                Sort(order, new ListKeys(values));
                foreach (var v in order)
                {
                    Append(values[v], text, ref used);
                }
            }
        }

        return flags;
    }

    private static void AppendIdentity(Identity identity, Span<char> destination, ref int used)
    {
        Copy(identity.Category, destination, ref used);
        destination[used++] = '/';
        Copy(identity.Type, destination, ref used);
        destination[used++] = '/';
        Copy(identity.Lang, destination, ref used);
        destination[used++] = '/';
        Copy(identity.Name, destination, ref used);
    }

    private static void Copy(string? piece, Span<char> destination, ref int used)
    {
        if (piece is not null)
        {
            piece.CopyTo(destination[used..]);
            used += piece.Length;
        }
    }

    private static void Append(ReadOnlySpan<char> piece, Span<char> destination, ref int used)
    {
        piece.CopyTo(destination[used..]);
        used += piece.Length;
        destination[used++] = '<';
    }

    // The strings of a list as a span: a List<string> or an array as it is, anything else copied into a pooled array.
    private static ReadOnlySpan<string> Strings(IReadOnlyList<string> list, ref string[]? copy)
    {
        if (list is List<string> items)
        {
            return CollectionsMarshal.AsSpan(items);
        }

        if (list is string[] array)
        {
            return array;
        }

        copy = ArrayPool<string>.Shared.Rent(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            copy[i] = list[i];
        }

        return copy.AsSpan(0, list.Count);
    }

    private static void Release(string[]? copy)
    {
        if (copy is not null)
        {
            ArrayPool<string>.Shared.Return(copy, clearArray: true);
        }
    }

    // Insertion sort of indices by the i;octet order of their keys' UTF-8 (stable, linear on sorted input, which is
    // the usual case); true when two keys are equal (equal keys always meet as neighbours on insertion).
    private static bool Sort<TKeys>(Span<int> order, TKeys keys)
        where TKeys : IKeys, allows ref struct
    {
        var duplicate = false;
        for (var i = 1; i < order.Length; i++)
        {
            var current = order[i];
            var currentKey = keys[current];
            var j = i - 1;
            while (j >= 0)
            {
                var comparison = CompareUtf8(keys[order[j]], currentKey);
                if (comparison == 0)
                {
                    duplicate = true;
                }

                if (comparison <= 0)
                {
                    break;
                }

                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }

        return duplicate;
    }

    /// <summary>
    /// Compares two strings as their UTF-8 encodings compare byte by byte (i;octet; a lone surrogate encodes as
    /// U+FFFD, as <see cref="Encoding.UTF8"/> writes it), without encoding them unless a surrogate decides.
    /// </summary>
    internal static int CompareUtf8(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            // One is a prefix of the other, and so is its encoding, except that a high surrogate ending the shorter
            // is lone there (EF BF BD) and may pair in the longer (F0..F4): the shorter still sorts first.
            return a.Length - b.Length;
        }

        var x = a[common];
        var y = b[common];
        if (!char.IsSurrogate(x) && !char.IsSurrogate(y))
        {
            // The common prefix encodes the same in both (a high surrogate before x and y is lone in both), and two
            // different BMP scalar values sort by their UTF-8 as by their value.
            return x - y;
        }

        return CompareEncoded(a, b);
    }

    private static int CompareEncoded(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(a) + Encoding.UTF8.GetByteCount(b));
        try
        {
            var left = Encoding.UTF8.GetBytes(a, rented);
            var right = Encoding.UTF8.GetBytes(b, rented.AsSpan(left));
            return rented.AsSpan(0, left).SequenceCompareTo(rented.AsSpan(left, right));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // The sort keys by index, as structs so that the sort is specialized (no delegate, no boxing).
    private interface IKeys
    {
        ReadOnlySpan<char> this[int index] { get; }
    }

    private readonly ref struct SpanKeys(ReadOnlySpan<string> strings) : IKeys
    {
        private readonly ReadOnlySpan<string> _strings = strings;

        public ReadOnlySpan<char> this[int index] => _strings[index];
    }

    private readonly struct ListKeys(IReadOnlyList<string> strings) : IKeys
    {
        public ReadOnlySpan<char> this[int index] => strings[index];
    }

    private readonly struct FieldVarKeys(IReadOnlyList<DataFormField> fields) : IKeys
    {
        public ReadOnlySpan<char> this[int index] => fields[index].Var;
    }

    private readonly struct FormTypeKeys(IReadOnlyList<DataForm> forms) : IKeys
    {
        public ReadOnlySpan<char> this[int index] => forms[index].FormTypeField!.Values[0];
    }

    private readonly ref struct KeySlices(ReadOnlySpan<char> keys, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths) : IKeys
    {
        private readonly ReadOnlySpan<char> _keys = keys;
        private readonly ReadOnlySpan<int> _starts = starts;
        private readonly ReadOnlySpan<int> _lengths = lengths;

        public ReadOnlySpan<char> this[int index] => _keys.Slice(_starts[index], _lengths[index]);
    }

    // ---- The reference builder (all variants) ----------------------------------------------------------------

    private static string ReferenceInput(DiscoInfo info, Caps115Variant variant)
    {
        var escape = variant.HasFlag(Caps115Variant.EscapedXml);
        var unsorted = variant.HasFlag(Caps115Variant.Unsorted);
        Comparison<string> compare = variant.HasFlag(Caps115Variant.Utf16Order) ? string.CompareOrdinal : CompareCodePoints;
        string E(string? s) => s is null ? string.Empty : escape ? EscapeXml(s) : s;

        var builder = new StringBuilder();
        var identities = info.Identities.Select(i => (C: E(i.Category), T: E(i.Type), L: E(i.Lang), N: E(i.Name))).ToList();
        if (!unsorted)
        {
            identities = variant.HasFlag(Caps115Variant.IdentityTupleOrder)
                ? [.. identities.Order(Comparer<(string C, string T, string L, string N)>.Create((x, y) =>
                {
                    var order = compare(x.C, y.C);
                    order = order != 0 ? order : compare(x.T, y.T);
                    order = order != 0 ? order : compare(x.L, y.L);
                    return order != 0 ? order : compare(x.N, y.N);
                }))]
                : [.. identities.OrderBy(i => $"{i.C}/{i.T}/{i.L}/{i.N}", Comparer<string>.Create(compare))];
        }

        foreach (var (c, t, l, n) in identities)
        {
            builder.Append(c).Append('/').Append(t).Append('/').Append(l).Append('/').Append(n).Append('<');
        }

        IEnumerable<string> features = info.Features.Select(E);
        if (variant.HasFlag(Caps115Variant.DeduplicatedFeatures))
        {
            features = features.Distinct(StringComparer.Ordinal);
        }

        if (!unsorted)
        {
            features = features.Order(Comparer<string>.Create(compare));
        }

        foreach (var feature in features)
        {
            builder.Append(feature).Append('<');
        }

        if (variant.HasFlag(Caps115Variant.WithoutForms))
        {
            return builder.ToString();
        }

        var forms = new List<(string Type, DataForm Form)>();
        foreach (var form in info.Forms)
        {
            var typeField = form.FormTypeField;
            if (typeField is null || typeField.Values.Count == 0 || (typeField.Type != "hidden" && !variant.HasFlag(Caps115Variant.NonHiddenFormTypeHashed)))
            {
                continue;
            }

            forms.Add((E(typeField.Values[0]), form));
        }

        if (!unsorted && !variant.HasFlag(Caps115Variant.FormsInDocumentOrder))
        {
            forms = [.. forms.OrderBy(f => f.Type, Comparer<string>.Create(compare))];
        }

        foreach (var (type, form) in forms)
        {
            builder.Append(type).Append('<');
            IEnumerable<DataFormField> fields = form.Fields.Where(f => f.Var != DataForm.FormTypeVar);
            if (!unsorted)
            {
                fields = fields.OrderBy(f => E(f.Var), Comparer<string>.Create(compare));
            }

            foreach (var field in fields)
            {
                builder.Append(E(field.Var)).Append('<');
                IEnumerable<string> values = field.Values.Select(E);
                if (!unsorted)
                {
                    values = values.Order(Comparer<string>.Create(compare));
                }

                foreach (var value in values)
                {
                    builder.Append(value).Append('<');
                }

                if (field.Values.Count == 0 && variant.HasFlag(Caps115Variant.EmptyValueForValuelessField))
                {
                    builder.Append('<');
                }
            }
        }

        return builder.ToString();
    }

    private static string EscapeXml(string s) =>
        s.AsSpan().IndexOfAny("&<>") < 0 ? s : s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Compares by Unicode code point, which is the order of the UTF-8 bytes (i;octet).</summary>
    internal static int CompareCodePoints(string? a, string? b)
    {
        a ??= string.Empty;
        b ??= string.Empty;
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return Fix(a[i]) - Fix(b[i]);
            }
        }

        return a.Length - b.Length;

        // Surrogates (supplementary planes) sort above U+E000..U+FFFF in code point order.
        static int Fix(char c) => c >= 0xD800 ? (c <= 0xDFFF ? c + 0x2000 : c - 0x800) : c;
    }

    private static Caps115Variant RelevantVariants(DiscoInfo info)
    {
        var relevant = Caps115Variant.Spec;
        var strings = info.Identities.SelectMany(i => new[] { i.Category, i.Type, i.Lang, i.Name })
            .Concat(info.Features)
            .Concat(info.Forms.SelectMany(f => f.Fields).SelectMany(f => f.Values.Prepend(f.Var)))
            .Where(s => s is not null)
            .Cast<string>()
            .ToList();
        if (strings.Exists(s => s.AsSpan().IndexOfAny("&<>") >= 0))
        {
            relevant |= Caps115Variant.EscapedXml;
        }

        if (info.Identities.Count > 1)
        {
            relevant |= Caps115Variant.IdentityTupleOrder | Caps115Variant.Unsorted;
        }

        if (strings.Exists(s => s.Any(c => c >= 0xD800)))
        {
            relevant |= Caps115Variant.Utf16Order;
        }

        if (info.Features.Count > 1)
        {
            relevant |= Caps115Variant.Unsorted;
        }

        if (info.Features.Distinct(StringComparer.Ordinal).Count() != info.Features.Count)
        {
            relevant |= Caps115Variant.DeduplicatedFeatures;
        }

        if (info.Forms.Count > 0)
        {
            relevant |= Caps115Variant.WithoutForms | Caps115Variant.Unsorted;
        }

        if (info.Forms.Count > 1)
        {
            relevant |= Caps115Variant.FormsInDocumentOrder;
        }

        if (info.Forms.Any(f => f.Fields.Any(x => x.Values.Count == 0)))
        {
            relevant |= Caps115Variant.EmptyValueForValuelessField;
        }

        if (info.Forms.Any(f => f.FormTypeField is { } t && t.Type != "hidden"))
        {
            relevant |= Caps115Variant.NonHiddenFormTypeHashed;
        }

        return relevant;
    }

    // Every subset of the flags, fewest flags first (so the simplest explanation wins).
    private static IEnumerable<Caps115Variant> Subsets(Caps115Variant mask)
    {
        var bits = Enumerable.Range(0, 16).Select(b => 1 << b).Where(b => ((int)mask & b) != 0).ToArray();
        var subsets = new List<int>();
        for (var m = 0; m < 1 << bits.Length; m++)
        {
            var value = 0;
            for (var b = 0; b < bits.Length; b++)
            {
                if ((m & (1 << b)) != 0)
                {
                    value |= bits[b];
                }
            }

            subsets.Add(value);
        }

        return subsets.OrderBy(v => System.Numerics.BitOperations.PopCount((uint)v)).ThenBy(v => v).Select(v => (Caps115Variant)v);
    }
}
