using Harness.Dpws.Scan;
using SkiaSharp;

namespace Harness.Simulators.Imaging;

/// <summary>
/// The simulated scanner's images: a test page rendered with SkiaSharp at the page's pixel size (size in 1/1000 inch ×
/// dpi, computed by <see cref="ScanGeometry"/>) and colour mode, showing the device name, job id, image number and
/// side, a resolution ruler (ticks every 1/10 inch, numbered inches), colour bars and a grey ramp. Deterministic: the
/// same request gives the same bytes (text is drawn with a built-in 5×7 pixel font, so no system font is involved).
/// Encodes PNG (<c>png</c>), JPEG (<c>jfif</c>, <c>exif</c>) and PDF (<c>pdf-a</c>): a PDF holds every page of the
/// request in one document, so an ADF job in a multi-page format is one file (Microsoft's RetrieveImageResponse
/// remarks), each page sized pixels × 72 / dpi points. BlackAndWhite1 is rendered as pure black and white pixels
/// (an 8-bit grey image holding only 0 and 255: PNG and JPEG have no 1-bit form in Skia's encoders), Grayscale4/8/16
/// as 8-bit grey, RGB24 and wider as RGB. A page over <see cref="ScanGeometry.MaxPixels"/> is refused with a typed
/// failure before any memory is allocated.
/// </summary>
public sealed class TestPageRenderer : IScanImageSource
{
    private static readonly SKColor[] Bars =
    [
        SKColors.White, new SKColor(255, 255, 0), new SKColor(0, 255, 255), new SKColor(0, 255, 0),
        new SKColor(255, 0, 255), new SKColor(255, 0, 0), new SKColor(0, 0, 255), SKColors.Black,
    ];

    private static readonly DateTime FixedDate = new(2006, 8, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The formats this renderer produces.</summary>
    public static IReadOnlyList<string> Formats { get; } = [ScanValues.Png, ScanValues.Jfif, ScanValues.Exif, ScanValues.PdfA];

    /// <inheritdoc />
    public ValueTask<ScanImageResult> RenderAsync(ScanImageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Render(request, cancellationToken));
    }

    /// <summary>Renders synchronously (see the class remarks).</summary>
    public static ScanImageResult Render(ScanImageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Pages.Count == 0)
        {
            return ScanImageResult.Failure("No page to render.");
        }

        foreach (var page in request.Pages)
        {
            if (ScanGeometry.IsAbsurd(page))
            {
                return ScanImageResult.Failure($"Page {page.Number} is {page.PixelWidth} × {page.PixelHeight} pixels; the limit is {ScanGeometry.MaxPixels} pixels.");
            }
        }

