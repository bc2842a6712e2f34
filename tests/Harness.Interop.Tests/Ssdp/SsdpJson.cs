using System.Text.Json;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>One answer line of <c>harness ssdp search --json</c>.</summary>
internal sealed record SearchAnswer(
    string St,
    string Usn,
    string Udn,
    string? Location,
    string? Server,
    int? MaxAge,
    int? BootId,
    int? ConfigId,
    bool Ext,
    string From,
    double At,
    IReadOnlyList<string> ExtraHeaderNames,
    IReadOnlyList<(string RuleId, string Severity, string Message)> Violations);

/// <summary>The summary line of <c>harness ssdp search --json</c>.</summary>
internal sealed record SearchSummaryLine(int Answers, int Devices, int Roots, int Locations, double Seconds, IReadOnlyList<(string RuleId, string Severity, int Count)> Findings);

/// <summary>Reads the JSON the <c>harness ssdp</c> commands write.</summary>
internal static class SsdpJson
{
    /// <summary>The answers and the summary of <c>harness ssdp search --json</c> (JSON lines).</summary>
    public static (IReadOnlyList<SearchAnswer> Answers, SearchSummaryLine Summary) ParseSearch(string output)
    {
        var answers = new List<SearchAnswer>();
        SearchSummaryLine? summary = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            switch (e.GetProperty("type").GetString())
            {
                case "answer":
                    answers.Add(new SearchAnswer(
                        e.GetProperty("st").GetString()!,
                        e.GetProperty("usn").GetString()!,
                        e.GetProperty("udn").GetString()!,
                        String(e, "location"),
                        String(e, "server"),
                        Int(e, "maxAge"),
                        Int(e, "bootId"),
                        Int(e, "configId"),
                        e.GetProperty("ext").GetBoolean(),
                        e.GetProperty("from").GetString()!,
                        e.GetProperty("at").GetDouble(),
                        [.. e.GetProperty("extraHeaders").EnumerateArray().Select(h => h.GetProperty("name").GetString()!)],
                        [.. e.GetProperty("violations").EnumerateArray().Select(v => (v.GetProperty("ruleId").GetString()!, v.GetProperty("severity").GetString()!, v.GetProperty("message").GetString()!))]));
                    break;
                case "summary":
                    summary = new SearchSummaryLine(
                        e.GetProperty("answers").GetInt32(),
                        e.GetProperty("devices").GetInt32(),
                        e.GetProperty("roots").GetInt32(),
                        e.GetProperty("locations").GetInt32(),
                        e.GetProperty("seconds").GetDouble(),
                        [.. e.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("severity").GetString()!, f.GetProperty("count").GetInt32()))]);
                    break;
            }
        }

        return (answers, summary ?? throw new InvalidOperationException("No summary line in:\n" + output));
    }

    private static string? String(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
}
