using System.Net;
using Harness.Core.Transport;
using Harness.WsDiscovery.Engine;

namespace Harness.Simulators.Quirks;

/// <summary>What a quirk profile may know about the camera it runs in.</summary>
/// <param name="Service">The camera's published data as it is now (the quirks that match probes themselves read it).</param>
/// <param name="MulticastEndPoint">The WS-Discovery group and port the camera listens on.</param>
/// <param name="TimeProvider">The camera's clock (delays of slow quirks run on it).</param>
/// <param name="Seed">Seed of the profile's own identifiers (a stable MessageID, fresh SequenceIds).</param>
public sealed record QuirkContext(Func<PublishedService> Service, IPEndPoint MulticastEndPoint, TimeProvider TimeProvider, int Seed);

/// <summary>
/// One camera's running quirk profile: the state its transport decorators share (the transports change at every
/// restart, the state stays). Created by <see cref="QuirkProfile.Start"/>.
/// </summary>
public sealed class QuirkSession
{
    private readonly IReadOnlyList<QuirkBehavior> _behaviors;

    internal QuirkSession(QuirkProfile profile, QuirkContext context, IReadOnlyList<QuirkBehavior> behaviors)
    {
        Profile = profile;
        Context = context;
        _behaviors = behaviors;
    }

    /// <summary>The profile.</summary>
    public QuirkProfile Profile { get; }

    /// <summary>What the profile knows about the camera.</summary>
    public QuirkContext Context { get; }

    internal IReadOnlyList<QuirkBehavior> Behaviors => _behaviors;

    /// <summary>
    /// Wraps one of the camera's transports: what the camera sends passes the profile's rewrites, what it receives
    /// passes the profile's filters. Disposing the wrapper disposes <paramref name="inner"/>.
    /// </summary>
    public IDatagramTransport Wrap(IDatagramTransport inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return _behaviors.Count == 0 ? inner : new QuirkTransport(inner, this);
    }

    /// <summary>Tells the behaviours that the camera restarted (a crashed parser comes back, for example).</summary>
    public void Restarted()
    {
        foreach (var behavior in _behaviors)
        {
            behavior.OnRestart();
        }
    }
}
