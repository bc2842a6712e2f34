using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Harness.Core.Transport;
using Harness.Simulators.Identity;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Harness.Simulators.Upnp;

/// <summary>
/// A simulated UPnP root device: SSDP through <see cref="SsdpAdvertiser"/> (the 3 + 2d + k set after a random delay,
/// repeated and re-advertised before max-age/2, answers within MX clamped to 5 with the version rule, a byebye set on
/// stop) and its description, SCPDs, icons and presentation page over HTTP (<see cref="UpnpDescriptionServer"/> on
/// Kestrel: <c>text/xml; charset="utf-8"</c>, Content-Length, Content-Language, DATE, SERVER), all from a seeded
/// identity:
/// <code>
/// await using var device = await FakeUpnpDevice.StartAsync(new FakeUpnpDeviceOptions { Kind = UpnpDeviceKind.MediaServer, UnicastAddress = IPAddress.Parse("127.0.0.20") }, ct);
/// // … search for it on device.SearchEndPoint, GET device.Location …
/// await device.RestartAsync(ct);             // byebye set, BOOTID + 1, alive set
/// await device.ChangeConfigurationAsync(ct); // CONFIGID + 1, new description, alive set
/// </code>
/// A <see cref="Quirk"/> makes it deviate as a real stack does (<see cref="UpnpQuirks"/>).
/// </summary>
public sealed class FakeUpnpDevice : IAsyncDisposable
{
    /// <summary>The product token of SERVER: <c>Linux/6.1 UPnP/x.y Harness/1.0</c>.</summary>
    public const string ServerOs = "Linux/6.1";

    /// <summary>The product token of SERVER.</summary>
    public const string ServerProduct = "Harness/1.0";

    private const int IdentitySalt = 0x55504E50; // "UPNP"
    private const int MaxConfigId = 16_777_215;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly UpnpQuirkPlan _plan;
    private readonly UpnpSpecVersion _version;
    private readonly IPAddress _address;
    private readonly string _server;
    private readonly ILogger<SsdpAdvertiser> _advertiserLogger;
    private readonly ILogger<UdpDatagramTransport> _transportLogger;
    private SsdpAdvertiser? _advertiser;
    private UpnpWireState? _wire;
    private int _generation;
    private int _disposed;

    private FakeUpnpDevice(FakeUpnpDeviceOptions options, DeviceIdentity identity, UpnpQuirk? quirk, UpnpSpecVersion version, IPAddress address, UpnpDescriptionServer server, int bootId)
    {
        Options = options;
        Identity = identity;
        Quirk = quirk;
        _plan = quirk?.Plan ?? UpnpQuirkPlan.None;
        _version = version;
        _address = address;
        HttpServer = server;
        BootId = bootId;
        ConfigId = options.ConfigId;
        _server = $"{ServerOs} {version.Token} {ServerProduct}";
        _advertiserLogger = options.LoggerFactory.CreateLogger<SsdpAdvertiser>();
        _transportLogger = options.LoggerFactory.CreateLogger<UdpDatagramTransport>();
        Layout = Build(ConfigId);
        Udn = Layout.Description.Device.Udn;
        Location = server.UrlFor(Layout.DescriptionPath);
        SearchEndPoint = options.MulticastEndPoint;
    }

    /// <summary>The settings it was started with.</summary>
    public FakeUpnpDeviceOptions Options { get; }

    /// <summary>Who the device says it is (friendlyName, manufacturer, modelName, serialNumber, root UUID).</summary>
    public DeviceIdentity Identity { get; }

    /// <summary>The root UDN as announced over SSDP (<c>uuid:</c> + the identity's RFC 4122 UUID), stable from Seed, Index and Kind.</summary>
    public string Udn { get; }

    /// <summary>LOCATION: the absolute URL of the root description.</summary>
    public Uri Location { get; }

    /// <summary>The description as served now (after the quirk's changes to the model; byte-level changes are not in it).</summary>
    public UpnpDescription Description => Served;

    /// <summary>The description as announced over SSDP: its devices and services make the announcement set.</summary>
    public UpnpDescription AnnouncedDescription => Layout.Description;

    /// <summary>The (NT, USN) pairs of one announcement set: 3 + 2d + k.</summary>
    public IReadOnlyList<SsdpAnnouncement> Announcements => SsdpAnnouncements.For(Layout.Description.Device);

    /// <summary>The SSDP group and the port the device listens on (the real port when <see cref="FakeUpnpDeviceOptions.MulticastEndPoint"/> had port 0): send M-SEARCH here.</summary>
    public IPEndPoint SearchEndPoint { get; private set; }

