namespace Harness.Dpws.Scan;

/// <summary>
/// Checks a ticket's DocumentParameters against a configuration and produces the final parameters with WS-Scan's
/// MustHonor rules (MS CreateScanJobRequest remarks, WSD-SCN-007): an unsupported value marked MustHonor is reported
/// (the job is refused); an unsupported element without MustHonor is ignored; an unsupported value of a supported
/// element is replaced by a supported one (<c>Override="true"</c>); an omitted value takes the default
/// (<c>UsedDefault="true"</c>). MustHonor values that no single input source can satisfy together are a conflict
/// (ClientErrorConflictingRequiredParameters). Pure.
/// </summary>
internal sealed class ScanTicketValidator
{
    private readonly ScannerConfiguration _config;
    private readonly ScanDocumentParameters _defaults;
    private readonly int _maxImages;
    private readonly HashSet<string> _unsupported = new(StringComparer.Ordinal);
    private bool _changed;

    private ScanTicketValidator(ScannerConfiguration config, ScanDocumentParameters defaults, int maxImages)
    {
        _config = config;
        _defaults = defaults;
        _maxImages = maxImages;
    }

    /// <summary>The outcome of a validation.</summary>
    /// <param name="Final">The parameters the job uses (DocumentFinalParameters).</param>
    /// <param name="Changed">True when a requested value was replaced or ignored (the ticket is not valid as sent).</param>
    /// <param name="FormatUnsupported">True when the requested Format is not offered.</param>
    /// <param name="Conflict">True when MustHonor values conflict.</param>
    /// <param name="UnsupportedRequired">Elements whose MustHonor value is not supported at all.</param>
    internal sealed record Outcome(ScanDocumentParameters Final, bool Changed, bool FormatUnsupported, bool Conflict, IReadOnlyList<string> UnsupportedRequired);

    /// <summary>Validates <paramref name="requested"/>; <paramref name="defaults"/> must be complete (see <see cref="Derive"/>).</summary>
    public static Outcome Validate(ScannerConfiguration config, ScanDocumentParameters defaults, ScanDocumentParameters requested, int maxImages) =>
        new ScanTicketValidator(config, defaults, maxImages).Run(requested);

    /// <summary>
    /// Complete default parameters for <paramref name="config"/>: the first input source, Letter size (clamped), 300 dpi
    /// (or the nearest), RGB24 (or the first colour mode), the first format, one image; <paramref name="overrides"/>
    /// (a partial DefaultScanTicket) is applied on top. Attributes are stripped.
    /// </summary>
    public static ScanDocumentParameters Derive(ScannerConfiguration config, ScanDocumentParameters? overrides, int maxImages)
    {
        var s = config.DeviceSettings;
        var source = config.InputSources[0];
        var caps = config.CapabilitiesFor(source)!;
        var width = Math.Clamp(8500, caps.MinimumSize.Width, caps.MaximumSize.Width);
        var height = Math.Clamp(11000, caps.MinimumSize.Height, caps.MaximumSize.Height);
        var dpiX = Nearest(caps.ResolutionWidths, 300);
        var dpiY = Nearest(caps.ResolutionHeights.Count == 0 ? caps.ResolutionWidths : caps.ResolutionHeights, 300);
        var color = caps.ColorModes.Contains(ScanValues.Rgb24) ? ScanValues.Rgb24 : caps.ColorModes[0];
        var baseline = new ScanDocumentParameters
        {
            Format = ScanValue.Of(s.FormatsSupported[0]),
            CompressionQualityFactor = s.CompressionQualityFactorSupported is { } q ? ScanValue.Of(q.Clamp(85)) : null,
            ImagesToTransfer = ScanValue.Of(1),
            InputSource = ScanValue.Of(source),
            ContentType = s.ContentTypesSupported.Count == 0 ? null : ScanValue.Of(s.ContentTypesSupported.Contains(ScanValues.Auto) ? ScanValues.Auto : s.ContentTypesSupported[0]),
            InputSize = new ScanInputSize { Width = ScanValue.Of(width), Height = ScanValue.Of(height) },
            Exposure = s.BrightnessSupported || s.ContrastSupported
                ? new ScanExposure { Brightness = s.BrightnessSupported ? ScanValue.Of(0) : null, Contrast = s.ContrastSupported ? ScanValue.Of(0) : null }
                : null,
            Scaling = new ScanScaling { Width = ScanValue.Of(100), Height = ScanValue.Of(100) },
            Rotation = ScanValue.Of(0),
            MediaSides = new ScanMediaSides
            {
                Front = new ScanMediaSide
                {
                    ScanRegion = new ScanRegion { XOffset = ScanValue.Of(0), YOffset = ScanValue.Of(0), Width = ScanValue.Of(width), Height = ScanValue.Of(height) },
                    ColorProcessing = ScanValue.Of(color),
                    Resolution = new ScanResolution { Width = ScanValue.Of(dpiX), Height = ScanValue.Of(dpiY) },
                },
            },
        };
        return overrides is null ? baseline : Strip(Validate(config, baseline, overrides, maxImages).Final);
    }

