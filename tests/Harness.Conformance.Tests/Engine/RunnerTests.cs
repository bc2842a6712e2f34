using System.Net;
using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Tests.Support;
using Harness.Core.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Conformance.Tests.Engine;

public sealed class RunnerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static Device Target(string id = "dev-1", params DeviceRole[] roles) =>
        new(id, Protocols.Wsd, roles.Length == 0 ? [DeviceRole.TargetService] : roles)
        {
            Addresses = [new IPEndPoint(IPAddress.Parse("127.0.0.20"), 3702)],
        };

    private static Rule Passive(string id, RuleLevel level, Func<RuleContext, IEnumerable<Finding>> check, string protocol = Protocols.Wsd, params DeviceRole[] roles) =>
        new()
        {
            Id = id,
            Title = "Rule " + id,
            Citation = new SpecCitation("Test spec", "1"),
            Level = level,
            Protocol = protocol,
            Roles = roles,
            Check = check,
        };

    private static Task<RunResult> Run(IEnumerable<Rule> rules, IEnumerable<Device>? devices = null, ConformanceRun? run = null, ITarget? target = null, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var session = new ObservedSession([], devices ?? [Target()], "test");
        var runner = new Runner(new RuleCatalogue(rules), new FakeTimeProvider(Samples.Start));
        return runner.RunAsync(run ?? new ConformanceRun { ToolVersion = "t" }, session, target, progress, cancellationToken);
    }

    [Theory]
    [InlineData(RuleLevel.Must, Verdict.Fail)]
    [InlineData(RuleLevel.Should, Verdict.Warn)]
    [InlineData(RuleLevel.May, Verdict.Info)]
    public async Task Violation_ByLevel_GetsTheLevelsVerdict(RuleLevel level, Verdict expected)
    {
        var result = await Run([Passive("T-1", level, ctx => [ctx.Violation("broken")])]);

        Assert.Equal(expected, Assert.Single(result.Findings).Verdict);
    }

    [Theory]
    [InlineData(RuleLevel.Should, Verdict.Fail, Verdict.Warn)]
    [InlineData(RuleLevel.May, Verdict.Fail, Verdict.Info)]
    [InlineData(RuleLevel.May, Verdict.Warn, Verdict.Info)]
    [InlineData(RuleLevel.Must, Verdict.Warn, Verdict.Warn)]
    [InlineData(RuleLevel.Must, Verdict.Fail, Verdict.Fail)]
    public async Task RawVerdict_FromCheck_IsCappedByLevel(RuleLevel level, Verdict returned, Verdict expected)
    {
        var result = await Run([Passive("T-1", level, ctx => [new Finding("whatever", "whoever", returned, "raw")])]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(expected, finding.Verdict);
        Assert.Equal("T-1", finding.RuleId);
        Assert.Equal("dev-1", finding.DeviceId);
    }

    [Fact]
    public async Task ShouldViolation_Only_ExitCodeZeroAndDevicePasses()
    {
        var result = await Run([Passive("T-1", RuleLevel.Should, ctx => [ctx.Violation("meh")]), Passive("T-2", RuleLevel.Must, ctx => [ctx.Pass("ok")])]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Verdict.Pass, result.DeviceResults[0].Verdict);
        Assert.Equal(1, result.DeviceResults[0].Counts.Warn);
    }

    [Fact]
    public async Task MustViolation_OnOneDevice_ExitCodeOneAndOnlyThatDeviceFails()
    {
        var rule = Passive("T-1", RuleLevel.Must, ctx => ctx.Device.Id == "bad" ? [ctx.Violation("no")] : [ctx.Pass("yes")]);

        var result = await Run([rule], [Target("bad"), Target("good")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(Verdict.Fail, result.DeviceResults.Single(d => d.Device.Id == "bad").Verdict);
        Assert.Equal(Verdict.Pass, result.DeviceResults.Single(d => d.Device.Id == "good").Verdict);
    }

    [Fact]
    public async Task CheckThrows_Always_ErrorWithTheExceptionMessageAndRunGoesOn()
    {
        var rules = new[]
        {
            Passive("T-1", RuleLevel.Must, _ => throw new InvalidOperationException("the parser fell over", new FormatException("bad digit"))),
            Passive("T-2", RuleLevel.Must, ctx => [ctx.Pass("fine")]),
        };

        var result = await Run(rules);

        var error = result.Findings.Single(f => f.RuleId == "T-1");
        Assert.Equal(Verdict.Error, error.Verdict);
        Assert.Contains("System.InvalidOperationException: the parser fell over", error.Message, StringComparison.Ordinal);
        Assert.Contains("System.FormatException: bad digit", error.Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, result.Findings.Single(f => f.RuleId == "T-2").Verdict);
        Assert.Equal(1, result.ExitCode); // a check that could not judge must not pass; 2 is for usage errors
        Assert.Equal(Verdict.Error, result.DeviceResults[0].Verdict);
    }

    [Fact]
    public async Task LazyIteratorThrows_WhileEnumerated_IsCaughtAsError()
    {
        static IEnumerable<Finding> Lazy(RuleContext ctx)
        {
            yield return ctx.Pass("first");
            throw new KeyNotFoundException("late failure");
        }

        var result = await Run([Passive("T-1", RuleLevel.Must, Lazy)]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(Verdict.Error, finding.Verdict);
        Assert.Contains("late failure", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MustFailAndError_Together_ExitCodeOne()
    {
        var result = await Run([Passive("T-1", RuleLevel.Must, _ => throw new InvalidOperationException("x")), Passive("T-2", RuleLevel.Must, ctx => [ctx.Violation("no")])]);

        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task CheckReturnsNothing_Always_NotApplicable()
    {
        var result = await Run([Passive("T-1", RuleLevel.Must, _ => [])]);

        Assert.Equal(Verdict.NotApplicable, Assert.Single(result.Findings).Verdict);
        Assert.Equal(Verdict.NotApplicable, result.DeviceResults[0].Verdict);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task RuleForOtherRole_OnDevice_DoesNotRun()
    {
        var ran = new List<string>();
        var rules = new[]
        {
            Passive("T-CLIENT", RuleLevel.Must, ctx => { ran.Add(ctx.Rule.Id); return [ctx.Pass("x")]; }, Protocols.Wsd, DeviceRole.Client),
            Passive("T-TARGET", RuleLevel.Must, ctx => { ran.Add(ctx.Rule.Id); return [ctx.Pass("x")]; }, Protocols.Wsd, DeviceRole.TargetService),
            Passive("T-ANY", RuleLevel.Must, ctx => { ran.Add(ctx.Rule.Id); return [ctx.Pass("x")]; }),
            Passive("T-SSDP", RuleLevel.Must, ctx => { ran.Add(ctx.Rule.Id); return [ctx.Pass("x")]; }, Protocols.Ssdp),
        };

        var result = await Run(rules);

        Assert.Equal(["T-ANY", "T-TARGET"], ran);
        Assert.Equal(["T-ANY", "T-TARGET"], result.Outcomes.Select(o => o.Rule.Id));
    }

    [Fact]
    public async Task GlobFilter_InRun_SelectsOnlyMatchingRules()
    {
        var rules = new[] { "WSD-PRB-001", "WSD-PRB-002", "WSD-PRB-009", "WSD-MSG-001" }
            .Select(id => Passive(id, RuleLevel.Must, ctx => [ctx.Pass("x")]));

        var result = await Run(rules, run: new ConformanceRun { Filter = RuleFilter.Parse("wsd-prb-*, !WSD-PRB-009") });

        Assert.Equal(["WSD-PRB-001", "WSD-PRB-002"], result.Rules.Select(r => r.Id));
        Assert.Equal(["WSD-PRB-001", "WSD-PRB-002"], result.Outcomes.Select(o => o.Rule.Id));
    }

    [Fact]
    public async Task ActiveRule_PassiveRun_NotApplicableWithReason()
    {
        var result = await Run([ExampleRules.AnswersPing], target: new PassiveTarget("capture: x.pcapng"));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(Verdict.NotApplicable, finding.Verdict);
        Assert.Contains("live target", finding.Message, StringComparison.Ordinal);
        Assert.Equal("capture: x.pcapng", result.Target);
    }

    [Fact]
    public async Task ActiveRule_DeviceAnswers_PassCitesRequestAndReply()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var device = Target();
        var transport = new FakeTransport(time, (payload, to) => payload.Span.SequenceEqual("PING"u8) ? [("PONG"u8.ToArray(), to)] : []);
        var recorder = new TrafficRecorder(time);
        var session = ObservedSession.Live(recorder, [device]);
        var target = new DatagramTarget(transport, recorder, "simulated device", device.Addresses[0]);

        var result = await new Runner(new RuleCatalogue([ExampleRules.AnswersPing]), time)
            .RunAsync(new ConformanceRun(), session, target);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(Verdict.Pass, finding.Verdict);
        Assert.Equal([0L, 1L], finding.Evidence.Records);
        Assert.Equal(2, result.Timeline.Count);
        Assert.Equal(TrafficDirection.Outbound, result.Timeline[0].Record.Direction);
        Assert.Equal("PONG", result.Timeline[1].Summary);
    }

    [Fact]
    public async Task ActiveRule_DeviceSilent_FailsWhenTheWindowCloses()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var device = Target();
        var transport = new FakeTransport(time);
        var recorder = new TrafficRecorder(time);
        var target = new DatagramTarget(transport, recorder, "silent device", device.Addresses[0]);
        var pending = transport.ReceivePending;

        var run = new Runner(new RuleCatalogue([ExampleRules.AnswersPing]), time)
            .RunAsync(new ConformanceRun(), ObservedSession.Live(recorder, [device]), target);
        await pending.WaitAsync(Wait);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.WaitAsync(Wait);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(Verdict.Fail, finding.Verdict);
        Assert.Equal("No PONG within one second.", finding.Message);
    }

    [Fact]
    public async Task ActiveRule_Hangs_ErrorAfterTimeout()
    {
        var time = new FakeTimeProvider(Samples.Start);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rule = new Rule
        {
            Id = "T-HANG",
            Title = "hangs",
            Citation = new SpecCitation("s", "1"),
            Level = RuleLevel.Must,
            Protocol = Protocols.Wsd,
            ActiveCheck = async (ctx, ct) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.TimeProvider, ct);
                return [];
            },
        };
        var recorder = new TrafficRecorder(time);
        var target = new DatagramTarget(new FakeTransport(time), recorder, "device");

        var run = new Runner(new RuleCatalogue([rule]), time).RunAsync(
            new ConformanceRun { ActiveCheckTimeout = TimeSpan.FromSeconds(5) },
            ObservedSession.Live(recorder, [Target()]),
            target);
        await started.Task.WaitAsync(Wait);
        time.Advance(TimeSpan.FromSeconds(5));
        var result = await run.WaitAsync(Wait);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(Verdict.Error, finding.Verdict);
        Assert.Contains("did not finish within 5 s", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_DuringRun_ThrowsAndStops()
    {
        using var cancellation = new CancellationTokenSource();
        var ran = 0;
        var rules = Enumerable.Range(1, 5).Select(i => Passive($"T-{i}", RuleLevel.Must, ctx =>
        {
            ran++;
            cancellation.Cancel();
            return [ctx.Pass("x")];
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(rules, cancellationToken: cancellation.Token));
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task Progress_ReportsDevicesAndChecks()
    {
        var reports = new List<RunProgress>();
        var progress = new SynchronousProgress<RunProgress>(reports.Add);
        var rules = new[] { Passive("T-1", RuleLevel.Must, ctx => [ctx.Pass("x")]), Passive("T-2", RuleLevel.Must, ctx => [ctx.Pass("x")]) };

        await Run(rules, [Target("a"), Target("b")], progress: progress);

        Assert.Equal(5, reports.Count);
        Assert.Equal(new RunProgress(2, 0, 4, null, null), reports[0]);
        Assert.Equal(new RunProgress(2, 4, 4, "T-2", "b"), reports[^1]);
        Assert.Equal([0, 1, 2, 3, 4], reports.Select(r => r.ChecksDone));
    }

    [Fact]
    public async Task HugeHostileActual_FromCheck_IsBoundedAndCleaned()
    {
        var hostile = new string('A', 100_000) + "\u001b[2J";
        var result = await Run([Passive("T-1", RuleLevel.Must, ctx => [ctx.Violation("bad", actual: "\u001b[31m" + hostile)])]);

        var actual = Assert.Single(result.Findings).Evidence.Actual!;
        Assert.True(actual.Length < 5000, $"length {actual.Length}");
        Assert.DoesNotContain('\u001b', actual);
        Assert.StartsWith("\\u001B[31m", actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunId_NotGiven_DerivedFromStartTime()
    {
        var result = await Run([Passive("T-1", RuleLevel.Must, ctx => [ctx.Pass("x")])], run: new ConformanceRun());

        Assert.Equal("20250102T030405Z", result.RunId);
        Assert.Equal(Samples.Start, result.StartedAt);
    }

    [Fact]
    public async Task Summarizer_FromPlugin_NamesTimelineEntries()
    {
        var records = Samples.Records();
        var session = new ObservedSession(records, [Target()], "test");
        var runner = new Runner(new RuleCatalogue(), new FakeTimeProvider(Samples.Start));

        var result = await runner.RunAsync(new ConformanceRun { Summarizer = r => r.Sequence == 0 ? "WSD Probe (plugin)" : null }, session);

        Assert.Equal("WSD Probe (plugin)", result.Timeline[0].Summary);
        Assert.Equal("ProbeMatches", result.Timeline[1].Summary);
        Assert.Equal("HTTP/1.1 200 OK", result.Timeline[3].Summary);
        Assert.Equal("binary, 17 bytes", result.Timeline[4].Summary);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
