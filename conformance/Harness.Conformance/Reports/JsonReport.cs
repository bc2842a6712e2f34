using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Conformance.Model;
using Harness.Core.Recording;

namespace Harness.Conformance.Reports;

/// <summary>
/// Writes <c>results.json</c>: the run in the documented schema (<c>Reports/results-schema.md</c>), camelCase, with a
/// <c>schemaVersion</c>. Deterministic: the same result gives the same bytes. Non-ASCII and HTML-sensitive characters
/// are written as <c>\uXXXX</c> escapes, so the file is safe to embed anywhere.
/// </summary>
public sealed class JsonReportWriter : IReportWriter
{
    /// <inheritdoc />
    public string FileName => ReportFiles.Json;

    /// <inheritdoc />
    public Task WriteAsync(RunResult result, Stream destination, CancellationToken cancellationToken = default) =>
        ReportFiles.WriteTextAsync(Render(result), destination, cancellationToken);

    /// <summary>The JSON text (ends with a line feed).</summary>
    public string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(ResultsDocument.From(result), JsonReportFormat.Options) + "\n";
    }
}

/// <summary>Reads <c>results.json</c> back into a <see cref="RunResult"/> (e.g. expected results of regression captures).</summary>
public static class JsonReportReader
{
    /// <summary>Reads a results file.</summary>
    /// <exception cref="InvalidDataException">Not a results file of a schema version this reader knows, or inconsistent.</exception>
    public static async Task<RunResult> ReadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ResultsDocument? document;
        try
        {
            document = await JsonSerializer.DeserializeAsync<ResultsDocument>(source, JsonReportFormat.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Not a results file: {ex.Message}", ex);
        }

        return ToResult(document);
    }

    /// <summary>Parses results JSON text.</summary>
    /// <exception cref="InvalidDataException">Not a results file of a schema version this reader knows, or inconsistent.</exception>
    public static RunResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ResultsDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ResultsDocument>(json, JsonReportFormat.Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Not a results file: {ex.Message}", ex);
        }

        return ToResult(document);
    }

    private static RunResult ToResult(ResultsDocument? document)
    {
        if (document is null)
        {
            throw new InvalidDataException("Not a results file: the document is null.");
        }

        if (document.SchemaVersion != JsonReportFormat.SchemaVersion)
        {
            throw new InvalidDataException(
                $"results.json schema version {document.SchemaVersion} is not supported; this reader reads version {JsonReportFormat.SchemaVersion}.");
        }

        try
        {
            return document.ToResult();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NullReferenceException or InvalidOperationException)
        {
            throw new InvalidDataException($"The results file is inconsistent: {ex.Message}", ex);
        }
    }
}

internal static class JsonReportFormat
{
    public const int SchemaVersion = 1;

    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        MaxDepth = 32,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}

internal sealed record ResultsDocument(
    int SchemaVersion,
    string RunId,
    string ToolVersion,
    string Target,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    Verdict Verdict,
    int ExitCode,
    SessionDocument Session,
    CountsDocument Totals,
    Dictionary<string, CountsDocument> CountsByProtocol,
    Dictionary<string, CountsDocument> CountsByLevel,
    List<DeviceDocument> Devices,
    List<RuleDocument> Rules,
    List<OutcomeDocument> Outcomes,
    List<FindingDocument> Findings,
    List<MessageDocument> Traffic,
    long TrafficOmitted = 0)
{
    /// <summary>
    /// The most messages written in <c>traffic</c> besides those findings cite: a long session's full traffic is in
    /// session.pcapng, and results.json stays small enough to load (a 1,000,000-message capture made 150 MB before).
    /// </summary>
    public const int MaxUncitedTraffic = 10_000;

    public static ResultsDocument From(RunResult result)
    {
        var protocolCounts = new Dictionary<string, CountsDocument>(StringComparer.Ordinal);
        foreach (var (protocol, counts) in result.CountsByProtocol)
        {
            protocolCounts.Add(protocol, CountsDocument.From(counts));
        }

        var levelCounts = new Dictionary<string, CountsDocument>(StringComparer.Ordinal);
        foreach (var (level, counts) in result.CountsByLevel)
        {
            levelCounts.Add(level.Token(), CountsDocument.From(counts));
        }

        var kept = Kept(result);
        return new ResultsDocument(
            JsonReportFormat.SchemaVersion,
            result.RunId,
            result.ToolVersion,
            result.Target,
            result.StartedAt.ToUniversalTime(),
            result.EndedAt.ToUniversalTime(),
            result.Verdict,
            result.ExitCode,
            new SessionDocument(result.Session.Source, result.Session.StartedAt?.ToUniversalTime(), result.Session.EndedAt?.ToUniversalTime(), result.Session.RecordsDropped),
            CountsDocument.From(result.Totals),
            protocolCounts,
            levelCounts,
            [.. result.DeviceResults.Select(DeviceDocument.From)],
            [.. result.Rules.Select(RuleDocument.From)],
            [.. result.Outcomes.Select(o => new OutcomeDocument(o.Device.Id, o.Rule.Id, o.Verdict))],
            [.. result.Findings.Select(FindingDocument.From)],
            [.. kept.Select(MessageDocument.From)],
            result.Timeline.Count - kept.Count);
    }

    private static List<TimelineEntry> Kept(RunResult result)
    {
        var cited = result.Findings.SelectMany(f => f.Evidence.Records).ToHashSet();
        var uncited = 0;
        return [.. result.Timeline.Where(e => cited.Contains(e.Record.Sequence) || uncited++ < MaxUncitedTraffic)];
    }

    public RunResult ToResult() =>
        new(
            RunId,
            StartedAt,
            EndedAt,
            ToolVersion,
            Target,
            new SessionInfo(Session.Source, Session.StartedAt, Session.EndedAt, Session.RecordsDropped),
            Devices.Select(d => d.ToDevice()),
            Rules.Select(r => r.ToRule()),
            Findings.Select(f => f.ToFinding()),
            Traffic.Select(m => m.ToEntry()));
}

