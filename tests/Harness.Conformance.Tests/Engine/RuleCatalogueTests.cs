using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Tests.Support;

namespace Harness.Conformance.Tests.Engine;

public sealed class RuleCatalogueTests
{
    private static Rule Make(string id, string protocol = Protocols.Wsd, RuleLevel level = RuleLevel.Must, params DeviceRole[] roles) =>
        new()
        {
            Id = id,
            Title = "Rule " + id,
            Citation = new SpecCitation("s", "1"),
            Level = level,
            Protocol = protocol,
            Roles = roles,
            Check = ctx => [ctx.Pass("ok")],
        };

    [Fact]
    public void Add_DuplicateId_Throws()
    {
        var catalogue = new RuleCatalogue([Make("WSD-PROBE-003")]);

        var error = Assert.Throws<ArgumentException>(() => catalogue.Add(Make("WSD-PROBE-003")));
        Assert.Contains("Duplicate rule id 'WSD-PROBE-003'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateIdInTable_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RuleCatalogue([Make("A-1"), Make("B-1"), Make("A-1")]));
    }

    [Theory]
    [InlineData("wsd-probe-003")]
    [InlineData("")]
    [InlineData("1-ABC")]
    [InlineData("WSD PROBE")]
    [InlineData("WSD-<b>")]
    public void Add_InvalidId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => new RuleCatalogue().Add(Make(id)));
    }

    [Fact]
    public void Add_BothChecksOrNone_Throws()
    {
        var none = new Rule { Id = "A-1", Title = "t", Citation = new("s", "1"), Level = RuleLevel.Must, Protocol = "wsd" };
        var both = new Rule
        {
            Id = "A-2",
            Title = "t",
            Citation = new("s", "1"),
            Level = RuleLevel.Must,
            Protocol = "wsd",
            Check = _ => [],
            ActiveCheck = (_, _) => ValueTask.FromResult<IReadOnlyList<Finding>>([]),
        };

        Assert.Throws<ArgumentException>(() => new RuleCatalogue().Add(none));
        Assert.Throws<ArgumentException>(() => new RuleCatalogue().Add(both));
    }

    [Fact]
    public void Add_UpperCaseProtocol_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RuleCatalogue().Add(Make("A-1", protocol: "WSD")));
    }

    [Fact]
    public void Lookup_ById_IgnoresCase()
    {
        var catalogue = new RuleCatalogue([Make("WSD-PROBE-003")]);

        Assert.Same(catalogue["WSD-PROBE-003"], catalogue["wsd-probe-003"]);
        Assert.True(catalogue.Contains("Wsd-Probe-003"));
        Assert.False(catalogue.TryGet("WSD-PROBE-004", out _));
        Assert.Throws<KeyNotFoundException>(() => catalogue["WSD-PROBE-004"]);
    }

    [Fact]
    public void Rules_Enumerated_OrderedById()
    {
        var catalogue = new RuleCatalogue([Make("WSD-C-1"), Make("WSD-A-1"), Make("WSD-B-1")]);

        Assert.Equal(["WSD-A-1", "WSD-B-1", "WSD-C-1"], catalogue.Select(r => r.Id));
    }

    [Fact]
    public void Matching_Glob_SelectsAndExcludes()
    {
        var catalogue = new RuleCatalogue([Make("WSD-PRB-001"), Make("WSD-PRB-002"), Make("WSD-PRB-010"), Make("WSD-MSG-001"), Make("SSDP-PRB-001", "ssdp")]);

        Assert.Equal(["WSD-PRB-001", "WSD-PRB-002", "WSD-PRB-010"], catalogue.Matching("WSD-PRB-*").Select(r => r.Id));
        Assert.Equal(["WSD-PRB-001", "WSD-PRB-002"], catalogue.Matching("WSD-PRB-00?").Select(r => r.Id));
        Assert.Equal(["SSDP-PRB-001", "WSD-PRB-001", "WSD-PRB-002", "WSD-PRB-010"], catalogue.Matching("*-PRB-*").Select(r => r.Id));
        Assert.Equal(["WSD-MSG-001", "WSD-PRB-001"], catalogue.Matching("*-001", "!SSDP-*").Select(r => r.Id));
        Assert.Equal(["SSDP-PRB-001", "WSD-MSG-001"], catalogue.Matching("!WSD-PRB-*").Select(r => r.Id));
    }

    [Fact]
    public void ForProtocolAndRole_Filter_KeepsRulesForAllRoles()
    {
        var catalogue = new RuleCatalogue([
            Make("A-1", roles: DeviceRole.TargetService),
            Make("A-2", roles: DeviceRole.Client),
            Make("A-3"),
            Make("B-1", protocol: "ssdp", roles: DeviceRole.UpnpRootDevice),
        ]);

        Assert.Equal(["A-1", "A-2", "A-3"], catalogue.ForProtocol("wsd").Select(r => r.Id));
        Assert.Equal(["A-1", "A-3"], catalogue.ForRole(DeviceRole.TargetService).Select(r => r.Id));
        var device = new Device("d", "wsd", [DeviceRole.Client]);
        Assert.Equal(["A-2", "A-3"], catalogue.ApplicableTo(device).Select(r => r.Id));
    }

    [Fact]
    public void UnmatchedPatterns_Typo_IsReported()
    {
        var catalogue = new RuleCatalogue([Make("WSD-PROBE-001")]);

        Assert.Equal(["WSD-PRB-*"], catalogue.UnmatchedPatterns(RuleFilter.Parse("WSD-PRB-*,WSD-PROBE-*,!X-*")));
    }

    [Fact]
    public void ExampleRules_AsATable_AreValid()
    {
        var catalogue = Samples.Catalogue();

        Assert.Equal(5, catalogue.Count);
        Assert.Equal(RuleKind.Active, catalogue["EX-PING-003"].Kind);
        Assert.Equal(RuleKind.Passive, catalogue["EX-XML-001"].Kind);
    }
}

public sealed class RulePatternTests
{
    [Theory]
    [InlineData("WSD-PRB-*", "WSD-PRB-001", true)]
    [InlineData("wsd-prb-*", "WSD-PRB-001", true)]
    [InlineData("WSD-PRB-*", "WSD-PROBE-001", false)]
    [InlineData("*", "ANYTHING", true)]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "A", false)]
    [InlineData("WSD-???-001", "WSD-PRB-001", true)]
    [InlineData("WSD-???-001", "WSD-PROB-001", false)]
    [InlineData("*-001", "WSD-PRB-001", true)]
    [InlineData("*-001", "WSD-PRB-0010", false)]
    [InlineData("W*D*1", "WSD-PRB-001", true)]
    [InlineData("WSD-PRB-001", "WSD-PRB-001", true)]
    [InlineData("WSD-PRB-001", "WSD-PRB-0011", false)]
    [InlineData("a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void IsMatch_Glob_MatchesWholeIdIgnoringCase(string pattern, string id, bool expected)
    {
        Assert.Equal(expected, RulePattern.IsMatch(pattern, id));
    }
}
