using Harness.Dpws.Eventing;

namespace Harness.Dpws.Tests.Eventing;

public sealed class XsDurationTests
{
    [Theory]
    [InlineData("PT1H", 3600.0)]
    [InlineData("P1D", 86400.0)]
    [InlineData("PT0.5S", 0.5)]
    [InlineData("-PT5M", -300.0)]
    [InlineData(" PT10M\n", 600.0)]
    [InlineData("P0Y0M0DT0H5M0S", 300.0)]
    [InlineData("P1Y2M3DT4H5M6.5S", (365 + 60 + 3) * 86400.0 + 4 * 3600 + 5 * 60 + 6.5)]
    public void TryParse_LexicalForms_Value(string text, double seconds)
    {
        Assert.True(XsDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration.ToTimeSpan());
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("1H")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P1.5D")]
    [InlineData("PT1M2H")]
    [InlineData("P-1D")]
    [InlineData("P99999999999D")]
    [InlineData("banana")]
    [InlineData("2030-01-01T00:00:00Z")]
    public void TryParse_NotADuration_False(string text)
    {
        Assert.False(XsDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(3600, "PT1H")]
    [InlineData(90, "PT1M30S")]
    [InlineData(93600, "P1DT2H")]
    [InlineData(86400, "P1D")]
    [InlineData(0, "PT0S")]
    [InlineData(0.5, "PT0.5S")]
    public void Format_Span_CanonicalText(double seconds, string expected)
    {
        Assert.Equal(expected, XsDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void AddTo_OneMonthFromJanuaryThirtyFirst_CalendarMonth()
    {
        XsDuration.TryParse("P1M", out var month);

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero), month.AddTo(new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void EventingExpires_DateTimeWithoutZone_TakenAsUtc()
    {
        Assert.True(EventingExpires.TryParse("2030-01-01T00:30:00", out var expires));

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 30, 0, TimeSpan.Zero), expires!.DateTime);
        Assert.False(expires.IsDuration);
    }
}
