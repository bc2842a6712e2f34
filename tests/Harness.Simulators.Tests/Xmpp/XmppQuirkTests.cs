using System.Text.RegularExpressions;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Caps;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Simulators.Tests.Xmpp;

/// <summary>Each XMPP quirk shows its deviation on the wire, as a judge on another session sees it.</summary>
public sealed partial class XmppQuirkTests
{
    private const string Commands = "http://jabber.org/protocol/commands";

    /// <summary>The wire check of every quirk; the catalogue test checks that none is left out.</summary>
    private static readonly Dictionary<string, Func<XmppJudge, FakeXmppEntity, Task>> Checks = new(StringComparer.Ordinal)
    {
        ["caps-wrong-hash"] = async (judge, entity) =>
        {
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            var info = await InfoByCapsAsync(judge, entity, caps);
            var verification = Caps115.Verify(info, caps.Hash!, caps.Ver!);
            Assert.False(verification.IsValid);
            Assert.Contains(verification.Violations, v => v.RuleId == "XMPP-CAPS-016");
            Assert.Equal(Caps115.ComputeVer(info with { Features = [.. info.Features.Where(f => f != Caps115.NamespaceName)] }), caps.Ver);
        },
        ["caps-escaped"] = async (judge, entity) =>
        {
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            var info = await InfoByCapsAsync(judge, entity, caps);
            Assert.All(info.Identities, i => Assert.EndsWith(XmppQuirks.EscapeSuffix, i.Name, StringComparison.Ordinal));
            var verification = Caps115.Verify(info, caps.Hash!, caps.Ver!);
            Assert.True(verification.IsValid);
            Assert.Equal(Caps115Variant.EscapedXml, verification.Variant);
            Assert.Contains(verification.Violations, v => v.RuleId == "XMPP-CAPS-015" && v.Severity == ViolationSeverity.Warning);
        },
        ["caps-forms-document-order"] = async (judge, entity) =>
        {
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            var info = await InfoByCapsAsync(judge, entity, caps);
            Assert.Equal([XmppQuirks.DeviceFormType, "urn:xmpp:dataforms:softwareinfo"], info.Forms.Select(f => f.FormType));
            Assert.False(Caps115.Verify(info, caps.Hash!, caps.Ver!).IsValid);
            Assert.Equal(Caps115Variant.FormsInDocumentOrder, Caps115.Diagnose(info, caps.Hash, caps.Ver!).Variant);
        },
        ["duplicate-feature"] = async (judge, entity) =>
        {
            var query = await judge.InfoAsync(entity.Jid);
            var vars = query.Elements(DiscoCodec.InfoNamespace + "feature").Select(f => (string)f.Attribute("var")!).ToList();
            Assert.Single(vars.GroupBy(v => v), g => g.Count() == 2);
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            var info = DiscoCodec.ReadInfo(query).Info!;
            var lenient = Caps115.Verify(info, caps.Hash!, caps.Ver!);
            Assert.True(lenient.IsValid);
            Assert.Contains(lenient.Violations, v => v.RuleId == "XMPP-CAPS-011");
            Assert.False(Caps115.Verify(info, caps.Hash!, caps.Ver!, ReadMode.Strict).IsValid);
        },
        ["duplicate-identity"] = async (judge, entity) =>
        {
            var read = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid));
            Assert.Contains(read.Violations, v => v.RuleId == "XMPP-DISCO-005");
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            var verification = Caps115.Verify(read.Info!, caps.Hash!, caps.Ver!);
            Assert.False(verification.IsValid);
            Assert.Contains(verification.Violations, v => v.RuleId == "XMPP-CAPS-010");
        },
        ["no-disco-info-feature"] = async (judge, entity) =>
        {
            var read = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid));
            Assert.DoesNotContain(DiscoCodec.InfoNamespaceName, read.Info!.Features);
            Assert.Contains(read.Violations, v => v.RuleId == "XMPP-DISCO-003");
            await AssertCapsValidAsync(judge, entity);
        },
        ["no-caps-feature"] = async (judge, entity) =>
        {
            var info = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid)).Info!;
            Assert.DoesNotContain(Caps115.NamespaceName, info.Features);
            await AssertCapsValidAsync(judge, entity);
        },
        ["identity-no-category"] = async (judge, entity) =>
        {
            var query = await judge.InfoAsync(entity.Jid);
            Assert.Null(query.Elements(DiscoCodec.InfoNamespace + "identity").First().Attribute("category"));
            Assert.Contains(DiscoCodec.ReadInfo(query).Violations, v => v.RuleId == "XMPP-DISCO-004");
        },
        ["info-no-node-echo"] = async (judge, entity) =>
        {
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            Assert.Null((await judge.InfoAsync(entity.Jid, caps.DiscoNode)).Attribute("node"));
            Assert.Null((await judge.InfoAsync(entity.Jid, Commands)).Attribute("node"));
            Assert.Equal(Commands, (string?)(await judge.ItemsAsync(entity.Jid, Commands)).Attribute("node"));
        },
        ["items-no-node-echo"] = async (judge, entity) =>
        {
            Assert.Null((await judge.ItemsAsync(entity.Jid, Commands)).Attribute("node"));
            Assert.Equal(Commands, (string?)(await judge.InfoAsync(entity.Jid, Commands)).Attribute("node"));
        },
        ["unknown-node-modify"] = async (judge, entity) =>
        {
            var error = await judge.InfoErrorAsync(entity.Jid, "no-such-node");
            Assert.Equal(("modify", "item-not-found"), (error.ErrorType, error.Condition));
        },
        ["unknown-node-wrong-condition"] = async (judge, entity) =>
        {
            var error = await judge.ItemsErrorAsync(entity.Jid, "no-such-node");
            Assert.Equal(("cancel", "feature-not-implemented"), (error.ErrorType, error.Condition));
        },
        ["known-node-unavailable"] = async (judge, entity) =>
        {
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            Assert.Equal(caps.DiscoNode, (string?)(await judge.InfoAsync(entity.Jid, caps.DiscoNode)).Attribute("node"));
            Assert.Equal("service-unavailable", (await judge.InfoErrorAsync(entity.Jid, Commands)).Condition);
            Assert.Equal("service-unavailable", (await judge.InfoErrorAsync(entity.Jid, "set-status")).Condition);
            Assert.NotEmpty((await judge.ItemsAsync(entity.Jid, Commands)).Elements());
            Assert.NotEmpty((await judge.InfoAsync(entity.Jid)).Elements());
        },
        ["items-invalid-jid"] = async (judge, entity) =>
        {
            var read = DiscoCodec.ReadItems(await judge.ItemsAsync(entity.Jid));
            Assert.Equal(2, read.Violations.Count(v => v.RuleId == "XMPP-DISCO-011"));
        },
        ["form-no-form-type"] = async (judge, entity) =>
        {
            var presence = await judge.PresenceAsync(entity.Jid);
            var read = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid));
            Assert.Null(Assert.Single(read.Info!.Forms).FormTypeField);
            Assert.Contains(read.Violations, v => v.RuleId == "XMPP-DISCO-018");
            Assert.Null(CapsElement.Read390(presence));
            var caps = CapsElement.Read115(presence)!;
            var verification = Caps115.Verify(read.Info, caps.Hash!, caps.Ver!);
            Assert.True(verification.IsValid);
            Assert.Contains(verification.Violations, v => v.RuleId == "XMPP-CAPS-007");
        },
        ["form-type-not-hidden"] = async (judge, entity) =>
        {
            var presence = await judge.PresenceAsync(entity.Jid);
            var read = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid));
            Assert.Equal("text-single", Assert.Single(read.Info!.Forms).FormTypeField!.Type);
            Assert.Contains(read.Violations, v => v.RuleId == "XMPP-DISCO-018");
            Assert.Null(CapsElement.Read390(presence));
            var caps = CapsElement.Read115(presence)!;
            Assert.Contains(Caps115.Verify(read.Info, caps.Hash!, caps.Ver!).Violations, v => v.RuleId == "XMPP-CAPS-007");
        },
        ["caps-legacy"] = async (judge, entity) =>
        {
            var presence = await judge.PresenceAsync(entity.Jid);
            var violations = new List<Violation>();
            var caps = CapsElement.Read115(presence, violations)!;
            Assert.True(caps.IsLegacy);
            Assert.Equal((entity.Identity.FirmwareVersion, XmppQuirks.LegacyExt), (caps.Ver, caps.Ext));
            Assert.Contains(violations, v => v.RuleId == "XMPP-CAPS-013");
            Assert.Contains(violations, v => v.RuleId == "XMPP-CAPS-001");
            Assert.Null(CapsElement.Read390(presence));
            Assert.DoesNotContain(Caps390.NamespaceName, DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid)).Info!.Features);
        },
        ["caps-no-node"] = async (judge, entity) =>
        {
            var violations = new List<Violation>();
            var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid), violations)!;
            Assert.Null(caps.Node);
            Assert.Equal(entity.Caps115Ver, caps.Ver);
            Assert.Contains(violations, v => v.RuleId == "XMPP-CAPS-001");
        },
        ["caps-stale-ver"] = async (judge, entity) =>
        {
            var first = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
            Assert.True(Caps115.Verify(await InfoByCapsAsync(judge, entity, first), "sha-1", first.Ver!).IsValid);
            await entity.ChangeFeaturesAsync(CancellationToken.None);
            var second = await judge.PresenceAsync(entity.Jid, skip: 1);
            var caps = CapsElement.Read115(second)!;
            Assert.Equal(first.Ver, caps.Ver);
            Assert.NotEqual(entity.Caps115Ver, caps.Ver);
            Assert.Equal(CapsElement.Read390(await judge.PresenceAsync(entity.Jid)), CapsElement.Read390(second));
            var info = await InfoByCapsAsync(judge, entity, caps);
            Assert.Contains("urn:xmpp:jingle:1", info.Features);
            Assert.Contains(Caps115.Verify(info, "sha-1", caps.Ver!).Violations, v => v.RuleId == "XMPP-CAPS-016");
        },
    };

    public static TheoryData<string> QuirkNames => [.. XmppQuirks.All.Select(q => q.Name)];

    [Fact]
    public void Catalogue_EveryQuirk_NamedWithRuleIdsAndAWireCheck()
    {
        Assert.True(XmppQuirks.All.Count >= 10);
        Assert.Equal(XmppQuirks.All.Count, XmppQuirks.All.Select(q => q.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var quirk in XmppQuirks.All)
        {
            Assert.Matches(NameRegex(), quirk.Name);
            Assert.NotEmpty(quirk.ExpectedFailures);
            Assert.All(quirk.ExpectedFailures, id => Assert.Matches(RuleIdRegex(), id));
            Assert.True(Checks.ContainsKey(quirk.Name), $"No wire check for {quirk.Name}.");
            Assert.Same(quirk, XmppQuirks.Find(quirk.Name.ToUpperInvariant()));
        }
    }

    [Theory]
    [MemberData(nameof(QuirkNames))]
    public async Task Quirk_OnTheWire_ShowsItsDeviation(string name)
    {
        await using var fleet = await XmppJudge.FleetAsync(quirk: name);
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];
        Assert.Equal(name, entity.Quirk?.Name);

        await Checks[name](judge, entity);
    }

    [Fact]
    public async Task Quirk_None_PassesTheChecksTheQuirksFail()
    {
        await using var fleet = await XmppJudge.FleetAsync();
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var read = DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid), new DiscoReadOptions(ReadMode.Strict));
        Assert.Empty(read.Violations);
        Assert.Equal(entity.AnnouncedVer, entity.Caps115Ver);
        Assert.Equal(Caps115.BuildInputString(entity.RootInfo), Caps115.BuildInputString(entity.ServedRootInfo));
        var error = await judge.InfoErrorAsync(entity.Jid, "no-such-node");
        Assert.Equal(("cancel", "item-not-found"), (error.ErrorType, error.Condition));
        Assert.Empty(DiscoCodec.ReadItems(await judge.ItemsAsync(entity.Jid)).Violations);
        await AssertCapsValidAsync(judge, entity);
    }

    [Fact]
    public async Task Quirk_ServiceKinds_QuirkAppliesToRoomsToo()
    {
        await using var fleet = await XmppJudge.FleetAsync(XmppEntityKind.MucService, quirk: "items-no-node-echo");
        await using var judge = await XmppJudge.ConnectAsync(fleet);
        var entity = fleet.Entities[0];

        var modify = await XmppFleet.StartAsync(new XmppFleetOptions { Kinds = [XmppEntityKind.MucService], Quirk = "unknown-node-modify" }, CancellationToken.None);
        await using (modify)
        {
            await using var other = await XmppJudge.ConnectAsync(modify);
            var error = await other.InfoErrorAsync(modify.Entities[0].RoomJids[0], "nothing-here");
            Assert.Equal(("modify", "item-not-found"), (error.ErrorType, error.Condition));
        }

        Assert.NotEmpty((await judge.ItemsAsync(entity.Jid)).Elements());
    }

    private static async Task<DiscoInfo> InfoByCapsAsync(XmppJudge judge, FakeXmppEntity entity, Caps115Announcement caps) =>
        DiscoCodec.ReadInfo(await judge.InfoAsync(entity.Jid, caps.DiscoNode)).Info!;

    private static async Task AssertCapsValidAsync(XmppJudge judge, FakeXmppEntity entity)
    {
        var caps = CapsElement.Read115(await judge.PresenceAsync(entity.Jid))!;
        var verification = Caps115.Verify(await InfoByCapsAsync(judge, entity, caps), caps.Hash!, caps.Ver!);
        Assert.True(verification.IsValid, string.Join("; ", verification.Violations));
        Assert.Equal(Caps115Variant.Spec, verification.Variant);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^XMPP-(DISCO|CAPS|CAPS2|CACHE|COMP|CORE)-\d{3}$")]
    private static partial Regex RuleIdRegex();
}
