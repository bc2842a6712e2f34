namespace Harness.Core.Transport;

/// <summary>What an <see cref="InMemoryNetwork"/> did with the datagrams sent on it, counted per delivery.</summary>
/// <param name="Sent">Datagrams sent by its transports.</param>
/// <param name="Delivered">Copies put into a receiver's queue (a multicast counts once per receiver; a duplicate counts twice).</param>
/// <param name="Lost">Deliveries lost to <see cref="NetworkConditions.LossRate"/>.</param>
/// <param name="Duplicated">Deliveries that got a second copy from <see cref="NetworkConditions.DuplicateRate"/>.</param>
/// <param name="Reordered">Deliveries that skipped the delay from <see cref="NetworkConditions.ReorderRate"/>.</param>
/// <param name="Dropped">Delivered datagrams pushed out of a full receive queue before anyone read them.</param>
/// <param name="Undeliverable">Datagrams no transport was there to receive (or whose receiver closed while they were in flight).</param>
/// <param name="InFlight">Deliveries waiting for their delay to pass.</param>
public sealed record InMemoryNetworkStatistics(
    long Sent,
    long Delivered,
    long Lost,
    long Duplicated,
    long Reordered,
    long Dropped,
    long Undeliverable,
    int InFlight);
