using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Tests.Disco;

public class DiscoCodecTests
{
    private static XElement Query(string inner, string attributes = "") =>
        XElement.Parse($"<query xmlns='http://jabber.org/protocol/disco#info' xmlns:x='jabber:x:data' {attributes}>{inner}</query>");

    private const string DiscoFeature = "<feature var='http://jabber.org/protocol/disco#info'/>";

    [Fact]
    public void ReadInfo_Xep0115SimpleExample_ReadsIdentityFeaturesAndNode()
    {
        var read = DiscoCodec.ReadInfo(XElement.Load(Path.Combine("Caps", "Vectors", "xep0115-simple.xml")));

        Assert.Empty(read.Violations);
        var info = read.Info!;
        Assert.Equal(new Identity("client", "pc", "Exodus 0.9.1"), Assert.Single(info.Identities));
        Assert.Equal(4, info.Features.Count);
        Assert.Equal("http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0=", info.Node);
    }

    [Fact]
    public void ReadInfo_DuplicateFeature_WarnsDisco006AndKeepsBoth()
    {
        var read = DiscoCodec.ReadInfo(Query(DiscoFeature + DiscoFeature + "<identity category='client' type='pc'/>"));

        var violation = Assert.Single(read.Violations);
        Assert.Equal(DiscoRuleIds.FeatureForm, violation.RuleId);
        Assert.Equal(ViolationSeverity.Warning, violation.Severity);
        Assert.Equal(2, read.Info!.Features.Count);
    }

    [Fact]
    public void ReadInfo_TwoIdentitiesSameCategoryTypeLang_ReportsDisco005()
    {
        var read = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc' name='A'/><identity category='client' type='pc' name='B'/>"));

        Assert.Contains(read.Violations, v => v.RuleId == DiscoRuleIds.DuplicateIdentity && v.Severity == ViolationSeverity.Error);
    }

    [Fact]
    public void ReadInfo_SameIdentityInTwoLanguages_IsFine()
    {
        var read = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc' xml:lang='en' name='A'/><identity category='client' type='pc' xml:lang='de' name='B'/>"));

        Assert.Empty(read.Violations);
    }

    [Fact]
    public void ReadInfo_IdentityWithoutCategory_ReportsDisco004_StrictGivesNoInfo()
    {
        var query = Query(DiscoFeature + "<identity type='pc'/>");

        var lenient = DiscoCodec.ReadInfo(query);
        var strict = DiscoCodec.ReadInfo(query, new DiscoReadOptions(ReadMode.Strict));

        Assert.Contains(lenient.Violations, v => v.RuleId == DiscoRuleIds.IdentityAttributes);
        Assert.NotNull(lenient.Info);
        Assert.Null(strict.Info);
    }

    [Fact]
    public void ReadInfo_NoIdentityNoDiscoFeature_ReportsDisco002And003()
    {
        var read = DiscoCodec.ReadInfo(Query("<feature var='urn:xmpp:ping'/>"));

        Assert.Contains(read.Violations, v => v.RuleId == DiscoRuleIds.NoIdentity && v.Severity == ViolationSeverity.Error);
        Assert.Contains(read.Violations, v => v.RuleId == DiscoRuleIds.NoDiscoInfoFeature && v.Severity == ViolationSeverity.Warning);
    }

    [Fact]
    public void ReadInfo_FeatureWithoutVar_ReportsDisco006()
    {
        var read = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc'/><feature/>"));

        Assert.Contains(read.Violations, v => v.RuleId == DiscoRuleIds.FeatureForm && v.Severity == ViolationSeverity.Error);
        Assert.Single(read.Info!.Features);
    }

