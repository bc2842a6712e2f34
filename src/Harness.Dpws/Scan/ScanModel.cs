namespace Harness.Dpws.Scan;

/// <summary>
/// The Boolean attributes WS-Scan puts on ticket elements: <c>wscn:MustHonor</c> (in a ScanTicket: the device must
/// honour the value or reject the job) and <c>wscn:Override</c> / <c>wscn:UsedDefault</c> (in DocumentFinalParameters:
/// the device replaced the requested value / used its default). Null means the attribute is absent.
/// </summary>
/// <param name="MustHonor">The <c>MustHonor</c> attribute.</param>
/// <param name="Override">The <c>Override</c> attribute.</param>
/// <param name="UsedDefault">The <c>UsedDefault</c> attribute.</param>
public readonly record struct ScanAttributes(bool? MustHonor = null, bool? Override = null, bool? UsedDefault = null)
{
    /// <summary>No attribute.</summary>
    public static ScanAttributes None => default;

    /// <summary><c>MustHonor="true"</c>.</summary>
    public static ScanAttributes Required => new(MustHonor: true);

    /// <summary><c>Override="true"</c>.</summary>
    public static ScanAttributes Overridden => new(Override: true);

    /// <summary><c>UsedDefault="true"</c>.</summary>
    public static ScanAttributes Defaulted => new(UsedDefault: true);

    /// <summary>True when <see cref="MustHonor"/> is present and true.</summary>
    public bool IsRequired => MustHonor == true;
}

/// <summary>A ticket value with its WS-Scan attributes.</summary>
/// <typeparam name="T">The value type (int, string).</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Attributes">The MustHonor / Override / UsedDefault attributes.</param>
public sealed record ScanValue<T>(T Value, ScanAttributes Attributes = default)
    where T : notnull
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString() ?? string.Empty;
}

/// <summary>Creates <see cref="ScanValue{T}"/> values.</summary>
public static class ScanValue
{
    /// <summary>A value without attributes.</summary>
    public static ScanValue<T> Of<T>(T value)
        where T : notnull => new(value);

    /// <summary>A value with <c>MustHonor="true"</c>.</summary>
    public static ScanValue<T> Required<T>(T value)
        where T : notnull => new(value, ScanAttributes.Required);
}

/// <summary>A width and height pair: sizes in 1/1000 inch, resolutions in dots per inch.</summary>
/// <param name="Width">The width.</param>
/// <param name="Height">The height.</param>
public readonly record struct ScanSize(int Width, int Height);

/// <summary>An inclusive integer range (<c>MinValue</c>/<c>MaxValue</c>).</summary>
/// <param name="Min">The minimum.</param>
/// <param name="Max">The maximum.</param>
public readonly record struct ScanRange(int Min, int Max)
{
    /// <summary>True when <paramref name="value"/> lies in the range.</summary>
    public bool Contains(int value) => value >= Min && value <= Max;

    /// <summary>The nearest value in the range.</summary>
    public int Clamp(int value) => Math.Clamp(value, Min, Max);
}

/// <summary>The WS-Scan string values used by the model (the lists are extensible; these are the documented ones).</summary>
public static class ScanValues
{
    /// <summary>InputSource <c>Platen</c>.</summary>
    public const string Platen = "Platen";

    /// <summary>InputSource <c>ADF</c> (front sides only).</summary>
    public const string Adf = "ADF";

    /// <summary>InputSource <c>ADFDuplex</c> (both sides).</summary>
    public const string AdfDuplex = "ADFDuplex";

    /// <summary>InputSource <c>Film</c>.</summary>
    public const string Film = "Film";

    /// <summary>ColorProcessing <c>BlackAndWhite1</c>.</summary>
    public const string BlackAndWhite1 = "BlackAndWhite1";

    /// <summary>ColorProcessing <c>Grayscale4</c>.</summary>
    public const string Grayscale4 = "Grayscale4";

    /// <summary>ColorProcessing <c>Grayscale8</c>.</summary>
    public const string Grayscale8 = "Grayscale8";

