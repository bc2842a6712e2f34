using System.Globalization;
using System.Text;
using System.Text.Json;
using Harness.Cli.Common;
using Harness.Core.Diagnostics;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;

namespace Harness.Cli.Ssdp;

/// <summary>What a finished search reports in its summary.</summary>
internal sealed record SearchSummary(string Target, int? Mx, string Interface, string Destination, TimeSpan Elapsed, bool Interrupted);

/// <summary>
/// Shows search answers as they arrive, one row per USN and LOCATION: a table rewritten in place on a terminal (at most
/// five times a second, the newest rows when they do not all fit), one appended line per new row when the output is
/// redirected, or JSON lines. Ends with a summary: answers, devices, locations, and the findings by rule.
/// </summary>
internal sealed class SearchView
{
    private const string Escape = "\u001b[";
    private readonly TextWriter _out;
    private readonly SearchViewMode _mode;
    private readonly int _width;
    private readonly int _height;
    private readonly Lock _gate = new();
    private readonly List<Row> _rows = [];
    private readonly Dictionary<(string Usn, string Location), Row> _byKey = [];
    private readonly Dictionary<(string RuleId, ViolationSeverity Severity), (int Count, string Message)> _findings = [];
    private Timer? _ticker;
    private string _status = string.Empty;
    private int _liveLines;
    private bool _dirty;
    private int _answers;

    public SearchView(TextWriter output, SearchViewMode mode, int width = 120, int height = 40)
    {
        _out = output;
        _mode = mode;
        _width = Math.Max(40, width);
        _height = Math.Max(8, height);
    }

    /// <summary>The view for this process's console: JSON lines, a live table on a terminal, lines otherwise.</summary>
    public static SearchView ForConsole(bool json)
    {
        if (json)
        {
            return new SearchView(Console.Out, SearchViewMode.JsonLines);
        }

        if (Console.IsOutputRedirected)
        {
            return new SearchView(Console.Out, SearchViewMode.Lines);
        }

        int width, height;
        try
        {
            width = Console.WindowWidth;
            height = Console.WindowHeight;
        }
        catch (IOException)
        {
            (width, height) = (120, 40);
        }

        return new SearchView(Console.Out, SearchViewMode.LiveTable, width <= 0 ? 120 : width, height <= 0 ? 40 : height);
    }

    public IReadOnlyList<Row> Rows
    {
        get
        {
            lock (_gate)
            {
                return [.. _rows];
            }
        }
    }

    public void Start(string what)
    {
        lock (_gate)
        {
            _status = what;
            switch (_mode)
            {
                case SearchViewMode.Lines:
                    _out.WriteLine(what);
                    _out.Flush();
                    break;
                case SearchViewMode.LiveTable:
                    _ticker = new Timer(_ => Tick(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
                    RenderLocked(final: false);
                    break;
            }
        }
    }

    public void Add(SsdpSearchResult result, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            _answers++;
            foreach (var violation in result.Violations)
            {
                var key = (violation.RuleId, violation.Severity);
                _findings[key] = _findings.TryGetValue(key, out var seen) ? (seen.Count + 1, seen.Message) : (1, violation.Message);
            }

            var response = result.Response;
            var location = response.Location ?? string.Empty;
            if (_byKey.TryGetValue((response.Usn, location), out var row))
            {
                row.Update(result);
            }
            else
            {
                row = new Row(result, at);
                _byKey[(response.Usn, location)] = row;
                _rows.Add(row);
            }

            switch (_mode)
            {
                case SearchViewMode.JsonLines:
                    _out.WriteLine(JsonSerializer.Serialize(AnswerJson(result, at), SsdpCliOptions.JsonLines));
                    _out.Flush();
                    break;
                case SearchViewMode.Lines:
                    if (row.Count == 1)
                    {
                        _out.WriteLine(Line(row));
                        _out.Flush();
                    }

                    break;
                default:
                    _dirty = true;
                    break;
            }
        }
    }

    public void Finish(SearchSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        lock (_gate)
        {
            _ticker?.Dispose();
            _ticker = null;
            if (_mode == SearchViewMode.JsonLines)
            {
                _out.WriteLine(JsonSerializer.Serialize(SummaryJson(summary), SsdpCliOptions.JsonLines));
                _out.Flush();
                return;
            }

            if (_mode == SearchViewMode.LiveTable)
            {
                _status = string.Empty;
                RenderLocked(final: true);
            }

            _out.Write(SummaryText(summary));
            _out.Flush();
        }
    }

    /// <summary>The counts of a search: answers (distinct USN and ST), devices (UDNs), root devices, locations.</summary>
    public (int Answers, int Devices, int Roots, int Locations) Counts()
    {
        lock (_gate)
        {
            return CountsLocked();
        }
    }

    private (int Answers, int Devices, int Roots, int Locations) CountsLocked() => (
        _answers,
        _rows.Select(r => r.Udn).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
        _rows.Where(r => r.IsRoot).Select(r => r.Udn).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
        _rows.Select(r => r.Location).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).Count());