        var mediaType = ScanValues.MediaTypeOf(request.Format);
        switch (request.Format)
        {
            case ScanValues.Png:
            case ScanValues.Jfif:
            case ScanValues.Exif:
                {
                    using var bitmap = RenderPage(request, request.Pages[0]);
                    if (bitmap is null)
                    {
                        return ScanImageResult.Failure("The page bitmap could not be allocated.");
                    }

                    var quality = Math.Clamp(request.Quality, 1, 100);
                    using var data = request.Format == ScanValues.Png
                        ? bitmap.PeekPixels().Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))
                        : bitmap.PeekPixels().Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore));
                    return data is null ? ScanImageResult.Failure("The encoder failed.") : ScanImageResult.Of(data.ToArray(), mediaType);
                }

            case ScanValues.PdfA:
                return RenderPdf(request, cancellationToken);
            default:
                return ScanImageResult.Failure($"The test-page renderer does not produce format '{request.Format}'.");
        }
    }

    /// <summary>Renders one page as a bitmap (Gray8 for grey and black-and-white modes, Rgba8888 otherwise); null when it cannot be allocated.</summary>
    public static SKBitmap? RenderPage(ScanImageRequest request, ScanPage page)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(page);
        if (ScanGeometry.IsAbsurd(page))
        {
            return null;
        }

        var color = new SKBitmap();
        if (!color.TryAllocPixels(new SKImageInfo(page.PixelWidth, page.PixelHeight, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            color.Dispose();
            return null;
        }

        using (var canvas = new SKCanvas(color))
        {
            Draw(canvas, request, page);
        }

        var bits = ScanValues.BitsPerPixel(page.ColorProcessing);
        var gray = page.ColorProcessing is ScanValues.BlackAndWhite1 || page.ColorProcessing.StartsWith("Grayscale", StringComparison.Ordinal);
        if (!gray)
        {
            return color;
        }

        using (color)
        {
            var grey = new SKBitmap();
            if (!grey.TryAllocPixels(new SKImageInfo(page.PixelWidth, page.PixelHeight, SKColorType.Gray8, SKAlphaType.Opaque)))
            {
                grey.Dispose();
                return null;
            }

            ToGray(color, grey, bits);
            return grey;
        }
    }

    private static ScanImageResult RenderPdf(ScanImageRequest request, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"Scan job {request.JobId}",
            Creator = request.DeviceName,
            Producer = "Harness test-page renderer",
            Creation = FixedDate,
            Modified = FixedDate,
            RasterDpi = 300,
            PdfA = true,
            EncodingQuality = Math.Clamp(request.Quality, 1, 100),
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            if (document is null)
            {
                return ScanImageResult.Failure("The PDF writer could not be created.");
            }

            foreach (var page in request.Pages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var bitmap = RenderPage(request, page);
                if (bitmap is null)
                {
                    return ScanImageResult.Failure("The page bitmap could not be allocated.");
                }

                var width = page.PixelWidth * 72f / Math.Max(1, page.DpiX);
                var height = page.PixelHeight * 72f / Math.Max(1, page.DpiY);
                var canvas = document.BeginPage(width, height);
                using (var image = SKImage.FromBitmap(bitmap))
                {
                    canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Nearest));
                }

                document.EndPage();
            }

            document.Close();
        }

        return ScanImageResult.Of(stream.ToArray(), "application/pdf");
    }

    private static void ToGray(SKBitmap color, SKBitmap grey, int bits)
    {
        var source = color.GetPixelSpan();
        var target = grey.GetPixelSpan();
        var sourceStride = color.RowBytes;
        var targetStride = grey.RowBytes;
        for (var y = 0; y < color.Height; y++)
        {
            var row = source.Slice(y * sourceStride, color.Width * 4);
            var outRow = target.Slice(y * targetStride, grey.Width);
            for (var x = 0; x < outRow.Length; x++)
            {
                // ITU-R BT.601 luma, integer arithmetic (deterministic).
                var luma = (byte)((row[x * 4] * 299 + row[(x * 4) + 1] * 587 + row[(x * 4) + 2] * 114 + 500) / 1000);
                outRow[x] = bits switch
                {
                    1 => luma >= 128 ? (byte)255 : (byte)0,
                    4 => (byte)((luma >> 4) * 17),
                    _ => luma,
                };
            }
        }
    }

    private static void Draw(SKCanvas canvas, ScanImageRequest request, ScanPage page)
    {
        var width = page.PixelWidth;
        var height = page.PixelHeight;
        var dpiX = Math.Max(1, page.DpiX);
        var dpiY = Math.Max(1, page.DpiY);
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { IsAntialias = false, Color = SKColors.Black, Style = SKPaintStyle.Fill };

        // Scale of decorations: about 1/100 inch per unit, at least one pixel.
        var unit = Math.Max(1, Math.Min(dpiX, dpiY) / 100);

        // Frame.
        Rect(canvas, paint, 0, 0, width, unit);
        Rect(canvas, paint, 0, height - unit, width, unit);
        Rect(canvas, paint, 0, 0, unit, height);
        Rect(canvas, paint, width - unit, 0, unit, height);

        // Resolution rulers along the top and left edges: a tick each 1/10 inch, longer each 1/2 inch, inch numbers.
        for (var tenth = 1; (long)tenth * dpiX / 10 < width; tenth++)
        {
            var x = (int)((long)tenth * dpiX / 10);
            var length = tenth % 10 == 0 ? 12 * unit : tenth % 5 == 0 ? 8 * unit : 4 * unit;
            Rect(canvas, paint, x, 0, unit, length);
            if (tenth % 10 == 0)
            {
                Text(canvas, paint, (tenth / 10).ToString(System.Globalization.CultureInfo.InvariantCulture), x + (2 * unit), 13 * unit, unit);
            }
        }

        for (var tenth = 1; (long)tenth * dpiY / 10 < height; tenth++)
        {
            var y = (int)((long)tenth * dpiY / 10);
            var length = tenth % 10 == 0 ? 12 * unit : tenth % 5 == 0 ? 8 * unit : 4 * unit;
            Rect(canvas, paint, 0, y, length, unit);
            if (tenth % 10 == 0)
            {
                Text(canvas, paint, (tenth / 10).ToString(System.Globalization.CultureInfo.InvariantCulture), 14 * unit, y + (2 * unit), unit);
            }
        }

        // Header text.
        var scale = Math.Max(1, 3 * unit);
        var left = 30 * unit;
        var top = 30 * unit;
        var line = 10 * scale;
        Text(canvas, paint, request.DeviceName, left, top, scale);
        Text(canvas, paint, $"JOB {request.JobId} IMAGE {page.Number} {(page.Side == ScanSide.Back ? "BACK" : "FRONT")} SHEET {page.Sheet}", left, top + line, scale);
        Text(canvas, paint, $"{page.DpiX}X{page.DpiY} DPI {page.ColorProcessing} {page.PixelWidth}X{page.PixelHeight} {request.Format}", left, top + (2 * line), scale);

        // Colour bars and grey ramp across the middle band.
        var barsTop = top + (4 * line);
        var barsHeight = Math.Max(unit, height / 8);
        var usable = Math.Max(1, width - (2 * left));
        for (var i = 0; i < Bars.Length; i++)
        {
            paint.Color = Bars[i];
            Rect(canvas, paint, left + (usable * i / Bars.Length), barsTop, (usable / Bars.Length) + 1, barsHeight);
        }

        var rampTop = barsTop + barsHeight + (4 * unit);
        for (var i = 0; i <= 10; i++)
        {
            var level = (byte)(255 - (i * 255 / 10));
            paint.Color = new SKColor(level, level, level);
            Rect(canvas, paint, left + (usable * i / 11), rampTop, (usable / 11) + 1, barsHeight / 2);
        }

        // The image number, large, below the bars; a cross and a circle to judge geometry.
        paint.Color = SKColors.Black;
        var bigScale = Math.Max(1, Math.Min(width, height) / 40);
        var numberText = page.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var numberTop = rampTop + (barsHeight / 2) + (8 * unit);
        Text(canvas, paint, numberText, (width - (numberText.Length * 6 * bigScale)) / 2, numberTop, bigScale);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = unit;
        var cx = width / 2f;
        var cy = (numberTop + (8 * bigScale) + height) / 2f;
        var radius = Math.Max(1f, Math.Min(width, height - (numberTop + (8 * bigScale))) / 3f);
        canvas.DrawCircle(cx, cy, radius, paint);
        canvas.DrawLine(cx - radius, cy, cx + radius, cy, paint);
        canvas.DrawLine(cx, cy - radius, cx, cy + radius, paint);
        paint.Style = SKPaintStyle.Fill;
    }

    private static void Rect(SKCanvas canvas, SKPaint paint, int x, int y, int width, int height)
    {
        if (width > 0 && height > 0)
        {
            canvas.DrawRect(x, y, width, height, paint);
        }
    }

    // A 5×7 pixel font: each glyph is seven rows of five bits (bit 4 = left column).
    private static void Text(SKCanvas canvas, SKPaint paint, string text, int x, int y, int scale)
    {
        var cursor = x;
        foreach (var raw in text.ToUpperInvariant())
        {
            var rows = Glyph(raw);
            for (var row = 0; row < 7; row++)
            {
                for (var column = 0; column < 5; column++)
                {
                    if ((rows[row] & (0x10 >> column)) != 0)
                    {
                        canvas.DrawRect(cursor + (column * scale), y + (row * scale), scale, scale, paint);
                    }
                }
            }

            cursor += 6 * scale;
        }
    }

    private static ReadOnlySpan<byte> Glyph(char c) => c switch
    {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '/' => [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
        ' ' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
        _ => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04],
    };
}
