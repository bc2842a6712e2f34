using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Tests.Caps;

public class Caps390Tests
{
    [Fact]
    public void HashInput_SimpleExample_Is473BytesEndingWithTheIdentities_Caps2001()
    {
        // XEP-0390 §4.5.1 hexdump: features, 0x1c, client 0x1f mobile 0x1f 0x1f BombusMod 0x1f 0x1e 0x1c, then 0x1c.
        Assert.True(Caps390.TryBuildHashInput(Vectors.Load("xep0390-simple.xml"), out var input, out _));

        Assert.Equal(473, input.Length);
        Assert.StartsWith("http://jabber.org/protocol/bytestreams\x1fhttp://jabber.org/protocol/chatstates\x1f", Encoding.UTF8.GetString(input), StringComparison.Ordinal);
        Assert.EndsWith("urn:xmpp:time\x1f\x1c" + "client\x1fmobile\x1f\x1f" + "BombusMod\x1f\x1e\x1c\x1c", Encoding.UTF8.GetString(input), StringComparison.Ordinal);
    }

    [Fact]
    public void HashSet_SimpleExample_SpecValues_Caps2001()
    {
        var info = Vectors.Load("xep0390-simple.xml");

        var set = Caps390.ComputeHashSet(info, ["sha-256", "blake2b-256", "blake2b-512"]);

        Assert.Equal("kzBZbkqJ3ADrj7v08reD1qcWUwNGHaidNUgD7nHpiw8=", set[0].Value);
        Assert.Equal("2KmRi7KnEZXxIhhASXGRFad6XmCSjHaCYZiopMSYIoI=", set[1].Value);
        Assert.Equal("0wzk7P87XmruSA/5Vgfxyd2yh4R2rR81O5mQGBL4eFsEY2eft691F8iVp+jfwRjk/Rdx1R1GG3J1ewGC6ilJcg==", set[2].Value);
    }

    [SkippableFact]
    public void HashSet_Sha3_SpecValues_Caps2001And002()
    {
        Skip.IfNot(SHA3_256.IsSupported, "SHA3-256 is not available on this platform (OpenSSL 1.1.1 or later needed).");

        Assert.Equal("79mdYAfU9rEdTOcWDO7UEAt6E56SUzk/g6TnqUeuD9Q=", Caps390.ComputeHashSet(Vectors.Load("xep0390-simple.xml"), ["sha3-256"])[0].Value);
        Assert.Equal("XpUJzLAc93258sMECZ3FJpebkzuyNXDzRNwQog8eycg=", Caps390.ComputeHashSet(Vectors.Load("xep0390-complex.xml"), ["sha3-256"])[0].Value);
        Assert.Contains("sha3-256", Caps390.DefaultAlgorithms);
    }

    [Fact]
    public void Sha3_WhenThePlatformLacksIt_SaysSoClearly()
    {
        if (SHA3_256.IsSupported)
        {
            Assert.True(CapsHash.IsSupported("sha3-256"));
            return;
        }

        var error = Assert.Throws<PlatformNotSupportedException>(() => CapsHash.HashData("sha3-256", [1]));
        Assert.Contains("OpenSSL", error.Message, StringComparison.Ordinal);
        Assert.False(Caps390.IsSupported("sha3-256"));
    }

