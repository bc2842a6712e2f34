using System.Security.Cryptography;
using System.Text;

namespace Harness.Simulators.Upnp;

/// <summary>Stable RFC 4122 UUIDs for the devices of a simulated UPnP root.</summary>
internal static class UpnpUuid
{
    /// <summary>
    /// A name-based (version 5, SHA-1) UUID in the namespace of <paramref name="parent"/> (RFC 4122 §4.3): the same
    /// parent and name always give the same UUID, so embedded devices keep their UDN across runs and reboots.
    /// </summary>
    public static Guid Derive(Guid parent, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        parent.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
#pragma warning disable CA5350 // RFC 4122 version 5 is defined on SHA-1; this is naming, not security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary><c>uuid:</c> plus the UUID in lower-case 8-4-4-4-12 form.</summary>
    public static string Udn(Guid uuid) => "uuid:" + uuid.ToString("D");
}
