using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Xmpp.Core;

namespace Harness.Xmpp.Disco;

/// <summary>How <see cref="DiscoCodec"/> reads a query.</summary>
/// <param name="Mode">Lenient: keep what is understood and report deviations; strict: no result when an error is found.</param>
/// <param name="InheritedLang">The <c>xml:lang</c> in scope around the query (from the iq or the stream), or null.</param>
public sealed record DiscoReadOptions(ReadMode Mode = ReadMode.Lenient, string? InheritedLang = null)
{
    /// <summary>Lenient, no inherited language.</summary>
    public static DiscoReadOptions Default { get; } = new();
}

/// <summary>The outcome of reading a disco#info query.</summary>
/// <param name="Info">What was understood, or null (strict mode with an error, or not a disco#info query).</param>
/// <param name="Violations">The deviations found.</param>
public sealed record DiscoInfoReadResult(DiscoInfo? Info, IReadOnlyList<Violation> Violations);

/// <summary>The outcome of reading a disco#items query.</summary>
/// <param name="Items">What was understood, or null (strict mode with an error, or not a disco#items query).</param>
/// <param name="Violations">The deviations found.</param>
public sealed record DiscoItemsReadResult(DiscoItems? Items, IReadOnlyList<Violation> Violations);

/// <summary>
/// XEP-0030 disco#info / disco#items and XEP-0004 forms (as XEP-0128 uses them) between <see cref="XElement"/> and the
/// model. Pure: no I/O, no clock. Readers never throw on a peer's input; they report what deviates.
/// </summary>
public static class DiscoCodec
{
    /// <summary>The disco#info namespace; also the feature every disco responder lists.</summary>
    public const string InfoNamespaceName = "http://jabber.org/protocol/disco#info";

    /// <summary>The disco#items namespace.</summary>
    public const string ItemsNamespaceName = "http://jabber.org/protocol/disco#items";

    /// <summary>The disco#info namespace.</summary>
    public static readonly XNamespace InfoNamespace = InfoNamespaceName;

    /// <summary>The disco#items namespace.</summary>
    public static readonly XNamespace ItemsNamespace = ItemsNamespaceName;

    /// <summary>The XEP-0004 data forms namespace.</summary>
    public static readonly XNamespace DataNamespace = "jabber:x:data";

    /// <summary><c>{disco#info}query</c>.</summary>
    public static readonly XName InfoQueryName = InfoNamespace + "query";

    /// <summary><c>{disco#items}query</c>.</summary>
    public static readonly XName ItemsQueryName = ItemsNamespace + "query";

    private static readonly XName LangName = XNamespace.Xml + "lang";

    /// <summary>Writes a disco#info query element (identities, features, forms in model order; explicit xml:lang).</summary>
    public static XElement WriteInfo(DiscoInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var query = new XElement(InfoQueryName);
        if (info.Node is not null)
        {
            query.SetAttributeValue("node", info.Node);
        }

        foreach (var identity in info.Identities)
        {
            var element = new XElement(InfoNamespace + "identity", new XAttribute("category", identity.Category), new XAttribute("type", identity.Type));
            if (identity.Name is not null)
            {
                element.SetAttributeValue("name", identity.Name);
            }

            if (identity.Lang is not null)
            {
                element.SetAttributeValue(LangName, identity.Lang);
            }

            query.Add(element);
        }

        foreach (var feature in info.Features)
        {
            query.Add(new XElement(InfoNamespace + "feature", new XAttribute("var", feature)));
        }

        foreach (var form in info.Forms)
        {
            query.Add(WriteForm(form));
        }

        return query;
    }

    /// <summary>Writes a <c>jabber:x:data</c> form.</summary>
    public static XElement WriteForm(DataForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var x = new XElement(DataNamespace + "x");
        if (form.Type is not null)
        {
            x.SetAttributeValue("type", form.Type);
        }

        foreach (var field in form.Fields)
        {
            var element = new XElement(DataNamespace + "field");
            if (field.Var is not null)
            {
                element.SetAttributeValue("var", field.Var);
            }

            if (field.Type is not null)
            {
                element.SetAttributeValue("type", field.Type);
            }

            foreach (var value in field.Values)
            {
                element.Add(new XElement(DataNamespace + "value", value));
            }

            x.Add(element);
        }

        return x;
    }

