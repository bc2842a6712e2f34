using System.Buffers;
using System.IO.Pipelines;

namespace Harness.Xmpp.Streams;

/// <summary>
/// A read-only <see cref="Stream"/> over a <see cref="PipeReader"/> for the XML parser: counts the bytes it hands
/// out against a budget (reset per stanza), applies the idle timeout on the reader's <see cref="TimeProvider"/>, and
/// uses the token of the current read operation (XmlReader's async methods take none).
/// </summary>
internal sealed class PipeReaderStream : Stream
{
    private readonly PipeReader _input;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _idleTimeout;
    private long _budgetUsed;

    public PipeReaderStream(PipeReader input, TimeProvider timeProvider, TimeSpan idleTimeout, long budget)
    {
        _input = input;
        _timeProvider = timeProvider;
        _idleTimeout = idleTimeout;
        Budget = budget;
    }

    /// <summary>The token of the read operation in progress.</summary>
    public CancellationToken CurrentToken { get; set; }

    /// <summary>The bytes allowed between two <see cref="ResetBudget"/> calls.</summary>
    public long Budget { get; }

    /// <summary>True once the pipe reported its end.</summary>
    public bool EndOfInput { get; private set; }

    /// <summary>Every byte handed out so far.</summary>
    public long TotalBytes { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void ResetBudget() => _budgetUsed = 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (EndOfInput)
        {
            return 0;
        }

        if (_budgetUsed >= Budget)
        {
            throw new StanzaBudgetExceededException(Budget);
        }

        var caller = CurrentToken;
        using var idle = _idleTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(_idleTimeout, _timeProvider);
        using var linked = idle is null ? null : CancellationTokenSource.CreateLinkedTokenSource(caller, idle.Token);
        var token = linked?.Token ?? caller;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (idle is not null && idle.IsCancellationRequested && !caller.IsCancellationRequested)
            {
                throw new IdleTimeoutException(_idleTimeout);
            }

            var data = result.Buffer;
            if (!data.IsEmpty)
            {
                var allowed = (int)Math.Min(Math.Min(buffer.Length, data.Length), Budget - _budgetUsed);
                var slice = data.Slice(0, allowed);
                slice.CopyTo(buffer.Span);
                _input.AdvanceTo(slice.End);
                _budgetUsed += allowed;
                TotalBytes += allowed;
                return allowed;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                _input.AdvanceTo(data.End);
                EndOfInput = true;
                return 0;
            }

            _input.AdvanceTo(data.Start, data.End);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The XMPP stream is read asynchronously only.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The peer sent more bytes for one stanza than the budget allows.</summary>
internal sealed class StanzaBudgetExceededException(long budget)
    : IOException($"A stanza is larger than {budget} bytes.")
{
}

/// <summary>No byte arrived within the idle timeout.</summary>
internal sealed class IdleTimeoutException(TimeSpan timeout)
    : IOException($"No data within {timeout}.")
{
}
