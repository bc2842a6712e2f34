using System.Globalization;
using Harness.Conformance.Model;
using Harness.Core.Diagnostics;

namespace Harness.Conformance.Replay;

/// <summary>What differs between a recorded answer and a live one.</summary>
public enum ReplayDifferenceKind
{
    /// <summary>One side answered, the other stayed silent (Error).</summary>
    Answered,

    /// <summary>The kind of answer changed, e.g. ProbeMatches became a Fault (Error).</summary>
    MessageKind,

    /// <summary>The WS-Discovery family of the answer changed (2005/04 ↔ 1.1) (Error).</summary>
    Protocol,

    /// <summary>The number of matches changed (Error).</summary>
    MatchCount,

    /// <summary>An endpoint reference address changed, or a match appeared or disappeared (Error).</summary>
    Endpoint,

    /// <summary>The Types of a match changed, compared as sets of expanded QNames (Error).</summary>
    Types,

    /// <summary>The Scopes of a match changed, compared as sets (Warning).</summary>
    Scopes,

    /// <summary>The XAddrs of a match changed, compared as sets (Warning).</summary>
    XAddrs,

    /// <summary>The MetadataVersion of a match went up, went down, appeared or disappeared (Warning).</summary>
    MetadataVersion,

    /// <summary>The fault code changed (Error).</summary>
    FaultCode,

    /// <summary>The fault subcode changed (Error).</summary>
    FaultSubcode,

    /// <summary>The fault's SupportedMatchingRules detail changed (Warning).</summary>
    FaultDetail,

    /// <summary>The AppSequence header appeared or disappeared; its values are never compared (Info).</summary>
    AppSequence,

    /// <summary>A live answer does not relate to the MessageID that was sent (Error).</summary>
    RelatesTo,

    /// <summary>A datagram received during the window could not be read as WS-Discovery (Warning).</summary>
    Unreadable,

    /// <summary>An answer arrived after its request's window closed (Info).</summary>
    LateAnswer,
}

/// <summary>
/// One difference between what a capture recorded and what the live target answered to the same request. Values
/// are device-supplied and untrusted: reports escape them.
/// </summary>
/// <param name="Kind">What differs.</param>
/// <param name="Path">Where, XPath-like: e.g. <c>d:ProbeMatch[urn:uuid:…]/d:Scopes</c>, <c>wsa:Action</c>, <c>/</c> for the whole answer.</param>
/// <param name="Recorded">
/// The capture's side: for sets (Types, Scopes, XAddrs, endpoints) the members only the capture has, space-separated;
/// for single values the value; empty when there is nothing on this side. For <see cref="ReplayDifferenceKind.RelatesTo"/>
/// it is the value expected (the MessageID that was sent).
/// </param>
/// <param name="Live">The live side, in the same form as <paramref name="Recorded"/>.</param>
/// <param name="Severity">Error (answered ↔ silent, kind, endpoint, types, faults, RelatesTo), Warning (scopes, XAddrs, metadata version) or Info (AppSequence presence).</param>
public sealed record ReplayDifference(ReplayDifferenceKind Kind, string Path, string Recorded, string Live, ViolationSeverity Severity)
{
    /// <summary>One sentence (device strings cleaned for a single line, not escaped for any format).</summary>
    public string Describe()
    {
        var recorded = Show(Recorded);
        var live = Show(Live);
        return Kind switch
        {
            ReplayDifferenceKind.Answered => $"recorded {recorded}, live {live}",
            ReplayDifferenceKind.Types or ReplayDifferenceKind.Scopes or ReplayDifferenceKind.XAddrs or ReplayDifferenceKind.FaultDetail
                => $"{Kind} at {SafeText.Line(Path)}: only recorded {recorded}; only live {live}",
            ReplayDifferenceKind.Endpoint => $"endpoint at {SafeText.Line(Path)}: recorded {recorded}, live {live}",
            ReplayDifferenceKind.MetadataVersion => $"MetadataVersion {MetadataChange()} (recorded {recorded}, live {live})",
            ReplayDifferenceKind.RelatesTo => $"RelatesTo is {live}, expected {recorded} (the MessageID sent)",
            ReplayDifferenceKind.AppSequence => $"AppSequence {recorded} in the capture, {live} live",
            _ => $"{Kind} at {SafeText.Line(Path)}: recorded {recorded}, live {live}",
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Kind}: {Describe()}";

    /// <summary>"went up", "went down", "appeared", "disappeared" or "changed" for a MetadataVersion difference.</summary>
    public string MetadataChange()
    {
        var hasRecorded = ulong.TryParse(Recorded, NumberStyles.None, CultureInfo.InvariantCulture, out var before);
        var hasLive = ulong.TryParse(Live, NumberStyles.None, CultureInfo.InvariantCulture, out var after);
        return (hasRecorded, hasLive) switch
        {
            (true, true) when after > before => "went up",
            (true, true) when after < before => "went down",
            (false, true) => "appeared",
            (true, false) => "disappeared",
            _ => "changed",
        };
    }

    private static string Show(string value) => value.Length == 0 ? "(none)" : SafeText.Line(value, 512);
}
