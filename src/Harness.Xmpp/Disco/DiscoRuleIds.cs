namespace Harness.Xmpp.Disco;

/// <summary>
/// Rule ids the disco codec reports in <see cref="Harness.Core.Diagnostics.Violation.RuleId"/> (checklist ids from
/// <c>specs/xmpp.md</c>).
/// </summary>
public static class DiscoRuleIds
{
    /// <summary>A disco#info result has at least one identity (XEP-0030 §3.1).</summary>
    public const string NoIdentity = "XMPP-DISCO-002";

    /// <summary>A disco#info result lists the disco#info feature (XEP-0030 §3.1).</summary>
    public const string NoDiscoInfoFeature = "XMPP-DISCO-003";

    /// <summary>Every identity has a non-empty category and type (XEP-0030 §3.1).</summary>
    public const string IdentityAttributes = "XMPP-DISCO-004";

    /// <summary>No two identities share category, type and xml:lang (XEP-0030 §3.1).</summary>
    public const string DuplicateIdentity = "XMPP-DISCO-005";

    /// <summary>Every feature has a var and no children; a var is listed once (XEP-0030 §3.1).</summary>
    public const string FeatureForm = "XMPP-DISCO-006";

    /// <summary>The answer echoes the node of the request (XEP-0030 §3.2).</summary>
    public const string NodeEcho = "XMPP-DISCO-007";

    /// <summary>Every item has a valid jid, a non-empty node when present, no character data (XEP-0030 §4.1).</summary>
    public const string ItemForm = "XMPP-DISCO-011";

    /// <summary>Extended info is a <c>result</c> form with a hidden FORM_TYPE (XEP-0128 §2).</summary>
    public const string ExtendedInfoForm = "XMPP-DISCO-018";

    /// <summary>A disco#items result carries no extended-info form (XEP-0128 §2).</summary>
    public const string FormInItems = "XMPP-DISCO-019";

    /// <summary>Reader id: the element is not a disco query of the expected namespace.</summary>
    public const string NotAQuery = "XMPP-DISCO-SYNTAX";
}
