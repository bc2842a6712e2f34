using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Diagnostics;
using Harness.Core.Transport;
using Harness.Ssdp.Engine;

namespace Harness.Cli.Ssdp;

/// <summary><c>harness ssdp</c>: search, advertise and describe SSDP / UPnP devices.</summary>
internal static class SsdpCommand
{
    public static Command Create() => new("ssdp", "SSDP / UPnP: search for devices, advertise a description, read and judge a description")
    {
        SearchCommand.Create(),
        AdvertiseCommand.Create(),
        DescribeCommand.Create(),
    };
}

/// <summary>Options and helpers shared by the SSDP commands.</summary>
internal static class SsdpCliOptions
{
    /// <summary>One JSON object per line (JSON lines), camelCase, nulls left out.</summary>
    public static readonly JsonSerializerOptions JsonLines = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Option<bool> Ipv6() => new("--ipv6", "-6")
    {
        Description = "Use IPv6 multicast (FF02::C, and FF05::C for searches) instead of IPv4 (239.255.255.250)",
    };

    public static Option<int> Ttl() => new("--ttl")
    {
        Description = "Multicast TTL / hop limit (UDA 1.1 default 2)",
        DefaultValueFactory = _ => 2,
    };

    public static AddressFamily Family(bool ipv6) => ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <summary>The multicast endpoints of a family on <paramref name="port"/>, or null for the standard ones on 1900.</summary>
    public static IReadOnlyList<IPEndPoint>? MulticastEndPoints(AddressFamily family, int port)
    {
        CheckPort(port, "--port");
        return port == SsdpMulticast.Port ? null : SsdpMulticast.EndPointsFor(family, port);
    }

    public static void CheckPort(int port, string option)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentException($"{option} {port} is not a UDP port (1..65535).");
        }
    }

    /// <summary>The address of <paramref name="interfaceName"/> in the family (127.0.0.1 / ::1 for lo), or a clear error.</summary>
    public static IPAddress InterfaceAddress(string interfaceName, AddressFamily family)
    {
        var local = NetworkInterfaceResolver.Resolve(interfaceName);
        if (IPAddress.TryParse(interfaceName.Trim('[', ']'), out var given) && given.AddressFamily == family && !given.Equals(IPAddress.Any) && !given.Equals(IPAddress.IPv6Any))
        {
            return given;
        }

        return local.GetAddress(family)
            ?? throw new ArgumentException($"Interface {local.Name} has no {(family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} address ({string.Join(", ", local.Addresses)}).");
    }

    /// <summary>
    /// Fails with a clear message when the loopback is chosen and <paramref name="group"/> has no route on it (IPv6
    /// multicast on <c>lo</c> usually has none), instead of a warning per datagram that cannot be sent.
    /// </summary>
    public static void RequireMulticastRoute(string interfaceName, IPAddress group)
    {
        var local = NetworkInterfaceResolver.Resolve(interfaceName);
        if (local.IsLoopback && !LoopbackInterface.CanMulticast(group))
        {
            throw new InvalidOperationException(
                $"Multicast to {group} has no route on {local.Name}: IPv6 multicast on the loopback needs 'ip link set {local.Name} multicast on' and a route, and Linux does not loop it back; use IPv4 or name a real interface.");
        }
    }

    /// <summary>Parses <c>IP:PORT</c>, <c>[IPv6]:PORT</c> or a bare IP (port 1900).</summary>
    public static IPEndPoint ParseEndPoint(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        if (!text.StartsWith('[') && IPAddress.TryParse(text, out var bare))
        {
            return new IPEndPoint(bare, SsdpMulticast.Port);
        }

        if (IPEndPoint.TryParse(text, out var endPoint))
        {
            if (endPoint.Port == 0)
            {
                endPoint.Port = SsdpMulticast.Port;
            }

            return endPoint;
        }

        throw new ArgumentException($"'{text}' is not IP:PORT (e.g. 192.0.2.20:1900 or [fe80::1%eth0]:1900).");
    }

    public static object ToJson(Violation v) => new { ruleId = v.RuleId, severity = v.Severity.ToString(), message = v.Message, location = v.Location };

    /// <summary>A device-supplied string made safe for a terminal: control characters become '?'.</summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