    /// <summary>Writes a disco#items query element.</summary>
    public static XElement WriteItems(DiscoItems items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var query = new XElement(ItemsQueryName);
        if (items.Node is not null)
        {
            query.SetAttributeValue("node", items.Node);
        }

        foreach (var item in items.Items)
        {
            var element = new XElement(ItemsNamespace + "item", new XAttribute("jid", item.Jid.ToString()));
            if (item.Node is not null)
            {
                element.SetAttributeValue("node", item.Node);
            }

            if (item.Name is not null)
            {
                element.SetAttributeValue("name", item.Name);
            }

            query.Add(element);
        }

        return query;
    }

    /// <summary>Writes an empty disco#info request query (with a node when given).</summary>
    public static XElement InfoRequest(string? node) =>
        node is null ? new XElement(InfoQueryName) : new XElement(InfoQueryName, new XAttribute("node", node));

    /// <summary>Writes an empty disco#items request query (with a node when given).</summary>
    public static XElement ItemsRequest(string? node) =>
        node is null ? new XElement(ItemsQueryName) : new XElement(ItemsQueryName, new XAttribute("node", node));

    /// <summary>
    /// Reads a disco#info query. Identities inherit <c>xml:lang</c> from the query or from
    /// <see cref="DiscoReadOptions.InheritedLang"/> and carry it explicitly in the model.
    /// </summary>
    public static DiscoInfoReadResult ReadInfo(XElement query, DiscoReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= DiscoReadOptions.Default;
        var violations = new List<Violation>();
        if (query.Name != InfoQueryName)
        {
            violations.Add(new Violation(DiscoRuleIds.NotAQuery, $"Expected a disco#info query, got {query.Name}.", ViolationSeverity.Error));
            return new DiscoInfoReadResult(null, violations);
        }

        var queryLang = (string?)query.Attribute(LangName) ?? options.InheritedLang;
        var identities = new List<Identity>();
        var features = new List<string>();
        var forms = new List<DataForm>();
        var unknown = new List<XName>();
        var seenFeatures = new HashSet<string>(StringComparer.Ordinal);
        var seenGroups = new HashSet<(string, string, string)>();
        var index = 0;
        foreach (var child in query.Elements())
        {
            index++;
            var where = $"/query/*[{index}]";
            if (child.Name == InfoNamespace + "identity")
            {
                var category = (string?)child.Attribute("category");
                var type = (string?)child.Attribute("type");
                if (string.IsNullOrEmpty(category) || string.IsNullOrEmpty(type))
                {
                    violations.Add(new Violation(DiscoRuleIds.IdentityAttributes, "An identity lacks a non-empty category or type.", ViolationSeverity.Error, where));
                }

                var lang = (string?)child.Attribute(LangName) ?? queryLang;
                if (!seenGroups.Add((category ?? string.Empty, type ?? string.Empty, lang ?? string.Empty)))
                {
                    violations.Add(new Violation(DiscoRuleIds.DuplicateIdentity, $"Two identities share category '{category}', type '{type}' and xml:lang '{lang}'.", ViolationSeverity.Error, where));
                }

                identities.Add(new Identity(category ?? string.Empty, type ?? string.Empty, (string?)child.Attribute("name"), lang));
            }
            else if (child.Name == InfoNamespace + "feature")
            {
                var var = (string?)child.Attribute("var");
                if (var is null)
                {
                    violations.Add(new Violation(DiscoRuleIds.FeatureForm, "A feature has no var.", ViolationSeverity.Error, where));
                    continue;
                }

                if (child.HasElements)
                {
                    violations.Add(new Violation(DiscoRuleIds.FeatureForm, $"The feature '{var}' has child elements.", ViolationSeverity.Error, where));
                }

                if (!seenFeatures.Add(var))
                {
                    violations.Add(new Violation(DiscoRuleIds.FeatureForm, $"The feature '{var}' is listed more than once.", ViolationSeverity.Warning, where));
                }

                features.Add(var);
            }
            else if (child.Name == DataNamespace + "x")
            {
                var form = ReadForm(child);
                if (form.Type != "result")
                {
                    violations.Add(new Violation(DiscoRuleIds.ExtendedInfoForm, $"An extended-info form has type '{form.Type}', not 'result'.", ViolationSeverity.Warning, where));
                }

                var formType = form.FormTypeField;
                if (formType is null || formType.Type != "hidden")
                {
                    violations.Add(new Violation(DiscoRuleIds.ExtendedInfoForm, "An extended-info form has no FORM_TYPE field of type hidden.", ViolationSeverity.Warning, where));
                }

                forms.Add(form);
            }
            else
            {
                unknown.Add(child.Name);
            }
        }

        if (identities.Count == 0)
        {
            violations.Add(new Violation(DiscoRuleIds.NoIdentity, "The disco#info result has no identity.", ViolationSeverity.Error));
        }

        if (!seenFeatures.Contains(InfoNamespaceName))
        {
            violations.Add(new Violation(DiscoRuleIds.NoDiscoInfoFeature, "The disco#info result does not list the disco#info feature (inferred).", ViolationSeverity.Warning));
        }

        var info = new DiscoInfo(identities, features, forms, (string?)query.Attribute("node")) { UnknownChildren = unknown };
        return new DiscoInfoReadResult(Refuse(options.Mode, violations) ? null : info, violations);
    }