    /// <summary>The device's own address and SSDP port, answering unicast M-SEARCH, when it has a <see cref="FakeUpnpDeviceOptions.UnicastAddress"/>; else null.</summary>
    public IPEndPoint? UnicastSearchEndPoint => Options.UnicastAddress is null ? null : new IPEndPoint(_address, SearchEndPoint.Port);

    /// <summary>The address the device's datagrams leave from and its HTTP server listens on.</summary>
    public IPAddress Address => _address;

    /// <summary>The quirk the device runs with, or null.</summary>
    public UpnpQuirk? Quirk { get; }

    /// <summary>The UDA version claimed (specVersion, the UPnP token of SERVER).</summary>
    public UpnpSpecVersion SpecVersion => _version;

    /// <summary>SERVER of its SSDP messages (a quirk may change it) and of its HTTP answers.</summary>
    public string Server => _plan.Server ?? _server;

    /// <summary>BOOTID.UPNP.ORG now (sent unless UDA 1.0 or a quirk leaves it out).</summary>
    public int BootId { get; private set; }

    /// <summary>CONFIGID.UPNP.ORG and the root's configId now.</summary>
    public int ConfigId { get; private set; }

    /// <summary>The HTTP server (its <see cref="UpnpDescriptionServer.RequestServed"/> event tells every request).</summary>
    public UpnpDescriptionServer HttpServer { get; }

    /// <summary>The SSDP engine of the current boot (replaced by <see cref="RestartAsync"/> and <see cref="ChangeConfigurationAsync"/>).</summary>
    public SsdpAdvertiser Advertiser => _advertiser ?? throw new InvalidOperationException("The device is not running.");

    private UpnpDeviceLayout Layout { get; set; }

    private UpnpDescription Served { get; set; } = null!;

    /// <summary>
    /// The identity of UPnP device <paramref name="index"/> of a kind in a fleet seeded with <paramref name="seed"/>:
    /// a <see cref="DeviceIdentity"/> (printer and scanner makers for those kinds) whose name and model say the kind.
    /// The same (kind, seed, index) always gives the same identity, and different kinds give different UUIDs.
    /// </summary>
    public static DeviceIdentity CreateIdentity(UpnpDeviceKind kind, int seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var identityKind = kind switch
        {
            UpnpDeviceKind.Printer => DeviceKind.Printer,
            UpnpDeviceKind.Scanner => DeviceKind.Scanner,
            _ => DeviceKind.Upnp,
        };
        var identity = DeviceIdentity.Create(identityKind, StableSeed.Mix(seed, IdentitySalt, (int)kind), index);
        if (identityKind != DeviceKind.Upnp)
        {
            return identity;
        }

        var dash = identity.Model.IndexOf('-', StringComparison.Ordinal);
        return identity with
        {
            Name = identity.Name.Replace("Media Server", UpnpDeviceTemplates.Label(kind), StringComparison.Ordinal),
            Model = UpnpDeviceTemplates.ModelPrefix(kind) + identity.Model[dash..],
        };
    }

