namespace Harness.Ssdp.Messages;

/// <summary>
/// A parsed USN (unique service name, UDA 1.1 §1.1.4): <c>uuid:X</c>, <c>uuid:X::upnp:rootdevice</c>,
/// <c>uuid:X::urn:domain:device:T:v</c> or <c>uuid:X::urn:domain:service:S:v</c>. A value type over the original
/// string; parsing does not allocate.
/// </summary>
public readonly struct SsdpUsn : IEquatable<SsdpUsn>
{
    private const string Separator = "::";
    private readonly string? _value;
    private readonly int _udnLength;

    private SsdpUsn(string value, int udnLength)
    {
        _value = value;
        _udnLength = udnLength;
    }

    /// <summary>The USN exactly as given (never null).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True when the USN starts with the exact lower-case prefix <c>uuid:</c> followed by something.</summary>
    public bool HasUuidPrefix => Value.Length > 5 && Value.StartsWith("uuid:", StringComparison.Ordinal);

    /// <summary>The device part (<c>uuid:X</c>, as the <c>UDN</c> of the description), or the whole value when it has no <c>::</c>.</summary>
    public string Udn => _udnLength == Value.Length ? Value : Value[.._udnLength];

    /// <summary>The part after <c>::</c> as a target; <see cref="SsdpTargetKind.Empty"/> for a bare <c>uuid:X</c>.</summary>
    public SsdpTarget Suffix => _udnLength >= Value.Length ? SsdpTarget.Parse(null) : SsdpTarget.Parse(Value[(_udnLength + Separator.Length)..]);

    /// <summary>True for a bare <c>uuid:X</c>.</summary>
    public bool IsBare => _udnLength >= Value.Length;

    /// <summary>Parses a USN. Never throws.</summary>
    public static SsdpUsn Parse(string? value)
    {
        value ??= string.Empty;
        var separator = value.IndexOf(Separator, StringComparison.Ordinal);
        return new SsdpUsn(value, separator < 0 ? value.Length : separator);
    }

    /// <summary>
    /// The USN that goes with a notification type: the UDN alone for <c>uuid:</c> targets, else <c>UDN::NT</c>
    /// (UDA 1.1 §1.2.2, table of NT/USN pairs).
    /// </summary>
    public static SsdpUsn Create(string udn, SsdpTarget notificationType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(udn);
        return notificationType.Kind is SsdpTargetKind.Uuid or SsdpTargetKind.Empty
            ? Parse(udn)
            : Parse(udn + Separator + notificationType.Value);
    }

    /// <summary>
    /// True when this USN is the one UDA pairs with <paramref name="target"/>: <c>uuid:X</c> for <c>uuid:X</c>, else a
    /// <c>uuid:…::</c> USN whose suffix is the target. Prefixes and UUIDs compare ignoring case.
    /// </summary>
    public bool Agrees(SsdpTarget target)
    {
        if (target.Kind == SsdpTargetKind.Uuid)
        {
            return IsBare && Value.Equals(target.Value, StringComparison.OrdinalIgnoreCase);
        }

        return !IsBare && Value.AsSpan(_udnLength + Separator.Length).SequenceEqual(target.Value);
    }

    /// <inheritdoc />
    public bool Equals(SsdpUsn other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SsdpUsn other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Equality by <see cref="Value"/>.</summary>
    public static bool operator ==(SsdpUsn left, SsdpUsn right) => left.Equals(right);

    /// <summary>Inequality by <see cref="Value"/>.</summary>
    public static bool operator !=(SsdpUsn left, SsdpUsn right) => !left.Equals(right);
}