    [Fact]
    public void HashSet_ComplexExample_SpecValues_Caps2002()
    {
        var info = Vectors.Load("xep0390-complex.xml");

        Assert.True(Caps390.TryBuildHashInput(info, out var input, out _));
        var set = Caps390.ComputeHashSet(info, ["sha-256", "blake2b-256", "blake2b-512"]);

        Assert.Equal(1347, input.Length);
        Assert.EndsWith(
            "FORM_TYPE\x1furn:xmpp:dataforms:softwareinfo\x1f\x1eos\x1fWindows\x1f\x1eos_version\x1fXP\x1f\x1esoftware\x1fTkabber\x1f\x1esoftware_version\u001f0.11.1-svn-20111216-mod (Tcl/Tk 8.6b2)\x1f\x1e\x1d\x1c",
            Encoding.UTF8.GetString(input),
            StringComparison.Ordinal);
        Assert.Equal("u79ZroNJbdSWhdSp311mddz44oHHPsEBntQ5b1jqBSY=", set[0].Value);
        Assert.Equal("SdxUvqCZDkoqifMjNDBKRVmmbxIEKd7f9mI2PXTfFNk=", set[1].Value);
        Assert.Equal("2luBJJE760PpkKFBfQznLjNIVIfEls0dUS3tQnHknvaOhmzY7hA0NX8OOSgqCRl6hzuwEhAru4A5pSh6ZsOhLg==", set[2].Value);
    }

    [Fact]
    public void Blake2b512_Rfc7693AppendixA()
    {
        Assert.Equal(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            Convert.ToHexStringLower(CapsHash.HashData("blake2b-512", "abc"u8)));
    }

    [Fact]
    public void HashInput_ValuesSortedAndNothingEscaped_LangKept()
    {
        var info = Vectors.Info(
            [new Identity("client", "pc", "a<b&c", "en")],
            ["urn:b", "urn:a"],
            new DataForm("result", [new DataFormField("FORM_TYPE", "hidden", ["urn:x"]), DataFormField.Of("f", "2", "1")]));

        Assert.True(Caps390.TryBuildHashInput(info, out var input, out _));

        Assert.Equal("urn:a\x1furn:b\x1f\x1c" + "client\x1fpc\x1f" + "en\x1f" + "a<b&c\x1f\x1e\x1c" + "FORM_TYPE\x1furn:x\x1f\x1e" + "f\x1f" + "1\x1f" + "2\x1f\x1e\x1d\x1c", Encoding.UTF8.GetString(input));
    }

    [Fact]
    public void HashInput_ForeignChildReportedOrNoFormType_Aborts_Caps2003()
    {
        var foreign = DiscoCodec.ReadInfo(XElement.Parse("<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/><x xmlns='urn:other'/></query>")).Info!;
        var reported = DiscoCodec.ReadInfo(XElement.Parse("<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/><x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:x</value></field><reported/></x></query>")).Info!;
        var noFormType = Vectors.Info([new Identity("client", "pc")], [], Vectors.Form(null, null, DataFormField.Of("a", "1")));
        var notHidden = Vectors.Info([new Identity("client", "pc")], [], Vectors.Form("urn:x", "text-single"));

        Assert.False(Caps390.TryBuildHashInput(foreign, out _, out var e1));
        Assert.False(Caps390.TryBuildHashInput(reported, out _, out var e2));
        Assert.False(Caps390.TryBuildHashInput(noFormType, out _, out _));
        Assert.False(Caps390.TryBuildHashInput(notHidden, out _, out _));
        Assert.Contains("urn:other", e1, StringComparison.Ordinal);
        Assert.Contains("reported", e2, StringComparison.Ordinal);
        Assert.False(Caps390.Verify(foreign, new Caps390Hash("sha-256", "AAAA"), out _));
        Assert.Throws<ArgumentException>(() => Caps390.ComputeHashSet(foreign));
    }

    [Theory]
    [InlineData("urn:xmpp:caps#sha-256.", false, null)]
    [InlineData("urn:xmpp:caps#-", false, null)]
    [InlineData("urn:xmpp:caps#.AAAA", false, null)]
    [InlineData("urn:xmpp:caps#sha-256.not base64", false, null)]
    [InlineData("urn:xmpp:other#sha-256.AAAA", false, null)]
    [InlineData("urn:xmpp:caps#test.test", true, "test")]
    [InlineData("urn:xmpp:caps#foo.bar.AAAA", true, "foo.bar")]
    [InlineData("urn:xmpp:caps#sha-256.kzBZbkqJ3ADrj7v08reD1qcWUwNGHaidNUgD7nHpiw8=", true, "sha-256")]
    public void TryParseHashNode_SplitsAtTheLastDot_Caps2004(string node, bool ok, string? algorithm)
    {
        Assert.Equal(ok, Caps390.TryParseHashNode(node, out var hash));
        Assert.Equal(algorithm, hash?.Algorithm);
        if (hash is not null)
        {
            Assert.Equal(node, hash.Node);
        }
    }

