using System.Globalization;
using System.Text;

namespace Harness.Dpws.Eventing;

/// <summary>
/// An xs:duration (<c>PnYnMnDTnHnMnS</c>, optionally negative) as WS-Eventing Expires carries it. Parsing is exact
/// to the lexical form (leading and trailing XML whitespace allowed); years and months are applied on the calendar by
/// <see cref="AddTo"/> and approximated (365 and 30 days) by <see cref="ToTimeSpan"/>.
/// </summary>
/// <param name="Negative">A leading minus sign.</param>
/// <param name="Years">Years.</param>
/// <param name="Months">Months.</param>
/// <param name="Days">Days.</param>
/// <param name="Hours">Hours.</param>
/// <param name="Minutes">Minutes.</param>
/// <param name="Seconds">Seconds, with a fraction.</param>
public readonly record struct XsDuration(bool Negative, int Years, int Months, int Days, int Hours, int Minutes, decimal Seconds)
{
    /// <summary>True when every component is zero.</summary>
    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0 && Minutes == 0 && Seconds == 0;

    /// <summary>Parses the lexical form; false for anything else (including <c>P</c>, <c>PT</c>, or overflowing numbers).</summary>
    public static bool TryParse(string? text, out XsDuration duration)
    {
        duration = default;
        if (text is null)
        {
            return false;
        }

        var s = text.Trim(' ', '\t', '\r', '\n');
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] == '-')
        {
            negative = true;
            i++;
        }

        if (i >= s.Length || s[i] != 'P')
        {
            return false;
        }

        i++;
        int years = 0, months = 0, days = 0, hours = 0, minutes = 0;
        decimal seconds = 0;
        var any = false;
        var inTime = false;
        var timeComponents = 0;
        var order = 0;
        while (i < s.Length)
        {
            if (s[i] == 'T')
            {
                if (inTime)
                {
                    return false;
                }

                inTime = true;
                i++;
                continue;
            }

            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var hasFraction = false;
            if (i < s.Length && s[i] == '.')
            {
                hasFraction = true;
                i++;
                var fractionStart = i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                if (i == fractionStart)
                {
                    return false;
                }
            }

            if (i == start || i >= s.Length)
            {
                return false;
            }

            var number = s[start..i];
            var designator = s[i];
            i++;
            var rank = (inTime, designator) switch
            {
                (false, 'Y') => 1,
                (false, 'M') => 2,
                (false, 'D') => 3,
                (true, 'H') => 4,
                (true, 'M') => 5,
                (true, 'S') => 6,
                _ => 0,
            };
            if (rank <= order || (hasFraction && rank != 6))
            {
                return false;
            }

            order = rank;
            any = true;
            if (rank == 6)
            {
                if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds))
                {
                    return false;
                }
            }
            else if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            else
            {
                switch (rank)
                {
                    case 1: years = value; break;
                    case 2: months = value; break;
                    case 3: days = value; break;
                    case 4: hours = value; break;
                    default: minutes = value; break;
                }
            }

            if (inTime)
            {
                timeComponents++;
            }
        }

        if (!any || (inTime && timeComponents == 0))
        {
            return false;
        }

        duration = new XsDuration(negative, years, months, days, hours, minutes, seconds);
        return true;
    }

    /// <summary>The canonical form of a non-negative span: days, hours, minutes and seconds (<c>PT0S</c> for zero).</summary>
    public static string Format(TimeSpan span)
    {
        var builder = new StringBuilder();
        if (span < TimeSpan.Zero)
        {
            builder.Append('-');
            span = span.Duration();
        }

        builder.Append('P');
        if (span.Days > 0)
        {
            builder.Append(span.Days.ToString(CultureInfo.InvariantCulture)).Append('D');
        }

        var seconds = span.Seconds + ((decimal)(span.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerSecond);
        if (span.Hours > 0 || span.Minutes > 0 || seconds > 0 || span.Days == 0)
        {
            builder.Append('T');
            if (span.Hours > 0)
            {
                builder.Append(span.Hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            }

            if (span.Minutes > 0)
            {
                builder.Append(span.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            }

            if (seconds > 0 || (span.Hours == 0 && span.Minutes == 0))
            {
                builder.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
            }
        }

        return builder.ToString();
    }

    /// <summary>The instant this duration after <paramref name="start"/> (calendar years and months); null on overflow.</summary>
    public DateTimeOffset? AddTo(DateTimeOffset start)
    {
        try
        {
            var sign = Negative ? -1 : 1;
            return start
                .AddYears(sign * Years)
                .AddMonths(sign * Months)
                .AddDays(sign * (double)Days)
                .AddHours(sign * (double)Hours)
                .AddMinutes(sign * (double)Minutes)
                .AddTicks(sign * (long)(Seconds * TimeSpan.TicksPerSecond));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The duration as a span (a year is 365 days, a month 30); null when it does not fit.</summary>
    public TimeSpan? ToTimeSpan()
    {
        try
        {
            var ticks = checked(
                ((((Years * 365L) + (Months * 30L) + Days) * TimeSpan.TicksPerDay)
                + (Hours * TimeSpan.TicksPerHour)
                + (Minutes * TimeSpan.TicksPerMinute))
                + (long)(Seconds * TimeSpan.TicksPerSecond));
            return TimeSpan.FromTicks(Negative ? -ticks : ticks);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
