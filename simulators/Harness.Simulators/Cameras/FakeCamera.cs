using System.Net;
using Harness.Core.Transport;
using Harness.Simulators.Discovery;
using Harness.Simulators.Identity;
using Harness.Simulators.Quirks;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Simulators.Cameras;

/// <summary>How to start a <see cref="FakeCamera"/>.</summary>
public sealed record FakeCameraOptions
{
    /// <summary>Seed of the fleet; with <see cref="Index"/> it fixes the camera's identity.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of the camera in its fleet (0-based).</summary>
    public int Index { get; init; }

    /// <summary>The identity; null to generate it from <see cref="Seed"/> and <see cref="Index"/>.</summary>
    public DeviceIdentity? Identity { get; init; }

    /// <summary>The interface to listen and announce on (name or address). Loopback by default.</summary>
    public string Interface { get; init; } = "lo";

    /// <summary>The WS-Discovery multicast endpoint (IPv4 239.255.255.250:3702 by default; any group/port for isolation).</summary>
    public IPEndPoint MulticastEndPoint { get; init; } = WsdMulticast.IPv4EndPoint;

    /// <summary>The families the camera answers; ONVIF pins WS-Discovery 2005/04.</summary>
    public IReadOnlyList<WsdProtocol> Protocols { get; init; } = [WsdProtocol.V2005];

    /// <summary>The port in the device service XAddr (<c>http://{ip}:{port}/onvif/device_service</c>).</summary>
    public int DeviceServicePort { get; init; } = 8080;

    /// <summary>The SOAP-over-UDP timing profile.</summary>
    public SoapOverUdpProfile Profile { get; init; } = SoapOverUdpProfile.WsDiscovery2005;

    /// <summary>Delay before answering a multicast Probe; null for a random delay up to APP_MAX_DELAY.</summary>
    public TimeSpan? AnswerDelay { get; init; }

    /// <summary>Delay before the Hello; null for a random delay up to APP_MAX_DELAY.</summary>
    public TimeSpan? HelloDelay { get; init; }

    /// <summary>Makes the transports; null for real UDP on <see cref="Interface"/>, sharing the port with SO_REUSEADDR.</summary>
    public Func<IDatagramTransport>? TransportFactory { get; init; }

    /// <summary>
    /// A unicast address of the camera's own (e.g. 127.0.0.11 on loopback, where the whole 127/8 is local). When set,
    /// the camera also binds <c>UnicastAddress:port</c>, so a unicast Probe or Resolve sent there reaches this camera
    /// alone even when a fleet shares port 3702 on one host, and <c>{ip}</c> in XAddrs expands to it.
    /// </summary>
    public IPAddress? UnicastAddress { get; init; }

    /// <summary>Local addresses for <c>{ip}</c> expansion; null to read them from <see cref="Interface"/>.</summary>
    public ILocalAddressProvider? AddressProvider { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// A quirk profile that makes the camera deviate like a real device (see <see cref="QuirkProfiles"/>), or null for a
    /// correct camera. The profile may change the families, the published data, the restart behaviour and, through a
    /// transport decorator, what the camera sends and hears.
    /// </summary>
    public QuirkProfile? Quirks { get; init; }

    /// <summary>
    /// How the camera restarts, on top of <see cref="QuirkProfile.Restart"/>: <see cref="QuirkRestart.InstanceIdBackwards"/>,
    /// <see cref="QuirkRestart.NewEndpointReference"/>, or (the default) correctly.
    /// </summary>
    public QuirkRestart Restart { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for unusable options.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Index);
        ArgumentOutOfRangeException.ThrowIfLessThan(DeviceServicePort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DeviceServicePort, 65535);
        if (Protocols.Count == 0)
        {
            throw new ArgumentException("At least one WS-Discovery family is required.", nameof(Protocols));
        }

        if (string.IsNullOrWhiteSpace(Interface) && TransportFactory is null)
        {
            throw new ArgumentException("Name an interface or give a transport factory.", nameof(Interface));
        }
    }
}

/// <summary>
/// A simulated ONVIF network video transmitter that is discoverable over WS-Discovery: types
/// <c>dn:NetworkVideoTransmitter</c> and <c>tds:Device</c>, onvif:// scopes for type, name, hardware, location
/// and profile. A test starts it in-process and disposes it (which sends Bye):
/// <code>await using var camera = await FakeCamera.StartAsync(new FakeCameraOptions { Seed = 7 }, ct);</code>
/// </summary>
public sealed class FakeCamera : IAsyncDisposable
{
    private readonly FakeCameraOptions _options;
    private readonly QuirkSession? _quirks;
    private Publisher _publisher;
    private IDisposable? _ownedAddresses;
    private ulong _instanceId;
    private int _restarts;

    private FakeCamera(FakeCameraOptions options, DeviceIdentity identity, PublishedService service, (Publisher Publisher, IDisposable? OwnedAddresses) created, QuirkSession? quirks)
    {
        var publisher = created.Publisher;
        _ownedAddresses = created.OwnedAddresses;
        _options = options;
        Identity = identity;
        Service = service;
        _publisher = publisher;
        _quirks = quirks;
        _instanceId = publisher.InstanceId;
    }

    /// <summary>Who the camera says it is.</summary>
    public DeviceIdentity Identity { get; }

