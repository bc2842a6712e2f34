using System.Globalization;
using System.Xml;

namespace Harness.Dpws.Eventing;

/// <summary>
/// A WS-Eventing Expires value: an xs:duration (what DPWS requires) or an xs:dateTime (which a source may refuse with
/// <c>wse:UnsupportedExpirationType</c>). <see cref="Text"/> keeps the exact characters so an acceptable request can be
/// echoed unchanged (WSD-EVT-003).
/// </summary>
public sealed record EventingExpires
{
    private EventingExpires(string text, XsDuration? duration, DateTimeOffset? dateTime)
    {
        Text = text;
        Duration = duration;
        DateTime = dateTime;
    }

    /// <summary>The value as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>The duration, when the value is one.</summary>
    public XsDuration? Duration { get; }

    /// <summary>The date and time, when the value is one.</summary>
    public DateTimeOffset? DateTime { get; }

    /// <summary>True for a duration.</summary>
    public bool IsDuration => Duration is not null;

    /// <summary>A duration in canonical form (e.g. <c>PT1H</c>).</summary>
    public static EventingExpires FromDuration(TimeSpan span) =>
        new(XsDuration.Format(span), XsDuration.TryParse(XsDuration.Format(span), out var d) ? d : null, null);

    /// <summary>A date and time in UTC (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>).</summary>
    public static EventingExpires FromDateTime(DateTimeOffset value)
    {
        var text = value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new EventingExpires(text, null, value);
    }

    /// <summary>Parses a duration or a dateTime; false for anything else.</summary>
    public static bool TryParse(string? text, out EventingExpires? expires)
    {
        expires = null;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.Trim(' ', '\t', '\r', '\n');
        if (XsDuration.TryParse(trimmed, out var duration))
        {
            expires = new EventingExpires(trimmed, duration, null);
            return true;
        }

        if (trimmed.Length >= 19 && char.IsAsciiDigit(trimmed[0]))
        {
            try
            {
                // A dateTime without a zone is taken as UTC (the source's clock is UTC), not as the host's local time.
                var zoned = trimmed.EndsWith('Z') || (trimmed.Length > 6 && (trimmed[^6] == '+' || trimmed[^6] == '-') && trimmed[^3] == ':');
                var parsed = XmlConvert.ToDateTimeOffset(zoned ? trimmed : trimmed + "Z");
                expires = new EventingExpires(trimmed, null, parsed);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The instant this value means for a clock reading <paramref name="now"/>; null on overflow.</summary>
    public DateTimeOffset? ExpiresAt(DateTimeOffset now) => Duration is { } d ? d.AddTo(now) : DateTime;

    /// <inheritdoc />
    public override string ToString() => Text;
}