    /// <summary>Reads a <c>jabber:x:data</c> form element (never fails; missing parts stay null or empty).</summary>
    public static DataForm ReadForm(XElement x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var fields = new List<DataFormField>();
        var reported = false;
        foreach (var child in x.Elements())
        {
            if (child.Name == DataNamespace + "field")
            {
                var values = new List<string>();
                foreach (var value in child.Elements(DataNamespace + "value"))
                {
                    values.Add(value.Value);
                }

                fields.Add(new DataFormField((string?)child.Attribute("var"), (string?)child.Attribute("type"), values));
            }
            else if (child.Name == DataNamespace + "reported" || child.Name == DataNamespace + "item")
            {
                reported = true;
            }
        }

        return new DataForm((string?)x.Attribute("type"), fields) { HasReportedOrItems = reported };
    }

    /// <summary>Reads a disco#items query.</summary>
    public static DiscoItemsReadResult ReadItems(XElement query, DiscoReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= DiscoReadOptions.Default;
        var violations = new List<Violation>();
        if (query.Name != ItemsQueryName)
        {
            violations.Add(new Violation(DiscoRuleIds.NotAQuery, $"Expected a disco#items query, got {query.Name}.", ViolationSeverity.Error));
            return new DiscoItemsReadResult(null, violations);
        }

        var items = new List<DiscoItem>();
        var index = 0;
        foreach (var child in query.Elements())
        {
            index++;
            var where = $"/query/*[{index}]";
            if (child.Name == DataNamespace + "x")
            {
                violations.Add(new Violation(DiscoRuleIds.FormInItems, "A disco#items result carries a data form.", ViolationSeverity.Error, where));
                continue;
            }

            if (child.Name != ItemsNamespace + "item")
            {
                continue;
            }

            var jidText = (string?)child.Attribute("jid");
            if (!Jid.TryParse(jidText, out var jid, out var error))
            {
                violations.Add(new Violation(DiscoRuleIds.ItemForm, $"An item has no valid jid ('{jidText}'): {error}", ViolationSeverity.Error, where));
                continue;
            }

            var node = (string?)child.Attribute("node");
            if (node is { Length: 0 })
            {
                violations.Add(new Violation(DiscoRuleIds.ItemForm, "An item has an empty node attribute.", ViolationSeverity.Error, where));
            }

            if (child.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value)) || child.HasElements)
            {
                violations.Add(new Violation(DiscoRuleIds.ItemForm, "An item has content; it must be empty.", ViolationSeverity.Warning, where));
            }

            items.Add(new DiscoItem(jid, node is { Length: 0 } ? null : node, (string?)child.Attribute("name")));
        }

        var result = new DiscoItems(items, (string?)query.Attribute("node"));
        return new DiscoItemsReadResult(Refuse(options.Mode, violations) ? null : result, violations);
    }

    private static bool Refuse(ReadMode mode, List<Violation> violations) =>
        mode == ReadMode.Strict && violations.Exists(v => v.Severity == ViolationSeverity.Error);
}
