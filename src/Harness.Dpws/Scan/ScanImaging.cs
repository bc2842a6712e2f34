namespace Harness.Dpws.Scan;

/// <summary>Which side of a sheet an image shows.</summary>
public enum ScanSide
{
    /// <summary>MediaFront.</summary>
    Front,

    /// <summary>MediaBack (ADFDuplex).</summary>
    Back,
}

/// <summary>One image to produce: its number in the job, side, pixel size and colour mode.</summary>
/// <param name="Number">1-based image number in the job.</param>
/// <param name="Side">Front or back.</param>
/// <param name="Sheet">1-based sheet number (ADF), or the image number for the platen.</param>
/// <param name="PixelWidth">PixelsPerLine.</param>
/// <param name="PixelHeight">NumberOfLines.</param>
/// <param name="DpiX">Horizontal resolution after scaling (dots per inch).</param>
/// <param name="DpiY">Vertical resolution after scaling.</param>
/// <param name="ColorProcessing">ColorProcessing (BlackAndWhite1, Grayscale8, RGB24, …).</param>
public sealed record ScanPage(int Number, ScanSide Side, int Sheet, int PixelWidth, int PixelHeight, int DpiX, int DpiY, string ColorProcessing);

/// <summary>What a <see cref="IScanImageSource"/> is asked to produce: one file holding one page, or several for a multi-page format.</summary>
/// <param name="JobId">The job.</param>
/// <param name="DeviceName">The scanner's name (ScannerName).</param>
/// <param name="Format">The final Format (png, jfif, exif, pdf-a, …).</param>
/// <param name="FinalParameters">The job's DocumentFinalParameters.</param>
/// <param name="Pages">The pages, in order (one unless the format is multi-page).</param>
public sealed record ScanImageRequest(int JobId, string DeviceName, string Format, ScanDocumentParameters FinalParameters, IReadOnlyList<ScanPage> Pages)
{
    /// <summary>CompressionQualityFactor for lossy formats (1–100).</summary>
    public int Quality { get; init; } = 85;
}

/// <summary>The produced file, or why it could not be produced (a typed failure, never an exception for a big request).</summary>
public sealed record ScanImageResult
{
    private ScanImageResult(ReadOnlyMemory<byte> content, string contentType, string? error)
    {
        Content = content;
        ContentType = contentType;
        Error = error;
    }

    /// <summary>The file bytes.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>Its MIME type.</summary>
    public string ContentType { get; }

    /// <summary>Why nothing was produced, or null.</summary>
    public string? Error { get; }

    /// <summary>True when <see cref="Error"/> is null.</summary>
    public bool Success => Error is null;

    /// <summary>A produced file.</summary>
    public static ScanImageResult Of(ReadOnlyMemory<byte> content, string contentType)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        return new(content, contentType, null);
    }

    /// <summary>A failure (the service answers ServerErrorInternalError and aborts the job).</summary>
    public static ScanImageResult Failure(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new(ReadOnlyMemory<byte>.Empty, "application/octet-stream", error);
    }
}

/// <summary>Produces the image files of a scan job (the simulator's test-page renderer implements it).</summary>
public interface IScanImageSource
{
    /// <summary>Produces the file for <paramref name="request"/>.</summary>
    ValueTask<ScanImageResult> RenderAsync(ScanImageRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Pixel geometry of a job from its final parameters: size in 1/1000 inch × resolution (dpi) × scaling (%) / 1000 /
/// 100, rotation 90/270 swapping the axes. US Letter (8500 × 11000) at 300 dpi is 2550 × 3300 pixels.
/// </summary>
public static class ScanGeometry
{
    /// <summary>The largest image the service and renderer accept: 100 megapixels.</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>The image information of one side (back: MediaBack, or MediaFront when absent).</summary>
    public static ScanImageInfo Compute(ScanDocumentParameters final, ScanSide side = ScanSide.Front)
    {
        var page = Page(final, 1, side, 1);
        var bits = Math.Max(1, ScanValues.BitsPerPixel(page.ColorProcessing));
        var bytesPerLine = (int)Math.Min(int.MaxValue, ((long)page.PixelWidth * bits + 7) / 8);
        return new ScanImageInfo(page.PixelWidth, page.PixelHeight, bytesPerLine);
    }

    /// <summary>The ImageInformation of a job (a back image only for ADFDuplex).</summary>
    public static ScanImageInformation Information(ScanDocumentParameters final) =>
        new(Compute(final), final.InputSource?.Value == ScanValues.AdfDuplex ? Compute(final, ScanSide.Back) : null);

    /// <summary>The page description a renderer gets for image <paramref name="number"/>.</summary>
    public static ScanPage Page(ScanDocumentParameters final, int number, ScanSide side, int sheet)
    {
        ArgumentNullException.ThrowIfNull(final);
        var media = side == ScanSide.Back ? final.MediaSides?.Back ?? final.MediaSides?.Front : final.MediaSides?.Front;
        var region = media?.ScanRegion;
        var width = region?.Width?.Value ?? final.InputSize?.Width?.Value ?? 0;
        var height = region?.Height?.Value ?? final.InputSize?.Height?.Value ?? 0;
        var dpiX = media?.Resolution?.Width?.Value ?? 0;
        var dpiY = media?.Resolution?.Height?.Value ?? dpiX;
        var scaleX = final.Scaling?.Width?.Value ?? 100;
        var scaleY = final.Scaling?.Height?.Value ?? 100;
        var pixelsX = Pixels(width, dpiX, scaleX);
        var pixelsY = Pixels(height, dpiY, scaleY);
        var effectiveX = (int)Math.Clamp((long)dpiX * scaleX / 100, 0, int.MaxValue);
        var effectiveY = (int)Math.Clamp((long)dpiY * scaleY / 100, 0, int.MaxValue);
        if (final.Rotation?.Value is 90 or 270)
        {
            (pixelsX, pixelsY) = (pixelsY, pixelsX);
            (effectiveX, effectiveY) = (effectiveY, effectiveX);
        }

        return new ScanPage(number, side, sheet, pixelsX, pixelsY, effectiveX, effectiveY, media?.ColorProcessing?.Value ?? ScanValues.Rgb24);
    }

    /// <summary>True when the page is larger than <see cref="MaxPixels"/> (or empty).</summary>
    public static bool IsAbsurd(ScanPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.PixelWidth <= 0 || page.PixelHeight <= 0 || (long)page.PixelWidth * page.PixelHeight > MaxPixels;
    }

    private static int Pixels(int thousandths, int dpi, int scalePercent)
    {
        var value = ((long)Math.Max(0, thousandths) * Math.Max(0, dpi) * Math.Max(0, scalePercent) + 50_000) / 100_000;
        return (int)Math.Min(value, int.MaxValue);
    }
}
