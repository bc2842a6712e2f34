using System.Security.Cryptography;
using System.Text;

namespace Harness.Simulators.Xmpp.Server;

/// <summary>
/// The server side of SCRAM-SHA-1 (RFC 5802) for <see cref="MiniXmppServer"/>, written apart from the client's
/// implementation on purpose so that one cannot hide the other's mistakes.
/// </summary>
internal sealed class MiniScram
{
    private readonly Func<string, string?> _passwordOf;
    private readonly int _iterations;
    private readonly int _seed;
    private string _password = string.Empty;
    private byte[] _salt = [];
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    public MiniScram(Func<string, string?> passwordOf, int iterations, int seed)
    {
        _passwordOf = passwordOf;
        _iterations = iterations;
        _seed = seed;
    }

    /// <summary>The authentication identity from the client-first message.</summary>
    public string? User { get; private set; }

    /// <summary>Reads the client-first message; returns the server-first message or null when it is unusable.</summary>
    public string? Start(string clientFirst, string serverNonce)
    {
        // gs2-header: "n,," or "y,," (no channel binding), then n=user,r=nonce
        if (!(clientFirst.StartsWith("n,,", StringComparison.Ordinal) || clientFirst.StartsWith("y,,", StringComparison.Ordinal)))
        {
            return null;
        }

        _clientFirstBare = clientFirst[3..];
        string? user = null;
        string? nonce = null;
        foreach (var part in _clientFirstBare.Split(','))
        {
            if (part.StartsWith("n=", StringComparison.Ordinal))
            {
                user = part[2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            }
            else if (part.StartsWith("r=", StringComparison.Ordinal))
            {
                nonce = part[2..];
            }
        }

        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(nonce))
        {
            return null;
        }

        User = user;

        // An unknown user goes through the motions with a password nobody knows (no account probing).
        _password = _passwordOf(user) ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _salt = SHA256.HashData(Encoding.UTF8.GetBytes(user + "/" + _seed))[..16];
        _nonce = nonce + serverNonce;
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_salt)},i={_iterations}";
        return _serverFirst;
    }

    /// <summary>Checks the client-final message; returns the server-final message (<c>v=...</c>) or null when the proof is wrong.</summary>
    public string? Finish(string clientFinal)
    {
        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0 || _serverFirst is null)
        {
            return null;
        }

        var withoutProof = clientFinal[..proofAt];
        if (withoutProof != "c=biws,r=" + _nonce && withoutProof != "c=eSws,r=" + _nonce)
        {
            return null;
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            return null;
        }

#pragma warning disable CA5350 // SCRAM-SHA-1 is the mechanism under test.
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), _salt, _iterations, HashAlgorithmName.SHA1, 20);
        var clientKey = HMACSHA1.HashData(salted, Encoding.ASCII.GetBytes("Client Key"));
        var storedKey = SHA1.HashData(clientKey);
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        var signature = HMACSHA1.HashData(storedKey, authMessage);
        if (proof.Length != signature.Length)
        {
            return null;
        }

        var recovered = new byte[signature.Length];
        for (var i = 0; i < recovered.Length; i++)
        {
            recovered[i] = (byte)(proof[i] ^ signature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA1.HashData(recovered), storedKey))
        {
            return null;
        }

        var serverKey = HMACSHA1.HashData(salted, Encoding.ASCII.GetBytes("Server Key"));
        return "v=" + Convert.ToBase64String(HMACSHA1.HashData(serverKey, authMessage));
#pragma warning restore CA5350
    }
}