    private void Tick()
    {
        lock (_gate)
        {
            if (_ticker is not null && _dirty)
            {
                RenderLocked(final: false);
            }
        }
    }

    private void RenderLocked(bool final)
    {
        _dirty = false;
        var rows = _rows;
        var hidden = 0;
        var room = _height - 5;
        if (!final && rows.Count > room)
        {
            hidden = rows.Count - room;
            rows = rows.GetRange(hidden, room);
        }

        var lines = new List<string>();
        if (hidden > 0)
        {
            lines.Add($"… {hidden} earlier row(s)");
        }

        lines.AddRange(Table(rows).TrimEnd('\n').Split('\n'));
        if (!final)
        {
            lines.Add($"{_status} … {_answers} answer(s)");
        }

        var text = new StringBuilder();
        if (_liveLines > 0)
        {
            // Back to the first line of the previous rendering, then erase to the end of the screen.
            text.Append(Escape).Append(_liveLines.ToString(CultureInfo.InvariantCulture)).Append('F').Append(Escape).Append('J');
        }

        foreach (var line in lines)
        {
            text.Append(final ? line : Fit(line)).Append('\n');
        }

        _out.Write(text.ToString());
        _out.Flush();
        _liveLines = final ? 0 : lines.Count;
    }

    private string Fit(string line) => line.Length < _width ? line : string.Concat(line.AsSpan(0, _width - 2), "…");

    internal static string Table(IEnumerable<Row> rows)
    {
        var table = new TextTable("AT", "FROM", "USN", "LOCATION", "MAX-AGE", "BOOTID", "SERVER", "FINDINGS");
        foreach (var row in rows)
        {
            table.Add(
                [Seconds(row.FirstAt)],
                [row.From],
                [row.Usn.Length == 0 ? "-" : row.Usn],
                [row.Location.Length == 0 ? "-" : row.Location],
                [row.MaxAge?.ToString(CultureInfo.InvariantCulture) ?? "-"],
                [row.BootId?.ToString(CultureInfo.InvariantCulture) ?? "-"],
                [row.Server ?? "-"],
                [row.FindingsShort]);
        }

        return table.ToString();
    }

    internal static string Line(Row row) => string.Create(
        CultureInfo.InvariantCulture,
        $"+{Seconds(row.FirstAt)}s {row.From} ST={SsdpCliOptions.Clean(row.SearchTarget)} USN={SsdpCliOptions.Clean(row.Usn)} LOCATION={SsdpCliOptions.Clean(row.Location)} max-age={row.MaxAge?.ToString(CultureInfo.InvariantCulture) ?? "-"} BOOTID={row.BootId?.ToString(CultureInfo.InvariantCulture) ?? "-"} SERVER={SsdpCliOptions.Clean(row.Server)} findings={row.FindingsShort}");

