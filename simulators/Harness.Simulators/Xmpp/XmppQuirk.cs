using System.Xml.Linq;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Simulators.Xmpp;

/// <summary>
/// A named way in which a simulated XMPP entity deviates from XEP-0030 / XEP-0115 / XEP-0128 (checklist
/// <c>specs/xmpp.md</c>), imitating a real implementation or a known mistake. <c>harness simulate --xmpp N --quirk
/// NAME</c>, fleet files and <see cref="FakeXmppEntityOptions.Quirk"/> name it by <see cref="Name"/>.
/// </summary>
/// <param name="Name">The stable name, e.g. <c>caps-wrong-hash</c> (lower case, digits and '-').</param>
/// <param name="Description">What the entity does wrong, in a sentence.</param>
/// <param name="ExpectedFailures">
/// The XMPP rule ids (<c>specs/xmpp.md</c> §2) the XMPP suite is expected to fail (Fail, Warn or Info) against an
/// entity with this quirk; every other rule passes or does not apply. The lists hold for the Client kind (the default):
/// service kinds lack some of what a quirk changes (a MUC service has no node items, only a client sends presence).
/// </param>
public sealed record XmppQuirk(string Name, string Description, IReadOnlyList<string> ExpectedFailures)
{
    /// <summary>Where the deviation was seen (implementation, capsdb, spec note), or null.</summary>
    public string? SeenIn { get; init; }

    /// <summary>
    /// True when the deviation only shows after <see cref="FakeXmppEntity.ChangeFeaturesAsync"/> (a judge has to change
    /// the entity's features to see it).
    /// </summary>
    public bool NeedsFeatureChange { get; init; }

    /// <summary>How the entity applies it (a quirk made outside this assembly has no behaviour).</summary>
    internal XmppQuirkPlan Plan { get; init; } = XmppQuirkPlan.None;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>What a quirk changes: the info the entity serves and hashes, how it computes its caps, and the wire.</summary>
internal sealed record XmppQuirkPlan
{
    public static XmppQuirkPlan None { get; } = new();

    /// <summary>Changes the root info the entity serves (and hashes: its caps stay consistent with what it serves).</summary>
    public Func<DiscoInfo, DiscoInfo>? RootInfo { get; init; }

    /// <summary>Changes the info the XEP-0115 ver is computed from (the served info stays as it is).</summary>
    public Func<DiscoInfo, DiscoInfo>? VerInput { get; init; }

    /// <summary>How the XEP-0115 ver is computed.</summary>
    public Caps115Variant VerVariant { get; init; } = Caps115Variant.Spec;

    /// <summary>The caps (115 and 390) are computed once; after a feature change the old ones are announced again and
    /// their nodes answer the changed info.</summary>
    public bool StaleCaps { get; init; }

    /// <summary>No XEP-0390: neither the <c>urn:xmpp:caps</c> feature nor a hash set.</summary>
    public bool Without390 { get; init; }

    /// <summary>Rewrites an outgoing presence (its caps elements).</summary>
    public Action<XElement, FakeXmppEntity>? Presence { get; init; }

    /// <summary>Rewrites the payload of an iq result (the request, the payload; returns the new payload).</summary>
    public Func<XElement, XElement?, XElement?>? Result { get; init; }

    /// <summary>Replaces the stanza error an iq handler answers with.</summary>
    public Func<XElement, XmppStanzaException, XmppStanzaException>? Error { get; init; }

    /// <summary>Refuses a request before it reaches the handler (null: handle it).</summary>
    public Func<XElement, FakeXmppEntity, XmppStanzaException?>? Refuse { get; init; }
}

/// <summary>The XMPP quirk catalogue (<c>specs/xmpp.md</c> §1.3 and §2): deviations of real implementations and common mistakes.</summary>
public static class XmppQuirks
{
    /// <summary>The suffix the <c>caps-escaped</c> quirk appends to identity names (the XEP-0115 §5.1 warning's case).</summary>
    public const string EscapeSuffix = " <beta> & co";

    /// <summary>The FORM_TYPE of the extra form the <c>caps-forms-document-order</c> quirk puts first.</summary>
    public const string DeviceFormType = "urn:xmpp:harness:device";

    /// <summary>The jid of the invalid item the <c>items-invalid-jid</c> quirk adds.</summary>
    public const string InvalidItemJid = "bad@@jid";

    /// <summary>The ver the <c>caps-legacy</c> quirk announces (a version string, as before XEP-0115 1.5).</summary>
    public const string LegacyExt = "cs ep-notify html";

    /// <summary>Every XMPP quirk, in catalogue order.</summary>
    public static IReadOnlyList<XmppQuirk> All { get; } = [.. Create()];

