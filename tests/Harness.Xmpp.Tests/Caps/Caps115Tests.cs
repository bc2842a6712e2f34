using System.Security.Cryptography;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Tests.Caps;

public class Caps115Tests
{
    private const string CapsNs = "http://jabber.org/protocol/caps";
    private const string Info = "http://jabber.org/protocol/disco#info";
    private const string Items = "http://jabber.org/protocol/disco#items";
    private const string Muc = "http://jabber.org/protocol/muc";

    [Fact]
    public void ComputeVer_Xep0115SimpleExample_GivesTheSpecVer_Caps002()
    {
        // XEP-0115 §5.2.
        var info = Vectors.Load("xep0115-simple.xml");

        Assert.Equal($"client/pc//Exodus 0.9.1<{CapsNs}<{Info}<{Items}<{Muc}<", Caps115.BuildInputString(info));
        Assert.Equal(Encoding.UTF8.GetBytes(Caps115.BuildInputString(info)), Caps115.BuildInput(info));
        Assert.Equal("QgayPKawpkPSDYmwT/WM94uAlu0=", Caps115.ComputeVer(info));
    }

    [Fact]
    public void ComputeVer_SimpleExampleWithoutCapsFeature_GivesTheKnownWrongVer_Caps002()
    {
        // Checklist XMPP-CAPS-002 (derived): the prose lists three features; hashing those gives another value.
        var info = Vectors.Info([new Identity("client", "pc", "Exodus 0.9.1")], [Info, Items, Muc]);

        Assert.Equal("SrFo9ar2CCk2EnOH4q4QANeuxLQ=", Caps115.ComputeVer(info));
    }

    [Fact]
    public void ComputeVer_Xep0115ComplexExample_GivesTheSpecVer_Caps003()
    {
        // XEP-0115 §5.3.
        var info = Vectors.Load("xep0115-complex.xml");

        Assert.Equal(
            $"client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<{CapsNs}<{Info}<{Items}<{Muc}<urn:xmpp:dataforms:softwareinfo<ip_version<ipv4<ipv6<os<Mac<os_version<10.5.1<software<Psi<software_version<0.11<",
            Caps115.BuildInputString(info));
        Assert.Equal("q07IKJEyjvHSyhy//CH0CxmKi8w=", Caps115.ComputeVer(info));
        Assert.NotEqual("k8ug9H7s8eFYWtdabhzBa17EhaU=", Caps115.ComputeVer(info));
    }

    [Theory]
    [InlineData("sha-224", "eRTRaZXdg2D07A6LJ66hyY2s7f5jZLiTkgLEvA==")]
    [InlineData("sha-256", "Wr6IGEKhx6b9627gBmi/cCmpxXBc/GYq5zWuYfWGWoc=")]
    [InlineData("sha-384", "Nf8JigpWSRF8x8Bvhy7Vzz09f1ZRpn+UWA1rfZ+HYBW+bUsD7RZWpWzMwUIPRIvP")]
    [InlineData("sha-512", "fRSVSbrOODMrPDQyHoSWoR+RemysUcEeGGhMh+kl/hGp9UrJxyDnrh9BymsL57Am/eToRZ/T4s6QBqeC6LVmoQ==")]
    [InlineData("md5", "65KLdMRhWsklTPilUQXwGw==")]
    public void ComputeVer_OtherIanaHashes_SimpleExample(string algorithm, string expected)
    {
        // Expected values: Python hashlib over the §5.2 string S.
        Assert.Equal(expected, Caps115.ComputeVer(Vectors.Load("xep0115-simple.xml"), algorithm));
    }

    [Theory]
    [InlineData("", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    public void Sha224_FipsVectors(string input, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(CapsHash.HashData("sha-224", Encoding.ASCII.GetBytes(input))));
    }

    [Theory]
    [InlineData(55, "fb0bd626a70c28541dfa781bb5cc4d7d7f56622a58f01a0b1ddd646f")]
    [InlineData(56, "d40854fc9caf172067136f2e29e1380b14626bf6f0dd06779f820dcd")]
    [InlineData(64, "a88cd5cde6d6fe9136a4e58b49167461ea95d388ca2bdb7afdc3cbf4")]
    [InlineData(1000, "4e8f0ce90b64661a2b5e84be6d93a7d9b76871062f1814433d04a03d")]
    public void Sha224_PaddingBoundaries_MatchPythonHashlib(int length, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(CapsHash.HashData("sha-224", Encoding.ASCII.GetBytes(new string('a', length)))));
    }

