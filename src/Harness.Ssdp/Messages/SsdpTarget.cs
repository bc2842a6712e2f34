namespace Harness.Ssdp.Messages;

/// <summary>What an ST (search target) or NT (notification type) names.</summary>
public enum SsdpTargetKind
{
    /// <summary>Empty or missing.</summary>
    Empty,

    /// <summary><c>ssdp:all</c>: every device and service (search only).</summary>
    All,

    /// <summary><c>upnp:rootdevice</c>.</summary>
    RootDevice,

    /// <summary><c>uuid:X</c>: one device by its UDN.</summary>
    Uuid,

    /// <summary><c>urn:domain:device:type:v</c>.</summary>
    DeviceType,

    /// <summary><c>urn:domain:service:type:v</c>.</summary>
    ServiceType,

    /// <summary>
    /// Anything else: a vendor value such as <c>nanoleaf_aurora:light</c>, a type without a version, a kind other than
    /// <c>device</c>/<c>service</c>. Matched by exact string comparison only.
    /// </summary>
    Other,
}

/// <summary>
/// A parsed ST or NT value (UDA 1.1 §1.2.2, §1.3.2). A value type over the original string: parsing does not
/// allocate; <see cref="Domain"/>, <see cref="TypeName"/> and <see cref="Uuid"/> cut their substring when read.
/// </summary>
public readonly struct SsdpTarget : IEquatable<SsdpTarget>
{
    /// <summary>The standard UPnP Forum domain, <c>schemas-upnp-org</c>.</summary>
    public const string StandardDomain = "schemas-upnp-org";

    /// <summary><c>ssdp:all</c>.</summary>
    public const string AllValue = "ssdp:all";

    /// <summary><c>upnp:rootdevice</c>.</summary>
    public const string RootDeviceValue = "upnp:rootdevice";

    private readonly string? _value;
    private readonly short _domainStart;
    private readonly short _domainLength;
    private readonly short _typeStart;
    private readonly short _typeLength;

    private SsdpTarget(string value, SsdpTargetKind kind, int domainStart = 0, int domainLength = 0, int typeStart = 0, int typeLength = 0, int version = 0)
    {
        _value = value;
        Kind = kind;
        _domainStart = (short)domainStart;
        _domainLength = (short)domainLength;
        _typeStart = (short)typeStart;
        _typeLength = (short)typeLength;
        Version = version;
    }

    /// <summary><c>ssdp:all</c>.</summary>
    public static SsdpTarget All { get; } = new(AllValue, SsdpTargetKind.All);

    /// <summary><c>upnp:rootdevice</c>.</summary>
    public static SsdpTarget RootDevice { get; } = new(RootDeviceValue, SsdpTargetKind.RootDevice);

    /// <summary>The value exactly as given (never null; empty for <see cref="SsdpTargetKind.Empty"/>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>What the value names.</summary>
    public SsdpTargetKind Kind { get; }

    /// <summary>The version of a device or service type (at least 1), else 0.</summary>
    public int Version { get; }

    /// <summary>True for a device or service type.</summary>
    public bool IsType => Kind is SsdpTargetKind.DeviceType or SsdpTargetKind.ServiceType;

    /// <summary>The domain of a device or service type (e.g. <c>schemas-upnp-org</c>), else null.</summary>
    public string? Domain => IsType ? Value.Substring(_domainStart, _domainLength) : null;

    /// <summary>The type name of a device or service type (e.g. <c>MediaServer</c>), else null.</summary>
    public string? TypeName => IsType ? Value.Substring(_typeStart, _typeLength) : null;

    /// <summary>True for a type in the UPnP Forum's domain; false for vendor domains and other kinds.</summary>
    public bool IsStandardDomain => IsType && Value.AsSpan(_domainStart, _domainLength).SequenceEqual(StandardDomain);

    /// <summary>The UUID of a <c>uuid:X</c> value without its prefix, else null.</summary>
    public string? Uuid => Kind == SsdpTargetKind.Uuid ? Value[5..] : null;

    /// <summary>Parses an ST or NT value. Never throws; null and whitespace give <see cref="SsdpTargetKind.Empty"/>.</summary>
    public static SsdpTarget Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new SsdpTarget(value ?? string.Empty, SsdpTargetKind.Empty);
        }

        var span = value.AsSpan();
        if (span.SequenceEqual(AllValue))
        {
            return new SsdpTarget(value, SsdpTargetKind.All);
        }

        if (span.SequenceEqual(RootDeviceValue))
        {
            return new SsdpTarget(value, SsdpTargetKind.RootDevice);
        }

        if (span.Length > 5 && span.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase))
        {
            return new SsdpTarget(value, SsdpTargetKind.Uuid);
        }

        if (span.Length > 4 && span.Length < short.MaxValue && span.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            // urn:domain:kind:type:version: exactly five colon-separated parts.
            var rest = span[4..];
            var c1 = rest.IndexOf(':');
            if (c1 > 0)
            {
                var afterDomain = rest[(c1 + 1)..];
                var c2 = afterDomain.IndexOf(':');
                if (c2 > 0)
                {
                    var kindText = afterDomain[..c2];
                    var afterKind = afterDomain[(c2 + 1)..];
                    var c3 = afterKind.IndexOf(':');
                    if (c3 > 0 && afterKind[(c3 + 1)..].IndexOf(':') < 0)
                    {
                        var versionText = afterKind[(c3 + 1)..];
                        var kind = kindText.SequenceEqual("device") ? SsdpTargetKind.DeviceType
                            : kindText.SequenceEqual("service") ? SsdpTargetKind.ServiceType
                            : SsdpTargetKind.Other;
                        if (kind != SsdpTargetKind.Other && TryParseVersion(versionText, out var version))
                        {
                            var typeStart = 4 + c1 + 1 + c2 + 1;
                            return new SsdpTarget(value, kind, 4, c1, typeStart, c3, version);
                        }
                    }
                }
            }
        }

        return new SsdpTarget(value, SsdpTargetKind.Other);
    }

    /// <summary><c>uuid:X</c> for a UUID (given with or without its <c>uuid:</c> prefix).</summary>
    public static SsdpTarget ForUuid(string uuid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uuid);
        return Parse(uuid.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase) ? uuid : "uuid:" + uuid);
    }

    /// <summary><c>urn:domain:device:type:version</c>.</summary>
    public static SsdpTarget ForDeviceType(string type, int version, string domain = StandardDomain) =>
        ForType("device", type, version, domain);

    /// <summary><c>urn:domain:service:type:version</c>.</summary>
    public static SsdpTarget ForServiceType(string type, int version, string domain = StandardDomain) =>
        ForType("service", type, version, domain);

    /// <summary>
    /// Decides whether a search for this target (the ST of an M-SEARCH) is answered by a device that advertises
    /// <paramref name="advertised"/> (one NT of its announcement set), following UDA 1.1 §1.3.2: <c>ssdp:all</c>
    /// matches everything; a device or service type matches the same domain, kind and type name (exact, case
    /// sensitive) at any version from 1 up to the advertised one; a UUID matches ignoring case; anything else
    /// matches only the identical string.
    /// </summary>
    /// <param name="advertised">One NT the device announces.</param>
    /// <param name="responseTarget">
    /// The ST to put in the response: the advertised NT for <c>ssdp:all</c>, else the searched value (so a
    /// version-2 device answering a version-1 search echoes version 1).
    /// </param>
    public bool Matches(SsdpTarget advertised, out string responseTarget)
    {
        responseTarget = Value;
        switch (Kind)
        {
            case SsdpTargetKind.All:
                responseTarget = advertised.Value;
                return advertised.Kind != SsdpTargetKind.Empty;
            case SsdpTargetKind.RootDevice:
                return advertised.Kind == SsdpTargetKind.RootDevice;
            case SsdpTargetKind.Uuid:
                return advertised.Kind == SsdpTargetKind.Uuid
                    && Value.AsSpan(5).Equals(advertised.Value.AsSpan(5), StringComparison.OrdinalIgnoreCase);
            case SsdpTargetKind.DeviceType:
            case SsdpTargetKind.ServiceType:
                return advertised.Kind == Kind
                    && Version >= 1
                    && Version <= advertised.Version
                    && Value.AsSpan(_domainStart, _domainLength).SequenceEqual(advertised.Value.AsSpan(advertised._domainStart, advertised._domainLength))
                    && Value.AsSpan(_typeStart, _typeLength).SequenceEqual(advertised.Value.AsSpan(advertised._typeStart, advertised._typeLength));
            case SsdpTargetKind.Other:
                return advertised.Kind == SsdpTargetKind.Other && string.Equals(Value, advertised.Value, StringComparison.Ordinal);
            default:
                return false;
        }
    }

    /// <summary>This type at another version (device and service types only).</summary>
    public SsdpTarget WithVersion(int version)
    {
        if (!IsType)
        {
            throw new InvalidOperationException($"'{Value}' is not a device or service type.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return Parse(string.Concat(Value.AsSpan(0, _typeStart + _typeLength + 1), version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <inheritdoc />
    public bool Equals(SsdpTarget other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SsdpTarget other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Equality by <see cref="Value"/>.</summary>
    public static bool operator ==(SsdpTarget left, SsdpTarget right) => left.Equals(right);

    /// <summary>Inequality by <see cref="Value"/>.</summary>
    public static bool operator !=(SsdpTarget left, SsdpTarget right) => !left.Equals(right);

    private static SsdpTarget ForType(string kind, string type, int version, string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        if (type.Contains(':', StringComparison.Ordinal) || domain.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("A domain or type name cannot contain ':'.", nameof(type));
        }

        var target = Parse(FormattableString.Invariant($"urn:{domain}:{kind}:{type}:{version}"));
        return target.IsType ? target : throw new ArgumentException($"'{target.Value}' is not a valid type.", nameof(type));
    }

    private static bool TryParseVersion(ReadOnlySpan<char> text, out int version)
    {
        version = 0;
        if (text.IsEmpty || text.Length > 9)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            version = (version * 10) + (c - '0');
        }

        return version >= 1;
    }
}
