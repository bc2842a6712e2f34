using System.Globalization;
using System.Net;
using System.Text.Json;
using Harness.Dpws.Print;
using Harness.Interop.Tests.Infrastructure;
using Harness.Simulators.Fleet;
using Harness.Simulators.Printers;
using Harness.WsDiscovery.Engine;

namespace Harness.Interop.Tests.Print;

/// <summary>The real CLI (<c>harness wsd print</c> in its own process) against a <see cref="FakePrinter"/> in the test process, on loopback.</summary>
public sealed class PrintCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static Task<FakePrinter> StartPrinterAsync(int port, int n, PrinterServiceOptions? service = null) =>
        FakePrinter.StartAsync(
            new FakePrinterOptions
            {
                Seed = 21,
                Index = n,
                UnicastAddress = RunningFleet.LoopbackAddress(1200 + n),
                MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, port),
                AnswerDelay = TimeSpan.Zero,
                HelloDelay = TimeSpan.Zero,
                Service = service,
            },
            CancellationToken.None);

    private static string TempFile(string extension, byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"harness-print-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task PrintByEndpointReferenceAndWait_PrinterReceivedTheFilesExactBytes_JobCompleted()
    {
        var port = HarnessCli.PrivatePort();
        await using var printer = await StartPrinterAsync(port, 0);
        var content = new byte[300_000];
        new Random(4).NextBytes(content);
        var file = TempFile(".bin", content);
        try
        {
            var result = await HarnessCli.RunAsync(
                Timeout, "wsd", "print", file, "--device", printer.EndpointAddress, "--multicast-port", port.ToString(CultureInfo.InvariantCulture),
                "--job-name", "Interop job", "--copies", "2", "--wait", "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.StandardOutput);
            var jobId = json.RootElement.GetProperty("jobId").GetInt32();
            Assert.Equal(PrintJobStates.Completed, json.RootElement.GetProperty("state").GetString());
            Assert.Equal("application/octet-stream", json.RootElement.GetProperty("document").GetProperty("format").GetString());
            var document = Assert.Single(printer.ReceivedDocuments);
            Assert.Equal(jobId, document.JobId);
            Assert.True(content.AsSpan().SequenceEqual(document.Data.Span), "the printer received other bytes than the file's");
            var job = Assert.Single(printer.Jobs);
            Assert.Equal(("Interop job", 2), (job.JobName, job.Ticket.JobProcessing?.Copies));
            Assert.Equal(PrintJobStates.Completed, job.State);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PrintPdfByXAddr_FormatDetectedAndSentAsApplicationPdf()
    {
        await using var printer = await StartPrinterAsync(HarnessCli.PrivatePort(), 1);
        var content = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var file = TempFile(".pdf", content);
        try
        {
            var result = await HarnessCli.RunAsync(Timeout, "wsd", "print", file, "--device", printer.XAddr.ToString());

            Assert.True(result.ExitCode == 0, result.ToString());
            var document = Assert.Single(printer.ReceivedDocuments);
            Assert.Equal(content, document.Data.ToArray());
            Assert.Equal(("application/pdf", "application/pdf", Path.GetFileName(file)), (document.Format, document.ContentType, document.Name));
            Assert.StartsWith($"Job {document.JobId} ", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PrintMissingFile_UsageExitCode2WithTheFileNamed()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"harness-missing-{Guid.NewGuid():N}.pdf");

        var result = await HarnessCli.RunAsync(Timeout, "wsd", "print", missing, "--device", "http://127.0.0.1:9/none");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(missing, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintFileOverTheLimit_UsageExitCode2NothingSent()
    {
        await using var printer = await StartPrinterAsync(HarnessCli.PrivatePort(), 2);
        var file = Path.Combine(Path.GetTempPath(), $"harness-huge-{Guid.NewGuid():N}.bin");
        using (var stream = File.Create(file))
        {
            stream.SetLength((64L * 1024 * 1024) + 1); // sparse: no disk is written
        }

        try
        {
            var result = await HarnessCli.RunAsync(Timeout, "wsd", "print", file, "--device", printer.XAddr.ToString());

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("64 MiB", result.StandardError, StringComparison.Ordinal);
            Assert.Empty(printer.Jobs);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PrintToUnknownEndpointReference_DeviceErrorExitCode1()
    {
        var file = TempFile(".txt", "hello"u8.ToArray());
        try
        {
            var result = await HarnessCli.RunAsync(
                Timeout, "wsd", "print", file, "--device", "urn:uuid:00000000-0000-4000-8000-0000000badd1", "--multicast-port", HarnessCli.PrivatePort().ToString(CultureInfo.InvariantCulture), "--timeout", "1");

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("urn:uuid:00000000-0000-4000-8000-0000000badd1", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PrintToPrinterNotAcceptingJobs_ExitCode1WithTheFaultCode()
    {
        await using var printer = await StartPrinterAsync(HarnessCli.PrivatePort(), 3);
        printer.Service.AcceptingJobs = false;
        var file = TempFile(".txt", "hello"u8.ToArray());
        try
        {
            var result = await HarnessCli.RunAsync(Timeout, "wsd", "print", file, "--device", printer.XAddr.ToString());

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("ServerErrorNotAcceptingJobs", result.StandardError, StringComparison.Ordinal);
            Assert.Empty(printer.ReceivedDocuments);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SimulatePrinters_TableProgressAndDiscoverablePrinters_PrintToOne()
    {
        var port = HarnessCli.PrivatePort().ToString(CultureInfo.InvariantCulture);
        await using var simulator = HarnessCli.Start("simulate", "--printer", "2", "--scanner", "1", "--seed", "5", "--multicast-port", port);
        Assert.True(await simulator.WaitForOutputAsync("Simulating 3 device(s)", Timeout), simulator.ToString());

        // Redirected output gets plain progress lines, then a table whose rows end with the XAddr.
        Assert.Contains("starting 3/3 devices...", simulator.StandardError, StringComparison.Ordinal);
        var rows = simulator.StandardOutput.Split('\n').Where(l => l.StartsWith("printer ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("KIND ", simulator.StandardOutput, StringComparison.Ordinal);
        var xaddr = rows[0].Trim().Split(' ')[^1];
        Assert.StartsWith("http://127.0.0.", xaddr, StringComparison.Ordinal);

        var discovered = await HarnessCli.RunAsync(Timeout, "wsd", "discover", "--multicast-port", port, "--timeout", "3", "--json", "--type", "wprt:PrintDeviceType");
        Assert.Equal(2, HarnessCli.ParseDiscoverJson(discovered.StandardOutput).Select(s => s.Endpoint).Distinct().Count());

        var file = TempFile(".txt", "Hello from the interop test\n"u8.ToArray());
        try
        {
            var printed = await HarnessCli.RunAsync(Timeout, "wsd", "print", file, "--device", xaddr, "--wait");
            Assert.True(printed.ExitCode == 0, printed.ToString());
            Assert.Matches(@"^Job \d+ Completed", printed.StandardOutput);
        }
        finally
        {
            File.Delete(file);
        }

        var stopped = await simulator.StopAsync(Timeout);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
    }
}
