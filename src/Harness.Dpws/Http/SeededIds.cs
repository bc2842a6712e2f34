namespace Harness.Dpws.Http;

/// <summary>Message ids and MIME boundaries from one seeded generator, safe to share between threads.</summary>
internal sealed class SeededIds(int? seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue));

    /// <summary>A fresh <c>urn:uuid:</c> id (a version-4 GUID from the seeded generator).</summary>
    public string NewMessageId() => "urn:uuid:" + NewGuid().ToString("D");

    /// <summary>A version-4 GUID from the seeded generator.</summary>
    public Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A fresh MIME boundary.</summary>
    public string NewBoundary()
    {
        lock (_gate)
        {
            return Soap.MtomWriter.NewBoundary(_random);
        }
    }
}