    /// <summary>The parameters without Override / UsedDefault / MustHonor attributes (a ValidScanTicket carries none).</summary>
    public static ScanDocumentParameters Strip(ScanDocumentParameters p)
    {
        static ScanValue<T>? S<T>(ScanValue<T>? v)
            where T : notnull => v is null ? null : new ScanValue<T>(v.Value);
        static ScanMediaSide? Side(ScanMediaSide? m) => m is null ? null : new ScanMediaSide
        {
            ColorProcessing = S(m.ColorProcessing),
            Resolution = m.Resolution is { } r ? new ScanResolution { Width = S(r.Width), Height = S(r.Height) } : null,
            ScanRegion = m.ScanRegion is { } g ? new ScanRegion { XOffset = S(g.XOffset), YOffset = S(g.YOffset), Width = S(g.Width), Height = S(g.Height) } : null,
        };
        return new ScanDocumentParameters
        {
            Format = S(p.Format),
            CompressionQualityFactor = S(p.CompressionQualityFactor),
            ImagesToTransfer = S(p.ImagesToTransfer),
            InputSource = S(p.InputSource),
            ContentType = S(p.ContentType),
            InputSize = p.InputSize is { } i ? new ScanInputSize { DocumentSizeAutoDetect = i.DocumentSizeAutoDetect, Width = S(i.Width), Height = S(i.Height) } : null,
            Exposure = p.Exposure is { } e ? new ScanExposure { AutoExposure = e.AutoExposure, Brightness = S(e.Brightness), Contrast = S(e.Contrast), Sharpness = S(e.Sharpness) } : null,
            Scaling = p.Scaling is { } sc ? new ScanScaling { Width = S(sc.Width), Height = S(sc.Height) } : null,
            Rotation = S(p.Rotation),
            MediaSides = p.MediaSides is { } ms ? new ScanMediaSides { Front = Side(ms.Front), Back = Side(ms.Back) } : null,
        };
    }

    private static int Nearest(IReadOnlyList<int> values, int wanted) =>
        values.OrderBy(v => Math.Abs((long)v - wanted)).ThenBy(v => v).First();

