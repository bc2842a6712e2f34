using Harness.Conformance.Model;

namespace Harness.Conformance.Engine;

/// <summary>
/// One protocol's glue between its rules and a live network: it listens and records from the start, discovers the
/// devices of its protocol, and is the target of its protocol's active rules. The main job starts one suite per
/// protocol (WS-Discovery, DPWS, SSDP, XMPP), all recording into the same <see cref="Harness.Core.Recording.TrafficRecorder"/>,
/// joins their devices into one <see cref="ObservedSession"/>, and runs the union of their rules with
/// <see cref="Runner.RunWithTargetsAsync"/>,
/// giving each device its own suite's <see cref="Target"/>.
/// Each suite also has static members for a capture: <c>CreateCatalogue()</c> (its rules), <c>FindDevices(records)</c>
/// and <c>Summarize(record)</c> (a timeline line).
/// </summary>
public interface IConformanceSuite : IAsyncDisposable
{
    /// <summary>The protocol label of its devices and rules (<see cref="Protocols"/>).</summary>
    string Protocol { get; }

    /// <summary>Discovers the devices of this protocol within <paramref name="window"/> (the traffic is recorded).</summary>
    Task<IReadOnlyList<Device>> DiscoverAsync(TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The target the active rules of this suite's devices talk through.</summary>
    ITarget Target { get; }
}
