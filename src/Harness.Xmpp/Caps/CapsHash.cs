using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Konscious.Security.Cryptography;

namespace Harness.Xmpp.Caps;

/// <summary>
/// The hash functions caps uses, by their IANA / XEP-0300 names: <c>sha-1</c>, <c>sha-224</c>, <c>sha-256</c>,
/// <c>sha-384</c>, <c>sha-512</c>, <c>md5</c> (XEP-0115) and <c>sha3-256</c>, <c>sha3-512</c>, <c>blake2b-256</c>,
/// <c>blake2b-512</c> (XEP-0390). SHA3 comes from the platform (OpenSSL 1.1.1 or later); where it is missing
/// <see cref="IsSupported"/> says false and hashing throws <see cref="PlatformNotSupportedException"/> saying so.
/// BLAKE2b comes from Konscious.Security.Cryptography.Blake2 (RFC 7693; tested against the RFC's appendix vector).
/// SHA-224 has no .NET implementation; it is written here (FIPS 180-4 §6.3).
/// </summary>
public static class CapsHash
{
    [ThreadStatic]
    private static IncrementalHash? t_sha1;

    /// <summary>Every algorithm name this class knows.</summary>
    public static IReadOnlyList<string> Known { get; } =
        ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512", "md5", "sha3-256", "sha3-512", "blake2b-256", "blake2b-512"];

    /// <summary>True when <paramref name="algorithm"/> can be computed on this machine.</summary>
    public static bool IsSupported(string? algorithm) => algorithm switch
    {
        "sha-1" or "sha-224" or "sha-256" or "sha-384" or "sha-512" or "md5" or "blake2b-256" or "blake2b-512" => true,
        "sha3-256" => SHA3_256.IsSupported,
        "sha3-512" => SHA3_512.IsSupported,
        _ => false,
    };

    /// <summary>The digest length in bytes, or 0 for an unknown algorithm.</summary>
    public static int DigestLength(string? algorithm) => algorithm switch
    {
        "sha-1" => 20,
        "sha-224" => 28,
        "sha-256" or "sha3-256" or "blake2b-256" => 32,
        "sha-384" => 48,
        "sha-512" or "sha3-512" or "blake2b-512" => 64,
        "md5" => 16,
        _ => 0,
    };

    /// <summary>Hashes <paramref name="input"/> into <paramref name="destination"/>; returns the digest length.</summary>
    /// <exception cref="ArgumentException">Unknown algorithm, or the destination is too small.</exception>
    /// <exception cref="PlatformNotSupportedException">SHA3 is not available on this platform.</exception>
    public static int HashData(string algorithm, ReadOnlySpan<byte> input, Span<byte> destination)
    {
        var length = DigestLength(algorithm);
        if (length == 0)
        {
            throw new ArgumentException($"Unknown hash algorithm '{algorithm}'.", nameof(algorithm));
        }

        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too small for the digest.", nameof(destination));
        }

        switch (algorithm)
        {
            case "sha-1":
                return Sha1(input, destination);
            case "sha-224":
                Sha224.HashData(input, destination);
                return 28;
            case "sha-256":
                return SHA256.HashData(input, destination);
            case "sha-384":
                return SHA384.HashData(input, destination);
            case "sha-512":
                return SHA512.HashData(input, destination);
            case "md5":
                return MD5.HashData(input, destination);
            case "sha3-256":
                RequireSha3(SHA3_256.IsSupported, algorithm);
                return SHA3_256.HashData(input, destination);
            case "sha3-512":
                RequireSha3(SHA3_512.IsSupported, algorithm);
                return SHA3_512.HashData(input, destination);
            default:
                using (var blake = new HMACBlake2B(length * 8))
                {
                    blake.Initialize();
                    var digest = blake.ComputeHash(input.ToArray());
                    digest.CopyTo(destination);
                    return digest.Length;
                }
        }
    }

    /// <summary>Hashes <paramref name="input"/> and returns the digest.</summary>
    public static byte[] HashData(string algorithm, ReadOnlySpan<byte> input)
    {
        var digest = new byte[Math.Max(DigestLength(algorithm), 1)];
        var written = HashData(algorithm, input, digest);
        return written == digest.Length ? digest : digest[..written];
    }

    // SHA-1 (the caps default, hashed for every ver generated or verified) through a per-thread context: reusing it
    // saves the platform's per-call context setup (about a tenth of the time of hashing a typical S). Only the
    // context is kept, never an input or a digest; a failed hash discards it.
    private static int Sha1(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        var sha1 = t_sha1 ?? IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        t_sha1 = null;
        sha1.AppendData(input);
        var written = sha1.GetHashAndReset(destination);
        t_sha1 = sha1;
        return written;
    }

    private static void RequireSha3(bool supported, string algorithm)
    {
        if (!supported)
        {
            throw new PlatformNotSupportedException(
                $"{algorithm} is not available: .NET takes SHA3 from the platform (OpenSSL 1.1.1 or later on Linux, Windows 11 build 25324 or later); this one has none.");
        }
    }

    /// <summary>SHA-224 (FIPS 180-4): SHA-256's compression with other initial values, truncated to 28 bytes.</summary>
    private static class Sha224
    {
        private static readonly uint[] K =
        [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        ];

        public static void HashData(ReadOnlySpan<byte> input, Span<byte> destination)
        {
            Span<uint> h = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];
            Span<uint> w = stackalloc uint[64];
            var full = input.Length / 64;
            for (var i = 0; i < full; i++)
            {
                Compress(h, w, input.Slice(i * 64, 64));
            }

            // Padding: 0x80, zeros, the bit length as 64-bit big-endian; one or two final blocks.
            Span<byte> tail = stackalloc byte[128];
            tail.Clear();
            var rest = input[(full * 64)..];
            rest.CopyTo(tail);
            tail[rest.Length] = 0x80;
            var blocks = rest.Length + 9 <= 64 ? 1 : 2;
            BinaryPrimitives.WriteUInt64BigEndian(tail.Slice((blocks * 64) - 8, 8), (ulong)input.Length * 8);
            for (var i = 0; i < blocks; i++)
            {
                Compress(h, w, tail.Slice(i * 64, 64));
            }

            for (var i = 0; i < 7; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(i * 4, 4), h[i]);
            }
        }

        private static void Compress(Span<uint> h, Span<uint> w, ReadOnlySpan<byte> block)
        {
            for (var t = 0; t < 16; t++)
            {
                w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(t * 4, 4));
            }

            for (var t = 16; t < 64; t++)
            {
                var s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
                var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
            }

            uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
            for (var t = 0; t < 64; t++)
            {
                var t1 = hh + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
                var t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
                hh = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = b;
                b = a;
                a = t1 + t2;
            }

            h[0] += a;
            h[1] += b;
            h[2] += c;
            h[3] += d;
            h[4] += e;
            h[5] += f;
            h[6] += g;
            h[7] += hh;
        }
    }
}
