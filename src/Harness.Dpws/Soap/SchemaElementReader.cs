using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Diagnostics;

namespace Harness.Dpws.Soap;

/// <summary>
/// The lenient element reader the WS-Scan and WS-Print codecs share: children of their own schema's namespace, required
/// children, integers, booleans and times, each deviation kept as a <see cref="Violation"/> under the schema's rule id.
/// A schema's reader says which names are its own (<see cref="Child"/>), how text is trimmed and how a path is written.
/// </summary>
internal abstract class SchemaElementReader(string schemaRule)
{
    private readonly List<Violation> _violations = [];

    /// <summary>The deviations found so far.</summary>
    public IReadOnlyList<Violation> Violations => _violations;

    /// <summary>Keeps a violation found elsewhere.</summary>
    public void Add(Violation violation) => _violations.Add(violation);

    /// <summary>Keeps a deviation at <paramref name="where"/>.</summary>
    public void Add(string rule, string message, ViolationSeverity severity, XElement? where) =>
        _violations.Add(new Violation(rule, message, severity, where is null ? null : PathOf(where)));

    /// <summary>The first child named <paramref name="local"/> in the schema's namespace, or null.</summary>
    public abstract XElement? Child(XElement? parent, string local);

    /// <summary>The child, or null with an Error under <paramref name="rule"/> (the schema rule by default) when it is missing.</summary>
    public XElement? Required(XElement? parent, string local, string? rule = null)
    {
        if (parent is null)
        {
            return null;
        }

        var child = Child(parent, local);
        if (child is null)
        {
            Add(rule ?? schemaRule, $"{parent.Name.LocalName} has no {local}.", ViolationSeverity.Error, parent);
        }

        return child;
    }

    /// <summary>The element's integer, or null with an Error when it is not one.</summary>
    public int? Int(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var text = TextOf(element);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Add(schemaRule, $"{element.Name.LocalName} '{Clip(text)}' is not an integer.", ViolationSeverity.Error, element);
        return null;
    }

    /// <summary>The element's xs:boolean, or null.</summary>
    public bool? Bool(XElement? element) => element is null ? null : Bool(TextOf(element), element, element.Name.LocalName);

    /// <summary>The element's xs:dateTime in UTC, or null with an Error when it is not one.</summary>
    public DateTimeOffset? Time(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var text = TextOf(element);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        Add(schemaRule, $"{element.Name.LocalName} '{Clip(text)}' is not an xs:dateTime.", ViolationSeverity.Error, element);
        return null;
    }

    /// <summary>A device-supplied value cut to 64 characters for a message.</summary>
    protected static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>The element's text as the schema trims it.</summary>
    protected abstract string TextOf(XElement element);

    /// <summary>The boolean in <paramref name="text"/>, or null with a deviation on <paramref name="where"/>.</summary>
    protected abstract bool? Bool(string text, XElement where, string what);

    /// <summary>The path of an element for a violation.</summary>
    protected virtual string PathOf(XElement element) => SoapReader.Path(element);
}
