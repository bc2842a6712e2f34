using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Harness.Core.Transport;
using Harness.WsDiscovery.Matching;
using Harness.WsDiscovery.Messages;

namespace Harness.Simulators.Quirks;

/// <summary>Reading and writing the messages a quirk changes (the camera's own writer made them, so they read back).</summary>
internal static class QuirkMessages
{
    public static WsdMessage? Read(ReadOnlyMemory<byte> payload) => WsdMessageReader.Read(payload.Span).Message;

    public static bool IsReply(WsdMessage message) => message is WsdProbeMatches or WsdResolveMatches or WsdFault;

    /// <summary>Applies <paramref name="change"/> to every endpoint a Hello, Bye, ProbeMatches or ResolveMatches describes.</summary>
    public static WsdMessage MapEndpoints(WsdMessage message, Func<WsdEndpointData, WsdEndpointData> change) => message switch
    {
        WsdHello hello => hello with { Endpoint = change(hello.Endpoint) },
        WsdBye bye => bye with { Endpoint = change(bye.Endpoint) },
        WsdProbeMatches matches => matches with { Matches = [.. matches.Matches.Select(change)] },
        WsdResolveMatches { Match: { } match } resolve => resolve with { Match = change(match) },
        _ => message,
    };

    public static WsdMessage WithHeader(WsdMessage message, Func<WsdHeader, WsdHeader> change) =>
        message with { Header = change(message.Header) };

    /// <summary>A version-4-looking uuid derived from text (stable: the same text gives the same uuid).</summary>
    public static Guid DerivedGuid(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>True when the Probe matches the camera's data under the specification's rules.</summary>
    public static WsdMatchOutcome Match(WsdProbe probe, QuirkContext context)
    {
        var service = context.Service();
        return WsdMatcher.Matches(probe, new WsdEndpointData(new WsdEndpointReference(service.EndpointAddress), service.Types, service.Scopes, [], service.MetadataVersion));
    }
}

/// <summary>Rewrites (or drops, by returning null) each outgoing WS-Discovery message as a record.</summary>
internal sealed class RewriteOutgoing(Func<WsdMessage, WsdMessage?> rewrite) : QuirkBehavior
{
    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        for (var i = outgoing.Count - 1; i >= 0; i--)
        {
            if (QuirkMessages.Read(outgoing[i].Payload) is not { } message)
            {
                continue;
            }

            var changed = rewrite(message);
            if (changed is null)
            {
                outgoing.RemoveAt(i);
            }
            else if (!ReferenceEquals(changed, message))
            {
                outgoing[i] = outgoing[i] with { Payload = WsdMessageWriter.Write(changed) };
            }
        }
    }
}

/// <summary>Edits the text of each outgoing datagram (for what the writer cannot express).</summary>
internal sealed class RewriteOutgoingText(Func<string, string> rewrite) : QuirkBehavior
{
    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        for (var i = 0; i < outgoing.Count; i++)
        {
            var text = Encoding.UTF8.GetString(outgoing[i].Payload.Span);
            var changed = rewrite(text);
            if (!string.Equals(changed, text, StringComparison.Ordinal))
            {
                outgoing[i] = outgoing[i] with { Payload = Encoding.UTF8.GetBytes(changed) };
            }
        }
    }
}

/// <summary>Changes where (and when) each outgoing message goes.</summary>
internal sealed class RouteOutgoing(Func<WsdMessage, OutgoingDatagram, QuirkTransport, OutgoingDatagram> route) : QuirkBehavior
{
    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        for (var i = 0; i < outgoing.Count; i++)
        {
            if (QuirkMessages.Read(outgoing[i].Payload) is { } message)
            {
                outgoing[i] = route(message, outgoing[i], transport);
            }
        }
    }
}

/// <summary>Holds back the first copy of the selected messages; the repeats that follow keep their own schedule.</summary>
internal sealed class DelayFirstCopy(Func<WsdMessage, bool> select, TimeSpan delay) : QuirkBehavior
{
    private readonly ConcurrentDictionary<string, byte> _delayed = new(StringComparer.Ordinal);

    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        for (var i = 0; i < outgoing.Count; i++)
        {
            if (QuirkMessages.Read(outgoing[i].Payload) is { Header.MessageId: { } id } message && select(message) && _delayed.TryAdd(id, 0))
            {
                outgoing[i] = outgoing[i] with { Delay = delay };
            }
        }
    }
}

/// <summary>Sends every datagram several times back to back, on top of the engine's own repeats.</summary>
internal sealed class BurstRepeats(int extraCopies) : QuirkBehavior
{
    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        var copies = outgoing.SelectMany(o => Enumerable.Repeat(o, extraCopies + 1)).ToList();
        outgoing.Clear();
        outgoing.AddRange(copies);
    }
}

/// <summary>Changes (returns a new datagram) or drops (null) each received WS-Discovery message.</summary>
internal sealed class FilterIncoming(Func<WsdMessage, Datagram, QuirkTransport, Datagram?> filter) : QuirkBehavior
{
    public override Datagram? OnReceive(Datagram datagram, QuirkTransport transport) =>
        QuirkMessages.Read(datagram.Payload) is { } message ? filter(message, datagram, transport) : datagram;

    /// <summary>A received Probe rewritten as a record (other messages pass).</summary>
    public static FilterIncoming Probes(Func<WsdProbe, QuirkContext, WsdProbe?> change) =>
        new((message, datagram, transport) =>
        {
            if (message is not WsdProbe probe)
            {
                return datagram;
            }

            var changed = change(probe, transport.Session.Context);
            return changed is null ? null
                : ReferenceEquals(changed, probe) ? datagram
                : datagram with { Payload = WsdMessageWriter.Write(changed) };
        });
}

