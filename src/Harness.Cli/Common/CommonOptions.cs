using System.CommandLine;
using System.Net;
using Harness.Capture;
using Harness.Core.Recording;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Cli.Common;

/// <summary>Options shared by the WS-Discovery commands.</summary>
internal static class CommonOptions
{
    public static Option<string> LogLevel() => new("--loglevel", "-l")
    {
        Description = "Log level: DEBUG, INFO, WARNING, ERROR, CRITICAL",
        DefaultValueFactory = _ => "WARNING",
    };

    public static Option<string> Interface() => new("--interface", "-i")
    {
        Description = "Interface name or address to use (default: lo, the loopback; name a real interface to reach real devices)",
        DefaultValueFactory = _ => "lo",
    };

    public static Option<FileInfo?> Capture() => new("--capture", "-c")
    {
        Description = "Keep every message sent and received in a pcapng file (opens in Wireshark / tshark)",
    };

    public static Option<string> Version() => new("--version", "-V")
    {
        Description = "WS-Discovery family: 2005 (ONVIF, Windows WSD), 1.1 (OASIS 2009/01) or both",
        DefaultValueFactory = _ => "2005",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write JSON to standard output instead of a table",
    };

    public static Option<bool> Ipv6() => new("--ipv6", "-6")
    {
        Description = "Use IPv6 multicast (ff02::c) instead of IPv4 (239.255.255.250)",
    };

    public static Option<int> MulticastPort() => new("--multicast-port")
    {
        Description = "The discovery port (3702; another port isolates a test network)",
        DefaultValueFactory = _ => WsdMulticast.Port,
    };

    public static Option<int> Ttl() => new("--ttl")
    {
        Description = "Multicast TTL / hop limit",
        DefaultValueFactory = _ => 1,
    };

    public static IReadOnlyList<WsdProtocol> ParseVersion(string value) => value.Trim().ToLowerInvariant() switch
    {
        "2005" or "2005/04" or "april2005" => [WsdProtocol.V2005],
        "1.1" or "11" or "2009" or "2009/01" => [WsdProtocol.V11],
        "both" or "all" => WsdProtocol.All,
        _ => throw new ArgumentException($"Unknown WS-Discovery version '{value}'; use 2005, 1.1 or both."),
    };

    public static IPEndPoint MulticastEndPoint(bool ipv6, int port) =>
        new(ipv6 ? WsdMulticast.IPv6Group : WsdMulticast.IPv4Group, port);

    /// <summary>Binds a UDP transport and wraps it in the recorder.</summary>
    public static IDatagramTransport Bind(UdpTransportOptions options, TrafficRecorder recorder)
    {
        var transport = UdpDatagramTransport.Bind(options, recorder.TimeProvider);
        return new RecordingDatagramTransport(transport, recorder, "wsd");
    }

    public static IPAddress Any(bool ipv6) => ipv6 ? IPAddress.IPv6Any : IPAddress.Any;

    /// <summary>Writes the recorded traffic as pcapng when the user asked for a capture.</summary>
    public static void WriteCapture(FileInfo? capture, TrafficRecorder recorder, TextWriter error)
    {
        if (capture is null)
        {
            return;
        }

        var records = recorder.Snapshot();
        PcapNgWriter.WriteFile(capture.FullName, records);
        error.WriteLine($"Wrote {records.Count} messages to {capture.FullName}");
    }
}