    [Fact]
    public void IsSupported_UnknownAndWeakAlgorithms_No()
    {
        Assert.False(Caps390.IsSupported("test"));
        Assert.False(Caps390.IsSupported("md5"));
        Assert.False(Caps390.IsSupported("sha-1"));
        Assert.True(Caps390.IsSupported("blake2b-512"));
    }

    [Fact]
    public void Verify_MatchAndMismatch()
    {
        var info = Vectors.Load("xep0390-simple.xml");

        Assert.True(Caps390.Verify(info, new Caps390Hash("sha-256", "kzBZbkqJ3ADrj7v08reD1qcWUwNGHaidNUgD7nHpiw8="), out _));
        Assert.False(Caps390.Verify(info, new Caps390Hash("sha-256", "u79ZroNJbdSWhdSp311mddz44oHHPsEBntQ5b1jqBSY="), out var error));
        Assert.Contains("kzBZ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CapsElement390_BuildThenRead_KeepsHashes_DropsBadOnes()
    {
        var element = CapsElement.Build390([new Caps390Hash("sha-256", "kzBZbkqJ3ADrj7v08reD1qcWUwNGHaidNUgD7nHpiw8="), new Caps390Hash("md9", "AAAA")]);
        var presence = new XElement("{jabber:client}presence", element);
        element.Add(new XElement(CapsElement.HashName, new XAttribute("algo", "sha-512"), "!!"));
        var violations = new List<Violation>();

        var read = CapsElement.Read390(presence, violations);

        Assert.StartsWith("<c xmlns=\"urn:xmpp:caps\"><hash algo=\"sha-256\" xmlns=\"urn:xmpp:hashes:2\">kzBZbkqJ3ADrj7v08reD1qcWUwNGHaidNUgD7nHpiw8=</hash>", element.ToString(SaveOptions.DisableFormatting), StringComparison.Ordinal);
        Assert.Equal(2, read!.Count);
        Assert.Equal(CapsRuleIds.HashNode, Assert.Single(violations).RuleId);
        Assert.Null(CapsElement.Read390(new XElement("{jabber:client}presence")));
    }

    [Fact]
    public void CapsElement115_BuildThenRead_LegacyAndExtReported_Caps001And013()
    {
        var built = CapsElement.Build115("http://code.google.com/p/exodus", "QgayPKawpkPSDYmwT/WM94uAlu0=");
        var legacy = XElement.Parse("<presence xmlns='jabber:client'><c xmlns='http://jabber.org/protocol/caps' node='http://psi-im.org' ver='0.11' ext='voice'/></presence>");
        var violations = new List<Violation>();

        var read = CapsElement.Read115(new XElement("{jabber:client}presence", built));
        var old = CapsElement.Read115(legacy, violations);

        Assert.Equal("<c hash=\"sha-1\" node=\"http://code.google.com/p/exodus\" ver=\"QgayPKawpkPSDYmwT/WM94uAlu0=\" xmlns=\"http://jabber.org/protocol/caps\" />", built.ToString(SaveOptions.DisableFormatting));
        Assert.Equal("http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0=", read!.DiscoNode);
        Assert.False(read.IsLegacy);
        Assert.True(old!.IsLegacy);
        Assert.Contains(violations, v => v.RuleId == CapsRuleIds.LegacyCaps);
        Assert.Contains(violations, v => v.RuleId == CapsRuleIds.CapsElement);
    }
}
