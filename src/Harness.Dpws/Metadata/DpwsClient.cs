using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Harness.WsDiscovery.Messages;

namespace Harness.Dpws.Metadata;

/// <summary>The metadata of a device as <see cref="DpwsClient.GetAsync"/> read it.</summary>
/// <param name="Metadata">The typed metadata (ThisModel, ThisDevice, host, hosted services).</param>
/// <param name="Violations">Deviations found (HTTP binding, addressing, WSD-DPWS-001..005).</param>
/// <param name="Response">The GetResponse envelope as received.</param>
public sealed record DeviceMetadataResult(DeviceMetadata Metadata, IReadOnlyList<Violation> Violations, SoapEnvelope Response);

/// <summary>The answer to a directed probe.</summary>
/// <param name="Matches">The ProbeMatches.</param>
/// <param name="Violations">Deviations found in it.</param>
public sealed record DirectedProbeResult(WsdProbeMatches Matches, IReadOnlyList<Violation> Violations);

/// <summary>
/// The DPWS metadata client (PyWSD's <c>wsd_get</c>): WS-Transfer Get to a device's XAddr, answered by the typed
/// <see cref="DeviceMetadata"/>; and the DPWS directed probe over HTTP (WSD-PRB-017).
/// </summary>
public sealed class DpwsClient
{
    private readonly SoapHttpClient _http;

    /// <summary>A client over <paramref name="http"/>.</summary>
    public DpwsClient(SoapHttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>The client's endpoint address sent as <c>wsa:From</c> (as WSDAPI does), or null to send none.</summary>
    public string? From { get; init; }

    /// <summary>
    /// Gets the metadata of the device whose endpoint address (<c>urn:uuid:…</c>, its <c>wsa:To</c>) is
    /// <paramref name="deviceEndpointAddress"/> from <paramref name="xaddr"/>. Throws <see cref="SoapFaultException"/>
    /// for a fault and <see cref="SoapProtocolException"/> when no metadata came back.
    /// </summary>
    public async Task<DeviceMetadataResult> GetAsync(Uri xaddr, string deviceEndpointAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xaddr);
        ArgumentException.ThrowIfNullOrEmpty(deviceEndpointAddress);
        var request = SoapEnvelope.Request(DpwsActions.TransferGet, deviceEndpointAddress, _http.NewMessageId());
        if (From is { } from)
        {
            request = request with { Header = request.Header with { From = new WsaEndpointReference(from) } };
        }

        var result = await _http.InvokeAsync(xaddr, request, null, cancellationToken).ConfigureAwait(false);
        var reply = result.Envelope!;
        var violations = new List<Violation>(result.Violations);
        if (reply.Header.Action != DpwsActions.TransferGetResponse)
        {
            violations.Add(new Violation(DpwsRuleIds.TransferGet, $"The reply's Action is '{reply.Header.Action}', not '{DpwsActions.TransferGetResponse}'.", ViolationSeverity.Error, "/Envelope/Header/Action"));
        }

        if (reply.Header.RelatesTo != request.Header.MessageId)
        {
            violations.Add(new Violation(DpwsRuleIds.TransferGet, $"The reply's RelatesTo '{reply.Header.RelatesTo}' is not the Get's MessageID.", ViolationSeverity.Error, "/Envelope/Header/RelatesTo"));
        }

        var read = DeviceMetadataReader.Read(reply);
        violations.AddRange(read.Violations);
        if (read.Metadata is null)
        {
            throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, "The GetResponse carries no mex:Metadata.", result.StatusCode, violations);
        }

        return new DeviceMetadataResult(read.Metadata, violations, reply);
    }

    /// <summary>
    /// Sends a directed Probe (2005 family unless <paramref name="probe"/> says otherwise) to <paramref name="xaddr"/> and
    /// reads the ProbeMatches from the HTTP response; a MatchingRuleNotSupported answer throws <see cref="SoapFaultException"/>.
    /// </summary>
    public async Task<DirectedProbeResult> ProbeAsync(Uri xaddr, WsdProbe? probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xaddr);
        probe ??= new WsdProbe
        {
            Protocol = WsdProtocol.V2005,
            Header = new WsdHeader
            {
                Action = WsdProtocol.V2005.ProbeAction,
                MessageId = _http.NewMessageId(),
                To = WsdProtocol.V2005.MulticastTo,
                ReplyTo = new WsdEndpointReference(WsdProtocol.V2005.AnonymousAddress),
            },
        };
        var raw = await _http.SendRawAsync(xaddr, WsdMessageWriter.Write(probe), null, null, cancellationToken).ConfigureAwait(false);
        var read = WsdMessageReader.Read(raw.Body.Span, new WsdReadOptions(Limits: new Core.Xml.XmlLimits(MaxBytes: Math.Max(raw.Body.Length, 1))));
        switch (read.Message)
        {
            case WsdProbeMatches matches:
                return new DirectedProbeResult(matches, read.Violations);
            case WsdFault:
                var soap = _http.Interpret(raw);
                throw new SoapFaultException(soap.Envelope?.Fault ?? SoapFault.InternalError(), raw.StatusCode, soap.Envelope, [.. soap.Violations, .. read.Violations]);
            default:
                throw new SoapProtocolException(SoapProtocolError.UnexpectedReply, $"The directed probe was answered with HTTP {raw.StatusCode} and no ProbeMatches.", raw.StatusCode, read.Violations);
        }
    }
}
