using Harness.Core.Diagnostics;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Metadata;

/// <summary>
/// The device side of WS-Transfer Get (WSD-DPWS-001): answers with GetResponse carrying the metadata a provider
/// returns for the request (so hosted-service addresses can use the address the request came in on), and reports a
/// non-empty Get body or a <c>wsa:To</c> that is neither the device's endpoint address nor its URL.
/// </summary>
public static class TransferGetHandler
{
    /// <summary>A handler for <see cref="DpwsActions.TransferGet"/>.</summary>
    /// <param name="deviceEndpointAddress">The device's endpoint address (<c>urn:uuid:…</c>), the expected <c>wsa:To</c>.</param>
    /// <param name="metadata">The metadata to answer with, given the request.</param>
    public static SoapHandler Create(string deviceEndpointAddress, Func<SoapRequestContext, DeviceMetadata> metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceEndpointAddress);
        ArgumentNullException.ThrowIfNull(metadata);
        return (context, _) =>
        {
            if (context.Envelope.Body.Count > 0)
            {
                context.AddViolation(new Violation(DpwsRuleIds.TransferGet, "The Get request has a non-empty Body (WS-Transfer Get has none).", ViolationSeverity.Warning, "/Envelope/Body"));
            }

            var to = context.Envelope.Header.To;
            if (to is null)
            {
                context.AddViolation(new Violation(DpwsRuleIds.TransferGet, "The Get request has no wsa:To (the device's endpoint address).", ViolationSeverity.Error, "/Envelope/Header"));
            }
            else if (!string.Equals(to, deviceEndpointAddress, StringComparison.OrdinalIgnoreCase) && !string.Equals(to.TrimEnd('/'), context.EndpointAddress.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                context.AddViolation(new Violation(DpwsRuleIds.TransferGet, $"The Get's wsa:To '{to}' is neither the device's endpoint address nor its URL.", ViolationSeverity.Warning, "/Envelope/Header/To"));
            }

            var response = DeviceMetadataWriter.GetResponse(context.Envelope, metadata(context), context.NewMessageId());
            return ValueTask.FromResult(SoapResponse.For(response));
        };
    }
}