/// <summary>
/// Answers every copy of a request: a request whose MessageID was seen before gets a fresh one on the way in (so the
/// engine's duplicate detection lets it through), and the answer's RelatesTo gets the original back on the way out.
/// </summary>
internal sealed class AnswerDuplicates : QuirkBehavior
{
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _renamed = new(StringComparer.Ordinal);
    private long _counter;

    public override Datagram? OnReceive(Datagram datagram, QuirkTransport transport)
    {
        if (QuirkMessages.Read(datagram.Payload) is not { } message
            || message is not (WsdProbe or WsdResolve)
            || message.Header.MessageId is not { } id)
        {
            return datagram;
        }

        if (_seen.TryAdd(id, 0))
        {
            return datagram;
        }

        var fresh = "urn:uuid:" + QuirkMessages.DerivedGuid(id + "#" + Interlocked.Increment(ref _counter)).ToString("D");
        _renamed[fresh] = id;
        var renamed = QuirkMessages.WithHeader(message, h => h with { MessageId = fresh });
        return datagram with { Payload = WsdMessageWriter.Write(renamed) };
    }

    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        for (var i = 0; i < outgoing.Count; i++)
        {
            if (QuirkMessages.Read(outgoing[i].Payload) is { Header.RelatesTo: { } relatesTo } message
                && _renamed.TryGetValue(relatesTo, out var original))
            {
                outgoing[i] = outgoing[i] with { Payload = WsdMessageWriter.Write(QuirkMessages.WithHeader(message, h => h with { RelatesTo = original })) };
            }
        }
    }
}

/// <summary>
/// Answers a multicast Probe it does not match with an empty ProbeMatches: the Probe is widened on the way in (so the
/// engine answers, numbering the answer as its own) and the matches are removed on the way out.
/// </summary>
internal sealed class EmptyProbeMatches : QuirkBehavior
{
    private readonly ConcurrentDictionary<string, byte> _widened = new(StringComparer.Ordinal);

    public override Datagram? OnReceive(Datagram datagram, QuirkTransport transport)
    {
        if (!datagram.IsMulticast
            || QuirkMessages.Read(datagram.Payload) is not WsdProbe { Header.MessageId: { } id } probe
            || QuirkMessages.Match(probe, transport.Session.Context) != WsdMatchOutcome.NoMatch)
        {
            return datagram;
        }

        _widened[id] = 0;
        var wildcard = probe with { Types = [], Scopes = [], MatchBy = null };
        return datagram with { Payload = WsdMessageWriter.Write(wildcard) };
    }

    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        for (var i = 0; i < outgoing.Count; i++)
        {
            if (QuirkMessages.Read(outgoing[i].Payload) is WsdProbeMatches { Header.RelatesTo: { } relatesTo } matches
                && _widened.ContainsKey(relatesTo))
            {
                outgoing[i] = outgoing[i] with { Payload = WsdMessageWriter.Write(matches with { Matches = [] }) };
            }
        }
    }
}

/// <summary>Holds back the answers to multicast requests (a device that answers after the Windows firewall window).</summary>
internal sealed class SlowMulticastAnswers(TimeSpan delay) : QuirkBehavior
{
    private readonly ConcurrentDictionary<string, byte> _multicastRequests = new(StringComparer.Ordinal);

    public override Datagram? OnReceive(Datagram datagram, QuirkTransport transport)
    {
        if (datagram.IsMulticast && QuirkMessages.Read(datagram.Payload) is (WsdProbe or WsdResolve) and { Header.MessageId: { } id })
        {
            _multicastRequests[id] = 0;
        }

        return datagram;
    }

    public override void OnSend(List<OutgoingDatagram> outgoing, QuirkTransport transport)
    {
        for (var i = 0; i < outgoing.Count; i++)
        {
            if (QuirkMessages.Read(outgoing[i].Payload) is { Header.RelatesTo: { } relatesTo } && _multicastRequests.ContainsKey(relatesTo))
            {
                outgoing[i] = outgoing[i] with { Delay = delay };
            }
        }
    }
}

/// <summary>
/// A parser that does not survive bad input: after a datagram it cannot read (malformed, not XML, a DTD) or one larger
/// than 32,767 octets, the device hears nothing more until it restarts.
/// </summary>
internal sealed class FragileParser : QuirkBehavior
{
    private int _crashed;

    public override Datagram? OnReceive(Datagram datagram, QuirkTransport transport)
    {
        if (Volatile.Read(ref _crashed) != 0)
        {
            return null;
        }

        if (datagram.Payload.Length > 32_767 || QuirkMessages.Read(datagram.Payload) is null)
        {
            Volatile.Write(ref _crashed, 1);
            return null;
        }

        return datagram;
    }

    public override void OnRestart() => Volatile.Write(ref _crashed, 0);
}

/// <summary>Redirects answers: to the multicast group, or to the requester's address on the discovery port.</summary>
internal static class ReplyRouting
{
    public static QuirkBehavior ToMulticast() => new RouteOutgoing((message, datagram, transport) =>
        QuirkMessages.IsReply(message) && !datagram.Destination.Address.IsMulticast()
            ? datagram with { Destination = transport.Session.Context.MulticastEndPoint }
            : datagram);

    public static QuirkBehavior ToDiscoveryPort() => new RouteOutgoing((message, datagram, transport) =>
        QuirkMessages.IsReply(message) && !datagram.Destination.Address.IsMulticast()
            ? datagram with { Destination = new IPEndPoint(datagram.Destination.Address, transport.Session.Context.MulticastEndPoint.Port) }
            : datagram);
}
