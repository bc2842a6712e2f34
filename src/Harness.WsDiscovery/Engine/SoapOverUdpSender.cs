using System.Net;
using System.Net.Sockets;
using Harness.Core.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.WsDiscovery.Engine;

/// <summary>
/// Sends one SOAP-over-UDP message with its retransmissions: the identical bytes (so the same MessageID) at the
/// times of a <see cref="RepeatSchedule"/>, waiting on the injected <see cref="TimeProvider"/>. A send that fails
/// with a socket error is logged and the next copy is still tried.
/// </summary>
public sealed class SoapOverUdpSender
{
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly ILogger _logger;

    /// <summary>Creates a sender.</summary>
    /// <param name="profile">The repeat constants.</param>
    /// <param name="timeProvider">The clock the gaps are waited on.</param>
    /// <param name="random">The seeded source of the first gaps; the sender owns it from now on.</param>
    /// <param name="logger">Where failed sends are logged.</param>
    public SoapOverUdpSender(SoapOverUdpProfile profile, TimeProvider timeProvider, Random random, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(random);
        profile.Validate();
        Profile = profile;
        _timeProvider = timeProvider;
        _random = random;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The repeat constants.</summary>
    public SoapOverUdpProfile Profile { get; }

    /// <summary>
    /// Sends <paramref name="payload"/> to <paramref name="destination"/> with MULTICAST_UDP_REPEAT copies when the
    /// destination is a multicast address, else UNICAST_UDP_REPEAT copies. Completes after the last copy.
    /// </summary>
    /// <returns>How many copies went out.</returns>
    public Task<int> SendAsync(IDatagramTransport transport, ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        IReadOnlyList<TimeSpan> schedule;
        lock (_randomGate)
        {
            schedule = RepeatSchedule.SendTimes(Profile, _random, destination.Address.IsMulticast());
        }

        return SendAsync(transport, payload, destination, schedule, _timeProvider, _logger, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="payload"/> at each offset of <paramref name="sendTimes"/> (from the first send, which
    /// happens at once when the first offset is zero). Completes after the last copy; returns how many went out.
    /// Cancellation stops the remaining copies and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<int> SendAsync(
        IDatagramTransport transport,
        ReadOnlyMemory<byte> payload,
        IPEndPoint destination,
        IReadOnlyList<TimeSpan> sendTimes,
        TimeProvider timeProvider,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(sendTimes);
        ArgumentNullException.ThrowIfNull(timeProvider);
        logger ??= NullLogger.Instance;
        var sent = 0;
        var elapsed = TimeSpan.Zero;
        for (var i = 0; i < sendTimes.Count; i++)
        {
            var wait = sendTimes[i] - elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            elapsed = sendTimes[i];
            try
            {
                await transport.SendAsync(payload, destination, cancellationToken).ConfigureAwait(false);
                sent++;
            }
            catch (SocketException ex)
            {
                WsdLog.SendFailed(logger, destination, i + 1, ex.SocketErrorCode, ex);
            }
            catch (ObjectDisposedException)
            {
                WsdLog.SendOnClosedTransport(logger, destination);
                break;
            }
        }

        return sent;
    }
}
