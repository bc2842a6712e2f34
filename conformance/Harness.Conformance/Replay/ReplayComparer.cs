using System.Globalization;
using Harness.Core.Diagnostics;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Replay;

/// <summary>How <see cref="ReplayComparer"/> compares.</summary>
public sealed record ReplayCompareOptions
{
    /// <summary>Exact comparison of everything it compares.</summary>
    public static ReplayCompareOptions Default { get; } = new();

    /// <summary>
    /// Compare XAddrs without their host (scheme, port, path and query only): for a target that answers from an
    /// address other than the capture's device. Default false.
    /// </summary>
    public bool IgnoreXAddrHosts { get; init; }
}

/// <summary>
/// Compares the answers a capture recorded for one request with the answers a live target gave to the same request,
/// by meaning: answered or silent, the kind of answer, the family, the matches by endpoint reference address
/// (Types as sets of expanded QNames, Scopes and XAddrs as sets, MetadataVersion), fault code, subcode and detail,
/// and whether AppSequence is there. Ignored: MessageID, RelatesTo (the caller checks it against what it sent),
/// AppSequence values, wsa:To, timestamps, ports, prefixes, whitespace, the order of list members and of matches,
/// how matches are packed into datagrams, and fault reason text. Pure: a function of the messages.
/// </summary>
public static class ReplayComparer
{
    /// <summary>The differences, most important first (an empty list: the live target answered as recorded).</summary>
    /// <param name="recorded">The capture's answers (ProbeMatches, ResolveMatches, faults; anything else is ignored), repeats removed.</param>
    /// <param name="live">The live answers, in the same form.</param>
    /// <param name="options">How to compare; <see cref="ReplayCompareOptions.Default"/> when null.</param>
    public static IReadOnlyList<ReplayDifference> Compare(IReadOnlyList<WsdMessage> recorded, IReadOnlyList<WsdMessage> live, ReplayCompareOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(live);
        options ??= ReplayCompareOptions.Default;
        var before = recorded.Where(IsAnswer).ToList();
        var after = live.Where(IsAnswer).ToList();
        var differences = new List<ReplayDifference>();
        if (before.Count == 0 && after.Count == 0)
        {
            return differences;
        }

        if (before.Count == 0 || after.Count == 0)
        {
            differences.Add(new ReplayDifference(
                ReplayDifferenceKind.Answered,
                "/",
                before.Count == 0 ? "silence" : "an answer (" + Summarize(before) + ")",
                after.Count == 0 ? "silence" : "an answer (" + Summarize(after) + ")",
                ViolationSeverity.Error));
            return differences;
        }

        var familiesBefore = Join(before.Select(m => m.Protocol.ToString()).Distinct(StringComparer.Ordinal));
        var familiesAfter = Join(after.Select(m => m.Protocol.ToString()).Distinct(StringComparer.Ordinal));
        if (!string.Equals(familiesBefore, familiesAfter, StringComparison.Ordinal))
        {
            differences.Add(new ReplayDifference(ReplayDifferenceKind.Protocol, "d:", familiesBefore, familiesAfter, ViolationSeverity.Error));
        }

        var kindsBefore = Join(before.Select(KindOf).Distinct(StringComparer.Ordinal));
        var kindsAfter = Join(after.Select(KindOf).Distinct(StringComparer.Ordinal));
        if (!string.Equals(kindsBefore, kindsAfter, StringComparison.Ordinal))
        {
            differences.Add(new ReplayDifference(ReplayDifferenceKind.MessageKind, "wsa:Action", kindsBefore, kindsAfter, ViolationSeverity.Error));
            return differences;
        }

        CompareMatches(before, after, options, differences);
        CompareFaults(before, after, differences);

        var sequenceBefore = before.Any(m => m.Header.AppSequence is not null);
        var sequenceAfter = after.Any(m => m.Header.AppSequence is not null);
        if (sequenceBefore != sequenceAfter)
        {
            differences.Add(new ReplayDifference(
                ReplayDifferenceKind.AppSequence,
                "d:AppSequence",
                sequenceBefore ? "present" : "absent",
                sequenceAfter ? "present" : "absent",
                ViolationSeverity.Info));
        }

        return differences;
    }

    /// <summary>True for the messages that answer a request: ProbeMatches, ResolveMatches and faults.</summary>
    public static bool IsAnswer(WsdMessage message) => message is WsdProbeMatches or WsdResolveMatches or WsdFault;