    /// <summary>ColorProcessing <c>Grayscale16</c>.</summary>
    public const string Grayscale16 = "Grayscale16";

    /// <summary>ColorProcessing <c>RGB24</c>.</summary>
    public const string Rgb24 = "RGB24";

    /// <summary>ColorProcessing <c>RGB48</c>.</summary>
    public const string Rgb48 = "RGB48";

    /// <summary>ColorProcessing <c>RGBa32</c>.</summary>
    public const string Rgba32 = "RGBa32";

    /// <summary>ColorProcessing <c>RGBa64</c>.</summary>
    public const string Rgba64 = "RGBa64";

    /// <summary>Format <c>jfif</c> (JPEG).</summary>
    public const string Jfif = "jfif";

    /// <summary>Format <c>exif</c> (JPEG with Exif).</summary>
    public const string Exif = "exif";

    /// <summary>Format <c>png</c>.</summary>
    public const string Png = "png";

    /// <summary>Format <c>pdf-a</c>.</summary>
    public const string PdfA = "pdf-a";

    /// <summary>Format <c>dib</c>.</summary>
    public const string Dib = "dib";

    /// <summary>ContentType <c>Auto</c>.</summary>
    public const string Auto = "Auto";

    /// <summary>The bits per pixel of a ColorProcessing value (0 when unknown).</summary>
    public static int BitsPerPixel(string colorProcessing) => colorProcessing switch
    {
        BlackAndWhite1 => 1,
        Grayscale4 => 4,
        Grayscale8 => 8,
        Grayscale16 => 16,
        Rgb24 => 24,
        Rgb48 => 48,
        Rgba32 => 32,
        Rgba64 => 64,
        _ => 0,
    };

    /// <summary>
    /// True for the formats that hold several images in one file (<c>pdf-a</c>, <c>tiff-multi-*</c>, <c>xps</c>): one
    /// RetrieveImage returns every image of the job (MS RetrieveImageResponse remarks).
    /// </summary>
    public static bool IsMultiPageFormat(string format) =>
        format == PdfA || format == "xps" || format.StartsWith("tiff-multi-", StringComparison.Ordinal);

    /// <summary>The MIME type of a Format value.</summary>
    public static string MediaTypeOf(string format) => format switch
    {
        Jfif or Exif => "image/jpeg",
        Png => "image/png",
        PdfA => "application/pdf",
        Dib => "image/bmp",
        "jpeg2k" => "image/jp2",
        "xps" => "application/vnd.ms-xpsdocument",
        _ when format.StartsWith("tiff-", StringComparison.Ordinal) => "image/tiff",
        _ => "application/octet-stream",
    };
}

/// <summary>ScannerDescription: the name, information and location strings.</summary>
/// <param name="Name">ScannerName (required).</param>
/// <param name="Info">ScannerInfo, or null.</param>
/// <param name="Location">ScannerLocation, or null.</param>
public sealed record ScannerDescription(string Name, string? Info = null, string? Location = null)
{
    /// <summary>The <c>xml:lang</c> of the strings, or null.</summary>
    public string? Language { get; init; }
}

/// <summary>DeviceSettings of ScannerConfiguration.</summary>
public sealed record ScanDeviceSettings
{
    /// <summary>FormatsSupported/FormatValue (non-empty, WSD-SCN-003).</summary>
    public IReadOnlyList<string> FormatsSupported { get; init; } = [];

    /// <summary>CompressionQualityFactorSupported, or null.</summary>
    public ScanRange? CompressionQualityFactorSupported { get; init; }

    /// <summary>ContentTypesSupported/ContentTypeValue.</summary>
    public IReadOnlyList<string> ContentTypesSupported { get; init; } = [];

    /// <summary>DocumentSizeAutoDetectSupported.</summary>
    public bool DocumentSizeAutoDetectSupported { get; init; }

    /// <summary>AutoExposureSupported.</summary>
    public bool AutoExposureSupported { get; init; }

    /// <summary>BrightnessSupported.</summary>
    public bool BrightnessSupported { get; init; }

