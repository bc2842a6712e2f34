using Harness.WsDiscovery.Messages;

namespace Harness.WsDiscovery.Engine;

/// <summary>
/// Packs ProbeMatch entries into as few ProbeMatches envelopes as fit the envelope limit. WS-Discovery allows
/// several ProbeMatch children in one ProbeMatches (§5.3); one datagram cannot carry a thousand of them, so the
/// matches are split, in order, across several ProbeMatches, each with its own MessageID and MessageNumber and the
/// same RelatesTo. Sizes are measured with the real writer on a template whose MessageID and MessageNumber are
/// as long as they can be, so the final envelopes are never larger than measured.
/// </summary>
internal static class ProbeMatchPacker
{
    /// <summary>A MessageID as long as the engines' (<c>urn:uuid:</c> + 36 characters).</summary>
    public const string PlaceholderMessageId = "urn:uuid:00000000-0000-0000-0000-000000000000";

    /// <summary>Packs <paramref name="matches"/>; returns the envelopes' bytes, in order.</summary>
    /// <param name="matches">The matches.</param>
    /// <param name="template">A ProbeMatches whose header has the longest MessageID and MessageNumber the real ones can have.</param>
    /// <param name="finalize">Gives an envelope its real header (fresh MessageID, next MessageNumber); called once per envelope sent.</param>
    /// <param name="limit">The envelope limit in bytes.</param>
    /// <param name="tooLarge">Told about a match that does not fit even alone (it is left out).</param>
    public static IReadOnlyList<byte[]> Pack(
        IReadOnlyList<WsdEndpointData> matches,
        WsdProbeMatches template,
        Func<WsdProbeMatches, WsdProbeMatches> finalize,
        int limit,
        Action<string, int> tooLarge)
    {
        var result = new List<byte[]>();
        if (matches.Count == 0)
        {
            return result;
        }

        int Size(IReadOnlyList<WsdEndpointData> list) => WsdMessageWriter.Write(template with { Matches = list }).Length;

        var single = new int[matches.Count];
        for (var i = 0; i < matches.Count; i++)
        {
            single[i] = Size([matches[i]]);
        }

        // size(n matches) ≈ overhead + Σ per-match size; measured from one and two copies of the first match.
        var perFirst = Size([matches[0], matches[0]]) - single[0];
        var overhead = Math.Max(0, single[0] - perFirst);
        var chunk = new List<WsdEndpointData>();
        var accumulated = overhead;
        for (var i = 0; i < matches.Count; i++)
        {
            if (single[i] > limit)
            {
                tooLarge(matches[i].Endpoint.Address, single[i]);
                continue;
            }

            var size = Math.Max(1, single[i] - overhead);
            if (chunk.Count > 0 && accumulated + size > limit)
            {
                Emit(chunk);
                chunk = [];
                accumulated = overhead;
            }

            chunk.Add(matches[i]);
            accumulated += size;
        }

        if (chunk.Count > 0)
        {
            Emit(chunk);
        }

        return result;

        void Emit(List<WsdEndpointData> list)
        {
            // The estimate is additive; namespace declarations may make the real envelope a little larger: split then.
            if (list.Count > 1 && Size(list) > limit)
            {
                var half = list.Count / 2;
                Emit(list.GetRange(0, half));
                Emit(list.GetRange(half, list.Count - half));
                return;
            }

            result.Add(WsdMessageWriter.Write(finalize(template with { Matches = list })));
        }
    }
}
