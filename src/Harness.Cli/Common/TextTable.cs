using System.Text;

namespace Harness.Cli.Common;

/// <summary>A plain-text table with multi-line cells, for people reading a terminal.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[][]> _rows = [];

    public void Add(params IEnumerable<string>[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"Expected {headers.Length} cells.", nameof(cells));
        }

        _rows.Add([.. cells.Select(c => c.Select(Clean).DefaultIfEmpty("-").ToArray())]);
    }

    public int Count => _rows.Count;

    public override string ToString()
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Max(l => l.Length));
            }
        }

        var text = new StringBuilder();
        AppendLine(text, headers, widths);
        AppendLine(text, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in _rows)
        {
            var height = row.Max(c => c.Length);
            for (var line = 0; line < height; line++)
            {
                AppendLine(text, [.. row.Select(c => line < c.Length ? c[line] : string.Empty)], widths);
            }
        }

        return text.ToString();
    }

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }

    // A device-supplied string must not move the cursor or change colours in the user's terminal.
    private static string Clean(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
}