    /// <summary>ContrastSupported.</summary>
    public bool ContrastSupported { get; init; }

    /// <summary>ScalingRangeSupported/ScalingWidth, or null.</summary>
    public ScanRange? ScalingWidthSupported { get; init; }

    /// <summary>ScalingRangeSupported/ScalingHeight, or null.</summary>
    public ScanRange? ScalingHeightSupported { get; init; }

    /// <summary>RotationsSupported/RotationValue.</summary>
    public IReadOnlyList<int> RotationsSupported { get; init; } = [];
}

/// <summary>The capabilities of one input: Platen, ADFFront or ADFBack (elements prefixed Platen or ADF).</summary>
public sealed record ScanSourceCapabilities
{
    /// <summary>OpticalResolution (dpi).</summary>
    public ScanSize OpticalResolution { get; init; }

    /// <summary>Resolutions/Widths/Width (dpi).</summary>
    public IReadOnlyList<int> ResolutionWidths { get; init; } = [];

    /// <summary>Resolutions/Heights/Height (dpi).</summary>
    public IReadOnlyList<int> ResolutionHeights { get; init; } = [];

    /// <summary>Color/ColorEntry values.</summary>
    public IReadOnlyList<string> ColorModes { get; init; } = [];

    /// <summary>MinimumSize (1/1000 inch).</summary>
    public ScanSize MinimumSize { get; init; }

    /// <summary>MaximumSize (1/1000 inch).</summary>
    public ScanSize MaximumSize { get; init; }

    /// <summary>True when the resolution pair is offered (a height list that is empty means "same as the widths").</summary>
    public bool SupportsResolution(int width, int height) =>
        ResolutionWidths.Contains(width) && (ResolutionHeights.Count == 0 ? ResolutionWidths.Contains(height) : ResolutionHeights.Contains(height));
}

/// <summary>The ADF element: duplex support and the front (and optional back) capabilities.</summary>
public sealed record ScanAdfCapabilities
{
    /// <summary>ADFSupportsDuplex.</summary>
    public bool SupportsDuplex { get; init; }

    /// <summary>ADFFront (required when there is an ADF).</summary>
    public ScanSourceCapabilities? Front { get; init; }

    /// <summary>ADFBack, or null (duplex without ADFBack means "same as front").</summary>
    public ScanSourceCapabilities? Back { get; init; }
}

/// <summary>ScannerConfiguration: device settings, platen and ADF (Film is not modelled).</summary>
public sealed record ScannerConfiguration
{
    /// <summary>DeviceSettings.</summary>
    public ScanDeviceSettings DeviceSettings { get; init; } = new();

    /// <summary>Platen, or null when the scanner has none.</summary>
    public ScanSourceCapabilities? Platen { get; init; }

    /// <summary>ADF, or null when the scanner has none.</summary>
    public ScanAdfCapabilities? Adf { get; init; }

    /// <summary>The capabilities that apply to an InputSource and side (ADFDuplex back: ADFBack, or ADFFront without it); null when unsupported.</summary>
    public ScanSourceCapabilities? CapabilitiesFor(string inputSource, bool back = false) => inputSource switch
    {
        ScanValues.Platen => back ? null : Platen,
        ScanValues.Adf => back ? null : Adf?.Front,
        ScanValues.AdfDuplex when Adf is { SupportsDuplex: true } adf => back ? adf.Back ?? adf.Front : adf.Front,
        _ => null,
    };

    /// <summary>The InputSource values this configuration supports, platen first.</summary>
    public IReadOnlyList<string> InputSources
    {
        get
        {
            var list = new List<string>(3);
            if (Platen is not null)
            {
                list.Add(ScanValues.Platen);
            }

            if (Adf?.Front is not null)
            {
                list.Add(ScanValues.Adf);
                if (Adf.SupportsDuplex)
                {
                    list.Add(ScanValues.AdfDuplex);
                }
            }

            return list;
        }
    }
}

