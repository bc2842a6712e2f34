using System.CommandLine;
using System.Globalization;
using Harness.Cli.Common;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Scan;
using Harness.Dpws.Scan.Http;

namespace Harness.Cli.Wsd;

/// <summary>
/// <c>harness wsd scan --device URL|urn:uuid --out page.png</c>: Get the device's metadata, find its scanner service,
/// read its configuration, validate a ticket, create a job, retrieve every image and save them (page.png, page-2.png, …).
/// </summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device", "-d") { Description = "The scanner: its XAddr (http://…) or its endpoint reference (urn:uuid:…, resolved over WS-Discovery)", Required = true };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to save the image; further pages get -2, -3, … before the extension", Required = true };
        var resolution = new Option<int>("--resolution", "-r") { Description = "Resolution in dpi", DefaultValueFactory = _ => 300 };
        var color = new Option<string>("--color") { Description = "Colour mode: rgb24, grayscale8 or bw1", DefaultValueFactory = _ => "rgb24" };
        color.AcceptOnlyFromAmong("rgb24", "grayscale8", "bw1");
        var source = new Option<string>("--source") { Description = "Input: platen or adf (every sheet in the feeder)", DefaultValueFactory = _ => "platen" };
        source.AcceptOnlyFromAmong("platen", "adf", "adf-duplex");
        var format = new Option<string>("--format") { Description = "File format: png, jpeg or pdf", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "jpeg", "pdf");
        var size = new Option<string>("--size") { Description = "Page size: letter, a4 or max (the largest the input takes)", DefaultValueFactory = _ => "letter" };
        size.AcceptOnlyFromAmong("letter", "a4", "max");
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the WS-Discovery resolve and each answer", DefaultValueFactory = _ => 10 };
        var logLevel = CommonOptions.LogLevel();
        var iface = CommonOptions.Interface();
        var multicastPort = CommonOptions.MulticastPort();
        var command = new Command("scan", "Scan from a WSD scanner (WS-Scan) and save the images")
        {
            device, output, resolution, color, source, format, size, timeout, logLevel, iface, multicastPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(logLevel));
            var wait = TimeSpan.FromSeconds(parse.GetValue(timeout));
            var target = await WsdTarget.ResolveAsync(parse.GetValue(device)!, parse.GetValue(iface)!, parse.GetValue(multicastPort), wait, loggers, cancellationToken);
            using var http = new SoapHttpClient(new SoapHttpClientOptions { Timeout = wait }, null, loggers);
            var metadata = await new DpwsClient(http).GetAsync(target.XAddr, target.EndpointAddress, cancellationToken);
            var service = WsdTarget.ServiceOfType(metadata.Metadata, ScannerServiceEndpoint.ScannerServiceType, "scanner service");
            var client = new ScanClient(http, loggers) { RetrieveTimeout = wait + TimeSpan.FromSeconds(60) };
            var elements = await client.GetScannerElementsAsync(service, cancellationToken: cancellationToken);
            var configuration = elements.Value.Configuration ?? throw new InvalidOperationException("The scanner sent no ScannerConfiguration.");

            var ticket = Ticket(configuration, parse.GetValue(source)!, parse.GetValue(format)!, parse.GetValue(color)!, parse.GetValue(resolution), parse.GetValue(size)!);
            var validation = await client.ValidateScanTicketAsync(service, ticket, cancellationToken);
            if (!validation.Value.ValidTicket)
            {
                Console.Error.WriteLine("The scanner does not take this ticket as it is" + (validation.Value.ValidScanTicket is null ? "." : "; it corrected it."));
                ticket = validation.Value.ValidScanTicket ?? ticket;
            }

            var job = await client.CreateScanJobAsync(service, ticket, cancellationToken: cancellationToken);
            var info = job.Value.ImageInformation.Front;
            Console.Error.WriteLine($"Job {job.Value.JobId}: {info.PixelsPerLine} x {info.NumberOfLines} pixels per image");
            var images = await client.RetrieveAllImagesAsync(service, job.Value, 1000, cancellationToken);
            var path = parse.GetValue(output)!.FullName;
            for (var i = 0; i < images.Count; i++)
            {
                var file = i == 0 ? path : Path.Combine(Path.GetDirectoryName(path) ?? ".", $"{Path.GetFileNameWithoutExtension(path)}-{(i + 1).ToString(CultureInfo.InvariantCulture)}{Path.GetExtension(path)}");
                await File.WriteAllBytesAsync(file, images[i].Content, cancellationToken);
                Console.Out.WriteLine(file);
            }

            Console.Error.WriteLine($"{images.Count} image(s) saved ({string.Join(", ", images.Select(i => i.ContentType).Distinct())}).");
            return images.Count > 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>A ticket for <paramref name="sourceName"/>, the page size clamped to what that input takes.</summary>
    internal static ScanTicket Ticket(ScannerConfiguration configuration, string sourceName, string formatName, string colorName, int dpi, string sizeName)
    {
        var inputSource = sourceName switch
        {
            "adf" => ScanValues.Adf,
            "adf-duplex" => ScanValues.AdfDuplex,
            _ => ScanValues.Platen,
        };
        var caps = configuration.CapabilitiesFor(inputSource)
            ?? throw new InvalidOperationException($"The scanner has no {inputSource} (it offers {string.Join(", ", configuration.InputSources)}).");
        var wanted = sizeName switch
        {
            "a4" => new ScanSize(8268, 11693),
            "max" => caps.MaximumSize,
            _ => new ScanSize(8500, 11000),
        };
        var width = caps.MaximumSize.Width > 0 ? Math.Min(wanted.Width, caps.MaximumSize.Width) : wanted.Width;
        var height = caps.MaximumSize.Height > 0 ? Math.Min(wanted.Height, caps.MaximumSize.Height) : wanted.Height;
        var format = formatName switch
        {
            "jpeg" => configuration.DeviceSettings.FormatsSupported.Contains(ScanValues.Jfif) || !configuration.DeviceSettings.FormatsSupported.Contains(ScanValues.Exif) ? ScanValues.Jfif : ScanValues.Exif,
            "pdf" => ScanValues.PdfA,
            _ => ScanValues.Png,
        };
        var colorProcessing = colorName switch
        {
            "grayscale8" => ScanValues.Grayscale8,
            "bw1" => ScanValues.BlackAndWhite1,
            _ => ScanValues.Rgb24,
        };
        var side = new ScanMediaSide
        {
            ColorProcessing = ScanValue.Of(colorProcessing),
            Resolution = new ScanResolution { Width = ScanValue.Of(dpi), Height = ScanValue.Of(dpi) },
            ScanRegion = new ScanRegion { XOffset = ScanValue.Of(0), YOffset = ScanValue.Of(0), Width = ScanValue.Of(width), Height = ScanValue.Of(height) },
        };
        return new ScanTicket
        {
            JobDescription = new ScanJobDescription("harness scan", Environment.UserName),
            DocumentParameters = new ScanDocumentParameters
            {
                Format = ScanValue.Of(format),
                ImagesToTransfer = ScanValue.Of(inputSource == ScanValues.Platen ? 1 : 0),
                InputSource = ScanValue.Of(inputSource),
                ContentType = ScanValue.Of(ScanValues.Auto),
                InputSize = new ScanInputSize { Width = ScanValue.Of(width), Height = ScanValue.Of(height) },
                MediaSides = new ScanMediaSides { Front = side, Back = inputSource == ScanValues.AdfDuplex ? side : null },
            },
        };
    }
}
