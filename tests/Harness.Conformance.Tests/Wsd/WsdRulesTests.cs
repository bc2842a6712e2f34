using System.Text.RegularExpressions;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Wsd;
using Harness.Simulators.Quirks;

namespace Harness.Conformance.Tests.Wsd;

public sealed partial class WsdRulesTests
{
    [Fact]
    public void All_Catalogue_HasAtLeastFortyValidRulesWithUniqueIds()
    {
        var catalogue = new RuleCatalogue(WsdRules.All); // validates every rule, throws on duplicates

        Assert.True(catalogue.Count >= 40, $"{catalogue.Count} rules");
        Assert.All(WsdRules.All, r => Assert.Matches(IdPattern(), r.Id));
        Assert.All(WsdRules.All, r => Assert.Equal(Protocols.Wsd, r.Protocol));
    }

    [Fact]
    public void All_Citations_NameSpecSectionAndRequirement()
    {
        Assert.All(WsdRules.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Citation.Spec), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Citation.Section), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Citation.Text), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Description), r.Id);
        });
    }

    [Fact]
    public void All_Roles_OnvifRulesForCamerasOthersForTargetServices()
    {
        Assert.All(WsdRules.All, r => Assert.Equal(
            r.Id.StartsWith("WSD-ONV-", StringComparison.Ordinal) || r.Id == "WSD-HB-005" ? DeviceRole.NetworkVideoTransmitter : DeviceRole.TargetService,
            Assert.Single(r.Roles)));
    }

    [Theory]
    [InlineData("WSD-MSG-005")] // SHOULD in the checklist
    [InlineData("WSD-MSG-012")]
    [InlineData("WSD-HB-002")] // MUST in the checklist, but "measure and report"
    [InlineData("WSD-HB-003")]
    [InlineData("WSD-RSV-003")]
    [InlineData("WSD-ONV-007")]
    public void Level_SoftRequirements_AreShould(string id) =>
        Assert.Equal(RuleLevel.Should, WsdRules.All.Single(r => r.Id == id).Level);

    [Fact]
    public void Level_Ldap_IsMay() =>
        Assert.Equal(RuleLevel.May, WsdRules.All.Single(r => r.Id == "WSD-PRB-008").Level);

    [Fact]
    public void QuirkProfiles_ExpectedFailures_NameOnlyExistingRulesAndCoverEveryRule()
    {
        var ids = WsdRules.All.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var covered = QuirkProfiles.All.SelectMany(p => p.ExpectedFailures).ToHashSet(StringComparer.Ordinal);

        Assert.Subset(ids, covered);
        Assert.Empty(ids.Except(covered));
    }

    [Fact]
    public async Task PassiveRun_WithoutTarget_MakesActiveRulesNotApplicable()
    {
        var session = new ObservedSession([], [new Device("urn:uuid:5f1f3e57-0000-4000-8000-00000000c0de", Protocols.Wsd, [DeviceRole.TargetService, DeviceRole.NetworkVideoTransmitter])], "capture: empty");

        var result = await new Runner(WsdSuite.CreateCatalogue()).RunAsync(new ConformanceRun(), session);

        Assert.Equal(WsdRules.All.Count, result.Outcomes.Count);
        Assert.All(result.Outcomes, o => Assert.Equal(Verdict.NotApplicable, o.Verdict));
        Assert.Equal(0, result.ExitCode);
    }

    [GeneratedRegex("^WSD-(MSG|HB|PRB|RSV|UDP|ONV)-0[0-9]{2}$")]
    private static partial Regex IdPattern();
}
