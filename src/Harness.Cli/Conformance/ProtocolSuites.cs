using Harness.Conformance.Engine;
using Harness.Conformance.Model;
using Harness.Conformance.Dpws;
using Harness.Conformance.Ssdp;
using Harness.Conformance.Wsd;
using Harness.Conformance.Xmpp;
using Harness.Core.Recording;

namespace Harness.Cli.Conformance;

/// <summary>
/// The protocols the main job judges, each with its rules, how it finds devices in recorded traffic and how it names
/// a message on the timeline. A capture is judged by all of them at once; a live run starts one
/// <see cref="IConformanceSuite"/> per protocol.
/// </summary>
internal static class ProtocolSuites
{
    private sealed record Kind(
        string Protocol,
        Func<RuleCatalogue> Catalogue,
        Func<IReadOnlyList<TrafficRecord>, IReadOnlyList<Device>> FindDevices,
        Func<TrafficRecord, string?> Summarize);

    private static readonly Kind[] Kinds =
    [
        new(Protocols.Wsd, WsdSuite.CreateCatalogue, WsdSuite.FindDevices, WsdSuite.Summarize),
        new(Protocols.Dpws, DpwsSuite.CreateCatalogue, DpwsSuite.FindDevices, DpwsSuite.Summarize),
        new(Protocols.Ssdp, SsdpSuite.CreateCatalogue, SsdpSuite.FindDevices, SsdpSuite.Summarize),
        new(Protocols.Xmpp, XmppSuite.CreateCatalogue, XmppSuite.FindDevices, XmppSuite.Summarize),
    ];

    /// <summary>Every rule of every protocol.</summary>
    public static RuleCatalogue Catalogue()
    {
        var all = new RuleCatalogue();
        foreach (var kind in Kinds)
        {
            all.AddRange(kind.Catalogue());
        }

        return all;
    }

    /// <summary>
    /// The devices of every protocol in the records. Each protocol sees every record: HTTP exchanges in a capture (DPWS
    /// services, UPnP descriptions) are TCP segments without a protocol label.
    /// </summary>
    public static IReadOnlyList<Device> FindDevices(IReadOnlyList<TrafficRecord> records) =>
        [.. Kinds.SelectMany(kind => kind.FindDevices(records))];

    /// <summary>A timeline line for a record, by its protocol's summarizer (an unlabelled HTTP segment: the first that knows it).</summary>
    public static string? Summarize(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var kind in Kinds)
        {
            if (string.Equals(kind.Protocol, record.Protocol, StringComparison.Ordinal))
            {
                return kind.Summarize(record);
            }
        }

        return record.Protocol is null ? Kinds.Select(kind => kind.Summarize(record)).FirstOrDefault(line => line is not null) : null;
    }
}