    /// <summary>Starts the device: the HTTP server, then the SSDP sockets and the advertiser (the first alive set follows after a short random delay).</summary>
    /// <exception cref="ArgumentException">The options are unusable (unknown quirk, interface without IPv4, …).</exception>
    /// <exception cref="SocketException">A socket could not be bound.</exception>
    public static async Task<FakeUpnpDevice> StartAsync(FakeUpnpDeviceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var quirk = options.Quirk is { } name ? UpnpQuirks.Find(name) : null;
        var identity = options.Identity ?? CreateIdentity(options.Kind, options.Seed, options.Index);
        var version = options.UpnpVersion switch
        {
            "1.0" => UpnpSpecVersion.V10,
            "2.0" => UpnpSpecVersion.V20,
            _ => UpnpSpecVersion.V11,
        };
        var address = options.UnicastAddress
            ?? NetworkInterfaceResolver.Resolve(options.Interface).IPv4Address
            ?? throw new ArgumentException($"The interface '{options.Interface}' has no IPv4 address.", nameof(options));
        var bootId = options.BootId ?? (int)(Math.Max(1, options.TimeProvider.GetUtcNow().ToUnixTimeSeconds()) & int.MaxValue);
        var server = await UpnpDescriptionServer.StartAsync(
            new UpnpDescriptionServerOptions
            {
                EndPoints = [new IPEndPoint(address, options.HttpPort)],
                Server = $"{ServerOs} {version.Token} {ServerProduct}",
                ContentLanguage = "en",
            },
            cancellationToken).ConfigureAwait(false);
        FakeUpnpDevice? device = null;
        try
        {
            device = new FakeUpnpDevice(options, identity, quirk, version, address, server, bootId);
            device.MapResources();
            await device.StartGenerationAsync(cancellationToken).ConfigureAwait(false);
            return device;
        }
        catch
        {
            if (device is not null)
            {
                await device.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Reboots the SSDP side: the byebye set (unless a quirk drops it), new sockets, BOOTID + 1, and a new alive set.
    /// The description and its URL stay.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            await StopGenerationAsync().ConfigureAwait(false);
            BootId = BootId == int.MaxValue ? 1 : BootId + 1;
            await StartGenerationAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Changes the configuration: CONFIGID + 1 (the root's and each SCPD's configId with it; UDA 1.0 devices have none),
    /// the new description served at the same URL, and a new alive set with the same BOOTID (no byebye).
    /// </summary>
    public async Task ChangeConfigurationAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            ConfigId = ConfigId >= MaxConfigId ? 0 : ConfigId + 1;
            Layout = Build(ConfigId);
            MapResources();

            // Same sockets, same BOOTID: withdraw without a byebye and publish again, so the new alive set carries the
            // new CONFIGID; answers already due keep going out.
            var advertiser = Advertiser;
            var wire = _wire!;
            wire.HoldByeByes = true;
            try
            {
                await advertiser.WithdrawAsync(Udn, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                wire.HoldByeByes = false;
            }

            await advertiser.PublishAsync(Published(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends the byebye set for every alive (unless a quirk says otherwise), closes the sockets and stops the HTTP server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopGenerationAsync().ConfigureAwait(false);
            await HttpServer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private bool Uda11 => _version.AtLeast11;

    private UpnpDeviceLayout Build(int configId)
    {
        var layout = UpnpDeviceTemplates.Create(Options.Kind, Identity, _version, Uda11 ? configId : null);
        if (_plan.DeviceTypeVersion2)
        {
            var root = layout.Description.Device;
            var type = root.DeviceType.EndsWith(":1", StringComparison.Ordinal) ? root.DeviceType[..^1] + "2" : root.DeviceType;
            layout = layout with { Description = layout.Description with { Device = root with { DeviceType = type } } };
        }

        Served = _plan.Description?.Invoke(layout.Description) ?? layout.Description;
        return layout;
    }

    private void MapResources()
    {
        var layout = Layout;
        var body = UpnpDescriptionWriter.Write(Served);
        body = _plan.DescriptionBytes?.Invoke(body) ?? body;
        var description = new UpnpHttpResource(body);
        description = _plan.DescriptionResource?.Invoke(description) ?? description;
        if (_plan.CharacterContentLength)
        {
            HttpServer.Map(layout.DescriptionPath, context => ServeCharacterLengthAsync(context, description));
        }
        else
        {
            HttpServer.Map(layout.DescriptionPath, description);
        }
        foreach (var (path, scpd) in layout.Scpds)
        {
            HttpServer.Map(path, new UpnpHttpResource(scpd));
        }

        foreach (var (path, icon) in layout.Icons)
        {
            HttpServer.Map(path, new UpnpHttpResource(icon) { ContentType = "image/png" });
        }

        HttpServer.Map(layout.PresentationPath, new UpnpHttpResource(UpnpDeviceTemplates.PresentationPage(Served)) { ContentType = "text/html; charset=utf-8" });
        var fault = UpnpDeviceTemplates.InvalidActionFault();
        foreach (var path in layout.ControlPaths)
        {
            HttpServer.Map(path, context => AnswerControlAsync(context, fault));
        }
    }

    /// <summary>
    /// The <c>desc-char-length</c> answer: Content-Length is the body's character count, yet the whole body follows and
    /// the connection closes. Kestrel refuses to write past Content-Length, so the answer goes over the raw socket.
    /// Kestrel's own Date header is not used here: DATE comes from the device's clock.
    /// </summary>
    private async Task ServeCharacterLengthAsync(HttpContext context, UpnpHttpResource resource)
    {
        var body = resource.Body;
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || !HttpMethods.IsGet(context.Request.Method))
        {
            // No raw socket (another transport) or a HEAD: announce the character count and send that many bytes.
            var cut = resource with { ContentLengthOverride = Encoding.UTF8.GetCharCount(body.Span) };
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = cut.ContentType;
            context.Response.ContentLength = cut.ContentLengthOverride;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await context.Response.Body.WriteAsync(body[..(int)cut.ContentLengthOverride!.Value], context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        var head = new StringBuilder()
            .Append("HTTP/1.1 200 OK\r\n")
            .Append("Content-Type: ").Append(resource.ContentType).Append("\r\n")
            .Append("Content-Length: ").Append(Encoding.UTF8.GetCharCount(body.Span).ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Date: ").Append(Options.TimeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Server: ").Append(_server).Append("\r\n");
        if (context.Request.Headers.AcceptLanguage.Count > 0)
        {
            head.Append("Content-Language: ").Append(HttpServer.Options.ContentLanguage).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        byte[] bytes = [.. Encoding.ASCII.GetBytes(head.ToString()), .. body.Span];
        await socket.SendAsync(bytes, SocketFlags.None, context.RequestAborted).ConfigureAwait(false);

        // Close gracefully (FIN, so the client reads every byte), wait until the client has closed too, then drop the
        // connection without Kestrel writing anything of its own.
        socket.Shutdown(SocketShutdown.Send);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10), Options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client closed the connection.
        }

        context.Abort();
    }

    private static async Task AnswerControlAsync(HttpContext context, byte[] fault)
    {
        var response = context.Response;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            // UDA 1.1 §3.2.2: an action the service does not implement is answered with UPnP error 401.
            response.StatusCode = StatusCodes.Status500InternalServerError;
            response.ContentType = UpnpHttpResource.XmlContentType;
            response.Headers["EXT"] = string.Empty;
            response.ContentLength = fault.Length;
            await response.Body.WriteAsync(fault, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // SUBSCRIBE without the headers eventing needs (or anything else): UDA 1.1 §4.1.2 answers 412.
        response.StatusCode = StatusCodes.Status412PreconditionFailed;
        response.ContentLength = 0;
    }

    private async Task StartGenerationAsync(CancellationToken cancellationToken)
    {
        var generation = ++_generation;
        var maxAge = _plan.MaxAge ?? Options.MaxAge;
        var announced = Layout.Description.Device;
        var types = SsdpAnnouncements.For(announced).Select(a => a.NotificationType.Value).ToHashSet(StringComparer.Ordinal);
        var wire = new UpnpWireState(_plan.Wire, Options.AnswerDelay, types, Options.TimeProvider);
        var transports = BindTransports(wire);
        var options = new SsdpAdvertiserOptions
        {
            MulticastEndPoints = [SearchEndPoint],
            Server = _server,
            InitialDelay = Options.InitialDelay ?? TimeSpan.FromMilliseconds(100),
            MaxMx = _plan.MaxMx ?? 5,
            ReadvertiseInterval = _plan.ReadvertiseFraction is { } fraction ? TimeSpan.FromSeconds(maxAge * fraction) : null,
            BootId = BootId,
            Seed = StableSeed.Mix(Options.Seed, Options.Index, (int)Options.Kind, generation),
            Rewrite = _plan.NoExt ? static message => message is SsdpSearchResponse response ? response with { Ext = false } : message : null,
        };
        var advertiser = new SsdpAdvertiser(transports, options, Options.TimeProvider, _advertiserLogger);
        try
        {
            await advertiser.PublishAsync(Published(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            wire.Silence();
            await advertiser.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _wire = wire;
        _advertiser = advertiser;
    }

    private SsdpPublishedDevice Published()
    {
        var sendIds = Uda11 && !_plan.OmitBootAndConfigIds;
        return new SsdpPublishedDevice
        {
            Device = Layout.Description.Device,
            Location = Location.ToString(),
            MaxAge = _plan.MaxAge ?? Options.MaxAge,
            ConfigId = sendIds ? ConfigId : null,
            SendBootId = sendIds,
            Server = _plan.Server,
        };
    }

    private async Task StopGenerationAsync()
    {
        if (_advertiser is not { } advertiser)
        {
            return;
        }

        _advertiser = null;
        _wire = null;
        await advertiser.DisposeAsync().ConfigureAwait(false);
    }

    private List<IDatagramTransport> BindTransports(UpnpWireState wire)
    {
        var ttl = Uda11 ? 2 : 4;
        var group = SearchEndPoint;
        var listener = UdpDatagramTransport.Bind(
            new UdpTransportOptions
            {
                LocalEndPoint = new IPEndPoint(IPAddress.Any, group.Port),
                MulticastGroups = [group.Address],
                Interface = Options.Interface,
                MulticastTtl = ttl,
            },
            Options.TimeProvider,
            _transportLogger);
        if (group.Port == 0)
        {
            SearchEndPoint = group = new IPEndPoint(group.Address, listener.LocalEndPoint.Port);
        }

        if (Options.UnicastAddress is null)
        {
            return [new UpnpWire(listener, sendVia: null, wire)];
        }

        UdpDatagramTransport unicast;
        try
        {
            unicast = UdpDatagramTransport.Bind(
                new UdpTransportOptions { LocalEndPoint = new IPEndPoint(_address, group.Port), Interface = Options.Interface, MulticastTtl = ttl },
                Options.TimeProvider,
                _transportLogger);
        }
        catch
        {
            _ = listener.DisposeAsync().AsTask();
            throw;
        }

        // Everything leaves from the device's own address; unicast searches to it arrive on the second socket.
        return [new UpnpWire(listener, unicast, wire), new UpnpWire(unicast, unicast, wire)];
    }
}
