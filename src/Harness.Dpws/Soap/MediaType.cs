namespace Harness.Dpws.Soap;

/// <summary>
/// A parsed media type header value (<c>type/subtype; name=value; name="quoted value"</c>), lenient: parameter names
/// are case-insensitive, quoted strings may hold semicolons and backslash escapes, junk parameters are skipped.
/// </summary>
public sealed class MediaType
{
    private MediaType(string value, IReadOnlyDictionary<string, string> parameters)
    {
        Value = value;
        Parameters = parameters;
    }

    /// <summary>The lower-case <c>type/subtype</c>, or an empty string when absent.</summary>
    public string Value { get; }

    /// <summary>The parameters, unquoted, keyed case-insensitively (first occurrence wins).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>A parameter value, or null.</summary>
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>True when <see cref="Value"/> equals <paramref name="mediaType"/> (case-insensitive).</summary>
    public bool Is(string mediaType) => string.Equals(Value, mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a header value; a null or empty value gives an empty media type.</summary>
    public static MediaType Parse(string? header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header))
        {
            return new MediaType(string.Empty, parameters);
        }

        var span = header.AsSpan();
        var semicolon = span.IndexOf(';');
        var value = (semicolon < 0 ? span : span[..semicolon]).Trim().ToString().ToLowerInvariant();
        var i = semicolon < 0 ? span.Length : semicolon + 1;
        while (i < span.Length)
        {
            while (i < span.Length && (span[i] == ' ' || span[i] == '\t' || span[i] == ';'))
            {
                i++;
            }

            var nameStart = i;
            while (i < span.Length && span[i] != '=' && span[i] != ';')
            {
                i++;
            }

            var name = span[nameStart..i].Trim().ToString();
            if (i >= span.Length || span[i] == ';')
            {
                continue;
            }

            i++;
            while (i < span.Length && (span[i] == ' ' || span[i] == '\t'))
            {
                i++;
            }

            string parameterValue;
            if (i < span.Length && span[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < span.Length && span[i] != '"')
                {
                    if (span[i] == '\\' && i + 1 < span.Length)
                    {
                        i++;
                    }

                    builder.Append(span[i]);
                    i++;
                }

                i++;
                parameterValue = builder.ToString();
                while (i < span.Length && span[i] != ';')
                {
                    i++;
                }
            }
            else
            {
                var valueStart = i;
                while (i < span.Length && span[i] != ';')
                {
                    i++;
                }

                parameterValue = span[valueStart..i].Trim().ToString();
            }

            if (name.Length > 0)
            {
                parameters.TryAdd(name, parameterValue);
            }
        }

        return new MediaType(value, parameters);
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
