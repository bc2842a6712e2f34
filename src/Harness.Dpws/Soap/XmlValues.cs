using System.Xml.Linq;

namespace Harness.Dpws.Soap;

/// <summary>Small helpers for XML text: whitespace, QName values and detaching elements with their namespace context.</summary>
internal static class XmlValues
{
    private static readonly char[] Whitespace = [' ', '\t', '\r', '\n'];

    /// <summary>The value without leading and trailing XML whitespace (space, tab, CR, LF).</summary>
    public static string Trim(string value) => value.Trim(Whitespace);

    /// <summary>True when the text contains only XML whitespace.</summary>
    public static bool IsWhitespace(string value) => value.AsSpan().IndexOfAnyExcept(" \t\r\n") < 0;

    /// <summary>Splits a whitespace-separated list (any XML whitespace, newlines included).</summary>
    public static string[] SplitList(string value) => value.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Resolves a QName value (<c>prefix:local</c> or <c>local</c>) through the declarations in scope at
    /// <paramref name="context"/>; null when the prefix is not declared or the text is not a QName.
    /// </summary>
    public static XName? ResolveQName(XElement context, string text, out string? prefix)
    {
        prefix = null;
        text = Trim(text);
        if (text.Length == 0)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon == 0 || colon == text.Length - 1 || text.IndexOf(':', colon + 1) >= 0)
        {
            return null;
        }

        string local;
        XNamespace ns;
        if (colon < 0)
        {
            local = text;
            ns = context.GetDefaultNamespace();
        }
        else
        {
            prefix = text[..colon];
            local = text[(colon + 1)..];
            var found = context.GetNamespaceOfPrefix(prefix);
            if (found is null)
            {
                return null;
            }

            ns = found;
        }

        try
        {
            return ns + System.Xml.XmlConvert.VerifyNCName(local);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>
    /// A copy of <paramref name="element"/> that carries the namespace declarations it needs from its ancestors: those
    /// of the namespaces its names use and of the prefixes its text uses as QNames, so it can be written elsewhere
    /// (echoed reference parameters, extension elements).
    /// </summary>
    public static XElement Detach(XElement element)
    {
        var copy = new XElement(element);
        if (element.Parent is null)
        {
            return copy;
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in copy.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
            {
                declared.Add(attribute.Name.Namespace == XNamespace.None ? string.Empty : attribute.Name.LocalName);
            }
        }

        var wanted = new List<string>();
        foreach (var node in copy.DescendantsAndSelf())
        {
            AddPrefixOf(element, node.Name.Namespace, wanted);
            foreach (var attribute in node.Attributes())
            {
                if (!attribute.IsNamespaceDeclaration && attribute.Name.Namespace != XNamespace.None)
                {
                    AddPrefixOf(element, attribute.Name.Namespace, wanted);
                }
            }

            if (!node.HasElements)
            {
                foreach (var token in SplitList(node.Value))
                {
                    var colon = token.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && !token.Contains("//", StringComparison.Ordinal) && !wanted.Contains(token[..colon]))
                    {
                        wanted.Add(token[..colon]);
                    }
                }
            }
        }

        foreach (var prefix in wanted)
        {
            if (declared.Contains(prefix) || prefix == "xml" || prefix == "xmlns")
            {
                continue;
            }

            var ns = element.GetNamespaceOfPrefix(prefix);
            if (ns is not null)
            {
                copy.Add(new XAttribute(XNamespace.Xmlns + prefix, ns.NamespaceName));
                declared.Add(prefix);
            }
        }

        return copy;
    }

    private static void AddPrefixOf(XElement scope, XNamespace ns, List<string> wanted)
    {
        if (ns == XNamespace.None || ns == XNamespace.Xml)
        {
            return;
        }

        var prefix = scope.GetPrefixOfNamespace(ns);
        if (prefix is not null && !wanted.Contains(prefix))
        {
            wanted.Add(prefix);
        }
    }
}
