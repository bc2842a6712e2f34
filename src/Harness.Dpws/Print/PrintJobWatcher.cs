using Harness.Dpws.Soap;

namespace Harness.Dpws.Print;

/// <summary>The outcome of <see cref="PrintJobWatcher.WaitForEndAsync"/>.</summary>
/// <param name="Status">The last JobStatus read (from GetJobElements, or built from the job's history entry), or null if none was read.</param>
/// <param name="Ended">True when the job reached Completed, Aborted or Canceled within the time allowed.</param>
/// <param name="Polls">How many times the printer was asked.</param>
public sealed record PrintJobWaitResult(PrintJobStatus? Status, bool Ended, int Polls)
{
    /// <summary>The last JobState read, or null.</summary>
    public string? State => Status?.JobState;
}

/// <summary>
/// Follows a print job until it ends by asking the printer (GetJobElements JobStatus, and GetJobHistory once a printer
/// forgets an ended job and answers ClientErrorJobIdNotFound), at an interval on the injected clock, bounded by a time
/// limit. Polling works with every printer, even one whose events cannot reach the client.
/// </summary>
public sealed class PrintJobWatcher
{
    private readonly PrintClient _client;
    private readonly TimeProvider _time;

    /// <summary>A watcher that asks through <paramref name="client"/> on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public PrintJobWatcher(PrintClient client, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Time between two questions (default 250 ms).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Raised after each question that did not end the wait, once the next one is scheduled on the clock.</summary>
    public event EventHandler<PrintJobStatus>? Polled;

    /// <summary>Raised with each JobStatus read whose state differs from the previous one.</summary>
    public event EventHandler<PrintJobStatus>? StateChanged;

    /// <summary>
    /// Asks for the status of job <paramref name="jobId"/> until it is terminal or <paramref name="timeout"/> has passed on the
    /// watcher's clock (then <see cref="PrintJobWaitResult.Ended"/> is false). Faults other than ClientErrorJobIdNotFound,
    /// and a job the printer no longer knows in any list, end the wait with the exception of the call.
    /// </summary>
    public async Task<PrintJobWaitResult> WaitForEndAsync(Uri service, int jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero);
        var deadline = _time.GetUtcNow() + timeout;
        PrintJobStatus? last = null;
        var polls = 0;
        while (true)
        {
            polls++;
            var status = await ReadStatusAsync(service, jobId, cancellationToken).ConfigureAwait(false);
            if (status.JobState != last?.JobState)
            {
                StateChanged?.Invoke(this, status);
            }

            last = status;
            if (PrintJobStates.IsTerminal(status.JobState))
            {
                return new PrintJobWaitResult(status, true, polls);
            }

            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return new PrintJobWaitResult(last, false, polls);
            }

            // The timer is set before Polled is raised, so that whoever advances the clock on Polled moves this wait.
            var next = Task.Delay(left < PollInterval ? left : PollInterval, _time, cancellationToken);
            Polled?.Invoke(this, status);
            await next.ConfigureAwait(false);
        }
    }

    private async Task<PrintJobStatus> ReadStatusAsync(Uri service, int jobId, CancellationToken cancellationToken)
    {
        try
        {
            var elements = await _client.GetJobElementsAsync(service, jobId, [PrintElementNames.JobStatus], cancellationToken).ConfigureAwait(false);
            if (elements.Value.Status is { } status)
            {
                return status;
            }
        }
        catch (PrintFaultException ex) when (ex.Fault.Is("ClientErrorJobIdNotFound"))
        {
            // Some printers forget an ended job at once; its history entry tells how it ended.
            if (await FromListsAsync(service, jobId, cancellationToken).ConfigureAwait(false) is { } listed)
            {
                return listed;
            }

            throw;
        }

        // A JobStatus the reader could not understand (or Valid="false"): look for the job in the lists instead.
        return await FromListsAsync(service, jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"The printer sent no JobStatus for job {jobId} and lists it neither as active nor in its history.");
    }

    private async Task<PrintJobStatus?> FromListsAsync(Uri service, int jobId, CancellationToken cancellationToken)
    {
        var active = await _client.GetActiveJobsAsync(service, cancellationToken).ConfigureAwait(false);
        var summary = active.Value.Jobs.FirstOrDefault(j => j.JobId == jobId);
        if (summary is null)
        {
            var history = await _client.GetJobHistoryAsync(service, cancellationToken).ConfigureAwait(false);
            summary = history.Value.Jobs.FirstOrDefault(j => j.JobId == jobId);
        }

        return summary is null
            ? null
            : new PrintJobStatus(summary.JobId, summary.JobState)
            {
                JobStateReasons = summary.JobStateReasons,
                KOctetsProcessed = summary.KOctetsProcessed,
                MediaSheetsCompleted = summary.MediaSheetsCompleted,
                NumberOfDocuments = summary.NumberOfDocuments,
            };
    }
}