/// <summary>One DeviceCondition of ScannerStatus/ActiveConditions (and of ScannerStatusConditionEvent).</summary>
/// <param name="Id">The <c>Id</c> attribute.</param>
/// <param name="Time">When it arose.</param>
/// <param name="Name">The condition, e.g. MediaJam.</param>
/// <param name="Component">The component, e.g. MediaPath, Platen, ADF.</param>
/// <param name="Severity">Informational, Warning or Critical.</param>
public sealed record ScanDeviceCondition(int Id, DateTimeOffset Time, string Name, string Component, string Severity);

/// <summary>ScannerStatus.</summary>
public sealed record ScannerStatus
{
    /// <summary>ScannerCurrentTime.</summary>
    public DateTimeOffset? CurrentTime { get; init; }

    /// <summary>ScannerState: Idle, Processing or Stopped (extensible).</summary>
    public string State { get; init; } = ScannerStates.Idle;

    /// <summary>ScannerStateReasons/ScannerStateReason.</summary>
    public IReadOnlyList<string> StateReasons { get; init; } = [];

    /// <summary>ActiveConditions/DeviceCondition.</summary>
    public IReadOnlyList<ScanDeviceCondition> ActiveConditions { get; init; } = [];
}

/// <summary>The documented ScannerState values and common ScannerStateReason values.</summary>
public static class ScannerStates
{
    /// <summary>Idle.</summary>
    public const string Idle = "Idle";

    /// <summary>Processing.</summary>
    public const string Processing = "Processing";

    /// <summary>Stopped.</summary>
    public const string Stopped = "Stopped";

    /// <summary>The ScannerStateReason that says there is nothing to report.</summary>
    public const string ReasonNone = "None";

    /// <summary>The documented ScannerState values.</summary>
    public static IReadOnlyList<string> All { get; } = [Idle, Processing, Stopped];
}

/// <summary>The documented JobState values (MS "JobState element").</summary>
public static class ScanJobStates
{
    /// <summary>Aborted: the system aborted the job.</summary>
    public const string Aborted = "Aborted";

    /// <summary>Canceled: by CancelJob or at the device.</summary>
    public const string Canceled = "Canceled";

    /// <summary>Completed: all image data has been sent.</summary>
    public const string Completed = "Completed";

    /// <summary>Creating: being initialised.</summary>
    public const string Creating = "Creating";

    /// <summary>Held.</summary>
    public const string Held = "Held";

    /// <summary>Pending: waiting to be processed.</summary>
    public const string Pending = "Pending";

    /// <summary>Processing: being digitised or transferred.</summary>
    public const string Processing = "Processing";

    /// <summary>Started: transient, typically only seen in a JobStatusEvent.</summary>
    public const string Started = "Started";

    /// <summary>Terminating: being canceled or aborted.</summary>
    public const string Terminating = "Terminating";

    /// <summary>The documented values.</summary>
    public static IReadOnlyList<string> All { get; } = [Aborted, Canceled, Completed, Creating, Held, Pending, Processing, Started, Terminating];

    /// <summary>True for Completed, Aborted and Canceled.</summary>
    public static bool IsTerminal(string state) => state is Completed or Aborted or Canceled;
}

/// <summary>
/// The documented JobStateReason values (MS "JobStateReason element"). The WS-Scan list has no "completed
/// successfully" or "canceled by user" reason (those are WS-Print's); Microsoft's own examples answer <c>None</c>
/// for a completed job, and the service does so for completion and client cancellation too.
/// </summary>
public static class ScanJobStateReasons
{
    /// <summary>InvalidScanTicket.</summary>
    public const string InvalidScanTicket = "InvalidScanTicket";

    /// <summary>DocumentFormatError.</summary>
    public const string DocumentFormatError = "DocumentFormatError";

    /// <summary>ImageTransferError: the transfer failed and the job is aborted.</summary>
    public const string ImageTransferError = "ImageTransferError";

    /// <summary>JobCanceledAtDevice: canceled at the front panel.</summary>
    public const string JobCanceledAtDevice = "JobCanceledAtDevice";

    /// <summary>JobCompletedWithErrors.</summary>
    public const string JobCompletedWithErrors = "JobCompletedWithErrors";

