using System.Net;
using Harness.Core.Transport;
using Harness.Dpws.Metadata;
using Harness.Simulators.Cameras;
using Harness.Simulators.Identity;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Simulators.Discovery;

/// <summary>Where and how a simulated device's WS-Discovery sockets are bound.</summary>
/// <param name="Interface">Interface name or address (loopback by default in every simulator).</param>
/// <param name="MulticastEndPoint">The discovery group and port.</param>
/// <param name="UnicastAddress">The device's own unicast address, or null (see <see cref="FakeCameraOptions.UnicastAddress"/>).</param>
/// <param name="TransportFactory">A transport instead of real UDP (in-memory tests), or null.</param>
/// <param name="AddressProvider">Local addresses for <c>{ip}</c>, or null to derive them.</param>
/// <param name="TimeProvider">The clock.</param>
/// <param name="LoggerFactory">Logging.</param>
internal sealed record DiscoverySockets(
    string Interface,
    IPEndPoint MulticastEndPoint,
    IPAddress? UnicastAddress,
    Func<IDatagramTransport>? TransportFactory,
    ILocalAddressProvider? AddressProvider,
    TimeProvider TimeProvider,
    ILoggerFactory LoggerFactory);

/// <summary>What a printer's or scanner's options say about its discovery presence (see <see cref="DevicePublisher.Create(IPublishingDeviceOptions, int, ulong?)"/>).</summary>
internal interface IPublishingDeviceOptions
{
    /// <summary>Seed of the fleet.</summary>
    int Seed { get; }

    /// <summary>The device's index in the fleet.</summary>
    int Index { get; }

    /// <summary>Interface name or address.</summary>
    string Interface { get; }

    /// <summary>The discovery group and port.</summary>
    IPEndPoint MulticastEndPoint { get; }

    /// <summary>The WS-Discovery versions announced.</summary>
    IReadOnlyList<WsdProtocol> Protocols { get; }

    /// <summary>The device's own unicast address, or null.</summary>
    IPAddress? UnicastAddress { get; }

    /// <summary>SOAP-over-UDP timing profile.</summary>
    SoapOverUdpProfile Profile { get; }

    /// <summary>Delay before answering a multicast Probe; null for a random delay up to APP_MAX_DELAY.</summary>
    TimeSpan? AnswerDelay { get; }

    /// <summary>Delay before the Hello; null for a random delay up to APP_MAX_DELAY.</summary>
    TimeSpan? HelloDelay { get; }

    /// <summary>A transport instead of real UDP, or null.</summary>
    Func<IDatagramTransport>? TransportFactory { get; }

    /// <summary>Local addresses for <c>{ip}</c>, or null.</summary>
    ILocalAddressProvider? AddressProvider { get; }

    /// <summary>The clock.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Logging.</summary>
    ILoggerFactory LoggerFactory { get; }
}

/// <summary>
/// Binds a simulated device's discovery sockets and makes its <see cref="Publisher"/>: one socket on the group's port
/// (shared with SO_REUSEADDR) and, with a unicast address of its own, a second one on that address so a unicast
/// Probe reaches this device alone; <c>{ip}</c> then expands to that address. One place for cameras, printers and
/// scanners.
/// </summary>
internal static class DevicePublisher
{
    /// <summary>
    /// Creates the publisher. <paramref name="wrap"/> decorates each real socket (a quirk profile) inside the
    /// <see cref="DeviceSocket"/>, so it sees what the engine really sends. The returned disposable is an address
    /// watcher the caller owns (the publisher does not dispose a provider it was given), or null.
    /// </summary>
    public static (Publisher Publisher, IDisposable? OwnedAddresses) Create(
        DiscoverySockets sockets,
        PublisherOptions publisherOptions,
        Func<IDatagramTransport, IDatagramTransport>? wrap = null)
    {
        var ownSockets = sockets.TransportFactory is null;
        var transports = new List<IDatagramTransport>();
        var transport = sockets.TransportFactory?.Invoke() ?? Bind(
            sockets,
            new IPEndPoint(sockets.MulticastEndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, sockets.MulticastEndPoint.Port),
            [sockets.MulticastEndPoint.Address]);
        transport = wrap?.Invoke(transport) ?? transport;
        if (sockets.UnicastAddress is not null && ownSockets)
        {
            transport = new DeviceSocket(transport, unicastOnly: false);
        }

        transports.Add(transport);
        if (sockets.UnicastAddress is { } unicast && ownSockets)
        {
            try
            {
                var unicastSocket = Bind(sockets, new IPEndPoint(unicast, sockets.MulticastEndPoint.Port), []);
                transports.Add(new DeviceSocket(wrap?.Invoke(unicastSocket) ?? unicastSocket, unicastOnly: true));
            }
            catch
            {
                // Leave nothing bound when the second socket fails.
                _ = transport.DisposeAsync().AsTask();
                throw;
            }
        }

        NetworkInterfaceAddressProvider? owned = null;
        var addresses = sockets.AddressProvider
            ?? (sockets.UnicastAddress is { } own
                ? new StaticLocalAddressProvider(new LocalAddress(own, 0, sockets.Interface))
                : owned = new NetworkInterfaceAddressProvider(sockets.Interface));
        var publisher = new Publisher(transports, publisherOptions, sockets.TimeProvider, sockets.LoggerFactory.CreateLogger<Publisher>(), addresses);
        return (publisher, owned);
    }

