namespace Harness.Dpws.Scan;

/// <summary>Settings of a <see cref="ScannerService"/>. Validate with <see cref="Validate"/> (the service does).</summary>
public sealed record ScannerServiceOptions
{
    /// <summary>ScannerDescription.</summary>
    public ScannerDescription Description { get; init; } = new("Harness Scanner", "Simulated WS-Scan scanner", "Loopback") { Language = "en" };

    /// <summary>ScannerConfiguration (platen and duplex ADF, PNG/JPEG/PDF, 75–600 dpi, by default).</summary>
    public ScannerConfiguration Configuration { get; init; } = DefaultConfiguration;

    /// <summary>DefaultScanTicket; null derives one from the configuration (Letter, 300 dpi, RGB24, first format).</summary>
    public ScanTicket? DefaultTicket { get; init; }

    /// <summary>How long a job waits for the next RetrieveImage before it is aborted with JobTimedOut (MS: 60 s).</summary>
    public TimeSpan RetrieveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long after CreateScanJob the job starts scanning (a RetrieveImage before then waits); 0 by default.</summary>
    public TimeSpan JobStartDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Most non-terminal jobs at once; one more is refused with ServerErrorNotAcceptingJobs.</summary>
    public int MaxActiveJobs { get; init; } = 16;

    /// <summary>Most terminal jobs kept for GetJobHistory and GetJobElements (oldest dropped first).</summary>
    public int HistoryCapacity { get; init; } = 20;

    /// <summary>Sheets in the ADF at start (<see cref="ScannerService.LoadAdf"/> changes it).</summary>
    public int AdfSheets { get; init; } = 5;

    /// <summary>Largest ImagesToTransfer accepted (larger values are clamped, or refused with MustHonor).</summary>
    public int MaxImagesPerJob { get; init; } = 1000;

    /// <summary>Most pages in one multi-page file (pdf-a): an ADF job with more sheets stops there.</summary>
    public int MaxPagesPerFile { get; init; } = 50;

    /// <summary>The first JobId (ids increase and are never reused).</summary>
    public int FirstJobId { get; init; } = 1;

    /// <summary>Seed of the job tokens, scan identifiers and destination tokens.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How long a ScanIdentifier from a button press stays valid for CreateScanJob.</summary>
    public TimeSpan ScanIdentifierLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Answer an unsupported MustHonor value with the vendor fault ClientErrorInvalidScanTicket instead of the
    /// documented InvalidArgs (WSD-SCN-018).
    /// </summary>
    public bool UseInvalidScanTicketFault { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Description);
        ArgumentNullException.ThrowIfNull(Configuration);
        if (Configuration.DeviceSettings.FormatsSupported.Count == 0)
        {
            throw new ArgumentException("The configuration must support at least one format (WSD-SCN-003).", nameof(Configuration));
        }

        if (Configuration.InputSources.Count == 0)
        {
            throw new ArgumentException("The configuration needs a platen or an ADF with ADFFront.", nameof(Configuration));
        }

        foreach (var source in Configuration.InputSources)
        {
            foreach (var caps in new[] { Configuration.CapabilitiesFor(source), Configuration.CapabilitiesFor(source, back: true) })
            {
                if (caps is null)
                {
                    continue;
                }

                if (caps.ResolutionWidths.Count == 0 || caps.ColorModes.Count == 0)
                {
                    throw new ArgumentException($"The {source} capabilities need resolutions and colour modes.", nameof(Configuration));
                }

                if (caps.MinimumSize.Width > caps.MaximumSize.Width || caps.MinimumSize.Height > caps.MaximumSize.Height || caps.MaximumSize.Width <= 0 || caps.MaximumSize.Height <= 0)
                {
                    throw new ArgumentException($"The {source} sizes must satisfy 0 < minimum ≤ maximum.", nameof(Configuration));
                }
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetrieveTimeout, TimeSpan.Zero, nameof(RetrieveTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(JobStartDelay, TimeSpan.Zero, nameof(JobStartDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxActiveJobs, 1, nameof(MaxActiveJobs));
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryCapacity, 0, nameof(HistoryCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(AdfSheets, 0, nameof(AdfSheets));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxImagesPerJob, 1, nameof(MaxImagesPerJob));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPagesPerFile, 1, nameof(MaxPagesPerFile));
        ArgumentOutOfRangeException.ThrowIfLessThan(FirstJobId, 1, nameof(FirstJobId));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ScanIdentifierLifetime, TimeSpan.Zero, nameof(ScanIdentifierLifetime));
    }

    /// <summary>
    /// The default configuration: JPEG (jfif, exif), PNG and PDF; platen and a duplex ADF (no ADFBack: same as front)
    /// at 75–600 dpi in BlackAndWhite1, Grayscale8 and RGB24; up to 8.5 × 14 inches.
    /// </summary>
    public static ScannerConfiguration DefaultConfiguration { get; } = new()
    {
        DeviceSettings = new ScanDeviceSettings
        {
            FormatsSupported = [ScanValues.Jfif, ScanValues.Exif, ScanValues.Png, ScanValues.PdfA],
            CompressionQualityFactorSupported = new ScanRange(1, 100),
            ContentTypesSupported = [ScanValues.Auto, "Text", "Photo", "Mixed"],
            DocumentSizeAutoDetectSupported = false,
            AutoExposureSupported = false,
            BrightnessSupported = true,
            ContrastSupported = true,
            ScalingWidthSupported = new ScanRange(25, 400),
            ScalingHeightSupported = new ScanRange(25, 400),
            RotationsSupported = [0, 90, 180, 270],
        },
        Platen = new ScanSourceCapabilities
        {
            OpticalResolution = new ScanSize(600, 600),
            ResolutionWidths = [75, 100, 150, 200, 300, 600],
            ResolutionHeights = [75, 100, 150, 200, 300, 600],
            ColorModes = [ScanValues.BlackAndWhite1, ScanValues.Grayscale8, ScanValues.Rgb24],
            MinimumSize = new ScanSize(100, 100),
            MaximumSize = new ScanSize(8500, 11693),
        },
        Adf = new ScanAdfCapabilities
        {
            SupportsDuplex = true,
            Front = new ScanSourceCapabilities
            {
                OpticalResolution = new ScanSize(600, 600),
                ResolutionWidths = [75, 100, 150, 200, 300],
                ResolutionHeights = [75, 100, 150, 200, 300],
                ColorModes = [ScanValues.BlackAndWhite1, ScanValues.Grayscale8, ScanValues.Rgb24],
                MinimumSize = new ScanSize(3000, 5000),
                MaximumSize = new ScanSize(8500, 14000),
            },
        },
    };
}
