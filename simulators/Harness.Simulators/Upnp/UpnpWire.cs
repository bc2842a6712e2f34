using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Harness.Core.Transport;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;

namespace Harness.Simulators.Upnp;

/// <summary>
/// What the transports of one advertiser generation (one boot, one configuration) of a simulated UPnP device share:
/// the wire quirks, the fixed answer delay, the searches seen, and whether the generation is silenced (a configuration
/// change replaces the advertiser without the byebye set its disposal would send).
/// </summary>
internal sealed class UpnpWireState(UpnpWireQuirks quirks, TimeSpan? answerDelay, IReadOnlySet<string> announcedTypes, TimeProvider timeProvider)
{
    private const int MaxRemembered = 1024;
    private readonly ConcurrentDictionary<IPEndPoint, string> _searchTargets = new();
    private readonly ConcurrentDictionary<IPEndPoint, long> _dueTimestamps = new();
    private readonly ConcurrentDictionary<string, bool> _flushed = new(StringComparer.Ordinal);
    private int _silenced;
    private int _holdByeByes;

    public UpnpWireQuirks Quirks { get; } = quirks;

    /// <summary>The delay of every answer to a multicast search, or null for the engine's random delays within MX.</summary>
    public TimeSpan? AnswerDelay { get; } = (quirks & UpnpWireQuirks.Burst) != 0 ? TimeSpan.Zero : answerDelay;

    /// <summary>The NT values of the device's announcement set (for exact-string matching).</summary>
    public IReadOnlySet<string> AnnouncedTypes { get; } = announcedTypes;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public bool Silenced => Volatile.Read(ref _silenced) != 0;

    /// <summary>True while byebyes are held back (a configuration change withdraws and republishes without telling).</summary>
    public bool HoldByeByes
    {
        get => Volatile.Read(ref _holdByeByes) != 0;
        set => Volatile.Write(ref _holdByeByes, value ? 1 : 0);
    }

    /// <summary>True when what the engine sends has to be read (a wire quirk rewrites it, or answers wait for a fixed delay).</summary>
    public bool InspectsSends => Quirks != UpnpWireQuirks.None || AnswerDelay is not null || HoldByeByes;

    /// <summary>True when what the engine hears has to be read (a quirk on searches, or a fixed answer delay).</summary>
    public bool InspectsReceives =>
        (Quirks & (UpnpWireQuirks.LenientMan | UpnpWireQuirks.AcceptMissingMx | UpnpWireQuirks.ExactTypeMatch | UpnpWireQuirks.EchoSsdpAll)) != 0
        || AnswerDelay is not null;

    /// <summary>Nothing leaves any more.</summary>
    public void Silence() => Volatile.Write(ref _silenced, 1);

    public void RememberSearch(IPEndPoint source, string searchTarget)
    {
        if (_searchTargets.Count >= MaxRemembered)
        {
            _searchTargets.Clear();
        }

        _searchTargets[source] = searchTarget;
    }

    public string? SearchTargetOf(IPEndPoint destination) => _searchTargets.TryGetValue(destination, out var target) ? target : null;

    public void SetDue(IPEndPoint source, TimeSpan delay)
    {
        if (_dueTimestamps.Count >= MaxRemembered)
        {
            _dueTimestamps.Clear();
        }

        _dueTimestamps[source] = TimeProvider.GetTimestamp() + (long)(delay.TotalSeconds * TimeProvider.TimestampFrequency);
    }

    /// <summary>How long an answer to <paramref name="destination"/> still waits for its fixed delay.</summary>
    public TimeSpan RemainingDelay(IPEndPoint destination)
    {
        if (!_dueTimestamps.TryGetValue(destination, out var due))
        {
            return TimeSpan.Zero;
        }

        var remaining = due - TimeProvider.GetTimestamp();
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(remaining / (double)TimeProvider.TimestampFrequency);
    }

    /// <summary>True the first time a USN's alive is seen in this generation.</summary>
    public bool FirstAlive(string usn) => _flushed.TryAdd(usn, true);
}

/// <summary>
/// The transport decorator of a simulated UPnP device. It sends through the device's own unicast socket when it has
/// one (so every datagram leaves from the device's address), applies the wire quirks to what the engine sends
/// (rewrites, drops, duplicates) and to what it hears (lenient MAN and MX, exact ST matching), and implements a
/// fixed answer delay by handing the engine multicast searches as if they were unicast (answered at once) and holding
/// the answers back until the delay has passed. The engine hears only M-SEARCH requests: a device has nothing to do
/// with the NOTIFYs of the others on its port.
/// </summary>
internal sealed class UpnpWire(IDatagramTransport inner, IDatagramTransport? sendVia, UpnpWireState state) : IDatagramTransport
{
    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    public IReadOnlyCollection<IPAddress> JoinedGroups => inner.JoinedGroups;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (state.Silenced)
        {
            return;
        }

