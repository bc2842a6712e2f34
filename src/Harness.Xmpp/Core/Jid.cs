using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Harness.Xmpp.Core;

/// <summary>
/// An XMPP address (RFC 7622): <c>[localpart@]domainpart[/resourcepart]</c>. The domain and the localpart are compared
/// case-insensitively (their PRECIS profiles case-map; full PRECIS is not applied, ASCII lower-casing is), the resource
/// exactly. Each part is at most 1023 bytes of UTF-8, the domain is not empty, and no part holds a space or a control
/// character.
/// </summary>
public sealed class Jid : IEquatable<Jid>
{
    private const int MaxPartBytes = 1023;

    private Jid(string? local, string domain, string? resource)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
    }

    /// <summary>The localpart (the user or room name), or null.</summary>
    public string? Local { get; }

    /// <summary>The domainpart (server or service).</summary>
    public string Domain { get; }

    /// <summary>The resourcepart, or null for a bare JID.</summary>
    public string? Resource { get; }

    /// <summary>True when there is no resource.</summary>
    public bool IsBare => Resource is null;

    /// <summary>This JID without its resource.</summary>
    public Jid Bare => Resource is null ? this : new Jid(Local, Domain, null);

    /// <summary>Creates a JID from its parts; throws <see cref="FormatException"/> when a part is not allowed.</summary>
    public static Jid Create(string? local, string domain, string? resource = null)
    {
        var error = Check(local, domain, resource);
        return error is null ? new Jid(local, domain, resource) : throw new FormatException(error);
    }

    /// <summary>Parses a JID; throws <see cref="FormatException"/> with the reason when it is not one.</summary>
    public static Jid Parse(string text) =>
        TryParse(text, out var jid, out var error) ? jid : throw new FormatException(error);

    /// <summary>Parses a JID.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Jid? jid) =>
        TryParse(text, out jid, out _);

    /// <summary>Parses a JID, saying why not when it fails.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Jid? jid, out string? error)
    {
        jid = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "A JID cannot be empty.";
            return false;
        }

        if (text.Length > 3 * (MaxPartBytes + 1))
        {
            error = "The JID is too long.";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var resource = slash >= 0 ? text[(slash + 1)..] : null;
        var rest = slash >= 0 ? text[..slash] : text;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var local = at >= 0 ? rest[..at] : null;
        var domain = at >= 0 ? rest[(at + 1)..] : rest;
        if (domain.EndsWith('.'))
        {
            domain = domain[..^1];
        }

        error = Check(local, domain, resource);
        if (error is not null)
        {
            return false;
        }

        jid = new Jid(local, domain, resource);
        return true;
    }

    private static string? Check(string? local, string domain, string? resource)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return "A JID needs a domainpart.";
        }

        return CheckPart("localpart", local, "@/\"&'/:<>")
            ?? CheckPart("domainpart", domain, "@/")
            ?? CheckPart("resourcepart", resource, string.Empty);
    }

    private static string? CheckPart(string name, string? part, string forbidden)
    {
        if (part is null)
        {
            return null;
        }

        if (part.Length == 0)
        {
            return $"The JID's {name} is empty.";
        }

        if (Encoding.UTF8.GetByteCount(part) > MaxPartBytes)
        {
            return $"The JID's {name} is longer than {MaxPartBytes} bytes.";
        }

        foreach (var c in part)
        {
            if (char.IsControl(c) || (c == ' ' && name != "resourcepart") || forbidden.Contains(c, StringComparison.Ordinal))
            {
                return $"The JID's {name} holds a character it may not ('{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString())}').";
            }
        }

        return null;
    }

    /// <summary>This JID with another resource.</summary>
    public Jid WithResource(string? resource) => Create(Local, Domain, resource);

    /// <inheritdoc/>
    public bool Equals(Jid? other) =>
        other is not null
        && string.Equals(Local, other.Local, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Domain, other.Domain, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Resource, other.Resource, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Jid);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(
        Local is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Local),
        StringComparer.OrdinalIgnoreCase.GetHashCode(Domain),
        Resource is null ? 0 : StringComparer.Ordinal.GetHashCode(Resource));

    /// <summary>The JID as text: <c>local@domain/resource</c>.</summary>
    public override string ToString() =>
        (Local is null ? string.Empty : Local + "@") + Domain + (Resource is null ? string.Empty : "/" + Resource);

    /// <summary>Equality.</summary>
    public static bool operator ==(Jid? left, Jid? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Jid? left, Jid? right) => !(left == right);
}
