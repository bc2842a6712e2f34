using System.Xml.Linq;
using Harness.Simulators.Xmpp;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Simulators.Tests.Xmpp;

/// <summary>
/// A second session on an <see cref="XmppFleet"/>'s server that looks at the entities the way a conformance judge
/// does: raw iq on the wire, presence as received.
/// </summary>
internal sealed class XmppJudge : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private readonly List<XElement> _presences = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private XmppJudge(XmppClientConnection connection)
    {
        Connection = connection;
        Disco = new DiscoClient(connection);
        connection.PresenceReceived += (_, presence) =>
        {
            lock (_gate)
            {
                _presences.Add(presence);
            }

            _arrived.Release();
        };
    }

    public XmppClientConnection Connection { get; }

    public DiscoClient Disco { get; }

    public static async Task<XmppJudge> ConnectAsync(XmppFleet fleet, string user = "judge")
    {
        var (name, password) = fleet.AddJudgeAccount(user);
        var connection = await XmppClientConnection.ConnectAsync(fleet.ClientOptions(name, password, "judge"), cancellationToken: CancellationToken.None);
        var judge = new XmppJudge(connection);

        // The server sends the other clients' current presence in answer to our first one.
        await connection.SendAsync(new XElement(XmppNamespaces.Client + "presence"), CancellationToken.None);
        return judge;
    }

    public static Task<XmppFleet> FleetAsync(XmppEntityKind kind = XmppEntityKind.Client, string? quirk = null, int seed = 1, int count = 1) =>
        XmppFleet.StartAsync(new XmppFleetOptions { Count = count, Kinds = [kind], Quirk = quirk, Seed = seed }, CancellationToken.None);

    /// <summary>The first presence (received so far or later) from <paramref name="from"/> matching <paramref name="match"/>.</summary>
    public async Task<XElement> PresenceAsync(Jid from, Func<XElement, bool>? match = null, int skip = 0)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            lock (_gate)
            {
                var found = _presences.Where(p => (string?)p.Attribute("from") == from.ToString() && (match?.Invoke(p) ?? true)).Skip(skip).FirstOrDefault();
                if (found is not null)
                {
                    return found;
                }
            }

            await _arrived.WaitAsync(timeout.Token);
        }
    }

    public async Task<XElement> IqAsync(Jid to, XElement query)
    {
        var iq = new XElement(XmppNamespaces.Client + "iq", new XAttribute("type", "get"), new XAttribute("to", to.ToString()), query);
        var result = await Connection.SendIqAsync(iq, Wait, CancellationToken.None);
        return result.Elements().Single();
    }

    public Task<XElement> InfoAsync(Jid to, string? node = null) => IqAsync(to, DiscoCodec.InfoRequest(node));

    public Task<XElement> ItemsAsync(Jid to, string? node = null) => IqAsync(to, DiscoCodec.ItemsRequest(node));

    public Task<XmppStanzaException> InfoErrorAsync(Jid to, string? node) => Assert.ThrowsAsync<XmppStanzaException>(() => InfoAsync(to, node));

    public Task<XmppStanzaException> ItemsErrorAsync(Jid to, string? node) => Assert.ThrowsAsync<XmppStanzaException>(() => ItemsAsync(to, node));

    public async ValueTask DisposeAsync()
    {
        Disco.Dispose();
        await Connection.DisposeAsync();
        _arrived.Dispose();
    }
}
