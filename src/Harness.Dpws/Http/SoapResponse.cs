using Harness.Dpws.Soap;

namespace Harness.Dpws.Http;

/// <summary>What a <see cref="SoapHandler"/> answers: an envelope (or none, for one-way messages), MTOM attachments, a status.</summary>
public sealed record SoapResponse
{
    /// <summary>The envelope to send; null sends no body (202 Accepted unless <see cref="StatusCode"/> says otherwise).</summary>
    public SoapEnvelope? Envelope { get; init; }

    /// <summary>Attachments: when any, the answer is an MTOM/XOP multipart/related package with the envelope as root.</summary>
    public IReadOnlyList<MtomAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// The HTTP status; null for the default: 200 for an envelope, the host's <see cref="DpwsHostOptions.FaultStatusCode"/>
    /// for a fault, 202 without an envelope.
    /// </summary>
    public int? StatusCode { get; init; }

    /// <summary>The answer to a one-way message: 202 Accepted, no body.</summary>
    public static SoapResponse Accepted { get; } = new() { StatusCode = 202 };

    /// <summary>An answer carrying <paramref name="envelope"/>.</summary>
    public static SoapResponse For(SoapEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new SoapResponse { Envelope = envelope };
    }
}
