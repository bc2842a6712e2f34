using System.Net;
using System.Text;
using Harness.Conformance.Model;
using Harness.Core.Xml;

namespace Harness.Conformance.Tests.Support;

/// <summary>
/// Tiny example rules written the way protocol rule tables are (data with a small check), to exercise the engine.
/// They are not WS-Discovery rules; their ids start with EX-.
/// </summary>
internal static class ExampleRules
{
    public const string Protocol = Protocols.Wsd;

    /// <summary>Passive MUST: every message the device sends is well-formed XML (parsed once, through the session cache).</summary>
    public static Rule WellFormedXml { get; } = new()
    {
        Id = "EX-XML-001",
        Title = "Every message the device sends is well-formed XML",
        Citation = new SpecCitation("SOAP Version 1.2 Part 1", "5", Text: "A SOAP message is an XML Infoset ... serialized as well-formed XML.", IsQuote: false),
        Level = RuleLevel.Must,
        Protocol = Protocol,
        Check = ctx => ctx.RecordsFromDevice.Select(record =>
        {
            var loaded = ctx.Session.GetParsed(record, r => SafeXml.Load(r.Payload.Span));
            return loaded.Success
                ? ctx.Pass("Well-formed XML.", [record])
                : ctx.Violation(
                    "The message is not well-formed XML.",
                    [record],
                    actual: loaded.Message,
                    expected: "a well-formed SOAP envelope",
                    location: $"line {loaded.LineNumber}, column {loaded.LinePosition}");
        }),
    };

    /// <summary>Passive SHOULD: the endpoint reference is a urn:uuid: URI.</summary>
    public static Rule UrnUuidAddress { get; } = new()
    {
        Id = "EX-EPR-002",
        Title = "The endpoint reference address is a urn:uuid: URI",
        Citation = new SpecCitation("WS-Discovery (April 2005)", "2.6", Url: "https://specs.xmlsoap.org/ws/2005/04/discovery/ws-discovery.pdf", Text: "Endpoint references SHOULD use a uuid URI."),
        Level = RuleLevel.Should,
        Protocol = Protocol,
        Roles = [DeviceRole.TargetService],
        Check = ctx => ctx.Device.EndpointReference switch
        {
            null => [],
            var epr when epr.StartsWith("urn:uuid:", StringComparison.Ordinal) => [ctx.Pass("The address is a urn:uuid: URI.")],
            var epr => [ctx.Violation("The address is not a urn:uuid: URI.", actual: epr, expected: "urn:uuid:<uuid>")],
        },
    };

    /// <summary>Active MUST: the device answers PING with PONG within one second.</summary>
    public static Rule AnswersPing { get; } = new()
    {
        Id = "EX-PING-003",
        Title = "The device answers PING with PONG within one second",
        Citation = new SpecCitation("Harness example protocol", "1"),
        Level = RuleLevel.Must,
        Protocol = Protocol,
        Roles = [DeviceRole.TargetService],
        Description = "Sends the bytes PING to the device's endpoint and waits one second for PONG.",
        ActiveCheck = async (ctx, ct) =>
        {
            var destination = ctx.Target.EndPoint ?? ctx.Device.Addresses[0];
            var exchange = await ctx.Target.ExchangeAsync(
                "PING"u8.ToArray(),
                destination,
                Protocol,
                TimeSpan.FromSeconds(1),
                r => r.Payload.Span.SequenceEqual("PONG"u8),
                maxCount: 1,
                cancellationToken: ct);
            return exchange.Replies.Count > 0
                ? [ctx.Pass("PONG arrived.", [exchange.Request, .. exchange.Replies])]
                : [ctx.Violation("No PONG within one second.", [exchange.Request], expected: "PONG")];
        },
    };

    public static IEnumerable<Rule> All => [WellFormedXml, UrnUuidAddress, AnswersPing];
}