    private Outcome Run(ScanDocumentParameters p)
    {
        var s = _config.DeviceSettings;

        // Format: an unsupported Format is refused by CreateScanJob (ClientErrorFormatNotSupported); the corrected
        // ticket carries the default.
        ScanValue<string> format;
        var formatUnsupported = false;
        if (p.Format is null)
        {
            format = Defaulted(_defaults.Format!.Value);
        }
        else if (s.FormatsSupported.Contains(p.Format.Value))
        {
            format = Kept(p.Format.Value);
        }
        else
        {
            formatUnsupported = true;
            format = Overridden(_defaults.Format!.Value);
        }

        ScanValue<int>? quality = null;
        if (s.CompressionQualityFactorSupported is { } qualityRange)
        {
            quality = ChooseInt("CompressionQualityFactor", p.CompressionQualityFactor, _defaults.CompressionQualityFactor?.Value ?? qualityRange.Clamp(85), qualityRange.Contains, qualityRange.Clamp);
        }
        else
        {
            Ignore("CompressionQualityFactor", p.CompressionQualityFactor?.Attributes.IsRequired, p.CompressionQualityFactor is not null);
        }

        var images = ChooseInt("ImagesToTransfer", p.ImagesToTransfer, _defaults.ImagesToTransfer?.Value ?? 1, v => v >= 0 && v <= _maxImages, v => Math.Clamp(v, 0, _maxImages));

        ScanValue<string>? contentType = null;
        if (s.ContentTypesSupported.Count > 0)
        {
            contentType = ChooseString("ContentType", p.ContentType, _defaults.ContentType?.Value ?? s.ContentTypesSupported[0], s.ContentTypesSupported);
        }
        else
        {
            Ignore("ContentType", p.ContentType?.Attributes.IsRequired, p.ContentType is not null);
        }

        IReadOnlyList<int> rotations = s.RotationsSupported.Count == 0 ? [0] : s.RotationsSupported;
        var rotation = ChooseInt("Rotation", p.Rotation, _defaults.Rotation?.Value ?? rotations[0], rotations.Contains, v => rotations.Contains(0) ? 0 : rotations[0]);

        var scalingRequired = p.Scaling?.Attributes.IsRequired == true;
        var widthRange = s.ScalingWidthSupported ?? new ScanRange(100, 100);
        var heightRange = s.ScalingHeightSupported ?? new ScanRange(100, 100);
        var scaling = new ScanScaling
        {
            Width = ChooseInt("Scaling", p.Scaling?.Width, widthRange.Clamp(_defaults.Scaling?.Width?.Value ?? 100), widthRange.Contains, widthRange.Clamp, scalingRequired),
            Height = ChooseInt("Scaling", p.Scaling?.Height, heightRange.Clamp(_defaults.Scaling?.Height?.Value ?? 100), heightRange.Contains, heightRange.Clamp, scalingRequired),
        };

        var exposure = Exposure(p.Exposure, s);

        var inputSizeRequired = p.InputSize?.Attributes.IsRequired == true;
        bool? autoDetect = null;
        if (p.InputSize?.DocumentSizeAutoDetect is { } wantsAutoDetect)
        {
            if (s.DocumentSizeAutoDetectSupported)
            {
                autoDetect = wantsAutoDetect;
            }
            else if (wantsAutoDetect)
            {
                Ignore("DocumentSizeAutoDetect", inputSizeRequired, present: true);
            }
        }

        // Input source and the source-dependent MustHonor values.
        var sources = _config.InputSources;
        var requestedSource = p.InputSource?.Value ?? _defaults.InputSource!.Value;
        var sourceRequired = p.InputSource?.Attributes.IsRequired == true;
        var sourceSupported = sources.Contains(requestedSource);
        if (!sourceSupported && sourceRequired)
        {
            _unsupported.Add("InputSource");
        }

        IReadOnlyList<string> candidates = sourceSupported
            ? sourceRequired ? [requestedSource] : [requestedSource, .. sources.Where(x => x != requestedSource)]
            : sources;
        var constraints = Constraints(p, inputSizeRequired);
        foreach (var (what, ok) in constraints)
        {
            if (!sources.Any(ok))
            {
                _unsupported.Add(what);
            }
        }

        var satisfiable = constraints.Where(c => sources.Any(c.Ok)).ToList();
        var feasible = candidates.Where(src => satisfiable.All(c => c.Ok(src))).ToList();
        var conflict = feasible.Count == 0;
        var chosen = feasible.Count == 0 ? candidates[0] : feasible.Contains(requestedSource) ? requestedSource : feasible[0];
        ScanValue<string> inputSource = p.InputSource is null
            ? chosen == requestedSource ? Defaulted(chosen) : Overridden(chosen)
            : chosen == requestedSource ? Kept(chosen) : Overridden(chosen);

        var caps = _config.CapabilitiesFor(chosen)!;
        var defaultWidth = _defaults.InputSize?.Width?.Value ?? caps.MaximumSize.Width;
        var defaultHeight = _defaults.InputSize?.Height?.Value ?? caps.MaximumSize.Height;
        var mediaWidth = ChooseInt("InputSize", p.InputSize?.Width, Math.Clamp(defaultWidth, caps.MinimumSize.Width, caps.MaximumSize.Width),
            v => v >= caps.MinimumSize.Width && v <= caps.MaximumSize.Width, v => Math.Clamp(v, caps.MinimumSize.Width, caps.MaximumSize.Width), inputSizeRequired);
        var mediaHeight = ChooseInt("InputSize", p.InputSize?.Height, Math.Clamp(defaultHeight, caps.MinimumSize.Height, caps.MaximumSize.Height),
            v => v >= caps.MinimumSize.Height && v <= caps.MaximumSize.Height, v => Math.Clamp(v, caps.MinimumSize.Height, caps.MaximumSize.Height), inputSizeRequired);

        var sidesRequired = p.MediaSides?.Attributes.IsRequired == true;
        var front = Side(p.MediaSides?.Front, _defaults.MediaSides?.Front, caps, mediaWidth.Value, mediaHeight.Value, sidesRequired);
        ScanMediaSide? back = null;
        if (chosen == ScanValues.AdfDuplex)
        {
            var backCaps = _config.CapabilitiesFor(chosen, back: true)!;
            back = Side(p.MediaSides?.Back ?? p.MediaSides?.Front, Strip(new ScanDocumentParameters { MediaSides = new ScanMediaSides { Front = front } }).MediaSides!.Front, backCaps, mediaWidth.Value, mediaHeight.Value, sidesRequired);
        }
        else if (p.MediaSides?.Back is not null)
        {
            Ignore("MediaBack", sidesRequired, present: true);
        }

        var final = new ScanDocumentParameters
        {
            Format = format,
            CompressionQualityFactor = quality,
            ImagesToTransfer = images,
            InputSource = inputSource,
            ContentType = contentType,
            InputSize = new ScanInputSize { DocumentSizeAutoDetect = autoDetect, Width = mediaWidth, Height = mediaHeight },
            Exposure = exposure,
            Scaling = scaling,
            Rotation = rotation,
            MediaSides = new ScanMediaSides { Front = front, Back = back },
        };
        return new Outcome(final, _changed || formatUnsupported || conflict, formatUnsupported, conflict, [.. _unsupported.Order(StringComparer.Ordinal)]);
    }

