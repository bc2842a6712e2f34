using Harness.Conformance.Replay;
using Harness.Core.Diagnostics;
using Harness.WsDiscovery.Messages;
using static Harness.Conformance.Tests.Replay.ReplayVectors;

namespace Harness.Conformance.Tests.Replay;

public sealed class ReplayComparerTests
{
    [Fact]
    public void Compare_OnlyMessageIdRelatesToAndAppSequenceNumbersDiffer_NoDifferences()
    {
        var recorded = Read(ProbeMatches());
        var live = Read(ProbeMatches(
            messageId: "urn:uuid:9d0c8a8e-47a5-4f57-8d0e-0123456789ab",
            relatesTo: "urn:uuid:c2b5b2f4-0ad0-4e44-9f0e-fedcba987654",
            instanceId: 1_741_000_000,
            messageNumber: 77));

        Assert.Empty(ReplayComparer.Compare([recorded], [live]));
    }

    [Fact]
    public void Compare_TypesUnderAnotherPrefixAndExtraWhitespace_NoDifferences()
    {
        // WS-Discovery §5.1 (WSD-MSG-017): Types are expanded QNames; the prefix is the sender's choice.
        var recorded = Read(ProbeMatches());
        var live = Read(ProbeMatches(typesPrefix: "tt", pad: " \n\t "));

        Assert.Equal("tt", ((WsdProbeMatches)live).Matches[0].Types[0].Prefix);
        Assert.Empty(ReplayComparer.Compare([recorded], [live]));
    }

    [Fact]
    public void Compare_RealCameraBytesAgainstOurWriterWithOtherIdsPrefixesAndOrder_NoDifferences()
    {
        // Recorded: a Uniview camera's own bytes. Live: the same endpoint data as our writer would put it, with a new
        // MessageID, RelatesTo and AppSequence, other prefixes for the types and the scopes in reverse order.
        var recorded = (WsdProbeMatches)Read(UniviewProbeMatches);
        var match = recorded.Matches[0];
        var rewritten = recorded with
        {
            Header = recorded.Header with
            {
                MessageId = "urn:uuid:3a1e4c55-6b7d-4e8f-9a0b-1c2d3e4f5a6b",
                RelatesTo = "urn:uuid:4b2f5d66-7c8e-4f90-8b1c-2d3e4f5a6b7c",
                AppSequence = new WsdAppSequence(1_741_000_000, 3),
            },
            Matches =
            [
                match with
                {
                    Types = [.. match.Types.Select(t => WsdQName.Create(t.Namespace, t.LocalName, "x" + t.LocalName.Length))],
                    Scopes = [.. match.Scopes.Reverse()],
                },
            ],
        };
        var liveText = WsdMessageWriter.WriteString(rewritten);
        var live = Read(liveText);

        Assert.Contains("x23:NetworkVideoTransmitter", liveText, StringComparison.Ordinal);
        Assert.DoesNotContain("10002", liveText, StringComparison.Ordinal);
        Assert.Empty(ReplayComparer.Compare([recorded], [live]));
    }

    [Fact]
    public void Compare_SameLocalNameInAnotherNamespace_TypesError()
    {
        var recorded = Read(ProbeMatches());
        var live = Read(ProbeMatches(typesNamespace: "http://example.com/not-onvif"));

        var difference = Assert.Single(ReplayComparer.Compare([recorded], [live]));

        Assert.Equal(ReplayDifferenceKind.Types, difference.Kind);
        Assert.Equal(ViolationSeverity.Error, difference.Severity);
        Assert.Equal("{" + Nvt + "}NetworkVideoTransmitter", difference.Recorded);
        Assert.Equal("{http://example.com/not-onvif}NetworkVideoTransmitter", difference.Live);
        Assert.Equal($"d:ProbeMatch[{CameraEpr}]/d:Types", difference.Path);
    }

    [Fact]
    public void Compare_ScopeReplacedAndVersionUp_ScopesAndMetadataVersionWarnings()
    {
        var recorded = Read(ProbeMatches());
        var live = Read(ProbeMatches(scopes: "onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/Back%20yard", metadataVersion: 2));

        var differences = ReplayComparer.Compare([recorded], [live]);

        var scopes = Assert.Single(differences, d => d.Kind == ReplayDifferenceKind.Scopes);
        Assert.Equal(ViolationSeverity.Warning, scopes.Severity);
        Assert.Equal("onvif://www.onvif.org/name/Front%20door", scopes.Recorded);
        Assert.Equal("onvif://www.onvif.org/name/Back%20yard", scopes.Live);
        var version = Assert.Single(differences, d => d.Kind == ReplayDifferenceKind.MetadataVersion);
        Assert.Equal(ViolationSeverity.Warning, version.Severity);
        Assert.Equal(("1", "2"), (version.Recorded, version.Live));
        Assert.Equal("went up", version.MetadataChange());
        Assert.Equal(2, differences.Count);
    }

