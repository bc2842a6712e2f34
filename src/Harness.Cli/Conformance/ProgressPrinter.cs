using Harness.Conformance.Engine;

namespace Harness.Cli.Conformance;

/// <summary>
/// Shows a run's progress: one line rewritten in place on a terminal, plain lines (about every tenth of the work)
/// when the output is redirected, as in CI.
/// </summary>
internal sealed class ProgressPrinter(TextWriter writer, bool interactive) : IProgress<RunProgress>
{
    private readonly Lock _gate = new();
    private int _lastDecile = -1;
    private bool _lineOpen;

    public static ProgressPrinter ForConsole() => new(Console.Error, !Console.IsErrorRedirected);

    public void Say(string line)
    {
        lock (_gate)
        {
            EndLine();
            writer.WriteLine(line);
        }
    }

    public void Report(RunProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var total = Math.Max(1, value.ChecksTotal);
            if (interactive)
            {
                writer.Write($"\rrules: {value.ChecksDone}/{value.ChecksTotal} checks on {value.DevicesFound} device(s) {value.RuleId,-16}");
                _lineOpen = true;
                if (value.ChecksDone == value.ChecksTotal)
                {
                    EndLine();
                }

                return;
            }

            var decile = value.ChecksDone * 10 / total;
            if (decile != _lastDecile || value.ChecksDone == value.ChecksTotal)
            {
                _lastDecile = decile;
                writer.WriteLine($"rules: {value.ChecksDone}/{value.ChecksTotal} checks on {value.DevicesFound} device(s)");
            }
        }
    }

    private void EndLine()
    {
        if (_lineOpen)
        {
            writer.WriteLine();
            _lineOpen = false;
        }
    }
}
