using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Harness.Cli.Common;
using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Print;

namespace Harness.Cli.Wsd;

/// <summary>
/// <c>harness wsd print FILE --device URL|urn:uuid</c>: Get the device's metadata, find its printer service, read its
/// description and status, create a job, send the document (SendDocument with an MTOM attachment; AddDocument when FILE
/// is an http URL the printer fetches itself), optionally follow the job until it ends, and print the job id and state.
/// Exit codes: 0 printed (or sent, without --wait), 1 a device error, a fault or a job that did not complete, 2 usage.
/// </summary>
internal static class PrintCommand
{
    /// <summary>The largest file sent (the WS-Print documents of a fake printer are bounded the same way).</summary>
    public const long MaxFileBytes = PrinterServiceOptions.DefaultMaxDocumentBytes;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The document to print, or an http(s) URL the printer fetches itself (AddDocument)" };
        var device = new Option<string>("--device", "-d") { Description = "The printer: its XAddr (http://…) or its endpoint reference (urn:uuid:…, resolved over WS-Discovery)", Required = true };
        var jobName = new Option<string?>("--job-name", "-n") { Description = "JobName (default: the file name)" };
        var copies = new Option<int?>("--copies") { Description = "Copies (1 to 9999; default: the printer's)" };
        var format = new Option<string>("--format") { Description = "Document format: auto (from the file's first bytes), pdf, png, jpeg or text", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "pdf", "png", "jpeg", "text");
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the job until it ends (Completed, Aborted, Canceled)" };
        var waitTimeout = new Option<double>("--wait-timeout") { Description = "Seconds --wait waits at most", DefaultValueFactory = _ => 120 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the WS-Discovery resolve and each answer", DefaultValueFactory = _ => 10 };
        var json = CommonOptions.Json();
        var logLevel = CommonOptions.LogLevel();
        var iface = CommonOptions.Interface();
        var multicastPort = CommonOptions.MulticastPort();
        var command = new Command("print", "Print a file on a WSD printer (WS-Print): create a job, send the document, report its state")
        {
            file, device, jobName, copies, format, wait, waitTimeout, timeout, json, logLevel, iface, multicastPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var byReference = Uri.TryCreate(path, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
            if (parse.GetValue(copies) is { } n && n is < 1 or > 9999)
            {
                Console.Error.WriteLine($"harness: --copies {n} is outside 1 to 9999.");
                return 2;
            }

            if (parse.GetValue(waitTimeout) is var seconds && (seconds <= 0 || double.IsNaN(seconds)))
            {
                Console.Error.WriteLine("harness: --wait-timeout must be positive.");
                return 2;
            }

            byte[] content = [];
            PrintDocumentFormat documentFormat;
            if (byReference)
            {
                documentFormat = PrintDocumentFormats.FromName(parse.GetValue(format)) ?? PrintDocumentFormats.OctetStream;
            }
            else
            {
                if (ReadDocument(path) is not { } read)
                {
                    return 2;
                }

                content = read;
                documentFormat = PrintDocumentFormats.FromName(parse.GetValue(format)) ?? PrintDocumentFormats.Detect(content);
            }

            var name = byReference ? Path.GetFileName(url!.AbsolutePath) : Path.GetFileName(path);
            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var answerTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout));
            using var http = new SoapHttpClient(new SoapHttpClientOptions { Timeout = answerTimeout }, null, loggers);
            var target = await WsdTarget.OpenServiceAsync(
                http, parse.GetValue(device)!, parse.GetValue(iface)!, parse.GetValue(multicastPort), answerTimeout, loggers,
                m => WsdTarget.HostedOfType(m, PrinterServiceEndpoint.PrinterServiceType, "printer service"), cancellationToken);
            var service = target.Address;
            var client = new PrintClient(http, loggers) { SendTimeout = answerTimeout + TimeSpan.FromSeconds(content.Length / (1024.0 * 1024.0)) + TimeSpan.FromSeconds(30) };
            var violations = new List<Violation>(target.Metadata.Violations);

            var elements = await client.GetPrinterElementsAsync(service, [PrintElementNames.PrinterDescription, PrintElementNames.PrinterStatus], cancellationToken);
            violations.AddRange(elements.Violations);
            var printerName = elements.Value.Description?.Name ?? target.Metadata.Metadata.FriendlyName ?? target.Device.EndpointAddress;
            var printerState = elements.Value.Status?.PrinterState;
            Console.Error.WriteLine($"Printer {Clean(printerName)} at {service}: {Clean(printerState ?? "state unknown")}{(elements.Value.Status is { PrinterPrimaryStateReason: { } reason and not "None" } ? $" ({Clean(reason)})" : string.Empty)}");
            if (printerState == PrinterStates.Stopped)
            {
                Console.Error.WriteLine("The printer is stopped; the job will wait until it is ready.");
            }

            var ticket = new PrintTicket
            {
                JobDescription = new PrintJobDescription(parse.GetValue(jobName) ?? name, Environment.UserName),
                JobProcessing = parse.GetValue(copies) is { } c ? new PrintJobProcessing { Copies = c } : null,
            };
            var created = await client.CreatePrintJobAsync(service, ticket, cancellationToken);
            violations.AddRange(created.Violations);
            var jobId = created.Value.JobId;
            var description = new PrintDocumentDescription(1) { DocumentName = name, Format = documentFormat.MimeType, Compression = "None" };
            if (byReference)
            {
                Console.Error.WriteLine($"Job {jobId}: the printer fetches {url} ({documentFormat.Name})");
                violations.AddRange((await client.AddDocumentAsync(service, jobId, url!.ToString(), description, lastDocument: true, cancellationToken)).Violations);
            }
            else
            {
                Console.Error.WriteLine($"Job {jobId}: sending {name} ({content.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes, {documentFormat.MimeType})");
                violations.AddRange((await client.SendDocumentAsync(service, jobId, content, description, lastDocument: true, documentFormat.MimeType, cancellationToken: cancellationToken)).Violations);
            }

            var waiting = parse.GetValue(wait);
            var watcher = new PrintJobWatcher(client);
            if (waiting)
            {
                watcher.StateChanged += (_, status) => Console.Error.WriteLine($"Job {jobId}: {Clean(status.JobState)}{Reasons(status.JobStateReasons)}");
            }

            PrintJobWaitResult result;
            try
            {
                result = await watcher.WaitForEndAsync(service, jobId, waiting ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero, cancellationToken);
            }
            catch (Exception ex) when (!waiting && WsdTarget.DescribeDeviceError(ex) is { } problem)
            {
                // The document is with the printer; a status it cannot tell does not undo that.
                Console.Error.WriteLine($"Job {jobId}: the state could not be read: {problem}");
                result = new PrintJobWaitResult(null, false, 1);
            }
            var state = result.State ?? "unknown";
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    new
                    {
                        printer = new { name = printerName, state = printerState, service = service.ToString(), endpointAddress = target.Metadata.Metadata.Host?.EndpointReference.Address ?? target.Device.EndpointAddress },
                        jobId,
                        state,
                        reasons = result.Status?.JobStateReasons ?? [],
                        ended = result.Ended,
                        document = new { name, format = documentFormat.MimeType, bytes = byReference ? (long?)null : content.Length, url = byReference ? url!.ToString() : null },
                        violations = violations.Select(v => new { ruleId = v.RuleId, severity = v.Severity.ToString(), message = v.Message, location = v.Location }),
                    },
                    DiscoverCommand.JsonOptions));
            }
            else
            {
                Console.Out.WriteLine($"Job {jobId} {Clean(state)}{Reasons(result.Status?.JobStateReasons ?? [])}");
                foreach (var v in violations)
                {
                    Console.Error.WriteLine($"{v.Severity} {v.RuleId}: {v.Message}");
                }
            }

            if (!waiting)
            {
                return 0;
            }

            if (!result.Ended)
            {
                Console.Error.WriteLine($"harness: job {jobId} did not end within {seconds.ToString("0.#", CultureInfo.InvariantCulture)} s (last state {state}).");
                return 1;
            }

            return state == PrintJobStates.Completed ? 0 : 1;
        });
        return command;
    }

    /// <summary>The file's bytes, or null after telling the user why not (missing, a directory, larger than <see cref="MaxFileBytes"/>).</summary>
    private static byte[]? ReadDocument(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            Console.Error.WriteLine(Directory.Exists(path) ? $"harness: '{path}' is a directory, not a file." : $"harness: no such file: '{path}'.");
            return null;
        }

        if (info.Length > MaxFileBytes)
        {
            Console.Error.WriteLine($"harness: '{path}' is {info.Length / (1024.0 * 1024.0):0.#} MiB; files larger than {MaxFileBytes / (1024 * 1024)} MiB are not sent.");
            return null;
        }

        if (info.Length == 0)
        {
            Console.Error.WriteLine($"harness: '{path}' is empty; there is nothing to print.");
            return null;
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"harness: cannot read '{path}': {ex.Message}");
            return null;
        }
    }

    private static string Reasons(IReadOnlyList<string> reasons) =>
        reasons.Count == 0 || reasons is ["None"] ? string.Empty : $" ({string.Join(", ", reasons.Select(Clean))})";

    /// <summary>A device-supplied string without control characters (they must not move the cursor in the user's terminal).</summary>
    internal static string Clean(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
}
