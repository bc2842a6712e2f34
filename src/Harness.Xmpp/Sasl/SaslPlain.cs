using System.Text;

namespace Harness.Xmpp.Sasl;

/// <summary>SASL PLAIN (RFC 4616).</summary>
public static class SaslPlain
{
    /// <summary>The initial response: <c>[authzid] NUL authcid NUL password</c> in UTF-8.</summary>
    public static byte[] InitialResponse(string user, string password, string? authorizationIdentity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        if (user.Contains('\0', StringComparison.Ordinal) || password.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("PLAIN cannot carry a NUL character.");
        }

        return Encoding.UTF8.GetBytes((authorizationIdentity ?? string.Empty) + "\0" + user + "\0" + password);
    }
}
