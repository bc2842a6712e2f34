using Harness.Xmpp.Core;

namespace Harness.Xmpp.Disco;

/// <summary>
/// A XEP-0030 identity: what an entity (or node) is. <see cref="Category"/> and <see cref="Type"/> are required,
/// <see cref="Name"/> and <see cref="Lang"/> (the <c>xml:lang</c> of the name, explicit or inherited) are optional.
/// </summary>
/// <param name="Category">The category, e.g. <c>client</c>, <c>server</c>, <c>pubsub</c>.</param>
/// <param name="Type">The type within the category, e.g. <c>pc</c>, <c>im</c>.</param>
/// <param name="Name">The natural-language name, or null.</param>
/// <param name="Lang">The language of the name (<c>xml:lang</c>), or null.</param>
public sealed record Identity(string Category, string Type, string? Name = null, string? Lang = null);

/// <summary>One field of a XEP-0004 data form as XEP-0128 uses it: a variable, an optional type, its values.</summary>
/// <param name="Var">The field variable (<c>var</c>), or null when absent (allowed only for <c>fixed</c> fields).</param>
/// <param name="Type">The field type (<c>hidden</c>, <c>text-single</c>, <c>text-multi</c>, ...), or null.</param>
/// <param name="Values">The <c>value</c> children in document order.</param>
public sealed record DataFormField(string? Var, string? Type, IReadOnlyList<string> Values)
{
    /// <summary>Creates a field with a variable and its values (no type).</summary>
    public static DataFormField Of(string var, params string[] values) => new(var, null, values);
}

/// <summary>A XEP-0004 data form (<c>jabber:x:data</c>), as carried in disco#info by XEP-0128.</summary>
/// <param name="Type">The form type attribute (<c>result</c> for XEP-0128), or null when absent.</param>
/// <param name="Fields">The fields in document order, the FORM_TYPE field included.</param>
public sealed record DataForm(string? Type, IReadOnlyList<DataFormField> Fields)
{
    /// <summary>The name of the field that says which standard the form follows (XEP-0068).</summary>
    public const string FormTypeVar = "FORM_TYPE";

    /// <summary>True when the form has <c>reported</c> or <c>item</c> children (multi-item results).</summary>
    public bool HasReportedOrItems { get; init; }

    /// <summary>The first value of the first FORM_TYPE field, or null when there is none.</summary>
    public string? FormType => FormTypeField is { Values.Count: > 0 } typeField ? typeField.Values[0] : null;

    /// <summary>The first FORM_TYPE field, or null.</summary>
    public DataFormField? FormTypeField
    {
        get
        {
            foreach (var candidate in Fields)
            {
                if (candidate.Var == FormTypeVar)
                {
                    return candidate;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Creates a <c>result</c> form with a hidden FORM_TYPE field holding <paramref name="formType"/> followed by
    /// <paramref name="fields"/> (the shape XEP-0128 asks for).
    /// </summary>
    public static DataForm Create(string formType, params DataFormField[] fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(formType);
        var all = new List<DataFormField>(fields.Length + 1) { new(FormTypeVar, "hidden", [formType]) };
        all.AddRange(fields);
        return new DataForm("result", all);
    }
}

/// <summary>
/// The answer to a disco#info query (XEP-0030 §3): identities, features and XEP-0128 extension forms, in the order
/// received. Strings are character data after XML unescaping (once).
/// </summary>
/// <param name="Identities">The identities.</param>
/// <param name="Features">The feature vars (duplicates kept as received).</param>
/// <param name="Forms">The <c>jabber:x:data</c> forms.</param>
/// <param name="Node">The <c>node</c> attribute of the query, or null.</param>
public sealed record DiscoInfo(IReadOnlyList<Identity> Identities, IReadOnlyList<string> Features, IReadOnlyList<DataForm> Forms, string? Node = null)
{
    /// <summary>An answer with nothing in it.</summary>
    public static DiscoInfo Empty { get; } = new([], [], []);

    /// <summary>
    /// Names of children of the query that are none of identity, feature or a <c>jabber:x:data</c> form (XEP-0390
    /// §4.1 refuses to hash such a query).
    /// </summary>
    public IReadOnlyList<System.Xml.Linq.XName> UnknownChildren { get; init; } = [];

    /// <summary>True when <paramref name="feature"/> is listed.</summary>
    public bool HasFeature(string feature)
    {
        foreach (var f in Features)
        {
            if (f == feature)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>This answer with another <see cref="Node"/>.</summary>
    public DiscoInfo WithNode(string? node) => this with { Node = node };
}

/// <summary>An item of a disco#items answer (XEP-0030 §4): a JID, optionally a node, optionally a name.</summary>
/// <param name="Jid">The item's address.</param>
/// <param name="Node">The node at that address, or null.</param>
/// <param name="Name">A natural-language name, or null.</param>
public sealed record DiscoItem(Jid Jid, string? Node = null, string? Name = null);

/// <summary>The answer to a disco#items query.</summary>
/// <param name="Items">The items in the order received.</param>
/// <param name="Node">The <c>node</c> attribute of the query, or null.</param>
public sealed record DiscoItems(IReadOnlyList<DiscoItem> Items, string? Node = null)
{
    /// <summary>An answer with no items.</summary>
    public static DiscoItems Empty { get; } = new([]);
}
