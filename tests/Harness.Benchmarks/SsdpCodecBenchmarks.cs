using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Harness.Ssdp.Messages;

namespace Harness.Benchmarks;

/// <summary>
/// Parse and write of SSDP messages: a search response and an ssdp:alive as Debian's minidlna 1.3.0 sends them
/// (observed on loopback by tests/Harness.Interop.Tests/Ssdp), and the UDA 1.1 §1.3.2 M-SEARCH. Single-threaded, so
/// Op/s is per core. Target (issue 5): over 1,000,000 search responses parsed per second per core.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OpsConfig))]
public class SsdpCodecBenchmarks
{
    // minidlna 1.3.0 (Debian 1.3.0+dfsg-2.2+deb12u1), answer to ssdp:all, as captured.
    private static readonly byte[] MiniDlnaResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\n" +
        "CACHE-CONTROL: max-age=70\r\n" +
        "DATE: Wed, 25 Nov 2026 11:38:59 GMT\r\n" +
        "ST: urn:schemas-upnp-org:service:ContentDirectory:1\r\n" +
        "USN: uuid:4d696e69-444c-164e-9d41-554e4b4e4f57::urn:schemas-upnp-org:service:ContentDirectory:1\r\n" +
        "EXT:\r\n" +
        "SERVER: Debian DLNADOC/1.50 UPnP/1.0 MiniDLNA/1.3.0\r\n" +
        "LOCATION: http://127.0.0.1:18200/rootDesc.xml\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n");

    // minidlna 1.3.0 ssdp:alive, as captured (no space after the colons but in SERVER).
    private static readonly byte[] MiniDlnaAlive = Encoding.ASCII.GetBytes(
        "NOTIFY * HTTP/1.1\r\n" +
        "HOST:239.255.255.250:1900\r\n" +
        "CACHE-CONTROL:max-age=70\r\n" +
        "LOCATION:http://127.0.0.1:18200/rootDesc.xml\r\n" +
        "SERVER: Debian DLNADOC/1.50 UPnP/1.0 MiniDLNA/1.3.0\r\n" +
        "NT:upnp:rootdevice\r\n" +
        "USN:uuid:4d696e69-444c-164e-9d41-554e4b4e4f57::upnp:rootdevice\r\n" +
        "NTS:ssdp:alive\r\n" +
        "\r\n");

    // UDA 1.1 §1.3.2 M-SEARCH template, placeholders filled in.
    private static readonly byte[] UdaSearch = Encoding.ASCII.GetBytes(
        "M-SEARCH * HTTP/1.1\r\n" +
        "HOST: 239.255.255.250:1900\r\n" +
        "MAN: \"ssdp:discover\"\r\n" +
        "MX: 3\r\n" +
        "ST: urn:schemas-upnp-org:device:MediaServer:1\r\n" +
        "USER-AGENT: Linux/5.10 UPnP/1.1 Harness/1.0\r\n" +
        "\r\n");

    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private SsdpSearchResponse _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        _response = SsdpMessageReader.Read(MiniDlnaResponse).Message as SsdpSearchResponse
            ?? throw new InvalidOperationException("The minidlna response does not parse.");
        if (SsdpMessageReader.Read(MiniDlnaAlive).Message is not SsdpNotify || SsdpMessageReader.Read(UdaSearch).Message is not SsdpSearchRequest)
        {
            throw new InvalidOperationException("A vector does not parse.");
        }
    }

    [Benchmark(Baseline = true)]
    public SsdpMessage? ParseSearchResponse() => SsdpMessageReader.Read(MiniDlnaResponse).Message;

    [Benchmark]
    public SsdpMessage? ParseNotifyAlive() => SsdpMessageReader.Read(MiniDlnaAlive).Message;

    [Benchmark]
    public SsdpMessage? ParseMSearch() => SsdpMessageReader.Read(UdaSearch).Message;

    [Benchmark]
    public byte[] WriteSearchResponse() => SsdpMessageWriter.Write(_response);

    [Benchmark]
    public int WriteSearchResponseToBuffer()
    {
        _output.ResetWrittenCount();
        return SsdpMessageWriter.Write(_response, _output);
    }

    /// <summary>Adds the Op/s column (operations per second on one core).</summary>
    private sealed class OpsConfig : ManualConfig
    {
        public OpsConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
