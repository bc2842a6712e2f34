using System.Text;
using Harness.Core.Diagnostics;
using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Tests.Messages;

/// <summary>Loads the golden vectors embedded from <c>Vectors/</c> (see Vectors/README.md for their origin).</summary>
internal static class WsdVectors
{
    public static byte[] Load(string name)
    {
        using var stream = typeof(WsdVectors).Assembly.GetManifestResourceStream("Vectors/" + name)
            ?? throw new InvalidOperationException($"Vector {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The published sample with its missing closing tag appended (Microsoft's samples end at &lt;/soap:Body&gt;).</summary>
    public static byte[] LoadWithClosingTag(string name, string closingTag) =>
        [.. Load(name), .. Encoding.UTF8.GetBytes(closingTag)];

    public static IEnumerable<string> All() =>
        typeof(WsdVectors).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Vectors/", StringComparison.Ordinal))
            .Select(n => n["Vectors/".Length..])
            .Order(StringComparer.Ordinal);

    public static WsdReadResult Read(string name, ReadMode mode = ReadMode.Lenient) =>
        WsdMessageReader.Read(Load(name), new WsdReadOptions(mode));

    public static void HasViolation(WsdReadResult result, string ruleId, ViolationSeverity severity, string? messagePart = null) =>
        Assert.Contains(result.Violations, v => v.RuleId == ruleId && v.Severity == severity && (messagePart is null || v.Message.Contains(messagePart, StringComparison.Ordinal)));

    public static void NoErrorsOrWarnings(WsdReadResult result) =>
        Assert.DoesNotContain(result.Violations, v => v.Severity != ViolationSeverity.Info);

    public static IReadOnlyList<string> Rules(WsdReadResult result) => [.. result.Violations.Select(v => v.RuleId)];
}
