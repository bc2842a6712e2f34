using BenchmarkDotNet.Attributes;
using Harness.WsDiscovery.Messages;

namespace Harness.Benchmarks;

/// <summary>
/// Parse and write of a real ONVIF camera's ProbeMatches (Uniview IPC, WS-Discovery 2005/04).
/// Target (issue 2): over 200,000 messages per second per core each way.
/// </summary>
[MemoryDiagnoser]
public class WsdCodecBenchmarks
{
    private byte[] _probeMatches = [];
    private WsdMessage _message = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var stream = typeof(WsdCodecBenchmarks).Assembly.GetManifestResourceStream("probematches.xml")
            ?? throw new InvalidOperationException("probematches.xml is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _probeMatches = copy.ToArray();
        var result = WsdMessageReader.Read(_probeMatches);
        _message = result.Message ?? throw new InvalidOperationException("The vector does not parse: " + string.Join("; ", result.Violations));
    }

    [Benchmark]
    public WsdMessage? ParseProbeMatches() => WsdMessageReader.Read(_probeMatches).Message;

    [Benchmark]
    public byte[] WriteProbeMatches() => WsdMessageWriter.Write(_message);
}
