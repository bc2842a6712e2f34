using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Harness.Xmpp.Sasl;

/// <summary>
/// The client side of SCRAM (RFC 5802) with SHA-1 or SHA-256 (RFC 7677), without channel binding (gs2 header
/// <c>n,,</c>). Pure: the nonce is given, nothing is sent. Usage: send <see cref="ClientFirstMessage"/>; pass the
/// server-first message to <see cref="ProcessServerFirst"/> and send what it returns; check the server-final message
/// with <see cref="VerifyServerFinal"/>. The password is used as given (SASLprep is not applied; ASCII passwords are
/// unaffected).
/// </summary>
public sealed class ScramClient
{
    /// <summary>The largest iteration count accepted from a server (bounds the work a hostile server can ask for).</summary>
    public const int MaxIterations = 1_000_000;

    private const string Gs2Header = "n,,";
    private readonly HashAlgorithmName _hash;
    private readonly string _password;
    private readonly string _clientNonce;
    private byte[]? _expectedServerSignature;

    /// <summary>Creates the exchange.</summary>
    /// <param name="mechanism"><c>SCRAM-SHA-1</c> or <c>SCRAM-SHA-256</c>.</param>
    /// <param name="user">The authentication identity (escaped here as RFC 5802 §5.1 asks).</param>
    /// <param name="password">The password.</param>
    /// <param name="clientNonce">The client nonce: printable ASCII without a comma.</param>
    public ScramClient(string mechanism, string user, string password, string clientNonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentException.ThrowIfNullOrEmpty(clientNonce);
        _hash = mechanism switch
        {
            "SCRAM-SHA-1" => HashAlgorithmName.SHA1,
            "SCRAM-SHA-256" => HashAlgorithmName.SHA256,
            _ => throw new ArgumentException($"'{mechanism}' is not a supported SCRAM mechanism.", nameof(mechanism)),
        };
        if (clientNonce.Any(c => c is < '!' or > '~' or ','))
        {
            throw new ArgumentException("The nonce must be printable ASCII without ','.", nameof(clientNonce));
        }

        Mechanism = mechanism;
        _password = password;
        _clientNonce = clientNonce;
        ClientFirstMessageBare = "n=" + user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal) + ",r=" + clientNonce;
    }

    /// <summary>The mechanism name.</summary>
    public string Mechanism { get; }

    /// <summary>The client-first message without its gs2 header.</summary>
    public string ClientFirstMessageBare { get; }

    /// <summary>The client-first message: <c>n,,n=USER,r=NONCE</c>.</summary>
    public string ClientFirstMessage => Gs2Header + ClientFirstMessageBare;

    /// <summary>Creates a client nonce of 24 random bytes in base64 (from <paramref name="random"/> when given).</summary>
    public static string CreateNonce(Random? random = null)
    {
        var bytes = new byte[24];
        if (random is null)
        {
            RandomNumberGenerator.Fill(bytes);
        }
        else
        {
            random.NextBytes(bytes);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>
    /// Checks the server-first message (<c>r=NONCE,s=SALT,i=COUNT</c>) and computes the client-final message
    /// (<c>c=biws,r=NONCE,p=PROOF</c>).
    /// </summary>
    /// <exception cref="FormatException">The server-first message is malformed, its nonce does not extend the
    /// client nonce, or the iteration count is out of range.</exception>
    public string ProcessServerFirst(string serverFirstMessage)
    {
        ArgumentNullException.ThrowIfNull(serverFirstMessage);
        var fields = Parse(serverFirstMessage);
        if (fields.ContainsKey('m'))
        {
            throw new FormatException("The server asks for a SCRAM extension (m=) this client does not know.");
        }

        var nonce = fields.GetValueOrDefault('r') ?? throw new FormatException("The server-first message has no nonce (r=).");
        var saltText = fields.GetValueOrDefault('s') ?? throw new FormatException("The server-first message has no salt (s=).");
        var iterationText = fields.GetValueOrDefault('i') ?? throw new FormatException("The server-first message has no iteration count (i=).");
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new FormatException("The server nonce does not extend the client nonce.");
        }

        if (!int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1 || iterations > MaxIterations)
        {
            throw new FormatException($"The iteration count '{iterationText}' is out of range (1..{MaxIterations}).");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException ex)
        {
            throw new FormatException("The salt is not base64.", ex);
        }

        var hashLength = _hash == HashAlgorithmName.SHA1 ? 20 : 32;
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, _hash, hashLength);
        var clientKey = Hmac(saltedPassword, "Client Key"u8);
        var storedKey = Hash(clientKey);
        var withoutProof = "c=" + Convert.ToBase64String(Encoding.ASCII.GetBytes(Gs2Header)) + ",r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes(ClientFirstMessageBare + "," + serverFirstMessage + "," + withoutProof);
        var clientSignature = Hmac(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        var serverKey = Hmac(saltedPassword, "Server Key"u8);
        _expectedServerSignature = Hmac(serverKey, authMessage);
        return withoutProof + ",p=" + Convert.ToBase64String(proof);
    }

    /// <summary>True when the server-final message (<c>v=SIGNATURE</c>) proves the server knows the password.</summary>
    public bool VerifyServerFinal(string serverFinalMessage)
    {
        ArgumentNullException.ThrowIfNull(serverFinalMessage);
        if (_expectedServerSignature is null)
        {
            throw new InvalidOperationException("ProcessServerFirst has not been called.");
        }

        Dictionary<char, string> fields;
        try
        {
            fields = Parse(serverFinalMessage);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!fields.TryGetValue('v', out var signature))
        {
            return false;
        }

        Span<byte> received = stackalloc byte[64];
        return Convert.TryFromBase64String(signature, received, out var length)
            && CryptographicOperations.FixedTimeEquals(received[..length], _expectedServerSignature);
    }

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) =>
        _hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    private byte[] Hash(byte[] data) =>
        _hash == HashAlgorithmName.SHA1 ? SHA1.HashData(data) : SHA256.HashData(data);

    private static Dictionary<char, string> Parse(string message)
    {
        var fields = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=' || !fields.TryAdd(part[0], part[2..]))
            {
                throw new FormatException($"'{part}' is not a SCRAM attribute (or is repeated).");
            }
        }

        return fields;
    }
}
