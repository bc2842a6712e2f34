namespace Harness.Xmpp.Caps;

/// <summary>Rule ids the caps code reports (checklist ids from <c>specs/xmpp.md</c>).</summary>
public static class CapsRuleIds
{
    /// <summary>The 115 <c>c</c> element has hash, node and ver, and no ext.</summary>
    public const string CapsElement = "XMPP-CAPS-001";

    /// <summary>A form without FORM_TYPE, or with a FORM_TYPE not of type hidden, is ignored.</summary>
    public const string FormIgnored = "XMPP-CAPS-007";

    /// <summary>Two identities with the same category/type/lang/name: ill-formed.</summary>
    public const string DuplicateIdentity = "XMPP-CAPS-010";

    /// <summary>A feature listed twice: ill-formed in strict mode, a warning in lenient mode.</summary>
    public const string DuplicateFeature = "XMPP-CAPS-011";

    /// <summary>Two forms with the same FORM_TYPE, or a FORM_TYPE with two different values: ill-formed.</summary>
    public const string FormTypeConflict = "XMPP-CAPS-012";

    /// <summary>A <c>c</c> without hash (legacy): ver is not verified, nothing cached.</summary>
    public const string LegacyCaps = "XMPP-CAPS-013";

    /// <summary>An unsupported hash: query, but do not cache globally.</summary>
    public const string UnsupportedHash = "XMPP-CAPS-014";

    /// <summary>The ver matches the disco#info (possibly by a known variant, reported).</summary>
    public const string Verified = "XMPP-CAPS-015";

    /// <summary>The ver does not match the disco#info: not cached.</summary>
    public const string Mismatch = "XMPP-CAPS-016";

    /// <summary>XEP-0390 hash input aborted (foreign child, reported/item, FORM_TYPE rules).</summary>
    public const string HashInputAborted = "XMPP-CAPS2-003";

    /// <summary>A XEP-0390 hash node or hash element is malformed.</summary>
    public const string HashNode = "XMPP-CAPS2-004";
}
