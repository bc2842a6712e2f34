using System.Net;
using Harness.Core.Transport;

namespace Harness.Core.Tests.Transport;

internal static class TransportTestExtensions
{
    /// <summary>Generous: the tests must pass on a loaded two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static async Task<Datagram> ReceiveWithinAsync(this IDatagramTransport transport, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Patience);
        return await transport.ReceiveAsync(cts.Token);
    }

    /// <summary>Receives until a datagram carries <paramref name="payload"/>; others are returned in <paramref name="skipped"/>.</summary>
    public static async Task<Datagram> ReceiveMatchingAsync(this IDatagramTransport transport, byte[] payload, List<Datagram>? skipped = null)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var datagram = await transport.ReceiveAsync(cts.Token);
            if (datagram.Payload.Span.SequenceEqual(payload))
            {
                return datagram;
            }

            skipped?.Add(datagram);
        }
    }

    public static ValueTask SendAsync(this IDatagramTransport transport, string text, IPEndPoint destination) =>
        transport.SendAsync(System.Text.Encoding.UTF8.GetBytes(text), destination, CancellationToken.None);

    public static string Text(this Datagram datagram) => System.Text.Encoding.UTF8.GetString(datagram.Payload.Span);

    /// <summary>Waits on a condition that a background loop makes true (no event exists for it), with a timeout.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        Assert.True(SpinWait.SpinUntil(condition, Patience), "Timed out waiting until " + what);
    }
}
