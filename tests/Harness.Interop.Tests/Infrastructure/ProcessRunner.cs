using System.Diagnostics;
using System.Text;

namespace Harness.Interop.Tests.Infrastructure;

/// <summary>The outcome of a finished process.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Starts processes with captured output; every wait is bounded.</summary>
internal sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly Lock _gate = new();

    private RunningProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string StandardOutput { get { lock (_gate) { return _out.ToString(); } } }

    public string StandardError { get { lock (_gate) { return _err.ToString(); } } }

    /// <summary>Raised for each line of standard output or error.</summary>
    public event Action<string>? Line;

    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var running = new RunningProcess(process);
        process.OutputDataReceived += (_, e) => running.Append(running._out, e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(running._err, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Runs a process to completion within <paramref name="timeout"/> (killed after it).</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        await using var process = Start(fileName, arguments, environment);
        return await process.WaitForExitAsync(timeout);
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been written (stdout or stderr), or the timeout.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        Line += OnLine;
        try
        {
            if (StandardOutput.Contains(text, StringComparison.Ordinal) || StandardError.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            var exited = _process.WaitForExitAsync();
            var finished = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
            return finished == seen.Task || (finished == exited && (StandardOutput.Contains(text, StringComparison.Ordinal) || StandardError.Contains(text, StringComparison.Ordinal)));
        }
        finally
        {
            Line -= OnLine;
        }
    }

    public async Task<ProcessResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
            return new ProcessResult(-1, StandardOutput, StandardError + $"\n(killed after {timeout.TotalSeconds:0.#} s)");
        }

        // WaitForExitAsync also waits for the redirected streams to reach end of file.
        return new ProcessResult(_process.ExitCode, StandardOutput, StandardError);
    }

    /// <summary>Asks the process to stop (SIGTERM via kill), then waits up to <paramref name="timeout"/>.</summary>
    public async Task<ProcessResult> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
        }

        return await WaitForExitAsync(timeout);
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // The kill was sent; nothing more to do.
        }

        _process.Dispose();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            buffer.AppendLine(line);
        }

        Line?.Invoke(line);
    }
}