    /// <summary>The published discovery data (XAddrs as templates).</summary>
    public PublishedService Service { get; private set; }

    /// <summary>The endpoint reference address, <c>urn:uuid:…</c>.</summary>
    public string EndpointAddress => Service.EndpointAddress;

    /// <summary>The publisher that speaks for the camera (counters, events).</summary>
    public Publisher Publisher => _publisher;

    /// <summary>The AppSequence InstanceId of the running instance.</summary>
    public ulong InstanceId => _instanceId;

    /// <summary>The quirk profile the camera runs with, or null.</summary>
    public QuirkProfile? Quirks => _options.Quirks;

    /// <summary>Starts the camera: binds, publishes, and sends Hello.</summary>
    public static async Task<FakeCamera> StartAsync(FakeCameraOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Quirks?.Protocols is { Count: > 0 } families)
        {
            options = options with { Protocols = families };
        }

        var identity = options.Identity ?? DeviceIdentity.Create(DeviceKind.Camera, options.Seed, options.Index);
        var service = CreateService(identity, options);
        if (options.Quirks?.Service is { } change)
        {
            service = change(service);
        }

        FakeCamera? camera = null;
        var quirks = options.Quirks?.Start(new QuirkContext(
            () => camera?.Service ?? service,
            options.MulticastEndPoint,
            options.TimeProvider,
            StableSeed.Mix(options.Seed, options.Index, 0x51)));
        var created = CreatePublisher(options, instanceId: null, quirks);
        try
        {
            await created.Publisher.PublishAsync(service, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await created.Publisher.DisposeAsync().ConfigureAwait(false);
            created.OwnedAddresses?.Dispose();
            throw;
        }

        camera = new FakeCamera(options, identity, service, created, quirks);
        return camera;
    }

    /// <summary>The discovery data of a camera with this identity.</summary>
    public static PublishedService CreateService(DeviceIdentity identity, FakeCameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        return new PublishedService(identity.EndpointAddress)
        {
            Types = [Onvif.NetworkVideoTransmitter, Onvif.Device],
            Scopes =
            [
                Onvif.Scope("type", "video_encoder"),
                Onvif.Scope("type", "Network_Video_Transmitter"),
                Onvif.Scope("Profile", "Streaming"),
                Onvif.Scope("Profile", "T"),
                Onvif.Scope("name", identity.Name),
                Onvif.Scope("hardware", identity.Model),
                Onvif.Scope("location", "country", identity.Country),
                Onvif.Scope("location", "city", identity.City),
                Onvif.Scope("mfr", identity.Manufacturer),
            ],
            XAddrs = [$"http://{{ip}}:{options.DeviceServicePort}/onvif/device_service"],
            MetadataVersion = 1,
        };
    }

    /// <summary>
    /// Restarts the camera as if it lost power: Bye, then a new instance (InstanceId one higher) that sends Hello.
    /// The endpoint reference and metadata version stay the same (WSD-MSG-011, WSD-MSG-014), unless the quirk
    /// profile's <see cref="QuirkProfile.Restart"/> says otherwise.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await _publisher.StopAsync(cancellationToken).ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        _ownedAddresses?.Dispose();
        _restarts++;
        var restart = _options.Restart | (_options.Quirks?.Restart ?? QuirkRestart.None);
        var next = restart.HasFlag(QuirkRestart.InstanceIdBackwards)
            ? (_instanceId > 0 ? _instanceId - 1 : 0)
            : Math.Max(_instanceId + 1, (ulong)Math.Max(0, _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds()));
        if (restart.HasFlag(QuirkRestart.NewEndpointReference))
        {
            var uuid = new Guid(StableSeed.Mix(_options.Seed, _options.Index, _restarts), 0x5eed, 0x4000, Identity.Uuid.ToByteArray()[8..]);
            Service = Service with { EndpointAddress = "urn:uuid:" + uuid.ToString("D") };
        }

        _quirks?.Restarted();
        (_publisher, _ownedAddresses) = CreatePublisher(_options, next, _quirks);
        _instanceId = _publisher.InstanceId;
        await _publisher.PublishAsync(Service, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes the scopes (metadata change: MetadataVersion goes up and a Hello is sent).</summary>
    public async Task SetScopesAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        Service = await _publisher.UpdateAsync(Service with { Scopes = scopes }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends Bye and releases the sockets (and the interface watcher the camera made).</summary>
    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync().ConfigureAwait(false);
        _ownedAddresses?.Dispose();
    }

    private static (Publisher Publisher, IDisposable? OwnedAddresses) CreatePublisher(FakeCameraOptions options, ulong? instanceId, QuirkSession? quirks) =>
        DevicePublisher.Create(
            new DiscoverySockets(options.Interface, options.MulticastEndPoint, options.UnicastAddress, options.TransportFactory, options.AddressProvider, options.TimeProvider, options.LoggerFactory),
            new PublisherOptions
            {
                Protocols = options.Protocols,
                Profile = options.Profile,
                AnswerDelay = options.AnswerDelay,
                HelloDelay = options.HelloDelay,
                InstanceId = instanceId,
                MulticastEndPoint = options.MulticastEndPoint,
                Seed = StableSeed.Mix(options.Seed, options.Index, (int)(instanceId ?? 0)),
            },
            quirks is null ? null : quirks.Wrap);
}
