using System.Net;
using Harness.Core.Transport;
using Harness.Dpws.Http;
using Harness.Dpws.Print;
using Harness.Simulators.Discovery;
using Harness.Simulators.Identity;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Simulators.Printers;

/// <summary>How to start a <see cref="FakePrinter"/>.</summary>
public sealed record FakePrinterOptions : IPublishingDeviceOptions
{
    /// <summary>Seed of the fleet; with <see cref="Index"/> it fixes the printer's identity.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of the printer in its fleet (0-based).</summary>
    public int Index { get; init; }

    /// <summary>The identity; null to generate it from <see cref="Seed"/> and <see cref="Index"/>.</summary>
    public DeviceIdentity? Identity { get; init; }

    /// <summary>The interface to announce on (name or address). Loopback by default.</summary>
    public string Interface { get; init; } = "lo";

    /// <summary>The WS-Discovery multicast endpoint (IPv4 239.255.255.250:3702 by default; any group/port for isolation).</summary>
    public IPEndPoint MulticastEndPoint { get; init; } = WsdMulticast.IPv4EndPoint;

    /// <summary>The WS-Discovery families the printer answers; Windows and WSD printers use 2005/04.</summary>
    public IReadOnlyList<WsdProtocol> Protocols { get; init; } = [WsdProtocol.V2005];

    /// <summary>
    /// A unicast address of the printer's own (e.g. 127.0.0.40 on loopback, where the whole 127/8 is local): the HTTP
    /// host listens on it, the printer also binds <c>UnicastAddress:port</c> for unicast Probes and Resolves, and
    /// <c>{ip}</c> in the XAddr expands to it. Null listens on 127.0.0.1 (or <see cref="Host"/>'s address).
    /// </summary>
    public IPAddress? UnicastAddress { get; init; }

    /// <summary>The HTTP port; 0 picks an ephemeral one.</summary>
    public int HttpPort { get; init; }

    /// <summary>The SOAP-over-UDP timing profile.</summary>
    public SoapOverUdpProfile Profile { get; init; } = SoapOverUdpProfile.WsDiscovery2005;

    /// <summary>Delay before answering a multicast Probe; null for a random delay up to APP_MAX_DELAY.</summary>
    public TimeSpan? AnswerDelay { get; init; }

    /// <summary>Delay before the Hello; null for a random delay up to APP_MAX_DELAY.</summary>
    public TimeSpan? HelloDelay { get; init; }

    /// <summary>Announce over WS-Discovery (false: the HTTP services only, reachable at <see cref="FakePrinter.XAddr"/>).</summary>
    public bool Discoverable { get; init; } = true;

    /// <summary>Makes the discovery transports; null for real UDP on <see cref="Interface"/>, sharing the port with SO_REUSEADDR.</summary>
    public Func<IDatagramTransport>? TransportFactory { get; init; }

    /// <summary>Local addresses for <c>{ip}</c> expansion; null to use <see cref="UnicastAddress"/> or read them from <see cref="Interface"/>.</summary>
    public ILocalAddressProvider? AddressProvider { get; init; }

    /// <summary>The clock of the printer (job timing, subscription expiry, discovery delays).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The printer service settings; null for defaults whose description comes from the identity.</summary>
    public PrinterServiceOptions? Service { get; init; }

    /// <summary>The hosted printer service settings (path, ServiceId, event source).</summary>
    public PrinterServiceEndpointOptions Endpoint { get; init; } = new();

    /// <summary>The HTTP host settings; null for defaults (its Address and Port are replaced by <see cref="UnicastAddress"/> and <see cref="HttpPort"/> when those are set).</summary>
    public DpwsHostOptions? Host { get; init; }

    /// <summary>The HTTP handler notifications go through (e.g. a TestServer's); null for sockets.</summary>
    public HttpMessageHandler? NotifierHandler { get; init; }

    /// <summary>
    /// A quirk profile of a real device's deviation (<see cref="Quirks.DpwsQuirkProfiles"/>), applied through the HTTP hooks of
    /// the host (<see cref="DpwsHostOptions.RequestFilter"/>, <see cref="DpwsHostOptions.Interceptor"/>,
    /// <see cref="DpwsHostOptions.ResponseFilter"/>); null for a correct printer.
    /// </summary>
    public Quirks.DpwsQuirkProfile? Quirks { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable options.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Index);
        ArgumentOutOfRangeException.ThrowIfNegative(HttpPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HttpPort, 65535);
        ArgumentNullException.ThrowIfNull(MulticastEndPoint);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        ArgumentNullException.ThrowIfNull(Endpoint);
        Endpoint.Validate();
        Service?.Validate();
        if (Protocols.Count == 0)
        {
            throw new ArgumentException("At least one WS-Discovery family is required.", nameof(Protocols));
        }

        if (Discoverable && string.IsNullOrWhiteSpace(Interface) && TransportFactory is null)
        {
            throw new ArgumentException("Name an interface or give a transport factory.", nameof(Interface));
        }
    }
}
