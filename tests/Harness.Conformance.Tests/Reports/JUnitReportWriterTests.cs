using System.Xml.Linq;
using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Conformance.Tests.Support;

namespace Harness.Conformance.Tests.Reports;

public sealed class JUnitReportWriterTests
{
    [Fact]
    public async Task Render_Sample_ParsesWithTheRightCounts()
    {
        var result = await Samples.RunAsync();

        var document = XDocument.Parse(new JUnitReportWriter().Render(result));

        var root = document.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("9", root.Attribute("tests")!.Value);
        Assert.Equal("1", root.Attribute("failures")!.Value);
        Assert.Equal("0", root.Attribute("errors")!.Value);
        Assert.Equal("3", root.Attribute("skipped")!.Value);
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(3, suites.Count);
        var cases = root.Descendants("testcase").ToList();
        Assert.Equal(9, cases.Count);
        Assert.Single(root.Descendants("failure"));
        Assert.Equal(3, root.Descendants("skipped").Count());
        Assert.Equal(2, root.Descendants("system-out").Count()); // the Warn and the Info
        foreach (var suite in suites)
        {
            Assert.Equal(suite.Elements("testcase").Count().ToString(System.Globalization.CultureInfo.InvariantCulture), suite.Attribute("tests")!.Value);
            Assert.Equal(suite.Descendants("failure").Count().ToString(System.Globalization.CultureInfo.InvariantCulture), suite.Attribute("failures")!.Value);
            Assert.Equal(suite.Descendants("skipped").Count().ToString(System.Globalization.CultureInfo.InvariantCulture), suite.Attribute("skipped")!.Value);
        }

        Assert.All(cases, c =>
        {
            Assert.False(string.IsNullOrEmpty(c.Attribute("name")?.Value));
            Assert.False(string.IsNullOrEmpty(c.Attribute("classname")?.Value));
            Assert.NotNull(c.Attribute("time"));
        });
    }

    [Fact]
    public async Task Render_HostileDevice_NameSurvivesAsAttributeText()
    {
        var document = XDocument.Parse(new JUnitReportWriter().Render(await Samples.RunAsync()));

        var suite = document.Root!.Elements("testsuite").Single(s => s.Attribute("name")!.Value.Contains("<script>", StringComparison.Ordinal));
        Assert.Equal($"wsd {Samples.HostileName} (uuid:{Samples.HostileName})", suite.Attribute("name")!.Value);
        var failure = suite.Descendants("failure").Single();
        Assert.Equal("MUST", failure.Attribute("type")!.Value);
        Assert.Contains("EX-XML-001", failure.Value, StringComparison.Ordinal);
        Assert.Contains("messages: #2", failure.Value, StringComparison.Ordinal);
        Assert.All(suite.Elements("testcase"), c => Assert.StartsWith("conformance.wsd._script_alert", c.Attribute("classname")!.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_ControlCharactersInDeviceStrings_StillValidXml()
    {
        var device = new Device("dev\u0001\u001b", Protocols.Wsd, [DeviceRole.TargetService]) { DisplayName = "bell\u0007 nul\0 \uD800" };
        var rule = new Rule
        {
            Id = "EX-1",
            Title = "t",
            Citation = new SpecCitation("s", "1"),
            Level = RuleLevel.Must,
            Protocol = Protocols.Wsd,
            Check = _ => throw new FormatException("bad \u0002 byte"),
        };
        var result = await new Harness.Conformance.Engine.Runner(new Harness.Conformance.Engine.RuleCatalogue([rule]))
            .RunAsync(new Harness.Conformance.Engine.ConformanceRun { RunId = "r" }, new ObservedSession([], [device], "t"));

        var document = XDocument.Parse(new JUnitReportWriter().Render(result));

        var error = Assert.Single(document.Descendants("error"));
        Assert.Contains("bad \\u0002 byte", error.Attribute("message")!.Value, StringComparison.Ordinal);
        Assert.Contains("bell\\u0007 nul\\u0000 \\uD800", document.Root!.Element("testsuite")!.Attribute("name")!.Value, StringComparison.Ordinal);
    }
}
