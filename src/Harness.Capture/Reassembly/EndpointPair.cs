using System.Buffers.Binary;
using System.Net;

namespace Harness.Capture;

/// <summary>The two endpoints of a connection in a canonical order (IPv4-mapped IPv6 addresses count as IPv4).</summary>
internal readonly record struct EndpointPair(UInt128 FirstAddress, int FirstPort, UInt128 SecondAddress, int SecondPort)
{
    public static EndpointPair Create(IPEndPoint source, IPEndPoint destination, out bool sourceIsFirst)
    {
        var a = AddressKey(source.Address);
        var b = AddressKey(destination.Address);
        sourceIsFirst = a < b || (a == b && source.Port <= destination.Port);
        return sourceIsFirst
            ? new EndpointPair(a, source.Port, b, destination.Port)
            : new EndpointPair(b, destination.Port, a, source.Port);
    }

    private static UInt128 AddressKey(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.TryWriteBytes(bytes, out var written) && written == 16)
        {
            return BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }

        return ((UInt128)0xFFFF << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
