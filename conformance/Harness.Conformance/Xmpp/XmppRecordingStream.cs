using System.Net;
using Harness.Conformance.Model;
using Harness.Core.Recording;

namespace Harness.Conformance.Xmpp;

/// <summary>
/// A stream between the judge's XMPP connection and its TCP socket that records every chunk read and written as a
/// <see cref="TrafficTransport.Tcp"/> record labelled <c>xmpp</c>: the same shape a capture of the connection gives.
/// Once STARTTLS is accepted (<c>&lt;proceed/&gt;</c> read) it stops recording: the bytes after that are TLS, and the
/// suite records the decrypted elements instead (<see cref="RecordsRaw"/> false).
/// </summary>
internal sealed class XmppRecordingStream(Stream inner, TrafficRecorder recorder, IPEndPoint local, IPEndPoint remote) : Stream
{
    private volatile bool _raw = true;
    private volatile bool _startTlsSent;

    /// <summary>True while the bytes are plain XMPP and recorded as they pass.</summary>
    public bool RecordsRaw => _raw;

    /// <summary>The last record written, or null.</summary>
    public TrafficRecord? LastOutbound { get; private set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Inbound(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inbound(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Outbound(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Outbound(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Inbound(ReadOnlySpan<byte> bytes)
    {
        if (!_raw || bytes.IsEmpty)
        {
            return;
        }

        recorder.Record(TrafficDirection.Inbound, TrafficTransport.Tcp, remote, local, bytes, Protocols.Xmpp);
        if (_startTlsSent && bytes.IndexOf("<proceed"u8) >= 0)
        {
            _raw = false;
        }
    }

    private void Outbound(ReadOnlySpan<byte> bytes)
    {
        if (!_raw || bytes.IsEmpty)
        {
            return;
        }

        LastOutbound = recorder.Record(TrafficDirection.Outbound, TrafficTransport.Tcp, local, remote, bytes, Protocols.Xmpp);
        if (bytes.IndexOf("<starttls"u8) >= 0)
        {
            _startTlsSent = true;
        }
    }
}