    private List<(string What, Func<string, bool> Ok)> Constraints(ScanDocumentParameters p, bool inputSizeRequired)
    {
        var list = new List<(string, Func<string, bool>)>();
        var sidesRequired = p.MediaSides?.Attributes.IsRequired == true;
        if (p.InputSize is { } size && (inputSizeRequired || size.Width?.Attributes.IsRequired == true || size.Height?.Attributes.IsRequired == true))
        {
            var w = size.Width?.Value;
            var h = size.Height?.Value;
            list.Add(("InputSize", src => _config.CapabilitiesFor(src) is { } c
                && (w is null || (w >= c.MinimumSize.Width && w <= c.MaximumSize.Width))
                && (h is null || (h >= c.MinimumSize.Height && h <= c.MaximumSize.Height))));
        }

        void AddSide(ScanMediaSide? side, bool back)
        {
            if (side is null)
            {
                return;
            }

            if (side.ColorProcessing is { } color && (sidesRequired || color.Attributes.IsRequired))
            {
                list.Add(("ColorProcessing", src => _config.CapabilitiesFor(src, back)?.ColorModes.Contains(color.Value) == true));
            }

            if (side.Resolution is { } res && (sidesRequired || res.Attributes.IsRequired || res.Width?.Attributes.IsRequired == true || res.Height?.Attributes.IsRequired == true))
            {
                var w = res.Width?.Value;
                var h = res.Height?.Value ?? w;
                list.Add(("Resolution", src => _config.CapabilitiesFor(src, back) is { } c
                    && (w is null || c.ResolutionWidths.Contains(w.Value))
                    && (h is null || (c.ResolutionHeights.Count == 0 ? c.ResolutionWidths : c.ResolutionHeights).Contains(h.Value))));
            }

            if (side.ScanRegion is { } region)
            {
                var x = region.XOffset?.Value ?? 0;
                var y = region.YOffset?.Value ?? 0;
                if (sidesRequired || region.Width?.Attributes.IsRequired == true || region.XOffset?.Attributes.IsRequired == true)
                {
                    var w = region.Width?.Value;
                    list.Add(("ScanRegion", src => _config.CapabilitiesFor(src, back) is { } c && x >= 0
                        && (w is null ? x < c.MaximumSize.Width : w >= c.MinimumSize.Width && (long)x + w <= c.MaximumSize.Width)));
                }

                if (sidesRequired || region.Height?.Attributes.IsRequired == true || region.YOffset?.Attributes.IsRequired == true)
                {
                    var h = region.Height?.Value;
                    list.Add(("ScanRegion", src => _config.CapabilitiesFor(src, back) is { } c && y >= 0
                        && (h is null ? y < c.MaximumSize.Height : h >= c.MinimumSize.Height && (long)y + h <= c.MaximumSize.Height)));
                }
            }
        }

        AddSide(p.MediaSides?.Front, back: false);
        AddSide(p.MediaSides?.Back, back: true);
        return list;
    }

