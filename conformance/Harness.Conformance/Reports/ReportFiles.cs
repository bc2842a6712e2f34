using System.Text;
using Harness.Conformance.Model;

namespace Harness.Conformance.Reports;

/// <summary>A report format: one writer per format, all over the same <see cref="RunResult"/>.</summary>
public interface IReportWriter
{
    /// <summary>The file name in a report folder (e.g. <c>index.html</c>).</summary>
    string FileName { get; }

    /// <summary>Writes the report (UTF-8, no byte order mark) to <paramref name="destination"/>, which stays open.</summary>
    Task WriteAsync(RunResult result, Stream destination, CancellationToken cancellationToken = default);
}

/// <summary>The files of a report folder and a helper that writes them all.</summary>
public static class ReportFiles
{
    /// <summary>The HTML report.</summary>
    public const string Html = "index.html";

    /// <summary>The JSON results.</summary>
    public const string Json = "results.json";

    /// <summary>The JUnit XML results.</summary>
    public const string JUnit = "junit.xml";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The writers of the standard formats: HTML, JSON, JUnit.</summary>
    public static IReadOnlyList<IReportWriter> StandardWriters() =>
        [new HtmlReportWriter(), new JsonReportWriter(), new JUnitReportWriter()];

    /// <summary>
    /// Writes <c>index.html</c>, <c>results.json</c> and <c>junit.xml</c> into <paramref name="directory"/> (created if
    /// needed) and returns their paths in that order.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAllAsync(RunResult result, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var writer in StandardWriters())
        {
            var path = Path.Combine(directory, writer.FileName);
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 65536, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await writer.WriteAsync(result, stream, cancellationToken).ConfigureAwait(false);
            }

            paths.Add(path);
        }

        return paths;
    }

    internal static async Task WriteTextAsync(string text, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync(Utf8NoBom.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
