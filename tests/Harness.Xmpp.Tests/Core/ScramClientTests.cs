using System.Text;
using Harness.Xmpp.Sasl;

namespace Harness.Xmpp.Tests.Core;

public sealed class ScramClientTests
{
    // RFC 5802 §5 example (XMPP-CORE-001).
    [Fact]
    public void ScramSha1_Rfc5802Section5Vector_ProofAndServerSignature()
    {
        var scram = new ScramClient("SCRAM-SHA-1", "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");

        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", scram.ClientFirstMessage);
        var final = scram.ProcessServerFirst("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");

        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", final);
        Assert.True(scram.VerifyServerFinal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="));
    }

    // RFC 7677 §3 example (XMPP-CORE-002).
    [Fact]
    public void ScramSha256_Rfc7677Section3Vector_ProofAndServerSignature()
    {
        var scram = new ScramClient("SCRAM-SHA-256", "user", "pencil", "rOprNGfwEbeRWgbNEkqO");

        var final = scram.ProcessServerFirst("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", final);
        Assert.True(scram.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    [Theory]
    [InlineData("v=rmF9pqV8S7suAoZWja4dJRkFsKQ")]
    [InlineData("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("e=invalid-proof")]
    [InlineData("")]
    [InlineData("garbage")]
    public void VerifyServerFinal_WrongOrMissingSignature_False(string serverFinal)
    {
        var scram = new ScramClient("SCRAM-SHA-1", "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");
        scram.ProcessServerFirst("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");

        Assert.False(scram.VerifyServerFinal(serverFinal));
    }

    [Theory]
    [InlineData("r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=0")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=2000000000")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=!!!,i=4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,i=4096")]
    [InlineData("m=ext,r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4096")]
    [InlineData("nonsense")]
    public void ProcessServerFirst_BadServerFirst_FormatException(string serverFirst)
    {
        var scram = new ScramClient("SCRAM-SHA-1", "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");

        Assert.Throws<FormatException>(() => scram.ProcessServerFirst(serverFirst));
    }

    [Fact]
    public void ClientFirstMessage_UserWithCommaAndEquals_EscapedPerRfc5802Section51()
    {
        var scram = new ScramClient("SCRAM-SHA-1", "a,b=c", "pw", "nonce");

        Assert.Equal("n,,n=a=2Cb=3Dc,r=nonce", scram.ClientFirstMessage);
    }

    [Fact]
    public void CreateNonce_SeededRandom_Reproducible()
    {
        Assert.Equal(ScramClient.CreateNonce(new Random(3)), ScramClient.CreateNonce(new Random(3)));
        Assert.NotEqual(ScramClient.CreateNonce(), ScramClient.CreateNonce());
    }

    // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd.
    [Fact]
    public void SaslPlain_InitialResponse_NulSeparated()
    {
        Assert.Equal("\0user\0pencil"u8.ToArray(), SaslPlain.InitialResponse("user", "pencil"));
        Assert.Equal(Encoding.UTF8.GetBytes("admin\0user\0pëncil"), SaslPlain.InitialResponse("user", "pëncil", "admin"));
        Assert.Throws<ArgumentException>(() => SaslPlain.InitialResponse("us\0er", "pencil"));
    }
}
