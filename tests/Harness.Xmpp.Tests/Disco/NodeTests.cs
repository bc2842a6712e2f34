using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Tests.Disco;

public class NodeTests
{
    private static Node NewNode()
    {
        var node = new Node();
        node.RegisterIdentity("client", "pc", "Harness");
        return node;
    }

    [Fact]
    public void Node_New_ListsTheDiscoInfoFeature()
    {
        var node = new Node();

        Assert.Equal([Node.DiscoInfoFeature], node.GetFeatures());
        Assert.True(node.HasFeature(Node.DiscoInfoFeature));
    }

    [Fact]
    public void RegisterFeature_Twice_Throws_DiscoInfoAlwaysRegistered()
    {
        var node = NewNode();
        node.RegisterFeature("urn:xmpp:ping");

        Assert.Throws<InvalidOperationException>(() => node.RegisterFeature("urn:xmpp:ping"));
        Assert.Throws<InvalidOperationException>(() => node.RegisterFeature(Node.DiscoInfoFeature));
    }

    [Fact]
    public void UnregisterFeature_UnknownOrDiscoInfo_Throws()
    {
        var node = NewNode();

        Assert.Throws<KeyNotFoundException>(() => node.UnregisterFeature("urn:xmpp:ping"));
        Assert.Throws<InvalidOperationException>(() => node.UnregisterFeature(Node.DiscoInfoFeature));
        Assert.Contains(Node.DiscoInfoFeature, node.GetFeatures());
    }

    [Fact]
    public void UnregisterIdentity_LastOne_Throws_UnknownThrows()
    {
        var node = NewNode();

        Assert.Throws<InvalidOperationException>(() => node.UnregisterIdentity("client", "pc"));
        Assert.Throws<KeyNotFoundException>(() => node.UnregisterIdentity("client", "bot"));
        node.RegisterIdentity("client", "bot");
        node.UnregisterIdentity("client", "pc");
        Assert.Equal(new Identity("client", "bot"), Assert.Single(node.GetIdentities()));
    }

    [Fact]
    public void RegisterIdentity_Twice_Throws()
    {
        var node = NewNode();

        Assert.Throws<InvalidOperationException>(() => node.RegisterIdentity("client", "pc", "Other"));
    }

    [Fact]
    public void RegisterIdentity_NamesPerLanguage_GivesOneIdentityPerLanguage()
    {
        var node = new Node();
        node.RegisterIdentity("client", "pc", new Dictionary<string, string> { ["en"] = "Psi 0.11", ["el"] = "Ψ 0.11" });

        var identities = node.GetIdentities();

        Assert.Equal(2, identities.Count);
        Assert.Contains(new Identity("client", "pc", "Ψ 0.11", "el"), identities);
        node.SetIdentityNames("client", "pc", new Dictionary<string, string> { [string.Empty] = "Psi" });
        Assert.Equal(new Identity("client", "pc", "Psi"), Assert.Single(node.GetIdentities()));
        Assert.Throws<KeyNotFoundException>(() => node.SetIdentityNames("client", "bot", new Dictionary<string, string>()));
    }

    [Fact]
    public void Changes_RaiseInfoChanged_ItemsDoNot()
    {
        var node = NewNode();
        var raised = 0;
        node.InfoChanged += (_, _) => raised++;

        node.RegisterFeature("urn:a");
        node.UnregisterFeature("urn:a");
        node.RegisterIdentity("client", "bot");
        node.UnregisterIdentity("client", "bot");
        node.RegisterForm(DataForm.Create("urn:x"));
        node.UnregisterForm("urn:x");
        node.AddItem(new DiscoItem(Jid.Parse("a@b")));

        Assert.Equal(6, raised);
    }

    [Fact]
    public void RegisterForm_SameFormTypeTwice_Throws_WithoutFormTypeThrows()
    {
        var node = NewNode();
        node.RegisterForm(DataForm.Create("urn:x"));

        Assert.Throws<InvalidOperationException>(() => node.RegisterForm(DataForm.Create("urn:x")));
        Assert.Throws<ArgumentException>(() => node.RegisterForm(new DataForm("result", [])));
        Assert.Throws<KeyNotFoundException>(() => node.UnregisterForm("urn:y"));
    }

    [Fact]
    public void StaticNodeClone_IsASnapshot_LaterChangesDoNotShow()
    {
        var node = NewNode();
        node.RegisterFeature("urn:a");
        node.RegisterForm(DataForm.Create("urn:x"));
        node.AddItem(new DiscoItem(Jid.Parse("a@b"), "n"));

        var clone = StaticNode.Clone(node);
        node.RegisterFeature("urn:b");

        Assert.Equal([Node.DiscoInfoFeature, "urn:a"], clone.GetFeatures());
        Assert.Equal(node.GetIdentities(), clone.GetIdentities());
        Assert.Single(clone.GetForms());
        Assert.Single(clone.GetItems());
    }

    [Fact]
    public void RegisteredFeature_EnableDisableDispose_TracksTheNode()
    {
        var node = NewNode();
        var feature = new RegisteredFeature(node, "urn:xmpp:ping", enabled: false);

        Assert.False(feature.IsEnabled);
        Assert.False(node.HasFeature("urn:xmpp:ping"));
        feature.Enable();
        feature.Enable();
        Assert.True(node.HasFeature("urn:xmpp:ping"));
        feature.Disable();
        Assert.False(node.HasFeature("urn:xmpp:ping"));
        feature.Enable();
        feature.Dispose();
        Assert.False(node.HasFeature("urn:xmpp:ping"));
        Assert.False(feature.IsEnabled);
        Assert.Throws<ObjectDisposedException>(feature.Enable);
    }

    [Fact]
    public void RegisteredFeature_AlreadyClaimed_Throws()
    {
        var node = NewNode();
        using var first = new RegisteredFeature(node, "urn:a");

        Assert.Throws<InvalidOperationException>(() => new RegisteredFeature(node, "urn:a"));
    }
}