    /// <summary>
    /// Restarts a device's discovery presence as after a power cycle: stops (Bye) and disposes <paramref name="old"/> and
    /// the address watcher it used, makes a new publisher with <paramref name="create"/> for the next AppSequence
    /// InstanceId (above the old one and not below the clock's Unix seconds), lets <paramref name="device"/> answer
    /// directed probes from it, hands it to <paramref name="adopt"/> and then announces <paramref name="published"/> (Hello).
    /// </summary>
    public static async Task RestartAsync(
        Publisher old,
        IDisposable? oldAddresses,
        DpwsDevice device,
        PublishedService published,
        TimeProvider timeProvider,
        Func<ulong, (Publisher Publisher, IDisposable? OwnedAddresses)> create,
        Action<Publisher, IDisposable?> adopt,
        CancellationToken cancellationToken)
    {
        await old.StopAsync(cancellationToken).ConfigureAwait(false);
        await old.DisposeAsync().ConfigureAwait(false);
        oldAddresses?.Dispose();
        var next = Math.Max(old.InstanceId + 1, (ulong)Math.Max(0, timeProvider.GetUtcNow().ToUnixTimeSeconds()));
        var (publisher, addressProvider) = create(next);
        device.AnswerDirectedProbes(publisher);
        adopt(publisher, addressProvider);
        await publisher.PublishAsync(published, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the publisher of a printer or scanner (see <see cref="Create(DiscoverySockets, PublisherOptions, Func{IDatagramTransport, IDatagramTransport}?)"/>);
    /// <paramref name="kind"/> keeps the seeds of device kinds apart; <paramref name="instanceId"/> is set for a restarted instance.
    /// </summary>
    public static (Publisher Publisher, IDisposable? OwnedAddresses) Create(IPublishingDeviceOptions options, int kind, ulong? instanceId = null) =>
        Create(
            new DiscoverySockets(options.Interface, options.MulticastEndPoint, options.UnicastAddress, options.TransportFactory, options.AddressProvider, options.TimeProvider, options.LoggerFactory),
            new PublisherOptions
            {
                Protocols = options.Protocols,
                Profile = options.Profile,
                AnswerDelay = options.AnswerDelay,
                HelloDelay = options.HelloDelay,
                MulticastEndPoint = options.MulticastEndPoint,
                Seed = Seed(options.Seed, options.Index, kind, instanceId),
                InstanceId = instanceId,
            });

    /// <summary>
    /// The publisher seed of device <paramref name="index"/> of a fleet seeded with <paramref name="seed"/>;
    /// <paramref name="kind"/> keeps device kinds apart. A restarted instance (<paramref name="instanceId"/> set) draws
    /// other MessageIDs (WSD-MSG-004): the instance id is part of the seed.
    /// </summary>
    private static int Seed(int seed, int index, int kind, ulong? instanceId) =>
        instanceId is { } restarted ? StableSeed.Mix(seed, index, kind, (int)restarted) : StableSeed.Mix(seed, index, kind);

    private static UdpDatagramTransport Bind(DiscoverySockets sockets, IPEndPoint local, IReadOnlyList<IPAddress> groups) =>
        UdpDatagramTransport.Bind(
            new UdpTransportOptions { LocalEndPoint = local, MulticastGroups = groups, Interface = sockets.Interface },
            sockets.TimeProvider,
            sockets.LoggerFactory.CreateLogger<UdpDatagramTransport>());
}