    private ScanExposure? Exposure(ScanExposure? requested, ScanDeviceSettings s)
    {
        var required = requested?.Attributes.IsRequired == true;
        bool? auto = null;
        if (requested?.AutoExposure is { } wantsAuto)
        {
            if (s.AutoExposureSupported)
            {
                auto = wantsAuto;
            }
            else if (wantsAuto)
            {
                Ignore("Exposure", required, present: true);
            }
        }

        var range = new ScanRange(-1000, 1000);
        ScanValue<int>? Setting(ScanValue<int>? value, bool supported, int? fallback)
        {
            if (supported)
            {
                return ChooseInt("Exposure", value, fallback ?? 0, range.Contains, range.Clamp, required);
            }

            Ignore("Exposure", required || value?.Attributes.IsRequired == true, value is not null);
            return null;
        }

        var brightness = Setting(requested?.Brightness, s.BrightnessSupported, _defaults.Exposure?.Brightness?.Value);
        var contrast = Setting(requested?.Contrast, s.ContrastSupported, _defaults.Exposure?.Contrast?.Value);
        Ignore("Exposure", required || requested?.Sharpness?.Attributes.IsRequired == true, requested?.Sharpness is not null);
        return brightness is null && contrast is null && auto is null ? null : new ScanExposure { AutoExposure = auto, Brightness = brightness, Contrast = contrast };
    }

