using System.Text;
using System.Text.RegularExpressions;
using Harness.Dpws.Scan;
using Harness.Simulators.Imaging;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace Harness.Simulators.Tests.Imaging;

public sealed partial class TestPageRendererTests
{
    private static ScanDocumentParameters Final(int widthThousandths, int heightThousandths, int dpi, string color, string format, int rotation = 0) => new()
    {
        Format = ScanValue.Of(format),
        InputSource = ScanValue.Of(ScanValues.Platen),
        Rotation = ScanValue.Of(rotation),
        MediaSides = new ScanMediaSides
        {
            Front = new ScanMediaSide
            {
                ColorProcessing = ScanValue.Of(color),
                Resolution = new ScanResolution { Width = ScanValue.Of(dpi), Height = ScanValue.Of(dpi) },
                ScanRegion = new ScanRegion { XOffset = ScanValue.Of(0), YOffset = ScanValue.Of(0), Width = ScanValue.Of(widthThousandths), Height = ScanValue.Of(heightThousandths) },
            },
        },
    };

    private static ScanImageRequest Request(ScanDocumentParameters final, int pages = 1) =>
        new(7, "Harness Scanner", final.Format!.Value, final, [.. Enumerable.Range(1, pages).Select(n => ScanGeometry.Page(final, n, ScanSide.Front, n))]);

    private static SKCodec Decode(ScanImageResult result)
    {
        Assert.True(result.Success, result.Error);
        var codec = SKCodec.Create(new MemoryStream(result.Content.ToArray()));
        Assert.NotNull(codec);
        return codec;
    }

    [Fact]
    public void Render_LetterAt300DpiPng_2550By3300()
    {
        var result = TestPageRenderer.Render(Request(Final(8500, 11000, 300, ScanValues.Rgb24, ScanValues.Png)));

        using var codec = Decode(result);
        Assert.Equal("image/png", result.ContentType);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        Assert.Equal((2550, 3300), (codec.Info.Width, codec.Info.Height));
    }

    [Theory]
    [InlineData(ScanValues.Png, SKEncodedImageFormat.Png)]
    [InlineData(ScanValues.Jfif, SKEncodedImageFormat.Jpeg)]
    [InlineData(ScanValues.Exif, SKEncodedImageFormat.Jpeg)]
    public void Render_SmallA4At50Dpi_SizeIsInchesTimesDpi(string format, SKEncodedImageFormat expected)
    {
        // A4 is 8267 × 11692 thousandths of an inch: 413 × 585 pixels at 50 dpi.
        var result = TestPageRenderer.Render(Request(Final(8267, 11692, 50, ScanValues.Rgb24, format)));

        using var codec = Decode(result);
        Assert.Equal(expected, codec.EncodedFormat);
        Assert.Equal((413, 585), (codec.Info.Width, codec.Info.Height));
    }

    [Theory]
    [InlineData(ScanValues.Grayscale8, ScanValues.Png)]
    [InlineData(ScanValues.Grayscale8, ScanValues.Jfif)]
    [InlineData(ScanValues.BlackAndWhite1, ScanValues.Png)]
    public void Render_GreyModes_DecodeAsGray8(string color, string format)
    {
        using var codec = Decode(TestPageRenderer.Render(Request(Final(2000, 1000, 100, color, format))));

        Assert.Equal(SKColorType.Gray8, codec.Info.ColorType);
    }

    [Fact]
    public void Render_BlackAndWhite1_OnlyPureBlackAndWhitePixels()
    {
        using var codec = Decode(TestPageRenderer.Render(Request(Final(3000, 2000, 100, ScanValues.BlackAndWhite1, ScanValues.Png))));
        using var bitmap = SKBitmap.Decode(codec);

        var values = bitmap.GetPixelSpan().ToArray().Distinct().Order().ToArray();

        Assert.Equal(new byte[] { 0, 255 }, values);
    }