    /// <summary>JobCompletedWithWarnings: e.g. the service altered the ticket.</summary>
    public const string JobCompletedWithWarnings = "JobCompletedWithWarnings";

    /// <summary>JobScanning.</summary>
    public const string JobScanning = "JobScanning";

    /// <summary>JobScanningAndTransferring.</summary>
    public const string JobScanningAndTransferring = "JobScanningAndTransferring";

    /// <summary>JobTimedOut: no RetrieveImage followed in time (about 60 s).</summary>
    public const string JobTimedOut = "JobTimedOut";

    /// <summary>JobTransferring.</summary>
    public const string JobTransferring = "JobTransferring";

    /// <summary>None: nothing more to say.</summary>
    public const string None = "None";

    /// <summary>ScannerStopped: an active condition stops the job.</summary>
    public const string ScannerStopped = "ScannerStopped";

    /// <summary>The documented values.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        InvalidScanTicket, DocumentFormatError, ImageTransferError, JobCanceledAtDevice, JobCompletedWithErrors, JobCompletedWithWarnings,
        JobScanning, JobScanningAndTransferring, JobTimedOut, JobTransferring, None, ScannerStopped,
    ];
}

/// <summary>JobDescription of a ScanTicket.</summary>
/// <param name="JobName">JobName.</param>
/// <param name="JobOriginatingUserName">JobOriginatingUserName.</param>
/// <param name="JobInformation">JobInformation, or null (Canon TR7500 refuses a job without it: quirk Q-JOBINFO).</param>
public sealed record ScanJobDescription(string JobName, string JobOriginatingUserName, string? JobInformation = null);

/// <summary>InputSize: DocumentSizeAutoDetect and InputMediaSize (1/1000 inch).</summary>
public sealed record ScanInputSize
{
    /// <summary>The attributes of InputSize itself (MustHonor).</summary>
    public ScanAttributes Attributes { get; init; }

    /// <summary>DocumentSizeAutoDetect, or null.</summary>
    public bool? DocumentSizeAutoDetect { get; init; }

    /// <summary>InputMediaSize/Width, or null.</summary>
    public ScanValue<int>? Width { get; init; }

    /// <summary>InputMediaSize/Height, or null.</summary>
    public ScanValue<int>? Height { get; init; }
}

/// <summary>Exposure: AutoExposure and ExposureSettings (Contrast, Brightness, Sharpness, -1000..1000).</summary>
public sealed record ScanExposure
{
    /// <summary>The attributes of Exposure itself (MustHonor).</summary>
    public ScanAttributes Attributes { get; init; }

    /// <summary>AutoExposure, or null.</summary>
    public bool? AutoExposure { get; init; }

    /// <summary>ExposureSettings/Contrast, or null.</summary>
    public ScanValue<int>? Contrast { get; init; }

    /// <summary>ExposureSettings/Brightness, or null.</summary>
    public ScanValue<int>? Brightness { get; init; }

    /// <summary>ExposureSettings/Sharpness, or null.</summary>
    public ScanValue<int>? Sharpness { get; init; }
}

/// <summary>Scaling: ScalingWidth and ScalingHeight in percent (100 = 1:1).</summary>
public sealed record ScanScaling
{
    /// <summary>The attributes of Scaling itself (MustHonor).</summary>
    public ScanAttributes Attributes { get; init; }

    /// <summary>ScalingWidth.</summary>
    public ScanValue<int>? Width { get; init; }

    /// <summary>ScalingHeight.</summary>
    public ScanValue<int>? Height { get; init; }
}

/// <summary>ScanRegion of a media side (1/1000 inch).</summary>
public sealed record ScanRegion
{
    /// <summary>ScanRegionXOffset.</summary>
    public ScanValue<int>? XOffset { get; init; }

    /// <summary>ScanRegionYOffset.</summary>
    public ScanValue<int>? YOffset { get; init; }

    /// <summary>ScanRegionWidth.</summary>
    public ScanValue<int>? Width { get; init; }

