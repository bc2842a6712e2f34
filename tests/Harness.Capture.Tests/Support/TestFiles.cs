namespace Harness.Capture.Tests.Support;

/// <summary>The public captures (copied next to the tests from captures/public) and temporary files.</summary>
internal static class TestFiles
{
    public static string Public(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "captures", name);
        Assert.True(File.Exists(path), $"missing test capture {path} (captures/public is copied to the output by the project file)");
        return path;
    }
}

/// <summary>A temporary file deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string extension = ".pcapng")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"harness-capture-{Guid.NewGuid():N}{extension}");
    }

    public TempFile(byte[] content, string extension = ".pcapng")
        : this(extension)
    {
        File.WriteAllBytes(Path, content);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
    }
}

/// <summary>A read-only stream over another that counts the bytes read and can hide seeking.</summary>
internal sealed class CountingStream(Stream inner, bool seekable = true) : Stream
{
    public long BytesRead { get; private set; }

    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => seekable;

    public override bool CanWrite => false;

    public override long Length => seekable ? inner.Length : throw new NotSupportedException();

    public override long Position
    {
        get => seekable ? inner.Position : throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        BytesRead += read;
        Reads++;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        seekable ? inner.Seek(offset, origin) : throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