    private string SummaryText(SearchSummary summary)
    {
        var (answers, devices, roots, locations) = CountsLocked();
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine(
            $"{answers} answer(s) from {devices} device(s) ({roots} root) at {locations} location(s) in {summary.Elapsed.TotalSeconds:0.0} s"
            + $" (ST {summary.Target}{(summary.Mx is { } mx ? $", MX {mx}" : ", unicast")}, {summary.Destination} on {summary.Interface}){(summary.Interrupted ? ", interrupted" : string.Empty)}.");
        if (_findings.Count > 0)
        {
            text.WriteLine("Findings:");
            foreach (var ((ruleId, severity), (count, message)) in _findings.OrderByDescending(f => f.Key.Severity).ThenBy(f => f.Key.RuleId, StringComparer.Ordinal))
            {
                text.WriteLine($"  {severity,-7} {ruleId,-22} x{count,-4} {SsdpCliOptions.Clean(message)}");
            }
        }

        return text.ToString();
    }

    private static object AnswerJson(SsdpSearchResult result, TimeSpan at)
    {
        var r = result.Response;
        return new
        {
            type = "answer",
            at = Math.Round(at.TotalSeconds, 3),
            from = result.Source.ToString(),
            st = r.SearchTarget,
            usn = r.Usn,
            udn = r.ParsedUsn.Udn,
            location = r.Location,
            server = r.Server,
            maxAge = r.MaxAge,
            bootId = r.BootId,
            configId = r.ConfigId,
            searchPort = r.SearchPort,
            ext = r.Ext,
            date = r.Date?.ToString("R", CultureInfo.InvariantCulture),
            extraHeaders = r.ExtraHeaders.Select(h => new { name = h.Name, value = h.Value }),
            violations = result.Violations.Select(SsdpCliOptions.ToJson),
        };
    }

    private object SummaryJson(SearchSummary summary)
    {
        var (answers, devices, roots, locations) = CountsLocked();
        return new
        {
            type = "summary",
            st = summary.Target,
            mx = summary.Mx,
            @interface = summary.Interface,
            destination = summary.Destination,
            answers,
            devices,
            roots,
            locations,
            seconds = Math.Round(summary.Elapsed.TotalSeconds, 3),
            interrupted = summary.Interrupted,
            findings = _findings.Select(f => new { ruleId = f.Key.RuleId, severity = f.Key.Severity.ToString(), count = f.Value.Count, message = f.Value.Message }),
        };
    }

    private static string Seconds(TimeSpan at) => at.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>One USN at one LOCATION, as last answered.</summary>
    internal sealed class Row(SsdpSearchResult first, TimeSpan at)
    {
        private SsdpSearchResult _last = first;

        public TimeSpan FirstAt { get; } = at;

        public int Count { get; private set; } = 1;

        public string Usn => _last.Response.Usn;

        public string Udn => SsdpUsn.Parse(Usn).Udn;

        public string SearchTarget => _last.Response.SearchTarget;

        public bool IsRoot => _last.Response.Target.Kind == SsdpTargetKind.RootDevice;

        public string Location => _last.Response.Location ?? string.Empty;

        public string? Server => _last.Response.Server;

        public int? MaxAge => _last.Response.MaxAge;

        public int? BootId => _last.Response.BootId;

        public string From => _last.Source.ToString();

        public IReadOnlyList<Violation> Violations => _last.Violations;

        /// <summary><c>2E 1W</c> for errors and warnings, <c>-</c> when there are none (style notes are in the summary).</summary>
        public string FindingsShort
        {
            get
            {
                var errors = Violations.Count(v => v.Severity == ViolationSeverity.Error);
                var warnings = Violations.Count(v => v.Severity == ViolationSeverity.Warning);
                var parts = new List<string>();
                if (errors > 0)
                {
                    parts.Add(errors.ToString(CultureInfo.InvariantCulture) + "E");
                }

                if (warnings > 0)
                {
                    parts.Add(warnings.ToString(CultureInfo.InvariantCulture) + "W");
                }

                return parts.Count == 0 ? "-" : string.Join(' ', parts);
            }
        }

        public void Update(SsdpSearchResult result)
        {
            _last = result;
            Count++;
        }
    }
}

/// <summary>How search answers are shown.</summary>
internal enum SearchViewMode
{
    /// <summary>A table rewritten in place (a terminal).</summary>
    LiveTable,

    /// <summary>One line per new row (redirected output).</summary>
    Lines,

    /// <summary>One JSON object per answer, then a summary object.</summary>
    JsonLines,
}
