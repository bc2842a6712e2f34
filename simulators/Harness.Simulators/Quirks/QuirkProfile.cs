using Harness.Simulators.Cameras;
using Harness.WsDiscovery.Engine;
using Harness.WsDiscovery.Messages;

namespace Harness.Simulators.Quirks;

/// <summary>How a quirky device behaves when it restarts (WSD-MSG-011, WSD-MSG-014).</summary>
[Flags]
public enum QuirkRestart
{
    /// <summary>Restarts correctly: a higher InstanceId, the same endpoint reference.</summary>
    None = 0,

    /// <summary>The new instance uses a lower InstanceId than the old one (state lost, counter reset).</summary>
    InstanceIdBackwards = 1,

    /// <summary>The endpoint reference address changes across the restart (a fresh uuid at every boot).</summary>
    NewEndpointReference = 2,
}

/// <summary>
/// A named way in which a simulated device deviates from the specifications, imitating a real device (checklist
/// <c>specs/wsd.md</c> §2). A profile changes what the camera publishes (<see cref="Service"/>, <see cref="Protocols"/>),
/// how it restarts (<see cref="Restart"/>), and, through a transport decorator, what it sends and what it hears.
/// Apply one with <see cref="Apply"/> or <see cref="QuirkProfiles.Apply"/>; fleet files and
/// <c>harness simulate --quirk NAME</c> name it by <see cref="Name"/>.
/// </summary>
public sealed class QuirkProfile
{
    private readonly Func<QuirkContext, IReadOnlyList<QuirkBehavior>> _behaviors;

    internal QuirkProfile(string name, string description, Func<QuirkContext, IReadOnlyList<QuirkBehavior>>? behaviors = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        Name = name;
        Description = description;
        _behaviors = behaviors ?? (_ => []);
    }

    /// <summary>The stable name, e.g. <c>bare-uuid</c> (lower case, digits and '-').</summary>
    public string Name { get; }

    /// <summary>What the device does wrong, in a sentence.</summary>
    public string Description { get; }

    /// <summary>Where the deviation was seen (the checklist's Q-… id and the public tracker), or null.</summary>
    public string? SeenIn { get; init; }

    /// <summary>
    /// The WS-Discovery conformance rule ids this profile is expected to fail (verdict Fail, Warn or Info) when the
    /// harness's WS-Discovery suite runs against a camera with it; every other rule passes or does not apply.
    /// </summary>
    public IReadOnlyList<string> ExpectedFailures { get; init; } = [];

    /// <summary>The WS-Discovery families the camera speaks instead of the configured ones, or null to keep them.</summary>
    public IReadOnlyList<WsdProtocol>? Protocols { get; init; }

    /// <summary>Changes the published discovery data (types, scopes), or null.</summary>
    public Func<PublishedService, PublishedService>? Service { get; init; }

    /// <summary>How the camera restarts.</summary>
    public QuirkRestart Restart { get; init; }

    /// <summary>True when the profile needs a metadata change (a scope update) during the session to show its deviation.</summary>
    public bool NeedsMetadataChange { get; init; }

    /// <summary>Returns the camera options with this profile applied (<see cref="FakeCameraOptions.Quirks"/>).</summary>
    public FakeCameraOptions Apply(FakeCameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { Quirks = this };
    }

    /// <summary>Starts the profile for one camera: the state its transport decorators share across restarts.</summary>
    public QuirkSession Start(QuirkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new QuirkSession(this, context, _behaviors(context));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
