using System.Text;
using System.Text.Json;
using Harness.Conformance.Model;
using Harness.Conformance.Reports;
using Harness.Conformance.Tests.Support;

namespace Harness.Conformance.Tests.Reports;

public sealed class JsonReportTests
{
    [Fact]
    public async Task LongSession_TrafficBounded_CitedMessagesKeptAndTheRestCounted()
    {
        // A 1,000,000-message capture wrote a 150 MB results.json (every payload); the full traffic is in
        // session.pcapng, so results.json keeps what findings cite plus the first 10,000 messages.
        var records = Enumerable.Range(0, 12_000)
            .Select(i => new Harness.Core.Recording.TrafficRecord(i, Samples.Start.AddMilliseconds(i), Harness.Core.Recording.TrafficDirection.Inbound, Harness.Core.Recording.TrafficTransport.Udp, Samples.Camera, Samples.Harness, "<x/>"u8.ToArray(), "wsd"))
            .ToList();
        var cites = new Rule
        {
            Id = "EX-CITE-001",
            Title = "Cites a late message",
            Citation = new SpecCitation("Example", "1"),
            Level = RuleLevel.Must,
            Protocol = Protocols.Wsd,
            Roles = [DeviceRole.TargetService],
            Check = ctx => [ctx.Violation("late", [records[11_500]])],
        };
        var session = new ObservedSession(records, [Samples.CameraDevice], "capture");
        var result = await new Harness.Conformance.Engine.Runner(new Harness.Conformance.Engine.RuleCatalogue([cites])).RunAsync(new Harness.Conformance.Engine.ConformanceRun(), session);

        using var json = JsonDocument.Parse(new JsonReportWriter().Render(result));

        var traffic = json.RootElement.GetProperty("traffic");
        Assert.Equal(10_001, traffic.GetArrayLength());
        Assert.Equal(1_999, json.RootElement.GetProperty("trafficOmitted").GetInt64());
        Assert.Contains(traffic.EnumerateArray(), m => m.GetProperty("sequence").GetInt64() == 11_500);
        Assert.DoesNotContain(traffic.EnumerateArray(), m => m.GetProperty("sequence").GetInt64() == 10_500);
    }

    [Fact]
    public async Task RoundTrip_ThroughReader_SameResult()
    {
        var original = await Samples.RunAsync();
        var json = new JsonReportWriter().Render(original);

        var read = JsonReportReader.Parse(json);

        Assert.Equal(original.RunId, read.RunId);
        Assert.Equal(original.StartedAt, read.StartedAt);
        Assert.Equal(original.EndedAt, read.EndedAt);
        Assert.Equal(original.Target, read.Target);
        Assert.Equal(original.Session, read.Session);
        Assert.Equal(original.Rules, read.Rules);
        Assert.Equal(original.Findings, read.Findings);
        Assert.Equal(original.Totals, read.Totals);
        Assert.Equal(original.ExitCode, read.ExitCode);
        Assert.Equal(
            original.Outcomes.Select(o => (o.Device.Id, o.Rule.Id, o.Verdict)),
            read.Outcomes.Select(o => (o.Device.Id, o.Rule.Id, o.Verdict)));
        Assert.Equal(original.Devices.Select(d => (d.Id, d.DisplayName, d.EndpointReference)), read.Devices.Select(d => (d.Id, d.DisplayName, d.EndpointReference)));
        Assert.Equal(original.Devices.SelectMany(d => d.Addresses), read.Devices.SelectMany(d => d.Addresses));
        Assert.Equal(original.Devices.SelectMany(d => d.Roles), read.Devices.SelectMany(d => d.Roles));
        Assert.Equal(Samples.HostileDevice.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), read.Devices.Single(d => d.Id == Samples.HostileDevice.Id).Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(original.Timeline.Select(t => t.Record.Payload.ToArray()), read.Timeline.Select(t => t.Record.Payload.ToArray()));
        Assert.Equal(original.Timeline.Select(t => (t.Record with { Payload = default }, t.Summary)), read.Timeline.Select(t => (t.Record with { Payload = default }, t.Summary)));

        // Strongest check: writing what was read gives the same file.
        Assert.Equal(json, new JsonReportWriter().Render(read));
    }

    [Fact]
    public async Task ReadAsync_FromStream_Works()
    {
        var json = new JsonReportWriter().Render(await Samples.RunAsync());
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var read = await JsonReportReader.ReadAsync(stream);

        Assert.Equal(9, read.Outcomes.Count);
    }

    [Fact]
    public async Task Render_Sample_HasDocumentedTopLevelShape()
    {
        var json = new JsonReportWriter().Render(await Samples.RunAsync());
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(
            ["schemaVersion", "runId", "toolVersion", "target", "startedAt", "endedAt", "verdict", "exitCode", "session", "totals", "countsByProtocol", "countsByLevel", "devices", "rules", "outcomes", "findings", "traffic", "trafficOmitted"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("fail", root.GetProperty("verdict").GetString());
        Assert.Equal(1, root.GetProperty("countsByLevel").GetProperty("must").GetProperty("fail").GetInt32());
        Assert.Equal("notApplicable", root.GetProperty("outcomes")[1].GetProperty("verdict").GetString());
        Assert.Equal("inbound", root.GetProperty("traffic")[1].GetProperty("direction").GetString());
        Assert.Equal("2025-01-02T03:04:07+00:00", root.GetProperty("startedAt").GetString());
        Assert.DoesNotContain("<script>", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_OtherSchemaVersion_Refused()
    {
        var json = new JsonReportWriter().Render(await Samples.RunAsync()).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => JsonReportReader.Parse(json));
        Assert.Contains("schema version 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\": 1}")]
    [InlineData("{\"schemaVersion\": \"one\"}")]
    public void Parse_NotAResultsFile_InvalidData(string json)
    {
        Assert.Throws<InvalidDataException>(() => JsonReportReader.Parse(json));
    }

    [Fact]
    public async Task Parse_FindingForUnknownRule_InvalidData()
    {
        var json = new JsonReportWriter().Render(await Samples.RunAsync())
            .Replace("\"ruleId\": \"EX-XML-001\"", "\"ruleId\": \"EX-NOPE-001\"", StringComparison.Ordinal);

        Assert.Throws<InvalidDataException>(() => JsonReportReader.Parse(json));
    }
}
