using System.Globalization;
using System.Text;
using System.Xml;
using Harness.Conformance.Model;

namespace Harness.Conformance.Reports;

/// <summary>
/// Writes <c>junit.xml</c> as CI systems (Jenkins, GitLab, Azure DevOps) read it: one <c>testsuite</c> per device, one
/// <c>testcase</c> per rule on that device. Fail → <c>failure</c>, Error → <c>error</c>, NotApplicable →
/// <c>skipped</c>; Warn and Info pass with a <c>system-out</c> note; Pass is a bare test case. Deterministic.
/// </summary>
public sealed class JUnitReportWriter : IReportWriter
{
    /// <inheritdoc />
    public string FileName => ReportFiles.JUnit;

    /// <inheritdoc />
    public Task WriteAsync(RunResult result, Stream destination, CancellationToken cancellationToken = default) =>
        ReportFiles.WriteTextAsync(Render(result), destination, cancellationToken);

    /// <summary>The XML text (UTF-8 declared, ends with a line feed).</summary>
    public string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = new Utf8StringWriter();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            CheckCharacters = true,
        }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", Clean($"Harness conformance {result.RunId}"));
            WriteCounts(xml, result.Totals);
            xml.WriteAttributeString("time", Seconds(result.EndedAt - result.StartedAt));
            xml.WriteAttributeString("timestamp", Timestamp(result.StartedAt));
            for (var i = 0; i < result.DeviceResults.Count; i++)
            {
                WriteSuite(xml, result, result.DeviceResults[i], i);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return output.ToString() + "\n";
    }

    private static void WriteSuite(XmlWriter xml, RunResult result, DeviceResult deviceResult, int index)
    {
        var device = deviceResult.Device;
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", Clean($"{device.Protocol} {device.Label} ({device.Id})"));
        xml.WriteAttributeString("id", index.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("package", Clean($"conformance.{device.Protocol}"));
        WriteCounts(xml, deviceResult.Counts);
        xml.WriteAttributeString("time", "0");
        xml.WriteAttributeString("timestamp", Timestamp(result.StartedAt));
        xml.WriteAttributeString("hostname", "harness");

        xml.WriteStartElement("properties");
        WriteProperty(xml, "device.id", device.Id);
        WriteProperty(xml, "device.name", device.DisplayName ?? string.Empty);
        WriteProperty(xml, "device.protocol", device.Protocol);
        WriteProperty(xml, "device.roles", string.Join(",", device.Roles.Select(r => r.Name)));
        WriteProperty(xml, "device.verdict", deviceResult.Verdict.Label());
        WriteProperty(xml, "run.id", result.RunId);
        WriteProperty(xml, "run.target", result.Target);
        xml.WriteEndElement();

        var className = Clean($"conformance.{device.Protocol}.{ClassSegment(device.Label)}");
        foreach (var outcome in deviceResult.Outcomes)
        {
            WriteCase(xml, outcome, className);
        }

        xml.WriteEndElement();
    }

    private static void WriteCase(XmlWriter xml, RuleOutcome outcome, string className)
    {
        var rule = outcome.Rule;
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", Clean($"{rule.Id} [{rule.Level.Label()}] {rule.Title}"));
        xml.WriteAttributeString("classname", className);
        xml.WriteAttributeString("time", "0");
        var decisive = outcome.Findings.Where(f => f.Verdict == outcome.Verdict).ToList();
        switch (outcome.Verdict)
        {
            case Verdict.Fail:
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", Clean(decisive[0].Message, 1024));
                xml.WriteAttributeString("type", rule.Level.Label());
                xml.WriteString(Details(outcome, decisive));
                xml.WriteEndElement();
                break;
            case Verdict.Error:
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", Clean(decisive[0].Message, 1024));
                xml.WriteAttributeString("type", "CheckError");
                xml.WriteString(Details(outcome, decisive));
                xml.WriteEndElement();
                break;
            case Verdict.NotApplicable:
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", Clean(decisive[0].Message, 1024));
                xml.WriteEndElement();
                break;
            case Verdict.Warn:
            case Verdict.Info:
                xml.WriteElementString("system-out", Details(outcome, decisive));
                break;
            default:
                break;
        }

        xml.WriteEndElement();
    }

    private static string Details(RuleOutcome outcome, IReadOnlyList<Finding> findings)
    {
        var rule = outcome.Rule;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{outcome.Verdict.Label()} {rule.Id} ({rule.Level.Label()}): {rule.Title}\n");
        text.Append(CultureInfo.InvariantCulture, $"Spec: {rule.Citation}");
        if (rule.Citation.Url is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" <{rule.Citation.Url}>");
        }

        text.Append('\n');
        foreach (var finding in findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {finding.Message}\n");
            var evidence = finding.Evidence;
            if (evidence.Actual is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"  observed: {evidence.Actual}\n");
            }

            if (evidence.Expected is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"  expected: {evidence.Expected}\n");
            }

            if (evidence.Location is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"  where: {evidence.Location}\n");
            }

            if (evidence.Records.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  messages: {string.Join(", ", evidence.Records.Select(r => "#" + r.ToString(CultureInfo.InvariantCulture)))}\n");
            }
        }

        return Clean(text.ToString(), 65536);
    }

    private static void WriteCounts(XmlWriter xml, VerdictCounts counts)
    {
        xml.WriteAttributeString("tests", counts.Total.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", counts.Fail.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", counts.Error.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", counts.NotApplicable.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteProperty(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value, 1024));
        xml.WriteEndElement();
    }

    /// <summary>A device label as one class-name segment: letters, digits and '_' only (CI tools split class names on '.').</summary>
    private static string ClassSegment(string label)
    {
        var builder = new StringBuilder(Math.Min(label.Length, 64));
        foreach (var c in label.Take(64))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return builder.Length == 0 ? "device" : builder.ToString();
    }

    private static string Clean(string text, int maxLength = 512) => SafeText.Clean(text, maxLength)!;

    private static string Seconds(TimeSpan span) =>
        Math.Max(0, span.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
