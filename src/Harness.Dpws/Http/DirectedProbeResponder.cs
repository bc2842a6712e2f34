using System.Net;
using System.Net.Sockets;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Http;

/// <summary>
/// Answers a DPWS directed probe (checklist WSD-PRB-017, WSDBIT 1.4.1): a Probe POSTed to a device's XAddr is
/// answered in the HTTP response with ProbeMatches for the services that match (empty when none does), or with the
/// MatchingRuleNotSupported fault. The services come from a delegate, typically a <see cref="Publisher"/>'s
/// <see cref="Publisher.Services"/>; <c>{ip}</c> in their XAddrs is replaced by the local address the probe came in on.
/// The ProbeMatches carry AppSequence (InstanceId, MessageNumber, SequenceId) with a SequenceId of their own so that
/// their MessageNumbers never compete with the UDP publisher's.
/// </summary>
public sealed class DirectedProbeResponder
{
    /// <summary>The path Windows also uses for directed probes (sane-airscan <c>airscan-wsdd.c</c>).</summary>
    public const string StableDiscoveryPath = "/StableWSDiscoveryEndpoint/schemas-xmlsoap-org_ws_2005_04_discovery";

    /// <summary>The SequenceId used when none is given.</summary>
    public const string DefaultSequenceId = "urn:harness:dpws:directed-probe";

    private readonly Func<IReadOnlyList<PublishedService>> _services;
    private long _messageNumber;

    /// <summary>A responder over the services <paramref name="services"/> returns at the time of each probe.</summary>
    /// <param name="services">The target services to match (e.g. <c>() =&gt; publisher.Services</c>).</param>
    /// <param name="instanceId">The AppSequence InstanceId (use the publisher's <see cref="Publisher.InstanceId"/>).</param>
    /// <param name="sequenceId">The AppSequence SequenceId of HTTP answers; null for <see cref="DefaultSequenceId"/>.</param>
    public DirectedProbeResponder(Func<IReadOnlyList<PublishedService>> services, ulong instanceId, string? sequenceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        InstanceId = instanceId;
        SequenceId = sequenceId ?? DefaultSequenceId;
    }

    /// <summary>The AppSequence InstanceId.</summary>
    public ulong InstanceId { get; }

    /// <summary>The AppSequence SequenceId.</summary>
    public string SequenceId { get; }

    /// <summary>
    /// The answer to <paramref name="probe"/>: ProbeMatches in the probe's family (RelatesTo its MessageID, To anonymous),
    /// or the MatchingRuleNotSupported fault.
    /// </summary>
    /// <param name="probe">The probe.</param>
    /// <param name="host">The host literal to put in place of <c>{ip}</c> (the local address, IPv6 in brackets).</param>
    /// <param name="newMessageId">The generator of message ids.</param>
    public WsdMessage Answer(WsdProbe probe, string host, Func<string> newMessageId)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(newMessageId);
        var protocol = probe.Protocol;
        var relatesTo = probe.Header.MessageId ?? string.Empty;
        var matches = new List<WsdEndpointData>();
        foreach (var service in _services())
        {
            var data = new WsdEndpointData(
                new WsdEndpointReference(service.EndpointAddress),
                service.Types,
                service.Scopes,
                [.. service.XAddrs.Select(x => x.Replace("{ip}", host, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)],
                service.MetadataVersion);
            switch (WsdMatcher.Matches(probe, data))
            {
                case WsdMatchOutcome.UnsupportedRule:
                    return WsdFaults.MatchingRuleNotSupported(protocol, relatesTo, newMessageId(), WsdMatcher.SupportedRules(protocol));
                case WsdMatchOutcome.Match:
                    matches.Add(data);
                    break;
                default:
                    break;
            }
        }

        return new WsdProbeMatches
        {
            Protocol = protocol,
            Header = new WsdHeader
            {
                Action = protocol.ProbeMatchesAction,
                MessageId = newMessageId(),
                RelatesTo = relatesTo,
                To = protocol.AnonymousAddress,
                AppSequence = new WsdAppSequence(InstanceId, (ulong)Interlocked.Increment(ref _messageNumber), SequenceId),
            },
            Matches = matches,
        };
    }

    /// <summary>An address as it goes in a URL host: IPv6 in brackets and without a zone id.</summary>
    public static string HostLiteral(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var text = address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()).ToString() : address.ToString();
        return "[" + text + "]";
    }
}
