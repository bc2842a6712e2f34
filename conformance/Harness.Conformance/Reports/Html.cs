using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Harness.Conformance.Model;

namespace Harness.Conformance.Reports;

/// <summary>
/// Builds HTML where text is always encoded and markup only comes from string literals. <see cref="Append"/> takes
/// an interpolated string: its literal parts are written as markup, every hole is HTML-encoded (strings, numbers),
/// except an <see cref="HtmlFragment"/>, which this builder made and so is already safe. A device-supplied string
/// therefore has no path into the page other than as encoded text:
/// <code>html.Append($"&lt;td class=\"name\"&gt;{device.DisplayName}&lt;/td&gt;");</code>
/// Attribute values must be double-quoted in the literal; the encoding covers quotes and apostrophes.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _builder = new();

    /// <summary>Appends markup from the literal parts and encoded text from the holes.</summary>
    public void Append([InterpolatedStringHandlerArgument("")] ref HtmlHandler handler)
    {
        // The handler wrote straight into this builder.
    }

    /// <summary>Appends encoded text.</summary>
    public void Text(string? text) => Encode(_builder, text);

    /// <summary>What has been built, as a fragment to place into another builder.</summary>
    public HtmlFragment ToFragment() => new(_builder.ToString());

    /// <inheritdoc />
    public override string ToString() => _builder.ToString();

    /// <summary>Builds a fragment.</summary>
    public static HtmlFragment Fragment(Action<Html> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var html = new Html();
        build(html);
        return html.ToFragment();
    }

    /// <summary>Encoded text as a fragment.</summary>
    public static HtmlFragment Encoded(string? text)
    {
        var builder = new StringBuilder();
        Encode(builder, text);
        return new HtmlFragment(builder.ToString());
    }

    /// <summary>
    /// A fragment from a constant of this assembly (style sheet, script). Only for compile-time constants:
    /// never pass data through here.
    /// </summary>
    public static HtmlFragment TrustedConstant(string markup) => new(markup);

    /// <summary>
    /// Encodes text for an element's content or a double- or single-quoted attribute value: <c>&amp; &lt; &gt; " '</c>
    /// become references, and characters no report may carry become visible escapes (<see cref="SafeText"/>).
    /// </summary>
    public static void Encode(StringBuilder builder, string? text)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (var c in SafeText.Clean(text, int.MaxValue)!)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(c); break;
            }
        }
    }

    /// <summary>The interpolated string handler behind <see cref="Append"/>.</summary>
    [InterpolatedStringHandler]
    public readonly ref struct HtmlHandler
    {
        private readonly StringBuilder _builder;

        /// <summary>Creates the handler for <paramref name="html"/>.</summary>
        public HtmlHandler(int literalLength, int formattedCount, Html html)
        {
            ArgumentNullException.ThrowIfNull(html);
            _builder = html._builder;
            _builder.EnsureCapacity(_builder.Length + literalLength + (formattedCount * 16));
        }

        /// <summary>A literal part: markup, written as is.</summary>
        public void AppendLiteral(string markup) => _builder.Append(markup);

        /// <summary>A text hole: encoded.</summary>
        public void AppendFormatted(string? text) => Encode(_builder, text);

        /// <summary>A fragment hole: already safe, written as is.</summary>
        public void AppendFormatted(HtmlFragment fragment) => _builder.Append(fragment.Markup);

        /// <summary>A number hole: invariant culture.</summary>
        public void AppendFormatted(long value) => _builder.Append(value.ToString(CultureInfo.InvariantCulture));

        /// <summary>A number hole with a format: invariant culture.</summary>
        public void AppendFormatted(double value, string format) => _builder.Append(value.ToString(format, CultureInfo.InvariantCulture));
    }
}

/// <summary>Markup made by <see cref="Html"/>: safe to place as is.</summary>
internal readonly struct HtmlFragment
{
    private readonly string? _markup;

    internal HtmlFragment(string markup) => _markup = markup;

    /// <summary>The markup.</summary>
    public string Markup => _markup ?? string.Empty;

    /// <summary>No markup.</summary>
    public static HtmlFragment Empty => default;
}
