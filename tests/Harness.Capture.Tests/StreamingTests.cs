using System.Diagnostics;
using System.Net;
using Harness.Capture.Tests.Support;
using Harness.Core.Recording;
using Xunit.Abstractions;

namespace Harness.Capture.Tests;

public sealed class StreamingTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Records_200000PacketCapture_StreamedThroughOneBoundedBuffer()
    {
        const int Count = 200_000;
        using var file = new TempFile();
        var source = new IPEndPoint(IPAddress.Parse("192.168.7.2"), 49152);
        var group = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 3702);
        var payload = new byte[96];
        using (var writer = PcapNgWriter.Create(file.Path, new PcapNgWriterOptions { IncludeComments = false }))
        {
            for (var i = 0; i < Count; i++)
            {
                payload[0] = (byte)i;
                writer.Write(new TrafficRecord(i, T0.AddTicks(i * 10L), TrafficDirection.Inbound, TrafficTransport.Udp, source, group, payload, "wsd"));
            }
        }

        var length = new FileInfo(file.Path).Length;
        using var stream = new CountingStream(File.OpenRead(file.Path));
        using var capture = CaptureFile.Open(stream);
        long? readBeforeFirstRecord = null;
        long records = 0;
        var clock = Stopwatch.StartNew();
        foreach (var record in capture.Records())
        {
            readBeforeFirstRecord ??= stream.BytesRead;
            if (record.Sequence != records || record.Payload.Span[0] != (byte)records)
            {
                Assert.Fail($"record {records} out of order: sequence {record.Sequence}");
            }

            records++;
        }

        clock.Stop();

        // The first record is out after one buffer of a file of several megabytes, and the buffer never grew.
        Assert.True(length > 30_000_000, $"the capture is {length} bytes");
        Assert.Equal(Count, records);
        Assert.True(readBeforeFirstRecord <= 64 * 1024, $"{readBeforeFirstRecord} bytes read before the first record");
        Assert.Equal(64 * 1024, capture.Diagnostics.PeakBufferBytes);
        Assert.Equal(length, capture.Diagnostics.BytesRead);
        Assert.Equal(length, stream.BytesRead);
        output.WriteLine($"{Count} packets, {length} bytes, read in {clock.Elapsed.TotalMilliseconds:N0} ms: {Count / clock.Elapsed.TotalSeconds:N0} records/s");
    }
}