    [Fact]
    public void ComputeVer_UnsupportedHash_Throws()
    {
        Assert.Throws<ArgumentException>(() => Caps115.ComputeVer(Vectors.Load("xep0115-simple.xml"), "md2"));
    }

    [Fact]
    public void ComputeVer_SortsUtf8BytesNotUtf16Units_Caps004()
    {
        var info = Vectors.Info([new Identity("client", "pc")], ["urn:x:\uFF21", "urn:x:\U0001F600"]);

        Assert.Equal("+Y7ro6mFKNe22cL+Fovn6129+UI=", Caps115.ComputeVer(info));
        Assert.Equal("S8R5so9qIPfje7K9nyZ2JBcEDsQ=", Caps115.ComputeVer(info, "sha-1", Caps115Variant.Utf16Order));
        Assert.Equal(Caps115Variant.Utf16Order, Caps115.Diagnose(info, "sha-1", "S8R5so9qIPfje7K9nyZ2JBcEDsQ=").Variant);
    }

    [Fact]
    public void BuildInput_EmptyLangAndName_KeepsAllSlashes_Caps005()
    {
        var info = Vectors.Info([new Identity("client", "pc")], [Info]);

        Assert.StartsWith("client/pc//<", Caps115.BuildInputString(info), StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeVer_TwoFormsInReverseOrder_SameVer_Caps006()
    {
        var a = Vectors.Form("urn:a", "hidden", DataFormField.Of("f", "1"));
        var b = Vectors.Form("urn:b", "hidden", DataFormField.Of("g", "2"));
        var sorted = Vectors.Info([new Identity("client", "pc")], [Info], a, b);
        var reversed = Vectors.Info([new Identity("client", "pc")], [Info], b, a);

        Assert.Equal(Caps115.ComputeVer(sorted), Caps115.ComputeVer(reversed));
        var smack = Caps115.ComputeVer(reversed, "sha-1", Caps115Variant.FormsInDocumentOrder);
        Assert.NotEqual(Caps115.ComputeVer(sorted), smack);
        Assert.Equal(Caps115Variant.FormsInDocumentOrder, Caps115.Diagnose(reversed, "sha-1", smack).Variant);
    }

    [Fact]
    public void ComputeVer_FormWithoutFormTypeOrNotHidden_IsIgnored_Caps007()
    {
        var plain = Vectors.Info([new Identity("client", "pc")], [Info]);
        var untyped = Vectors.Info([new Identity("client", "pc")], [Info], Vectors.Form(null, null, DataFormField.Of("x", "1")));
        var notHidden = Vectors.Info([new Identity("client", "pc")], [Info], Vectors.Form("urn:x", "text-single", DataFormField.Of("x", "1")));

        Assert.Equal(Caps115.ComputeVer(plain), Caps115.ComputeVer(untyped));
        Assert.Equal(Caps115.ComputeVer(plain), Caps115.ComputeVer(notHidden));
        var verification = Caps115.Verify(notHidden, "sha-1", Caps115.ComputeVer(plain));
        Assert.True(verification.IsValid);
        Assert.Contains(verification.Violations, v => v.RuleId == CapsRuleIds.FormIgnored);
    }

    [Fact]
    public void ComputeVer_NameWithMarkupCharacters_RawBySpec_EscapedAccepted_Caps008()
    {
        var info = Vectors.Info([new Identity("client", "pc", "Exodus <0.9.1> & co")], [CapsNs, Info]);

        Assert.Equal("DidBaM9wHtAsV2T2HC5+ho73CuQ=", Caps115.ComputeVer(info));
        Assert.Equal("pOuZtpGEQx+ojj6OmVMmUgVLHxs=", Caps115.ComputeVer(info, "sha-1", Caps115Variant.EscapedXml));
        var escaped = Caps115.Verify(info, "sha-1", "pOuZtpGEQx+ojj6OmVMmUgVLHxs=");
        Assert.True(escaped.IsValid);
        Assert.Equal(Caps115Variant.EscapedXml, escaped.Variant);
        Assert.Contains(escaped.Violations, v => v.Severity == ViolationSeverity.Warning);
        Assert.Equal(Caps115Variant.Spec, Caps115.Verify(info, "sha-1", "DidBaM9wHtAsV2T2HC5+ho73CuQ=").Variant);
    }

    [Fact]
    public void ComputeVer_LangPrefixIdentities_JoinedOrder_TupleOrderAccepted_Caps009()
    {
        var info = Vectors.Info([new Identity("client", "pc", "Psi", "en-GB"), new Identity("client", "pc", "Psi", "en")], [Info]);

        Assert.Equal("l6T3Hrd++etX822SfZ6SDzX44uc=", Caps115.ComputeVer(info));
        Assert.Equal("ypV9tQz/ArGwrfSChW5spPh/W8Q=", Caps115.ComputeVer(info, "sha-1", Caps115Variant.IdentityTupleOrder));
        var tuple = Caps115.Verify(info, "sha-1", "ypV9tQz/ArGwrfSChW5spPh/W8Q=");
        Assert.True(tuple.IsValid);
        Assert.Equal(Caps115Variant.IdentityTupleOrder, tuple.Variant);
    }

    [Fact]
    public void Verify_DuplicateIdentity_IllFormed_Caps010()
    {
        var info = Vectors.Info([new Identity("client", "pc", "A"), new Identity("client", "pc", "A")], [Info]);

        var verification = Caps115.Verify(info, "sha-1", Caps115.ComputeVer(info));

        Assert.False(verification.IsValid);
        Assert.Contains(verification.Violations, v => v.RuleId == CapsRuleIds.DuplicateIdentity);
    }

    [Fact]
    public void Verify_DuplicateFeature_LenientAcceptsMatchingHashWithWarning_StrictRefuses_Caps011()
    {
        var info = Vectors.Info([new Identity("client", "pc")], [Info, Info, Muc]);
        var ver = Caps115.ComputeVer(info);

        var lenient = Caps115.Verify(info, "sha-1", ver);
        var strict = Caps115.Verify(info, "sha-1", ver, ReadMode.Strict);

        Assert.True(lenient.IsValid);
        Assert.Contains(lenient.Violations, v => v.RuleId == CapsRuleIds.DuplicateFeature && v.Severity == ViolationSeverity.Warning);
        Assert.False(strict.IsValid);
        var ejabberd = Caps115.ComputeVer(info, "sha-1", Caps115Variant.DeduplicatedFeatures);
        Assert.Equal(Caps115Variant.DeduplicatedFeatures, Caps115.Diagnose(info, "sha-1", ejabberd).Variant);
    }

    [Fact]
    public void Verify_TwoFormsSameFormType_OrTwoDifferentValues_IllFormed_SameValueRepeatedAccepted_Caps012()
    {
        var twice = Vectors.Info([new Identity("client", "pc")], [Info], Vectors.Form("urn:x"), Vectors.Form("urn:x"));
        var ambiguous = Vectors.Info([new Identity("client", "pc")], [Info], new DataForm("result", [new DataFormField("FORM_TYPE", "hidden", ["urn:x", "urn:y"])]));
        var repeated = Vectors.Info([new Identity("client", "pc")], [Info], new DataForm("result", [new DataFormField("FORM_TYPE", "hidden", ["urn:x", "urn:x"]), DataFormField.Of("a", "1")]));

        Assert.False(Caps115.Verify(twice, "sha-1", Caps115.ComputeVer(twice)).IsValid);
        Assert.Contains(Caps115.Verify(ambiguous, "sha-1", Caps115.ComputeVer(ambiguous)).Violations, v => v.RuleId == CapsRuleIds.FormTypeConflict);
        Assert.True(Caps115.Verify(repeated, "sha-1", Caps115.ComputeVer(repeated)).IsValid);
        Assert.EndsWith("urn:x<a<1<", Caps115.BuildInputString(repeated), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Mismatch_Invalid_Caps016_UnsupportedHash_Caps014()
    {
        var info = Vectors.Load("xep0115-simple.xml");

        var mismatch = Caps115.Verify(info, "sha-1", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        var unsupported = Caps115.Verify(info, "md2", "QgayPKawpkPSDYmwT/WM94uAlu0=");

        Assert.False(mismatch.IsValid);
        Assert.Contains(mismatch.Violations, v => v.RuleId == CapsRuleIds.Mismatch);
        Assert.False(unsupported.IsValid);
        Assert.Equal(CapsRuleIds.UnsupportedHash, Assert.Single(unsupported.Violations).RuleId);
    }

    [Fact]
    public void ComputeVer_EscapedEntityOnTheWire_HashesTheFourCharacters_Caps026()
    {
        var info = Harness.Xmpp.Disco.DiscoCodec.ReadInfo(System.Xml.Linq.XElement.Parse(
            "<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc' name='a &amp;lt; b'/></query>")).Info!;

        Assert.Equal("client/pc//a &lt; b<", Caps115.BuildInputString(info));
        Assert.Equal(Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes("client/pc//a &lt; b<"))), Caps115.ComputeVer(info));
    }

    [Fact]
    public void Diagnose_SpecVariantsAndLegacy()
    {
        var info = Vectors.Load("xep0115-complex.xml");
        var unsorted = Caps115.ComputeVer(info, "sha-1", Caps115Variant.Unsorted);
        var withoutForms = Caps115.ComputeVer(info, "sha-1", Caps115Variant.WithoutForms);

        var spec = Caps115.Diagnose(info, "sha-1", "q07IKJEyjvHSyhy//CH0CxmKi8w=");
        var u = Caps115.Diagnose(info, "sha-1", unsorted);
        var w = Caps115.Diagnose(info, "sha-1", withoutForms);
        var legacyVersion = Caps115.Diagnose(info, null, "0.11");
        var legacyHash = Caps115.Diagnose(info, null, "q07IKJEyjvHSyhy//CH0CxmKi8w=");
        var nothing = Caps115.Diagnose(info, "sha-1", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        Assert.True(spec.MatchesSpec);
        Assert.Equal("Matches spec.", spec.Summary);
        Assert.Equal(Caps115Variant.Unsorted, u.Variant);
        Assert.Contains("nothing sorted", u.Summary, StringComparison.Ordinal);
        Assert.Equal(Caps115Variant.WithoutForms, w.Variant);
        Assert.True(legacyVersion.LegacyWithoutHash);
        Assert.Null(legacyVersion.Variant);
        Assert.True(legacyHash.LegacyWithoutHash);
        Assert.Equal(Caps115Variant.Spec, legacyHash.Variant);
        Assert.False(legacyHash.MatchesSpec);
        Assert.Null(nothing.Variant);
        Assert.False(nothing.MatchesSpec);
    }

    [Fact]
    public void Diagnose_ValuelessFieldAndNonHiddenFormType_Variants()
    {
        var valueless = Vectors.Info([new Identity("client", "pc")], [Info], Vectors.Form("urn:x", "hidden", new DataFormField("empty", null, [])));
        var notHidden = Vectors.Info([new Identity("client", "pc")], [Info], Vectors.Form("urn:x", null, DataFormField.Of("a", "1")));

        Assert.EndsWith("urn:x<empty<", Caps115.BuildInputString(valueless), StringComparison.Ordinal);
        Assert.Equal(Caps115Variant.EmptyValueForValuelessField, Caps115.Diagnose(valueless, "sha-1", Caps115.ComputeVer(valueless, "sha-1", Caps115Variant.EmptyValueForValuelessField)).Variant);
        Assert.Equal(Caps115Variant.NonHiddenFormTypeHashed, Caps115.Diagnose(notHidden, "sha-1", Caps115.ComputeVer(notHidden, "sha-1", Caps115Variant.NonHiddenFormTypeHashed)).Variant);
    }

    [Fact]
    public void FastBuilder_AgreesWithReferenceBuilder_OnRandomInfo()
    {
        var random = new Random(1115);
        string[] alphabet = ["a", "b", "/", "<", "&", "é", "\uFF21", "\U0001F600", "\u00A0", "z", "A", "-", "\t"];
        string Text(int max) => string.Concat(Enumerable.Range(0, random.Next(0, max)).Select(_ => alphabet[random.Next(alphabet.Length)]));
        for (var round = 0; round < 300; round++)
        {
            var identities = Enumerable.Range(0, random.Next(1, 5)).Select(_ => new Identity("c" + Text(3), "t" + Text(3), random.Next(3) == 0 ? null : Text(4), random.Next(3) == 0 ? null : Text(4)));
            var features = Enumerable.Range(0, random.Next(0, 140)).Select(_ => "urn:" + Text(6));
            var forms = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Vectors.Form(
                "urn:" + Text(3),
                random.Next(4) == 0 ? null : "hidden",
                [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => new DataFormField(Text(4), null, [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => Text(5))]))]));
            var info = Vectors.Info(identities, features, [.. forms]);

            Assert.Equal(Caps115.BuildInputString(info), Encoding.UTF8.GetString(Caps115.BuildInput(info)));
        }
    }

    [Fact]
    public void BuildInput_SurrogatesAndCharsAboveThem_SortedByUtf8Bytes_Caps004()
    {
        // i;octet on the UTF-8 of each piece, with Encoding.UTF8's replacement of a lone surrogate (EF BF BD): the
        // fast builder compares on chars and must agree where UTF-16 order does not (U+E000..U+FFFF against
        // supplementary characters, lone surrogates against U+FFFD and each other, a high surrogate ending a prefix).
        var random = new Random(11504);
        string[] alphabet = ["a", "/", "<", "é", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uF900", "\uFFFD", "\uFFFF", "\U0001F600", "\U0010FFFF", "\uD800", "\uDBFF", "\uDC00", "\uDFFF"];
        string Text(int max) => string.Concat(Enumerable.Range(0, random.Next(0, max)).Select(_ => alphabet[random.Next(alphabet.Length)]));
        static byte[] Utf8(string? s) => Encoding.UTF8.GetBytes(s ?? string.Empty);
        static int Octets(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);
        var duplicates = 0;
        for (var round = 0; round < 2_000; round++)
        {
            var identities = Enumerable.Range(0, random.Next(1, 4)).Select(_ => new Identity("c" + Text(3), Text(2), random.Next(3) == 0 ? null : Text(3), Text(3))).ToList();
            var features = Enumerable.Range(0, random.Next(0, 12)).Select(_ => Text(4)).ToList();
            var info = Vectors.Info(identities, features);

            var expected = new List<byte>();
            foreach (var key in identities.Select(i => Utf8($"{i.Category}/{i.Type}/{i.Lang}/{i.Name}")).Order(Comparer<byte[]>.Create(Octets)))
            {
                expected.AddRange(key);
                expected.Add((byte)'<');
            }

            var featureBytes = features.Select(Utf8).Order(Comparer<byte[]>.Create(Octets)).ToList();
            foreach (var feature in featureBytes)
            {
                expected.AddRange(feature);
                expected.Add((byte)'<');
            }

            Assert.Equal([.. expected], Caps115.BuildInput(info));
            var duplicateFeature = featureBytes.Zip(featureBytes.Skip(1)).Any(p => p.First.AsSpan().SequenceEqual(p.Second));
            duplicates += duplicateFeature ? 1 : 0;
            var verification = Caps115.Verify(info, "sha-1", Convert.ToBase64String(SHA1.HashData([.. expected])));
            Assert.Equal(duplicateFeature, verification.Violations.Any(v => v.RuleId == CapsRuleIds.DuplicateFeature));
        }

        Assert.True(duplicates > 50, $"only {duplicates} rounds with byte-equal features");
    }
}