        var socket = sendVia ?? inner;
        if (!state.InspectsSends)
        {
            await socket.SendAsync(payload, destination, cancellationToken).ConfigureAwait(false);
            return;
        }

        var quirks = state.Quirks;
        var message = SsdpMessageReader.Read(payload.Span).Message;
        var outgoing = new List<ReadOnlyMemory<byte>>(2);
        switch (message)
        {
            case SsdpNotify { Subtype: SsdpNotifySubtype.ByeBye } when (quirks & UpnpWireQuirks.DropByeBye) != 0 || state.HoldByeByes:
                return;
            case SsdpNotify { Subtype: SsdpNotifySubtype.Alive } alive when (quirks & UpnpWireQuirks.InterleaveByeBye) != 0 && state.FirstAlive(alive.Usn):
                outgoing.Add(SsdpMessageWriter.Write(new SsdpNotify
                {
                    Host = alive.Host,
                    NotificationType = alive.NotificationType,
                    Nts = SsdpNotify.ByeByeNts,
                    Usn = alive.Usn,
                    BootId = alive.BootId,
                    ConfigId = alive.ConfigId,
                }));
                break;
            case SsdpSearchResponse response when (quirks & UpnpWireQuirks.EchoSsdpAll) != 0
                && string.Equals(state.SearchTargetOf(destination), SsdpTarget.AllValue, StringComparison.OrdinalIgnoreCase):
                payload = SsdpMessageWriter.Write(response with { SearchTarget = SsdpTarget.AllValue });
                break;
        }

        outgoing.Add(payload);
        if (message is SsdpNotify && (quirks & UpnpWireQuirks.DuplicateNotify) != 0)
        {
            outgoing.Add(payload);
        }

        if ((quirks & UpnpWireQuirks.CacheControlSpaces) != 0)
        {
            for (var i = 0; i < outgoing.Count; i++)
            {
                outgoing[i] = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(outgoing[i].Span).Replace("max-age=", "max-age = ", StringComparison.Ordinal));
            }
        }

        if (message is SsdpSearchResponse && state.RemainingDelay(destination) is { } wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, state.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        foreach (var bytes in outgoing)
        {
            if (state.Silenced)
            {
                return;
            }

            await socket.SendAsync(bytes, destination, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<Datagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var datagram = await inner.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (OnReceive(datagram) is { } passed)
            {
                return passed;
            }
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static bool IsSearch(ReadOnlySpan<byte> payload)
    {
        var start = payload.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && payload.Length - start >= 8 && Ascii.EqualsIgnoreCase(payload.Slice(start, 8), "M-SEARCH"u8);
    }

    private Datagram? OnReceive(Datagram datagram)
    {
        // A device only acts on searches: the NOTIFYs of every other device on the port (and its own, looped back) are
        // dropped here, unread, which keeps a fleet of simulated devices on one port cheap.
        if (!IsSearch(datagram.Payload.Span))
        {
            return null;
        }

        if (!state.InspectsReceives || SsdpMessageReader.Read(datagram.Payload.Span).Message is not SsdpSearchRequest search)
        {
            return datagram;
        }

        var quirks = state.Quirks;
        var changed = false;
        if ((quirks & UpnpWireQuirks.LenientMan) != 0 && !search.IsDiscover)
        {
            search = search with { Man = SsdpSearchRequest.DiscoverMan };
            changed = true;
        }

        if ((quirks & UpnpWireQuirks.AcceptMissingMx) != 0 && datagram.IsMulticast && search.Mx is not (>= 1))
        {
            search = search with { Mx = 1 };
            changed = true;
        }

        var target = search.Target;
        if ((quirks & UpnpWireQuirks.ExactTypeMatch) != 0
            && target.Kind is SsdpTargetKind.DeviceType or SsdpTargetKind.ServiceType
            && !state.AnnouncedTypes.Contains(search.SearchTarget))
        {
            return null;
        }

        state.RememberSearch(datagram.Source, search.SearchTarget);
        if (changed)
        {
            try
            {
                datagram = datagram with { Payload = SsdpMessageWriter.Write(search) };
            }
            catch (ArgumentException)
            {
                // A value the writer refuses (a bare CR or LF inside it): the engine judges the search as it came.
            }
        }

        if (state.AnswerDelay is { } delay && datagram.IsMulticast && search.Mx is >= 1 && search.IsDiscover && search.HasValidRequestLine)
        {
            // The engine answers a unicast search at once; the answers are then held back until the delay has passed.
            state.SetDue(datagram.Source, delay);
            datagram = datagram with { Destination = inner.LocalEndPoint };
        }

        return datagram;
    }
}