    [Fact]
    public void Compare_MetadataVersionLower_WentDown()
    {
        var difference = Assert.Single(ReplayComparer.Compare([Read(ProbeMatches(metadataVersion: 5))], [Read(ProbeMatches(metadataVersion: 4))]));

        Assert.Equal("went down", difference.MetadataChange());
        Assert.Contains("went down", difference.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_RecordedAnswerLiveSilence_AnsweredError()
    {
        var difference = Assert.Single(ReplayComparer.Compare([Read(ProbeMatches())], []));

        Assert.Equal(ReplayDifferenceKind.Answered, difference.Kind);
        Assert.Equal(ViolationSeverity.Error, difference.Severity);
        Assert.Equal("an answer (ProbeMatches, 1 match)", difference.Recorded);
        Assert.Equal("silence", difference.Live);
    }

    [Fact]
    public void Compare_RecordedSilenceLiveAnswer_AnsweredError()
    {
        var difference = Assert.Single(ReplayComparer.Compare([], [Read(ProbeMatches())]));

        Assert.Equal((ReplayDifferenceKind.Answered, "silence"), (difference.Kind, difference.Recorded));
    }

    [Fact]
    public void Compare_BothSilent_NoDifferences() =>
        Assert.Empty(ReplayComparer.Compare([], []));

    [Fact]
    public void Compare_ProbeMatchesBecomesFault_MessageKindErrorOnly()
    {
        var difference = Assert.Single(ReplayComparer.Compare([Read(ProbeMatches())], [Read(Fault())]));

        Assert.Equal(ReplayDifferenceKind.MessageKind, difference.Kind);
        Assert.Equal(ViolationSeverity.Error, difference.Severity);
        Assert.Equal(("ProbeMatches", "Fault"), (difference.Recorded, difference.Live));
    }

    [Fact]
    public void Compare_FaultSubcodeChanged_FaultSubcodeError()
    {
        var difference = Assert.Single(ReplayComparer.Compare([Read(Fault())], [Read(Fault(subcode: "d:SomethingElse"))]));

        Assert.Equal(ReplayDifferenceKind.FaultSubcode, difference.Kind);
        Assert.Equal(ViolationSeverity.Error, difference.Severity);
        Assert.EndsWith("}MatchingRuleNotSupported", difference.Recorded, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_SameFaultOtherIds_NoDifferences() =>
        Assert.Empty(ReplayComparer.Compare([Read(Fault())], [Read(Fault(relatesTo: "urn:uuid:99999999-2222-4333-8444-555555555555"))]));

    [Fact]
    public void Compare_AppSequenceDisappears_InfoOnly()
    {
        var difference = Assert.Single(ReplayComparer.Compare([Read(ProbeMatches())], [Read(ProbeMatches(instanceId: null))]));

        Assert.Equal(ReplayDifferenceKind.AppSequence, difference.Kind);
        Assert.Equal(ViolationSeverity.Info, difference.Severity);
        Assert.Equal(("present", "absent"), (difference.Recorded, difference.Live));
    }

    [Fact]
    public void Compare_OtherEndpointAddress_EndpointErrorThenFieldsOfThePair()
    {
        var live = Read(ProbeMatches(endpoint: "urn:uuid:00000000-0000-4000-8000-000000000002", scopes: "onvif://www.onvif.org/type/video_encoder"));

        var differences = ReplayComparer.Compare([Read(ProbeMatches())], [live]);

        Assert.Equal(ReplayDifferenceKind.Endpoint, differences[0].Kind);
        Assert.Equal(ViolationSeverity.Error, differences[0].Severity);
        Assert.Equal((CameraEpr, "urn:uuid:00000000-0000-4000-8000-000000000002"), (differences[0].Recorded, differences[0].Live));
        Assert.Contains(differences, d => d.Kind == ReplayDifferenceKind.Scopes && d.Recorded == "onvif://www.onvif.org/name/Front%20door");
        Assert.DoesNotContain(differences, d => d.Kind == ReplayDifferenceKind.MatchCount);
    }

    [Fact]
    public void Compare_SecondDeviceAnswersToo_MatchCountAndExtraEndpointErrors()
    {
        var second = Read(ProbeMatches(endpoint: "urn:uuid:00000000-0000-4000-8000-000000000003"));

        var differences = ReplayComparer.Compare([Read(ProbeMatches())], [Read(ProbeMatches()), second]);

        Assert.Equal(2, differences.Count);
        Assert.Contains(differences, d => d.Kind == ReplayDifferenceKind.MatchCount && (d.Recorded, d.Live) == ("1", "2"));
        Assert.Contains(differences, d => d.Kind == ReplayDifferenceKind.Endpoint && d.Recorded.Length == 0 && d.Live == "urn:uuid:00000000-0000-4000-8000-000000000003");
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public void Compare_XAddrOnAnotherHost_DifferenceUnlessHostsIgnored(bool ignoreHosts, int expected)
    {
        var live = Read(ProbeMatches(xaddrs: "http://127.0.0.99/onvif/device_service"));

        var differences = ReplayComparer.Compare([Read(ProbeMatches())], [live], new ReplayCompareOptions { IgnoreXAddrHosts = ignoreHosts });

        Assert.Equal(expected, differences.Count);
        Assert.All(differences, d => Assert.Equal((ReplayDifferenceKind.XAddrs, ViolationSeverity.Warning), (d.Kind, d.Severity)));
    }

    [Fact]
    public void Compare_XAddrOnAnotherPathWithHostsIgnored_StillADifference()
    {
        var live = Read(ProbeMatches(xaddrs: "http://127.0.0.99/onvif/other_service"));

        var difference = Assert.Single(ReplayComparer.Compare([Read(ProbeMatches())], [live], new ReplayCompareOptions { IgnoreXAddrHosts = true }));

        Assert.Equal("http://127.0.0.41/onvif/device_service", difference.Recorded);
    }

    [Fact]
    public void Compare_AnswerInTheOtherFamily_ProtocolError()
    {
        var recorded = (WsdProbeMatches)Read(ProbeMatches());
        var live = Read(WsdMessageWriter.WriteString(recorded with
        {
            Protocol = WsdProtocol.V11,
            Header = recorded.Header with { Action = WsdProtocol.V11.ProbeMatchesAction, To = WsdProtocol.V11.AnonymousAddress },
        }));

        var difference = Assert.Single(ReplayComparer.Compare([recorded], [live]));

        Assert.Equal((ReplayDifferenceKind.Protocol, ViolationSeverity.Error), (difference.Kind, difference.Severity));
    }
}
