using Harness.Xmpp.Core;

namespace Harness.Xmpp.Tests.Core;

public sealed class XmppComponentHandshakeTests
{
    // XEP-0114 §3; xmpp.md XMPP-COMP-001 (derived there, cross-checked against Prosody in the interop tests).
    [Fact]
    public void ComputeHandshake_SpecChecklistVector_LowercaseHexSha1()
    {
        Assert.Equal("b09ea9b3b7f586be8a08d0a3dd7466f110aeb136", XmppComponentConnection.ComputeHandshake("3BF96D32", "secret"));
    }

    [Fact]
    public void ComputeHandshake_OrderMatters_IdThenSecret()
    {
        Assert.NotEqual(XmppComponentConnection.ComputeHandshake("3BF96D32", "secret"), XmppComponentConnection.ComputeHandshake("secret", "3BF96D32"));
    }
}