    private ScanMediaSide Side(ScanMediaSide? requested, ScanMediaSide? defaults, ScanSourceCapabilities caps, int mediaWidth, int mediaHeight, bool sidesRequired)
    {
        var defaultColor = defaults?.ColorProcessing?.Value is { } dc && caps.ColorModes.Contains(dc) ? dc : caps.ColorModes[0];
        var color = ChooseString("ColorProcessing", requested?.ColorProcessing, defaultColor, caps.ColorModes, sidesRequired);

        var heights = caps.ResolutionHeights.Count == 0 ? caps.ResolutionWidths : caps.ResolutionHeights;
        var resolutionRequired = sidesRequired || requested?.Resolution?.Attributes.IsRequired == true;
        var defaultDpiX = Nearest(caps.ResolutionWidths, defaults?.Resolution?.Width?.Value ?? 300);
        var dpiX = ChooseInt("Resolution", requested?.Resolution?.Width, defaultDpiX, caps.ResolutionWidths.Contains, v => Nearest(caps.ResolutionWidths, v), resolutionRequired);
        var requestedHeight = requested?.Resolution?.Height
            ?? (requested?.Resolution?.Width is { } rw ? new ScanValue<int>(rw.Value, rw.Attributes) : null);
        var dpiY = ChooseInt("Resolution", requestedHeight, Nearest(heights, defaults?.Resolution?.Height?.Value ?? dpiX.Value), heights.Contains, v => Nearest(heights, v), resolutionRequired);

        var region = requested?.ScanRegion;
        var maxW = caps.MaximumSize.Width;
        var maxH = caps.MaximumSize.Height;
        var x = ChooseInt("ScanRegion", region?.XOffset, 0, v => v >= 0 && v <= maxW - caps.MinimumSize.Width, v => Math.Clamp(v, 0, maxW - caps.MinimumSize.Width), sidesRequired);
        var y = ChooseInt("ScanRegion", region?.YOffset, 0, v => v >= 0 && v <= maxH - caps.MinimumSize.Height, v => Math.Clamp(v, 0, maxH - caps.MinimumSize.Height), sidesRequired);
        var w = ChooseInt("ScanRegion", region?.Width, Math.Clamp(mediaWidth, caps.MinimumSize.Width, maxW - x.Value),
            v => v >= caps.MinimumSize.Width && (long)x.Value + v <= maxW, v => Math.Clamp(v, caps.MinimumSize.Width, maxW - x.Value), sidesRequired);
        var h = ChooseInt("ScanRegion", region?.Height, Math.Clamp(mediaHeight, caps.MinimumSize.Height, maxH - y.Value),
            v => v >= caps.MinimumSize.Height && (long)y.Value + v <= maxH, v => Math.Clamp(v, caps.MinimumSize.Height, maxH - y.Value), sidesRequired);

        return new ScanMediaSide
        {
            ScanRegion = new ScanRegion { XOffset = x, YOffset = y, Width = w, Height = h },
            ColorProcessing = color,
            Resolution = new ScanResolution { Width = dpiX, Height = dpiY },
        };
    }

    private ScanValue<int> ChooseInt(string what, ScanValue<int>? requested, int fallback, Func<int, bool> ok, Func<int, int> fix, bool parentRequired = false)
    {
        if (requested is null)
        {
            return Defaulted(fallback);
        }

        if (ok(requested.Value))
        {
            return Kept(requested.Value);
        }

        if (parentRequired || requested.Attributes.IsRequired)
        {
            _unsupported.Add(what);
        }

        return Overridden(fix(requested.Value));
    }

    private ScanValue<string> ChooseString(string what, ScanValue<string>? requested, string fallback, IReadOnlyList<string> allowed, bool parentRequired = false)
    {
        if (requested is null)
        {
            return Defaulted(fallback);
        }

        if (allowed.Contains(requested.Value))
        {
            return Kept(requested.Value);
        }

        if (parentRequired || requested.Attributes.IsRequired)
        {
            _unsupported.Add(what);
        }

        return Overridden(fallback);
    }

    // An element the device does not support: MustHonor makes the ticket unacceptable; otherwise it is ignored (and
    // the ticket is not valid as sent).
    private void Ignore(string what, bool? required, bool present)
    {
        if (!present)
        {
            return;
        }

        if (required == true)
        {
            _unsupported.Add(what);
        }

        _changed = true;
    }

    private static ScanValue<T> Kept<T>(T value)
        where T : notnull => new(value);

    private static ScanValue<T> Defaulted<T>(T value)
        where T : notnull => new(value, ScanAttributes.Defaulted);

    private ScanValue<T> Overridden<T>(T value)
        where T : notnull
    {
        _changed = true;
        return new ScanValue<T>(value, ScanAttributes.Overridden);
    }
}
