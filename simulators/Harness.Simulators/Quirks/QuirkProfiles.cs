using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Harness.Core.Transport;
using Harness.Simulators.Cameras;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;

namespace Harness.Simulators.Quirks;

/// <summary>
/// The quirk profiles the simulators know, by name: deviations seen in real devices (checklist <c>specs/wsd.md</c> §2)
/// and the spec violations that real-world bugs amount to, one profile per deviation so that each WS-Discovery rule
/// has a profile that breaks it.
/// </summary>
public static partial class QuirkProfiles
{
    private const string SoapEnvelope = "http://www.w3.org/2003/05/soap-envelope";
    private const string Soap11Envelope = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>Every profile, ordered by name.</summary>
    public static IReadOnlyList<QuirkProfile> All { get; } = [.. Create().OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>The profile with this name, or null.</summary>
    public static QuirkProfile? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Applies the named profile to camera options (the fleet's <c>ApplyQuirk</c> hook).</summary>
    /// <exception cref="ArgumentException">No profile has that name (the message lists them).</exception>
    public static FakeCameraOptions Apply(string name, FakeCameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = Find(name) ?? throw new ArgumentException(
            $"Unknown quirk profile '{name}'. Known profiles: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
        return profile.Apply(options);
    }

    private static string[] Rules(params string[] ids) => ids;

    private static QuirkBehavior[] Behaviors(params QuirkBehavior[] behaviors) => behaviors;

    private static IEnumerable<QuirkProfile> Create()
    {
        // ---- Message format and addressing -------------------------------------------------------------------
        yield return new QuirkProfile(
            "bare-uuid",
            "MessageIDs and endpoint addresses use the bare 'uuid:' form instead of 'urn:uuid:'.",
            _ => Behaviors(BareUuid(), AcceptBareUuidResolve()))
        {
            SeenIn = "Q-UUID-FORM: ONVIF cameras (python-ws-discovery tests/data/probe_response.xml)",
            ExpectedFailures = Rules("WSD-MSG-005"),
        };

        yield return new QuirkProfile(
            "onvif-legacy",
            "An old ONVIF camera: bare 'uuid:' ids, wsa:ReferenceProperties and wsa:PortType in the endpoint reference, no d:Types and no d:AppSequence.",
            _ => Behaviors(
                BareUuid(),
                AcceptBareUuidResolve(),
                new RewriteOutgoing(m => QuirkMessages.MapEndpoints(QuirkMessages.WithHeader(m, h => h with { AppSequence = null }), e => e with { Types = [] })),
                new RewriteOutgoingText(LegacyEndpointReference)))
        {
            SeenIn = "Q-UUID-FORM: python-ws-discovery tests/data/probe_response.xml",
            ExpectedFailures = Rules("WSD-HB-005", "WSD-MSG-005", "WSD-MSG-009", "WSD-ONV-002", "WSD-PRB-014", "WSD-RSV-002"),
        };

        yield return new QuirkProfile(
            "soap11",
            "Sends SOAP 1.1 envelopes (http://schemas.xmlsoap.org/soap/envelope/) instead of SOAP 1.2.",
            _ => Behaviors(new RewriteOutgoingText(t => t.Replace(SoapEnvelope, Soap11Envelope, StringComparison.Ordinal))))
        {
            SeenIn = "SOAP-over-UDP requires SOAP 1.2; seen in home-made camera firmware",
            ExpectedFailures = Rules("WSD-MSG-001", "WSD-ONV-007", "WSD-PRB-010"),
        };

        yield return new QuirkProfile(
            "mixed-namespaces",
            "Mixes the families: a 2005/04 discovery body with W3C 2005/08 WS-Addressing headers (and vice versa).",
            _ => Behaviors(new RewriteOutgoingText(SwapAddressingNamespace)))
        {
            SeenIn = "Q-CROSS-WSA (wsdd #177 log); WSD-MSG-002",
            ExpectedFailures = Rules("WSD-MSG-002"),
        };

        yield return new QuirkProfile(
            "action-case",
            "Spells the wsa:Action with the wrong case (…/discovery/probematches).",
            _ => Behaviors(new RewriteOutgoingText(t => ActionPattern().Replace(t, m => m.Groups[1].Value + m.Groups[2].Value.ToLowerInvariant() + m.Groups[3].Value))))
        {
            SeenIn = "WSD-MSG-003: action URIs compared case-sensitively",
            ExpectedFailures = Rules("WSD-MSG-003"),
        };

        yield return new QuirkProfile(
            "static-message-id",
            "Puts the same wsa:MessageID on every message it sends.",
            context =>
            {
                var id = "urn:uuid:" + QuirkMessages.DerivedGuid("static-message-id/" + context.Seed.ToString(CultureInfo.InvariantCulture)).ToString("D");
                return Behaviors(new RewriteOutgoing(m => QuirkMessages.WithHeader(m, h => h with { MessageId = id })));
            })
        {
            SeenIn = "WSD-MSG-004: firmware with a constant MessageID template",
            ExpectedFailures = Rules("WSD-MSG-004"),
        };

        yield return new QuirkProfile(
            "echo-message-id",
            "Answers with the request's MessageID as its own MessageID (clients drop the answer as a duplicate).",
            _ => Behaviors(new RewriteOutgoing(m => QuirkMessages.IsReply(m) && m.Header.RelatesTo is { } r ? QuirkMessages.WithHeader(m, h => h with { MessageId = r }) : m)))
        {
            SeenIn = "Q-ECHO-ID: python-ws-discovery #38",
            ExpectedFailures = Rules("WSD-MSG-008"),
        };

        yield return new QuirkProfile(
            "no-to",
            "Leaves wsa:To out of every message (Hello, Bye and the answers); speaks both families.",
            _ => Behaviors(new RewriteOutgoing(m => QuirkMessages.WithHeader(m, h => h with { To = null }))))
        {
            SeenIn = "Q-NO-TO: IP Webcam for Android, python-ws-discovery PR #29",
            Protocols = WsdProtocol.All,
            ExpectedFailures = Rules("WSD-MSG-006", "WSD-MSG-007"),
        };

        yield return new QuirkProfile(
            "no-appsequence",
            "Sends Hello, Bye, ProbeMatches and ResolveMatches without d:AppSequence.",
            _ => Behaviors(new RewriteOutgoing(m => QuirkMessages.WithHeader(m, h => h with { AppSequence = null }))))
        {
            SeenIn = "Q-UUID-FORM: ONVIF camera ProbeMatches without AppSequence",
            ExpectedFailures = Rules("WSD-MSG-009", "WSD-RSV-002"),
        };

        yield return new QuirkProfile(
            "constant-message-number",
            "Sends every message with AppSequence MessageNumber 1.",
            _ => Behaviors(new RewriteOutgoing(m => m.Header.AppSequence is { } s ? QuirkMessages.WithHeader(m, h => h with { AppSequence = s with { MessageNumber = 1 } }) : m)))
        {
            SeenIn = "WSD-MSG-010: a counter that is never incremented",
            ExpectedFailures = Rules("WSD-MSG-010"),
        };

        yield return new QuirkProfile(
            "fresh-sequence-id",
            "Puts a fresh AppSequence SequenceId on every message, which defeats ordering.",
            _ => Behaviors(new RewriteOutgoing(m => m.Header.AppSequence is { } s
                ? QuirkMessages.WithHeader(m, h => h with { AppSequence = s with { SequenceId = "urn:uuid:" + QuirkMessages.DerivedGuid("sequence/" + h.MessageId).ToString("D") } })
                : m)))
        {
            SeenIn = "Q-SEQID: christgau/wsdd",
            ExpectedFailures = Rules("WSD-MSG-012"),
        };

        yield return new QuirkProfile(
            "frozen-metadata-version",
            "Keeps MetadataVersion at 1 even after its scopes changed.",
            _ => Behaviors(new RewriteOutgoing(m => QuirkMessages.MapEndpoints(m, e => e.MetadataVersion is null ? e : e with { MetadataVersion = 1 }))))
        {
            SeenIn = "Q-SEQID: wsdd keeps MetadataVersion 1",
            NeedsMetadataChange = true,
            ExpectedFailures = Rules("WSD-MSG-015"),
        };

        yield return new QuirkProfile(
            "no-metadata-version",
            "Leaves d:MetadataVersion out of Hello, ProbeMatch and ResolveMatch.",
            _ => Behaviors(new RewriteOutgoing(m => QuirkMessages.MapEndpoints(m, e => e with { MetadataVersion = null }))))
        {
            SeenIn = "WSD-MSG-015: MetadataVersion is required in Hello, ProbeMatch and ResolveMatch",
            ExpectedFailures = Rules("WSD-HB-001", "WSD-MSG-015", "WSD-PRB-014", "WSD-RSV-002"),
        };

        yield return new QuirkProfile(
            "undeclared-prefix",
            "Writes d:Types QNames whose prefixes (dn:, tds:) are never declared.",
            _ => Behaviors(new RewriteOutgoingText(t => ExtraDeclarationPattern().Replace(t, string.Empty))))
        {
            SeenIn = "WSD-MSG-017: string-built templates that lost a namespace declaration",
            ExpectedFailures = Rules("WSD-HB-005", "WSD-MSG-017", "WSD-ONV-002", "WSD-PRB-014"),
        };

        // ---- Hello and Bye -----------------------------------------------------------------------------------------
        yield return new QuirkProfile(
            "no-hello",
            "Never announces itself with Hello.",
            _ => Behaviors(new RewriteOutgoing(m => m is WsdHello ? null : m)))
        {
            SeenIn = "WSD-HB-001: devices that only answer probes",
            ExpectedFailures = Rules("WSD-HB-001"),
        };

        yield return new QuirkProfile(
            "no-bye",
            "Leaves without a Bye.",
            _ => Behaviors(new RewriteOutgoing(m => m is WsdBye ? null : m)))
        {
            SeenIn = "WSD-HB-003: devices that power off silently",
            ExpectedFailures = Rules("WSD-HB-003"),
        };

        yield return new QuirkProfile(
            "malformed-bye",
            "Sends its Bye with a malformed endpoint address.",
            _ => Behaviors(new RewriteOutgoing(m => m is WsdBye bye
                ? bye with { Endpoint = bye.Endpoint with { Endpoint = new WsdEndpointReference(MalformedUuid(bye.Endpoint.Endpoint.Address)) } }
                : m)))
        {
            SeenIn = "Q-BAD-GET: old ONVIF camera, wsdd #226",
            ExpectedFailures = Rules("WSD-HB-003"),
        };

        yield return new QuirkProfile(
            "late-hello",
            "Holds its Hello back for 1.5 s, longer than APP_MAX_DELAY (the repeats follow on their schedule).",
            _ => Behaviors(new DelayFirstCopy(m => m is WsdHello, TimeSpan.FromMilliseconds(1500))))
        {
            SeenIn = "WSD-HB-002: Hello delay beyond APP_MAX_DELAY",
            ExpectedFailures = Rules("WSD-HB-002"),
        };

        // ---- Probe matching ----------------------------------------------------------------------------------------
        yield return new QuirkProfile(
            "typed-only",
            "Ignores Probes that carry no Types (the wildcard Probe, scope-only Probes).",
            _ => Behaviors(FilterIncoming.Probes((p, _) => p.Types.Count == 0 ? null : p)))
        {
            SeenIn = "Q-TYPED-ONLY: sane-airscan 2e57261, wsdd host",
            ExpectedFailures = Rules("WSD-ONV-004", "WSD-ONV-007", "WSD-PRB-001", "WSD-PRB-003", "WSD-PRB-004", "WSD-PRB-005", "WSD-PRB-006"),
        };

        yield return new QuirkProfile(
            "prefix-sensitive",
            "Ignores Probes whose Types use a prefix other than 'dn' (or the default namespace).",
            _ => Behaviors(FilterIncoming.Probes((p, _) => p.Types.Any(t => !string.Equals(t.Prefix, "dn", StringComparison.Ordinal)) ? null : p)))
        {
            SeenIn = "Q-PFX: ONVIF cameras, python-ws-discovery PR #25",
            ExpectedFailures = Rules("WSD-ONV-008", "WSD-PRB-002"),
        };

        yield return new QuirkProfile(
            "local-name-types",
            "Matches Probe Types by local name only, ignoring the namespace.",
            _ => Behaviors(FilterIncoming.Probes((p, c) =>
            {
                var own = c.Service().Types;
                return p with { Types = [.. p.Types.Select(t => own.FirstOrDefault(o => string.Equals(o.LocalName, t.LocalName, StringComparison.Ordinal)) ?? t)] };
            })))
        {
            SeenIn = "WSD-PRB-002: string-compared types",
            ExpectedFailures = Rules("WSD-PRB-002"),
        };

        yield return new QuirkProfile(
            "loose-scope-match",
            "Ignores d:Scopes and MatchBy altogether: every Probe whose Types match is answered.",
            _ => Behaviors(FilterIncoming.Probes((p, _) => p.Scopes.Count == 0 && p.MatchBy is null ? p : p with { Scopes = [], MatchBy = null })))
        {
            SeenIn = "WSD-PRB-003: cheap cameras that never look at scopes",
            ExpectedFailures = Rules("WSD-ONV-004", "WSD-ONV-007", "WSD-PRB-003", "WSD-PRB-005", "WSD-PRB-006", "WSD-PRB-007", "WSD-PRB-008", "WSD-PRB-010"),
        };

        yield return new QuirkProfile(
            "char-prefix-match",
            "Matches rfc2396/rfc3986 scopes as string prefixes, not segment-wise ('…/hardware/D1' matches '…/hardware/D1-566').",
            _ => Behaviors(FilterIncoming.Probes((p, c) => IsRfcRule(p) && p.Scopes.Count > 0 && p.Scopes.All(s => c.Service().Scopes.Any(o => o.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
                ? p with { Scopes = [], MatchBy = null }
                : p)))
        {
            SeenIn = "ONVIF Core 7.3.2.2 example; WSD-PRB-005",
            ExpectedFailures = Rules("WSD-ONV-004", "WSD-PRB-005"),
        };

        yield return new QuirkProfile(
            "strcmp-default",
            "Applies exact string comparison when a Probe names no MatchBy (instead of the rfc2396/rfc3986 prefix rule).",
            _ => Behaviors(FilterIncoming.Probes((p, _) => p.Scopes.Count > 0 && p.MatchBy is null ? p with { MatchBy = p.Protocol.MatchByStrcmp0 } : p)))
        {
            SeenIn = "WSD-PRB-004: default MatchBy",
            ExpectedFailures = Rules("WSD-PRB-004"),
        };

        yield return new QuirkProfile(
            "case-insensitive-strcmp0",
            "Compares strcmp0 scopes ignoring case.",
            _ => Behaviors(FilterIncoming.Probes((p, c) =>
                string.Equals(p.MatchBy, p.Protocol.MatchByStrcmp0, StringComparison.Ordinal)
                    ? p with { Scopes = [.. p.Scopes.Select(s => c.Service().Scopes.FirstOrDefault(o => string.Equals(o, s, StringComparison.OrdinalIgnoreCase)) ?? s)] }
                    : p)))
        {
            SeenIn = "WSDBIT 1.3.9 (testDEVICE against testdevice)",
            ExpectedFailures = Rules("WSD-PRB-006"),
        };

        yield return new QuirkProfile(
            "none-matches-all",
            "Treats the WS-Discovery 1.1 'none' MatchBy like a wildcard Probe; speaks both families.",
            _ => Behaviors(FilterIncoming.Probes((p, _) => p.Protocol.MatchByNone is { } none && string.Equals(p.MatchBy?.Trim(), none, StringComparison.Ordinal) ? p with { MatchBy = null, Scopes = [] } : p)))
        {
            SeenIn = "WSD-PRB-009: 1.1 'none' rule",
            Protocols = WsdProtocol.All,
            ExpectedFailures = Rules("WSD-PRB-009"),
        };

        yield return new QuirkProfile(
            "fault-on-multicast",
            "Answers a multicast Probe with an unknown MatchBy with a MatchingRuleNotSupported fault (a fault storm).",
            _ => Behaviors(new FilterIncoming((m, d, t) =>
                d.IsMulticast && m is WsdProbe p && WsdMatcher.ScopesMatch(p.Scopes, p.MatchBy, [], p.Protocol) == WsdMatchOutcome.UnsupportedRule
                    ? d with { Destination = t.LocalEndPoint }
                    : d)))
        {
            SeenIn = "WSD-PRB-010, ONVIF Core 7.3.6: no faults to multicast Probes",
            ExpectedFailures = Rules("WSD-ONV-007", "WSD-PRB-010"),
        };

        yield return new QuirkProfile(
            "no-fault",
            "Stays silent instead of sending MatchingRuleNotSupported for a unicast Probe with an unknown MatchBy.",
            _ => Behaviors(new RewriteOutgoing(m => m is WsdFault ? null : m)))
        {
            SeenIn = "ONVIF Core: unicast unknown MatchBy should get the fault",
            ExpectedFailures = Rules("WSD-ONV-007"),
        };

        yield return new QuirkProfile(
            "empty-probe-matches",
            "Answers multicast Probes it does not match with an empty ProbeMatches.",
            _ => Behaviors(new EmptyProbeMatches()))
        {
            SeenIn = "WSD-PRB-011: no empty ProbeMatches on multicast",
            ExpectedFailures = Rules("WSD-PRB-011"),
        };

        // ---- Replies: where and when ------------------------------------------------------------------------------
        yield return new QuirkProfile(
            "multicast-replies",
            "Sends ProbeMatches and ResolveMatches to the multicast group instead of unicast to the requester.",
            _ => Behaviors(ReplyRouting.ToMulticast()))
        {
            SeenIn = "WSD-PRB-012: replies go unicast to the Probe's source",
            ExpectedFailures = Rules("WSD-PRB-012", "WSD-RSV-002"),
        };

        yield return new QuirkProfile(
            "reply-to-discovery-port",
            "Sends its answers to the requester's address on the discovery port (3702) instead of the request's source port.",
            _ => Behaviors(ReplyRouting.ToDiscoveryPort()))
        {
            SeenIn = "Q-SRC-PORT variant: python-ws-discovery #48",
            ExpectedFailures = Rules("WSD-PRB-012", "WSD-RSV-002"),
        };

        yield return new QuirkProfile(
            "slow-answers",
            "Answers multicast Probes and Resolves after 4.5 s, past APP_MAX_DELAY and the Windows firewall's 4 s window.",
            _ => Behaviors(new SlowMulticastAnswers(TimeSpan.FromMilliseconds(4500))))
        {
            SeenIn = "Q-FW-4S and Q-SLOW: WSDAPI docs, sane-airscan e63b1ac",
            ExpectedFailures = Rules("WSD-PRB-013", "WSD-UDP-002"),
        };

        yield return new QuirkProfile(
            "burst-repeats",
            "Sends every datagram seven times back to back instead of on the SOAP-over-UDP repeat schedule.",
            _ => Behaviors(new BurstRepeats(6)))
        {
            SeenIn = "WSD-UDP-003: repeat schedule",
            ExpectedFailures = Rules("WSD-UDP-003"),
        };

        yield return new QuirkProfile(
            "answer-duplicates",
            "Answers every copy of a repeated Probe, not just the first.",
            _ => Behaviors(new AnswerDuplicates()))
        {
            SeenIn = "WSD-UDP-004: SOAP-over-UDP duplicate detection",
            ExpectedFailures = Rules("WSD-UDP-004"),
        };

        yield return new QuirkProfile(
            "fragile-parser",
            "Stops answering after a malformed, non-XML or oversize datagram, until it restarts.",
            _ => Behaviors(new FragileParser()))
        {
            SeenIn = "WSD-UDP-001: hostile input must not take the device down",
            ExpectedFailures = Rules("WSD-UDP-001"),
        };

        // ---- Resolve -----------------------------------------------------------------------------------------------
        yield return new QuirkProfile(
            "resolve-any",
            "Answers a Resolve for any endpoint reference with its own data.",
            _ => Behaviors(new FilterIncoming((m, d, t) =>
                m is WsdResolve r && !string.Equals(r.Endpoint.Address, t.Session.Context.Service().EndpointAddress, StringComparison.OrdinalIgnoreCase)
                    ? d with { Payload = WsdMessageWriter.Write(r with { Endpoint = new WsdEndpointReference(t.Session.Context.Service().EndpointAddress) }) }
                    : d)))
        {
            SeenIn = "Q-RESOLVE-FLOOD / Q-BRIDGE: wsdd-native #10, wsdd README",
            ExpectedFailures = Rules("WSD-RSV-001"),
        };

        yield return new QuirkProfile(
            "foreign-xaddr",
            "Lists first an XAddr on an address the requester cannot reach (192.0.2.10, a bridge or tunnel address).",
            _ => Behaviors(new RewriteOutgoing(m => QuirkMessages.MapEndpoints(m, e => e.XAddrs.Count == 0 ? e : e with { XAddrs = ["http://192.0.2.10/onvif/device_service", .. e.XAddrs] }))))
        {
            SeenIn = "Q-MULTI-XADDR / Q-BRIDGE: HP printers (wsdd PR #174), wsdd README",
            ExpectedFailures = Rules("WSD-RSV-003"),
        };

        // ---- ONVIF -------------------------------------------------------------------------------------------------
        yield return new QuirkProfile(
            "v11-only",
            "Speaks only WS-Discovery 1.1 (2009/01) and ignores the 2005/04 Probes ONVIF clients send.",
            _ => [])
        {
            SeenIn = "agsh/onvif #30",
            Protocols = [WsdProtocol.V11],
            ExpectedFailures = Rules("WSD-ONV-001"),
        };

        yield return new QuirkProfile(
            "nvt-only-types",
            "Announces only dn:NetworkVideoTransmitter, not tds:Device.",
            _ => [])
        {
            SeenIn = "ONVIF Core 7.3.2.1: Profile S era devices",
            Service = s => s with { Types = [Onvif.NetworkVideoTransmitter] },
            ExpectedFailures = Rules("WSD-HB-005", "WSD-ONV-002"),
        };

        yield return new QuirkProfile(
            "no-name-scope",
            "Publishes no onvif://www.onvif.org/name/ and hardware/ scopes.",
            _ => [])
        {
            SeenIn = "ONVIF Core 7.3.2.2: a device shall include at least one hardware and one name entry",
            Service = s => s with { Scopes = [.. s.Scopes.Where(x => !x.StartsWith(Onvif.ScopePrefix + "name/", StringComparison.Ordinal) && !x.StartsWith(Onvif.ScopePrefix + "hardware/", StringComparison.Ordinal))] },
            ExpectedFailures = Rules("WSD-ONV-003"),
        };

        yield return new QuirkProfile(
            "no-xaddrs",
            "Sends Hello and ProbeMatch without XAddrs (they come only with ResolveMatch).",
            _ => Behaviors(new RewriteOutgoing(m => m is WsdHello or WsdProbeMatches ? QuirkMessages.MapEndpoints(m, e => e with { XAddrs = [] }) : m)))
        {
            SeenIn = "Q-NO-XADDR: Windows WSDAPI host, wsdd ProbeMatch",
            ExpectedFailures = Rules("WSD-HB-005", "WSD-ONV-005"),
        };

        // ---- Restart -----------------------------------------------------------------------------------------------
        yield return new QuirkProfile(
            "instance-id-reset",
            "Comes back from a restart with a lower AppSequence InstanceId.",
            _ => [])
        {
            SeenIn = "WSD-MSG-011: InstanceId must grow across restarts",
            Restart = QuirkRestart.InstanceIdBackwards,
            ExpectedFailures = Rules("WSD-MSG-011"),
        };

        yield return new QuirkProfile(
            "new-epr-on-restart",
            "Comes back from a restart with a new endpoint reference address.",
            _ => [])
        {
            SeenIn = "WSD-MSG-014, ONVIF Core 7.3.1: the EPR address is stable",
            Restart = QuirkRestart.NewEndpointReference,
            ExpectedFailures = Rules("WSD-MSG-014"),
        };
    }

    private static QuirkBehavior BareUuid() => new RewriteOutgoing(m =>
    {
        var changed = QuirkMessages.WithHeader(m, h => h with { MessageId = StripUrn(h.MessageId) });
        return QuirkMessages.MapEndpoints(changed, e => e with { Endpoint = new WsdEndpointReference(StripUrn(e.Endpoint.Address)!) });
    });

    /// <summary>A Resolve for the bare form of the camera's address reaches the camera's own (urn:uuid:) form.</summary>
    private static QuirkBehavior AcceptBareUuidResolve() => new FilterIncoming((m, d, _) =>
        m is WsdResolve r && r.Endpoint.Address.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase)
            ? d with { Payload = WsdMessageWriter.Write(r with { Endpoint = new WsdEndpointReference("urn:" + r.Endpoint.Address) }) }
            : d);

    private static string? StripUrn(string? id) =>
        id is not null && id.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? id[4..] : id;

    private static string MalformedUuid(string address)
    {
        var uuid = StripUrn(address) ?? address;
        var dash = uuid.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? uuid[..dash] + "-bad-uuid" : uuid + "-bad-uuid";
    }

    private static bool IsRfcRule(WsdProbe probe) =>
        probe.MatchBy is null
        || string.Equals(probe.MatchBy, probe.Protocol.MatchByRfc, StringComparison.Ordinal)
        || string.Equals(probe.MatchBy, WsdMatcher.OnvifRfc3986, StringComparison.Ordinal);

    private static string SwapAddressingNamespace(string text)
    {
        var v2005 = $"xmlns:wsa=\"{WsdProtocol.V2005.AddressingNamespace}\"";
        var v11 = $"xmlns:wsa=\"{WsdProtocol.V11.AddressingNamespace}\"";
        return text.Contains(v2005, StringComparison.Ordinal)
            ? text.Replace(v2005, v11, StringComparison.Ordinal)
            : text.Replace(v11, v2005, StringComparison.Ordinal);
    }

    private static string LegacyEndpointReference(string text) =>
        text.Replace(
            "</wsa:Address></wsa:EndpointReference>",
            "</wsa:Address><wsa:ReferenceProperties/><wsa:PortType xmlns:dn=\"" + Onvif.NetworkNamespace + "\">dn:NetworkVideoTransmitter</wsa:PortType></wsa:EndpointReference>",
            StringComparison.Ordinal);

    [GeneratedRegex(@"(<wsa:Action>[^<]*/)([A-Za-z]+)(</wsa:Action>)", RegexOptions.CultureInvariant)]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@" xmlns:(?!soap=|wsa=|d=)[A-Za-z_][A-Za-z0-9_.-]*=""[^""]*""", RegexOptions.CultureInvariant)]
    private static partial Regex ExtraDeclarationPattern();
}
