using System.Net;
using System.Net.Sockets;
using Harness.Dpws.Http;
using Harness.Dpws.Metadata;
using Harness.Dpws.Print;
using Harness.Dpws.Scan;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;
using Microsoft.Extensions.Logging;

namespace Harness.Cli.Wsd;

/// <summary>A device to talk to: its XAddr and the address for <c>wsa:To</c> of the Get.</summary>
internal sealed record ResolvedDevice(Uri XAddr, string EndpointAddress);

/// <summary>A hosted service of a resolved device, with the metadata it was found in.</summary>
internal sealed record DeviceService(ResolvedDevice Device, DeviceMetadataResult Metadata, HostedServiceMetadata Hosted, Uri Address);

/// <summary>
/// A device the user named by XAddr or endpoint reference, as the DPWS commands (get, scan, print, subscribe) find it:
/// resolved over WS-Discovery when needed, its metadata read with WS-Transfer Get, one of its hosted services chosen.
/// </summary>
internal static class WsdTarget
{
    /// <summary>
    /// An http(s) URL is used as is (the Get's <c>wsa:To</c> is the URL); anything else is an endpoint reference resolved
    /// over WS-Discovery on <paramref name="interfaceName"/> (a Resolve, then a Probe as a fallback) to its first http XAddr.
    /// Throws <see cref="ArgumentException"/> for an address that is neither, <see cref="DeviceException"/> when no device answers.
    /// </summary>
    public static async Task<ResolvedDevice> ResolveAsync(string address, string interfaceName, int multicastPort, TimeSpan timeout, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(address, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return new ResolvedDevice(url, url.ToString());
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"'{address}' is neither an http URL nor an endpoint reference (urn:uuid:…).");
        }

        var transport = WsdTransports.BindClient(AddressFamily.InterNetwork, interfaceName);
        await using var client = new DiscoveryClient(
            transport,
            new DiscoveryClientOptions { Protocols = WsdProtocol.All, MulticastEndPoint = new IPEndPoint(WsdMulticast.IPv4Group, multicastPort) },
            TimeProvider.System,
            loggers.CreateLogger<DiscoveryClient>());
        var found = await client.ResolveAsync(address, timeout, cancellationToken);
        if (found is null || !found.XAddrs.Any(IsHttp))
        {
            var probed = await client.ProbeAsync(new ProbeRequest { Timeout = timeout }, cancellationToken);
            found = probed.FirstOrDefault(s => string.Equals(s.EndpointAddress, address, StringComparison.OrdinalIgnoreCase) && s.XAddrs.Any(IsHttp)) ?? found;
        }

        var xaddr = found?.XAddrs.FirstOrDefault(IsHttp)
            ?? throw new DeviceException($"No device with endpoint reference {address} answered on {interfaceName} (port {multicastPort}) within {timeout.TotalSeconds:0.#} s.");
        return new ResolvedDevice(new Uri(xaddr), found!.EndpointAddress);
    }

    /// <summary>Resolves <paramref name="address"/>, reads its metadata and picks the hosted service <paramref name="choose"/> returns.</summary>
    public static async Task<DeviceService> OpenServiceAsync(
        SoapHttpClient http,
        string address,
        string interfaceName,
        int multicastPort,
        TimeSpan timeout,
        ILoggerFactory loggers,
        Func<DeviceMetadata, HostedServiceMetadata> choose,
        CancellationToken cancellationToken)
    {
        var device = await ResolveAsync(address, interfaceName, multicastPort, timeout, loggers, cancellationToken);
        var metadata = await new DpwsClient(http).GetAsync(device.XAddr, device.EndpointAddress, cancellationToken);
        var hosted = choose(metadata.Metadata);
        return new DeviceService(device, metadata, hosted, new Uri(hosted.Address!));
    }

    /// <summary>The first hosted service with <paramref name="type"/> and an http address, or a <see cref="DeviceException"/>.</summary>
    public static HostedServiceMetadata HostedOfType(DeviceMetadata metadata, WsdQName type, string what) =>
        metadata.HostedOfType(type).FirstOrDefault(h => h.Address is { } a && IsHttp(a))
            ?? throw new DeviceException($"The device hosts no {what} ({type.Prefix}:{type.LocalName}).");

    /// <summary>The address of the first hosted service with <paramref name="type"/>, or a <see cref="DeviceException"/>.</summary>
    public static Uri ServiceOfType(DeviceMetadata metadata, WsdQName type, string what) => new(HostedOfType(metadata, type, what).Address!);

    /// <summary>
    /// The hosted service a user named: <c>scan</c> / <c>print</c> (by type), a ServiceId, or an http address; null or empty
    /// picks the scanner or printer service, else the first hosted service with an http address.
    /// </summary>
    public static HostedServiceMetadata ChooseService(DeviceMetadata metadata, string? name)
    {
        var hosted = metadata.Hosted.Where(h => h.Address is { } a && IsHttp(a)).ToList();
        switch (name?.Trim().ToLowerInvariant())
        {
            case "scan" or "scanner":
                return HostedOfType(metadata, Dpws.Scan.Http.ScannerServiceEndpoint.ScannerServiceType, "scanner service");
            case "print" or "printer":
                return HostedOfType(metadata, PrinterServiceEndpoint.PrinterServiceType, "printer service");
            case null or "":
                return metadata.HostedOfType(Dpws.Scan.Http.ScannerServiceEndpoint.ScannerServiceType).Concat(metadata.HostedOfType(PrinterServiceEndpoint.PrinterServiceType)).FirstOrDefault(h => hosted.Contains(h))
                    ?? hosted.FirstOrDefault()
                    ?? throw new DeviceException("The device hosts no service with an http address.");
            default:
                return hosted.FirstOrDefault(h => string.Equals(h.ServiceId, name, StringComparison.Ordinal) || h.EndpointReferences.Any(e => string.Equals(e.Address, name, StringComparison.OrdinalIgnoreCase)))
                    ?? throw new DeviceException($"The device hosts no service '{name}' (it hosts: {string.Join(", ", hosted.Select(h => h.ServiceId is { Length: > 0 } id ? id : h.Address))}).");
        }
    }

    /// <summary>True for an http(s) XAddr.</summary>
    public static bool IsHttp(string xaddr) => xaddr.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || xaddr.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A one-line description of a device error (a fault with its code and subcode, a transport failure), or null when
    /// <paramref name="error"/> is not one: the commands print it and exit 1.
    /// </summary>
    public static string? DescribeDeviceError(Exception error) => error switch
    {
        DeviceException e => e.Message,
        PrintFaultException e => $"The printer answered a fault: {e.Fault.Code}/{e.Fault.Subcode.LocalName}: {e.Fault.Reason}",
        Dpws.Scan.Http.ScanFaultException e => $"The scanner answered a fault: {e.Fault}",
        SoapFaultException e => $"The device answered a fault: {e.Code.LocalName}{(e.Subcode is { } sub ? "/" + sub.LocalName : string.Empty)}: {e.Reason}",
        SoapProtocolException e => $"The device did not answer as expected ({e.Error}{(e.HttpStatusCode is { } status ? $", HTTP {status}" : string.Empty)}): {e.Message}",
        HttpRequestException e => $"HTTP failed: {e.Message}",
        _ => null,
    };
}

/// <summary>The device did not answer, or not as needed (no such device, no such hosted service): exit code 1.</summary>
internal sealed class DeviceException : Exception
{
    public DeviceException()
    {
    }

    public DeviceException(string message)
        : base(message)
    {
    }

    public DeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