    [Fact]
    public void Render_Rgb24_HasColourBars()
    {
        using var codec = Decode(TestPageRenderer.Render(Request(Final(4000, 3000, 100, ScanValues.Rgb24, ScanValues.Png))));
        using var bitmap = SKBitmap.Decode(codec);

        var saturated = 0;
        for (var y = 0; y < bitmap.Height; y += 3)
        {
            for (var x = 0; x < bitmap.Width; x += 3)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 200)
                {
                    saturated++;
                }
            }
        }

        Assert.True(saturated > 50, $"only {saturated} saturated samples");
    }

    [Fact]
    public void Render_SameRequestTwice_SameBytes()
    {
        var request = Request(Final(3000, 3000, 75, ScanValues.Rgb24, ScanValues.Jfif));

        Assert.Equal(TestPageRenderer.Render(request).Content.ToArray(), TestPageRenderer.Render(request).Content.ToArray());
    }

    [Fact]
    public void Render_DifferentPageNumber_DifferentImage()
    {
        var final = Final(3000, 3000, 75, ScanValues.Grayscale8, ScanValues.Png);
        var one = new ScanImageRequest(7, "X", ScanValues.Png, final, [ScanGeometry.Page(final, 1, ScanSide.Front, 1)]);
        var two = one with { Pages = [ScanGeometry.Page(final, 2, ScanSide.Front, 2)] };

        Assert.NotEqual(TestPageRenderer.Render(one).Content.ToArray(), TestPageRenderer.Render(two).Content.ToArray());
    }

    [Fact]
    public void Render_Rotation90_SwapsWidthAndHeight()
    {
        using var codec = Decode(TestPageRenderer.Render(Request(Final(2000, 1000, 100, ScanValues.Rgb24, ScanValues.Png, rotation: 90))));

        Assert.Equal((100, 200), (codec.Info.Width, codec.Info.Height));
    }

    [Fact]
    public void Render_PdfThreePages_OnePdfWithThreePagesSizedInPoints()
    {
        var result = TestPageRenderer.Render(Request(Final(8500, 11000, 50, ScanValues.Grayscale8, ScanValues.PdfA), pages: 3));

        Assert.True(result.Success, result.Error);
        Assert.Equal("application/pdf", result.ContentType);
        var text = Encoding.Latin1.GetString(result.Content.Span);
        Assert.StartsWith("%PDF-", text, StringComparison.Ordinal);
        Assert.Equal(3, PageObject().Count(text));
        Assert.Matches(@"/Count 3\b", text);
        Assert.Contains("/MediaBox [0 0 612 792]", text, StringComparison.Ordinal); // Letter in points
    }

    [Fact]
    public void Render_AbsurdPixelCount_TypedFailureWithoutAllocation()
    {
        // 200 × 200 inches at 600 dpi: 14.4 gigapixels.
        var result = TestPageRenderer.Render(Request(Final(200_000, 200_000, 600, ScanValues.Rgb24, ScanValues.Png)));

        Assert.False(result.Success);
        Assert.Contains("limit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnsupportedFormat_TypedFailure()
    {
        Assert.False(TestPageRenderer.Render(Request(Final(1000, 1000, 75, ScanValues.Rgb24, "tiff-single-g4"))).Success);
    }

    [Fact]
    public async Task ScannerService_WithRenderer_RetrievedFileDecodesToTicketSize()
    {
        using var service = new ScannerService(new ScannerServiceOptions { AdfSheets = 2 }, new TestPageRenderer(), new FakeTimeProvider());
        var ticket = new ScanTicket
        {
            DocumentParameters = new ScanDocumentParameters
            {
                Format = ScanValue.Of(ScanValues.Jfif),
                InputSource = ScanValue.Of(ScanValues.AdfDuplex),
                ImagesToTransfer = ScanValue.Of(0),
                InputSize = new ScanInputSize { Width = ScanValue.Of(8267), Height = ScanValue.Of(11692) },
                MediaSides = new ScanMediaSides { Front = new ScanMediaSide { ColorProcessing = ScanValue.Of(ScanValues.Grayscale8), Resolution = new ScanResolution { Width = ScanValue.Of(75) } } },
            },
        };
        var job = service.CreateScanJob(new CreateScanJobRequest(ticket)).GetValueOrThrow();

        var sizes = new List<(int, int)>();
        while (await service.RetrieveImageAsync(new RetrieveImageRequest(job.JobId, job.JobToken)) is { IsSuccess: true } result)
        {
            using var codec = Decode(ScanImageResult.Of(result.Value!.Content, result.Value.ContentType));
            Assert.Equal(SKColorType.Gray8, codec.Info.ColorType);
            sizes.Add((codec.Info.Width, codec.Info.Height));
        }

        Assert.Equal((job.ImageInformation.Front.PixelsPerLine, job.ImageInformation.Front.NumberOfLines), (620, 877));
        Assert.Equal(Enumerable.Repeat((620, 877), 4), sizes); // two sheets, both sides
        Assert.Equal(0, service.AdfSheets);
    }

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PageObject();
}