internal sealed record SessionDocument(string Source, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, long RecordsDropped);

internal sealed record CountsDocument(int Pass, int Fail, int Warn, int Info, int NotApplicable, int Error, int Total)
{
    public static CountsDocument From(VerdictCounts counts) =>
        new(counts.Pass, counts.Fail, counts.Warn, counts.Info, counts.NotApplicable, counts.Error, counts.Total);
}

internal sealed record DeviceDocument(
    string Id,
    string? DisplayName,
    string Protocol,
    List<string> Roles,
    List<string> Addresses,
    string? EndpointReference,
    SortedDictionary<string, string> Metadata,
    Verdict Verdict,
    CountsDocument Counts)
{
    public static DeviceDocument From(DeviceResult result)
    {
        var device = result.Device;
        return new DeviceDocument(
            device.Id,
            device.DisplayName,
            device.Protocol,
            [.. device.Roles.Select(r => r.Name)],
            [.. device.Addresses.Select(a => a.ToString())],
            device.EndpointReference,
            new SortedDictionary<string, string>(device.Metadata.ToDictionary(), StringComparer.Ordinal),
            result.Verdict,
            CountsDocument.From(result.Counts));
    }

    public Device ToDevice() =>
        new(Id, Protocol, Roles.Select(r => new DeviceRole(r)))
        {
            DisplayName = DisplayName,
            Addresses = [.. Addresses.Select(ParseEndPoint)],
            EndpointReference = EndpointReference,
            Metadata = new Dictionary<string, string>(Metadata, StringComparer.Ordinal),
        };

    internal static IPEndPoint ParseEndPoint(string text) =>
        IPEndPoint.TryParse(text, out var endPoint) ? endPoint : throw new FormatException($"'{text}' is not an address and port.");
}

internal sealed record CitationDocument(string Spec, string Section, string? Url, string? Text, bool IsQuote);

internal sealed record RuleDocument(
    string Id,
    string Title,
    RuleLevel Level,
    string Protocol,
    List<string> Roles,
    RuleKind Kind,
    string? Description,
    CitationDocument Citation)
{
    public static RuleDocument From(RuleInfo rule) =>
        new(
            rule.Id,
            rule.Title,
            rule.Level,
            rule.Protocol,
            [.. rule.Roles.Select(r => r.Name)],
            rule.Kind,
            rule.Description,
            new CitationDocument(rule.Citation.Spec, rule.Citation.Section, rule.Citation.Url, rule.Citation.Text, rule.Citation.IsQuote));

    public RuleInfo ToRule() =>
        new(
            Id,
            Title,
            new SpecCitation(Citation.Spec, Citation.Section, Citation.Url, Citation.Text, Citation.IsQuote),
            Level,
            Protocol,
            [.. Roles.Select(r => new DeviceRole(r))],
            Kind,
            Description);
}

internal sealed record OutcomeDocument(string DeviceId, string RuleId, Verdict Verdict);

internal sealed record EvidenceDocument(List<long> Records, string? Actual, string? Expected, string? Location);

internal sealed record FindingDocument(string RuleId, string DeviceId, Verdict Verdict, string Message, EvidenceDocument Evidence)
{
    public static FindingDocument From(Finding finding) =>
        new(
            finding.RuleId,
            finding.DeviceId,
            finding.Verdict,
            finding.Message,
            new EvidenceDocument([.. finding.Evidence.Records], finding.Evidence.Actual, finding.Evidence.Expected, finding.Evidence.Location));

    public Finding ToFinding()
    {
        var evidence = new Evidence([.. Evidence.Records], Evidence.Actual, Evidence.Expected, Evidence.Location);
        return new Finding(RuleId, DeviceId, Verdict, Message, evidence.IsEmpty ? Model.Evidence.None : evidence);
    }
}

internal sealed record MessageDocument(
    long Sequence,
    DateTimeOffset Timestamp,
    TrafficDirection Direction,
    TrafficTransport Transport,
    string Source,
    string Destination,
    string? Protocol,
    int Size,
    string Summary,
    byte[] Payload)
{
    public static MessageDocument From(TimelineEntry entry)
    {
        var record = entry.Record;
        return new MessageDocument(
            record.Sequence,
            record.Timestamp.ToUniversalTime(),
            record.Direction,
            record.Transport,
            record.Source.ToString(),
            record.Destination.ToString(),
            record.Protocol,
            record.Payload.Length,
            entry.Summary,
            record.Payload.ToArray());
    }

    public TimelineEntry ToEntry()
    {
        if (Payload.Length != Size)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Message {Sequence} says {Size} bytes but carries {Payload.Length}."));
        }

        return new TimelineEntry(
            new TrafficRecord(Sequence, Timestamp, Direction, Transport, DeviceDocument.ParseEndPoint(Source), DeviceDocument.ParseEndPoint(Destination), Payload, Protocol),
            Summary);
    }
}