    /// <summary>The quirk with this name (ignoring case), or null.</summary>
    public static XmppQuirk? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(q => string.Equals(q.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<XmppQuirk> Create()
    {
        yield return new XmppQuirk(
            "caps-wrong-hash",
            "The XEP-0115 ver is the hash of the features without the caps feature (the §5.2 prose lists three of the four); its node#ver answers the real info.",
            ["XMPP-CAPS-016"])
        {
            SeenIn = "XEP-0115 §5.2 example prose (checklist XMPP-CAPS-002: SrFo9ar2CCk2EnOH4q4QANeuxLQ=)",
            Plan = new XmppQuirkPlan { VerInput = info => info with { Features = [.. info.Features.Where(f => f != Caps115.NamespaceName)] } },
        };
        yield return new XmppQuirk(
            "caps-escaped",
            "Identity names hold '<', '>' and '&', and the ver hashes them XML-escaped (&lt; &gt; &amp;) instead of raw.",
            ["XMPP-CAPS-008", "XMPP-CAPS-015"])
        {
            SeenIn = "aioxmpp 0.13 entitycaps/caps115.py; capsdb verify.py",
            Plan = new XmppQuirkPlan
            {
                RootInfo = info => info with { Identities = [.. info.Identities.Select(i => i with { Name = (i.Name ?? "Harness") + EscapeSuffix })] },
                VerVariant = Caps115Variant.EscapedXml,
            },
        };
        yield return new XmppQuirk(
            "caps-forms-document-order",
            $"Two extension forms, '{DeviceFormType}' first; the ver hashes the forms in document order instead of sorted by FORM_TYPE.",
            ["XMPP-CAPS-006", "XMPP-CAPS-016"])
        {
            SeenIn = "Smack's caps generator (walks the forms in document order)",
            Plan = new XmppQuirkPlan { RootInfo = WithDeviceFormFirst, VerVariant = Caps115Variant.FormsInDocumentOrder },
        };
        yield return new XmppQuirk(
            "duplicate-feature",
            "A feature is listed twice in disco#info, and the ver is computed with the duplicate kept.",
            ["XMPP-DISCO-006", "XMPP-CAPS-011"])
        {
            SeenIn = "33 capsdb entries (ver computed with the duplicates kept)",
            Plan = new XmppQuirkPlan { RootInfo = info => info with { Features = [.. info.Features, info.Features.First(f => f != DiscoCodec.InfoNamespaceName)] } },
        };
        yield return new XmppQuirk(
            "duplicate-identity",
            "The first identity is listed twice (same category, type, xml:lang and name); the ver is computed over both.",
            ["XMPP-DISCO-005", "XMPP-CAPS-010"])
        {
            Plan = new XmppQuirkPlan { RootInfo = info => info with { Identities = [info.Identities[0], .. info.Identities] } },
        };
        yield return new XmppQuirk(
            "no-disco-info-feature",
            "disco#info answers do not list the http://jabber.org/protocol/disco#info feature (the ver matches what is served).",
            ["XMPP-DISCO-003"])
        {
            Plan = new XmppQuirkPlan { RootInfo = info => info with { Features = [.. info.Features.Where(f => f != DiscoCodec.InfoNamespaceName)] } },
        };
        yield return new XmppQuirk(
            "no-caps-feature",
            "The entity announces caps but its disco#info does not list http://jabber.org/protocol/caps.",
            ["XMPP-CAPS-020"])
        {
            Plan = new XmppQuirkPlan { RootInfo = info => info with { Features = [.. info.Features.Where(f => f != Caps115.NamespaceName)] } },
        };
        yield return new XmppQuirk(
            "identity-no-category",
            "The first identity has no category attribute.",
            ["XMPP-DISCO-004"])
        {
            Plan = new XmppQuirkPlan
            {
                RootInfo = info => info with { Identities = [info.Identities[0] with { Category = string.Empty }, .. info.Identities.Skip(1)] },
                Result = (_, payload) =>
                {
                    payload?.Elements(DiscoCodec.InfoNamespace + "identity").Attributes("category").Where(a => a.Value.Length == 0).Remove();
                    return payload;
                },
            },
        };
        yield return new XmppQuirk(
            "info-no-node-echo",
            "disco#info answers to a query with a node (the caps node#ver included) leave the node attribute out.",
            ["XMPP-DISCO-007", "XMPP-CAPS-018"])
        {
            Plan = new XmppQuirkPlan { Result = (_, payload) => StripNode(payload, DiscoCodec.InfoQueryName) },
        };
        yield return new XmppQuirk(
            "items-no-node-echo",
            "disco#items answers to a query with a node leave the node attribute out.",
            ["XMPP-DISCO-008"])
        {
            SeenIn = "aioxmpp 0.13 (checklist XMPP-DISCO-008)",
            Plan = new XmppQuirkPlan { Result = (_, payload) => StripNode(payload, DiscoCodec.ItemsQueryName) },
        };
        yield return new XmppQuirk(
            "unknown-node-modify",
            "A query for a node that does not exist is answered item-not-found with type modify instead of cancel.",
            ["XMPP-DISCO-009"])
        {
            SeenIn = "aioxmpp (checklist XMPP-DISCO-009)",
            Plan = new XmppQuirkPlan { Error = (_, error) => error.Condition == "item-not-found" ? new XmppStanzaException("modify", "item-not-found", error.Text) : error },
        };
        yield return new XmppQuirk(
            "unknown-node-wrong-condition",
            "A query for a node that does not exist is answered feature-not-implemented instead of item-not-found.",
            ["XMPP-DISCO-009"])
        {
            Plan = new XmppQuirkPlan { Error = (_, error) => error.Condition == "item-not-found" ? new XmppStanzaException("cancel", "feature-not-implemented", error.Text) : error },
        };
        yield return new XmppQuirk(
            "known-node-unavailable",
            "Every disco#info query with a node other than the caps nodes, for nodes the entity lists in its items too, is answered service-unavailable.",
            ["XMPP-DISCO-007", "XMPP-DISCO-013"])
        {
            Plan = new XmppQuirkPlan
            {
                Refuse = (iq, entity) => (string?)iq.Element(DiscoCodec.InfoQueryName)?.Attribute("node") is { } node
                    && !node.StartsWith(entity.CapsNode + "#", StringComparison.Ordinal) && !node.StartsWith(Caps390.NodePrefix, StringComparison.Ordinal)
                        ? new XmppStanzaException("cancel", "service-unavailable")
                        : null,
            },
        };
        yield return new XmppQuirk(
            "items-invalid-jid",
            $"Every disco#items answer carries an item with jid '{InvalidItemJid}' and one whose localpart has a space.",
            ["XMPP-DISCO-011"])
        {
            Plan = new XmppQuirkPlan { Result = AddInvalidItems },
        };
        yield return new XmppQuirk(
            "form-no-form-type",
            "The extension form (XEP-0128) has no FORM_TYPE field (so the ver leaves it out, and there is no XEP-0390 hash).",
            ["XMPP-DISCO-018", "XMPP-CAPS-007"])
        {
            Plan = new XmppQuirkPlan
            {
                RootInfo = info => info with { Forms = [.. info.Forms.Select(f => f with { Fields = [.. f.Fields.Where(x => x.Var != DataForm.FormTypeVar)] })] },
                Without390 = true,
            },
        };
        yield return new XmppQuirk(
            "form-type-not-hidden",
            "The extension form's FORM_TYPE field has type text-single instead of hidden (so the ver leaves the form out, and there is no XEP-0390 hash).",
            ["XMPP-DISCO-018", "XMPP-CAPS-007"])
        {
            Plan = new XmppQuirkPlan
            {
                RootInfo = info => info with
                {
                    Forms = [.. info.Forms.Select(f => f with { Fields = [.. f.Fields.Select(x => x.Var == DataForm.FormTypeVar ? x with { Type = "text-single" } : x)] })],
                },
                Without390 = true,
            },
        };
        yield return new XmppQuirk(
            "caps-legacy",
            $"Legacy caps (before XEP-0115 1.5): the c element has no hash, its ver is the software version and it carries ext='{LegacyExt}'; no XEP-0390.",
            ["XMPP-CAPS-001", "XMPP-CAPS-013"])
        {
            SeenIn = "XEP-0115 before 1.5 (2008) clients; capsdb legacy entries",
            Plan = new XmppQuirkPlan
            {
                Without390 = true,
                Presence = (presence, entity) =>
                {
                    if (presence.Element(CapsElement.Caps115Name) is { } c)
                    {
                        c.Attribute("hash")?.Remove();
                        c.SetAttributeValue("ver", entity.Identity.FirmwareVersion);
                        c.SetAttributeValue("ext", LegacyExt);
                    }
                },
            },
        };
        yield return new XmppQuirk(
            "caps-no-node",
            "The caps element in presence has hash and ver but no node attribute.",
            ["XMPP-CAPS-001"])
        {
            Plan = new XmppQuirkPlan { Presence = (presence, _) => presence.Element(CapsElement.Caps115Name)?.Attribute("node")?.Remove() },
        };
        yield return new XmppQuirk(
            "caps-stale-ver",
            "After a feature change the entity announces its first ver and hash set again, and their nodes answer the changed info.",
            ["XMPP-CAPS-016", "XMPP-CAPS-021", "XMPP-CAPS2-006"])
        {
            NeedsFeatureChange = true,
            Plan = new XmppQuirkPlan { StaleCaps = true },
        };
    }

    private static DiscoInfo WithDeviceFormFirst(DiscoInfo info)
    {
        var device = DataForm.Create(DeviceFormType, DataFormField.Of("model", "X"), DataFormField.Of("serial", "0"));
        return info with { Forms = [device, .. info.Forms] };
    }

    private static XElement? StripNode(XElement? payload, XName query)
    {
        if (payload?.Name == query)
        {
            payload.Attribute("node")?.Remove();
        }

        return payload;
    }

    private static XElement? AddInvalidItems(XElement request, XElement? payload)
    {
        if (payload?.Name == DiscoCodec.ItemsQueryName)
        {
            var domain = Jid.TryParse((string?)request.Attribute("to"), out var to) ? to.Domain : "localhost";
            payload.Add(
                new XElement(DiscoCodec.ItemsNamespace + "item", new XAttribute("jid", InvalidItemJid), new XAttribute("name", "broken")),
                new XElement(DiscoCodec.ItemsNamespace + "item", new XAttribute("jid", "two words@" + domain), new XAttribute("name", "spaced")));
        }

        return payload;
    }
}