    /// <summary>A short description of a set of answers, e.g. <c>ProbeMatches, 2 matches</c>.</summary>
    public static string Summarize(IReadOnlyList<WsdMessage> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var parts = new List<string>();
        var kinds = answers.Where(IsAnswer).Select(KindOf).Distinct(StringComparer.Ordinal).ToList();
        if (kinds.Count > 0)
        {
            parts.Add(string.Join("+", kinds));
        }

        var matches = answers.Sum(a => MatchesOf(a).Count());
        if (answers.Any(a => a is WsdProbeMatches or WsdResolveMatches))
        {
            parts.Add(matches == 1 ? "1 match" : matches.ToString(CultureInfo.InvariantCulture) + " matches");
        }

        if (answers.OfType<WsdFault>().FirstOrDefault() is { } fault)
        {
            parts.Add(Name(fault.Code) + (fault.Subcode is null ? string.Empty : "/" + Name(fault.Subcode)));
        }

        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    /// <summary>The name of an answer's kind: ProbeMatches, ResolveMatches, Fault (or the record's type name).</summary>
    public static string KindOf(WsdMessage message) => message switch
    {
        WsdProbeMatches => "ProbeMatches",
        WsdResolveMatches => "ResolveMatches",
        WsdFault => "Fault",
        WsdProbe => "Probe",
        WsdResolve => "Resolve",
        WsdHello => "Hello",
        WsdBye => "Bye",
        _ => message?.GetType().Name ?? throw new ArgumentNullException(nameof(message)),
    };

    private static void CompareMatches(List<WsdMessage> before, List<WsdMessage> after, ReplayCompareOptions options, List<ReplayDifference> differences)
    {
        var recorded = before.SelectMany(Elements).ToList();
        var live = after.SelectMany(Elements).ToList();
        if (recorded.Count == 0 && live.Count == 0)
        {
            return;
        }

        var element = recorded.Count > 0 ? recorded[0].Element : live[0].Element;
        if (recorded.Count != live.Count)
        {
            differences.Add(new ReplayDifference(
                ReplayDifferenceKind.MatchCount,
                element,
                recorded.Count.ToString(CultureInfo.InvariantCulture),
                live.Count.ToString(CultureInfo.InvariantCulture),
                ViolationSeverity.Error));
        }

        // Pair by endpoint reference address first; what is left is paired in order (a device that changed its
        // identity), and the rest appeared or disappeared.
        var unusedLive = new List<(WsdEndpointData Data, string Element)>(live);
        var pairs = new List<((WsdEndpointData Data, string Element) Recorded, (WsdEndpointData Data, string Element) Live)>();
        var unpairedRecorded = new List<(WsdEndpointData Data, string Element)>();
        foreach (var r in recorded)
        {
            var index = unusedLive.FindIndex(l => string.Equals(l.Data.Endpoint.Address, r.Data.Endpoint.Address, StringComparison.Ordinal));
            if (index < 0)
            {
                unpairedRecorded.Add(r);
                continue;
            }

            pairs.Add((r, unusedLive[index]));
            unusedLive.RemoveAt(index);
        }

        var positional = Math.Min(unpairedRecorded.Count, unusedLive.Count);
        for (var i = 0; i < positional; i++)
        {
            var r = unpairedRecorded[i];
            var l = unusedLive[i];
            differences.Add(new ReplayDifference(
                ReplayDifferenceKind.Endpoint,
                PathOf(r) + "/wsa:EndpointReference/wsa:Address",
                r.Data.Endpoint.Address,
                l.Data.Endpoint.Address,
                ViolationSeverity.Error));
            pairs.Add((r, l));
        }

        foreach (var r in unpairedRecorded.Skip(positional))
        {
            differences.Add(new ReplayDifference(ReplayDifferenceKind.Endpoint, PathOf(r), r.Data.Endpoint.Address, string.Empty, ViolationSeverity.Error));
        }

        foreach (var l in unusedLive.Skip(positional))
        {
            differences.Add(new ReplayDifference(ReplayDifferenceKind.Endpoint, PathOf(l), string.Empty, l.Data.Endpoint.Address, ViolationSeverity.Error));
        }

        foreach (var (r, l) in pairs)
        {
            CompareEndpoint(PathOf(r), r.Data, l.Data, options, differences);
        }
    }

    private static void CompareEndpoint(string path, WsdEndpointData recorded, WsdEndpointData live, ReplayCompareOptions options, List<ReplayDifference> differences)
    {
        SetDifference(
            ReplayDifferenceKind.Types,
            path + "/d:Types",
            recorded.Types.Select(Name),
            live.Types.Select(Name),
            n => n,
            ViolationSeverity.Error,
            differences);
        SetDifference(ReplayDifferenceKind.Scopes, path + "/d:Scopes", recorded.Scopes, live.Scopes, s => s, ViolationSeverity.Warning, differences);
        SetDifference(
            ReplayDifferenceKind.XAddrs,
            path + "/d:XAddrs",
            recorded.XAddrs,
            live.XAddrs,
            x => XAddrKey(x, options.IgnoreXAddrHosts),
            ViolationSeverity.Warning,
            differences);
        if (recorded.MetadataVersion != live.MetadataVersion)
        {
            differences.Add(new ReplayDifference(
                ReplayDifferenceKind.MetadataVersion,
                path + "/d:MetadataVersion",
                recorded.MetadataVersion?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                live.MetadataVersion?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                ViolationSeverity.Warning));
        }
    }

    private static void CompareFaults(List<WsdMessage> before, List<WsdMessage> after, List<ReplayDifference> differences)
    {
        if (before.OfType<WsdFault>().FirstOrDefault() is not { } recorded || after.OfType<WsdFault>().FirstOrDefault() is not { } live)
        {
            return;
        }

        if (!recorded.Code.Equals(live.Code))
        {
            differences.Add(new ReplayDifference(ReplayDifferenceKind.FaultCode, "soap:Fault/soap:Code/soap:Value", Name(recorded.Code), Name(live.Code), ViolationSeverity.Error));
        }

        if (!Equals(recorded.Subcode, live.Subcode))
        {
            differences.Add(new ReplayDifference(
                ReplayDifferenceKind.FaultSubcode,
                "soap:Fault/soap:Code/soap:Subcode/soap:Value",
                recorded.Subcode is null ? string.Empty : Name(recorded.Subcode),
                live.Subcode is null ? string.Empty : Name(live.Subcode),
                ViolationSeverity.Error));
        }

        SetDifference(
            ReplayDifferenceKind.FaultDetail,
            "soap:Fault/soap:Detail/d:SupportedMatchingRules",
            recorded.SupportedMatchingRules,
            live.SupportedMatchingRules,
            s => s,
            ViolationSeverity.Warning,
            differences);
    }

    private static void SetDifference(
        ReplayDifferenceKind kind,
        string path,
        IEnumerable<string> recorded,
        IEnumerable<string> live,
        Func<string, string> key,
        ViolationSeverity severity,
        List<ReplayDifference> differences)
    {
        var recordedList = recorded.ToList();
        var liveList = live.ToList();
        var recordedKeys = new HashSet<string>(recordedList.Select(key), StringComparer.Ordinal);
        var liveKeys = new HashSet<string>(liveList.Select(key), StringComparer.Ordinal);
        if (recordedKeys.SetEquals(liveKeys))
        {
            return;
        }

        var onlyRecorded = recordedList.Where(v => !liveKeys.Contains(key(v))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var onlyLive = liveList.Where(v => !recordedKeys.Contains(key(v))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        differences.Add(new ReplayDifference(kind, path, string.Join(' ', onlyRecorded), string.Join(' ', onlyLive), severity));
    }

    private static IEnumerable<(WsdEndpointData Data, string Element)> Elements(WsdMessage message) =>
        message switch
        {
            WsdProbeMatches probeMatches => probeMatches.Matches.Select(m => (m, "d:ProbeMatch")),
            WsdResolveMatches { Match: { } match } => [(match, "d:ResolveMatch")],
            _ => [],
        };

    private static IEnumerable<WsdEndpointData> MatchesOf(WsdMessage message) => Elements(message).Select(e => e.Data);

    private static string PathOf((WsdEndpointData Data, string Element) match) => $"{match.Element}[{match.Data.Endpoint.Address}]";

    private static string XAddrKey(string xaddr, bool ignoreHost)
    {
        if (!ignoreHost || !Uri.TryCreate(xaddr, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return xaddr;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://*:{uri.Port}{uri.PathAndQuery}");
    }

    private static string Name(WsdQName name) => "{" + name.Namespace + "}" + name.LocalName;

    private static string Join(IEnumerable<string> values) => string.Join(' ', values.Order(StringComparer.Ordinal));
}