    [Fact]
    public void ReadInfo_LangOnQueryOrInherited_IdentityCarriesItExplicitly()
    {
        var onQuery = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc' name='Psi'/>", "xml:lang='en'"));
        var inherited = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc' name='Psi'/>"), new DiscoReadOptions(InheritedLang: "de"));

        Assert.Equal("en", onQuery.Info!.Identities[0].Lang);
        Assert.Equal("de", inherited.Info!.Identities[0].Lang);
        Assert.Contains("xml:lang=\"en\"", DiscoCodec.WriteInfo(onQuery.Info).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInfo_EscapedCharacterData_IsUnescapedExactlyOnce()
    {
        // XEP-0115 §5.1: '&amp;lt;' on the wire is the four characters '&lt;', never '<'.
        var read = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc' name='a &amp;lt; b &lt; c'/>"));

        Assert.Equal("a &lt; b < c", read.Info!.Identities[0].Name);
    }

    [Fact]
    public void ReadInfo_FormWithoutHiddenFormType_WarnsDisco018_AndKeepsForm()
    {
        var read = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc'/><x:x type='result'><x:field var='FORM_TYPE'><x:value>urn:x</x:value></x:field></x:x>"));

        Assert.Contains(read.Violations, v => v.RuleId == DiscoRuleIds.ExtendedInfoForm);
        Assert.Equal("urn:x", read.Info!.Forms[0].FormType);
    }

    [Fact]
    public void ReadInfo_ForeignChild_ListedAsUnknown()
    {
        var read = DiscoCodec.ReadInfo(Query(DiscoFeature + "<identity category='client' type='pc'/><foo xmlns='urn:foo'/>"));

        Assert.Equal(XName.Get("foo", "urn:foo"), Assert.Single(read.Info!.UnknownChildren));
    }

    [Fact]
    public void ReadInfo_NotAQuery_ReportsSyntax()
    {
        var read = DiscoCodec.ReadInfo(new XElement("query"));

        Assert.Null(read.Info);
        Assert.Equal(DiscoRuleIds.NotAQuery, Assert.Single(read.Violations).RuleId);
    }

    [Fact]
    public void WriteInfo_ThenRead_GivesTheSameModel()
    {
        var info = new DiscoInfo(
            [new Identity("client", "pc", "Psi", "en"), new Identity("client", "pc", "Ψ", "el")],
            [Node.DiscoInfoFeature, "urn:xmpp:ping"],
            [DataForm.Create("urn:xmpp:dataforms:softwareinfo", DataFormField.Of("os", "Linux"), DataFormField.Of("ip_version", "ipv4", "ipv6"))],
            "urn:node");

        var written = DiscoCodec.WriteInfo(info);
        var read = DiscoCodec.ReadInfo(XElement.Parse(written.ToString())).Info!;

        Assert.Equal(info.Identities, read.Identities);
        Assert.Equal(info.Features, read.Features);
        Assert.Equal("urn:node", read.Node);
        Assert.Equal(["ipv4", "ipv6"], read.Forms[0].Fields[2].Values);
        Assert.Equal("hidden", read.Forms[0].FormTypeField!.Type);
        Assert.Equal("result", read.Forms[0].Type);
    }

    [Fact]
    public void ReadItems_ValidItems_ReadsJidNodeName()
    {
        var query = XElement.Parse("<query xmlns='http://jabber.org/protocol/disco#items' node='music'><item jid='catalog.shakespeare.lit' node='books' name='Books'/><item jid='romeo@montague.net/orchard'/></query>");

        var read = DiscoCodec.ReadItems(query);

        Assert.Empty(read.Violations);
        Assert.Equal("music", read.Items!.Node);
        Assert.Equal(new DiscoItem(Jid.Parse("catalog.shakespeare.lit"), "books", "Books"), read.Items.Items[0]);
        Assert.Equal(Jid.Parse("romeo@montague.net/orchard"), read.Items.Items[1].Jid);
    }

    [Fact]
    public void ReadItems_BadJidEmptyNodeForm_ReportsDisco011And019()
    {
        var query = XElement.Parse("<query xmlns='http://jabber.org/protocol/disco#items'><item name='no jid'/><item jid='a@b' node=''/><x xmlns='jabber:x:data' type='result'/></query>");

        var read = DiscoCodec.ReadItems(query);

        Assert.Equal(2, read.Violations.Count(v => v.RuleId == DiscoRuleIds.ItemForm));
        Assert.Contains(read.Violations, v => v.RuleId == DiscoRuleIds.FormInItems);
        Assert.Single(read.Items!.Items);
        Assert.Null(DiscoCodec.ReadItems(query, new DiscoReadOptions(ReadMode.Strict)).Items);
    }

    [Fact]
    public void WriteItems_WritesJidNodeName()
    {
        var written = DiscoCodec.WriteItems(new DiscoItems([new DiscoItem(Jid.Parse("a@b/c"), "n", "Name")], "root"));

        Assert.Equal("<query node=\"root\" xmlns=\"http://jabber.org/protocol/disco#items\"><item jid=\"a@b/c\" node=\"n\" name=\"Name\" /></query>", written.ToString(SaveOptions.DisableFormatting));
    }
}