    /// <summary>ScanRegionHeight.</summary>
    public ScanValue<int>? Height { get; init; }
}

/// <summary>Resolution of a media side (dpi).</summary>
public sealed record ScanResolution
{
    /// <summary>The attributes of Resolution itself (MustHonor).</summary>
    public ScanAttributes Attributes { get; init; }

    /// <summary>Width (dpi).</summary>
    public ScanValue<int>? Width { get; init; }

    /// <summary>Height (dpi); absent means the same as the width.</summary>
    public ScanValue<int>? Height { get; init; }
}

/// <summary>MediaFront or MediaBack: ScanRegion, ColorProcessing and Resolution.</summary>
public sealed record ScanMediaSide
{
    /// <summary>ScanRegion, or null.</summary>
    public ScanRegion? ScanRegion { get; init; }

    /// <summary>ColorProcessing, or null.</summary>
    public ScanValue<string>? ColorProcessing { get; init; }

    /// <summary>Resolution, or null.</summary>
    public ScanResolution? Resolution { get; init; }
}

/// <summary>MediaSides: MediaFront and the optional MediaBack.</summary>
public sealed record ScanMediaSides
{
    /// <summary>The attributes of MediaSides itself (MustHonor).</summary>
    public ScanAttributes Attributes { get; init; }

    /// <summary>MediaFront.</summary>
    public ScanMediaSide? Front { get; init; }

    /// <summary>MediaBack (ADFDuplex), or null.</summary>
    public ScanMediaSide? Back { get; init; }
}

/// <summary>DocumentParameters (in a ScanTicket) or DocumentFinalParameters (in a job's answer): same shape.</summary>
public sealed record ScanDocumentParameters
{
    /// <summary>Format.</summary>
    public ScanValue<string>? Format { get; init; }

    /// <summary>CompressionQualityFactor.</summary>
    public ScanValue<int>? CompressionQualityFactor { get; init; }

    /// <summary>ImagesToTransfer (0 = until the ADF is empty; one image from the platen).</summary>
    public ScanValue<int>? ImagesToTransfer { get; init; }

    /// <summary>InputSource: Platen, ADF, ADFDuplex or Film.</summary>
    public ScanValue<string>? InputSource { get; init; }

    /// <summary>ContentType: Auto, Text, Photo, Halftone, Mixed.</summary>
    public ScanValue<string>? ContentType { get; init; }

    /// <summary>InputSize.</summary>
    public ScanInputSize? InputSize { get; init; }

    /// <summary>Exposure.</summary>
    public ScanExposure? Exposure { get; init; }

    /// <summary>Scaling.</summary>
    public ScanScaling? Scaling { get; init; }

    /// <summary>Rotation (0, 90, 180, 270).</summary>
    public ScanValue<int>? Rotation { get; init; }

    /// <summary>MediaSides.</summary>
    public ScanMediaSides? MediaSides { get; init; }
}

/// <summary>A ScanTicket (also DefaultScanTicket and ValidScanTicket): JobDescription and DocumentParameters.</summary>
public sealed record ScanTicket
{
    /// <summary>JobDescription, or null.</summary>
    public ScanJobDescription? JobDescription { get; init; }

    /// <summary>DocumentParameters.</summary>
    public ScanDocumentParameters DocumentParameters { get; init; } = new();
}

/// <summary>MediaFrontImageInfo / MediaBackImageInfo of ImageInformation.</summary>
/// <param name="PixelsPerLine">PixelsPerLine.</param>
/// <param name="NumberOfLines">NumberOfLines.</param>
/// <param name="BytesPerLine">BytesPerLine.</param>
public sealed record ScanImageInfo(int PixelsPerLine, int NumberOfLines, int BytesPerLine);

/// <summary>ImageInformation: the front image and, for duplex, the back image.</summary>
/// <param name="Front">MediaFrontImageInfo.</param>
/// <param name="Back">MediaBackImageInfo, or null.</param>
public sealed record ScanImageInformation(ScanImageInfo Front, ScanImageInfo? Back = null);
