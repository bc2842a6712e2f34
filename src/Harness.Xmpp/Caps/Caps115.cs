using System.Buffers;
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
/// The spec path builds S in pooled byte buffers (UTF-8, i;octet sorting by byte comparison) with no XML and no
/// per-string allocation; the variants use a slower reference builder.
/// </summary>
public static class Caps115
{
    /// <summary>The caps namespace (and feature).</summary>
    public const string NamespaceName = "http://jabber.org/protocol/caps";

    /// <summary>The mandatory-to-implement hash.</summary>
    public const string DefaultAlgorithm = "sha-1";

    private const int StackSegments = 128;

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
        var buffer = ArrayPool<byte>.Shared.Rent(MaxInputBytes(info));
        try
        {
            var length = WriteSpecInput(info, buffer, out _);
            return buffer[..length];
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
        var violations = new List<Violation>();
        if (!IsSupported(algorithm))
        {
            violations.Add(new Violation(CapsRuleIds.UnsupportedHash, $"The hash '{algorithm}' is not supported; the answer cannot be verified.", ViolationSeverity.Warning));
            return new Caps115Verification(false, Caps115Variant.Spec, violations);
        }

        Span<byte> digest = stackalloc byte[64];
        var length = HashSpec(info, algorithm, digest, out var flags);
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
        var buffer = ArrayPool<byte>.Shared.Rent(MaxInputBytes(info));
        try
        {
            var length = WriteSpecInput(info, buffer, out flags);
            return CapsHash.HashData(algorithm, buffer.AsSpan(0, length), digest);
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

    private readonly record struct Segment(int Start, int Length, int Index);

    // Upper bound of S in bytes: at most 3 UTF-8 bytes per UTF-16 unit, one separator per piece, the
    // identity slashes, and each string written at most twice (once into the scratch half, once into S).
    private static int MaxInputBytes(DiscoInfo info)
    {
        long units = 0;
        long pieces = 0;
        foreach (var identity in info.Identities)
        {
            units += identity.Category.Length + identity.Type.Length + (identity.Lang?.Length ?? 0) + (identity.Name?.Length ?? 0);
            pieces += 4;
        }

        foreach (var feature in info.Features)
        {
            units += feature.Length;
            pieces++;
        }

        foreach (var form in info.Forms)
        {
            foreach (var field in form.Fields)
            {
                units += field.Var?.Length ?? 0;
                pieces++;
                foreach (var value in field.Values)
                {
                    units += value.Length;
                    pieces++;
                }
            }
        }

        return checked((int)(2 * ((units * 3) + pieces + 8)));
    }

    // Writes the pieces into the second half of the buffer (scratch), sorts segments there, and assembles S at
    // the start of the buffer. Returns the length of S.
    private static int WriteSpecInput(DiscoInfo info, byte[] buffer, out InputFlags flags)
    {
        flags = InputFlags.None;
        var half = buffer.Length / 2;
        var scratch = buffer.AsSpan(half);
        var output = buffer.AsSpan(0, half);
        var scratchUsed = 0;
        var outputUsed = 0;

        var maxSegments = Math.Max(info.Identities.Count, info.Features.Count);
        foreach (var form in info.Forms)
        {
            maxSegments = Math.Max(maxSegments, form.Fields.Count);
            foreach (var field in form.Fields)
            {
                maxSegments = Math.Max(maxSegments, field.Values.Count);
            }
        }

        maxSegments = Math.Max(maxSegments, info.Forms.Count);
        Segment[]? rented = null;
        Segment[]? rentedForms = null;
        var segments = maxSegments <= StackSegments ? stackalloc Segment[StackSegments] : (rented = ArrayPool<Segment>.Shared.Rent(maxSegments));
        try
        {
            // Identities: category/type/lang/name, sorted as joined strings.
            var count = 0;
            foreach (var identity in info.Identities)
            {
                var start = scratchUsed;
                scratchUsed += Encode(identity.Category, scratch[scratchUsed..]);
                scratch[scratchUsed++] = (byte)'/';
                scratchUsed += Encode(identity.Type, scratch[scratchUsed..]);
                scratch[scratchUsed++] = (byte)'/';
                scratchUsed += Encode(identity.Lang, scratch[scratchUsed..]);
                scratch[scratchUsed++] = (byte)'/';
                scratchUsed += Encode(identity.Name, scratch[scratchUsed..]);
                segments[count] = new Segment(start, scratchUsed - start, count);
                count++;
            }

            if (SortAndAppend(segments[..count], scratch, output, ref outputUsed))
            {
                flags |= InputFlags.DuplicateIdentity;
            }

            // Features.
            count = 0;
            foreach (var feature in info.Features)
            {
                var start = scratchUsed;
                scratchUsed += Encode(feature, scratch[scratchUsed..]);
                segments[count] = new Segment(start, scratchUsed - start, count);
                count++;
            }

            if (SortAndAppend(segments[..count], scratch, output, ref outputUsed))
            {
                flags |= InputFlags.DuplicateFeature;
            }

            if (info.Forms.Count == 0)
            {
                return outputUsed;
            }

            // Forms with a hidden FORM_TYPE, sorted by it; within each, fields by var, values sorted.
            var forms = info.Forms.Count <= StackSegments ? stackalloc Segment[StackSegments] : (rentedForms = ArrayPool<Segment>.Shared.Rent(info.Forms.Count));
            var formCount = 0;
            for (var i = 0; i < info.Forms.Count; i++)
            {
                var form = info.Forms[i];
                var typeField = form.FormTypeField;
                if (typeField is null || typeField.Type != "hidden" || typeField.Values.Count == 0)
                {
                    flags |= InputFlags.IgnoredForm;
                    continue;
                }

                var formType = typeField.Values[0];
                foreach (var field in form.Fields)
                {
                    if (field.Var == DataForm.FormTypeVar)
                    {
                        foreach (var value in field.Values)
                        {
                            if (value != formType)
                            {
                                flags |= InputFlags.AmbiguousFormType;
                            }
                        }
                    }
                }

                var start = scratchUsed;
                scratchUsed += Encode(formType, scratch[scratchUsed..]);
                forms[formCount] = new Segment(start, scratchUsed - start, i);
                formCount++;
            }

            var sortedForms = forms[..formCount];
            if (Sort(sortedForms, scratch))
            {
                flags |= InputFlags.DuplicateFormType;
            }

            foreach (var formSegment in sortedForms)
            {
                Append(scratch.Slice(formSegment.Start, formSegment.Length), output, ref outputUsed);
                var form = info.Forms[formSegment.Index];
                count = 0;
                for (var f = 0; f < form.Fields.Count; f++)
                {
                    var field = form.Fields[f];
                    if (field.Var == DataForm.FormTypeVar)
                    {
                        continue;
                    }

                    var start = scratchUsed;
                    scratchUsed += Encode(field.Var, scratch[scratchUsed..]);
                    segments[count] = new Segment(start, scratchUsed - start, f);
                    count++;
                }

                var fields = segments[..count];
                Sort(fields, scratch);

                // The field segments are consumed in order; values reuse the tail of the segment array.
                var fieldOrder = fields.ToArray();
                foreach (var fieldSegment in fieldOrder)
                {
                    Append(scratch.Slice(fieldSegment.Start, fieldSegment.Length), output, ref outputUsed);
                    var values = form.Fields[fieldSegment.Index].Values;
                    for (var v = 0; v < values.Count; v++)
                    {
                        var start = scratchUsed;
                        scratchUsed += Encode(values[v], scratch[scratchUsed..]);
                        segments[v] = new Segment(start, scratchUsed - start, v);
                    }

                    SortAndAppend(segments[..values.Count], scratch, output, ref outputUsed);
                }
            }

            return outputUsed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<Segment>.Shared.Return(rented);
            }

            if (rentedForms is not null)
            {
                ArrayPool<Segment>.Shared.Return(rentedForms);
            }
        }
    }

    private static int Encode(string? text, Span<byte> destination) =>
        string.IsNullOrEmpty(text) ? 0 : Encoding.UTF8.GetBytes(text, destination);

    private static void Append(ReadOnlySpan<byte> piece, Span<byte> output, ref int used)
    {
        piece.CopyTo(output[used..]);
        used += piece.Length;
        output[used++] = (byte)'<';
    }

    // Sorts and appends each piece followed by '<'; true when two pieces are equal.
    private static bool SortAndAppend(Span<Segment> segments, ReadOnlySpan<byte> scratch, Span<byte> output, ref int used)
    {
        var duplicate = Sort(segments, scratch);
        foreach (var segment in segments)
        {
            Append(scratch.Slice(segment.Start, segment.Length), output, ref used);
        }

        return duplicate;
    }

    // Insertion sort (stable, linear on sorted input, which is the usual case) by i;octet; true on equal neighbours.
    private static bool Sort(Span<Segment> segments, ReadOnlySpan<byte> scratch)
    {
        var duplicate = false;
        for (var i = 1; i < segments.Length; i++)
        {
            var current = segments[i];
            var currentBytes = scratch.Slice(current.Start, current.Length);
            var j = i - 1;
            while (j >= 0)
            {
                var order = scratch.Slice(segments[j].Start, segments[j].Length).SequenceCompareTo(currentBytes);
                if (order == 0)
                {
                    duplicate = true;
                }

                if (order <= 0)
                {
                    break;
                }

                segments[j + 1] = segments[j];
                j--;
            }

            segments[j + 1] = current;
        }

        return duplicate;
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
